"""Neo4j loader, exports and canned Cypher queries, against a real Bolt server.

The server is ArcadeDB's Bolt plugin (arcadedb-embedded bundles its own JRE),
started by tests/bolt_server.py in its own process on loopback with free ports.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import QueryError, StoreError
from kg import contract
from kg.stores import cypher as cypher_text
from kg.stores import neo4j_export, neo4jmap
from kg.stores import neo4j as store
from kg.stores.neo4j import Neo4jSettings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bolt_server  # noqa: E402  (tests/ is not a package)

CYPHER = HERE.parent / "queries" / "cypher"
DATABASE = "govkg"
CL = "changqing-2025-division"
LX = "lixia-2025-decomposition"
# Quotes, braces, a comment, a parameter sigil and a whole clause: must stay one literal name.
# (No spaces: kg.queries drops whitespace from unit names before binding them.)
WEIRD = "区\"测试'})MATCH(n)DETACH/**/DELETE(n)//局{x}$unit"


# --------------------------------------------------------------------------- a graph by hand

def hand_graph(docs=(CL, LX)) -> nx.MultiDiGraph:
    """A small graph that follows kg.graph's contract; ``docs`` picks the documents."""
    g = nx.MultiDiGraph()

    def node(nid, type_, **a):
        g.add_node(nid, type=type_, label=a.get("name", nid), **a)

    def edge(u, v, type_, **a):
        g.add_edge(u, v, key=type_, type=type_, **a)

    node("region:370000", "Region", name="山东省", code="370000", level="province")
    node("region:370100", "Region", name="济南市", code="370100", level="city", parent="370000")
    edge("region:370100", "region:370000", "PART_OF")
    node("doc:jinan-2025-work-report", "Document", name="政府工作报告", doc_id="jinan-2025-work-report",
         path="data/reports/jinan-2025-work-report.txt", region="济南市", year=2025, kind="work-report")
    edge("doc:jinan-2025-work-report", "region:370100", "IN_REGION")
    node("indicator:370100:2025:地区生产总值", "Indicator", name="地区生产总值", metric="地区生产总值",
         region="济南市", year=2025, kind="growth", target=5.5, unit="%", qualifier="左右", main=True,
         direction="up", doc_id="jinan-2025-work-report", start=10, end=20, quote="地区生产总值增长5.5%左右")
    edge("region:370100", "indicator:370100:2025:地区生产总值", "HAS_TARGET")
    if CL in docs:
        node("region:370113", "Region", name="长清区", code="370113", level="district", parent="370100")
        edge("region:370113", "region:370100", "PART_OF")
        node(f"doc:{CL}", "Document", name="长清区2025年责任分工", doc_id=CL, path=f"data/reports/{CL}.txt",
             region="长清区", year=2025, kind="division", layout="role-markers", fit=0.9)
        edge(f"doc:{CL}", "region:370113", "IN_REGION")
        units = {
            "fg": ("unit:370113:区发展改革局", "区发展改革局", ["区发展改革局", "区发改局"], ["发展改革"]),
            "cz": ("unit:370113:区财政局", "区财政局", ["区财政局"], ["财政"]),
            "wd": (f"unit:370113:{WEIRD}", WEIRD, [WEIRD], None),
        }
        for uid, name, aliases, functions in units.values():
            node(uid, "Unit", name=name, region="长清区", region_code="370113", aliases=aliases,
                 functions=functions, unit_kind="department")
            edge(uid, "region:370113", "IN_REGION")
        tasks = {
            1: ("1", "推进重大项目建设，完成投资100亿元。", [("fg", "lead"), ("cz", "assist"), ("wd", "assist")]),
            2: ("2", "深化财政体制改革。", [("cz", "lead"), ("fg", "assist")]),
            3: ("3", "优化营商环境。", [("fg", "lead"), ("wd", "lead")]),
        }
        for seq, (number, text, roles) in tasks.items():
            tid = f"task:{CL}:{seq}"
            node(tid, "Task", name=text, doc_id=CL, seq=seq, number=number, text=text, region="长清区",
                 year=2025, level=0, number_inferred=False, start=100 * seq, end=100 * seq + len(text),
                 quote=text)
            edge(tid, f"doc:{CL}", "FROM_DOCUMENT")
            for key, role in roles:
                rtype = {"lead": "LEADS", "assist": "ASSISTS"}[role]
                name = units[key][1]
                edge(units[key][0], tid, rtype, role=role, role_word="牵头单位" if role == "lead" else "责任单位",
                     as_written=name, doc_id=CL, start=100 * seq + 50, end=100 * seq + 50 + len(name),
                     quote=name)
        node("project:长清大学城", "Project", name="长清大学城", aliases=["长清大学城"])
        edge(f"task:{CL}:1", "project:长清大学城", "MENTIONS", doc_id=CL, start=105, end=110, quote="长清大学城")
        node("indicator:370113:2025:地区生产总值", "Indicator", name="地区生产总值", metric="地区生产总值",
             region="长清区", year=2025, kind="growth", target=6.0, unit="%", qualifier="以上", stretch=6.5,
             main=True, direction="up", doc_id=CL, start=5, end=15, quote="地区生产总值增长6%以上")
        edge("region:370113", "indicator:370113:2025:地区生产总值", "HAS_TARGET")
        edge(f"task:{CL}:1", "indicator:370113:2025:地区生产总值", "HAS_TARGET")
        edge("indicator:370113:2025:地区生产总值", "region:370113", "IN_REGION")
    if LX in docs:
        node("region:370102", "Region", name="历下区", code="370102", level="district", parent="370100")
        edge("region:370102", "region:370100", "PART_OF")
        node(f"doc:{LX}", "Document", name="历下区2025年目标任务分解", doc_id=LX, path=f"data/reports/{LX}.txt",
             region="历下区", year=2025, kind="decomposition", layout="inline", fit=0.8)
        edge(f"doc:{LX}", "region:370102", "IN_REGION")
        uid = "unit:370102:区发展改革局"
        node(uid, "Unit", name="区发展改革局", region="历下区", region_code="370102",
             aliases=["区发展改革局", "区发改局"], functions=["发展改革"], unit_kind="department")
        edge(uid, "region:370102", "IN_REGION")
        node("leader:370102:武毅", "Leader", name="武毅", region="历下区", region_code="370102", posts=["副区长"])
        edge("leader:370102:武毅", "region:370102", "IN_REGION")
        tid = f"task:{LX}:1"
        text = "加快总部经济发展。"
        node(tid, "Task", name=text, doc_id=LX, seq=1, number=None, text=text, region="历下区", year=2025,
             level=0, start=40, end=49, quote=text)
        edge(tid, f"doc:{LX}", "FROM_DOCUMENT")
        edge(uid, tid, "RESPONSIBLE_FOR", role="responsible", role_word="责任单位", as_written="区发改局",
             doc_id=LX, start=60, end=64, quote="区发改局")
        edge("leader:370102:武毅", tid, "OVERSEES", role_word="牵头领导", as_written="武毅", doc_id=LX,
             start=52, end=54, quote="武毅")
    return g


