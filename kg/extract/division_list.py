"""The numbered division list (责任分工): ``N.task text（牵头单位：…；责任单位：…）``.

Headings ``一、…`` and ``（一）…`` become section tasks (level 1, 2); every
numbered item is a task whose annotation may follow on the next paragraph.
A bracket is an annotation only when it starts with a role word, so a
stretch target ``（力争超过5.6%）`` stays in the task text.
"""

from __future__ import annotations

from typing import Optional, Sequence

from kg.extract.base import strip_range
from kg.extract.annotation import Annotation, find_annotations, problem
from kg.extract.indicators import indicators_in
from kg.extract.patterns import HEADING_LEADER, OUTLINE_NUMBER, OUTLINE_STYLES, SENTENCE_END
from kg.extract.projects import projects_in
from kg.model import DIVISION, Document, Extraction, LeaderMention, Problem, TaskRecord, UnitMention

MAIN_TARGETS = "主要预期目标"     # a section or lead-in naming the document's main targets
_HEADING_STYLES = ("chapter", "section")


class Outline:
    """Tracks the open headings: levels by numbering style, parents, sections.

    A style's level is fixed when first seen: 1 + the number of outer styles
    (in :data:`OUTLINE_STYLES` order) already seen, so a document whose
    outermost headings are （一） gets them at level 1.
    """

    def __init__(self) -> None:
        self._levels: dict[str, int] = {}
        self._stack: list[tuple[int, int, str]] = []   # (level, seq, title)
        self._leaders: dict[int, tuple[LeaderMention, ...]] = {}   # heading seq → its leaders

    def level_of(self, style: str) -> int:
        if style not in self._levels:
            rank = OUTLINE_STYLES.index(style)
            self._levels[style] = 1 + sum(OUTLINE_STYLES.index(s) < rank for s in self._levels)
        return self._levels[style]

    def open(self, style: str, seq: int, title: str,
             leaders: Sequence[LeaderMention] = ()) -> tuple[int, Optional[int], Optional[str]]:
        """Open a heading (with the leaders it names for the tasks below); returns its
        level and its parent's seq and title."""
        level = self.level_of(style)
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        parent_seq, parent_title = self.current()
        self._stack.append((level, seq, title))
        self._leaders[seq] = tuple(leaders)
        return level, parent_seq, parent_title

    def leaders(self) -> tuple[LeaderMention, ...]:
        """The leaders named by the open headings (一、于海田市长主抓重点工作), outermost first."""
        return tuple(m for _, seq, _ in self._stack for m in self._leaders.get(seq, ()))

    def current(self) -> tuple[Optional[int], Optional[str]]:
        """The innermost open heading's seq and title (a task's parent and section)."""
        if not self._stack:
            return None, None
        return self._stack[-1][1], self._stack[-1][2]

    def in_main_targets(self) -> bool:
        return any(MAIN_TARGETS in title for _, _, title in self._stack)


def heading_title(text: str, s: int, e: int) -> tuple[int, int]:
    """The heading's title in ``text[s:e]``: up to its first 。 or its line end."""
    nl = text.find("\n", s, e)
    e = nl if nl != -1 else e
    m = SENTENCE_END.search(text, s, e)
    return strip_range(text, s, m.start() if m else e)


