"""Across levels: one metric, one project, one task seen from a district and from its city.

- :func:`metric_links`: the target a region sets for a metric, linked to the
  target its nearest enclosing region (kg.resolve.regions.ancestors) sets for the
  same metric and year: 长清区 地区生产总值增长5.6% → 济南市 地区生产总值增长5.5%左右.
- :func:`project_groups`: project names that are one project, conservatively:
  the same name; one name inside the other when what is left over is only a
  tail word of data/projects.tsv (项目, 工程, 建设), a region name (济南, 山东) or a
  bracketed aside (（一期）), and the shorter name is a distinctive core (four
  characters or more, not a stop or generic word of data/projects.tsv), so that
  腊山河西路北延 and 腊山河西路北延工程 are one, 腊山河西路北延 and 腊山河西路南延 are
  two; and the hand aliases of data/project_aliases.tsv, each with why.
- :func:`task_correspondences`: a district task and a city task that name the same
  project (group) or state a target for the same metric, with the IDF cosine of
  their texts as the score.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional, Sequence

from kg.link.progress import TextMatcher, known_names, tokenizer
from kg.extract.projects import project_words
from kg.link.status import split_unit
from kg.model import PROGRESS, Extraction, IndicatorRecord
from kg.resources import table as data_table

# Which document's statement of a target wins when several state it (as kg.graph).
_KIND_PRIORITY = {"work-report": 0, "decomposition": 1, "division": 1, "progress": 2}
# Shortest distinctive core of a name that contains or is contained in another.
_MIN_CORE = 4
# A bracketed aside left over when one name contains the other: （一期）.
_ASIDE = re.compile(r"[（(][^（）()]*[）)]")


# --------------------------------------------------------------------------- regions

@lru_cache(maxsize=None)
def _region(name: Optional[str]):
    from kg.resolve.regions import region_by_name

    return region_by_name(name) if name else None


@lru_cache(maxsize=None)
def _ancestor_codes(code: str) -> tuple[str, ...]:
    from kg.resolve.regions import ancestors

    return tuple(r.code for r in ancestors(code))


def _code(name: Optional[str]) -> Optional[str]:
    r = _region(name)
    return r.code if r else None


# --------------------------------------------------------------------------- metrics

@dataclass(frozen=True)
class MetricStatement:
    """A region's target for one metric in one year, where it is stated, and its actual."""

    region: str
    region_code: Optional[str]
    year: int
    metric: str
    doc_id: str
    task_seq: Optional[int]      # None: a document-level (main) target
    start: int
    end: int
    kind: str
    target: Optional[float]
    target_high: Optional[float]
    unit: Optional[str]
    qualifier: Optional[str]
    main: bool
    actual: Optional[float] = None
    actual_unit: Optional[str] = None
    period: Optional[str] = None
    actual_doc_id: Optional[str] = None

    @property
    def node_id(self) -> str:
        """The graph's Indicator id (kg.graph)."""
        return f"indicator:{self.region_code or self.region}:{self.year}:{self.metric}"


@dataclass(frozen=True)
class MetricLink:
    """SAME_METRIC: ``lower`` (a district's target) and ``upper`` (its city's)."""

    metric: str
    year: int
    lower: MetricStatement
    upper: MetricStatement

    @property
    def comparable(self) -> bool:
        """Both targets are of one kind in one unit (万人 and 人 count as one):
        增长5.6% against 增长5.5% is; 548亿元 against 增长4.5% is not."""
        lo, up = self.lower, self.upper
        if lo.kind != up.kind or lo.target is None or up.target is None:
            return False
        return (lo.unit or "") == (up.unit or "") or (
            bool(lo.unit and up.unit) and split_unit(lo.unit)[1] == split_unit(up.unit)[1])


