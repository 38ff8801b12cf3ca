"""The narrative government work report (政府工作报告): headings, sentences, main targets.

* Main targets: the sentence ``…主要预期目标是：…`` read by
  :func:`kg.extract.indicators.indicators_in` with ``main=True``. In this year's
  chapter the sentence is also an outline: its lead-in (``…主要预期目标``) is a
  level-2 heading under the chapter, and each item of its list (split on ；, else
  on ，: ``地区生产总值增长5.7%``) a level-0 task under it carrying that item's
  targets (``main=True``), so that a progress row on a main target has a task to
  report on.
* Tasks: only the part from the chapter of this year's targets and tasks
  (``二、2025年总体目标和主要任务``) to the end; the review of last year is not
  read, its figures are not targets. Chapter headings ``二、…`` are level 1,
  section headings ``（一）…`` level 2, and the lead phrase that opens a
  paragraph (``加强项目谋划。``, bold in some sources) level 3. Every sentence
  (split on 。；！？) of the paragraphs under them is a level-0 task whose parent
  is the innermost heading.
* Not tasks: the paragraph that opens a chapter (its preamble), paragraphs
  before the first section or lead phrase of a chapter, statements of the
  general requirements and targets (``…是：``), and rhetoric addressed to the
  audience (``各位代表…``, ``我们必须…``, ``让我们…``).
* The author: the line ``槐荫区区长  刘敬涛`` under the title, see :func:`report_author`.
"""

from __future__ import annotations

import re
from typing import Optional

from kg.extract.deadlines import deadline_at
from kg.extract.indicators import indicators_in
from kg.extract.projects import projects_in
from kg.model import WORK_REPORT, Document, Extraction, IndicatorRecord, Span, TaskRecord

# The author line under the title: region, post, name.
_AUTHOR = re.compile(
    r"""^[ \t]*
        (?P<region>[\u4e00-\u9fff]{1,12}?[省市区县州旗])?      # 槐荫区, 济南市 (optional)
        (?P<post>(?:代理?)?(?:省长|市长|区长|县长|州长|旗长))  # the post: 区长, 代市长
        [ \t]*
        (?P<name>[\u4e00-\u9fff·]{2,4})                       # the name: 刘敬涛
        [ \t]*$
    """,
    re.VERBOSE | re.MULTILINE,
)

# A chapter heading on its own line: 二、2025年总体目标和主要任务.
_CHAPTER = re.compile(
    r"""(?P<number>[一二三四五六七八九十]{1,3})、     # the chapter number
        (?P<title>[^\n]{2,40})$                       # a short title, the whole line
    """,
    re.VERBOSE,
)

# A section heading at a paragraph start: （一）… up to its first 。 or the line end.
_SECTION = re.compile(
    r"""(?P<number>（[一二三四五六七八九十]{1,3}）)    # the section number
        (?P<title>[^。！？\n]{2,60})                   # the title
        [。！？]?                                      # its full stop, if any
    """,
    re.VERBOSE,
)

# A lead phrase opening a paragraph: a short first sentence, then more text.
_LEAD = re.compile(
    r"""(?P<title>[^，。；：！？\n]{2,20}              # a short phrase,
          (?:，[^，。；：！？\n]{2,12})?)              # possibly in two halves
        。                                            # its full stop
        (?=[^\n])                                     # and the paragraph goes on
    """,
    re.VERBOSE,
)

# Rhetoric addressed to the audience, not a task.
_RHETORIC = re.compile(
    r"""(?:各位代表|我们必须|让我们|同时，我们)         # 各位代表！… 我们必须坚定不移…
    """,
    re.VERBOSE,
)

# A statement of the general requirements or targets: …总体要求是：…
_STATEMENT = re.compile(
    r"""(?:预期目标|总体要求|总体思路|主要目标)是?：     # …主要预期目标是：
    """,
    re.VERBOSE,
)

# What a narrative report is not: annotation brackets (division lists) or table cells.
_NOT_NARRATIVE = re.compile(
    r"""（(?:牵头|责任|配合)(?:单位|领导|部门)：      # an annotation bracket
      | (?:\n[ ]?\t[^\n]*){3}                      # three table cells in a row
    """,
    re.VERBOSE,
)
_ADDRESS = re.compile(r"我代表[^，。\n]{0,10}人民政府")   # 我代表区人民政府向大会报告工作
_MAIN_TARGETS = re.compile(r"主要预期目标是?：")      # the lead-in of the main targets
_SENTENCE_END = re.compile(r"[。；！？]")            # ends a task sentence
_LIST_END = re.compile(r"[。！？\n]")                # ends the list of main targets
_YEAR = re.compile(r"(?P<year>20\d\d)年")            # a year in the title or date line
_REVIEW = "回顾"                                     # the review chapter of last year
_PLAN_WORDS = ("目标", "任务", "重点工作")           # words of the chapter of this year's tasks


def report_author(doc: Document) -> tuple[Optional[str], Optional[str], Optional[Span]]:
    """(name, post, span of the author line) from the line under the title, or Nones."""
    text = doc.norm.text
    m = _AUTHOR.search(text, 0, min(len(text), 1500))
    if m is None:
        return None, None, None
    return m.group("name"), m.group("post"), doc.norm.span(doc.id, m.start("region") if m.group("region")
                                                           else m.start("post"), m.end("name"))


def _year(doc: Document) -> Optional[int]:
    if doc.meta.year:
        return doc.meta.year
    m = _YEAR.search(doc.norm.text, 0, 600)
    return int(m.group("year")) if m else None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _is_plan_chapter(title: str, year: Optional[int]) -> bool:
    if _REVIEW in title:
        return False
    return (year is not None and f"{year}年" in title) or any(w in title for w in _PLAN_WORDS)


