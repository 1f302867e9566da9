"""The data, statement by statement: every fact-bearing node has a quote; every quote is at most
one sentence, verbatim at the position its selector gives, and contains the fact's value in its
lexical form or the label of what it is about. And what the article does not say is not there."""

from __future__ import annotations

import csv
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import RDF, RDFS

from pilotkg.checks import SENTENCE_BREAK, check_evidence, check_quotes, fact_subjects
from pilotkg.iri import mint
from pilotkg.namespaces import OA, PK, PROV

SRC_DIR_FILES = ["article.txt", "source.ttl", "facts.ttl", "quotes.ttl", "exclusions.ttl", "inferences.ttl"]
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
MULTIPLIERS = {"billion": 9, "trillion": 12}


def en_label(graph: Graph, node) -> str | None:
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language == "en":
            return str(label)
    return None


def quotes_of(source, node) -> list[tuple[int, int, str]]:
    graph = source.facts
    found = []
    for quote in graph.objects(node, PK.quote):
        exact = start = end = None
        for selector in graph.objects(quote, OA.hasSelector):
            exact = graph.value(selector, OA.exact) or exact
            start = graph.value(selector, OA.start) if graph.value(selector, OA.start) is not None else start
            end = graph.value(selector, OA.end) if graph.value(selector, OA.end) is not None else end
        found.append((int(start), int(end), str(exact)))
    return found


def test_the_shipped_source_is_the_shared_article(assets: dict[str, Path]) -> None:
    folder = assets["data"] / "sources" / "sichuan-first-pilot-lists"
    assert sorted(p.name for p in folder.iterdir()) == sorted(SRC_DIR_FILES)
    text = (folder / "article.txt").read_text(encoding="utf-8")
    assert text.startswith("Open Governance\nLists of Sichuan's First Pilot Competitive Manufacturing Cities")


def test_document_metadata(source) -> None:
    g, doc = source.facts, source.document
    raw = (source.folder / "article.txt").read_bytes()
    assert str(g.value(doc, PK.sha256)) == hashlib.sha256(raw).hexdigest()
    assert str(g.value(doc, URIRef("http://purl.org/dc/terms/language"))) == "en"
    assert "third-party publication" in str(g.value(doc, URIRef("http://purl.org/dc/terms/rights")))
    publisher = g.value(doc, URIRef("http://purl.org/dc/terms/publisher"))
    assert en_label(g, publisher) == "General Office of the People's Government of Sichuan Province"
    # page chrome is document metadata: the registration numbers are literals of the document only
    chrome = [s for s, p, o in g if isinstance(o, Literal) and "13001288" in str(o)]
    assert chrome == [doc]


def test_paragraph_roles_match_the_article(source) -> None:
    g = source.facts
    roles = {int(g.value(p, PK.paragraphNumber)): g.value(p, PK.paragraphRole)
             for p in g.subjects(RDF.type, PK.Paragraph)}
    assert len(roles) == 30
    assert {n for n, r in roles.items() if r == PK.ChromeParagraph} == {1, 27, 28, 29, 30}
    assert {n for n, r in roles.items() if r == PK.TitleParagraph} == {2}
    assert {n for n, r in roles.items() if r == PK.HeadingParagraph} == {6, 16}


def test_build_checks_find_nothing(source) -> None:
    assert check_quotes(source) == []
    assert check_evidence(source) == []


def test_every_quote_is_verbatim_at_its_position_and_one_sentence_at_most(source) -> None:
    g, text = source.facts, source.text
    quotes = sorted(g.subjects(RDF.type, PK.Quote))
    assert len(quotes) >= 60
    for quote in quotes:
        start, end, exact = _span(g, quote)
        assert text[start:end] == exact, quote
        assert not SENTENCE_BREAK.search(exact.rstrip()), f"{quote} spans sentences"


def _span(g: Graph, quote) -> tuple[int, int, str]:
    exact = start = end = None
    for selector in g.objects(quote, OA.hasSelector):
        if (selector, RDF.type, OA.TextQuoteSelector) in g:
            exact = str(g.value(selector, OA.exact))
        if (selector, RDF.type, OA.TextPositionSelector) in g:
            start, end = int(g.value(selector, OA.start)), int(g.value(selector, OA.end))
    return start, end, exact


def _lexical_value(lexical: str) -> tuple[Decimal, int]:
    words = lexical.lower().replace("nearly ", "").replace("more than ", "").split()
    number = words[0].rstrip("%")
    number = re.sub(r"(st|nd|rd|th)$", "", number)
    value = Decimal(NUMBER_WORDS[number]) if number in NUMBER_WORDS else Decimal(number.replace(",", ""))
    multiplier = MULTIPLIERS.get(words[1], 0) if len(words) > 1 else 0
    return value, multiplier


