"""The build in shards: what every build runs, so that a country's documents build on every
core and `kg build` redoes only what changed.

A **shard** is the documents of one family of regions: the highest region that has a
document and every region under it (a city and its districts). Documents whose region has
no gazetteer code form a shard of their own region name (or of their own, when no region
is known). Everything the graph links lies inside one family: units are resolved within a
region, progress rows link to their region's work report, a district's targets, tasks and
projects to the enclosing region's (kg.link). So each shard is read, extracted and
assembled by one worker (:func:`build_shard`). For `kg build` the worker also **renders** it
(its lines of graph.json and its part of graph.ttl: :func:`render_shard`), and the rendered
part is kept under a key made of its files' keys and the code version (kg.cache.PartCache):
a rebuild after one changed file renders one shard again and copies the others. For the
whole graph in memory (kg.build.build_graph) the worker hands the shard's graph back and the
graphs are composed (:func:`compose`).

Two kinds of node sit above the families and are **shared**: Region nodes (a province
encloses many shards) and Project nodes (the same project name in two families is one
node, its aliases and joins united). A shard does not write them; it hands them back, with
the edges between two shared nodes (a district PART_OF its city), and the build writes them
once, in the **global part**. Every other node, and every edge from or to one, belongs to
exactly one shard's part, so the parts never repeat a node, an edge or (kg.stores.rdf's
part mode) a triple.

Before the shards, a **scan** reads every file once for its region (kept per file key in
``regions.json`` of the cache), because the families are known only when every document's
region is.

kg.build drives these steps on every core; nothing here imports it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kg.cache import ExtractionCache, ShardMeta, code_version, load_own_pickle, write_part
from kg.documents import Failure, Job, compact, extraction_of, extraction_problems, read
from kg.errors import KgError
from kg.graph import assemble, edge_lines, node_lines, region_key
from kg.model import Extraction, Problem
from kg.resolve.regions import ancestors
from kg.resolve.units import resolve_units
from kg.stores.rdf import serialize_part
from kg.summary import document_row

SHARED_TYPES = frozenset({"Region", "Project"})


# --------------------------------------------------------------------------- families

def family_keys(regions: dict[str, tuple[Optional[str], Optional[str]]]) -> dict[str, str]:
    """Each document's shard: ``regions`` maps a document id to its (region name, code).

    A document with a code belongs to the highest of its region and the region's ancestors
    that has a document of its own (长清区 → 济南市 when 济南市's report is there); one with a
    name only, to that name; one with neither, to itself."""
    with_docs = {code for _name, code in regions.values() if code}
    out = {}
    for doc_id, (name, code) in regions.items():
        if code:
            top = code
            for r in ancestors(code):
                if r.code in with_docs:
                    top = r.code
            out[doc_id] = top
        else:
            out[doc_id] = name or f"?{doc_id}"
    return out


def shards_of(regions: dict[str, tuple[Optional[str], Optional[str]]]) -> list[tuple[str, list[str]]]:
    """The shards of the documents ``regions`` maps (a document id to its region name and
    code: :func:`family_keys`), in order of name, each with its documents' ids in order of id."""
    keys = family_keys(regions)
    out: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(regions):
        out[keys[doc_id]].append(doc_id)
    return sorted(out.items())


def merge_shared(into: dict[str, dict], node_id: str, attrs: dict) -> None:
    """Add a shared node seen by one shard to those seen by others: a Region is the same
    everywhere (the gazetteer's); a Project's aliases and joins are united."""
    known = into.get(node_id)
    if known is None:
        into[node_id] = {k: (list(v) if isinstance(v, list) else v) for k, v in attrs.items()}
        return
    for key in ("aliases", "joins"):
        for v in attrs.get(key) or ():
            if v not in known.setdefault(key, []):
                known[key].append(v)
    for k, v in attrs.items():
        if known.get(k) in (None, "", ()) and v not in (None, ""):
            known[k] = v


def compose(graphs: list):
    """One graph of the shards' graphs (what build_graph returns): the shards share only
    Region and Project nodes (merged by :func:`merge_shared`) and the edges between them.
    A single graph is its own composition."""
    import networkx as nx

    if len(graphs) == 1:
        return graphs[0]
    out = nx.MultiDiGraph()
    shared: dict[str, dict] = {}
    for g in graphs:
        for n, d in g.nodes(data=True):
            if d.get("type") in SHARED_TYPES:
                merge_shared(shared, n, d)
            else:
                out.add_node(n, **d)
        for u, v, k, d in g.edges(keys=True, data=True):
            if not out.has_edge(u, v, k):
                out.add_edge(u, v, key=k, **d)
    for n, d in shared.items():
        out.add_node(n, **d)
    return out


# --------------------------------------------------------------------------- scan

@dataclass(frozen=True)
class Scanned:
    """One input file after the scan: its key and region, or why it cannot be read."""

    job: Job
    key: str
    doc_id: str
    region: Optional[str] = None
    code: Optional[str] = None
    failure: Optional[str] = None


def scan_one(item: tuple[Job, str, str, Optional[str]]) -> Scanned:
    """A pool task: (job, file key, stash, extraction cache folder or None) → the file's region,
    from its cached extraction, else by reading the file; the document read is left in
    ``stash`` for its shard (unpickling it costs a tenth of reading it again)."""
    job, key, stash, cache_dir = item
    if cache_dir is not None:
        x = ExtractionCache(cache_dir).get(key)
        if x is not None:
            return Scanned(job, key, x.document.id, x.document.meta.region, x.document.meta.region_code)
    try:
        doc = compact(read(job))
    except KgError as e:
        return Scanned(job, key, "", failure=str(e))
    try:                              # a new file only this user may read and write
        fd = os.open(Path(stash) / f"{key}.pickle", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(doc, f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass                          # only a saving: the shard reads the file again
    return Scanned(job, key, doc.id, doc.meta.region, doc.meta.region_code)


def _stashed(stash: str, key: str):
    """The document the scan read, or None (the scan did not read it, it is gone, or it is
    not a file of this user's that only this user may write: see kg.cache.load_own_pickle)."""
    return load_own_pickle(Path(stash) / f"{key}.pickle")


# --------------------------------------------------------------------------- one shard

@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while millions of records and graph dicts are
    made (none of them in cycles): it would otherwise rescan them over and over, which
    costs about a third of assembly and output time at national scale."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def assemble_shard(extractions: list[Extraction]) -> tuple[object, list[Problem]]:
    """One shard's graph and the problems assembly found: unit names resolved per region
    (kg.resolve.units), then the records assembled and linked (kg.graph)."""
    names: dict[str, Counter] = defaultdict(Counter)
    for x in extractions:
        m = x.document.meta
        region = region_key(m.region, m.region_code, x.document.id)
        for t in x.tasks:
            for u in t.units:
                names[region][u.name] += 1
    identities = resolve_units({r: dict(c) for r, c in names.items()})
    return assemble(extractions, identities)


@dataclass
class Shard:
    """One shard read, extracted and assembled (:func:`build_shard`)."""

    outcomes: list[tuple[Optional[Extraction], Optional[Failure]]]   # a file each, in the order given
    graph: object                                                    # networkx.MultiDiGraph
    problems: list[Problem]                                          # what assembly found
    cached: int = 0                                                  # extractions the cache held

    @property
    def extractions(self) -> list[Extraction]:
        return [x for x, _f in self.outcomes if x is not None]

    @property
    def failures(self) -> list[Failure]:
        return [f for _x, f in self.outcomes if f is not None]


def build_shard(task: tuple[list, str, Optional[str]]) -> Shard:
    """A pool task: ([(job, file key)], stash, extraction cache folder or None) → each file's
    extraction (from the cache, else from the document the scan left in ``stash``, else from
    the file read again; one made is kept in the cache) and the shard's graph."""
    files, stash, cache_dir = task
    cache = ExtractionCache(cache_dir) if cache_dir is not None else None
    outcomes: list = []
    cached = 0
    with paused_gc():
        for job, key in files:
            x = cache.get(key) if cache is not None else None
            if x is not None:
                cached += 1
                outcomes.append((x, None))
                continue
            x, failure = extraction_of(job, _stashed(stash, key))
            if x is not None and cache is not None:
                cache.put(key, x)
            outcomes.append((x, failure))
        graph, problems = assemble_shard([x for x, _f in outcomes if x is not None])
    return Shard(outcomes, graph, problems, cached)


def render_shard(task: tuple[str, list, str, str]) -> ShardMeta:
    """A pool task: (key, [(job, file key)], part_dir, stash) → build one shard
    (:func:`build_shard`) and render it into ``part_dir``/``key``."""
    key, files, part_dir, stash = task
    meta = ShardMeta(key)
    with paused_gc():
        shard = build_shard((files, stash, None))
        graph, xs = shard.graph, shard.extractions
        meta.failures = [(f.path, f.message) for f in shard.failures]
        meta.documents = [document_row(x) for x in sorted(xs, key=lambda x: x.document.id)]
        meta.problems = extraction_problems(xs) + shard.problems
        types = {n: d.get("type") for n, d in graph.nodes(data=True)}
        own = sorted(n for n, t in types.items() if t not in SHARED_TYPES)
        edges = sorted(((u, v, k) for u, v, k in graph.edges(keys=True)
                        if not (types[u] in SHARED_TYPES and types[v] in SHARED_TYPES)))
        for n, t in types.items():
            if t in SHARED_TYPES:
                meta.shared_nodes[n] = dict(graph.nodes[n])
            else:
                meta.nodes[t] += 1
        meta.shared_edges = [(u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)
                             if types[u] in SHARED_TYPES and types[v] in SHARED_TYPES]
        meta.edges = Counter(k for _u, _v, k in edges)
        ttl, concepts = serialize_part(graph, own=lambda n: types.get(n) not in SHARED_TYPES)
        rendered = {"nodes.json": node_lines(graph, own), "edges.json": edge_lines(graph, edges), "part.ttl": ttl}
        meta.concepts = sorted(concepts)
    meta.sizes = {name: len(data) for name, data in rendered.items()}
    meta.hashes = {name: hashlib.sha256(data).hexdigest() for name, data in rendered.items()}
    text = write_part(Path(part_dir) / key, rendered, meta)
    return ShardMeta.from_json(text)      # as a later build reads it back: the same outputs


def shard_key(shard: str, scanned: list[Scanned]) -> str:
    """A shard's key: the code version, its name and its files' keys."""
    h = hashlib.blake2b(digest_size=16)
    h.update(code_version().encode())
    h.update(b"\0" + shard.encode("utf-8"))
    for s in sorted(scanned, key=lambda s: s.doc_id):
        h.update(b"\0" + s.key.encode())
    return h.hexdigest()
