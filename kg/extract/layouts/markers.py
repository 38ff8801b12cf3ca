"""Any document that says who is responsible: every marker of responsibility, wherever it stands.

A document is read as its own structure gives it (:mod:`kg.extract.outline`: item numbers
of every style, headings, paragraphs, several items on one line) and its tables
(:mod:`kg.extract.tables`, in any shape). The markers (:mod:`kg.extract.annotation`) are
brackets of any kind, role labels on their own lines or inline, and prose (``X牵头``,
``由X负责``, ``X主办，Y协办``); a heading may name the lead unit or the leader of every
task below it; a table names them in its role columns. Each marker closes the text
before it:

* a marker inside a paragraph closes the text from the paragraph's start (or the end of
  the marker before) to itself: one task per annotated clause (``…完成50处院落修缮，
  （牵头领导：…）串联“泉道”…。（…）``);
* a paragraph that begins with markers (role lines ``牵头单位：X`` under an item,
  ``由X、Y负责落实。`` on the next line, ``（X牵头）`` that a line break put on the next
  line) closes the text still open before it, or adds to the task just closed;
* a numbered paragraph whose one annotation ends it is one task; one whose title (up to
  its first 。) is followed by several annotated clauses is a heading over them;
* ``一、`` and ``（一）`` items without a marker are headings; ``1.`` items, bullets, and the
  paragraphs under a heading that names who leads are tasks without a marker of their own;
* a paragraph that states targets (``地区生产总值增长5%以上``) is a task even without a marker;
* in a paragraph that is no task, each clause giving a unit a duty (``区统计局负责对…审核；``)
  is one.

A heading that names no one and text that states nothing (the notice, the preamble) are
not tasks. Targets are read in every task (:mod:`kg.extract.indicators`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Optional

from kg.extract.annotation import (Annotation, find_annotations, leader_mentions, parse_annotation, problem,
                                   prose_leaders,
                                   prose_mentions, resolve_roles, unit_mentions)
from kg.extract.base import DocMemo, gaps_in, strip_range
from kg.extract.deadlines import deadline_at
from kg.extract.indicators import table_target
from kg.extract.names import is_leader_name, is_unit_name
from kg.extract.outline import (HEADING_STYLES, ITEM_STYLES, MAIN_TARGETS, Block, Outline, blocks,
                                heading_roles, heading_title)
from kg.extract.patterns import CLAUSE_LEADING, CLAUSE_TRAILING, LEAD_IN, OUTLINE_NUMBER
from kg.extract.prose import duty_clauses, first_listed_rule, role_clauses
from kg.extract.roles import LEADER, PROSE, RoleWord
from kg.extract.tables import Cell, Columns, TableRows, find_header, tables_of
from kg.extract.targets import states_targets, targets_in
from kg.extract.tasks import make_task
from kg.extract.unitlist import split_unit_list
from kg.model import (DECOMPOSITION, DIVISION, WORK_REPORT, Document, Extraction, LeaderMention, Problem,
                      TaskRecord, UnitMention)

_MEMO = DocMemo()
_MAIN_LEAD_IN = re.compile(r"主要(?:预期)?(?:目标|指标)")    # 今年经济社会发展的主要预期目标是：
# Numbered items that are reported when they name no one in a document whose other items do
# (a bullet under a task is a sub-line of it, not a task that lost its annotation).
_REPORTED_STYLES = ("chapter", "section", "item", "subitem")


@dataclass
class _Reading:
    """What has been read of one document so far."""

    doc: Document
    outline: Outline = field(default_factory=Outline)
    tasks: list[TaskRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    marked: int = 0                     # tasks whose units or leaders the text gives
    unmarked: list[int] = field(default_factory=list)   # numbered items read without a marker
    targets: int = 0                    # tasks read for the targets they state

    @property
    def seq(self) -> int:
        return len(self.tasks) + 1

    def heading(self, style: str, number: Optional[str], ts: int, te: int,
                leaders=(), units=()) -> None:
        text = self.doc.norm.text
        level, parent, parent_title = self.outline.open(style, self.seq, text[ts:te], leaders, units)
        self.tasks.append(make_task(self.doc, self.seq, number, ts, te, section=parent_title,
                                    parent_seq=parent, level=level, leaders=leaders))

    def task(self, number: Optional[str], s: int, e: int, annotations=(), main: bool = False) -> TaskRecord:
        parent, section = self.outline.current()
        leaders, units = self.outline.leaders(), self.outline.units()
        main = main or self.outline.in_main_targets()
        open_vocab = bool(main or leaders or units or any(a.units or a.leaders for a in annotations)
                          or (number is not None and self.marked)
                          or self.outline.states_targets() or states_targets(self.doc.norm.text, s, e))
        t = make_task(self.doc, self.seq, number, s, e, section=section, parent_seq=parent,
                      annotations=annotations, main=main, leaders=leaders, units=units, open_vocab=open_vocab,
                      review=self.outline.in_review(self.doc.meta.year))
        self.tasks.append(t)
        if t.units or t.leaders:
            self.marked += 1
        elif t.indicators:
            self.targets += 1
        return t


def _clause(text: str, s: int, e: int) -> tuple[int, int]:
    """``text[s:e]`` without the separators left around it."""
    m = CLAUSE_LEADING.match(text, s, e)
    if m:
        s = m.end()
    m = CLAUSE_TRAILING.search(text, s, e)
    if m:
        e = m.start()
    return strip_range(text, s, e)


def _after_introduction(text: str, s: int, e: int) -> int:
    """Where a task starts that an introduction announces: after ``…。其中明确指出：`` (a colon that
    follows a finished sentence), not at ``主要预期目标：`` that opens the task itself."""
    depth, colon = 0, -1
    for i in range(s, e):
        ch = text[i]
        if ch in "（【〔[“":
            depth += 1
        elif ch in "）】〕]”":
            depth = max(0, depth - 1)
        elif ch == "：" and depth == 0:
            colon = i
    if colon == -1 or "。" not in text[s:colon] or not text[colon + 1:e].strip():
        return s
    return strip_range(text, colon + 1, e)[0]


# --- Flowing text -------------------------------------------------------------------

@dataclass
class _Open:
    """Text not yet closed by a marker."""

    start: int
    number: Optional[str] = None
    style: Optional[str] = None
    end: int = -1


class _Flow:
    """Reads one range of running text (see the module docstring)."""

    def __init__(self, r: _Reading, start: int, end: int):
        self.r, self.doc, self.text = r, r.doc, r.doc.norm.text
        self.anns, probs = find_annotations(self.doc, start, end)
        r.problems += probs
        for a in self.anns:
            r.problems += a.problems
        self.blocks = blocks(self.doc, start, end, [(a.start, a.end) for a in self.anns])
        for b in self.blocks:                    # bullet glyphs rank in the order the text uses them
            if b.style == "bullet":
                r.outline.rank(b.kind)
        self.starts = [a.start for a in self.anns]            # sorted: find_annotations sorts them
        self.begins = set(self.starts)
        self.open: Optional[_Open] = None
        self.last: Optional[int] = None          # index of the last task a marker may add to
        self.covered = start                     # annotations read up to here

    def run(self) -> None:
        body_of: Optional[int] = None                # a titled item's body: read as its continuation
        for k, b in enumerate(self.blocks):
            if b.end <= self.covered:
                continue
            s = max(b.start, self.covered)
            anns = self._within(s, b.end)
            if k == body_of or (not b.numbered and anns and not self.text[s:anns[0].start].strip("，,。；; \t")):
                self._content(s, b.end, anns, continuation=True)
                continue
            self._flush()
            if b.numbered and not anns and self._titled_item(k, b):
                body_of = k + 1
            elif b.numbered and self._is_heading(k, b, anns):
                continue
            if not b.numbered and not anns and self._is_title(k, b):
                self.r.heading("title", None, b.start, b.end)
                self.last = None
                continue
            self.open = _Open(b.body if b.numbered else s, b.number, b.style)
            self._content(self.open.start, b.end, anns)
        self._flush()

    def _is_heading(self, k: int, b: Block, anns: list[Annotation]) -> bool:
        """Open a heading for ``b`` if it is one (and read the clauses after its title)."""
        text = self.text
        ts, te = heading_title(text, b.body, b.end)
        leaders, units = heading_roles(self.doc, ts, te)
        if leaders or units:
            self._open_heading(b, ts, te, leaders, units)
            return True
        if anns:
            closing = len(anns) == 1 and not text[anns[0].end:b.end].strip("，,。；; \t")
            first_follows_title = not text[te:anns[0].start].strip("，,。；; \t")
            if closing or first_follows_title:
                return False
            self._open_heading(b, ts, te, (), ())
            rest = te + 1
            self.open = _Open(rest)
            self._content(rest, b.end, anns)
            return True
        if self._followed_by_marker(k, b):
            return False
        if b.style in HEADING_STYLES or self._has_children(k, b):
            self._open_heading(b, ts, te, (), ())
            if te + 1 < b.end and text[te + 1:b.end].strip():
                self.open = _Open(te + 1)
            return True
        return False

    def _titled_item(self, k: int, b: Block) -> bool:
        """``一、推进重大项目建设`` over one paragraph that one annotation ends, then the next item
        of its rank or an outer one: the number, the title and the paragraph are one item."""
        title = self.text[b.body:b.end].rstrip("。")
        if b.style not in HEADING_STYLES or len(title) > 40 or any(ch in title for ch in "。；：！？") \
                or heading_roles(self.doc, b.body, b.end) != ((), ()):
            return False
        body = self.blocks[k + 1] if k + 1 < len(self.blocks) else None
        after = self.blocks[k + 2] if k + 2 < len(self.blocks) else None
        if body is None or body.numbered or (after is not None and not after.numbered):
            return False
        if after is not None and self._rank(after) > self._rank(b):
            return False
        anns = self._within(body.start, body.end)
        return len(anns) == 1 and not self.text[anns[0].end:body.end].strip("，,。；; \t")

    def _is_title(self, k: int, b: Block) -> bool:
        """A short line without punctuation right above items or bullets: their heading
        (今年预期目标 / ■…; 重点抓好十个方面工作 / 1.…)."""
        text = self.text[b.start:b.end]
        if len(text) > 30 or any(ch in text for ch in "。！？；，：、,;:"):
            return False
        nxt = self.blocks[k + 1] if k + 1 < len(self.blocks) else None
        return nxt is not None and nxt.style in ITEM_STYLES

    def _open_heading(self, b: Block, ts: int, te: int, leaders, units) -> None:
        self.r.heading(b.kind, b.number, ts, te, leaders, units)
        self.last = None

    def _followed_by_marker(self, k: int, b: Block) -> bool:
        """Whether the next block begins with a marker (role lines under an item)."""
        nxt = next((n for n in self.blocks[k + 1:] if n.end > self.covered), None)
        if nxt is None or nxt.numbered:
            return False
        return nxt.start in self.begins

    def _within(self, s: int, e: int) -> list[Annotation]:
        """The annotations that start in [s, e)."""
        return self.anns[bisect_left(self.starts, s):bisect_left(self.starts, e)]

    def _has_children(self, k: int, b: Block) -> bool:
        nxt = next((n for n in self.blocks[k + 1:] if n.numbered), None)
        return nxt is not None and self._rank(nxt) > self._rank(b)

    def _rank(self, b: Block) -> tuple[int, int]:
        """How far in a block's numbering style is (bullets by the glyph the document used first)."""
        return self.r.outline.rank(b.kind)

    def _content(self, s: int, e: int, anns: list[Annotation], continuation: bool = False) -> None:
        """Text of one block from ``s`` with its markers: each closes the open text."""
        text = self.text
        several = len(anns) >= 2
        for k, a in enumerate(anns):
            start = self.open.start if self.open is not None else s
            cs, ce = _clause(text, start, a.start)
            main = False
            if k == 0 and several and not continuation:
                lead_in = LEAD_IN.match(text, cs, ce)
                if lead_in:
                    main = MAIN_TARGETS in lead_in.group()
                    cs, ce = _clause(text, lead_in.end(), ce)
            cs = _after_introduction(text, cs, ce)
            if ce > cs:
                number = self.open.number if self.open is not None and self.open.start == start else None
                self.r.task(number, cs, ce, [a], main=main)
                self.last = len(self.r.tasks) - 1
            elif self.last is not None:
                self._add_to_last(a)
            else:
                self.r.problems.append(problem(self.doc, a.start, a.end, "annotation without a task before it"))
            self.covered = max(self.covered, a.end)
            self.open = _Open(a.end)
        if self.open is not None:
            self.open.end = e

    def _add_to_last(self, a: Annotation) -> None:
        t = self.r.tasks[self.last]
        units = {u.name: u for u in t.units}
        for u in a.units:
            units.setdefault(u.name, u)
        rule = first_listed_rule(self.text)
        merged = resolve_roles(list(units.values()), rule is not None and rule < a.end)
        leaders = {m.name: m for m in t.leaders}
        for m in a.leaders:
            leaders.setdefault(m.name, m)
        self.r.tasks[self.last] = replace(t, units=merged, leaders=tuple(leaders.values()))
        if not (t.units or t.leaders) and (merged or leaders):
            self.r.marked += 1

    def _flush(self) -> None:
        """The text still open when something new begins: a task of its own if it is one."""
        o, self.open = self.open, None
        if o is None:
            return
        end = o.end if o.end >= 0 else o.start
        s, e = _clause(self.text, o.start, end)
        if e <= s:
            return
        inherited = bool(self.r.outline.units() or self.r.outline.leaders())
        states = targets_in(self.doc, s, e, open_vocab=bool(states_targets(self.text, s, e)
                                                           or self.r.outline.states_targets()))
        lead_in = LEAD_IN.match(self.text, s, e)
        main = lead_in is not None and _MAIN_LEAD_IN.search(lead_in.group()) is not None
        if o.number is not None or inherited or states or main:    # 主要预期目标是：…, numbers or not
            self.r.task(o.number, s, e, main=main)
            self.last = len(self.r.tasks) - 1
            if o.style in _REPORTED_STYLES:
                self.r.unmarked.append(self.last)
            return
        for cs, ce, named in duty_clauses(self.text, s, e):     # 区统计局负责对…进行审核；…
            self.r.task(None, cs, ce, [Annotation(named[0].start, named[-1].end,
                                                  tuple(prose_mentions(self.doc, named)))])
            self.last = len(self.r.tasks) - 1


