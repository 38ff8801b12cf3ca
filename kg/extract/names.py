"""What a name of a government unit or of a leader looks like.

One recognizer for every reader: it splits lists (:mod:`kg.extract.unitlist`), tells a
role clause from an ordinary sentence (:mod:`kg.extract.prose`) and finds the unit
cells of a table. The forms are data (``data/unit_forms.tsv``): the endings of unit
names at every level (局 委 厅 办 中心 街道 镇 管委会 集团 法院 …), the places a list
may name as units (高新区, 岳麓区), and how collectives are made (各街镇, 省直有关部门,
省政府各部门, 各县、市、区政府).

A name never holds a colon, sentence punctuation or a role word; a trailing bracketed
second name (省数据局（省营商局）) is part of it. Leaders are personal names of two to
four characters (an alignment space inside is allowed: 王 健), with or without a post,
or a post alone (分管副省长, 省政府分管领导同志).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from kg.resolve.regions import place_prefixes
from kg.resources import DataError
from kg.resources import table as data_table

_FORMS = ("ending", "region", "collective", "owner", "org", "levels")

# Characters no name holds (outside its brackets): sentence punctuation, colons, digits with %.
_FORBIDDEN = re.compile(r"[，。；：！？,;:!?%“”\"《》\n]")
# Words that make a piece of text a clause, not a name.
_NOT_A_NAME = re.compile(r"牵头|负责|配合|协办|主办|协助|参与|落实")
_TRAILING_ALIAS = re.compile(r"（[^（）]{1,20}）$")
_BRACKETED = re.compile(r"（[^（）]*）")
_CJK = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9（）·]+$")
# A count at the end is a task's figure, not a unit's ending: 新建社区食堂10处, 建成5所 (处, 所 end
# units too: 规划处, 派出所).
_COUNTED = re.compile(r"\d[\u4e00-\u9fff]?$")


@dataclass(frozen=True)
class UnitForms:
    endings: tuple[tuple[str, str], ...]     # (ending, kind), longest first
    regions: tuple[str, ...]                 # place endings, longest first
    collective: tuple[str, ...]              # collective words: 各, 相关, 有关 …
    owners: tuple[str, ...]                  # 省直, 市政府 …, longest first
    orgs: tuple[str, ...]                    # 部门, 单位, 直属机构 …
    levels: frozenset[str]                   # 县, 市, 区县 …


@lru_cache(maxsize=1)
def unit_forms() -> UnitForms:
    """The forms of data/unit_forms.tsv, read once."""
    rows: dict[str, list[tuple[str, str]]] = {f: [] for f in _FORMS}
    for row in data_table("unit_forms.tsv", ("form", "kind", "words")):
        if row["form"] not in rows or not row["words"]:
            raise DataError(row.path, row.line, f"expected form<TAB>kind<TAB>words with form one of "
                                                f"{', '.join(_FORMS)}; got {'<TAB>'.join(row.values())!r}")
        rows[row["form"]] += [(w, row["kind"]) for w in row.split("words")]
    by_len = lambda ws: tuple(sorted(ws, key=lambda w: -len(w)))   # noqa: E731
    return UnitForms(
        endings=tuple(sorted(rows["ending"], key=lambda r: -len(r[0]))),
        regions=by_len(w for w, _ in rows["region"]),
        collective=by_len(w for w, _ in rows["collective"]),
        owners=by_len(w.replace("(", "（").replace(")", "）") for w, _ in rows["owner"]),
        orgs=by_len(w for w, _ in rows["org"]),
        levels=frozenset(w for w, _ in rows["levels"]),
    )


def core(name: str) -> str:
    """The name without a trailing bracketed second name: 省数据局（省营商局） → 省数据局."""
    while True:
        m = _TRAILING_ALIAS.search(name)
        if m is None or m.start() == 0:
            return name
        name = name[:m.start()]


def _plain(name: str) -> bool:
    """A name's characters (brackets aside): Chinese, a middle dot, Latin letters and digits with
    at least one Chinese character; no punctuation, no role words."""
    bare = _BRACKETED.sub("", name)
    return (1 < len(bare) <= 40 and not _FORBIDDEN.search(bare) and _CJK.match(bare) is not None
            and re.search(r"[\u4e00-\u9fff]", bare) is not None and not _NOT_A_NAME.search(bare)
            and not _COUNTED.search(bare))


@lru_cache(maxsize=1 << 16)
def ending_kind(name: str) -> Optional[str]:
    """The kind a unit name's ending gives (department, street, committee …), or None."""
    c = core(name)
    for ending, kind in unit_forms().endings:
        if c.endswith(ending) and len(c) > len(ending):
            return kind
    return None


