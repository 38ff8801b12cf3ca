"""The contract every layout extractor fulfils, and the registry that picks one.

An extractor is a module-level object with a ``name``, a document ``kind`` it
produces, ``fit(doc) -> float`` (0 = not this layout, 1 = certainly this
layout) and ``extract(doc) -> Extraction``. A new layout is one new module and
one line in :data:`kg.extract.EXTRACTORS`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Optional, Protocol

from kg.extract.patterns import CLOSERS, OPENERS
from kg.model import Document, Extraction


class DocMemo:
    """Answers of pure functions of one document, kept while that document is worked on.

    Only the last document asked about is remembered (asking about another one forgets it),
    so memory stays that of one document and no stale answer can outlive its document."""

    def __init__(self) -> None:
        self._doc: Optional[Document] = None
        self._values: dict = {}

    def get(self, doc: Document, key: tuple, make):
        if self._doc is not doc:
            self._doc, self._values = doc, {}
        try:
            return self._values[key]
        except KeyError:
            value = self._values[key] = make()
            return value

    def clear(self) -> None:
        self._doc, self._values = None, {}


_GAPS = DocMemo()
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


def _gap_positions(doc: Document) -> list[int]:
    """Every normalized index right after white space the normalization removed, in order
    (found from the raw text's runs of spaces: no scan of every character)."""
    offs, norm = doc.norm.offsets, doc.norm.text
    out = []
    for m in _SPACES.finditer(doc.text):
        i = bisect_left(offs, m.end())
        if 0 < i < len(norm) and offs[i - 1] < m.start() and not doc.text[offs[i - 1] + 1:offs[i]].strip():
            out.append(i)
    return out


def raw_gap(doc: Document, i: int) -> bool:
    """Whether the raw text had white space right before normalized index ``i`` that the
    normalization removed (a space between two items, names or labels written on one line)."""
    gaps = _GAPS.get(doc, ("gaps",), lambda: _gap_positions(doc))
    k = bisect_left(gaps, i)
    return k < len(gaps) and gaps[k] == i


def gaps_in(doc: Document, s: int, e: int) -> list[int]:
    """Indexes of ``doc.norm.text[s:e]`` (from ``s``) where the raw text had a removed space."""
    gaps = _GAPS.get(doc, ("gaps",), lambda: _gap_positions(doc))
    return [i - s for i in gaps[bisect_right(gaps, s):bisect_left(gaps, e)]]


class Extractor(Protocol):
    name: str
    kind: str

    def fit(self, doc: Document) -> float: ...

    def extract(self, doc: Document) -> Extraction: ...


def strip_range(text: str, s: int, e: int) -> tuple[int, int]:
    """``[s, e)`` of ``text`` without the white space at either end."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def split_top_level(text: str, start: int, end: int, is_sep) -> list[tuple[int, int]]:
    """``[start, end)`` cut at every index ``i`` outside brackets where ``is_sep(i)``;
    brackets nest, so ``中国（山东）…`` or an aside in （…） is never cut."""
    parts, depth, pos = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS and depth > 0:
            depth -= 1
        elif depth == 0 and is_sep(i):
            parts.append((pos, i))
            pos = i + 1
    parts.append((pos, end))
    return parts
