"""The graph → Neo4j (or any Bolt server speaking Neo4j 5 Cypher), through the official driver.

Mapping (kg.graph's contract → property graph):

- a node's ``type`` becomes its label (CamelCase, from the fixed whitelist
  :data:`kg.contract.NODE_TYPES`); its id becomes the property ``id``, unique per
  label (a uniqueness constraint per label, created idempotently);
- an edge's ``type`` becomes the relationship type (UPPER_SNAKE, whitelist
  :data:`kg.contract.EDGE_TYPES`); one relationship per (start, end, type), as in
  the MultiDiGraph;
- attributes become camelCase properties (``doc_id`` → ``docId``); ``None``,
  NaN and empty lists are left out (Neo4j stores no nulls); lists of strings
  stay lists; anything else that Neo4j cannot store is written as JSON text.
  Provenance travels as ``docId``, ``start``, ``end`` and ``quote``;
- every node and relationship govkg writes carries ``govkg: true``
  (:data:`MARK`): a wipe deletes only those, never a node of another
  application that happens to bear one of govkg's labels.

Writes are ``UNWIND $rows AS r MERGE …`` in batches, nodes first, then
relationships, so loading twice changes nothing and loading one more document
adds only what is new. Labels and types are never taken from data that did not
pass the whitelist; every value is a parameter (or, in :func:`export_cypher`,
an escaped literal).

The driver is imported lazily: ``import kg.stores.neo4j`` is cheap.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

from kg.errors import QueryError, StoreError
from kg.contract import EDGE_TYPES, NODE_TYPES

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_BATCH = 10_000
WIPE_BATCH = 10_000
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
ARRAY_DELIMITER = ";"              # neo4j-admin's default --array-delimiter

# Constraint names are ours, so a wipe or a reload finds them again.
_CONSTRAINT = "CREATE CONSTRAINT govkg_{lower}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
_NODE_MERGE = "UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET n = r.props"
_REL_MERGE = (
    "UNWIND $rows AS r MATCH (a:{start} {{id: r.start}}) MATCH (b:{end} {{id: r.end}}) "
    "MERGE (a)-[e:{type}]->(b) SET e = r.props"
)
MARK = "govkg"                      # the property every node and relationship govkg writes has, true
_WIPE = ("MATCH (n:{label}) WHERE n.govkg = $marked WITH n LIMIT $limit "
         "DETACH DELETE n RETURN count(n) AS deleted")
_COUNT_NODES = "MATCH (n:{label}) WHERE n.govkg = $marked RETURN count(n) AS c"
_COUNT_RELS = "MATCH ()-[e:{type}]->() WHERE e.govkg = $marked RETURN count(e) AS c"

_SNAKE = re.compile(r"_([a-z0-9])")             # doc_id → docId
_PARAM = re.compile(
    r"""
    //[^\n]*                                    # a line comment: skipped
    | '(?:[^'\\]|\\.)*'                         # a single-quoted string: skipped
    | "(?:[^"\\]|\\.)*"                         # a double-quoted string: skipped
    | \$(?P<name>[A-Za-z_][A-Za-z0-9_]*)        # a parameter $name
    """,
    re.VERBOSE,
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOKENS = re.compile(
    r"""
    //[^\n]*                                    # a line comment
    | '(?:[^'\\]|\\.)*'                         # a single-quoted string
    | "(?:[^"\\]|\\.)*"                         # a double-quoted string
    | `[^`]*`                                   # a back-quoted name
    | (?P<word>\b(?:RETURN|ORDER\s+BY|SKIP|LIMIT)\b)   # a clause keyword
    | (?P<open>[(\[{])                          # nesting in
    | (?P<close>[)\]}])                         # nesting out
    | (?P<comma>,)                              # an item separator
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ALIAS = re.compile(r"\s+AS\s+(?P<name>`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*\Z", re.IGNORECASE)


# --------------------------------------------------------------------------- settings

