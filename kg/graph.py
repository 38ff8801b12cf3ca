"""Records → one networkx MultiDiGraph with typed nodes, typed edges and stable ids.

The contract of the graph (node and edge types, their attributes, the directions an edge may
take) is :mod:`kg.contract`; the stores (RDF, Neo4j), the browser view and the queries are keyed
from it, and the tests check the graph built here against it.

Notes on the attributes:

* Indicators carry ``status`` (behind/on-track/ahead/unknown), ``status_rule`` (the row of
  data/status_rules.tsv that decided it), ``elapsed`` (share of the year the actual's period
  covers) and ``share_done`` (count targets: actual ÷ target), from
  :func:`kg.link.status.indicator_status`; ``scope`` is ``region`` (the region's target for the
  metric) or ``task`` (a figure of one task's work, 30条生产线: ``indicator:task:<doc_id>:<seq>:…``).
* A progress row's LEADS …/OVERSEES on the task it REPORTS_ON carry the row's role, role word,
  name as written and span in the progress report, and ``via`` = the entry id.
* REPORTS_ON: score, method ("text"/"main-target"), second (the runner-up's score): a row whose
  best match is too weak has none and is a warning (kg.link.progress).
* SAME_METRIC: a district's target → the nearest enclosing region's target for the same metric
  and year (comparable: same kind and unit). CARRIES_OUT: a district task → the city task it
  carries out (same project or metric): score, method ("project"/"metric"), evidence (the name).
* Project nodes group names that are one project (kg.link.levels): aliases, and joins (why names
  were joined: "a = b (how)"; an ASCII ; is written ； for neo4j-admin's array delimiter).

Ids are deterministic: they depend only on the document ids, the gazetteer
codes and the names, never on the order of files or on the run.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from typing import Iterable, Iterator, Mapping, Optional

from kg import contract
from kg.model import PROGRESS, Document, Extraction, IndicatorRecord, Problem, Span, TaskRecord
from kg.sources.normalize import stored

NODE_TYPES, EDGE_TYPES = contract.NODE_TYPES, contract.EDGE_TYPES
ROLE_EDGE = {"lead": "LEADS", "assist": "ASSISTS", "responsible": "RESPONSIBLE_FOR"}


# Which document's statement of a target wins when several state it.
_KIND_PRIORITY = {"work-report": 0, "decomposition": 1, "division": 1, "progress": 2}
_MAIN_MARK = "主要预期目标"


def region_id(code: str | None, name: str) -> str:
    return f"region:{code}" if code else f"region:{name}"


def _code(meta) -> str | None:
    """The gazetteer code of a document's region, when known."""
    return meta.region_code


def region_key(region: str | None, region_code: str | None = None, doc_id: str | None = None) -> str:
    """How the units of a region are grouped for resolution (kg.resolve.units): by its code
    when known (two regions may share a name), else by its name; a document whose region is
    unknown keeps its units to itself (``?<doc_id>``) rather than merging them with another's."""
    return region_code or region or (f"?{doc_id}" if doc_id else "")



def _deadline_attrs(t: TaskRecord) -> dict:
    """A task's deadline as node attributes: the words as written, the due date (ISO; none for an
    ongoing one), whether it is ongoing, where it was read, and its span in the raw text."""
    d = t.deadline
    if d is None:
        return {}
    return {"deadline": d.text, "due": d.due, "deadline_ongoing": d.ongoing, "deadline_source": d.source,
            "deadline_start": d.span.start, "deadline_end": d.span.end}


def _span_attrs(doc: Document, span: Span) -> dict:
    attrs = {"doc_id": span.doc_id, "start": span.start, "end": span.end,
             "quote": doc.text[span.start:span.end]}
    if doc.page_starts:
        attrs["page"] = doc.page_of(span.start)
    return attrs


