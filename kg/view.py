"""Graph → an interactive responsibility network: a pyvis Network, and one offline HTML page.

:func:`network` selects what to draw (the whole graph, or the neighbourhood of
units, leaders, a function or tasks, within a region) and styles it: colour and
shape by node type, units sized by their task count, role edges drawn apart.
:func:`render_html` turns that network into ONE self-contained HTML document:
vis-network's JS and CSS are inlined from the copy pyvis ships, nothing refers
to a remote host, and every text from the documents travels as JSON inside a
``<script type="application/json">`` block and is shown with ``textContent``.
This module builds strings; the CLI writes the file.
"""

from __future__ import annotations

import difflib
import html
import json
import math
import re
from collections import Counter, deque
from functools import lru_cache
from pathlib import Path
from typing import Optional

from kg.errors import KgError
from kg.lookup import regions_within, with_generic

# type: (shape, colour, legend text). Shapes with the label below them, so size means something.
NODE_STYLE = {
    "Region": ("hexagon", "#7f7f7f", "区域 Region"),
    "Document": ("triangle", "#8c564b", "文件 Document"),
    "Unit": ("dot", "#1f77b4", "单位 Unit"),
    "Leader": ("star", "#d62728", "领导 Leader"),
    "Task": ("square", "#ff9f1c", "任务 Task"),
    "Indicator": ("diamond", "#2ca02c", "指标 Indicator"),
    "Project": ("triangleDown", "#9467bd", "项目 Project"),
    "ProgressEntry": ("box", "#e7ba52", "推进情况 ProgressEntry"),
}
_OTHER_NODE = ("dot", "#bcbd22", "其他 Other")

# type: (colour, dashes, width, legend text). Responsibility edges stand out; context edges are faint.
EDGE_STYLE = {
    "LEADS": ("#d62728", False, 2.5, "牵头 LEADS"),
    "ASSISTS": ("#1f77b4", True, 1.5, "配合 ASSISTS"),
    "RESPONSIBLE_FOR": ("#17becf", False, 1.5, "责任 RESPONSIBLE_FOR"),
    "OVERSEES": ("#9467bd", [2, 4], 2.0, "牵头领导 OVERSEES"),
    "REPORTS_ON": ("#8c564b", [8, 4], 1.5, "推进情况 REPORTS_ON"),
    "REPORTED_BY": ("#17becf", [6, 3], 1.5, "报送 REPORTED_BY"),
    "STATES_ACTUAL": ("#2ca02c", [6, 3], 1.0, "实际值 STATES_ACTUAL"),
    "SAME_METRIC": ("#98df8a", [3, 3], 1.5, "同一指标 SAME_METRIC"),
    "CARRIES_OUT": ("#ff7f0e", [10, 4], 1.5, "落实 CARRIES_OUT"),
    "HAS_TARGET": ("#2ca02c", False, 1.0, "目标 HAS_TARGET"),
    "MENTIONS": ("#c5b0d5", [4, 4], 1.0, "提及 MENTIONS"),
    "DELIVERED": ("#d62728", [1, 3], 1.0, "报告人 DELIVERED"),
    "FROM_DOCUMENT": ("#d0d0d0", False, 0.5, "来源文件 FROM_DOCUMENT"),
    "IN_REGION": ("#d0d0d0", False, 0.5, "所属区域 IN_REGION"),
    "PART_OF": ("#d0d0d0", [2, 2], 0.5, "隶属 PART_OF"),
}
_OTHER_EDGE = ("#d0d0d0", False, 0.5, "")
_CONTEXT_LENGTH = 160                                # context edges keep hubs away from what they hold

# The selection walks these edges; regions and documents are added as context, never walked through.
_WALK = frozenset({"LEADS", "ASSISTS", "RESPONSIBLE_FOR", "OVERSEES", "REPORTS_ON", "HAS_TARGET",
                   "MENTIONS", "REPORTED_BY", "STATES_ACTUAL", "SAME_METRIC", "CARRIES_OUT"})
