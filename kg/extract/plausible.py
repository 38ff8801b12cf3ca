"""Figures no target can have: read, then left out with a warning.

A copying accident or a hostile file may write ``增长99999999999999999999%``: the pattern reads it
like any target, and one such figure would make every comparison of that metric meaningless.
A rate (%, ‰, 个百分点) beyond ±1000 (a ten-fold change) or any figure beyond 10^12 (a trillion
of its unit) is no government's target or result; a figure that is not a finite number cannot be
one at all. :func:`checked` leaves such figures out of an extraction and says where they were.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Optional

from kg.model import Extraction, IndicatorRecord, Problem

_RATE_UNITS = ("%", "‰", "个百分点")
MAX_RATE = 1000.0
MAX_FIGURE = 1e12


def implausible(r: IndicatorRecord) -> Optional[str]:
    """Why ``r`` cannot be a target (or its actual), or None when every figure of it can."""
    for name in ("target", "target_high", "stretch", "actual"):
        v = getattr(r, name)
        if v is None:
            continue
        if not math.isfinite(v):
            return f"its {name} is not a number"
        rate = (r.actual_unit if name == "actual" else r.unit) in _RATE_UNITS
        if rate and abs(v) > MAX_RATE:
            return f"its {name} {v:g}{r.unit} is beyond ±{MAX_RATE:g}{r.unit}"
        if abs(v) > MAX_FIGURE:
            return f"its {name} {v:g} is beyond {MAX_FIGURE:g}"
    return None


def checked(x: Extraction) -> Extraction:
    """``x`` without the figures that cannot be, each named in a problem of the document."""
    doc = x.document
    problems: list[Problem] = []

    def keep(records: tuple[IndicatorRecord, ...]) -> tuple[IndicatorRecord, ...]:
        out = []
        for r in records:
            why = implausible(r)
            if why is None:
                out.append(r)
                continue
            quote = doc.text[r.span.start:r.span.end]
            problems.append(Problem(doc.id, doc.path, doc.line_of(r.span.start),
                                    f"the figure of {r.metric_as_written or r.metric} is not read: {why}",
                                    quote[:60]))
        return tuple(out)

    tasks = tuple(t if all(implausible(r) is None for r in t.indicators) else replace(t, indicators=keep(t.indicators))
                  for t in x.tasks)
    indicators = keep(x.indicators)
    if not problems:
        return x
    return replace(x, tasks=tasks, indicators=indicators, problems=x.problems + tuple(problems))
