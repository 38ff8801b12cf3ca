"""The browser view: selection, styling, an offline page, and document text kept as text."""

from __future__ import annotations

import json
import re

import pytest

from kg.errors import KgError

DISTRICTS = {"370102": "历下区", "370104": "槐荫区", "370113": "长清区"}


def small_graph(payload: str = ""):
    """A hand-made graph following kg/graph.py's contract; ``payload`` is appended to every name."""
    import networkx as nx

    g = nx.MultiDiGraph()

    def edge(u, v, k, **a):
        g.add_edge(u, v, key=k, type=k, **a)

    g.add_node("region:370000", type="Region", name="山东省", label="山东省", code="370000",
               level="province", parent=None)
    g.add_node("region:370100", type="Region", name="济南市", label="济南市", code="370100",
               level="city", parent="370000")
    edge("region:370100", "region:370000", "PART_OF")
    for code, region in DISTRICTS.items():
        rid, doc = f"region:{code}", f"d{code}"
        g.add_node(rid, type="Region", name=region, label=region, code=code, level="district",
                   parent="370100")
        edge(rid, "region:370100", "PART_OF")
        g.add_node(f"doc:{doc}", type="Document", name=f"{region}分工{payload}", label=doc, doc_id=doc,
                   path=f"{doc}.txt", title=f"{region}分工{payload}", region=region, year=2025,
                   kind="division")
        edge(f"doc:{doc}", rid, "IN_REGION")
        ndrc = f"unit:{code}:区发展改革局"
        aliases = ["区发展改革局", "区发改局"] + ([f"区发改局{payload}"] if payload else [])
        g.add_node(ndrc, type="Unit", name="区发展改革局", label="区发展改革局", region=region,
                   region_code=code, aliases=aliases, functions=["发展改革"], unit_kind="department")
        fin = f"unit:{code}:区财政局{payload}"
        g.add_node(fin, type="Unit", name=f"区财政局{payload}", label=f"区财政局{payload}", region=region,
                   region_code=code, aliases=[f"区财政局{payload}"], functions=["财政"],
                   unit_kind="department")
        for u in (ndrc, fin):
            edge(u, rid, "IN_REGION")
        for seq in (1, 2):
            tid = f"task:{doc}:{seq}"
            text = f"推进重点项目建设第{seq}项，做好投资工作{payload}"
            g.add_node(tid, type="Task", name=text, label=f"{seq} {text[:14]}", doc_id=doc, seq=seq,
                       number=str(seq), text=text, region=region, year=2025, section=None,
                       category=None, level=0, number_inferred=False, start=0, end=len(text),
                       quote=text, progress=None, next_steps=None)
            edge(tid, f"doc:{doc}", "FROM_DOCUMENT", doc_id=doc, start=0, end=len(text), quote=text)
            edge(ndrc if seq == 1 else fin, tid, "LEADS", role="lead", role_word="牵头单位",
                 as_written="区发改局" if seq == 1 else f"区财政局{payload}", doc_id=doc, start=0,
                 end=3, quote="区发改局")
            edge(fin if seq == 1 else ndrc, tid, "ASSISTS", role="assist", role_word="责任单位",
                 as_written=f"区财政局{payload}" if seq == 1 else "区发展改革局", doc_id=doc,
                 start=0, end=3, quote="区财政局")
    lid = "leader:370102:武毅"
    g.add_node(lid, type="Leader", name="武毅", label="武毅", region="历下区", region_code="370102",
               posts=["副区长"])
    edge(lid, "region:370102", "IN_REGION")
    edge(lid, "task:d370102:1", "OVERSEES", role_word="牵头领导", as_written="武毅", doc_id="d370102",
         start=0, end=2, quote="武毅")
    g.add_node("project:黄河大桥", type="Project", name=f"黄河大桥{payload}", label="黄河大桥",
               aliases=["黄河大桥"])
    edge("task:d370104:2", "project:黄河大桥", "MENTIONS", doc_id="d370104", start=0, end=4,
         quote="黄河大桥")
    return g


def _ids(net):
    return {n["id"] for n in net.nodes}


def test_whole_graph_draws_every_node_and_edge():
    from kg.view import network

    g = small_graph()
    net = network(g)
    assert (len(net.nodes), len(net.edges)) == (g.number_of_nodes(), g.number_of_edges())


def test_district_generic_unit_name_selects_each_districts_unit():
    from kg.view import network

    ids = _ids(network(small_graph(), unit="区发展改革局"))
    assert {i for i in ids if i.startswith("unit:")} == {f"unit:{c}:区发展改革局" for c in DISTRICTS}
    assert {i for i in ids if i.startswith("task:")} == {f"task:d{c}:{s}" for c in DISTRICTS for s in (1, 2)}
    assert "region:370104" in ids and "doc:d370104" in ids and "leader:370102:武毅" not in ids


def test_alias_and_region_narrow_the_unit():
    from kg.view import network

    ids = _ids(network(small_graph(), unit="区发改局", region="槐荫区"))
    assert {i for i in ids if i.startswith(("unit:", "task:"))} == {
        "unit:370104:区发展改革局", "task:d370104:1", "task:d370104:2"}


def test_function_selects_units_with_it_and_their_tasks():
    from kg.view import network

    ids = _ids(network(small_graph(), function="发展改革", depth=1))
    assert sum(i.startswith("unit:") for i in ids) == 3 and sum(i.startswith("task:") for i in ids) == 6


