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
without graph.parts.tsv (older builds), or with an empty one, is one part, keyed by the size
and modification time of its graph.ttl.

Readers and the writer (:class:`BuildStore`): queries open the store read-only (RocksDB's
own LOCK is the writer's: with it, a second `kg query` could not open the store at all) and
hold OUT/store.lock shared while it is open; a sync holds it exclusively, so it never
changes the files under a reader, and readers wait for it. A store RocksDB finds damaged,
when it opens or as it reads a block, is dropped and loaded whole from graph.ttl.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import io
import os
import re
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional

from kg.errors import StoreError

STORE_DIR = "store"
RECORD = "store.parts"
LOADED = "store.ttl"
LOCK = "store.lock"
LOCK_TIMEOUT = 600.0                    # seconds a reader or the syncing process waits for the lock
_ATTEMPTS = 20                          # times a reader tries before graph.ttl stops changing
_CHANGED_PAUSE = 0.05                   # seconds between them
_REMOVING = "urn:govkg:removing"        # a scratch graph: the triples of the parts to remove
_DELETE_REMOVING = "DELETE { ?s ?p ?o } WHERE { GRAPH <urn:govkg:removing> { ?s ?p ?o } }"
_MAGIC = "#govkg-store\t2"
# Above this share of the store's bytes changed, the graph is loaded whole: deleting a triple
# costs about seven times loading one (300 regions: 4.4 µs to load, 30 µs to delete).
WHOLE_SHARE = 0.125
_KEY_RE = re.compile(r"[A-Za-z0-9._-]+")      # a key is a file-name-safe word
_BLOCK = 1 << 22


class _Changed(StoreError):
    """graph.ttl and graph.parts.tsv are not of one build, or graph.ttl was replaced while the
    store loaded it: a kg build is writing them, and reading them again a moment later may do."""


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
    if not st.st_size:
        raise StoreError(f"{ttl}: the graph is empty (0 bytes); rebuild with kg build -o {out_dir}")
    whole = [Part(f"whole-{st.st_size}-{st.st_mtime_ns}", 0, st.st_size)]
    if not tsv.exists():
        return st, None, whole
    try:
        lines = tsv.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"{tsv}: cannot read it ({e}); rebuild with kg build -o {out_dir}") from e
    parts = _parse_parts([(n, ln) for n, ln in enumerate(lines, 1) if ln.strip()], tsv, st.st_size, out_dir)
    if not parts:                       # emptied: graph.ttl is whole without it
        return st, None, whole
    spans = sorted((p.offset, p.offset + p.length) for p in parts)
    if spans and (spans[-1][1] != st.st_size or any(a[1] != b[0] for a, b in zip(spans, spans[1:]))):
        raise _Changed(f"{tsv}: its parts do not run back to back to the end of {ttl} "
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
            raise _Changed(f"{src} was replaced while the store loaded it (a kg build running?); "
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


# --------------------------------------------------------------------------- readers and the writer

class _Lock:
    """OUT/store.lock, an advisory file lock (flock): readers hold it shared while their
    read-only store is open, the one process that syncs holds it exclusively. Waits poll
    for at most :data:`LOCK_TIMEOUT` seconds. A folder where the lock cannot be made is one
    nobody can write: there is nothing to wait for."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / LOCK
        self.file = None
        self.mode: Optional[int] = None

    def _open(self):
        for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):
            try:
                return os.fdopen(os.open(self.path, flags, 0o666), "rb", buffering=0)
            except (PermissionError, FileNotFoundError, IsADirectoryError):
                continue
            except OSError as e:
                if e.errno != errno.EROFS:
                    raise StoreError(f"{self.path}: cannot make the store's lock ({e})") from e
        return None

    def take(self, mode: int) -> None:
        """Hold the lock in ``mode`` (fcntl.LOCK_SH or LOCK_EX), waiting for others."""
        self.release()
        self.file = self._open()
        if self.file is None:
            return
        deadline = time.monotonic() + LOCK_TIMEOUT
        pause = 0.01
        while True:
            try:
                fcntl.flock(self.file.fileno(), mode | fcntl.LOCK_NB)
                self.mode = mode
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.release()
                    raise StoreError(f"waited {LOCK_TIMEOUT:.0f} s for the store of {self.path.parent}: another "
                                     "kg command (or a Python session with the store open) holds it; "
                                     "run the command again when it is done") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.2)

    def release(self) -> None:
        if self.file is not None:
            self.file.close()                # closing the file releases the lock
        self.file, self.mode = None, None


_HELD: dict[Path, int] = {}                  # build folder → BuildStores of this process open on it


def _is_damage(e: Exception) -> bool:
    """Whether RocksDB's error says the store's files are damaged or missing (not a lock held
    by another process, not a folder the user may not read)."""
    if isinstance(e, PermissionError):
        return False
    text = str(e)
    return text.startswith("Corruption") or (isinstance(e, OSError) and "lock" not in text.lower())


def _current(out_dir: Path) -> bool:
    """Whether OUT/store/ holds the graph that graph.ttl and graph.parts.tsv describe."""
    record = _trusted_record(out_dir)
    if record is None or not (out_dir / STORE_DIR).is_dir():
        return False
    return {p.key for p in record.parts} == {p.key for p in read_parts(out_dir)[2]}


def _drop(out_dir: Path) -> None:
    """Delete the store folder (loading whole into a new one is faster than clearing it)."""
    _write_record(out_dir, Record("syncing", 0, 0, []))
    shutil.rmtree(out_dir / STORE_DIR, ignore_errors=True)


def _refresh(out_dir: Path, damaged: bool = False) -> None:
    """Under the exclusive lock: bring OUT/store/ in step with graph.ttl, loading it whole into
    a new folder when the store cannot be trusted, is ``damaged`` or does not open."""
    import pyoxigraph as ox

    path = out_dir / STORE_DIR
    if not path.is_dir():                    # deleted by hand, or never made: the record is void
        (out_dir / RECORD).unlink(missing_ok=True)
    elif damaged or _load_whole(_trusted_record(out_dir), read_parts(out_dir)[2]):
        _drop(out_dir)
    try:
        store = ox.Store(str(path))
    except (OSError, RuntimeError) as e:
        if not _is_damage(e):
            raise StoreError(f"cannot open the store {path}: {e}") from e
        _drop(out_dir)                       # CURRENT, MANIFEST or a table file damaged
        try:
            store = ox.Store(str(path))
        except (OSError, RuntimeError) as e2:
            raise StoreError(f"cannot make the store {path}: {e2}") from e2
    try:
        sync(store, out_dir)
    finally:
        del store
        gc.collect()                         # the store closes when collected


class Solutions:
    """The solutions of a SELECT on a :class:`BuildStore`, read whole (so that a damaged table
    file is seen while the store can still be loaded again): ``variables`` and the
    :class:`pyoxigraph.QuerySolution` rows, in order."""

    def __init__(self, variables, rows: list):
        self.variables, self.rows = variables, rows

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class BuildStore:
    """A build folder's store, opened read-only for queries while OUT/store.lock is held
    shared (see :func:`open_store`). ``query`` answers as :meth:`pyoxigraph.Store.query`
    does (a SELECT's solutions read whole, as :class:`Solutions`); a store found damaged is
    loaded again from graph.ttl and the query run again. Close it (or use it as a context
    manager) to let a later build's sync proceed."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.store = None
        self._lock = _Lock(self.out_dir)
        self._key = self.out_dir.resolve()
        _HELD[self._key] = _HELD.get(self._key, 0) + 1
        self._open()

    def _open(self, damaged: bool = False) -> None:
        """Take the lock shared with the store in step with graph.ttl, syncing it first (under
        the exclusive lock) when it is not; then open it read-only."""
        import pyoxigraph as ox

        path = self.out_dir / STORE_DIR
        for _attempt in range(_ATTEMPTS):
            self._lock.take(fcntl.LOCK_SH)
            try:
                if not damaged and _current(self.out_dir):
                    try:
                        self.store = ox.Store.read_only(str(path))
                        return
                    except (OSError, RuntimeError) as e:
                        if not _is_damage(e):
                            raise StoreError(f"cannot open the store {path}: {e}") from e
                        damaged = True
                if _HELD.get(self._key, 0) > 1:
                    raise StoreError(f"the store {path} must be brought up to date, but this process "
                                     "has it open: close the store it opened before (BuildStore.close)")
                self._lock.take(fcntl.LOCK_EX)
                _refresh(self.out_dir, damaged)
                damaged = False
            except _Changed:
                if _attempt == _ATTEMPTS - 1:
                    self.close()
                    raise
                time.sleep(_CHANGED_PAUSE)   # a kg build is replacing graph.ttl: read it again
            except BaseException:
                self.close()
                raise

    def query(self, text: str, **options):
        import pyoxigraph as ox

        for attempt in (1, 2):
            try:
                result = self.store.query(text, **options)
                if isinstance(result, ox.QuerySolutions):
                    result = Solutions(result.variables, list(result))
                return result
            except (OSError, RuntimeError) as e:
                if attempt == 2 or not str(e).startswith("Corruption"):
                    raise
                self.store = None
                gc.collect()
                self._open(damaged=True)      # load it again from graph.ttl, and ask again

    def __iter__(self):
        return iter(self.store)

    def __len__(self) -> int:
        return len(self.store)

    def named_graphs(self):
        return self.store.named_graphs()

    def close(self, collect: bool = True) -> None:
        """Close the store, then release the lock."""
        self.store = None
        if collect:
            gc.collect()                     # the store closes when collected
        self._lock.release()
        if self._key in _HELD:
            _HELD[self._key] -= 1
            if not _HELD[self._key]:
                del _HELD[self._key]
            self._key = None

    def __enter__(self) -> "BuildStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        if getattr(self, "_key", None) is not None:
            self.close(collect=False)


def open_store(out_dir: Path) -> BuildStore:
    """The store of a build folder (OUT/store/), synced with its graph.ttl and graph.parts.tsv,
    opened read-only: what `kg query` opens instead of reading graph.json.

    Any number of readers share it: each holds OUT/store.lock shared while its store is
    open. The first reader after a build syncs the store, holding the lock exclusively (so
    it waits for the readers of the graph before, and new readers wait for it); the others
    wait and then read the synced store. A store whose files are damaged (CURRENT, a
    MANIFEST, a table file cut or altered) is loaded again from graph.ttl."""
    return BuildStore(Path(out_dir))
