"""The catalog of canned queries: the files under ``queries/`` and their header comments.

``queries/sparql/NAME.rq`` and ``queries/cypher/NAME.cypher`` answer the same question with
the same parameters and columns; each starts with a header comment (see :mod:`kg.queries`).
A user's own query file is read here too (:func:`read_query_file`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kg.errors import QueryError
from kg.queries.backends import BACKENDS
from kg.resources import folder

QUERIES = folder("queries")
SUFFIX = {"sparql": ".rq", "cypher": ".cypher"}     # a query language → its files' suffix

_HEADER_RE = re.compile(r"""
    ^\s*(?:\#|//)\s*                # a comment line: # (SPARQL) or // (Cypher)
    (?P<key>title|answers|columns   # a header field …
      |param\s+(?P<param>\w+))      # … or `param NAME`
    \s*:\s*(?P<value>.*?)\s*$       # its value
""", re.VERBOSE)
_EXAMPLE_RE = re.compile(r"""
    \(\s*example:\s*(?P<example>[^)]*?)\s*\)   # (example: 区发展改革局)
""", re.VERBOSE)


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    example: Optional[str] = None
    optional: bool = False


@dataclass(frozen=True)
class QueryInfo:
    name: str
    title: str
    answers: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    path: Path

    def usage(self) -> str:
        ps = " ".join(f"[-p {p.name} {p.example or 'VALUE'}]" if p.optional
                      else f"-p {p.name} {p.example or 'VALUE'}" for p in self.params)
        return f"kg query {self.name} {ps}".rstrip()


def parse_header(text: str, name: str, path: Path) -> QueryInfo:
    """The header comment of a query file → :class:`QueryInfo`."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        m = _HEADER_RE.match(line)
        if not m:
            continue
        value = m.group("value")
        if m.group("param"):
            ex = _EXAMPLE_RE.search(value)
            params.append(Param(
                name=m.group("param"),
                description=_EXAMPLE_RE.sub("", value).strip().rstrip(";,").strip(),
                example=ex.group("example") if ex else None,
                optional=bool(re.match(r"optional\b", value)) or "(optional" in value,
            ))
        else:
            fields.setdefault(m.group("key"), value)
    columns = tuple(c.strip() for c in fields.get("columns", "").split(",") if c.strip())
    return QueryInfo(name, fields.get("title", name), fields.get("answers", ""), tuple(params),
                     columns, path)


def list_queries(backend: str = "sparql") -> list[QueryInfo]:
    """Every canned query of a language (``sparql``/``cypher``; a backend name works too)."""
    lang = BACKENDS[backend].language if backend in BACKENDS else backend
    if lang not in SUFFIX:
        raise QueryError(f"unknown query language {backend!r}; choose sparql or cypher")
    return [parse_header(p.read_text(encoding="utf-8"), p.stem, p)
            for p in sorted((QUERIES / lang).glob("*" + SUFFIX[lang]))]


def get_query(name: str, backend: str = "sparql") -> tuple[QueryInfo, str]:
    """A canned query by name (of a language, or a backend's): its header and its text."""
    infos = {q.name: q for q in list_queries(backend)}
    if name not in infos:
        choices = ", ".join(infos) or "(none)"
        raise QueryError(f"no canned query {name!r}; choose one of: {choices} (kg query --list)")
    info = infos[name]
    return info, info.path.read_text(encoding="utf-8")


def read_query_file(file) -> tuple[Optional[QueryInfo], str]:
    """A user's query file: its header (None when it declares neither parameters nor columns:
    then its parameters are bound as given) and its text."""
    path = Path(file)
    if not path.exists():
        raise QueryError(f"{path}: no such query file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot read the query file ({e}); it must be UTF-8 text") from None
    info = parse_header(text, path.stem, path)
    return (info if info.params or info.columns else None), text