@dataclass(frozen=True)
class Neo4jSettings:
    """Where the graph goes. The password is kept out of repr() and messages."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: Optional[str] = field(default=None, repr=False)
    database: Optional[str] = None     # None: the server's default database

    @classmethod
    def from_env(
        cls,
        uri: Optional[str] = None,
        user: Optional[str] = None,
        password: Optional[str] = None,
        database: Optional[str] = None,
        env: Optional[Mapping[str, str]] = None,
    ) -> "Neo4jSettings":
        """Options win over NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE."""
        env = os.environ if env is None else env
        return cls(
            uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
            user=user or env.get("NEO4J_USERNAME") or DEFAULT_USER,
            password=password if password is not None else env.get("NEO4J_PASSWORD"),
            database=database or env.get("NEO4J_DATABASE") or None,
        )


@dataclass(frozen=True)
class LoadStats:
    """What one load wrote, and what the store holds afterwards (govkg labels only)."""

    nodes: int                                   # node rows merged
    relationships: int                           # relationship rows merged
    labels: tuple[tuple[str, int], ...]          # rows merged per label
    types: tuple[tuple[str, int], ...]           # rows merged per relationship type
    seconds: float                               # writing nodes and relationships
    total_nodes: int                             # in the store after the load
    total_relationships: int
    wiped: int = 0                               # nodes deleted by wipe=True
    node_seconds: float = 0.0                    # of which writing nodes
    relationship_seconds: float = 0.0            # of which writing relationships

    @property
    def nodes_per_second(self) -> float:
        return self.nodes / self.node_seconds if self.node_seconds else 0.0

    @property
    def relationships_per_second(self) -> float:
        return self.relationships / self.relationship_seconds if self.relationship_seconds else 0.0


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


# --------------------------------------------------------------------------- graph → rows

def prop_name(attr: str) -> str:
    """snake_case attribute → camelCase property: ``number_inferred`` → ``numberInferred``."""
    return _SNAKE.sub(lambda m: m.group(1).upper(), attr)


def _value(v: Any) -> Any:
    """A Python attribute value → a value Neo4j can store, or None to leave it out."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(v, (list, tuple, set, frozenset)):
        items = [x for x in v if x is not None]
        if not items:
            return None
        if all(isinstance(x, str) for x in items):
            return list(items)
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in items):
            return list(items)
        return json.dumps(items, ensure_ascii=False, default=str)
    return json.dumps(v, ensure_ascii=False, default=str)


def _props(attrs: Mapping[str, Any], skip: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for k, v in attrs.items():
        if k in skip:
            continue
        v = _value(v)
        if v is not None:
            out[prop_name(k)] = v
    return out


def _label(graph, node) -> str:
    label = graph.nodes[node].get("type")
    if label not in NODE_TYPES:
        raise StoreError(f"node {node!r} has type {label!r}, not one of {', '.join(NODE_TYPES)}")
    return label


def node_rows(graph) -> dict[str, list[dict]]:
    """Label → rows ``{id, props}`` sorted by id (props include ``id``)."""
    groups: dict[str, list[dict]] = {}
    for node in sorted(graph.nodes, key=str):
        props = _props(graph.nodes[node], ("type", "id", MARK))
        props["id"] = str(node)
        props[MARK] = True
        groups.setdefault(_label(graph, node), []).append({"id": str(node), "props": props})
    return {label: groups[label] for label in NODE_TYPES if label in groups}


def relationship_rows(graph) -> dict[tuple[str, str, str], list[dict]]:
    """(type, start label, end label) → rows ``{start, end, props}``, deterministic order."""
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for u, v, attrs in graph.edges(data=True):
        rtype = attrs.get("type")
        if rtype not in EDGE_TYPES:
            raise StoreError(f"edge {u!r} → {v!r} has type {rtype!r}, not one of {', '.join(EDGE_TYPES)}")
        key = (rtype, _label(graph, u), _label(graph, v))
        groups.setdefault(key, []).append(
            {"start": str(u), "end": str(v), "props": {**_props(attrs, ("type", "key", MARK)), MARK: True}})
    for rows in groups.values():
        rows.sort(key=lambda r: (r["start"], r["end"]))
    return {k: groups[k] for k in sorted(groups, key=lambda k: (EDGE_TYPES.index(k[0]), k[1], k[2]))}


def constraint_statements() -> list[str]:
    return [_CONSTRAINT.format(lower=label.lower(), label=label) for label in NODE_TYPES]


def _node_statement(label: str) -> str:
    return _NODE_MERGE.format(label=label)


def _rel_statement(key: tuple[str, str, str]) -> str:
    rtype, start, end = key
    return _REL_MERGE.format(type=rtype, start=start, end=end)


def _batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# --------------------------------------------------------------------------- driver

def _driver(settings: Neo4jSettings):
    try:
        import neo4j
    except ImportError as e:     # pragma: no cover - the driver is a dependency
        raise StoreError("the neo4j driver is not installed: pip install neo4j") from e
    scheme = settings.uri.split("://", 1)[0] if "://" in settings.uri else ""
    if scheme not in URI_SCHEMES:
        raise StoreError(f"bad Neo4j URI {settings.uri!r}: it must start with one of "
                         f"{', '.join(s + '://' for s in URI_SCHEMES)}")
    auth = (settings.user, settings.password or "")
    try:
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=auth)
    except (ValueError, neo4j.exceptions.ConfigurationError) as e:
        raise StoreError(f"bad Neo4j URI {settings.uri!r}: {e}") from e
    return driver


