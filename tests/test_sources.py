"""Several sources: a second source document is added as files alone, without code changes.
When two sources disagree both statements stay, each with its source, and stats counts the
conflict. The test source is flagged synthetic and lives only in a temporary copy."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import URIRef

from pilotkg.build import assemble
from pilotkg.iri import mint
from pilotkg.namespaces import PK
from pilotkg.stats import compute

TEXT = "A synthetic test notice.\n\nIn 2021, Sichuan's total value-added industrial output reached 1,600.00 billion yuan.\n"
EXACT = "In 2021, Sichuan's total value-added industrial output reached 1,600.00 billion yuan."

PREFIXES = """@prefix pk: <https://w3id.org/pilotkg/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix src: <https://w3id.org/pilotkg/id/source/> .
@prefix q: <https://w3id.org/pilotkg/id/quote/test-second-source/> .
@prefix obs: <https://w3id.org/pilotkg/id/observation/test-second-source/> .
@prefix pl: <https://w3id.org/pilotkg/id/place/> .
@prefix ag: <https://w3id.org/pilotkg/id/agent/> .
"""


def add_second_source(data: Path) -> None:
    folder = data / "sources" / "test-second-source"
    folder.mkdir()
    (folder / "notice.txt").write_text(TEXT, encoding="utf-8")
    sha = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    start = TEXT.index(EXACT)
    (folder / "source.ttl").write_text(PREFIXES + f"""
src:test-second-source a pk:SourceDocument ;
    dcterms:title "A synthetic test notice"@en ;
    dcterms:language "en" ;
    pk:textFile "notice.txt" ;
    pk:sha256 "{sha}"^^xsd:hexBinary ;
    pk:isSynthetic true .
src:test-second-source-p1 a pk:Paragraph ; dcterms:isPartOf src:test-second-source ;
    pk:paragraphNumber 1 ; pk:paragraphRole pk:TitleParagraph ; pk:startOffset 0 ; pk:endOffset 24 .
src:test-second-source-p2 a pk:Paragraph ; dcterms:isPartOf src:test-second-source ;
    pk:paragraphNumber 2 ; pk:paragraphRole pk:BodyParagraph ; pk:startOffset {start} ; pk:endOffset {start + len(EXACT)} .
""", encoding="utf-8")
    (folder / "facts.ttl").write_text(PREFIXES + f"""
q:vaio a pk:Quote ; oa:hasSource src:test-second-source ; pk:inParagraph src:test-second-source-p2 ;
    prov:wasAttributedTo ag:reporter ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{EXACT}" ] ,
                   [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + len(EXACT)} ] .
obs:510000-value-added-industrial-output-2021 a pk:Observation ;
    pk:subject pl:510000 ; pk:measure pk:ValueAddedIndustrialOutput ;
    pk:value 1600.00 ; pk:lexicalForm "1,600.00 billion" ; pk:unit unit:CCY_CNY ; pk:unitMultiplier 9 ;
    pk:qualifier pk:Exactly ; pk:observationStatus pk:Actual ; pk:refYear "2021"^^xsd:gYear ;
    pk:quote q:vaio .
""", encoding="utf-8")


def test_a_second_source_is_added_as_files_alone_and_conflicts_are_counted(data_copy: Path) -> None:
    baseline = compute(assemble(data_copy).dataset)
    assert baseline.conflicts == []
    add_second_source(data_copy)
    result = assemble(data_copy)
    assert {s.slug for s in result.sources} == {"sichuan-first-pilot-lists", "test-second-source"}
    values = {}
    for name in ("sichuan-first-pilot-lists", "test-second-source"):
        graph = result.dataset.graph(mint("graph", "source", name))
        (obs,) = [o for o in graph.subjects(PK.measure, PK.ValueAddedIndustrialOutput)]
        values[name] = float(graph.value(obs, PK.value))
    assert values == {"sichuan-first-pilot-lists": 1542.82, "test-second-source": 1600.0}
    stats = compute(result.dataset)
    assert len(stats.conflicts) == 1
    conflict = stats.conflicts[0]
    assert conflict["kind"] == "figure" and conflict["subject"] == str(mint("place", "510000"))
    assert URIRef(conflict["property"]) == PK.ValueAddedIndustrialOutput


def test_an_agreeing_figure_written_in_another_multiplier_is_no_conflict(data_copy: Path) -> None:
    add_second_source(data_copy)
    facts = data_copy / "sources" / "test-second-source" / "facts.ttl"
    # 1.60000 trillion and 1,600.00 billion are the same amount: written so, it is no conflict
    facts.write_text(facts.read_text(encoding="utf-8").replace("pk:value 1600.00", "pk:value 1.54282")
                     .replace("pk:unitMultiplier 9", "pk:unitMultiplier 12"), encoding="utf-8")
    assert compute(assemble(data_copy).dataset).conflicts == []
