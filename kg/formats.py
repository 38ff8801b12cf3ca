"""Rows for people and for scripts, the same way for every command that prints rows.

Formats (:data:`ROW_FORMATS`):

- ``table``: aligned plain text, Chinese counted double width, long cells clipped with …;
- ``csv``: for people: UTF-8 with a byte-order mark (so that Excel on a Chinese Windows
  machine reads it as UTF-8, not as GBK), a header row, and a text cell that starts like a
  spreadsheet formula (``=``, ``+``, ``-``, ``@``) gets a leading ``'`` (:func:`spreadsheet_safe`);
- ``json``: one array of objects; ``jsonl``: one object per line (the interface for scripts).

A command describes its rows once, as records (dicts, written whole to JSON) and the columns
a table or a CSV shows of them (:class:`Column`).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from kg.errors import KgError

ROW_FORMATS = ("table", "csv", "json", "jsonl")
BOM = "\ufeff"


def width(s: str) -> int:
    """Columns a text takes in a terminal: Chinese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - width(s))


def format_table(header: list[str], rows: list[list], max_width: int = 60) -> str:
    """A plain-text table that lines up Chinese (double-width) text: the one table of every
    command (render_records, kg.summary, kg.queries). A cell wider than ``max_width`` is
    clipped with …, a line break in a cell reads as a space, None as an empty cell."""
    cells = [["" if c is None else _clip(str(c), max_width) for c in r] for r in [header, *rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…), +cmd|…):
# OWASP's advice is a leading ' in CSV meant for people.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell for a CSV that people open in a spreadsheet: a text that starts like a formula
    gets a leading ``'`` (shown, not run); numbers and other text stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_line(cells) -> str:
    """One CSV line of spreadsheet-safe cells, without its end; a cell holding a line break of
    either kind (\\r or \\n) is quoted, so no spreadsheet starts a row inside it."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([spreadsheet_safe(c) for c in cells])
    return buf.getvalue()[:-2]


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A header line and a line per row (None as an empty cell), lines ended by \\n."""
    return "\n".join([csv_line(header)] + [csv_line(["" if v is None else v for v in r]) for r in rows])


@dataclass(frozen=True)
class Column:
    """A column of a table or CSV: its header and how a record gives its cell."""
    header: str
    cell: Callable[[dict], Any]
    max_width: int = 40


def join(values: Iterable, sep: str = "、") -> str:
    return sep.join(str(v) for v in values if v not in (None, ""))


def render_records(records: list[dict], fmt: str, columns: Sequence[Column]) -> str:
    """Records in one of :data:`ROW_FORMATS`: whole in JSON, the columns in a table or CSV."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1)
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    cells = [[c.cell(r) for c in columns] for r in records]
    if fmt == "csv":
        return csv_text([c.header for c in columns], cells)
    if fmt == "table":
        widest = max((c.max_width for c in columns), default=40)
        body = [["" if v is None else _clip(str(v), c.max_width) for v, c in zip(row, columns)] for row in cells]
        return format_table([c.header for c in columns], body, max_width=widest)
    raise KgError(f"unknown output format {fmt!r}; choose one of {', '.join(ROW_FORMATS)}")


def _clip(text: str, limit: int) -> str:
    text = text.replace("\n", " ")
    if width(text) <= limit:
        return text
    out, w = [], 0
    for c in text:
        cw = width(c)
        if w + cw > limit - 1:
            break
        out.append(c)
        w += cw
    return "".join(out) + "…"


def encode(text: str, fmt: str) -> bytes:
    """The bytes a command writes: UTF-8, with a byte-order mark for CSV, ended by a line break."""
    data = text if not text or text.endswith("\n") else text + "\n"
    return ((BOM if fmt == "csv" else "") + data).encode("utf-8")