def graph_counts(g) -> tuple[int, int]:
    return g.number_of_nodes(), g.number_of_edges()


# --------------------------------------------------------------------------- the server

@pytest.fixture(scope="module")
def bolt(tmp_path_factory):
    """Neo4jSettings of a fresh ArcadeDB Bolt server; the server is stopped by pid afterwards."""
    pytest.importorskip("arcadedb_embedded")
    pytest.importorskip("neo4j")
    try:
        server = bolt_server.launch(tmp_path_factory.mktemp("bolt"), DATABASE)
    except RuntimeError as e:
        pytest.fail(str(e))
    try:
        yield server.settings
    finally:
        server.stop()


def totals(settings) -> tuple[int, int]:
    c = store.counts(settings)
    return sum(c["nodes"].values()), sum(c["relationships"].values())


def cypher(name: str) -> str:
    return (CYPHER / f"{name}.cypher").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- no server needed

def test_settings_come_from_the_environment_and_hide_the_password():
    env = {"NEO4J_URI": "neo4j://db:7687", "NEO4J_USERNAME": "kg", "NEO4J_PASSWORD": "s3cret!",
           "NEO4J_DATABASE": "gov"}
    s = Neo4jSettings.from_env(env=env)
    assert (s.uri, s.user, s.password, s.database) == ("neo4j://db:7687", "kg", "s3cret!", "gov")
    assert "s3cret" not in repr(s)
    assert Neo4jSettings.from_env(uri="bolt://x:1", env=env).uri == "bolt://x:1"
    assert Neo4jSettings.from_env(env={}) == Neo4jSettings("bolt://localhost:7687", "neo4j", None, None)


