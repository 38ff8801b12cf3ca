"""Split a written list of unit (or leader) names into names with offsets."""

from __future__ import annotations

from typing import Optional

from kg.extract.patterns import (CLOSERS, ETC_BEFORE_COLLECTIVE, NAME_STRIP, OPENERS, PREFIXABLE, REGION_PREFIX,
                                RUN_TOGETHER, TRAILING_ETC, UNIT_SEP)


def _top_level_cuts(text: str) -> list[tuple[int, int]]:
    """(start, end) of every separator outside brackets, 等-before-collective included."""
    depth = [0] * (len(text) + 1)
    d = 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            d += 1
        depth[i] = d
        if ch in CLOSERS and d > 0:
            d -= 1
    cuts = [m.span() for m in UNIT_SEP.finditer(text) if depth[m.start()] == 0]
    cuts += [m.span() for m in ETC_BEFORE_COLLECTIVE.finditer(text) if depth[m.start()] == 0]
    cuts += [m.span() for m in RUN_TOGETHER.finditer(text) if depth[m.start()] == 0]
    return sorted(cuts)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in NAME_STRIP:
        s += 1
    while e > s and text[e - 1] in NAME_STRIP:
        e -= 1
    m = TRAILING_ETC.search(text, s, e)
    if m and m.start() > s:
        e = m.start()
        while e > s and text[e - 1] in NAME_STRIP:
            e -= 1
    return s, e


def split_unit_list(text: str, base: int = 0) -> list[tuple[str, int, int]]:
    """Names in ``text`` as ``(name, base + start, base + end)``.

    Separators are 、 ， , ； and line breaks; brackets inside a name do not
    split it; ``X、Y等各Z`` gives X, Y, 各Z and a trailing 等 is dropped; two
    names run together (``区发改局区统计局``) are two names.
    """
    out: list[tuple[str, int, int]] = []
    pos = 0
    for cs, ce in _top_level_cuts(text) + [(len(text), len(text))]:
        if cs < pos:
            continue
        s, e = _trim(text, pos, cs)
        if e > s:
            out.append((text[s:e], base + s, base + e))
        pos = ce
    return out


def shared_prefixes(names: list[str]) -> list[Optional[str]]:
    """The region prefix each name inherits from the list's first name, or None.

    ``市发改委、财政局、商务局`` writes 市 once: the later departments without a
    region word of their own (财政局, 商务局, 市场监管局) inherit it; a prefixed
    name, a collective (各街镇) or a name with a place in it does not.
    """
    m = REGION_PREFIX.match(names[0]) if names else None
    if not m:
        return [None] * len(names)
    prefix = m.group()
    return [None] + [prefix if PREFIXABLE.match(n) else None for n in names[1:]]