def _statements(x: Extraction) -> list[tuple[Optional[int], IndicatorRecord]]:
    """A document's region-level target statements (a task's own figures, scope "task", aside)."""
    return [(None, i) for i in x.indicators if i.scope == "region"] + \
        [(t.seq, i) for t in x.tasks for i in t.indicators if i.scope == "region"]


def metric_statements(extractions: Sequence[Extraction]) -> dict[tuple[str, int, str], MetricStatement]:
    """(region, year, metric) → the statement that wins (main first, the work report first),
    with the actual of any document that reports one."""
    best: dict[tuple[str, int, str], tuple[tuple, MetricStatement]] = {}
    actuals: dict[tuple[str, int, str], tuple[IndicatorRecord, str]] = {}
    for x in sorted(extractions, key=lambda x: x.document.id):
        m = x.document.meta
        if not m.region or m.year is None:
            continue
        for seq, ind in _statements(x):
            key = (m.region, m.year, ind.metric)
            rank = (not ind.main, _KIND_PRIORITY.get(m.kind, 3), ind.target is None)
            st = MetricStatement(m.region, _code(m.region), m.year, ind.metric, x.document.id, seq,
                                 ind.span.start, ind.span.end, ind.kind, ind.target,
                                 ind.target_high, ind.unit, ind.qualifier, ind.main)
            if key not in best or rank < best[key][0]:
                best[key] = (rank, st)
            if ind.actual is not None and key not in actuals:
                actuals[key] = (ind, x.document.id)
    out = {}
    for key, (_rank, st) in best.items():
        if key in actuals:
            ind, doc_id = actuals[key]
            st = replace(st, actual=ind.actual, actual_unit=ind.actual_unit, period=ind.period,
                         actual_doc_id=doc_id)
        out[key] = st
    return out


def metric_links(extractions: Sequence[Extraction]) -> list[MetricLink]:
    """Each region's target linked to its nearest enclosing region's target for the metric."""
    stmts = metric_statements(extractions)
    by_code = {(s.region_code, s.year, s.metric): s for s in stmts.values() if s.region_code}
    links = []
    for s in stmts.values():
        if not s.region_code:
            continue
        for up in _ancestor_codes(s.region_code):
            upper = by_code.get((up, s.year, s.metric))
            if upper is not None:
                links.append(MetricLink(s.metric, s.year, s, upper))
                break
    return sorted(links, key=lambda k: (k.metric, k.year, k.lower.region_code or ""))


# --------------------------------------------------------------------------- projects

@dataclass(frozen=True)
class ProjectRef:
    """One mention of a project name in one task."""

    name: str
    doc_id: str
    task_seq: int
    region: Optional[str]
    start: int
    end: int
    how: str = "extracted"       # "extracted" by the project reader, or "text": the name found verbatim


@dataclass(frozen=True)
class ProjectGroup:
    """Project names that are one project, and every mention of them."""

    name: str                                # canonical: the alias table's, else the highest level's
    names: tuple[str, ...]
    mentions: tuple[ProjectRef, ...]
    joins: tuple[tuple[str, str, str], ...]  # (name, name, how): exact/contains/alias and why

    @property
    def node_id(self) -> str:
        return f"project:{self.name}"

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(sorted({m.doc_id for m in self.mentions}))


@lru_cache(maxsize=None)
def _project_words() -> dict[str, frozenset[str]]:
    """The word kinds of data/projects.tsv (as kg.extract.projects reads them), as sets."""
    return {k: frozenset(v) for k, v in project_words().items()}


@lru_cache(maxsize=None)
def project_aliases() -> tuple[tuple[str, str, str], ...]:
    """(canonical name, alias, why) rows of data/project_aliases.tsv."""
    return tuple((r["name"], r["alias"], r["why"])
                  for r in data_table("project_aliases.tsv", ("name", "alias", "why"), optional=1))


def _is_region_word(word: str) -> bool:
    from kg.resolve.regions import regions_named

    return bool(regions_named(word, short=True))