def _translate(settings: Neo4jSettings, e: Exception) -> StoreError:
    """A driver exception → a StoreError a user can act on (never shows the password)."""
    from neo4j import exceptions as x

    where = f"Neo4j at {settings.uri}"
    if isinstance(e, x.AuthError):
        return StoreError(f"{where} refused the login of user {settings.user!r}: "
                          "check NEO4J_USERNAME and NEO4J_PASSWORD")
    if isinstance(e, (x.ServiceUnavailable, OSError)):
        detail = " ".join(str(e).split())
        return StoreError(f"cannot reach {where}: is the server running and the URI right? ({detail})")
    if isinstance(e, x.Neo4jError):
        msg = e.message or str(e)
        if "database" in msg.lower() and ("not found" in msg.lower() or "does not exist" in msg.lower()):
            return StoreError(f"{where}: database {settings.database!r} does not exist: {msg}")
        return StoreError(f"{where}: {e.code}: {msg}")
    if isinstance(e, x.DriverError):
        return StoreError(f"{where}: {e}")
    return StoreError(f"{where}: {e}")


class _Session:
    """One driver for a block of work; every driver error leaves as StoreError."""

    def __init__(self, settings: Neo4jSettings):
        self.settings = settings
        self.driver = _driver(settings)

    def run(self, text: str, params: Optional[Mapping[str, Any]] = None):
        from neo4j import exceptions as x

        try:
            return self.driver.execute_query(text, dict(params or {}), database_=self.settings.database)
        except x.CypherSyntaxError as e:
            raise QueryError(f"Cypher syntax error: {e.message}") from e
        except (x.Neo4jError, x.DriverError, OSError) as e:
            raise _translate(self.settings, e) from e

    def close(self):
        self.driver.close()

    def __enter__(self):
        from neo4j import exceptions as x

        try:
            self.driver.verify_connectivity()
        except (x.Neo4jError, x.DriverError, OSError) as e:
            self.driver.close()
            raise _translate(self.settings, e) from e
        return self

    def __exit__(self, *exc):
        self.close()


# --------------------------------------------------------------------------- public API

def load(
    graph,
    settings: Neo4jSettings,
    *,
    wipe: bool = False,
    batch_size: int = DEFAULT_BATCH,
    progress: Optional[Callable[[int, int], None]] = None,
) -> LoadStats:
    """Merge ``graph`` into the store: constraints, then nodes, then relationships.

    ``progress(advance, total)`` is called after each batch with the number of
    rows just written and the total number of rows (nodes + relationships).
    ``wipe=True`` first deletes every node govkg wrote (those with ``govkg: true``).

    Each batch is its own transaction: a load cut short (the server went down) leaves the
    batches before in the database, and the StoreError says so; loading again completes
    the graph (every write is a MERGE: nothing is written twice).
    """
    if batch_size < 1:
        raise StoreError(f"batch_size must be at least 1, not {batch_size}")
    nodes = node_rows(graph)
    rels = relationship_rows(graph)
    total = sum(map(len, nodes.values())) + sum(map(len, rels.values()))
    written = 0
    wiped = 0
    with _Session(settings) as s:
        try:
            wiped = _wipe(s) if wipe else 0
            for statement in constraint_statements():
                s.run(statement)
            t0 = time.perf_counter()
            for label, rows in nodes.items():
                for batch in _batches(rows, batch_size):
                    s.run(_node_statement(label), {"rows": batch})
                    written += len(batch)
                    if progress:
                        progress(len(batch), total)
            t1 = time.perf_counter()
            for key, rows in rels.items():
                for batch in _batches(rows, batch_size):
                    s.run(_rel_statement(key), {"rows": batch})
                    written += len(batch)
                    if progress:
                        progress(len(batch), total)
            t2 = time.perf_counter()
            totals = _counts(s)
        except StoreError as e:
            if not (written or wiped):
                raise
            raise StoreError(f"{e}. The load stopped after {written:,} of {total:,} rows"
                             + (f" (and after wiping {wiped:,} nodes)" if wiped else "")
                             + ": the database holds part of the graph. Run `kg neo4j load` again once "
                               "the server is back: it merges, so it completes the graph without "
                               "writing anything twice") from e
    by_type: dict[str, int] = {}
    for (rtype, _, _), rows in rels.items():
        by_type[rtype] = by_type.get(rtype, 0) + len(rows)
    return LoadStats(
        nodes=sum(map(len, nodes.values())),
        relationships=sum(by_type.values()),
        labels=tuple((label, len(rows)) for label, rows in nodes.items()),
        types=tuple(by_type.items()),
        seconds=t2 - t0,
        total_nodes=sum(totals["nodes"].values()),
        total_relationships=sum(totals["relationships"].values()),
        wiped=wiped,
        node_seconds=t1 - t0,
        relationship_seconds=t2 - t1,
    )


