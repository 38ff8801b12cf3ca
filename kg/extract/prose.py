"""Roles written in prose rather than after a role word.

``（区发改局牵头，区财政局、区统计局按职责分工负责）``, ``部门分工：X牵头，各地、各部门配合``,
``X、Y分别牵头``, ``由X、Y负责落实``, ``这项工作由X负责``: a clause is a list of
unit names followed by a verb of data/role_verbs.tsv, which gives the role.
Clauses are read only when every name in them is surely a unit
(:data:`kg.extract.patterns.UNIT_LIKE`), so ordinary sentences stay text.

A document may state once that the first unit of a list leads
(``列第一位的为牵头单位``); :func:`first_listed_rule` finds where.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from kg.extract.base import split_top_level, strip_range
from kg.extract.patterns import FIRST_LISTED_LEADS, RULE_CLAUSE, UNIT_LIKE
from kg.extract.roles import verb_table
from kg.extract.unitlist import split_unit_list

_CLAUSE_SEPS = "，；,;。"


class Named(NamedTuple):
    """One unit named in prose: its name, normalized range, role and verb."""

    name: str
    start: int
    end: int
    role: str
    verb: str


@lru_cache(maxsize=1)
def _verbs() -> dict[str, str]:
    return dict(verb_table())


def _verb_alternation() -> str:
    return "|".join(re.escape(v) for v, _ in verb_table())


@lru_cache(maxsize=1)
def clause_pattern() -> re.Pattern:
    """One clause: names, an optional 等, a verb (built once from the verb table)."""
    return re.compile(
        rf"""^(?:(?:这项|此项|该项|上述|以上|相关)(?:工作|任务))?   # an optional subject
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
        rf"""(?:(?:这项|此项|该项|上述|以上|相关)(?:工作|任务))?   # an optional subject
             (?<!自)由                                             # "by" (not 自由贸易)
             (?P<names>[^，。；：！？（）【】\[\]\n]{{2,80}}?)      # the names
             (?:等)?                                               # "and others"
             (?P<verb>{_verb_alternation()})                      # the verb
             (?:落实|实施)?                                        # "carry out"
             (?=[。；，！\n]|$)                                     # at the end of a clause
        """,
        re.VERBOSE,
    )


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return split_top_level(text, start, end, lambda i: text[i] in _CLAUSE_SEPS)


def _names(text: str, s: int, e: int, role: str, verb: str) -> Optional[list[Named]]:
    names = split_unit_list(text[s:e], base=s)
    if not names or not all(UNIT_LIKE.match(n) for n, _, _ in names):
        return None
    return [Named(n, ns, ne, role, verb) for n, ns, ne in names]


def role_clauses(text: str, start: int, end: int) -> Optional[list[Named]]:
    """The units of ``text[start:end]`` if it is wholly made of role clauses, else None.

    Clauses stating the first-listed rule (列第一位的为牵头单位，下同) are skipped.
    """
    out: list[Named] = []
    pattern = clause_pattern()
    for s, e in _clauses(text, start, end):
        s, e = strip_range(text, s, e)
        if s >= e or RULE_CLAUSE.search(text[s:e]):
            continue
        m = pattern.match(text[s:e])
        got = m and _names(text, s + m.start("names"), s + m.end("names"), _verbs()[m.group("verb")],
                           m.group("verb"))
        if not got:
            return None
        out += got
    return out or None


def unit_list(text: str, start: int, end: int) -> Optional[list[tuple[str, int, int]]]:
    """The names of ``text[start:end]`` if it is only a list of unit names, else None."""
    s, e = strip_range(text, start, end)
    names = split_unit_list(text[s:e], base=s)
    if names and all(UNIT_LIKE.match(n) for n, _, _ in names):
        return names
    return None


def role_sentences(text: str, start: int, end: int) -> list[tuple[int, int, list[Named]]]:
    """Every ``由X、Y负责落实`` in ``text[start:end]``: (start, end, units)."""
    out = []
    for m in sentence_pattern().finditer(text, start, end):
        got = _names(text, m.start("names"), m.end("names"), _verbs()[m.group("verb")], m.group("verb"))
        if got:
            out.append((m.start(), m.end(), got))
    return out


def mentions_roles(text: str) -> bool:
    """Whether ``text`` holds a role verb (a bracket that may be a role annotation)."""
    return any(v in text for v, _ in verb_table())


@lru_cache(maxsize=16)
def first_listed_rule(text: str) -> Optional[int]:
    """Where the document states that a list's first unit leads, or None."""
    m = FIRST_LISTED_LEADS.search(text)
    return m.start() if m else None
