"""pilotkg's benchmarks: ``make bench`` (or ``python bench/run.py [--sizes 10k,100k,1m] [--cap 120]``).

At each size, synthetic data (``pilotkg synth``, seed 1) is built (``pilotkg.build.build``, kept in
``bench/.cache/built-SIZE/``), then every query of the library, validation with each engine, each
analytic and each export run on what the build produced, each task in a process of its own
(``bench/task.py``) for its time and peak memory, beside the plain-library baselines measured in
the same run: pyoxigraph's bulk load for the load phase, rdflib's parse for the whole build,
rdflib's SPARQL engine for the queries, plain pySHACL on an in-memory graph for validation.
Baselines are capped (``--cap`` seconds) and reported as ``> cap``. Ratios, not absolute seconds,
are what compare across machines. The results are also written as JSON (``--output``);
``--compare OLD.json NEW.json`` prints the ratio new/old of each row. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from task import EVERY_PAGE  # the row of a paged query asked for every page

HERE = Path(__file__).resolve().parent
#: ``pilotkg synth`` arguments for each documented size (places, enterprises per place).
SIZES: dict[str, tuple[int, int]] = {"10k": (8, 6), "100k": (40, 22), "1m": (100, 105), "10m": (300, 360)}
#: What can be chosen with --only (the build always runs, or is reused: the rest works on it).
GROUPS = ("load", "queries", "validate", "analyze", "export")
#: The views of `pilotkg analyze` and `pilotkg export`, and the export formats, as the CLI lists them.
VIEWS = ("cooperation", "place-industry", "chain", "full")
FORMATS = ("graphml", "gexf", "cytoscape", "csv", "jsonld", "turtle", "trig", "nquads", "html", "svg", "png")
#: The row of pilotkg's load into the fast store, as ``pilotkg push`` does it.
LOAD_ROW = "load: pilotkg push's load (OxigraphStore.replace_with_file)"
#: The issue's targets, at 1M statements.
LOAD_RATIO, LOAD_MB = 1.3, 1024.0
QUERY_TARGET, CENTRALITY_TARGET, HTML_TARGET = 1.0, 2.0, 5.0
FAST_VALIDATION_SPEEDUP, FAST_VALIDATION_MB = 10.0, 2048.0


# ---------------------------------------------------------------------------------------------
# Running one task


class Runner:
    """Runs ``bench/task.py`` tasks, each in its own process with its own scratch folder under
    ``root``; the folder is removed after the task, however it ended."""

    def __init__(self, root: Path, cap: float, verbose: bool = True) -> None:
        self.root = root
        self.cap = cap  # what a task caps its own steps at (each query)
        self.verbose = verbose

    def run(self, name: str, data: dict[str, Any], cap: float, arg: Any = None, *,
            step_cap: float | None = None) -> dict[str, Any]:
        """The task's merged JSON lines; ``capped`` when it ran past ``cap`` seconds (what it
        reported before is kept), ``failed`` (the last line of its error) when it failed.
        ``step_cap``: what the task caps its own steps at (default the runner's)."""
        scratch = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.root))
        spec = dict(data, tmp=str(scratch), cap=step_cap or self.cap, arg=arg, started=time.time())
        env = dict(os.environ, TMPDIR=str(scratch))
        started = time.perf_counter()
        if self.verbose:
            print(f"bench:   {name} {json.dumps(arg) if arg is not None else ''}".rstrip(), file=sys.stderr, flush=True)
        try:
            try:
                done = subprocess.run([sys.executable, str(HERE / "task.py"), name, json.dumps(spec)], capture_output=True,
                                      text=True, timeout=cap, env=env)
            except subprocess.TimeoutExpired as exc:
                outcome = merge(_text(exc.stdout))
                outcome.update(capped=True, seconds=None, cap=cap, wall=time.perf_counter() - started)
                return outcome
            outcome = merge(done.stdout)
            if done.returncode != 0 or not outcome.get("done"):
                said = [line for line in done.stderr.splitlines() if line.strip()]
                outcome.update(failed=said[-1] if said else f"exit {done.returncode}", traceback=said[-12:], seconds=None)
            outcome["cap"] = cap
            outcome["wall"] = time.perf_counter() - started
            return outcome
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def merge(stdout: str) -> dict[str, Any]:
    """A task's JSON lines merged in order (dicts merged key by key); other lines are ignored."""
    outcome: dict[str, Any] = {}
    for line in stdout.splitlines():
        try:
            found = json.loads(line)
        except ValueError:
            continue
        if not isinstance(found, dict):
            continue
        for key, value in found.items():
            if isinstance(value, dict) and isinstance(outcome.get(key), dict):
                outcome[key].update(value)
            else:
                outcome[key] = value
    return outcome


