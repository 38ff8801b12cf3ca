"""The pipeline: files → documents → extractions → resolved names → one graph.

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

import gc
import os
import time
from contextlib import contextmanager
from array import array
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional

from kg.errors import KgError, SourceError
from kg.model import NOTHING_READ, Document, Extraction, NormText, Problem

# Below this many documents to extract, one process does it (a pool costs more than it saves).
MIN_PARALLEL = 8
# A file's size and modification time stand for its bytes once it is this old (nanoseconds).
_SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class Failure:
    path: str
    message: str


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


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The input files: each file named, and the readable files of each folder, sorted."""
    from kg.sources import document_files

    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(document_files(p))
        elif p.exists():
            files.append(p)
        else:
            raise SourceError(p, "no such file or folder")
    return files


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


@dataclass(frozen=True)
class _Job:
    """One input file and everything that decides how it is read."""

    path: Path
    entry: Optional[dict]                 # its manifest entry
    options: dict                         # command-line overrides that are set
    root: Optional[Path]                  # paths are stored relative to it
    resolved: Optional[Path] = None       # the absolute path, symlinks resolved

    def context(self) -> str:
        """What, besides the bytes, the cached extraction depends on."""
        return repr((str(self.resolved or self.path.resolve()), str(self.root),
                     sorted((self.entry or {}).items()), sorted(self.options.items())))


def _jobs(paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]]
          ) -> tuple[list[_Job], list[Failure]]:
    """The input files with their manifest entries; an unreadable manifest fails its files."""
    from kg.sources.manifest import load_manifest

    options = {k: v for k, v in (overrides or {}).items() if v is not None}
    manifests: dict[Path, dict | KgError] = {}
    jobs: list[_Job] = []
    failures: list[Failure] = []
    taken: dict[str, Path] = {}            # document id → the file that has it
    cwd = Path.cwd().resolve()
    folders: dict[Path, Path] = {}         # a folder as given → resolved (once, not per file)
    for f in discover(paths):
        folder = folders.get(f.parent)
        if folder is None:
            folder = folders[f.parent] = f.parent.resolve()
        resolved = f.resolve() if f.is_symlink() else folder / f.name
        if folder not in manifests:
            try:
                manifests[folder] = load_manifest(folder)
            except KgError as e:
                manifests[folder] = e
        manifest = manifests[folder]
        if isinstance(manifest, KgError):
            failures.append(Failure(str(f), str(manifest)))
            continue
        entry = manifest.get(f.name)
        doc_id = (entry or {}).get("id") or f.stem
        if doc_id in taken:
            failures.append(Failure(str(f), f"{f}: document id {doc_id!r} is already taken by {taken[doc_id]}: "
                                            "rename the file or give it an `id` in manifest.toml"))
            continue
        taken[doc_id] = f
        jobs.append(_Job(f, entry, options, cwd if resolved.is_relative_to(cwd) else None, resolved))
    return jobs, failures


def _compact(doc: Document) -> Document:
    """The document with its offset map as an array of 32-bit offsets: a tuple of Python
    ints costs about 36 bytes a character, the array 4 (same indexing and bisect)."""
    offsets = doc.norm.offsets
    if isinstance(offsets, array) or len(doc.text) >= 2**32:
        return doc
    return replace(doc, norm=NormText(doc.norm.text, array("I", offsets)))


def _read(job: _Job) -> Document:
    from kg.sources import read_document

    return read_document(job.path, overrides=job.entry, options=job.options, root=job.root)


def _extract(doc: Document) -> Extraction:
    from kg.extract.plausible import checked
    from kg.extract.registry import best_extractor

    extractor, fit = best_extractor(doc)
    x = checked(extractor.extract(doc))
    return x if x.fit == fit else replace(x, fit=fit)


def _read_and_extract(job: _Job, doc: Optional[Document] = None
                      ) -> tuple[Optional[Extraction], Optional[Failure]]:
    """One file (or its ``doc`` when already read) to extraction: (extraction, None) or
    (None, failure)."""
    try:
        doc = doc or _compact(_read(job))
    except KgError as e:
        return None, Failure(str(job.path), str(e))
    try:
        return _extract(doc), None
    except KgError as e:
        return None, Failure(doc.path, str(e))


