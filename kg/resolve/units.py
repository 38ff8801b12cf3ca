"""Unit identity within one region: which names as written are the same unit.

Two spellings are the same unit when their :func:`canonical_key` is equal: the
key drops blanks, the region prefix, the fillers 和/及/与 and an inner 局
(区教育局体育局), and expands the abbreviations of data/aliases.tsv (区人社局 →
区人力资源社会保障局). :func:`resolve_units` groups every region's names by key
and repairs typos against the other units of the same region (区域管局 → 区城管局,
茵云湖街道 → 崮云湖街道), never between two units that both have a known function.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Mapping, Optional

from kg.resolve.functions import functions_of, keyword_pattern
from kg.resolve.regions import (
    Region, RegionRef, region_by_code, region_by_name, regions_named, split_prefix)
from kg.resources import DataError
from kg.resources import table as data_table


DEPARTMENT, STREET, COMMITTEE, COMPANY, PARTY, COLLECTIVE, OTHER = (
    "department", "street", "committee", "company", "party", "collective", "other")
UNIT_KINDS = (DEPARTMENT, STREET, COMMITTEE, COMPANY, PARTY, COLLECTIVE, OTHER)

# Tried in this order; the first that matches gives the kind.
_KIND_PATTERNS = (
    (COLLECTIVE, re.compile(
        r"""^(?:各|相关|有关|其他|其它)           # 各街镇, 相关部门, 有关单位
          | (?:部门|单位|各街镇|各街道)$        # …成员单位, 区直部门, 各产业主管部门
          | 等$                                # 区发展改革局等
        """, re.VERBOSE)),
    (STREET, re.compile(
        r"""(?:街道|街道办事处|街道办|镇|乡       # 东关街道办事处, 双泉镇
             |镇人民政府|乡人民政府)$           # a town's government
        """, re.VERBOSE)),
    (COMPANY, re.compile(
        r"""(?:集团|公司|银行|城投|控股)$        # 历下控股集团, 济清公司, 槐荫城投
        """, re.VERBOSE)),
    (COMMITTEE, re.compile(
        r"""管委会|管理委员会|管理办公室|管理办   # 大学城管委会, 区静态交通建设管理办公室
          | (?:开发区|商务区|园区|新区|示范区|功能区|片区|大学城)$   # a zone named as a unit
        """, re.VERBOSE)),
    (PARTY, re.compile(
        r"""^(?:省|市|区|县)委(?!员会)           # 区委组织部, 区委政法委 (not 区委员会…)
          | 组织部|宣传部|统战部|政法委|社会工作部  # Party departments named alone
          | 人民武装部|人武部|纪委|监委|编办|工委  # 区人民武装部, 区直机关工委
          | ^团(?:省|市|区|县)委$               # 团区委
        """, re.VERBOSE)),
    (DEPARTMENT, re.compile(
        r"""(?:局|委|委员会|办公室|办|中心       # 区发展改革局, 区政府办公室, …中心
             |大队|支队|分局|所|站|院|社|处|馆)$  # 区交警大队, 区供销社
        """, re.VERBOSE)),
)

# A city bureau's branch in the district: 市公安局长清区分局 ≡ 区公安分局.
_BRANCH = re.compile(
    r"""^[省市](?P<bureau>[^局]{2,12})局     # 市公安局 / 市生态环境局
        (?P<place>[\u4e00-\u9fff]{2,5}?)     # 长清区 / 长清
        分局$                                # its branch
    """, re.VERBOSE)

# 和/及/与 between two Chinese characters: 区工业和信息化局 ≡ 区工业信息化局.
_FILLER = re.compile(r"(?<=[\u4e00-\u9fff])[和及与](?=[\u4e00-\u9fff])")

# What a street's or a committee's name may end with beyond its identity.
_STREET_TAIL = re.compile(r"(?<=街道)办事处$|(?<=街道)办$|(?<=[镇乡])人民政府$")


@dataclass(frozen=True)
class UnitIdentity:
    canonical: str                      # the most frequent spelling: 区工业信息化和科技局
    aliases: tuple[str, ...]            # every spelling seen, canonical first
    functions: tuple[str, ...]          # functional categories: (工业和信息化, 科技)
    kind: str                           # one of UNIT_KINDS
    repaired_from: Optional[str] = None  # the typo this name was repaired from (区域管局)
    collective: bool = False            # 各街镇, 相关部门: stands for several units


# --------------------------------------------------------------------------- aliases

@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """variant → expansion, from data/aliases.tsv (and a user's), read once."""
    table: dict[str, str] = {}
    for row in data_table("aliases.tsv", ("variant", "expansion")):
        if not row["variant"] or not row["expansion"]:
            raise DataError(row.path, row.line, "expected variant<TAB>expansion, both written")
        table[row["variant"]] = row["expansion"]
    return table


@lru_cache(maxsize=1)
def _alias_pattern() -> re.Pattern:
    ordered = sorted(aliases(), key=lambda v: (-len(v), v))
    return re.compile("|".join(re.escape(v) for v in ordered))


def _expand(key: str) -> str:
    """Expand the abbreviations of ``key`` in one pass; a variant that sits inside its own
    expansion already written out (审批服务局 in 行政审批服务局) is left alone."""
    table = aliases()

    def repl(m: re.Match) -> str:
        variant, expansion = m.group(), table[m.group()]
        at = expansion.find(variant)
        while at >= 0:
            if key[m.start() - at: m.start() - at + len(expansion)] == expansion:
                return variant
            at = expansion.find(variant, at + 1)
        return expansion

    return _alias_pattern().sub(repl, key)


@lru_cache(maxsize=1)
def streets() -> dict[str, frozenset[str]]:
    """Region code → the keys of its known streets and towns (data/streets.tsv)."""
    table: dict[str, frozenset[str]] = {}
    for row in data_table("streets.tsv", ("code", "district", "streets")):
        if not re.fullmatch(r"\d{6}", row["code"]):
            raise DataError(row.path, row.line, f"expected code<TAB>district<TAB>street|street… with a "
                                                f"six-digit code, got {row['code']!r}")
        table[row["code"]] = frozenset(_STREET_TAIL.sub("", w) for w in row.split("streets"))
    return table


def _known_streets(region: str) -> Optional[frozenset[str]]:
    """The known street keys of a region given by code (370113, region:370113) or name."""
    ref = region.split(":")[-1].strip()
    found = region_by_code(ref) if ref.isdigit() else region_by_name(ref)
    return streets().get(found.code) if found else None


@lru_cache(maxsize=1)
def _inner_ju() -> re.Pattern:
    """An inner 局 followed only by function words and a final 局: 区教育局体育局."""
    return re.compile(r"局(?=(?:%s)+局$)" % keyword_pattern().pattern)


# --------------------------------------------------------------------------- names

def _clean(name: str) -> str:
    return "".join(name.split())


def unit_kind(name: str) -> str:
    """department | street | committee | company | party | collective | other."""
    clean = _clean(name)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(clean):
            return kind
    return OTHER


def split_region_prefix(name: str, *, within: RegionRef = None) -> tuple[Optional[Region], str]:
    """长清区发展改革局 → (长清区, 区发展改革局); 济南市历下区财政局 → (历下区, 区财政局);
    区发展改革局 → (None, 区发展改革局). A street keeps its own name: 长清区崮云湖街道 →
    (长清区, 崮云湖街道)."""
    clean = _clean(name)
    region, rest = split_prefix(clean, within=within)
    if region is None or not rest:
        return None, clean
    if unit_kind(rest) in (STREET, COMPANY, COMMITTEE) or rest[0] in "省市区县":
        return region, rest
    return region, region.level_char + rest


@lru_cache(maxsize=1 << 16)
def canonical_key(name: str) -> str:
    """The comparison key of a unit name: equal keys are the same unit of one region.

    区工业和信息化和科技局, 区工业信息化和科技局 → 区工业信息化科技局; 区人社局 and
    区人力资源和社会保障局 → 区人力资源社会保障局; 东关街道办事处 → 东关街道.
    """
    _region, key = split_region_prefix(name)
    kind = unit_kind(key)
    if kind == STREET:
        return _STREET_TAIL.sub("", key)
    if kind == COMMITTEE:
        return key.replace("管理委员会", "管委会")
    if kind not in (DEPARTMENT, PARTY, OTHER):
        return key
    branch = _BRANCH.match(key)
    if branch:
        places = regions_named(branch.group("place"), short=True)
        if places:
            key = places[0].level_char + branch.group("bureau") + "分局"
    key = _expand(_FILLER.sub("", key))
    return _inner_ju().sub("", key)


# --------------------------------------------------------------------------- resolution

def _hamming1(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


@dataclass
class _Group:
    key: str
    spellings: Counter          # clean spelling → count
    kind: str

    @property
    def count(self) -> int:
        return sum(self.spellings.values())

    @property
    def canonical(self) -> str:
        return min(self.spellings, key=lambda s: (-self.spellings[s], -len(s), s))

    @cached_property
    def functions(self) -> tuple[str, ...]:
        return () if self.kind == COLLECTIVE else functions_of(self.canonical)


def _repair_target(typo: _Group, groups: list[_Group],
                   known: Optional[frozenset[str]]) -> Optional[_Group]:
    """The unit a doubtful name is a typo of: same kind, more frequent, known function
    (or a street), one character away. None when there is none or more than one.

    A street is doubtful when seen once; with a street list for the region (``known``),
    only an unknown street is doubtful and only a known one is a target."""
    if typo.kind == STREET:
        doubtful = typo.key not in known if known else typo.count == 1
    else:
        doubtful = typo.kind not in (COLLECTIVE, COMPANY) and not typo.functions
    if not doubtful:
        return None

    def target(g: _Group) -> bool:
        if g.kind == STREET:
            return g.key in known if known else g.count > typo.count
        return bool(g.functions) and g.count > typo.count

    found = [g for g in groups
             if g is not typo and g.kind == typo.kind and target(g)
             and any(_hamming1(a, b) for a in typo.spellings for b in g.spellings)]
    if not found:
        return None
    found.sort(key=lambda g: -g.count)
    if len(found) > 1 and found[1].count == found[0].count:
        return None
    return found[0]


def _resolve_region(names: Mapping[str, int],
                    known: Optional[frozenset[str]] = None) -> dict[str, UnitIdentity]:
    groups: dict[str, _Group] = {}
    key_of: dict[str, str] = {}
    for written, count in names.items():
        clean = _clean(written)
        key = canonical_key(clean)
        key_of[written] = key
        group = groups.setdefault(key, _Group(key, Counter(), unit_kind(clean)))
        group.spellings[clean] += count
    ordered = sorted(groups.values(), key=lambda g: (g.count, g.key))
    target: dict[str, _Group] = {}
    for g in ordered:
        found = _repair_target(g, ordered, known)
        if found is not None:
            target[g.key] = found
    members: dict[str, list[_Group]] = {}
    for g in ordered:
        members.setdefault(target.get(g.key, g).key, []).append(g)
    out: dict[str, UnitIdentity] = {}
    for written, key in key_of.items():
        group = groups[key]
        home = target.get(key, group)     # a target is never itself repaired
        seen: Counter = Counter()
        for member in members.get(home.key, [home]):
            seen.update(member.spellings)
        canonical = home.canonical
        rest = sorted((s for s in seen if s != canonical), key=lambda s: (-seen[s], s))
        out[written] = UnitIdentity(
            canonical=canonical,
            aliases=(canonical, *rest),
            functions=home.functions,
            kind=home.kind,
            repaired_from=_clean(written) if home is not group else None,
            collective=home.kind == COLLECTIVE,
        )
    return out


def resolve_units(names: Mapping[str, Mapping[str, int]]) -> dict[tuple[str, str], UnitIdentity]:
    """For every region → {name as written: count}, the identity of each name:
    ``{(region, name as written): UnitIdentity}``. Regions are resolved separately; a
    region (its name, or its code) listed in data/streets.tsv has its streets checked
    against that list."""
    out: dict[tuple[str, str], UnitIdentity] = {}
    for region, counts in names.items():
        for written, identity in _resolve_region(counts, _known_streets(region)).items():
            out[(region, written)] = identity
    return out
