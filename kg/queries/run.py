"""Running a query: a canned one by name or a user's file, on a backend named in the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from kg.errors import QueryError
from kg.queries import backends
from kg.queries.catalog import get_query, read_query_file
from kg.queries.sparql import check_sparql


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: list[tuple]


def run_query(graph_or_store=None, name: Optional[str] = None, *, file=None,
              params: Mapping[str, str] = {}, backend: str = "embedded",
              neo4j=None) -> QueryResult:
    """Run a canned query by ``name`` (or a query ``file``) with ``params`` bound.

    ``backend`` (:data:`kg.queries.backends.BACKENDS`): ``embedded`` (Oxigraph;
    ``graph_or_store`` is a networkx graph, a BuildResult, a :class:`pyoxigraph.Store` or a
    build folder, whose on-disk store kg.stores.oxistore.open_store opens), ``rdflib``
    (rdflib's evaluator, slower) or ``neo4j`` (``neo4j`` is the
    :class:`kg.stores.neo4j.Neo4jSettings`). The answer's columns are the ones the query's
    header lists, in its order.
    """
    chosen = backends.get(backend)
    if (name is None) == (file is None):
        raise QueryError("give either a canned query name or a query file")
    if file is not None:
        info, text = read_query_file(file)
    else:
        info, text = get_query(name, chosen.language)
    if chosen.language == "sparql":
        check_sparql(text, str(file) if file is not None else f"query {name}")

    columns, rows = chosen.load()(graph_or_store, info, text, params, canned=file is None, neo4j=neo4j)

    if info is not None and info.columns:
        missing = [c for c in info.columns if c not in columns]
        if missing:
            raise QueryError(f"{info.path}: the header lists column(s) {', '.join(missing)} "
                             f"that the query does not return")
        index = [columns.index(c) for c in info.columns]
        rows = [tuple(r[i] for i in index) for r in rows]
        columns = info.columns
    return QueryResult(columns=tuple(columns), rows=rows)
