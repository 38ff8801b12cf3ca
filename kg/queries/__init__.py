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

The package, a module per job:

- ``catalog.py``: the query files and their headers (QueryInfo, list_queries, get_query);
- ``binding.py``: parameters checked, resolved and bound; names checked (did you mean …);
- ``backends.py``: the registry of backends by name; ``embedded.py`` (Oxigraph),
  ``rdflib.py`` and ``neo4j.py`` (with the name checks in Cypher) each answer a query on
  their kind of store;
- ``sparql.py``: what a SPARQL text may not do (updates, SERVICE), LATERAL for rdflib;
- ``run.py``: :func:`run_query`; ``output.py``: :func:`render`, through kg.formats.
"""

from importlib import import_module

# Each public name, by the module that holds it: imported when first asked for, so that
# `kg --help`, which reads the backends' names (backends.py), loads none of the rest.
_MODULES = {
    "backends": ("BACKENDS", "Backend"),
    "catalog": ("QUERIES", "SUFFIX", "Param", "QueryInfo", "parse_header", "list_queries", "get_query",
                "read_query_file"),
    "binding": ("NAME_PARAMS", "bind", "resolve_unit", "check_names"),
    "neo4j": ("check_names_neo4j",),
    "sparql": ("check_sparql", "without_lateral"),
    "run": ("QueryResult", "run_query"),
    "output": ("FORMATS", "render"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
