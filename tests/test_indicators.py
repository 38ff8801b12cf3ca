"""Targets of known metrics are read with their value, unit, qualifier, stretch and direction,
and a progress cell gives the actual in the target's terms."""

import pytest

from kg.extract.indicators import indicators_in, period_in, with_actual
from kg.model import Document
from kg.sources.normalize import normalize


def doc(raw: str) -> Document:
    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw))


def read(raw: str, **kw):
    d = doc(raw)
    return d, indicators_in(d, 0, len(d.norm.text), **kw)


def fields(r):
    return (r.metric, r.kind, r.target, r.target_high, r.unit, r.qualifier, r.stretch, r.direction)


@pytest.mark.parametrize("raw, quote, expected", [
    ("地区生产总值增长5.7%，", "地区生产总值增长5.7%",
     ("地区生产总值", "growth", 5.7, None, "%", None, None, "up")),
    ("地区生产总值增长 5.5%左右；", "地区生产总值增长 5.5%左右",
     ("地区生产总值", "growth", 5.5, None, "%", "左右", None, "up")),
    ("1.地区生产总值增长 5.6%（力争超过 5.6%）。", "地区生产总值增长 5.6%（力争超过 5.6%）",
     ("地区生产总值", "growth", 5.6, None, "%", None, 5.6, "up")),
    ("一般公共预算收入增长 4%（力争实现 4.5%）。", "一般公共预算收入增长 4%（力争实现 4.5%）",
     ("一般公共预算收入", "growth", 4.0, None, "%", None, 4.5, "up")),
    ("规上工业增加值增长8%，", "规上工业增加值增长8%",
     ("规模以上工业增加值", "growth", 8.0, None, "%", None, None, "up")),
    ("实际使用外资4500万美元，", "实际使用外资4500万美元",
     ("实际使用外资", "count", 4500.0, None, "万美元", None, None, "up")),
    ("新增城镇就业1.95万人。", "新增城镇就业1.95万人",
     ("城镇新增就业", "count", 1.95, None, "万人", None, None, "up")),
    ("城镇新增就业 15 万人以上；", "城镇新增就业 15 万人以上",
     ("城镇新增就业", "count", 15.0, None, "万人", "以上", None, "up")),
    ("固定资产投资增长6.5%—7%。", "固定资产投资增长6.5%—7%",
     ("固定资产投资", "growth", 6.5, 7.0, "%", None, None, "up")),
    ("单位地区生产总值能耗下降3%。", "单位地区生产总值能耗下降3%",
     ("能耗强度", "growth", 3.0, None, "%", None, None, "down")),
    ("固定资产投资合理增长；", "固定资产投资合理增长",
     ("固定资产投资", "growth", None, None, None, None, None, "up")),
    ("居民消费价格保持合理水平；", "居民消费价格保持合理水平",
     ("居民消费价格", "growth", None, None, None, None, None, "up")),
    ("全面完成能耗强度降低任务。", "完成能耗强度降低任务",
     ("能耗强度", "growth", None, None, None, None, None, "down")),
    ("完成省下达的节能减排降碳约束性指标和环境质量改善目标。", "完成省下达的节能减排降碳约束性指标",
     ("节能减排降碳约束性指标", "growth", None, None, None, None, None, "up")),
    ("全社会研发经费投入占比达到 3%。", "全社会研发经费投入占比达到 3%",
     ("研发经费投入强度", "level", 3.0, None, "%", None, None, "up")),
    ("全区技术合同成交额突破120亿元，", "技术合同成交额突破120亿元",
     ("技术合同成交额", "count", 120.0, None, "亿元", "突破", None, "up")),
])
def test_one_target_phrase(raw, quote, expected):
    d, recs = read(raw)
    assert len(recs) == 1
    r = recs[0]
    assert fields(r) == expected
    assert d.text[r.span.start:r.span.end] == quote


