"""Target statements of any metric, wherever a document states them.

:func:`kg.extract.indicators.indicators_in` reads the metrics govkg knows (data/metrics.tsv).
A government also states targets of metrics nobody listed: ``粮食产能稳定在1100亿斤以上``,
``城市建成区绿化覆盖率达到40%以上``, ``抓好600个省级重点产业项目``, ``7个乡镇卫生院完成搬迁``.
:func:`targets_in` reads those too, where the text is a target statement: a task that
says who is responsible, a main-target statement (主要预期目标是：…), an item under one.

A statement is a metric phrase and a value phrase:

* ``METRIC [VERB] [力争|不低于…] NUMBER [UNIT] [—NUMBER] [左右|以上|以内]``: the verb says
  the kind (增长 / 下降 / 提高 … a change; 达到 / 控制在 / 保持在 … a level), the metric is
  the phrase before it back to the clause start, lead words aside (确保, 力争, 实现, 其中 …);
* ``[VERB] NUMBER CLASSIFIER NOUN``: 600个省级重点产业项目, 30条生产线 (a count);
* ``A和B分别…x%和y%``, ``A、B均增长x%``, ``A和B稳定在x%``: one target each; a shared tail
  (``城镇和农村常住居民人均可支配收入分别达到45000元和21800元``) gives both its name;
* ``…年均增长11%，总量突破5500亿元``: 总量 is the metric of the clause before;
* ``…突破3600亿元、增长10%``: a verb after 、 states a second target of the same metric;
* ``与上年持平`` is a growth of 0, ``‰`` and ``个百分点`` are units, Chinese numerals count
  (三个产业园).

Last year's results are not this year's targets: a sentence about an earlier year
(2012年全年实现…, 预计全年完成…) is skipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Optional

from kg.extract.indicators import COUNT, GROWTH, LEVEL, indicators_in, metric_table, spelled
from kg.model import Document, IndicatorRecord
from kg.resources import DataError
from kg.resources import table as data_table

_CHANGE_VERBS = ("分别增长", "分别下降", "分别提高", "均增长", "均下降", "年均增长", "年均下降", "实际增长", "可比增长",
                 "比上年增长", "同比增长", "预期增长", "预计增长",
                 "增长", "增速", "增幅", "涨幅", "提高", "提升", "增加", "下降", "降低", "减少", "上涨")
_LEVEL_VERBS = ("分别控制在", "分别达到", "分别稳定在", "分别保持在", "分别提高到", "分别为", "均控制在", "均为",
                "继续保持在", "继续保持", "控制在", "稳定在", "保持在", "保持", "达到", "突破",
                "超过", "实现", "完成", "扩充至", "扩大到", "提高到", "提升至", "增加到", "增至", "达", "至", "为", "在")
_DOWN = ("下降", "降低", "减少", "分别下降", "均下降", "年均下降")
_VERBS = tuple(sorted(_CHANGE_VERBS + _LEVEL_VERBS, key=len, reverse=True))
_PRE = ("力争", "不少于", "不低于", "不超过", "超过", "突破", "达到")

# Units of measure, longest first; the classifiers among them make a count of what follows.
_UNITS = ("个百分点", "万平方米", "平方公里", "万人次", "万亿元", "亿美元", "万美元", "万千瓦", "平方米", "万人", "亿元", "万元",
          "亿斤", "万吨", "万亩", "公里", "美元", "千瓦", "%", "‰", "人次", "亿", "万", "人", "元", "吨", "亩", "斤")
_CLASSIFIERS = ("个", "家", "项", "条", "所", "座", "处", "台", "辆", "套", "场", "户", "名", "批", "栋", "张", "间",
                "类", "支", "部", "件", "种", "只", "头", "艘", "架", "公里", "千米", "米", "万户", "万家", "万个", "万套")
# Classifiers a Chinese numeral may count with (三个产业园, 五所学校); 一个, 一批 are no figures.
_CN_CLASSIFIERS = ("个", "家", "项", "条", "所", "座", "处", "批")
_UNIT_RE = "|".join(map(re.escape, sorted(_UNITS + _CLASSIFIERS, key=len, reverse=True)))
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

# A number and what follows it: its unit, a range, a qualifier.
_VALUE = re.compile(
    rf"""(?P<num>\d+(?:\.\d+)?|(?<![一二两三四五六七八九十百千])[二两三四五六七八九十百千][一二两三四五六七八九十百千]{{0,4}}
              (?=(?:{"|".join(_CN_CLASSIFIERS)})))
        (?P<unit>{_UNIT_RE})?
        (?:[—\-～至到](?P<high>\d+(?:\.\d+)?)(?P<high_unit>{_UNIT_RE})?)?
        (?P<post>左右|以上|以内|以下)?
    """,
    re.VERBOSE,
)
# A second value after the first: 分别增长5.5%和6%以上 / 分别控制在5.5%和4.5%以下.
_AND_VALUE = re.compile(rf"[和、及](?P<num>\d+(?:\.\d+)?)(?P<unit>{_UNIT_RE})?(?P<post>左右|以上|以内|以下)?")
_FLAT = re.compile(r"与上年持平|与去年持平|保持持平|零增长")
# A word that names the metric of the clause before (…增长11%，总量突破5500亿元).
_SAME_METRIC = ("总量", "总额", "规模", "总规模")

# Where a metric phrase starts: after a clause separator, a bracket, a quote or a line break.
_CLAUSE_START = re.compile(r"[，。；：！？、（）()“”\"《》\n【】〔〕●■◆▲★☆•·▪○◎□]")
_WORD_KINDS = ("lead", "stop", "allot", "stretch", "abstract", "cue", "past")


@lru_cache(maxsize=1)
def _words() -> dict[str, re.Pattern]:
    """The word lists of data/target_words.tsv as patterns, read once."""
    words: dict[str, list[str]] = {k: [] for k in _WORD_KINDS}
    for row in data_table("target_words.tsv", ("kind", "words")):
        if row["kind"] not in words:
            raise DataError(row.path, row.line, f"expected kind<TAB>words with kind one of "
                                                f"{', '.join(_WORD_KINDS)}; got kind {row['kind']!r}")
        words[row["kind"]] += row.split("words")
    alt = {k: "|".join(map(re.escape, sorted(ws, key=len, reverse=True))) for k, ws in words.items()}
    return {
        "lead": re.compile(f"(?:{alt['lead']})"),           # .match at a metric phrase's start
        "stop": re.compile(f"(?:{alt['stop']})"),           # .match where a counted noun may end
        "allot": re.compile(f"(?:{alt['allot']})$"),        # .search at a metric phrase's end
        "stretch": re.compile(f"^(?:{alt['stretch']})(?:达到|实现|增长|超过|突破)?$"),
        "abstract": re.compile(f"(?:{alt['abstract']})$"),  # .search at a counted noun's end
        "cue": re.compile(alt["cue"]),
        "past": re.compile(alt["past"]),
    }


def states_targets(text: str, start: int = 0, end: Optional[int] = None) -> bool:
    """Whether ``text[start:end]`` says it states targets (主要预期目标是：…, 提出的目标)."""
    return _words()["cue"].search(text, start, len(text) if end is None else end) is not None


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年")


def _cn_number(s: str) -> Optional[float]:
    """三 → 3, 十二 → 12, 二十 → 20, 一百五十 → 150; None when not a Chinese numeral."""
    if s.isdigit() or "." in s:
        return float(s)
    total, digit = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:
            return None
    return float(total + digit)


def _sentence_bounds(text: str, i: int, start: int, end: int) -> tuple[int, int]:
    a = max(text.rfind(c, start, i) for c in "。！？\n") + 1
    b = min((j for j in (text.find(c, i, end) for c in "。！？\n") if j != -1), default=end)
    return max(a, start), b


def _past(text: str, s: int, e: int, year: Optional[int], named: Optional[int] = None) -> bool:
    """A sentence that reports an earlier year's results (2012年全年实现…, 预计全年完成…).
    ``named``: the year the sentence names last before the figure: a figure is of that year
    (2019年实现…增长4%；2020年主要预期目标为…增长5%左右: the 4% is past, the 5% is not)."""
    sentence = text[s:e]
    if year is not None:
        if named is not None:
            if named < year:
                return True
        elif any(int(y) < year for y in _YEAR.findall(sentence)):
            return True
    return bool(_words()["past"].search(sentence)) and not re.search(r"目标|力争|计划|确保", sentence)


def targets_in(doc: Document, start: int, end: int, *, main: bool = False,
               open_vocab: bool = False) -> tuple[IndicatorRecord, ...]:
    """The targets ``doc.norm.text[start:end]`` states: of known metrics always, of any metric
    when ``open_vocab`` (a task that says who answers for it, a main-target statement)."""
    text = doc.norm.text
    year = doc.meta.year
    past_cache: dict[tuple[int, int, Optional[int]], bool] = {}

    def past(i: int) -> bool:
        s, e = _sentence_bounds(text, i, start, end)
        named = None
        for m in _YEAR.finditer(text, s, i):
            named = int(m.group(1))
        key = (s, e, named)
        if key not in past_cache:
            past_cache[key] = _past(text, s, e, year, named)
        return past_cache[key]

    known = tuple(r for r in indicators_in(doc, start, end, main=main) if not past(doc_range(doc, r)[0]))
    if not open_vocab:
        return known
    taken = [(doc_range(doc, r)) for r in known]
    ends = {b: (r.metric, a, a + len(r.metric_as_written)) for r, (a, b) in zip(known, taken)}
    out = list(known)
    by_end = {b: k for k, (_a, b) in enumerate(taken)}     # where each record ends → its index
    prev_metric: Optional[tuple[str, int, int]] = None
    for m in _VALUE.finditer(text, start, end):
        verb_at = _verb_before(text, m.start(), start)[1]
        if verb_at - 1 in ends:
            prev_metric = ends[verb_at - 1]
        ns = m.start()
        if any(a <= ns < b for a, b in taken) or not _is_target_number(text, m) or past(ns):
            continue
        recs, prev_metric, stretch = _read_value(doc, m, start, end, main, prev_metric, by_end)
        if stretch is not None:
            k, value = stretch
            out[k] = replace(out[k], stretch=value)
            taken.append((ns, m.end()))
        for r in recs:
            by_end[m.end()] = len(out)
            out.append(r)
        if recs:
            taken.append((ns, m.end()))
            ends[m.end()] = prev_metric
    flat = _FLAT.search(text, start, end)
    if flat is not None and not any(a <= flat.start() < b for a, b in taken):
        ms, me = _metric_before(text, flat.start(), start)
        if me > ms:
            name = _canonical(text[ms:me])
            out.append(IndicatorRecord(metric=name, metric_as_written=doc.written(ms, me),
                                       span=doc.norm.span(doc.id, ms, flat.end()), kind=GROWTH, target=0.0,
                                       unit="%", qualifier="持平", main=main,
                                       scope="region" if main or name in metric_table() else "task"))
    return tuple(sorted(out, key=lambda r: r.span.start))


def doc_range(doc: Document, r: IndicatorRecord) -> tuple[int, int]:
    """The normalized range of a record's span."""
    return doc.norm_range(r.span)


