"""govkg's own files — data/, queries/, ontology/ — found in one place, and its data tables read
by one loader.

The three folders stay at the top of the repository; the wheel carries them inside the package
(pyproject.toml maps them to ``kg/_data``, ``kg/_queries``, ``kg/_ontology``), so an installed
govkg finds them with importlib.resources and a checkout finds them beside ``kg/``.

A user's own data folder (the environment variable ``GOVKG_DATA``, folders separated by the
path separator) adds to the tables without editing the package: a file there of the same name
and columns (``roles.tsv`` with one more role word, ``aliases.tsv``, ``functions.tsv`` …) is
read after the package's, its rows added to them.

Every table is a TSV: ``#`` comments, a header line naming its columns, one row a line, cells
separated by tabs. :func:`table` checks the header against the columns the caller declares,
gives each row as a mapping of those columns with its file and line, pads missing trailing
optional cells with "", and reads each file once. A row that does not fit is a
:class:`DataError` naming ``file:line`` and what was expected.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module, resources
from pathlib import Path
from typing import Iterator, Optional, Sequence

from kg.errors import KgError

FOLDERS = ("data", "queries", "ontology")
OVERLAY_ENV = "GOVKG_DATA"


class DataError(KgError):
    """A data table (data/*.tsv, or a user's) does not have the rows it should."""

    def __init__(self, path, line: Optional[int], message: str):
        self.path, self.line = str(path), line
        super().__init__(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")


@lru_cache(maxsize=None)
def folder(name: str) -> Path:
    """The folder ``data``, ``queries`` or ``ontology``: inside the installed package, or at the
    top of the checkout."""
    if name not in FOLDERS:
        raise ValueError(f"no such folder of govkg: {name}")
    package = Path(str(resources.files("kg")))
    inside = package / f"_{name}"
    return inside if inside.is_dir() else package.parent / name


def data_file(name: str) -> Path:
    """A file of the package's data folder (data/roles.tsv …)."""
    return folder("data") / name


def overlay_folders() -> tuple[Path, ...]:
    """The user's data folders (``GOVKG_DATA``), in order."""
    value = os.environ.get(OVERLAY_ENV, "")
    return tuple(Path(p) for p in value.split(os.pathsep) if p.strip())


@dataclass(frozen=True)
class Row:
    """One row of a data table: its cells by column, and where it was written."""

    cells: tuple[tuple[str, str], ...]
    path: str
    line: int

    def __getitem__(self, column: str) -> str:
        for name, value in self.cells:
            if name == column:
                return value
        raise KeyError(column)

    def values(self) -> list[str]:
        return [v for _, v in self.cells]

    def split(self, column: str, sep: str = "|") -> list[str]:
        """A cell of several values (发展改革|发展和改革|发改), blanks dropped."""
        return [v.strip() for v in self[column].split(sep) if v.strip()]


def table(name: str, columns: Sequence[str], *, optional: int = 0) -> tuple[Row, ...]:
    """The rows of data table ``name`` (the package's, then each user folder's), each with the
    declared ``columns``; the last ``optional`` of them may be left out of a row."""
    return _table(name, tuple(columns), optional, overlay_folders())


@lru_cache(maxsize=None)
def _table(name: str, columns: tuple[str, ...], optional: int, overlays: tuple[Path, ...]) -> tuple[Row, ...]:
    rows = list(_read(data_file(name), columns, optional))
    for extra in overlays:
        path = extra / name
        if path.is_file():
            rows += _read(path, columns, optional)
    return tuple(rows)


def _read(path: Path, columns: tuple[str, ...], optional: int) -> Iterator[Row]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise DataError(path, None, "the data table is missing: govkg's installation is incomplete "
                        "(reinstall it), or the file was moved") from e
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(path, None, f"cannot read the data table: {e}") from e
    header_seen = False
    least = len(columns) - optional
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.rstrip("\r").split("\t")]
        if not header_seen:
            header_seen = True
            if tuple(cells[:len(columns)]) != columns:
                raise DataError(path, n, f"expected the header {'<TAB>'.join(columns)}, got {line!r}")
            continue
        if not least <= len(cells) <= len(columns):
            want = f"{least} to {len(columns)}" if optional else str(len(columns))
            raise DataError(path, n, f"expected {want} tab-separated cells ({'<TAB>'.join(columns)}), "
                            f"got {len(cells)}: {line!r}")
        cells += [""] * (len(columns) - len(cells))
        yield Row(tuple(zip(columns, cells)), str(path), n)
    if not header_seen:
        raise DataError(path, None, f"no header line: expected {'<TAB>'.join(columns)}")


def entry(target: str):
    """The object a registry entry names as ``"module:attribute"``, imported when first asked
    for (the exports of kg.stores.exports and the query backends of kg.queries.backends)."""
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)
