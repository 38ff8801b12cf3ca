"""Readable text and rows about a build: the summary `kg build` prints and the task list of `kg tasks`."""

from __future__ import annotations

import unicodedata
from collections import Counter

from kg.graph import ROLE_EDGE
from kg.model import PROGRESS
from kg.sources.normalize import stored


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


def format_table(header: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    """A plain-text table that lines up Chinese (double-width) text."""
    def cut(s: str) -> str:
        s = str(s if s is not None else "").replace("\n", " ")
        while _width(s) > max_width:
            s = s[:-2] + "…"
        return s

    cells = [[cut(c) for c in r] for r in [header, *rows]]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def document_row(x) -> dict:
    """A document's row of the summary: path, id, region (and how it was found), year, kind,
    layout and fit, and how many concrete tasks were read."""
    m = x.document.meta
    return {"path": x.document.path, "doc_id": x.document.id, "region": m.region,
            "how": dict(m.sources).get("region", ""), "year": m.year, "kind": m.kind,
            "layout": x.layout, "fit": x.fit, "tasks": sum(1 for t in x.tasks if t.level == 0)}


def summarize(result) -> str:
    """The summary `kg build` prints, of a :class:`kg.build.BuildResult`."""
    g = result.graph
    docs = [document_row(x) for x in result.extractions]
    nodes = Counter(d["type"] for _, d in g.nodes(data=True))
    edges = Counter(k for _, _, k in g.edges(keys=True))
    return summary_text(docs, nodes, edges, result.problems, result.failures)


def summarize_shards(built) -> str:
    """The summary of a sharded build (kg.build.ShardedBuild): the same as :func:`summarize`."""
    nodes, edges = built.counts()
    docs = sorted(built.documents, key=lambda d: d["path"])
    return summary_text(docs, nodes, edges, built.problems, built.failures)


def summary_text(docs: list[dict], nodes: Counter, edges: Counter, problems, failures) -> str:
    """Documents (a row each: path, region, how, year, kind, layout, fit, tasks), the node and
    edge counts by type, the warnings and the failures."""
    out = ["Documents"]
    rows = [[d["path"], d["region"] or "?", d["how"], str(d["year"] or "?"), d["kind"] or "?",
             f"{d['layout']} ({d['fit']:.2f})", str(d["tasks"])] for d in docs]
    out.append(format_table(["file", "region", "from", "year", "kind", "layout (fit)", "tasks"], rows))
    out.append(f"\nGraph: {sum(nodes.values())} nodes, {sum(edges.values())} edges")
    out.append("  nodes: " + ", ".join(f"{t} {n}" for t, n in sorted(nodes.items())))
    out.append("  edges: " + ", ".join(f"{t} {n}" for t, n in sorted(edges.items())))
    if problems:
        out.append(f"\nWarnings ({len(problems)})")
        for p in problems:
            quote = f"  «{p.quote}»" if p.quote else ""
            out.append(f"  {p.path}:{p.line}: {p.message}{quote}")
    if failures:
        out.append(f"\nFailed ({len(failures)})")
        for f in failures:
            out.append(f"  {f.message}")
    return "\n".join(out)


# Edges from a unit to a task (its role) or to a progress entry (the units that reported it).
_UNIT_EDGES = frozenset({*ROLE_EDGE.values(), "REPORTED_BY"})


def node_id(doc, seq: int) -> str:
    """The graph node of a task record: a Task, or a ProgressEntry for a progress report's row."""
    return f"{'progress' if doc.meta.kind == PROGRESS else 'task'}:{doc.id}:{seq}"


def task_rows(result, all_levels: bool = False) -> list[dict]:
    """One dict per task (and progress row): the stable JSON Lines interface of `kg tasks`.
    A progress row also says which task it reports on and its status."""
    g = result.graph
    rows = []
    for x in result.extractions:
        doc = x.document
        for t in x.tasks:
            if t.level and not all_levels:
                continue
            tid = node_id(doc, t.seq)
            units = []
            for u, _, k, e in g.in_edges(tid, keys=True, data=True):
                if k in _UNIT_EDGES:
                    n = g.nodes[u]
                    units.append({"as_written": e["as_written"], "name": n["name"], "id": u,
                                  "role": e["role"], "role_word": e["role_word"],
                                  "functions": n.get("functions", []), "kind": n.get("unit_kind"),
                                  "start": e["start"], "end": e["end"],
                                  **({"via": e["via"], "doc_id": e["doc_id"]} if e.get("via") else {})})
            units.sort(key=lambda u: ("via" in u, u["start"]))
            leaders = sorted(({"name": e.get("as_written") or g.nodes[u]["name"], "role_word": e["role_word"],
                               "start": e["start"]}
                              for u, _, k, e in g.in_edges(tid, keys=True, data=True) if k == "OVERSEES"),
                             key=lambda d: d["start"])
            indicators = _indicator_rows(g, tid, t)
            projects = [g.nodes[v]["name"] for _, v, k in g.out_edges(tid, keys=True) if k == "MENTIONS"]
            extra = {}
            if tid.startswith("progress:"):
                node = g.nodes[tid]
                extra = {"reports_on": next((v for _, v, k in g.out_edges(tid, keys=True) if k == "REPORTS_ON"),
                                            None),
                         "status": node.get("status"), "status_word": node.get("status_word")}
            rows.append({
                "id": tid, "region": doc.meta.region, "year": doc.meta.year, "document": doc.id,
                "file": doc.path, "seq": t.seq, "number": t.number, "number_inferred": t.number_inferred,
                "level": t.level, "section": t.section, "category": t.category,
                "text": stored(doc.text, t.span.start, t.span.end),
                "start": t.span.start, "end": t.span.end,
                "units": units, "leaders": [d["name"] for d in leaders],
                "indicators": indicators, "projects": projects,
                "deadline": t.deadline.text if t.deadline else None,
                "due": t.deadline.due if t.deadline else None, **extra,
            })
    return rows


_TARGET_FIELDS = ("kind", "target", "target_high", "unit", "qualifier", "stretch", "direction")
_ACTUAL_FIELDS = ("actual", "actual_unit", "period", "status")


def _indicator_rows(g, tid: str, t) -> list[dict]:
    """A task's targets as the task states them (``metric`` as the document writes it,
    ``canonical`` the graph's metric), with the actual and status its indicator node has."""
    nodes = {g.nodes[v].get("metric"): g.nodes[v] for _, v, k in g.out_edges(tid, keys=True)
             if k in ("HAS_TARGET", "STATES_ACTUAL")}
    out = []
    for r in t.indicators:
        node = nodes.get(r.metric, {})
        row = {"metric": r.metric_as_written or r.metric, "canonical": r.metric,
               **{k: getattr(r, k) for k in _TARGET_FIELDS}}
        row.update({k: getattr(r, k, None) if getattr(r, k, None) is not None else node.get(k)
                    for k in _ACTUAL_FIELDS})
        out.append(row)
    return out


def tasks_table(rows: list[dict]) -> str:
    body = []
    for r in rows:
        units = "；".join(f"{u['role']}:{u['as_written']}" + (f"→{u['name']}" if u["name"] != u["as_written"] else "")
                         for u in r["units"])
        body.append([r["region"] or "", r["document"], r["number"] or "", r["text"], units,
                     "、".join(r["leaders"])])
    return format_table(["region", "document", "no.", "task", "units (role:as written→canonical)", "leaders"],
                        body, max_width=40)


# -- targets against actuals: `kg status` --------------------------------------------------

# Progress statuses that say a task is not going as planned.
_TROUBLE = ("late", "not-started")


def _names(g, nodes) -> str:
    return "、".join(sorted({g.nodes[n]["name"] for n in nodes}))


def _target_units(g, iid: str) -> tuple[str, str]:
    """Units that lead or answer for a task stating the target, or reported its actual; and
    the leaders overseeing those tasks."""
    units, leaders = set(), set()
    for src, _, k in g.in_edges(iid, keys=True):
        if k == "HAS_TARGET" and g.nodes[src].get("type") == "Task":
            for u, _, k2 in g.in_edges(src, keys=True):
                if k2 in ("LEADS", "RESPONSIBLE_FOR"):
                    units.add(u)
                elif k2 == "OVERSEES":
                    leaders.add(u)
        elif k == "STATES_ACTUAL":
            units.update(u for u, _, k2 in g.in_edges(src, keys=True) if k2 == "REPORTED_BY")
    return _names(g, units), _names(g, leaders)


def status_rows(graph, region: str | None = None) -> dict[str, list[dict]]:
    """What `kg status` shows: ``targets``, every indicator with an actual or a main target,
    with its status and the rule that decided it (kg.link.status); ``tasks``, the progress
    entries whose text says the task is late or not started, with the task they report on.
    ``region``: only that region and the regions in it (a city includes its districts)."""
    from kg.view import regions_under

    g = graph
    regions = regions_under(g, region) if region else None
    keep = lambda d: regions is None or d.get("region") in regions  # noqa: E731
    targets = []
    for n, d in g.nodes(data=True):
        if d.get("type") != "Indicator" or not keep(d) or (d.get("actual") is None and not d.get("main")):
            continue
        units, leaders = _target_units(g, n)
        targets.append({
            "id": n, "region": d.get("region"), "year": d.get("year"), "metric": d.get("metric"),
            "kind": d.get("kind"), "target": d.get("target"), "target_high": d.get("target_high"),
            "unit": d.get("unit"), "qualifier": d.get("qualifier"), "direction": d.get("direction"),
            "actual": d.get("actual"), "actual_unit": d.get("actual_unit"), "period": d.get("period"),
            "status": d.get("status"), "rule": d.get("status_rule"), "elapsed": d.get("elapsed"),
            "share_done": d.get("share_done"), "units": units, "leaders": leaders})
    targets.sort(key=lambda r: (r["region"] or "", r["year"] or 0, r["actual"] is None, r["metric"] or ""))
    tasks = []
    for n, d in g.nodes(data=True):
        if d.get("type") != "ProgressEntry" or not keep(d) or d.get("status") not in _TROUBLE:
            continue
        task = next((v for _, v, k in g.out_edges(n, keys=True) if k == "REPORTS_ON"), None)
        tasks.append({
            "entry": n, "region": d.get("region"), "period": d.get("period"), "number": d.get("number"),
            "text": d.get("text"), "status": d.get("status"), "word": d.get("status_word"),
            "task": task, "task_text": g.nodes[task].get("text") if task else None,
            "units": _names(g, [u for u, _, k in g.in_edges(n, keys=True) if k == "REPORTED_BY"])})
    tasks.sort(key=lambda r: (r["region"] or "", r["entry"]))
    return {"targets": targets, "tasks": tasks}


def _number(v, unit=None) -> str:
    if v is None:
        return ""
    text = f"{v:g}" if isinstance(v, float) else str(v)
    return text + (unit or "")


def status_table(rows: dict[str, list[dict]]) -> str:
    """The two tables of `kg status`: targets against actuals, and tasks in trouble."""
    body = []
    for r in rows["targets"]:
        target = _number(r["target"], r["unit"] if r["target_high"] is None else None)
        if r["target_high"] is not None:
            target += "—" + _number(r["target_high"], r["unit"])
        if r["target"] is not None and r["direction"] == "down":
            target = "下降" + target
        done = (f"{r['share_done']:.0%} of target, {r['elapsed']:.0%} of year"
                if r["share_done"] is not None and r["elapsed"] is not None else "")
        body.append([r["region"] or "", r["metric"] or "", target + (r["qualifier"] or ""),
                     _number(r["actual"], r["actual_unit"]), r["period"] or "", r["status"] or "",
                     r["rule"] or "", done, r["units"]])
    out = ["Targets against actuals",
           format_table(["region", "metric", "target", "actual", "period", "status", "rule", "progress",
                         "units"], body, max_width=30)]
    out.append("\nTasks the progress reports call late or not started")
    if rows["tasks"]:
        out.append(format_table(
            ["region", "period", "row", "status", "word", "task", "units"],
            [[r["region"] or "", r["period"] or "", r["number"] or r["entry"], r["status"], r["word"] or "",
              r["task_text"] or r["text"] or "", r["units"]] for r in rows["tasks"]], max_width=30))
    else:
        out.append("  none: no progress text says 滞后, 未开工 or the like (data/status_words.tsv)")
    return "\n".join(out)
