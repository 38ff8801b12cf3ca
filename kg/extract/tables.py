"""Tables, however they arrive: rows of cells with normalized ranges.

A table reaches govkg in one of six shapes; each gives the same :class:`Cell` rows:

* ``word``: the real tables of a .docx (``doc.tables``), merged cells marked;
* ``cells``: flattened one cell per line, a cell starting at a line that begins with a
  tab (a space then a tab: a row whose number cell was lost), other lines continuing it;
* ``tabs``: one row per line, cells separated by tabs;
* ``spaced``: one row per line, cells separated by spaces (``1 居民消费价格涨幅3%左右 发展改革委``
  under ``序号 工 作 任 务 牵头负责部门``): a header of column names, then rows that start
  at their number; a row with more pieces than columns keeps the extra ones in its task;
* ``pipes``: cells separated by ``|``, a row ending at a line that ends with ``|``
  (one row a line, or a row written over several lines, one cell a line: ``市政 / 府办 /
  公厅 / | 强化行政监督… / | 市直各单位 / |``);
* ``lines``: one cell per line with nothing to mark the cells: a header of short column
  names, one a line, then rows that each start at their number (1, 2 …) or are a heading
  (一、…), a row's missing last cells simply absent.

Which columns a table has is read from its header by :func:`columns`: the number
column (序号), the task column (任务, 工作, 举措, 内容, 目标 …), role columns named by the role
words of data/roles.tsv, a progress column (推进情况 …), next steps, a deadline column
(完成时限 …) and, for an indicator table, the metric name (指标名称), its unit and the
value columns. Every shape is read once per document (:data:`kg.extract.annotation.DocMemo`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Optional

from kg.extract.base import DocMemo, gaps_in, strip_range
from kg.extract.roles import RoleWord, lookup
from kg.model import Document

Range = tuple[int, int]

_MEMO = DocMemo()


@dataclass(frozen=True)
class Cell:
    start: int                      # normalized range of the cell's text, stripped
    end: int
    lines: tuple[Range, ...] = ()   # normalized range of each non-blank line of the cell
    merged: bool = False            # continues a vertical merge (a .docx reader marks them)

    def text(self, doc: Document) -> str:
        return doc.norm.text[self.start:self.end]

    @property
    def empty(self) -> bool:
        return self.end <= self.start


Row = list[Cell]


@dataclass(frozen=True)
class TableRows:
    """The rows of one table in one shape, and the normalized range it covers."""

    form: str
    rows: tuple[tuple[Cell, ...], ...]
    start: int
    end: int


# --- Column names ----------------------------------------------------------------

_COLUMN_WORDS = {
    "number": re.compile(r"^(?:序号|编号|序|项目编号|任务编号)$"),
    "progress": re.compile(r"推进情况|进展情况|完成情况|落实情况|进度|工作进展|实施情况"),
    "next": re.compile(r"下一步|后续|计划|打算"),
    "deadline": re.compile(r"完成时限|时限|时间节点|完成时间|完成期限|时间要求|进度安排"),
    "metric": re.compile(r"^(?:指标名称|指标|主要指标|指标项目)$"),
    "unit_of_measure": re.compile(r"^(?:单位|计量单位)$"),
    "task": re.compile(r"任务|工作|事项|内容|目标|措施|举措|要求|项目|重点"),
}
_MAX_HEADER_CELL = 14


@dataclass
class Columns:
    """What a header row says each column holds (indexes into the row)."""

    number: Optional[int] = None
    task: Optional[int] = None
    roles: dict[int, RoleWord] = field(default_factory=dict)
    progress: Optional[int] = None
    next: Optional[int] = None
    deadline: Optional[int] = None
    metric: Optional[int] = None
    unit_of_measure: Optional[int] = None
    values: list[int] = field(default_factory=list)     # an indicator table's value columns
    size: int = 0
    unnamed: int = 0                                     # cells that name no known column

    @property
    def is_role_table(self) -> bool:
        return self.task is not None and bool(self.roles)

    @property
    def is_indicator_table(self) -> bool:
        return self.metric is not None and bool(self.values)


def header_text(doc: Document, cell: Cell) -> str:
    """A header cell's column name: blanks and a bracketed note (（杭州市2项配合工作）) left out."""
    return _NOTE.sub("", "".join(cell.text(doc).split()))


_NOTE = re.compile(r"（[^（）]*）")


