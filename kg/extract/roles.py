"""The table of role words (data/roles.tsv): which annotation labels name
units or leaders, and in which role. A new role word is one new line there."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from kg.errors import SourceError

ROLES_TSV = Path(__file__).resolve().parents[2] / "data" / "roles.tsv"

UNIT = "unit"
LEADER = "leader"
OVERSEE = "oversee"
_KINDS = {UNIT: ("lead", "assist", "responsible"), LEADER: (OVERSEE,)}


@dataclass(frozen=True)
class RoleWord:
    word: str        # 牵头单位
    kind: str        # UNIT or LEADER
    role: str        # lead / assist / responsible, or oversee for leaders


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
    try:
        text = ROLES_TSV.read_text(encoding="utf-8")
    except OSError as e:
        raise SourceError(ROLES_TSV, f"cannot read the role table: {e}") from e
    return _parse(text, str(ROLES_TSV))


def lookup(word: str) -> Optional[RoleWord]:
    """The role word ``word`` (blanks ignored), or None if it is not one."""
    return role_table().get("".join(word.split()))
