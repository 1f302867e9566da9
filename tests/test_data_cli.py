"""The data-entry commands: templates, template, ingest, diff; their exit codes and messages; and
the docstring examples of the data-entry modules."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from pilotkg.cli import main

from .test_ingest import OBS_HEADER, observation, write_csv

COMMANDS = ["templates", "template", "ingest", "diff"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: pilotkg " + command in capsys.readouterr().out


def test_templates_lists_and_describes_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    listing = capsys.readouterr().out
    assert "observation" in listing and "gap-worksheet" in listing
    assert main(["templates", "observation", "--format", "md"]) == 0
    assert "| multiplier | optional | choice |" in capsys.readouterr().out
    assert main(["templates", "no-such-kind"]) == 2
    assert "unknown kind 'no-such-kind'" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_template_writes_the_file(suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"parks.{suffix}"
    assert main(["template", "park", "--output", str(target)]) == 0
    assert target.stat().st_size > 0 and f"wrote {target}" in capsys.readouterr().err
    assert main(["template", "park", "--output", str(tmp_path / "parks.ods")]) == 2
    assert "end the file name in .csv or .xlsx" in capsys.readouterr().err


def test_ingest_exit_codes_and_messages(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "figures.csv", OBS_HEADER, [observation()])
    assert main(["ingest", str(sheet), "--data", str(data_copy), "--check"]) == 0
    err = capsys.readouterr().err
    assert "checked (nothing written)" in err and "unverified quote: row 2" in err
    assert not (data_copy / "ingested").exists()
    assert main(["ingest", str(sheet), "--data", str(data_copy)]) == 0
    assert f"wrote {data_copy / 'ingested' / 'figures.trig'}: 1 row(s)" in capsys.readouterr().err
    bad = write_csv(tmp_path / "bad.csv", OBS_HEADER, [observation(qualifier="roughly")])
    assert main(["ingest", str(bad), "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and f"{bad}:-:2:qualifier: 'roughly' is not an allowed qualifier" in err
    assert main(["ingest", str(tmp_path / "missing.csv"), "--data", str(data_copy)]) == 2
    assert main(["ingest", str(sheet), str(bad), "--source-id", "x", "--data", str(data_copy)]) == 2


@pytest.mark.parametrize("name", ["pilotkg.sheets", "pilotkg.templates", "pilotkg.diff"])
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
