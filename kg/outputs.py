"""What `kg build` writes: the graph in each output format, as chunks of bytes, keyed by path.

Nothing is written here: the CLI writes the returned files atomically. graph.json and
graph.ttl are put together from the rendered shards (kg.shards) as they are written, part
after part, so no output is ever whole in memory; graph.parts.tsv says where each part of
graph.ttl lies (kg.stores.oxistore loads only the parts that changed).

The whole-graph browser view is drawn only while it stays readable (kg.view's node
limit). Above it, graph.html is a short page saying how to draw a part of the graph with
`kg view` (by region, unit, leader or function), and a note says the same.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

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
        return _narrow_page(str(e), out_dir, notes)


def _narrow_page(message: str, out_dir: Path, notes: Optional[list[str]]) -> bytes:
    if notes is not None:
        notes.append(f"graph.html shows how to narrow the view, not the graph: {message}")
    return _TOO_BIG_PAGE.format(message=html.escape(message), out=html.escape(str(out_dir))).encode("utf-8")


_BLOCK = 1 << 23


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            yield block


def _joined(pieces: Iterable[Callable[[], Iterator[bytes]] | bytes]) -> Iterator[bytes]:
    """graph.json lines of several parts, each a run of lines joined by ``,\n``: one run
    after the other, the first line after a newline, the next parts after ``,\n``."""
    first = True
    for piece in pieces:
        chunks = [piece] if isinstance(piece, bytes) else piece()
        started = False
        for chunk in chunks:
            if not chunk:
                continue
            if not started:
                yield b"\n" if first else b",\n"
                first, started = False, True
            yield chunk


def _graph_json(built) -> Iterator[bytes]:
    """graph.json of a sharded build: the format of kg.graph.dump_chunks, part after part
    (each part's nodes and edges sorted), then the shared nodes and their edges."""
    from kg.graph import json_lines

    g = built.shared
    parts = [s.key for s in built.shards]
    shared_edges = json_lines({**d, "source": u, "target": v, "key": k}
                               for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]))
    shared_nodes = json_lines({**d, "id": n} for n, d in sorted(g.nodes(data=True), key=lambda nd: nd[0]))
    yield b'{"directed": true, "edges": ['
    yield from _joined([*(lambda k=k: _file_chunks(built.part_dir / k / "edges.json") for k in parts),
                        shared_edges])
    yield b'\n], "graph": {}, "multigraph": true, "nodes": ['
    yield from _joined([*(lambda k=k: _file_chunks(built.part_dir / k / "nodes.json") for k in parts),
                        shared_nodes])
    yield b"\n]}\n"


def _turtle(built) -> tuple[Iterator[bytes], bytes]:
    """graph.ttl of a sharded build (the prefixes, every part's Turtle, the global part) and
    graph.parts.tsv: each part's key, byte offset and length in graph.ttl (kg.stores.oxistore
    loads the parts that changed)."""
    import hashlib

    from kg.stores.rdf import serialize_shared, turtle_header

    header = turtle_header().encode("utf-8")
    shared = serialize_shared(built.shared, built.concepts)
    rows, offset = [], len(header)
    for s in built.shards:
        size = s.sizes["part.ttl"]
        rows.append(f"{s.key}\t{offset}\t{size}\n")
        offset += size
    rows.append(f"global-{hashlib.blake2b(shared, digest_size=16).hexdigest()}\t{offset}\t{len(shared)}\n")

    def chunks() -> Iterator[bytes]:
        yield header
        for s in built.shards:
            yield from _file_chunks(built.part_dir / s.key / "part.ttl")
        yield shared

    return chunks(), "".join(rows).encode("utf-8")


def _whole_graph(built):
    """The graph of a sharded build, put together from its parts (for a drawable one)."""
    import json

    import networkx as nx

    g = nx.MultiDiGraph()
    for s in built.shards:
        for line in (built.part_dir / s.key / "nodes.json").read_bytes().split(b",\n"):
            if line:
                d = json.loads(line)
                g.add_node(d.pop("id"), **d)
        for line in (built.part_dir / s.key / "edges.json").read_bytes().split(b",\n"):
            if line:
                d = json.loads(line)
                g.add_edge(d.pop("source"), d.pop("target"), **d)
    for n, d in built.shared.nodes(data=True):
        g.add_node(n, **d)
    for u, v, k, d in built.shared.edges(keys=True, data=True):
        g.add_edge(u, v, key=k, **d)
    return g


def shard_outputs(built, out_dir: Path, notes: Optional[list[str]] = None) -> dict[Path, Iterable[bytes]]:
    """graph.json, graph.ttl, graph.parts.tsv and graph.html of a sharded build
    (kg.build.build_shards), the large ones as chunks copied from the parts as they are written."""
    from kg.view import MAX_NODES, too_many

    nodes, _edges = built.counts()
    total = sum(nodes.values())
    if total <= MAX_NODES:
        page = _view_page(_whole_graph(built), out_dir, notes)
    else:
        page = _narrow_page(too_many(total), out_dir, notes)
    ttl, parts = _turtle(built)
    return {
        out_dir / "graph.json": _graph_json(built),
        out_dir / "graph.ttl": ttl,
        out_dir / "graph.parts.tsv": [parts],
        out_dir / "graph.html": [page],
    }
