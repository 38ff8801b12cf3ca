"""Indicators: targets stated for known metrics, and the actuals a progress report gives.

The metrics are data (data/metrics.tsv: canonical name, aliases, default kind,
unit, split). A target is a metric name immediately followed by a target phrase
(``增长5.7%``, ``增长5.5%左右``, ``4500万美元``, ``15万人以上``, ``6.5%—7%``,
``下降3%``, ``分别增长5.5%和6%以上``, ``（力争实现4.5%）``) or by a phrase without a
number (``合理增长``, ``保持合理水平``, ``降低任务``), or preceded by ``完成…``
(``完成省下达的节能减排降碳约束性指标``). A metric name followed by anything else
(``固定资产投资比重``) is not a target.

Kinds: ``growth`` a rate of change in %, ``count`` an absolute amount in any unit
(万美元, 万人, 亿元), ``level`` a share that is not a change (占比达到3%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from kg.extract.base import DocMemo
from kg.model import Document, IndicatorRecord
from kg.resources import DataError
from kg.resources import table as data_table

GROWTH, COUNT, LEVEL = "growth", "count", "level"
_KINDS = (GROWTH, COUNT, LEVEL)


@dataclass(frozen=True)
class Metric:
    name: str                       # canonical: 规模以上工业增加值
    aliases: tuple[str, ...]        # 规上工业增加值
    kind: str                       # default kind when the phrase has no number
    unit: Optional[str]             # usual unit (informative)
    split: tuple[str, ...] = ()     # 城乡… 分别 A和B → (城镇…, 农村…)


@lru_cache(maxsize=1)
def metric_table() -> dict[str, Metric]:
    """Every spelling (name or alias) of data/metrics.tsv → its metric, read once."""
    table: dict[str, Metric] = {}
    for row in data_table("metrics.tsv", ("metric", "aliases", "kind", "unit", "split"), optional=2):
        if not row["metric"] or row["kind"] not in _KINDS:
            raise DataError(row.path, row.line, f"expected metric<TAB>aliases<TAB>kind[<TAB>unit<TAB>split], "
                                                f"kind one of {', '.join(_KINDS)}; got {row['kind']!r}")
        m = Metric(row["metric"], tuple(row.split("aliases")), row["kind"], row["unit"] or None,
                   tuple(row.split("split")))
        for spelling in (m.name, *m.aliases):
            table[spelling] = m
    return table


@lru_cache(maxsize=1)
def _metric_re() -> re.Pattern:
    names = sorted(metric_table(), key=len, reverse=True)     # longest spelling first
    return re.compile("|".join(map(re.escape, names)))


# Units a number may carry; longest first so that 万美元 wins over 美元.
_UNITS = ("个百分点", "万平方米", "万人次", "亿美元", "万美元", "万千瓦", "平方米", "万人", "亿元", "万元",
          "万亩", "公里", "美元", "千瓦", "%", "人", "元", "个", "家", "项", "件", "所", "处", "场", "户",
          "套", "辆", "吨", "亩")
_UNIT = "|".join(map(re.escape, _UNITS))
_NUM = r"-?\d+(?:\.\d+)?"

# A target phrase right after the metric name.
_TARGET = re.compile(
    rf"""(?:力争)?                                     # a stretch word before the verb
        (?P<verb>分别增长|分别下降|分别提高|增长|增速|增幅|提高|提升|增加     # a change verb
         |下降|降低|减少                              # or a decrease
         |达到|完成|突破|实现|超过|保持在|为|达)?      # or a level verb; none: 4500万美元
        (?P<pre>力争|不少于|不低于|不超过|超过|突破|达到)?  # a qualifier before the number
        (?P<num>{_NUM})                               # the target
        (?P<unit>{_UNIT})?                            # its unit
        (?:[—\-～至到](?P<high>\d+(?:\.\d+)?)          # a range: 6.5%—7%
           (?:{_UNIT})?)?                             # the upper end's unit
        (?P<post>左右|以上|以内|以下)?                  # a qualifier after the number
    """,
    re.VERBOSE,
)

# The second value of 分别增长5.5%和6%以上.
_SECOND = re.compile(
    rf"""[和、及]                                     # and
        (?P<num>{_NUM})                               # the second target
        (?P<unit>{_UNIT})?                            # its unit (else the first's)
        (?P<post>左右|以上|以内|以下)?                  # its own qualifier
    """,
    re.VERBOSE,
)

# A stretch target in brackets after the target: （力争超过5.6%） （力争实现4.5%）.
_STRETCH = re.compile(
    rf"""（力争(?:超过|实现|达到|突破)?               # strive to exceed / reach
        (?P<num>{_NUM})(?:{_UNIT})?                   # the stretch value
        (?:左右|以上)?）                              # a qualifier, the closing bracket
    """,
    re.VERBOSE,
)

# A target without a number right after the metric name.
_QUALITATIVE = re.compile(
    r"""(?:合理增长|稳定增长|稳步增长|持续增长|保持增长       # grows (reasonably, steadily)
         |(?:增长)?与经济增长(?:基本)?同步              # keeps pace with the economy
         |保持合理水平|保持在合理区间|保持稳定|基本稳定    # stays reasonable
         |(?P<down>下降|降低)(?:任务|目标)?)                # decreases (no figure)
    """,
    re.VERBOSE,
)

# 完成… before the metric name: the target is whatever the higher level set.
_COMPLETE_BEFORE = re.compile(
    r"""完成                                        # complete
        (?:省|市|区|县|国家|上级)?(?:下达的?)?         # (the province's / what was handed down)
        $                                           # right before the metric name
    """,
    re.VERBOSE,
)

_DOWN_VERBS = ("下降", "降低", "减少", "分别下降")
_EXCEED_VERBS = ("突破", "超过")          # 突破120亿元: the verb is the qualifier
_LEVEL_VERBS = ("达到", "完成", "突破", "实现", "超过", "保持在", "为", "达")


def _kind(verb: Optional[str], unit: Optional[str], default: str) -> str:
    if unit is None:
        return default
    if unit in ("%", "个百分点"):
        return LEVEL if verb in _LEVEL_VERBS else GROWTH
    return COUNT


def _f(s: Optional[str]) -> Optional[float]:
    return float(s) if s is not None else None


_SPELLING = DocMemo()


def spelled(doc: Document, name: str) -> str:
    """A name derived by govkg (城镇居民… of 城乡居民…分别) in the document's own characters:
    each character as the document writes it elsewhere (鎮 for 镇 in a traditional text)."""
    table = _SPELLING.get(doc, ("spelling",), lambda: _spelling_table(doc))
    return "".join(table.get(ch, ch) for ch in name)


def _spelling_table(doc: Document) -> dict[str, str]:
    offs, raw, norm = doc.norm.offsets, doc.text, doc.norm.text
    table: dict[str, str] = {}
    for i, ch in enumerate(norm):
        if "\u4e00" <= ch <= "\u9fff" and offs[i] < len(raw) and raw[offs[i]] != ch:
            table.setdefault(ch, raw[offs[i]])
    return table


def indicators_in(doc: Document, start: int, end: int, *, main: bool = False) -> tuple[IndicatorRecord, ...]:
    """Targets stated in ``doc.norm.text[start:end]`` (normalized offsets)."""
    out: list[IndicatorRecord] = []
    pos = start
    while (m := _metric_re().search(doc.norm.text, pos, end)) is not None:
        recs, stop = _read_target(doc, m, end, main)
        out.extend(recs)
        pos = max(m.end(), stop)
    return tuple(out)


def _kind_of(name: str) -> str:
    return metric_table()[name].kind


def _read_target(doc: Document, m: re.Match, end: int, main: bool) -> tuple[list[IndicatorRecord], int]:
    """The records of the metric name ``m`` and where its target phrase ends (0: none)."""
    text = doc.norm.text
    metric = metric_table()[m.group()]
    ms, me = m.span()
    before = _COMPLETE_BEFORE.search(text, max(0, ms - 8), ms)
    span_start = before.start() if before else ms
    common = dict(metric_as_written=doc.written(ms, me), main=main)
    t = _TARGET.match(text, me, end)
    if t is not None and t.group("verb") is None and t.group("unit") is None:
        t = None                                  # a bare number (固定资产投资1-9月…) is no target
    if t is not None:
        verb = t.group("verb")
        down = verb in _DOWN_VERBS
        qual = t.group("pre") or t.group("post") or (verb if verb in _EXCEED_VERBS else None)
        values = [(t.group("num"), t.group("unit"), qual, t.group("high"))]
        stop = t.end()
        s2 = _SECOND.match(text, stop, end) if verb and verb.startswith("分别") else None
        if s2 is not None and len(metric.split) == 2:
            values.append((s2.group("num"), s2.group("unit") or t.group("unit"), s2.group("post"), None))
            stop = s2.end()
        split = len(values) > 1 or (verb is not None and verb.startswith("分别") and len(metric.split) == 2)
        names = metric.split if split else (metric.name,)
        st = _STRETCH.match(text, stop, end)
        stretch = _f(st.group("num")) if st else None
        stop = st.end() if st else stop
        span = doc.norm.span(doc.id, span_start, stop)
        recs = []
        if split and len(values) == 1:
            values = values * 2
        for name, (num, unit, qual, high) in zip(names, values):
            target = abs(float(num)) if down else float(num)
            if split:
                common = dict(common, metric_as_written=spelled(doc, name))
            recs.append(IndicatorRecord(
                metric=name, span=span, kind=_kind(verb, unit, _kind_of(name)), target=target,
                target_high=_f(high), unit=unit, qualifier=qual, stretch=stretch,
                direction="down" if down else "up", **common))
        return recs, stop
    q = _QUALITATIVE.match(text, me, end)
    if q is None and before is None:
        return [], 0
    stop = q.end() if q is not None else me
    down = q is not None and q.group("down") is not None
    span = doc.norm.span(doc.id, span_start, stop)
    # no figure: one record for the metric as named (城乡居民收入 keeps pace: not split in two)
    return [IndicatorRecord(metric=metric.name, span=span, kind=_kind_of(metric.name),
                            direction="down" if down else "up", **common)], stop


# --- Targets in a table cell -----------------------------------------------------

# A target written alone in a cell: 7左右, 8以上, 8.5, 与上年持平, 同口径增长5%.
_CELL_TARGET = re.compile(
    rf"""^(?:同口径|比上年|同比)?
        (?:(?P<verb>增长|增幅|增速|下降|降低|减少)(?:为|达到)?)?
        (?P<num>{_NUM})
        (?P<unit>{_UNIT})?
        (?:[—\-～至到](?P<high>\d+(?:\.\d+)?)(?:{_UNIT})?)?
        (?P<post>左右|以上|以内|以下)?$
    """,
    re.VERBOSE,
)
_FLAT = re.compile(r"^(?:与上年|同比)?持平$")
_CELL_NOTE = re.compile(r"（[^（）]*）$")
_GROWTH_UNIT = re.compile(r"增幅|增长|增速|%")


def table_target(doc: Document, metric_cell, value_cell, unit_cell=None) -> Optional[IndicatorRecord]:
    """The target an indicator table's row states: the metric's cell, the value's cell and the
    unit column's cell (增幅（%） makes 7左右 a growth of 7%; 与上年持平 is a growth of 0)."""
    text = doc.norm.text
    metric = text[metric_cell.start:metric_cell.end]
    value = _CELL_NOTE.sub("", "".join(text[value_cell.start:value_cell.end].split()))   # 增长5.5%（市下达指标）
    unit_text = "".join(text[unit_cell.start:unit_cell.end].split()) if unit_cell is not None else ""
    known = metric_table().get(metric)
    name = known.name if known else metric
    span = doc.norm.span(doc.id, metric_cell.start, value_cell.end)
    common = dict(metric_as_written=metric, span=span, main=True)
    if _FLAT.match(value):
        return IndicatorRecord(metric=name, kind=GROWTH, target=0.0, unit="%", qualifier="持平", **common)
    m = _CELL_TARGET.match(value)
    if m is None:
        return None
    growth = m.group("verb") is not None or _GROWTH_UNIT.search(unit_text) is not None
    unit = m.group("unit") or ("%" if growth else unit_text or None)
    down = m.group("verb") in _DOWN_VERBS
    return IndicatorRecord(metric=name, kind=GROWTH if growth else COUNT, target=abs(float(m.group("num"))),
                           target_high=_f(m.group("high")), unit=unit, qualifier=m.group("post"),
                           direction="down" if down else "up", **common)


