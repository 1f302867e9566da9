"""The IRI policy: every instance IRI is under the instance namespace, of a known kind, with a
key that is a normalised name or code, never a row number or a random id."""

from __future__ import annotations

import re

from rdflib import Dataset, URIRef

from pilotkg.iri import KEY_PATTERN, KINDS, mint, slug
from pilotkg.namespaces import ID

#: Kinds keyed by codes (administrative or classification codes), where digits are the key.
CODE_KEYED = ("place", "classification", "designation", "element")
#: Kinds keyed by codes (administrative or classification codes), where digits are the key.
CODE_KEYED = ("place", "classification", "designation", "element")
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
        well_formed = kind in KINDS and all(KEY_PATTERN.match(k) for k in keys)
        looks_generated = kind not in CODE_KEYED and any(UUID_LIKE.search(k) for k in keys)
        if not well_formed or looks_generated:
            bad.append(str(iri))
    assert bad == []


def test_places_are_keyed_by_their_administrative_code(dataset: Dataset) -> None:
    chengdu = mint("place", "510100")
    assert (chengdu, URIRef("https://w3id.org/pilotkg/ontology#adminCode"), None) in dataset


def test_slug_is_stable_for_known_names() -> None:
    assert slug("2022 World EV & ES Battery Conference") == "2022-world-ev-es-battery-conference"
    assert slug("People's Government of Sichuan Province") == "people-s-government-of-sichuan-province"
    assert str(mint("industry", "new display")) == "https://w3id.org/pilotkg/id/industry/new-display"
