"""The table of role words (data/roles.tsv): which annotation labels name
units or leaders, and in which role. A new role word is one new line there."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from kg.resources import DataError
from kg.resources import table as data_table

UNIT = "unit"
LEADER = "leader"
PROSE = "prose"      # a label whose list is read with the role verbs: 部门分工：X牵头，Y配合
DEADLINE = "deadline"    # a label or column of the time limit: 完成时限：2025年6月底前
OVERSEE = "oversee"
DUE = "due"
_UNIT_ROLES = ("lead", "assist", "responsible")
_KINDS = {UNIT: _UNIT_ROLES, PROSE: _UNIT_ROLES, LEADER: (OVERSEE,), DEADLINE: (DUE,)}


@dataclass(frozen=True)
class RoleWord:
    word: str        # 牵头单位
    kind: str        # UNIT, LEADER, PROSE or DEADLINE
    role: str        # lead / assist / responsible, oversee for leaders, due for a deadline


@lru_cache(maxsize=1)
def role_table() -> dict[str, RoleWord]:
    """Every role word of data/roles.tsv (and a user's, kg.resources), read once."""
    table: dict[str, RoleWord] = {}
    for row in data_table("roles.tsv", ("word", "kind", "role")):
        word, kind, role = row["word"], row["kind"], row["role"]
        if role not in _KINDS.get(kind, ()):
            raise DataError(row.path, row.line, f"unknown kind/role {kind}/{role} for {word}: expected one of "
                            + ", ".join(f"{k}/{r}" for k, rs in _KINDS.items() for r in rs))
        table[word] = RoleWord(word, kind, role)
    return table


@lru_cache(maxsize=1)
def verb_table() -> tuple[tuple[str, str], ...]:
    """(verb, role) of data/role_verbs.tsv, longest verb first."""
    rows = []
    for row in data_table("role_verbs.tsv", ("verb", "role")):
        if row["role"] not in _UNIT_ROLES:
            raise DataError(row.path, row.line, f"expected a role of {', '.join(_UNIT_ROLES)}, got {row['role']!r}")
        rows.append((row["verb"], row["role"]))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def lookup(word: str) -> Optional[RoleWord]:
    """The role word ``word`` (blanks ignored), or None if it is not one."""
    return role_table().get("".join(word.split()))
