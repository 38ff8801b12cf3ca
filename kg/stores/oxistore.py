"""The on-disk Oxigraph store of a build folder, kept in step with its graph.ttl part by part.

`kg build` writes OUT/graph.ttl as a prefix header followed by parts (one per shard, and
the global part: kg.outputs), and OUT/graph.parts.tsv with a line per part::

    KEY<TAB>OFFSET<TAB>LENGTH        (the part's bytes in graph.ttl; KEY changes with them)

:func:`open_store` opens (or creates) OUT/store/ and keeps the graph in the store's default
graph. What it holds is recorded beside it: OUT/store.ttl is the graph.ttl it loaded (a hard
link, or a copy where links are not possible: a rebuild replaces graph.ttl by a new file, so
the old text stays readable here) and OUT/store.parts lists that file's parts. A rebuild after
one changed document changes one part: :func:`sync` removes the triples of every part no
longer listed (read back from store.ttl) and loads the parts it does not hold from graph.ttl.
The parts never repeat a triple (kg.shards), so removing one part's triples takes nothing
from another.

Why the default graph, not a named graph a part: Oxigraph keeps three indexes of the default
graph and six of the named ones, so the store is half the size (7 GB instead of 15 at
national scale), loads in half the time and answers queries 1.2 to 2 times as fast.

The graph is loaded whole instead when much of it changed (more than WHOLE_SHARE of the bytes
the store holds, as when a new code version renders every shard again): deleting a triple
costs several times loading one. A crash never leaves the store unlike its record: before a sync changes the store, the
record says so (``syncing``); a store whose record says so, has none, or whose store.ttl is not
the file it recorded (its size and modification time), is dropped and loaded whole. An out folder
without graph.parts.tsv (older builds) is one part, keyed by the size and modification time
of its graph.ttl.
"""

from __future__ import annotations

import gc
import io
import os
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional

from kg.errors import StoreError

STORE_DIR = "store"
RECORD = "store.parts"
LOADED = "store.ttl"
_REMOVING = "urn:govkg:removing"        # a scratch graph: the triples of the parts to remove
_DELETE_REMOVING = "DELETE { ?s ?p ?o } WHERE { GRAPH <urn:govkg:removing> { ?s ?p ?o } }"
_MAGIC = "#govkg-store\t2"
# Above this share of the store's bytes changed, the graph is loaded whole: deleting a triple
# costs about seven times loading one (300 regions: 4.4 µs to load, 30 µs to delete).
WHOLE_SHARE = 0.125
_KEY_RE = re.compile(r"[A-Za-z0-9._-]+")      # a key is a file-name-safe word
_BLOCK = 1 << 22


@dataclass(frozen=True)
class Part:
    key: str
    offset: int
    length: int


@dataclass
class Sync:
    """What :func:`sync` did: the keys it loaded and removed, and how long it took."""

    loaded: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: int = 0
    seconds: float = 0.0


@dataclass
class Record:
    """OUT/store.parts: the state of the store and the parts of OUT/store.ttl it holds."""

    state: str                      # "clean" or "syncing"
    size: int                       # store.ttl's size and mtime when it was recorded
    mtime_ns: int
    parts: list[Part]


def _parse_parts(lines: list[str], path: Path, size: int, out_dir: Path) -> list[Part]:
    parts: list[Part] = []
    for n, line in lines:
        cells = line.split("\t")
        try:
            key, offset, length = cells[0], int(cells[1]), int(cells[2])
        except (IndexError, ValueError):
            raise StoreError(f"{path}:{n}: expected KEY<TAB>OFFSET<TAB>LENGTH, found {line!r}; "
                             f"rebuild with kg build -o {out_dir}") from None
        if not _KEY_RE.fullmatch(key):
            raise StoreError(f"{path}:{n}: part key {key!r} holds characters other than letters, "
                             f"digits, '.', '_' and '-'; rebuild with kg build -o {out_dir}")
        if offset < 0 or length < 0 or offset + length > size:
            raise StoreError(f"{path}:{n}: part {key!r} ({offset}+{length}) does not lie inside "
                             f"its graph ({size} bytes); rebuild with kg build -o {out_dir}")
        parts.append(Part(key, offset, length))
    keys = [p.key for p in parts]
    if len(set(keys)) != len(keys):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise StoreError(f"{path}: part key(s) listed twice: {', '.join(dup[:3])}; rebuild with kg build -o {out_dir}")
    return parts


def _header(ttl: Path, parts: list[Part], size: int) -> bytes:
    """The prefixes and base before the first part."""
    with ttl.open("rb") as f:
        return f.read(min((p.offset for p in parts), default=size))


