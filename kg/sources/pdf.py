"""Read a .pdf document with a text layer (pdfplumber), keeping where each page starts.

A PDF holds lines placed on pages, not paragraphs. The lines are put back
into paragraphs the way a reader does: a line that reaches the right margin
goes on with the next one, unless the next one is indented (a new paragraph)
or starts with an outline number (``1.``, ``一、``, ``（一）``). The same rule
joins a paragraph broken by a page. A page number alone on the first or last
line of a page (``- 2 -``, ``第3页``) is left out. A ruled table is written
one cell per line (a tab first, a blank line after each row; a merged cell is
an empty one), the layout the table extractors read from .docx files too.

``page_starts[k]`` is the offset in the returned text where page ``k + 1``
starts, so :func:`kg.model.page_of` gives the page of any span for provenance. A PDF
without a text layer (a scan) is refused with a message saying so.
"""

from __future__ import annotations

import re
from pathlib import Path
from statistics import median

from kg.errors import SourceError
from kg.sources.text import RawText

ENCODING = "pdf"

# A line that is only a page number: - 2 -, — 3 —, 第4页, 5/12.
_PAGE_NUMBER = re.compile(
    r"""^[\s\-—–－·•]*                       # dashes or dots around it
        (?:第\s*)?\d{1,4}(?:\s*页)?           # the number, maybe 第…页
        (?:\s*/\s*\d{1,4})?                   # "of N"
        (?:\s*共\s*\d{1,4}\s*页)?             # 共N页
        [\s\-—–－·•]*$
    """,
    re.VERBOSE,
)

# The start of a new item: the next line does not continue the paragraph.
_ITEM_START = re.compile(
    r"""^\s*(?:\d{1,3}[.、．](?![\d%])        # 1. 1、
          | [（(][一二三四五六七八九十\d]{1,3}[）)]   # （一） （1）
          | [一二三四五六七八九十]{1,3}、)     # 一、
    """,
    re.VERBOSE,
)

_BREAK = {"x0": 0.0, "x1": float("-inf")}   # after a table: the next line starts a paragraph
_MARGIN_CHARS = 1.5     # a line ending within this many characters of the margin is full
_INDENT_CHARS = 1.0     # a line starting this many characters right of the left edge is indented


def read_pdf(path: str | Path) -> tuple[str, str, tuple[int, ...]]:
    """The text of the PDF at ``path``, its encoding label ("pdf") and the offset where each page starts."""
    path = Path(path)
    pages = _page_items(path)
    lines = [it for page in pages for it in page if "text" in it]
    if not lines and not any("table" in it for page in pages for it in page):
        raise SourceError(path, "the PDF has no text layer (a scanned document?): "
                                "run OCR on it first, or give the text as .txt or .docx")
    widths = [(ln["x1"] - ln["x0"]) / len(ln["text"]) for ln in lines]
    char = median(widths) if widths else 10.0
    right = max((ln["x1"] for ln in lines), default=0.0)
    left = min((ln["x0"] for ln in lines), default=0.0)
    out: list[str] = []
    page_starts: list[int] = []
    size = 0
    prev = None
    for page in pages:
        page_starts.append(size)
        for k, item in enumerate(page):
            if "table" in item:
                part = ("\n\n" if prev is not None else "") + item["table"]
                prev = _BREAK
            else:
                sep = ("" if prev is None else
                       "" if prev is not _BREAK and _continues(prev, item, left, right, char) else "\n")
                part = sep + item["text"]
                prev = item
            if k == 0:
                page_starts[-1] = size + len(part) - len(part.lstrip("\n"))
            out.append(part)
            size += len(part)
    return "".join(out), ENCODING, tuple(page_starts)


def read_pdf_document(path: Path, doc_id: str) -> RawText:
    """The reader for :data:`kg.sources.READERS`; page starts travel to the Document."""
    text, encoding, page_starts = read_pdf(path)
    return RawText(text, encoding, page_starts=tuple(page_starts))


def _continues(prev: dict, line: dict, left: float, right: float, char: float) -> bool:
    """Whether ``line`` goes on with the paragraph of ``prev``."""
    full = prev["x1"] >= right - _MARGIN_CHARS * char
    indented = line["x0"] >= left + _INDENT_CHARS * char
    return full and not indented and not _ITEM_START.match(line["text"])


def _page_items(path: Path) -> list[list[dict]]:
    """Each page's text lines (text, x0, x1, top) and tables (table: cell-per-line text, top),
    top to bottom; lines inside a table and page numbers are left out."""
    import pdfplumber
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(path) as pdf:
            pages = [_items(page) for page in pdf.pages]
    except (PdfminerException, PSException, OSError, ValueError, KeyError) as e:
        raise SourceError(path, f"cannot read the PDF: {e}") from e
    except Exception as e:   # pdfminer fails on a damaged file with an exception of any type
        # (TypeError, MalformedPDFException, IndexError, RecursionError …): each is this file's failure
        raise SourceError(path, f"cannot read the PDF (damaged?): {type(e).__name__}: {e}") from e
    for items in pages:
        for k in (-1, 0):
            if items and "text" in items[k] and _PAGE_NUMBER.match(items[k]["text"]):
                items.pop(k)
    return pages


def _items(page) -> list[dict]:
    tables = [t for t in page.find_tables() if len(t.rows) >= 2]
    boxes = [t.bbox for t in tables]
    items = [{"table": _flatten(t.extract()), "top": t.bbox[1]} for t in tables]
    for ln in page.extract_text_lines():
        text = ln["text"].strip()
        mid_x, mid_y = (ln["x0"] + ln["x1"]) / 2, (ln["top"] + ln["bottom"]) / 2
        if text and not any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes):
            items.append({"text": text, "x0": ln["x0"], "x1": ln["x1"], "top": ln["top"]})
    return sorted(items, key=lambda it: it["top"])


def _flatten(rows: list[list]) -> str:
    """A table one cell per line (a tab first), a blank line after each row; a merged cell is empty.

    Lines wrapped inside a cell are joined: two names that the wrap put
    together are split again by the unit-list reader (区发改局区统计局).
    """
    out = []
    for row in rows:
        for cell in row:
            out.append("\t" + "".join(part.strip() for part in (cell or "").split("\n")) + "\n")
        out.append("\n")
    return "".join(out)
