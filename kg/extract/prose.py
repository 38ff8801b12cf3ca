"""Roles written in prose rather than after a role word.

``（区发改局牵头，区财政局、区统计局按职责分工负责）``, ``部门分工：X牵头，各地、各部门配合``,
``X、Y分别牵头``, ``X主办，Y、Z协办``, ``由X、Y负责落实``, ``这项工作由X负责``: a clause is a
list of names followed by a verb of data/role_verbs.tsv, which gives the role. Clauses
are read only when every name in them is surely a unit's or a leader's
(:mod:`kg.extract.names`), so ordinary sentences stay text; a clause naming leaders
(``分管副省长、协管副秘书长负责``) gives leaders.

A fragment may end inside a clause (a page cut by the copying site): the names before
the cut that are complete are kept, with the role of the verb the cut begins (``…等牵``
is 牵头) or, without a verb, as responsible.

A clause may also give its subject a duty: ``区统计局负责对各部门完成的经济类数据进行真实性审核``
(:func:`duty_clauses`); the clause is a task of its own and the units it opens with lead it.

A document may state once that the first unit of a list leads
(``列第一位的为牵头单位``); :func:`first_listed_rule` finds where.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from kg.extract.base import split_top_level, strip_range
from kg.extract.names import is_leader_name, is_unit_name
from kg.extract.patterns import DEADLINE_CLAUSE, FIRST_LISTED_LEADS, RULE_CLAUSE
from kg.extract.roles import verb_table
from kg.extract.unitlist import split_unit_list
from kg.model import RESPONSIBLE

_CLAUSE_SEPS = "，；,;。"
_BRACKETED = re.compile(r"（[^（）]*）")
_SUBJECT = r"(?:(?:这项|此项|该项|上述|以上|相关)(?:工作|任务))?"


class Named(NamedTuple):
    """One unit (or leader) named in prose: its name, normalized range, role and verb."""

    name: str
    start: int
    end: int
    role: str
    verb: str
    leader: bool = False


@lru_cache(maxsize=1)
def _verbs() -> dict[str, str]:
    return dict(verb_table())


def _verb_alternation() -> str:
    return "|".join(re.escape(v) for v, _ in verb_table())


@lru_cache(maxsize=1)
def clause_pattern() -> re.Pattern:
    """One clause: names, an optional 等, a verb (built once from the verb table)."""
    return re.compile(
        rf"""^{_SUBJECT}                     # an optional subject
             (?:由)?                        # an optional "by"
             (?P<names>.+?)                 # the names (checked by the caller)
             (?:等)?                        # "and others"
             (?P<verb>{_verb_alternation()}) # the verb giving the role
             (?:落实|实施)?$                # an optional "carry out"
        """,
        re.VERBOSE,
    )


@lru_cache(maxsize=1)
def sentence_pattern() -> re.Pattern:
    """``(这项工作)由X、Y负责(落实)`` in running text, ending its clause."""
    return re.compile(
        rf"""{_SUBJECT}                                           # an optional subject
             (?<!自)由                                             # "by" (not 自由贸易)
             (?P<names>[^。；：！？【】\[\]\n]{{2,120}}?)            # the names
             (?:等)?                                               # "and others"
             (?P<verb>{_verb_alternation()})                      # the verb
             (?:落实|实施)?                                        # "carry out"
             (?=[。；，！\n]|$)                                     # at the end of a clause
        """,
        re.VERBOSE,
    )


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return split_top_level(text, start, end, lambda i: text[i] in _CLAUSE_SEPS)


def _names(text: str, s: int, e: int, role: str, verb: str, *, cut: bool = False) -> Optional[list[Named]]:
    """The names of ``text[s:e]`` if every one is a unit's or every one a leader's; with ``cut``
    the last piece may be a name the fragment cut short and is then dropped."""
    names = split_unit_list(text[s:e], base=s)
    if cut and names and not is_unit_name(names[-1][0]) and not is_leader_name(names[-1][0]):
        names = names[:-1]
    if not names:
        return None
    if all(is_unit_name(n) for n, _, _ in names):
        return [Named(n, ns, ne, role, verb) for n, ns, ne in names]
    if all(is_leader_name(n) for n, _, _ in names):
        return [Named(n, ns, ne, role, verb, leader=True) for n, ns, ne in names]
    return None


def _clause(text: str, s: int, e: int, *, cut: bool = False) -> Optional[list[Named]]:
    """The names of one clause ``text[s:e]`` with the role its verb gives; ``cut``: the clause
    ends where the fragment was cut (a verb begun, or none)."""
    m = clause_pattern().match(text[s:e])
    if m:
        return _names(text, s + m.start("names"), s + m.end("names"), _verbs()[m.group("verb")],
                      m.group("verb"))
    if not cut:
        return None
    body = text[s:e]
    for n in range(1, min(7, len(body))):
        tail = body[-n:]
        roles = {r for v, r in verb_table() if v.startswith(tail) and v != tail}
        if len(roles) == 1:
            names_end = e - n - (1 if body[-n - 1] == "等" else 0)
            got = _names(text, s, names_end, roles.pop(), "")
            if got:
                return got
    return _names(text, s, e, RESPONSIBLE, "", cut=True)


_LEADING_SUBJECT = re.compile(rf"{_SUBJECT}(?<!自)由")


def _after_subject(text: str, s: int, e: int) -> int:
    """Where the names start in a clause that opens with (这项工作)由: 由市财政局、农业局，…负责."""
    m = _LEADING_SUBJECT.match(text, s, e)
    return m.end() if m and m.end() > s else s


def role_clauses(text: str, start: int, end: int, *, cut: bool = False,
                 tail: Optional[tuple[str, str]] = None) -> Optional[list[Named]]:
    """The names of ``text[start:end]`` if it is wholly made of role clauses, else None.

    Clauses stating the first-listed rule (列第一位的为牵头单位，下同) or a time (年内持续推进)
    are skipped; names without a verb of their own take the verb of the clause after them
    (A、B，C配合); with ``tail`` = (role, word) the names after the last verb take that role
    (a list under a role word: 责任单位：X、Y牵头，Z); with ``cut`` the last clause may be one
    the fragment cut short (see the module docstring).
    """
    out: list[Named] = []
    parts = [strip_range(text, s, e) for s, e in _clauses(text, start, end)]
    parts = [(s, e) for s, e in parts if s < e and not RULE_CLAUSE.search(_BRACKETED.sub("", text[s:e]))
             and not DEADLINE_CLAUSE.match(text[s:e])]
    waiting: list[tuple[str, int, int]] = []      # names of clauses without a verb of their own
    for k, (s, e) in enumerate(parts):
        last = k == len(parts) - 1
        got = _clause(text, s, e, cut=cut and last)
        if not got:
            if k == 0:
                s = _after_subject(text, s, e)
            names = unit_list(text, s, e)
            if names is None or (last and (tail is None or not out)):
                return None
            waiting += names                         # A、B，C、D配合: the verb after serves both
            continue
        if waiting:
            out += [Named(n, ns, ne, got[0].role, got[0].verb, got[0].leader) for n, ns, ne in waiting]
            waiting = []
        out += got
    if waiting and tail is not None:
        out += [Named(n, ns, ne, tail[0], tail[1]) for n, ns, ne in waiting]
    return out or None


def unit_list(text: str, start: int, end: int) -> Optional[list[tuple[str, int, int]]]:
    """The names of ``text[start:end]`` if it is only a list of unit names, else None."""
    s, e = strip_range(text, start, end)
    names = split_unit_list(text[s:e], base=s, places=False)
    if names and all(is_unit_name(n) for n, _, _ in names):
        return names
    return None


def role_sentences(text: str, start: int, end: int) -> list[tuple[int, int, list[Named]]]:
    """Every ``由X、Y负责落实`` in ``text[start:end]``: (start, end, units)."""
    out = []
    for m in sentence_pattern().finditer(text, start, end):
        got = _names(text, m.start("names"), m.end("names"), _verbs()[m.group("verb")], m.group("verb"))
        if got and not got[0].leader:
            out.append((m.start(), m.end(), got))
    return out


_DUTY = re.compile(
    r"""(?P<names>[^，。；：,;:！？\n]{2,60}?)   # the subject: names only (checked below)
        (?P<verb>牵头负责|具体负责|负责)       # the verb
        (?P<duty>[^。；;！？\n]{4,})          # what it is to do, to the clause's end
    """,
    re.VERBOSE,
)
_DUTY_SEPS = "。；;！？"


def duty_clauses(text: str, start: int, end: int) -> list[tuple[int, int, list[Named]]]:
    """Every clause of ``text[start:end]`` (up to 。 or ；) that opens with units and the verb
    负责 followed by what they are to do: (clause start, clause end, the units, who lead)."""
    out = []
    for s, e in split_top_level(text, start, end, lambda i: text[i] in _DUTY_SEPS):
        s, e = strip_range(text, s, e)
        m = _DUTY.fullmatch(text, s, e)
        if m is None or clause_pattern().match(text[s:e]):
            continue                     # 由X负责落实 / X负责: a role clause, not a duty
        got = _names(text, m.start("names"), m.end("names"), "lead", m.group("verb"))
        if got and not got[0].leader:
            out.append((s, e, got))
    return out


def mentions_roles(text: str) -> bool:
    """Whether ``text`` holds a role verb (a bracket that may be a role annotation)."""
    return any(v in text for v, _ in verb_table())


@lru_cache(maxsize=16)
def first_listed_rule(text: str) -> Optional[int]:
    """Where the document states that a list's first unit leads, or None."""
    m = FIRST_LISTED_LEADS.search(text)
    return m.start() if m else None
