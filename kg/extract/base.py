"""The contract every layout extractor fulfils, and the registry that picks one.

An extractor is a module-level object with a ``name``, a document ``kind`` it
produces, ``fit(doc) -> float`` (0 = not this layout, 1 = certainly this
layout) and ``extract(doc) -> Extraction``. A new layout is one new module and
one line in :data:`kg.extract.EXTRACTORS`.
"""

from __future__ import annotations

from typing import Protocol

from kg.model import Document, Extraction


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