def make_task(doc: Document, seq: int, number: Optional[str], s: int, e: int, *,
              section: Optional[str] = None, parent_seq: Optional[int] = None, level: int = 0,
              annotations: Sequence[Annotation] = (), main: bool = False,
              leaders: Sequence[LeaderMention] = ()) -> TaskRecord:
    """A TaskRecord for ``doc.norm.text[s:e]`` with the units and leaders of its annotations
    (and ``leaders`` named elsewhere, by its heading)."""
    units: dict[str, UnitMention] = {}
    by_name: dict[str, LeaderMention] = {}
    for a in annotations:
        for u in a.units:
            units.setdefault(u.name, u)
        for m in a.leaders:
            by_name.setdefault(m.name, m)
    for m in leaders:
        by_name.setdefault(m.name, m)
    return TaskRecord(
        doc_id=doc.id, seq=seq, number=number, text=doc.norm.text[s:e],
        span=doc.norm.span(doc.id, s, e), section=section, parent_seq=parent_seq, level=level,
        units=tuple(units.values()), leaders=tuple(by_name.values()),
        indicators=tuple(indicators_in(doc, s, e, main=main)) if level == 0 else (),
        projects=tuple(projects_in(doc, s, e)) if level == 0 else (),
        annotation_span=(doc.norm.span(doc.id, annotations[0].start, annotations[-1].end)
                         if annotations else None),
    )


def heading_leaders(doc: Document, ts: int, te: int) -> tuple[LeaderMention, ...]:
    """The leader a heading names for every task below it: ``于海田市长主抓重点工作``."""
    m = HEADING_LEADER.match(doc.norm.text, ts, te)
    if not m:
        return ()
    return (LeaderMention(name=m.group("name"), role_word=m.group("verb"),
                          span=doc.norm.span(doc.id, m.start("name"), m.end("name")), post=m.group("post")),)


def _outline(text: str) -> list[tuple[str, str, int, int]]:
    """(style, number, start of the number, end of the number) of chapters, sections, items."""
    out = []
    for m in OUTLINE_NUMBER.finditer(text):
        style = m.lastgroup
        if style in _HEADING_STYLES or style == "item":
            out.append((style, m.group(style), m.start(), m.end()))
    return out


def _items(doc: Document):
    """(style, number, number start, body start, body end) of each outline entry."""
    text = doc.norm.text
    marks = _outline(text)
    for k, (style, num, ms, me) in enumerate(marks):
        end = marks[k + 1][2] if k + 1 < len(marks) else len(text)
        yield style, num, ms, me, end


class DivisionList:
    name = "division-list"
    kind = DIVISION

    def fit(self, doc: Document) -> float:
        """Share of numbered items whose text ends with an annotation bracket (and has at most two)."""
        text = doc.norm.text
        total = good = 0
        for style, _, _, s, e in _items(doc):
            if style != "item":
                continue
            total += 1
            s, e = strip_range(text, s, e)
            anns, _ = find_annotations(doc, s, e)
            if anns and len(anns) <= 2 and not text[anns[-1].end:e].strip("。；;，, \n"):
                good += 1
        return good / total if total else 0.0

    def extract(self, doc: Document) -> Extraction:
        text = doc.norm.text
        outline = Outline()
        tasks: list[TaskRecord] = []
        problems: list[Problem] = []
        for style, num, ms, s, e in _items(doc):
            seq = len(tasks) + 1
            if style in _HEADING_STYLES:
                ts, te = heading_title(text, s, e)
                number = num if style == "chapter" else text[ms:s].strip()
                chiefs = heading_leaders(doc, ts, te)
                level, parent, parent_title = outline.open(style, seq, text[ts:te], chiefs)
                tasks.append(make_task(doc, seq, number, ts, te, section=parent_title,
                                       parent_seq=parent, level=level, leaders=chiefs))
                continue
            s, e = strip_range(text, s, e)
            anns, probs = find_annotations(doc, s, e)
            problems += probs
            te = anns[0].start if anns else e
            ts, te = strip_range(text, s, te)
            if not anns:
                problems.append(problem(doc, ms, te, f"task {num} has no annotation (牵头单位：…)"))
            for a in anns:
                problems += a.problems
            parent, section = outline.current()
            tasks.append(make_task(doc, seq, num, ts, te, section=section, parent_seq=parent,
                                   annotations=anns, main=outline.in_main_targets(),
                                   leaders=outline.leaders()))
        return Extraction(document=doc, layout=self.name, fit=self.fit(doc), tasks=tuple(tasks),
                          problems=tuple(problems))


DIVISION_LIST = DivisionList()
