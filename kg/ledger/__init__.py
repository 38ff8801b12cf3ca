"""The supervision ledger (督办台账) of a built graph, and where tasks stand at a date.

:func:`ledger` gives one row per task: its number in the ledger (序号), text, lead leaders
(牵头领导), lead units (牵头单位), the other units (配合单位, or 责任单位 as the document calls
them), time limit (完成时限) and due date, latest progress with its period, status and the words
that gave it, and its source (document and quote). The rows are concrete tasks (level 0) of the
documents that assign tasks, and the rows of progress reports that report on no task of them.

**Status at a date** (``as_of``; default: the end of the latest progress period in the graph):

- the progress of a task is what the latest progress entries on it (REPORTS_ON) whose period
  ended by that date say: :func:`entry_status` reads each (kg.link.status.read_task_status:
  words, completion rates, counts, the target it states with its actual), and of several
  entries of the latest period the least advanced status wins;
- a task is **overdue** when its due date has passed (due < as_of) and no progress says it is
  done; **due soon** when it falls due within ``soon_days`` (92, the longest quarter: before the
  next quarterly report) and no progress says it is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from kg.errors import KgError
from kg.link.status import TASK_STATUSES, UNKNOWN, TaskStatus, period_end, read_task_status
from kg.lookup import leaders_named, region_names, units_named

OVERDUE = "overdue"
SOON_DAYS = 92
STATUS_LABELS = {OVERDUE: "逾期", "late": "滞后", "not-started": "未启动", "in-progress": "推进中",
                 "done": "已完成", UNKNOWN: "未说明", None: "无进展"}
_UNIT_EDGES = {"LEADS": "lead", "ASSISTS": "assist", "RESPONSIBLE_FOR": "responsible"}


@dataclass(frozen=True)
class AsOf:
    """The date a ledger or a status is at, and how it was chosen (for the user to see)."""
    date: date
    how: str


@dataclass(frozen=True)
class Ledger:
    as_of: AsOf
    rows: list[dict]
    soon_days: int = SOON_DAYS

    def regions(self) -> list[str]:
        """The regions of the rows, in row order."""
        return list(dict.fromkeys(r["region"] or "" for r in self.rows))

    def assist_word(self, region: Optional[str] = None) -> str:
        """What the documents of a region (or of every row) call the units that are not the lead:
        责任单位 when that is the most common role word of the assisting units (of the other units,
        where no unit assists), else 配合单位."""
        rows = [r for r in self.rows if region is None or r["region"] == region]
        words = ([w for r in rows for role, w in r["assist_words"] if role == "assist"]
                 or [w for r in rows for _role, w in r["assist_words"]])
        if not words:
            return "配合单位"
        top = max(sorted(set(words)), key=words.count)
        return "责任单位" if top == "责任单位" else "配合单位"


def parse_date(value: str) -> date:
    """An ISO date (2025-10-01), or a KgError saying what is expected."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise KgError(f"{value!r} is not a date: give it as YYYY-MM-DD (e.g. 2025-10-01)") from None


def _entry_end(d: dict) -> Optional[date]:
    return period_end(d.get("period"), d.get("year"))


def as_of_date(g, given: Optional[date | str] = None, today: Optional[date] = None) -> AsOf:
    """The date given, else the end of the latest progress period of the graph (of any region:
    one date for every ledger of one graph), else today."""
    if given is not None:
        return AsOf(given if isinstance(given, date) else parse_date(given), "given")
    ends = [(end, d.get("period")) for _, d in g.nodes(data=True)
            if d.get("type") == "ProgressEntry" for end in [_entry_end(d)] if end is not None]
    if ends:
        end, period = max(ends)
        return AsOf(end, f"the end of {period}, the latest progress period")
    return AsOf(today or date.today(), "today: no progress report in the graph gives a period")


def entry_status(g, eid: str) -> TaskStatus:
    """How a progress entry says its task stands: its progress text read with the task as the row
    states it, its period, and the target it states with the actual (kg.link.status). An entry
    without its progress text keeps the status the graph gives it."""
    d = g.nodes[eid]
    if not d.get("progress") and d.get("status") in TASK_STATUSES:    # a graph that keeps only the status
        return TaskStatus(d["status"], d.get("status_word"), "words")
    target = next((g.nodes[v] for _, v, k in g.out_edges(eid, keys=True) if k == "STATES_ACTUAL"), None)
    return read_task_status(d.get("progress"), task_text=d.get("text"), period=d.get("period"), target=target)


def _least_advanced(statuses: list[TaskStatus]) -> Optional[TaskStatus]:
    if not statuses:
        return None
    known = [s for s in statuses if s.status in TASK_STATUSES]
    return min(known, key=lambda s: TASK_STATUSES.index(s.status)) if known else statuses[0]


