#!/usr/bin/env python3
"""National-scale benchmark: `kg build` on generated corpora of 30, 300 and 3 000 regions.

For each size it generates the corpus once (scripts/make_corpus.py, kept under --work), then

1. runs `kg build CORPUS -o OUT --no-cache` as a whole process: wall time, peak memory (the
   sum of the process tree's resident memory, sampled, and the largest single process),
   documents/s and tasks/s;
2. scores OUT/graph.json against the corpus's truth.jsonl: precision and recall of tasks,
   unit assignments as written and as resolved (canonical unit), leaders, main targets,
   document regions and report authors;
3. opens the build folder's persisted store (kg.stores.oxistore: the first load of every
   part, then a reopen), runs every canned query on it (median of --runs after a warm-up)
   and times the RDF export (`kg export --format turtle|ntriples`, streamed from graph.ttl);
4. with --rebuild: a build that fills an empty cache, then one document changed and a
   rebuild that reuses the rest (the goal: at most 10 s at 3 000 regions; timed after
   os.sync(), as the rebuild writes 3.8 GB and the disk is otherwise still busy with the
   build before), and the time the
   store then takes to catch up (it removes the changed shard's old triples and loads its new ones).

Prints one table per size and a summary table. Usage:

    python scripts/bench_scale.py                     # 30 and 300 regions
    python scripts/bench_scale.py --sizes 30,300,3000 --rebuild
    python scripts/bench_scale.py --sizes 300 --queries-only     # the queries again, same builds
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

ROLE_EDGES = ("LEADS", "ASSISTS", "RESPONSIBLE_FOR")


# --------------------------------------------------------------------------- running

def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_measured(cmd: list[str], cwd: Path) -> dict:
    """Run ``cmd``; wall seconds, peak tree memory, largest process's max RSS, output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "peak_tree": peak[0], "max_rss": usage.ru_maxrss * 1024,
            "cpu": usage.ru_utime + usage.ru_stime, "rc": proc.returncode,
            "output": out.decode("utf-8", "replace")}


def kg_build(corpus: Path, out: Path, *cache: str) -> dict:
    cmd = [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), *(cache or ("--no-cache",))]
    r = run_measured(cmd, ROOT)
    if r["rc"] != 0:
        raise SystemExit(f"kg build failed ({r['rc']}):\n{r['output'][-3000:]}")
    return r


# --------------------------------------------------------------------------- scoring

def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _pr(got: set, want: set) -> tuple[float, float, int, int]:
    tp = len(got & want)
    return (tp / len(got) if got else 1.0, tp / len(want) if want else 1.0, len(got), len(want))


FIELDS = ("tasks", "units as written", "units resolved", "leaders", "main targets",
          "document regions", "report authors")


def score(graph: Path | dict, truth: Path | list[dict]) -> dict[str, tuple[float, float, int, int]]:
    """Precision and recall of the built graph (graph.json, or its parsed content) against
    the generated truth (truth.jsonl, or its rows), by field: (precision, recall, got, true)."""
    if isinstance(graph, Path):
        with graph.open(encoding="utf-8") as f:
            graph = json.load(f)
    if isinstance(truth, Path):
        truth = _read_jsonl(truth)
    got, want = compare(graph, truth)
    return {f: _pr(got[f], want[f]) for f in FIELDS}