def test_properties_are_camel_case_and_nulls_are_left_out():
    rows = neo4jmap.node_rows(hand_graph())
    task = next(r for r in rows["Task"] if r["id"] == f"task:{LX}:1")["props"]
    assert task["docId"] == LX and "number" not in task and "doc_id" not in task
    unit = next(r for r in rows["Unit"] if r["id"] == "unit:370113:区财政局")["props"]
    assert unit["regionCode"] == "370113" and unit["unitKind"] == "department"
    assert list(rows) == ["Region", "Document", "Unit", "Leader", "Task", "Indicator", "Project"]


def test_a_type_outside_the_whitelist_is_refused():
    g = hand_graph()
    g.add_node("x:1", type="Evil`) DETACH DELETE (n")
    with pytest.raises(StoreError, match="not one of"):
        neo4jmap.node_rows(g)


@pytest.mark.parametrize("value, literal", [
    ("it's", r"'it\'s'"),
    ("a\\b", r"'a\\b'"),
    ("一\n二", r"'一\n二'"),
    ("\x00", r"'\u0000'"),
    (["a", "b"], "['a', 'b']"),
    ({"id": "x", "odd key": True}, "{id: 'x', `odd key`: true}"),
    (1.5, "1.5"),
    (None, "null"),
])
def test_cypher_literals_are_escaped(value, literal):
    assert cypher_text.cypher_literal(value) == literal


def test_query_parameters_skip_comments_and_strings():
    text = "// $nope\nMATCH (n) WHERE n.a = '$no' AND n.b = $yes OR n.c = $also RETURN $yes"
    assert cypher_text.query_parameters(text) == ["yes", "also"]


