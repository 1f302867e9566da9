"""The IRI policy: every instance IRI is under the instance namespace, of a known kind, with a
key that is a normalised name or code, never a row number or a random id."""

from __future__ import annotations

import re

from rdflib import Dataset, URIRef

from pilotkg.iri import KEY_PATTERN, KINDS, mint, slug
from pilotkg.namespaces import ID

UUID_LIKE = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}|(^|-)row-?\d+|^\d{1,3}$")


def instance_iris(dataset: Dataset) -> set[URIRef]:
    found = {t for quad in dataset.quads() for t in quad[:3] if isinstance(t, URIRef) and str(t).startswith(str(ID))}
    assert found, "no instance IRIs collected"
    return found


def test_every_instance_iri_follows_the_policy(dataset: Dataset) -> None:
    bad = []
    for iri in instance_iris(dataset):
        kind, _, rest = str(iri)[len(str(ID)):].partition("/")
        keys = rest.split("/")
        if kind not in KINDS or not all(KEY_PATTERN.match(k) for k in keys):
            bad.append(str(iri))
        elif any(UUID_LIKE.search(k) for k in keys) and kind not in ("place", "classification", "designation", "element"):
            bad.append(str(iri))
    assert bad == []


def test_places_are_keyed_by_their_administrative_code(dataset: Dataset) -> None:
    chengdu = mint("place", "510100")
    assert (chengdu, URIRef("https://w3id.org/pilotkg/ontology#adminCode"), None) in dataset


def test_slug_is_stable_for_known_names() -> None:
    assert slug("2022 World EV & ES Battery Conference") == "2022-world-ev-es-battery-conference"
    assert slug("People's Government of Sichuan Province") == "people-s-government-of-sichuan-province"
    assert str(mint("industry", "new display")) == "https://w3id.org/pilotkg/id/industry/new-display"
