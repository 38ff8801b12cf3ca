"""Canned queries: files under ``queries/``, run by name with bound parameters.

``queries/sparql/NAME.rq`` (the embedded Oxigraph store, or rdflib's evaluator) and
``queries/cypher/NAME.cypher`` (Neo4j) answer the same question with the same
parameters and columns. Each starts with a header comment::

    # title: Main targets of a region, or one metric across regions
    # answers: What are a region's main targets (主要预期目标) …?
    # param region: optional; the region's name (example: 槐荫区)
    # param metric: optional; the normalized metric name (example: 地区生产总值)
    # columns: region, level, metric, year, target, unit, qualifier, …

Values are always bound as parameters (Oxigraph ``substitutions``, rdflib
``initBindings``, Cypher ``$params``), never pasted into the text, so a value with
quotes, ``<>`` or SPARQL syntax stays a literal. A ``unit`` parameter is resolved
first: ``长清区发展改革局`` binds ``region`` = 长清区 and ``unit`` = its canonical name;
a district-generic ``区发展改革局`` binds ``function`` = 发展改革 (every region).
In SPARQL an optional parameter is tested as ``COALESCE(?p, "")`` (Oxigraph folds
``BOUND(?p)`` before substituting), and every bound variable must be projected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Mapping, Optional

from kg.errors import QueryError
from kg.formats import ROW_FORMATS, Column, render_records
from kg.resources import folder
from kg.stores.oxistore import BuildStore, Solutions, open_store

QUERIES = folder("queries")
SUFFIX = {"sparql": ".rq", "cypher": ".cypher"}
BACKEND_LANGUAGE = {"embedded": "sparql", "rdflib": "sparql", "neo4j": "cypher"}
# Parameters that are names: bound as @zh literals to match skos:prefLabel@zh.
NAME_PARAMS = frozenset({"region", "unit", "function", "leader", "metric"})

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


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: list[tuple]


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
    lang = BACKEND_LANGUAGE.get(backend, backend)
    if lang not in SUFFIX:
        raise QueryError(f"unknown query language {backend!r}; choose sparql or cypher")
    folder = QUERIES / lang
    return [parse_header(p.read_text(encoding="utf-8"), p.stem, p)
            for p in sorted(folder.glob("*" + SUFFIX[lang]))]


def get_query(name: str, backend: str = "sparql") -> tuple[QueryInfo, str]:
    infos = {q.name: q for q in list_queries(backend)}
    if name not in infos:
        choices = ", ".join(infos) or "(none)"
        raise QueryError(f"no canned query {name!r}; choose one of: {choices} (kg query --list)")
    info = infos[name]
    return info, info.path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- parameters

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
    from kg.resolve.regions import region_by_name, regions_named

    found = region_by_name(value)
    if found is None:
        short = regions_named(value, short=True)
        found = short[0] if len(short) == 1 else None
    return found.name if found else value


def _function_name(value: str) -> str:
    """A category as given, or the category of a generic name (区发改局 → 发展改革)."""
    from kg.resolve.functions import categories, category_of_generic

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
    return [(s["label"].value, s["pref"].value) for s in _select(store, q, subs)]


def _units_named(store, name: str) -> set[str]:
    """The canonical names of the units that have ``name`` as a name or an alias (an index
    lookup: reading every label costs seconds at national scale)."""
    import pyoxigraph as ox

    q = (_UNIT_PREFIXES + "SELECT ?pref ?label WHERE { BIND(COALESCE(?label, \"\") AS ?key) "
         "?u skos:prefLabel|skos:altLabel ?key . ?u a gkg:Unit ; skos:prefLabel ?pref ; "
         "org:subOrganizationOf/skos:prefLabel ?r }")
    return {s["pref"].value for s in _select(store, q, {ox.Variable("label"): ox.Literal(name, language="zh")})}


def resolve_unit(name: str, store=None) -> dict[str, str]:
    """A unit parameter → the bindings ``region``, ``unit`` and/or ``function``.

    长清区发展改革局 → region 长清区, unit 区发展改革局 (its canonical name when ``store``
    knows the spelling); 区发展改革局 → function 发展改革 (in every region); a name
    that is neither (文昌街道) → unit, in every region.
    """
    from kg.resolve.functions import category_of_generic
    from kg.resolve.units import canonical_key, split_region_prefix

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


# The same checks in Cypher, for the neo4j backend: (one with the name, every name of the kind).
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


def _no_such_name(key: str, named: str, value: str, known, region: Optional[str]) -> QueryError:
    from kg.lookup import closest

    kind = _NAME_CHECKS[key][0]
    near = closest(named, known) or closest(value, known)
    where = f" in {region}" if region else ""
    hint = f"; did you mean {'、'.join(near)}?" if near else ""
    return QueryError(f"no {kind} named {named!r}{where} in the graph{hint}")


def check_names_neo4j(settings, bound: Mapping[str, str], given: Mapping[str, str]) -> None:
    """:func:`check_names` on Neo4j, with the same messages."""
    from kg.stores.neo4j import run_cypher

    region = bound.get("region")
    for key, (exists, every) in _NAME_CHECKS_CYPHER.items():
        if key not in bound:
            continue
        scope = {"region": region if key == "unit" else None}
        if run_cypher(settings, exists, {"value": bound[key], **scope})[1]:
            continue
        known = {r[0] for r in run_cypher(settings, every, scope)[1] if r[0]}
        raise _no_such_name(key, given.get(key) or given.get("unit") or bound[key], bound[key], known,
                            region if key == "unit" else None)


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
        subs = {ox.Variable(key): _literal(key, bound[key])}
        scope = {ox.Variable("region"): _literal("region", region)} if scoped else {}
        select = " ?region" if scoped else ""
        if list(_select(store, f"{_UNIT_PREFIXES}SELECT ?x ?{key}{select} WHERE {{ {exists} }} LIMIT 1",
                        {**subs, **scope})):
            continue
        known = {x["name"].value for x in _select(
            store, f"{_UNIT_PREFIXES}SELECT DISTINCT ?name{select} WHERE {{ {every} }}", scope or None)}
        raise _no_such_name(key, given.get(key) or given.get("unit") or bound[key], bound[key], known,
                            region if scoped else None)


# ---------------------------------------------------------------- running

def _nx_graph(graph_or_result):
    """A networkx graph, or the graph of a BuildResult."""
    if hasattr(graph_or_result, "nodes"):
        return graph_or_result
    if hasattr(graph_or_result, "graph"):
        return graph_or_result.graph
    raise QueryError(f"cannot query a {type(graph_or_result).__name__}: give a graph, a BuildResult or a store")


def _as_store(graph_or_store):
    """A store to query: a :class:`pyoxigraph.Store` (in-memory, from to_store) or a
    :class:`kg.stores.oxistore.BuildStore` as is, a build folder's store (opened), or a graph
    loaded into memory."""
    import pyoxigraph as ox

    if isinstance(graph_or_store, (ox.Store, BuildStore)):
        return graph_or_store
    if isinstance(graph_or_store, (str, Path)):
        return open_store(Path(graph_or_store))
    from kg.stores.rdf import to_store

    return to_store(_nx_graph(graph_or_store))


def _select(store, text: str, substitutions=None):
    """``store.query`` over the store's default graph, where an in-memory store
    (kg.stores.rdf.to_store) and an on-disk one (kg.stores.oxistore) hold the graph."""
    return store.query(text, substitutions=substitutions)


_NUMBERS = {"integer": int, "nonNegativeInteger": int, "int": int, "long": int, "gYear": int,
            "decimal": float, "double": float, "float": float}


def _value(term):
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
    from kg.stores.rdf import node_id_of

    return node_id_of(iri)


def _literal(key: str, value: str):
    import pyoxigraph as ox

    return ox.Literal(str(value), language="zh") if key in NAME_PARAMS else ox.Literal(str(value))


def _run_embedded(store, text: str, bound: Mapping[str, str]) -> tuple[tuple[str, ...], list[tuple]]:
    import pyoxigraph as ox

    subs = {ox.Variable(k): _literal(k, v) for k, v in bound.items()}
    try:
        result = _select(store, text, subs or None)
    except SyntaxError as e:
        raise QueryError(f"the SPARQL query does not parse: {e}") from e
    except (RuntimeError, ValueError, OSError) as e:
        raise QueryError(f"the SPARQL query failed: {e}. Every bound parameter must be a "
                         f"variable of the SELECT clause.") from e
    if not isinstance(result, (ox.QuerySolutions, Solutions)):
        raise QueryError("only SELECT queries can be run here (not ASK, CONSTRUCT or DESCRIBE)")
    columns = tuple(v.value for v in result.variables)
    rows = [tuple(_value(s[c]) for c in columns) for s in result]
    return columns, rows


_SPARQL_TOKENS = re.compile("|".join((
    r"\#[^\n]*",                                  # a comment
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",             # a long string in '''
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',             # a long string in """
    r"'(?:[^'\\\n]|\\.)*'",                       # a string in '
    r'"(?:[^"\\\n]|\\.)*"',                       # a string in "
    r"<[^<>\"{}|^`\\\x00-\x20]*>",                # an IRI
    r"[?$]\w+",                                   # a variable
    r"[\w.-]*:[\w.:%-]*",                         # a prefixed name (ex:SERVICE is a name)
    r"(?P<word>[A-Za-z_]\w*)",                    # a keyword or a function name
)))


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _codepoint(m: re.Match) -> str:
    code = int(m.group(1) or m.group(2), 16)
    return chr(code) if code <= 0x10FFFF else m.group(0)


