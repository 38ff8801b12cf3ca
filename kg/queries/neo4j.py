"""The neo4j backend: the Cypher twin of a query, on a Neo4j (or any Bolt) server through the
official driver (kg.stores.neo4j); a parameter is a Cypher ``$param``."""

from __future__ import annotations

from typing import Mapping

from kg.errors import QueryError
from kg.queries.binding import bind, no_such_name
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


# The name checks of kg.queries.binding, in Cypher: (one with the name, every name of the kind).
_NAME_CHECKS_CYPHER = {
    "region": ("MATCH (x:Region) WHERE x.name = $value RETURN x.id LIMIT 1",
               "MATCH (x:Region) RETURN DISTINCT x.name AS name"),
    "unit": ("MATCH (x:Unit) WHERE (x.name = $value OR $value IN coalesce(x.aliases, [])) "
             "AND ($region IS NULL OR x.region = $region) RETURN x.id LIMIT 1",
             "MATCH (x:Unit) WHERE $region IS NULL OR x.region = $region "
             "UNWIND [x.name] + coalesce(x.aliases, []) AS name RETURN DISTINCT name"),
    "function": ("MATCH (x:Unit) WHERE $value IN coalesce(x.functions, []) RETURN x.id LIMIT 1",
                 "MATCH (x:Unit) UNWIND coalesce(x.functions, []) AS name RETURN DISTINCT name"),
    "leader": ("MATCH (x:Leader) WHERE x.name = $value RETURN x.id LIMIT 1",
               "MATCH (x:Leader) RETURN DISTINCT x.name AS name"),
    "metric": ("MATCH (x) WHERE (x:Indicator OR x:ProgressEntry) AND x.metric = $value RETURN x.id LIMIT 1",
               "MATCH (x) WHERE (x:Indicator OR x:ProgressEntry) AND x.metric IS NOT NULL "
               "RETURN DISTINCT x.metric AS name"),
}


def check_names_neo4j(settings, bound: Mapping[str, str], given: Mapping[str, str]) -> None:
    """:func:`kg.queries.binding.check_names` on Neo4j, with the same messages."""
    region = bound.get("region")
    for key, (exists, every) in _NAME_CHECKS_CYPHER.items():
        if key not in bound:
            continue
        scope = {"region": region if key == "unit" else None}
        if run_cypher(settings, exists, {"value": bound[key], **scope})[1]:
            continue
        known = {r[0] for r in run_cypher(settings, every, scope)[1] if r[0]}
        raise no_such_name(key, given.get(key) or given.get("unit") or bound[key], bound[key], known,
                           region if key == "unit" else None)
