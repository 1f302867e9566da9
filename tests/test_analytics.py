"""Linkage analytics: on the article, on small graphs with known answers, deterministic across
processes, hash seeds and triple orders, and written back as RDF."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib import namespace as rdfns

from pilotkg import analytics, network
from pilotkg.build import build
from pilotkg.namespaces import PK

P = "https://w3id.org/pilotkg/id/place/"


def test_chengdus_hub_links_it_to_chongqing_mianyang_and_meishan(dataset: Dataset) -> None:
    coop = network.cooperation(dataset)
    targets = {network.node_label(coop, v) for _, v in coop.out_edges(P + "510100")}
    assert targets == {"Chongqing", "Mianyang", "Meishan"}
    # Mianyang's and Yibin's components without a named place stay node attributes, not edges
    assert len(coop.nodes[P + "510700"]["unplaced"]) == 3
    assert coop.out_degree(P + "510700") == 0


def test_the_path_from_mianyang_to_chongqing_runs_through_the_proposal_with_its_quote(dataset: Dataset) -> None:
    coop = network.cooperation(dataset)
    (path,) = analytics.paths(dataset, coop, "Mianyang", "Chongqing", max_length=2)
    assert path.labels == ["Mianyang", "Chengdu", "Chongqing"]
    for step in path.steps:
        subjects = {s["subject"] for s in step.statements}
        assert any(s.endswith("/510100-new-display-hub") for s in subjects)
        assert all("Chengdu proposed to jointly build a new display manufacturing hub" in s["quote"] for s in step.statements)


def test_no_suggestion_is_padded_on_the_article(dataset: Dataset) -> None:
    assert analytics.suggestions(network.place_industry(dataset), network.cooperation(dataset)) == []
    summary = analytics.cooperation_summary(dataset)
    assert any("no suggestion" in note for note in summary["notes"])


# --- small graphs with known answers ------------------------------------------------------------

def labelled(graph: nx.Graph) -> nx.Graph:
    for node in graph.nodes:
        graph.nodes[node].update(label=str(node), label_zh="", cls="Place")
    return graph


def test_star() -> None:
    star = labelled(nx.DiGraph([("hub", leaf) for leaf in "abcd"]))
    rows, _ = analytics.centrality(star)
    by = {r.node: r for r in rows}
    assert by["hub"].degree == 1.0 and by["hub"].betweenness == 1.0 and by["hub"].out_degree == 4
    assert {by[x].betweenness for x in "abcd"} == {0.0} and {by[x].degree for x in "abcd"} == {0.25}
    assert len({by[x].pagerank for x in "abcd"}) == 1 and by["a"].pagerank > by["hub"].pagerank
    assert by["hub"].eigenvector > by["a"].eigenvector  # defined on the undirected view


def test_chain() -> None:
    chain = labelled(nx.path_graph(["a", "b", "c", "d", "e"]))
    rows, _ = analytics.centrality(chain)
    by = {r.node: r for r in rows}
    assert by["c"].betweenness == round(4 / 6, 6) and by["b"].betweenness == 0.5 and by["a"].betweenness == 0.0
    (path,) = analytics.paths(None, chain, "a", "e")
    assert path.labels == ["a", "b", "c", "d", "e"]
    assert analytics.paths(None, chain, "a", "e", max_length=3) == []


def test_two_cliques_joined_by_a_bridge() -> None:
    graph = nx.complete_graph(["a1", "a2", "a3", "a4"])
    graph.add_edges_from(nx.complete_graph(["b1", "b2", "b3", "b4"]).edges)
    graph.add_edge("a1", "b1")
    labelled(graph)
    groups = [sorted(m["node"] for m in g) for g in analytics.communities(graph)]
    assert groups == [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]]
    rows, _ = analytics.centrality(graph)
    assert {rows[0].node, rows[1].node} == {"a1", "b1"}
    shortest = analytics.paths(None, graph, "a2", "b2", max_length=3)
    assert shortest[0].labels == ["a2", "a1", "b1", "b2"]


def test_suggestions_rank_shared_industries_and_skip_existing_proposals() -> None:
    ties = nx.MultiGraph()
    for place in "ABCD":
        ties.add_node(place, label=place, label_zh="", cls="PrefectureLevelCity")
    for industry in ("x", "y"):
        ties.add_node(industry, label=industry, label_zh="", cls="Industry")
    ties.add_edges_from([("A", "x"), ("B", "x"), ("C", "x"), ("C", "y"), ("D", "y")])
    cooperating = nx.MultiDiGraph()
    cooperating.add_edge("A", "C", component="k1")
    found = analytics.suggestions(ties, cooperating)
    pairs = [(s.place, s.other) for s in found]
    assert ("A", "C") not in pairs  # they have a proposal together
    assert pairs == [("C", "D"), ("A", "B"), ("B", "C")]
    assert found[0].shared == ["y"] and "have no proposal together" in found[0].reason


# --- determinism across processes ---------------------------------------------------------------

RUNS = [["centrality", "--view", "full"], ["communities", "--view", "full"], ["path", "Mianyang", "Chongqing"],
        ["suggest"], ["cooperation"]]


@pytest.fixture(scope="module")
def shuffled(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("shuffled")
    build(out)
    lines = (out / "pilotkg.nq").read_text(encoding="utf-8").splitlines()
    files = []
    for seed in (1, 2):
        random.Random(seed).shuffle(lines)
        path = out / f"shuffled-{seed}.nq"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


#: Runs every analytic of RUNS in one process and prints their JSON outputs (one process per hash
#: seed, not one per analytic: the data is loaded five times either way, Python only twice).
ALL_RUNS = """
import contextlib, io, json, sys
from pilotkg.cli import main
outputs = []
for run in json.loads(sys.argv[1]):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["analyze", *run, "--format", "json", "--dataset", sys.argv[2]])
    outputs.append([code, json.loads(buffer.getvalue())])