_UPDATES = frozenset("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH".split())


def check_sparql(text: str, where: str) -> None:
    """Refuse a SPARQL text that would change a store or make the engine ask another server:
    an update (LOAD, DELETE …: only queries are run, and the engines refuse updates as
    queries, but say so plainly) or a ``SERVICE`` clause (Oxigraph and rdflib send it over
    HTTP), also written with SPARQL's ``\\u`` escapes, which rdflib reads before it parses."""
    text = _CODEPOINT.sub(_codepoint, text)
    words = [m for m in _SPARQL_TOKENS.finditer(text) if m.group("word")]
    form = next((m for m in words if m.group("word").upper() not in ("PREFIX", "BASE")), None)
    for m in words:
        word = m.group("word").upper()
        line = text.count("\n", 0, m.start()) + 1
        if m is form and word in _UPDATES:
            raise QueryError(f"{where}:{line}: {word} is an update; govkg runs queries only (SELECT), "
                             "and never changes the graph from a query")
        if word == "SERVICE":
            raise QueryError(f"{where}:{line}: SERVICE would send the query to another server over the "
                             "network; govkg answers only from its own graph: remove the SERVICE clause")


_LATERAL_OPTIONAL = re.compile(r"LATERAL\s*\{\s*(?=OPTIONAL\s*\{)")   # LATERAL { OPTIONAL { … } }


