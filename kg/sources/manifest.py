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
(:data:`OVERRIDE_KEYS`); ``id`` replaces the document id (the file stem).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from kg.errors import SourceError
from kg.model import KINDS

MANIFEST = "manifest.toml"
OVERRIDE_KEYS = ("region", "year", "kind", "title", "period", "date", "author", "post", "id")
ENTRY_KEYS = ("file", "note") + OVERRIDE_KEYS

_ID = re.compile(r"^[\w.\-]+$")                       # letters (CJK too), digits, _ . -
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    return value


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

