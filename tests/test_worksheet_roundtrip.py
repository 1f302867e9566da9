"""The gap worksheet round trip on the article's graph, end to end through the CLI: `validate
--worksheet` writes the gaps; the analyst fills some rows (one quoting a registered, synthetic
source, one an unregistered document, one an own assertion); `ingest` takes the file as it is;
validating again shows exactly the filled gaps closed with the new evidence (the own assertion
closes nothing), and `pilotkg diff` reports exactly those. Runs in a temporary copy of the data."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from pilotkg.cli import main
from pilotkg.report import WORKSHEET_COLUMNS

PLAN = "Chengdu pilot plan (synthetic)\n\nThe mayor of Chengdu serves as the chain chief of the new display industry chain.\n"
CHIEF_QUOTE = "The mayor of Chengdu serves as the chain chief of the new display industry chain."
DEYANG_QUOTE = "德阳市以清洁能源装备产业为主导产业。"
FILLS = {
    "city-1-510100--chain-chief": {"element_label": "the mayor of Chengdu", "status": "existing", "source_role": "chain chief",
                                   "source_url_or_file": "test-chengdu-plan", "quote": CHIEF_QUOTE},
    "city-1-510600--pillar-industry": {"element_label": "clean energy equipment", "status": "existing",
                                       "source_title": "德阳市制造强市试点方案", "source_url_or_file": "https://example.org/deyang.pdf",
                                       "quote": DEYANG_QUOTE},
}
ASSERTED = {"city-1-511500--pillar-industry": {"element_label": "lithium battery", "status": "existing", "own_assertion": "yes",
                                               "notes": "=the analyst's guess, not a source"}}


def add_synthetic_plan(data: Path) -> None:
    """A registered source whose text holds the chain chief's sentence (synthetic, test-only)."""
    folder = data / "sources" / "test-chengdu-plan"
    folder.mkdir()
    (folder / "plan.txt").write_text(PLAN, encoding="utf-8")
    start = PLAN.index(CHIEF_QUOTE)
    (folder / "source.ttl").write_text(f"""@prefix pk: <https://w3id.org/pilotkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix src: <https://w3id.org/pilotkg/id/source/> .
src:test-chengdu-plan a pk:SourceDocument ; dcterms:title "Chengdu pilot plan (synthetic)"@en ; pk:textFile "plan.txt" ;
    pk:sha256 "{hashlib.sha256(PLAN.encode()).hexdigest()}"^^xsd:hexBinary ; pk:isSynthetic true .
src:test-chengdu-plan-p1 a pk:Paragraph ; dcterms:isPartOf src:test-chengdu-plan ; pk:paragraphNumber 1 ;
    pk:paragraphRole pk:TitleParagraph ; pk:startOffset 0 ; pk:endOffset {PLAN.index(chr(10))} .
src:test-chengdu-plan-p2 a pk:Paragraph ; dcterms:isPartOf src:test-chengdu-plan ; pk:paragraphNumber 2 ;
    pk:paragraphRole pk:BodyParagraph ; pk:startOffset {start} ; pk:endOffset {start + len(CHIEF_QUOTE)} .
""", encoding="utf-8")


def fill(worksheet: Path, fills: dict[str, dict[str, str]]) -> int:
    """Fill rows of the worksheet in place, as a spreadsheet would (the columns kept as they are)."""
    rows = list(csv.reader(io.StringIO(worksheet.read_text(encoding="utf-8"))))
    header = rows[0]
    assert header == WORKSHEET_COLUMNS
    header += ["own_assertion"]
    filled = 0
    for row in rows[1:]:
        row.append("")
        values = fills.get(row[0])
        if values:
            for column, value in values.items():
                row[header.index(column)] = "'" + value if value.startswith("=") else value
            filled += 1
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    worksheet.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))  # as a spreadsheet saves "CSV UTF-8"
    return filled


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory: pytest.TempPathFactory) -> dict:
    import shutil

    from pilotkg.assets import data_dir

    root = tmp_path_factory.mktemp("roundtrip")
    data = root / "data"
    shutil.copytree(data_dir(), data)
    add_synthetic_plan(data)
    worksheet = root / "gaps.csv"
    assert main(["build", "--data", str(data), "--output", str(root / "before")]) == 0
    before = root / "before" / "pilotkg.trig"
    assert main(["validate", "--dataset", str(before), "--output", str(root / "before.json"), "--worksheet", str(worksheet)]) == 0
    assert fill(worksheet, FILLS | ASSERTED) == 3
    assert main(["ingest", str(worksheet), "--data", str(data)]) == 0
    assert main(["build", "--data", str(data), "--output", str(root / "after")]) == 0
    after = root / "after" / "pilotkg.trig"
    assert main(["validate", "--dataset", str(after), "--output", str(root / "after.json"), "--output", str(root / "after.txt")]) == 0
    assert main(["diff", str(before), str(after), "--format", "json", "--output", str(root / "diff.json")]) == 0
    load = lambda name: json.loads((root / name).read_text(encoding="utf-8"))  # noqa: E731
    return {"root": root, "data": data, "before": load("before.json"), "after": load("after.json"), "diff": load("diff.json"),
            "text": (root / "after.txt").read_text(encoding="utf-8")}


