"""One task record from a range of a document and what was read about it."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional, Sequence

from kg.extract.annotation import Annotation
from kg.extract.deadlines import deadline_at
from kg.extract.targets import targets_in
from kg.extract.projects import projects_in
from kg.model import ASSIST, LEAD, RESPONSIBLE, Document, LeaderMention, TaskRecord, UnitMention


def make_task(doc: Document, seq: int, number: Optional[str], s: int, e: int, *,
              section: Optional[str] = None, parent_seq: Optional[int] = None, level: int = 0,
              annotations: Sequence[Annotation] = (), main: bool = False,
              leaders: Sequence[LeaderMention] = (), units: Sequence[UnitMention] = (),
              open_vocab: bool = False, review: bool = False) -> TaskRecord:
    """A TaskRecord for ``doc.norm.text[s:e]`` with the units and leaders of its annotations
    (and ``leaders`` and ``units`` named elsewhere, by its heading); a task's own units come
    first and a heading's lead unit is added only when the task names no lead of its own.
    Its targets are those of any metric when ``open_vocab`` (see kg.extract.targets), none
    under a heading that reviews an earlier year (``review``: 2024年成绩单); its deadline is its annotations' (完成时限：…, 年内持续推进) or else one its text states (6月底前)."""
    own: dict[str, UnitMention] = {}
    by_name: dict[str, LeaderMention] = {}
    for a in annotations:
        for u in a.units:
            own.setdefault(u.name, u)
        for m in a.leaders:
            by_name.setdefault(m.name, m)
    for m in leaders:
        by_name.setdefault(m.name, m)
    inherited = {u.name: u for u in units if u.name not in own}
    if any(u.role == LEAD for u in own.values()):
        inherited = {}
    merged = {**inherited, **own}
    if inherited and any(u.role == LEAD for u in inherited.values()):
        merged = {n: (replace(u, role=ASSIST) if u.role == RESPONSIBLE else u) for n, u in merged.items()}
    return TaskRecord(
        doc_id=doc.id, seq=seq, number=number, text=doc.norm.text[s:e],
        span=doc.norm.span(doc.id, s, e), section=section, parent_seq=parent_seq, level=level,
        units=tuple(merged.values()), leaders=tuple(by_name.values()),
        indicators=targets_in(doc, s, e, main=main, open_vocab=open_vocab) if level == 0 and not review else (),
        projects=tuple(projects_in(doc, s, e)) if level == 0 else (),
        annotation_span=(doc.norm.span(doc.id, annotations[0].start, annotations[-1].end)
                         if annotations else None),
        deadline=(next((a.deadline for a in annotations if a.deadline is not None), None)
                  or (deadline_at(doc, s, e, "text", anywhere=False) if level == 0 else None)),
    )