def _is_target_number(text: str, m: re.Match) -> bool:
    """A number that can be a target's: not a year, a date, an ordinal, a plan's name."""
    s, e = m.span("num")
    after = text[e:e + 1]
    before = text[s - 1:s] if s else ""
    if after in "年月日号届次期版" and not m.group("unit"):
        return False
    if before in "第“\"" or before.isdigit():
        return False
    if m.group("num").isdigit() and len(m.group("num")) == 4 and text[e:e + 1] == "年":
        return False
    return True


def _canonical(name: str) -> str:
    known = metric_table().get(name)
    return known.name if known else name


def _metric_before(text: str, i: int, start: int) -> tuple[int, int]:
    """The metric phrase that ends at ``i``: back to the clause start, lead words aside."""
    j = i
    while j > start and not _CLAUSE_START.match(text, j - 1):
        j -= 1
    s = j
    while True:
        m = _words()["lead"].match(text, s, i)
        if not m or m.end() >= i - 1:
            break
        s = m.end()
    return s, i


def _joined_start(text: str, ms: int, start: int) -> int:
    """Where a metric phrase starts that 分别/均 give one value each: back over A、 and A和."""
    while ms - 1 > start and text[ms - 1] == "、":
        s, _ = _metric_before(text, ms - 1, start)
        if ms - 1 - s < 3:
            break
        ms = s
    return ms


