"""Readable text and rows about a build: the summary `kg build` prints and the task list of `kg tasks`."""

from __future__ import annotations

from collections import Counter

from kg.formats import Column, format_table, join, render_records
from kg.graph import ROLE_EDGE
from kg.model import PROGRESS
from kg.sources.normalize import stored


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


def _units(g, node: str) -> list[dict]:
    """The units of a task or progress row: role, as written, canonical name, functions, and for
    a unit that answers through a progress row, ``via`` (the entry) and its document."""
    units = []
    for u, _, k, e in g.in_edges(node, keys=True, data=True):
        if k in _UNIT_EDGES:
            n = g.nodes[u]
            units.append({"as_written": e.get("as_written"), "name": n["name"], "id": u,
                          "role": e.get("role"), "role_word": e.get("role_word"),
                          "functions": n.get("functions", []), "kind": n.get("unit_kind"),
                          "start": e.get("start"), "end": e.get("end"),
                          **({"via": e["via"], "doc_id": e.get("doc_id")} if e.get("via") else {})})
    units.sort(key=lambda u: ("via" in u, u["start"] or 0))
    return units


def _leaders(g, node: str) -> list[str]:
    found = sorted(((e.get("start") or 0, e.get("as_written") or g.nodes[u]["name"])
                    for u, _, k, e in g.in_edges(node, keys=True, data=True) if k == "OVERSEES"))
    return list(dict.fromkeys(name for _, name in found))


def _progress_fields(g, node: str) -> dict:
    """What a progress row adds: the task it reports on, its period and progress, and its status
    as kg.ledger.entry_status reads it (words, figures, the target it states), with the words."""
    from kg.ledger import entry_status

    d = g.nodes[node]
    found = entry_status(g, node)
    return {"reports_on": next((v for _, v, k in g.out_edges(node, keys=True) if k == "REPORTS_ON"), None),
            "period": d.get("period"), "progress": d.get("progress"),
            "status": found.status, "status_word": found.word, "status_basis": found.basis}


def _kind(node: str) -> str:
    return "progress" if node.startswith("progress:") else "task"


def task_rows(result, all_levels: bool = False) -> list[dict]:
    """One dict per task (and progress row): the stable JSON Lines interface of `kg tasks`.
    ``kind`` says which it is (``task`` or ``progress``); a progress row also says which task it
    reports on and its status."""
    g = result.graph
    rows = []
    for x in result.extractions:
        doc = x.document
        for t in x.tasks:
            if t.level and not all_levels:
                continue
            tid = node_id(doc, t.seq)
            projects = [g.nodes[v]["name"] for _, v, k in g.out_edges(tid, keys=True) if k == "MENTIONS"]
            rows.append({
                "id": tid, "kind": _kind(tid), "region": doc.meta.region, "year": doc.meta.year,
                "document": doc.id, "file": doc.path, "seq": t.seq, "number": t.number,
                "number_inferred": t.number_inferred, "level": t.level, "section": t.section,
                "category": t.category, "text": stored(doc.text, t.span.start, t.span.end),
                "start": t.span.start, "end": t.span.end,
                "units": _units(g, tid), "leaders": _leaders(g, tid),
                "indicators": _indicator_rows(g, tid, t), "projects": projects,
                "deadline": t.deadline.text if t.deadline else None,
                "due": t.deadline.due if t.deadline else None,
                **(_progress_fields(g, tid) if _kind(tid) == "progress" else {}),
            })
    return rows


_GRAPH_TARGET_FIELDS = ("kind", "target", "target_high", "unit", "qualifier", "stretch", "direction",
                        "actual", "actual_unit", "period", "status")


