"""The division table (责任分工表): 序号 / 工作任务 / 牵头领导 / 牵头单位 / 责任单位 / 完成时限.

The columns are named by role words of data/roles.tsv in the header row, so
each unit or leader cell takes the role of its column (a 分工 column holding
``X牵头，Y配合`` is read with the role verbs). Rows come from the real tables
of a .docx, from a table flattened one cell per line (the cells of
:func:`kg.extract.progress_table.flat_rows`), or from a table flattened one
row per line with cells separated by tabs. A row with only one filled cell
that starts with an outline number (``一、…``) is a section heading.

A table with a progress column (推进情况) is the progress-table layout, not
this one. A row whose role cells are all empty is kept and reported: a merged
cell that the flattening emptied cannot be told from a missing unit, so no
unit is inherited from the row above.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from kg.extract.base import strip_range
from kg.extract.annotation import (Annotation, dedupe_leaders, leader_mentions, problem, prose_mentions,
                                   resolve_roles, unit_mentions)
from kg.extract.division_list import Outline, heading_leaders, make_task
from kg.extract.patterns import OUTLINE_NUMBER
from kg.extract.progress_table import flat_rows, table_rows
from kg.extract.prose import first_listed_rule, role_clauses
from kg.extract.roles import LEADER, PROSE, RoleWord, lookup
from kg.extract.unitlist import split_unit_list
from kg.model import DIVISION, Document, Extraction, LeaderMention, Problem, TaskRecord, UnitMention

_NUMBER_HEADER = re.compile(r"^(?:序号|编号|序)$")                    # the number column
_TASK_HEADER = re.compile(r"任务|工作|事项|内容|目标|措施")              # the task column
_PROGRESS_HEADER = re.compile(r"推进情况|进展情况|完成情况|进度")        # a progress table's column


class _Cell(NamedTuple):
    start: int      # normalized range of the cell's text, stripped
    end: int
    merged: bool = False   # continues a vertical merge (a .docx reader that marks them: Cell.merged)


class _Header(NamedTuple):
    number: Optional[int]
    task: int
    roles: dict[int, RoleWord]     # column → role word


def _tab_rows(doc: Document) -> list[list[_Cell]]:
    """Rows of a table flattened one row per line, cells separated by tabs."""
    text = doc.norm.text
    rows = []
    line_start = 0
    for line in text.split("\n"):
        start, line_start = line_start, line_start + len(line) + 1
        if not _is_row_line(line):
            continue
        cells, pos = [], start
        for part in line.split("\t"):
            s, e = strip_range(text, pos, pos + len(part))
            cells.append(_Cell(s, e))
            pos += len(part) + 1
        rows.append(cells)
    return rows


def _is_row_line(line: str) -> bool:
    """A table row flattened to one line: not a cell line (tab first), two tabs after some text."""
    if line.startswith("\t"):
        return False
    first = next((i for i, ch in enumerate(line) if not ch.isspace()), None)
    return first is not None and line.count("\t", first) >= 2


def rows_of(doc: Document) -> list[list[_Cell]]:
    """The table rows of ``doc``: real tables first, then cell-per-line, then row-per-line text."""
    merged = [[bool(getattr(c, "merged", False)) for c in row] for t in doc.tables for row in t.rows]
    real = [[_Cell(c.start, c.end, m) for c, m in zip(row, flags)]
            for row, flags in zip(table_rows(doc), merged)] if doc.tables else []
    flat = [[_Cell(c.start, c.end) for c in row] for row in flat_rows(doc)]
    for rows in (real, flat):
        if any(_header(doc, row) for row in rows):
            return rows
    return _tab_rows(doc)


def _header(doc: Document, row: list[_Cell]) -> Optional[_Header]:
    """The header if ``row`` names a task column and at least one role column, and no progress."""
    text = doc.norm.text
    number, task, roles = None, None, {}
    for k, c in enumerate(row):
        t = "".join(text[c.start:c.end].split())
        if len(t) > 12 or _PROGRESS_HEADER.search(t):
            return None
        rw = lookup(t)
        if rw is not None:
            roles[k] = rw
        elif _NUMBER_HEADER.match(t):
            number = k
        elif task is None and _TASK_HEADER.search(t):
            task = k
    if task is None or not roles:
        return None
    return _Header(number, task, roles)


def _split(doc: Document) -> tuple[Optional[_Header], list[list[_Cell]]]:
    rows = rows_of(doc)
    for k, row in enumerate(rows):
        h = _header(doc, row)
        if h:
            return h, rows[k + 1:]
    return None, []


_Column = tuple[list[UnitMention], list[LeaderMention]]


def _column(doc: Document, rw: RoleWord, c: _Cell) -> _Column:
    """The units or leaders one role cell names."""
    text = doc.norm.text
    named = role_clauses(text, c.start, c.end) if rw.kind == PROSE else None
    if named:
        return prose_mentions(doc, named), []
    names = split_unit_list(text[c.start:c.end], base=c.start)
    if rw.kind == LEADER:
        return [], leader_mentions(doc, names, rw.word)
    return unit_mentions(doc, names, rw.role, rw.word), []


def _row_annotation(doc: Document, header: _Header, row: list[_Cell],
                    above: dict[int, _Column]) -> tuple[Annotation, dict[int, _Column]]:
    """The units and leaders of a row's role cells, as one annotation, and each column's.

    An empty cell that continues a vertical merge takes the column of the row above.
    """
    units: list[UnitMention] = []
    leaders: list[LeaderMention] = []
    columns: dict[int, _Column] = {}
    bounds = []
    for k in sorted(header.roles):
        c = row[k] if k < len(row) else None
        if c is not None and c.end > c.start:
            columns[k] = _column(doc, header.roles[k], c)
            bounds += [c.start, c.end]
        elif c is not None and c.merged and k in above:
            columns[k] = above[k]
        else:
            continue
        units += columns[k][0]
        leaders += columns[k][1]
    start, end = (min(bounds), max(bounds)) if bounds else (0, 0)
    rule = first_listed_rule(doc.norm.text)
    first_leads = rule is not None and rule < (end or len(doc.norm.text))
    return Annotation(start, end, resolve_roles(units, first_leads), dedupe_leaders(leaders)), columns


class DivisionTable:
    name = "division-table"
    kind = DIVISION

    def fit(self, doc: Document) -> float:
        """Share of body rows (after a header with role columns) whose role cells name someone."""
        header, body = _split(doc)
        if header is None:
            return 0.0
        tasks = [r for r in body if len(r) > header.task and not self._heading(doc, r)]
        good = sum(1 for r in tasks if any(k < len(r) and r[k].end > r[k].start for k in header.roles))
        return good / len(tasks) if tasks else 0.0

    @staticmethod
    def _heading(doc: Document, row: list[_Cell]) -> Optional[re.Match]:
        filled = [c for c in row if c.end > c.start]
        if len(filled) != 1:
            return None
        m = OUTLINE_NUMBER.match(doc.norm.text, filled[0].start, filled[0].end)
        return m if m and m.lastgroup in ("chapter", "section") else None

    def extract(self, doc: Document) -> Extraction:
        header, body = _split(doc)
        text = doc.norm.text
        outline = Outline()
        tasks: list[TaskRecord] = []
        problems: list[Problem] = []
        above: dict[int, _Column] = {}
        for row in body:
            seq = len(tasks) + 1
            m = self._heading(doc, row)
            if m:
                c = next(c for c in row if c.end > c.start)
                ts, te = strip_range(text, m.end(), c.end)
                chiefs = heading_leaders(doc, ts, te)
                number = m.group("chapter") or text[m.start():m.end()].strip()
                level, parent, title = outline.open(m.lastgroup, seq, text[ts:te], chiefs)
                tasks.append(make_task(doc, seq, number, ts, te, section=title, parent_seq=parent,
                                       level=level, leaders=chiefs))
                continue
            if len(row) <= header.task or row[header.task].end <= row[header.task].start:
                if any(c.end > c.start for c in row):
                    c = next(c for c in row if c.end > c.start)
                    problems.append(problem(doc, c.start, c.end, "table row without a task cell"))
                continue
            task = row[header.task]
            number = None
            if header.number is not None and header.number < len(row):
                nc = row[header.number]
                number = text[nc.start:nc.end].strip() or None
            ann, above = _row_annotation(doc, header, row, above)
            if not ann.units and not ann.leaders:
                problems.append(problem(doc, task.start, task.end,
                                        f"table row {number or seq} names no unit in its role columns"))
            parent, section = outline.current()
            tasks.append(make_task(doc, seq, number, task.start, task.end, section=section, parent_seq=parent,
                                   annotations=[ann] if ann.units or ann.leaders else [],
                                   main=outline.in_main_targets(), leaders=outline.leaders()))
        return Extraction(document=doc, layout=self.name, fit=self.fit(doc), tasks=tuple(tasks),
                          problems=tuple(problems))


DIVISION_TABLE = DivisionTable()
