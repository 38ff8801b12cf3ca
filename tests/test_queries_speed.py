"""The fast forms of the unit queries (tasks-led-by, unit-portfolio, co-responsible,
unit-workload) start from the most specific parameter bound (?key) so that Oxigraph, which
plans before it substitutes, looks the units up instead of scanning every task. They must
answer exactly as the plain forms below (a unit matched by a FILTER over every unit) for
every combination of bound parameters, on both evaluators. Speed figures are measured by
scripts/bench_scale.py, not asserted here."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

from kg.queries import QUERIES, run_query
from kg.stores.rdf import to_store

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_rdf import WEIRD, small_graph  # noqa: E402  (tests/ is not a package)

PREFIXES = """PREFIX gkg: <https://w3id.org/govkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
UNIT_MATCH = """
  ?u skos:prefLabel ?unit ;
     org:subOrganizationOf/skos:prefLabel ?region .
  FILTER(STR(COALESCE(?function, "")) = ""
         || EXISTS { ?u org:classification/skos:prefLabel ?function })"""
# The plain forms: slow on a large graph, obviously right.
PLAIN = {
    "tasks-led-by": """
SELECT ?region ?unit ?role ?document ?number ?text ?function
WHERE {
  VALUES (?edge ?role) { (gkg:leadUnit "lead") (gkg:responsibleUnit "responsible") }
  ?t ?edge ?u .""" + UNIT_MATCH + """
  ?t gkg:seq ?seq ;
     dcterms:description ?text ;
     prov:wasDerivedFrom/gkg:docId ?document .
  OPTIONAL { ?t gkg:number ?number }
}
ORDER BY ?region ?document ?seq ?unit""",
    "unit-portfolio": """
SELECT ?region ?unit ?role ?document ?number ?text ?role_count ?function
WHERE {
  VALUES (?edge ?role) {
    (gkg:leadUnit "lead") (gkg:assistUnit "assist") (gkg:responsibleUnit "responsible")
  }
  ?t ?edge ?u .""" + UNIT_MATCH + """
  {
    SELECT ?u ?edge (COUNT(DISTINCT ?other) AS ?role_count)
    WHERE { ?other ?edge ?u . ?u a gkg:Unit }
    GROUP BY ?u ?edge
  }
  ?t gkg:seq ?seq ;
     dcterms:description ?text ;
     prov:wasDerivedFrom/gkg:docId ?document .
  OPTIONAL { ?t gkg:number ?number }
}
ORDER BY ?region ?unit ?role ?document ?seq""",
    "co-responsible": """
SELECT ?region ?unit ?other (COUNT(DISTINCT ?t) AS ?shared) ?function
WHERE {
  VALUES ?edge { gkg:leadUnit gkg:assistUnit gkg:responsibleUnit }
  VALUES ?otherEdge { gkg:leadUnit gkg:assistUnit gkg:responsibleUnit }
  ?t ?edge ?u .""" + UNIT_MATCH + """
  ?t ?otherEdge ?o .
  FILTER(?o != ?u)
  ?o skos:prefLabel ?other .
}
GROUP BY ?u ?o ?region ?unit ?other ?function
ORDER BY DESC(?shared) ?region ?unit ?other""",
    "unit-workload": """
SELECT ?region ?unit (SUM(?l) AS ?led) (SUM(?a) AS ?assisted) (SUM(?r) AS ?responsible)
       (SUM(?l + ?a + ?r) AS ?total)
WHERE {
  VALUES (?edge ?l ?a ?r) {
    (gkg:leadUnit 1 0 0) (gkg:assistUnit 0 1 0) (gkg:responsibleUnit 0 0 1)
  }
  ?t ?edge ?u .
  ?u a gkg:Unit ;
     skos:prefLabel ?unit ;
     org:subOrganizationOf/skos:prefLabel ?region .
}
GROUP BY ?u ?region ?unit
ORDER BY DESC(?total) ?region ?unit""",
}
# Values to bind, each with one that matches nothing.
VALUES = {"region": ["长清区", "历下区", "无此区"], "unit": ["区发展改革局", "区财政局", WEIRD, "无此局"],
          "function": ["发展改革", "财政", "无此职能"]}