class _Assembler:
    """Adds records to one MultiDiGraph; ids come from names and codes only."""

    def __init__(self, identities: Mapping[tuple[str, str], object]):
        import networkx as nx

        self.g = nx.MultiDiGraph()
        self.identities = identities
        self.problems: list[Problem] = []
        self._repaired: set[tuple[str, str]] = set()   # typo repairs already reported
        self._indicator_rank: dict[str, tuple] = {}
        self._regions: dict[str, tuple[str | None, str | None]] = {}   # name → (node id, code)
        self.project_groups: dict[str, object] = {}    # project name → its kg.link.levels.ProjectGroup

    # -- nodes -------------------------------------------------------------
    def node(self, nid: str, type_: str, **attrs) -> str:
        known = self.g._node.get(nid)          # networkx's node → attributes dict
        if known is not None:
            for k, v in attrs.items():
                if known.get(k) in (None, "", ()) and v not in (None, ""):
                    known[k] = v
        else:
            self.g.add_node(nid, type=type_, **attrs)
        return nid

    def edge(self, u: str, v: str, type_: str, **attrs) -> None:
        keys = self.g._succ.get(u, {}).get(v)  # networkx's u → v → key → attributes
        if keys is None or type_ not in keys:
            self.g.add_edge(u, v, key=type_, type=type_, **attrs)

    def region(self, name: str | None, code: str | None = None) -> tuple[str | None, str | None]:
        """The region node for a name, or for its gazetteer code when known (two regions may
        share a name: 铁西区), with its ancestors; (node id, code). Added once per name or
        code: adding it again would change nothing."""
        if not name and not code:
            return None, None
        key = code or name
        found = self._regions.get(key)
        if found is None:
            found = self._regions[key] = self._add_region(name, code)
        return found

    def _add_region(self, name: str | None, code: str | None = None) -> tuple[str | None, str | None]:
        from kg.resolve.regions import ancestors, region_by_code, region_by_name

        r = (region_by_code(code) if code else None) or (region_by_name(name) if name else None)
        if r is None:
            nid = self.node(region_id(None, name), "Region", name=name, label=name, code=None,
                            level=None, parent=None)
            return nid, None
        chain = [r, *ancestors(r.code)]
        prev = None
        for reg in chain:
            nid = self.node(region_id(reg.code, reg.name), "Region", name=reg.name, label=reg.name,
                            code=reg.code, level=reg.level, parent=reg.parent)
            if prev:
                self.edge(prev, nid, "PART_OF")
            prev = nid
        return region_id(r.code, r.name), r.code

    # -- documents -----------------------------------------------------------
    def document(self, x: Extraction) -> str:
        doc, m = x.document, x.document.meta
        rid, _ = self.region(m.region, _code(m))
        did = self.node(f"doc:{doc.id}", "Document", name=m.title or doc.id, label=doc.id,
                        doc_id=doc.id, path=doc.path, title=m.title, region=m.region, year=m.year,
                        kind=m.kind, layout=x.layout, fit=round(x.fit, 3), period=m.period,
                        date=m.date, author=m.author, post=m.post, encoding=doc.encoding)
        if rid:
            self.edge(did, rid, "IN_REGION")
        if m.author:
            lid = self.leader(m.region, m.author, m.post, _code(m), doc.id)
            self.edge(lid, did, "DELIVERED")
        return did

    def leader(self, region: str | None, name: str, post: str | None = None,
               region_code: str | None = None, doc_id: str | None = None) -> str:
        rid, code = self.region(region, region_code)
        lid = self.node(f"leader:{code or region_key(region, None, doc_id)}:{name}", "Leader", name=name, label=name,
                        region=region, region_code=code, posts=[])
        if post and post not in self.g._node[lid]["posts"]:
            self.g._node[lid]["posts"].append(post)
        if rid:
            self.edge(lid, rid, "IN_REGION")
        return lid

    def unit(self, region: str | None, as_written: str, region_code: str | None = None,
             where: tuple[Document, Span] | None = None) -> str:
        doc_id = where[0].id if where else None
        key = region_key(region, region_code, doc_id)
        ident = self.identities[(key, as_written)]
        rid, code = self.region(region, region_code)
        if ident.repaired_from == as_written and where and (key, as_written) not in self._repaired:
            self._repaired.add((key, as_written))
            doc, span = where
            self.problems.append(Problem(doc.id, doc.path, doc.line_of(span.start),
                                         f"read {as_written} as {ident.canonical} (a typo?)", as_written))
        uid = self.node(f"unit:{code or region or key}:{ident.canonical}", "Unit", name=ident.canonical,
                        label=ident.canonical, region=region, region_code=code,
                        aliases=[ident.canonical], functions=list(ident.functions),
                        unit_kind=ident.kind, collective=ident.collective)
        aliases = self.g._node[uid]["aliases"]
        for a in (*ident.aliases, as_written):
            if a not in aliases:
                aliases.append(a)
        if rid:
            self.edge(uid, rid, "IN_REGION")
        return uid

    # -- tasks ---------------------------------------------------------------
    def task(self, x: Extraction, did: str, t: TaskRecord) -> str:
        doc, m = x.document, x.document.meta
        tid = f"task:{doc.id}:{t.seq}"
        label = (f"{t.number} " if t.number else "") + t.text[:14]
        self.node(tid, "Task", name=t.text[:60], label=label, seq=t.seq,
                  number=t.number, text=t.text, region=m.region, year=m.year,
                  section=t.section, category=t.category, level=t.level,
                  number_inferred=t.number_inferred, progress=t.progress,
                  next_steps=t.next_steps, **_deadline_attrs(t), **_span_attrs(doc, t.span))
        self.edge(tid, did, "FROM_DOCUMENT", **_span_attrs(doc, t.span))
        if t.parent_seq is not None:
            self.edge(tid, f"task:{doc.id}:{t.parent_seq}", "PART_OF")
        for u in t.units:
            uid = self.unit(m.region, u.name, _code(m), (doc, u.span))
            self.edge(uid, tid, ROLE_EDGE[u.role], role=u.role, role_word=u.role_word,
                      as_written=u.as_written, **_span_attrs(doc, u.span))
        for ld in t.leaders:
            lid = self.leader(m.region, ld.name, ld.post, _code(m), doc.id)
            self.edge(lid, tid, "OVERSEES", role_word=ld.role_word, as_written=stored(doc.text, ld.span.start, ld.span.end),
                      **_span_attrs(doc, ld.span))
        main = self._in_main_targets(doc, t)
        for ind in t.indicators:
            iid = self.indicator(x, replace(ind, main=ind.main or main), t.seq)
            if iid:
                self.edge(tid, iid, "HAS_TARGET", **_span_attrs(doc, ind.span))
        for p in t.projects:
            self.edge(tid, self.project(p.name), "MENTIONS", how="extracted", **_span_attrs(doc, p.span))
        return tid

    def project(self, name: str) -> str:
        """The project node of a name: its group's (kg.link.levels), else its own."""
        group = self.project_groups.get(name)
        if group is None:
            return self.node(f"project:{name}", "Project", name=name, label=name, aliases=[name], joins=[])
        return self.node(group.node_id, "Project", name=group.name, label=group.name,
                         aliases=[group.name, *(n for n in group.names if n != group.name)],
                         joins=[f"{a} = {b} ({how})".replace(";", "；") for a, b, how in group.joins])

    # -- progress entries ------------------------------------------------------
    def entry(self, x: Extraction, did: str, t: TaskRecord) -> str:
        """A row of a progress report: a ProgressEntry, its units (REPORTED_BY), its actuals."""
        from kg.link.status import elapsed_share

        doc, m = x.document, x.document.meta
        eid = f"progress:{doc.id}:{t.seq}"
        actual = next((i for i in t.indicators if i.actual is not None), None)
        spans = {}
        for key, span in (("progress", t.progress_span), ("next_steps", t.next_steps_span)):
            if span is not None:
                spans.update({f"{key}_start": span.start, f"{key}_end": span.end})
        label = (f"{t.number} " if t.number else "") + t.text[:14]
        period = actual.period if actual and actual.period else m.period
        self.node(eid, "ProgressEntry", name=t.text[:60], label=label, seq=t.seq, number=t.number,
                  number_inferred=t.number_inferred, category=t.category, text=t.text,
                  region=m.region, year=m.year, level=t.level,
                  period=period, elapsed=elapsed_share(period),
                  progress=t.progress, next_steps=t.next_steps, status=None, status_word=None,
                  metric=actual.metric if actual else None, actual=actual.actual if actual else None,
                  actual_unit=actual.actual_unit if actual else None,
                  **_deadline_attrs(t), **spans, **_span_attrs(doc, t.span))
        self.edge(eid, did, "FROM_DOCUMENT", **_span_attrs(doc, t.span))
        for u in t.units:
            uid = self.unit(m.region, u.name, _code(m), (doc, u.span))
            self.edge(uid, eid, "REPORTED_BY", role=u.role, role_word=u.role_word, as_written=u.as_written,
                      **_span_attrs(doc, u.span))
        for ld in t.leaders:
            lid = self.leader(m.region, ld.name, ld.post, _code(m), doc.id)
            self.edge(lid, eid, "OVERSEES", role_word=ld.role_word, as_written=stored(doc.text, ld.span.start, ld.span.end),
                      **_span_attrs(doc, ld.span))
        for ind in t.indicators:
            iid = self.indicator(x, ind, t.seq)
            if iid and ind.actual is not None:
                self.edge(eid, iid, "STATES_ACTUAL", **_span_attrs(doc, ind.actual_span or ind.span))
        for p in t.projects:
            self.edge(eid, self.project(p.name), "MENTIONS", how="extracted", **_span_attrs(doc, p.span))
        return eid

    @staticmethod
    def _later(period: str | None, known: str | None, actual) -> bool:
        """An actual for ``period`` replaces one for ``known``: none yet, or a period that
        covers at least as much of the year (the latest progress report wins)."""
        from kg.link.status import elapsed_share

        if actual is None:
            return True
        new, old = elapsed_share(period), elapsed_share(known)
        return new is not None and (old is None or new >= old)

    @staticmethod
    def _in_main_targets(doc: Document, t: TaskRecord) -> bool:
        """A task under a 主要预期目标 heading or lead-in states main targets."""
        if t.section and _MAIN_MARK in t.section:
            return True
        norm = doc.norm.text
        start = bisect_left(doc.norm.offsets, t.span.start)
        para = norm.rfind("\n", 0, start) + 1
        return _MAIN_MARK in norm[para:start]

    # -- indicators ------------------------------------------------------------
    def indicator(self, x: Extraction, ind: IndicatorRecord, task_seq: Optional[int] = None) -> str | None:
        doc, m = x.document, x.document.meta
        rid, code = self.region(m.region, _code(m))
        if ind.scope == "task" and task_seq is not None:
            iid = f"indicator:task:{doc.id}:{task_seq}:{ind.metric}"
        elif m.year is None:
            iid = f"indicator:{code or m.region or '?'}:{doc.id}:{ind.metric}"
        else:
            iid = f"indicator:{code or m.region}:{m.year}:{ind.metric}"
        target = dict(metric=ind.metric, kind=ind.kind, target=ind.target, target_high=ind.target_high,
                      unit=ind.unit, qualifier=ind.qualifier, stretch=ind.stretch,
                      direction=ind.direction, scope=ind.scope, **_span_attrs(doc, ind.span))
        rank = (not ind.main, _KIND_PRIORITY.get(m.kind, 3), ind.target is None)
        if iid not in self.g:
            self.node(iid, "Indicator", name=ind.metric, label=f"{ind.metric}", region=m.region,
                      year=m.year, main=ind.main, actual=None, actual_unit=None, period=None,
                      **target)
            self._indicator_rank[iid] = rank
            if rid:
                self.edge(iid, rid, "IN_REGION")
        elif rank < self._indicator_rank[iid]:
            self.g.nodes[iid].update(target)
            self._indicator_rank[iid] = rank
        node = self.g.nodes[iid]
        node["main"] = node["main"] or ind.main
        if ind.actual is not None and self._later(ind.period, node.get("period"), node.get("actual")):
            node.update(actual=ind.actual, actual_unit=ind.actual_unit, period=ind.period,
                        actual_doc_id=doc.id, actual_start=ind.actual_span.start if ind.actual_span else None,
                        actual_end=ind.actual_span.end if ind.actual_span else None)
        if ind.main and rid and ind.scope == "region":
            self.edge(rid, iid, "HAS_TARGET", **_span_attrs(doc, ind.span))
        return iid


