"""How fast does the Neo4j loader write? Loads ~100 000 relationships and prints nodes/s, rels/s.

    .venv/bin/python scripts/bench_neo4j.py [--relationships 100000] [--batch-size 10000]

Always into a throwaway ArcadeDB Bolt server (tests/bolt_server.py); also into
a real Neo4j when NEO4J_URI is set (NEO4J_USERNAME, NEO4J_PASSWORD,
NEO4J_DATABASE as usual; what govkg wrote there is wiped first). The
graph is the seed graph (data/reports/) repeated with renamed ids until it has
enough relationships; if the seed graph cannot be built, a synthetic graph
that follows kg.graph's contract.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kg.stores import neo4j as store  # noqa: E402


def seed_graph():
    from kg.build import build_graph

    return build_graph([ROOT / "data" / "reports"]).graph


def synthetic_graph(tasks: int = 400, units: int = 60) -> nx.MultiDiGraph:
    """One district, one document, ``tasks`` tasks each with a lead, two assists and a leader."""
    g = nx.MultiDiGraph()
    g.add_node("region:370113", type="Region", name="长清区", label="长清区", code="370113", level="district")
    g.add_node("doc:d", type="Document", name="d", label="d", doc_id="d", kind="division")
    g.add_edge("doc:d", "region:370113", key="IN_REGION", type="IN_REGION")
    for u in range(units):
        uid = f"unit:370113:单位{u}"
        g.add_node(uid, type="Unit", name=f"单位{u}", label=f"单位{u}", region="长清区", region_code="370113",
                   aliases=[f"单位{u}"], functions=["发展改革"], unit_kind="department")
        g.add_edge(uid, "region:370113", key="IN_REGION", type="IN_REGION")
    for t in range(1, tasks + 1):
        tid = f"task:d:{t}"
        text = f"第{t}项任务：推进重点项目建设，优化营商环境。"
        g.add_node(tid, type="Task", name=text, label=str(t), doc_id="d", seq=t, number=str(t), text=text,
                   region="长清区", year=2025, level=0, start=t * 100, end=t * 100 + len(text), quote=text)
        g.add_edge(tid, "doc:d", key="FROM_DOCUMENT", type="FROM_DOCUMENT")
        for k, (rtype, role) in enumerate([("LEADS", "lead"), ("ASSISTS", "assist"), ("ASSISTS", "assist")]):
            uid = f"unit:370113:单位{(t * 7 + k * 13) % units}"
            g.add_edge(uid, tid, key=rtype, type=rtype, role=role, role_word="牵头单位", as_written="单位",
                       doc_id="d", start=t * 100 + 60, end=t * 100 + 62, quote="单位")
    return g


def enlarge(graph: nx.MultiDiGraph, relationships: int) -> nx.MultiDiGraph:
    """Copies of ``graph`` with ids suffixed ``~k`` (regions shared) until it has enough relationships."""
    big = nx.MultiDiGraph()
    copies = max(1, -(-relationships // max(1, graph.number_of_edges())))
    for k in range(copies):
        def rename(n, k=k):
            return n if graph.nodes[n].get("type") == "Region" else f"{n}~{k}"
        for n, attrs in graph.nodes(data=True):
            big.add_node(rename(n), **attrs)
        for u, v, key, attrs in graph.edges(keys=True, data=True):
            big.add_edge(rename(u), rename(v), key=key, **attrs)
    return big


def report(what: str, stats) -> None:
    print(f"  {what:<22} {stats.nodes:>7} nodes in {stats.node_seconds:5.1f} s = {stats.nodes_per_second:>7.0f}/s   "
          f"{stats.relationships:>7} rels in {stats.relationship_seconds:5.1f} s = "
          f"{stats.relationships_per_second:>7.0f}/s   (store: {stats.total_nodes} nodes, "
          f"{stats.total_relationships} rels)")


def bench(name: str, graph, settings, batch_size: int) -> None:
    """Cold load into an empty store, the same after a wipe (warm server), then a reload (all MERGE hits)."""
    print(name)
    store.wipe(settings)
    report("first load (cold)", store.load(graph, settings, batch_size=batch_size))
    report("wipe + load (warm)", store.load(graph, settings, wipe=True, batch_size=batch_size))
    report("reload (no change)", store.load(graph, settings, batch_size=batch_size))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--relationships", type=int, default=100_000)
    ap.add_argument("--batch-size", type=int, default=store.DEFAULT_BATCH)
    ap.add_argument("--synthetic", action="store_true", help="skip the seed graph")
    args = ap.parse_args()
    base = None
    if not args.synthetic:
        try:
            base = seed_graph()
            print(f"seed graph: {base.number_of_nodes()} nodes, {base.number_of_edges()} relationships")
        except Exception as e:  # the bench still runs while the pipeline is broken
            print(f"seed graph unavailable ({type(e).__name__}: {e}); using a synthetic graph")
    if base is None:
        base = synthetic_graph()
    graph = enlarge(base, args.relationships)
    print(f"bench graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships")

    import bolt_server

    with tempfile.TemporaryDirectory(prefix="govkg-bolt-") as root:
        t = time.perf_counter()
        server = bolt_server.launch(root)
        print(f"ArcadeDB Bolt server up in {time.perf_counter() - t:.1f} s at {server.settings.uri}")
        try:
            bench("arcadedb", graph, server.settings, args.batch_size)
        finally:
            server.stop()
    if os.environ.get("NEO4J_URI"):
        bench("neo4j", graph, store.Neo4jSettings.from_env(), args.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
