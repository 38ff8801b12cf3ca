"""The graph as files for Neo4j: a self-contained Cypher script (:func:`export_cypher`) and the
CSVs of ``neo4j-admin database import`` (:func:`export_csv`), from the rows of
:mod:`kg.stores.neo4jmap`. The CSVs are exact, every text as written: not for spreadsheets."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from kg.errors import StoreError
from kg.stores.cypher import cypher_literal
from kg.stores.neo4jmap import (
    batches, constraint_statements, node_rows, node_statement, rel_statement, relationship_rows,
)

ARRAY_DELIMITER = ";"              # neo4j-admin's default --array-delimiter


@dataclass(frozen=True)
class CsvExport:
    """Files written by :func:`export_csv` and the command that imports them."""

    directory: str
    node_files: tuple[str, ...]
    relationship_files: tuple[str, ...]
    constraints: str = ""            # constraints.cypher: run it once the import is done

    def command(self, database: str = "neo4j") -> str:
        parts = ["neo4j-admin database import full", database, "--overwrite-destination",
                 "--multiline-fields=true", f"--array-delimiter='{ARRAY_DELIMITER}'"]
        parts += [f"--nodes={p}" for p in self.node_files]
        parts += [f"--relationships={p}" for p in self.relationship_files]
        return " \\\n  ".join(parts)


def cypher_statements(graph, *, batch_size: int = 500) -> Iterable[str]:
    """The statements of :func:`load`, with the rows as literals, one line each."""
    yield from constraint_statements()
    for label, rows in node_rows(graph).items():
        for batch in batches(rows, batch_size):
            yield node_statement(label).replace("$rows", cypher_literal(batch))
    for key, rows in relationship_rows(graph).items():
        for batch in batches(rows, batch_size):
            yield rel_statement(key).replace("$rows", cypher_literal(batch))


def export_cypher(graph, *, batch_size: int = 500) -> str:
    """A self-contained .cypher script: one statement per line, each ending with ``;``.

    Values are escaped literals rather than ``:param`` blocks: ``:param`` is a
    client command of Neo4j Browser and cypher-shell only, while literals run
    anywhere (cypher-shell -f, Browser, any driver, other Bolt servers).
    """
    header = [
        "// govkg graph as Cypher: run with  cypher-shell -f graph.cypher",
        "// idempotent: constraints IF NOT EXISTS, then MERGE of nodes, then relationships",
    ]
    return "\n".join(header + [s + ";" for s in cypher_statements(graph, batch_size=batch_size)]) + "\n"


def cypher_script(graph) -> bytes:
    """:func:`export_cypher` as UTF-8 bytes (the ``cypher`` export)."""
    return export_cypher(graph).encode("utf-8")


def _csv_type(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return ":boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return ":long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return ":double"
    if all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in values):
        return ":string[]"
    if all(isinstance(v, list) for v in values):
        return ":double[]"
    return ""


def _csv_cell(v: Any, where: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        for x in v:
            if ARRAY_DELIMITER in str(x):
                raise StoreError(f"{where}: list item {x!r} contains the array delimiter {ARRAY_DELIMITER!r}")
        return ARRAY_DELIMITER.join(str(x) for x in v)
    return str(v)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL)
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)


def _typed_header(rows: list[dict]) -> list[tuple[str, str]]:
    keys: dict[str, list[Any]] = {}
    for r in rows:
        for k, v in r.items():
            keys.setdefault(k, []).append(v)
    return [(k, _csv_type(vals)) for k, vals in keys.items()]


def export_csv(graph, directory) -> CsvExport:
    """Node and relationship CSVs for ``neo4j-admin database import full``.

    One file per label (``nodes_Unit.csv``: ``id:ID``, ``:LABEL``, typed
    properties) and one per relationship type (``rels_LEADS.csv``:
    ``:START_ID``, ``:END_ID``, ``:TYPE``, typed properties). Node ids are
    global (``unit:…``, ``task:…``), so one id space serves every file; the
    ``id`` property matches what :func:`load` writes. Lists use ``;``.
    ``constraints.cypher`` holds the uniqueness constraints, to run after the
    import (``cypher-shell -d DB -f constraints.cypher``).
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    node_files, rel_files = [], []
    for label, rows in node_rows(graph).items():
        props = [{k: v for k, v in r["props"].items() if k != "id"} for r in rows]
        cols = _typed_header(props)
        header = ["id:ID", ":LABEL"] + [f"{k}{t}" for k, t in cols]
        body = [[r["id"], label] + [_csv_cell(p.get(k), f"{label} {r['id']}") for k, _ in cols]
                for r, p in zip(rows, props)]
        path = out / f"nodes_{label}.csv"
        _write_csv(path, header, body)
        node_files.append(str(path))
    by_type: dict[str, list[dict]] = {}
    for (rtype, _, _), rows in relationship_rows(graph).items():
        by_type.setdefault(rtype, []).extend(rows)
    for rtype, rows in by_type.items():
        cols = _typed_header([r["props"] for r in rows])
        header = [":START_ID", ":END_ID", ":TYPE"] + [f"{k}{t}" for k, t in cols]
        body = [[r["start"], r["end"], rtype]
                + [_csv_cell(r["props"].get(k), f"{rtype} {r['start']}") for k, _ in cols] for r in rows]
        path = out / f"rels_{rtype}.csv"
        _write_csv(path, header, body)
        rel_files.append(str(path))
    constraints = out / "constraints.cypher"
    tmp = constraints.with_name(constraints.name + ".tmp")
    tmp.write_text("".join(c + ";\n" for c in constraint_statements()), encoding="utf-8")
    os.replace(tmp, constraints)
    return CsvExport(str(out), tuple(node_files), tuple(rel_files), str(constraints))
