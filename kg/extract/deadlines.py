"""Deadlines (完成时限): the words a document gives for when a task is due, and the date they name.

A deadline stands in a table column (完成时限 / 时限 / 时间节点 / 完成时间), in an annotation part
labelled so (``（牵头单位：X；完成时限：2025年6月底前）``), as a clause of a role bracket
(``（X负责，年内持续推进）``) or in the task's own text (``6月底前完成``, ``2025年9月30日前``). Its
words are kept as written; the due date is the last day of the period they name (``6月底前`` and
``6月`` are 30 June, ``三季度`` 30 September, ``上半年`` 30 June, ``年底前`` and ``年内`` 31 December,
``6月中旬`` the 20th, ``上旬`` the 10th) in the year written or else the document's year; ongoing
ones (``长期坚持``, ``持续推进``, ``常态化推进``) have no date. In a task's text only a date that says
"by" (``前``, ``底``, ``末``, ``年内``) is read: ``1-9月`` is a period, and ``持续推进重大项目`` says what
to do, not when (ongoing words count in a column, a label or a bracket's own clause).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Optional

from kg.model import Deadline, Document
from kg.sources.normalize import stored

_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# A time limit: a date or period, then an optional "before"; or an ongoing phrase.
_DEADLINE = re.compile(
    r"""(?<![\d年])(?:(?P<year>20\d\d)年)?
        (?:(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>[1-3]?\d)日|(?P<part>底|末|中旬|上旬|下旬|份))?
         | (?P<quarter>[一二三四1-4])季度(?P<q_end>末)?
         | (?P<half>上半年|下半年)
         | (?P<year_end>年底|年末|年内|全年))
        (?P<before>前|以前|之前)?
      | (?P<ongoing>长期坚持|长期推进|持续推进|常态化推进|逐年推进|长期)
    """,
    re.VERBOSE,
)


def due_date(m: re.Match, year: Optional[int]) -> Optional[date]:
    """The last day of the period a match of _DEADLINE names, or None (ongoing, no year)."""
    if m.group("ongoing"):
        return None
    y = int(m.group("year")) if m.group("year") else year
    if y is None:
        return None
    if m.group("month"):
        month = int(m.group("month"))
        last = calendar.monthrange(y, month)[1]
        if m.group("day"):
            return date(y, month, min(int(m.group("day")), last))
        return date(y, month, {"上旬": 10, "中旬": 20}.get(m.group("part") or "", last))
    if m.group("quarter"):
        month = 3 * _CN_QUARTER[m.group("quarter")]
        return date(y, month, calendar.monthrange(y, month)[1])
    if m.group("half") == "上半年":
        return date(y, 6, 30)
    return date(y, 12, 31)


def _says_by(m: re.Match) -> bool:
    """A phrase in running text that is a deadline, not a period (1-9月), a date of record or a
    verb (持续推进重大项目 is what to do, not when)."""
    return bool(not m.group("ongoing") and (m.group("before") or m.group("part") in ("底", "末")
                                           or m.group("q_end") or m.group("year_end") in ("年底", "年末", "年内")))


def deadline_at(doc: Document, s: int, e: int, source: str, *, anywhere: bool = True) -> Optional[Deadline]:
    """The deadline of ``doc.norm.text[s:e]`` (a cell, a label's value, a clause, a task's text):
    the first phrase that names one; a cell or label that names no date is kept as written
    (``与主体工程同步``) without a due date. ``anywhere``: the whole range is the deadline's
    (a cell), else only a phrase that says "by" is read (a task's text)."""
    text = doc.norm.text
    for m in _DEADLINE.finditer(text, s, e):
        if not m.group():
            continue
        if not anywhere and not _says_by(m):
            continue
        ds, de = (s, e) if anywhere else _phrase(text, m.start(), m.end(), e)
        due = due_date(m, doc.meta.year)
        return Deadline(text=stored(doc.text, *_raw(doc, ds, de)), span=doc.norm.span(doc.id, ds, de),
                        due=due.isoformat() if due else None, ongoing=bool(m.group("ongoing")), source=source)
    if anywhere and e > s:
        return Deadline(text=stored(doc.text, *_raw(doc, s, e)), span=doc.norm.span(doc.id, s, e), source=source)
    return None


_AFTER = re.compile(r"(?:完成|建成|落实|投用|投入使用|见效|实现)?")


def _phrase(text: str, s: int, e: int, limit: int) -> tuple[int, int]:
    """A deadline phrase in running text with the verb that completes it (6月底前完成)."""
    m = _AFTER.match(text, e, limit)
    return s, m.end() if m else e


def _raw(doc: Document, s: int, e: int) -> tuple[int, int]:
    span = doc.norm.span(doc.id, s, e)
    return span.start, span.end