def columns(doc: Document, row: Row) -> Optional[Columns]:
    """The columns a header row names, or None if the row is no header (a long cell, or no
    task or metric column)."""
    cols = Columns(size=len(row))
    texts = [header_text(doc, c) for c in row]
    if not any(texts) or any(len(t) > _MAX_HEADER_CELL for t in texts):
        return None
    for k, t in enumerate(texts):
        if not t:
            continue
        rw = lookup(t)
        if rw is not None:
            cols.roles[k] = rw
            continue
        for name in ("number", "metric", "unit_of_measure", "deadline", "progress", "next", "task"):
            if getattr(cols, name) is None and _COLUMN_WORDS[name].search(t):
                setattr(cols, name, k)
                break
        else:
            if cols.metric is not None:
                cols.values.append(k)
            else:
                cols.unnamed += 1
    if cols.task is None and cols.metric is None:
        return None
    if cols.metric is not None:
        cols.values = [k for k in cols.values if k > (cols.unit_of_measure or cols.metric)]
    return cols


# --- The shapes ------------------------------------------------------------------

def _norm_pos(doc: Document, raw: int) -> int:
    """The normalized index of the first char at or after raw offset ``raw``."""
    return bisect_left(doc.norm.offsets, raw)


def _cell_from(doc: Document, s: int, e: int, merged: bool = False) -> Cell:
    """A cell of the normalized range [s, e), stripped, with its non-blank lines."""
    text = doc.norm.text
    s, e = strip_range(text, s, e)
    lines, p = [], s
    for part in text[s:e].split("\n"):
        ls, le = strip_range(text, p, p + len(part))
        if le > ls:
            lines.append((ls, le))
        p += len(part) + 1
    return Cell(s, e, tuple(lines), merged)


def _word(doc: Document) -> list[TableRows]:
    out = []
    for table in doc.tables:
        rows = []
        for row in table.rows:
            rows.append(tuple(_cell_from(doc, _norm_pos(doc, c.span.start), _norm_pos(doc, c.span.end),
                                         bool(getattr(c, "merged", False))) for c in row))
        if rows:
            cells = [c for r in rows for c in r if not c.empty]
            out.append(TableRows("word", tuple(rows), min((c.start for c in cells), default=0),
                                 max((c.end for c in cells), default=0)))
    return out


def _raw_lines(doc: Document) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in doc.text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _cells(doc: Document) -> list[TableRows]:
    """One cell per line, cells marked by a leading tab (see the module docstring)."""
    rows: list[list[list[Range]]] = []
    blank_before = True
    for start, end, line in _raw_lines(doc):
        lead = 2 if line.startswith(" \t") else 1 if line.startswith("\t") else 0
        if lead:
            if lead == 2 or blank_before or not rows:
                rows.append([])
            rows[-1].append([(start + lead, end)])
        elif rows and rows[-1]:
            rows[-1][-1].append((start, end))
        blank_before = not lead and not line.strip()
    if not rows:
        return []
    out = tuple(tuple(_cell_from(doc, _norm_pos(doc, c[0][0]), _norm_pos(doc, c[-1][1])) for c in row)
                for row in rows)
    return [_table("cells", out)]


def _tabs(doc: Document) -> list[TableRows]:
    """One row per line, cells separated by tabs (a line with two tabs after some text)."""
    text = doc.norm.text
    rows = []
    line_start = 0
    for line in text.split("\n"):
        start, line_start = line_start, line_start + len(line) + 1
        first = next((i for i, ch in enumerate(line) if not ch.isspace()), None)
        if line.startswith("\t") or first is None or line.count("\t", first) < 2:
            continue
        cells, pos = [], start
        for part in line.split("\t"):
            cells.append(_cell_from(doc, pos, pos + len(part)))
            pos += len(part) + 1
        rows.append(tuple(cells))
    return [_table("tabs", tuple(rows))] if rows else []


_PIPE = "|"


_MAX_ROW_LINES = 12     # a row written over more lines than this is no row: the table has ended


