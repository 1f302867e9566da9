"""``synthesize``: write a synthetic data folder, its N-Quads and its manifest.

The output folder is a data folder (``pilotkg build --data DIR`` builds it, through every check
of the real build path) with, beside it, the whole dataset as N-Quads and the manifest of the
results validation must give. It is written to a temporary folder beside the target and renamed
into place when complete; the same arguments always give byte-identical files.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph

from .. import __version__
from ..assets import data_dir
from ..build import ONTOLOGY_GRAPH, REFERENCE_GRAPH, SHAPES_GRAPH, load_ontology
from ..errors import InputError
from ..namespaces import SYNTH
from ..reference import reference_graph
from ..validate import load_shapes
from .bulletin import Bulletin
from .common import Context
from .expect import Manifest
from .programme import write_programme
from .world import Params, plan
from .writer import bnode_counter

NQUADS = "synth.nq"
MANIFEST = "manifest.json"
README = "README.md"
GENERATOR = "pilotkg synth"
REFERENCE_HEADERS = {"places.csv": "name_en,name_zh,level,admin_code_gbt2260,parent_admin_code,wikidata\n",
                     "industry-codes.csv": "industry_en,industry_zh,scheme,code,code_name_zh,match\n"}


@dataclass(frozen=True)
class SynthResult:
    """What ``synthesize`` wrote."""

    output: Path
    nquads: Path
    manifest: Path
    #: Statements of the synthetic sources (their named graphs).
    triples: int
    #: Lines of the N-Quads file: the synthetic sources plus the ontology, the shapes and the reference graph.
    quads: int
    sources: int
    #: Results the manifest expects, and the shapes they cover out of all.
    expected: int
    shapes_covered: int
    shapes_total: int
    not_covered: tuple[str, ...]


def synthesize(places: int, enterprises_per_place: int, *, batches: int = 3, years: int = 5, proposals_per_place: int = 2,
               first_year: int = 2019, plant_rate: float = 0.002, seed: int, output: Path) -> SynthResult:
    """Write a synthetic world of ``places`` cities with ``enterprises_per_place`` enterprises each to
    ``output``: a data folder, ``synth.nq`` and ``manifest.json``. Refuses a folder inside the
    project's data folder, and a non-empty folder that is not an earlier output of synth."""
    params = Params(places, enterprises_per_place, batches, years, proposals_per_place, first_year, plant_rate, seed)
    output = Path(output)
    _check_output(output)
    try:
        world = plan(params)
    except ValueError as exc:
        raise InputError(str(exc), hint="see `pilotkg synth --help` for the smallest sizes") from exc
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        result = _write(world, staging, output)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _check_output(output: Path) -> None:
    target = output.resolve()
    try:
        shipped = data_dir().resolve()
    except InputError:
        shipped = None
    if shipped is not None and (target == shipped or target.is_relative_to(shipped) or shipped.is_relative_to(target)):
        raise InputError("synthetic data never goes into the project's data folder", file=output,
                         hint="name a folder of its own, e.g. --output synth-10k, and build it with `pilotkg build --data DIR`")
    if output.exists():
        if not output.is_dir():
            raise InputError("the output exists and is not a folder", file=output)
        if any(output.iterdir()) and not _is_earlier_output(output):
            raise InputError("the output folder is not empty and holds no earlier output of pilotkg synth", file=output,
                             hint="name a new or empty folder; an earlier synth output (with its manifest.json) is replaced")


def _is_earlier_output(folder: Path) -> bool:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("generator") == GENERATOR
    except (OSError, ValueError, AttributeError):
        return False