_PRE_BEFORE = re.compile("(?:" + "|".join(_PRE) + ")$")
_VERB_BEFORE = re.compile("(?:" + "|".join(_VERBS) + ")$")
_LONGEST = max(map(len, _VERBS + _PRE))


def _verb_before(text: str, i: int, start: int) -> tuple[Optional[str], int]:
    """The verb (and a 力争-like qualifier) right before index ``i``: (verb, where it starts)."""
    pre = None
    whole = _VERB_BEFORE.search(text, max(start, i - _LONGEST), i)
    m = _PRE_BEFORE.search(text, max(start, i - _LONGEST), i)
    if whole is not None and (m is None or whole.start() < m.start()):
        return whole.group(), whole.start()          # 分别达到 (not the 达到 of 力争达到)
    if m is not None:
        pre, i = m.group(), m.start()
    m = _VERB_BEFORE.search(text, max(start, i - _LONGEST), i)
    if m is not None:
        return m.group(), m.start()
    return (pre, i) if pre else (None, i)


def _kind(metric: str, verb: Optional[str], unit: Optional[str]) -> str:
    if unit in ("%", "‰", "个百分点"):
        if metric.endswith(("率", "比例", "比重", "占比", "覆盖率", "比率", "强度")) and verb not in _CHANGE_VERBS:
            return LEVEL
        if verb in _LEVEL_VERBS and not metric.endswith(("涨幅", "增幅", "增速", "增长")):
            return LEVEL
        return GROWTH
    return COUNT


