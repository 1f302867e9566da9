"""pilotkg's benchmarks: ``make bench`` (or ``python bench/run.py [--sizes 10k,100k,1m] [--cap 120]``).

At each size, synthetic data (``pilotkg synth``, seed 1) is measured on the code paths the CLI
uses, each task in a process of its own (``bench/task.py``) for its time and peak memory, beside
the plain-library baseline measured in the same run: pyoxigraph's bulk load for the load phase,
rdflib's parse for the whole build, rdflib's SPARQL engine for the queries, pySHACL on an
in-memory graph for validation. Baselines are capped (``--cap`` seconds) and reported as
``> cap``. Ratios, not absolute seconds, are what compare across machines. The results are also
written as JSON (``--output``) so that they can be compared over time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: ``pilotkg synth`` arguments for each documented size (places, enterprises per place).
SIZES: dict[str, tuple[int, int]] = {"10k": (8, 6), "100k": (40, 22), "1m": (100, 105), "10m": (300, 360)}


def synthetic(size: str, cache: Path) -> Path:
    from pilotkg.synth import synthesize

    places, enterprises = SIZES[size]
    folder = cache / f"synth-{size}-seed1"
    if not (folder / "synth.nq").is_file():
        synthesize(places, enterprises, seed=1, output=folder)
    return folder


def run_task(name: str, folder: Path, cap: float, arg: str = "") -> dict[str, Any]:
    """The task's JSON, or ``{"capped": True}`` when it ran past ``cap`` seconds."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, str(HERE / "task.py"), name, str(folder), arg], capture_output=True,
                              text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"capped": True, "seconds": None, "wall": time.perf_counter() - started}
    if done.returncode != 0:
        return {"failed": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}",
                "seconds": None}
    outcome: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return outcome


def _fmt(seconds: float | None, capped: bool = False, cap: float = 0) -> str:
    if capped:
        return f"> {cap:g} s"
    return "-" if seconds is None else f"{seconds:.3f}"


def _ratio(value: float | None, baseline: float | None, capped: bool) -> str:
    if value is None:
        return "-"
    if capped:
        return "< (capped)"
    if not baseline:
        return "-"
    return f"{value / baseline:.2f}x"


def measure(size: str, folder: Path, cap: float) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def row(task: str, mine: dict[str, Any], base: dict[str, Any] | None, base_name: str, seconds: float | None = None,
            base_seconds: float | None = None) -> None:
        mine_s = seconds if seconds is not None else mine.get("seconds")
        base_capped = bool(base and base.get("capped"))
        b = base_seconds if base_seconds is not None else (base.get("seconds") if base else None)
        rows.append({"size": size, "task": task, "seconds": mine_s, "peak_mb": mine.get("peak_mb"),
                     "capped": bool(mine.get("capped")), "failed": mine.get("failed"), "baseline": base_name,
                     "baseline_seconds": b, "baseline_capped": base_capped,
                     "ratio": (mine_s / b) if mine_s and b and not base_capped else None})

    bulk = run_task("load-bulk", folder, cap)
    load = run_task("load-store", folder, cap * 4)
    row("load into the fast store", load, bulk, "pyoxigraph bulk_load")
    parse = run_task("parse-rdflib", folder, cap)
    build = run_task("build", folder, cap * 4)
    row("build (whole)", build, parse, "rdflib parse")
    for phase, seconds in (build.get("phases") or {}).items():
        row(f"build: {phase}", build, bulk if phase == "load" else None, "pyoxigraph bulk_load" if phase == "load" else "",
            seconds=seconds)
    fast = run_task("queries-fast", folder, cap * 4)
    slow = run_task("queries-rdflib", folder, cap * 8, str(cap))
    for name, seconds in sorted((fast.get("queries") or {}).items()):
        base_seconds = (slow.get("queries") or {}).get(name)
        row(f"query {name} (median of 5)", fast, {"seconds": base_seconds, "capped": base_seconds is None and "queries" in slow},
            "rdflib SPARQL", seconds=seconds)
    pyshacl = run_task("validate-pyshacl", folder, cap)
    fast_v = run_task("validate-fast", folder, cap * 4)
    row("validate, fast engine (cold, full)", fast_v, pyshacl, "pySHACL in memory")
    row("validate, pySHACL engine", pyshacl, pyshacl, "pySHACL in memory")
    analytics = run_task("analytics", folder, cap * 4)
    row("cooperation projection + centralities", analytics, None, "")
    row("communities (Louvain)", analytics, None, "", seconds=analytics.get("communities"))
    html = run_task("export-html", folder, cap * 4)
    row("export html (cooperation view)", html, None, "")
    for r in rows:
        r["cap"] = cap
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    headers = ["size", "task", "seconds", "peak MB", "baseline", "baseline s", "ratio"]
    cells = [[r["size"], r["task"], r["failed"] and f"failed: {r['failed']}"[:40] or _fmt(r["seconds"], r["capped"], r["cap"]),
              "-" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}", r["baseline"] or "-",
              _fmt(r["baseline_seconds"], r["baseline_capped"], r["cap"]) if r["baseline"] else "-",
              _ratio(r["seconds"], r["baseline_seconds"], r["baseline_capped"]) if r["baseline"] else "-"] for r in rows]
    widths = [max(len(h), *(len(str(c[i])) for c in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m, 10m (default 10k,100k,1m)")
    parser.add_argument("--cap", type=float, default=120.0, help="seconds a baseline may run (default 120)")
    parser.add_argument("--cache", default=str(HERE / ".cache"), help="where the synthetic data is kept between runs")
    parser.add_argument("--output", default=str(HERE / "results" / "latest.json"), help="the JSON results")
    args = parser.parse_args()
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        print(f"bench: unknown size(s) {', '.join(unknown)}; use {', '.join(SIZES)}", file=sys.stderr)
        return 2
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for size in sizes:
        print(f"bench: {size}: synthesising ...", file=sys.stderr, flush=True)
        folder = synthetic(size, cache)
        print(f"bench: {size}: measuring ...", file=sys.stderr, flush=True)
        found = measure(size, folder, args.cap)
        rows += found
        sys.stdout.write(table(found))
        sys.stdout.flush()
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    document = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": platform.platform(),
                "cpus": os.cpu_count(), "python": platform.python_version(), "cap": args.cap, "rows": rows}
    tmp = output.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    tmp.replace(output)
    print(f"bench: wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