def _swap(staging: Path, output: Path) -> None:
    if output.exists():
        old = output.with_name(f".{output.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        output.rename(old)
        staging.rename(output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(output)


def _write(world, root: Path, final: Path) -> SynthResult:
    ontology, shapes = load_ontology(), load_shapes()
    (root / "reference").mkdir()
    for name, columns in REFERENCE_HEADERS.items():
        (root / "reference" / name).write_text(columns, encoding="utf-8", newline="\n")
    manifest = Manifest(shapes, ontology)
    with (root / NQUADS).open("w", encoding="utf-8", newline="\n") as nquads:
        fixed = _fixed_graphs(nquads, ontology, shapes, reference_graph(root / "reference"))
        ctx = Context(world, manifest, root, nquads, bnode_counter())
        write_programme(ctx)
        for city in world.cities:
            Bulletin(ctx, city).write()
    params = world.params
    header = {"generator": GENERATOR, "pilotkg": __version__, "arguments": asdict(params),
              "namespace": str(SYNTH), "triples": ctx.triples, "quads": ctx.triples + fixed, "sources": ctx.sources,
              "unplaced": world.unplaced,
              "about": "The results validation (pilotkg validate, pySHACL) must give on this dataset: every planted problem "
                       "and every gap, each with its shape, focus node, constraint component and, for a property shape, its "
                       "path. Written by the generator before anything is validated."}
    (root / MANIFEST).write_text(manifest.to_json(header), encoding="utf-8", newline="\n")
    (root / README).write_text(_readme(params, ctx.triples, ctx.triples + fixed, ctx.sources, len(manifest.entries)),
                               encoding="utf-8", newline="\n")
    all_shapes, covered = manifest.top_level_shapes(), manifest.covered()
    return SynthResult(final, final / NQUADS, final / MANIFEST, ctx.triples, ctx.triples + fixed, ctx.sources,
                       len(manifest.entries), len(covered & all_shapes), len(all_shapes), tuple(sorted(all_shapes - covered)))


def _fixed_graphs(nquads, ontology: Graph, shapes: Graph, reference: Graph) -> int:
    """The ontology, shapes and reference graphs as the build names them, blank nodes labelled
    canonically and lines sorted, so that the file is the same on every run."""
    count = 0
    for name, graph in ((ONTOLOGY_GRAPH, ontology), (SHAPES_GRAPH, shapes), (REFERENCE_GRAPH, reference)):
        dataset = Dataset()
        target = dataset.graph(name)
        for triple in to_canonical_graph(graph):
            target.add(triple)
        lines = sorted(set(dataset.serialize(format="nquads").splitlines()) - {""})
        nquads.write("\n".join(lines) + "\n")
        count += len(lines)
    return count


def _readme(params: Params, triples: int, quads: int, sources: int, expected: int) -> str:
    p = params
    return f"""# Synthetic test data (pilotkg synth): not real data

Every name, code, figure and statement here is invented. Nothing in it is true.

Made by `pilotkg synth --places {p.places} --enterprises-per-place {p.enterprises_per_place} --batches {p.batches} \\
--years {p.years} --proposals-per-place {p.proposals_per_place} --first-year {p.first_year} --plant-rate {p.plant_rate} \\
--seed {p.seed}` (pilotkg {__version__}); the same command always writes the same bytes.

- Instances are under `{SYNTH}`, never under the real instance base; the only real IRIs the data points
  to are the six requirements (`https://w3id.org/pilotkg/id/requirement/...`), which the shapes name.
- Every source document is flagged `pk:isSynthetic true`. Place codes start with 90 to 99, which no
  province of GB/T 2260 has; industry classes are `00NN` of a synthetic classification.
- {sources} synthetic sources, {triples} statements ({quads} lines in `{NQUADS}` with the ontology, the shapes
  and the reference graph); `{MANIFEST}` lists the {expected} results validation must give.

## Layout

- `sources/SLUG/`: one folder per synthetic source document, as in `data/sources/`: the stored text
  (`text.txt`), `source.ttl` (the document, its SHA-256 and paragraphs), `facts.ttl`, `quotes.ttl`
  (verbatim spans at their offsets) and, where problems are planted that the build's evidence checks
  would refuse in a real source, `planted.ttl`.
- `reference/`: the reference tables, headers only (synthetic places are described by the sources).
- `{NQUADS}`: the whole dataset in the build's named graphs (`graph/ontology`, `graph/shapes`,
  `graph/reference`, `graph/source/SLUG`), for loaders and benchmarks. The derived graphs a build adds
  (closure, validation, meta) are not in it.
- `{MANIFEST}`: the expected validation results (shape, focus node, constraint component, path).

## Use

    pilotkg build --data THIS_FOLDER --output OUT      # the real build path, every check
    pilotkg validate --dataset THIS_FOLDER/{NQUADS} --format json
"""
