"""The records every stage passes on: frozen dataclasses, nothing else.

Every fact extracted from a document carries a :class:`Span` into
``Document.text`` (the text exactly as decoded from the file), so
``doc.text[span.start:span.end]`` is always the quote it came from.
Extractors work on the normalized view ``Document.norm`` and map their
offsets back with :meth:`NormText.span`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Optional

# Normalized roles. The document's own role word is kept beside them.
LEAD = "lead"
ASSIST = "assist"
RESPONSIBLE = "responsible"
ROLES = (LEAD, ASSIST, RESPONSIBLE)

# Document kinds.
WORK_REPORT = "work-report"        # 政府工作报告 (narrative)
DIVISION = "division"              # 责任分工 (numbered list with annotations)
DECOMPOSITION = "decomposition"    # 目标任务分解 (inline annotations, leaders)
PROGRESS = "progress"              # 推进情况 (progress table)
KINDS = (WORK_REPORT, DIVISION, DECOMPOSITION, PROGRESS)


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of ``Document.text``."""

    doc_id: str
    start: int
    end: int

    def quote(self, text: str) -> str:
        return text[self.start:self.end]


@dataclass(frozen=True)
class NormText:
    """A normalized view of a raw text that remembers where each char came from.

    ``offsets[i]`` is the index in the raw text of ``text[i]``;
    ``offsets[len(text)]`` is the raw end, so a normalized range maps to the
    raw range that covers it, deleted artefacts in between included.
    """

    text: str
    offsets: tuple[int, ...]

    def raw_start(self, i: int) -> int:
        return self.offsets[i]

    def raw_end(self, j: int) -> int:
        """Raw end for a normalized end ``j`` (exclusive)."""
        if j <= 0:
            return self.offsets[0]
        return self.offsets[j - 1] + 1

    def span(self, doc_id: str, start: int, end: int) -> Span:
        return Span(doc_id, self.raw_start(start), self.raw_end(end))


def page_of(page_starts: tuple[int, ...], offset: int) -> int:
    """1-based page number of a text offset, given where each page starts."""
    return max(1, bisect_right(page_starts, offset))


@dataclass(frozen=True)
class Cell:
    """One table cell: its text (normalized) and where it lies in the raw text."""

    text: str
    span: Span
    merged: bool = False         # continues a vertical merge: its text is the cell above's


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class DocMeta:
    """What we know about a document: detected, then overridden by manifest/CLI."""

    region: Optional[str] = None          # region name as in the gazetteer: 槐荫区
    year: Optional[int] = None
    kind: Optional[str] = None            # one of KINDS
    title: Optional[str] = None
    period: Optional[str] = None          # progress period: 2025年1-9月
    date: Optional[str] = None            # ISO date the report was delivered
    author: Optional[str] = None          # 刘敬涛
    post: Optional[str] = None            # 区长
    sources: tuple[tuple[str, str], ...] = ()  # (field, "detected"|"manifest"|"option")
    region_code: Optional[str] = None     # its 6-digit gazetteer code (370104): tells 铁西区 from 铁西区


@dataclass(frozen=True)
class Document:
    id: str                      # stable: the file stem, or the manifest's id
    path: str
    text: str                    # the raw decoded text; spans index into it
    norm: NormText               # normalized view the extractors read
    encoding: str = "utf-8"
    tables: tuple[Table, ...] = ()   # real tables (docx); empty for flat text
    page_starts: tuple[int, ...] = ()  # offset of each page's first char (PDF); empty otherwise
    meta: DocMeta = field(default_factory=DocMeta)

    def line_of(self, offset: int) -> int:
        """1-based line number of a raw offset, for messages."""
        return self.text.count("\n", 0, offset) + 1

    def written(self, s: int, e: int) -> str:
        """The characters of ``norm.text[s:e]`` as the document writes them: traditional ones
        kept, what normalization removed (a pinyin gloss, a page break inside a name) left out,
        a character normalization made of several raw ones (a full-width digit) as normalized."""
        offs, raw, norm = self.norm.offsets, self.text, self.norm.text
        out = []
        for i in range(s, e):
            if norm[i] in "\n\t":
                continue
            ch = raw[offs[i]] if offs[i] < len(raw) else norm[i]
            out.append(ch if ch == norm[i] or ("\u4e00" <= ch <= "\u9fff" and "\u4e00" <= norm[i] <= "\u9fff")
                       else norm[i])
        return "".join(out)

    def norm_range(self, span: "Span") -> tuple[int, int]:
        """The normalized range of a raw span."""
        return bisect_left(self.norm.offsets, span.start), bisect_left(self.norm.offsets, span.end)

    def page_of(self, offset: int) -> Optional[int]:
        """1-based page of a raw offset, for documents that have pages (PDF)."""
        return page_of(self.page_starts, offset) if self.page_starts else None


