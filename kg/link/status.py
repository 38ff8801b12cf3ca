"""How targets and tasks stand: rules written down in data/, applied to numbers and words.

**Targets** (:func:`target_status`), the rules of ``data/status_rules.tsv``:

- a *growth* target (a rate in %: 固定资产投资增长5%) is ``behind`` when the actual
  growth is below the target (below the lower end of a range 6.5%—7%), ``ahead``
  when above it (above the upper end), ``on-track`` when equal (inside the range);
- a *count* target (an amount for the year: 实际使用外资4500万美元) compares the
  share done, actual / target in the same unit (万人 and 人 are converted), with
  the share of the year the period covers from January (1-9月 → 0.75): ``behind``
  below it by more than the tolerance (0.05, the ``value`` of ``count-on-track``),
  ``ahead`` above it by more, ``on-track`` within it;
- anything else is ``unknown``, with the rule that says why (no actual, a target
  to decrease, a share level, a period that is not cumulative, units that do not
  convert).

**Tasks** (:func:`task_status`) take a status only from explicit wording in the
progress text, the words of ``data/status_words.tsv`` (已完成 → done, 正在施工 →
in-progress, 未开工 → not-started, 滞后 → late …). The longest word wins where
words overlap; of several, the least advanced status wins (late, not-started,
in-progress, done); no such word → ``unknown``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from kg.errors import KgError
from kg.resources import folder
from kg.model import IndicatorRecord

DATA_DIR = folder("data")

BEHIND, ON_TRACK, AHEAD, UNKNOWN = "behind", "on-track", "ahead", "unknown"
TARGET_STATUSES = (BEHIND, ON_TRACK, AHEAD, UNKNOWN)
# Task statuses, least advanced first: of several words in one text, the first wins.
TASK_STATUSES = ("late", "not-started", "in-progress", "done")

# Months a period covers: 1-9月, 1—9月份, 1至9月.
_MONTH_RANGE = re.compile(r"""
    (?P<first>\d{1,2}) \s*            # first month
    [-—–~～至到] \s*                   # a dash or 至
    (?P<last>\d{1,2}) \s* 月           # last month
""", re.VERBOSE)
# Up to a month: 截至9月底, 截至9月末.
_UP_TO = re.compile(r"""
    截[至止] \s*                       # 截至 / 截止
    (?P<last>\d{1,2}) \s* 月           # the month