def compare(g: dict, truth: list[dict]) -> tuple[dict[str, set], dict[str, set]]:
    """The facts of the built graph (node-link data) and of the truth, by field, as
    comparable tuples."""
    nodes = {n["id"]: n for n in g["nodes"]}
    tasks_of: dict[str, list[dict]] = defaultdict(list)
    for n in g["nodes"]:
        if n.get("type") in ("Task", "ProgressEntry") and not n.get("level"):   # a progress row
            tasks_of[n["doc_id"]].append(n)
    into: dict[str, list[dict]] = defaultdict(list)     # task id → role and OVERSEES edges
    doc_region, delivered = {}, set()
    for e in g["edges"]:
        k = e["key"]
        if (k in ROLE_EDGES and not e.get("via")) or k in ("OVERSEES", "REPORTED_BY"):
            into[e["target"]].append(e)      # not a progress row's units carried to its task (via)
        elif k == "IN_REGION" and e["source"].startswith("doc:"):
            doc_region[e["source"][4:]] = e["target"].split(":", 1)[1]
        elif k == "DELIVERED":
            delivered.add((e["target"][4:], nodes[e["source"]]["name"]))

    want = defaultdict(set)
    got = defaultdict(set)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for t in truth:
        if t["type"] == "task":
            by_doc[t["doc"]].append(t)
        elif t["type"] == "target":
            want["main targets"].add((t["code"], t["year"], t["metric"], round(t["target"], 4)))
        elif t["type"] == "document":
            want["document regions"].add((t["doc"], t["code"]))
            if t["author"]:
                want["report authors"].add((t["doc"], t["author"]))
    for doc, code in doc_region.items():
        got["document regions"].add((doc, code))
    got["report authors"] = delivered
    for n in nodes.values():
        if n.get("type") == "Indicator" and n.get("main") and n.get("target") is not None:
            _, code, year, metric = n["id"].split(":", 3)
            got["main targets"].add((code, int(year), metric, round(n["target"], 4)))

    for doc, rows in by_doc.items():
        extracted = sorted(tasks_of.get(doc, []), key=lambda n: n["seq"])
        j, index = 0, {}
        for i, row in enumerate(rows):
            k = next((k for k in range(j, len(extracted)) if row["snippet"] in extracted[k]["text"]), None)
            if k is not None:
                index[extracted[k]["id"]] = i
                j = k + 1
            want["tasks"].add((doc, i))
            for role, written, canonical in row["units"]:
                want["units as written"].add((doc, i, role, written))
                want["units resolved"].add((doc, i, role, canonical))
            for name in row["leaders"]:
                want["leaders"].add((doc, i, name))
        for n in extracted:
            i = index.get(n["id"], n["id"])
            got["tasks"].add((doc, i))
            for e in into.get(n["id"], ()):
                if e["key"] == "OVERSEES":
                    got["leaders"].add((doc, i, e["as_written"]))
                else:
                    got["units as written"].add((doc, i, e["role"], e["as_written"]))
                    got["units resolved"].add((doc, i, e["role"], nodes[e["source"]]["name"]))
    return got, want


# --------------------------------------------------------------------------- queries

def _query_params(truth_jsonl: Path) -> dict[str, str]:
    """Parameter values that exist in the corpus: its first region, a unit, a leader …"""
    truth = _read_jsonl(truth_jsonl)
    doc = next(t for t in truth if t["type"] == "document")
    task = next(t for t in truth if t["type"] == "task" and t["number"]
                and not t["doc"].endswith("-progress"))     # progress rows are not tasks
    leader = next((name for t in truth if t["type"] == "task" for name in t["leaders"]), "")
    return {"region": doc["region"], "unit": f"{doc['region']}发展改革局", "function": "发展改革",
            "leader": leader, "metric": "地区生产总值", "task": f"task:{task['doc']}:1",
            "doc_id": task["doc"], "number": task["number"]}


def bench_queries(out: Path, truth_jsonl: Path, runs: int, keep_store: bool = False
                  ) -> tuple[dict, list[tuple[str, float, int]]]:
    """The persisted store of the build folder (kg.stores.oxistore: first load of every part,
    or with ``keep_store`` a sync of the store a run before left, then a reopen), every canned
    query on it, and the RDF export as `kg export` streams it."""
    from kg.queries import list_queries, run_query
    from kg.stores.oxistore import LOADED, STORE_DIR, RECORD, BuildStore, open_store

    if not keep_store:
        shutil.rmtree(out / STORE_DIR, ignore_errors=True)
        (out / RECORD).unlink(missing_ok=True)
        (out / LOADED).unlink(missing_ok=True)
    figures = {"kept store": keep_store}
    t0 = time.perf_counter()
    store = open_store(out)
    figures["store load"] = time.perf_counter() - t0
    figures["triples"] = len(store)
    store.close()
    t0 = time.perf_counter()
    store = open_store(out)
    figures["store reopen"] = time.perf_counter() - t0
    for fmt in ("turtle", "ntriples"):
        target = out / f"export.{fmt}"
        r = run_measured([sys.executable, "-m", "kg", "export", "--graph", str(out), "--format", fmt,
                          "-o", str(target)], ROOT)
        if r["rc"] != 0:
            raise SystemExit(f"kg export failed ({r['rc']}):\n{r['output'][-3000:]}")
        figures[f"{fmt} export"] = r["wall"]
        figures[f"{fmt} bytes"] = target.stat().st_size
        target.unlink()
    rows = time_queries(store, truth_jsonl, runs)
    assert isinstance(store, BuildStore)
    store.close()
    return figures, rows