# --- Tables ------------------------------------------------------------------------

def _column(doc: Document, rw: RoleWord, c: Cell) -> tuple[list[UnitMention], list[LeaderMention]]:
    """The units or leaders one role cell names."""
    text = doc.norm.text
    named = role_clauses(text, c.start, c.end) if rw.kind == PROSE else None
    if named:
        return prose_mentions(doc, named), prose_leaders(doc, named)
    names = split_unit_list(text[c.start:c.end], base=c.start, breaks=gaps_in(doc, c.start, c.end))
    if rw.kind == LEADER:
        return [], leader_mentions(doc, names, rw.word)
    return unit_mentions(doc, names, rw.role, rw.word), []


def _task_cell(doc: Document, row: tuple[Cell, ...], cols: Columns) -> Optional[int]:
    """Which cell of a row is the task: the first that is no number, no unit list, no leader."""
    for k, c in enumerate(row):
        t = c.text(doc)
        if c.empty or OUTLINE_NUMBER.fullmatch(t) or t.strip("（）").isdigit():
            continue
        names = split_unit_list(t, breaks=gaps_in(doc, c.start, c.end))
        if names and (all(is_unit_name(n) for n, _, _ in names) or all(is_leader_name(n) for n, _, _ in names)):
            continue
        return k
    return None