def main_targets(doc: Document) -> tuple[IndicatorRecord, ...]:
    """The document's 主要预期目标, from the sentence that states them."""
    text = doc.norm.text
    m = _MAIN_TARGETS.search(text)
    if m is None:
        return ()
    end = text.find("。", m.end())
    nl = text.find("\n", m.end())
    end = min(x for x in (end, nl, len(text)) if x != -1)
    return indicators_in(doc, m.end(), end, main=True)


class _Builder:
    """Collects the records, tracking the open chapter, section and lead phrase."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.tasks: list[TaskRecord] = []
        self.open: dict[int, tuple[int, str]] = {}        # level → (seq, title)

    def parent(self, below: int = 4) -> tuple[Optional[int], Optional[str]]:
        """The innermost open heading above level ``below``: (seq, title)."""
        levels = [lv for lv in self.open if lv < below]
        return self.open[max(levels)] if levels else (None, None)

    def heading(self, level: int, number: Optional[str], s: int, e: int) -> None:
        for lv in [lv for lv in self.open if lv >= level]:
            del self.open[lv]
        parent_seq, section = self.parent(level)
        seq = len(self.tasks) + 1
        text = self.doc.norm.text[s:e]
        self.tasks.append(TaskRecord(doc_id=self.doc.id, seq=seq, number=number, text=text,
                                     span=self.doc.norm.span(self.doc.id, s, e), section=section,
                                     parent_seq=parent_seq, level=level))
        self.open[level] = (seq, text)

    def main_targets(self, lead_in: int, colon: re.Match, e: int) -> None:
        """The 主要预期目标 sentence: its lead-in a level-2 heading, each list item a task."""
        doc, text = self.doc, self.doc.norm.text
        lead_in = max(lead_in, *(text.rfind(c, lead_in, colon.start()) + 1 for c in "。！？"))
        self.heading(2, None, lead_in, colon.start() + len("主要预期目标"))
        parent_seq, section = self.open[2]
        stop = _LIST_END.search(text, colon.end(), e)
        end = stop.start() if stop else e
        sep = "；" if "；" in text[colon.end():end] else "，"
        pos = colon.end()
        while pos < end:
            cut = text.find(sep, pos, end)
            cut = end if cut == -1 else cut
            a, b = pos, cut
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            pos = cut + 1
            if b - a < 2:
                continue
            self.tasks.append(TaskRecord(
                doc_id=doc.id, seq=len(self.tasks) + 1, number=None, text=text[a:b],
                span=doc.norm.span(doc.id, a, b), section=section, parent_seq=parent_seq, level=0,
                indicators=indicators_in(doc, a, b, main=True)))
        del self.open[2]                                 # what follows is not a target

    def sentences(self, s: int, e: int) -> None:
        doc, text = self.doc, self.doc.norm.text
        parent_seq, section = self.parent()
        pos = s
        for m in [*_SENTENCE_END.finditer(text, s, e), None]:
            stop = m.start() if m else e
            a, b = pos, stop
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            pos = m.end() if m else e
            if b - a < 2:
                continue
            self.tasks.append(TaskRecord(
                doc_id=doc.id, seq=len(self.tasks) + 1, number=None, text=text[a:b],
                span=doc.norm.span(doc.id, a, b), section=section, parent_seq=parent_seq, level=0,
                indicators=indicators_in(doc, a, b), projects=projects_in(doc, a, b),
                deadline=deadline_at(doc, a, b, "text", anywhere=False)))


class NarrativeReport:
    name = "narrative-report"
    kind = WORK_REPORT

    def fit(self, doc: Document) -> float:
        """High for a report addressed to 各位代表 by 我代表…人民政府; 0 with annotations or a table."""
        text = doc.norm.text
        if _NOT_NARRATIVE.search(text):
            return 0.0
        score = 0.0
        score += 0.45 if "各位代表" in text else 0.0
        score += 0.35 if _ADDRESS.search(text) else 0.0
        score += 0.2 if "政府工作报告" in text[:2000] else 0.0
        return score

    def extract(self, doc: Document) -> Extraction:
        text = doc.norm.text
        year = _year(doc)
        b = _Builder(doc)
        started = False
        preamble = False
        for s, e in _paragraphs(text):
            m = _CHAPTER.match(text, s, e)
            if m is not None:
                started = started or _is_plan_chapter(m.group("title"), year)
                if started:
                    b.heading(1, m.group("number"), m.start("title"), m.end("title"))
                    preamble = True
                continue
            if not started:
                continue
            m = _MAIN_TARGETS.search(text, s, e)
            if m is not None:
                b.main_targets(s, m, e)
                preamble = False
                continue
            m = _SECTION.match(text, s, e)
            if m is not None:
                b.heading(2, m.group("number"), m.start("title"), m.end("title"))
                preamble = False
                if m.end() < e:
                    b.sentences(m.end(), e)
                continue
            if preamble or _RHETORIC.match(text, s, e) or _STATEMENT.search(text, s, e):
                preamble = False
                continue
            m = _LEAD.match(text, s, e)
            if m is not None:
                b.heading(3, None, m.start("title"), m.end("title"))
                b.sentences(m.end(), e)
            elif 2 in b.open or 3 in b.open:
                b.sentences(s, e)
        return Extraction(document=doc, layout=self.name, fit=self.fit(doc), tasks=tuple(b.tasks),
                          indicators=main_targets(doc))


NARRATIVE = NarrativeReport()
