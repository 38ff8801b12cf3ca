"""Split a written list of unit (or leader) names into names with offsets."""

from __future__ import annotations

from kg.extract.patterns import CLOSE, ETC_BEFORE_COLLECTIVE, NAME_STRIP, OPEN, TRAILING_ETC, UNIT_SEP


def _top_level_cuts(text: str) -> list[tuple[int, int]]:
    """(start, end) of every separator outside brackets, 等-before-collective included."""
    depth = [0] * (len(text) + 1)
    d = 0
    for i, ch in enumerate(text):
        if ch == OPEN:
            d += 1
        depth[i] = d
        if ch == CLOSE and d > 0:
            d -= 1
    cuts = [m.span() for m in UNIT_SEP.finditer(text) if depth[m.start()] == 0]
    cuts += [m.span() for m in ETC_BEFORE_COLLECTIVE.finditer(text) if depth[m.start()] == 0]
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
    split it; ``X、Y等各Z`` gives X, Y, 各Z and a trailing 等 is dropped.
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
