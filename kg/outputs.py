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
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from kg.errors import KgError
from kg.tempfiles import remove_abandoned

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


@dataclass(frozen=True)
class FileCopy:
    """A whole file to go into an output as it is: :func:`write_chunks` has the kernel copy
    it (a rebuild at national scale copies 3.8 GB of rendered parts into graph.json and
    graph.ttl; through Python that was most of its time). Its length is the file's size."""

    path: Path
    size: int

    def __len__(self) -> int:
        return self.size


Chunk = Union[bytes, FileCopy]


def write_chunks(f, chunks: Iterable[Chunk]) -> None:
    """Write bytes and :class:`FileCopy` chunks to ``f``, a binary file open for writing."""
    for chunk in chunks:
        if isinstance(chunk, FileCopy):
            f.flush()
            _copy_into(chunk.path, f.fileno())
        else:
            f.write(chunk)


def as_bytes(chunks: Iterable[Chunk]) -> Iterator[bytes]:
    """The chunks with every :class:`FileCopy` read, for who wants the bytes themselves."""
    for chunk in chunks:
        yield chunk.path.read_bytes() if isinstance(chunk, FileCopy) else chunk


def _copy_into(src: Path, fd: int) -> None:
    """Append the file ``src`` at ``fd``'s position: os.copy_file_range, else a plain copy
    (file systems and kernels without it)."""
    with src.open("rb") as f:
        left = os.fstat(f.fileno()).st_size
        try:
            while left > 0:
                n = os.copy_file_range(f.fileno(), fd, left)
                if n == 0:
                    break
                left -= n
        except (OSError, AttributeError):
            pass
        if left > 0:                     # what copy_file_range did not copy, by hand
            with open(fd, "wb", closefd=False) as out:
                shutil.copyfileobj(f, out, _BLOCK)


def _file_chunks(path: Path) -> Iterator[Chunk]:
    size = path.stat().st_size
    if size:
        yield FileCopy(path, size)


def _graph_json(built) -> Iterator[Chunk]:
    """graph.json of a sharded build: part after part (each part's edges and nodes sorted),
    then the shared nodes and the edges between them, in kg.graph's format."""
    from kg.graph import edge_lines, graph_json, node_lines

    g = built.shared
    parts = [built.part_dir / s.key for s in built.shards]
    return graph_json([*(_file_chunks(p / "edges.json") for p in parts), [edge_lines(g, sorted(g.edges(keys=True)))]],
                      [*(_file_chunks(p / "nodes.json") for p in parts), [node_lines(g, sorted(g.nodes))]])


def _turtle(built) -> tuple[Iterator[Chunk], bytes]:
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
    """The graph of a sharded build, read back from its graph.json (for a drawable one)."""
    from kg.graph import loads

    return loads(b"".join(as_bytes(_graph_json(built))))


OUTPUTS = ("graph.json", "graph.ttl", "graph.parts.tsv", "graph.html")


def remove_abandoned_outputs(out_dir: Path) -> list[Path]:
    """Remove the temporary outputs (``.graph.ttl.XXXX`` …) a killed `kg build` left in
    ``out_dir``; those another build is writing now are locked and stay (kg.tempfiles)."""
    return remove_abandoned(out_dir, [f".{name}." for name in OUTPUTS])


def shard_outputs(built, out_dir: Path, notes: Optional[list[str]] = None) -> dict[Path, Iterable[Chunk]]:
    """graph.json, graph.ttl, graph.parts.tsv and graph.html of a sharded build
    (kg.build.build_shards), the large ones as chunks copied from the parts as they are written
    (write them with :func:`write_chunks`)."""
    from kg.view import MAX_NODES, too_many

    nodes, _edges = built.counts()
    total = sum(nodes.values())
    if total <= MAX_NODES:
        page = _view_page(_whole_graph(built), out_dir, notes)
    else:
        page = _narrow_page(too_many(total), out_dir, notes)
    ttl, parts = _turtle(built)
    json_name, ttl_name, parts_name, html_name = OUTPUTS
    return {
        out_dir / json_name: _graph_json(built),
        out_dir / ttl_name: ttl,
        out_dir / parts_name: [parts],
        out_dir / html_name: [page],
    }