def _role_table(r: _Reading, table: TableRows, hi: int, cols: Columns) -> None:
    doc, text = r.doc, r.doc.norm.text
    above: dict[int, tuple[list, list]] = {}
    last_due = None
    flat = table.form != "word"
    for row in table.rows[hi + 1:]:
        filled = [c for c in row if not c.empty]
        if not filled:
            continue
        heading = OUTLINE_NUMBER.match(text, filled[0].start, filled[0].end)
        if heading and heading.lastgroup in ("chapter", "section") and \
                all(k == cols.number or k == cols.task or row[k].empty for k in range(len(row))):
            ts, te = strip_range(text, heading.end(), filled[0].end)
            if len(filled) == 1:
                leaders, units = heading_roles(doc, ts, te)
                r.heading(heading.lastgroup, heading.group(heading.lastgroup), ts, te, leaders, units)
                continue
        shift = 0
        if flat and len(row) < cols.size:
            k = _task_cell(doc, row, cols)
            if k is not None and cols.task is not None:
                shift = cols.task - k
        cells: dict[int, Cell] = {}
        for j in range(cols.size):
            i = j - shift
            if 0 <= i < len(row):
                cells[j] = row[i]
        task = cells.get(cols.task)
        if task is None or task.empty:
            r.problems.append(problem(doc, filled[0].start, filled[0].end, "table row without a task cell"))
            continue
        number = None
        if cols.number is not None and cols.number in cells and not cells[cols.number].empty:
            number = cells[cols.number].text(doc).strip()
        units: list[UnitMention] = []
        leaders: list[LeaderMention] = []
        columns: dict[int, tuple[list, list]] = {}
        bounds: list[int] = []
        for j in sorted(cols.roles):
            c = cells.get(j)
            if c is not None and not c.empty:
                columns[j] = _column(doc, cols.roles[j], c)
                bounds += [c.start, c.end]
            elif (c is not None and c.merged or c is None and j < shift) and j in above:
                columns[j] = above[j]
            else:
                continue
            units += columns[j][0]
            leaders += columns[j][1]
        above = columns
        for c in row[cols.size:] if len(row) > cols.size and not shift else ():
            extra = parse_annotation(doc, c.start, c.end)     # a role line under the row: 省牵头单位：X
            units += extra.units
            leaders += extra.leaders
            bounds += [c.start, c.end]
        start, end = (min(bounds), max(bounds)) if bounds else (task.start, task.end)
        rule = first_listed_rule(text)
        ann = Annotation(start, end, resolve_roles(units, rule is not None and rule < end), tuple(leaders))
        t = r.task(number, task.start, task.end, [ann] if ann.units or ann.leaders else [])
        goal = cells.get(cols.target) if cols.target is not None else None
        found = table_target(doc, task, goal) if goal is not None and not goal.empty else None
        if found is not None and not t.indicators:               # 地区生产总值 | 增长5.5%
            t = r.tasks[-1] = replace(t, indicators=(found,))
        due = cells.get(cols.deadline) if cols.deadline is not None else None
        if due is not None and not due.empty:                    # 完成时限 | 2025年12月底前
            last_due = deadline_at(doc, due.start, due.end, "column")
        elif due is None or not due.merged:                      # a merged cell: the row above's
            last_due = None
        if last_due is not None:
            t = r.tasks[-1] = replace(t, deadline=last_due)
        if not t.units and not t.leaders:
            r.problems.append(problem(doc, task.start, task.end,
                                      f"table row {number or t.seq} names no unit in its role columns"))