def read_parts(out_dir: Path) -> tuple[os.stat_result, Optional[bytes], list[Part]]:
    """OUT/graph.ttl's stat (taken first: the file the parts were read from), its header and
    its parts, from OUT/graph.parts.tsv (or the whole file as one part keyed by its size and
    mtime when there is none: then the header is None)."""
    ttl, tsv = out_dir / "graph.ttl", out_dir / "graph.parts.tsv"
    try:
        st = ttl.stat()
    except OSError as e:
        raise StoreError(f"{ttl}: cannot read the graph ({e}); build it first: kg build -o {out_dir}") from e
    if not tsv.exists():
        return st, None, [Part(f"whole-{st.st_size}-{st.st_mtime_ns}", 0, st.st_size)]
    try:
        lines = tsv.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"{tsv}: cannot read it ({e}); rebuild with kg build -o {out_dir}") from e
    parts = _parse_parts([(n, ln) for n, ln in enumerate(lines, 1) if ln.strip()], tsv, st.st_size, out_dir)
    spans = sorted((p.offset, p.offset + p.length) for p in parts)
    if spans and (spans[-1][1] != st.st_size or any(a[1] != b[0] for a, b in zip(spans, spans[1:]))):
        raise StoreError(f"{tsv}: its parts do not run back to back to the end of {ttl} "
                         f"({st.st_size} bytes): the two files are from different builds; "
                         f"rebuild with kg build -o {out_dir}")
    try:
        return st, _header(ttl, parts, st.st_size), parts
    except OSError as e:
        raise StoreError(f"{ttl}: cannot read the graph ({e}); rebuild with kg build -o {out_dir}") from e


def _read_record(out_dir: Path) -> Optional[Record]:
    """The record, or None when there is none or it is not one this version wrote (a store
    of named graphs, from before): the store is then loaded whole."""
    path = out_dir / RECORD
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"{path}: cannot read the store's record ({e}); delete it and the "
                         f"store folder beside it to load the graph again") from e
    if len(lines) < 2 or lines[0] != _MAGIC:
        return None
    try:
        state, size, mtime_ns = lines[1].split("\t")
        record = Record(state, int(size), int(mtime_ns), [])
    except ValueError:
        return None
    try:
        record.parts = _parse_parts([(n, ln) for n, ln in enumerate(lines[2:], 3) if ln],
                                    path, record.size, out_dir)
    except StoreError:
        return None                 # a damaged record: load the graph whole
    return record


def _trusted_record(out_dir: Path) -> Optional[Record]:
    """The record when the store holds what it says: a clean record whose store.ttl is the
    file it recorded (not rewritten in place); else None, and the graph is loaded whole."""
    record = _read_record(out_dir)
    if record is None or record.state != "clean":
        return None
    try:
        st = (out_dir / LOADED).stat()
    except OSError:
        return None
    return record if (st.st_size, st.st_mtime_ns) == (record.size, record.mtime_ns) else None


def _load_whole(record: Optional[Record], parts: list[Part]) -> bool:
    """Whether to load the graph whole rather than part by part: when the record cannot be
    trusted, or when most of what the store holds changed (a new code version renders every
    shard again): deleting triples one part at a time costs more than loading them."""
    if record is None:
        return True
    wanted = {p.key for p in parts}
    stale = sum(p.length for p in record.parts if p.key not in wanted)
    return stale > WHOLE_SHARE * sum(p.length for p in record.parts)


def _write_record(out_dir: Path, record: Record) -> None:
    path = out_dir / RECORD
    tmp = path.with_name(path.name + ".tmp")
    text = (f"{_MAGIC}\n{record.state}\t{record.size}\t{record.mtime_ns}\n"
            + "".join(f"{p.key}\t{p.offset}\t{p.length}\n" for p in record.parts))
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise StoreError(f"{path}: cannot record the store's parts ({e}); check the folder is writable") from e


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_size, b.st_mtime_ns)


def _keep_loaded(out_dir: Path, loaded_from: os.stat_result) -> os.stat_result:
    """OUT/store.ttl := the graph.ttl just loaded (a hard link: no copy, and the text stays
    when a rebuild replaces graph.ttl); returns its stat for the record."""
    src, dst = out_dir / "graph.ttl", out_dir / LOADED
    tmp = dst.with_name(dst.name + ".tmp")
    try:
        tmp.unlink(missing_ok=True)
        try:
            os.link(src, tmp)
        except OSError:                 # a file system without hard links
            shutil.copyfile(src, tmp)
        if not _same_file(src.stat(), loaded_from):
            tmp.unlink()
            raise StoreError(f"{src} was replaced while the store loaded it (a kg build running?); "
                             f"run the command again: the store will load the new graph")
        os.replace(tmp, dst)
        return dst.stat()
    except OSError as e:
        raise StoreError(f"{dst}: cannot keep the loaded graph beside the store ({e}); "
                         f"check the folder is writable and has room") from e