def _library_size() -> int:
    """The queries a queries task asks: each of the library, and each paged one a second time."""
    from pilotkg import querylib

    queries = querylib.library().values()
    return len(queries) + sum(q.page_size is not None for q in queries)


def _load_baseline(build: dict[str, Any]) -> dict[str, Any] | None:
    """The baseline of the build's load phase: pyoxigraph's bulk_load of the same N-Quads, timed
    right before and right after the build (their mean), kept with a reused build."""
    found = build.get("load_baseline") or {}
    measured = [x for x in (found.get("before"), found.get("after")) if x]
    if not measured:
        return None
    return {"seconds": sum(measured) / len(measured), "peak_mb": found.get("peak_mb"),
            "note": "bulk_load before/after the build: " + " / ".join(f"{x:.1f} s" for x in measured)}


def _query_outcome(task: dict[str, Any], name: str, cap: float) -> dict[str, Any]:
    """One query's outcome from its task's: seconds, or capped, or why it has no figure."""
    found, errors = task.get("queries") or {}, task.get("errors") or {}
    outcome = {"seconds": found.get(name), "peak_mb": task.get("peak_mb"), "runs": (task.get("runs") or {}).get(name)}
    if name in errors:
        outcome["failed"] = errors[name]
    elif name in found and found[name] is None:
        outcome.update(capped=True, cap=cap)
    elif name not in found:
        outcome["failed"] = task.get("failed") or task.get("missing") or "not run"
    return outcome


def run_queries(runner: Runner, name: str, data: dict[str, Any], timeout: float,
                step_cap: float | None = None) -> dict[str, Any]:
    """A queries task, run again without the query it was stuck in when it reached ``timeout``
    (Oxigraph cannot be interrupted in the middle of a query). The query it was stuck in is run
    once more, first, with the whole ``timeout``: stuck again, it is recorded as capped."""
    merged: dict[str, Any] = {"queries": {}, "runs": {}, "attempts": 0, "stuck": []}
    first = None
    while True:
        done = list(merged["queries"])
        found = runner.run(name, data, timeout, {"skip": done, "first": first}, step_cap=step_cap)
        merged["attempts"] += 1
        merged["queries"].update(found.get("queries") or {})
        merged["runs"].update(found.get("runs") or {})
        merged["errors"] = merged.get("errors", {}) | (found.get("errors") or {})
        for key in ("peak_mb", "failed", "traceback", "cap"):
            if key in found:
                merged[key] = found[key]
        stuck = found.get("running")
        if not found.get("capped") or not stuck:
            merged["capped"] = bool(found.get("capped"))
            merged["seconds"] = sum(v for v in merged["queries"].values() if v is not None)
            return merged
        if stuck == first or (found.get("at") or 0) < timeout - (step_cap or runner.cap):
            merged["queries"][stuck] = None  # it ran for at least the cap
            merged["stuck"].append(stuck)
            first = None
        else:
            first = stuck


# ---------------------------------------------------------------------------------------------
# The data: synthetic, then built


def synthetic(size: str, cache: Path) -> Path:
    from pilotkg.synth import synthesize

    places, enterprises = SIZES[size]
    folder = cache / f"synth-{size}-seed1"
    if not (folder / "synth.nq").is_file():
        synthesize(places, enterprises, seed=1, output=folder)
    return folder


