"""pilotkg: a knowledge graph with a query layer for Sichuan's pilot programme to become a
province strong in manufacturing.

The package is split by concern: :mod:`pilotkg.namespaces` (vocabulary), :mod:`pilotkg.assets`
(the ontology, queries and data shipped as package data), :mod:`pilotkg.sources` and
:mod:`pilotkg.reference` (reading curated inputs), :mod:`pilotkg.checks` (what a build verifies),
:mod:`pilotkg.build` (assembling and writing the dataset), :mod:`pilotkg.querylib` (the named
query library), :mod:`pilotkg.stats`, and the face, :mod:`pilotkg.cli`.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["KnowledgeGraph", "__version__"]


def __getattr__(name: str):  # noqa: ANN202 - lazy, so that `import pilotkg` and `--help` stay light
    if name == "KnowledgeGraph":
        from .api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'pilotkg' has no attribute {name!r}")
