"""The graph → rows of a property graph (the mapping that every Neo4j projection uses: the
driver's load, the Cypher script and the neo4j-admin CSVs).

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

Writes are ``UNWIND $rows AS r MERGE …`` (:func:`node_statement`, :func:`rel_statement`), nodes
first, then relationships, so loading twice changes nothing. Labels and types are never taken
from data that did not pass the whitelist.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Iterator, Mapping

from kg.contract import EDGE_TYPES, NODE_TYPES
from kg.errors import StoreError

# Constraint names are ours, so a wipe or a reload finds them again.
_CONSTRAINT = "CREATE CONSTRAINT govkg_{lower}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
_NODE_MERGE = "UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET n = r.props"
_REL_MERGE = (
    "UNWIND $rows AS r MATCH (a:{start} {{id: r.start}}) MATCH (b:{end} {{id: r.end}}) "
    "MERGE (a)-[e:{type}]->(b) SET e = r.props"
)
MARK = "govkg"                      # the property every node and relationship govkg writes has, true
_SNAKE = re.compile(r"_([a-z0-9])")             # doc_id → docId


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


def node_statement(label: str) -> str:
    return _NODE_MERGE.format(label=label)


def rel_statement(key: tuple[str, str, str]) -> str:
    rtype, start, end = key
    return _REL_MERGE.format(type=rtype, start=start, end=end)


def batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]
