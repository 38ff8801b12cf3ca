"""Readable text and rows about a build: the summary `kg build` prints and the task list of `kg tasks`."""

from __future__ import annotations

import unicodedata
from collections import Counter

from kg.graph import ROLE_EDGE


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


def summarize(result) -> str:
    g = result.graph
    out = []
    docs = []
    for x in result.extractions:
        m = x.document.meta
        how = dict(m.sources)
        concrete = sum(1 for t in x.tasks if t.level == 0)
        docs.append([x.document.path, m.region or "?", f"{how.get('region', '')}", str(m.year or "?"),
                     m.kind or "?", f"{x.layout} ({x.fit:.2f})", str(concrete)])
    out.append("Documents")
    out.append(format_table(["file", "region", "from", "year", "kind", "layout (fit)", "tasks"], docs))
    nodes = Counter(d["type"] for _, d in g.nodes(data=True))
    edges = Counter(k for _, _, k in g.edges(keys=True))
    out.append(f"\nGraph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    out.append("  nodes: " + ", ".join(f"{t} {n}" for t, n in sorted(nodes.items())))
    out.append("  edges: " + ", ".join(f"{t} {n}" for t, n in sorted(edges.items())))
    if result.problems:
        out.append(f"\nWarnings ({len(result.problems)})")
        for p in result.problems:
            quote = f"  «{p.quote}»" if p.quote else ""
            out.append(f"  {p.path}:{p.line}: {p.message}{quote}")
    if result.failures:
        out.append(f"\nFailed ({len(result.failures)})")
        for f in result.failures:
            out.append(f"  {f.message}")
    return "\n".join(out)


def task_rows(result, all_levels: bool = False) -> list[dict]:
    """One dict per task: the stable JSON Lines interface of `kg tasks`."""
    g = result.graph
    rows = []
    for x in result.extractions:
        doc = x.document
        for t in x.tasks:
            if t.level and not all_levels:
                continue
            tid = f"task:{doc.id}:{t.seq}"
            units = []
            for u, _, k, e in g.in_edges(tid, keys=True, data=True):
                if k in ROLE_EDGE.values():
                    n = g.nodes[u]
                    units.append({"as_written": e["as_written"], "name": n["name"], "id": u,
                                  "role": e["role"], "role_word": e["role_word"],
                                  "functions": n.get("functions", []), "kind": n.get("unit_kind"),
                                  "start": e["start"], "end": e["end"]})
            units.sort(key=lambda u: u["start"])
            leaders = sorted(({"name": g.nodes[u]["name"], "role_word": e["role_word"], "start": e["start"]}
                              for u, _, k, e in g.in_edges(tid, keys=True, data=True) if k == "OVERSEES"),
                             key=lambda d: d["start"])
            indicators = [
                {k: g.nodes[v].get(k) for k in ("metric", "kind", "target", "target_high", "unit", "qualifier",
                                                "stretch", "direction", "actual", "actual_unit", "period")}
                for _, v, k in g.out_edges(tid, keys=True) if k == "HAS_TARGET"]
            projects = [g.nodes[v]["name"] for _, v, k in g.out_edges(tid, keys=True) if k == "MENTIONS"]
            rows.append({
                "id": tid, "region": doc.meta.region, "year": doc.meta.year, "document": doc.id,
                "file": doc.path, "seq": t.seq, "number": t.number, "number_inferred": t.number_inferred,
                "level": t.level, "section": t.section, "category": t.category, "text": t.text,
                "start": t.span.start, "end": t.span.end,
                "units": units, "leaders": [d["name"] for d in leaders],
                "indicators": indicators, "projects": projects,
            })
    return rows


def tasks_table(rows: list[dict]) -> str:
    body = []
    for r in rows:
        units = "；".join(f"{u['role']}:{u['as_written']}" + (f"→{u['name']}" if u["name"] != u["as_written"] else "")
                         for u in r["units"])
        body.append([r["region"] or "", r["document"], r["number"] or "", r["text"], units,
                     "、".join(r["leaders"])])
    return format_table(["region", "document", "no.", "task", "units (role:as written→canonical)", "leaders"],
                        body, max_width=40)
