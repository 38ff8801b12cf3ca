"""A document's own structure: item numbers of every style, headings, and who a heading names.

Item numbers, outermost first: ``一、`` (chapter), ``（一）`` (section), ``1.`` ``1、`` ``1﹒``
(item), ``（1）`` (sub-item), ``①`` (circled), and bullets ``●`` ``■`` ``▲`` ``◆`` …. A number
opens a block at a line start, or inside a line where something has just ended: a full
stop, a closing bracket, or a space the normalization removed (``…完成。 一、加快…
（一）全面… 1.把…`` on one line). :func:`blocks` cuts a range into such blocks.

:class:`Outline` tracks the open headings; a heading may name the unit that leads, or
the leader who answers for, every task below it (``一、县示范区管委会牵头工作（8项）``,
``（一）省监察厅牵头的工作``, ``一、孟学农省长负责的工作``, ``一、于海田市长主抓重点工作``):
:func:`heading_roles` reads them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Optional, Sequence

from kg.extract.annotation import leader_mentions, unit_mentions
from kg.extract.base import raw_gap, strip_range
from kg.extract.names import is_unit_name, leader_name
from kg.extract.patterns import SENTENCE_END
from kg.extract.unitlist import split_unit_list
from kg.model import LEAD, Document, LeaderMention, UnitMention

STYLES = ("title", "chapter", "section", "item", "subitem", "circled", "bullet")
ITEM_STYLES = ("item", "subitem", "circled", "bullet")
HEADING_STYLES = ("chapter", "section")

# An item number, by style (use .match at a block start).
ITEM_NUMBER = re.compile(
    r"""[ \t]*
        (?:
            (?P<chapter>[一二三四五六七八九十百]{1,4})、            # 一、 chapter
          | （(?P<section>[一二三四五六七八九十百]{1,4})）          # （一） section
          | (?P<item>\d{1,3})(?:[.、．](?![\d%])|[ \t](?=[\u4e00-\u9fff]))   # 1. 1、 (not 5.6%)
          | （(?P<subitem>\d{1,3})）(?![%\d])                    # （1） sub-item
          | (?P<circled>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])            # ① circled
          | (?P<bullet>[●■▲◆★□○◇•▪▶►◎※√])                      # a bullet
        )
        [ \t]*
    """,
    re.VERBOSE,
)

# What may stand right before an item number inside a line: something has just ended.
_ENDED = "。！？；;）)】〕]"


@dataclass(frozen=True)
class Block:
    """A paragraph, or the part of a line from one item number to the next."""

    start: int                 # where the number (or the text) starts
    body: int                  # where the text after the number starts
    end: int                   # the end of the block (stripped)
    style: Optional[str]       # STYLES, or None for an unnumbered paragraph
    number: Optional[str]      # 一, （一）, 1, ●

    @property
    def numbered(self) -> bool:
        return self.style is not None

    @property
    def kind(self) -> Optional[str]:
        """The style, told apart by glyph for bullets (``bullet:■``): a document that writes
        ■ over ● nests them as it nests 一、 over （一）."""
        return f"bullet:{self.number}" if self.style == "bullet" else self.style


def _number_of(m: re.Match) -> tuple[str, str]:
    style = m.lastgroup
    value = m.group(style)
    if style == "section":
        value = f"（{value}）"
    elif style == "subitem":
        value = f"（{value}）"
    return style, value


def blocks(doc: Document, start: int, end: int, skip: Sequence[tuple[int, int]] = ()) -> list[Block]:
    """The blocks of ``doc.norm.text[start:end]``: every non-blank line, cut again at every
    item number inside it that follows an end (see the module docstring). Ranges in
    ``skip`` (annotations) are never cut."""
    text = doc.norm.text
    skip = sorted(skip)
    skip_starts = [a for a, _ in skip]
    out: list[Block] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        le = nl if nl != -1 else end
        ls, lend = strip_range(text, pos, le)
        if lend > ls:
            out += _line_blocks(doc, ls, lend, skip, skip_starts)
        pos = le + 1
    return out


def _line_blocks(doc: Document, s: int, e: int, skip: Sequence[tuple[int, int]],
                 skip_starts: Sequence[int]) -> list[Block]:
    text = doc.norm.text
    starts = [s]
    depth = 1 if text[s] in "（【〔[" else 0
    for i in range(s + 1, e):
        ch = text[i]
        at_depth = depth
        if ch in "（【〔[":
            depth += 1
        elif ch in "）】〕]":
            depth = max(0, depth - 1)
        if at_depth or not _may_start(ch):
            continue
        prev = text[i - 1]
        if prev not in _ENDED and not raw_gap(doc, i):
            continue
        k = bisect_right(skip_starts, i) - 1
        if k >= 0 and skip[k][1] > i and skip[k][0] < i:
            continue
        m = ITEM_NUMBER.match(text, i, e)
        if m and m.lastgroup != "bullet" and m.end() < e:
            starts.append(i)
    out = []
    for k, bs in enumerate(starts):
        be = starts[k + 1] if k + 1 < len(starts) else e
        bs, be = strip_range(text, bs, be)
        if be <= bs:
            continue
        m = ITEM_NUMBER.match(text, bs, be)
        if m and m.end() <= be and _real_number(text, m, be):
            style, number = _number_of(m)
            out.append(Block(bs, m.end(), be, style, number))
        else:
            out.append(Block(bs, bs, be, None, None))
    return out


def _may_start(ch: str) -> bool:
    return ch.isdigit() or ch in "一二三四五六七八九十（①②③④⑤⑥⑦⑧⑨⑩"


def _real_number(text: str, m: re.Match, end: int) -> bool:
    """An item number and not the start of a figure: 2025年, 1.5万人, 3个 are no numbers."""
    if m.lastgroup == "item":
        after = text[m.end():m.end() + 1]
        return bool(after) and not after.isdigit() and after not in "年月日%万亿个项"
    return True


# --- Headings ----------------------------------------------------------------------

def heading_title(text: str, s: int, e: int) -> tuple[int, int]:
    """The heading's title in ``text[s:e]``: up to its first 。 or its line end."""
    nl = text.find("\n", s, e)
    e = nl if nl != -1 else e
    m = SENTENCE_END.search(text, s, e)
    return strip_range(text, s, m.start() if m else e)


