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
write to gives them no way into a build. The rendered shards of `kg build` (:class:`PartCache`)
keep no pickle at all: their meta is JSON (kg.shards).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from kg.errors import StoreError
from kg.model import Extraction
from kg.resources import folder, overlay_folders
from kg.tempfiles import lock, locked_tempdir, remove_abandoned

PACKAGE = Path(__file__).resolve().parent
_DATA_SUFFIXES = (".tsv", ".toml", ".csv", ".json", ".txt")


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

    def get(self, key: str):
        from kg.shards import read_meta

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
        import json

        try:
            found = json.loads((self.base / "regions.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not (isinstance(found, dict) and isinstance(found.get("docs"), dict)
                and isinstance(found.get("files"), dict)):
            return {}
        return found

    def write_index(self, index: dict) -> None:
        import json

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
