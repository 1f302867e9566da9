"""The Python face of pilotkg.

>>> from pilotkg import KnowledgeGraph
>>> kg = KnowledgeGraph.load()                       # the shipped data, built in memory
>>> rows = kg.query("cq-batch-cities", batch=1)
>>> sorted(row["cityLabel"] for row in rows)
['Chengdu', 'Deyang', 'Mianyang', 'Yibin']
>>> sorted(row["otherLabel"] for row in kg.query("partners", place="Chengdu"))
['Chongqing', 'Meishan', 'Mianyang']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal, URIRef
from rdflib.query import ResultRow

from . import querylib
from .errors import PilotkgError
from .store import EndpointStore, OxigraphStore, open_store


class Rows(Sequence[dict[str, Any]]):
    """Query results: a sequence of dicts (variable -> Python value or IRI string), with the RDF
    terms kept in :attr:`terms`, and :meth:`to_dataframe` when pandas is installed."""

    def __init__(self, variables: list[str], terms: list[dict[str, Any]]) -> None:
        self.variables = variables
        self.terms = terms
        self._rows = [{k: _plain(v) for k, v in row.items()} for row in terms]

    def __getitem__(self, index):  # type: ignore[override]
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows: {', '.join(self.variables)})"

    def to_dataframe(self):  # noqa: ANN201 - a pandas DataFrame
        try:
            import pandas as pd
        except ImportError as exc:
            raise PilotkgError("pandas is not installed: `pip install 'pilotkg[pandas]'`") from exc
        return pd.DataFrame(self._rows, columns=self.variables)


def _plain(term: Any) -> Any:
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    if isinstance(term, URIRef):
        return str(term)
    return term


class KnowledgeGraph:
    """A pilotkg dataset on some store, with the query library, validation and statistics."""

    def __init__(self, store: Dataset | EndpointStore | OxigraphStore) -> None:
        self.store = store

    @classmethod
    def load(cls, location: str | Path | None = None, *, data: Path | None = None) -> KnowledgeGraph:
        """Build the shipped data (or ``data``) in memory, open a built dataset (.trig, .nq), or
        connect to a SPARQL endpoint (an http(s) URL)."""
        return cls(open_store(location, data=data))

    def query(self, name: str, **params: Any) -> Rows:
        """Run a named query of the library; parameters by keyword, checked against its header."""
        result = querylib.run(self.store, querylib.get(name), {k: str(v) for k, v in params.items()})
        return _rows(result)

    def sparql(self, text: str) -> Rows:
        """Run any SPARQL SELECT on the store."""
        return _rows(querylib.run_text(self.store, text))

    def queries(self) -> dict[str, querylib.NamedQuery]:
        return querylib.library()

    def network(self, view: str = "cooperation", *, city: str | None = None):  # noqa: ANN201 - a networkx graph
        """A network projection of the dataset (cooperation, place-industry, chain with ``city``, full);
        :mod:`pilotkg.analytics` computes on it."""
        from .network import project

        return project(self.store, view, city=city)

    def validate(self):  # noqa: ANN201 - a pilotkg.compliance.Compliance
        """Validate and assess compliance with the six requirements (with the engine ``auto``
        chooses: :func:`pilotkg.validate.validate_with`)."""
        from .validate import assess_with

        return assess_with(self.store)[0]


def _rows(result) -> Rows:  # noqa: ANN001 - an rdflib Result
    variables = [str(v) for v in (result.vars or [])]
    terms = []
    for row in result:
        assert isinstance(row, ResultRow)
        terms.append({name: row.get(name) for name in variables if row.get(name) is not None})
    return Rows(variables, terms)
