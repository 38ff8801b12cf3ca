"""Parameters of a query: checked against its header, resolved and bound; names checked.

A ``unit`` parameter is resolved first: ``长清区发展改革局`` binds ``region`` = 长清区 and
``unit`` = its canonical name; a district-generic ``区发展改革局`` binds ``function`` = 发展改革
(every region). A name a canned query is given must name something in the store, else a
QueryError names the closest names the store has (did you mean …?); kg.queries.neo4j asks the
same of a Neo4j server.
"""

from __future__ import annotations

from typing import Mapping, Optional

from kg.errors import QueryError
from kg.lookup import closest
from kg.queries.catalog import QueryInfo
from kg.resolve.functions import categories, category_of_generic
from kg.resolve.regions import region_by_name, regions_named
from kg.resolve.units import canonical_key, split_region_prefix

# Parameters that are names: bound as @zh literals to match skos:prefLabel@zh.
NAME_PARAMS = frozenset({"region", "unit", "function", "leader", "metric"})


def select(store, text: str, substitutions=None):
    """``store.query`` over the store's default graph, where an in-memory store
    (kg.stores.rdf.to_store) and an on-disk one (kg.stores.oxistore) hold the graph."""
    return store.query(text, substitutions=substitutions)


def literal(key: str, value: str):
    """A parameter's value as an Oxigraph literal: a name (:data:`NAME_PARAMS`) in Chinese (@zh)."""
    import pyoxigraph as ox

    return ox.Literal(str(value), language="zh") if key in NAME_PARAMS else ox.Literal(str(value))


def _check_params(info: QueryInfo, params: Mapping[str, str]) -> None:
    declared = {p.name: p for p in info.params}
    def listing():
        return "; ".join(f"{p.name}{' (optional)' if p.optional else ''}: {p.description}"
                         + (f", e.g. {p.example}" if p.example else "") for p in info.params) or "none"
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise QueryError(f"query {info.name!r} has no parameter {', '.join(unknown)}; "
                         f"its parameters are {listing()}")
    missing = [p.name for p in info.params if not p.optional and not params.get(p.name)]
    if missing:
        raise QueryError(f"query {info.name!r} needs parameter {', '.join(missing)}; "
                         f"its parameters are {listing()}. Usage: {info.usage()}")


def _region_name(value: str) -> str:
    """长清区 / 长清 → the gazetteer's full name when it knows one (a short name only when it
    names one region), else as given."""
    found = region_by_name(value)
    if found is None:
        short = regions_named(value, short=True)
        found = short[0] if len(short) == 1 else None
    return found.name if found else value


def _function_name(value: str) -> str:
    """A category as given, or the category of a generic name (区发改局 → 发展改革)."""
    if value in categories():
        return value
    return category_of_generic(value) or value


_UNIT_PREFIXES = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                  "PREFIX org: <http://www.w3.org/ns/org#> PREFIX gkg: <https://w3id.org/govkg/ontology#> ")


def _unit_labels(store, region: Optional[str]) -> list[tuple[str, str]]:
    """(label, canonical name) of every unit (of one region): prefLabel and altLabels.

    The query starts from one bound key (the region's name, else the class gkg:Unit), so
    that Oxigraph's plan begins with the region's units instead of every unit."""
    import pyoxigraph as ox

    q = (_UNIT_PREFIXES + "SELECT ?label ?pref ?region WHERE { BIND(COALESCE(?region, gkg:Unit) AS ?key) "
         "?u org:subOrganizationOf/skos:prefLabel|a ?key . "
         "?u a gkg:Unit ; skos:prefLabel ?pref ; org:subOrganizationOf/skos:prefLabel ?r . "
         "{ ?u skos:prefLabel ?label } UNION { ?u skos:altLabel ?label } }")
    subs = {ox.Variable("region"): ox.Literal(region, language="zh")} if region else None
    return [(s["label"].value, s["pref"].value) for s in select(store, q, subs)]


def _units_named(store, name: str) -> set[str]:
    """The canonical names of the units that have ``name`` as a name or an alias (an index
    lookup: reading every label costs seconds at national scale)."""
    import pyoxigraph as ox

    q = (_UNIT_PREFIXES + "SELECT ?pref ?label WHERE { BIND(COALESCE(?label, \"\") AS ?key) "
         "?u skos:prefLabel|skos:altLabel ?key . ?u a gkg:Unit ; skos:prefLabel ?pref ; "
         "org:subOrganizationOf/skos:prefLabel ?r }")
    return {s["pref"].value for s in select(store, q, {ox.Variable("label"): ox.Literal(name, language="zh")})}


