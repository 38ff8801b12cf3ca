"""The manifest next to the documents: what the text alone cannot be relied on to say.

``manifest.toml`` in a documents folder holds one ``[[document]]`` table per
file that needs it::

    [[document]]
    file = "huaiyin-2025-progress-q1-q3.txt"
    region = "槐荫区"
    year = 2025
    kind = "progress"
    period = "2025年1-9月"
    note = "why this cannot be read from the text"

Every key but ``file`` and ``note`` overrides the detected metadata
(:data:`OVERRIDE_KEYS`); ``id`` replaces the document id (the file stem). A value that
cannot be is an error naming the entry and the key: a region that is not in the national
list of administrative divisions (火星区), a period of months that do not exist (13-99月).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from pathlib import Path
from typing import Optional

from kg.errors import SourceError
from kg.model import KINDS
from kg.resolve.regions import all_regions, regions_named
from kg.sources.metadata import period_words

MANIFEST = "manifest.toml"
OVERRIDE_KEYS = ("region", "year", "kind", "title", "period", "date", "author", "post", "id")
ENTRY_KEYS = ("file", "note") + OVERRIDE_KEYS

_ID = re.compile(r"^[\w.\-]+$")                       # letters (CJK too), digits, _ . -
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A period of months: 2025年1-9月, 1-6月份, 9月.
_PERIOD_MONTHS = re.compile(r"""
    ^(?:(?P<year>\d{1,4})\s*年\s*)?              # the year, optional: 2025年
    (?:(?P<first>\d{1,3})\s*[-—–~～至到]\s*)?    # the first month, optional
    (?P<last>\d{1,3})\s*月份?$                    # the last month: 9月, 9月份
""", re.VERBOSE)
_PERIOD_YEAR = re.compile(r"^(?P<year>\d{1,4})\s*年\s*")     # 2025年 before a period word
YEARS = (1949, 2100)


def check_override(key: str, value: object) -> object:
    """The value an override key takes, coerced (year "2025" → 2025); ValueError if invalid."""
    if key not in OVERRIDE_KEYS:
        raise ValueError(f"unknown key {key!r}; known keys: {', '.join(OVERRIDE_KEYS)}")
    if key == "year":
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 1949 <= value <= 2100:
            raise ValueError(f"year must be a number such as 2025, got {value!r}")
        return value
    if key == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be a non-empty string, got {value!r}")
    value = value.strip()
    if key == "kind" and value not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {value!r}")
    if key == "date":
        try:
            if not _ISO_DATE.match(value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"date must be an ISO date such as 2025-01-13, got {value!r}") from None
    if key == "id" and not _ID.match(value):
        raise ValueError(f"id must be letters, digits, '_', '.' or '-', got {value!r}")
    if key == "region":
        _check_region(value)
    if key == "period":
        problem = period_problem(value)
        if problem:
            raise ValueError(problem)
    return value


def _check_region(name: str) -> None:
    """ValueError unless ``name`` is the full name of a region of the national list (with
    data/regions-extra.tsv), suggesting the names it may mean."""
    if regions_named(name):
        return
    guesses = [r.name for r in regions_named(name, short=True)]
    if not guesses:
        names = sorted({r.name for r in all_regions()})
        guesses = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(dict.fromkeys(guesses))}?" if guesses else ""
    raise ValueError(f"region {name!r} is not in the national list of administrative divisions "
                     f"(with data/regions-extra.tsv){hint} Write the full name, such as 槐荫区 or 济南市")


def period_year(period: str) -> Optional[int]:
    """The year a period names (2025年1-9月 → 2025), or None."""
    m = _PERIOD_YEAR.match(period)
    return int(m["year"]) if m else None


def period_problem(period: str) -> Optional[str]:
    """Why ``period`` cannot be a reporting period (None when it can): months outside 1–12
    or in the wrong order (2025年13-99月), a year outside 1949–2100, or neither months nor a
    period word of data/periods.tsv (前三季度, 上半年 …)."""
    m = _PERIOD_MONTHS.match(period)
    year = period_year(period)
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        return f"period {period!r}: the year must be {YEARS[0]}–{YEARS[1]}, got {year}"
    if m:
        first, last = int(m["first"] or m["last"]), int(m["last"])
        if not (1 <= first <= 12 and 1 <= last <= 12):
            return f"period {period!r}: months are 1 to 12, got {first}-{last}"
        if first > last:
            return f"period {period!r}: the first month comes after the last ({first}-{last})"
        return None
    if any(word in period for word, _months in period_words()):
        return None
    return (f"period must be months such as 2025年1-9月 or 1-6月, or a period word of "
            f"data/periods.tsv (前三季度, 上半年 …), got {period!r}")


def load_manifest(directory: str | Path) -> dict[str, dict[str, object]]:
    """File name → overrides, from ``directory/manifest.toml``; {} when there is none."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise SourceError(path, f"not valid TOML: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(path, f"cannot read: {e}") from None
    unknown = sorted(set(data) - {"document"})
    if unknown:
        raise SourceError(path, f"unknown top-level key {unknown[0]!r}; "
                                "write each document as a [[document]] table")
    entries = data.get("document", [])
    if not isinstance(entries, list):
        raise SourceError(path, "'document' must be an array of tables: write [[document]]")
    out: dict[str, dict[str, object]] = {}
    ids: dict[object, str] = {}
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise SourceError(path, f"[[document]] #{n}: must be a table of keys")
        file = entry.get("file")
        where = f"[[document]] #{n}" + (f" (file = {file!r})" if isinstance(file, str) else "")
        if not isinstance(file, str) or not file.strip():
            raise SourceError(path, f"{where}: needs file = \"NAME\" naming a document")
        if not (path.parent / file).is_file():
            raise SourceError(path, f"{where}: no such file in {path.parent}")
        if file in out:
            raise SourceError(path, f"{where}: the file has another entry above")
        overrides: dict[str, object] = {}
        for key, value in entry.items():
            if key in ("file", "note"):
                continue
            if key not in OVERRIDE_KEYS:
                raise SourceError(path, f"{where}: unknown key {key!r}; "
                                        f"known keys: {', '.join(ENTRY_KEYS)}")
            try:
                overrides[key] = check_override(key, value)
            except ValueError as e:
                raise SourceError(path, f"{where}: {e}") from None
        doc_id = overrides.get("id", Path(file).stem)
        if doc_id in ids:
            raise SourceError(path, f"{where}: id {doc_id!r} is also the id of {ids[doc_id]!r}")
        ids[doc_id] = file
        out[file] = overrides
    return out

