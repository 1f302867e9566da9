"""Every query of the library: its header's example returns the expected result on the graph
built from the article, written from the article's text and compared as a set of the columns
named. Where the honest answer on the article is empty, the expectation says why, and the same
query also runs on a small fixture where the answer is not empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from pilotkg import querylib
from pilotkg.build import assemble

from .test_sources import add_second_source

LIBRARY = querylib.library()
ARTICLE_CITIES = {"Chengdu", "Deyang", "Mianyang", "Yibin"}
P = "https://w3id.org/pilotkg/id/place/"
PK = "https://w3id.org/pilotkg/ontology#"
HUB = "https://w3id.org/pilotkg/id/proposal/sichuan-first-pilot-lists/510100-new-display-hub-1"

# name -> (columns compared, expected set of tuples) or, for an empty answer, (columns, set(), reason)
EXPECTED: dict[str, tuple] = {
    # ¶3: "Chengdu, Deyang, Mianyang and Yibin were listed among the first pilot competitive manufacturing cities"
    "cq-batch-cities": (("cityLabel",), {(c,) for c in ARTICLE_CITIES}),
    # ¶3: vanadium & titanium of Panzhihua, crystalline silicon PV of Leshan, lithium battery of Suining, medical device of Ziyang
    "cq-industry-pilots": (("cityLabel", "industryLabel"), {("Panzhihua", "vanadium & titanium"), ("Leshan", "crystalline silicon PV"),
                                                          ("Suining", "lithium battery"), ("Ziyang", "medical device")}),
    # ¶20: Chengdu's park, flagship industry, leading enterprise, platform and conference; no chain chief is named
    "cq-designation-elements": (("order", "elementLabel"), {
        (1, "Chengdu Electronic Information Industry Functional Area"), (2, "new display"),
        (3, "Chengdu BOE Optoelectronics Technology Co., Ltd."), (4, None), (5, "national innovation platform"),
        (6, "2022 World Conference on Display Industry")}),
    # ¶21: "Deyang and Yibin will host ... 2022 World EV & ES Battery Conference respectively"
    "cq-conferences": (("conferenceLabel", "status"), {("2022 World EV & ES Battery Conference", "committed")}),
    # ¶23: "projects in Chengdu, Chongqing, Mianyang and Meishan"
    "cq-proposals": (("placeLabel",), {("Chengdu",), ("Chongqing",), ("Mianyang",), ("Meishan",)}),
    # ¶8: topped 1.5 trillion; reached 1,542.82 billion; 4.1% of China's total; 8th in the country
    "cq-figures": (("measureLabel", "lexicalForm"), {("regional GDP in the industrial sector", "1.5 trillion"),
                                                     ("value-added industrial output", "1,542.82 billion"),
                                                     ("share of national total", "4.1%"), ("national rank", "8th")}),
    # ¶18
    "cq-six-requirements": (("order",), {(n,) for n in range(1, 7)}),
    # ¶11: Jiangsu's highest proportion (asserted) and its intention to put effort into 16 clusters
    "cq-statements": (("speakerLabel", "modality"), {("the reporter", "asserted"), ("the reporter", "intended")}),
    # ¶4 aims, ¶7/¶12 the pilot work, ¶9 the plan and its goal, ¶22 the policy the pilot programs advocate,
    # ¶24 the five-year pilot, ¶25 what experts say a strong province should have
    "cq-programme": (("kind",), {("asserted",), ("aims to",), ("intended",), ("advocated",), ("should",), ("pilot period",),
                                 ("policy document",), ("goal",)}),
    # ¶12 announcement, ¶13 basis and careful selection, ¶14 the industries, ¶19 the criteria
    "cq-selection": (("kind",), {("announcement",), ("basis of decision",), ("statement about the lists",), ("criterion",)}),
    # ¶17 asserted, ¶18 should, ¶19 needed, ¶22/¶25 encouraged, ¶25 should (experts), ¶26 expected
    "cq-pilot-expectations": (("modality",), {("asserted",), ("should",), ("needed",), ("encouraged",), ("expected",)}),
    # ¶24: the frequent keywords
    "cq-bidding-materials": (("keyword",), {(None,), ("leading enterprises in the industry chain",),
                                            ("single champion enterprises",), ("the development in the whole industry chain",),
                                            ("R&D innovation",), ("building a platform",)}),
    # the same elements as cq-designation-elements, from source graphs only
    "report-evidence": (("order", "elementLabel"), {
        (1, "Chengdu Electronic Information Industry Functional Area"), (2, "new display"),
        (3, "Chengdu BOE Optoelectronics Technology Co., Ltd."), (4, None), (5, "national innovation platform"),
        (6, "2022 World Conference on Display Industry")}),
    # ¶20/¶21: the hosts of the three conferences are stated; where the park lies only the curators infer
    "report-element-facts": (("elementLabel", "valueLabel", "source graph"), {
        ("Chengdu Electronic Information Industry Functional Area", "Chengdu", False),
        ("new display", None, None), ("Chengdu BOE Optoelectronics Technology Co., Ltd.", None, None),
        ("national innovation platform", None, None), ("2022 World Conference on Display Industry", "Chengdu", True),
        ("2022 World Conference on Clean Energy Equipment", "Deyang", True), ("2022 World EV & ES Battery Conference", "Yibin", True)}),
    # ¶15 and ¶24: Suining's and Leshan's figures; Panzhihua and Ziyang have none
    "report-industry-pilots": (("cityLabel", "measureLabel", "statusLabel"), {
        ("Leshan", "annual output value", "target"), ("Suining", "revenue growth", "actual"),
        ("Suining", "planned investment", "actual"), ("Suining", "output value", "expected"), ("Suining", "revenue", "target"),
        ("Panzhihua", None, None), ("Ziyang", None, None)}),
    "resolve-label": (("resource",), {(P + "510100",)}),
    # ¶23: Mianyang is named in Chengdu's hub and proposes three components of its own
    "proposals-of-place": (("role", "modeLabel"), {("involved", "joint manufacturing hub"), ("proposer", "collaborative research"),
                                                   ("proposer", "industrial alliance"), ("proposer", "technical cooperation")}),
    "partners": (("otherLabel",), {("Chongqing",), ("Mianyang",), ("Meishan",)}),
    "reachable-places": (("reachedLabel",), {("Chengdu",), ("Chongqing",), ("Meishan",)}),
    "places-sharing-industry": (("otherLabel", "industryLabel"), {("Chongqing", "new display"), ("Meishan", "new display"),
                                                                  ("Mianyang", "new display")}),
    "proposals-about-industry": (("placeLabel",), {("Chengdu",), ("Chongqing",), ("Mianyang",), ("Meishan",)}),
    "pilot-profile": (("requirementLabel",), {("one park for high-quality development of the manufacturing sector",),
                                              ("one pillar industry",), ("one leading enterprise in the industry chain",),
                                              ("one innovation platform",), ("hosting one world brand conference",)}),
    # ¶21: Deyang's only evidenced requirement is its conference
    "compliance-status": (("order", "outcome"), {(1, "cantTell"), (2, "cantTell"), (3, "cantTell"), (4, "cantTell"), (5, "cantTell"),
                                                 (6, "passed")}),
    # no city's chain chief is named anywhere in the article
    "compliance-lacking": (("cityLabel",), {(c,) for c in ARTICLE_CITIES}),
    # ¶15 and ¶24: three goals; the article gives no actual figure of the same measures
    "targets-and-actuals": (("measureLabel", "target", "deadline", "actual"), {
        ("annual output value", "more than 150 billion", "by the end of the five-year pilot", None),
        ("output value", "100 billion", "by 2025", None),
        ("revenue", "120 billion", "by the end of the five-year pilot", None)}),
    # ¶13: Chengdu nearly two trillion; Mianyang and Yibin exceeded 300 billion each
    "measure-across-places": (("subjectLabel", "normalisedValue"), {("Chengdu", 2_000_000_000_000), ("Mianyang", 300_000_000_000),
                                                                   ("Yibin", 300_000_000_000)}),
    "evidence": (("relation",), {("itself",), ("element",)}),
    "search": (("label",), {("2022 World Conference on Display Industry",), ("new display",),
                            ("Chengdu's proposal: a new display manufacturing hub",),
                            ("jointly build a new display manufacturing hub",)}),
    "labels": (("label",), {("成都市",)}),
    "stats-graphs": (("graph",), {(f"https://w3id.org/pilotkg/id/graph/{g}",) for g in (
        "ontology", "reference", "shapes", "closure", "meta", "validation", "source/sichuan-first-pilot-lists",
        "inferred/sichuan-first-pilot-lists")}),
    "stats-conflicts": (("kind",), set(), "one source cannot disagree with itself; the fixture adds a second source"),
    # ¶23: Chengdu's hub names Chengdu, Chongqing, Mianyang and Meishan; Yibin's model names Yibin; Mianyang's
    # components and Yibin's enclave park name no place
    "project-cooperation": (("proposerLabel", "placeLabel"), {
        ("Chengdu", "Chengdu"), ("Chengdu", "Chongqing"), ("Chengdu", "Mianyang"), ("Chengdu", "Meishan"),
        ("Mianyang", None), ("Yibin", None), ("Yibin", "Yibin")}),
    # ¶3 the four industry pilots, ¶20 Chengdu's flagship industry; no enterprise's place or industry is stated
    "project-place-industry": (("sourceLabel", "targetLabel", "relation"), {
        ("Panzhihua", "vanadium & titanium", "pilot special advantageous industry"),
        ("Leshan", "crystalline silicon PV", "pilot special advantageous industry"),
        ("Suining", "lithium battery", "pilot special advantageous industry"),
        ("Ziyang", "medical device", "pilot special advantageous industry"),
        ("Chengdu", "new display", "pillar industry of a pilot city")}),
    # ¶20: Chengdu's designation, its five elements, the conference it hosts and the institute that builds the platform
    "project-chain": (("predicate", "targetLabel"), {
        (PK + "designatedPlace", "Chengdu"), (PK + "hasElement", "Chengdu Electronic Information Industry Functional Area"),
        (PK + "hasElement", "new display"), (PK + "hasElement", "Chengdu BOE Optoelectronics Technology Co., Ltd."),
        (PK + "hasElement", "national innovation platform"), (PK + "hasElement", "2022 World Conference on Display Industry"),
        (PK + "hostPlace", "Chengdu"), (PK + "builtBy", "BOE-UESTC Joint Innovation Institute")}),
    # the reference table's row for Chengdu: its class, en and zh names, code, province and Wikidata item
    "describe": (("predicate", "object"), {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", PK + "PrefectureLevelCity"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "Chengdu"), ("http://www.w3.org/2000/01/rdf-schema#label", "成都市"),
        ("http://www.w3.org/2004/02/skos/core#exactMatch", "http://www.wikidata.org/entity/Q30002"),
        ("http://www.w3.org/ns/prov#wasDerivedFrom", "https://w3id.org/pilotkg/id/reference/places"),
        (PK + "adminCode", "510100"), (PK + "withinPlace", P + "510000")}),
    "quotes-of": (("quote",), {("Chengdu proposed to jointly build a new display manufacturing hub by relying on the projects in "
                                "Chengdu, Chongqing, Mianyang and Meishan.",)}),
}
# stats-classes counts everything, and project-entities lists every statement: compare what the article fixes, as a subset
SUBSET = {
    # ¶3 and ¶23: Mianyang's designation names it, and Chengdu's hub names it
    "incoming": (("subject", "predicate"), {
        ("https://w3id.org/pilotkg/id/designation/city-1-510700", PK + "designatedPlace"), (HUB, PK + "involvesPlace")}),
    "graph-statements": (("subject", "object"), {(P + "510100", "Chengdu"), (P + "510100", "成都市")}),
    "project-entities": (("source", "predicate", "target"), {
        (HUB, PK + "involvesPlace", P + "510700"), (HUB, PK + "involvesPlace", P + "500000"),
        ("https://w3id.org/pilotkg/id/conference/2022-world-ev-es-battery-conference", PK + "hostPlace", P + "511500")}),
    "stats-classes": (("class", "instances"), {
    ("https://w3id.org/pilotkg/ontology#PilotCityDesignation", 4), ("https://w3id.org/pilotkg/ontology#PilotIndustryDesignation", 4),
    ("https://w3id.org/pilotkg/ontology#Requirement", 6), ("https://w3id.org/pilotkg/ontology#CollaborationProposal", 3),
    ("https://w3id.org/pilotkg/ontology#Conference", 3), ("https://w3id.org/pilotkg/ontology#Observation", 21)})}


def example_params(name: str) -> dict[str, str]:
    return LIBRARY[name].example_params()


def project(rows: list[dict], columns: tuple) -> set[tuple]:
    out = set()
    for row in rows:
        values = []
        for column in columns:
            if column == "source graph":
                graph = row.get("graph")
                values.append(None if graph is None else "/graph/source/" in str(graph))
                continue
            value = row.get(column)
            if value is not None and hasattr(value, "toPython"):
                value = value.toPython()
                if hasattr(value, "is_integer") or type(value).__name__ == "Decimal":
                    value = int(value) if value == int(value) else float(value)
            values.append(None if value is None else value if isinstance(value, (int, float)) else str(value))
        out.add(tuple(values))
    return out


def run_example(store, name: str) -> list[dict]:
    return [row.asdict() for row in querylib.run(store, LIBRARY[name], example_params(name))]


def test_every_query_has_an_expectation() -> None:
    assert LIBRARY
    assert set(LIBRARY) == set(EXPECTED) | set(SUBSET)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_gives_the_expected_answer(name: str, dataset: Dataset) -> None:
    columns, expected, *reason = EXPECTED[name]
    got = project(run_example(dataset, name), columns)
    assert got == expected, reason


@pytest.mark.parametrize("name", sorted(SUBSET))
def test_example_includes_the_expected_rows(name: str, dataset: Dataset) -> None:
    columns, expected = SUBSET[name]
    assert expected <= project(run_example(dataset, name), columns)


EMPTY_ON_ARTICLE = sorted(name for name, spec in EXPECTED.items() if not spec[1])


def test_empty_answers_are_explained_and_collected() -> None:
    assert EMPTY_ON_ARTICLE == ["stats-conflicts"]
    assert all(len(EXPECTED[name]) == 3 and EXPECTED[name][2] for name in EMPTY_ON_ARTICLE)


@pytest.mark.parametrize("name", EMPTY_ON_ARTICLE)
def test_an_empty_answer_is_not_empty_on_its_fixture(name: str, data_copy: Path) -> None:
    add_second_source(data_copy)
    rows = run_example(assemble(data_copy).dataset, name)
    assert project(rows, EXPECTED[name][0]) == {("figure",)}


def test_stats_graphs_reads_the_build_counts_which_are_the_counted_ones(dataset: Dataset) -> None:
    """stats-graphs reads the build's VoID counts; on the dataset as built they are what
    `pilotkg stats` counts, graph by graph, the description's own statements included."""
    from pilotkg import stats

    read = project(run_example(dataset, "stats-graphs"), ("graph", "triples"))
    counted = set(stats.compute(dataset).graphs)
    assert len(read) == 8 and read == counted


def test_stats_graphs_lists_only_what_a_build_described(dataset: Dataset) -> None:
    """Without the build's description (a file no build wrote) stats-graphs has nothing to read,
    and `pilotkg stats` still counts every graph."""
    from pilotkg import stats

    meta = "https://w3id.org/pilotkg/id/graph/meta"
    bare = Dataset()
    for s, p, o, g in dataset.quads():
        if str(g) != meta:
            bare.add((s, p, o, g))
    assert run_example(bare, "stats-graphs") == []
    assert len(stats.compute(bare).graphs) == 7
