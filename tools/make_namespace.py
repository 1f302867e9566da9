#!/usr/bin/env python3
"""Regenerate the term list of ``pilotkg.namespaces.PK`` from ``ontology/*.ttl``.

    python tools/make_namespace.py          # rewrite src/pilotkg/namespaces.py
    python tools/make_namespace.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
PK = "https://w3id.org/pilotkg/ontology#"
TARGET = ROOT / "src" / "pilotkg" / "namespaces.py"
BLOCK = re.compile(r'(    _NS = Namespace\("https://w3id.org/pilotkg/ontology#"\)\n\n)(.*?)(\n\n\n)', re.S)


def main() -> int:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    terms = sorted({str(s)[len(PK):] for s in graph.subjects() if str(s).startswith(PK)})
    body = "\n".join(f"    {t}: URIRef" for t in terms)
    source = TARGET.read_text(encoding="utf-8")
    updated = BLOCK.sub(lambda m: m.group(1) + body + m.group(3), source, count=1)
    if "--check" in sys.argv:
        if updated != source:
            print("src/pilotkg/namespaces.py is out of date: run tools/make_namespace.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(updated, encoding="utf-8")
    print(f"{len(terms)} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
