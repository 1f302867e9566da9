"""Competency questions, answered by the query library. Expected answers are written from the
article's text, never copied from the program's output. The paragraph map shows every body
paragraph covered by at least one question."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Dataset

from pilotkg import querylib

PLACE = "https://w3id.org/pilotkg/id/place/"
SOURCE = "sichuan-first-pilot-lists"


def rows(dataset: Dataset, name: str, **params: str) -> list[dict[str, str]]:
    result = querylib.run(dataset, querylib.get(name), params)
    found = [{k: str(v) for k, v in row.asdict().items()} for row in result]
    return found


def test_first_batch_cities(dataset: Dataset) -> None:
    # "Chengdu, Deyang, Mianyang and Yibin were listed among the first pilot competitive manufacturing cities"
    found = rows(dataset, "cq-batch-cities", batch="1")
    assert sorted(r["cityLabel"] for r in found) == ["Chengdu", "Deyang", "Mianyang", "Yibin"]


def test_yibin_hosts_the_2022_world_ev_and_es_battery_conference(dataset: Dataset) -> None:
    found = rows(dataset, "cq-conferences", place=PLACE + "511500")
    assert [(r["conferenceLabel"], r["nameYear"], r["status"]) for r in found] == \
        [("2022 World EV & ES Battery Conference", "2022", "committed")]


def test_chengdu_flagship_industry_and_chain_leader(dataset: Dataset) -> None:
    found = {r["requirementLabel"]: r for r in rows(dataset, "cq-designation-elements", city=PLACE + "510100")}
    assert found["one pillar industry"]["elementLabel"] == "new display"
    assert found["one pillar industry"]["sourceRole"] == "flagship industry"
    assert found["one leading enterprise in the industry chain"]["elementLabel"] == \
        "Chengdu BOE Optoelectronics Technology Co., Ltd."
    # the article names no chain chief for Chengdu: a gap, not an answer
    assert "element" not in found["one leading municipal official serving as the head of the industry chain"]


def test_places_of_chengdus_new_display_hub(dataset: Dataset) -> None:
    found = rows(dataset, "cq-proposals", proposer=PLACE + "510100")
    places = {r["placeLabel"] for r in found if r.get("modeLabel") == "joint manufacturing hub"}
    assert places - {"Chengdu"} == {"Chongqing", "Mianyang", "Meishan"}
    assert {r["industryLabel"] for r in found} == {"new display"}


def test_sichuan_value_added_industrial_output_share_and_rank_2021(dataset: Dataset) -> None:
    found = rows(dataset, "cq-figures", subject=PLACE + "510000")
    by_measure = {r["measureLabel"]: r for r in found if r.get("year") == "2021"}
    vaio = by_measure["value-added industrial output"]
    assert (Decimal(vaio["value"]), vaio["multiplier"], vaio["unit"].rsplit("/", 1)[-1]) == (Decimal("1542.82"), "9", "CCY_CNY")
    share = by_measure["share of national total"]
    assert (Decimal(share["value"]), share["unit"].rsplit("/", 1)[-1]) == (Decimal("4.1"), "PERCENT")
    assert Decimal(by_measure["national rank"]["value"]) == 8


def test_growth_of_suinings_lithium_battery_revenue_2021(dataset: Dataset) -> None:
    found = rows(dataset, "cq-figures", subject="https://w3id.org/pilotkg/id/designation/industry-1-510900-lithium-battery")
    growth = [r for r in found if r["measureLabel"] == "revenue growth"]
    assert [(Decimal(r["value"]), r["year"], r["statusLabel"]) for r in growth] == [(Decimal("67.3"), "2021", "actual")]
    # targets beside actual figures: the revenue target by the end of the pilot
    target = [r for r in found if r["measureLabel"] == "revenue"]
    assert [(Decimal(r["value"]), r["statusLabel"], r["qualifierLabel"]) for r in target] == [(Decimal("120"), "target", "exceeded")]


def test_the_six_requirements(dataset: Dataset) -> None:
    found = rows(dataset, "cq-six-requirements")
    assert [r["requirementLabel"] for r in found] == [
        "one park for high-quality development of the manufacturing sector",
        "one pillar industry",
        "one leading enterprise in the industry chain",
        "one leading municipal official serving as the head of the industry chain",
        "one innovation platform",
        "hosting one world brand conference",
    ]
    reasons = [r for r in found if r.get("reason")]
    assert len(reasons) == 1 and "flagship industry with a great influence" in reasons[0]["reason"]


def test_what_sheng_yi_said(dataset: Dataset) -> None:
    found = rows(dataset, "cq-statements", speaker="https://w3id.org/pilotkg/id/agent/sheng-yi")
    assert len(found) == 1 and "set a clear goal" in found[0]["quote"]


def test_what_is_said_of_jiangsu(dataset: Dataset) -> None:
    found = rows(dataset, "cq-statements", about=PLACE + "320000")
    quotes = " ".join(r["quote"] for r in found)
    assert "highest proportion" in quotes and "16 advanced manufacturing clusters" in quotes


def test_guangdong_first_for_33_years(dataset: Dataset) -> None:
    found = rows(dataset, "cq-figures", subject=PLACE + "440000")
    assert {(r["measureLabel"], Decimal(r["value"])) for r in found} == {
        ("national rank", Decimal(1)), ("consecutive years at first rank", Decimal(33))}


def test_industry_pilots(dataset: Dataset) -> None:
    found = rows(dataset, "cq-industry-pilots")
    assert {(r["cityLabel"], r["industryLabel"]) for r in found} == {
        ("Panzhihua", "vanadium & titanium"), ("Leshan", "crystalline silicon PV"),
        ("Suining", "lithium battery"), ("Ziyang", "medical device")}
    assert {r["match"] for r in found} == {"close", "related"}


def test_programme_and_pilot_period(dataset: Dataset) -> None:
    found = rows(dataset, "cq-programme")
    period = [r for r in found if r["kind"] == "pilot period"]
    assert period and period[0]["detail"].startswith("5 years")
    assert any("front rank" in r["quote"] for r in found)


def test_basis_of_selection(dataset: Dataset) -> None:
    found = rows(dataset, "cq-selection")
    kinds = {r["kind"] for r in found}
    assert {"basis of decision", "criterion", "announcement"} <= kinds
    assert any("Core data such as the regional GDP" in r["quote"] for r in found)


def test_expectations_of_pilot_cities(dataset: Dataset) -> None:
    found = rows(dataset, "cq-pilot-expectations")
    modalities = {r["modality"] for r in found}
    assert {"should", "encouraged", "expected"} <= modalities


def test_bidding_material_keywords(dataset: Dataset) -> None:
    found = rows(dataset, "cq-bidding-materials")
    assert {"single champion enterprises", "R&D innovation"} <= {r.get("keyword") for r in found}


# Which competency questions cover which body paragraphs: each query's header names them.
BODY_PARAGRAPHS = {3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26}


def test_every_body_paragraph_is_covered_by_a_competency_question(source) -> None:
    from pilotkg.namespaces import PK

    g = source.facts
    body = {int(g.value(p, PK.paragraphNumber)) for p in g.subjects(PK.paragraphRole, PK.BodyParagraph)}
    assert body == BODY_PARAGRAPHS
    coverage: dict[int, list[str]] = {}
    for name, query in querylib.library().items():
        if name.startswith("cq-"):
            for number in query.paragraphs.get(SOURCE, []):
                coverage.setdefault(number, []).append(name)
    assert coverage, "no competency questions collected"
    assert sorted(BODY_PARAGRAPHS - set(coverage)) == []


@pytest.mark.parametrize("name", sorted(n for n in querylib.library() if n.startswith("cq-")))
def test_each_competency_question_has_an_answer(name: str, dataset: Dataset) -> None:
    assert rows(dataset, name), f"{name} returned nothing"