_ROLE_EDGES = ("LEADS", "ASSISTS", "RESPONSIBLE_FOR")
_CONTEXT = frozenset({"IN_REGION", "FROM_DOCUMENT"})
_TASK_LABEL_CHARS = 10
# Chinese fonts of Windows, macOS and Linux intranet machines, then whatever the browser has.
_FONTS = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'


# More nodes than a browser can show usefully: the view refuses and says how to narrow it.
MAX_NODES = 2500


def too_many(count: int, max_nodes: int = MAX_NODES) -> str:
    """Why a view of ``count`` nodes is refused, and how to narrow it."""
    return (f"the view would draw {count} nodes, more than {max_nodes}: narrow it with "
            f"--region (e.g. 槐荫区), --unit, --leader or --function (e.g. 发展改革), or a smaller --depth")


def network(graph, *, region=None, unit=None, leader=None, function=None, task=None, depth=1,
            max_nodes=MAX_NODES):
    """The pyvis Network of the whole graph, or of the neighbourhood of the named nodes.

    ``unit``/``leader``/``task`` are names or aliases (a task also by id, number or a piece of
    its text; a district-generic unit name such as 区发展改革局 selects every district's unit of
    that function); ``function`` selects every unit with that functional category; ``region``
    keeps that region and the regions under it. Raises KgError when nothing matches or when the
    view would exceed ``max_nodes``.
    """
    from pyvis.network import Network

    if depth < 0:
        raise KgError(f"depth must be 0 or more, not {depth}")
    regions = regions_under(graph, region) if region else None
    keep = (lambda n: _in_region(graph, n, regions)) if regions is not None else (lambda n: True)
    seeds = _seeds(graph, keep, region, unit=unit, leader=leader, function=function, task=task)
    if seeds is None:
        nodes = _whole(graph, keep, filtered=regions is not None)
    else:
        nodes = _neighbourhood(graph, seeds, depth, keep)
    if len(nodes) > max_nodes:
        raise KgError(too_many(len(nodes), max_nodes))
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    counts = _task_counts(graph)
    for n in sorted(nodes):
        net.add_node(n, **_node_options(graph, n, counts))
    for u, v, k, d in sorted(graph.subgraph(nodes).edges(keys=True, data=True), key=lambda e: e[:3]):
        net.add_edge(u, v, **_edge_options(u, v, k, d))
    net.options = _vis_options(len(nodes))
    net.heading = _heading(region, unit, leader, function, task, depth)
    return net


def render_html(graph, **selection) -> str:
    """One self-contained offline HTML page drawing ``network(graph, **selection)``."""
    net = network(graph, **selection)
    js, css = _vis_assets()
    payload = {
        "title": net.heading,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "legend": {
            "nodes": [{"type": t, "shape": s, "color": c, "text": x} for t, (s, c, x) in NODE_STYLE.items()],
            "edges": [{"type": t, "color": c, "dashed": bool(d), "text": x}
                      for t, (c, d, _, x) in EDGE_STYLE.items()],
        },
        "regions": sorted({n["kg_region"] for n in net.nodes if n["kg_region"]}),
        "nodeTypes": sorted({n["kg_type"] for n in net.nodes}),
        "edgeTypes": sorted({e["kg_type"] for e in net.edges}),
    }
    page, app_css, app_js = _template()
    parts = {
        "TITLE": html.escape(net.heading),
        "VIS_CSS": css.replace("</", "<\\/"),
        "APP_CSS": app_css.replace("@FONTS@", _FONTS),
        "VIS_JS": js,
        "DATA": json_for_script(payload),
        "APP_JS": app_js,
    }
    # one pass, so that text inserted for one placeholder is never read for another
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], page)