class Outline:
    """Tracks the open headings: levels by numbering style, parents, sections, and the
    units and leaders a heading names for every task below it.

    A style's level is fixed when first seen: 1 + the number of outer styles
    (in :data:`STYLES` order) already seen, so a document whose outermost headings
    are （一） gets them at level 1. Bullets of different glyphs (``bullet:■``, ``bullet:●``:
    :attr:`Block.kind`) are different styles, the one first seen the outer.
    """

    def __init__(self) -> None:
        self._levels: dict[str, int] = {}
        self._glyphs: list[str] = []                   # bullet glyphs in the order first seen
        self._stack: list[tuple[int, int, str]] = []   # (level, seq, title)
        self._leaders: dict[int, tuple[LeaderMention, ...]] = {}   # heading seq → its leaders
        self._units: dict[int, tuple[UnitMention, ...]] = {}       # heading seq → its units

    def rank(self, style: str) -> tuple[int, int]:
        """Outer styles rank lower: by :data:`STYLES`, then bullets by the glyph first seen."""
        base, _, glyph = style.partition(":")
        if glyph and glyph not in self._glyphs:
            self._glyphs.append(glyph)
        return STYLES.index(base), self._glyphs.index(glyph) if glyph else 0

    def level_of(self, style: str) -> int:
        if style not in self._levels:
            rank = self.rank(style)
            self._levels[style] = 1 + sum(self.rank(s) < rank for s in self._levels)
        return self._levels[style]

    def open(self, style: str, seq: int, title: str, leaders: Sequence[LeaderMention] = (),
             units: Sequence[UnitMention] = ()) -> tuple[int, Optional[int], Optional[str]]:
        """Open a heading (with the leaders and units it names for the tasks below); returns its
        level and its parent's seq and title."""
        level = self.level_of(style)
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        parent_seq, parent_title = self.current()
        self._stack.append((level, seq, title))
        self._leaders[seq] = tuple(leaders)
        self._units[seq] = tuple(units)
        return level, parent_seq, parent_title

    def deeper(self, style: str) -> bool:
        """Whether a block of ``style`` sits below the innermost open heading."""
        return not self._stack or self.level_of(style) > self._stack[-1][0]

    def leaders(self) -> tuple[LeaderMention, ...]:
        """The leaders named by the open headings, outermost first."""
        return tuple(m for _, seq, _ in self._stack for m in self._leaders.get(seq, ()))

    def units(self) -> tuple[UnitMention, ...]:
        """The units the innermost open heading that names any names (一、X牵头工作)."""
        for _, seq, _ in reversed(self._stack):
            if self._units.get(seq):
                return self._units[seq]
        return ()

    def current(self) -> tuple[Optional[int], Optional[str]]:
        """The innermost open heading's seq and title (a task's parent and section)."""
        if not self._stack:
            return None, None
        return self._stack[-1][1], self._stack[-1][2]

    def in_main_targets(self) -> bool:
        return any(MAIN_TARGETS in title for _, _, title in self._stack)

    def in_review(self, year: Optional[int]) -> bool:
        """Whether an open heading names only years before ``year``: a review of their results
        (■2024年成绩单, 一、2024年工作回顾), whose figures are no targets (2021—2025年 is no review)."""
        if year is None:
            return False
        for _, _, title in self._stack:
            years = [int(y) for y in _HEADING_YEAR.findall(title)]
            if years and max(years) < year:
                return True
        return False

    def states_targets(self) -> bool:
        """Whether an open heading announces targets (主要预期目标, 预期指标 …)."""
        return any(_TARGETS_HEADING.search(title) for _, _, title in self._stack)


