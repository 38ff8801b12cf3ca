"""The pipeline, driven from here: files → documents → extractions → resolved names → one graph.

The steps are the lower modules': one file at a time in kg.documents, one shard at a time in
kg.shards; this module runs them on every core and gathers what they hand back. None of them
imports this one.

``build_graph(paths)`` returns the whole graph (the library's entry point); ``kg build``
runs ``build_shards``, the same steps shard by shard (kg.shards: a city and the regions
under it, since nothing links across them), rendering each shard's part of the outputs on
every core and keeping it for the next build. A file that cannot be read or whose layout is
not recognised does not stop the others: it is listed among the failures with its path and
the reason.

Reading and extraction are per document, so they run on every core (a process pool, results
kept in input order: the graph is the same as a serial build's); ``build_graph`` can keep
them in a :class:`kg.cache.ExtractionCache`.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional

from kg.cache import ExtractionCache, PartCache, entry_key
from kg.documents import Failure, Job, extraction_of, extraction_problems, jobs_for
from kg.model import Document, Extraction, Problem
from kg.shards import (Scanned, assemble_shard, compose, family_keys, merge_shared, paused_gc, render_shard,
                       scan_one, shard_key)

# Below this many documents to extract, one process does it (a pool costs more than it saves).
MIN_PARALLEL = 8
# A file's size and modification time stand for its bytes once it is this old (nanoseconds).
_SETTLED_NS = 2_000_000_000


@dataclass
class BuildResult:
    graph: object                                   # networkx.MultiDiGraph
    extractions: list[Extraction] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stats: dict = field(default_factory=dict)     # documents, cached, extracted, seconds by stage

    @property
    def documents(self) -> list[Document]:
        return [x.document for x in self.extractions]


def _cached_job(item: tuple[Job, Optional[str], Optional[str]]):
    """A pool task: extract one file and, with a cache folder, store the extraction."""
    job, cache_dir, key = item
    x, failure = extraction_of(job)
    if x is not None and cache_dir is not None:
        ExtractionCache(cache_dir).put(key, x)
    return x, failure


def _run(items: list, workers: int) -> list:
    """``_cached_job`` over ``items``, in a process pool when it pays; results in order."""
    return list(run_pool(_cached_job, items, workers if len(items) >= MIN_PARALLEL else 1))


def run_pool(fn, items: list, workers: int) -> Iterator:
    """``fn`` over ``items`` on ``workers`` processes (in this one when it does not pay), in order."""
    if workers <= 1 or len(items) < 2:
        yield from map(fn, items)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(items))) as pool:
        yield from pool.map(fn, items, chunksize=max(1, min(16, len(items) // (workers * 8))))


def read_and_extract(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None, *,
    cache_dir: str | Path | None = None, workers: Optional[int] = None,
) -> tuple[list[Extraction], list[Failure], dict]:
    """Read and extract every input file, reusing the cache under ``cache_dir`` (None: no
    cache) and ``workers`` processes (default: every core). Returns the extractions and the
    failures in input order, and counts (documents, cached, extracted)."""
    jobs, failures = jobs_for(paths, overrides)
    cache = ExtractionCache(cache_dir) if cache_dir is not None else None
    results: list = [None] * len(jobs)
    todo: list[tuple[int, tuple[Job, Optional[str], Optional[str]]]] = []
    for i, job in enumerate(jobs):
        key = None
        if cache is not None:
            try:
                data = job.path.read_bytes()
            except OSError as e:
                results[i] = (None, Failure(str(job.path), f"cannot read the file: {e}"))
                continue
            key = entry_key(data, job.context())
            found = cache.get(key)
            if found is not None:
                results[i] = (found, None)
                continue
        todo.append((i, (job, str(cache_dir) if cache is not None else None, key)))
    done = _run([item for _, item in todo], workers or os.cpu_count() or 1)
    for (i, _item), result in zip(todo, done):
        results[i] = result
    extractions = [x for x, _f in results if x is not None]
    failures += [f for _x, f in results if f is not None]
    stats = {"documents": len(jobs), "cached": len(jobs) - len(todo), "extracted": len(todo)}
    return extractions, failures, stats


def shards_of(extractions: list[Extraction]) -> dict[str, list[Extraction]]:
    """The extractions by shard (kg.shards.family_keys: a city and the regions under it)."""
    keys = family_keys({x.document.id: (x.document.meta.region, x.document.meta.region_code)
                        for x in extractions})
    out: dict[str, list[Extraction]] = defaultdict(list)
    for x in extractions:
        out[keys[x.document.id]].append(x)
    return dict(sorted(out.items()))


def build_from_extractions(extractions: list[Extraction]):
    """Resolve unit names per region and assemble the graph (see kg.graph), shard by shard
    (see kg.shards: nothing links across them), then compose the shards' graphs."""
    parts = [assemble_shard(xs) for xs in shards_of(extractions).values()]
    if len(parts) == 1:
        return parts[0]
    return compose(g for g, _ in parts), [p for _, ps in parts for p in ps]