print(json.dumps(outputs))
"""


def test_same_result_in_two_processes(shuffled: list[Path]) -> None:
    """Every analytic gives the same answer whatever PYTHONHASHSEED and the order of the triples."""
    outputs = []
    for hash_seed, path in zip(("0", "12345"), shuffled, strict=True):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        done = subprocess.run([sys.executable, "-c", ALL_RUNS, json.dumps(RUNS), str(path)], capture_output=True, text=True,
                              env=env, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(json.loads(done.stdout))
    assert len(outputs[0]) == len(RUNS)
    for run, first, second in zip(RUNS, outputs[0], outputs[1], strict=True):
        assert first[0] == second[0] == 0, run
        assert first[1] == second[1], run
        assert first[1], f"{run}: the analytic returned nothing to compare"


def test_results_back_into_rdf(dataset: Dataset) -> None:
    rows, _ = analytics.centrality(network.cooperation(dataset))
    graph = analytics.to_rdf("cooperation", rows=rows, started="2026-11-28T00:00:00+00:00")
    scores = list(graph.subjects(None, PK.Score))
    assert scores
    values = list(graph.objects(None, PK.scoreValue))
    assert values and all(v.datatype == rdfns.XSD.double for v in values)
    answer = list(graph.query("""
        PREFIX pk: <https://w3id.org/pilotkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?value ?time WHERE { ?s pk:scoreOf <https://w3id.org/pilotkg/id/place/510100> ; pk:metric "betweenness" ;
          pk:scoreValue ?value ; prov:wasGeneratedBy/prov:startedAtTime ?time }"""))
    assert [(float(v), str(t)) for v, t in answer] == [(0.5, "2026-11-28T00:00:00+00:00")]
    assert isinstance(graph, Graph)


def test_the_summary_lists_every_component(dataset: Dataset) -> None:
    summary = analytics.cooperation_summary(dataset)
    components = {(p["proposer"], c["mode"], tuple(c["places"]), c.get("scope", "") or "")
                  for p in summary["proposals"].values() for c in p["components"].values()}
    assert components == {
        ("Chengdu", "joint manufacturing hub", ("Chengdu", "Chongqing", "Mianyang", "Meishan"), ""),
        ("Yibin", "model for a shared effort", ("Yibin",), ""), ("Yibin", "enclave park", (), ""),
        ("Mianyang", "collaborative research", (), "across the province"), ("Mianyang", "industrial alliance", (), ""),
        ("Mianyang", "technical cooperation", (), "")}


def test_betweenness_of_a_large_network_is_estimated_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import networkx as nx

    from pilotkg import analytics

    monkeypatch.setattr(analytics, "EXACT_BETWEENNESS_LIMIT", 60)  # the rule, not its size: a small network will do
    monkeypatch.setattr(analytics, "BETWEENNESS_PIVOTS", 20)
    graph = nx.relabel_nodes(nx.barabasi_albert_graph(80, 1, seed=3), str)
    rows, notes = analytics.centrality(graph)
    assert len(rows) == graph.number_of_nodes()
    assert any("estimated" in note for note in notes)
    again, _ = analytics.centrality(graph)
    assert [r.betweenness for r in again] == [r.betweenness for r in rows]  # seeded: the same estimate each run
    small, small_notes = analytics.centrality(nx.path_graph(["a", "b", "c"]))
    assert not any("estimated" in note for note in small_notes) and small[0].node == "b"
