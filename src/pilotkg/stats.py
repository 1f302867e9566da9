"""``pilotkg stats``: counts by class and by named graph, and the conflicts between sources,
all answered by the query library (``stats-*.rq``), so they work on any store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import Graph
from rdflib.query import ResultRow

from . import querylib
from .assets import queries_dir


@dataclass
class Stats:
    graphs: list[tuple[str, int]]
    classes: list[tuple[str, int]]
    conflicts: list[dict[str, str]]

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def _select(graph: Graph, name: str, folder: Path | None = None) -> Iterable[ResultRow]:
    """The rows of a SELECT query of the library, or of ``folder`` (a SELECT result iterates over
    ``ResultRow``s)."""
    return cast("Iterable[ResultRow]", querylib.run(graph, querylib.get(name, folder)))


def compute(graph: Graph) -> Stats:
    # counted, not read from the build's description as stats-graphs does: `pilotkg stats` is asked
    # of stores no build described, or changed since, too
    graphs = sorted((str(r.graph), int(r.statements)) for r in _select(graph, "graph-sizes", queries_dir() / "storebuild"))
    classes = [(str(r["class"]), int(r.instances)) for r in _select(graph, "stats-classes")]
    conflicts = [{k: str(v) for k, v in row.asdict().items()}
                 for row in _select(graph, "stats-conflicts")]
    return Stats(graphs, classes, conflicts)