def _latest_entries(g, tid: str, as_of: date) -> list[str]:
    """The progress entries on a task of its latest period that ended by ``as_of`` (entries whose
    period cannot be dated count as of any date)."""
    entries = [e for e, _, k in g.in_edges(tid, keys=True) if k == "REPORTS_ON"]
    dated = [(_entry_end(g.nodes[e]), e) for e in entries]
    dated = [(end, e) for end, e in dated if end is None or end <= as_of]
    if not dated:
        return []
    latest = max((end for end, _ in dated if end is not None), default=None)
    return sorted((e for end, e in dated if end == latest), key=lambda e: g.nodes[e].get("seq") or 0)


def _people(g, node: str) -> tuple[list[str], list[str], list[str], list[str], set[str]]:
    """Lead units, other units, the other units' role words, leaders, and every unit and leader
    node of a task or progress entry (directly, through a progress row, or as its reporters)."""
    lead, other, words, leaders, nodes = [], [], [], [], set()
    edges = sorted(g.in_edges(node, keys=True, data=True),
                   key=lambda e: (bool(e[3].get("via")), e[3].get("start") or 0))
    for u, _, k, e in edges:
        role = _UNIT_EDGES.get(k) or (e.get("role") if k == "REPORTED_BY" else None)
        name = g.nodes[u].get("name")
        if k == "OVERSEES":
            leaders.append(name)
            nodes.add(u)
        elif role:
            nodes.add(u)
            if role == "lead":
                lead.append(name)
            else:
                other.append(name)
                words.append((role, e.get("role_word") or ""))
    return _unique(lead), _unique([x for x in other if x not in lead]), words, _unique(leaders), nodes


def _unique(xs: list[str]) -> list[str]:
    return list(dict.fromkeys(xs))


def _rows_of(g, regions: Optional[set[str]]) -> list[tuple[str, str]]:
    """(node, kind) of every ledger row: concrete tasks, and progress rows on no task."""
    out = []
    for n, d in g.nodes(data=True):
        if regions is not None and d.get("region") not in regions:
            continue
        if d.get("type") == "Task" and not d.get("level"):
            out.append((n, "task"))
        elif d.get("type") == "ProgressEntry" and not any(
                k == "REPORTS_ON" for _, _, k in g.out_edges(n, keys=True)):
            out.append((n, "progress"))
    return out


def _region_order(g) -> dict[str, str]:
    return {d.get("name"): d.get("code") or d.get("name") for _, d in g.nodes(data=True)
            if d.get("type") == "Region"}


def ledger(g, *, region: Optional[str] = None, unit: Optional[str] = None, leader: Optional[str] = None,
           as_of: Optional[date | str] = None, soon_days: int = SOON_DAYS, today: Optional[date] = None) -> Ledger:
    """The ledger of a graph: a row per task (see the module docstring), of ``region`` (and the
    regions in it), of the tasks a ``unit`` has any role in, or a ``leader`` oversees. A name the
    graph does not have is a :class:`kg.lookup.NameNotFound` naming the closest ones."""
    regions = region_names(g, region) if region else None
    units = units_named(g, unit, regions, region) if unit else None
    leaders = leaders_named(g, leader, regions, region) if leader else None
    when = as_of_date(g, as_of, today)
    docs = {d.get("doc_id"): d for _, d in g.nodes(data=True) if d.get("type") == "Document"}
    rows = []
    for n, kind in _rows_of(g, regions):
        d = g.nodes[n]
        lead, other, words, people, nodes = _people(g, n)
        if units is not None and not units & nodes:
            continue
        if leaders is not None and not leaders & nodes:
            continue
        rows.append(_row(g, n, kind, d, docs.get(d.get("doc_id"), {}), when.date, soon_days,
                         lead=lead, other=other, words=words, leaders=people))
    order = _region_order(g)
    rows.sort(key=lambda r: (order.get(r["region"]) or r["region"] or "", r["document"], r["seq_in_document"]))
    counters: dict = {}
    for r in rows:
        counters[r["region"]] = r["no"] = counters.get(r["region"], 0) + 1
    return Ledger(when, rows, soon_days)