def graph_task_rows(g, *, region: str | None = None, all_levels: bool = False) -> list[dict]:
    """:func:`task_rows` of a built graph (`kg tasks --graph`): the same fields, from the graph's
    nodes (a target's ``metric`` is the graph's canonical name: the graph keeps no other)."""
    from kg.lookup import region_names

    regions = region_names(g, region) if region else None
    docs = {d.get("doc_id"): d for _, d in g.nodes(data=True) if d.get("type") == "Document"}
    rows = []
    for n, d in g.nodes(data=True):
        if d.get("type") not in ("Task", "ProgressEntry") or (d.get("level") and not all_levels):
            continue
        if regions is not None and d.get("region") not in regions:
            continue
        targets = [{"metric": i.get("metric"), "canonical": i.get("metric"),
                    **{k: i.get(k) for k in _GRAPH_TARGET_FIELDS}}
                   for i in (g.nodes[v] for _, v, k in g.out_edges(n, keys=True)
                             if k in ("HAS_TARGET", "STATES_ACTUAL"))]
        rows.append({
            "id": n, "kind": _kind(n), "region": d.get("region"), "year": d.get("year"),
            "document": d.get("doc_id"), "file": docs.get(d.get("doc_id"), {}).get("path"),
            "seq": d.get("seq"), "number": d.get("number"), "number_inferred": d.get("number_inferred"),
            "level": d.get("level") or 0, "section": d.get("section"), "category": d.get("category"),
            "text": d.get("text"), "start": d.get("start"), "end": d.get("end"),
            "units": _units(g, n), "leaders": _leaders(g, n), "indicators": targets,
            "projects": [g.nodes[v]["name"] for _, v, k in g.out_edges(n, keys=True) if k == "MENTIONS"],
            "deadline": d.get("deadline"), "due": d.get("due"),
            **(_progress_fields(g, n) if _kind(n) == "progress" else {}),
        })
    rows.sort(key=lambda r: (r["document"] or "", r["seq"] or 0))
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


def _unit_cell(r: dict) -> str:
    return "；".join(f"{u['role']}:{u['as_written']}" + (f"→{u['name']}" if u["name"] != u["as_written"] else "")
                    for u in r["units"])


def task_columns() -> list[Column]:
    """What a table or CSV of `kg tasks` shows of each row (JSON has every field)."""
    return [Column("id", lambda r: r["id"], 40), Column("kind", lambda r: r["kind"], 8),
            Column("region", lambda r: r["region"] or "", 10), Column("document", lambda r: r["document"], 30),
            Column("no.", lambda r: r["number"] or "", 6), Column("task", lambda r: r["text"], 40),
            Column("units (role:as written→canonical)", _unit_cell, 40),
            Column("leaders", lambda r: join(r["leaders"]), 16),
            Column("deadline", lambda r: r["deadline"] or "", 16), Column("due", lambda r: r["due"] or "", 10),
            Column("status", lambda r: r.get("status") or "", 11),
            Column("reports_on", lambda r: r.get("reports_on") or "", 40)]


def tasks_table(rows: list[dict]) -> str:
    return render_records(rows, "table", task_columns())


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


def status_rows(graph, region: str | None = None, as_of=None, soon_days: int | None = None) -> dict:
    """What `kg status` shows, at a date (``as_of``; default the end of the latest progress
    period, kg.ledger.as_of_date): ``as_of`` and ``as_of_how``; ``targets``, every indicator
    with an actual or a main target, with its status and the rule that decided it
    (kg.link.status); ``overdue`` and ``due_soon``, the tasks whose due date has passed or falls
    within ``soon_days`` and that no progress says are done (kg.ledger), with their units and
    leaders; ``tasks``, the progress entries that say their task is late or not started, with
    the task they report on and the words that said it. ``region``: only that region and the
    regions in it (a city includes its districts)."""
    from kg.ledger import SOON_DAYS, deadline_rows, entry_status, ledger
    from kg.lookup import region_names

    g = graph
    regions = region_names(g, region) if region else None
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
    book = ledger(g, region=region, as_of=as_of, soon_days=soon_days or SOON_DAYS)
    due = deadline_rows(book)
    tasks = []
    for n, d in g.nodes(data=True):
        if d.get("type") != "ProgressEntry" or not keep(d):
            continue
        found = entry_status(g, n)
        if found.status not in _TROUBLE:
            continue
        task = next((v for _, v, k in g.out_edges(n, keys=True) if k == "REPORTS_ON"), None)
        tasks.append({
            "entry": n, "region": d.get("region"), "period": d.get("period"), "number": d.get("number"),
            "text": d.get("text"), "status": found.status, "word": found.word, "basis": found.basis,
            "task": task, "task_text": g.nodes[task].get("text") if task else None,
            "units": _names(g, [u for u, _, k in g.in_edges(n, keys=True) if k == "REPORTED_BY"]),
            "leaders": "、".join(_leaders(g, task) if task else _leaders(g, n))})
    tasks.sort(key=lambda r: (r["region"] or "", r["entry"]))
    return {"as_of": book.as_of.date.isoformat(), "as_of_how": book.as_of.how, "soon_days": book.soon_days,
            "with_due_date": sum(1 for r in book.rows if r["due"]),
            "targets": targets, "overdue": [_deadline_row(r) for r in due["overdue"]],
            "due_soon": [_deadline_row(r) for r in due["due_soon"]], "tasks": tasks}