def resolve_unit(name: str, store=None) -> dict[str, str]:
    """A unit parameter → the bindings ``region``, ``unit`` and/or ``function``.

    长清区发展改革局 → region 长清区, unit 区发展改革局 (its canonical name when ``store``
    knows the spelling); 区发展改革局 → function 发展改革 (in every region); a name
    that is neither (文昌街道) → unit, in every region.
    """
    name = name.strip()
    region, rest = split_region_prefix(name)
    if region is None:
        function = category_of_generic("".join(name.split()))
        if function:
            return {"function": function}
    out = {"region": region.name} if region is not None else {}
    unit = rest if region is not None else name
    if store is not None:
        if region is None:
            exact = _units_named(store, unit)
            labels = [] if exact else _unit_labels(store, None)
        else:
            labels = _unit_labels(store, out["region"])
            exact = {pref for label, pref in labels if label == unit}
        if not exact:
            key = canonical_key(unit)
            exact = {pref for label, pref in labels if canonical_key(label) == key}
        if len(exact) == 1:
            unit = exact.pop()
    out["unit"] = unit
    return out


def bind(info: Optional[QueryInfo], params: Mapping[str, str], store=None) -> dict[str, str]:
    """Check and resolve the parameters of a query: what is bound, by variable name."""
    params = {k: v for k, v in params.items() if v is not None}
    if info is None:                       # a user's own query: bound as given
        return dict(params)
    _check_params(info, params)
    bound: dict[str, str] = {}
    for key, value in params.items():
        if key == "unit":
            for k, v in resolve_unit(value, store).items():
                bound.setdefault(k, v)
        elif key == "region":
            bound[key] = _region_name(value)
        elif key == "function":
            bound[key] = _function_name(value)
        else:
            bound[key] = value
    return bound


# What a name parameter must name, as SPARQL: (the thing, a pattern binding ?x to one with the
# parameter's name, a pattern binding ?name to every name of the kind); a unit's patterns keep
# to ?region when it is bound. Oxigraph substitutes only variables the query selects.
_IN_REGION = "FILTER(COALESCE(?region, \"\") = \"\" || EXISTS { ?x org:subOrganizationOf/skos:prefLabel ?region })"
# Each check starts from the name (BIND … AS ?key): Oxigraph plans a query before it substitutes
# the parameter, and a pattern on the parameter itself is planned as a scan of every label.
_NAME_CHECKS = {
    "region": ("region", "BIND(COALESCE(?region, \"\") AS ?key) ?x skos:prefLabel ?key . ?x a gkg:Region .",
               "?x a gkg:Region ; skos:prefLabel ?name ."),
    "unit": ("unit", f"BIND(COALESCE(?unit, \"\") AS ?key) ?x skos:prefLabel|skos:altLabel ?key . ?x a gkg:Unit . "
                     f"{_IN_REGION}",
             f"?x a gkg:Unit ; skos:prefLabel|skos:altLabel ?name . {_IN_REGION}"),
    "function": ("unit with function",
                 "BIND(COALESCE(?function, \"\") AS ?key) ?c skos:prefLabel ?key . ?x org:classification ?c .",
                 "?x org:classification/skos:prefLabel ?name ."),
    "leader": ("leader", "BIND(COALESCE(?leader, \"\") AS ?key) ?x skos:prefLabel ?key . ?x a gkg:Leader .",
               "?x a gkg:Leader ; skos:prefLabel ?name ."),
    "metric": ("metric", "BIND(COALESCE(?metric, \"\") AS ?key) ?c skos:prefLabel ?key . ?x gkg:metric ?c .",
               "?x gkg:metric/skos:prefLabel ?name ."),
}


def no_such_name(key: str, named: str, value: str, known, region: Optional[str]) -> QueryError:
    """The error for a ``key`` parameter naming nothing: ``named`` as the user wrote it, ``value``
    as bound, with the closest of the ``known`` names (of the kind, in ``region``)."""
    kind = _NAME_CHECKS[key][0]
    near = closest(named, known) or closest(value, known)
    where = f" in {region}" if region else ""
    hint = f"; did you mean {'、'.join(near)}?" if near else ""
    return QueryError(f"no {kind} named {named!r}{where} in the graph{hint}")


def check_names(store, bound: Mapping[str, str], given: Mapping[str, str]) -> None:
    """Every name a canned query is given must name something in the store: a region, unit,
    function, leader or metric that names nothing is a QueryError naming the closest names
    the store has (武义 → did you mean 武毅?), not an empty answer. ``given``: the parameters as
    the user wrote them, for the message."""
    import pyoxigraph as ox

    region = bound.get("region")
    for key, (_kind, exists, every) in _NAME_CHECKS.items():
        if key not in bound:
            continue
        scoped = key == "unit" and region is not None
        subs = {ox.Variable(key): literal(key, bound[key])}
        scope = {ox.Variable("region"): literal("region", region)} if scoped else {}
        region_var = " ?region" if scoped else ""
        if list(select(store, f"{_UNIT_PREFIXES}SELECT ?x ?{key}{region_var} WHERE {{ {exists} }} LIMIT 1",
                       {**subs, **scope})):
            continue
        known = {x["name"].value for x in select(
            store, f"{_UNIT_PREFIXES}SELECT DISTINCT ?name{region_var} WHERE {{ {every} }}", scope or None)}
        raise no_such_name(key, given.get(key) or given.get("unit") or bound[key], bound[key], known,
                           region if scoped else None)