def build_graph(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None, *,
    cache_dir: str | Path | None = None, workers: Optional[int] = None,
) -> BuildResult:
    """Read, extract, resolve and assemble; failures are collected, not raised.

    ``cache_dir``: reuse and keep per-document extractions there (see :mod:`kg.cache`);
    ``workers``: processes for reading and extraction (default: every core; 1: serial).
    """
    t0 = time.perf_counter()
    with paused_gc():
        extractions, failures, stats = read_and_extract(
            paths, overrides, cache_dir=cache_dir, workers=workers)
        t1 = time.perf_counter()
        graph, problems = build_from_extractions(extractions)
    t2 = time.perf_counter()
    all_problems = extraction_problems(extractions) + problems
    stats.update(extract_s=round(t1 - t0, 3), assemble_s=round(t2 - t1, 3))
    return BuildResult(graph, extractions, failures, all_problems, stats)


# --------------------------------------------------------------------------- kg build, in shards

@dataclass
class ShardedBuild:
    """What `kg build` made: the rendered shards under ``part_dir`` (kg.shards) and the
    global part; the outputs are written from them by kg.outputs.shard_outputs."""

    part_dir: Path
    shards: list = field(default_factory=list)            # kg.shards.ShardMeta, in shard order
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


def _scan(jobs: list[Job], index: dict, workers: int, stash: str) -> tuple[list, list[Failure]]:
    """Every file's key and region, from ``index`` ("docs": key → [doc id, region, code];
    "files": see :func:`_file_key`) or by reading it (the document read is left in ``stash``
    for its shard); ``index`` gains what was read."""
    docs, files = index.setdefault("docs", {}), index.setdefault("files", {})
    found, todo, failures = [], [], []
    for job in jobs:
        try:
            key = _file_key(job, files)
        except OSError as e:
            failures.append(Failure(str(job.path), f"{job.path}: cannot read the file: {e}"))
            continue
        known = docs.get(key)
        if known is not None:
            found.append(Scanned(job, key, *known))
        else:
            todo.append((job, key, stash))
    for s in run_pool(scan_one, todo, workers if len(todo) >= MIN_PARALLEL else 1):
        if s.failure:
            failures.append(Failure(str(s.job.path), s.failure))
        else:
            docs[s.key] = [s.doc_id, s.region, s.code]
            found.append(s)
    return found, failures


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
        scanned, scan_failures = _scan(jobs, index, workers, str(stash))
        failures += scan_failures
        cache.write_index(index)
        t1 = time.perf_counter()
        metas, shards, rendered = _render(scanned, cache, str(stash), workers)
    t2 = time.perf_counter()

    built = ShardedBuild(cache.root, failures=failures)
    shared_nodes: dict[str, dict] = {}
    shared = nx.MultiDiGraph()
    for key, _name, _members in shards:
        meta = metas[key]
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
    built.stats = {"documents": len(jobs), "shards": len(shards), "rendered": rendered,
                   "reused": len(shards) - rendered, "scan_s": round(t1 - t0, 3),
                   "shards_s": round(t2 - t1, 3), "seconds": round(time.perf_counter() - t0, 3)}
    return built


def _render(scanned: list, cache, stash: str, workers: int) -> tuple[dict, list, int]:
    """Group the scanned files into shards and render those ``cache`` does not hold:
    (meta by shard key, the shards in order as (key, name, files), how many were rendered)."""
    keys = family_keys({s.doc_id: (s.region, s.code) for s in scanned})
    groups: dict[str, list] = defaultdict(list)
    for s in scanned:
        groups[keys[s.doc_id]].append(s)
    shards = sorted(((shard_key(name, members), name, members) for name, members in groups.items()),
                    key=lambda t: t[1])
    metas: dict[str, object] = {}
    todo = []
    with ThreadPoolExecutor(max_workers=workers) as pool:     # reading a part checks its hashes
        found = list(pool.map(cache.get, [key for key, _name, _members in shards]))
    for (key, name, members), meta in zip(shards, found):
        if meta is not None:
            metas[key] = meta
        else:
            files = [(s.job, s.key) for s in sorted(members, key=lambda s: s.doc_id)]
            todo.append((key, name, files, str(cache.root), stash))
    todo.sort(key=lambda t: -len(t[2]))                       # the largest first: the cores finish together
    with paused_gc():
        for meta in run_pool(render_shard, todo, workers):
            metas[meta.key] = meta
    return metas, shards, len(todo)
