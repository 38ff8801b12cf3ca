"""A query's answer for people and for scripts: the rows of every command (kg.formats)."""

from __future__ import annotations

from operator import itemgetter

from kg.errors import QueryError
from kg.formats import ROW_FORMATS, Column, render_records
from kg.queries.run import QueryResult

FORMATS = ROW_FORMATS


def render(result: QueryResult, fmt: str = "table", max_width: int = 40) -> str:
    """A result as an aligned text table (CJK counted double width, long cells clipped) with
    its row count, CSV (with a header row; meant for people, so a text cell that starts like a
    spreadsheet formula gets a leading ``'``: :func:`kg.formats.spreadsheet_safe`), JSON (a
    list of objects keyed by column) or JSON Lines (an object per line)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    records = [dict(zip(result.columns, r)) for r in result.rows]
    text = render_records(records, fmt, [Column(c, itemgetter(c), max_width) for c in result.columns])
    if fmt != "table":
        return text
    n = len(result.rows)
    return f"{text}\n({n} row{'s' if n != 1 else ''})"