class _Reader(io.RawIOBase):
    """A binary reader over an iterator of byte strings (what Oxigraph's bulk_load reads)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._rest = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._rest = chunk              # an empty chunk (an empty header) is not the end
        n = min(len(buffer), len(self._rest))
        buffer[:n], self._rest = self._rest[:n], self._rest[n:]
        return n


def _turtle(ttl: Path, header: bytes, parts: list[Part]) -> io.BufferedReader:
    """The header and the given parts of a graph.ttl as one Turtle text, read as needed."""
    def chunks() -> Iterator[bytes]:
        yield header
        with ttl.open("rb") as f:
            for p in parts:
                yield b"\n"
                f.seek(p.offset)
                left = p.length
                while left > 0:
                    block = f.read(min(left, _BLOCK))
                    if not block:
                        raise OSError(f"{ttl} ends inside part {p.key}")
                    left -= len(block)
                    yield block
    return io.BufferedReader(_Reader(chunks()), _BLOCK)


def _remove(store, loaded: Path, record: Record, stale: list[Part]) -> None:
    """Remove the triples of the ``stale`` parts of store.ttl, a part at a time: loaded into a
    scratch graph, then deleted from the default graph in one update (an update holds its
    changes in memory: all the parts at once took minutes and gigabytes)."""
    import pyoxigraph as ox

    scratch = ox.NamedNode(_REMOVING)
    header = _header(loaded, record.parts, record.size)
    for part in stale:
        store.bulk_load(_turtle(loaded, header, [part]), format=ox.RdfFormat.TURTLE, to_graph=scratch, lenient=True)
        store.update(_DELETE_REMOVING)
        store.remove_graph(scratch)


def sync(store, out_dir: Path) -> Sync:
    """Load into ``store`` the parts of OUT/graph.ttl it does not hold, remove those no
    longer listed (see the module's docstring for what survives a crash)."""
    import time

    import pyoxigraph as ox

    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    ttl, loaded = out_dir / "graph.ttl", out_dir / LOADED
    loading, header, parts = read_parts(out_dir)    # loading: the file to keep as store.ttl
    record = _trusted_record(out_dir)
    whole = _load_whole(record, parts)
    held = {p.key for p in record.parts} if not whole else set()
    wanted = {p.key for p in parts}
    kept = held & wanted
    todo = [p for p in parts if p.key not in kept]
    done = Sync(kept=len(kept))
    if not todo and held == wanted:
        done.seconds = round(time.perf_counter() - t0, 3)
        return done
    stale = [p for p in record.parts if p.key not in wanted] if record is not None else []
    try:
        _write_record(out_dir, Record("syncing", 0, 0, []) if record is None
                      else replace(record, state="syncing"))
        if whole:                       # a first load, or most of it changed: the whole file
            store.clear()
            store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE, lenient=True)
            store.optimize()            # compacting: minutes at national scale, so not after a rebuild
        else:
            if stale:
                _remove(store, loaded, record, stale)
            if todo:
                store.bulk_load(_turtle(ttl, header or b"", todo), format=ox.RdfFormat.TURTLE, lenient=True)
        done.loaded, done.removed = [p.key for p in todo], [p.key for p in stale]
        store.flush()
        st = _keep_loaded(out_dir, loading)
        _write_record(out_dir, Record("clean", st.st_size, st.st_mtime_ns, parts))
    except SyntaxError as e:
        raise StoreError(f"{ttl}: a part does not parse as Turtle ({e}); rebuild with kg build -o {out_dir}") from e
    except (OSError, ValueError) as e:
        raise StoreError(f"cannot load {ttl} into the store {out_dir / STORE_DIR}: {e}") from e
    done.seconds = round(time.perf_counter() - t0, 3)
    return done


def open_store(out_dir: Path):
    """The :class:`pyoxigraph.Store` of a build folder (OUT/store/), synced with its graph.ttl
    and graph.parts.tsv: what `kg query` opens instead of reading graph.json."""
    import pyoxigraph as ox

    out_dir = Path(out_dir)
    path = out_dir / STORE_DIR

    def open_it():
        try:
            return ox.Store(str(path))      # RocksDB's lock: one kg command at a time
        except OSError as e:
            raise StoreError(f"cannot open the store {path}: {e} (another kg command may be using it; "
                             f"else delete the folder and {out_dir / RECORD} to load the graph again)") from e

    existed = path.is_dir()
    if not existed:                         # deleted by hand, or never made: the record is void
        (out_dir / RECORD).unlink(missing_ok=True)
    store = open_it()
    if existed and (out_dir / "graph.ttl").exists() \
            and _load_whole(_trusted_record(out_dir), read_parts(out_dir)[2]):
        del store                           # to be loaded whole: dropping the folder is faster
        gc.collect()                        # than clearing it (the store closes when collected)
        _write_record(out_dir, Record("syncing", 0, 0, []))
        shutil.rmtree(path, ignore_errors=True)
        store = open_it()
    sync(store, out_dir)
    return store