@dataclass(frozen=True)
class UnitMention:
    """A unit named in a task's annotation or unit cell, as written."""

    name: str                    # as written (normalized punctuation), e.g. 区发改局
    role: str                    # LEAD / ASSIST / RESPONSIBLE
    role_word: str               # the document's word: 牵头单位, 责任单位, 配合单位 …
    span: Span                   # the name itself in the raw text
    prefix_from: Optional[str] = None  # a shared prefix written once (市发改委、财政局)
    written: str = ""            # the name as the text writes it when ``name`` is expanded (财政局)

    @property
    def as_written(self) -> str:
        """The name as the document writes it: 财政厅 of 省商务厅、财政厅."""
        return self.written or self.name


@dataclass(frozen=True)
class LeaderMention:
    name: str                    # 武毅
    role_word: str               # 牵头领导, 责任领导, 分管领导 …
    span: Span
    post: Optional[str] = None   # 区长, 副区长 … when the text says


@dataclass(frozen=True)
class IndicatorRecord:
    """A target (and, in progress reports, an actual) for one metric."""

    metric: str                  # normalized metric name: 地区生产总值
    metric_as_written: str       # 规上工业增加值
    span: Span                   # the whole target phrase: 地区生产总值增长5.7%
    kind: str                    # "growth" (a rate, %), "level" (an amount), "count"
    target: Optional[float] = None
    target_high: Optional[float] = None   # upper end of a range 6.5%—7%
    unit: Optional[str] = None            # %, 万人, 亿美元, 个 …
    qualifier: Optional[str] = None       # 左右, 以上, 不少于, 力争 …
    stretch: Optional[float] = None       # （力争超过5.6%）
    direction: str = "up"                 # "up" (增长), "down" (下降)
    actual: Optional[float] = None        # progress report: the reported value
    actual_unit: Optional[str] = None
    actual_span: Optional[Span] = None
    period: Optional[str] = None          # 2025年1-9月
    main: bool = False                    # one of the document's 主要预期目标
    scope: str = "region"                 # "region": the region's target for the metric;
                                          # "task": a figure of one task's work (30条生产线)


@dataclass(frozen=True)
class ProjectMention:
    name: str
    span: Span


@dataclass(frozen=True)
class Deadline:
    """A task's time limit (完成时限) as the document writes it, and the date it names."""

    text: str                    # as written: 2025年12月底前, 三季度, 长期坚持
    span: Span
    due: Optional[str] = None    # ISO date, the last day of the period named; None: ongoing or no year
    ongoing: bool = False        # 长期坚持, 持续推进: no date to miss
    source: str = "text"         # where it was read: column, label, bracket, text


@dataclass(frozen=True)
class TaskRecord:
    """One task of one document, with everything said about it."""

    doc_id: str
    seq: int                     # 1-based order in the document
    number: Optional[str]        # the document's own number ("1", "（一）"); None if none
    text: str                    # the task text (normalized)
    span: Span                   # the task text in the raw text
    section: Optional[str] = None        # heading of the section it sits in
    category: Optional[str] = None       # progress-table category cell (扩大有效投资)
    number_inferred: bool = False        # number restored from the row order
    parent_seq: Optional[int] = None     # the section task it is PART_OF
    level: int = 0                       # 0 = concrete task; 1, 2 … = section headings
    units: tuple[UnitMention, ...] = ()
    leaders: tuple[LeaderMention, ...] = ()
    indicators: tuple[IndicatorRecord, ...] = ()
    projects: tuple[ProjectMention, ...] = ()
    annotation_span: Optional[Span] = None   # the （牵头单位：…） bracket, if any
    progress: Optional[str] = None           # progress table: 推进情况
    progress_span: Optional[Span] = None
    next_steps: Optional[str] = None         # progress table: 后续举措
    next_steps_span: Optional[Span] = None
    deadline: Optional[Deadline] = None      # 完成时限, from a column, a label, a bracket or the text


@dataclass(frozen=True)
class Problem:
    """Something the extractor could not place: shown to the user with file:line."""

    doc_id: str
    path: str
    line: int
    message: str
    quote: str = ""
    code: str = ""               # what kind of problem, for scripts: NOTHING_READ, CUT …


NOTHING_READ = "nothing-read"    # a document from which nothing was extracted
CUT = "cut"                      # the text ends inside an annotation or a list (a fragment)


@dataclass(frozen=True)
class Extraction:
    """What one extractor read from one document."""

    document: Document
    layout: str                          # extractor name
    fit: float                           # how sure the layout detection was, 0..1
    tasks: tuple[TaskRecord, ...] = ()
    indicators: tuple[IndicatorRecord, ...] = ()   # document-level (main targets)
    problems: tuple[Problem, ...] = ()
