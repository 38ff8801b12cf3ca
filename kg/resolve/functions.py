"""Functional categories of units (data/functions.tsv): which units of different
regions do the same job. 长清区's 区工业信息化和科技局 and 历下区's 区工业和信息化局
both have 工业和信息化; a compound bureau has several categories."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from kg.resources import DataError
from kg.resources import table as data_table

KINDS = ("department", "party", "vertical", "group")

# Names whose words are place names, not functions: 大学城管委会 is not 城管,
# 济南中央商务区管委会 is not 商务, 文化东路街道 is not 文化.
_NOT_A_DEPARTMENT = re.compile(
    r"""(?:管委会|管理委员会|开发区|园区|商务区|新区          # committees and zones
         |集团|公司|银行|城投                               # companies
         |街道|街道办事处|街道办|镇|乡|镇人民政府|乡人民政府)$  # streets and towns
      | ^(?:各|相关|有关)                                  # collectives
    """, re.VERBOSE)

# Words a generic department name may end with after its functions: 区发改局, 市发展改革委.
_GENERIC_TAIL = re.compile(
    r"""(?:和|及|与|、)?                                   # a filler before the suffix
        (?:局|委员会|委|办公室|办|部|中心|大队|分局|会|社)$   # the unit-type word
    """, re.VERBOSE)
_FILLERS = "和及与、"


@dataclass(frozen=True)
class Category:
    name: str                    # 发展改革
    kind: str                    # one of KINDS
    keywords: tuple[str, ...]    # 发展改革, 发展和改革, 发改


@dataclass(frozen=True)
class _Table:
    categories: dict[str, Category]
    by_keyword: dict[str, tuple[str, ...]]   # keyword → categories, in file order
    pattern: re.Pattern                       # every keyword, longest first


@lru_cache(maxsize=1)
def _table() -> _Table:
    """The gazetteer of data/functions.tsv (and a user's), read once."""
    categories: dict[str, Category] = {}
    by_keyword: dict[str, list[str]] = {}
    for row in data_table("functions.tsv", ("category", "kind", "keywords")):
        name, kind = row["category"], row["kind"]
        if kind not in KINDS or not row["keywords"]:
            raise DataError(row.path, row.line, f"expected category<TAB>kind<TAB>kw|kw…, "
                                                f"kind one of {', '.join(KINDS)}; got kind {kind!r}")
        if name in categories:
            raise DataError(row.path, row.line, f"category {name} is listed twice")
        keywords = tuple(row.split("keywords"))
        categories[name] = Category(name, kind, keywords)
        for w in keywords:
            if name not in by_keyword.setdefault(w, []):
                by_keyword[w].append(name)
    ordered = sorted(by_keyword, key=lambda w: (-len(w), w))
    pattern = re.compile("|".join(re.escape(w) for w in ordered))
    return _Table(categories, {k: tuple(v) for k, v in by_keyword.items()}, pattern)


def categories() -> dict[str, Category]:
    """Every category of data/functions.tsv, in file order."""
    return dict(_table().categories)


def keyword_pattern() -> re.Pattern:
    """A regex matching any function keyword, longest first (for units.py)."""
    return _table().pattern


def _body(name: str) -> str:
    """The part of a unit name that names its job: 长清区发展改革局 → 发展改革局,
    区政府办公室 → 政府办公室 (the region and one level character dropped)."""
    from kg.resolve.regions import split_prefix

    name = "".join(name.split())
    _region, rest = split_prefix(name)
    if rest[:1] in ("省", "市", "区", "县"):
        rest = rest[1:]
    return rest


def _matches(body: str) -> list[re.Match]:
    """Leftmost-longest keyword matches (the alternation lists longer keywords first)."""
    return list(_table().pattern.finditer(body))


@lru_cache(maxsize=1 << 16)
def functions_of(name: str) -> tuple[str, ...]:
    """The categories of a unit, in the order its name gives them, without repeats:
    区工业信息化和科技局 → (工业和信息化, 科技); 区城管局 → (城市管理,); 大学城管委会 → ()."""
    clean = "".join(name.split())
    if _NOT_A_DEPARTMENT.search(clean):
        return ()
    out: list[str] = []
    table = _table()
    for m in _matches(_body(clean)):
        for category in table.by_keyword[m.group()]:
            if category not in out:
                out.append(category)
    return tuple(out)


def kind_of_category(category: str) -> Optional[str]:
    found = _table().categories.get(category)
    return found.kind if found else None


def _covered(core: str) -> bool:
    """Is ``core`` made of keywords and fillers only?"""
    matches = _matches(core)
    covered = {i for m in matches for i in range(m.start(), m.end())}
    return bool(matches) and all(i in covered or c in _FILLERS for i, c in enumerate(core))


def category_of_generic(name: str) -> Optional[str]:
    """The one category of a generic department name, one that says nothing but its job:
    区发展改革局, 区发改局, 市发展改革委 → 发展改革; None for 区工业信息化和科技局 (two jobs)
    or 区大数据发展中心 (more than a job)."""
    clean = "".join(name.split())
    if _NOT_A_DEPARTMENT.search(clean):
        return None
    body = _body(clean)
    if body.startswith("委") and not body.startswith("委办"):
        body = body[1:]                      # 区委组织部 → 组织部
    tail = _GENERIC_TAIL.search(body)
    cores = (body, body[: tail.start()]) if tail else (body,)
    if not any(_covered(core) for core in cores):
        return None
    found = functions_of(clean)
    return found[0] if len(found) == 1 else None