def gaps(report: dict) -> set[str]:
    return {f"{g['designation'].rsplit('/', 1)[-1]}--{g['requirement'].rsplit('/', 1)[-1]}" for g in report["gaps"]}


def test_validating_again_closes_exactly_the_filled_gaps(roundtrip: dict) -> None:
    before, after = gaps(roundtrip["before"]), gaps(roundtrip["after"])
    assert set(FILLS) <= before and set(ASSERTED) <= before
    assert before - after == set(FILLS)
    assert after == before - set(FILLS)
    assert roundtrip["after"]["counts"]["violation"] == 0


def test_the_closed_gaps_show_the_new_evidence_and_mark_the_unverified_quote(roundtrip: dict) -> None:
    cells = {f"{row['designation'].rsplit('/', 1)[-1]}--{cell['requirement'].rsplit('/', 1)[-1]}": cell
             for row in roundtrip["after"]["matrix"] for cell in row["cells"]}
    chief = cells["city-1-510100--chain-chief"]
    assert chief["state"] == "evidenced"
    (element,) = chief["elements"]
    assert element["label"] == "the mayor of Chengdu"
    assert [(e["quote"], e["verified"]) for e in element["evidence"]] == [(CHIEF_QUOTE, True)]
    (element,) = cells["city-1-510600--pillar-industry"]["elements"]
    evidence = [(e["quote"], e["verified"], e["source_title"]) for e in element["evidence"]]
    assert evidence == [(DEYANG_QUOTE, False, "德阳市制造强市试点方案")]
    assert f"{DEYANG_QUOTE}\u201d \u2014 德阳市制造强市试点方案 [unverified quote" in roundtrip["text"]
    assert cells["city-1-511500--pillar-industry"]["state"] == "not evidenced"


def test_diff_reports_exactly_the_closed_gaps(roundtrip: dict) -> None:
    found = roundtrip["diff"]
    requirements = [a for a in found["assessments"] if a["kind"] == "requirement"]
    assert {f"{a['designation'].rsplit('/', 1)[-1]}--{a['test'].rsplit('/', 1)[-1]}" for a in requirements} == set(FILLS)
    assert {(a["before"], a["after"], a["change"]) for a in requirements} == {("not evidenced", "evidenced", "gap closed")}
    quotes = {e["quote"] for a in requirements for e in a["evidence"]}
    assert quotes == {CHIEF_QUOTE, DEYANG_QUOTE}
    assert found["graphs_added"] == ["https://w3id.org/pilotkg/id/graph/asserted/gaps",
                                     "https://w3id.org/pilotkg/id/graph/source/ingested/gaps"]
    assert found["graphs_removed"] == []
    assert found["counts"]["statements_removed"] == 0
    changed = {(e["graph"].rsplit("/graph/", 1)[-1], e["entity"]) for e in found["entities"]}
    assert ("source/ingested/gaps", "element:city-1-510100-chain-chief") in changed
    assert ("asserted/gaps", "element:city-1-511500-pillar-industry") in changed


def test_the_analysts_note_is_kept_as_written(roundtrip: dict) -> None:
    trig = (roundtrip["data"] / "ingested" / "gaps.trig").read_text(encoding="utf-8")
    assert "\"=the analyst's guess, not a source\"" in trig


def test_diff_of_a_dataset_with_itself_is_empty_in_every_format(roundtrip: dict, capsys: pytest.CaptureFixture[str]) -> None:
    after = str(roundtrip["root"] / "after" / "pilotkg.trig")
    nquads = str(roundtrip["root"] / "after" / "pilotkg.nq")
    assert main(["diff", after, nquads, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["entities"] == [] and found["assessments"] == [] and found["graphs_added"] == []
    assert main(["diff", after, nquads, "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# pilotkg diff") and "## Requirement assessments that changed" in markdown
    assert main(["diff", str(roundtrip["root"] / "before" / "pilotkg.trig"), after]) == 0
    text = capsys.readouterr().out
    assert "Chengdu / one leading municipal official serving as the head of the industry chain: not evidenced \u2192 evidenced" \
           " (gap closed)" in text
    assert "[unverified quote]" in text


def test_diff_against_the_current_build(roundtrip: dict, capsys: pytest.CaptureFixture[str]) -> None:
    before = str(roundtrip["root"] / "before" / "pilotkg.trig")
    assert main(["diff", before, "--data", str(roundtrip["data"]), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {a["change"] for a in found["assessments"] if a["kind"] == "requirement"} == {"gap closed"}
    assert found["new"] == "the current build"