def _deadline_row(r: dict) -> dict:
    """A ledger row as `kg status` lists an overdue or due-soon task."""
    return {"task": r["id"], "region": r["region"], "document": r["document"], "number": r["number"],
            "text": r["text"], "deadline": r["deadline"], "due": r["due"], "days_left": r["days_left"],
            "progress_status": r["progress_status"], "status_word": r["status_word"],
            "progress_period": r["progress_period"], "why": r["why"],
            "lead_units": "、".join(r["lead_units"]), "units": "、".join(r["assist_units"]),
            "leaders": "、".join(r["leaders"])}


STATUS_SECTIONS = ("targets", "overdue", "due_soon", "tasks")


def status_records(rows: dict) -> list[dict]:
    """Every row of `kg status` as one flat list (CSV, JSON Lines), each with its ``section``
    (targets, overdue, due_soon, tasks) and the date it is at."""
    return [{"section": section, "as_of": rows["as_of"], **r}
            for section in STATUS_SECTIONS for r in rows.get(section, [])]


def _number(v, unit=None) -> str:
    if v is None:
        return ""
    text = f"{v:g}" if isinstance(v, float) else str(v)
    return text + (unit or "")


_DEADLINE_COLUMNS = [
    Column("region", lambda r: r["region"] or "", 10), Column("due", lambda r: r["due"], 10),
    Column("deadline", lambda r: r["deadline"] or "", 16), Column("task", lambda r: r["text"] or "", 30),
    Column("lead units", lambda r: r["lead_units"], 24), Column("units", lambda r: r["units"], 24),
    Column("leaders", lambda r: r["leaders"], 12), Column("why", lambda r: r["why"], 60)]


def status_table(rows: dict) -> str:
    """The tables of `kg status`: targets against actuals, overdue and due-soon tasks at the
    date, and the tasks the progress reports call late or not started."""
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
    if "as_of" in rows:
        out.append(f"\nDeadlines as of {rows['as_of']} ({rows['as_of_how']})")
        for section, title in (("overdue", "Overdue: the due date has passed and no progress says done"),
                               ("due_soon", f"Due within {rows['soon_days']} days, not done")):
            out.append(f"{title}")
            if rows[section]:
                out.append(render_records(rows[section], "table", _DEADLINE_COLUMNS))
            else:
                out.append(f"  none (of {rows['with_due_date']} tasks with a due date)")
    out.append("\nTasks the progress reports call late or not started")
    if rows["tasks"]:
        out.append(format_table(
            ["region", "period", "row", "status", "words", "task", "units", "leaders"],
            [[r["region"] or "", r["period"] or "", r["number"] or r["entry"], r["status"], r["word"] or "",
              r["task_text"] or r["text"] or "", r["units"], r.get("leaders") or ""] for r in rows["tasks"]],
            max_width=30))
    else:
        out.append("  none: no progress text says 滞后, 未开工 or the like (data/status_words.tsv), "
                   "and no figure is behind")
    return "\n".join(out)