def bindings(name: str):
    """Every combination of the parameters the query projects, each with every value."""
    keys = ["region"] if name == "unit-workload" else ["region", "unit", "function"]
    for n in range(len(keys) + 1):
        for combo in itertools.combinations(keys, n):
            for values in itertools.product(*(VALUES[k] for k in combo)):
                yield dict(zip(combo, values))


def _files(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """The canned query and its plain form as a user's own files (no header: every
    parameter is bound as given, none resolved)."""
    canned = "\n".join(line for line in (QUERIES / "sparql" / f"{name}.rq").read_text(encoding="utf-8")
                       .splitlines() if not line.startswith("#"))
    fast, plain = tmp_path / f"fast-{name}.rq", tmp_path / f"plain-{name}.rq"
    fast.write_text(canned, encoding="utf-8")
    plain.write_text(PREFIXES + PLAIN[name], encoding="utf-8")
    return fast, plain


def answer(store, file: Path, params: dict, columns=None, **kw) -> tuple[tuple, list[tuple]]:
    """The rows of a query file, cut to ``columns`` (a fast form may project more)."""
    result = run_query(store, file=file, params=params, **kw)
    index = [result.columns.index(c) for c in columns or result.columns]
    return tuple(result.columns[i] for i in index), [tuple(r[i] for i in index) for r in result.rows]


@pytest.fixture(scope="module")
def graph():
    return small_graph()


@pytest.fixture(scope="module")
def store(graph):
    return to_store(graph)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_the_fast_form_answers_as_the_plain_form_for_every_binding(store, tmp_path, name):
    fast, plain = _files(tmp_path, name)
    answered = 0
    for params in bindings(name):
        columns, want = answer(store, plain, params)
        assert answer(store, fast, params, columns)[1] == want, params
        answered += bool(want)
    assert answered >= 3, "the bindings should exercise matches, not only empty answers"


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_rdflib_evaluates_the_fast_form_as_oxigraph_does(store, graph, tmp_path, name):
    fast, _ = _files(tmp_path, name)
    for params in ({}, {"region": "长清区"}, {"unit": "区发展改革局"}, {"function": "财政"},
                   {"region": "长清区", "unit": "区财政局"}):
        if name == "unit-workload" and set(params) - {"region"}:
            continue
        assert (run_query(graph, file=fast, params=params, backend="rdflib").rows
                == run_query(store, file=fast, params=params).rows), params


@pytest.mark.parametrize("name, params", [
    ("tasks-led-by", {"unit": "区发展改革局"}), ("tasks-led-by", {"unit": "槐荫区发展改革局"}),
    ("unit-portfolio", {"unit": "区发展改革局"}), ("unit-portfolio", {"unit": "长清区发展改革局"}),
    ("co-responsible", {"unit": "区财政局"}), ("co-responsible", {"unit": "槐荫区财政局"}),
    ("unit-workload", {}), ("unit-workload", {"region": "槐荫区"}),
])
def test_the_fast_form_answers_as_the_plain_form_on_the_seed_graph(seed_graph, tmp_path, name, params):
    from kg.queries import bind, parse_header

    seed = to_store(seed_graph)
    fast, plain = _files(tmp_path, name)
    info = parse_header((QUERIES / "sparql" / f"{name}.rq").read_text(encoding="utf-8"), name, fast)
    bound = bind(info, params, seed)            # resolved as kg.queries resolves a canned query's
    columns, want = answer(seed, plain, bound)
    assert want, f"{name} {params} answered nothing on the seed graph"
    assert answer(seed, fast, bound, columns)[1] == want


def test_every_function_concept_is_its_name_after_the_prefix():
    """The unit queries reach a function's concept as IRI(CONCAT(STR(function:), ?function)):
    that holds while no category name needs percent-encoding in an IRI."""
    from kg.resolve.functions import categories
    from kg.stores.rdfmap import concept_iri

    names = list(categories())
    assert len(names) > 20
    for name in names:
        assert concept_iri("function", name) == "https://w3id.org/govkg/id/function/" + name


@pytest.mark.parametrize("name", ["tasks-led-by", "unit-portfolio", "co-responsible"])
@pytest.mark.parametrize("function", ["发展 改革", "财政>", "无此职能"])
def test_a_function_that_names_no_concept_answers_nothing(store, graph, tmp_path, name, function):
    fast, _ = _files(tmp_path, name)
    assert run_query(store, file=fast, params={"function": function}).rows == []
    assert run_query(graph, file=fast, params={"function": function}, backend="rdflib").rows == []
