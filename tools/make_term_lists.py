#!/usr/bin/env python3
"""Build and check the external-vocabulary term lists in ontology/external/.

Every IRI the project uses from an external vocabulary must appear in the
term list of that vocabulary, so a typo in an IRI fails a test.  A term list
is a plain text file ``ontology/external/<prefix>.txt``:

    # vocabulary: <namespace IRI>
    # source: <where the terms were taken from>
    # ...further comment lines (notes, subset description, generator)...
    <one full term IRI per line, sorted by code point, unique>

Usage
-----
Regenerate the lists that can be derived offline from rdflib's bundled
``rdflib.namespace`` DefinedNamespace classes (rdf, rdfs, owl, xsd, skos,
prov, org, schema, time, qb, dcat, dcterms, void, sh, foaf)::

    python tools/make_term_lists.py

Check that every list in ontology/external/ is well formed (header, sorted,
unique, every IRI inside the declared namespace) and that the rdflib-derived
lists match the installed rdflib (only compared when the installed rdflib
version is the one named in the list's header)::

    python tools/make_term_lists.py --check

Rebuild a list from a local copy of an official vocabulary file (any RDF
syntax rdflib can parse); the list gets every subject IRI declared in the
namespace::

    python tools/make_term_lists.py --from-ttl oa http://www.w3.org/ns/oa# oa.ttl \\
        --source "w3c/web-annotation vocab/wd/ontology/oa.ttl @ <commit>"

The lists for oa, sdmx-*, qudt, unit and cur were not generated offline:
no installed package ships those vocabularies, so they were extracted from
the official files in their public repositories (see each file's header and
ontology/external/README.md).  Running this script without arguments never
touches them.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "ontology" / "external"

# prefix -> (rdflib.namespace class name, expected namespace IRI)
RDFLIB_VOCABS: dict[str, tuple[str, str]] = {
    "rdf": ("RDF", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": ("RDFS", "http://www.w3.org/2000/01/rdf-schema#"),
    "owl": ("OWL", "http://www.w3.org/2002/07/owl#"),
    "xsd": ("XSD", "http://www.w3.org/2001/XMLSchema#"),
    "skos": ("SKOS", "http://www.w3.org/2004/02/skos/core#"),
    "prov": ("PROV", "http://www.w3.org/ns/prov#"),
    "org": ("ORG", "http://www.w3.org/ns/org#"),
    "schema": ("SDO", "https://schema.org/"),
    "time": ("TIME", "http://www.w3.org/2006/time#"),
    "qb": ("QB", "http://purl.org/linked-data/cube#"),
    "dcat": ("DCAT", "http://www.w3.org/ns/dcat#"),
    "dcterms": ("DCTERMS", "http://purl.org/dc/terms/"),
    "void": ("VOID", "http://rdfs.org/ns/void#"),
    "sh": ("SH", "http://www.w3.org/ns/shacl#"),
    "foaf": ("FOAF", "http://xmlns.com/foaf/0.1/"),
}

GENERATOR_LINE = "# generated-by: tools/make_term_lists.py"

# Names every DefinedNamespace class carries that are not vocabulary terms.
_RESERVED = {"_NS", "_fail", "_extras", "_warn", "_underscore_num", "__slots__"}


def rdflib_terms(class_name: str) -> tuple[str, list[str], object]:
    """Return (namespace, sorted term IRIs, class) for an rdflib DefinedNamespace.

    The terms are the class's own annotations (the normal way rdflib declares
    a term) plus its ``_extras`` (terms whose local names are not valid
    Python identifiers, e.g. sh:class, dcterms:ISO639-2).
    """
    from rdflib import namespace as rdfns

    cls = getattr(rdfns, class_name)
    reserved = set(getattr(rdfns, "_DFNS_RESERVED_ATTRS", _RESERVED)) | _RESERVED
    ns = str(cls._NS)
    names = {str(n) for n in inspect.get_annotations(cls) if str(n) not in reserved}
    names |= {str(n) for n in getattr(cls, "_extras", [])}
    return ns, sorted(ns + n for n in names), cls


def render(namespace: str, source: str, iris, notes=()) -> str:
    iris = sorted(set(iris))
    for iri in iris:
        if not iri.startswith(namespace) or len(iri) == len(namespace):
            raise ValueError(f"{iri!r} is not a term of {namespace!r}")
        if any(c.isspace() for c in iri):
            raise ValueError(f"whitespace in IRI {iri!r}")
    lines = [f"# vocabulary: {namespace}", f"# source: {source}"]
    lines += [f"# {n}" if not n.startswith("#") else n for n in notes]
    lines += iris
    return "\n".join(lines) + "\n"


def write_list(prefix: str, namespace: str, source: str, iris, notes=()) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{prefix}.txt"
    path.write_text(render(namespace, source, iris, notes), encoding="utf-8")
    return path


def read_list(path: Path) -> tuple[dict[str, str], list[str], list[str]]:
    """Return (header fields, comment lines, IRIs) of a term list file."""
    header: dict[str, str] = {}
    comments: list[str] = []
    iris: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        if raw.startswith("#"):
            if iris:
                raise ValueError(f"{path.name}: comment after the first IRI")
            comments.append(raw)
            body = raw[1:].strip()
            if ":" in body:
                key, _, value = body.partition(":")
                header.setdefault(key.strip(), value.strip())
        else:
            iris.append(raw.strip())
    return header, comments, iris


def rdflib_list_text(prefix: str) -> str:
    import rdflib

    class_name, expected_ns = RDFLIB_VOCABS[prefix]
    ns, iris, cls = rdflib_terms(class_name)
    if ns != expected_ns:
        raise SystemExit(f"{prefix}: rdflib namespace {ns} != expected {expected_ns}")
    module = cls.__module__
    source = (
        f"rdflib {rdflib.__version__}, module {module} (class {class_name}); "
        "terms = class annotations + _extras"
    )
    notes = [GENERATOR_LINE[2:]]
    if getattr(cls, "_underscore_num", False):
        notes.append(
            "note: rdflib also accepts the container membership properties "
            f"{ns}_1, _2, ... (pattern _[1-9][0-9]*); they are not listed"
        )
    return render(ns, source, iris, notes)


def generate_rdflib_lists() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for prefix in RDFLIB_VOCABS:
        text = rdflib_list_text(prefix)
        path = OUT_DIR / f"{prefix}.txt"
        path.write_text(text, encoding="utf-8")
        count = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
        print(f"wrote {path.relative_to(REPO_ROOT)} ({count} terms)")


def subjects_in_namespace(path: Path, namespace: str, fmt: str | None = None) -> list[str]:
    from rdflib import Graph, URIRef

    g = Graph()
    g.parse(str(path), format=fmt)
    return sorted(
        {
            str(s)
            for s in g.subjects()
            if isinstance(s, URIRef) and str(s).startswith(namespace) and len(str(s)) > len(namespace)
        }
    )


def check_all() -> int:
    import rdflib

    problems: list[str] = []
    files = sorted(OUT_DIR.glob("*.txt"))
    if not files:
        problems.append(f"no term lists in {OUT_DIR}")
    for path in files:
        try:
            header, comments, iris = read_list(path)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if not comments or not comments[0].startswith("# vocabulary: "):
            problems.append(f"{path.name}: first line must be '# vocabulary: <namespace>'")
            continue
        if len(comments) < 2 or not comments[1].startswith("# source: "):
            problems.append(f"{path.name}: second line must be '# source: ...'")
        ns = header["vocabulary"]
        if iris != sorted(iris):
            problems.append(f"{path.name}: IRIs are not sorted")
        if len(iris) != len(set(iris)):
            problems.append(f"{path.name}: duplicate IRIs")
        bad = [i for i in iris if not i.startswith(ns) or len(i) == len(ns) or any(c.isspace() for c in i)]
        if bad:
            problems.append(f"{path.name}: IRIs outside {ns}: {bad[:5]}")
        if not iris:
            problems.append(f"{path.name}: no IRIs")
        prefix = path.stem
        if (prefix in RDFLIB_VOCABS and f"rdflib {rdflib.__version__}," in header.get("source", "")
                and path.read_text(encoding="utf-8") != rdflib_list_text(prefix)):
            problems.append(f"{path.name}: differs from installed rdflib; rerun tools/make_term_lists.py")
    missing = [p for p in RDFLIB_VOCABS if not (OUT_DIR / f"{p}.txt").exists()]
    if missing:
        problems.append(f"missing rdflib-derived lists: {missing}")
    for p in problems:
        print("FAIL:", p)
    if not problems:
        print(f"ok: {len(files)} term lists in {OUT_DIR.relative_to(REPO_ROOT)}")
    return 1 if problems else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="verify the lists instead of writing them")
    ap.add_argument(
        "--from-ttl",
        nargs=3,
        metavar=("PREFIX", "NAMESPACE", "FILE"),
        help="write <PREFIX>.txt from the subjects of FILE that lie in NAMESPACE",
    )
    ap.add_argument("--format", help="rdflib parser format for --from-ttl (default: guess from the file name)")
    ap.add_argument("--source", help="text for the '# source:' header line (required with --from-ttl)")
    ap.add_argument("--note", action="append", default=[], help="extra '# ' header line (repeatable)")
    args = ap.parse_args(argv)

    if args.check:
        return check_all()
    if args.from_ttl:
        if not args.source:
            ap.error("--from-ttl needs --source")
        prefix, ns, file = args.from_ttl
        iris = subjects_in_namespace(Path(file), ns, args.format)
        path = write_list(prefix, ns, args.source, iris, args.note + [GENERATOR_LINE[2:] + " --from-ttl"])
        print(f"wrote {path} ({len(iris)} terms)")
        return 0
    generate_rdflib_lists()
    return 0


if __name__ == "__main__":
    sys.exit(main())