def _indicator_table(r: _Reading, table: TableRows, hi: int, cols: Columns) -> None:
    """An indicator table (序号 / 指标名称 / 单位 / one column per area): each row's metric with
    the target of the first value column (the document's own region's)."""
    doc = r.doc
    for row in table.rows[hi + 1:]:
        if cols.metric >= len(row) or row[cols.metric].empty or not cols.values or cols.values[0] >= len(row):
            continue
        metric, value = row[cols.metric], row[cols.values[0]]
        unit = row[cols.unit_of_measure] if cols.unit_of_measure is not None and cols.unit_of_measure < len(row) else None
        number = row[cols.number].text(doc) if cols.number is not None and cols.number < len(row) else None
        found = table_target(doc, metric, value, unit)
        if found is None:
            continue
        parent, section = r.outline.current()
        r.tasks.append(TaskRecord(doc_id=doc.id, seq=r.seq, number=number, text=metric.text(doc),
                                  span=doc.norm.span(doc.id, metric.start, metric.end), section=section,
                                  parent_seq=parent, indicators=(found,)))
        r.targets += 1


def _tables(doc: Document) -> list[tuple[TableRows, int, Columns]]:
    """The tables that name roles or state targets, one shape each, in document order."""
    found: list[tuple[TableRows, int, Columns]] = []
    for table in tables_of(doc):
        hi, cols = find_header(doc, table)
        if cols is None or not (cols.is_role_table or cols.is_indicator_table):
            continue
        if cols.progress is not None:
            continue                     # a progress report's table: the progress-table layout's
        if any(not (table.end <= t.start or t.end <= table.start) for t, _, _ in found):
            continue
        found.append((table, hi, cols))
    return sorted(found, key=lambda f: f[0].start)


