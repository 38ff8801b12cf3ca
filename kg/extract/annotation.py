"""Annotation brackets: （牵头领导：…；牵头单位：…；责任单位：…）.

A bracket is an annotation when its content starts with a role word of
data/roles.tsv followed by ：; any other bracket (a stretch target such as
（力争超过5.6%）, a name part such as 中国（山东）) is text. Brackets are
matched by depth, so a name with brackets inside does not end the annotation.
All offsets here are normalized offsets (``doc.norm.text``); the records'
spans are mapped to the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from kg.extract.patterns import CLOSE, OPEN, ROLE_LABEL, ROLE_LIKE
from kg.extract.roles import LEADER, RoleWord, lookup
from kg.extract.unitlist import split_unit_list
from kg.model import ASSIST, LEAD, RESPONSIBLE, Document, LeaderMention, Problem, UnitMention

_PART_SEPS = "；;"


@dataclass(frozen=True)
class Annotation:
    """One annotation bracket, ``doc.norm.text[start:end]`` (brackets included)."""

    start: int
    end: int
    units: tuple[UnitMention, ...] = ()
    leaders: tuple[LeaderMention, ...] = ()
    problems: tuple[Problem, ...] = ()


def problem(doc: Document, start: int, end: int, message: str) -> Problem:
    """A Problem at normalized range [start, end) of ``doc``, with its raw line."""
    span = doc.norm.span(doc.id, start, end)
    return Problem(doc.id, doc.path, doc.line_of(span.start), message, doc.text[span.start:span.end])


def match_bracket(text: str, open_at: int, limit: int) -> Optional[int]:
    """Index after the ） that closes the （ at ``open_at``, or None before ``limit``."""
    depth = 0
    for i in range(open_at, min(limit, len(text))):
        ch = text[i]
        if ch == OPEN:
            depth += 1
        elif ch == CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def role_label(text: str, start: int, end: int) -> Optional[tuple[str, int]]:
    """The label at ``text[start:end]`` before its ：, blanks removed, and the index after ：."""
    m = ROLE_LABEL.match(text, start, end)
    if not m:
        return None
    return "".join(m.group("label").split()), m.end()


def _top_level_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts, depth, pos = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch == OPEN:
            depth += 1
        elif ch == CLOSE and depth > 0:
            depth -= 1
        elif ch in _PART_SEPS and depth == 0:
            parts.append((pos, i))
            pos = i + 1
    parts.append((pos, end))
    return parts


def parse_annotation(doc: Document, start: int, end: int) -> Annotation:
    """Parse the bracket ``doc.norm.text[start:end]`` (``（`` at ``start``).

    Parts are separated by ；, label and list by ：. 责任单位 (any role
    "responsible") becomes "assist" when the same annotation names a lead
    unit; a unit named twice is kept once, in its first role.
    """
    text = doc.norm.text
    inner_s = start + 1 if text[start:start + 1] == OPEN else start
    inner_e = end - 1 if end > inner_s and text[end - 1] == CLOSE else end
    units: list[UnitMention] = []
    leaders: list[LeaderMention] = []
    problems: list[Problem] = []
    current: Optional[RoleWord] = None
    for ps, pe in _top_level_parts(text, inner_s, inner_e):
        if not text[ps:pe].strip():
            continue
        found = role_label(text, ps, pe)
        list_start = ps
        if found:
            word, list_start = found
            current = lookup(word)
            if current is None:
                problems.append(problem(doc, ps, pe, f"unknown role word {word!r} in annotation"))
                continue
        elif current is None:
            problems.append(problem(doc, ps, pe, "annotation part without a role word"))
            continue
        names = split_unit_list(text[list_start:pe], base=list_start)
        if not names:
            problems.append(problem(doc, ps, pe, f"no names after {current.word}"))
        for name, s, e in names:
            span = doc.norm.span(doc.id, s, e)
            if current.kind == LEADER:
                leaders.append(LeaderMention(name=name, role_word=current.word, span=span))
            else:
                units.append(UnitMention(name=name, role=current.role, role_word=current.word, span=span))
    return Annotation(start, end, _resolve_roles(units), _dedupe(leaders), tuple(problems))


def _resolve_roles(units: list[UnitMention]) -> tuple[UnitMention, ...]:
    has_lead = any(u.role == LEAD for u in units)
    out: dict[str, UnitMention] = {}
    for u in units:
        if u.name in out:
            continue
        if has_lead and u.role == RESPONSIBLE:
            u = UnitMention(name=u.name, role=ASSIST, role_word=u.role_word, span=u.span,
                            prefix_from=u.prefix_from)
        out[u.name] = u
    return tuple(out.values())


def _dedupe(leaders: list[LeaderMention]) -> tuple[LeaderMention, ...]:
    out: dict[str, LeaderMention] = {}
    for m in leaders:
        out.setdefault(m.name, m)
    return tuple(out.values())


def find_annotations(doc: Document, start: int, end: int) -> tuple[list[Annotation], list[Problem]]:
    """Every annotation bracket in ``doc.norm.text[start:end]``, in order.

    Brackets that are not annotations are skipped whole; a bracket with an
    unknown role-like label, or an annotation left unclosed (read to the end
    of its line), is reported as a Problem.
    """
    text = doc.norm.text
    found: list[Annotation] = []
    problems: list[Problem] = []
    i = text.find(OPEN, start, end)
    while i != -1:
        close = match_bracket(text, i, end)
        label = role_label(text, i + 1, close - 1 if close else end)
        rw = lookup(label[0]) if label else None
        nxt = close if close else i + 1
        if rw is not None:
            if close is None:
                nl = text.find("\n", i, end)
                close = nl if nl != -1 else end
                problems.append(problem(doc, i, close, "annotation bracket is not closed"))
                nxt = close
            found.append(parse_annotation(doc, i, close))
        elif label and ROLE_LIKE.search(label[0]):
            problems.append(problem(doc, i, close or i + 1, f"unknown role word {label[0]!r}: "
                                    "add it to data/roles.tsv"))
        i = text.find(OPEN, nxt, end)
    return found, problems
