"""Every console script and subcommand answers --help; --version names both versions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pilotkg.cli import main, parser

SUBCOMMANDS = sorted(parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def test_subcommands_collected() -> None:
    assert {"build", "stats", "query", "queries"} <= set(SUBCOMMANDS)


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_subcommand_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: pilotkg " + command in capsys.readouterr().out


def test_console_script_help() -> None:
    script = Path(sys.executable).parent / "pilotkg"
    assert script.is_file(), f"the console script is not installed beside {sys.executable}"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "build" in done.stdout and "query" in done.stdout


def test_module_entry_point_version() -> None:
    done = subprocess.run([sys.executable, "-m", "pilotkg", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pilotkg 0.1.0 (ontology 0.1.0)"


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().out


def test_unknown_query_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queries", "no-such-query"]) == 2
    assert "no query named 'no-such-query'" in capsys.readouterr().err
