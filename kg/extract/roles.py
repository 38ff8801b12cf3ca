"""The table of role words (data/roles.tsv): which annotation labels name
units or leaders, and in which role. A new role word is one new line there."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from kg.errors import SourceError

ROLES_TSV = Path(__file__).resolve().parents[2] / "data" / "roles.tsv"
VERBS_TSV = ROLES_TSV.with_name("role_verbs.tsv")

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


def _parse(text: str, path: str) -> dict[str, RoleWord]:
    table: dict[str, RoleWord] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("word\t"):
            continue
        fields = line.rstrip("\r").split("\t")
        if len(fields) != 3:
            raise SourceError(path, f"line {n}: expected word<TAB>kind<TAB>role, got {line!r}")
        word, kind, role = (f.strip() for f in fields)
        if role not in _KINDS.get(kind, ()):
            raise SourceError(path, f"line {n}: unknown kind/role {kind}/{role} for {word}")
        table[word] = RoleWord(word, kind, role)
    return table


@lru_cache(maxsize=1)
def role_table() -> dict[str, RoleWord]:
    """Every role word of data/roles.tsv, read once."""
    return _parse(_read(ROLES_TSV), str(ROLES_TSV))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise SourceError(path, f"cannot read the role table: {e}") from e


@lru_cache(maxsize=1)
def verb_table() -> tuple[tuple[str, str], ...]:
    """(verb, role) of data/role_verbs.tsv, longest verb first."""
    rows = []
    for n, line in enumerate(_read(VERBS_TSV).splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("verb\t"):
            continue
        fields = [f.strip() for f in line.rstrip("\r").split("\t")]
        if len(fields) != 2 or fields[1] not in _UNIT_ROLES:
            raise SourceError(VERBS_TSV, f"line {n}: expected verb<TAB>lead|assist|responsible, got {line!r}")
        rows.append((fields[0], fields[1]))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def lookup(word: str) -> Optional[RoleWord]:
    """The role word ``word`` (blanks ignored), or None if it is not one."""
    return role_table().get("".join(word.split()))
