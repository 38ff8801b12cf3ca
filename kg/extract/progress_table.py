"""The progress table (推进情况): 序号 / 主要任务 / 责任单位 / 推进情况 / 后续举措.

Two inputs give the same rows of cells:

* flat text, one cell per line: a cell starts at a line beginning with a tab
  (or a space then a tab: a row whose number cell was lost); other lines,
  blank ones included, continue the current cell. A new row starts at a
  space-tab line or at a tab line after a blank line.
* real tables (``doc.tables``, from .docx).

Rows are then read the same way: the header row names the columns; in a body
row the unit cell is found by its content (every line a unit-like name), the
task is the cell before it, anything between the number and the task is the
category (an empty or missing category cell continues the previous one: a
merged cell that the flattening left empty or dropped),
progress and next steps follow. A row that lost its number gets the previous
number + 1 (``number_inferred``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Optional

from kg.extract.base import strip_range
from kg.extract.indicators import indicators_in, period_in, with_actual
from kg.extract.projects import projects_in
from kg.extract.roles import UNIT, lookup
from kg.extract.unitlist import split_unit_list
from kg.model import PROGRESS, RESPONSIBLE, Document, Extraction, Problem, TaskRecord, UnitMention

Range = tuple[int, int]


@dataclass(frozen=True)
class _Cell:
    start: int                     # normalized range of the cell's text, stripped
    end: int
    lines: tuple[Range, ...]       # normalized range of each non-blank source line

    def text(self, doc: Document) -> str:
        return doc.norm.text[self.start:self.end]


# Header words of each column, by what they contain.
_COLUMNS = {
    "number": re.compile(r"序号|编号"),
    "task": re.compile(r"任务|工作|事项|目标"),
    "unit": re.compile(r"单位|部门"),
    "progress": re.compile(r"推进情况|进展情况|完成情况|进度"),
    "next": re.compile(r"举措|下一步|计划|打算"),
}

# A cell line that names a unit: short, no sentence punctuation, a unit-like ending.
_UNIT_LINE = re.compile(
    r"""^[^。，；：！？,;:!?\s]{2,30}?                # a short name without sentence punctuation
        (?:局|委|办|中心|集团|公司|管委会|街道|镇|部|队|院|会|社|联|商务区|办事处|所|站|处|行|室|组|厅|署)
        (?:[、，,；][^。，；：！？]{2,30})*$          # possibly more names on the same line
    """,
    re.VERBOSE,
)

_NUMBER = re.compile(r"^\d{1,3}$")                    # a row number cell: 1 … 999
_YEAR = re.compile(r"(?P<year>20\d\d)年")              # the year in the title


def _norm_pos(doc: Document, raw: int) -> int:
    """The normalized index of the first char at or after raw offset ``raw``."""
    return bisect_left(doc.norm.offsets, raw)


def _cell(doc: Document, raw_lines: list[Range]) -> _Cell:
    """A cell from the raw ranges of its lines."""
    text = doc.norm.text
    lines = []
    for rs, re_ in raw_lines:
        s, e = strip_range(text, _norm_pos(doc, rs), _norm_pos(doc, re_))
        if e > s:
            lines.append((s, e))
    if not raw_lines:
        return _Cell(0, 0, ())
    s, e = strip_range(text, _norm_pos(doc, raw_lines[0][0]), _norm_pos(doc, raw_lines[-1][1]))
    return _Cell(s, e, tuple(lines))


def flat_rows(doc: Document) -> list[list[_Cell]]:
    """Rows of cells of a table flattened one cell per line (see the module docstring)."""
    rows: list[list[list[Range]]] = []
    pos, blank_before = 0, True
    for line in doc.text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        lead = 2 if line.startswith(" \t") else 1 if line.startswith("\t") else 0
        if lead:
            if lead == 2 or blank_before or not rows:
                rows.append([])
            rows[-1].append([(start + lead, end)])
        elif rows and rows[-1]:
            rows[-1][-1].append((start, end))
        blank_before = not lead and not line.strip()
    return [[_cell(doc, c) for c in row] for row in rows]


def table_rows(doc: Document) -> list[list[_Cell]]:
    """Rows of cells of the real tables of ``doc`` (.docx)."""
    out = []
    for table in doc.tables:
        for row in table.rows:
            cells = []
            for c in row:
                s, e = _norm_pos(doc, c.span.start), _norm_pos(doc, c.span.end)
                s, e = strip_range(doc.norm.text, s, e)
                lines, p = [], s
                for part in doc.norm.text[s:e].split("\n"):
                    ls, le = strip_range(doc.norm.text, p, p + len(part))
                    if le > ls:
                        lines.append((ls, le))
                    p += len(part) + 1
                cells.append(_Cell(s, e, tuple(lines)))
            out.append(cells)
    return out


def _header(doc: Document, row: list[_Cell]) -> Optional[dict[str, int]]:
    """Column role → index if ``row`` is a header naming task, unit and progress columns."""
    cols: dict[str, int] = {}
    for k, cell in enumerate(row):
        t = cell.text(doc)
        if len(t) > 12:
            return None
        for role in ("number", "progress", "next", "unit", "task"):
            if role not in cols and _COLUMNS[role].search(t):
                cols[role] = k
                break
    return cols if {"task", "unit", "progress"} <= cols.keys() else None


def _is_unit_cell(doc: Document, cell: _Cell) -> bool:
    text = doc.norm.text
    return bool(cell.lines) and all(_UNIT_LINE.match(text[s:e]) for s, e in cell.lines)


def _find_header(doc: Document, rows: list[list[_Cell]]) -> tuple[int, Optional[dict[str, int]]]:
    for i, row in enumerate(rows):
        cols = _header(doc, row)
        if cols:
            return i, cols
    return -1, None


def _rows(doc: Document) -> tuple[list[list[_Cell]], int, Optional[dict[str, int]]]:
    rows = table_rows(doc) if doc.tables else flat_rows(doc)
    i, cols = _find_header(doc, rows)
    if cols is None and doc.tables:
        rows = flat_rows(doc)
        i, cols = _find_header(doc, rows)
    return rows, i, cols


@dataclass(frozen=True)
class _Row:
    number: Optional[str]
    category: Optional[_Cell]      # None: no category cell; an empty cell continues the previous
    task: _Cell
    units: _Cell
    progress: Optional[_Cell]
    next_steps: Optional[_Cell]


def _read_row(doc: Document, row: list[_Cell], cols: dict[str, int]) -> Optional[_Row]:
    """The cells of a body row by the header's columns.

    The unit cell is found by its content; the difference between its place and the unit
    column's is how far the row is shifted after its number cell (an extra category cell
    in front of the task: +1; a row with no number cell: -1), so the unit column may come
    anywhere, after a long progress paragraph too.
    """
    number_col = cols.get("number", -1)
    if 0 <= number_col < len(row):
        first = row[number_col].text(doc)
        if first and not _NUMBER.match(first):     # the row lost its number cell (flat text)
            row = [*row[:number_col], None, *row[number_col:]]
    k = next((k for k in range(1, len(row)) if row[k] is not None and _is_unit_cell(doc, row[k])), None)
    if k is None:
        return None
    shift = k - cols["unit"]

    def at(name: str) -> Optional[_Cell]:
        i = cols.get(name)
        if i is None:
            return None
        i += shift if i > number_col else 0
        return row[i] if 0 <= i < len(row) and i != k else None

    task = at("task")
    if task is None:
        return None
    task_i = row.index(task)
    category = row[task_i - 1] if shift > 0 and task_i - 1 > number_col else None
    cell = row[number_col] if 0 <= number_col < len(row) else None
    number = cell.text(doc) if cell is not None and _NUMBER.match(cell.text(doc)) else None
    return _Row(number, category, task, row[k], at("progress"), at("next"))


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
        rows, i, cols = _rows(doc)
        if cols is None:
            return 0.0
        return 1.0 if any(_read_row(doc, r, cols) for r in rows[i + 1:]) else 0.0

    def extract(self, doc: Document) -> Extraction:
        rows, i, cols = _rows(doc)
        if cols is None:
            return Extraction(document=doc, layout=self.name, fit=0.0)
        header = rows[i]
        role_word = header[cols["unit"]].text(doc) if cols["unit"] < len(header) else "责任单位"
        rw = lookup(role_word)
        role = rw.role if rw is not None and rw.kind == UNIT else RESPONSIBLE
        year = _year(doc)
        tasks: list[TaskRecord] = []
        problems: list[Problem] = []
        last_number, category = 0, None
        for row in rows[i + 1:]:
            r = _read_row(doc, row, cols)
            if r is None:
                if any(c.end > c.start for c in row):
                    s = next(c.start for c in row if c.end > c.start)
                    raw = doc.norm.raw_start(s)
                    problems.append(Problem(doc.id, doc.path, doc.line_of(raw),
                                            "table row without a unit cell: not read as a task",
                                            doc.norm.text[s:s + 40]))
                continue
            number, inferred = r.number, False
            if number is None:
                number, inferred = str(last_number + 1), True
            last_number = int(number)
            if r.category is not None and r.category.end > r.category.start:
                category = r.category.text(doc)
            tasks.append(self._task(doc, len(tasks) + 1, number, inferred, category, r, role, role_word, year))
        return Extraction(document=doc, layout=self.name, fit=1.0 if tasks else 0.0,
                          tasks=tuple(tasks), problems=tuple(problems))

    @staticmethod
    def _task(doc: Document, seq: int, number: str, inferred: bool, category: Optional[str], r: _Row,
              role: str, role_word: str, year: Optional[int]) -> TaskRecord:
        text = doc.norm.text
        units = []
        for s, e in r.units.lines:
            for name, ns, ne in split_unit_list(text[s:e], s):
                units.append(UnitMention(name=name, role=role, role_word=role_word,
                                         span=doc.norm.span(doc.id, ns, ne)))
        ts, te = r.task.start, r.task.end
        indicators = indicators_in(doc, ts, te)
        prog = r.progress if r.progress is not None and r.progress.end > r.progress.start else None
        nxt = r.next_steps if r.next_steps is not None and r.next_steps.end > r.next_steps.start else None
        if prog is not None:
            period = period_in(prog.text(doc), year) or doc.meta.period
            indicators = tuple(with_actual(doc, x, prog.start, prog.end, period=period) for x in indicators)
        return TaskRecord(
            doc_id=doc.id, seq=seq, number=number, text=text[ts:te], span=doc.norm.span(doc.id, ts, te),
            category=category, number_inferred=inferred, units=tuple(units),
            indicators=tuple(indicators), projects=tuple(projects_in(doc, ts, te)),
            progress=prog.text(doc) if prog else None,
            progress_span=doc.norm.span(doc.id, prog.start, prog.end) if prog else None,
            next_steps=nxt.text(doc) if nxt else None,
            next_steps_span=doc.norm.span(doc.id, nxt.start, nxt.end) if nxt else None,
        )


PROGRESS_TABLE = ProgressTable()