def time_queries(store, truth_jsonl: Path, runs: int) -> list[tuple[str, float, int]]:
    """Every canned query on ``store`` with parameters of the corpus, and the heavier questions
    of every district at once: (label, median seconds of ``runs`` after a warm-up, rows)."""
    from kg.queries import list_queries, run_query

    values = _query_params(truth_jsonl)
    rows = []
    cases = [(q.name, {p.name: values[p.name] for p in q.params if p.name in values and
                       not (q.name == "task-source" and p.name in ("doc_id", "number"))})
             for q in list_queries("sparql")]
    cases.append(("tasks-led-by (every 区/县 发展改革局)", {"unit": "区发展改革局"}))
    cases.append(("unit-portfolio (every 区/县 发展改革局)", {"unit": "区发展改革局"}))
    cases.append(("behind-schedule (every region)", {}))
    for label, params in cases:
        name = label.split(" ")[0]
        result = run_query(store, name, params=params)          # warm-up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            run_query(store, name, params=params)
            times.append(time.perf_counter() - t0)
        rows.append((label, statistics.median(times), len(result.rows)))
    return rows


# --------------------------------------------------------------------------- main

def _touch_one(corpus: Path) -> tuple[Path, bytes]:
    """Change one document (a task's wording) so that the rebuild must re-extract it;
    returns it and its original bytes."""
    path = sorted(corpus.glob("*-division.txt"))[0]
    original = path.read_bytes()
    text = original.decode("utf-8")
    path.write_text(text.replace("加快推进", "加快推动", 1) if "加快推进" in text else text + "\n", encoding="utf-8")
    return path, original


def queries_again(n: int, args) -> str:
    """--queries-only: the canned queries timed again on the build folder a run before left."""
    from kg.stores.oxistore import open_store

    out, corpus = args.work / f"out-{n}", args.work / f"corpus-{n}"
    if not (out / "graph.ttl").exists():
        raise SystemExit(f"{out} holds no build: run without --queries-only first")
    store = open_store(out)
    try:
        rows = time_queries(store, corpus / "truth.jsonl", args.runs)
    finally:
        store.close()
    lines = [f"\n== {n} regions: canned queries on {out} (median of {args.runs} after a warm-up)     median ms   rows"]
    lines += [f"  {label:46} {med * 1000:9.1f} {k:6d}" for label, med, k in rows]
    return "\n".join(lines)


def bench_size(n: int, args) -> dict:
    from make_corpus import write_corpus

    corpus = args.work / f"corpus-{n}"
    out = args.work / f"out-{n}"
    res: dict = {"regions": n}
    if not (corpus / "truth.jsonl").exists() or args.regenerate:
        shutil.rmtree(corpus, ignore_errors=True)
        t0 = time.perf_counter()
        write_corpus(corpus, n, args.seed)
        res["generate_s"] = time.perf_counter() - t0
    docs = sum(1 for p in corpus.iterdir() if p.suffix == ".txt")
    truth_tasks = sum(1 for t in _read_jsonl(corpus / "truth.jsonl") if t["type"] == "task")
    res["documents"] = docs
    res["corpus_mb"] = sum(p.stat().st_size for p in corpus.iterdir()) / 2**20
    for p in (out.iterdir() if out.is_dir() else ()):
        if not (args.keep_store and p.name in ("store", "store.parts", "store.ttl")):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    b = kg_build(corpus, out)
    res["build"] = b
    with (out / "graph.json").open(encoding="utf-8") as f:
        head = json.load(f)
    res["nodes"] = len(head["nodes"])
    res["edges"] = len(head["edges"])
    res["tasks"] = sum(1 for x in head["nodes"] if x.get("type") == "Task")
    del head
    res["outputs_mb"] = {p.name: p.stat().st_size / 2**20 for p in sorted(out.iterdir()) if p.is_file()}
    res["score"] = score(out / "graph.json", corpus / "truth.jsonl")
    res["truth_tasks"] = truth_tasks
    if not args.no_queries:
        res["rdf"], res["queries"] = bench_queries(out, corpus / "truth.jsonl", args.runs, args.keep_store)
    if args.rebuild:
        from kg.stores.oxistore import open_store

        cache = args.work / f"cache-{n}"
        shutil.rmtree(cache, ignore_errors=True)
        res["cold_cache"] = kg_build(corpus, out, "--cache", str(cache))
        changed, original = _touch_one(corpus)
        os.sync()       # the disk done writing the 4 GB of the build before: the rebuild timed alone
        try:
            res["rebuild"] = kg_build(corpus, out, "--cache", str(cache))
        finally:
            changed.write_bytes(original)
        if not args.no_queries:
            t0 = time.perf_counter()
            open_store(out).close()
            res["store_sync"] = time.perf_counter() - t0
    return res


