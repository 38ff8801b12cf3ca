"""The builds, driven from here: files → a scan → shards on every core → one graph, or the
rendered parts `kg build` writes its outputs from.

Both builds run the same steps. The input files are listed with their manifest entries
(kg.documents); a scan reads each file for its region (kg.shards.scan_one); the files are
grouped into shards (a city and the regions under it: nothing links across them); each shard is
read, extracted and assembled by one worker process (kg.shards.build_shard). Then

- :func:`build_graph` (the library's entry point, `kg tasks`, the tests' seed graph) has each
  shard's graph and extractions handed back and composes one graph (kg.shards.compose);
- :func:`build_shards` (`kg build`) has each shard rendered into its part of the outputs
  (kg.shards.render_shard) and kept for the next build (kg.cache.PartCache), and gathers the
  nodes the shards share; kg.outputs writes the outputs from the parts.

A file that cannot be read or whose layout is not recognised does not stop the others: it is
listed among the failures with its path and the reason. What a build returns is in input order
however many processes ran it: a parallel build's graph is a serial one's. The modules driven
from here never import this one.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Optional

from kg.cache import PartCache, ShardMeta, entry_key
from kg.documents import Failure, Job, extraction_problems, jobs_for
from kg.model import Document, Extraction, Problem
from kg.shards import (Scanned, assemble_shard, build_shard, compose, merge_shared, paused_gc, render_shard,
                       scan_one, shard_key, shards_of)

# Below this many documents to read, one process does it (a pool costs more than it saves).
MIN_PARALLEL = 8
# A file's size and modification time stand for its bytes once it is this old (nanoseconds).
_SETTLED_NS = 2_000_000_000


def run_pool(fn, items: list, workers: int) -> Iterator:
    """``fn`` over ``items`` on ``workers`` processes (in this one when it does not pay), in order."""
    if workers <= 1 or len(items) < 2:
        yield from map(fn, items)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(items))) as pool:
        yield from pool.map(fn, items, chunksize=max(1, min(16, len(items) // (workers * 8))))


# --------------------------------------------------------------------------- the steps both builds run

def _file_key(job: Job, files: dict) -> str:
    """A file's key (kg.cache.entry_key of its bytes and context), read from ``files`` when
    the file's size, modification and change times, inode and device are those recorded with
    it (as git does: hashing every file of a country costs a second), else computed and
    recorded. The change time cannot be set back: an edit of the same size whose modification
    time was restored is seen."""
    context = job.context()
    st = job.path.stat()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
    known = files.get(context)
    if known is not None and known[:-1] == stamp:
        return known[-1]
    key = entry_key(job.path.read_bytes(), context)
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > _SETTLED_NS:
        files[context] = stamp + [key]      # (a file changed just now may change again within its tick)
    return key


def _scan(jobs: list[Job], index: dict, workers: int, stash: str,
          cache_dir: Optional[str] = None) -> list[Scanned]:
    """Every file's key and region, a :class:`kg.shards.Scanned` for each job in their order:
    from ``index`` ("docs": key → [doc id, region, code]; "files": see :func:`_file_key`), else
    from its extraction in the cache under ``cache_dir``, else by reading it (the document read
    is left in ``stash`` for its shard); ``index`` gains what was found."""
    docs, files = index.setdefault("docs", {}), index.setdefault("files", {})
    scanned: list = [None] * len(jobs)
    todo, where = [], []
    for i, job in enumerate(jobs):
        try:
            key = _file_key(job, files)
        except OSError as e:
            scanned[i] = Scanned(job, "", "", failure=f"{job.path}: cannot read the file: {e}")
            continue
        known = docs.get(key)
        if known is not None:
            scanned[i] = Scanned(job, key, *known)
        else:
            todo.append((job, key, stash, cache_dir))
            where.append(i)
    for i, s in zip(where, run_pool(scan_one, todo, workers if len(todo) >= MIN_PARALLEL else 1)):
        if not s.failure:
            docs[s.key] = [s.doc_id, s.region, s.code]
        scanned[i] = s
    return scanned


def _shards(scanned: list[Scanned]) -> list[tuple[str, list[Scanned]]]:
    """The files that were scanned, grouped into shards (kg.shards.shards_of): (name, files in
    order of document id), in order of name."""
    ok = {s.doc_id: s for s in scanned if not s.failure}
    return [(name, [ok[d] for d in ids])
            for name, ids in shards_of({d: (s.region, s.code) for d, s in ok.items()})]


def _run_shards(fn: Callable, tasks: list, sizes: list[int], workers: int) -> list:
    """``fn`` over the shards' ``tasks`` (of ``sizes`` documents) on ``workers`` processes,
    the largest first so that the cores finish together; the results in the tasks' order."""
    order = sorted(range(len(tasks)), key=lambda i: -sizes[i])
    workers = workers if sum(sizes) >= MIN_PARALLEL else 1
    results: list = [None] * len(tasks)
    for i, result in zip(order, run_pool(fn, [tasks[i] for i in order], workers)):
        results[i] = result
    return results