def _pipes(doc: Document) -> list[TableRows]:
    """Cells separated by |, a row ending at a line that ends with | (one or several lines).

    A table starts at a row of two cells or more; a row whose first line begins with | takes
    the short line before it as its first cell when that line is no row's (長沙 style:
    ``牵头单位`` / ``| 目标任务`` / ``| 责任单位`` / ``|``). A row the text ends in is kept."""
    text = doc.norm.text
    tables: list[list[tuple[Cell, ...]]] = []
    pending: Optional[int] = None            # start of a row written over several lines
    pending_lines = 0
    prev: Optional[Range] = None             # the last non-blank line that is in no row
    in_table = False
    pos = 0

    def close(s: int, e: int) -> None:
        nonlocal in_table
        row = _pipe_row(doc, s, e)
        if not in_table and len(row) >= 2:
            tables.append([])
            in_table = True
        if in_table and row:
            tables[-1].append(row)

    for line in text.split("\n"):
        start, end, pos = pos, pos + len(line), pos + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if pending is None:
            if _PIPE not in stripped and not in_table:
                prev = (start, end)
                continue
            pending, pending_lines = start, 0
            if stripped.startswith(_PIPE) and prev is not None and not in_table \
                    and end - start < 60 and len(text[prev[0]:prev[1]].strip()) <= _MAX_HEADER_CELL:
                pending = prev[0]
        pending_lines += 1
        if stripped.endswith(_PIPE):
            close(pending, end)
            pending, prev = None, None
        elif pending_lines > _MAX_ROW_LINES:
            pending, in_table, prev = None, False, None
    if pending is not None and in_table:
        close(pending, len(text))
    return [_table("pipes", tuple(t)) for t in tables if len(t) >= 2]


def _pipe_row(doc: Document, s: int, e: int) -> tuple[Cell, ...]:
    text = doc.norm.text
    cells, pos = [], s
    parts = text[s:e].split(_PIPE)
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    for part in parts:
        cells.append(_cell_from(doc, pos, pos + len(part)))
        pos += len(part) + 1
    return tuple(cells)


_ROW_NUMBER = re.compile(r"^(?:\d{1,3}|（\d{1,3}）)[*＊]?$")     # 1, （1）, 1* (a starred row)


def row_number(t: str) -> int:
    return int(t.strip("（）*＊"))
_HEADING_CELL = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)")


def _lines(doc: Document) -> list[TableRows]:
    """One cell per line with nothing marking the cells: a header of short column names, then
    rows that start at their number or are a heading (see the module docstring)."""
    text = doc.norm.text
    lines = []
    pos = 0
    for line in text.split("\n"):
        s, e = strip_range(text, pos, pos + len(line))
        pos += len(line) + 1
        if e > s:
            lines.append((s, e))
    out = []
    k = 0
    while k < len(lines):
        header = _header_run(doc, lines, k)
        if header is None:
            k += 1
            continue
        rows, k = _line_rows(doc, lines, k, header)
        if len(rows) >= 2:
            out.append(_table("lines", tuple(rows)))
    return out


def _header_run(doc: Document, lines: list[Range], k: int) -> Optional[int]:
    """The number of header lines starting at ``lines[k]`` (three or more short column names,
    one a line, naming a task or metric column), or None."""
    text = doc.norm.text
    n = 0
    while k + n < len(lines):
        s, e = lines[k + n]
        t = _NOTE.sub("", "".join(text[s:e].split()))
        if len(t) > _MAX_HEADER_CELL or re.search(r"[，。；：、]", t) or _ROW_NUMBER.match(t):
            break
        n += 1
    if n < 3:
        return None
    row = [Cell(s, e, ((s, e),)) for s, e in lines[k:k + n]]
    for m in range(n, 2, -1):       # the longest run that is a header
        cols = columns(doc, row[:m])
        if cols is None or 0 not in (cols.number, cols.task, cols.metric, *cols.roles):
            continue                 # a header's first line names a column (not a title above it)
        if cols.is_indicator_table or (cols.unnamed == 0 and (cols.is_role_table or cols.progress is not None)):
            return m
    return None


def _line_rows(doc: Document, lines: list[Range], k: int, n: int) -> tuple[list[tuple[Cell, ...]], int]:
    """The header (``n`` lines at ``k``) and the rows after it; returns them and where they end.

    A row starts at its number, the one after the last row's (1 first), or at a heading line;
    a row has at most ``n`` cells, so a line past them ends the table."""
    text = doc.norm.text
    rows = [tuple(Cell(s, e, ((s, e),)) for s, e in lines[k:k + n])]
    name = lambda s, e: _NOTE.sub("", "".join(text[s:e].split()))   # noqa: E731
    header = [name(s, e) for s, e in lines[k:k + n]]
    i = k + n
    current: list[Range] = []
    expected = 1
    while i < len(lines):
        s, e = lines[i]
        t = text[s:e]
        number = _ROW_NUMBER.match(t)
        if [name(a, b) for a, b in lines[i:i + n]] == header:      # the header again (a new part)
            if current:
                rows.append(tuple(Cell(a, b, ((a, b),)) for a, b in current))
            current, expected, i = [], 1, i + n
            continue
        if (number and row_number(t) == expected) or (_HEADING_CELL.match(t) and len(t) <= 40 and len(current) != 1):
            if current:
                rows.append(tuple(Cell(a, b, ((a, b),)) for a, b in current))
            current = [(s, e)]
            expected += 1 if number else 0
        elif current and (len(current) < n or _role_line(doc, s, e)):
            current.append((s, e))                 # a role line under a row belongs to it
        else:
            break
        i += 1
    if current:
        rows.append(tuple(Cell(a, b, ((a, b),)) for a, b in current))
    return rows, i


