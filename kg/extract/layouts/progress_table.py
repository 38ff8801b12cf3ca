"""The progress table (推进情况): 序号 / 主要任务 / 责任单位 / 推进情况 / 后续举措.

The rows come from any shape of table (:mod:`kg.extract.tables`: a Word table, one cell
per line, one row per line, ``|``-separated), the first whose header names a task, a
progress (推进情况, 落实情况 …) and a unit column. Rows are then read the same way: in a body
row the unit cell is found by its content (every name in it a unit's), the
task is the cell before it, anything between the number and the task is the
category (an empty or missing category cell continues the previous one: a
merged cell that the flattening left empty or dropped),
progress and next steps follow, and a leader column (责任领导) names who oversees
the row. A row that lost its number gets the previous number + 1 (``number_inferred``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from kg.extract.annotation import leader_mentions, resolve_roles, unit_mentions
from kg.extract.base import gaps_in
from kg.extract.deadlines import deadline_at
from kg.extract.indicators import period_in, with_actual
from kg.extract.names import is_unit_name
from kg.extract.projects import projects_in
from kg.extract.targets import targets_in
from kg.extract.roles import LEADER, UNIT, RoleWord
from kg.extract.tables import Cell, Columns, TableRows, find_header, tables_of
from kg.extract.unitlist import split_unit_list
from kg.model import PROGRESS, RESPONSIBLE, Document, Extraction, Problem, TaskRecord

_NUMBER = re.compile(r"^\d{1,3}$")                    # a row number cell: 1 … 999
_YEAR = re.compile(r"(?P<year>20\d\d)年")              # the year in the title


def _names(doc: Document, c: Cell) -> list:
    """The names of a unit cell, line by line (a space in the raw text separates two too)."""
    text = doc.norm.text
    out = []
    for s, e in c.lines:
        out += split_unit_list(text[s:e], s, breaks=gaps_in(doc, s, e))
    return out


def _is_unit_cell(doc: Document, cell: Cell) -> bool:
    names = _names(doc, cell)
    return bool(names) and all(is_unit_name(n, places=True) for n, _, _ in names)


@dataclass(frozen=True)
class _Table:
    rows: tuple[tuple[Cell, ...], ...]
    header: int
    cols: Columns
    unit: int                      # the first unit column
    unit_word: RoleWord
    more_units: tuple[int, ...]    # the other unit columns (牵头单位 / 配合单位)
    leader: Optional[int]          # the leader column (责任领导), if any


def _table(doc: Document) -> Optional[_Table]:
    """The first table whose header names a task, a progress and a unit column."""
    for table in tables_of(doc):
        hi, cols = find_header(doc, table)
        if cols is None or cols.task is None or cols.progress is None:
            continue
        units = [k for k, rw in sorted(cols.roles.items()) if rw.kind == UNIT]
        if not units:
            continue
        leaders = [k for k, rw in sorted(cols.roles.items()) if rw.kind == LEADER]
        return _Table(table.rows, hi, cols, units[0], cols.roles[units[0]], tuple(units[1:]),
                      leaders[0] if leaders else None)
    return None


@dataclass(frozen=True)
class _Row:
    number: Optional[str]
    category: Optional[Cell]       # None: no category cell; an empty cell continues the previous
    task: Cell
    units: Cell
    more_units: tuple[tuple[Cell, RoleWord], ...]     # the cells of the other unit columns
    progress: Optional[Cell]
    next_steps: Optional[Cell]
    leaders: Optional[Cell]
    deadline: Optional[Cell] = None


def _read_row(doc: Document, row: tuple[Cell, ...], t: _Table) -> Optional[_Row]:
    """The cells of a body row by the header's columns.

    The unit cell is found by its content; the difference between its place and the unit
    column's is how far the row is shifted after its number cell (an extra category cell
    in front of the task: +1; a row with no number cell: -1), so the unit column may come
    anywhere, after a long progress paragraph too.
    """
    cols = t.cols
    number_col = cols.number if cols.number is not None else -1
    cells: list[Optional[Cell]] = list(row)
    if 0 <= number_col < len(cells):
        first = cells[number_col].text(doc)
        if first and not _NUMBER.match(first):     # the row lost its number cell (flat text)
            cells = [*cells[:number_col], None, *cells[number_col:]]
    k = next((k for k in range(1, len(cells)) if cells[k] is not None and _is_unit_cell(doc, cells[k])), None)
    if k is None:
        return None
    shift = k - t.unit

    def at(i: Optional[int]) -> Optional[Cell]:
        if i is None:
            return None
        i += shift if i > number_col else 0
        return cells[i] if 0 <= i < len(cells) and i != k else None

    task = at(cols.task)
    if task is None:
        return None
    task_i = cells.index(task)
    category = cells[task_i - 1] if shift > 0 and task_i - 1 > number_col else None
    cell = cells[number_col] if 0 <= number_col < len(cells) else None
    number = cell.text(doc) if cell is not None and _NUMBER.match(cell.text(doc)) else None
    more = tuple((c, cols.roles[u]) for u in t.more_units if (c := at(u)) is not None and not c.empty)
    return _Row(number, category, task, cells[k], more, at(cols.progress), at(cols.next), at(t.leader),
                at(cols.deadline))


def _year(doc: Document) -> Optional[int]:
    if doc.meta.year:
        return doc.meta.year
    m = _YEAR.search(doc.norm.text, 0, 400)
    return int(m.group("year")) if m else None


class ProgressTable:
    name = "progress-table"
    kind = PROGRESS

    def fit(self, doc: Document) -> float:
        """1.0 when a header row with task, unit and progress columns is found and rows parse."""
        t = _table(doc)
        if t is None:
            return 0.0
        return 1.0 if any(_read_row(doc, r, t) for r in t.rows[t.header + 1:]) else 0.0

    def extract(self, doc: Document) -> Extraction:
        t = _table(doc)
        if t is None:
            return Extraction(document=doc, layout=self.name, fit=0.0)
        role = t.unit_word.role if t.unit_word.role != "lead" else "lead"
        year = _year(doc)
        tasks: list[TaskRecord] = []
        problems: list[Problem] = []
        last_number, category = 0, None
        for row in t.rows[t.header + 1:]:
            r = _read_row(doc, row, t)
            if r is None:
                if any(not c.empty for c in row):
                    s = next(c.start for c in row if not c.empty)
                    raw = doc.norm.raw_start(s)
                    problems.append(Problem(doc.id, doc.path, doc.line_of(raw),
                                            "table row without a unit cell: not read as a task",
                                            doc.norm.text[s:s + 40]))
                continue
            number, inferred = r.number, False
            if number is None:
                number, inferred = str(last_number + 1), True
            last_number = int(number)
            if r.category is not None and not r.category.empty:
                category = r.category.text(doc)
            tasks.append(self._task(doc, len(tasks) + 1, number, inferred, category, r, role, t.unit_word.word, year))
        return Extraction(document=doc, layout=self.name, fit=1.0 if tasks else 0.0,
                          tasks=tuple(tasks), problems=tuple(problems))

    @staticmethod
    def _task(doc: Document, seq: int, number: str, inferred: bool, category: Optional[str], r: _Row,
              role: str, role_word: str, year: Optional[int]) -> TaskRecord:
        text = doc.norm.text
        units = unit_mentions(doc, _names(doc, r.units), role or RESPONSIBLE, role_word)
        for cell, rw in r.more_units:
            units += unit_mentions(doc, _names(doc, cell), rw.role or RESPONSIBLE, rw.word)
        units = resolve_roles(units)
        leaders = ()
        if r.leaders is not None and not r.leaders.empty:
            leaders = tuple(leader_mentions(doc, _names(doc, r.leaders), "责任领导"))
        ts, te = r.task.start, r.task.end
        indicators = targets_in(doc, ts, te, open_vocab=bool(units))
        prog = r.progress if r.progress is not None and not r.progress.empty else None
        nxt = r.next_steps if r.next_steps is not None and not r.next_steps.empty else None
        if prog is not None:
            period = period_in(prog.text(doc), year) or doc.meta.period
            indicators = tuple(with_actual(doc, x, prog.start, prog.end, period=period) if x.scope == "region" else x
                               for x in indicators)
        return TaskRecord(
            doc_id=doc.id, seq=seq, number=number, text=text[ts:te], span=doc.norm.span(doc.id, ts, te),
            category=category, number_inferred=inferred, units=tuple(units), leaders=leaders,
            indicators=tuple(indicators), projects=tuple(projects_in(doc, ts, te)),
            progress=prog.text(doc) if prog else None,
            progress_span=doc.norm.span(doc.id, prog.start, prog.end) if prog else None,
            next_steps=nxt.text(doc) if nxt else None,
            next_steps_span=doc.norm.span(doc.id, nxt.start, nxt.end) if nxt else None,
            deadline=(deadline_at(doc, r.deadline.start, r.deadline.end, "column")
                      if r.deadline is not None and not r.deadline.empty
                      else deadline_at(doc, ts, te, "text", anywhere=False)),
        )


PROGRESS_TABLE = ProgressTable()
