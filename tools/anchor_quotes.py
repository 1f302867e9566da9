#!/usr/bin/env python3
"""Maintain the selectors of a source's quotes (a curators' tool, not part of the package).

    python tools/anchor_quotes.py data/sources/SLUG            # check; exit 1 on a stale selector
    python tools/anchor_quotes.py data/sources/SLUG --fix      # rewrite oa:start/oa:end in place
    python tools/anchor_quotes.py data/sources/SLUG --paragraphs TEXTFILE
                                                               # print pk:Paragraph nodes for a new text

A quote's oa:exact (with oa:prefix/oa:suffix where the words recur) is the truth; its
TextPositionSelector is derived from it. Positions count Unicode code points from 0.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

OA = "http://www.w3.org/ns/oa#"
PK = "https://w3id.org/pilotkg/ontology#"


def _unescape(value: str | None) -> str | None:
    """Undo Turtle string escapes (\\", \\\\, \\n, \\uXXXX)."""
    if value is None:
        return None
    return re.sub(r'\\(u[0-9a-fA-F]{4}|["\\nrt])', lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(
        m.group(1), chr(int(m.group(1)[1:], 16)) if m.group(1).startswith("u") else m.group(1)), value)


def locate(text: str, exact: str, prefix: str | None, suffix: str | None) -> list[int]:
    hits = [m.start() for m in re.finditer(re.escape(exact), text)]
    if prefix:
        hits = [h for h in hits if text[max(0, h - len(prefix)):h] == prefix]
    if suffix:
        hits = [h for h in hits if text[h + len(exact):h + len(exact) + len(suffix)] == suffix]
    return hits


def anchor(folder: Path, *, fix: bool) -> int:
    graph = Graph()
    for path in folder.glob("*.ttl"):
        graph.parse(path, format="turtle")
    doc = next(graph.subjects(RDF.type, URIRef(PK + "SourceDocument")))
    text = (folder / str(graph.value(doc, URIRef(PK + "textFile")))).read_text(encoding="utf-8")
    stale = 0
    for path in sorted(folder.glob("*.ttl")):
        content = path.read_text(encoding="utf-8")
        changed = content
        for match in re.finditer(r'oa:exact "((?:[^"\\]|\\.)*)"(?: ; oa:prefix "((?:[^"\\]|\\.)*)")?'
                                 r'(?: ; oa:suffix "((?:[^"\\]|\\.)*)")? \] ,\s*\[ a oa:TextPositionSelector ; '
                                 r'oa:start (\d+) ; oa:end (\d+) \]', content):
            exact, prefix, suffix = (_unescape(g) for g in match.groups()[:3])
            hits = locate(text, exact, prefix, suffix)
            if len(hits) != 1:
                print(f"{path}: {exact[:50]!r} occurs {len(hits)} times; "
                      f"{'add oa:prefix or oa:suffix' if hits else 'quote verbatim'}", file=sys.stderr)
                stale += 1
                continue
            start, end = hits[0], hits[0] + len(exact)
            if (int(match.group(4)), int(match.group(5))) != (start, end):
                stale += 1
                print(f"{path}: {exact[:50]!r} is at {start}-{end}, not {match.group(4)}-{match.group(5)}", file=sys.stderr)
                old = match.group(0)
                changed = changed.replace(old, old[: old.rindex("oa:start")] + f"oa:start {start} ; oa:end {end} ]", 1)
        if fix and changed != content:
            path.write_text(changed, encoding="utf-8")
    return 1 if stale and not fix else 0


def paragraphs(slug: str, text_path: Path) -> None:
    text = text_path.read_text(encoding="utf-8")
    position, number = 0, 0
    for line in text.split("\n"):
        if line.strip():
            number += 1
            print(f"src:{slug}-p{number} a pk:Paragraph ;\n    dcterms:isPartOf src:{slug} ;\n"
                  f"    pk:paragraphNumber {number} ;\n    pk:paragraphRole pk:BodyParagraph ;  # or Title, Heading, Chrome\n"
                  f"    pk:startOffset {position} ;\n    pk:endOffset {position + len(line)} .\n")
        position += len(line) + 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--fix", action="store_true")
    parser.add_argument("--paragraphs", type=Path, metavar="TEXTFILE")
    args = parser.parse_args()
    if args.paragraphs:
        paragraphs(args.folder.name, args.paragraphs)
        return 0
    return anchor(args.folder, fix=args.fix)


if __name__ == "__main__":
    sys.exit(main())
