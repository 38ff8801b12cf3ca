"""A cache of per-document extractions, so that a rebuild re-reads only what changed.

An entry is keyed by the file's bytes, what else decides its reading (its stored path, its
manifest entry, the command-line overrides) and the code version: a hash of every source
file of the ``kg`` package and every gazetteer under ``data/`` (not ``data/reports``). Any
edit to the code or the data therefore starts afresh; nothing is ever invalidated by hand.

Entries are pickled :class:`kg.model.Extraction` records, one file each, written atomically
under ``DIR/<code version>/<key[:2]>/<key>.pickle``. An entry that cannot be read (a
truncated write, a foreign file) is a miss, not an error: the document is extracted again
and the entry rewritten.
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

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE.parent / "data"
_DATA_SUFFIXES = (".tsv", ".toml", ".csv", ".json", ".txt")


def unwritable(what: str, where: Path, error: OSError) -> StoreError:
    """The error of a cache that cannot be written, saying what the user can do."""
    return StoreError(f"cannot write {what} under {where}: {error} "
                      "(choose another folder with --cache DIR, or --no-cache)")


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/govkg``, else ``~/.cache/govkg``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "govkg"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the ``kg`` sources and the gazetteers of ``data/`` (documents excluded)."""
    h = hashlib.blake2b(digest_size=16)
    files = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
    if DATA.is_dir():
        files += sorted(p for p in DATA.iterdir() if p.is_file() and p.suffix in _DATA_SUFFIXES)
    for p in files:
        h.update(p.relative_to(PACKAGE.parent).as_posix().encode())
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


class ExtractionCache:
    """Extractions on disk under ``directory``, for the current code version."""

    def __init__(self, directory: str | Path):
        self.root = Path(directory) / code_version()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Optional[Extraction]:
        try:
            with self._path(key).open("rb") as f:
                found = pickle.load(f)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                IndexError, TypeError, ValueError):
            return None               # an unreadable entry is a miss; put() rewrites it
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
    ``shards/<key>/`` (graph.json lines, Turtle part, meta) and ``regions.json``: each file's
    key → [document id, region, code] from the scan, and each file's size, modification time
    and key (kg.build._file_key). A missing or damaged shard is a miss."""

    def __init__(self, directory: str | Path):
        self.base = Path(directory) / code_version()
        self.root = self.base / "shards"

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
        with tempfile.TemporaryDirectory(prefix=".read-", dir=self.base) as tmp:
            yield Path(tmp)

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
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(index, f, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, path)
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