def _role_line(doc: Document, s: int, e: int) -> bool:
    """A line that starts with a role word and its colon: 省牵头单位：省农业农村厅."""
    m = re.match(r"([\u4e00-\u9fff]{2,8})：", doc.norm.text[s:e])
    return m is not None and lookup(m.group(1)) is not None


def _table(form: str, rows: tuple[tuple[Cell, ...], ...]) -> TableRows:
    cells = [c for r in rows for c in r if not c.empty]
    return TableRows(form, rows, min((c.start for c in cells), default=0), max((c.end for c in cells), default=0))


def _tokens(doc: Document, s: int, e: int) -> list[Range]:
    """The pieces of a line that spaces separated in the raw text (the normalization removed
    them); pieces of one character in a row are one spaced-out word (工 作 任 务)."""
    cuts = [s] + [s + k for k in gaps_in(doc, s, e)] + [e]
    pieces = [strip_range(doc.norm.text, a, b) for a, b in zip(cuts, cuts[1:])]
    pieces = [(a, b) for a, b in pieces if b > a]
    out: list[Range] = []
    for a, b in pieces:
        if out and b - a == 1 and out[-1][1] - out[-1][0] == 1 or (out and b - a == 1 and _spelled(doc, out[-1])):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _spelled(doc: Document, r: Range) -> bool:
    """A piece made of single characters joined (a spaced-out word being rebuilt)."""
    return bool(gaps_in(doc, r[0], r[1])) and len(gaps_in(doc, r[0], r[1])) == r[1] - r[0] - 1


def _spaced(doc: Document) -> list[TableRows]:
    """One row per line, cells separated by spaces (see the module docstring)."""
    text = doc.norm.text
    lines: list[Range] = []
    pos = 0
    for line in text.split("\n"):
        s, e = strip_range(text, pos, pos + len(line))
        pos += len(line) + 1
        if e > s:
            lines.append((s, e))
    out = []
    k = 0
    while k < len(lines):
        head = _tokens(doc, *lines[k])
        cols = columns(doc, [Cell(a, b, ((a, b),)) for a, b in head]) if 3 <= len(head) <= 12 else None
        if cols is None or cols.unnamed or cols.task is None or not (cols.roles or cols.progress is not None):
            k += 1
            continue
        rows = [tuple(Cell(a, b, ((a, b),)) for a, b in head)]
        expected, k = 1, k + 1
        while k < len(lines):
            tokens = _tokens(doc, *lines[k])
            if not tokens or not _ROW_NUMBER.match(text[tokens[0][0]:tokens[0][1]]) \
                    or row_number(text[tokens[0][0]:tokens[0][1]]) != expected:
                break
            rows.append(_spaced_row(tokens, len(head), cols.task))
            expected, k = expected + 1, k + 1
        if len(rows) >= 2:
            out.append(_table("spaced", tuple(rows)))
    return out


def _spaced_row(tokens: list[Range], size: int, task: int) -> tuple[Cell, ...]:
    """A row's cells: the pieces before the task column one each, the last ones the columns
    after it, and what is left between them the task."""
    if len(tokens) <= size:
        return tuple(Cell(a, b, ((a, b),)) for a, b in tokens)
    after = size - task - 1
    head, middle, tail = tokens[:task], tokens[task:len(tokens) - after], tokens[len(tokens) - after:]
    joined = (middle[0][0], middle[-1][1])
    return tuple(Cell(a, b, ((a, b),)) for a, b in [*head, joined, *tail])


_SHAPES = (("word", _word), ("cells", _cells), ("tabs", _tabs), ("pipes", _pipes), ("spaced", _spaced),
           ("lines", _lines))


def tables_of(doc: Document) -> tuple[TableRows, ...]:
    """Every table of ``doc`` in every shape that holds one, read once per document."""
    return _MEMO.get(doc, ("tables",), lambda: tuple(t for _, read in _SHAPES for t in read(doc)))


def find_header(doc: Document, table: TableRows) -> tuple[int, Optional[Columns]]:
    """The first row of ``table`` that is a header, and its columns; (-1, None) without one."""
    for i, row in enumerate(table.rows):
        cols = columns(doc, list(row))
        if cols is not None:
            return i, cols
    return -1, None
