"""``pilotkg stats``: counts by class and by named graph, and the conflicts between sources,
all answered by the query library (``stats-*.rq``), so they work on any store."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from . import querylib


@dataclass
class Stats:
    graphs: list[tuple[str, int]]
    classes: list[tuple[str, int]]
    conflicts: list[dict[str, str]]

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def compute(graph: Graph) -> Stats:
    graphs = [(str(r.graph), int(r.triples)) for r in querylib.run(graph, querylib.get("stats-graphs"))]
    classes = [(str(r["class"]), int(r.instances)) for r in querylib.run(graph, querylib.get("stats-classes"))]
    conflicts = [{k: str(v) for k, v in row.asdict().items()}
                 for row in querylib.run(graph, querylib.get("stats-conflicts"))]
    return Stats(graphs, classes, conflicts)
