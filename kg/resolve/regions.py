"""The national region gazetteer and the detection of a document's region.

The gazetteer is the ``cpca`` package's ``resources/adcodes.csv`` (12-digit
admin codes of provinces, cities, districts and counties), corrected by
``data/regions-extra.tsv`` for later boundary changes. It is located through
``importlib`` and read with :mod:`csv` (``import cpca`` would pull in pandas),
lazily and once.

:func:`detect_region` says which region a document is about, from the title
(``济南市槐荫区第十九届人民代表大会``), the signature line (``槐荫区区长  刘敬涛``)
or, failing those, from how often the body names each region, weighted by what
the text says of itself (``我区``/``全区`` make it a district's document).
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from kg.errors import SourceError
from kg.resources import DataError
from kg.resources import table as data_table


PROVINCE, CITY, DISTRICT, COUNTY, COUNTY_CITY = (
    "province", "city", "district", "county", "county-city")
LEVELS = (PROVINCE, CITY, DISTRICT, COUNTY, COUNTY_CITY)
_RANK = {PROVINCE: 0, CITY: 1, DISTRICT: 2, COUNTY: 2, COUNTY_CITY: 2}

# Rows of adcodes.csv that are groupings, not regions.
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Region names that are also ordinary words: never counted in running text.
_GENERIC = {"城区", "郊区", "矿区", "东区", "西区", "新城区", "老城区", "市中心"}

# The level word of a post or a self-reference: 区长 → district, 我市 → city.
_LEVEL_CHAR = {"省": (PROVINCE,), "市": (CITY, COUNTY_CITY), "区": (DISTRICT,),
               "县": (COUNTY,), "州": (CITY,), "旗": (COUNTY,)}


@dataclass(frozen=True)
class Region:
    code: str                    # 6 digits: 370104
    name: str                    # full name: 槐荫区
    level: str                   # one of LEVELS
    parent: Optional[str] = None  # code of the enclosing region; None for a province

    @property
    def level_char(self) -> str:
        """The one-character level word a unit name starts with: 区, 县, 市, 省."""
        if self.level == PROVINCE:
            return "市" if self.name.endswith("市") else "省"
        return {CITY: "市", COUNTY_CITY: "市", DISTRICT: "区"}.get(self.level, "县")


RegionRef = Union[Region, str, None]


# --------------------------------------------------------------------------- loading

def _cpca_csv() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise SourceError("cpca", "the cpca package is not installed: pip install cpca")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


def _level_of(code: str, name: str) -> str:
    if code[2:] == "0000":
        return PROVINCE
    if code[4:] == "00":
        return CITY
    if name.endswith("市"):
        return COUNTY_CITY
    if name.endswith("区") and not name.endswith("林区"):
        return DISTRICT
    return COUNTY


def _short_name(region: Region) -> Optional[str]:
    """槐荫区 → 槐荫, 济南市 → 济南, 山东省 → 山东, 广西壮族自治区 → 广西; None if too short."""
    name = region.name
    if "自治" in name:
        if region.level != PROVINCE:
            return None          # 恩施土家族苗族自治州: no safe short form
        return name[:3] if name.startswith("内蒙古") else name[:2]
    for suffix in ("特别行政区", "地区", "林区", "省", "市", "区", "县", "旗", "盟", "州"):
        if name.endswith(suffix):
            short = name[: -len(suffix)]
            return short if len(short) >= 2 else None
    return None


class _Gazetteer:
    def __init__(self, rows: Iterable[tuple[str, str, str]], extra: list[tuple[str, str, str, str]]):
        raw: dict[str, tuple[str, str]] = {}
        for code, name, level in rows:
            raw[code] = (name, level)
        for code, name, level, _parent in extra:
            if level == "retired":
                raw.pop(code, None)
            else:
                raw[code] = (name, level)
        parents = {code: p for code, _n, _l, p in extra if p}
        self.by_code: dict[str, Region] = {}
        for code, (name, level) in sorted(raw.items()):
            parent = None
            if level != PROVINCE:
                parent = parents.get(code)
                if parent not in raw:
                    city = code[:4] + "00"
                    parent = city if city in raw and city != code else code[:2] + "0000"
            self.by_code[code] = Region(code, name, level, parent)
        by_name: dict[str, list[Region]] = {}
        by_short: dict[str, list[Region]] = {}
        children: dict[str, list[Region]] = {}
        for r in self.by_code.values():
            by_name.setdefault(r.name, []).append(r)
            short = _short_name(r)
            if short:
                by_short.setdefault(short, []).append(r)
            if r.parent:
                children.setdefault(r.parent, []).append(r)
        self.by_name = {k: tuple(v) for k, v in by_name.items()}
        self.by_short = {k: tuple(v) for k, v in by_short.items()}
        self.children = {k: tuple(v) for k, v in children.items()}
        # Names usable in running text: 3 chars or more and not ordinary words.
        self.text_names = _Names((n, rs) for n, rs in self.by_name.items()
                                 if len(n) >= 3 and n not in _GENERIC)
        # Names counted in a body: full names, and short names of provinces and cities
        # (济南, 山东); short district names only count once the city is known.
        self.mention_names = {n: tuple(r for r in rs if r.level in (PROVINCE, CITY))
                              for n, rs in self.by_short.items()}
        self.mention_names = {n: rs for n, rs in self.mention_names.items() if rs}
        self.mention_names.update(self.text_names)
        self.mention_names = _Names(self.mention_names)
        # Names a unit name may start with (沛县财政局): any but the ordinary words.
        self.prefix_names = _Names((n, rs) for n, rs in self.by_name.items() if n not in _GENERIC)
        # Names a signature line's place is made of (槐荫区区长, 济南市市长).
        self.signature_names = _Names({**self.by_short, **self.by_name})


def _read_extra() -> list[tuple[str, str, str, str]]:
    """The corrections of data/regions-extra.tsv (and a user's): (code, name, level, parent)."""
    out = []
    for row in data_table("regions-extra.tsv", ("code", "name", "level", "parent", "note"), optional=1):
        if not re.fullmatch(r"\d{6}", row["code"]) or row["level"] not in LEVELS + ("retired",):
            raise DataError(row.path, row.line, f"expected code<TAB>name<TAB>level<TAB>parent with a six-digit "
                                                f"code and a level of {', '.join(LEVELS + ('retired',))}")
        out.append((row["code"], row["name"], row["level"], row["parent"]))
    return out


@lru_cache(maxsize=1)
def _gaz() -> _Gazetteer:
    path = _cpca_csv()
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = [(r["adcode"][:6], r["name"].strip(), _level_of(r["adcode"][:6], r["name"]))
                    for r in csv.DictReader(f)
                    if r["name"].strip() not in _PLACEHOLDERS]
    except (OSError, KeyError) as e:
        raise SourceError(path, f"cannot read the cpca region table: {e}") from e
    return _Gazetteer(rows, _read_extra())


# --------------------------------------------------------------------------- lookups

def all_regions() -> tuple[Region, ...]:
    return tuple(_gaz().by_code.values())


@lru_cache(maxsize=1)
def place_prefixes() -> frozenset[str]:
    """Every region's name and short name (河南省, 河南, 合肥, 岳麓): what a name that starts
    with a place starts with."""
    g = _gaz()
    return frozenset(n for n in (*g.by_name, *g.by_short) if len(n) >= 2 and n not in _GENERIC)


def region_by_code(code: str) -> Optional[Region]:
    """The region of a 6-digit (or 12-digit) admin code, or None."""
    return _gaz().by_code.get(str(code)[:6])


def _as_region(ref: RegionRef) -> Optional[Region]:
    if ref is None or isinstance(ref, Region):
        return ref
    if ref.isdigit():
        return region_by_code(ref)
    return region_by_name(ref)


def ancestors(code: str) -> tuple[Region, ...]:
    """The enclosing regions of ``code``, nearest first: 槐荫区 → (济南市, 山东省)."""
    out: list[Region] = []
    region = region_by_code(code)
    while region is not None and region.parent:
        region = region_by_code(region.parent)
        if region is None:
            break
        out.append(region)
    return tuple(out)


def is_within(region: Region, outer: Region) -> bool:
    return region.code == outer.code or any(a.code == outer.code for a in ancestors(region.code))


def _pick(candidates: tuple[Region, ...], within: Optional[Region]) -> Optional[Region]:
    """One of same-named regions: the one inside (or around) ``within``, else the highest level
    and lowest code."""
    if not candidates:
        return None
    if within is not None:
        inside = [r for r in candidates if is_within(r, within) or is_within(within, r)]
        if inside:
            candidates = tuple(inside)
    return min(candidates, key=lambda r: (_RANK[r.level], r.code))


def regions_named(name: str, *, short: bool = False) -> tuple[Region, ...]:
    """Every region whose full name (and, with ``short``, short name: 槐荫) is ``name``."""
    g = _gaz()
    found = g.by_name.get(name, ())
    if short:
        found = found + tuple(r for r in g.by_short.get(name, ()) if r not in found)
    return found


def region_by_name(name: str, *, within: RegionRef = None) -> Optional[Region]:
    """The region whose full name is ``name`` (槐荫区, 济南市); a name found in several
    provinces (市中区) resolves to the one inside ``within`` (a Region, code or name)."""
    return _pick(_gaz().by_name.get("".join(name.split()), ()), _as_region(within))


def children(code: str) -> tuple[Region, ...]:
    return _gaz().children.get(code, ())


# --------------------------------------------------------------------------- scanning

class _Names(dict):
    """A name → regions table that knows its name lengths and first characters (for _scan)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lengths = sorted({len(n) for n in self}, reverse=True)
        self.firsts = frozenset(n[0] for n in self)


def _scan(text: str, table: dict[str, tuple[Region, ...]]) -> Iterator[tuple[int, int, str]]:
    """Leftmost-longest occurrences of the names of ``table`` in ``text``."""
    if isinstance(table, _Names):
        lengths, firsts = table.lengths, table.firsts
    else:
        lengths = sorted({len(n) for n in table}, reverse=True)
        firsts = {n[0] for n in table}
    i, n = 0, len(text)
    while i < n:
        if text[i] in firsts:
            for k in lengths:
                if i + k <= n and text[i:i + k] in table:
                    yield i, i + k, text[i:i + k]
                    i += k
                    break
            else:
                i += 1
        else:
            i += 1


def _chain(names: list[str]) -> tuple[Optional[Region], bool]:
    """The most specific region of consecutive names: [济南市, 历下区] → 历下区; and
    whether it is certain (False for 朝阳区 alone: Beijing's or Changchun's?)."""
    current: Optional[Region] = None
    sure = True
    for name in names:
        candidates = regions_named(name, short=True)
        found = _pick(candidates, current)
        if found is None:
            return None, False
        if current is None or is_within(found, current):
            sure = len(candidates) == 1 or current is not None
            current = found
    return current, sure


def split_prefix(name: str, *, within: RegionRef = None) -> tuple[Optional[Region], str]:
    """济南市历下区财政局 → (历下区, 财政局): the region names a name starts with, and the rest."""
    g = _gaz()
    region, pos, outer = None, 0, _as_region(within)
    while True:
        match = next(_scan(name[pos:pos + 20], g.prefix_names), None)
        if match is None or match[0] != 0:
            return region, name[pos:]
        found = _pick(g.prefix_names[match[2]], region or outer)
        if found is None or (region is not None and not is_within(found, region)):
            return region, name[pos:]
        region, pos = found, pos + match[1]


# --------------------------------------------------------------------------- detection

_BLANKS = re.compile(r"[\s#*>　]+")          # whitespace and Markdown marks in a header

_AFTER_TITLE_NAME = re.compile(
    r"""(?:第[一二三四五六七八九十百\d]+届)?     # 第十九届
        (?:人民代表大会|人大|人民政府|政府工作报告|政府)   # what a title names a region for
    """, re.VERBOSE)

_SIGNATURE = re.compile(
    r"""^(?P<place>[\u4e00-\u9fff]{2,20}?)   # 槐荫区 / 济南市
        (?P<post>省长|市长|区长|县长|州长|旗长)  # the head of government's post
        (?P<person>[\u4e00-\u9fff·]{2,5})$    # 刘敬涛
    """, re.VERBOSE)

_SELF = re.compile(
    r"""(?:我|全|本)(?P<level>省|市|区|县)     # 我区, 全市, 本县
        (?![长委级域内外])                      # not 全市长…, 全区域, 区内外
      | (?<![\u4e00-\u9fff])                  # or a unit of the document's own level, after
        (?P<unit_level>省|市|区|县)             # a bracket or a separator: （省发展改革委、省财政厅
        (?!场|级|域|内|外|长|属|区|县|委员)      # (not 市场监管局, 市级, 区县)
        (?=[\u4e00-\u9fff]{0,12}?(?:厅|委|局|办|政府|直))
    """, re.VERBOSE)

# A notice's issuer or signature line: 沁县人民政府办公室, 辽宁省人民政府, 芜湖市人民政府文件.
_ISSUER = re.compile(
    r"""^(?P<place>[\u4e00-\u9fff]{2,20}?)
        (?:人民政府|政府)(?:办公厅|办公室)?(?:文件)?$
    """, re.VERBOSE)

# A document number: 鲁政办字〔2015〕46号, 辽政发〔2023〕2号 (the abbreviation, the year).
DOC_NUMBER = re.compile(
    r"""(?P<abbr>[\u4e00-\u9fff])(?:[\u4e00-\u9fff]{0,4}?)(?:政|府|办)[\u4e00-\u9fff]{0,3}?
        \s*[〔\[【（(]\s*(?P<year>(?:19|20)\d\d)\s*[〕\]】）)]\s*第?\s*\d{1,4}\s*号
    """, re.VERBOSE)

_HEAD_CHARS = 400
_SIGNATURE_LINES = 40


def _header_region(head: str) -> tuple[Optional[Region], bool]:
    """The region a title names: 济南市槐荫区第十九届人民代表大会, 《济南市历下区政府工作报告》."""
    g = _gaz()
    matches = list(_scan(head, g.text_names))
    best: Optional[Region] = None
    best_sure = False
    i = 0
    while i < len(matches):
        j = i
        while j + 1 < len(matches) and matches[j + 1][0] == matches[j][1]:
            j += 1
        end = matches[j][1]
        if _AFTER_TITLE_NAME.match(head, end):
            found, sure = _chain([m[2] for m in matches[i:j + 1]])
            if found is not None and (best is None or _RANK[found.level] > _RANK[best.level]):
                best, best_sure = found, sure
        i = j + 1
    return best, best_sure


def _signature_region(text: str) -> tuple[Optional[Region], bool]:
    """The region of a signature line near the top: 槐荫区区长  刘敬涛, 济南市市长 于海田, or of
    a notice's issuer: 沁县人民政府办公室."""
    for line in text.splitlines()[:_SIGNATURE_LINES]:
        line = _BLANKS.sub("", line)
        issuer = _ISSUER.match(line)
        if issuer:
            names = [n for _s, _e, n in _scan(issuer.group("place"), _gaz().signature_names)]
            if names and "".join(names) == issuer.group("place") and _gaz().by_name.get(names[-1]):
                region, sure = _chain(names)
                if region is not None:
                    return region, sure
            continue
        m = _SIGNATURE.match(line)
        if not m:
            continue
        place, post = m.group("place"), m.group("post")
        names = [n for _s, _e, n in _scan(place, _gaz().signature_names)]
        if "".join(names) != place:
            continue
        region, sure = _chain(names)
        if region is not None and (region.level in _LEVEL_CHAR[post[0]]
                                   or region.level_char == post[0]):
            return region, sure
    return None, False


def _self_level(text: str) -> tuple[Optional[str], Counter]:
    """The level the text speaks from (区 for 我区/全区 …), and the counts behind it."""
    counts = Counter(m.group("level") or m.group("unit_level") for m in _SELF.finditer(text))
    if not counts:
        return None, counts
    (level, top), *rest = counts.most_common()
    if rest and rest[0][1] == top:
        return None, counts
    return level, counts


def _aggregate(mentions: Counter) -> Counter:
    """Mentions of a region plus those of everything inside it."""
    total: Counter = Counter()
    for code, n in mentions.items():
        total[code] += n
        for a in ancestors(code):
            total[a.code] += n
    return total


def _body_region(text: str) -> tuple[Optional[Region], float, str]:
    g = _gaz()
    mentions: Counter = Counter()
    for _s, _e, name in _scan(text, g.mention_names):
        candidates = g.mention_names[name]
        if len(candidates) == 1:            # 市中区 of four cities: not counted
            mentions[candidates[0].code] += 1
    total = _aggregate(mentions)
    provinces = [r for r in all_regions() if r.level == PROVINCE and total[r.code]]
    level, _counts = _self_level(text)
    if not provinces:
        abbreviated = _abbreviated_province(text)
        return (abbreviated, 0.5, "document number") if abbreviated else (None, 0.0, "none")
    province = max(provinces, key=lambda r: (total[r.code], -int(r.code)))
    cities = [r for r in children(province.code) if total[r.code]]
    city = max(cities, key=lambda r: (total[r.code], -int(r.code))) if cities else None
    if not any(r.level == CITY for r in children(province.code)):
        city = province                     # 北京市: a province-level city
    if city is None:
        return province, 0.5, "body"
    # Districts and counties of the city, by full or short name (槐荫区, 槐荫).
    local = {}
    for r in children(city.code):
        local[r.name] = (r,)
        short = _short_name(r)
        if short:
            local[short] = (r,)
    local_counts = Counter(local[n][0].code for _s, _e, n in _scan(text, local))
    ranked = local_counts.most_common()
    city_share = total[city.code] / max(1, total[province.code])
    if level == "省":
        return province, 0.6, "body"
    if level in ("区", "县"):
        wanted = _LEVEL_CHAR[level]
        ranked = [(c, n) for c, n in ranked if g.by_code[c].level in wanted] or ranked
    if ranked and level in ("区", "县", None):
        code, top = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        share = top / sum(n for _c, n in ranked)
        supported = level is not None or (top >= 2 and top >= 2 * second
                                          and top * 2 >= mentions[city.code])
        if supported and top > second:
            return g.by_code[code], round(0.55 + 0.35 * share, 2), "body"
    if level in ("区", "县"):
        return city, 0.4, "body (no district named)"
    return city, round(0.55 + 0.35 * city_share, 2), "body"


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Province abbreviations of data/region_abbreviations.tsv: 鲁 → 山东省."""
    out = {}
    for row in data_table("region_abbreviations.tsv", ("abbreviation", "region")):
        if len(row["abbreviation"]) != 1:
            raise DataError(row.path, row.line, f"expected a one-character abbreviation, got {row['abbreviation']!r}")
        out[row["abbreviation"]] = row["region"]
    return out


def _abbreviated_province(text: str) -> Optional[Region]:
    """The province a document number near the top abbreviates: 鲁政办字〔2015〕46号 → 山东省."""
    m = DOC_NUMBER.search(text, 0, 2000)
    if m is None:
        return None
    name = _abbreviations().get(m.group("abbr"))
    return region_by_name(name) if name else None


def detect_region(text: str) -> tuple[Optional[Region], float, str]:
    """Which region ``text`` is about: (region, confidence 0..1, how it was found).

    ``how`` is ``header``, ``signature``, ``header+signature``, ``body`` (possibly with a
    remark) or ``none``. The most specific level the text supports wins: a district's
    report names its city too.
    """
    head = _BLANKS.sub("", text[:_HEAD_CHARS * 2])[:_HEAD_CHARS]
    header, header_sure = _header_region(head)
    signature, signature_sure = _signature_region(text)
    found = [r for r in (header, signature) if r is not None]
    if found:
        best = max(found, key=lambda r: _RANK[r.level])
        agree = all(is_within(best, r) for r in found)
        how = "+".join(h for h, r in (("header", header), ("signature", signature)) if r)
        if len(found) == 2 and agree:
            return best, 0.99, how
        confidence = 0.95 if agree else 0.7
        if len(found) == 1 and not (header_sure or signature_sure):
            confidence = 0.6          # 朝阳区 alone: Beijing's or Changchun's?
        if best.level in (DISTRICT, COUNTY, COUNTY_CITY) or not agree:
            return best, confidence, how
        # A title naming only a city: the body may still speak for one of its districts.
        body, conf, _how = _body_region(text)
        if body is not None and body.code != best.code and is_within(body, best) \
                and _self_level(text)[0] in ("区", "县"):
            return body, max(conf, 0.8), how + "+body"
        return best, confidence, how
    return _body_region(text)