def test_csv_export_has_neo4j_admin_headers(tmp_path):
    out = neo4j_export.export_csv(hand_graph(), tmp_path)
    with open(tmp_path / "nodes_Task.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:2] == ["id:ID", ":LABEL"]
    assert {"seq:long", "start:long", "end:long", "text", "docId", "numberInferred:boolean"} <= set(header)
    with open(tmp_path / "nodes_Unit.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert "aliases:string[]" in rows[0]
    assert {r["aliases:string[]"] for r in rows} >= {"区发展改革局;区发改局"}
    with open(tmp_path / "rels_LEADS.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:3] == [":START_ID", ":END_ID", ":TYPE"] and rows[0][":TYPE"] == "LEADS"
    assert len(rows) == 4 and "start:long" in rows[0]
    assert len(out.node_files) == 7 and "--relationships=" in out.command()
    assert Path(out.constraints).read_text(encoding="utf-8").count("IF NOT EXISTS") == len(contract.NODE_TYPES) == 8


def test_export_cypher_is_one_statement_per_line():
    script = neo4j_export.export_cypher(hand_graph(), batch_size=2)
    lines = [line for line in script.splitlines() if not line.startswith("//")]
    assert all(line.endswith(";") for line in lines)
    assert lines[0].startswith("CREATE CONSTRAINT govkg_region_id IF NOT EXISTS")
    assert "$rows" not in script


def test_every_canned_query_has_a_header_and_binds_its_values():
    names = sorted(p.stem for p in CYPHER.glob("*.cypher"))
    assert names == ["behind-schedule", "co-responsible", "function-across-regions", "leader-portfolio",
                     "progress-of-task", "projects-across-levels", "targets", "targets-across-levels",
                     "task-source", "tasks-led-by", "unit-portfolio", "unit-workload"]
    for name in names:
        head = [line for line in cypher(name).splitlines() if line.startswith("//")]
        keys = [line[3:].split(":", 1)[0] for line in head]
        assert keys[:2] == ["title", "answers"] and "columns" in keys, name


# --------------------------------------------------------------------------- against the server

def test_load_twice_changes_nothing(bolt):
    g = hand_graph()
    first = store.load(g, bolt, wipe=True)
    assert (first.total_nodes, first.total_relationships) == graph_counts(g)
    assert (first.nodes, first.relationships) == graph_counts(g)
    again = store.load(g, bolt)
    assert (again.total_nodes, again.total_relationships) == graph_counts(g)
    assert again.wiped == 0


def test_wipe_then_one_more_document_duplicates_nothing(bolt):
    store.load(hand_graph([CL]), bolt, wipe=True)
    assert totals(bolt) == graph_counts(hand_graph([CL]))
    stats = store.load(hand_graph([CL, LX]), bolt)
    assert totals(bolt) == graph_counts(hand_graph()) == (stats.total_nodes, stats.total_relationships)
    assert store.wipe(bolt) == hand_graph().number_of_nodes()
    assert totals(bolt) == (0, 0)


def test_progress_reports_every_row(bolt):
    g = hand_graph()
    seen = []
    store.load(g, bolt, wipe=True, batch_size=3, progress=lambda n, total: seen.append((n, total)))
    assert sum(n for n, _ in seen) == sum(graph_counts(g))
    assert {total for _, total in seen} == {sum(graph_counts(g))}


def test_provenance_travels_as_properties(bolt):
    store.load(hand_graph(), bolt, wipe=True)
    cols, rows = store.run_cypher(
        bolt, "MATCH (u:Unit)-[e:LEADS]->(t:Task {id: $t}) RETURN u.name AS u, e.docId AS d, e.start AS s, "
              "e.end AS e, e.quote AS q, e.roleWord AS w", {"t": f"task:{CL}:2"})
    assert cols == ("u", "d", "s", "e", "q", "w")
    assert rows == [("区财政局", CL, 250, 254, "区财政局", "牵头单位")]


def test_a_unit_name_with_cypher_syntax_is_stored_and_found_literally(bolt):
    store.load(hand_graph(), bolt, wipe=True)
    cols, rows = store.run_cypher(bolt, cypher("tasks-led-by"), {"unit": WEIRD})
    assert [(r[1], r[4]) for r in rows] == [(WEIRD, "3")]
    assert totals(bolt) == graph_counts(hand_graph())       # nothing was deleted


def test_export_cypher_runs_and_builds_the_same_graph(bolt):
    store.wipe(bolt)
    for line in neo4j_export.export_cypher(hand_graph(), batch_size=4).splitlines():
        if not line.startswith("//"):
            store.run_cypher(bolt, line.rstrip(";"))
    assert totals(bolt) == graph_counts(hand_graph())
    _, rows = store.run_cypher(bolt, "MATCH (u:Unit {id: $id}) RETURN u.name, u.aliases",
                               {"id": f"unit:370113:{WEIRD}"})
    assert rows == [(WEIRD, [WEIRD])]


CANNED = {
    ("tasks-led-by", (("function", "发展改革"),)): [
        ("历下区", "区发展改革局", "responsible", LX, None, "加快总部经济发展。", f"task:{LX}:1"),
        ("长清区", "区发展改革局", "lead", CL, "1", "推进重大项目建设，完成投资100亿元。", f"task:{CL}:1"),
        ("长清区", "区发展改革局", "lead", CL, "3", "优化营商环境。", f"task:{CL}:3"),
    ],
    ("tasks-led-by", (("region", "长清区"), ("unit", "区发改局"))): [
        ("长清区", "区发展改革局", "lead", CL, "1", "推进重大项目建设，完成投资100亿元。", f"task:{CL}:1"),
        ("长清区", "区发展改革局", "lead", CL, "3", "优化营商环境。", f"task:{CL}:3"),
    ],
    ("unit-portfolio", (("region", "长清区"), ("unit", "区财政局"))): [
        ("长清区", "区财政局", "assist", CL, "1", "推进重大项目建设，完成投资100亿元。", 1, f"task:{CL}:1"),
        ("长清区", "区财政局", "lead", CL, "2", "深化财政体制改革。", 1, f"task:{CL}:2"),
    ],
    ("unit-workload", (("region", "长清区"),)): [
        ("长清区", "区发展改革局", 2, 1, 0, 3),
        ("长清区", "区财政局", 1, 1, 0, 2),
        ("长清区", WEIRD, 1, 1, 0, 2),
    ],
    ("co-responsible", (("region", "长清区"), ("unit", "区发展改革局"))): [
        ("长清区", "区发展改革局", WEIRD, 2),
        ("长清区", "区发展改革局", "区财政局", 2),
    ],
    ("leader-portfolio", (("leader", "武毅"),)): [
        ("历下区", "武毅", LX, None, "加快总部经济发展。", "", f"task:{LX}:1"),
    ],
    ("targets", (("metric", "地区生产总值"),)): [
        ("济南市", "city", "地区生产总值", 2025, 5.5, "%", "左右", None, None, None, "jinan-2025-work-report"),
        ("长清区", "district", "地区生产总值", 2025, 6.0, "%", "以上", 6.5, None, None, CL),
    ],
    ("task-source", (("doc_id", CL), ("number", "2"))): [
        (f"task:{CL}:2", CL, f"data/reports/{CL}.txt", "2", "深化财政体制改革。", 200, 209, "深化财政体制改革。"),
    ],
    ("function-across-regions", (("function", "发展改革"),)): [
        ("历下区", "区发展改革局", "发展改革", 0, 0, 1),
        ("长清区", "区发展改革局", "发展改革", 2, 1, 0),
    ],
}


@pytest.mark.parametrize("name, params", list(CANNED), ids=lambda x: x if isinstance(x, str) else "")
def test_canned_cypher_queries_answer_exactly(bolt, name, params):
    store.load(hand_graph(), bolt, wipe=True)
    _, rows = store.run_cypher(bolt, cypher(name), dict(params))
    assert sorted(rows, key=repr) == sorted(CANNED[name, params], key=repr)


def test_canned_columns_match_the_header(bolt):
    store.load(hand_graph(), bolt, wipe=True)
    for path in sorted(CYPHER.glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        header = next(line for line in text.splitlines() if line.startswith("// columns:"))
        want = tuple(c.strip() for c in header.split(":", 1)[1].split(","))
        cols, _ = store.run_cypher(bolt, text, {"function": "发展改革"})
        assert cols == want, path.name
        nothing = {name: "无此值" for name in cypher_text.query_parameters(text)}
        assert store.run_cypher(bolt, text, nothing) == (want, []), path.name


def test_a_down_server_gives_a_store_error():
    (port,) = bolt_server.free_ports(1)
    with pytest.raises(StoreError, match="cannot reach"):
        store.counts(Neo4jSettings(f"bolt://127.0.0.1:{port}", "neo4j", "x", None))


def test_a_uri_that_is_not_bolt_gives_a_store_error():
    with pytest.raises(StoreError, match="must start with one of bolt://"):
        store.counts(Neo4jSettings("http://localhost:7474", "neo4j", "x", None))


def test_a_wrong_password_gives_a_store_error(bolt):
    wrong = Neo4jSettings(bolt.uri, bolt.user, "not-the-password", bolt.database)
    with pytest.raises(StoreError) as e:
        store.load(hand_graph(), wrong)
    assert "not-the-password" not in str(e.value)


def _foreign(settings) -> list[tuple]:
    return store.run_cypher(settings, "MATCH (u:Unit {id: $u})-[e:LEADS]->(t:Task {id: $t}) "
                                      "RETURN u.id AS u, e.since AS since, t.id AS t",
                            {"u": "hr-7", "t": "jira-1"})[1]


def test_a_wipe_deletes_only_what_govkg_wrote(bolt):
    """Another application's nodes with govkg's labels (a :Task from a tracker) survive it."""
    store.load(hand_graph(), bolt, wipe=True)
    store.run_cypher(bolt, "CREATE (:Unit {id: $u, name: $name})-[:LEADS {since: $since}]->(:Task {id: $t})",
                     {"u": "hr-7", "name": "人事处", "since": 2024, "t": "jira-1"})
    assert totals(bolt) == graph_counts(hand_graph())        # what govkg wrote, only
    stats = store.load(hand_graph([CL]), bolt, wipe=True)
    assert stats.wiped == hand_graph().number_of_nodes()
    assert _foreign(bolt) == [("hr-7", 2024, "jira-1")]
    assert store.wipe(bolt) == hand_graph([CL]).number_of_nodes()
    assert _foreign(bolt) == [("hr-7", 2024, "jira-1")] and totals(bolt) == (0, 0)
    store.run_cypher(bolt, "MATCH (n) WHERE n.id IN $ids DETACH DELETE n", {"ids": ["hr-7", "jira-1"]})


def test_every_node_and_relationship_govkg_writes_is_marked(tmp_path):
    g = hand_graph()
    assert all(r["props"]["govkg"] is True for rows in neo4jmap.node_rows(g).values() for r in rows)
    assert all(r["props"]["govkg"] is True for rows in neo4jmap.relationship_rows(g).values() for r in rows)
    neo4j_export.export_csv(g, tmp_path)                            # a bulk import is marked as well
    with open(tmp_path / "nodes_Task.csv", encoding="utf-8") as f:
        assert {r["govkg:boolean"] for r in csv.DictReader(f)} == {"true"}


def test_a_load_cut_short_says_the_graph_is_partial_and_loading_again_completes_it(bolt, monkeypatch):
    g = hand_graph()
    store.wipe(bolt)
    real_run, calls = store._Session.run, []

    def run(self, text, params=None):
        if text.startswith("UNWIND"):
            calls.append(text)
            if len(calls) == 3:                              # the server goes down at the third batch
                raise StoreError(f"cannot reach Neo4j at {self.settings.uri}: is the server running "
                                 "and the URI right? (connection refused)")
        return real_run(self, text, params)

    monkeypatch.setattr(store._Session, "run", run)
    with pytest.raises(StoreError) as e:
        store.load(g, bolt, batch_size=2)
    total = sum(graph_counts(g))
    assert str(e.value).startswith(f"cannot reach Neo4j at {bolt.uri}")
    assert str(e.value).endswith(f"The load stopped after 4 of {total} rows: the database holds part of "
                                 "the graph. Run `kg neo4j load` again once the server is back: it merges, "
                                 "so it completes the graph without writing anything twice")
    monkeypatch.undo()
    assert 0 < totals(bolt)[0] < g.number_of_nodes()
    store.load(g, bolt, batch_size=2)
    assert totals(bolt) == graph_counts(g)


def test_a_load_that_writes_nothing_says_nothing_of_a_partial_graph():
    (port,) = bolt_server.free_ports(1)
    with pytest.raises(StoreError) as e:
        store.load(hand_graph(), Neo4jSettings(f"bolt://127.0.0.1:{port}", "neo4j", "x", None))
    assert "cannot reach" in str(e.value) and "stopped after" not in str(e.value)


# --------------------------------------------------------------------------- both backends agree

CASES = [
    ("tasks-led-by", {"unit": "区发展改革局"}),
    ("tasks-led-by", {"unit": "长清区发展改革局"}),
    ("tasks-led-by", {"unit": "长清区财政局"}),
    ("unit-portfolio", {"unit": "长清区发展改革局"}),
    ("unit-portfolio", {"unit": "区财政局"}),
    ("unit-workload", {}),
    ("unit-workload", {"region": "长清区"}),
    ("co-responsible", {"unit": "长清区财政局"}),
    ("co-responsible", {"unit": "区发展改革局"}),
    ("leader-portfolio", {"leader": "武毅"}),
    ("targets", {}),
    ("targets", {"region": "槐荫区"}),
    ("targets", {"metric": "地区生产总值"}),
    ("task-source", {"task": f"task:{CL}:2"}),
    ("task-source", {"doc_id": CL, "number": "2"}),
    ("function-across-regions", {"function": "发展改革"}),
    ("function-across-regions", {"function": "财政"}),
    ("behind-schedule", {}),
    ("behind-schedule", {"region": "槐荫区"}),
    ("progress-of-task", {"task": "task:huaiyin-2025-work-report:16"}),
    ("progress-of-task", {"task": f"task:{CL}:1"}),
    ("targets-across-levels", {"metric": "地区生产总值"}),
    ("targets-across-levels", {"metric": "城镇新增就业"}),
    ("projects-across-levels", {}),
    ("projects-across-levels", {"project": "天岳先进扩产能"}),
]


def _normal(rows) -> list[tuple]:
    """Rows sorted, 6.0 and 6 alike: the order and number types of two engines may differ."""
    def value(v):
        return int(v) if isinstance(v, float) and v.is_integer() else v
    return sorted((tuple(value(v) for v in r) for r in rows), key=repr)


def _disagreements(graph, settings) -> list[str]:
    queries = pytest.importorskip("kg.queries")
    store.load(graph, settings, wipe=True)
    out = []
    for name, params in CASES:
        answers = []
        for backend in ("embedded", "neo4j"):
            try:
                answers.append(queries.run_query(graph, name, params=params, backend=backend, neo4j=settings))
            except QueryError as e:                 # a name the graph does not have: the same error
                answers.append(str(e))
        embedded, bolt_ = answers
        if isinstance(embedded, str) or isinstance(bolt_, str):
            if embedded != bolt_:
                out.append(f"{name} {params}: embedded {embedded!r:.200} vs neo4j {bolt_!r:.200}")
            continue
        if embedded.columns != bolt_.columns or _normal(embedded.rows) != _normal(bolt_.rows):
            only_e = [r for r in _normal(embedded.rows) if r not in _normal(bolt_.rows)]
            only_n = [r for r in _normal(bolt_.rows) if r not in _normal(embedded.rows)]
            out.append(f"{name} {params}: {len(embedded.rows)} embedded vs {len(bolt_.rows)} neo4j rows; "
                       f"only embedded {only_e[:3]}; only neo4j {only_n[:3]}")
    return out


def test_every_canned_query_agrees_with_the_embedded_store_on_the_hand_graph(bolt):
    assert _disagreements(hand_graph(), bolt) == []


def test_every_canned_query_agrees_with_the_embedded_store_on_the_seed_graph(bolt, seed_graph):
    assert _disagreements(seed_graph, bolt) == []
    assert totals(bolt) == graph_counts(seed_graph)


def test_a_unit_name_with_cypher_syntax_through_run_query(bolt):
    queries = pytest.importorskip("kg.queries")
    store.load(hand_graph(), bolt, wipe=True)
    result = queries.run_query(hand_graph(), "unit-portfolio", params={"unit": "长清区" + WEIRD},
                               backend="neo4j", neo4j=bolt)
    assert [(r[0], r[1], r[2], r[4]) for r in result.rows] == [("长清区", WEIRD, "assist", "1"),
                                                               ("长清区", WEIRD, "lead", "3")]


@pytest.mark.parametrize("text, columns", [
    ("MATCH (n) RETURN n.a AS a, count(*) AS `end`, {x: 1, y: [2, 3]} AS m ORDER BY a", ("a", "end", "m")),
    ("MATCH (n) WITH n RETURN DISTINCT n.name, 'RETURN x' AS s LIMIT 3", ("n.name", "s")),
    ("// RETURN z\nMATCH (n) RETURN reduce(s = '', x IN [1, 2] | s + x) AS j", ("j",)),
])
def test_return_columns_are_read_from_the_text(text, columns):
    assert cypher_text.return_columns(text) == columns


def test_a_name_that_names_nothing_is_the_same_error_on_neo4j(bolt):
    queries = pytest.importorskip("kg.queries")
    store.load(hand_graph(), bolt, wipe=True)
    with pytest.raises(QueryError, match="no leader named '武义' in the graph; did you mean 武毅?"):
        queries.run_query(name="leader-portfolio", params={"leader": "武义"}, backend="neo4j", neo4j=bolt)


def test_every_attribute_the_seed_graph_holds_is_a_property_on_the_server(bolt, seed_graph):
    """The contract's last projection (tests/test_contract.py walks the others): over Bolt."""
    from tests.test_contract import _expected_props

    store.load(seed_graph, bolt, wipe=True)
    want = _expected_props(seed_graph)
    for label in contract.NODE_TYPES:
        _, rows = store.run_cypher(bolt, "MATCH (n) WHERE $label IN labels(n) UNWIND keys(n) AS k "
                                         "RETURN DISTINCT k", {"label": label})
        assert want.get(label, set()) - {k for (k,) in rows} == set(), label
    for rtype in contract.EDGE_TYPES:
        _, rows = store.run_cypher(bolt, "MATCH ()-[r]->() WHERE type(r) = $type UNWIND keys(r) AS k "
                                         "RETURN DISTINCT k", {"type": rtype})
        assert want.get(rtype, set()) - {k for (k,) in rows} == set(), rtype
