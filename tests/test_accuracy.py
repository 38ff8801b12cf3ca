"""Whole-corpus accuracy: the extractor against the hand-checked gold under tests/data/gold/.

Prints precision and recall per document and per field; the bar is 0.99 for tasks,
unit and leader assignments with their roles, and exact values for main targets.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from conftest import GOLD
from kg.graph import ROLE_EDGE

BAR = 0.99
TASK_DOCS = ["changqing-2025-division", "lixia-2025-decomposition", "huaiyin-2025-progress-q1-q3"]
# Every edge from a unit: its role in a task, or a progress row it reported (kg.graph).
UNIT_EDGES = frozenset({*ROLE_EDGE.values(), "REPORTED_BY"})


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _extracted_tasks(build, doc_id):
    x = next(x for x in build.extractions if x.document.id == doc_id)
    g = build.graph
    tasks = []
    for t in x.tasks:
        if t.level:
            continue
        kind = "progress" if x.document.meta.kind == "progress" else "task"   # a row is a ProgressEntry
        tid = f"{kind}:{doc_id}:{t.seq}"
        assert g.nodes[tid]["type"] == ("ProgressEntry" if kind == "progress" else "Task")
        units = {(e["as_written"], e["role_word"], e["role"])
                 for _, _, k, e in g.in_edges(tid, keys=True, data=True) if k in UNIT_EDGES}
        leaders = {e["as_written"] for _, _, k, e in g.in_edges(tid, keys=True, data=True) if k == "OVERSEES"}
        tasks.append({"seq": t.seq, "number": t.number, "text": t.text, "units": units, "leaders": leaders})
    return tasks


def _align(gold, got):
    """Pair each gold task with the extracted task containing its snippet, in document order."""
    pairs, j = [], 0
    for gt in gold:
        k = next((i for i in range(j, len(got)) if gt["snippet"] in got[i]["text"]), None)
        if k is None:
            k = next((i for i in range(len(got)) if gt["snippet"] in got[i]["text"]), None)
        pairs.append((gt, got[k] if k is not None else None))
        if k is not None:
            j = k + 1
    return pairs


def _pr(tp, n_got, n_gold):
    p = tp / n_got if n_got else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r


def score_document(build, doc_id):
    gold = _jsonl(GOLD / f"{doc_id}.jsonl")
    got = _extracted_tasks(build, doc_id)
    pairs = _align(gold, got)
    matched = [g for _, g in pairs if g is not None]
    fields = {"tasks": _pr(len(matched), len(got), len(gold))}
    counts = defaultdict(lambda: [0, 0, 0])  # tp, got, gold
    for gt, et in pairs:
        gu = {tuple(u) for u in gt["units"]}
        eu = et["units"] if et else set()
        gl = set(gt["leaders"])
        el = et["leaders"] if et else set()
        for field, gs, es in (
            ("units+roles", gu, eu),
            ("unit names", {u[0] for u in gu}, {u[0] for u in eu}),
            ("leaders", gl, el),
        ):
            c = counts[field]
            c[0] += len(gs & es)
            c[1] += len(es)
            c[2] += len(gs)
        c = counts["numbers"]
        c[0] += int(et is not None and et["number"] == gt["number"])
        c[1] += int(et is not None)
        c[2] += 1
    # extracted tasks no gold task claims count against precision of their assignments
    claimed = {id(et) for _, et in pairs if et is not None}
    for et in got:
        if id(et) not in claimed:
            counts["units+roles"][1] += len(et["units"])
            counts["leaders"][1] += len(et["leaders"])
    for field, (tp, n_got, n_gold) in counts.items():
        fields[field] = _pr(tp, n_got, n_gold)
    misses = [(gt["seq"], gt["snippet"], sorted(map(tuple, gt["units"])), sorted(et["units"]) if et else None)
              for gt, et in pairs
              if et is None or {tuple(u) for u in gt["units"]} != et["units"] or set(gt["leaders"]) != et["leaders"]]
    return fields, misses


@pytest.mark.parametrize("doc_id", TASK_DOCS)
def test_tasks_units_and_leaders_meet_the_bar(seed_build, doc_id):
    fields, misses = score_document(seed_build, doc_id)
    print(f"\n{doc_id}")
    for field, (p, r) in fields.items():
        print(f"  {field:<12} precision {p:.3f}  recall {r:.3f}")
    for m in misses[:10]:
        print("  differs:", m)
    for field, (p, r) in fields.items():
        assert p >= BAR and r >= BAR, (field, p, r, misses[:5])


def _node_of(build, region, name):
    """Every unit node a name as written in the region was resolved to."""
    g = build.graph
    return {u for u, _, k, e in g.edges(keys=True, data=True)
            if k in UNIT_EDGES and e["as_written"] == name and g.nodes[u]["region"] == region}


@pytest.mark.parametrize("region_file", ["units-changqing.json", "units-huaiyin.json", "units-lixia.json"])
def test_unit_variants_resolve_to_one_node_and_different_units_stay_apart(seed_build, region_file):
    gold = json.loads((GOLD / region_file).read_text(encoding="utf-8"))
    region = gold["region"]
    g = seed_build.graph
    group_of = {}
    for i, group in enumerate(gold["same"]):
        nodes = set().union(*(_node_of(seed_build, region, n) for n in group))
        assert len(nodes) == 1, (group, nodes)
        for n in group:
            group_of[n] = i
    for a, b in gold["different"]:
        na, nb = _node_of(seed_build, region, a), _node_of(seed_build, region, b)
        if na and nb:
            assert na.isdisjoint(nb), (a, b)
    # no node holds names from two different gold groups or two ungrouped names
    merged = 0
    for n, d in g.nodes(data=True):
        if d["type"] != "Unit" or d["region"] != region:
            continue
        written = {e["as_written"] for _, _, k, e in g.out_edges(n, keys=True, data=True) if k in UNIT_EDGES}
        keys = {group_of.get(w, w) for w in written}
        merged += len(keys) > 1
        assert len(keys) <= 1, (n, written)
    print(f"\n{region}: {len(gold['same'])} variant groups each one node; {merged} wrong merges")


def test_main_targets_have_the_right_values(seed_graph):
    gold = _jsonl(GOLD / "targets.jsonl")
    g = seed_graph
    by_key = {(d["region"], d["metric"]): d for _, d in g.nodes(data=True) if d["type"] == "Indicator"}
    wrong = []
    fields = ("target", "unit", "qualifier", "stretch", "direction")
    for t in gold:
        node = by_key.get((t["region"], t["metric"]))
        if node is None:
            wrong.append((t["doc"], t["metric"], "missing"))
            continue
        checks = [f for f in fields if f in t] + [f for f in ("actual", "actual_unit", "period") if f in t]
        for f in checks:
            want, have = t[f], node.get(f)
            if isinstance(want, float) or isinstance(have, float):
                ok = want is not None and have is not None and abs(want - have) < 1e-6 or want == have
            else:
                ok = want == have
            if not ok:
                wrong.append((t["doc"], t["metric"], f, want, have))
    right = len(gold) - len({(w[0], w[1]) for w in wrong})
    print(f"\nmain targets: {right}/{len(gold)} right")
    for w in wrong:
        print("  wrong:", w)
    assert not wrong
