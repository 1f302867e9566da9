"""The curators' tool that keeps quote positions in step with the quoted words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "anchor_quotes.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert TOOL.is_file(), f"{TOOL} is missing"
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, check=False)


def test_anchor_quotes_finds_and_fixes_a_stale_position(data_copy: Path) -> None:
    folder = data_copy / "sources" / "sichuan-first-pilot-lists"
    quotes = folder / "quotes.ttl"
    original = quotes.read_text(encoding="utf-8")
    assert run(str(folder)).returncode == 0
    start = original.index("oa:start ", original.index("q:p13-secondary a pk:Quote"))
    stale = original[:start] + original[start:].replace("oa:start ", "oa:start 1", 1)
    quotes.write_text(stale, encoding="utf-8")
    checked = run(str(folder))
    assert checked.returncode == 1 and "secondary sector" in checked.stderr
    assert run(str(folder), "--fix").returncode == 0
    assert quotes.read_text(encoding="utf-8") == original
