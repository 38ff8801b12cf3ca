"""The rdflib backend: rdflib's own SPARQL evaluator, on a graph loaded into memory; slower
than Oxigraph, kept to measure against it (scripts/bench_sparql.py). Its answers are the
embedded backend's values; names are not checked."""

from __future__ import annotations

from typing import Mapping

from kg.errors import QueryError
from kg.queries.binding import NAME_PARAMS, bind
from kg.queries.embedded import nx_graph, value
from kg.queries.sparql import without_lateral
from kg.stores.rdf import rdflib_graph


def answer(source, info, text: str, params: Mapping[str, str], *, canned: bool, neo4j=None
           ) -> tuple[tuple[str, ...], list[tuple]]:
    """Bind ``params`` as given (no unit lookup: there is no store to look in) and evaluate."""
    return evaluate(source, text, bind(info, params))


def evaluate(graph, text: str, bound: Mapping[str, str]) -> tuple[tuple[str, ...], list[tuple]]:
    """A SELECT query on an rdflib graph (or a networkx graph, converted) with its bound values
    (by variable name) → (columns, rows); SPARQL 1.2's LATERAL read as plain OPTIONAL."""
    import pyoxigraph as ox
    import rdflib

    text = without_lateral(text)

    g = graph if isinstance(graph, rdflib.Graph) else rdflib_graph(nx_graph(graph))
    init = {k: rdflib.Literal(v, lang="zh") if k in NAME_PARAMS else rdflib.Literal(v)
            for k, v in bound.items()}
    try:
        result = g.query(text, initBindings=init)
    except Exception as e:  # rdflib raises pyparsing and assorted errors
        raise QueryError(f"rdflib could not run the query: {e}") from e
    columns = tuple(str(v) for v in result.vars)

    def term(t):
        if t is None:
            return None
        if isinstance(t, rdflib.URIRef):
            return value(ox.NamedNode(str(t)))
        if isinstance(t, rdflib.Literal):
            dt = ox.NamedNode(str(t.datatype)) if t.datatype else None
            return value(ox.Literal(str(t), datatype=dt) if dt else ox.Literal(str(t)))
        return str(t)
    return columns, [tuple(term(row[c]) for c in columns) for row in result]