def without_lateral(text: str) -> str:
    """``LATERAL { OPTIONAL { P } }`` as ``OPTIONAL { P }``, for evaluators without SPARQL
    1.2's LATERAL (rdflib): the same answers; LATERAL only makes Oxigraph evaluate P once
    per solution instead of for the whole graph before joining."""
    out, pos = [], 0
    for m in _LATERAL_OPTIONAL.finditer(text):
        if m.start() < pos:
            continue
        depth, i = 1, m.end()
        while depth and i < len(text):          # the brace that closes LATERAL's group
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth:
            raise QueryError("a LATERAL group of the query is not closed")
        out += [text[pos:m.start()], without_lateral(text[m.end():i - 1])]
        pos = i
    return "".join(out) + text[pos:]


def _run_rdflib(graph, text: str, bound: Mapping[str, str]) -> tuple[tuple[str, ...], list[tuple]]:
    """rdflib's own SPARQL evaluator: kept to measure against Oxigraph."""
    import pyoxigraph as ox
    import rdflib

    from kg.stores.rdf import rdflib_graph

    text = without_lateral(text)

    g = graph if isinstance(graph, rdflib.Graph) else rdflib_graph(_nx_graph(graph))
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
            return _value(ox.NamedNode(str(t)))
        if isinstance(t, rdflib.Literal):
            dt = ox.NamedNode(str(t.datatype)) if t.datatype else None
            return _value(ox.Literal(str(t), datatype=dt) if dt else ox.Literal(str(t)))
        return str(t)
    return columns, [tuple(term(row[c]) for c in columns) for row in result]