# --------------------------------------------------------------------------- one graph

@dataclass
class BuildResult:
    graph: object                                   # networkx.MultiDiGraph
    extractions: list[Extraction] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stats: dict = field(default_factory=dict)     # documents, shards, cached, extracted, seconds by stage

    @property
    def documents(self) -> list[Document]:
        return [x.document for x in self.extractions]


def build_graph(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None, *,
    cache_dir: str | Path | None = None, workers: Optional[int] = None,
) -> BuildResult:
    """Read, extract, resolve and assemble, shard by shard, and compose one graph; failures
    are collected, not raised. Extractions, failures and problems are in input order.

    ``cache_dir``: reuse and keep per-document extractions there (kg.cache.ExtractionCache);
    ``workers``: processes (default: every core; 1: serial).
    """
    t0 = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    cache = None if cache_dir is None else str(cache_dir)
    jobs, failures = jobs_for(paths, overrides)
    with paused_gc(), tempfile.TemporaryDirectory(prefix="govkg-read-") as stash:
        scanned = _scan(jobs, {}, workers, stash, cache)
        t1 = time.perf_counter()
        shards = _shards(scanned)
        tasks = [([(s.job, s.key) for s in members], stash, cache) for _name, members in shards]
        built = _run_shards(build_shard, tasks, [len(members) for _name, members in shards], workers)
        graph = compose([shard.graph for shard in built])
    t2 = time.perf_counter()
    outcomes: list = [(None, Failure(str(s.job.path), s.failure)) if s.failure else None for s in scanned]
    at = {id(s): i for i, s in enumerate(scanned)}
    for (_name, members), shard in zip(shards, built):
        for s, outcome in zip(members, shard.outcomes):
            outcomes[at[id(s)]] = outcome
    extractions = [x for x, _f in outcomes if x is not None]
    failures += [f for _x, f in outcomes if f is not None]
    problems = extraction_problems(extractions) + [p for shard in built for p in shard.problems]
    cached = sum(shard.cached for shard in built)
    stats = {"documents": len(jobs), "shards": len(built), "cached": cached, "extracted": len(jobs) - cached,
             "scan_s": round(t1 - t0, 3), "shards_s": round(t2 - t1, 3)}
    return BuildResult(graph, extractions, failures, problems, stats)


def build_from_extractions(extractions: list[Extraction]) -> tuple[object, list[Problem]]:
    """The graph of extractions already made, as :func:`build_graph` makes it: grouped into
    shards, each assembled (kg.shards.assemble_shard), then composed; and assembly's problems."""
    by_id = {x.document.id: x for x in extractions}
    regions = {d: (x.document.meta.region, x.document.meta.region_code) for d, x in by_id.items()}
    parts = [assemble_shard([by_id[d] for d in ids]) for _name, ids in shards_of(regions)]
    return compose([g for g, _ in parts]), [p for _, ps in parts for p in ps]


