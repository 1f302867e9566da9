"""The ``pilotkg synth`` command: realistic synthetic data at scale, for tests and benchmarks.

:func:`add_commands` adds it to ``pilotkg``'s subcommands. Like :mod:`pilotkg.cli`, only this
module prints; errors are :class:`~pilotkg.errors.PilotkgError` that ``cli.main`` turns into exit
codes (0 written, 2 on a usage error: a size too small to plant every problem, or an output folder
that is inside the project's data folder or holds something else).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

SIZES = """\
sizes (statements of the synthetic sources; defaults --years 5 --batches 3 --proposals-per-place 2):
  about 10k    --places 8   --enterprises-per-place 6
  about 100k   --places 40  --enterprises-per-place 22
  about 1M     --places 100 --enterprises-per-place 105
  about 10M    --places 300 --enterprises-per-place 360
  in general about 1,400 + N x (520 + 91 M) statements; each further year adds about 11 M + 33 per place.
  The N-Quads file adds about 2,000 lines (the ontology, the shapes and the reference graph).

smallest: --places 4 --enterprises-per-place 2 --years 2 (room for every planted problem)."""


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import synthesize

    result = synthesize(args.places, args.enterprises_per_place, batches=args.batches, years=args.years,
                        proposals_per_place=args.proposals_per_place, first_year=args.first_year, plant_rate=args.plant_rate,
                        seed=args.seed, output=Path(args.output))
    print(f"wrote {result.output}: {result.sources} synthetic sources, {result.triples} statements "
          f"({result.quads} lines in {result.nquads.name}); {result.manifest.name} expects {result.expected} validation "
          f"results covering {result.shapes_covered} of {result.shapes_total} shapes", file=sys.stderr)
    for shape in result.not_covered:
        print(f"  no problem could be planted for {shape}: raise the sizes", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction, data_opts: Callable[..., None]) -> None:
    """Add ``synth`` to the CLI's subcommands. It reads no data folder, so ``data_opts`` is not used."""
    s = sub.add_parser(
        "synth", help="write realistic synthetic data (never real) with a manifest of its planted problems",
        description="Write a synthetic world, seeded and deterministic, to a folder of its own: a data folder that "
                    "`pilotkg build --data DIR` builds (sources/, reference/), the whole dataset as DIR/synth.nq, and "
                    "DIR/manifest.json, the results validation must give (shape, focus node, constraint component, "
                    "path). Instances are under https://w3id.org/pilotkg/id/synth/ and every source is flagged "
                    "pk:isSynthetic true; the project's data folder is refused as output, and its build refuses a "
                    "synthetic source. An earlier output of synth in DIR is replaced; any other content is refused.",
        epilog=SIZES, formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--places", type=int, required=True, metavar="N", help="prefecture-level cities (4 to 990), 30 to a province")
    s.add_argument("--enterprises-per-place", type=int, required=True, metavar="M", help="enterprises of each city (at least 2)")
    s.add_argument("--batches", type=int, default=3, metavar="B", help="batches of pilot designations (default 3)")
    s.add_argument("--years", type=int, default=5, metavar="Y", help="years of figures (default 5)")
    s.add_argument("--proposals-per-place", type=int, default=2, metavar="P",
                   help="collaboration proposals each city makes (default 2)")
    s.add_argument("--first-year", type=int, default=2019, metavar="YEAR", help="the first year of figures (default 2019)")
    s.add_argument("--plant-rate", type=float, default=0.002, metavar="R",
                   help="share of enterprises, figures and cities that get a planted problem (default 0.002; "
                        "at least one of each kind)")
    s.add_argument("--seed", type=int, required=True, metavar="S", help="the seed: the same arguments give the same bytes")
    s.add_argument("--output", "-o", required=True, metavar="DIR", help="the folder to write (never inside data/)")
    s.set_defaults(func=cmd_synth)
