"""JSON-LD compacted under govkg's published context, and the registry of exports."""

from __future__ import annotations

import json

import pytest

from kg.errors import StoreError
from kg.stores import exports, jsonld, rdf
from tests.test_rdf import CL, small_graph


@pytest.fixture(scope="module")
def graph():
    return small_graph()


@pytest.fixture(scope="module")
def document(graph):
    return json.loads(jsonld.serialize(graph))


def test_the_published_context_file_is_the_one_the_mapping_makes():
    assert jsonld.CONTEXT_FILE.read_text(encoding="utf-8") == jsonld.context_document()


def test_every_predicate_the_mapping_writes_has_a_term_or_a_prefix(graph):
    ctx = jsonld.context()
    prefixes = {ns for k, ns in ctx.items() if isinstance(ns, str) and ns.startswith("http")}
    used = {q.predicate.value for q in rdf.to_store(graph)}
    assert {p for p in used if not any(p.startswith(ns) for ns in prefixes)} == set()
    terms = {(d if isinstance(d, str) else d["@id"]) for k, d in ctx.items() if not k.startswith("@")}
    assert {"gkg:leadUnit", "skos:prefLabel", "gkg:targetValue", "prov:wasAssociatedWith"} <= terms


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # rdflib's JSON-LD parser uses ConjunctiveGraph
def test_the_json_ld_loads_in_rdflib_to_the_triples_of_the_ntriples_export(graph):
    import rdflib

    data = jsonld.serialize(graph)
    from_jsonld = rdflib.Graph().parse(data=data.decode("utf-8"), format="json-ld")
    from_nt = rdflib.Graph().parse(data=rdf.serialize(graph, "ntriples").decode("utf-8"), format="nt")
    assert set(from_jsonld) == set(from_nt) and len(from_nt) > 500


def test_a_task_reads_as_plain_json_with_terms_relative_ids_and_chinese_strings(document):
    assert document["@context"] == jsonld.context()
    nodes = {n["@id"]: n for n in document["@graph"]}
    assert list(nodes) == sorted(nodes)
    task = nodes[f"task/{CL}/1"]
    assert task["@type"] == ["prov:Activity", "gkg:Task"]
    assert task["leadUnit"] == "unit/370113/区发展改革局"
    assert task["wasAssociatedWith"] == ["unit/370113/区发展改革局", "unit/370113/区财政局"]
    assert task["sourceSpan"] == f"task/{CL}/1#span"
    assert isinstance(task["seq"], int) and isinstance(task["numberInferred"], bool)
    unit = nodes["unit/370113/区发展改革局"]
    assert unit["prefLabel"] == "区发展改革局"
    indicator = nodes["indicator/370104/2025/地区生产总值"]
    assert indicator["targetValue"] == "5.7" and indicator["refPeriod"] == "2025"
    assert indicator["dataSet"] == "dataset/indicators"


def test_a_value_the_terms_coercion_does_not_fit_keeps_its_own_form():
    import pyoxigraph as ox

    c = jsonld._Compactor(jsonld.context())
    label = ox.NamedNode(rdf.PREFIXES["skos"] + "prefLabel")
    node = c.node(ox.NamedNode(rdf.ID + "unit/1/x"), [(label, ox.Literal("x", language="en")),
                                                       (label, ox.Literal("局", language="zh"))])
    assert node == {"@id": "unit/1/x", "prefLabel": "局", "skos:prefLabel": {"@value": "x", "@language": "en"}}


def test_the_cli_offers_every_registered_export_and_nothing_else():
    from kg.cli import export

    fmt = next(p for p in export.params if p.name == "fmt")
    assert list(fmt.type.choices) == list(exports.EXPORTS)


@pytest.mark.parametrize("name", [n for n, e in exports.EXPORTS.items() if not e.folder])
def test_every_file_export_writes_bytes_of_the_graph(graph, name):
    data = exports.export(graph, name)
    assert len(data) > 1000 and "区发展改革局".encode() in data


def test_an_unknown_export_or_the_wrong_kind_is_a_store_error(graph, tmp_path):
    with pytest.raises(StoreError, match="turtle, jsonld, ntriples, cypher, neo4j-csv"):
        exports.export(graph, "rdfxml")
    with pytest.raises(StoreError, match="writes a folder"):
        exports.export(graph, "neo4j-csv")
    with pytest.raises(StoreError, match="cannot be streamed"):
        list(exports.stream(tmp_path / "g.ttl", "jsonld"))