# --- Actuals (progress reports) -------------------------------------------------

# A reported growth rate: 同比增长5.4%, 增幅-3.5%, 增长13%左右, 下降2%.
_GROWTH_ACTUAL = re.compile(
    rf"""(?:同比)?                                    # year on year
        (?P<verb>增长|增幅|增速|下降)(?:为|达到|达)?    # grew / the growth was / fell
        (?P<num>{_NUM})%                              # the rate
        (?:左右|以上)?                                # an estimate's qualifier
    """,
    re.VERBOSE,
)

# A reported amount: 1779万美元, 21284人, 432,066万元.
_AMOUNT = re.compile(
    rf"""(?<![\d.,])                                  # a whole number, not the tail of one
        (?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)   # with or without thousands commas
        (?P<unit>{_UNIT})                             # its unit
    """,
    re.VERBOSE,
)

# A period of months in a progress cell: 1-9月份, 1—9月.
_PERIOD = re.compile(
    r"""(?P<a>\d{1,2})[-—～至](?P<b>\d{1,2})月          # first and last month
    """,
    re.VERBOSE,
)

_MAGNITUDE = {"万": 1e4, "亿": 1e8}


def _family(unit: str) -> tuple[str, float]:
    """(base unit, factor): 万美元 → (美元, 1e4), 人 → (人, 1)."""
    if len(unit) > 1 and unit[0] in _MAGNITUDE:
        return unit[1:], _MAGNITUDE[unit[0]]
    return unit, 1.0


