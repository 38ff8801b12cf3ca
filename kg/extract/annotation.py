"""Annotations: （牵头领导：…；牵头单位：…；责任单位：…） and the other ways to say it.

A bracket (（…）, 【…】, […]) is an annotation when its content starts with a
role word of data/roles.tsv followed by ：, or is made of role clauses
(``X牵头，Y、Z按职责分工负责``, :mod:`kg.extract.prose`), or, after a
sentence, of unit names only (responsible, or led by the first when the
document says 列第一位的为牵头单位). Any other bracket (a stretch target such
as （力争超过5.6%）, a name part such as 中国（山东）) is text. Brackets are
matched by depth, so a name with brackets inside does not end the annotation.
Lines starting with a role word (``牵头单位：X`` / ``责任单位：Y``), sentences
of role clauses (``X、Y分别牵头。``) and ``由X、Y负责落实`` are annotations too.
All offsets here are normalized offsets (``doc.norm.text``); the records'
spans are mapped to the raw text.

Parsing is a pure function of the document and the range, and every layout's fit and the
chosen layout's extract ask for the same ranges: :func:`find_annotations` and
:func:`parse_annotation` remember their answers for the document being worked on
(:class:`DocMemo`), so each annotation is parsed once per document.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from kg.extract.base import DocMemo, gaps_in, split_top_level, strip_range
from kg.extract.deadlines import deadline_at
from kg.extract.patterns import (ANY_OPEN, BRACKET_PAIRS, ROLE_LABEL, ROLE_LIKE,
                                 CLAUSE_SEP, DEADLINE_CLAUSE, RULE_CLAUSE, SEGMENT_START, SENTENCE_END, SENTENCE_OR_LINE, UNIT_INSIDE)
from kg.extract.names import POST_ONLY, is_collective, is_unit_name, leader_name
from kg.extract.prose import Named, first_listed_rule, mentions_roles, role_clauses, role_sentences, unit_list
from kg.extract.roles import DEADLINE, LEADER, PROSE, RoleWord, lookup, verb_table
from kg.extract.unitlist import shared_prefixes, split_unit_list
from kg.model import ASSIST, CUT, LEAD, RESPONSIBLE, Deadline, Document, LeaderMention, Problem, UnitMention
from kg.sources.normalize import stored

_PART_SEPS = "；;"
_WHEN = re.compile(r"月|季度|年[底末内]|半年|全年|长期|持续推进|逐年|常态化")   # words every time clause has
_CUT_MESSAGE = "the text ends inside this annotation (a fragment?): only the names before the cut are read"
_SOFT_SEPS = "，,。\n"


_MEMO = DocMemo()


@dataclass(frozen=True)
class Annotation:
    """One annotation bracket, ``doc.norm.text[start:end]`` (brackets included)."""

    start: int
    end: int
    units: tuple[UnitMention, ...] = ()
    leaders: tuple[LeaderMention, ...] = ()
    problems: tuple[Problem, ...] = ()
    cut: bool = False            # the fragment ends inside it
    deadline: Optional[Deadline] = None     # 完成时限：2025年6月底前, or a clause 年内持续推进


def problem(doc: Document, start: int, end: int, message: str, code: str = "") -> Problem:
    """A Problem at normalized range [start, end) of ``doc``, with its raw line."""
    span = doc.norm.span(doc.id, start, end)
    return Problem(doc.id, doc.path, doc.line_of(span.start), message, doc.text[span.start:span.end][:60], code)


def match_bracket(text: str, open_at: int, limit: int) -> Optional[int]:
    """Index after the bracket that closes the one at ``open_at`` (（ or 【 [ 〔), or None before ``limit``.

    Brackets of each kind nest; the pairs of the whole text are found once, in one pass
    (:func:`bracket_pairs`), so matching every bracket of a document stays linear."""
    close = bracket_pairs(text).get(open_at)
    return close + 1 if close is not None and close < limit else None


@lru_cache(maxsize=4)
def bracket_pairs(text: str) -> dict[int, int]:
    """Opening index → closing index of every matched bracket of ``text`` (one stack a kind)."""
    stacks: dict[str, list[int]] = {o: [] for o in BRACKET_PAIRS}
    closers = {c: o for o, c in BRACKET_PAIRS.items()}
    pairs: dict[int, int] = {}
    for i, ch in enumerate(text):
        if ch in stacks:
            stacks[ch].append(i)
        elif ch in closers and stacks[closers[ch]]:
            pairs[stacks[closers[ch]].pop()] = i
    return pairs


def role_label(text: str, start: int, end: int) -> Optional[tuple[str, int]]:
    """The label at ``text[start:end]`` before its ：, blanks removed, and the index after ：."""
    m = ROLE_LABEL.match(text, start, end)
    if not m:
        return None
    return "".join(m.group("label").split()), m.end()


def _top_level_parts(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Parts separated by ； outside brackets, or by ， 。 a line break or a removed space before a
    role word: （牵头单位：X，配合单位：Y、Z，各区、县） has two parts, the second's list running
    to the end; so has ``分管领导：X 部门分工：Y牵头`` written on one line."""
    text = doc.norm.text
    cuts = [start + k for k in gaps_in(doc, start, end) if _labelled(text, start + k, end) is not None]
    parts = []
    for s, e in split_top_level(text, start, end, lambda i: text[i] in _PART_SEPS
                                or text[i] in _SOFT_SEPS and _labelled(text, i + 1, end) is not None):
        for c in [c for c in cuts if s < c < e]:
            parts.append((s, c))
            s = c
        parts.append((s, e))
    return parts


def _labelled(text: str, start: int, end: int) -> Optional[RoleWord]:
    """The known role word that ``text[start:end]`` starts with, if any."""
    found = role_label(text, start, end)
    return lookup(found[0]) if found else None


def unit_mentions(doc: Document, names: list[tuple[str, int, int]], role: str,
                   role_word: str) -> list[UnitMention]:
    """Mentions of ``names``, a shared region prefix written once expanded (市发改委、财政局):
    ``name`` is the full name, ``written`` what the text says."""
    out = []
    for (name, s, e), prefix in zip(names, shared_prefixes([n for n, _, _ in names])):
        span = doc.norm.span(doc.id, s, e)
        raw = doc.text[span.start:span.end]
        written = raw if raw == name else stored(doc.text, span.start, span.end)
        out.append(UnitMention(name=(prefix or "") + name, role=role, role_word=role_word,
                               span=span, prefix_from=prefix,
                               written=written if prefix or written != name else ""))
    return out


def prose_mentions(doc: Document, named: list[Named]) -> list[UnitMention]:
    """Mentions of units named in prose clauses, each clause with its own prefix (leaders aside)."""
    out: list[UnitMention] = []
    named = [n for n in named if not n.leader]
    k = 0
    while k < len(named):
        j = k
        while j < len(named) and (named[j].verb, named[j].role) == (named[k].verb, named[k].role):
            j += 1
        out += unit_mentions(doc, [(n.name, n.start, n.end) for n in named[k:j]], named[k].role, named[k].verb)
        k = j
    return out


def prose_leaders(doc: Document, named: list[Named]) -> list[LeaderMention]:
    """Leaders named in prose clauses: 分管副省长、协管副秘书长负责."""
    out: list[LeaderMention] = []
    for n in named:
        if n.leader:
            out += leader_mentions(doc, [(n.name, n.start, n.end)], n.verb)
    return out


def leader_mentions(doc: Document, names: list[tuple[str, int, int]], role_word: str) -> list[LeaderMention]:
    """Leaders of a list; a post written with the name (张三副市长) goes to ``post``."""
    out = []
    named = [leader_name(n) for n, _, _ in names]
    for (name, s, e), found in zip(names, named):
        if found is None and any(named) and POST_ONLY.match(name):
            continue                         # 广东省副省长、珠海市委书记吕玉印: one leader, two titles
        if found is not None and found.post:
            s, e, name = s + found.start, s + found.end, found.name
        out.append(LeaderMention(name=name.replace(" ", ""), role_word=role_word,
                                 span=doc.norm.span(doc.id, s, e), post=found.post if found else None))
    return out


def parse_annotation(doc: Document, start: int, end: int, *, cut: bool = False) -> Annotation:
    """The annotation ``doc.norm.text[start:end]``, parsed once per document (see :func:`_parse`)."""
    return _MEMO.get(doc, ("parse", start, end, cut), lambda: _parse(doc, start, end, cut))


def _parse(doc: Document, start: int, end: int, cut: bool = False) -> Annotation:
    """Parse the annotation ``doc.norm.text[start:end]`` (a bracket, or role lines).

    Parts are separated by ； (or by ， 。 or a line break before a role word), label and
    list by ：. A part without a label is read as role clauses
    (``X牵头，Y、Z按职责分工负责``, leaders too: ``分管副省长负责``) or, if only unit
    names, as a list of responsible units. 责任单位 (any role "responsible") becomes
    "assist" when the same annotation names a lead unit; if the document states that
    the first-listed unit leads (:func:`kg.extract.prose.first_listed_rule`), the first
    unit of a list that names no assist leads and the others assist. A unit named twice
    is kept once, in its first role. ``cut``: the fragment ends inside the annotation,
    so its last name (or clause) may be incomplete and is kept only when surely whole.
    """
    text = doc.norm.text
    closer = BRACKET_PAIRS.get(text[start:start + 1])
    inner_s = start + 1 if closer else start
    inner_e = end - 1 if closer and end > inner_s and text[end - 1] == closer else end
    units: list[UnitMention] = []
    leaders: list[LeaderMention] = []
    problems: list[Problem] = []
    current: Optional[RoleWord] = None
    deadline: Optional[Deadline] = None
    parts = [(ps, pe) for ps, pe in _top_level_parts(doc, inner_s, inner_e)
             if text[ps:pe].strip() and not _only_rule(text[ps:pe])]
    skip_to = -1
    for k, (ps, pe) in enumerate(parts):
        if k <= skip_to:
            continue                    # read as the deadline before it
        last_cut = cut and k == len(parts) - 1
        found = role_label(text, ps, pe)
        list_start = ps
        if found:
            word, list_start = found
            current = lookup(word)
            if current is None:
                problems.append(problem(doc, ps, pe, f"unknown role word {word!r} in annotation"))
                continue
            if current.kind == DEADLINE:      # its value runs to the next label (6月底前…；12月底前…)
                skip_to = k
                while skip_to + 1 < len(parts) and role_label(text, *parts[skip_to + 1]) is None:
                    skip_to += 1
                pe = parts[skip_to][1]
                deadline = deadline or deadline_at(doc, *strip_range(text, list_start, pe), "label")
                current = None
                continue
        elif current is None:
            named = role_clauses(text, ps, pe, cut=last_cut)
            if named:
                units += prose_mentions(doc, named)
                leaders += prose_leaders(doc, named)
                continue
            names = unit_list(text, ps, pe)
            if names:
                units += unit_mentions(doc, names, RESPONSIBLE, "")
            elif not last_cut:
                problems.append(problem(doc, ps, pe, "annotation part without a role word"))
            continue
        pe = _before_note(text, list_start, pe)
        if current.kind == PROSE or (current.kind != LEADER and mentions_roles(text[list_start:pe])):
            named = role_clauses(text, list_start, pe, cut=last_cut,
                                 tail=None if current.kind == PROSE else (current.role, current.word))
            if named:
                units += prose_mentions(doc, named)
                leaders += prose_leaders(doc, named)
                continue
        names = [n for n in split_unit_list(text[list_start:pe], base=list_start) if not RULE_CLAUSE.search(n[0])]
        if last_cut:
            whole = complete_names(names, strict=closer is not None)
            if len(whole) < len(names):
                problems.append(problem(doc, names[-1][1], names[-1][2], f"the text ends in the name "
                                        f"{names[-1][0]!r}: it is not read", CUT))
            names = whole
        if not names and not last_cut:
            problems.append(problem(doc, ps, pe, f"no names after {current.word}"))
        if current.kind == LEADER:
            leaders += leader_mentions(doc, names, current.word)
        else:
            units += unit_mentions(doc, names, current.role, current.word)
    rule = first_listed_rule(text)
    first_leads = rule is not None and rule < end
    return Annotation(start, end, resolve_roles(units, first_leads), dedupe_leaders(leaders), tuple(problems),
                      cut=cut, deadline=deadline or _deadline_clause(doc, parts))


def _deadline_clause(doc: Document, parts: list[tuple[int, int]]) -> Optional[Deadline]:
    """A clause of the annotation that says when, not who: （X负责，年内持续推进）."""
    text = doc.norm.text
    if not parts or not _WHEN.search(text, parts[0][0], parts[-1][1]):
        return None                      # most annotations name no time: not split for nothing
    for ps, pe in parts:
        for cs, ce in split_top_level(text, ps, pe, lambda i: text[i] in "，,；;。"):
            cs, ce = strip_range(text, cs, ce)
            if ce > cs and DEADLINE_CLAUSE.match(text[cs:ce]):
                return deadline_at(doc, cs, ce, "bracket")
    return None


def _before_note(text: str, s: int, e: int) -> int:
    """Where a labelled list ends when a sentence after it is a note, not names
    (责任单位：X、Y按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同。)."""
    stop = text.find("。", s, e)
    while stop != -1:
        rest_e = stop + 1 + len(text[stop + 1:e].rstrip("。 \n"))
        if rest_e > stop + 1 and not role_clauses(text, stop + 1, rest_e) and not unit_list(text, stop + 1, rest_e):
            return stop
        stop = text.find("。", stop + 1, e)
    return e


def complete_names(names: list, *, strict: bool = True) -> list:
    """A list that may be cut where the text ends: its last name is kept only when it is a
    unit's name (not 省, not 人行芜湖); ``strict`` (a bracket never closed: surely cut) also
    drops a collective that may go on (各区 of 各区、县（市）政府)."""
    if not names:
        return names
    last = names[-1][0]
    whole = is_unit_name(last, places=False) and not (strict and is_collective(last) and last[-1] in "省市区县镇乡")
    return names if whole else names[:-1]


def _only_rule(part: str) -> bool:
    """Whether ``part`` only states a rule: 列第一位的为牵头单位，下同."""
    clauses = [c.strip() for c in CLAUSE_SEP.split(part) if c.strip()]
    return bool(clauses) and all(RULE_CLAUSE.search(c) for c in clauses)


def resolve_roles(units: list[UnitMention], first_leads: bool = False) -> tuple[UnitMention, ...]:
    """Roles within one annotation: under the first-listed rule the first unit of a list that
    names no assist leads and the rest assist; 责任单位 beside a lead assists; a unit named
    twice is kept once, where it is first named, and leads if either names it to lead
    (a 责任单位 column that lists the lead unit too, beside a 牵头单位 column)."""
    said = {v for v, _ in verb_table()}              # roles a verb gives (X牵头) stand as written
    listed = [k for k, u in enumerate(units) if u.role_word not in said]
    if first_leads and len(listed) > 1 and not any(u.role == ASSIST for u in units) \
            and not any(u.role == LEAD for u in units if u.role_word in said):
        units = [replace(u, role=LEAD if k == listed[0] else ASSIST) if k in listed else u
                 for k, u in enumerate(units)]
    elif first_leads and not any(u.role == LEAD for u in units):
        k = next((k for k, u in enumerate(units) if u.role == RESPONSIBLE), None)
        if k is not None:
            units = units[:k] + [replace(units[k], role=LEAD)] + units[k + 1:]
    has_lead = any(u.role == LEAD for u in units)
    out: dict[str, UnitMention] = {}
    for u in units:
        if has_lead and u.role == RESPONSIBLE:
            u = replace(u, role=ASSIST)
        if u.name in out:
            if u.role == LEAD and out[u.name].role != LEAD:    # named to lead as well: it leads
                out[u.name] = replace(out[u.name], role=LEAD)
            continue
        out[u.name] = u
    return tuple(out.values())


def dedupe_leaders(leaders: list[LeaderMention]) -> tuple[LeaderMention, ...]:
    out: dict[str, LeaderMention] = {}
    for m in leaders:
        out.setdefault(m.name, m)
    return tuple(out.values())


def _next_open(text: str, start: int, end: int) -> int:
    m = ANY_OPEN.search(text, start, end)
    return m.start() if m else -1


def find_annotations(doc: Document, start: int, end: int) -> tuple[list[Annotation], list[Problem]]:
    """Every annotation in ``doc.norm.text[start:end]`` and the problems seen, found once per
    document and range (see :func:`_find`); the lists are the caller's own."""
    found, problems = _MEMO.get(doc, ("find", start, end), lambda: _find(doc, start, end))
    return list(found), list(problems)


def _find(doc: Document, start: int, end: int) -> tuple[tuple[Annotation, ...], tuple[Problem, ...]]:
    """Every annotation in ``doc.norm.text[start:end]``, in order.

    Three forms: a bracket (（…）, 【…】, […], 〔…〕) whose content starts with a role
    word or is made of role clauses or (after a sentence) of unit names only;
    lines starting with a role word (``牵头单位：X`` then ``责任单位：Y、Z``, one
    annotation together); and ``由X、Y负责落实`` in running text. Brackets that
    are not annotations are skipped whole; a bracket with an unknown role-like
    label, one naming units with role verbs it cannot read, or an annotation
    left unclosed (read to the end of its line) is reported as a Problem. An
    annotation the fragment ends in (a bracket never closed, role lines at the very
    end) is read as far as it is whole (``cut``).
    """
    text = doc.norm.text
    text_end = len(text.rstrip())
    last_line = text.rfind("\n", 0, text_end) + 1
    cut_tried = False                          # only the first bracket left open on the last line may be cut
    found: list[Annotation] = []
    problems: list[Problem] = []
    skipped: list[tuple[int, int]] = []        # brackets that are text
    i = _next_open(text, start, end)
    while i != -1:
        close = match_bracket(text, i, end)
        label = role_label(text, i + 1, close - 1 if close else end)
        rw = lookup(label[0]) if label else None
        nxt = close if close else i + 1
        at_end = close is None and end >= text_end and i >= last_line and not cut_tried
        cut_tried = cut_tried or at_end
        if rw is not None:
            if close is None and at_end:
                found.append(parse_annotation(doc, i, text_end, cut=True))
                problems.append(problem(doc, i, text_end, _CUT_MESSAGE, CUT))
                nxt = text_end
            else:
                if close is None:
                    nl = text.find("\n", i, end)
                    close = nl if nl != -1 else end
                    problems.append(problem(doc, i, close, "annotation bracket is not closed"))
                    nxt = close
                found.append(parse_annotation(doc, i, close))
        elif label and ROLE_LIKE.search(label[0]):
            problems.append(problem(doc, i, close or i + 1, f"unknown role word {label[0]!r}: "
                                    "add it to data/roles.tsv"))
        elif close is None and at_end and role_clauses(text, i + 1, text_end, cut=True):
            found.append(parse_annotation(doc, i, text_end, cut=True))
            problems.append(problem(doc, i, text_end, _CUT_MESSAGE, CUT))
            nxt = text_end
        elif close is not None and _unlabeled_annotation(text, i, close, start, end):
            found.append(parse_annotation(doc, i, close))
        elif close is not None:
            skipped.append((i, close))
            if _names_units_with_verbs(text, i + 1, close - 1):
                problems.append(problem(doc, i, close, "bracket names units with role words "
                                        "that could not be read"))
        i = _next_open(text, nxt, end)
    taken = _Covered([(a.start, a.end) for a in found] + skipped)
    for s, e in _role_lines(text, start, end, taken):
        found.append(parse_annotation(doc, s, e, cut=e >= text_end))
    taken = _Covered([(a.start, a.end) for a in found] + skipped)
    found += [parse_annotation(doc, s, e) for s, e in _role_sentences(text, start, end, taken)]
    taken = _Covered([(a.start, a.end) for a in found] + skipped)
    rule = first_listed_rule(text)
    for s, e, named in role_sentences(text, start, end):
        if s not in taken:
            units = resolve_roles(prose_mentions(doc, named), rule is not None and rule < e)
            found.append(Annotation(s, e, units))
    found.sort(key=lambda a: a.start)
    return tuple(found), tuple(problems)


class _Covered:
    """Ranges already read, asked whether they cover an index (bisect: no scan per question)."""

    def __init__(self, ranges: list[tuple[int, int]]):
        ranges = sorted(ranges)
        self.starts = [s for s, _ in ranges]
        self.reach: list[int] = []
        far = -1
        for _, e in ranges:
            far = max(far, e)
            self.reach.append(far)

    def __contains__(self, i: int) -> bool:
        k = bisect_right(self.starts, i) - 1
        return k >= 0 and self.reach[k] > i


def _unlabeled_annotation(text: str, open_at: int, close: int, start: int, end: int) -> bool:
    """Whether a bracket without a role word is an annotation.

    Role clauses (X牵头，Y配合) always are; a bare list of unit names only
    after a sentence (。（X、Y）) or at the end of its line (…任务（X、Y）).
    """
    if role_clauses(text, open_at + 1, close - 1):
        return True
    if not unit_list(text, open_at + 1, close - 1):
        return False
    b = open_at
    while b > start and text[b - 1] in " \t":
        b -= 1
    a = close
    while a < end and text[a] in "。；;， \t":
        a += 1
    return (b == start or text[b - 1] in "。；;！\n" or SENTENCE_END.match(text[b - 1]) is not None
            or a == end or text[a] == "\n")


def _names_units_with_verbs(text: str, s: int, e: int) -> bool:
    inner = text[s:e]
    return mentions_roles(inner) and UNIT_INSIDE.search(inner) is not None


def _segment_starts(text: str, start: int, end: int) -> list[int]:
    """Where a line or a sentence starts in ``text[start:end]`` (not ``start`` itself), blanks skipped."""
    out = []
    for m in SEGMENT_START.finditer(text, start, end):
        if m.end() < end:
            out.append(m.end())
    return out


def _role_lines(text: str, start: int, end: int, taken: _Covered) -> list[tuple[int, int]]:
    """Ranges of consecutive lines (or a line's last sentences) that start with a role word.

    ``牵头单位：X`` then ``责任单位：Y`` on their own lines are one range; so is
    ``…任务。部门分工：X牵头，各部门配合。`` from the role word to the line end.
    """
    out: list[tuple[int, int]] = []
    for body in _segment_starts(text, start, end):
        if out and body < out[-1][1] or body in taken:
            continue
        if not _labelled(text, body, end):
            continue
        le = text.find("\n", body, end)
        e = le if le != -1 else end
        stop = text.find("。", body, e)
        e = stop if stop != -1 else e
        while e > body and text[e - 1] in "。；; \t":
            e -= 1
        if out and not text[out[-1][1]:body].strip("。；; \t\n"):
            out[-1] = (out[-1][0], e)
        else:
            out.append((body, e))
    return out


def _role_sentences(text: str, start: int, end: int, taken: _Covered) -> list[tuple[int, int]]:
    """Sentences after the first that are wholly role clauses: ``区农业农村局、区水务局分别牵头。``"""
    out = []
    for s in _segment_starts(text, start, end):
        if s in taken:
            continue
        m = SENTENCE_OR_LINE.search(text, s, end)
        e = m.start() if m else end
        if e > s and role_clauses(text, s, e):
            out.append((s, e))
    return out