def assemble(extractions: Iterable[Extraction], identities) -> tuple[object, list[Problem]]:
    """One graph from every extraction; ``identities`` from kg.resolve.units.resolve_units.

    Rows of progress reports become ProgressEntry nodes; then the documents are linked
    to each other (kg.link): entries to the tasks they report on, targets to their
    actuals (statuses), districts to the city (metrics, projects, tasks)."""
    from kg.link.levels import project_groups

    xs = sorted(extractions, key=lambda x: x.document.id)
    a = _Assembler(identities)
    groups = project_groups(xs)
    a.project_groups = {n: g for g in groups for n in g.names}
    for x in xs:
        did = a.document(x)
        for t in x.tasks:
            if x.document.meta.kind == PROGRESS:
                a.entry(x, did, t)
            else:
                a.task(x, did, t)
        for ind in x.indicators:
            a.indicator(x, ind)
    _link(a, xs, groups)
    return a.g, a.problems


def _link(a: _Assembler, xs: list[Extraction], groups) -> None:
    """The edges between documents, and the statuses (kg.link)."""
    from kg.link import link_progress, metric_links, task_correspondences

    docs = {x.document.id: x.document for x in xs}
    g = a.g
    found = link_progress(xs)
    for k in found.links:
        eid, tid = f"progress:{k.entry_doc}:{k.entry_seq}", f"task:{k.task_doc}:{k.task_seq}"
        if eid not in g or tid not in g:
            continue
        a.edge(eid, tid, "REPORTS_ON", score=k.score, method=k.method, second=k.second)
        for uid, _, rtype, e in list(g.in_edges(eid, keys=True, data=True)):
            if rtype in ("REPORTED_BY", "OVERSEES"):
                kind = "OVERSEES" if rtype == "OVERSEES" else ROLE_EDGE.get(e["role"], "RESPONSIBLE_FOR")
                a.edge(uid, tid, kind, via=eid, **{k2: v for k2, v in e.items() if k2 != "type"})
    for u in found.unlinked:
        doc = docs[u.entry_doc]
        node = g.nodes.get(f"progress:{u.entry_doc}:{u.entry_seq}", {})
        start = node.get("start", 0)
        a.problems.append(Problem(doc.id, doc.path, doc.line_of(start),
                                  f"progress row {u.entry_seq} reports on no task: {u.reason} "
                                  f"(best score {u.best_score:.2f})", node.get("quote", "")[:40]))
    for gr in groups:
        for ref in gr.mentions:
            if ref.how == "extracted":
                continue
            kind = "progress" if docs[ref.doc_id].meta.kind == PROGRESS else "task"
            src = f"{kind}:{ref.doc_id}:{ref.task_seq}"
            if src in g:
                a.edge(src, a.project(ref.name), "MENTIONS", how=ref.how,
                       **_span_attrs(docs[ref.doc_id], Span(ref.doc_id, ref.start, ref.end)))
    for k in metric_links(xs):
        lo, up = k.lower.node_id, k.upper.node_id
        if lo in g and up in g and lo != up:
            a.edge(lo, up, "SAME_METRIC", metric=k.metric, year=k.year, comparable=k.comparable)
    for c in task_correspondences(xs):
        lo, up = f"task:{c.task_doc}:{c.task_seq}", f"task:{c.city_doc}:{c.city_seq}"
        if lo in g and up in g:
            a.edge(lo, up, "CARRIES_OUT", score=c.score, method=c.method, evidence=c.evidence)
    _statuses(g)
    _entry_statuses(g)


