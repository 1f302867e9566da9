"""``pilotkg synth``: realistic synthetic data at scale, which can never pass for real data.

A seeded world of provinces and cities (codes 9xxx00, outside GB/T 2260), an industry catalogue,
pilot designations over several batches (complete, with gaps, with contradictions), enterprises
with revenue over the years, parks, institutes and platforms, conferences, chain chiefs,
collaboration proposals forming a network (preferential attachment and nearness), statements and
targets; every fact quoted verbatim, at its offsets, from a generated source text. Problems are
planted so that every shape of the project fires, and the results validation must give are
written to a manifest before anything is validated.

    >>> from pilotkg.synth import synthesize        # doctest: +SKIP
    >>> synthesize(10, 8, seed=1, output=Path("synth-10k"))   # doctest: +SKIP

Modules: ``world`` (the plan drawn from the seed), ``writer`` (streaming Turtle and N-Quads),
``programme`` and ``bulletin``/``plan`` (the documents), ``expect`` (the manifest), ``core``.
"""

from __future__ import annotations

from .core import SynthResult, synthesize

__all__ = ["SynthResult", "synthesize"]