def _cached_job(item: tuple[_Job, Optional[str], Optional[str]]):
    """A pool task: extract one file and, with a cache folder, store the extraction."""
    job, cache_dir, key = item
    x, failure = _read_and_extract(job)
    if x is not None and cache_dir is not None:
        from kg.cache import ExtractionCache

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
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(items))) as pool:
        yield from pool.map(fn, items, chunksize=max(1, min(16, len(items) // (workers * 8))))


def read_and_extract(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None, *,
    cache_dir: str | Path | None = None, workers: Optional[int] = None,
) -> tuple[list[Extraction], list[Failure], dict]:
    """Read and extract every input file, reusing the cache under ``cache_dir`` (None: no
    cache) and ``workers`` processes (default: every core). Returns the extractions and the
    failures in input order, and counts (documents, cached, extracted)."""
    jobs, failures = _jobs(paths, overrides)
    cache = None
    if cache_dir is not None:
        from kg.cache import ExtractionCache

        cache = ExtractionCache(cache_dir)
    results: list = [None] * len(jobs)
    todo: list[tuple[int, tuple[_Job, Optional[str], Optional[str]]]] = []
    for i, job in enumerate(jobs):
        key = None
        if cache is not None:
            from kg.cache import entry_key

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


def load_documents(
    paths: Iterable[str | Path], overrides: Optional[Mapping[str, object]] = None
) -> tuple[list[Document], list[Failure]]:
    """Read every input file; manifest entries next to a file, then ``overrides``, win over detection."""
    jobs, failures = _jobs(paths, overrides)
    docs: list[Document] = []
    for job in jobs:
        try:
            docs.append(_read(job))
        except KgError as e:
            failures.append(Failure(str(job.path), str(e)))
    return docs, failures


def shards_of(extractions: list[Extraction]) -> dict[str, list[Extraction]]:
    """The extractions by shard (kg.shards.family_keys: a city and the regions under it)."""
    from kg.shards import family_keys

    keys = family_keys({x.document.id: (x.document.meta.region, x.document.meta.region_code)
                        for x in extractions})
    out: dict[str, list[Extraction]] = defaultdict(list)
    for x in extractions:
        out[keys[x.document.id]].append(x)
    return dict(sorted(out.items()))


def build_from_extractions(extractions: list[Extraction], sharded: bool = True):
    """Resolve unit names per region and assemble the graph (see kg.graph), shard by shard
    (see kg.shards: nothing links across them), then compose the shards' graphs; with
    ``sharded=False`` the extractions are taken as one shard."""
    if sharded:
        from kg.shards import compose

        parts = [build_from_extractions(xs, sharded=False) for xs in shards_of(extractions).values()]
        if len(parts) == 1:
            return parts[0]
        return compose(g for g, _ in parts), [p for _, ps in parts for p in ps]
    from kg.graph import assemble, region_key
    from kg.resolve.units import resolve_units

    names: dict[str, Counter] = defaultdict(Counter)
    for x in extractions:
        m = x.document.meta
        region = region_key(m.region, m.region_code, x.document.id)
        for t in x.tasks:
            for u in t.units:
                names[region][u.name] += 1
    identities = resolve_units({r: dict(c) for r, c in names.items()})
    return assemble(extractions, identities)


def extraction_problems(extractions: Iterable[Extraction]) -> list[Problem]:
    """What the user should know about each document (:func:`document_problems`) and what its
    extractor reported, document after document."""
    return [p for x in extractions for p in (*document_problems(x), *x.problems)]


def document_problems(x: Extraction) -> list[Problem]:
    """What the user should know about a document as a whole: nothing read from it, no region
    or year, invisible characters ignored, a kind that disagrees with the layout that was read,
    a period that cannot be (detected from the text: an override that cannot be is an error) or
    is of another year."""
    from kg.extract.registry import EXTRACTORS
    from kg.sources.manifest import period_problem, period_year
    from kg.sources.normalize import format_characters

    doc, m = x.document, x.document.meta
    out = []
    if not any(t.level == 0 for t in x.tasks) and not x.indicators:
        out.append(Problem(doc.id, doc.path, 1, f"nothing was read from this document: no task, unit, "
                           f"leader or target (read as {x.layout})", code=NOTHING_READ))
    if not m.region:
        out.append(Problem(doc.id, doc.path, 1, "region not detected: its units are kept apart from "
                           "other documents'; give --region or a manifest.toml entry"))
    if m.year is None:
        out.append(Problem(doc.id, doc.path, 1, "year not detected: its targets are kept apart from other "
                           "documents'; give --year or a manifest.toml entry"))
    hidden = format_characters(doc.text)
    if hidden:
        out.append(Problem(doc.id, doc.path, 1, f"{hidden} invisible format characters (soft hyphens, "
                           "zero-width or direction marks) were ignored"))
    layout = next((e for e in EXTRACTORS if e.name == x.layout), None)
    kinds = getattr(layout, "kinds", (layout.kind,)) if layout else ()
    if m.kind and kinds and m.kind not in kinds and dict(m.sources).get("kind") != "detected":
        out.append(Problem(doc.id, doc.path, 1, f"kind is given as {m.kind} but the text reads as the "
                           f"{x.layout} layout ({', '.join(kinds)}): check --kind or the manifest"))
    if m.period:
        problem = period_problem(m.period)
        if problem:
            out.append(Problem(doc.id, doc.path, 1, f"{problem}: target statuses will be unknown"))
        elif m.year and period_year(m.period) not in (None, m.year):
            out.append(Problem(doc.id, doc.path, 1, f"period {m.period} is not of the document's year "
                               f"{m.year}: check --period, --year or the manifest"))
    return out


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


def _file_key(job: _Job, files: dict) -> str:
    """A file's key (kg.cache.entry_key of its bytes and context), read from ``files`` when
    the file's size, modification and change times, inode and device are those recorded with
    it (as git does: hashing every file of a country costs a second), else computed and
    recorded. The change time cannot be set back: an edit of the same size whose modification
    time was restored is seen."""
    from kg.cache import entry_key

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


def _scan(jobs: list[_Job], index: dict, workers: int, stash: str) -> tuple[list, list[Failure]]:
    """Every file's key and region, from ``index`` ("docs": key → [doc id, region, code];
    "files": see :func:`_file_key`) or by reading it (the document read is left in ``stash``
    for its shard); ``index`` gains what was read."""
    from kg.shards import Scanned, _scan_one

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
    for s in run_pool(_scan_one, todo, workers if len(todo) >= MIN_PARALLEL else 1):
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

    from kg.cache import PartCache
    from kg.shards import merge_shared

    t0 = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    cache = PartCache(part_dir)
    cache.remove_abandoned()
    jobs, failures = _jobs(paths, overrides)
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
    from kg.shards import family_keys, render_shard, shard_key

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