def _row(g, n: str, kind: str, d: dict, doc: dict, as_of: date, soon_days: int, *,
         lead, other, words, leaders) -> dict:
    if kind == "progress":           # a row on no task: its own progress, once its period has ended
        end = _entry_end(d)
        entries = [n] if end is None or end <= as_of else []
    else:
        entries = _latest_entries(g, n, as_of)
    found = _least_advanced([entry_status(g, e) for e in entries])
    progress = "\n".join(_progress_text(g.nodes[e]) for e in entries if g.nodes[e].get("progress"))
    due = d.get("due") or (max((g.nodes[e].get("due") for e in entries if g.nodes[e].get("due")), default=None))
    done = found is not None and found.status == "done"
    due_date = date.fromisoformat(due) if due else None
    overdue = bool(due_date and due_date < as_of and not done)
    soon = bool(due_date and as_of <= due_date <= as_of + timedelta(days=soon_days) and not done)
    status = OVERDUE if overdue else (found.status if found else None)
    return {
        "no": 0, "id": n, "kind": kind, "region": d.get("region"), "year": d.get("year"),
        "document": d.get("doc_id"), "title": doc.get("title"), "path": doc.get("path"),
        "number": d.get("number"), "seq_in_document": d.get("seq") or 0, "text": d.get("text"),
        "leaders": leaders, "lead_units": lead, "assist_units": other,
        "assist_words": [(role, w) for role, w in words if w],
        "deadline": d.get("deadline") or next((g.nodes[e].get("deadline") for e in entries
                                               if g.nodes[e].get("deadline")), None),
        "due": due, "overdue": overdue, "due_soon": soon,
        "days_left": (due_date - as_of).days if due_date else None,
        "progress": progress or None, "progress_period": _period(g, entries), "progress_entries": entries,
        "progress_status": found.status if found else None,
        "status": status, "status_label": STATUS_LABELS.get(status, status or ""),
        "status_word": found.word if found else None, "status_basis": found.basis if found else None,
        "why": _why(d, found, overdue, soon, due),
        "source": {"document": d.get("doc_id"), "path": doc.get("path"), "title": doc.get("title"),
                   "start": d.get("start"), "end": d.get("end"), "quote": d.get("quote")},
    }


def _period(g, entries: list[str]) -> Optional[str]:
    periods = list(dict.fromkeys(g.nodes[e].get("period") for e in entries if g.nodes[e].get("period")))
    return "、".join(periods) or None


def _progress_text(e: dict) -> str:
    return (f"【{e['period']}】" if e.get("period") else "") + e["progress"]


def _why(d: dict, found: Optional[TaskStatus], overdue: bool, soon: bool, due: Optional[str]) -> str:
    """What the status rests on, for people: the time limit, and the words or figures read."""
    parts = []
    if overdue or soon:
        limit = d.get("deadline") or due
        parts.append(f"完成时限{limit}（{due}）" + ("已过" if overdue else "将至"))
    if found is not None and found.word:
        words = found.word + ("（只述工作开展）" if found.basis == "activity" else "")
        parts.append(f"进展{STATUS_LABELS[found.status]}：{words}" if parts else words)
    elif found is not None:
        parts.append("进展未说明完成情况")
    return "；".join(parts)


def deadline_rows(book: Ledger) -> dict[str, list[dict]]:
    """The rows of a ledger that are overdue, and those due soon, soonest first."""
    return {"overdue": sorted((r for r in book.rows if r["overdue"]), key=_by_due),
            "due_soon": sorted((r for r in book.rows if r["due_soon"]), key=_by_due)}


def _by_due(r: dict) -> tuple:
    return r["due"], r["region"] or "", r["no"]


# -- the columns people read ---------------------------------------------------------------

def _deadline_cell(r: dict) -> str:
    if not r["deadline"]:
        return r["due"] or ""
    return r["deadline"] + (f"（{r['due']}）" if r["due"] and r["due"] not in r["deadline"] else "")


def _source_cell(r: dict) -> str:
    s = r["source"]
    where = "（".join(x for x in (s["title"] or s["document"], s["path"]) if x) + ("）" if s["title"] and s["path"] else "")
    return f"{where}：“{s['quote']}”" if s.get("quote") else where


def columns(book: Ledger, region: Optional[str] = None, *, with_region: bool = False) -> list:
    """The ledger's columns as people read them (kg.formats.Column): 序号, 任务, 牵头领导, 牵头单位,
    配合单位 or 责任单位 (as the region's documents say), 完成时限, 最新进展, 状态 at the date,
    状态依据, 来源, 任务ID; 地区 first when ``with_region``."""
    from kg.formats import Column, join

    cols = [
        Column("序号", lambda r: r["no"], 6),
        Column("任务", lambda r: r["text"], 60),
        Column("牵头领导", lambda r: join(r["leaders"]), 16),
        Column("牵头单位", lambda r: join(r["lead_units"]), 30),
        Column(book.assist_word(region), lambda r: join(r["assist_units"]), 40),
        Column("完成时限", _deadline_cell, 24),
        Column("最新进展", lambda r: r["progress"] or "", 60),
        Column(f"状态（截至{book.as_of.date.isoformat()}）", lambda r: r["status_label"], 10),
        Column("状态依据", lambda r: r["why"], 40),
        Column("来源", _source_cell, 50),
        Column("任务ID", lambda r: r["id"], 40),
    ]
    if with_region:
        cols.insert(0, Column("地区", lambda r: r["region"] or "", 10))
    return cols
