"""A cache of per-document extractions, so that a rebuild re-reads only what changed.

An entry is keyed by the file's bytes, what else decides its reading (its stored path, its
manifest entry, the command-line overrides) and the code version: a hash of every source
file of the ``kg`` package and every gazetteer under ``data/`` (not ``data/reports``). Any
edit to the code or the data therefore starts afresh; nothing is ever invalidated by hand.

Entries are pickled :class:`kg.model.Extraction` records, one file each, written atomically
under ``DIR/<code version>/<key[:2]>/<key>.pickle``. An entry that cannot be read (a
truncated write, a foreign file) is a miss, not an error: the document is extracted again
and the entry rewritten. A pickle runs code when it is read, so only a file of this user's
that no one else may write is read (:func:`load_own_pickle`): a cache folder others can
write to gives them no way into a build.

The rendered shards of `kg build` (:class:`PartCache`, rendered by kg.shards) keep no pickle at
all: a part is a folder of files and a meta.json (:class:`ShardMeta`) with each file's size,
SHA-256 and status, written in a locked temporary folder renamed into place
(:func:`write_part`) and reused only when every file checks (:func:`read_meta`).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from kg.errors import StoreError
from kg.model import Extraction, Problem
from kg.resources import folder, overlay_folders
from kg.tempfiles import lock, locked_tempdir, remove_abandoned

PACKAGE = Path(__file__).resolve().parent
_DATA_SUFFIXES = (".tsv", ".toml", ".csv", ".json", ".txt")
META = "meta.json"
_PART_FILES = ("edges.json", "nodes.json", "part.ttl", META)


def unwritable(what: str, where: Path, error: OSError) -> StoreError:
    """The error of a cache that cannot be written, saying what the user can do."""
    return StoreError(f"cannot write {what} under {where}: {error} "
                      "(choose another folder with --cache DIR, or --no-cache)")


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/govkg``, else ``~/.cache/govkg``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "govkg"


def code_version() -> str:
    """A hash of the ``kg`` sources and every data table govkg reads: the package's (in the
    checkout or inside an installed wheel) and a user's (``GOVKG_DATA``); documents excluded."""
    return _code_version(overlay_folders())


@lru_cache(maxsize=None)
def _code_version(overlays: tuple[Path, ...]) -> str:
    h = hashlib.blake2b(digest_size=16)
    files = [(f"kg/{p.relative_to(PACKAGE).as_posix()}", p)
             for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts]
    for k, data in enumerate((folder("data"), *overlays)):
        if data.is_dir():
            files += [(f"data{k}/{p.name}", p) for p in sorted(data.iterdir())
                      if p.is_file() and p.suffix in _DATA_SUFFIXES]
    for name, p in files:
        h.update(name.encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def entry_key(data: bytes, context: str) -> str:
    """The key of a document: its bytes and how it is read (path, manifest entry, options)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(context.encode("utf-8"))
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def load_own_pickle(path: Path):
    """The object pickled at ``path``, or None when it is missing, unreadable, or not a file
    that this user owns and only this user may write (someone else could have put code in it)."""
    try:
        with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NOFOLLOW)) as f:
            st = os.fstat(f.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        return None                   # an unreadable entry is a miss; it is written again


class ExtractionCache:
    """Extractions on disk under ``directory``, for the current code version."""

    def __init__(self, directory: str | Path):
        self.root = Path(directory) / code_version()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Optional[Extraction]:
        found = load_own_pickle(self._path(key))
        return found if isinstance(found, Extraction) else None

    def put(self, key: str, extraction: Extraction) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key}.", dir=path.parent)
            with os.fdopen(fd, "wb") as f:
                pickle.dump(extraction, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError as e:
            raise unwritable("the extraction cache", self.root, e) from e


# --------------------------------------------------------------------------- rendered shards

@dataclass
class ShardMeta:
    """What a rendered shard tells the build besides its files (kept as data in meta.json,
    with the size, SHA-256 and file status of each file, checked when the shard is reused:
    see :func:`read_meta`)."""

    key: str
    documents: list[dict] = field(default_factory=list)     # one row a document, for the summary
    failures: list[tuple[str, str]] = field(default_factory=list)
    problems: list = field(default_factory=list)             # kg.model.Problem
    nodes: Counter = field(default_factory=Counter)          # own nodes by type
    edges: Counter = field(default_factory=Counter)          # own edges by type
    shared_nodes: dict = field(default_factory=dict)         # Region and Project nodes it met
    shared_edges: list = field(default_factory=list)         # (u, v, key, attrs) between shared nodes
    concepts: list = field(default_factory=list)             # the shared concepts its triples name
    sizes: dict = field(default_factory=dict)                # file name → bytes
    hashes: dict = field(default_factory=dict)               # file name → SHA-256, hex
    stamps: dict = field(default_factory=dict)               # file name → [size, mtime, ctime, inode, device]

    def to_json(self) -> bytes:
        data = {"key": self.key, "documents": self.documents, "failures": self.failures,
                "problems": [asdict(p) for p in self.problems], "nodes": self.nodes, "edges": self.edges,
                "shared_nodes": self.shared_nodes, "shared_edges": self.shared_edges,
                "concepts": self.concepts, "sizes": self.sizes, "hashes": self.hashes,
                "stamps": self.stamps}
        return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, text: bytes) -> "ShardMeta":
        """The meta :meth:`to_json` wrote; ValueError, KeyError or TypeError when it is not one."""
        d = json.loads(text)
        return cls(
            key=str(d["key"]), documents=[dict(r) for r in d["documents"]],
            failures=[(str(path), str(message)) for path, message in d["failures"]],
            problems=[Problem(**p) for p in d["problems"]],
            nodes=Counter({str(k): int(v) for k, v in d["nodes"].items()}),
            edges=Counter({str(k): int(v) for k, v in d["edges"].items()}),
            shared_nodes={str(n): dict(a) for n, a in d["shared_nodes"].items()},
            shared_edges=[(str(u), str(v), str(k), dict(a)) for u, v, k, a in d["shared_edges"]],
            concepts=[(iri, scheme, label, tuple(tuple(x) for x in extra))
                      for iri, scheme, label, extra in d["concepts"]],
            sizes={str(k): int(v) for k, v in d["sizes"].items()},
            hashes={str(k): str(v) for k, v in d["hashes"].items()},
            stamps={str(k): [int(x) for x in v] for k, v in d["stamps"].items()})


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def write_part(part: Path, files: dict[str, bytes], meta: ShardMeta) -> bytes:
    """A rendered shard's files and its meta (with each file's status once written) into the
    folder ``part``, through a temporary sibling folder renamed into place at the end (locked
    while written: kg.tempfiles); returns the meta's JSON."""
    part.parent.mkdir(parents=True, exist_ok=True)
    try:
        with locked_tempdir(part.parent, f".{part.name}.") as tmp:
            for name, data in files.items():
                (tmp / name).write_bytes(data)
            meta.stamps = {name: _stamp(tmp / name) for name in files}
            text = meta.to_json()
            (tmp / META).write_bytes(text)
            if part.exists():
                shutil.rmtree(part)
            try:
                os.replace(tmp, part)
            except OSError:
                if read_meta(part) is None:     # not another build's rendering of the same key
                    raise
    except OSError as e:
        raise unwritable("the shard", part.parent, e) from e
    return text


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_meta(part: Path) -> Optional[ShardMeta]:
    """The meta of the rendered shard in the folder ``part`` when every file it lists has the size and SHA-256 recorded, else
    None (missing, unreadable, cut or altered: the shard is rendered again).

    A file whose status (size, modification and change times, inode, device) is the one
    recorded when it was written has not been written since (a write moves the change time,
    which cannot be set back), and is not read again, as git trusts its index; any other is
    read whole and its SHA-256 compared. (Hashing every part costs a 300-region rebuild a
    quarter of a second, a national one seconds.)"""
    try:
        if not all((part / name).is_file() for name in _PART_FILES):
            return None
        meta = ShardMeta.from_json((part / META).read_bytes())
        names = set(_PART_FILES) - {META}
        if not names == set(meta.sizes) == set(meta.hashes) == set(meta.stamps):
            return None
        for name in sorted(names):
            stamp = _stamp(part / name)
            if stamp[0] != meta.sizes[name]:
                return None
            if stamp != meta.stamps[name] and _sha256(part / name) != meta.hashes[name]:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return meta