""", re.VERBOSE)
# Multipliers a unit may start with: 万人 = 10^4 人.
_SCALE = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}


def data_rows(name: str, columns: int) -> list[tuple[int, list[str]]]:
    """(line number, cells) of a TSV under data/, comments and the header line skipped.

    A row may leave trailing cells empty; it is padded to ``columns``.
    """
    path = DATA_DIR / name
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [(i, line.split("\t")) for i, line in enumerate(lines, 1)
            if line.strip() and not line.startswith("#")][1:]
    for i, cells in rows:
        if not 1 <= len(cells) <= columns:
            raise KgError(f"{path}:{i}: expected {columns} tab-separated columns, got {len(cells)}")
        cells.extend([""] * (columns - len(cells)))
    return rows


@dataclass(frozen=True)
class Rule:
    name: str
    status: str
    when: str
    value: Optional[float] = None


@lru_cache(maxsize=None)
def rules() -> dict[str, Rule]:
    """The target rules of data/status_rules.tsv, by name."""
    out = {}
    for i, (name, status, when, value) in data_rows("status_rules.tsv", 4):
        if status not in TARGET_STATUSES:
            raise KgError(f"{DATA_DIR / 'status_rules.tsv'}:{i}: status must be one of "
                          f"{', '.join(TARGET_STATUSES)}, got {status!r}")
        out[name] = Rule(name, status, when, float(value) if value.strip() else None)
    return out


def _result(name: str) -> tuple[str, str]:
    rule = rules()[name]
    return rule.status, rule.name


def elapsed_share(period: Optional[str]) -> Optional[float]:
    """Share of the year a cumulative period covers: 2025年1-9月 → 0.75, 前三季度 → 0.75.

    None when the period is unknown or does not start in January (7-9月).
    """
    if not period:
        return None
    m = _MONTH_RANGE.search(period)
    if m:
        first, last = int(m["first"]), int(m["last"])
        return last / 12 if first == 1 and 1 <= last <= 12 else None
    m = _UP_TO.search(period)
    if m and 1 <= int(m["last"]) <= 12:
        return int(m["last"]) / 12
    from kg.sources.metadata import period_words

    for word, months in period_words():
        if word in period:
            return elapsed_share(months)
    return None


def split_unit(unit: str) -> tuple[float, str]:
    """万美元 → (10^4, 美元); 亿元 → (10^8, 元); 个 → (1, 个)."""
    factor = 1.0
    while len(unit) > 1 and unit[0] in _SCALE:
        factor *= _SCALE[unit[0]]
        unit = unit[1:]
    return factor, unit


def _share_done(target: float, actual: float, unit: Optional[str],
                actual_unit: Optional[str]) -> Optional[float]:
    if target == 0:
        return None
    if unit and actual_unit and unit != actual_unit:
        (ft, bt), (fa, ba) = split_unit(unit), split_unit(actual_unit)
        if bt != ba:
            return None
        actual = actual * fa / ft
    return actual / target


def target_status(kind: str, target: Optional[float], actual: Optional[float],
                  period: Optional[str] = None, *, unit: Optional[str] = None,
                  actual_unit: Optional[str] = None, target_high: Optional[float] = None,
                  direction: str = "up") -> tuple[str, str]:
    """(status, rule name) of a target against its actual; see the module docstring."""
    if target is None or actual is None:
        return _result("no-actual")
    if direction == "down":
        return _result("down")
    if kind == "growth":
        high = target_high if target_high is not None else target
        if actual < target and not math.isclose(actual, target):
            return _result("growth-behind")
        if actual > high and not math.isclose(actual, high):
            return _result("growth-ahead")
        return _result("growth-on-track")
    if unit == "%":
        return _result("share-level")
    elapsed = elapsed_share(period)
    if elapsed is None:
        return _result("no-period")
    done = _share_done(target, actual, unit, actual_unit)
    if done is None:
        return _result("unit-mismatch")
    tolerance = rules()["count-on-track"].value or 0.0
    if done < elapsed - tolerance:
        return _result("count-behind")
    if done > elapsed + tolerance:
        return _result("count-ahead")
    return _result("count-on-track")


def indicator_status(ind: IndicatorRecord, period: Optional[str] = None) -> tuple[str, str]:
    """:func:`target_status` of an indicator record; ``period`` defaults to its own."""
    return target_status(ind.kind, ind.target, ind.actual, period or ind.period, unit=ind.unit,
                         actual_unit=ind.actual_unit, target_high=ind.target_high,
                         direction=ind.direction)


@lru_cache(maxsize=None)
def _status_words() -> tuple[dict[str, str], re.Pattern]:
    words: dict[str, str] = {}
    for i, (status, word) in data_rows("status_words.tsv", 2):
        if status not in TASK_STATUSES or not word:
            raise KgError(f"{DATA_DIR / 'status_words.tsv'}:{i}: status must be one of "
                          f"{', '.join(TASK_STATUSES)} and the word not empty")
        words[word] = status
    alternation = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return words, re.compile(alternation)


def task_status(progress_text: Optional[str]) -> tuple[str, Optional[str]]:
    """(status, the word that decided it) from explicit wording; ("unknown", None) else."""
    if not progress_text:
        return UNKNOWN, None
    words, pattern = _status_words()
    found = [m.group() for m in pattern.finditer(progress_text)]
    if not found:
        return UNKNOWN, None
    word = min(found, key=lambda w: TASK_STATUSES.index(words[w]))
    return words[word], word
