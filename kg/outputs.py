"""What `kg build` writes: the graph in each output format, as bytes, keyed by path.

Nothing is written here: the CLI writes the returned files atomically.
"""

from __future__ import annotations

from pathlib import Path


def build_outputs(graph, out_dir: Path) -> dict[Path, bytes]:
    from kg.graph import dumps
    from kg.stores.rdf import serialize
    from kg.view import render_html

    return {
        out_dir / "graph.json": dumps(graph),
        out_dir / "graph.ttl": serialize(graph, "turtle"),
        out_dir / "graph.html": render_html(graph).encode("utf-8"),
    }