class PartCache:
    """Rendered shards (kg.shards) on disk under ``directory``, for the current code version:
    ``shards/<key>/`` (graph.json lines, Turtle part, meta.json with each file's size and
    SHA-256) and ``regions.json``: each file's key → [document id, region, code] from the
    scan, and each file's size, times, inode and key (kg.build._file_key). A missing or
    damaged shard is a miss. What a killed build left (a half-rendered shard, the documents
    it read) is removed by the next (kg.tempfiles)."""

    def __init__(self, directory: str | Path):
        self.base = Path(directory) / code_version()
        self.root = self.base / "shards"

    def remove_abandoned(self) -> list[Path]:
        """Remove the temporary files and folders killed builds left here."""
        return (remove_abandoned(self.base, (".read-", ".regions."))
                + remove_abandoned(self.root, (".",)))

    def get(self, key: str) -> Optional[ShardMeta]:
        return read_meta(self.root / key)

    @contextmanager
    def stash(self) -> Iterator[Path]:
        """A folder for the documents the scan read, for their shards, removed afterwards."""
        try:
            self.base.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise unwritable("the build cache", self.base, e) from e
        with locked_tempdir(self.base, ".read-") as tmp:
            yield tmp

    def read_index(self) -> dict:
        try:
            found = json.loads((self.base / "regions.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not (isinstance(found, dict) and isinstance(found.get("docs"), dict)
                and isinstance(found.get("files"), dict)):
            return {}
        return found

    def write_index(self, index: dict) -> None:
        path = self.base / "regions.json"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".regions.", dir=path.parent)
            held = lock(fd)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(index, f, ensure_ascii=False, sort_keys=True)
                os.replace(tmp, path)
            finally:
                os.close(held)
        except OSError as e:
            raise unwritable("the build cache", self.base, e) from e


@contextmanager
def part_folder(cache_dir: Optional[Path]) -> Iterator[Path]:
    """The folder of the rendered shards: ``cache_dir``, or, without a cache (--no-cache),
    a temporary one removed afterwards."""
    if cache_dir is not None:
        yield Path(cache_dir)
        return
    with tempfile.TemporaryDirectory(prefix="govkg-build-") as tmp:
        yield Path(tmp)