def test_urban_and_rural_income_split_into_two_records_each_with_its_own_qualifier():
    raw = "6.城乡居民人均可支配收入分别增长 5.5%和 6%以上。"
    d, recs = read(raw, main=True)
    assert [(r.metric, r.target, r.qualifier, r.main) for r in recs] == [
        ("城镇居民人均可支配收入", 5.5, None, True),
        ("农村居民人均可支配收入", 6.0, "以上", True),
    ]
    assert {d.text[r.span.start:r.span.end] for r in recs} == {"城乡居民人均可支配收入分别增长 5.5%和 6%以上"}


@pytest.mark.parametrize("raw", [
    "力争民间投资占固定资产投资比重提高3个百分点左右。",     # a share of the metric, not its target
    "规模以上物流企业营业收入突破1000亿元。",               # not a known metric
    "稳妥推进能耗双控向碳排放双控转变。",                   # no metric name
    "固定资产投资1-9月份预计完成279.4亿元。",               # a bare number is not a target
])
def test_a_metric_name_without_its_target_phrase_is_not_a_target(raw):
    assert read(raw)[1] == ()


def test_the_main_targets_sentence_gives_every_metric_in_order():
    raw = ("主要预期目标是：地区生产总值增长5.7%，一般公共预算收入增长3%，规上工业增加值增长8%，固定资产投资增长5%，"
           "社会消费品零售总额增长3.5%，实际使用外资4500万美元，新增城镇就业1.95万人，全面完成能耗强度降低任务。")
    _, recs = read(raw, main=True)
    assert [r.metric for r in recs] == ["地区生产总值", "一般公共预算收入", "规模以上工业增加值", "固定资产投资",
                                       "社会消费品零售总额", "实际使用外资", "城镇新增就业", "能耗强度"]
    assert all(r.main for r in recs)


def actual_of(task: str, cell: str, year=2025):
    raw = task + "\n" + cell
    d = doc(raw)
    (rec,) = indicators_in(d, 0, len(task))
    s = d.norm.text.index(cell[:4])
    r = with_actual(d, rec, s, len(d.norm.text), period=period_in(cell, year))
    return d, r


@pytest.mark.parametrize("task, cell, actual, unit, quote", [
    ("地区生产总值增长5.7%。",
     "1-9月份，完成地区生产总值（GDP）665.4亿元，同比增长5.4%，增速较上半年回落0.3个百分点。",
     5.4, "%", "同比增长5.4%"),
    ("一般公共预算收入增长3%。",
     "1-9月份，全区一般公共预算收入累计完成432,066万元，同比增长0.87%。其中：税收收入同比增长5.13%。",
     0.87, "%", "同比增长0.87%"),
    ("规上工业增加值增长8%。", "预计1-9月份规上工业增加值增长13%左右。", 13.0, "%", "增长13%左右"),
    ("固定资产投资增长5%。", "1-9月份固定资产投资预计完成279.4亿元，增幅-3.5%。", -3.5, "%", "增幅-3.5%"),
    ("实际使用外资4500万美元。", "1-9月份，我区实际使用外资指标完成1779万美元，占全年4500万美元任务的39.53%。",
     1779.0, "万美元", "1779万美元"),
    ("新增城镇就业1.95万人。", "1-9月份，新增城镇就业21284人，任务完成率109.15%。", 2.1284, "万人", "21284人"),
])
def test_the_actual_is_the_growth_rate_or_the_amount_in_the_target_unit(task, cell, actual, unit, quote):
    d, r = actual_of(task, cell)
    assert (r.actual, r.actual_unit, r.period) == (actual, unit, "2025年1-9月")
    assert d.text[r.actual_span.start:r.actual_span.end] == quote


def test_no_actual_leaves_the_record_but_sets_the_period():
    d, r = actual_of("地区生产总值增长5.7%。", "1-9月份，经济运行总体平稳。")
    assert (r.target, r.actual, r.actual_span, r.period) == (5.7, None, None, "2025年1-9月")
