"""Time every canned SPARQL query on Oxigraph (pyoxigraph) and on rdflib's own evaluator.

    .venv/bin/python scripts/bench_sparql.py [--copies 3] [--repeat 5] [PATHS…]

Builds the graph of PATHS (default data/reports/), then an enlarged graph made of
``--copies`` relabelled copies of it, and prints for each query and graph the median
of ``--repeat`` runs after one warm-up, in milliseconds, with the row counts (the two
engines must agree). Loading times are printed too. rdflib runs each query in a child process
stopped after ``--budget`` seconds (its evaluator runs some queries for minutes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def enlarged(graph, copies: int):
    """``copies`` disjoint copies of ``graph`` (node ids suffixed ~k), as one graph."""
    import networkx as nx

    if copies <= 1:
        return graph
    parts = [nx.relabel_nodes(graph, lambda n, k=k: f"{n}~{k}") for k in range(copies)]
    return nx.compose_all(parts)


def timed(fn, repeat: int) -> tuple[float, object]:
    result = fn()                                   # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, result


def within(budget: float, fn):
    """``fn()`` in a forked child, its result or None when it takes longer than ``budget`` s
    (rdflib's evaluator cannot be interrupted, and on some queries runs for minutes)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def run():
        child.send(fn())

    proc = ctx.Process(target=run)
    proc.start()
    got = parent.recv() if parent.poll(budget) else None
    proc.kill()
    proc.join()
    return got


def bench(graph, label: str, repeat: int, emit=print, budget: float = 60.0) -> None:
    from kg.queries import bind, embedded, get_query, list_queries
    from kg.queries import rdflib as rdflib_backend
    from kg.stores.rdf import rdflib_graph, to_store

    t = time.perf_counter()
    store = to_store(graph)
    t_ox = time.perf_counter() - t
    t = time.perf_counter()
    rg = rdflib_graph(graph)
    t_rdflib = time.perf_counter() - t
    emit(f"\n{label}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, "
         f"{len(store)} triples; load: Oxigraph {t_ox:.2f} s, rdflib {t_rdflib:.2f} s")
    emit(f"{'query':<26}{'params':<30}{'rows':>6}{'Oxigraph ms':>13}{'rdflib ms':>12}{'ratio':>8}")
    for info in list_queries("sparql"):
        info, text = get_query(info.name)
        params = {p.name: p.example for p in info.params if not p.optional and p.example}
        bound = bind(info, params, store)
        ms_ox, (_, rows_ox) = timed(lambda: embedded.evaluate(store, text, bound), repeat)
        got = within(budget, lambda: timed(lambda: rdflib_backend.evaluate(rg, text, bound), repeat))
        shown = " ".join(f"{k}={v}" for k, v in params.items())
        if got is None:
            emit(f"{info.name:<26}{shown:<30}{len(rows_ox):>6}{ms_ox:>13.2f}"
                 f"{'> ' + format(budget, 'g') + ' s':>12}{'':>8}  (rdflib stopped after its budget)")
            continue
        ms_rl, (_, rows_rl) = got
        agree = "" if sorted(map(repr, rows_ox)) == sorted(map(repr, rows_rl)) else "  (rows differ!)"
        emit(f"{info.name:<26}{shown:<30}{len(rows_ox):>6}{ms_ox:>13.2f}{ms_rl:>12.1f}"
             f"{ms_rl / max(ms_ox, 1e-6):>8.0f}x{agree}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "data" / "reports")])
    ap.add_argument("--copies", type=int, default=3, help="copies in the enlarged graph (default 3)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query (default 5)")
    ap.add_argument("--budget", type=float, default=60.0,
                    help="seconds rdflib may take for a query's warm-up and runs (default 60)")
    args = ap.parse_args(argv)

    from kg.build import build_graph

    def emit(line: str) -> None:
        print(line, flush=True)

    graph = build_graph(args.paths).graph
    bench(graph, "seed graph", args.repeat, emit, args.budget)
    if args.copies > 1:
        bench(enlarged(graph, args.copies), f"seed graph x{args.copies}", args.repeat, emit, args.budget)
    return 0


if __name__ == "__main__":
    sys.exit(main())
