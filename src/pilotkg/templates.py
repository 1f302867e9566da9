"""The kinds of fact analysts enter from spreadsheets, declared once: each kind's columns with
their meaning, type, allowed values, whether they are required, and an example. This one table
drives the templates (``pilotkg template KIND``), the checking of every row (``pilotkg.ingest``)
and the documentation (``pilotkg templates --format md``).

Allowed values of the vocabulary columns come from the ontology (the labels of the members of
its concept schemes) and from the integrity shapes (the units and multipliers a figure may have),
so a new qualifier or measure in ``ontology/`` is at once accepted and documented.

>>> kind_for_header(["pilot_city", "batch", "quote", "source_url_or_file"]).name
'city-pilot'
>>> sorted(KINDS)[:3]
['chain-chief-post', 'city-pilot', 'collaboration-proposal']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from .namespaces import PK, UNIT
from .report import WORKSHEET_COLUMNS

ARTICLE = "sichuan-first-pilot-lists"
#: Column types: what a cell must hold.
TYPES: dict[str, str] = {
    "text": "text (Chinese, English or both)",
    "name": "an English name (it also makes the IRI: pilotkg.iri.slug)",
    "name-zh": "a Chinese name",
    "integer": "a whole number from 1 (full-width digits are read)",
    "year": "a year, four digits",
    "number": "a number as written: full-width digits and separators (１,５４２.８２), a magnitude (万, 亿, 万亿, "
              "thousand, million, billion, trillion) and a unit (元, yuan, %) are read",
    "place": "a place of the graph: English or Chinese name (Chengdu, 成都市), GB/T 2260 code (510100) or IRI",
    "places": "places of the graph, separated by ';'",
    "industry": "an industry of the graph: English or Chinese name (new display, 新型显示) or IRI",
    "entity": "a resource of the graph: a place, a designation, a set of clusters ..., by label or IRI",
    "agent": "an organisation or person: a label of the graph (or its IRI), else a new one by that name",
    "choice": "one of the allowed values (any case)",
    "boolean": "yes or no (true/false, 1/0, 是/否)",
    "iri": "an IRI of the graph",
    "key": "a short key: lower-case letters, digits and hyphens",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str
    required: bool = False
    example: str = ""
    #: For choice columns: the name of a vocabulary (see :func:`vocabularies`).
    vocabulary: str | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    #: The class of the row's main node.
    cls: URIRef | None = None
    #: Rows need a source and a quote (or are marked as the analyst's own assertion).
    evidence: bool = True
    #: The requirement an element kind is for (its key), else None.
    requirement: str | None = None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> set[str]:
        return {c.name for c in self.columns if c.required}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def example_row(self) -> list[str]:
        return [c.example for c in self.columns]


def _c(name: str, type_: str, meaning: str, *, required: bool = False, example: str = "", vocabulary: str | None = None) -> Column:
    return Column(name, type_, meaning, required, example, vocabulary)


def _evidence(quote: str, source: str = ARTICLE, title: str = "") -> tuple[Column, ...]:
    return (
        _c("source_title", "text", "The title of the source document. Its text registered in data/sources/ makes the quote "
           "checked verbatim; otherwise the quote is kept and marked unverified.", example=title),
        _c("source_url_or_file", "text", "Where the document is: the folder name of a registered source (data/sources/NAME), "
           "its URL or its file name.", example=source),
        _c("quote", "text", "The source's words that state the row's fact, verbatim, at most one sentence.", example=quote),
        _c("speaker", "agent", "Who says the quoted words, when not the document's author (a label of the graph or a name)."),
        _c("own_assertion", "boolean", "yes when the row is the analyst's own assertion without a source: kept apart in its "
           "own named graph, never evidence for a requirement.", example="no"),
        _c("notes", "text", "The analyst's notes, kept as an editorial note (may run over several lines)."),
    )


def _element(requirement: str, title: str, thing: tuple[Column, ...], example: dict[str, str], quote: str) -> Kind:
    columns = (
        _c("city", "place", "The pilot competitive manufacturing city.", required=True, example=example.get("city", "Chengdu")),
        _c("batch", "integer", "The batch of the city's designation.", required=True, example="1"),
        *thing,
        _c("status", "choice", "Whether the element exists, is planned or is committed to, as the source's verb tells.",
           required=True, example=example["status"], vocabulary="element-status"),
        _c("source_role", "text", "The source's own word for the role, where it differs from the requirement's.",
           example=example.get("source_role", "")),
        _c("source_verb", "text", "The source's verb ('has selected', 'will hold').", example=example.get("source_verb", "")),
        *_evidence(quote, example.get("source", ARTICLE), example.get("title", "")),
    )
    return Kind(f"element-{requirement}", f"Element for requirement: {title}",
                f"What a pilot city designates for the requirement '{title}'. Needs the city's designation "
                "(in the graph, or a city-pilot row).", columns, PK.DesignatedElement, requirement=requirement)


_PARK_Q = "relies on Chengdu Electronic Information Industry Functional Area as the core carrier park"
_INDUSTRY_Q = "Chengdu has selected the new display industry as the flagship industry"
_BOE_Q = "has determined Chengdu BOE Optoelectronics Technology Co., Ltd. as the leading enterprise in the industry chain"
_PLATFORM_Q = "facilitates BOE-UESTC Joint Innovation Institute to build a national innovation platform"
_CONF_Q = "will hold the 2022 World Conference on Display Industry"
_EXAMPLE_DOC = "Example: a city's pilot plan (an illustration, not a source)"
_CHIEF_Q = "The mayor serves as the chain chief of the new display industry chain. (illustration)"

_WORKSHEET_TYPES = {"designation": "iri", "requirement": "iri", "element_iri": "iri", "status": "choice", "speaker": "agent",
                    "own_assertion": "boolean"}

_KINDS: tuple[Kind, ...] = (
    Kind("city-pilot", "Pilot competitive manufacturing city", "The designation of a city as a pilot competitive "
         "manufacturing city in a batch; the six requirements apply to it.", (
             _c("pilot_city", "place", "The city designated.", required=True, example="Chengdu"),
             _c("batch", "integer", "The batch of the designation (1 is the first).", required=True, example="1"),
             *_evidence("Recently, Chengdu, Deyang, Mianyang and Yibin were listed among the first pilot competitive "
                        "manufacturing cities of Sichuan.")), PK.PilotCityDesignation),
    Kind("industry-pilot", "Pilot special advantageous industry", "The designation of an industry of a city as a pilot "
         "special advantageous industry in a batch.", (
             _c("city", "place", "The city whose industry is designated.", required=True, example="Leshan"),
             _c("pilot_industry", "industry", "The industry designated.", required=True, example="crystalline silicon PV"),
             _c("batch", "integer", "The batch of the designation.", required=True, example="1"),
             *_evidence("Besides, the province's newly listed pilot special advantageous industries included the vanadium & "
                        "titanium industry of Panzhihua, crystalline silicon PV industry of Leshan, lithium battery industry "
                        "of Suining, and medical device industry of Ziyang.")), PK.PilotIndustryDesignation),
    _element("park", "one park for high-quality development of the manufacturing sector", (
        _c("park", "name", "The park's English name.", required=True, example="Chengdu Electronic Information Industry Functional Area"),
        _c("park_zh", "name-zh", "The park's Chinese name, where a source gives it.")),
        {"status": "existing", "source_role": "core carrier park", "source_verb": "relies on"}, _PARK_Q),
    _element("pillar-industry", "one pillar industry", (
        _c("pillar_industry", "industry", "The industry.", required=True, example="new display"),),
        {"status": "existing", "source_role": "flagship industry", "source_verb": "has selected"}, _INDUSTRY_Q),
    _element("chain-leader-enterprise", "one leading enterprise in the industry chain", (
        _c("enterprise", "name", "The enterprise's English name.", required=True,
           example="Chengdu BOE Optoelectronics Technology Co., Ltd."),
        _c("enterprise_zh", "name-zh", "The enterprise's Chinese name, where a source gives it.")),
        {"status": "existing", "source_role": "leading enterprise in the industry chain", "source_verb": "has determined"}, _BOE_Q),
    _element("chain-chief", "one leading municipal official serving as the head of the industry chain", (
        _c("person", "name", "The official's name as the source gives it (or the post, for an unnamed official).",
           required=True, example="the mayor (illustration)"),
        _c("person_zh", "name-zh", "The official's Chinese name, where a source gives it.")),
        {"status": "existing", "source_role": "chain chief", "source": "", "title": _EXAMPLE_DOC}, _CHIEF_Q),
    _element("innovation-platform", "one innovation platform", (
        _c("platform", "name", "The platform's English name (or its description, for an unnamed one).", required=True,
           example="national innovation platform"),
        _c("platform_zh", "name-zh", "The platform's Chinese name, where a source gives it."),
        _c("built_by", "agent", "The organisation that builds it.", example="BOE-UESTC Joint Innovation Institute")),
        {"status": "planned", "source_role": "national innovation platform",
         "source_verb": "facilitates BOE-UESTC Joint Innovation Institute to build"}, _PLATFORM_Q),
    _element("world-brand-conference", "hosting one world brand conference", (
        _c("conference", "name", "The conference's English name, with the year it carries.", required=True,
           example="2022 World Conference on Display Industry"),
        _c("conference_zh", "name-zh", "The conference's Chinese name, where a source gives it."),
        _c("host_place", "place", "The place that hosts it, where the source says so.", example="Chengdu")),
        {"status": "committed", "source_verb": "will hold"}, _CONF_Q),
    Kind("enterprise", "Enterprise", "A company a source names, with its place and industry where the source says so.", (
        _c("enterprise_en", "name", "The English name.", required=True, example="Chengdu BOE Optoelectronics Technology Co., Ltd."),
        _c("enterprise_zh", "name-zh", "The Chinese name."),
        _c("place", "place", "Where it lies, where the source says so."),
        _c("industry", "industry", "Its industry, where the source says so."),
        *_evidence(_BOE_Q)), PK.Enterprise),
    Kind("park", "Park", "An industrial park or functional area a source names.", (
        _c("park_en", "name", "The English name.", required=True, example="Chengdu Electronic Information Industry Functional Area"),
        _c("park_zh", "name-zh", "The Chinese name."),
        _c("place", "place", "Where it lies, where the source says so."),
        _c("industry", "industry", "The industry it carries, where the source says so."),
        *_evidence(_PARK_Q)), PK.Park),
    Kind("innovation-platform", "Innovation platform", "A platform for research and innovation, existing or to be built.", (
        _c("platform_en", "name", "The English name (or its description, for an unnamed one).", required=True,
           example="national innovation platform"),
        _c("platform_zh", "name-zh", "The Chinese name."),
        _c("level", "text", "Its level in the source's words.", example="national"),
        _c("built_by", "agent", "The organisation that builds it.", example="BOE-UESTC Joint Innovation Institute"),
        _c("place", "place", "Where it lies, where the source says so."),
        _c("industry", "industry", "Its industry, where the source says so."),
        *_evidence(_PLATFORM_Q)), PK.InnovationPlatform),
    Kind("conference", "Conference", "A conference a place hosts or will host, named with a year.", (
        _c("conference_en", "name", "The English name, with the year it carries.", required=True,
           example="2022 World Conference on Display Industry"),
        _c("conference_zh", "name-zh", "The Chinese name."),
        _c("name_year", "year", "The year the name carries.", example="2022"),
        _c("host_place", "place", "The place that hosts it, where the source says so.", example="Chengdu"),
        _c("industry", "industry", "The industry it is about, where the source says so."),
        *_evidence(_CONF_Q)), PK.Conference),
    Kind("chain-chief-post", "Industry chain chief post", "The post of a leading official serving as the head of an "
         "industry chain, and who holds it where the source says so.", (
             _c("post_en", "name", "The post's English name.", required=True, example="chain chief of the new display industry "
                "chain of Chengdu (illustration)"),
             _c("industry", "industry", "The industry whose chain the post heads.", required=True, example="new display"),
             _c("government", "agent", "The government body in which the post exists."),
             _c("holder", "name", "The person who holds it (or the post they hold, for an unnamed official).",
                example="the mayor (illustration)"),
             _c("holder_zh", "name-zh", "The holder's Chinese name."),
             *_evidence(_CHIEF_Q, "", _EXAMPLE_DOC)), PK.ChainChiefPost),
    Kind("collaboration-proposal", "Collaboration proposal", "A proposal by a place to cooperate, as a source reports it; "
         "its components are rows of proposal-component.", (
             _c("proposal", "name", "A short English name of the proposal; components name it.", required=True,
                example="Chengdu's proposal: a new display manufacturing hub"),
             _c("proposer", "place", "The place that proposes.", required=True, example="Chengdu"),
             _c("source_verb", "text", "The source's verb.", example="proposed"),
             *_evidence("Chengdu proposed to jointly build a new display manufacturing hub by relying on the projects in "
                        "Chengdu, Chongqing, Mianyang and Meishan.")), PK.CollaborationProposal),
    Kind("proposal-component", "Component of a collaboration proposal", "One thing a proposal proposes: its mode, the "
         "places involved, its industry or theme, its scope.", (
             _c("component", "name", "A short English name of the component.", required=True,
                example="jointly build a new display manufacturing hub"),
             _c("proposal", "name", "The proposal's name (a collaboration-proposal row, here or in the graph).", required=True,
                example="Chengdu's proposal: a new display manufacturing hub"),
             _c("mode", "choice", "The mode of cooperation.", required=True, example="joint manufacturing hub", vocabulary="mode"),
             _c("places", "places", "The places the source names as taking part.", example="Chengdu; Chongqing; Mianyang; Meishan"),
             _c("industry", "industry", "The industry it is about.", example="new display"),
             _c("theme", "text", "The source's words for what it is about.", example="new display manufacturing hub"),
             _c("scope", "text", "The source's words for its reach, when it names no places ('across the province')."),
             *_evidence("Chengdu proposed to jointly build a new display manufacturing hub by relying on the projects in "
                        "Chengdu, Chongqing, Mianyang and Meishan.")), PK.ProposalComponent),
    Kind("observation", "Indicator observation", "One figure a source states: a value of a measure for a subject, with unit, "
         "multiplier, qualifier, status and period.", (
             _c("subject", "entity", "What the figure is about.", required=True, example="Sichuan"),
             _c("measure", "choice", "What it measures.", required=True, example="value-added industrial output", vocabulary="measure"),
             _c("value", "number", "The figure as the source writes it; a magnitude word sets the multiplier, a unit word the unit.",
                required=True, example="1,542.82 billion"),
             _c("lexical_form", "text", "The source's words for the figure, when they differ from the value cell "
                "('nearly two trillion'); by default the value cell as written."),
             _c("unit", "choice", "The unit (required unless the value cell says it).", example="yuan", vocabulary="unit"),
             _c("multiplier", "choice", "The power of ten (required unless the value cell says it; empty is 0).",
                vocabulary="multiplier"),
             _c("qualifier", "choice", "How the stated value bounds the true one.", required=True, example="exactly",
                vocabulary="qualifier"),
             _c("status", "choice", "Actual, expected or a target.", required=True, example="actual", vocabulary="observation-status"),
             _c("year", "year", "The year the figure is for, or the year by which a target is to be met.", example="2021"),
             _c("period", "text", "The source's words for the period ('by 2025', 'for 33 consecutive years')."),
             _c("relative_to", "place", "For a share or rank: the whole it is taken of or ranked in."),
             _c("of_measure", "choice", "For a share or rank: the measure whose share or rank it is.", vocabulary="measure"),
             *_evidence("In 2021, the province's regional GDP in the industrial sector topped 1.5 trillion yuan, and total "
                        "value-added industrial output reached 1,542.82 billion yuan, accounting for 4.1% of China's total and "
                        "ranking 8th in the country.")), PK.Observation),
    Kind("source-document", "Source document", "A document facts are quoted from, whose text is not registered in "
         "data/sources/ (its quotes stay unverified). Other rows cite it by its key, title or URL.", (
             _c("document", "key", "A short key for the document (default: from the title)."),
             _c("document_title", "text", "The document's title.", required=True, example=_EXAMPLE_DOC),
             _c("publisher", "agent", "Who publishes it."),
             _c("language", "choice", "The language of its text.", example="zh", vocabulary="language"),
             _c("url", "text", "Where it is published."),
             _c("notes", "text", "The analyst's notes.")), PK.SourceDocument, evidence=False),
    Kind("gap-worksheet", "The gap worksheet", "The worksheet `pilotkg validate --worksheet` writes, one row per missing "
         "element of a pilot city; filled in, it ingests as it is (rows left empty are skipped).",
         tuple(_c(name, _WORKSHEET_TYPES.get(name, "text"), meaning, required=name in ("gap_id", "designation", "requirement"),
                  vocabulary="element-status" if name == "status" else None)
               for name, meaning in (
                   ("gap_id", "The gap (designation--requirement); do not change."),
                   ("designation", "The designation's IRI; do not change."), ("city", "The city (for reading)."),
                   ("requirement", "The requirement's IRI; do not change."),
                   ("requirement_label", "The requirement (for reading)."),
                   ("property_to_fill", "What the row adds (for reading)."),
                   ("element_class", "The class the element must be of (for reading)."),
                   ("element_label", "The element's English name (an industry must be one of the graph)."),
                   ("element_iri", "Or the element's IRI, when it is in the graph already."),
                   ("status", "existing, planned or committed."),
                   ("source_role", "The source's own word for the role."),
                   ("source_title", "The title of the source document."),
                   ("source_url_or_file", "A registered source's folder name, or the document's URL or file name."),
                   ("quote", "The source's words, verbatim, at most one sentence."),
                   ("notes", "The analyst's notes."),
                   ("speaker", "Who says the quoted words (optional column)."),
                   ("own_assertion", "yes for the analyst's own assertion (optional column): never evidence."))),
         PK.DesignatedElement),
)
KINDS: dict[str, Kind] = {k.name: k for k in _KINDS}
assert KINDS["gap-worksheet"].names[:len(WORKSHEET_COLUMNS)] == WORKSHEET_COLUMNS

#: The unit names a sheet may use, by the QUDT unit; the integrity shape's sh:in must list exactly these units.
UNIT_NAMES: dict[URIRef, tuple[str, ...]] = {
    UNIT.CCY_CNY: ("yuan", "元", "CNY", "RMB", "人民币"), UNIT.PERCENT: ("percent", "%"),
    UNIT.UNITLESS: ("rank", "unitless"), UNIT.NUM: ("count", "number", "个"), UNIT.YR: ("years", "year", "年"),
}
MULTIPLIER_WORDS: dict[int, tuple[str, ...]] = {0: ("none",), 4: ("万", "wan"), 8: ("亿", "yi"), 9: ("billion",),
                                                12: ("trillion", "万亿")}
SCHEMES = {"element-status": PK.ElementStatusScheme, "qualifier": PK.QualifierScheme,
           "observation-status": PK.ObservationStatusScheme, "mode": PK.CooperationModeScheme, "measure": PK.MeasureScheme}


@dataclass
class Vocabulary:
    """The allowed values of a choice column: each accepted word (case-folded) and its value."""

    name: str
    values: dict[str, object] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)

    def get(self, text: str) -> object | None:
        return self.values.get(text.strip().casefold())


@cache
def vocabularies() -> dict[str, Vocabulary]:
    """The vocabularies of the choice columns, from the ontology and the integrity shapes."""
    from .build import load_ontology
    from .validate import load_shapes

    return build_vocabularies(load_ontology(), load_shapes())


def build_vocabularies(ontology: Graph, shapes: Graph) -> dict[str, Vocabulary]:
    found: dict[str, Vocabulary] = {}
    for name, scheme in SCHEMES.items():
        vocab = Vocabulary(name)
        members = {str(ontology.value(m, RDFS.label) or ""): m for m in ontology.subjects(SKOS.inScheme, scheme)}
        for label in sorted(members, key=str.casefold):
            if label:
                vocab.values[label.casefold()] = members[label]
                vocab.shown.append(label)
        found[name] = vocab
    units = set(_shape_in(shapes, PK.unit))
    if units != set(UNIT_NAMES):
        raise AssertionError(f"the integrity shape allows units {sorted(units)}, the templates know {sorted(UNIT_NAMES)}")
    found["unit"] = Vocabulary("unit", {w.casefold(): u for u, words in UNIT_NAMES.items() for w in words},
                               [words[0] for words in UNIT_NAMES.values()])
    multipliers = sorted(int(m) for m in _shape_in(shapes, PK.unitMultiplier))
    values: dict[str, object] = {str(m): m for m in multipliers}
    values |= {w.casefold(): m for m, ws in MULTIPLIER_WORDS.items() if m in multipliers for w in ws}
    found["multiplier"] = Vocabulary("multiplier", values, [f"{m} ({MULTIPLIER_WORDS.get(m, ('',))[0]})" for m in multipliers])
    found["language"] = Vocabulary("language", {"en": "en", "english": "en", "zh": "zh", "chinese": "zh", "中文": "zh"},
                                   ["en", "zh"])
    return found


def _shape_in(shapes: Graph, path: URIRef) -> list:
    for shape in shapes.subjects(SH.path, path):
        head = shapes.value(shape, SH["in"])
        if head is not None:
            items = []
            while head is not None and head != RDF.nil:
                value = shapes.value(head, RDF.first)
                items.append(value.toPython() if isinstance(value, Literal) else value)
                head = shapes.value(head, RDF.rest)
            return items
    raise AssertionError(f"no integrity shape lists the allowed values of {path}")


def allowed(column: Column) -> list[str]:
    if column.vocabulary:
        return vocabularies()[column.vocabulary].shown
    if column.type == "boolean":
        return ["yes", "no"]
    return []


def normalise_header(text: str) -> str:
    return "_".join(text.strip().strip("\ufeff").casefold().replace("-", " ").split())


def candidates(header: list[str]) -> list[Kind]:
    """The kinds whose columns hold the whole header and whose required columns the header holds."""
    names = {normalise_header(h) for h in header if h.strip()}
    return [k for k in _KINDS if names <= set(k.names) and k.required <= names]


def kind_for_header(header: list[str]) -> Kind | None:
    found = candidates(header)
    return found[0] if len(found) == 1 else None


def closest_kind(header: list[str]) -> Kind:
    """The kind a header most likely means (most columns in common), to explain what is wrong."""
    names = {normalise_header(h) for h in header}
    return max(_KINDS, key=lambda k: (len(names & set(k.names)) - len(names - set(k.names)), -len(k.names)))


def describe(kind: Kind, fmt: str = "text") -> str:
    """A kind's columns, their meaning, type, allowed values and whether required."""
    rows = [(c.name, "required" if c.required else "optional", c.type, ", ".join(allowed(c)), c.meaning, c.example)
            for c in kind.columns]
    if fmt == "md":
        out = [f"### `{kind.name}`: {kind.title}", "", kind.description, "",
               "| column | required | type | allowed values | meaning | example |", "|---|---|---|---|---|---|"]
        out += ["| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |" for row in rows]
        return "\n".join(out) + "\n"
    out = [f"{kind.name}: {kind.title}", f"  {kind.description}"]
    for name, req, type_, values, meaning, example in rows:
        out.append(f"  {name} ({req}; {type_}{'; one of: ' + values if values else ''}): {meaning}"
                   + (f" Example: {example}" if example else ""))
    return "\n".join(out) + "\n"


def catalogue(fmt: str = "text", names: list[str] | None = None) -> str:
    """The kinds (all, or the ones named) in text, Markdown or JSON."""
    chosen = [KINDS[n] for n in names] if names else list(_KINDS)
    if fmt == "json":
        return json.dumps([{"kind": k.name, "title": k.title, "description": k.description, "columns": [
            {"name": c.name, "required": c.required, "type": c.type, "type_meaning": TYPES[c.type], "allowed": allowed(c),
             "meaning": c.meaning, "example": c.example} for c in k.columns]} for k in chosen], indent=2, ensure_ascii=False) + "\n"
    if not names and fmt == "text":
        return "".join(f"{k.name:32} {k.title}\n" for k in chosen)
    head = ["## Column types", ""] + [f"- `{t}`: {m}" for t, m in TYPES.items()] + [""] if fmt == "md" else []
    return "\n".join(head) + "\n".join(describe(k, fmt) for k in chosen)