def json_for_script(value) -> str:
    """JSON safe inside a <script> block: no <, >, &, U+2028/2029 or / left as they are."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


# -- selection ---------------------------------------------------------------------------

def regions_under(g, name: str) -> set[str]:
    """The names of region ``name`` and of every region PART_OF it."""
    regions = {n: d for n, d in g.nodes(data=True) if d.get("type") == "Region"}
    roots = [n for n, d in regions.items() if name in (d.get("name"), d.get("code"))]
    if not roots:
        known = sorted({d.get("name") for d in regions.values() if d.get("name")})
        raise KgError(f"no region {name!r} in the graph; regions: {'、'.join(known) or 'none'}")
    return regions_within(g, regions, roots)


def _in_region(g, n, regions: set[str]) -> bool:
    d = g.nodes[n]
    if d.get("type") == "Region":
        return d.get("name") in regions
    r = d.get("region")
    return r is None or r in regions


def _names(d) -> list[str]:
    return [x for x in (d.get("name"), *(d.get("aliases") or ())) if x]


def _seeds(g, keep, region, *, unit, leader, function, task):
    """The nodes the user named, or None for the whole graph."""
    if not any((unit, leader, function, task)):
        return None
    seeds: set = set()
    typed = lambda t: [n for n, d in g.nodes(data=True) if d.get("type") == t and keep(n)]  # noqa: E731
    where = f" in {region}" if region else ""
    if unit:
        seeds |= _match_units(g, typed("Unit"), unit, where)
    if leader:
        found = {n for n in typed("Leader") if leader in _names(g.nodes[n])}
        seeds |= found or _no_match(g, typed("Leader"), "leader", leader, where)
    if function:
        found = {n for n in typed("Unit") if function in (g.nodes[n].get("functions") or ())}
        if not found:
            known = sorted({f for n in typed("Unit") for f in g.nodes[n].get("functions") or ()})
            raise KgError(f"no unit with function {function!r}{where}; functions: "
                          f"{'、'.join(known) or 'none'}")
        seeds |= found
    if task:
        tasks = typed("Task")
        found = ({n for n in tasks if n == task}
                 or {n for n in tasks if g.nodes[n].get("number") == task}
                 or {n for n in tasks if task in (g.nodes[n].get("text") or "")})
        seeds |= found or _no_match(g, tasks, "task", task, where)
    return seeds


def _match_units(g, units, name, where) -> set:
    """Units called ``name``; for 区xx局, also the unit of the same function in other regions.

    A name with its region in front (长清区发展改革局) is that region's unit.
    """
    found = {n for n in units if name in _names(g.nodes[n])}
    if not found:
        from kg.resolve.units import split_region_prefix

        region, rest = split_region_prefix(name)
        if region is not None and rest != name:
            return {n for n in units if g.nodes[n].get("region") == region.name
                    and rest in _names(g.nodes[n])} or _no_match(g, units, "unit", name, where)
    if not found:
        return _no_match(g, units, "unit", name, where)
    return with_generic(g, units, found, name)


def _no_match(g, candidates, kind, name, where):
    close = difflib.get_close_matches(name, sorted({x for n in candidates for x in _names(g.nodes[n])}),
                                      n=5, cutoff=0.5)
    hint = f"; did you mean {'、'.join(close)}?" if close else ""
    raise KgError(f"no {kind} named {name!r}{where}{hint}")


def _neighbourhood(g, seeds, depth, keep) -> set:
    """Seeds, what the responsibility edges reach within ``depth`` steps, and their context."""
    seen = set(seeds)
    todo = deque((s, 0) for s in seeds)
    while todo:
        n, dist = todo.popleft()
        if dist == depth:
            continue
        for _, m, k in (*g.out_edges(n, keys=True), *((n, m, k) for m, _, k in g.in_edges(n, keys=True))):
            if k in _WALK and m not in seen and keep(m):
                seen.add(m)
                todo.append((m, dist + 1))
    context = {m for n in seen for _, m, k in g.out_edges(n, keys=True) if k in _CONTEXT and keep(m)}
    return seen | context


def _whole(g, keep, filtered: bool) -> set:
    """Every node; with a region, its nodes and the region-less ones (projects) they touch."""
    if not filtered:
        return set(g.nodes)
    placed = lambda d: d.get("type") == "Region" or d.get("region") is not None  # noqa: E731
    nodes = {n for n, d in g.nodes(data=True) if placed(d) and keep(n)}
    loose = {n for n, d in g.nodes(data=True) if not placed(d)
             and any(m in nodes for m in (*g.successors(n), *g.predecessors(n)))}
    return nodes | loose


# -- style -------------------------------------------------------------------------------

def _task_counts(g) -> dict:
    """Per unit or leader: Counter of its responsibility edge types."""
    counts: dict = {}
    for u, _, k in g.edges(keys=True):
        if k in _ROLE_EDGES or k == "OVERSEES":
            counts.setdefault(u, Counter())[k] += 1
    return counts


def _text(v) -> str:
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v if x not in (None, ""))
    return "" if v is None else str(v)


def _node_options(g, n, counts) -> dict:
    d = g.nodes[n]
    t = d.get("type", "")
    shape, colour, _ = NODE_STYLE.get(t, _OTHER_NODE)
    name = d.get("name") or str(n)
    label, size = d.get("label") or name, 12
    c = counts.get(n, Counter())
    details = [("类型", t), ("名称", name)]
    if t == "Unit":
        size = min(60, 10 + 5 * math.sqrt(sum(c.values())))
        details += [("区域", d.get("region")), ("职能", d.get("functions")), ("别名", d.get("aliases")),
                    ("类别", d.get("unit_kind")), ("牵头任务", c["LEADS"]), ("配合任务", c["ASSISTS"]),
                    ("责任任务", c["RESPONSIBLE_FOR"])]
    elif t == "Leader":
        size = min(50, 14 + 4 * math.sqrt(c["OVERSEES"]))
        details += [("区域", d.get("region")), ("职务", d.get("posts")), ("牵头任务", c["OVERSEES"])]
    elif t == "Task":
        text = d.get("text") or name
        short = text[:_TASK_LABEL_CHARS] + ("…" if len(text) > _TASK_LABEL_CHARS else "")
        label, size = (f"{d['number']} " if d.get("number") else "") + short, 8
        doc = g.nodes.get(f"doc:{d.get('doc_id')}", {})
        details = [("类型", t), ("编号", d.get("number")), ("全文", text),
                   ("文件", " ".join(x for x in (d.get("doc_id"), doc.get("title")) if x)),
                   ("区域", d.get("region")), ("章节", d.get("section")), ("类别", d.get("category")),
                   ("完成时限", _deadline(d)),
                   ("原文", d.get("quote")), ("推进情况", d.get("progress")), ("后续举措", d.get("next_steps"))]
    elif t == "ProgressEntry":
        text = d.get("text") or name
        short = text[:_TASK_LABEL_CHARS] + ("…" if len(text) > _TASK_LABEL_CHARS else "")
        label, size = (f"{d['number']} " if d.get("number") else "") + short, 8
        actual = f"{d['actual']}{d.get('actual_unit') or ''}" if d.get("actual") is not None else None
        details = [("类型", t), ("编号", d.get("number")), ("全文", text), ("文件", d.get("doc_id")),
                   ("区域", d.get("region")), ("时期", d.get("period")), ("类别", d.get("category")),
                   ("完成时限", _deadline(d)), ("推进情况", d.get("progress")), ("后续举措", d.get("next_steps")),
                   ("状态", " ".join(x for x in (d.get("status"), d.get("status_word")) if x)),
                   ("实际", actual)]
    elif t == "Document":
        size = 20
        details += [(k, d.get(f)) for k, f in (("标题", "title"), ("区域", "region"), ("年份", "year"),
                    ("类别", "kind"), ("报告人", "author"), ("职务", "post"), ("文件名", "path"))]
    elif t == "Indicator":
        details += [(k, d.get(f)) for k, f in (("区域", "region"), ("年份", "year"), ("目标", "target"),
                    ("上限", "target_high"), ("单位", "unit"), ("限定", "qualifier"), ("实际", "actual"),
                    ("时期", "period"), ("状态", "status"), ("规则", "status_rule"), ("原文", "quote"))]
    elif t == "Region":
        size = 22
        details += [("代码", d.get("code")), ("级别", d.get("level"))]
    elif t == "Project":
        details += [("别名", d.get("aliases"))]
    details = [(k, _text(v)) for k, v in details if _text(v) not in ("", "0") or k in ("牵头任务",)]
    region = name if t == "Region" else d.get("region")
    return dict(
        label=_text(label), shape=shape, color=colour, size=round(size, 1),
        title="\n".join(f"{k}：{v}" for k, v in details),
        kg_type=t, kg_region=_text(region), kg_color=colour, kg_details=details,
        kg_search="\n".join([_text(label), *_names(d)]).lower())


def _edge_options(u, v, k, d) -> dict:
    colour, dashes, width, _ = EDGE_STYLE.get(k, _OTHER_EDGE)
    written = "：".join(x for x in (d.get("role_word"), d.get("as_written")) if x)
    details = [(key, _text(val)) for key, val in (
        ("关系", k), ("角色", d.get("role")), ("原文称谓", written), ("文件", d.get("doc_id")),
        ("原文", d.get("quote")), ("经由", d.get("via")), ("得分", d.get("score")),
        ("方法", d.get("method")), ("依据", d.get("evidence"))) if _text(val)]
    extra = {} if k in _WALK else {"length": _CONTEXT_LENGTH}
    return dict(id=f"{u}|{k}|{v}", color=colour, dashes=dashes, width=width, **extra,
                title="\n".join(f"{a}：{b}" for a, b in details) or k,
                kg_type=k, kg_color=colour, kg_details=details)


def _vis_options(n: int) -> dict:
    """Bounded stabilization: the layout settles in a few seconds, then physics stops."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n <= 150},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                                         "springLength": 70, "springConstant": 0.08, "avoidOverlap": 0.4},
                    "stabilization": {"enabled": True, "iterations": 1000 if n < 300 else 250,
                                      "updateInterval": 25, "fit": True},
                    "minVelocity": 2, "timestep": 0.5},
        "nodes": {"font": {"size": 12, "face": _FONTS}, "borderWidth": 1},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
                  "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": n > 800,
                        "hideEdgesOnZoom": n > 800, "navigationButtons": False, "keyboard": False},
    }