def test_leader_portfolio_at_depth_two_reaches_the_units():
    from kg.view import network

    assert _ids(network(small_graph(), leader="武毅", depth=1)) == {
        "leader:370102:武毅", "task:d370102:1", "region:370102", "doc:d370102"}
    ids = _ids(network(small_graph(), leader="武毅", depth=2))
    assert {"unit:370102:区发展改革局", "unit:370102:区财政局"} <= ids


def test_task_by_text_and_region_of_a_city_includes_its_districts():
    from kg.view import network

    ids = _ids(network(small_graph(), task="第2项", region="长清区"))
    assert {i for i in ids if i.startswith("task:")} == {"task:d370113:2"}
    assert len(network(small_graph(), region="济南市").nodes) == small_graph().number_of_nodes() - 1


@pytest.mark.parametrize("kwargs, message", [
    ({"unit": "区发改委"}, "no unit named '区发改委'; did you mean"),
    ({"function": "教育"}, "functions: 发展改革、财政"),
    ({"region": "市中区"}, "no region '市中区'"),
    ({"leader": "张三"}, "no leader named '张三'"),
    ({"max_nodes": 5}, "narrow it with --region"),
])
def test_unhelpful_selections_raise_with_what_to_do(kwargs, message):
    from kg.view import network

    with pytest.raises(KgError, match=re.escape(message)):
        network(small_graph(), **kwargs)


def test_styles_units_by_task_count_tasks_short_and_roles_apart():
    from kg.view import network

    net = network(small_graph())
    node = {n["id"]: n for n in net.nodes}
    edge = {e["id"]: e for e in net.edges}
    unit, task = node["unit:370104:区发展改革局"], node["task:d370104:1"]
    assert (unit["shape"], task["shape"]) == ("dot", "square")
    assert unit["size"] == 17.1                      # 10 + 5 * sqrt(2 tasks)
    assert task["label"] == "1 推进重点项目建设第1…"
    assert "全文：推进重点项目建设第1项，做好投资工作" in task["title"]
    lead = edge["unit:370104:区发展改革局|LEADS|task:d370104:1"]
    assist = edge["unit:370104:区财政局|ASSISTS|task:d370104:1"]
    assert (lead["dashes"], assist["dashes"]) == (False, True) and lead["color"] != assist["color"]
    assert ["原文称谓", "牵头单位：区发改局"] in [list(p) for p in lead["kg_details"]]
    assert dict(unit["kg_details"])["别名"] == "区发展改革局、区发改局"


def test_unit_size_grows_with_its_task_count():
    from kg.view import network

    g = small_graph()
    g.add_edge("unit:370104:区发展改革局", "task:d370113:1", key="LEADS", type="LEADS")
    node = {n["id"]: n for n in network(g).nodes}
    assert node["unit:370104:区发展改革局"]["size"] > node["unit:370113:区发展改革局"]["size"]


def test_page_is_offline_with_vis_inlined():
    from kg.view import render_html

    page = render_html(small_graph())
    assert re.findall(r"https?://", page, flags=re.I) == []
    tags = re.findall(r"<(?:script|link|img|iframe|object|embed)\b[^>]*>", page, flags=re.I)
    assert [t for t in tags if re.search(r"(?:src|href)=", t) and "data:" not in t] == []
    assert "vis-network" in page and "function(t,e){" in page and ".vis-network" in page
    assert page.count("<script") == 3 and page.count("</script>") == 3


def test_document_text_is_escaped_inside_the_json_block():
    from kg.view import render_html

    evil = "</script><script>window.__xss=1</script><img src=x onerror=alert(1)>\"'&\u2028"
    page = render_html(small_graph(evil))
    assert "<img" not in page and "window.__xss" not in page.split('id="kg-data">')[0]
    block = page.split('<script type="application/json" id="kg-data">')[1].split("</script>")[0]
    assert not re.search(r"[<>&\u2028\u2029]", block)
    data = json.loads(block)
    assert any(n["label"] == "区财政局" + evil for n in data["nodes"])


def test_title_of_the_page_is_escaped():
    from kg.view import render_html

    page = render_html(small_graph("<b>"), unit="区财政局<b>")
    assert "<title>govkg 责任网络 · 单位：区财政局&lt;b&gt;，深度 1</title>" in page


def test_placeholder_words_in_document_text_stay_text():
    from kg.view import render_html

    page = render_html(small_graph("@APP_JS@@VIS_JS@@DATA@"))
    block = page.split('<script type="application/json" id="kg-data">')[1].split("</script>")[0]
    data = json.loads(block)
    assert any(n["label"] == "区财政局@APP_JS@@VIS_JS@@DATA@" for n in data["nodes"])


def test_unit_named_with_its_region_in_front_is_that_regions_unit():
    from conftest import REPORTS
    from kg.build import build_graph
    from kg.view import network

    g = build_graph([REPORTS / "changqing-2025-division.txt", REPORTS / "lixia-2025-decomposition.txt"]).graph
    net = network(g, unit="长清区发展改革局")
    units = {n["id"] for n in net.nodes if n["kg_type"] == "Unit" and n["label"] == "区发展改革局"}
    assert units == {"unit:370113:区发展改革局"}
