"""Temporary files and folders that are locked while they are written, so that a later run
can tell the ones a killed run left behind (``.graph.ttl.XXXX``, a half-rendered shard) from
the ones another run is writing now, and remove only the first.

A writer takes an exclusive flock on its temporary file (or folder) as soon as it is made and
holds it until the rename that puts it in place; the kernel drops the lock when the writer
dies. :func:`remove_abandoned` removes every temporary entry whose lock it can take.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator


def lock(fd: int) -> int:
    """Mark the temporary file or folder open at ``fd`` as being written; returns a second
    descriptor that holds the mark until it is closed (close it after the rename: ``fd`` may
    be closed as soon as the writing is done)."""
    held = os.dup(fd)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
    except OSError:
        os.close(held)
        raise
    return held


@contextmanager
def locked_tempdir(parent: Path, prefix: str) -> Iterator[Path]:
    """A new folder under ``parent``, locked while the block runs and removed after it unless
    the block renamed it into place."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield tmp
    finally:
        try:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
        finally:
            os.close(fd)


def remove_abandoned(folder: Path, prefixes: Iterable[str]) -> list[Path]:
    """Remove the entries of ``folder`` whose names start with one of ``prefixes`` and that no
    running process holds locked (see :func:`lock`); returns what was removed."""
    prefixes = tuple(prefixes)
    removed = []
    try:
        entries = [p for p in folder.iterdir() if p.name.startswith(prefixes)]
    except OSError:
        return removed
    for path in entries:
        try:
            fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0) | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)                 # being written by a running process
            continue
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError:
            pass                         # not ours to remove (permissions): left as it is
        finally:
            os.close(fd)
    return removed
