"""Minting instance IRIs by the project's IRI policy (README, "IRI policy").

Instance IRIs are ``https://w3id.org/pilotkg/id/{kind}/{key}``. The key is a stable identifier
(a GB/T 2260 code, a classification code) or the normalised English name, never a row number
or a random id. Once published an IRI never changes.

>>> slug("Chengdu BOE Optoelectronics Technology Co., Ltd.")
'chengdu-boe-optoelectronics-technology-co-ltd'
>>> slug("vanadium & titanium")
'vanadium-titanium'
>>> str(mint("industry", "crystalline silicon PV"))
'https://w3id.org/pilotkg/id/industry/crystalline-silicon-pv'
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from .namespaces import ID, SYNTH

#: The kinds of instance IRI, the first path segment after ``/id/``.
KINDS = frozenset({
    "place", "industry", "classification", "agent", "post", "park", "platform", "conference",
    "event", "document", "chain", "clusters", "sector", "programme", "batch", "list",
    "requirement", "designation", "element", "time", "source", "quote", "observation",
    "statement", "proposal", "mention", "inference", "graph", "dataset", "build", "reference", "assessment", "ingest",
    "analytics",
})

_NON_KEY = re.compile(r"[^a-z0-9]+")
#: What a key segment may look like: lowercase ASCII words joined by hyphens.
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug(name: str) -> str:
    """Normalise a name to a key: NFKD, ASCII, lower case, runs of anything else become '-'."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NON_KEY.sub("-", folded.lower()).strip("-")


def mint(kind: str, *keys: str) -> URIRef:
    """The IRI of an instance of ``kind`` identified by ``keys`` (each normalised by :func:`slug`)."""
    if kind not in KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}")
    parts = [slug(k) for k in keys]
    if not all(parts):
        raise ValueError(f"empty key in {keys!r}")
    return ID[kind + "/" + "/".join(parts)]


def mint_synthetic(kind: str, *keys: str) -> URIRef:
    """The IRI of a synthetic instance (``pilotkg synth``): ``https://w3id.org/pilotkg/id/synth/{kind}/{key}``.

    The ``synth/`` base is reserved: :func:`mint` refuses it as a kind, so no real source can
    mint there, while every check that recognises instances by the ``/id/`` base (the build's,
    the RDFS closure's, the query library's, the IRI-policy shape) treats synthetic data as it
    treats real data.

    >>> str(mint_synthetic("place", "910100"))
    'https://w3id.org/pilotkg/id/synth/place/910100'
    """
    return URIRef(str(SYNTH) + mint(kind, *keys)[len(str(ID)):])
