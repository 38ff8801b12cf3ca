"""The neo4j backend: the Cypher twin of a query, on a Neo4j (or any Bolt) server through the
official driver (kg.stores.neo4j); a parameter is a Cypher ``$param``."""

from __future__ import annotations

from typing import Mapping

from kg.errors import QueryError
from kg.queries.binding import bind, check_names_neo4j
from kg.stores.neo4j import run_cypher


def answer(source, info, text: str, params: Mapping[str, str], *, canned: bool, neo4j=None
           ) -> tuple[tuple[str, ...], list[tuple]]:
    """Bind ``params`` as given, check the names a canned query is given on the server, and run
    the query there (``neo4j``: the :class:`kg.stores.neo4j.Neo4jSettings`; ``source`` unused).
    Every parameter the query declares is bound, to null when not given ("any")."""
    bound = bind(info, params)
    if neo4j is None:
        raise QueryError("the neo4j backend needs connection settings (neo4j=Neo4jSettings)")
    names = {p.name for p in info.params} if info else set()
    if "unit" in names:
        names |= {"region", "function"}
    cy_params = {n: None for n in names}
    cy_params.update(bound)
    if canned:
        check_names_neo4j(neo4j, bound, params)
    columns, rows = run_cypher(neo4j, text, cy_params)
    return columns, [tuple(r) for r in rows]