def period_in(text: str, year: Optional[int]) -> Optional[str]:
    """``2025年1-9月`` from the first month range in ``text`` and the year."""
    m = _PERIOD.search(text)
    if m is None or year is None:
        return None
    return f"{year}年{int(m.group('a'))}-{int(m.group('b'))}月"


def with_actual(doc: Document, rec: IndicatorRecord, start: int, end: int,
                *, period: Optional[str] = None) -> IndicatorRecord:
    """``rec`` with the actual read from ``doc.norm.text[start:end]`` (a progress cell).

    For a growth target the first growth rate of the cell (not a level, not a
    later rate of a sub-item); for an amount the first amount in the target's
    unit family, converted to the target's unit (21284人 → 2.1284 万人).
    """
    text = doc.norm.text
    found = None
    if rec.kind == GROWTH:
        m = _GROWTH_ACTUAL.search(text, start, end)
        if m is not None:
            value = float(m.group("num"))
            found = (-abs(value) if m.group("verb") == "下降" else value, "%", m.span())
    elif rec.unit:
        base, factor = _family(rec.unit)
        for m in _AMOUNT.finditer(text, start, end):
            b, f = _family(m.group("unit"))
            if b == base:
                value = float(m.group("num").replace(",", "")) * f / factor
                found = (round(value, 10), rec.unit, m.span())
                break
    if found is None:
        return replace(rec, period=period) if period else rec
    value, unit, (s, e) = found
    return replace(rec, actual=value, actual_unit=unit, actual_span=doc.norm.span(doc.id, s, e),
                   period=period or rec.period)