def run_query(graph_or_store=None, name: Optional[str] = None, *, file=None,
              params: Mapping[str, str] = {}, backend: str = "embedded",
              neo4j=None) -> QueryResult:
    """Run a canned query by ``name`` (or a query ``file``) with ``params`` bound.

    ``backend``: ``embedded`` (Oxigraph; ``graph_or_store`` is a networkx graph, a
    BuildResult, a :class:`pyoxigraph.Store` or a build folder, whose on-disk store
    kg.stores.oxistore.open_store opens), ``rdflib`` (rdflib's evaluator, slower)
    or ``neo4j`` (``neo4j`` is the :class:`kg.stores.neo4j.Neo4jSettings`).
    """
    if backend not in BACKEND_LANGUAGE:
        raise QueryError(f"unknown backend {backend!r}; choose one of {', '.join(BACKEND_LANGUAGE)}")
    lang = BACKEND_LANGUAGE[backend]
    if (name is None) == (file is None):
        raise QueryError("give either a canned query name or a query file")
    if file is not None:
        path = Path(file)
        if not path.exists():
            raise QueryError(f"{path}: no such query file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise QueryError(f"{path}: cannot read the query file ({e}); it must be UTF-8 text") from None
        info = parse_header(text, path.stem, path)
        info = info if info.params or info.columns else None
    else:
        info, text = get_query(name, lang)
    if lang == "sparql":
        check_sparql(text, str(file) if file is not None else f"query {name}")

    store = None
    if backend == "embedded":
        store = _as_store(graph_or_store)
    bound = bind(info, params, store)

    if backend == "embedded":
        if info is not None and file is None:
            check_names(store, bound, params)
        columns, rows = _run_embedded(store, text, bound)
    elif backend == "rdflib":
        columns, rows = _run_rdflib(graph_or_store, text, bound)
    else:
        from kg.stores.neo4j import run_cypher

        if neo4j is None:
            raise QueryError("the neo4j backend needs connection settings (neo4j=Neo4jSettings)")
        names = {p.name for p in info.params} if info else set()
        if "unit" in names:
            names |= {"region", "function"}
        cy_params = {n: None for n in names}
        cy_params.update(bound)
        if info is not None and file is None:
            check_names_neo4j(neo4j, bound, params)
        columns, rows = run_cypher(neo4j, text, cy_params)
        rows = [tuple(r) for r in rows]

    if info is not None and info.columns:
        missing = [c for c in info.columns if c not in columns]
        if missing:
            raise QueryError(f"{info.path}: the header lists column(s) {', '.join(missing)} "
                             f"that the query does not return")
        index = [columns.index(c) for c in info.columns]
        rows = [tuple(r[i] for i in index) for r in rows]
        columns = info.columns
    return QueryResult(columns=tuple(columns), rows=rows)


# ---------------------------------------------------------------- output

FORMATS = ROW_FORMATS


def render(result: QueryResult, fmt: str = "table", max_width: int = 40) -> str:
    """A result as an aligned text table (CJK counted double width, long cells clipped),
    CSV (with a header row; meant for people, so a text cell that starts like a spreadsheet
    formula gets a leading ``'``: :func:`kg.formats.spreadsheet_safe`), JSON (a list of objects
    keyed by column) or JSON Lines (an object per line)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    records = [dict(zip(result.columns, r)) for r in result.rows]
    text = render_records(records, fmt, [Column(c, itemgetter(c), max_width) for c in result.columns])
    if fmt != "table":
        return text
    n = len(result.rows)
    return f"{text}\n({n} row{'s' if n != 1 else ''})"