def _entry_statuses(g) -> None:
    """Every progress entry's task status, read from its progress text with the task as its row
    states it, its period and the target it reports an actual for (kg.link.status), so that the
    graph says what the ledger says."""
    from kg.link.status import read_task_status

    for n, d in g.nodes(data=True):
        if d.get("type") != "ProgressEntry":
            continue
        target = next((g.nodes[v] for _, v, k in g.out_edges(n, keys=True) if k == "STATES_ACTUAL"), None)
        found = read_task_status(d.get("progress"), task_text=d.get("text"), period=d.get("period"), target=target)
        d.update(status=found.status, status_word=found.word)


def _statuses(g) -> None:
    """Every Indicator's status against its actual, by the rules of data/status_rules.tsv."""
    from kg.link.status import elapsed_share, split_unit, target_status

    for _n, d in g.nodes(data=True):
        if d.get("type") != "Indicator" or d.get("scope") == "task":
            continue                             # a task's own figure is reported on by its task
        status, rule = target_status(d.get("kind") or "", d.get("target"), d.get("actual"), d.get("period"),
                                     unit=d.get("unit"), actual_unit=d.get("actual_unit"),
                                     target_high=d.get("target_high"), direction=d.get("direction") or "up")
        d.update(status=status, status_rule=rule, elapsed=None, share_done=None)
        if d.get("actual") is None:
            continue
        d["elapsed"] = elapsed_share(d.get("period"))
        target, unit, actual_unit = d.get("target"), d.get("unit"), d.get("actual_unit")
        if d.get("kind") == "count" and target and unit and actual_unit:
            (ft, bt), (fa, ba) = split_unit(unit), split_unit(actual_unit)
            if bt == ba:
                d["share_done"] = round(d["actual"] * fa / ft / target, 4)