# --- The layout ------------------------------------------------------------------------

def read(doc: Document) -> _Reading:
    """Read ``doc`` once (its fit and its extraction ask for the same reading)."""
    return _MEMO.get(doc, ("markers",), lambda: _read(doc))


def _read(doc: Document) -> _Reading:
    r = _Reading(doc)
    pos = 0
    text = doc.norm.text
    for table, hi, cols in _tables(doc):
        if table.start > pos:
            _Flow(r, pos, _line_start(text, table.start)).run()
        if cols.is_role_table:
            _role_table(r, table, hi, cols)
        else:
            _indicator_table(r, table, hi, cols)
        pos = max(pos, _line_end(text, table.end))
    if pos < len(text):
        _Flow(r, pos, len(text)).run()
    if r.marked:
        for k in r.unmarked:
            t = r.tasks[k]
            if not t.units and not t.leaders:
                r.problems.append(Problem(doc.id, doc.path, doc.line_of(t.span.start),
                                          f"task {t.number} has no annotation (牵头单位：…)", t.text[:40]))
    return r


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _line_end(text: str, i: int) -> int:
    nl = text.find("\n", i)
    return nl + 1 if nl != -1 else len(text)


class RoleMarkers:
    name = "role-markers"
    kind = DIVISION
    kinds = (DIVISION, DECOMPOSITION, WORK_REPORT)      # what a document read this way may be

    def fit(self, doc: Document) -> float:
        """1 when markers give a unit or leader to a task, 0.3 when only targets are read, 0 else."""
        r = read(doc)
        if r.marked:
            return 1.0
        return 0.3 if r.targets else 0.0

    def extract(self, doc: Document) -> Extraction:
        r = read(doc)
        return Extraction(document=doc, layout=self.name, fit=self.fit(doc), tasks=tuple(r.tasks),
                          problems=tuple(r.problems))


MARKERS = RoleMarkers()