MAIN_TARGETS = "主要预期目标"     # a section or lead-in naming the document's main targets
_TARGETS_HEADING = re.compile(r"预期目标|主要目标|主要指标|预期指标|目标任务")
_HEADING_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")          # a year a heading names

# A heading that names who answers for the tasks below it:
# 县示范区管委会牵头工作（8项）, 省监察厅牵头的工作, 孟学农省长负责的工作, 于海田市长主抓重点工作.
_HEADING_ROLE = re.compile(
    r"""(?P<who>[^，。；：！？]{2,40}?)                  # the unit(s) or the leader
        (?:同志)?
        (?P<verb>牵头|负责|主抓|分管|联系|领衔|主办)     # what they do
        (?:的|抓的)?
        (?:重点)?(?:工作|任务|事项)                       # the work
        (?:（[^（）]*）)?$                                # （8项）
    """,
    re.VERBOSE,
)
_LEADER_VERBS = ("主抓", "分管", "联系", "领衔", "负责", "牵头")


def heading_roles(doc: Document, ts: int, te: int) -> tuple[tuple[LeaderMention, ...], tuple[UnitMention, ...]]:
    """The leaders and the lead units a heading ``doc.norm.text[ts:te]`` names for every task below it."""
    text = doc.norm.text
    m = _HEADING_ROLE.match(text, ts, te)
    if m is None:
        return (), ()
    who_s, who_e = m.span("who")
    verb = m.group("verb")
    found = leader_name(text[who_s:who_e])
    if found is not None and found.post and verb in _LEADER_VERBS:
        return tuple(leader_mentions(doc, [(text[who_s:who_e], who_s, who_e)], verb)), ()
    names = split_unit_list(text[who_s:who_e], base=who_s)
    if names and all(is_unit_name(n) for n, _, _ in names) and verb in ("牵头", "负责", "主办"):
        return (), tuple(unit_mentions(doc, names, LEAD, verb))
    return (), ()
