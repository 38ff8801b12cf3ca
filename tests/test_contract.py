"""The graph contract (kg/contract.py) walked over the graph and every projection: the graph
keeps to it, and graph.json, Turtle, N-Triples, JSON-LD, the Cypher script and neo4j-csv each
carry every attribute the graph holds, or the mapping says why not. (Bolt: tests/test_neo4j.py.)"""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from kg import contract
from kg.graph import dumps, loads
from kg.stores import exports, jsonld, neo4j, neo4jmap, rdf, rdfmap
from kg.view import EDGE_STYLE, NODE_STYLE


def _present(v) -> bool:
    return v is not None and v != "" and v != [] and v != ()


# ------------------------------------------------------------------ the graph

def test_the_seed_graph_keeps_to_the_contract(seed_graph):
    report = contract.check(seed_graph)
    assert report, str(report)


def test_every_attribute_of_the_contract_occurs_in_the_seed_graph_or_is_one_it_rarely_has(seed_graph):
    """A declared attribute that no graph has is dead weight in the contract."""
    seen = {(a.get("type"), k) for _, a in seed_graph.nodes(data=True) for k, v in a.items() if _present(v)}
    seen |= {(a.get("type"), k) for *_, a in seed_graph.edges(data=True) for k, v in a.items() if _present(v)}
    rare = {("Region", "parent"), ("Unit", "collective"), ("Task", "progress"), ("Task", "next_steps"),
            ("Task", "category"), ("Indicator", "target_high"), ("Indicator", "stretch"),
            ("Document", "author"), ("Document", "post"), ("Document", "date"), ("Document", "period"),
            ("ProgressEntry", "category"), ("Indicator", "actual_unit"), ("CARRIES_OUT", "evidence"),
            ("LEADS", "via"), ("ASSISTS", "via"), ("OVERSEES", "via"), ("OVERSEES", "role")}
    declared = {(t, a) for t, n in contract.NODES.items() for a in n.attrs}
    declared |= {(t, a) for t, e in contract.EDGES.items() for a in e.attrs}
    assert declared - seen - rare - {(t, a) for t, a in declared if a.startswith("deadline") or a == "due"} == set()


def test_a_graph_that_breaks_the_contract_is_told_where():
    g = nx.MultiDiGraph()
    g.add_node("unit:1:x", type="Unit", name="x", label="x", colour="red")
    g.add_node("task:d:1", type="Task", name="t", label="t")
    g.add_node("thing:1", type="Thing")
    g.add_edge("task:d:1", "unit:1:x", key="LEADS", type="LEADS")
    g.add_edge("unit:1:x", "task:d:1", key="LIKES", type="LIKES")
    report = contract.check(g)
    assert not report
    text = str(report)
    assert "unit:1:x: Unit attributes ['colour'] are not in the contract" in text
    assert "thing:1: node type 'Thing' is none of" in text
    assert "task:d:1 -LEADS-> unit:1:x: LEADS goes Task → Unit; allowed: Unit → Task" in text
    assert "edge type 'LIKES' is none of" in text


def test_the_graph_module_and_the_stores_take_their_types_from_the_contract():
    from kg import graph

    assert graph.NODE_TYPES == neo4j.NODE_TYPES == neo4jmap.NODE_TYPES == contract.NODE_TYPES == tuple(rdf.CLASSES)
    assert graph.EDGE_TYPES == neo4j.EDGE_TYPES == contract.EDGE_TYPES
    assert set(NODE_STYLE) == set(contract.NODES) and set(EDGE_STYLE) == set(contract.EDGES)


# ------------------------------------------------------------------ the mappings

@pytest.mark.parametrize("kind", [*contract.NODES, *contract.EDGES])
def test_the_rdf_mapping_maps_every_attribute_or_says_why_not(kind):
    every = (contract.NODES.get(kind) or contract.EDGES[kind]).every_attr
    for attr in every:
        predicate, why = rdfmap.mapping_of(kind, attr)
        assert why, (kind, attr)
        if predicate:
            prefix = predicate.split(":", 1)[0]
            assert prefix in rdf.PREFIXES, predicate


def test_an_attribute_outside_the_contract_has_no_rdf_mapping():
    with pytest.raises(KeyError):
        rdfmap.mapping_of("Task", "colour")


# ------------------------------------------------------------------ every projection

