"""The backends a query runs on, by name: one registry, as rdflib registers its plugins (by
module path, loaded when used: ``kg --help`` reads the names and imports none of them).

:func:`kg.queries.run_query` dispatches through :data:`BACKENDS`; ``kg query --backend``
offers the ones marked ``cli``. A new backend is one module with an ``answer`` function and
one entry here. ``answer(source, info, text, params, *, canned, neo4j)`` binds ``params``
(the user's values) for ``info`` (the query's header, None for a user's query without one),
checks the names a ``canned`` query is given, and returns ``(columns, rows)``.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from kg.errors import QueryError
from kg.resources import entry


class Backend(NamedTuple):     # not a dataclass: kg --help builds this class, a dataclass 0.4 ms slower
    name: str
    language: str        # the query files it runs: sparql or cypher (kg.queries.catalog.SUFFIX)
    target: str          # "module:function", the backend's answer function
    help: str
    cli: bool = False    # offered by kg query --backend

    def load(self) -> Callable:
        return entry(self.target)


BACKENDS: dict[str, Backend] = {b.name: b for b in (
    Backend("embedded", "sparql", "kg.queries.embedded:answer", "Oxigraph in this process, no server",
            cli=True),
    Backend("rdflib", "sparql", "kg.queries.rdflib:answer",
            "rdflib's own SPARQL evaluator, slower: kept to measure against Oxigraph"),
    Backend("neo4j", "cypher", "kg.queries.neo4j:answer", "through the official driver", cli=True),
)}


def get(name: str) -> Backend:
    try:
        return BACKENDS[name]
    except KeyError:
        raise QueryError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}") from None
