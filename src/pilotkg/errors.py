"""One hierarchy for every error pilotkg raises. Only the CLI turns them into exit codes.

Each error says what is wrong, where (file, line when known) and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problem:
    """One thing wrong with an input: what, where and how to fix it."""

    message: str
    file: Path | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        fix = f" (fix: {self.hint})" if self.hint else ""
        return f"{where}{self.message}{fix}"


class PilotkgError(Exception):
    """Base of every error pilotkg raises on purpose."""

    exit_code = 2


@dataclass
class _WithProblems:
    problems: list[Problem] = field(default_factory=list)


class InputError(PilotkgError):
    """An input file is missing, unreadable or malformed."""

    def __init__(self, message: str, *, file: Path | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        self.problem = Problem(message, file, line, hint)
        super().__init__(str(self.problem))


class BuildError(PilotkgError):
    """The assembled dataset failed one or more checks; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [f"build failed with {len(problems)} problem(s); nothing was written:"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


class QueryError(PilotkgError):
    """A query is unknown, malformed, or was given a bad parameter."""


class OutputError(PilotkgError):
    """An output could not be written; the previous output is left as it was."""


class MissingExtraError(PilotkgError):
    """An optional dependency is not installed; the message names the extra to install
    (``pip install 'pilotkg[pictures]'``, ``pilotkg[docs]``)."""


class StoreError(PilotkgError):
    """A store cannot be opened, reached or written; the message says which and how to fix it."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.hint = hint
        super().__init__(message + (f" (fix: {hint})" if hint else ""))


@dataclass
class CellProblem(Problem):
    """One thing wrong with a cell (or a row, or a whole sheet) of an ingested spreadsheet.
    ``line`` is the row as a spreadsheet shows it; ``sheet`` is ``-`` for a CSV file and
    ``column`` is ``-`` when the problem is not one cell's."""

    sheet: str = "-"
    column: str = "-"

    def __str__(self) -> str:
        fix = f"; {self.hint}" if self.hint else ""
        return f"{self.file}:{self.sheet}:{self.line or '-'}:{self.column}: {self.message}{fix}"


class IngestError(PilotkgError):
    """One or more rows of a spreadsheet were refused; nothing was written."""

    exit_code = 1

    def __init__(self, problems: list[CellProblem]) -> None:
        self.problems = problems
        lines = [f"ingest refused {len(problems)} problem(s); nothing was written:"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))