def _leftover_ok(rest: str) -> bool:
    """What a longer name adds to a shorter one says nothing new: tails, regions, asides."""
    rest = _ASIDE.sub("", rest)
    tails = _project_words().get("tail", frozenset())
    for piece in filter(None, re.split(r"\s+", rest)):
        while piece:
            head = next((w for w in sorted(tails, key=len, reverse=True) if piece.startswith(w)), None)
            if head is None:
                head = next((piece[:k] for k in range(len(piece), 1, -1)
                             if _is_region_word(piece[:k])), None)
            if head is None:
                return False
            piece = piece[len(head):]
    return True


def _distinctive(name: str) -> bool:
    w = _project_words()
    generic = w.get("generic", frozenset())
    return (len(name) >= _MIN_CORE and name not in w.get("stop", frozenset())
            and not any(g in name for g in generic))


def same_project(a: str, b: str) -> bool:
    """One name inside the other, the rest saying nothing new, the core distinctive."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if short not in long_ or not _distinctive(short):
        return False
    i = long_.index(short)
    return _leftover_ok(long_[:i] + " " + long_[i + len(short):])


def _ends_name(text: str, end: int) -> bool:
    """The name found in ``text`` ends at ``end``: punctuation, 等, a tail word or the end
    follows (京台高速、 yes; 京台高速齐河至济南段 no: a longer name)."""
    rest = text[end:end + 2]
    if not rest or not rest[0].isalnum() or rest[0] == "等":
        return True
    return any(text.startswith(w, end) for w in _project_words().get("tail", ()))


def _mentions(extractions: Sequence[Extraction]) -> list[ProjectRef]:
    """Every project the reader extracted, and every distinctive one of those names (or
    of the aliases) found verbatim in a level-0 task of another document."""
    out = []
    for x in sorted(extractions, key=lambda x: x.document.id):
        for t in x.tasks:
            for p in t.projects:
                out.append(ProjectRef(p.name, x.document.id, t.seq, x.document.meta.region,
                                      p.span.start, p.span.end))
    names = {m.name for m in out} | {n for row in project_aliases() for n in row[:2]}
    names = sorted(n for n in names if _distinctive(n))
    seen = {(m.doc_id, m.task_seq, m.name) for m in out}
    for x in sorted(extractions, key=lambda x: x.document.id):
        text = x.document.text
        for t in x.tasks:
            if t.level != 0:
                continue
            for name in names:
                if (x.document.id, t.seq, name) in seen:
                    continue
                i = text.find(name, t.span.start, t.span.end)
                if i >= 0 and _ends_name(text, i + len(name)):
                    out.append(ProjectRef(name, x.document.id, t.seq, x.document.meta.region,
                                          i, i + len(name), "text"))
                    seen.add((x.document.id, t.seq, name))
    return out


def _level_rank(region: Optional[str]) -> int:
    r = _region(region)
    return len(_ancestor_codes(r.code)) if r else 99


def project_groups(extractions: Sequence[Extraction]) -> list[ProjectGroup]:
    """Groups of one project named in two documents or more, or under two names or more."""
    mentions = _mentions(extractions)
    names = sorted({m.name for m in mentions})
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    joins: list[tuple[str, str, str]] = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if same_project(a, b):
                parent[find(b)] = find(a)
                joins.append((a, b, "contains"))
    canonical: dict[str, str] = {}
    for a, b, why in project_aliases():
        if a in parent and b in parent:
            parent[find(b)] = find(a)
            joins.append((a, b, f"alias: {why}"))
            canonical[find(a)] = a
    groups: dict[str, list[ProjectRef]] = defaultdict(list)
    for m in mentions:
        groups[find(m.name)].append(m)
    out = []
    for root, ms in groups.items():
        gnames = tuple(sorted({m.name for m in ms}))
        docs = {m.doc_id for m in ms}
        if len(docs) < 2 and len(gnames) < 2:
            continue
        name = canonical.get(root) or min(ms, key=lambda m: (_level_rank(m.region), len(m.name),
                                                             m.name)).name
        gjoins = tuple(j for j in joins if j[0] in gnames)
        out.append(ProjectGroup(name, gnames, tuple(ms), gjoins))
    return sorted(out, key=lambda g: g.name)


# --------------------------------------------------------------------------- tasks

@dataclass(frozen=True)
class TaskCorrespondence:
    """CARRIES_OUT: the district task carries out the city task."""

    task_doc: str
    task_seq: int
    city_doc: str
    city_seq: int
    score: float                 # IDF cosine of the two texts, a project named as its group
    method: str                  # "project" or "metric"
    evidence: str                # the project group's name or the metric


def _evidence(x: Extraction, groups: dict[str, str],
              mentions: dict[tuple[str, int], set[str]]) -> dict[int, set[tuple[str, str]]]:
    """Per task: the projects it names and the region-level metrics it states (a figure of one
    task's own work, 新建2座人行天桥, is no evidence: the same words in two places are two works)."""
    out: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for t in x.tasks:
        if t.level != 0:
            continue
        out[t.seq].update(("project", groups.get(n, n)) for n in mentions.get((x.document.id, t.seq), ()))
        out[t.seq].update(("metric", i.metric) for i in t.indicators if i.scope == "region")
    return out


def _as_groups(text: str, names: Sequence[str], groups: dict[str, str]) -> str:
    """``text`` with every grouped project name written as its group's name."""
    for n in names:
        if n in text:
            text = text.replace(n, groups[n])
    return text


def task_correspondences(extractions: Sequence[Extraction]) -> list[TaskCorrespondence]:
    """District tasks that name the project or state the metric a city task does."""
    extractions = [x for x in extractions if x.document.meta.kind != PROGRESS]
    found = project_groups(extractions)
    groups = {n: g.name for g in found for n in g.names}
    grouped = sorted(groups, key=len, reverse=True)
    mentions: dict[tuple[str, int], set[str]] = defaultdict(set)
    for g in found:
        for m in g.mentions:
            mentions[(m.doc_id, m.task_seq)].add(m.name)
    tokens = tokenizer(known_names(extractions) + tuple(groups.values()))
    below: dict[tuple[str, int], list[Extraction]] = defaultdict(list)   # (ancestor code, year)
    for x in extractions:                  # → documents below it, in order: not all pairs
        low = _region(x.document.meta.region)
        for code in _ancestor_codes(low.code) if low is not None else ():
            below[(code, x.document.meta.year)].append(x)
    out = []
    for upper in extractions:
        up = _region(upper.document.meta.region)
        lowers = below.get((up.code, upper.document.meta.year), []) if up is not None else []
        if not lowers:
            continue
        up_ev = _evidence(upper, groups, mentions)
        up_by_ev: dict[tuple[str, str], set[int]] = defaultdict(set)   # evidence → upper tasks
        for useq, uev in up_ev.items():
            for e in uev:
                up_by_ev[e].add(useq)
        up_tasks = {t.seq: _as_groups(t.text, grouped, groups) for t in upper.tasks}
        for lower in lowers:
            low_ev = _evidence(lower, groups, mentions)
            low_tasks = {t.seq: _as_groups(t.text, grouped, groups) for t in lower.tasks}
            matcher = TextMatcher([up_tasks[t.seq] for t in upper.tasks if t.level == 0]
                                  + [low_tasks[t.seq] for t in lower.tasks if t.level == 0],
                                  tokens=tokens)
            for lseq, lev in sorted(low_ev.items()):
                for useq in sorted({u for e in lev for u in up_by_ev.get(e, ())}):
                    method, evidence = min(lev & up_ev[useq])
                    score = matcher.similarity(low_tasks[lseq], up_tasks[useq])
                    out.append(TaskCorrespondence(lower.document.id, lseq, upper.document.id, useq,
                                                  round(score, 4), method, evidence))
    return out
