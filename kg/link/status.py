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

**Tasks** (:func:`task_status`) take a status from what the progress text says, and name
the words that gave it:

- the explicit words of ``data/status_words.tsv`` (已完成 → done, 正在施工 → in-progress,
  未开工 → not-started, 滞后 → late …); the longest word wins where words overlap;
- figures, which count as explicit words: a completion rate (任务完成率109.15%,
  占全年任务的39.53%) against the share of the year elapsed, by the count rules above
  (≥ 100 % → done, behind → late, else in-progress); a count the task sets itself
  (储备优质项目20个以上) against the largest count of the same measure word in the progress
  text (近30个 → done; fewer → in-progress: the text may count something else, so never
  late); and a target with its actual (the indicator's status: behind → late, a count
  reached → done, else in-progress);
- of several explicit statuses the least advanced wins (late, not-started, in-progress,
  done): a task is done only when every part of it is;
- with none of those, words that only report work being done (开展, 举办, 推进: the
  ``activity`` words of the same file) give in-progress; a text with nothing of the kind
  stays ``unknown``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

from kg.resources import DataError
from kg.resources import table as data_table
from kg.model import IndicatorRecord


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
    for row in data_table("status_rules.tsv", ("rule", "status", "when", "value"), optional=1):
        name, status, when, value = row.values()
        if status not in TARGET_STATUSES:
            raise DataError(row.path, row.line, f"status must be one of {', '.join(TARGET_STATUSES)}, got {status!r}")
        out[name] = Rule(name, status, when, float(value) if value else None)
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


_YEAR_OF_PERIOD = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年")


def period_end(period: Optional[str], year: Optional[int] = None) -> Optional[date]:
    """The last day a reporting period covers: 2025年1-9月 → 2025-09-30, 截至6月底 → 06-30,
    前三季度 → 09-30 (the year from the period, else ``year``); None when it cannot say."""
    if not period:
        return None
    m = _YEAR_OF_PERIOD.search(period)
    year = int(m["year"]) if m else year
    if year is None:
        return None
    m = _MONTH_RANGE.search(period) or _UP_TO.search(period)
    if m is None:
        from kg.sources.metadata import period_words

        months = next((months for word, months in period_words() if word in period), None)
        return period_end(months, year) if months else None
    last = int(m["last"])
    if not 1 <= last <= 12:
        return None
    return date(year, 12, 31) if last == 12 else date(year, last + 1, 1) - timedelta(days=1)


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


EXPLICIT, ACTIVITY = "explicit", "activity"


@dataclass(frozen=True)
class TaskStatus:
    """How a task stands by its progress text: ``status`` (one of :data:`TASK_STATUSES` or
    unknown), ``word`` (the words or figures that gave it, as the text writes them) and
    ``basis`` (``words``, ``completion-rate``, ``count``, ``target`` or ``activity``; None
    for unknown)."""
    status: str
    word: Optional[str] = None
    basis: Optional[str] = None


@lru_cache(maxsize=None)
def _status_words() -> tuple[dict[str, tuple[str, str]], re.Pattern]:
    """word → (status, strength), and a pattern of every word, longest first."""
    words: dict[str, tuple[str, str]] = {}
    for row in data_table("status_words.tsv", ("status", "word", "strength"), optional=1):
        status, word, strength = row["status"], row["word"], row["strength"] or EXPLICIT
        if status not in TASK_STATUSES or not word or strength not in (EXPLICIT, ACTIVITY):
            raise DataError(row.path, row.line, f"status must be one of {', '.join(TASK_STATUSES)}, the word "
                                                f"not empty and the strength {EXPLICIT} or {ACTIVITY}")
        words[word] = (status, strength)
    alternation = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return words, re.compile(alternation)