def _wipe(s: _Session) -> int:
    deleted = 0
    for label in NODE_TYPES:
        while True:
            n = s.run(_WIPE.format(label=label), {"marked": True, "limit": WIPE_BATCH}).records[0]["deleted"]
            deleted += n
            if n < WIPE_BATCH:
                break
    return deleted


def wipe(settings: Neo4jSettings) -> int:
    """Delete every node govkg wrote (``govkg: true``) and its relationships; returns how many.
    A node of another application that bears one of govkg's labels stays."""
    with _Session(settings) as s:
        return _wipe(s)


def _counts(s: _Session) -> dict[str, dict[str, int]]:
    marked = {"marked": True}
    nodes = {label: s.run(_COUNT_NODES.format(label=label), marked).records[0]["c"] for label in NODE_TYPES}
    rels = {t: s.run(_COUNT_RELS.format(type=t), marked).records[0]["c"] for t in EDGE_TYPES}
    return {"nodes": nodes, "relationships": rels}


def counts(settings: Neo4jSettings) -> dict[str, dict[str, int]]:
    """``{"nodes": {label: n}, "relationships": {type: n}}`` of what govkg wrote."""
    with _Session(settings) as s:
        return _counts(s)


def query_parameters(text: str) -> list[str]:
    """The ``$name`` parameters a Cypher text uses (comments and strings skipped), in order."""
    seen: list[str] = []
    for m in _PARAM.finditer(text):
        name = m.group("name")
        if name and name not in seen:
            seen.append(name)
    return seen


def run_cypher(settings: Neo4jSettings, text: str, params: Optional[Mapping[str, Any]] = None
               ) -> tuple[tuple[str, ...], list[tuple]]:
    """Run one Cypher statement with bound parameters → (columns, rows).

    A parameter the text uses but ``params`` does not give is bound to null
    ("any" in the canned queries), so optional parameters need no second query.
    """
    bound = {name: None for name in query_parameters(text)}
    bound.update(params or {})
    with _Session(settings) as s:
        result = s.run(text, bound)
    columns = tuple(result.keys)
    if not columns and not result.records:
        columns = return_columns(text)      # ArcadeDB names no columns when there is no row
    return columns, [tuple(record.values()) for record in result.records]


def return_columns(text: str) -> tuple[str, ...]:
    """The column names of a query's last top-level RETURN, read from its text."""
    depth, start, items, item_start = 0, None, [], None
    for m in _TOKENS.finditer(text):
        if m.group("open"):
            depth += 1
        elif m.group("close"):
            depth -= 1
        elif depth == 0 and m.group("word"):
            word = m.group("word").upper()
            if word == "RETURN":
                start, items, item_start = m.end(), [], m.end()
            elif start is not None and item_start is not None:
                items.append(text[item_start:m.start()])
                item_start = None
        elif depth == 0 and m.group("comma") and item_start is not None:
            items.append(text[item_start:m.start()])
            item_start = m.end()
    if item_start is not None:
        items.append(text[item_start:])
    names = []
    for item in items:
        item = item.strip().rstrip(";").strip()
        if item.upper().startswith("DISTINCT "):
            item = item[9:].strip()
        alias = _ALIAS.search(item)
        name = alias.group("name") if alias else item
        names.append(name[1:-1] if name.startswith("`") else name)
    return tuple(n for n in names if n)


# --------------------------------------------------------------------------- exports

def cypher_literal(v: Any) -> str:
    """A value → a Cypher literal that reads back as exactly that value."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return "'" + _escape(v) + "'"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(x)}" for k, x in v.items()) + "}"
    raise StoreError(f"cannot write {type(v).__name__} value {v!r} as a Cypher literal")


def _escape(s: str) -> str:
    """Backslash, quotes and every control character escaped; one statement stays one line."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _key(k: str) -> str:
    return k if _IDENT.match(k) else "`" + k.replace("`", "``") + "`"


def cypher_statements(graph, *, batch_size: int = 500) -> Iterable[str]:
    """The statements of :func:`load`, with the rows as literals, one line each."""
    yield from constraint_statements()
    for label, rows in node_rows(graph).items():
        for batch in _batches(rows, batch_size):
            yield _node_statement(label).replace("$rows", cypher_literal(batch))
    for key, rows in relationship_rows(graph).items():
        for batch in _batches(rows, batch_size):
            yield _rel_statement(key).replace("$rows", cypher_literal(batch))


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
