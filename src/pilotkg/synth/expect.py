"""What validation must report on a synthetic dataset, known before anything is validated: every
planted problem and every gap as the result SHACL gives for it (shape, focus node, constraint
component, and the path of a property shape), collected as the data is written.

The results of the designation-level shapes (the six-requirement rule and its cross-checks)
depend on every element of a designation together, so they are worked out here from the
elements, by the shapes' own logic, rather than listed by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ..namespaces import ID, PK
from .world import REQUIREMENTS

SHAPES_NS = "https://w3id.org/pilotkg/shapes#"
SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
#: The class each requirement asks its element to belong to.
REQUIRED_CLASS = {"park": "Park", "pillar-industry": "Industry", "chain-leader-enterprise": "Enterprise",
                  "chain-chief": "Person", "innovation-platform": "InnovationPlatform", "world-brand-conference": "Conference"}
#: A property path: one IRI, or a sequence of IRIs.
Path = str | tuple[str, ...] | None


@dataclass(frozen=True, order=True)
class Expected:
    """One result validation must give."""

    shape: str
    focus: str
    component: str
    path: Path = None
    value: str | None = None
    severity: str = "violation"
    source: str = ""
    note: str = ""
    #: False for what the generator leaves out without planting a problem: a natural gap.
    planted: bool = True

    @property
    def key(self) -> tuple[str, str, str, Path]:
        return self.shape, self.focus, self.component, self.path

    def as_json(self) -> dict:
        entry: dict = {"shape": self.shape, "focus": self.focus, "component": self.component, "severity": self.severity}
        if self.path is not None:
            entry["path"] = list(self.path) if isinstance(self.path, tuple) else self.path
        if self.value is not None:
            entry["value"] = self.value
        entry["planted"] = self.planted
        entry["source"] = self.source
        entry["note"] = self.note
        return entry


@dataclass(frozen=True)
class Thing:
    """What a designated element names, as far as the shapes look at it."""

    iri: str
    classes: frozenset[str]
    located_in: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    chief_of: tuple[str, ...] = ()  # holdsPost/postIn/unitOf*/jurisdiction
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ElementSpec:
    iri: str
    requirement: str | None  # None: planted without pk:forRequirement
    thing: Thing | None  # None: planted without pk:element


@dataclass
class Manifest:
    """The expected results, with the severity of each shape taken from the shapes themselves."""

    shapes: Graph
    ontology: Graph
    entries: list[Expected] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.severity = {str(s): SEVERITY_NAMES[o] for s, o in self.shapes.subject_objects(SH.severity)  # type: ignore[index]
                         if isinstance(s, URIRef)}
        parents: dict[str, set[str]] = {}
        for child, parent in self.ontology.subject_objects(RDFS.subClassOf):
            parents.setdefault(str(child), set()).add(str(parent))
        self._parents = parents

    def add(self, shape: str, focus: str, component: str, *, path: Path = None, value: str | None = None,
            source: str = "", note: str = "", planted: bool = True) -> None:
        iri = SHAPES_NS + shape
        self.entries.append(Expected(iri, focus, str(SH[component]), _full(path), value, self.severity[iri], source, note,
                                     planted))

    def is_a(self, classes: Iterable[str], wanted: str) -> bool:
        """Whether an instance of ``classes`` (pk local names) is an instance of pk:``wanted``, by rdfs:subClassOf*."""
        target = str(PK[wanted])
        stack = [str(PK[c]) for c in classes]
        seen: set[str] = set()
        while stack:
            cls = stack.pop()
            if cls == target:
                return True
            if cls not in seen:
                seen.add(cls)
                stack.extend(self._parents.get(cls, ()))
        return False

    def designation(self, focus: str, city: str, within: dict[str, str], elements: Sequence[ElementSpec],
                    denied: Sequence[str], *, source: str, natural_gaps: Iterable[str] = ()) -> None:
        """The results of the requirement shapes and the cross-checks on one pilot city designation.
        ``within`` maps each place to the place it lies in (pk:withinPlace)."""

        def lies_in(place: str, other: str) -> bool:
            while place in within:
                place = within[place]
                if place == other:
                    return True
            return False

        def elsewhere(value: str) -> bool:
            return value != city and not lies_in(value, city)

        by_req = {r: [e for e in elements if e.requirement == r] for r in REQUIREMENTS}
        for req in REQUIREMENTS:
            found = by_req[req]
            if not found:
                natural = req in natural_gaps
                self.add(f"{req}-gap", focus, "QualifiedMinCountConstraintComponent", path=str(PK.hasElement), source=source,
                         note=f"{'a natural gap: ' if natural else ''}no element is given for the requirement {req}",
                         planted=not natural)
            if len(found) > 1:
                self.add(f"{req}-single", focus, "QualifiedMaxCountConstraintComponent", path=str(PK.hasElement),
                         source=source, note=f"{len(found)} elements are given for the requirement {req}")
            for element in found:
                if element.thing is not None and not self.is_a(element.thing.classes, REQUIRED_CLASS[req]):
                    self.add(f"{req}-class", focus, "SPARQLConstraintComponent", value=element.thing.iri, source=source,
                             note=f"the element {element.iri} is not a pk:{REQUIRED_CLASS[req]}")
        checks = (("park", "park-elsewhere", lambda t: t.located_in), ("chain-chief", "chief-other-government", lambda t: t.chief_of),
                  ("world-brand-conference", "conference-elsewhere", lambda t: t.hosts))
        for req, shape, values in checks:
            for element in by_req[req]:
                for value in sorted({v for v in values(element.thing) if elsewhere(v)} if element.thing else ()):
                    self.add(shape, focus, "SPARQLConstraintComponent", value=value, source=source,
                             note=f"the element {element.iri} contradicts the pilot city")
        seen: set[str] = set()
        for leading in by_req["chain-leader-enterprise"]:
            for pillar in by_req["pillar-industry"]:
                if leading.thing is None or pillar.thing is None or pillar.thing.iri in leading.thing.industries:
                    continue
                for value in leading.thing.industries:
                    if value not in seen:
                        seen.add(value)
                        self.add("enterprise-other-industry", focus, "SPARQLConstraintComponent", value=value, source=source,
                                 note="the chain-leader enterprise works in another industry than the pillar industry")
        for req in denied:
            self.add("requirement-denied", focus, "SPARQLConstraintComponent", value=str(ID[f"requirement/{req}"]),
                     source=source, note=f"a statement says the city lacks the requirement {req}")

    def covered(self) -> set[str]:
        return {e.shape for e in self.entries}

    def top_level_shapes(self) -> set[str]:
        return {str(s) for cls in (SH.NodeShape, SH.PropertyShape) for s in self.shapes.subjects(RDF.type, cls)
                if isinstance(s, URIRef)}

    def to_json(self, header: dict) -> str:
        shapes = self.top_level_shapes()
        covered = self.covered()
        body = {**header, "shapes": {"all": len(shapes), "covered": sorted(covered & shapes),
                                     "not_covered": sorted(shapes - covered)},
                "counts": _counts(self.entries), "expected": [e.as_json() for e in sorted(self.entries)]}
        return json.dumps(body, indent=1, sort_keys=False, ensure_ascii=False) + "\n"


def _full(path: Path) -> Path:
    """Expand ``pk:x`` style paths to full IRIs."""
    if path is None:
        return None
    if isinstance(path, tuple):
        return tuple(_expand(p) for p in path)
    return _expand(path)


PREFIXES = {"pk:": str(PK), "oa:": "http://www.w3.org/ns/oa#", "prov:": "http://www.w3.org/ns/prov#",
            "rdfs:": str(RDFS), "skos:": "http://www.w3.org/2004/02/skos/core#"}


def _expand(name: str) -> str:
    for prefix, ns in PREFIXES.items():
        if name.startswith(prefix):
            return ns + name[len(prefix):]
    return name


def _counts(entries: list[Expected]) -> dict:
    by_severity: dict[str, int] = {}
    for e in entries:
        by_severity[e.severity] = by_severity.get(e.severity, 0) + 1
    return {"results": len(entries), "planted": sum(e.planted for e in entries), **dict(sorted(by_severity.items()))}
