"""RDF export, Oxigraph store and SHACL validation, on a small graph built by hand
following kg.graph's contract (and on the seed graph, once it builds)."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.errors import StoreError
from kg.stores import rdf, rdfmap, shacl

CL, LX, HY, JN = ("changqing-2025-division", "lixia-2025-decomposition",
                  "huaiyin-2025-progress-q1-q3", "jinan-2025-work-report")
HW = "huaiyin-2025-work-report"
WEIRD = '区"测试<局>} UNION { ?s ?p ?o } #'


def small_graph() -> nx.MultiDiGraph:
    """济南市 and three districts, five documents, units with aliases and functions,
    tasks with every role, leaders who oversee, targets, a project; a progress report
    whose two rows report on the two tasks of 槐荫区's work report (which names no units),
    a target behind schedule, and links across levels."""
    g = nx.MultiDiGraph()

    def node(nid, type_, **a):
        a.setdefault("name", nid)
        g.add_node(nid, type=type_, label=a["name"][:20], **a)

    def edge(u, v, type_, **a):
        g.add_edge(u, v, key=type_, type=type_, **a)

    node("region:370100", "Region", name="济南市", code="370100", level="city", parent="370000")
    districts = {"370113": "长清区", "370102": "历下区", "370104": "槐荫区"}
    for code, name in districts.items():
        node(f"region:{code}", "Region", name=name, code=code, level="district", parent="370100")
        edge(f"region:{code}", "region:370100", "PART_OF")
    docs = {CL: ("370113", "division"), LX: ("370102", "decomposition"),
            HY: ("370104", "progress"), HW: ("370104", "work-report"), JN: ("370100", "work-report")}
    for doc_id, (code, kind) in docs.items():
        node(f"doc:{doc_id}", "Document", name=doc_id, doc_id=doc_id, path=f"data/reports/{doc_id}.txt",
             title=f"{doc_id} 标题", region=districts.get(code, "济南市"), year=2025, kind=kind, layout=kind,
             fit=0.9,
             encoding="utf-8", date="2025-01-10" if kind == "work-report" else None)
        edge(f"doc:{doc_id}", f"region:{code}", "IN_REGION")

    def unit(code, name, aliases=(), functions=()):
        uid = f"unit:{code}:{name}"
        node(uid, "Unit", name=name, region=districts.get(code, "济南市"), region_code=code,
             aliases=[name, *aliases], functions=list(functions), unit_kind="department")
        edge(uid, f"region:{code}", "IN_REGION")
        return uid

    u = {
        "cl_fg": unit("370113", "区发展改革局", ["区发改局"], ["发展改革"]),
        "cl_cz": unit("370113", "区财政局", [], ["财政"]),
        "cl_sp": unit("370113", "区行政审批服务局", [], ["行政审批"]),
        "cl_wc": unit("370113", "文昌街道"),
        "cl_wd": unit("370113", WEIRD),
        "lx_fg": unit("370102", "区发展改革局", ["区发改局"], ["发展改革"]),
        "lx_gx": unit("370102", "区工业和信息化局", [], ["工业和信息化"]),
        "hy_fg": unit("370104", "区发展改革局", [], ["发展改革"]),
        "hy_cz": unit("370104", "区财政局", [], ["财政"]),
    }
    role_word = {"lead": "牵头单位", "assist": "责任单位", "responsible": "责任单位"}
    edge_type = {"lead": "LEADS", "assist": "ASSISTS", "responsible": "RESPONSIBLE_FOR"}
    tasks = {
        (CL, 1): ("1", "推进重大项目建设。", [("cl_fg", "lead"), ("cl_cz", "assist")]),
        (CL, 2): ("2", "深化财政体制改革。", [("cl_cz", "lead"), ("cl_fg", "assist"), ("cl_wd", "lead")]),
        (CL, 3): ("3", "优化营商环境。", [("cl_fg", "lead"), ("cl_sp", "lead"), ("cl_wc", "assist")]),
        (LX, 1): (None, "地区生产总值增长5.6%。", [("lx_fg", "lead")]),
        (LX, 2): (None, "建设数字经济产业园。", [("lx_gx", "lead"), ("lx_fg", "assist")]),
        (HW, 1): (None, "地区生产总值增长5.7%", []),
        (HW, 2): (None, "一般公共预算收入增长3%", []),
        (JN, 1): (None, "地区生产总值增长5.5%左右。", []),
    }
    for (doc_id, seq), (number, text, roles) in tasks.items():
        tid = f"task:{doc_id}:{seq}"
        start = 100 * seq
        node(tid, "Task", name=text[:10], doc_id=doc_id, seq=seq, number=number, text=text,
             region=districts.get(docs[doc_id][0], "济南市"), year=2025, level=0, number_inferred=False,
             start=start, end=start + len(text), quote=text)
        edge(tid, f"doc:{doc_id}", "FROM_DOCUMENT")
        for key, role in roles:
            name = g.nodes[u[key]]["name"]
            edge(u[key], tid, edge_type[role], role=role, role_word=role_word[role], as_written=name,
                 doc_id=doc_id, start=start + 50, end=start + 50 + len(name), quote=name)
    # The progress report's rows: ProgressEntry nodes reporting on 槐荫区's work-report tasks.
    rows = {1: ("地区生产总值增长5.7%", "hy_fg", "完成地区生产总值增速5.4%", "unknown", None, 1.0, "main-target"),
            2: ("一般公共预算收入增长3%", "hy_cz", "收入增长0.87%，项目已完工", "done", "已完工", 0.8125, "text")}
    for seq, (text, key, progress, status, word, score, method) in rows.items():
        eid, start = f"progress:{HY}:{seq}", 100 * seq
        node(eid, "ProgressEntry", name=text, doc_id=HY, seq=seq, number=str(seq), text=text, region="槐荫区",
             year=2025, level=0, number_inferred=False, period="2025年1-9月", elapsed=0.75,
             progress=progress, next_steps="继续推进", status=status, status_word=word,
             start=start, end=start + len(text), quote=text)
        edge(eid, f"doc:{HY}", "FROM_DOCUMENT")
        name = g.nodes[u[key]]["name"]
        span = dict(doc_id=HY, start=start + 50, end=start + 50 + len(name), quote=name)
        edge(u[key], eid, "REPORTED_BY", role="responsible", role_word="责任单位", as_written=name, **span)
        edge(eid, f"task:{HW}:{seq}", "REPORTS_ON", score=score, method=method, second=0.25)
        edge(u[key], f"task:{HW}:{seq}", "RESPONSIBLE_FOR", role="responsible", role_word="责任单位",
             as_written=name, via=eid, **span)
    # A leader who oversees two tasks, and the mayor who delivered the city's report.
    node("leader:370102:武毅", "Leader", name="武毅", region="历下区", region_code="370102", posts=[])
    edge("leader:370102:武毅", "region:370102", "IN_REGION")
    for seq in (1, 2):
        edge("leader:370102:武毅", f"task:{LX}:{seq}", "OVERSEES", role_word="牵头领导", as_written="武毅",
             doc_id=LX, start=100 * seq + 80, end=100 * seq + 82, quote="武毅")
    node("leader:370113:王强", "Leader", name="王强", region="长清区", region_code="370113", posts=["副区长"])
    edge("leader:370113:王强", "region:370113", "IN_REGION")
    edge("leader:370113:王强", f"task:{CL}:3", "OVERSEES", role_word="牵头领导", as_written="王强",
         doc_id=CL, start=380, end=382, quote="王强")
    node("leader:370100:于海田", "Leader", name="于海田", region="济南市", region_code="370100", posts=["市长"])
    edge("leader:370100:于海田", "region:370100", "IN_REGION")
    edge("leader:370100:于海田", f"doc:{JN}", "DELIVERED")
    # Targets: GDP in the city and two districts; one more city target.
    targets = [
        ("370100", JN, "地区生产总值", dict(target=5.5, qualifier="左右"), (JN, 1)),
        ("370100", JN, "一般公共预算收入", dict(target=3.0), None),
        ("370102", LX, "地区生产总值", dict(target=5.6, stretch=6.0), (LX, 1)),
        ("370104", HW, "地区生产总值", dict(target=5.7, actual=5.4, actual_unit="%", period="2025年1-9月",
                                           status="behind", status_rule="growth-behind", elapsed=0.75), (HW, 1)),
    ]
    for code, doc_id, metric, values, task in targets:
        iid = f"indicator:{code}:2025:{metric}"
        text = f"{metric}增长{values['target']}%"
        node(iid, "Indicator", name=metric, metric=metric, region=districts.get(code, "济南市"), year=2025,
             kind="growth",
             unit="%", direction="up", main=True, doc_id=doc_id, start=10, end=10 + len(text), quote=text,
             **values)
        edge(iid, f"region:{code}", "IN_REGION")
        edge(f"region:{code}", iid, "HAS_TARGET")
        if task:
            edge(f"task:{task[0]}:{task[1]}", iid, "HAS_TARGET")
    node("project:数字经济产业园", "Project", name="数字经济产业园", aliases=["数字经济产业园", "数字经济产业园区"],
         joins=["数字经济产业园 = 数字经济产业园区 (contains)"])
    edge(f"task:{LX}:2", "project:数字经济产业园", "MENTIONS", how="extracted")
    edge(f"task:{JN}:1", "project:数字经济产业园", "MENTIONS", how="text")
    # Across levels: the districts' GDP targets and the city's, a district task carrying out a city task.
    edge(f"progress:{HY}:1", "indicator:370104:2025:地区生产总值", "STATES_ACTUAL", doc_id=HY, start=150,
         end=158, quote="增速5.4%")
    for code in ("370102", "370104"):
        edge(f"indicator:{code}:2025:地区生产总值", "indicator:370100:2025:地区生产总值", "SAME_METRIC",
             metric="地区生产总值", year=2025, comparable=True)
    edge(f"task:{HW}:1", f"task:{JN}:1", "CARRIES_OUT", score=0.52, method="metric", evidence="地区生产总值")
    return g


@pytest.fixture(scope="module")
def graph():
    return small_graph()


# ------------------------------------------------------------------ IRIs

@pytest.mark.parametrize("node_id, iri", [
    ("region:370104", "https://w3id.org/govkg/id/region/370104"),
    ("unit:370113:区发展改革局", "https://w3id.org/govkg/id/unit/370113/区发展改革局"),
    ("task:changqing-2025-division:7", "https://w3id.org/govkg/id/task/changqing-2025-division/7"),
    ("unit:370113:区委（区政府）办公室", "https://w3id.org/govkg/id/unit/370113/区委（区政府）办公室"),
    ("project:a b/c#d%", "https://w3id.org/govkg/id/project/a%20b%2Fc%23d%25"),
    ("unit:370113:" + WEIRD,
     "https://w3id.org/govkg/id/unit/370113/区%22测试%3C局%3E%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23"),
    ("unit:370113:区\u3000财政局", "https://w3id.org/govkg/id/unit/370113/区%E3%80%80财政局"),
])
def test_node_iris_are_readable_and_percent_encode_only_what_iris_need(node_id, iri):
    assert rdf.node_iri(node_id) == iri
    assert rdfmap.node_id_of(iri) == node_id


# ------------------------------------------------------------------ the mapping

def _store_triples(graph):
    store = rdf.to_store(graph)
    return store, {(q.subject.value, q.predicate.value, q.object.value) for q in store}


def test_units_are_org_units_of_their_region_with_labels_and_functional_category(graph):
    _, triples = _store_triples(graph)
    u = rdf.node_iri("unit:370113:区发展改革局")
    skos, org = rdf.PREFIXES["skos"], rdf.PREFIXES["org"]
    assert (u, rdf.PREFIXES["rdf"] + "type", org + "OrganizationalUnit") in triples
    assert (u, skos + "prefLabel", "区发展改革局") in triples
    assert (u, skos + "altLabel", "区发改局") in triples
    assert (u, org + "subOrganizationOf", rdf.node_iri("region:370113")) in triples
    assert (u, org + "classification", rdf.ID + "function/发展改革") in triples
    assert (rdf.node_iri("region:370113"), org + "subOrganizationOf", rdf.node_iri("region:370100")) in triples


def test_a_role_is_a_prov_association_with_role_role_word_and_exact_span(graph):
    store, _ = _store_triples(graph)
    q = """
    PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#>
    PREFIX gkg: <https://w3id.org/govkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?role ?word ?written ?doc ?start ?end ?exact WHERE {
      <https://w3id.org/govkg/id/task/changqing-2025-division/1> gkg:leadUnit ?u ;
          prov:qualifiedAssociation ?a .
      ?a prov:agent ?u ; prov:hadRole/skos:notation ?role ; gkg:roleWord/skos:prefLabel ?word ;
         gkg:asWritten ?written ; gkg:sourceSpan ?s .
      ?s oa:hasSource/gkg:docId ?doc ; oa:hasSelector ?p , ?qs .
      ?p oa:start ?start ; oa:end ?end . ?qs oa:exact ?exact . }"""
    rows = [tuple(r[i].value for i in range(7)) for r in store.query(q)]
    assert rows == [("lead", "牵头单位", "区发展改革局", CL, "150", "156", "区发展改革局")]


def test_task_provenance_is_the_document_and_its_exact_span(graph):
    store, triples = _store_triples(graph)
    t = rdf.node_iri(f"task:{CL}:2")
    oa, prov = rdf.PREFIXES["oa"], rdf.PREFIXES["prov"]
    assert (t, prov + "wasDerivedFrom", rdf.node_iri(f"doc:{CL}")) in triples
    assert (t + "#position", oa + "start", "200") in triples
    assert (t + "#position", oa + "end", str(200 + len("深化财政体制改革。"))) in triples
    assert (t + "#quote", oa + "exact", "深化财政体制改革。") in triples


def test_indicators_are_data_cube_observations(graph):
    _, triples = _store_triples(graph)
    i = rdf.node_iri("indicator:370104:2025:地区生产总值")
    P = rdf.PREFIXES
    assert (i, P["rdf"] + "type", P["qb"] + "Observation") in triples
    assert (i, P["sdmx-dimension"] + "refArea", rdf.node_iri("region:370104")) in triples
    assert (i, P["sdmx-dimension"] + "refPeriod", "2025") in triples
    assert (i, rdfmap.GKG + "targetValue", "5.7") in triples
    assert (i, rdfmap.GKG + "actualValue", "5.4") in triples
    assert (i, P["sdmx-attribute"] + "unitMeasure", rdf.ID + "uom/%25") in triples
    assert (i, rdfmap.GKG + "metric", rdf.ID + "metric/地区生产总值") in triples
    assert (i, P["qb"] + "dataSet", rdf.DATASET) in triples


def test_the_indicators_dataset_has_its_structure_with_every_dimension_the_observations_have(graph):
    store, triples = _store_triples(graph)
    P = rdf.PREFIXES
    assert (rdf.DATASET, P["rdf"] + "type", P["qb"] + "DataSet") in triples
    assert (rdf.DATASET, P["qb"] + "structure", rdf.STRUCTURE) in triples
    q = """PREFIX qb: <http://purl.org/linked-data/cube#>
    SELECT ?kind ?prop ?order WHERE { ?dsd qb:component ?c . ?c ?kind ?prop ; qb:order ?order .
      FILTER(?kind IN (qb:dimension, qb:measure, qb:attribute)) } ORDER BY ?order"""
    rows = [(r["kind"].value.rsplit("#", 1)[1], r["prop"].value) for r in store.query(q)]
    assert rows[:4] == [("dimension", P["sdmx-dimension"] + "refArea"), ("dimension", P["sdmx-dimension"] + "refPeriod"),
                        ("dimension", rdfmap.GKG + "metric"), ("measure", rdfmap.GKG + "targetValue")]
    # Data Cube IC-1 and IC-11: each observation is in one data set and has every dimension.
    q = """PREFIX qb: <http://purl.org/linked-data/cube#>
    SELECT (COUNT(?o) AS ?n) WHERE { ?o a qb:Observation .
      FILTER(NOT EXISTS { ?o qb:dataSet ?ds . ?ds qb:structure/qb:component/qb:dimension ?dim }
             || EXISTS { ?o qb:dataSet/qb:structure/qb:component/qb:dimension ?dim FILTER NOT EXISTS { ?o ?dim ?v } }) }"""
    assert next(iter(store.query(q)))["n"].value == "0"


def test_who_is_responsible_is_a_plain_prov_association_too(graph):
    store, _ = _store_triples(graph)
    q = """PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?task ?agent WHERE { ?task prov:wasAssociatedWith ?agent }"""
    plain = {(r["task"].value, r["agent"].value) for r in store.query(q)}
    q = """PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?task ?agent WHERE { ?task prov:qualifiedAssociation/prov:agent ?agent }"""
    qualified = {(r["task"].value, r["agent"].value) for r in store.query(q)}
    assert plain == qualified and (rdf.node_iri(f"task:{CL}:1"), rdf.node_iri("unit:370113:区发展改革局")) in plain
    q = """PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?e ?agent WHERE { ?e prov:wasAttributedTo ?agent }"""
    attributed = {(r["e"].value, r["agent"].value) for r in store.query(q)}
    q = """PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?e ?agent WHERE { ?e prov:qualifiedAttribution/prov:agent ?agent }"""
    assert attributed == {(r["e"].value, r["agent"].value) for r in store.query(q)} != set()


def test_a_progress_row_is_an_entity_reporting_on_its_task_attributed_to_its_unit(graph):
    store, triples = _store_triples(graph)
    P, G = rdf.PREFIXES, rdfmap.GKG
    e, t = rdf.node_iri(f"progress:{HY}:1"), rdf.node_iri(f"task:{HW}:1")
    unit = rdf.node_iri("unit:370104:区发展改革局")
    assert (e, P["rdf"] + "type", G + "ProgressEntry") in triples
    assert (e, P["rdf"] + "type", P["prov"] + "Entity") in triples
    assert (e, P["rdf"] + "type", P["prov"] + "Activity") not in triples
    assert (e, G + "reportsOn", t) in triples
    assert (e, G + "linkScore", "1") in triples and (e, G + "linkMethod", "main-target") in triples
    assert (e, G + "reportedBy", unit) in triples
    assert (e, G + "statesActual", rdf.node_iri("indicator:370104:2025:地区生产总值")) in triples
    assert (e, P["prov"] + "wasDerivedFrom", rdf.node_iri(f"doc:{HY}")) in triples
    q = """
    PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#>
    PREFIX gkg: <https://w3id.org/govkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?kind ?role ?written ?doc ?via WHERE {
      { <%(e)s> prov:qualifiedAttribution ?a . BIND("attribution" AS ?kind) }
      UNION
      { <%(t)s> prov:qualifiedAssociation ?a . ?a gkg:via ?via . BIND("association" AS ?kind) }
      ?a prov:agent <%(u)s> ; prov:hadRole/skos:notation ?role ; gkg:asWritten ?written ;
         gkg:sourceSpan/oa:hasSource/gkg:docId ?doc . } ORDER BY ?kind""" % {"e": e, "t": t, "u": unit}
    rows = [tuple(r[i].value if r[i] is not None else None for i in range(5)) for r in store.query(q)]
    assert rows == [("association", "responsible", "区发展改革局", HY, e),
                    ("attribution", "responsible", "区发展改革局", HY, None)]


def test_statuses_and_links_across_levels(graph):
    _, triples = _store_triples(graph)
    G = rdfmap.GKG
    i = rdf.node_iri("indicator:370104:2025:地区生产总值")
    assert (i, G + "status", "behind") in triples and (i, G + "statusRule", "growth-behind") in triples
    assert (i, G + "sameMetricAs", rdf.node_iri("indicator:370100:2025:地区生产总值")) in triples
    assert (i, G + "comparableUpward", "true") in triples
    lo, up = rdf.node_iri(f"task:{HW}:1"), rdf.node_iri(f"task:{JN}:1")
    qual = f"{lo}/carriesOut/task/{JN}/1"
    assert (lo, G + "carriesOut", up) in triples and (lo, G + "qualifiedCarriesOut", qual) in triples
    assert {(p, o) for s_, p, o in triples if s_ == qual} == {
        (rdf.PREFIXES["rdf"] + "type", G + "Correspondence"), (G + "cityTask", up), (G + "linkScore", "0.52"),
        (G + "linkMethod", "metric"), (G + "evidence", "地区生产总值")}
    p = rdf.node_iri("project:数字经济产业园")
    assert (p, G + "joinedBecause", "数字经济产业园 = 数字经济产业园区 (contains)") in triples


def test_leader_holds_a_post_and_created_the_report(graph):
    _, triples = _store_triples(graph)
    P = rdf.PREFIXES
    leader, post = rdf.node_iri("leader:370100:于海田"), rdf.ID + "post/370100/市长"
    assert (leader, P["org"] + "holds", post) in triples
    assert (post, P["org"] + "postIn", rdf.node_iri("region:370100")) in triples
    assert (rdf.node_iri(f"doc:{JN}"), P["dcterms"] + "creator", leader) in triples


def test_concept_schemes_come_from_the_data_files(graph):
    _, triples = _store_triples(graph)
    skos = rdf.PREFIXES["skos"]
    assert (rdf.ID + "role-word/配合单位", skos + "inScheme", rdf.ID + "scheme/role-word") in triples
    assert (rdf.ID + "role/responsible", skos + "notation", "responsible") in triples
    assert (rdf.ID + "function/财政", skos + "inScheme", rdf.ID + "scheme/function") in triples


def test_an_unknown_node_type_is_a_store_error():
    g = nx.MultiDiGraph()
    g.add_node("x:1", type="Thing")
    with pytest.raises(StoreError, match="Thing"):
        rdf.to_store(g)


# ------------------------------------------------------------------ files

@pytest.mark.parametrize("fmt, rdflib_format, ox_format", [
    ("turtle", "turtle", "TURTLE"), ("ntriples", "nt", "N_TRIPLES"),
])
def test_exports_load_into_rdflib_and_oxigraph_with_the_same_triple_count(graph, fmt, rdflib_format, ox_format):
    import pyoxigraph as ox
    import rdflib

    expected = len(rdf.to_store(graph))
    data = rdf.serialize(graph, fmt)
    g = rdflib.Graph().parse(data=data.decode("utf-8"), format=rdflib_format)
    store = ox.Store()
    store.load(data, getattr(ox.RdfFormat, ox_format))
    assert len(g) == len(store) == expected > 500


def test_serialize_rejects_an_unknown_format(graph):
    with pytest.raises(StoreError, match="turtle, ntriples"):
        rdf.serialize(graph, "rdfxml")


def test_the_ontology_and_shapes_parse():
    import rdflib

    onto = rdflib.Graph().parse(rdfmap.ONTOLOGY, format="turtle")
    shapes = rdflib.Graph().parse(shacl.SHAPES, format="turtle")
    assert len(onto) > 100 and len(shapes) > 100


def test_every_gkg_term_the_export_uses_is_declared_in_the_ontology(graph):
    import rdflib

    onto = rdflib.Graph().parse(rdfmap.ONTOLOGY, format="turtle")
    declared = {str(s) for s in onto.subjects() if str(s).startswith(rdfmap.GKG)}
    used = {q.predicate.value for q in rdf.to_store(graph) if q.predicate.value.startswith(rdfmap.GKG)}
    used |= {q.object.value for q in rdf.to_store(graph) if q.object.value.startswith(rdfmap.GKG)}
    assert used - declared == set()


# ------------------------------------------------------------------ SHACL

def test_a_good_graph_conforms(graph):
    result = shacl.validate(graph)
    assert result.violations == ()
    assert result.conforms


def test_a_broken_graph_reports_readable_violations(graph):
    g = graph.copy()
    uid = "unit:370113:区财政局"
    g.remove_edge(uid, "region:370113", key="IN_REGION")           # a unit without region
    g.nodes[f"task:{CL}:3"].pop("start")                              # a task without its span
    g.add_edge(uid, f"doc:{CL}", key="LEADS", type="LEADS", role="lead")  # LEADS to a document
    g.nodes["indicator:370102:2025:地区生产总值"].pop("metric")       # an indicator without metric
    g.add_edge(f"progress:{HY}:2", f"doc:{HY}", key="REPORTS_ON", type="REPORTS_ON")  # a row on a document
    result = shacl.validate(g)
    assert not result.conforms
    got = {(v.focus, v.path, v.message) for v in result.violations}
    assert got == {
        ("unit:370113:区财政局", "org:subOrganizationOf", "every unit belongs to one region (org:subOrganizationOf)"),
        (f"task:{CL}:3", "gkg:sourceSpan", "every task has exactly one source span (gkg:sourceSpan)"),
        (f"doc:{CL}", "", "LEADS / ASSISTS / RESPONSIBLE_FOR / OVERSEES must end at a gkg:Task"),
        ("indicator:370102:2025:地区生产总值", "gkg:metric", "every indicator has one metric (gkg:metric)"),
        (f"progress:{HY}:2", "gkg:reportsOn", "a progress entry reports on (REPORTS_ON) at most one gkg:Task"),
    }
    assert "violation(s):" in str(result) and "unit:370113:区财政局 org:subOrganizationOf" in str(result)


# ------------------------------------------------------------------ the seed graph

def test_seed_graph_exports_and_conforms(seed_graph):
    import rdflib

    data = rdf.serialize(seed_graph, "turtle")
    assert len(rdflib.Graph().parse(data=data.decode("utf-8"), format="turtle")) == len(rdf.to_store(seed_graph))
    result = shacl.validate(seed_graph)
    assert result.conforms, str(result)


# ---------------------------------------------------------------- Turtle written directly, in parts

def _turtle_triples(data: bytes) -> set:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(data, format=ox.RdfFormat.TURTLE)
    return {(q.subject, q.predicate, q.object) for q in store}


def _memory_triples(graph) -> set:
    return {(q.subject, q.predicate, q.object) for q in rdf.to_store(graph)}


def test_streamed_turtle_is_byte_identical_for_the_same_graph_and_holds_the_store_triples(graph):
    first = b"".join(rdf.serialize_chunks(graph, "turtle"))
    assert first == b"".join(rdf.serialize_chunks(graph, "turtle"))
    assert first.startswith(rdf.turtle_header().encode())
    assert _turtle_triples(first) == _memory_triples(graph)


def test_turtle_writes_a_subjects_consecutive_triples_as_one_statement_with_short_terms(graph):
    text = b"".join(rdf.serialize_chunks(graph, "turtle")).decode()
    uid = rdf.node_iri("unit:370113:区财政局")[len(rdf.ID):]          # relative to @base
    start = text.index(f"<{uid}> a gkg:Unit ;\n")
    statement = text[start:text.index(" .\n", start)]
    assert "\n    a org:OrganizationalUnit ;\n" in statement
    assert '\n    skos:prefLabel "区财政局"@zh' in statement
    assert "gkg:seq 1 ;" in text and '"0.9"^^xsd:decimal' in text and "gkg:main true" in text


def test_our_iris_are_written_relative_to_the_base_and_no_literal_can_hold_one(graph):
    text = b"".join(rdf.serialize_chunks(graph, "turtle")).decode()
    assert text.startswith(f"@base <{rdf.ID}> .\n") and f"<{rdf.ID}" not in text.split("\n", 1)[1]
    assert rdf._quote(f"<{rdf.ID}unit/x>") == '"\\u003C' + rdf.ID + 'unit/x>"'


def test_the_turtle_header_is_left_out_on_request_and_parts_join_after_one_header(graph):
    body = b"".join(rdf.serialize_chunks(graph, "turtle", header=False))
    assert not body.startswith(b"@prefix") and not body.startswith(b"@base")
    assert rdf.turtle_header().encode() + body == b"".join(rdf.serialize_chunks(graph, "turtle"))


def test_a_sub_graph_whose_edges_end_at_nodes_of_another_part_writes_the_edges(graph):
    """A bare edge end (a Region written elsewhere) is not written; the edge is."""
    sub = nx.MultiDiGraph()
    uid = "unit:370113:区财政局"
    sub.add_node(uid, **graph.nodes[uid])
    sub.add_edge(uid, "region:370113", key="IN_REGION", type="IN_REGION")
    triples = _turtle_triples(b"".join(rdf.serialize_chunks(sub, "turtle")))
    subjects = {s.value for s, _p, _o in triples}
    assert rdf.node_iri("region:370113") not in subjects
    assert any(p.value == rdf.PREFIXES["org"] + "subOrganizationOf" and o.value == rdf.node_iri("region:370113")
               for s, p, o in triples if s.value == rdf.node_iri(uid))


def test_parts_and_the_shared_part_hold_the_graphs_triples_each_once(graph):
    """Parts (families: linked only through Region and Project nodes, as kg.shards makes
    them) plus the global part (Region, Project nodes and every concept): together the
    same triples as the whole graph, none written twice."""
    import pyoxigraph as ox

    shared = {n for n, d in graph.nodes(data=True) if d["type"] in ("Region", "Project")}
    families = list(nx.weakly_connected_components(graph.subgraph(set(graph) - shared)))
    assert len(families) >= 2
    parts, concepts = [], set()
    for family in families:
        text, named = rdf.serialize_part(graph.subgraph(family | shared), lambda n, f=family: n in f)
        assert not text.startswith(b"@prefix") and b"skos:Concept" not in text
        parts.append(text)
        concepts.update(named)
    g = graph.subgraph(shared)
    parts.append(rdf.serialize_shared(g, concepts))
    store = ox.Store()
    for n, text in enumerate(parts):
        store.load(rdf.turtle_header().encode() + text, format=ox.RdfFormat.TURTLE,
                   to_graph=ox.NamedNode(f"urn:part:{n}"))
    quads = [(q.subject, q.predicate, q.object) for q in store]
    assert len(quads) == len(set(quads))
    assert set(quads) == _memory_triples(graph)


def test_the_ntriples_export_holds_the_same_triples_as_the_turtle(graph):
    nt = rdf.serialize(graph, "ntriples")
    assert _turtle_triples(nt) == _turtle_triples(rdf.serialize(graph, "turtle"))
