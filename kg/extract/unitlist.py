"""Split a written list of unit (or leader) names into names with offsets.

Separators are 、 ， , ； ; and line breaks outside brackets; the unit recognizer
(:mod:`kg.extract.names`) then decides the cases a separator alone cannot:

* a collective with 、 inside stays whole: 各县、市、区政府; 各区、县（市）政府;
  省政府各部门、各直属机构 (the owner written once);
* 和 / 及 / 与 join two names when both sides are names (岳麓区和市直相关单位,
  省直各部门和各市人民政府), never inside one (区工业和信息化局);
* two names run together (区发改局区统计局, 县教体局各相关乡镇政府) or separated by a
  space the normalization removed (a table cell ``市发展改革委 市生态环境局``) are two;
* a name broken by line breaks (a cell written down a column: 市 / 监 / 察 / 局, or a
  PDF line wrap: 园区党工 / 委) is joined;
* a trailing 等, 等部门, 等有关部门, 等相关部门, 等省直有关部门 is not a unit, while
  ``X等各Y`` names the collective 各Y.

:func:`shared_prefixes` expands a region prefix written once (省商务厅、财政厅).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple, Optional

from kg.extract.names import is_collective, is_unit_name, starts_with_place, unit_forms
from kg.extract.patterns import (CLOSERS, ETC_BEFORE_COLLECTIVE, NAME_STRIP, OPENERS, PREFIXABLE, REGION_PREFIX,
                                 RUN_TOGETHER, TRAILING_ETC, UNIT_SEP)

# 和 / 及 / 与 / 以及 between two names.
_JOIN_WORD = re.compile(r"以及|[和及与]")
# A leading conjunction left on a name: 及开发区管委会.
_LEADING_CONJ = re.compile(r"^(?:以及|及|并)")
# A bracket after a name that states the list's rule, not a second name: （列第一位者为牵头单位，下同）.
_RULE_BRACKET = re.compile(r"（[^（）]*(?:列第一位|列在第一位|排在首位|排第一位|下同|除标注)[^（）]*）\s*$")


class Piece(NamedTuple):
    name: str          # the name, line breaks inside removed
    start: int         # its range in the text split (plus the base)
    end: int


def _depths(text: str) -> list[int]:
    depth, d = [0] * (len(text) + 1), 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            d += 1
        depth[i] = d
        if ch in CLOSERS and d > 0:
            d -= 1
    return depth


def _cuts(text: str, depth: list[int], breaks: Iterable[int]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every separator outside brackets; kind "sep", "line" (a line break
    between pieces that may be one name), "etc" (等 before 各…), "run" (two names run together)
    or "gap" (a removed space: cut only between two names)."""
    cuts = []
    for m in UNIT_SEP.finditer(text):
        if depth[m.start()] == 0:
            cuts.append((*m.span(), "line" if "\n" in m.group() and not m.group().strip("\n \t") else "sep"))
    cuts += [(*m.span(), "etc") for m in ETC_BEFORE_COLLECTIVE.finditer(text) if depth[m.start()] == 0]
    cuts += [(*m.span(), "run") for m in RUN_TOGETHER.finditer(text) if depth[m.start()] == 0]
    cuts += [(b, b, "gap") for b in breaks if 0 < b < len(text) and depth[b] == 0]
    return sorted(cuts)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in NAME_STRIP:
        s += 1
    while e > s and text[e - 1] in NAME_STRIP:
        e -= 1
    m = _LEADING_CONJ.match(text, s, e)
    if m and e - m.end() >= 2:
        s = m.end()
    m = _RULE_BRACKET.search(text, s, e)
    if m and m.start() > s:
        e = m.start()
    m = TRAILING_ETC.search(text, s, e)
    if m and m.start() > s:
        e = m.start()
        while e > s and text[e - 1] in NAME_STRIP:
            e -= 1
    return s, e


def split_unit_list(text: str, base: int = 0, *, breaks: Iterable[int] = (),
                    places: bool = True) -> list[Piece]:
    """Names in ``text`` as ``(name, base + start, base + end)`` (see the module docstring).

    ``breaks``: indexes of ``text`` where the source had a space that normalization removed
    (cut there when both sides are names); ``places``: the list is in a role context, so a
    place (岳麓区) is a unit's name. The same list recurs (a unit in many cells, a document
    read by several layouts): its reading is kept, by text, breaks and context.
    """
    return [Piece(n, base + s, base + e) for n, s, e in _split(text, tuple(breaks), places)]


@lru_cache(maxsize=1 << 14)
def _split(text: str, breaks: tuple[int, ...], places: bool) -> tuple[tuple[str, int, int], ...]:
    depth = _depths(text)
    raw: list[tuple[int, int, str]] = []         # (start, end, separator kind before it)
    pos, before = 0, "sep"
    for cs, ce, kind in _cuts(text, depth, breaks) + [(len(text), len(text), "sep")]:
        if cs < pos:
            continue
        raw.append((pos, cs, before))
        pos, before = ce, kind
    pieces: list[tuple[int, int, str]] = []
    for s, e, kind in raw:
        s, e = _trim(text, s, e)
        if e > s:
            pieces.append((s, e, kind))
    pieces = _gap_pieces(text, pieces, places)
    pieces = [(s2, e2, k) for s, e, k in _split_joins(text, pieces, depth, places)
              for s2, e2 in [_trim(text, s, e)] if e2 > s2]
    names = _join_lines(text, pieces, places)
    return tuple(_merge_collectives(text, names))