# --------------------------------------------------------------------------- kg build: rendered parts

@dataclass
class ShardedBuild:
    """What `kg build` made: the rendered shards under ``part_dir`` (kg.shards) and the
    global part; the outputs are written from them by kg.outputs.shard_outputs."""

    part_dir: Path
    shards: list[ShardMeta] = field(default_factory=list)    # in shard order
    shared: object = None                                 # networkx graph: Region, Project nodes
    concepts: set = field(default_factory=set)            # shared concepts the parts name
    failures: list[Failure] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def documents(self) -> list[dict]:
        return [d for s in self.shards for d in s.documents]

    @property
    def problems(self) -> list[Problem]:
        return [p for s in self.shards for p in s.problems]

    def counts(self) -> tuple[Counter, Counter]:
        """Nodes and edges by type, over every part."""
        nodes, edges = Counter(), Counter()
        for s in self.shards:
            nodes.update(s.nodes)
            edges.update(s.edges)
        nodes.update(d["type"] for _, d in self.shared.nodes(data=True))
        edges.update(k for _u, _v, k in self.shared.edges(keys=True))
        return nodes, edges


def build_shards(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None, *,
    part_dir: str | Path, workers: Optional[int] = None,
) -> ShardedBuild:
    """What `kg build` runs: scan, group into shards, render each shard that ``part_dir``
    does not hold yet (on ``workers`` processes, default every core), and gather the shared
    nodes. ``part_dir`` is a kg.cache.PartCache folder (or a temporary one: --no-cache)."""
    import networkx as nx

    t0 = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    cache = PartCache(part_dir)
    cache.remove_abandoned()
    jobs, failures = jobs_for(paths, overrides)
    index = cache.read_index()
    with cache.stash() as stash:
        scanned = _scan(jobs, index, workers, str(stash))
        cache.write_index(index)
        failures += [Failure(str(s.job.path), s.failure) for s in scanned if s.failure]
        t1 = time.perf_counter()
        metas, rendered = _render(_shards(scanned), cache, str(stash), workers)
    t2 = time.perf_counter()

    built = ShardedBuild(cache.root, failures=failures)
    shared_nodes: dict[str, dict] = {}
    shared = nx.MultiDiGraph()
    for meta in metas:
        built.shards.append(meta)
        built.failures += [Failure(path, message) for path, message in meta.failures]
        built.concepts.update(meta.concepts)
        for n, d in meta.shared_nodes.items():
            merge_shared(shared_nodes, n, d)
        for u, v, k, d in meta.shared_edges:
            if not shared.has_edge(u, v, k):
                shared.add_edge(u, v, key=k, **d)
    for n, d in sorted(shared_nodes.items()):
        shared.add_node(n, **d)
    built.shared = shared
    built.stats = {"documents": len(jobs), "shards": len(metas), "rendered": rendered,
                   "reused": len(metas) - rendered, "scan_s": round(t1 - t0, 3),
                   "shards_s": round(t2 - t1, 3), "seconds": round(time.perf_counter() - t0, 3)}
    return built


def _render(shards: list[tuple[str, list[Scanned]]], cache: PartCache, stash: str,
            workers: int) -> tuple[list[ShardMeta], int]:
    """Each shard's meta, from ``cache`` or rendered into it, in the shards' order, and how
    many were rendered."""
    keys = [shard_key(name, members) for name, members in shards]
    with ThreadPoolExecutor(max_workers=workers) as pool:     # reading a part checks its hashes
        metas = list(pool.map(cache.get, keys))
    todo = [i for i, meta in enumerate(metas) if meta is None]
    tasks = [(keys[i], [(s.job, s.key) for s in shards[i][1]], str(cache.root), stash) for i in todo]
    with paused_gc():
        made = _run_shards(render_shard, tasks, [len(shards[i][1]) for i in todo], workers)
    for i, meta in zip(todo, made):
        metas[i] = meta
    return metas, len(todo)
