"""The embedded backend: Oxigraph in this process, no server.

It queries a :class:`pyoxigraph.Store` (in memory, from kg.stores.rdf.to_store), the on-disk
store of a build folder (kg.stores.oxistore) or a graph loaded into memory; a parameter is an
Oxigraph ``substitution``, and the answer's RDF terms become plain values (:func:`value`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Mapping

from kg.errors import QueryError
from kg.queries.binding import bind, check_names, literal, select
from kg.stores.oxistore import BuildStore, Solutions, open_store
from kg.stores.rdf import to_store
from kg.stores.rdfmap import node_id_of


def answer(source, info, text: str, params: Mapping[str, str], *, canned: bool, neo4j=None
           ) -> tuple[tuple[str, ...], list[tuple]]:
    """Bind ``params`` on the store of ``source`` (:func:`as_store`), check the names a canned
    query is given, and evaluate."""
    store = as_store(source)
    bound = bind(info, params, store)
    if canned:
        check_names(store, bound, params)
    return evaluate(store, text, bound)


def nx_graph(graph_or_result):
    """A networkx graph, or the graph of a BuildResult."""
    if hasattr(graph_or_result, "nodes"):
        return graph_or_result
    if hasattr(graph_or_result, "graph"):
        return graph_or_result.graph
    raise QueryError(f"cannot query a {type(graph_or_result).__name__}: give a graph, a BuildResult or a store")


def as_store(graph_or_store):
    """A store to query: a :class:`pyoxigraph.Store` (in-memory, from to_store) or a
    :class:`kg.stores.oxistore.BuildStore` as is, a build folder's store (opened), or a graph
    loaded into memory."""
    import pyoxigraph as ox

    if isinstance(graph_or_store, (ox.Store, BuildStore)):
        return graph_or_store
    if isinstance(graph_or_store, (str, Path)):
        return open_store(Path(graph_or_store))
    return to_store(nx_graph(graph_or_store))


_NUMBERS = {"integer": int, "nonNegativeInteger": int, "int": int, "long": int, "gYear": int,
            "decimal": float, "double": float, "float": float}


def value(term):
    """An RDF term → a plain Python value (numbers as numbers, node IRIs as node ids).
    Called for every cell of an answer (tens of thousands at national scale): the common
    cases (a text in Chinese, a plain string) come first."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.language:
            return term.value
        dt = term.datatype.value
        dt = dt[dt.rfind("#") + 1:]
        if dt == "string":
            return term.value
        convert = _NUMBERS.get(dt)
        if convert is not None:
            try:
                return convert(term.value)
            except ValueError:
                return term.value
        if dt == "boolean":
            return term.value == "true"
        return term.value
    if isinstance(term, ox.NamedNode):
        return _node_id(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


@lru_cache(maxsize=65536)
def _node_id(iri: str) -> str:
    """kg.stores.rdf.node_id_of, remembered: an answer names the same units and regions often."""
    return node_id_of(iri)


def evaluate(store, text: str, bound: Mapping[str, str]) -> tuple[tuple[str, ...], list[tuple]]:
    """A SELECT query on the store with its bound values (by variable name) → (columns, rows)."""
    import pyoxigraph as ox

    subs = {ox.Variable(k): literal(k, v) for k, v in bound.items()}
    try:
        result = select(store, text, subs or None)
    except SyntaxError as e:
        raise QueryError(f"the SPARQL query does not parse: {e}") from e
    except (RuntimeError, ValueError, OSError) as e:
        raise QueryError(f"the SPARQL query failed: {e}. Every bound parameter must be a "
                         f"variable of the SELECT clause.") from e
    if not isinstance(result, (ox.QuerySolutions, Solutions)):
        raise QueryError("only SELECT queries can be run here (not ASK, CONSTRUCT or DESCRIBE)")
    columns = tuple(v.value for v in result.variables)
    rows = [tuple(value(s[c]) for c in columns) for s in result]
    return columns, rows