def _heading(region, unit, leader, function, task, depth) -> str:
    parts = [f"{k}：{v}" for k, v in (("区域", region), ("单位", unit), ("领导", leader),
                                       ("职能", function), ("任务", task)) if v]
    if len(parts) > (1 if region else 0):
        parts.append(f"深度 {depth}")
    return "govkg 责任网络" + (" · " + "，".join(parts) if parts else "")


# -- the page ------------------------------------------------------------------------------

_URL = re.compile(r"https?://")                    # a scheme that names a remote host
_PLACEHOLDER = re.compile(r"@(TITLE|VIS_CSS|APP_CSS|VIS_JS|DATA|APP_JS)@")


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from pyvis's package, with no reference to a remote host left."""
    import pyvis

    libs = sorted((Path(pyvis.__file__).parent / "templates" / "lib").glob("vis-*/vis-network.min.js"),
                  key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)])
    if not libs:
        raise KgError(f"vis-network is missing from pyvis ({Path(pyvis.__file__).parent}): reinstall pyvis")
    js = libs[-1].read_text(encoding="utf-8")
    css = libs[-1].with_name("vis-network.css").read_text(encoding="utf-8")
    # The SVG namespace is an identifier createElementNS needs, never fetched: keep it, escaped.
    js = js.replace('"http://www.w3.org/2000/svg"', '"http:\\/\\/www.w3.org/2000/svg"')
    # Licence headers and error messages name project pages: keep the words, drop the scheme.
    js, css = _URL.sub("", js), _URL.sub("", css)
    # "<script", "</script" and "<!--" occur only in string literals, where \x3c is the same "<".
    for seq in ("<script", "</script", "<!--"):
        js = js.replace(seq, "\\x3c" + seq[1:])
    return js, css


@lru_cache(maxsize=1)
def _template() -> tuple[str, str, str]:
    """The page, its stylesheet and its script: package data under kg/templates/."""
    from importlib.resources import files

    base = files("kg") / "templates"
    return tuple((base / name).read_text(encoding="utf-8") for name in ("view.html", "view.css", "view.js"))


def _deadline(d: dict) -> Optional[str]:
    """A task's time limit as written, with the date it names: 6月底前（2025-06-30）."""
    if not d.get("deadline"):
        return None
    return d["deadline"] + (f"（{d['due']}）" if d.get("due") else "")
