"""What a table is once read, whatever its shape: rows of :class:`Cell`, and what its header
row says each column holds (:func:`columns`).

The columns are read from the header's words: the number column (序号), the task column
(任务, 工作, 举措, 内容, 目标, 实事 …), a category column (分类, 类别), role columns named by the
role words of data/roles.tsv, progress columns (推进情况 …; with several, as in
``1-10月推进情况 / 1-11月推进情况``, the last is the current one), next steps, a deadline
column (完成时限 …), a target column (指标要求: ``地区生产总值 | 增长5.5%``) and, for an indicator table, the metric name (指标名称), its unit and
the value columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from kg.extract.roles import DEADLINE, RoleWord, lookup
from kg.model import Document

Range = tuple[int, int]


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
    "target": re.compile(r"^(?:指标要求|目标值|指标值|目标要求|年度目标值|预期目标值|考核指标值|年度指标)$"),
    "category": re.compile(r"^(?:分类|类别|类型|领域|板块|方面)$"),
    "task": re.compile(r"任务|工作|事项|实事|内容|目标|措施|举措|要求|项目|重点"),
}
# Columns a header may name that hold nothing govkg reads: a note, a status flag (是否达序).
_OTHER_COLUMN = re.compile(r"^(?:备注|说明|备注说明|状态|完成状态|是否.{1,4})$")
MAX_HEADER_CELL = 14


@dataclass
class Columns:
    """What a header row says each column holds (indexes into the row)."""

    number: Optional[int] = None
    category: Optional[int] = None
    task: Optional[int] = None
    target: Optional[int] = None        # a role table's target column (任务名称 | 指标要求 | 牵头部门)
    roles: dict[int, RoleWord] = field(default_factory=dict)
    progress: Optional[int] = None
    next: Optional[int] = None
    deadline: Optional[int] = None
    metric: Optional[int] = None
    unit_of_measure: Optional[int] = None
    values: list[int] = field(default_factory=list)     # an indicator table's value columns
    size: int = 0
    unnamed: int = 0                                     # cells that name no known column
    other: int = 0          # cells that name a column read as no other: a note, a status flag,
                            # a second task column, an earlier progress column

    @property
    def is_role_table(self) -> bool:
        return self.task is not None and bool(self.roles)

    @property
    def is_indicator_table(self) -> bool:
        return self.metric is not None and bool(self.values)


def header_text(doc: Document, cell: Cell) -> str:
    """A header cell's column name: blanks and a bracketed note (（杭州市2项配合工作）) left out."""
    return HEADER_NOTE.sub("", "".join(cell.text(doc).split()))


HEADER_NOTE = re.compile(r"（[^（）]*）")


def columns(doc: Document, row: Row) -> Optional[Columns]:
    """The columns a header row names, or None if the row is no header (a long cell, or no
    task or metric column)."""
    cols = Columns(size=len(row))
    texts = [header_text(doc, c) for c in row]
    if not any(texts) or any(len(t) > MAX_HEADER_CELL for t in texts):
        return None
    for k, t in enumerate(texts):
        if not t:
            continue
        rw = lookup(t)
        if rw is not None and rw.kind == DEADLINE:
            if cols.deadline is None:
                cols.deadline = k
            continue
        if rw is not None:
            cols.roles[k] = rw
            continue
        if cols.progress is not None and _COLUMN_WORDS["progress"].search(t) \
                and not _COLUMN_WORDS["deadline"].search(t):
            cols.other += 1                  # an earlier progress column (1-10月 before 1-11月)
            cols.progress = k
            continue
        if _OTHER_COLUMN.match(t):
            cols.other += 1
            continue
        for name in ("number", "metric", "unit_of_measure", "deadline", "progress", "next", "target", "category",
                     "task"):
            if getattr(cols, name) is None and _COLUMN_WORDS[name].search(t):
                setattr(cols, name, k)
                break
        else:
            if cols.metric is not None:
                cols.values.append(k)
            elif _COLUMN_WORDS["task"].search(t):
                cols.other += 1              # a second task column (主要任务 / 全年目标任务)
            else:
                cols.unnamed += 1
    if cols.task is None and cols.metric is None:
        return None
    if cols.metric is not None:
        cols.values = [k for k in cols.values if k > (cols.unit_of_measure or cols.metric)]
    return cols