def json_lines(items: Iterable[dict]) -> bytes:
    """Nodes or edges as graph.json lines: one compact JSON object a line (keys sorted,
    UTF-8, by orjson: ten times the standard encoder's speed), joined by ``,\\n``."""
    import orjson

    dumps = orjson.dumps
    return b",\n".join(dumps(i, option=orjson.OPT_SORT_KEYS) for i in items)


def node_lines(graph, ids: Iterable[str]) -> bytes:
    """The graph.json lines of the nodes ``ids``: each node's attributes and its ``id``."""
    nodes = graph.nodes
    return json_lines({**nodes[n], "id": n} for n in ids)


def edge_lines(graph, keys: Iterable[tuple[str, str, str]]) -> bytes:
    """The graph.json lines of the edges ``keys`` (source, target, key): attributes and ends."""
    edges = graph.edges
    return json_lines({**edges[u, v, k], "source": u, "target": v, "key": k} for u, v, k in keys)


def graph_json(edge_runs: Iterable[Iterable[bytes]], node_runs: Iterable[Iterable[bytes]],
               attrs: Optional[dict] = None) -> Iterator[bytes]:
    """networkx node-link JSON around runs of lines (:func:`json_lines`), each run given as
    chunks of bytes (a run may be a file read a block at a time): the runs joined as if they
    were one, nothing held whole."""
    yield b'{"directed": true, "edges": ['
    yield from _joined(edge_runs)
    yield b'\n], "graph": ' + json_lines([attrs or {}]) + b', "multigraph": true, "nodes": ['
    yield from _joined(node_runs)
    yield b"\n]}\n"


