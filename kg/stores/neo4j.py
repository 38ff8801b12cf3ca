"""The graph → Neo4j (or any Bolt server speaking Neo4j 5 Cypher), through the official driver:
settings, load (batched, idempotent), wipe, counts and running a query.

The rows and statements are :mod:`kg.stores.neo4jmap`'s; every value is a parameter. The files
for Neo4j (a Cypher script, neo4j-admin CSVs) are :mod:`kg.stores.neo4j_export`; Cypher as text
(parameters, columns, literals) is :mod:`kg.stores.cypher`.

The driver is imported lazily: ``import kg.stores.neo4j`` is cheap.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from kg.contract import EDGE_TYPES, NODE_TYPES
from kg.errors import QueryError, StoreError
from kg.stores.cypher import query_parameters, return_columns
from kg.stores.neo4jmap import (
    batches, constraint_statements, node_rows, node_statement, rel_statement, relationship_rows,
)

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_BATCH = 10_000
WIPE_BATCH = 10_000
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_WIPE = ("MATCH (n:{label}) WHERE n.govkg = $marked WITH n LIMIT $limit "
         "DETACH DELETE n RETURN count(n) AS deleted")
_COUNT_NODES = "MATCH (n:{label}) WHERE n.govkg = $marked RETURN count(n) AS c"
_COUNT_RELS = "MATCH ()-[e:{type}]->() WHERE e.govkg = $marked RETURN count(e) AS c"


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
            def write(groups: dict, statement: Callable) -> None:
                nonlocal written
                for key, rows in groups.items():
                    for batch in batches(rows, batch_size):
                        s.run(statement(key), {"rows": batch})
                        written += len(batch)
                        if progress:
                            progress(len(batch), total)

            t0 = time.perf_counter()
            write(nodes, node_statement)
            t1 = time.perf_counter()
            write(rels, rel_statement)
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