@lru_cache(maxsize=1 << 16)
def is_collective(name: str) -> bool:
    """各街镇, 相关部门, 有关单位, 省直各部门, 市政府各部门, 省（中）直有关单位, 各县、市、区政府 …"""
    if not name or _FORBIDDEN.search(_BRACKETED.sub("", name).replace("、", "")):
        return False
    f = unit_forms()
    rest = name
    for owner in f.owners:
        if rest.startswith(owner) and len(rest) > len(owner):
            rest = rest[len(owner):]
            break
    if name.endswith("成员单位"):
        return True
    return any(rest.startswith(w) and len(rest) > len(w) for w in f.collective)


def is_region_unit(name: str) -> bool:
    """A place named as a unit in a list: 高新区, 岳麓区, 开发区 (short, no verb)."""
    c = core(name)
    return 2 <= len(c) <= 16 and _plain(c) and any(c.endswith(w) for w in unit_forms().regions)


@lru_cache(maxsize=1 << 16)
def is_unit_name(name: str, *, places: bool = False) -> bool:
    """Whether ``name`` is a unit's name (or a collective's); ``places``: a list in a role
    context, where a place (岳麓区, 高新区) is a unit too."""
    if not name:
        return False
    if is_collective(name):
        return len(name) <= 40
    if not _plain(name):
        return False
    if ending_kind(name) is not None:
        return True
    return places and is_region_unit(name)


# --- Leaders ----------------------------------------------------------------------

_POST = r"(?:常务)?副?(?:省长|市长|区长|县长|州长|旗长|镇长|乡长|主任|秘书长|书记|盟长)"
_ORG = r"(?:[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|州|委|政府))?"     # 广东省, 珠海市委 (before a post)
# A title alone, no name: 广东省副省长, 珠海市委书记.
POST_ONLY = re.compile(rf"^{_ORG}{_POST}$")
# A personal name with a post before or after it: 张三副市长, 副区长李四, 孟学农省长, 珠海市委书记吕玉印.
_LEADER = re.compile(
    rf"""^(?P<post1>{_ORG}{_POST})?              # a post (of a place) before the name
         (?P<name>[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){{1,3}}?)   # two to four characters, 王 健 too
         (?P<post2>{_POST})?                    # or a post after it
         (?:同志)?$
    """,
    re.VERBOSE,
)
# A post standing for whoever holds it: 分管副省长, 协管副秘书长, 省政府分管领导同志, 分管领导.
_ROLE_LEADER = re.compile(
    rf"""^(?:[省市区县]政府)?                    # 省政府 …
         (?:分管|协管|主管|联系|牵头)?           # in charge of
         (?:{_POST}|领导|副职|负责同志|负责人)    # the post
         (?:同志)?$
    """,
    re.VERBOSE,
)
_NOT_A_PERSON = re.compile(r"[局委厅办部处室所站院社馆队区县市省镇乡街会]$")


@dataclass(frozen=True)
class LeaderName:
    name: str                 # 王 健, 孟学农, 分管副省长
    post: Optional[str]       # 副市长 when written with the name
    start: int                # the name's range inside the text read
    end: int


@lru_cache(maxsize=1 << 14)
def leader_name(text: str) -> Optional[LeaderName]:
    """A leader's name (with its post) or a post standing for a leader, or None."""
    if not text or len(text) > 16 or _FORBIDDEN.search(text):
        return None
    if _ROLE_LEADER.match(text) and (text.startswith(("分管", "协管", "主管", "联系", "牵头"))
                                     or "政府" in text or text.endswith(("同志", "负责人"))):
        return LeaderName(text, None, 0, len(text))
    m = _LEADER.match(text)
    if m is None:
        return None
    post = m.group("post1") or m.group("post2")
    name = m.group("name")
    if _NOT_A_PERSON.search(name):
        return None
    if not post and (len(name.replace(" ", "")) > 3 or _NOT_A_PERSON.search(name) or not _has_surname(name)
                     or is_unit_name(name)):
        return None
    return LeaderName(name, post, m.start("name"), m.end("name"))


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames) of data/surnames.tsv: a line of single
    ones written together, or compound ones separated by spaces."""
    words = [w for row in data_table("surnames.tsv", ("surnames",)) for w in row["surnames"].split()]
    return frozenset(ch for w in words if len(w) > 2 for ch in w), frozenset(w for w in words if len(w) == 2)


def _has_surname(name: str) -> bool:
    single, compound = _surnames()
    return name[0] in single or name[:2] in compound


def is_leader_name(text: str) -> bool:
    return leader_name(text) is not None


# --- Places a department name may start with ----------------------------------------

def starts_with_place(name: str) -> bool:
    """Whether a name starts with a place (河南银保监局, 合肥海关, 郑州中心支行): such a name
    never inherits the shared 省/市/区 prefix of its list."""
    prefixes = place_prefixes()
    return any(name[:k] in prefixes for k in range(2, min(len(name), 8)))