def _split_metric(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """A metric phrase naming two metrics (A和B, A、B) as their ranges; one range otherwise."""
    parts, pos = [], s
    for m in re.finditer(r"和|、|及", text[s:e]):
        a, b = s + m.start(), s + m.end()
        parts.append((pos, a))
        pos = b
    parts.append((pos, e))
    if len(parts) > 1 and all(b - a >= 3 and text[b - 1] in "率值额入量数资口出费幅速重比" for a, b in parts):
        return parts
    return [(s, e)]


def _distributed(text: str, s: int, e: int) -> Optional[list[str]]:
    """Two metrics written with one shared tail: 城镇和农村常住居民人均可支配收入 is 城镇常住居民… and
    农村常住居民…, when the first word is as long as the second's modifier (2 to 4 characters)."""
    m = re.match(r"([\u4e00-\u9fff]{2,4})[和与及]", text[s:e])
    if m is None:
        return None
    first, rest = m.group(1), text[s + m.end():e]
    tail = rest[len(first):]
    if len(tail) < 3 or text[e - 1] not in "率值额入量数资口出费幅速重比":
        return None
    return [first + tail, rest]


def _read_value(doc: Document, m: re.Match, start: int, end: int, main: bool,
                prev: Optional[tuple[str, int, int]], by_end: Optional[dict[int, int]] = None
                ) -> tuple[list[IndicatorRecord], Optional[tuple[str, int, int]], Optional[tuple[int, float]]]:
    """The records of one value phrase ``m``, the metric it is of (for the next one), and, when it
    is the stretch of the target ending right before it (增长7%以上、力争达到8%), that target's
    index in ``by_end`` (record end → index) and the value."""
    text = doc.norm.text
    unit = m.group("unit") or m.group("high_unit")
    value = _cn_number(m.group("num"))
    if value is None:
        return [], prev, None
    verb, vs = _verb_before(text, m.start(), start)
    if unit in _CLASSIFIERS and unit not in _UNITS:
        return _count(doc, m, value, verb, vs, start, end, main), prev, None
    clause = _clause_start(text, vs, start)
    if by_end and clause - 1 in by_end and _words()["stretch"].match(text[clause:m.start()]):
        return [], prev, (by_end[clause - 1], value)   # 增长7%以上、力争达到8%: the target before's stretch
    ms, me = _metric_before(text, vs, start)
    if verb and verb.startswith(("分别", "均")):
        ms = _joined_start(text, ms, start)
    if me <= ms and verb and prev is not None and text[vs - 1:vs] in "、，":
        name, ms, me = prev                         # 突破3600亿元、增长10%: the same metric
    elif text[ms:me] in _SAME_METRIC and prev is not None and text[ms - 1:ms] in "、，,":
        ms, me = prev[1], prev[2]                   # 生产总值年均增长11%，总量突破5500亿元
    elif unit is not None and (me <= ms or _words()["allot"].search(text, ms, me)) and _noun_after(text, m.end(), end):
        return _count(doc, m, value, verb, vs, start, end, main), prev, None
    elif me <= ms or me - ms > 24:
        return [], prev, None
    metric_text = text[ms:me]
    if re.search(r"\d", metric_text) or (unit is None and not metric_text.endswith("指数")):
        return [], prev, None                        # a bare number is a target only of an index (103)
    values = [(value, unit, m.group("post"), m.group("high"))]
    stop = m.end()
    if verb and (verb.startswith("分别") or verb.startswith("均")):
        second = _AND_VALUE.match(text, stop, end)
        if second is not None:
            values.append((float(second.group("num")), second.group("unit") or unit, second.group("post"), None))
            stop = second.end()
    ranges = _split_metric(text, ms, me)
    known = metric_table().get(metric_text)
    shared = _distributed(text, ms, me) if len(ranges) == 1 and len(values) == 2 else None
    if len(ranges) == 1 and known is not None and known.split and verb and verb.startswith("分别"):
        names = [(n, ms, me, spelled(doc, n)) for n in known.split]
    elif shared is not None:
        names = [(_canonical(n), ms, me, n) for n in shared]
    else:
        names = [(_canonical(text[a:b]), a, b, doc.written(a, b)) for a, b in ranges]
    if len(values) == 1:
        values = values * len(names)
    recs = []
    for (name, a, b, written), (val, u, post, high) in zip(names, values):
        kind = LEVEL if u is None else _kind(name, verb, u)
        recs.append(IndicatorRecord(
            metric=name, metric_as_written=written, span=doc.norm.span(doc.id, ms, stop),
            kind=kind, target=val, target_high=float(high) if high else None, unit=u,
            qualifier=post, direction="down" if verb in _DOWN else "up", main=main,
            scope="region" if main or name in metric_table() else "task"))
    return recs, (names[0][0], ms, me), None


def _clause_start(text: str, i: int, start: int) -> int:
    j = i
    while j > start and not _CLAUSE_START.match(text, j - 1):
        j -= 1
    return j


def _noun_after(text: str, i: int, end: int) -> bool:
    """Whether a noun phrase follows an amount (1000亿元专项奖补资金), not a clause end or a verb."""
    return i < end and "\u4e00" <= text[i] <= "\u9fff" and not _words()["stop"].match(text, i) and text[i] not in "的等"


def _count(doc: Document, m: re.Match, value: float, verb: Optional[str], vs: int, start: int, end: int,
           main: bool) -> list[IndicatorRecord]:
    """``[VERB] NUMBER CLASSIFIER NOUN``: 抓好600个省级重点产业项目 (what follows is counted), or
    ``NOUN NUMBER CLASSIFIER``: 实施重点项目566个 (what precedes is)."""
    text = doc.norm.text
    unit = m.group("unit")
    ns = m.end()
    ne = ns
    while ne < end and ne - ns < 24 and text[ne] not in "，。；：！？\n（）" and not text[ne].isdigit():
        if _words()["stop"].match(text, ne):
            break
        ne += 1
    phrase = text[ns:ne]
    if "的" in phrase:
        ns = ns + phrase.rindex("的") + 1          # 20个具有支撑性、关键性、标志性的重点项目
    else:
        cut = text.find("、", ns, ne)
        ne = cut if cut != -1 else ne
    ne = min(ne, ns + 12)
    while ne > ns and text[ne - 1] in "等":
        ne -= 1
    if ne - ns >= 2:
        a, b = ns, ne
    elif m.group("num").isdigit():
        a, b = _metric_before(text, vs, start)
        if b - a < 2 or b - a > 16:
            return []
    else:
        return []                                   # 人才十条: a Chinese numeral counts what follows it
    name = text[a:b]
    if re.search(r"\d", name) or _words()["abstract"].search(name):
        return []                                   # 三个发展方向 is a description, not a target
    return [IndicatorRecord(metric=_canonical(name), metric_as_written=doc.written(a, b),
                            span=doc.norm.span(doc.id, min(a, vs), max(b, m.end())), kind=COUNT, target=value,
                            unit=unit, qualifier=m.group("post"), main=main,
                            scope="region" if main else "task")]
