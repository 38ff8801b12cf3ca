"""What `kg build` writes: the graph in each output format, as bytes, keyed by path.

Nothing is written here: the CLI writes the returned files atomically.

The whole-graph browser view is drawn only while it stays readable (kg.view's node
limit). Above it, graph.html is a short page saying how to draw a part of the graph with
`kg view` (by region, unit, leader or function), and a note says the same.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Iterable, Iterator, Optional

from kg.errors import KgError

_TOO_BIG_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>govkg: graph too large to draw</title></head>
<body style="font-family: sans-serif; max-width: 44em; margin: 3em auto">
<h1>The whole graph is too large to draw</h1>
<p>{message}</p>
<p>Draw a part of it instead, for example:</p>
<pre>kg view --graph {out} --region 槐荫区
kg view --graph {out} --function 发展改革
kg view --graph {out} --unit 区发展改革局 --depth 1</pre>
</body></html>
"""


def _view_page(graph, out_dir: Path, notes: Optional[list[str]]) -> bytes:
    """The browser view of the whole graph, or, when kg.view refuses to draw that many
    nodes (its only error without a selection), a page saying how to narrow it."""
    from kg.view import render_html

    try:
        return render_html(graph).encode("utf-8")
    except KgError as e:
        if notes is not None:
            notes.append(f"graph.html shows how to narrow the view, not the graph: {e}")
        return _TOO_BIG_PAGE.format(message=html.escape(str(e)),
                                    out=html.escape(str(out_dir))).encode("utf-8")


def _paused(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """``chunks``, made with the cyclic garbage collector paused (see kg.build.paused_gc)."""
    from kg.build import paused_gc

    with paused_gc():
        yield from chunks


def build_outputs(graph, out_dir: Path, notes: Optional[list[str]] = None) -> dict[Path, Iterable[bytes]]:
    """graph.json, graph.ttl and graph.html of ``graph``, each as chunks of bytes made while
    they are written (graph.json and graph.ttl are never whole in memory); what the user
    should know about them (the view was too large) is appended to ``notes``."""
    from kg.graph import dump_chunks
    from kg.stores.rdf import serialize_chunks

    return {
        out_dir / "graph.json": _paused(dump_chunks(graph)),
        out_dir / "graph.ttl": _paused(serialize_chunks(graph, "turtle")),
        out_dir / "graph.html": [_view_page(graph, out_dir, notes)],
    }
