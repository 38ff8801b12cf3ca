"""The on-disk Oxigraph store of a build folder, kept in step with its graph.ttl part by part.

`kg build` writes OUT/graph.ttl as a prefix header followed by parts (one per shard, and
the global part: kg.outputs), and OUT/graph.parts.tsv with a line per part::

    KEY<TAB>OFFSET<TAB>LENGTH        (the part's bytes in graph.ttl; KEY changes with them)

:func:`open_store` opens (or creates) OUT/store/ and loads every part it does not hold yet
into the named graph ``<urn:govkg:part:KEY>`` (the header and the part's bytes, bulk-loaded
by Oxigraph), and removes the named graph of every key no longer listed: a rebuild after one
changed document reloads one part. Queries see the union of the parts: run them with
``use_default_graph_as_union=True`` (kg.queries does). The parts never repeat a triple
(kg.shards), which matters: Oxigraph's union does not merge a triple held by two graphs.

What the store holds is recorded in OUT/store.parts (the keys, one a line), written after
the loads are flushed and before any graph is removed, so a crash never leaves a part
counted as loaded when it is not; a graph that is not recorded is removed and loaded again.
An out folder without graph.parts.tsv (older builds) is one part, keyed by the size and
modification time of its graph.ttl.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from kg.errors import StoreError

PART_GRAPH = "urn:govkg:part:"
STORE_DIR = "store"
RECORD = "store.parts"
_KEY_RE = re.compile(r"[A-Za-z0-9._-]+")      # a key is part of an IRI as is
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


def read_parts(out_dir: Path) -> tuple[Optional[bytes], list[Part]]:
    """The header of OUT/graph.ttl and its parts, from OUT/graph.parts.tsv (or the whole file
    as one part keyed by its size and mtime when there is none: then the header is None)."""
    ttl, tsv = out_dir / "graph.ttl", out_dir / "graph.parts.tsv"
    try:
        st = ttl.stat()
    except OSError as e:
        raise StoreError(f"{ttl}: cannot read the graph ({e}); build it first: kg build -o {out_dir}") from e
    if not tsv.exists():
        return None, [Part(f"whole-{st.st_size}-{st.st_mtime_ns}", 0, st.st_size)]
    parts: list[Part] = []
    try:
        lines = tsv.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"{tsv}: cannot read it ({e}); rebuild with kg build -o {out_dir}") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        try:
            key, offset, length = cells[0], int(cells[1]), int(cells[2])
        except (IndexError, ValueError):
            raise StoreError(f"{tsv}:{n}: expected KEY<TAB>OFFSET<TAB>LENGTH, found {line!r}; "
                             f"rebuild with kg build -o {out_dir}") from None
        if not _KEY_RE.fullmatch(key):
            raise StoreError(f"{tsv}:{n}: part key {key!r} holds characters other than letters, "
                             f"digits, '.', '_' and '-'; rebuild with kg build -o {out_dir}")
        if offset < 0 or length < 0 or offset + length > st.st_size:
            raise StoreError(f"{tsv}:{n}: part {key!r} ({offset}+{length}) does not lie inside "
                             f"{ttl} ({st.st_size} bytes); rebuild with kg build -o {out_dir}")
        parts.append(Part(key, offset, length))
    keys = [p.key for p in parts]
    if len(set(keys)) != len(keys):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise StoreError(f"{tsv}: part key(s) listed twice: {', '.join(dup[:3])}; rebuild with kg build -o {out_dir}")
    start = min((p.offset for p in parts), default=st.st_size)
    with ttl.open("rb") as f:
        header = f.read(start)
    return header, parts


def _read_record(path: Path) -> set[str]:
    try:
        return {ln for ln in path.read_text(encoding="utf-8").splitlines() if ln}
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"{path}: cannot read the store's record ({e}); delete it and the "
                         f"store folder beside it to load the graph again") from e


def _write_record(path: Path, keys: set[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text("".join(k + "\n" for k in sorted(keys)), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise StoreError(f"{path}: cannot record the store's parts ({e}); check the folder is writable") from e


class _Reader(io.RawIOBase):
    """A binary reader over an iterator of byte strings (what Oxigraph's bulk_load reads)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._rest = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._rest:
            self._rest = next(self._chunks, b"")
            if not self._rest:
                return 0
        n = min(len(buffer), len(self._rest))
        buffer[:n], self._rest = self._rest[:n], self._rest[n:]
        return n


def _trig(ttl: Path, header: bytes, parts: list[Part]) -> io.BufferedReader:
    """The parts as one TriG text, each in its named graph: one bulk load, at Oxigraph's
    speed (a bulk load a part costs a second or so each, mostly for RocksDB)."""
    def chunks() -> Iterator[bytes]:
        yield header
        with ttl.open("rb") as f:
            for p in parts:
                yield f"\n<{PART_GRAPH}{p.key}> {{\n".encode()
                f.seek(p.offset)
                left = p.length
                while left > 0:
                    block = f.read(min(left, _BLOCK))
                    if not block:
                        raise OSError(f"{ttl} ends inside part {p.key}")
                    left -= len(block)
                    yield block
                yield b"\n}\n"
    return io.BufferedReader(_Reader(chunks()), _BLOCK)


def sync(store, out_dir: Path) -> Sync:
    """Load into ``store`` the parts of OUT/graph.ttl it does not hold, remove those no
    longer listed (see the module's docstring for the order that survives a crash)."""
    import time

    import pyoxigraph as ox

    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    record_path = out_dir / RECORD
    header, parts = read_parts(out_dir)
    wanted = {p.key for p in parts}
    present = {g.value[len(PART_GRAPH):] for g in store.named_graphs()
               if isinstance(g, ox.NamedNode) and g.value.startswith(PART_GRAPH)}
    recorded = _read_record(record_path)
    keep = recorded & present & wanted
    if keep != recorded:
        _write_record(record_path, keep)
    done = Sync(kept=len(keep))
    ttl = out_dir / "graph.ttl"
    try:
        for key in sorted(present - keep):
            store.remove_graph(ox.NamedNode(PART_GRAPH + key))
            if key not in wanted:
                done.removed.append(key)
        todo = [p for p in parts if p.key not in keep]
        if todo:
            if header is None:              # an older folder: graph.ttl is one part, with its prefixes
                for p in todo:
                    store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE,
                                    to_graph=ox.NamedNode(PART_GRAPH + p.key), lenient=True)
            else:
                store.bulk_load(_trig(ttl, header, todo), format=ox.RdfFormat.TRIG, lenient=True)
            for p in todo:
                store.add_graph(ox.NamedNode(PART_GRAPH + p.key))     # listed even when empty
            done.loaded = [p.key for p in todo]
            if len(todo) > len(keep):       # a first load: compact it (minutes at national scale,
                store.optimize()            # so not after a rebuild's few parts)
            store.flush()
            _write_record(record_path, keep | set(done.loaded))
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
    try:
        store = ox.Store(str(path))
    except OSError as e:
        raise StoreError(f"cannot open the store {path}: {e} (another kg command may be using it; "
                         f"else delete the folder and {out_dir / RECORD} to load the graph again)") from e
    sync(store, out_dir)
    return store
