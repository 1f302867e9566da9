"""Loading and saving: parsing Turtle with errors that name file and line, and writing outputs
atomically (to a temporary file beside the target, then a rename), so that a failed run leaves
the previous output intact.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from rdflib import Dataset, Graph

from .errors import InputError, OutputError

_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


def parse_file(path: Path, graph: Graph | None = None, *, format: str | None = None) -> Graph:
    """Parse ``path`` into ``graph`` (a new one by default); a syntax error becomes an
    :class:`InputError` with the file and line."""
    graph = Graph() if graph is None else graph
    fmt = format or _format_of(path)
    try:
        graph.parse(path, format=fmt)
    except FileNotFoundError as exc:
        raise InputError("file not found", file=path) from exc
    except Exception as exc:  # rdflib raises many kinds of syntax errors
        text = str(exc)
        match = _LINE.search(text)
        line = int(match.group(1)) if match else None
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        raise InputError(f"not valid {fmt}: {first}", file=path, line=line,
                         hint="correct the syntax at that line; rdflib's message is quoted") from exc
    return graph


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld",
            ".rdf": "xml", ".owl": "xml"}.get(suffix, "turtle")


def load_dataset(path: Path) -> Dataset:
    """Load a built dataset (TriG or N-Quads)."""
    dataset = Dataset(default_union=True)
    if not path.is_file():
        raise InputError("dataset not found", file=path, hint="run `pilotkg build` first, or pass --dataset")
    fmt = _format_of(path)
    if fmt not in ("trig", "nquads"):
        raise InputError(f"a dataset must be TriG or N-Quads, not {fmt}", file=path)
    try:
        dataset.parse(path, format=fmt)
    except Exception as exc:
        match = _LINE.search(str(exc))
        raise InputError(f"not valid {fmt}: {str(exc).splitlines()[0] if str(exc) else exc!r}", file=path,
                         line=int(match.group(1)) if match else None) from exc
    return dataset


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomically(outputs: Iterable[tuple[Path, bytes]]) -> list[Path]:
    """Write every ``(path, content)`` to a temporary file first; rename them into place only
    when all were written. On any failure the targets are untouched and the temporaries removed."""
    outputs = list(outputs)
    with staged_files([target for target, _ in outputs]) as handles:
        for handle, (target, content) in zip(handles, outputs, strict=True):
            try:
                handle.write(content)
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror}; the previous output is unchanged") from exc
    return [target for target, _ in outputs]


@contextmanager
def staged_files(targets: list[Path]) -> Iterator[list[BinaryIO]]:
    """A temporary file beside each target, open for writing; when the block ends without an
    error all of them are synced and renamed into place, otherwise removed, leaving the targets
    as they were. For outputs too large to hold in memory."""
    staged: list[tuple[Path, Path, BinaryIO]] = []
    try:
        for target in targets:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror}; the previous output is unchanged") from exc
            staged.append((Path(tmp_name), target, os.fdopen(fd, "wb")))
        yield [handle for _, _, handle in staged]
        mode = 0o666 & ~_umask()
        for tmp, target, handle in staged:
            try:
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
                os.chmod(tmp, mode)
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror}; the previous output is unchanged") from exc
        for tmp, target, _ in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _, handle in staged:
            handle.close()
            if tmp.exists():
                tmp.unlink()
