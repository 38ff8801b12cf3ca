"""The ledger as an Excel workbook (XlsxWriter): one sheet per region, the header frozen and
filtered, text wrapped in columns as wide as their Chinese text needs (up to a limit), overdue
rows filled red. Returns the bytes; the CLI writes them."""

from __future__ import annotations

import io
import re

from kg.formats import spreadsheet_safe, width
from kg.ledger import Ledger, columns

OVERDUE_FILL = "#FFC7CE"       # Excel's own "bad" style: light red fill, dark red text
OVERDUE_FONT = "#9C0006"
HEADER_FILL = "#DDEBF7"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def sheet_name(region: str, taken: set[str]) -> str:
    """A region's sheet name: what Excel allows (no []:*?/\\, at most 31 characters), unique."""
    base = _SHEET_UNSAFE.sub("_", region or "台账")[:31] or "台账"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _column_width(header: str, cells: list, limit: int) -> float:
    """Excel width units (one Latin digit each; a Chinese character takes two) for the widest
    line of the column, at most ``limit``; a wider cell wraps."""
    lines = [header] + [line for c in cells for line in str(c if c is not None else "").splitlines()]
    return min(max(width(line) for line in lines), limit) + 2


def workbook(book: Ledger) -> bytes:
    """The .xlsx bytes of a ledger."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"title": "督办台账", "subject": f"截至{book.as_of.date.isoformat()}",
                       "comments": f"govkg ledger as of {book.as_of.date.isoformat()} ({book.as_of.how})"})
    base = {"text_wrap": True, "valign": "top", "border": 1, "font_name": "宋体", "font_size": 10}
    header = wb.add_format({**base, "bold": True, "bg_color": HEADER_FILL, "align": "center"})
    body = wb.add_format(base)
    overdue = wb.add_format({**base, "bg_color": OVERDUE_FILL, "font_color": OVERDUE_FONT})
    taken: set[str] = set()
    for region in book.regions() or [""]:
        rows = [r for r in book.rows if (r["region"] or "") == region]
        cols = columns(book, region or None)
        ws = wb.add_worksheet(sheet_name(region, taken))
        cells = [[c.cell(r) for c in cols] for r in rows]
        for j, c in enumerate(cols):
            ws.write_string(0, j, c.header, header)
            ws.set_column(j, j, _column_width(c.header, [row[j] for row in cells], c.max_width))
        for i, (r, row) in enumerate(zip(rows, cells), start=1):
            style = overdue if r["overdue"] else body
            for j, value in enumerate(row):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(i, j, value, style)
                elif value in (None, ""):
                    ws.write_blank(i, j, None, style)
                else:
                    ws.write_string(i, j, spreadsheet_safe(str(value)), style)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(cols) - 1)
        ws.repeat_rows(0)                   # printed: the header on every page
        ws.set_landscape()
        ws.fit_to_pages(1, 0)               # printed: as wide as one page
    wb.close()
    return buf.getvalue()
