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

Which columns a table has is read from its header by :func:`kg.extract.cells.columns`.
Every shape is read once per document (:data:`kg.extract.annotation.DocMemo`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Optional

from kg.extract.base import DocMemo, gaps_in, strip_range
from kg.extract.cells import MAX_HEADER_CELL, HEADER_NOTE, Cell, Columns, Range, TableRows, columns
from kg.extract.roles import lookup
from kg.extract.rowfit import TEXT, cell_kind, fit
from kg.model import Document

_MEMO = DocMemo()


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
                    and end - start < 60 and len(text[prev[0]:prev[1]].strip()) <= MAX_HEADER_CELL:
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


def _lines(doc: Document, taken: list[Range] = ()) -> list[TableRows]:
    """One cell per line with nothing marking the cells: a header of short column names, then
    rows that start at their number or are a heading (see the module docstring). A line that
    ends with ``|`` is one cell too (a table rendered one cell a line, ``24 |``). Lines inside
    ``taken`` (a table another shape read) start no table."""
    text = doc.norm.text
    lines = []
    pos = 0
    for line in text.split("\n"):
        s, e = strip_range(text, pos, pos + len(line))
        pos += len(line) + 1
        while e > s and text[e - 1] == _PIPE:
            s, e = strip_range(text, s, e - 1)
        if e > s:
            lines.append((s, e))
    out = []
    k = 0
    while k < len(lines):
        header = None if any(a <= lines[k][0] < b for a, b in taken) else _header_run(doc, lines, k)
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
        t = HEADER_NOTE.sub("", "".join(text[s:e].split()))
        if len(t) > MAX_HEADER_CELL or re.search(r"[，。；：、]", t) or _ROW_NUMBER.match(t) \
                or _HEADING_CELL.match(text[s:e]):
            break
        n += 1
    if n < 3:
        return None
    row = [Cell(s, e, ((s, e),)) for s, e in lines[k:k + n]]
    for m in range(n, 2, -1):       # the longest run that is a header
        cols = columns(doc, row[:m])
        if cols is None or 0 not in (cols.number, cols.category, cols.task, cols.metric, *cols.roles):
            continue                 # a header's first line names a column (not a title above it)
        if cols.is_indicator_table or (cols.unnamed == 0 and (cols.is_role_table or cols.progress is not None)):
            if cols.category is not None and cols.number is not None and cols.category < cols.number < m - 1 \
                    and k + m < len(lines) and _ROW_NUMBER.match(text[slice(*lines[k + m])]) \
                    and columns(doc, row[:m - 1]) is not None:
                return m - 1         # the last line is the first row's category cell, before its number
            return m
    return None


def _line_rows(doc: Document, lines: list[Range], k: int, n: int) -> tuple[list[tuple[Cell, ...]], int]:
    """The header (``n`` lines at ``k``) and the rows after it; returns them and where they end.

    A row starts at its number (any number first, then the one after the last row's), at
    a heading line, or at a category cell just before its number when the category column
    comes first; it runs to the next row's start. Its lines are fitted to the columns
    (:mod:`kg.extract.rowfit`), each row coming out with one cell per column; lines left
    over after a row may be a sub-row under its merged cells (a task and its time limit),
    else the table ends before them. Role lines under a row (省牵头单位：X) follow its cells."""
    text = doc.norm.text
    head = [Cell(s, e, ((s, e),)) for s, e in lines[k:k + n]]
    cols = columns(doc, head)
    rows: list[tuple[Cell, ...]] = [tuple(head)]
    name = lambda s, e: HEADER_NOTE.sub("", "".join(text[s:e].split()))   # noqa: E731
    header = [name(s, e) for s, e in lines[k:k + n]]
    category_first = cols.category is not None and cols.number is not None and cols.category < cols.number
    expected: Optional[int] = None

    def repeated(i: int) -> bool:
        return [name(a, b) for a, b in lines[i:i + n]] == header

    def numbered(i: int) -> bool:
        t = text[lines[i][0]:lines[i][1]] if i < len(lines) else ""
        return bool(_ROW_NUMBER.match(t)) and (expected is None or row_number(t) == expected)

    def starts(i: int, first: bool) -> bool:
        t = text[lines[i][0]:lines[i][1]]
        if numbered(i) or repeated(i):
            return True
        if _HEADING_CELL.match(t) and len(t) <= 40 and not first:
            return True
        return category_first and len(t) <= 20 and not re.search(r"[，。；]", t) and numbered(i + 1) \
            and cell_kind(doc, Cell(*lines[i], (lines[i],))) == TEXT      # a field's name, no unit's

    i = k + n
    while i < len(lines):
        if repeated(i):                                    # the header again (a new part)
            i, expected = i + n, None
            continue
        if not starts(i, False):
            break
        heading = not numbered(i) and not (category_first and numbered(i + 1))
        j = i + 1
        if not numbered(i) and not heading:
            j += 1                                         # a category cell, then the number
        number_line = j - 1 if numbered(j - 1) else None
        if number_line is not None:
            expected = row_number(text[slice(*lines[number_line])]) + 1
        while j < len(lines) and j - i < n + _MAX_ROW_LINES and not starts(j, j == (number_line or -2) + 1):
            j += 1
        body = list(range(i, j))
        roles = []
        while body and len(body) > 1 and _role_line(doc, *lines[body[-1]]):
            roles.insert(0, body.pop())                    # a role line under a row belongs to it
        cells = [Cell(a, b, ((a, b),)) for a, b in (lines[x] for x in body)]
        if heading:                                        # a heading row stands as written
            rows.append(tuple(cells[:n]) + tuple(Cell(*lines[x], (lines[x],)) for x in roles))
            if len(cells) > n:
                return rows, body[n]
            i = j
            continue
        if not (cols.is_role_table or cols.progress is not None):     # an indicator table
            rows.append(tuple(cells[:n]))
            if len(cells) > n:
                return rows, body[n]
            i = j
            continue
        f = fit(doc, cols, cells, merge=True)
        rows.append(_aligned(f.cells, lines[i][0], ()) + tuple(Cell(*lines[x], (lines[x],)) for x in roles))
        rest = cells[f.used:]
        if rest:
            sub = fit(doc, cols, rest, merge=True, sub_row=True)
            if sub.used == len(rest) and cols.task is not None and sub.cells[cols.task] is not None \
                    and sub.specific and sub.score > 0:
                rows.append(_aligned(sub.cells, rest[0].start, tuple(cols.roles)))
            elif j >= len(lines) or not starts(j, False):
                return rows, body[f.used] if f.used < len(body) else j
        i = j
    return rows, i


def _aligned(cells: list[Optional[Cell]], at: int, merged: tuple[int, ...]) -> tuple[Cell, ...]:
    """A fitted row, one cell per column: an empty cell where none fitted (a merged one in the
    ``merged`` columns of a sub-row, which continue the row above); no empty cells at its end."""
    out = [c if c is not None else Cell(at, at, (), k in merged) for k, c in enumerate(cells)]
    while out and out[-1].empty and not out[-1].merged:
        out.pop()
    return tuple(out)


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


_SHAPES = (("word", _word), ("cells", _cells), ("tabs", _tabs), ("pipes", _pipes), ("spaced", _spaced))


def tables_of(doc: Document) -> tuple[TableRows, ...]:
    """Every table of ``doc`` in every shape that holds one, read once per document; the
    ``lines`` shape (nothing marks its cells) only where no other shape found a table with a
    header."""
    return _MEMO.get(doc, ("tables",), lambda: _all_tables(doc))


def _all_tables(doc: Document) -> tuple[TableRows, ...]:
    found = [t for _, read in _SHAPES for t in read(doc)]
    taken = [(t.start, t.end) for t in found if find_header(doc, t)[1] is not None]
    return tuple(found + _lines(doc, taken))


def find_header(doc: Document, table: TableRows) -> tuple[int, Optional[Columns]]:
    """The first row of ``table`` that is a header, and its columns; (-1, None) without one."""
    for i, row in enumerate(table.rows):
        cols = columns(doc, list(row))
        if cols is not None:
            return i, cols
    return -1, None