def built(size: str, synth: Path, cache: Path, runner: Runner, cap: float, rebuild: bool) -> tuple[dict[str, Any], Path | None]:
    """The build's outcome and its folder (``cache/built-SIZE``), or None when it failed or was
    capped. A build newer than the synthetic data is reused, unless ``rebuild``."""
    folder = cache / f"built-{size}"
    marker = folder / "bench-build.json"
    if (not rebuild and marker.is_file() and (folder / "pilotkg.nq").is_file()
            and marker.stat().st_mtime > (synth / "synth.nq").stat().st_mtime):
        outcome = json.loads(marker.read_text(encoding="utf-8"))
        outcome["reused"] = True
        print(f"bench:   build: reusing {folder} (built {outcome.get('when', '?')}; --rebuild to build again)",
              file=sys.stderr, flush=True)
        return outcome, folder
    partial = cache / f"built-{size}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        # the baseline of the load phase, timed right before and right after the build: measured
        # minutes apart, bulk_load varied by 25% on a shared machine, enough to flip the verdict
        before = runner.run("load-bulk", {"synth": str(synth)}, cap)
        outcome = runner.run("build", {"synth": str(synth)}, cap, arg=str(partial))
        after = runner.run("load-bulk", {"synth": str(synth)}, cap)
        outcome["load_baseline"] = {"before": before.get("seconds"), "after": after.get("seconds"),
                                    "peak_mb": max((x.get("peak_mb") or 0 for x in (before, after)), default=None)}
        outcome["reused"] = False
        if outcome.get("capped") or outcome.get("failed") or not (partial / "pilotkg.nq").is_file():
            return outcome, None
        outcome["when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
        (folder / "bench-build.json").write_text(json.dumps(outcome, indent=1) + "\n", encoding="utf-8")
        return outcome, folder
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def data_source(size: str, synth: Path, folder: Path | None, runner: Runner, cap: float,
                staged: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What the later tasks work on: the build's Oxigraph store, read-only, when it left one; else
    its N-Quads bulk-loaded into a temporary store (``staged``); else, the build having failed or
    been capped, the synthetic N-Quads the same way. Returns the task data (``synth``, ``nq``,
    ``store``, ``kind``, ``note``) and the staging outcome, if any."""
    data: dict[str, Any] = {"synth": str(synth)}
    if folder is not None and (folder / "pilotkg.oxigraph" / "CURRENT").is_file():
        nq = folder / "pilotkg.nq"
        return data | {"nq": str(nq if nq.is_file() else synth / "synth.nq"), "store": str(folder / "pilotkg.oxigraph"),
                       "kind": "built store", "note": f"the build's Oxigraph store ({folder / 'pilotkg.oxigraph'}), read-only; "
                                                      f"baselines read {nq if nq.is_file() else synth / 'synth.nq'}"}, None
    candidates = []
    if folder is not None and (folder / "pilotkg.nq").is_file():
        candidates.append(("built .nq", folder / "pilotkg.nq",
                           f"{folder / 'pilotkg.nq'} bulk-loaded into a temporary Oxigraph store (the build left no store)"))
    why = "the build failed or was capped" if folder is None else "the built N-Quads could not be loaded"
    candidates.append(("SYNTH (fallback)", synth / "synth.nq",
                       f"FALLBACK: {why}, so everything after the build runs on {synth / 'synth.nq'} (no closure, "
                       "validation or meta graphs)"))
    stage = None
    for kind, nq, note in candidates:
        shutil.rmtree(staged, ignore_errors=True)
        stage = runner.run("stage", data | {"nq": str(nq)}, cap, arg=str(staged))
        if not stage.get("failed") and not stage.get("capped"):
            return data | {"nq": str(nq), "store": str(staged), "kind": kind, "note": note}, stage
    return data | {"nq": str(synth / "synth.nq"), "store": None, "kind": "none",
                   "note": "NO STORE: neither the built nor the synthetic N-Quads could be loaded"}, stage


# ---------------------------------------------------------------------------------------------
# Measuring one size


class Rows:
    def __init__(self, size: str, kind: str) -> None:
        self.size, self.kind = size, kind
        self.rows: list[dict[str, Any]] = []

    def add(self, group: str, task: str, mine: dict[str, Any], base: dict[str, Any] | None = None, base_name: str = "",
            *, seconds: float | None = None, base_seconds: float | None = None, base_capped: bool | None = None,
            data: str | None = None, note: str = "", target: str = "", met: bool | None = None,
            peak: bool = True) -> dict[str, Any]:
        mine_s = seconds if seconds is not None else mine.get("seconds")
        b_capped = bool(base and base.get("capped")) if base_capped is None else base_capped
        b = base_seconds if base_seconds is not None else (base.get("seconds") if base else None)
        capped = bool(mine.get("capped")) and mine_s is None
        row = {"size": self.size, "group": group, "task": task, "seconds": mine_s,
               "peak_mb": mine.get("peak_mb") if peak else None, "capped": capped, "cap": mine.get("cap"),
               "failed": None if mine_s is not None else mine.get("failed") or (None if capped else mine.get("missing")),
               "data": data if data is not None else self.kind, "baseline": base_name, "baseline_seconds": b,
               "baseline_capped": b_capped, "baseline_cap": base.get("cap") if base else None,
               "ratio": (mine_s / b) if mine_s is not None and b and not b_capped else None,
               "target": target, "target_met": met, "note": note,
               "details": {k: v for k, v in mine.items() if k not in ("seconds", "peak_mb", "capped", "cap", "failed",
                                                                        "done", "queries", "phases")}}
        if mine_s is None and not capped and not row["failed"]:
            row["failed"] = "no figure"
        self.rows.append(row)
        return row


def _s(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f} s" if value >= 0.01 else f"{value * 1000:.1f} ms"


def _speedup_met(row: dict[str, Any]) -> bool | None:
    """Fast validation: at least 10x faster than pySHACL (a capped pySHACL counts at its cap) and under 2 GB."""
    if row["seconds"] is None:
        return False if row["capped"] else None
    base = row["baseline_cap"] if row["baseline_capped"] else row["baseline_seconds"]
    if not base:
        return None
    return row["seconds"] * FAST_VALIDATION_SPEEDUP <= base and (row["peak_mb"] or 0) < FAST_VALIDATION_MB


def _under(row: dict[str, Any], limit: float) -> bool | None:
    if row["seconds"] is None:
        return False if row["capped"] else None
    return row["seconds"] < limit


def measure(size: str, synth: Path, cache: Path, runner: Runner, cap: float, build_cap: float, rebuild: bool,
            only: set[str], info: dict[str, Any], query_cap: float) -> list[dict[str, Any]]:
    on_synth = {"synth": str(synth)}
    parse = runner.run("parse-rdflib", on_synth, cap)
    build, folder = built(size, synth, cache, runner, build_cap, rebuild)
    staged = runner.root / f"store-{size}"
    try:
        data, stage = data_source(size, synth, folder, runner, cap * 4, staged)
        info.update(data=data["kind"], note=data["note"], nq=data["nq"], store=data["store"],
                    built=str(folder) if folder else None, build_reused=bool(build.get("reused")),
                    build_when=build.get("when"))
        print(f"bench: {size}: data: {data['note']}", file=sys.stderr, flush=True)
        rows = Rows(size, data["kind"])
        _measure(rows, data, runner, cap, only, parse, build, stage, info, query_cap)
        return rows.rows
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _measure(rows: Rows, data: dict[str, Any], runner: Runner, cap: float, only: set[str], parse: dict[str, Any],
             build: dict[str, Any], stage: dict[str, Any] | None, info: dict[str, Any], query_cap: float) -> None:
    size = rows.size
    # --- the load phase and the build
    if "load" in only:
        bulk = runner.run("load-bulk", {"synth": data["synth"]}, cap)
        load = runner.run("load-store", {"synth": data["synth"]}, cap * 4)
        rows.add("load", LOAD_ROW, load, bulk, "pyoxigraph bulk_load", data="synth.nq")
    notes = [f"engine: {build['engine']}" if build.get("engine") else "",
             f"reused: built {build.get('when', '?')} (--rebuild to measure again)" if build.get("reused") else ""]
    rows.add("build", "build (whole)", build, parse, "rdflib parse", data="synth data", note="; ".join(n for n in notes if n))
    peaks = build.get("phase_peaks") or {}
    beside = _load_baseline(build)
    for phase, seconds in (build.get("phases") or {}).items():
        loading = phase == "load" and beside is not None
        row = rows.add("build", f"build: {phase}", build, beside if loading else None,
                       "pyoxigraph bulk_load, beside the build" if loading else "", seconds=seconds, data="synth data",
                       peak=False, note=(beside or {}).get("note", "") if loading else "",
                       target="load: <= 1.3x bulk_load, < 1 GB" if phase == "load" else "",
                       met=None if beside is None or not loading or phase not in peaks else
                       (seconds <= LOAD_RATIO * beside["seconds"] and peaks[phase] < LOAD_MB))
        row["peak_mb"] = peaks.get(phase)
    if stage is not None:
        rows.add("build", "setup: bulk-load the N-Quads into a temporary store", stage, None, "",
                 note=f"bench setup, as push: pages {stage.get('pages_seconds') or 0:.1f} s after the load",
                 data=data["kind"])
    missing = {"missing": "no store to work on (see the note above the table)"} if data["store"] is None else {}
    stand_ins: dict[str, Any] = {}
    if data["store"] is not None and only & {"analyze", "export"}:
        found = runner.run("stand-ins", data, cap * 4)
        stand_ins = found.get("stand_ins") or {}
        info["stand_ins"] = stand_ins
        if found.get("failed") or found.get("capped"):
            info["stand_ins_failed"] = found.get("failed") or "capped"
    unpicked = f"picking the entities failed: {info['stand_ins_failed']}" if info.get("stand_ins_failed") else ""

    def task(name: str, task_cap: float, arg: Any = None) -> dict[str, Any]:
        return missing if missing else runner.run(name, data, task_cap, arg)

    # --- the library queries
    if "queries" in only:
        fast = missing if missing else run_queries(runner, "queries-fast", data, cap * 4)
        # rdflib's engine is Python, so a query past its cap is stopped by the task's alarm: the task
        # is given the time to load the N-Quads and to reach the cap of every query, and is not
        # stopped (and its data loaded again) unless a query ignores the alarm
        slow = missing if missing else run_queries(runner, "queries-rdflib", data,
                                                   cap * 4 + _library_size() * (query_cap + 5), step_cap=query_cap)
        names = sorted(set(fast.get("queries") or {}) | set(slow.get("queries") or {})) or ["(all)"]
        for name in names:
            mine = _query_outcome(fast, name, cap)
            base = _query_outcome(slow, name, query_cap)
            row = rows.add("queries", f"query {name}", mine, base, "rdflib SPARQL (1 run)" if not base.get("failed") else "",
                           note=f"median of {mine['runs']} (they passed the cap)" if 0 < (mine.get("runs") or 5) < 5 else "")
            if base.get("failed"):
                row["note"] = f"baseline {base['failed']}"[:70]
                row["details"]["baseline_failed"] = base["failed"]
            if name.endswith(EVERY_PAGE):  # a paged query's every row: shown, not the target's
                row["note"] = (row.get("note") or "every page, as analyze and export read them")[:70]
            else:
                row["target"], row["target_met"] = f"< {QUERY_TARGET:g} s", _under(row, QUERY_TARGET)
    # --- validation
    if "validate" in only:
        engines = (("validate-fast", "validate --engine fast (the store)", cap * 4),
                   ("validate-fast-memory", "validate --engine fast (in memory)", cap * 4),
                   ("validate-pyshacl", "validate --engine pyshacl (in memory)", cap))
        found_by = {name: task(name, task_cap) for name, _, task_cap in engines}
        # the baseline's cap: --cap, or long enough that a capped pySHACL still shows the speed-up
        # target met or missed (10x the slower fast engine)
        fast_seconds = [found_by[n].get("seconds") or 0 for n in ("validate-fast", "validate-fast-memory")]
        baseline_cap = max(cap, math.ceil(FAST_VALIDATION_SPEEDUP * max(fast_seconds)) + 5)
        baseline = missing if missing else runner.run("validate-baseline", data, baseline_cap)
        for name, label, _ in engines:
            found = found_by[name]
            notes = [f"{found['results']} results" if "results" in found else "",
                     f"rdflib's dataset alone: {found['data_mb']:.0f} MB" if found.get("data_mb") else ""]
            row = rows.add("validate", label, found, baseline, "plain pySHACL in memory",
                           note="; ".join(n for n in notes if n))
            if name.startswith("validate-fast"):
                row["target"] = f">= {FAST_VALIDATION_SPEEDUP:g}x faster, < {FAST_VALIDATION_MB / 1024:g} GB"
                row["target_met"] = _speedup_met(row)
    # --- analytics: each `pilotkg analyze`, on each view where it takes one
    if "analyze" in only:
        city = stand_ins.get("designation")
        analyses: list[tuple[str, dict[str, Any]]] = [("analyze cooperation (the summary)", {"what": "cooperation"})]
        for what in ("centrality", "communities"):
            for view in VIEWS:
                analyses.append((f"analyze {what} --view {view}", {"what": what, "view": view} | (
                    {"designation": city} if view == "chain" else {})))
        analyses.append(("analyze path FROM TO (cooperation view)", {"what": "path", "entities": stand_ins.get("path") or []}))
        analyses.append(("analyze suggest", {"what": "suggest"}))
        for label, arg in analyses:
            if arg.get("view") == "chain" and not city and not missing:
                found = {"missing": unpicked or "no pilot city designation in the data (the chain view needs one)"}
            elif arg["what"] == "path" and not arg["entities"] and not missing:
                found = {"missing": unpicked or "no two connected places in the cooperation view"}
            else:
                found = task("analyze", cap * 4, arg)
            note = "; ".join(x for x in (f"projection {_s(found['projection'])}" if found.get("projection") is not None else "",
                                         f"{found['items']} items" if "items" in found else "") if x)
            row = rows.add("analyze", label, found, note=note)
            if arg == {"what": "centrality", "view": "cooperation"}:
                row["target"], row["target_met"] = f"< {CENTRALITY_TARGET:g} s", _under(row, CENTRALITY_TARGET)
    # --- exports: every format of the cooperation view, and the page of every other view
    if "export" in only:
        city = stand_ins.get("designation")
        exports = [("cooperation", fmt) for fmt in FORMATS] + [(view, "html") for view in VIEWS if view != "cooperation"]
        for view, fmt in exports:
            if view == "chain" and not city and not missing:
                found = {"missing": unpicked or "no pilot city designation in the data (the chain view needs one)"}
            else:
                found = task("export", cap * 4, {"view": view, "format": fmt} | ({"designation": city} if view == "chain" else {}))
            parts = [f"projection {_s(found['projection'])}" if found.get("projection") is not None else "",
                     f"layout {_s(found['layout'])}" if found.get("layout") is not None else "",
                     f"render {_s(found['render'])}" if found.get("render") is not None else "",
                     f"{found['bytes'] / 1e6:.2f} MB" if "bytes" in found else ""]
            row = rows.add("export", f"export --view {view} --format {fmt}", found, note=", ".join(p for p in parts if p))
            if (view, fmt) == ("cooperation", "html"):
                row["target"], row["target_met"] = f"< {HTML_TARGET:g} s", _under(row, HTML_TARGET)
    print(f"bench: {size}: done", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The table


def _fmt(seconds: float | None, capped: bool = False, cap: float | None = 0) -> str:
    if capped:
        return f"> {cap or 0:g} s"
    return "-" if seconds is None else f"{seconds:.3f}"


def _ratio(value: float | None, baseline: float | None, capped: bool, cap: float | None) -> str:
    if value is None:
        return "-"
    if capped:
        return f"< {value / cap:.2f}x" if cap else "< ?"
    if not baseline:
        return "-"
    return f"{value / baseline:.2f}x"


def _verdict(row: dict[str, Any]) -> str:
    if not row.get("target"):
        return ""
    met = row.get("target_met")
    return f"{row['target']}: " + ("ok" if met else "?" if met is None else "MISSED")


def render_table(headers: list[str], cells: list[list[str]], breaks: set[int] | None = None) -> str:
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for number, cell in enumerate(cells):
        if breaks and number in breaks:
            lines.append("")
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def table(rows: list[dict[str, Any]], info: dict[str, Any]) -> str:
    headers = ["task", "data", "seconds", "peak MB", "baseline", "baseline s", "ratio", "target at 1M", "note"]
    cells: list[list[str]] = []
    breaks: set[int] = set()
    group = None
    for r in rows:
        if group is not None and r["group"] != group:
            breaks.add(len(cells))
        group = r["group"]
        seconds = f"failed: {r['failed']}"[:60] if r["failed"] else _fmt(r["seconds"], r["capped"], r["cap"])
        cells.append([r["task"], r["data"], seconds, "-" if r["peak_mb"] is None else f"{r['peak_mb']:.0f}",
                      r["baseline"] or "-",
                      _fmt(r["baseline_seconds"], r["baseline_capped"], r["baseline_cap"]) if r["baseline"] else "-",
                      _ratio(r["seconds"], r["baseline_seconds"], r["baseline_capped"], r["baseline_cap"]) if r["baseline"] else "-",
                      _verdict(r) or "-", r["note"] or ""])
    head = f"== {info['size']}: {info.get('statements_built') or info.get('statements_synth') or '?'} statements; " \
           f"data: {info.get('note', '?')}\n"
    return head + render_table(headers, cells, breaks)


# ---------------------------------------------------------------------------------------------
# Comparing two runs


#: Rows of earlier versions of this benchmark, by their names here.
RENAMED = {"load into the fast store": LOAD_ROW,
           "load: OxigraphStore.load_nquads(synth.nq)": LOAD_ROW,
           "validate, fast engine (cold, full)": "validate --engine fast (the store)",
           "validate, pySHACL engine": "validate --engine pyshacl (in memory)",
           "cooperation projection + centralities": "analyze centrality --view cooperation",
           "export html (cooperation view)": "export --view cooperation --format html"}


def compare(old_path: Path, new_path: Path) -> str:
    """Per row (size and task) of either file: the seconds, new/old, the ratios to the baselines
    (what compares across machines) and the peak memory of both."""
    old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (old_path, new_path))

    def key(r: dict[str, Any]) -> tuple[str, str]:
        task = re.sub(r" \(median of \d+\)$", "", r["task"])
        return r["size"], RENAMED.get(task, task)

    before = {key(r): r for r in old.get("rows", [])}
    after = {key(r): r for r in new.get("rows", [])}
    order = [key(r) for r in new.get("rows", [])] + [k for k in (key(r) for r in old.get("rows", [])) if k not in after]

    def seconds(r: dict[str, Any] | None) -> str:
        if r is None:
            return "(absent)"
        if r.get("failed"):
            return "failed"
        reused = " (reused)" if (r.get("details") or {}).get("reused") else ""
        return _fmt(r.get("seconds"), bool(r.get("capped")), r.get("cap")) + reused

    def ratio(r: dict[str, Any] | None) -> str:
        if r is None or not r.get("baseline"):
            return "-"
        return _ratio(r.get("seconds"), r.get("baseline_seconds"), bool(r.get("baseline_capped")),
                      r.get("baseline_cap") or r.get("cap"))

    def change(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
        if a is None or b is None:
            return "-"
        x, y = a.get("seconds"), b.get("seconds")
        if x and y is not None:
            return f"{y / x:.2f}x"
        if a.get("capped") and y is not None and a.get("cap"):
            return f"< {y / a['cap']:.2f}x"
        if b.get("capped") and x and b.get("cap"):
            return f"> {b['cap'] / x:.2f}x"
        return "-"

    def mb(r: dict[str, Any] | None) -> str:
        return "-" if r is None or r.get("peak_mb") is None else f"{r['peak_mb']:.0f}"

    headers = ["size", "task", "old s", "new s", "new/old", "old ratio", "new ratio", "old MB", "new MB"]
    cells = [[k[0], k[1], seconds(before.get(k)), seconds(after.get(k)), change(before.get(k), after.get(k)),
              ratio(before.get(k)), ratio(after.get(k)), mb(before.get(k)), mb(after.get(k))] for k in order]
    breaks = {i for i in range(1, len(order)) if order[i][0] != order[i - 1][0]}
    head = (f"old: {old_path} ({old.get('when', '?')}, {old.get('machine', '?')}, commit {old.get('commit', '?')})\n"
            f"new: {new_path} ({new.get('when', '?')}, {new.get('machine', '?')}, commit {new.get('commit', '?')})\n"
            "new/old < 1 is faster; the ratios to the baselines measured in each run compare across machines.\n\n")
    return head + render_table(headers, cells, breaks)


# ---------------------------------------------------------------------------------------------


def _lines(path: Path) -> int | None:
    try:
        with path.open("rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))
    except OSError:
        return None


def _commit() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "queries"], cwd=HERE.parent, capture_output=True,
                               text=True, timeout=10)
        return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if head.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def _write(output: Path, document: dict[str, Any]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    tmp.replace(output)


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # so that the temporary stores are removed on the way out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m, 10m (default 10k,100k,1m)")
    parser.add_argument("--cap", type=float, default=120.0,
                        help="seconds a baseline may run (default 120); pilotkg's tasks get 4x (the pySHACL engine 1x)")
    parser.add_argument("--build-cap", type=float, default=None, help="seconds the build may run (default 4x --cap)")
    parser.add_argument("--query-cap", type=float, default=30.0,
                        help="seconds each query of the rdflib baseline may run (default 30)")
    parser.add_argument("--rebuild", action="store_true", help="build again even when bench/.cache/built-SIZE is up to date")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated groups to measure beside the build: {', '.join(GROUPS)} (default all)")
    parser.add_argument("--cache", default=str(HERE / ".cache"), help="where the synthetic and built data are kept between runs")
    parser.add_argument("--tmp", default=None, help="where the temporary stores go (default: the system's temporary folder)")
    parser.add_argument("--output", default=str(HERE / "results" / "latest.json"), help="the JSON results")
    parser.add_argument("--compare", nargs=2, metavar=("OLD.json", "NEW.json"),
                        help="print the ratio new/old of each row of two result files, and nothing else")
    args = parser.parse_args(argv)
    if args.compare:
        sys.stdout.write(compare(Path(args.compare[0]), Path(args.compare[1])))
        return 0
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    only = {g.strip() for g in args.only.split(",") if g.strip()}
    if unknown or only - set(GROUPS):
        print(f"bench: unknown size(s) or group(s) {', '.join(unknown + sorted(only - set(GROUPS)))}; "
              f"sizes are {', '.join(SIZES)}, groups {', '.join(GROUPS)}", file=sys.stderr)
        return 2
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    build_cap = args.build_cap or args.cap * 4
    signal.signal(signal.SIGTERM, _terminate)
    root = Path(tempfile.mkdtemp(prefix="bench-run-", dir=args.tmp))
    runner = Runner(root, args.cap)
    output = Path(args.output)
    rows: list[dict[str, Any]] = []
    document: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": platform.platform(),
        "cpus": os.cpu_count(), "python": platform.python_version(), "pilotkg": _version(), "commit": _commit(),
        "cap": args.cap, "build_cap": build_cap, "query_cap": args.query_cap, "sizes": sizes, "only": sorted(only), "argv": sys.argv[1:],
        "targets": {"query_s": QUERY_TARGET, "centrality_s": CENTRALITY_TARGET, "html_s": HTML_TARGET,
                    "fast_validation_speedup": FAST_VALIDATION_SPEEDUP, "fast_validation_mb": FAST_VALIDATION_MB},
        "data": {}, "rows": rows}
    try:
        for size in sizes:
            print(f"bench: {size}: synthesising ...", file=sys.stderr, flush=True)
            synth = synthetic(size, cache)
            info: dict[str, Any] = {"size": size, "synth": str(synth), "statements_synth": _lines(synth / "synth.nq")}
            print(f"bench: {size}: measuring ...", file=sys.stderr, flush=True)
            found = measure(size, synth, cache, runner, args.cap, build_cap, args.rebuild, only, info, args.query_cap)
            if info.get("built"):
                info["statements_built"] = _lines(Path(info["built"]) / "pilotkg.nq")
            document["data"][size] = info
            rows += found
            sys.stdout.write(table(found, info) + "\n")
            sys.stdout.flush()
            _write(output, document)  # after every size: a long run keeps what it measured
    finally:
        shutil.rmtree(root, ignore_errors=True)
    _write(output, document)
    print(f"bench: wrote {output}", file=sys.stderr)
    return 0


def _version() -> str | None:
    try:
        from pilotkg import __version__

        return __version__
    except ImportError:
        return None


if __name__ == "__main__":
    sys.exit(main())