def _gap_pieces(text: str, pieces: list[tuple[int, int, str]], places: bool) -> list[tuple[int, int, str]]:
    """A cut at a removed space stands only between two names: otherwise the parts are one piece."""
    out: list[tuple[int, int, str]] = []
    for s, e, kind in pieces:
        if kind == "gap" and out:
            ps, pe, pk = out[-1]
            if not (_is_name(text[ps:pe], places) and _is_name(text[s:e], places)):
                out[-1] = (ps, e, pk)
                continue
            kind = "sep"
        out.append((s, e, kind))
    return out


def _is_name(name: str, places: bool) -> bool:
    return is_unit_name(name, places=places)


def _split_joins(text: str, pieces: list[tuple[int, int, str]], depth: list[int],
                 places: bool) -> list[tuple[int, int, str]]:
    """Pieces cut at 和/及/与 where both sides are names (岳麓区和市直相关单位)."""
    out = []
    for s, e, kind in pieces:
        cut_at = s
        for m in _JOIN_WORD.finditer(text, s, e):
            if depth[m.start()] or m.start() - cut_at < 2:
                continue
            ls, le = _trim(text, cut_at, m.start())
            left, right = text[ls:le], text[m.end():e]
            if _is_name(left, places) and _is_name(right, places):
                out.append((cut_at, m.start(), kind))
                cut_at, kind = m.end(), "sep"
        out.append((cut_at, e, kind))
    return out


def _join_lines(text: str, pieces: list[tuple[int, int, str]], places: bool) -> list[tuple[str, int, int]]:
    """Pieces separated by line breaks joined while the first is not a name (市 / 监 / 察 / 局,
    园区党工 / 委); a last piece that is not a name joins the one before when together they are."""
    vertical = _vertical(text, pieces, places)
    if vertical is not None:
        return [vertical]
    out: list[tuple[str, int, int]] = []
    for s, e, kind in pieces:
        piece = text[s:e]
        if kind == "line" and out and _line_part(piece):
            prev, ps, _pe = out[-1]
            if _line_part(prev) and _is_name(prev + piece, places) \
                    and not (_is_name(prev, places) and _is_name(piece, places)):
                out[-1] = (prev + piece, ps, e)
                continue
        out.append((piece, s, e))
    return out


def _vertical(text: str, pieces: list[tuple[int, int, str]], places: bool) -> Optional[tuple[str, int, int]]:
    """One name written down a table column, a few characters a line (长沙 / 先导 / 区管委会),
    when not every line is a name of its own (各街道 / 各镇 are two)."""
    if len(pieces) < 2 or any(k != "line" for _, _, k in pieces[1:]) or any(e - s > 4 for s, e, _ in pieces):
        return None
    parts = [text[s:e] for s, e, _ in pieces]
    joined = "".join(parts)
    if all(_is_name(p, places) for p in parts) or not _is_name(joined, places):
        return None
    return joined, pieces[0][0], pieces[-1][1]


def _line_part(piece: str) -> bool:
    """A piece short and plain enough to be part of a name broken across lines."""
    return len(piece) <= 12 and not re.search(r"[，。；：、]", piece)


def _bare_level(piece: str) -> bool:
    """A level word, possibly bracketed: 县, 县（市）, 区县市 (the enumerated part of a collective)."""
    plain = re.sub(r"（[^（）]*）", "", piece)
    levels = unit_forms().levels
    return plain in levels or plain.rstrip("政府人民") in levels and plain != plain.rstrip("政府人民")


def _merge_collectives(text: str, names: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """各县、市、区政府 and 省政府各部门、各直属机构 back into one collective each."""
    out: list[tuple[str, int, int]] = []
    orgs = unit_forms().orgs
    for name, s, e in names:
        if out:
            prev, ps, _pe = out[-1]
            sep = text[_pe:s]
            if "、" in sep and "\n" not in sep:
                opens = prev.startswith("各") and _bare_level(prev[1:].split("、")[-1] if "、" in prev else prev[1:])
                if opens and _level_tail(name):
                    out[-1] = (f"{prev}、{name}", ps, e)
                    continue
                if is_collective(prev) and not prev.startswith("各") and name.startswith("各") \
                        and name[1:] in orgs:
                    out[-1] = (f"{prev}、{name}", ps, e)
                    continue
        out.append((name, s, e))
    return out


def _level_tail(name: str) -> bool:
    """The rest of an enumerated collective: 市, 区政府, 县（市）政府, 区人民政府."""
    plain = re.sub(r"（[^（）]*）", "", name)
    for tail in ("人民政府", "政府", "管委会", ""):
        if plain.endswith(tail) and plain[:len(plain) - len(tail)] in unit_forms().levels:
            return True
    return False


def shared_prefixes(names: list[str]) -> list[Optional[str]]:
    """The region prefix each name inherits from the list's first name, or None.

    ``市发改委、财政局、商务局`` writes 市 once: the later departments without a
    region word of their own (财政局, 商务局, 市场监管局) inherit it; a prefixed
    name, a collective (各街镇), a name with a place in it or one starting with a
    place (河南银保监局, 合肥海关) does not.
    """
    m = REGION_PREFIX.match(names[0]) if names else None
    if not m:
        return [None] * len(names)
    prefix = m.group()
    return [None] + [prefix if PREFIXABLE.match(n) and not is_collective(n) and not starts_with_place(n)
                     else None for n in names[1:]]