def expected_words(dataset: Dataset, g: Graph, node) -> list[str] | None:
    """Words one of the node's quotes must contain: its value's lexical form, or the label of
    what it is about. None when no rule applies (the caller fails on that)."""
    types = set(g.objects(node, RDF.type))
    label = en_label(g, node) or en_label(dataset, node)
    def label_of(x) -> str:
        return en_label(dataset, x) or ""
    if PK.Observation in types:
        return [str(g.value(node, PK.lexicalForm))]
    if PK.NumberMention in types:
        return [str(g.value(node, PK.mentionText))]
    if types & {PK.PilotCityDesignation, PK.PilotIndustryDesignation}:
        return [label_of(g.value(node, PK.designatedPlace))]
    if PK.DesignatedElement in types:
        return [w for w in (label_of(g.value(node, PK.element)), str(g.value(node, PK.sourceRole) or "")) if w]
    if PK.CollaborationProposal in types:
        return [label_of(g.value(node, PK.proposer))]
    if PK.ProposalComponent in types:
        words = [str(w) for p in (PK.theme, PK.scope) for w in g.objects(node, p)]
        return words + [label_of(p) for p in g.objects(node, PK.involvesPlace)]
    if PK.BiddingMaterials in types:
        return ["bidding materials"]
    if PK.ClusterSet in types:
        return [str(g.value(node, PK.clusterKind))]
    if types & {PK.PolicyDocument, PK.Meeting}:
        return [re.sub(r" \(\d{4}\)$", "", label)]
    if rdfns.TIME.DurationDescription in types:
        return ["five-year"]
    if types & {PK.Statement, PK.Norm, PK.Expectation, PK.Goal, PK.DecisionBasis, PK.Criterion, PK.Intention}:
        return None  # checked by attribution below: a statement's words are its quote
    return [label] if label else None


def test_every_fact_bearing_node_quote_contains_its_value_or_label(dataset: Dataset, source) -> None:
    g = source.facts
    nodes = sorted(fact_subjects(source))
    assert len(nodes) >= 100
    statements = set()
    for node in nodes:
        words = expected_words(dataset, g, node)
        if words is None:
            statements.add(node)
            continue
        quotes = [exact.lower() for _, _, exact in quotes_of(source, node)]
        assert quotes, f"{node} has no quote"
        assert words and any(w.lower() in q for w in words for q in quotes), f"{node}: none of {words} in its quotes"
    assert statements, "no statements collected"
    for statement in statements:
        types = {t for t in g.objects(statement, RDF.type)}
        assert types & {PK.Statement, PK.Norm, PK.Expectation, PK.Goal, PK.DecisionBasis, PK.Criterion, PK.Intention}, statement
        speaker = g.value(statement, PK.speaker)
        assert speaker is not None, statement
        for quote in g.objects(statement, PK.quote):
            assert g.value(quote, PROV.wasAttributedTo) == speaker, f"{statement}: quote and statement name different speakers"


def test_observation_values_agree_with_their_lexical_forms(source) -> None:
    g = source.facts
    observations = list(g.subjects(RDF.type, PK.Observation))
    assert len(observations) == 21
    for obs in observations:
        value, multiplier = _lexical_value(str(g.value(obs, PK.lexicalForm)))
        assert Decimal(str(g.value(obs, PK.value))) == value, obs
        assert int(g.value(obs, PK.unitMultiplier)) == multiplier, obs
        assert g.value(obs, PK.value).datatype == URIRef("http://www.w3.org/2001/XMLSchema#decimal") or \
            g.value(obs, PK.value).datatype == URIRef("http://www.w3.org/2001/XMLSchema#integer")


def test_each_of_the_four_cities_gets_its_own_observation_with_the_one_quote(source) -> None:
    g = source.facts
    secondary = [o for o in g.subjects(PK.measure, PK.SecondarySectorAddedValue)]
    assert {g.value(o, PK.subject) for o in secondary} == {mint("place", c) for c in ("510100", "510600", "510700", "511500")}
    assert len({g.value(o, PK.quote) for o in secondary}) == 1


def test_a_superlative_without_a_number_stays_a_statement(source) -> None:
    g = source.facts
    jiangsu = mint("place", "320000")
    assert not [o for o in g.subjects(PK.subject, jiangsu)]
    said = [s for s in g.subjects(PK.about, jiangsu) if any("highest proportion" in e for _, _, e in quotes_of(source, s))]
    assert said


def test_no_pillar_industry_for_deyang_or_yibin_and_no_chain_chief_anywhere(source) -> None:
    g = source.facts
    for code in ("510600", "511500"):
        designation = mint("designation", f"city-1-{code}")
        requirements = {g.value(e, PK.forRequirement) for e in g.objects(designation, PK.hasElement)}
        assert requirements == {mint("requirement", "world-brand-conference")}
    assert not list(g.subjects(PK.forRequirement, mint("requirement", "chain-chief")))
    assert not list(g.subjects(RDF.type, PK.ChainChiefPost))


