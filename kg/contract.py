"""The graph's contract, as code: every node type and edge type, its attributes and the
directions an edge may take. Graph assembly (:mod:`kg.graph`) is checked against it
(:func:`check`), and each projection is keyed from it: the RDF mapping
(:mod:`kg.stores.rdfmap`) maps every attribute or names why it leaves one out
(``rdfmap.ELSEWHERE``, :func:`kg.stores.rdfmap.mapping_of`), Neo4j stores every attribute as a property, and the view has a style for
every type. ``tests/test_contract.py`` walks it over every projection.

Every node has ``id``, ``type``, ``name`` and ``label``; every edge ``type`` (also its key in
the MultiDiGraph: one edge per type between two nodes). Facts read from a text carry their span:
``doc_id``, ``start``, ``end`` and ``quote`` (``doc.text[start:end] == quote``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

SPAN = ("doc_id", "start", "end", "quote")
COMMON_NODE = ("id", "type", "name", "label")
COMMON_EDGE = ("type", "key")
DEADLINE = ("deadline", "due", "deadline_ongoing", "deadline_source", "deadline_start", "deadline_end")


@dataclass(frozen=True)
class NodeType:
    name: str
    id_form: str
    attrs: tuple[str, ...]                 # besides COMMON_NODE

    @property
    def every_attr(self) -> tuple[str, ...]:
        return COMMON_NODE + self.attrs


@dataclass(frozen=True)
class EdgeType:
    name: str
    ends: tuple[tuple[str, str], ...]      # (source type, target type) pairs allowed
    attrs: tuple[str, ...] = ()            # besides COMMON_EDGE
    what: str = ""

    @property
    def every_attr(self) -> tuple[str, ...]:
        return COMMON_EDGE + self.attrs


_ROLE = ("role", "role_word", "as_written", *SPAN)

NODES: dict[str, NodeType] = {n.name: n for n in (
    NodeType("Region", "region:<6-digit code> (region:<name> when the code is unknown)",
             ("code", "level", "parent")),
    NodeType("Document", "doc:<doc_id>",
             ("doc_id", "path", "title", "region", "year", "kind", "layout", "fit", "period", "date",
              "author", "post", "encoding")),
    NodeType("Unit", "unit:<region code>:<canonical name>",
             ("region", "region_code", "aliases", "functions", "unit_kind", "collective")),
    NodeType("Leader", "leader:<region code>:<name>", ("region", "region_code", "posts")),
    NodeType("Task", "task:<doc_id>:<seq>",
             ("seq", "number", "text", "region", "year", "section", "category", "level",
              "number_inferred", "progress", "next_steps", *SPAN, *DEADLINE)),
    NodeType("Indicator", "indicator:<region code>:<year>:<metric>, indicator:task:<doc_id>:<seq>:<metric>",
             ("metric", "region", "year", "kind", "target", "target_high", "unit", "qualifier", "stretch",
              "direction", "main", "scope", "actual", "actual_unit", "period", "actual_doc_id",
              "actual_start", "actual_end", "status", "status_rule", "elapsed", "share_done", *SPAN)),
    NodeType("Project", "project:<canonical name>", ("aliases", "joins")),
    NodeType("ProgressEntry", "progress:<doc_id>:<seq>",
             ("seq", "number", "number_inferred", "category", "level", "text", "region", "year", "period",
              "elapsed", "progress", "progress_start", "progress_end", "next_steps", "next_steps_start",
              "next_steps_end", "status", "status_word", "metric", "actual", "actual_unit", *SPAN, *DEADLINE)),
)}

EDGES: dict[str, EdgeType] = {e.name: e for e in (
    EdgeType("LEADS", (("Unit", "Task"),), (*_ROLE, "via"), "the unit leads the task"),
    EdgeType("ASSISTS", (("Unit", "Task"),), (*_ROLE, "via"), "the unit assists"),
    EdgeType("RESPONSIBLE_FOR", (("Unit", "Task"),), (*_ROLE, "via"), "the unit answers for it"),
    EdgeType("OVERSEES", (("Leader", "Task"), ("Leader", "ProgressEntry")), (*_ROLE, "via"),
             "the leader oversees the task (or the progress row)"),
    EdgeType("FROM_DOCUMENT", (("Task", "Document"), ("ProgressEntry", "Document")), SPAN),
    EdgeType("PART_OF", (("Task", "Task"), ("Region", "Region")), (),
             "the heading a task sits under; district → city → province"),
    EdgeType("IN_REGION", (("Unit", "Region"), ("Leader", "Region"), ("Document", "Region"),
                           ("Indicator", "Region"))),
    EdgeType("HAS_TARGET", (("Task", "Indicator"), ("Region", "Indicator")), SPAN,
             "the task that states the target; a main target of the region"),
    EdgeType("MENTIONS", (("Task", "Project"), ("ProgressEntry", "Project")), ("how", *SPAN)),
    EdgeType("DELIVERED", (("Leader", "Document"),), (), "the report's author"),
    EdgeType("REPORTED_BY", (("Unit", "ProgressEntry"),), _ROLE, "a unit the progress row names"),
    EdgeType("REPORTS_ON", (("ProgressEntry", "Task"),), ("score", "method", "second")),
    EdgeType("STATES_ACTUAL", (("ProgressEntry", "Indicator"),), SPAN),
    EdgeType("SAME_METRIC", (("Indicator", "Indicator"),), ("metric", "year", "comparable")),
    EdgeType("CARRIES_OUT", (("Task", "Task"),), ("score", "method", "evidence")),
)}

NODE_TYPES = tuple(NODES)
EDGE_TYPES = tuple(EDGES)


@dataclass
class Breach:
    """What in a graph the contract does not allow."""
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class Report:
    breaches: list[Breach] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.breaches

    def __str__(self) -> str:
        return "\n".join(map(str, self.breaches[:20])) + (
            f"\n… and {len(self.breaches) - 20} more" if len(self.breaches) > 20 else "")


def _node_breaches(nid, a: Mapping) -> Iterable[Breach]:
    ntype = a.get("type")
    kind = NODES.get(ntype)
    if kind is None:
        yield Breach(str(nid), f"node type {ntype!r} is none of {', '.join(NODES)}")
        return
    extra = set(a) - set(kind.every_attr)
    if extra:
        yield Breach(str(nid), f"{ntype} attributes {sorted(extra)} are not in the contract")


def check(graph) -> Report:
    """Every node and edge of ``graph`` against the contract: known types, declared
    attributes, allowed directions."""
    report = Report()
    types = {}
    for nid, a in graph.nodes(data=True):
        types[nid] = a.get("type")
        report.breaches.extend(_node_breaches(nid, a))
    for u, v, key, a in graph.edges(keys=True, data=True):
        etype = a.get("type", key)
        kind = EDGES.get(etype)
        where = f"{u} -{etype}-> {v}"
        if kind is None:
            report.breaches.append(Breach(where, f"edge type {etype!r} is none of {', '.join(EDGES)}"))
            continue
        if (types.get(u), types.get(v)) not in kind.ends:
            report.breaches.append(Breach(where, f"{etype} goes {types.get(u)} → {types.get(v)}; "
                                                 f"allowed: {', '.join(f'{s} → {t}' for s, t in kind.ends)}"))
        extra = set(a) - set(kind.every_attr)
        if extra:
            report.breaches.append(Breach(where, f"{etype} attributes {sorted(extra)} are not in the contract"))
    return report
