"""Cypher as text: the parameters a query uses, the columns it returns, and values written as
literals that read back exactly (for the self-contained Cypher script)."""

from __future__ import annotations

import re
from typing import Any, Mapping

from kg.errors import StoreError

_PARAM = re.compile(
    r"""
    //[^\n]*                                    # a line comment: skipped
    | '(?:[^'\\]|\\.)*'                         # a single-quoted string: skipped
    | "(?:[^"\\]|\\.)*"                         # a double-quoted string: skipped
    | \$(?P<name>[A-Za-z_][A-Za-z0-9_]*)        # a parameter $name
    """,
    re.VERBOSE,
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOKENS = re.compile(
    r"""
    //[^\n]*                                    # a line comment
    | '(?:[^'\\]|\\.)*'                         # a single-quoted string
    | "(?:[^"\\]|\\.)*"                         # a double-quoted string
    | `[^`]*`                                   # a back-quoted name
    | (?P<word>\b(?:RETURN|ORDER\s+BY|SKIP|LIMIT)\b)   # a clause keyword
    | (?P<open>[(\[{])                          # nesting in
    | (?P<close>[)\]}])                         # nesting out
    | (?P<comma>,)                              # an item separator
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ALIAS = re.compile(r"\s+AS\s+(?P<name>`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*\Z", re.IGNORECASE)


def query_parameters(text: str) -> list[str]:
    """The ``$name`` parameters a Cypher text uses (comments and strings skipped), in order."""
    seen: list[str] = []
    for m in _PARAM.finditer(text):
        name = m.group("name")
        if name and name not in seen:
            seen.append(name)
    return seen


def return_columns(text: str) -> tuple[str, ...]:
    """The column names of a query's last top-level RETURN, read from its text."""
    depth, start, items, item_start = 0, None, [], None
    for m in _TOKENS.finditer(text):
        if m.group("open"):
            depth += 1
        elif m.group("close"):
            depth -= 1
        elif depth == 0 and m.group("word"):
            word = m.group("word").upper()
            if word == "RETURN":
                start, items, item_start = m.end(), [], m.end()
            elif start is not None and item_start is not None:
                items.append(text[item_start:m.start()])
                item_start = None
        elif depth == 0 and m.group("comma") and item_start is not None:
            items.append(text[item_start:m.start()])
            item_start = m.end()
    if item_start is not None:
        items.append(text[item_start:])
    names = []
    for item in items:
        item = item.strip().rstrip(";").strip()
        if item.upper().startswith("DISTINCT "):
            item = item[9:].strip()
        alias = _ALIAS.search(item)
        name = alias.group("name") if alias else item
        names.append(name[1:-1] if name.startswith("`") else name)
    return tuple(n for n in names if n)


def cypher_literal(v: Any) -> str:
    """A value → a Cypher literal that reads back as exactly that value."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return "'" + _escape(v) + "'"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(x)}" for k, x in v.items()) + "}"
    raise StoreError(f"cannot write {type(v).__name__} value {v!r} as a Cypher literal")


def _escape(s: str) -> str:
    """Backslash, quotes and every control character escaped; one statement stays one line."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _key(k: str) -> str:
    return k if _IDENT.match(k) else "`" + k.replace("`", "``") + "`"