def report(res: dict) -> str:
    b = res["build"]
    lines = [f"\n== {res['regions']} regions: {res['documents']} documents ({res['corpus_mb']:.0f} MB), "
             f"{res['tasks']} tasks, {res['nodes']} nodes, {res['edges']} edges"]
    lines.append(f"kg build          wall {b['wall']:7.1f} s   cpu {b['cpu']:7.1f} s   peak memory "
                 f"{b['peak_tree'] / 2**30:.2f} GB (process tree), {b['max_rss'] / 2**30:.2f} GB (largest process)   "
                 f"{res['documents'] / b['wall']:.0f} documents/s   {res['tasks'] / b['wall']:.0f} tasks/s")
    for key, label in (("cold_cache", "build, fill cache"), ("rebuild", "rebuild, 1 changed")):
        if key in res:
            r = res[key]
            lines.append(f"{label:17} wall {r['wall']:7.1f} s   peak memory {r['peak_tree'] / 2**30:.2f} GB")
    if "store_sync" in res:
        lines.append(f"store after it     {res['store_sync']:.1f} s to sync out/store (the changed part reloaded)")
    lines.append("outputs           " + ", ".join(f"{k} {v:.1f} MB" for k, v in res["outputs_mb"].items()))
    lines.append("extraction vs truth          precision  recall     got    truth")
    for field, (p, r, ng, nw) in res["score"].items():
        lines.append(f"  {field:26} {p:9.4f} {r:7.4f} {ng:7d} {nw:8d}")
    if "rdf" in res:
        f = res["rdf"]
        how = "sync of the kept out/store" if f.get("kept store") else "first load of out/store"
        lines.append(f"embedded store    {f['triples']} triples; {how} {f['store load']:.1f} s, "
                     f"reopen {f['store reopen']:.2f} s")
        lines.append(f"RDF export        kg export turtle {f['turtle export']:.1f} s ({f['turtle bytes'] / 2**20:.0f} MB), "
                     f"ntriples {f['ntriples export']:.1f} s ({f['ntriples bytes'] / 2**20:.0f} MB)")
        lines.append("canned query (median of runs after a warm-up)     median ms   rows")
        for label, med, n in res["queries"]:
            lines.append(f"  {label:46} {med * 1000:9.1f} {n:6d}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="30,300", help="region counts, comma-separated (3000 = 100 %%)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/govkg-scale"), help="corpora and outputs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each query")
    ap.add_argument("--rebuild", action="store_true", help="also time a cached rebuild after one change")
    ap.add_argument("--no-queries", action="store_true", help="skip the store, queries and RDF export")
    ap.add_argument("--queries-only", action="store_true",
                    help="only time the canned queries again, on the build folders of a run before")
    ap.add_argument("--regenerate", action="store_true", help="write the corpora again")
    ap.add_argument("--keep-store", action="store_true",
                    help="keep the out folder's store from a run before: it syncs instead of loading anew")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()
    print(f"machine: {os.cpu_count()} cores, {free[1].split()[1] if len(free) > 1 else '?'} GB RAM, "
          f"Python {sys.version.split()[0]}")
    results = []
    if args.queries_only:
        for n in (int(s) for s in args.sizes.split(",")):
            print(queries_again(n, args), flush=True)
        return 0
    for n in (int(s) for s in args.sizes.split(",")):
        res = bench_size(n, args)
        print(report(res), flush=True)
        results.append(res)
    print("\nregions  docs   tasks    wall s  peak GB  docs/s  tasks/s  P(units)  R(units)  worst query ms")
    for res in results:
        b, s = res["build"], res["score"]["units resolved"]
        worst = max((m for _l, m, _n in res.get("queries", [])), default=float("nan")) * 1000
        print(f"{res['regions']:7d} {res['documents']:5d} {res['tasks']:7d} {b['wall']:9.1f} "
              f"{b['peak_tree'] / 2**30:8.2f} {res['documents'] / b['wall']:7.0f} {res['tasks'] / b['wall']:8.0f} "
              f"{s[0]:9.4f} {s[1]:9.4f} {worst:15.1f}")
    if args.json:
        for res in results:
            for key in ("build", "cold_cache", "rebuild"):
                if key in res:
                    res[key].pop("output", None)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