def _rdf_pairs(graph, fmt: str) -> set[tuple[str, str]]:
    """(subject IRI, predicate IRI) of every triple of an export, read back by rdflib."""
    import rdflib

    data = exports.export(graph, fmt).decode("utf-8")
    g = rdflib.Graph().parse(data=data, format={"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt])
    return {(str(s), str(p)) for s, p, _ in g}


def _iri(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return rdf.PREFIXES[prefix] + local


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # rdflib's JSON-LD parser uses ConjunctiveGraph
@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_every_attribute_a_node_holds_reaches_rdf_where_the_mapping_says(seed_graph, fmt):
    pairs = _rdf_pairs(seed_graph, fmt)
    missing = []
    for nid, a in seed_graph.nodes(data=True):
        subject = rdf.node_iri(nid)
        for attr, v in a.items():
            if not _present(v) or (attr == "aliases" and set(v) <= {a.get("name")}):
                continue                      # no other spelling than the name: no skos:altLabel
            predicate, _ = rdfmap.mapping_of(a["type"], attr)
            if predicate and predicate not in ("org:subOrganizationOf", "org:memberOf", "dcterms:spatial",
                                               "sdmx-dimension:refArea") and (subject, _iri(predicate)) not in pairs:
                missing.append((nid, attr, predicate))
    assert missing == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_every_edge_reaches_rdf_with_the_attributes_the_mapping_puts_on_its_source(seed_graph, fmt):
    pairs = _rdf_pairs(seed_graph, fmt)
    w = rdf._Writer()
    missing = []
    for u, v, a in seed_graph.edges(data=True):
        etype = a["type"]
        to_entity = v.startswith(rdf.ENTITY_PREFIX)
        pred, reverse = w.edge_pred(etype, seed_graph.nodes[u]["type"], "ProgressEntry" if to_entity else None)
        subject = rdf.node_iri(v if reverse else u)
        if (subject, pred[1:-1]) not in pairs:
            missing.append((u, etype, v))
        for attr, val in a.items():
            predicate, where = rdfmap.mapping_of(etype, attr)
            if _present(val) and predicate and where == "on the edge's source node":
                if (rdf.node_iri(u), _iri(predicate)) not in pairs:
                    missing.append((u, etype, attr))
    assert missing == []


def test_graph_json_gives_back_every_node_and_edge_with_its_attributes(seed_graph):
    back = loads(dumps(seed_graph))
    assert dict(back.nodes(data=True)) == dict(seed_graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True), key=repr) == sorted(seed_graph.edges(keys=True, data=True), key=repr)


def _expected_props(graph) -> dict[str, set[str]]:
    """Label or relationship type → the property names its attributes become."""
    want: dict[str, set[str]] = {}
    for _, a in graph.nodes(data=True):
        want.setdefault(a["type"], set()).update(neo4jmap.prop_name(k) for k, v in a.items()
                                                 if _present(v) and k not in ("type",))
    for *_, a in graph.edges(data=True):
        want.setdefault(a["type"], set()).update(neo4jmap.prop_name(k) for k, v in a.items()
                                                 if _present(v) and k not in ("type", "key"))
    return want


def test_the_neo4j_csv_export_has_a_column_for_every_attribute_the_graph_holds(seed_graph, tmp_path):
    exports.fill(seed_graph, "neo4j-csv", tmp_path)
    found: dict[str, set[str]] = {}
    for path in tmp_path.glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        kind = path.stem.split("_", 1)[1]                   # nodes_Task, rels_LEADS
        found.setdefault(kind, set()).update(h.split(":")[0] for h in header if h and not h.startswith(":"))
    for kind, props in _expected_props(seed_graph).items():
        assert props - found.get(kind, set()) - {"id"} == set(), kind


def test_the_cypher_script_sets_every_attribute_the_graph_holds(seed_graph):
    script = exports.export(seed_graph, "cypher").decode("utf-8")
    for kind, props in _expected_props(seed_graph).items():
        for prop in props:
            assert f"{prop}:" in script or f"`{prop}`:" in script, (kind, prop)


def test_the_json_ld_context_has_a_term_for_every_predicate_of_the_node_mapping():
    ctx = jsonld.context()
    ids = {(d if isinstance(d, str) else d["@id"]) for k, d in ctx.items() if not k.startswith("@")}
    for kind in contract.NODES:
        for attr in contract.NODES[kind].every_attr:
            predicate, _ = rdfmap.mapping_of(kind, attr)
            if predicate and predicate != "rdf:type":
                assert predicate in ids, (kind, attr, predicate)
    json.dumps(ctx)