@lru_cache(maxsize=None)
def _count_words() -> tuple[dict[str, str], str]:
    """Measure word → its group (data/count_words.tsv), and an alternation of them, longest first."""
    groups = {}
    for row in data_table("count_words.tsv", ("word", "group")):
        word, group = row["word"], row["group"]
        if not word or not group:
            raise DataError(row.path, row.line, "expected a measure word and its group")
        groups[word] = group
    return groups, "|".join(re.escape(w) for w in sorted(groups, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=None)
def _count_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(a count a task sets itself, a count a progress text gives)."""
    _groups, measures = _count_words()
    after = r"(?!百分点|月|小时|工作日)"          # 0.3个百分点, 6个月 are no counts
    task = re.compile(rf"""
        (?P<pre>不少于|不低于|达到|超过|突破|达)?   # at least …
        (?<![\d.第])(?P<num>\d+(?:\.\d+)?)         # the number (第37个 is an ordinal)
        (?P<measure>{measures}){after}             # its measure word
        (?P<post>以上)?                            # … or more
    """, re.VERBOSE)
    progress = re.compile(rf"""
        (?:近|约|超)?                               # 近30个: about
        (?<![\d.第])(?P<num>\d+(?:\.\d+)?)         # the number
        (?:余|多)?                                 # 450余场: a little more
        (?P<measure>{measures}){after}             # its measure word
    """, re.VERBOSE)
    return task, progress


# A share of the year's work done: 任务完成率109.15%, 占全年4500万美元任务的39.53%.
_RATE = re.compile(r"""
    (?:完成率|完成进度|完成比例|完成比率)               # a completion rate …
      \s*(?:为|达到|达|是)?\s*(?P<rate>\d+(?:\.\d+)?)%  # … of N %
  | (?:占|完成)(?:全年|年度)[^，。；]{0,20}?            # or the share of the year's …
      (?:任务|目标|计划)的?\s*(?P<share>\d+(?:\.\d+)?)%  # … task, target or plan
""", re.VERBOSE)


def _number_text(v: float) -> str:
    return f"{v:g}"


def _by_share(share: float, elapsed: Optional[float]) -> str:
    """done at 100 %; late when short of the year elapsed by more than the count tolerance."""
    if share >= 1 or math.isclose(share, 1):
        return "done"
    tolerance = rules()["count-on-track"].value or 0.0
    if elapsed is not None and share < elapsed - tolerance:
        return "late"
    return "in-progress"


def _rate_statuses(text: str, elapsed: Optional[float]) -> list[TaskStatus]:
    return [TaskStatus(_by_share(float(m["rate"] or m["share"]) / 100, elapsed), m.group(), "completion-rate")
            for m in _RATE.finditer(text)]


def _count_status(text: str, task_text: Optional[str]) -> list[TaskStatus]:
    """The one count the task sets itself (at least N), against the largest count of the same
    measure word (or group) in the progress text."""
    if not task_text:
        return []
    task_re, progress_re = _count_patterns()
    groups, _ = _count_words()
    wanted = [m for m in task_re.finditer(task_text) if m["pre"] or m["post"]]
    if len(wanted) != 1:
        return []
    target, group = float(wanted[0]["num"]), groups[wanted[0]["measure"]]
    counts = [m for m in progress_re.finditer(text) if groups[m["measure"]] == group]
    if not counts:
        return []
    best = max(counts, key=lambda m: float(m["num"]))
    reached = float(best["num"]) >= target
    return [TaskStatus("done" if reached else "in-progress",
                       f"{best.group()}（{wanted[0].group()}）", "count")]


def _target_status(target) -> list[TaskStatus]:
    """The status of the target the row states, with its actual (an Indicator node's or an
    IndicatorRecord's attributes: status, share_done, actual, actual_unit, target, unit)."""
    get = target.get if hasattr(target, "get") else lambda k: getattr(target, k, None)
    status = get("status")
    if status not in TARGET_STATUSES or status == UNKNOWN or get("actual") is None:
        return []
    share = get("share_done")
    if status == BEHIND:
        task = "late"
    elif share is not None and (share >= 1 or math.isclose(share, 1)):
        task = "done"
    else:
        task = "in-progress"
    word = f"{_number_text(get('actual'))}{get('actual_unit') or ''}"
    if get("target") is not None:
        word += f"（目标{_number_text(get('target'))}{get('unit') or ''}）"
    return [TaskStatus(task, word, "target")]


def read_task_status(progress_text: Optional[str], *, task_text: Optional[str] = None,
                     period: Optional[str] = None, target=None) -> TaskStatus:
    """How a task stands by its progress text (see the module docstring): ``task_text`` is the
    task as the row states it (for a count it sets itself), ``period`` the row's period (for a
    completion rate against the year elapsed), ``target`` the row's target with its actual."""
    if not progress_text:
        return TaskStatus(UNKNOWN)
    words, pattern = _status_words()
    found = [(m.group(), words[m.group()]) for m in pattern.finditer(progress_text)]
    explicit = [TaskStatus(status, word, "words") for word, (status, strength) in found if strength == EXPLICIT]
    explicit += _rate_statuses(progress_text, elapsed_share(period))
    explicit += _count_status(progress_text, task_text)
    if target is not None:
        explicit += _target_status(target)
    if explicit:
        return min(explicit, key=lambda s: TASK_STATUSES.index(s.status))
    activity = next((word for word, (_s, strength) in found if strength == ACTIVITY), None)
    if activity:
        return TaskStatus("in-progress", activity, "activity")
    return TaskStatus(UNKNOWN)


def task_status(progress_text: Optional[str], **context) -> tuple[str, Optional[str]]:
    """(status, the words that decided it): :func:`read_task_status` as a pair; ("unknown", None)
    when the text says nothing of how the task stands."""
    found = read_task_status(progress_text, **context)
    return found.status, found.word
