"""The facts one checked row states, kind by kind, with IRIs minted from stable keys (README, "IRI
policy"): entities by code or English name, so that every sheet and source speaks of the same
node; observations and proposals scoped by the document they are quoted from. The same row
always gives the same triples, so ingesting a file twice gives the same graph.

A builder returns the row's main node, its triples and the fact-bearing nodes that the row's
quote (or the analyst's assertion) is attached to; :mod:`pilotkg.ingest` adds the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SDO, XSD

from .context import Context, LookupProblem, fold
from .iri import mint, slug
from .namespaces import ID, PK
from .sheets import Number
from .templates import Kind

PROGRAMME = mint("programme", "manufacturing-pilot")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
#: What an element of each requirement is: the class, and the IRI kind of a new one.
ELEMENT_THINGS: dict[str, tuple[URIRef, str]] = {
    "park": (PK.Park, "park"), "pillar-industry": (PK.Industry, "industry"),
    "chain-leader-enterprise": (PK.Enterprise, "agent"), "chain-chief": (PK.Person, "agent"),
    "innovation-platform": (PK.InnovationPlatform, "platform"), "world-brand-conference": (PK.Conference, "conference"),
}
#: The column naming an element's thing, and its Chinese name, by requirement.
ELEMENT_COLUMNS: dict[str, tuple[str, str | None]] = {
    "park": ("park", "park_zh"), "pillar-industry": ("pillar_industry", None), "chain-leader-enterprise": ("enterprise", "enterprise_zh"),
    "chain-chief": ("person", "person_zh"), "innovation-platform": ("platform", "platform_zh"),
    "world-brand-conference": ("conference", "conference_zh"),
}
#: Entity kinds: the class, the IRI kind, and the columns of the English and Chinese names.
ENTITIES: dict[str, tuple[URIRef, str, str, str]] = {
    "enterprise": (PK.Enterprise, "agent", "enterprise_en", "enterprise_zh"),
    "park": (PK.Park, "park", "park_en", "park_zh"),
    "innovation-platform": (PK.InnovationPlatform, "platform", "platform_en", "platform_zh"),
    "conference": (PK.Conference, "conference", "conference_en", "conference_zh"),
}
WORKSHEET_FILL = ("element_label", "element_iri", "status", "source_role", "source_title", "source_url_or_file", "quote",
                  "notes", "speaker", "own_assertion")


@dataclass
class Facts:
    main: URIRef
    graph: Graph = field(default_factory=Graph)
    #: The fact-bearing nodes the row's evidence is attached to.
    quoted: list[URIRef] = field(default_factory=list)


def key_of(node: URIRef) -> str:
    """The last segment of an instance IRI: a code or a normalised name."""
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def ordinal(n: int) -> str:
    return ORDINALS[n - 1] if 0 < n <= len(ORDINALS) else f"batch {n}"


class Builder:
    """Builds the facts of rows, adding to the context what each row makes known."""

    def __init__(self, context: Context) -> None:
        self.ctx = context

    # --- helpers ---------------------------------------------------------------------------

    def label(self, g: Graph, node: URIRef, text: str | None, lang: str) -> None:
        """Give ``node`` a label in ``lang`` unless the graph already has one (one per language)."""
        if not text:
            return
        if any(isinstance(v, Literal) and v.language == lang for v in self.ctx.graph.objects(node, RDFS.label)):
            return
        g.add((node, RDFS.label, Literal(text, lang=lang)))

    def entity(self, g: Graph, facts: Facts, kind: str, cls: URIRef, name: str, name_zh: str | None = None) -> URIRef:
        """The IRI of a thing named in English: known (any class of the same IRI), or new."""
        node = mint(kind, name)
        if not self.ctx.known(node):
            g.add((node, RDF.type, cls))
        self.label(g, node, name, "en")
        self.label(g, node, name_zh, "zh")
        facts.quoted.append(node)
        return node

    def agent(self, g: Graph, facts: Facts, text: str, cls: URIRef) -> URIRef:
        known = self.ctx.find(text, "agent")
        if known is not None:
            return known
        return self.entity(g, facts, "agent", cls, text)

    def place_code(self, place: URIRef) -> str:
        code = self.ctx.graph.value(place, PK.adminCode)
        if code is None:
            raise LookupProblem(f"{self.ctx.label(place)} has no GB/T 2260 code; a pilot is a city (prefecture) of the "
                                "reference identifiers", "name a city of data/reference/places.csv")
        return str(code)

    def batch(self, g: Graph, facts: Facts, n: int, list_key: str, list_label: str) -> tuple[URIRef, URIRef]:
        """The batch and its list, stated by the row's quote when the graph does not have them yet."""
        if not self.ctx.known(PROGRAMME):
            raise LookupProblem(f"the programme <{PROGRAMME}> is not in the graph", "add the source that describes it first")
        batch = mint("batch", f"manufacturing-pilot-{n}")
        plist = mint("list", f"manufacturing-pilot-{n}-{list_key}")
        if not self.ctx.known(batch):
            g.add((batch, RDF.type, PK.Batch))
            g.add((batch, RDFS.label, Literal(f"{ordinal(n)} batch", lang="en")))
            g.add((batch, PK.batchNumber, Literal(str(n), datatype=XSD.positiveInteger)))
            g.add((batch, PK.programme, PROGRAMME))
            g.add((PROGRAMME, PK.hasBatch, batch))
            facts.quoted.append(batch)
        if not self.ctx.known(plist):
            g.add((plist, RDF.type, PK.PilotList))
            g.add((plist, RDFS.label, Literal(f"{list_label}, {ordinal(n)} batch", lang="en")))
            g.add((plist, PK.programme, PROGRAMME))
            g.add((batch, PK.hasList, plist))
            facts.quoted.append(plist)
        return batch, plist

    def same_named(self, name: str, cls: URIRef, link: tuple[URIRef, URIRef], *, inverse: bool = False) -> URIRef | None:
        """The one node of ``cls`` of the graph with this English name and this link (a proposal of
        the same proposer, a component of the same proposal): a row restating it speaks of it."""
        prop, other = link
        found = [n for n in self.ctx.labels.get(fold(name), set()) if self.ctx.is_instance(n, cls)
                 and ((other, prop, n) if inverse else (n, prop, other)) in self.ctx.graph]
        return found[0] if len(found) == 1 else None

    # --- the kinds ---------------------------------------------------------------------------

    def build(self, kind: Kind, v: dict[str, Any], scope: str) -> Facts:
        if kind.requirement:
            return self.element(kind.requirement, v)
        if kind.name in ENTITIES:
            return self.entity_row(kind.name, v)
        method = getattr(self, kind.name.replace("-", "_"))
        return cast(Facts, method(v, scope))

    def city_pilot(self, v: dict[str, Any], scope: str) -> Facts:
        place, n = v["pilot_city"], v["batch"]
        des = mint("designation", f"city-{n}-{self.place_code(place)}")
        facts = Facts(des)
        g = facts.graph
        batch, plist = self.batch(g, facts, n, "cities", "pilot competitive manufacturing cities")
        g.add((des, RDF.type, PK.PilotCityDesignation))
        self.label(g, des, f"{self.ctx.label(place)}, pilot competitive manufacturing city ({ordinal(n)} batch)", "en")
        for p, o in ((PK.designatedPlace, place), (PK.inBatch, batch), (PK.onList, plist), (PK.programme, PROGRAMME)):
            g.add((des, p, o))
        facts.quoted.insert(0, des)
        return facts

    def industry_pilot(self, v: dict[str, Any], scope: str) -> Facts:
        place, industry, n = v["city"], v["pilot_industry"], v["batch"]
        des = mint("designation", f"industry-{n}-{self.place_code(place)}-{key_of(industry)}")
        facts = Facts(des)
        g = facts.graph
        batch, plist = self.batch(g, facts, n, "industries", "pilot special advantageous industries")
        g.add((des, RDF.type, PK.PilotIndustryDesignation))
        self.label(g, des, f"{self.ctx.label(industry)} industry of {self.ctx.label(place)}, pilot special advantageous "
                   f"industry ({ordinal(n)} batch)", "en")
        for p, o in ((PK.designatedPlace, place), (PK.designatedIndustry, industry), (PK.inBatch, batch), (PK.onList, plist),
                     (PK.programme, PROGRAMME)):
            g.add((des, p, o))
        facts.quoted.insert(0, des)
        return facts

    def designation_of(self, place: URIRef, n: int) -> URIRef:
        des = mint("designation", f"city-{n}-{self.place_code(place)}")
        if not self.ctx.is_instance(des, PK.PilotCityDesignation):
            raise LookupProblem(f"unknown designation: {self.ctx.label(place)} is not a pilot competitive manufacturing city "
                                f"of batch {n} in the graph", "add a city-pilot row for it (before this row), or correct "
                                                              "the city or the batch")
        return des

    def element(self, requirement: str, v: dict[str, Any], des: URIRef | None = None) -> Facts:
        des = des or self.designation_of(v["city"], v["batch"])
        req = mint("requirement", requirement)
        node = mint("element", f"{key_of(des)}-{requirement}")
        facts = Facts(node)
        g = facts.graph
        column, zh = ELEMENT_COLUMNS[requirement]
        cls, iri_kind = ELEMENT_THINGS[requirement]
        value = v[column]
        if isinstance(value, URIRef):
            thing = value
            facts.quoted.append(thing)
        else:
            thing = self.entity(g, facts, iri_kind, cls, value, v.get(zh) if zh else None)
        if requirement == "innovation-platform" and v.get("built_by"):
            g.add((thing, PK.builtBy, self.agent(g, facts, v["built_by"], PK.Organization)))
        if requirement == "world-brand-conference":
            self.conference_facts(g, thing, value if isinstance(value, str) else "", v.get("host_place"))
        g.add((des, PK.hasElement, node))
        g.add((node, RDF.type, PK.DesignatedElement))
        g.add((node, PK.forRequirement, req))
        g.add((node, PK.element, thing))
        g.add((node, PK.elementStatus, v["status"]))
        for col, prop in (("source_role", PK.sourceRole), ("source_verb", PK.sourceVerb)):
            if v.get(col):
                g.add((node, prop, Literal(v[col], lang="en")))
        facts.quoted.insert(0, node)
        return facts

    def conference_facts(self, g: Graph, node: URIRef, name: str, host: URIRef | None, year: str | None = None) -> None:
        year = year or (m.group(1) if (m := re.match(r"^((?:19|20)\d\d)\b", name)) else None)
        if year and self.ctx.graph.value(node, PK.nameYear) is None:
            g.add((node, PK.nameYear, Literal(year, datatype=XSD.gYear)))
        if host is not None:
            g.add((node, PK.hostPlace, host))

    def entity_row(self, name: str, v: dict[str, Any]) -> Facts:
        cls, iri_kind, en, zh = ENTITIES[name]
        facts = Facts(mint(iri_kind, v[en]))
        g = facts.graph
        node = self.entity(g, facts, iri_kind, cls, v[en], v.get(zh))
        if v.get("place") is not None:
            g.add((node, PK.locatedIn, v["place"]))
        if v.get("industry") is not None:
            g.add((node, PK.industry, v["industry"]))
        if v.get("level"):
            g.add((node, PK.platformLevel, Literal(v["level"], lang="en")))
        if v.get("built_by"):
            g.add((node, PK.builtBy, self.agent(g, facts, v["built_by"], PK.Organization)))
        if name == "conference":
            self.conference_facts(g, node, v[en], v.get("host_place"), v.get("name_year"))
        return facts

    def chain_chief_post(self, v: dict[str, Any], scope: str) -> Facts:
        facts = Facts(mint("post", v["post_en"]))
        g = facts.graph
        post = self.entity(g, facts, "post", PK.ChainChiefPost, v["post_en"])
        industry = v["industry"]
        chain = mint("chain", key_of(industry))
        if not self.ctx.known(chain):
            g.add((chain, RDF.type, PK.IndustryChain))
            g.add((chain, RDFS.label, Literal(f"industry chain of {self.ctx.label(industry)}", lang="en")))
            g.add((chain, PK.chainOf, industry))
            facts.quoted.append(chain)
        g.add((post, PK.chainOfPost, chain))
        if v.get("government"):
            g.add((post, PK.postIn, self.agent(g, facts, v["government"], PK.GovernmentBody)))
        if v.get("holder"):
            holder = self.entity(g, facts, "agent", PK.Person, v["holder"], v.get("holder_zh"))
            g.add((holder, PK.holdsPost, post))
        return facts

    def collaboration_proposal(self, v: dict[str, Any], scope: str) -> Facts:
        proposer = v["proposer"]
        node = self.same_named(v["proposal"], PK.CollaborationProposal, (PK.proposer, proposer)) or mint(
            "proposal", scope, f"{key_of(proposer)}-{slug(v['proposal'])}")
        facts = Facts(node, quoted=[node])
        g = facts.graph
        g.add((node, RDF.type, PK.CollaborationProposal))
        self.label(g, node, v["proposal"], "en")
        g.add((node, PK.proposer, proposer))
        if v.get("source_verb"):
            g.add((node, PK.sourceVerb, Literal(v["source_verb"], lang="en")))
        return facts

    def proposal_component(self, v: dict[str, Any], scope: str) -> Facts:
        try:
            proposal = self.ctx.resolve(v["proposal"], "proposal")
        except LookupProblem as exc:
            exc.column = "proposal"
            raise
        node = self.same_named(v["component"], PK.ProposalComponent, (PK.hasComponent, proposal), inverse=True) or URIRef(
            f"{proposal}-{slug(v['component'])}")
        facts = Facts(node, quoted=[node])
        g = facts.graph
        g.add((proposal, PK.hasComponent, node))
        g.add((node, RDF.type, PK.ProposalComponent))
        self.label(g, node, v["component"], "en")
        g.add((node, PK.mode, v["mode"]))
        for place in v.get("places") or []:
            g.add((node, PK.involvesPlace, place))
        if v.get("industry") is not None:
            g.add((node, PK.aboutIndustry, v["industry"]))
        for col, prop in (("theme", PK.theme), ("scope", PK.scope)):
            if v.get(col):
                g.add((node, prop, Literal(v[col], lang="en")))
        return facts

    def observation(self, v: dict[str, Any], scope: str) -> Facts:
        number: Number = v["value"]
        parts = [key_of(v["subject"]), slug(self.ctx.label(v["measure"]))]
        if v.get("of_measure") is not None:
            parts.append("of-" + slug(self.ctx.label(v["of_measure"])))
        if v.get("year"):
            parts.append(v["year"])
        if v["status"] != PK.Actual:
            parts.append(slug(self.ctx.label(v["status"])))
        node = mint("observation", scope, "-".join(parts))
        facts = Facts(node, quoted=[node])
        g = facts.graph
        g.add((node, RDF.type, PK.Observation))
        for p, o in ((PK.subject, v["subject"]), (PK.measure, v["measure"]), (PK.unit, v["unit"]),
                     (PK.qualifier, v["qualifier"]), (PK.observationStatus, v["status"])):
            g.add((node, p, o))
        g.add((node, PK.value, Literal(number.value, datatype=XSD.decimal)))
        g.add((node, PK.lexicalForm, Literal(v["lexical_form"])))
        g.add((node, PK.unitMultiplier, Literal(v["multiplier"])))
        if v.get("year"):
            g.add((node, PK.refYear, Literal(v["year"], datatype=XSD.gYear)))
        if v.get("period"):
            g.add((node, PK.periodDescription, Literal(v["period"], lang="en")))
        if v.get("relative_to") is not None:
            g.add((node, PK.relativeTo, v["relative_to"]))
        if v.get("of_measure") is not None:
            g.add((node, PK.ofMeasure, v["of_measure"]))
        return facts

    def source_document(self, v: dict[str, Any], scope: str) -> Facts:
        key = v.get("document") or slug(v["document_title"])
        node = mint("source", key)
        if any(s.document == node for s in self.ctx.sources.values()):
            raise LookupProblem(f"<{node}> is a registered source (data/sources/{key}); its metadata is in its source.ttl",
                                "give this document another key, or cite the registered source directly")
        facts = Facts(node)
        g = facts.graph
        g.add((node, RDF.type, PK.SourceDocument))
        g.add((node, DCTERMS.title, Literal(v["document_title"])))
        if v.get("publisher"):
            g.add((node, DCTERMS.publisher, self.agent(g, facts, v["publisher"], PK.Organization)))
        if v.get("language"):
            g.add((node, DCTERMS.language, Literal(v["language"])))
        if v.get("url"):
            g.add((node, SDO.url, Literal(v["url"], datatype=XSD.anyURI)))
        return facts

    def gap_worksheet(self, v: dict[str, Any], scope: str) -> Facts:
        des, req = v["designation"], v["requirement"]
        if not self.ctx.is_instance(des, PK.PilotCityDesignation):
            raise LookupProblem(f"<{des}> is not a pilot city designation of the graph", "keep the worksheet's designation cell")
        requirement = key_of(req)
        if requirement not in ELEMENT_THINGS or not self.ctx.is_instance(req, PK.Requirement):
            raise LookupProblem(f"<{req}> is not one of the six requirements", "keep the worksheet's requirement cell")
        for element in self.ctx.graph.objects(des, PK.hasElement):
            if (element, PK.forRequirement, req) in self.ctx.graph:
                raise LookupProblem(f"the graph already has an element for this requirement (<{element}>): the gap is closed",
                                    "leave the row's fill-in cells empty, or write a new worksheet (pilotkg validate --worksheet)")
        cls, iri_kind = ELEMENT_THINGS[requirement]
        if v.get("element_iri") is not None:
            thing = v["element_iri"]
            if not self.ctx.is_instance(thing, cls):
                raise LookupProblem(f"<{thing}> is not a {self.ctx.label(cls)} of the graph", "give the IRI of one, or its label")
        elif cls == PK.Industry:
            thing = self.ctx.resolve(v["element_label"], "industry")
        else:
            thing = v["element_label"]
        column = ELEMENT_COLUMNS[requirement][0]
        values = {column: thing, "status": v["status"], "source_role": v.get("source_role")}
        return self.element(requirement, values, des)


def iri_key(node: URIRef) -> str:
    """A row's key, from its main node: the IRI's path after the instance namespace."""
    return str(node)[len(str(ID)):].replace("/", "-")