def _joined(runs: Iterable[Iterable[bytes]]) -> Iterator[bytes]:
    """Runs of lines one after the other: the first line after a newline, each next run after
    ``,\\n``; empty runs and chunks are skipped."""
    first = True
    for run in runs:
        started = False
        for chunk in run:
            if not chunk:
                continue
            if not started:
                yield b"\n" if first else b",\n"
                first, started = False, True
            yield chunk


def dump_chunks(graph, chunk: int = 20_000) -> Iterator[bytes]:
    """The graph as networkx node-link JSON (deterministic order), in pieces: one node or edge
    a line (:func:`json_lines`), nodes by id, edges by (source, target, key), so that a graph of
    millions of edges is written without holding its whole text."""
    from itertools import islice

    def runs(lines, keys: list) -> Iterator[list[bytes]]:
        it = iter(keys)
        while block := list(islice(it, chunk)):
            yield [lines(graph, block)]

    yield from graph_json(runs(edge_lines, sorted(graph.edges(keys=True))),
                          runs(node_lines, sorted(graph.nodes)), dict(graph.graph))


def dumps(graph) -> bytes:
    """The graph as networkx node-link JSON (see :func:`dump_chunks`)."""
    return b"".join(dump_chunks(graph))


def loads(data: bytes | str, source: str = "graph.json"):
    """Read what :func:`dumps` wrote."""
    import json

    from networkx.readwrite import json_graph

    from kg.errors import SourceError

    try:
        return json_graph.node_link_graph(json.loads(data), directed=True, multigraph=True, edges="edges")
    except (ValueError, KeyError, TypeError) as e:
        raise SourceError(source, f"not a govkg graph file ({e})") from e
