"""Read a Word document (.docx): its text in body order, and its real tables.

The document text is built so that the flat-text layouts can read it too:

* a paragraph is one line;
* a table row puts each of its cells on a line of its own that starts with a
  tab (``\\t`` + the cell's paragraphs joined with ``\\n``), and a blank line
  ends the row; a blank line also comes before a table.

Beside the text, each table becomes a :class:`kg.model.Table` whose cells hold
their normalized text and the span of their raw text in the document text.
Merged cells: a cell spanning several grid columns (``w:gridSpan``) is one
``w:tc`` and is kept once; a cell continuing a vertical merge
(``w:vMerge`` without ``restart``) becomes an empty cell, its text staying
with the top cell. Paragraphs inside content controls (``w:sdt``) are read
in place.

A damaged file is refused with a message naming it, before python-docx sees it when
that can be told from the zip: more than :data:`MAX_UNPACKED` bytes once unpacked (a zip
bomb), or an XML part that declares a DTD (``<!DOCTYPE``: Word never writes one; it is how
an entity bomb or an external entity comes in). XML that does not parse (a part cut short)
is refused with lxml's line and column.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from kg.errors import SourceError
from kg.model import Cell, Span, Table
from kg.sources.normalize import normalize
from kg.sources.text import RawText

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The most a .docx may unpack to: a Word file of a few hundred pages with pictures is tens of MB.
MAX_UNPACKED = 256 * 1024 * 1024
_XML_SUFFIXES = (".xml", ".rels")


class _Builder:
    """Accumulates the document text and the tables with their spans."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.parts: list[str] = []
        self.pos = 0
        self.tables: list[Table] = []

    def write(self, s: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start, self.pos

    def at_line_start_after_blank(self) -> bool:
        tail = "".join(self.parts[-2:])
        return not tail or tail.endswith("\n\n")

    def paragraph(self, text: str) -> None:
        self.write(text + "\n")

    def table(self, rows: list[list[str | None]]) -> None:
        if not self.at_line_start_after_blank():
            self.write("\n")
        out_rows = []
        for row in rows:
            cells = []
            for raw in row:
                self.write("\t")
                start, end = self.write(raw or "")
                self.write("\n")
                cells.append(Cell(normalize(raw).text if raw else "",
                                  Span(self.doc_id, start, end), merged=raw is None))
            self.write("\n")
            out_rows.append(tuple(cells))
        self.tables.append(Table(tuple(out_rows)))


def _paragraph_text(p, parent) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p, parent).text


def _cell_text(tc, parent) -> str | None:
    """The cell's paragraphs joined by newlines; None for a vMerge continuation."""
    if tc.vMerge == "continue":
        return None
    return "\n".join(_paragraph_text(p, parent) for p in tc.iter(f"{_W}p")
                     if _in_this_cell(p, tc))


def _in_this_cell(p, tc) -> bool:
    """A paragraph of this cell, not of a table nested in it."""
    node = p.getparent()
    while node is not None and node is not tc:
        if node.tag == f"{_W}tc":
            return False
        node = node.getparent()
    return True


def _walk(container, parent, builder: _Builder) -> None:
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            builder.paragraph(_paragraph_text(child, parent))
        elif child.tag == f"{_W}tbl":
            rows = [[_cell_text(tc, parent) for tc in tr.iterchildren(f"{_W}tc")]
                    for tr in child.iterchildren(f"{_W}tr")]
            builder.table(rows)
        elif child.tag == f"{_W}sdt":
            for content in child.iterchildren(f"{_W}sdtContent"):
                _walk(content, parent, builder)


def _check_package(path: Path) -> None:
    """Refuse, from the zip alone, a package too large once unpacked or an XML part with a DTD."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED:
                raise SourceError(path, f"not a readable .docx file: it would unpack to {unpacked:,} bytes, "
                                        f"more than the {MAX_UNPACKED:,} a Word document needs (a zip bomb?)")
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES) and b"<!DOCTYPE" in z.read(info):
                    raise SourceError(path, f"not a readable .docx file: its part {info.filename} declares a "
                                            "DTD (<!DOCTYPE …>), which Word never writes (an XML entity bomb?)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError) as e:
        raise SourceError(path, f"not a readable .docx file (a zip of Word XML): {e}") from None
    except OSError as e:
        raise SourceError(path, f"cannot read: {e.strerror or e}") from None


def read_docx(path: str | Path, doc_id: str | None = None) -> RawText:
    """Read a .docx file; spans of its table cells carry ``doc_id`` (default: the stem)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    path = Path(path)
    if doc_id is None:
        doc_id = path.stem
    _check_package(path)
    builder = _Builder(doc_id)
    try:
        document = docx.Document(str(path))
        _walk(document.element.body, document, builder)
    except etree.LxmlError as e:
        raise SourceError(path, f"not a readable .docx file: its XML is damaged "
                                f"({getattr(e, 'msg', None) or e})") from None
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, KeyError, ValueError) as e:
        raise SourceError(path, f"not a readable .docx file (a zip of Word XML): {e}") from None
    except OSError as e:
        raise SourceError(path, f"cannot read: {e.strerror or e}") from None
    text = "".join(builder.parts)
    if not text.strip():
        raise SourceError(path, "empty file (a .docx with no text)")
    return RawText(text, "docx", tuple(builder.tables))
