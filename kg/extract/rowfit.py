"""Fitting a flattened row to its header's columns.

A table flattened one cell per line loses where its cells are: a row may leave a cell out
(a merged category or task cell the flattening dropped), write one cell over several lines
(three units of one 责任单位 cell, one a line), or hold a second sub-row under a merged
cell (``开工建设老年大学。`` / ``12月底前`` below the row that named its unit). What each
cell holds says where it goes: a row number, a list of units, a list of leaders, a time
limit (12月底前), a short flag (是 / 否), or text. :func:`fit` aligns the cells with the
columns in order so that the most cells land in a column made for what they hold — a
sequence alignment (dynamic programming over cells and columns), where a unit or leader
column may take several cells in a row and a cell no column takes costs most.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from kg.extract.base import gaps_in
from kg.extract.cells import Cell, Columns
from kg.extract.names import is_leader_name, is_unit_name
from kg.extract.patterns import DEADLINE_CELL, OUTLINE_NUMBER
from kg.extract.roles import LEADER, UNIT
from kg.extract.unitlist import split_unit_list
from kg.model import Document

# What a cell holds.
EMPTY, NUMBER, UNITS, LEADERS, DEADLINE, FLAG, TEXT = "empty", "number", "units", "leaders", "deadline", "flag", "text"
_KINDS = (NUMBER, UNITS, LEADERS, DEADLINE, FLAG, TEXT)

_ROW_NUMBER = re.compile(r"^(?:\d{1,3}|（\d{1,3}）)[*＊]?$")
_FLAG = re.compile(r"^(?:是|否|已完成|未完成|完成|滞后|正常|超序时|达序时|序时|√|×|✓|✗)$")

# How well a column takes a cell of each kind (columns by what the header names, cells in
# the order of _KINDS). A cell no column takes costs _SKIP.
_SCORE = {
    "number":   (4, -4, -4, -4, -4, -4),
    "category": (-2, -2, -2, -2, -1, 1),
    "task":     (-3, -3, -3, -1, -3, 3),
    "unit":     (-3, 4, -1, -3, -3, -1),
    "leader":   (-3, -1, 4, -3, -3, -1),
    "deadline": (-3, -3, -3, 4, -1, 0),
    "target":   (-3, -3, -3, -1, -1, 2),
    "progress": (-3, -1, -1, 0, 0, 2),
    "next":     (-3, -1, -1, 0, 0, 2),
    "other":    (-1, -1, -1, 0, 2, 1),
}
_SKIP = -5
_NEVER = -1000          # a column a sub-row cannot fill (its number)
_SPECIFIC = {("unit", UNITS), ("leader", LEADERS), ("deadline", DEADLINE)}


def column_kinds(cols: Columns) -> list[str]:
    """What each column of the header takes, by index."""
    kinds = ["other"] * cols.size
    for name in ("number", "category", "task", "target", "deadline", "progress", "next"):
        k = getattr(cols, name)
        if k is not None and k < cols.size:
            kinds[k] = name
    for k, rw in cols.roles.items():
        kinds[k] = "leader" if rw.kind == LEADER else "unit" if rw.kind == UNIT else "other"
    return kinds


def cell_kind(doc: Document, cell: Cell) -> str:
    """What one cell holds (see the module docstring)."""
    if cell.empty:
        return EMPTY
    t = cell.text(doc)
    if _ROW_NUMBER.match(t) or OUTLINE_NUMBER.fullmatch(t):
        return NUMBER
    if _FLAG.match(t):
        return FLAG
    if DEADLINE_CELL.match(t):
        return DEADLINE
    if t.endswith("。"):
        return TEXT                       # a sentence, though it may end in a name (建成…服务中心。)
    names = []
    for s, e in cell.lines or ((cell.start, cell.end),):
        names += split_unit_list(doc.norm.text[s:e], breaks=gaps_in(doc, s, e))
    if names and all(is_unit_name(n, places=True) for n, _, _ in names):
        return UNITS
    if names and all(is_leader_name(n) for n, _, _ in names):
        return LEADERS
    return TEXT


def _score(col: str, kind: str) -> int:
    return 0 if kind == EMPTY else _SCORE[col][_KINDS.index(kind)]


def _merged(cells: Sequence[Cell]) -> Cell:
    if len(cells) == 1:
        return cells[0]
    return Cell(cells[0].start, cells[-1].end, tuple(r for c in cells for r in (c.lines or ((c.start, c.end),))))


class Fit:
    """A row's cells by column (``cells[k]`` for column ``k``; None: no cell there), the
    number of the row's cells it used (the rest did not fit), and its score."""

    def __init__(self, cells: list[Optional[Cell]], used: int, score: int, specific: int):
        self.cells, self.used, self.score, self.specific = cells, used, score, specific


def fit(doc: Document, cols: Columns, row: Sequence[Cell], *, merge: bool = False,
        sub_row: bool = False) -> Fit:
    """The best alignment of ``row``'s cells (a prefix of them) with the columns.

    ``merge``: a unit or leader column may take several cells in a row (one cell a line).
    ``sub_row``: the cells continue the row above under its merged cells, so they take no
    number. A row that already fits as it stands (each cell where it is, none against its
    column) is kept as it is."""
    kinds = column_kinds(cols)
    what = [cell_kind(doc, c) for c in row]
    if not sub_row and len(row) <= len(kinds) and all(_score(kinds[k], w) >= 0 for k, w in enumerate(what)):
        return Fit([*row, *[None] * (len(kinds) - len(row))], len(row), sum(_score(kinds[k], w) for k, w in enumerate(what)),
                   sum((kinds[k], w) in _SPECIFIC for k, w in enumerate(what)))
    n, m = len(row), len(kinds)
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[Optional[tuple[int, int, int]]]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0

    def score(j: int, i: int) -> int:
        if sub_row and kinds[j] == "number" and what[i] != EMPTY:
            return _NEVER
        return _score(kinds[j], what[i])

    for i in range(n + 1):
        for j in range(m + 1):
            b = best[i][j]
            if b == neg:
                continue
            moves = []
            if j < m:
                moves.append((i, j + 1, b - (m - j) * 1e-3, 0))   # the column stays empty (a later one sooner)
            if i < n:
                moves.append((i + 1, j, b + (_SKIP if what[i] != EMPTY else 0), 0))   # no column takes the cell
            if i < n and j < m:
                moves.append((i + 1, j + 1, b + score(j, i), 1))
                if merge and kinds[j] in ("unit", "leader"):
                    want = UNITS if kinds[j] == "unit" else LEADERS
                    total, q = b + score(j, i), i + 1
                    while what[i] == want and q < n and what[q] == want:
                        total += score(j, q) - 1       # two columns before one cell of two
                        q += 1
                        moves.append((q, j + 1, total, q - i))
            for ni, nj, v, took in moves:
                if v > best[ni][nj]:
                    best[ni][nj] = v
                    back[ni][nj] = (i, j, took)
    # the prefix of cells to use: the rest costs a skip each; on a tie the shorter prefix,
    # whose rest may be a sub-row
    rest = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        rest[i] = rest[i + 1] + (_SKIP if what[i] != EMPTY else 0)
    used = max(range(n + 1), key=lambda p: (best[p][m] + rest[p], -p))
    cells: list[Optional[Cell]] = [None] * m
    specific = 0
    i, j = used, m
    while (i, j) != (0, 0):
        pi, pj, took = back[i][j]
        if took:
            cells[pj] = _merged(row[pi:i])
            specific += sum((kinds[pj], w) in _SPECIFIC for w in what[pi:i])
        i, j = pi, pj
    return Fit(cells, used, round(best[used][m]), specific)