def test_the_six_requirements_apply_to_the_four_cities_only(source) -> None:
    g = source.facts
    scheme = mint("requirement", "six-requirements")
    assert set(g.objects(scheme, PK.appliesTo)) == {mint("list", "manufacturing-pilot-1-cities")}
    assert len(list(g.subjects(RDF.type, PK.Requirement))) == 6
    for designation in g.subjects(RDF.type, PK.PilotIndustryDesignation):
        assert not list(g.objects(designation, PK.hasElement))


def test_the_pilot_period_has_a_duration_and_no_dates(source) -> None:
    g = source.facts
    period = mint("time", "manufacturing-pilot-period")
    assert g.value(g.value(period, rdfns.TIME.hasDurationDescription), rdfns.TIME.years) == Literal(Decimal(5))
    dated = [t for t in g if t[1] in (rdfns.TIME.inXSDDate, rdfns.TIME.inXSDDateTimeStamp, rdfns.TIME.inXSDgYear, rdfns.TIME.hasBeginning)]
    assert dated == []


def test_speakers_are_kept_distinct(source) -> None:
    g = source.facts
    speakers = {g.value(s, PK.speaker) for s in g.subjects(PK.speaker, None)}
    labels = {en_label(g, s) for s in speakers}
    assert labels == {"the reporter", "Sheng Yi", "relevant experts",
                      "the head of the Planning and Development Division of Sichuan Provincial Economic and Information Department",
                      "an official of Sichuan Provincial Economic and Information Department"}


def test_the_general_intention_is_not_a_set_of_pairwise_proposals(source) -> None:
    g = source.facts
    proposers = {g.value(p, PK.proposer) for p in g.subjects(RDF.type, PK.CollaborationProposal)}
    assert proposers == {mint("place", c) for c in ("510100", "511500", "510700")}
    intention = [s for s in g.subjects(RDF.type, PK.Intention)]
    assert len(intention) == 1
    assert not list(g.objects(intention[0], PK.hasComponent))


def test_inferences_live_apart_with_rule_and_premises(dataset: Dataset, source) -> None:
    inferred = source.inferences
    inferences = list(inferred.subjects(RDF.type, PK.Inference))
    assert inferences
    source_graph = dataset.graph(source.graph_name)
    for inference in inferences:
        assert inferred.value(inference, PK.rule) is not None
        assert list(inferred.objects(inference, PK.premise))
        triple = (inferred.value(inference, RDF.subject), inferred.value(inference, RDF.predicate),
                  inferred.value(inference, RDF.object))
        assert triple in inferred, inference
        assert triple not in source_graph, f"{inference} is also stated as a fact"
    # the park's place is only ever inferred
    park = mint("park", "chengdu-electronic-information-industry-functional-area")
    assert (park, PK.locatedIn, None) not in source_graph


def test_chinese_labels_come_from_the_reference_only(dataset: Dataset, assets: dict[str, Path]) -> None:
    cells = set()
    for path in (assets["data"] / "reference").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.reader(handle):
                cells.update(row)
    zh = {str(o) for _, _, o, _ in dataset.quads() if isinstance(o, Literal) and o.language == "zh"}
    assert zh, "no zh labels collected"
    assert zh <= cells


def test_industries_are_never_exact_matches(dataset: Dataset) -> None:
    exact = URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")
    industries = set(dataset.subjects(RDF.type, PK.Industry))
    assert industries
    assert not [s for s in industries if (s, exact, None) in dataset]


@pytest.mark.parametrize("name", ["source.ttl", "facts.ttl", "quotes.ttl", "exclusions.ttl", "inferences.ttl"])
def test_data_files_parse_with_rdflib_and_pyoxigraph(name: str, assets: dict[str, Path]) -> None:
    path = assets["data"] / "sources" / "sichuan-first-pilot-lists" / name
    rdflib_count = len(Graph().parse(path, format="turtle"))
    oxi_count = len(list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)))
    assert rdflib_count == oxi_count > 0


def test_every_class_and_property_used_in_the_data_is_declared(source, built, assets: dict[str, Path]) -> None:
    from pilotkg.build import load_ontology
    from pilotkg.checks import check_vocabulary, declared_terms, load_term_lists, vocabulary_terms

    ontology = load_ontology()
    lists = load_term_lists(assets["ontology"] / "external")
    used = vocabulary_terms(source.facts) | vocabulary_terms(source.inferences)
    assert len(used) > 80
    for graph in (source.facts, source.inferences):
        assert check_vocabulary(graph, declared_terms(ontology), lists, source.files, where=source.slug) == []
