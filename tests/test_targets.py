"""Targets of metrics nobody listed are read where the text states targets."""

import pytest

from kg.extract.targets import targets_in
from kg.model import Document
from kg.sources.normalize import normalize


def doc(raw: str, year=None) -> Document:
    from kg.model import DocMeta

    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw), meta=DocMeta(year=year))


def read(raw: str, year=None, **kw):
    d = doc(raw, year)
    return [(r.metric_as_written, r.kind, r.target, r.target_high, r.unit, r.direction, r.scope)
            for r in targets_in(d, 0, len(d.norm.text), open_vocab=True, **kw)]


@pytest.mark.parametrize("raw, want", [
    ("粮食产能稳定在1100亿斤以上", [("粮食产能", "count", 1100.0, None, "亿斤", "up", "task")]),
    ("城市建成区绿化覆盖率达到40%以上。", [("城市建成区绿化覆盖率", "level", 40.0, None, "%", "up", "task")]),
    ("城镇调查失业率5.5%以内", [("城镇调查失业率", "level", 5.5, None, "%", "up", "task")]),
    ("万元工业增加值取水量降低20%。", [("万元工业增加值取水量", "growth", 20.0, None, "%", "down", "task")]),
    ("常住人口城镇化率提高1.5个百分点以上", [("常住人口城镇化率", "growth", 1.5, None, "个百分点", "up", "task")]),
    ("人口自然增长率控制在3‰以内", [("人口自然增长率", "level", 3.0, None, "‰", "up", "task")]),
    ("经济增长7.5%—8%；", [("经济", "growth", 7.5, 8.0, "%", "up", "task")]),
    ("抓好600个省级重点产业项目，", [("省级重点产业项目", "count", 600.0, None, "个", "up", "task")]),
    ("推动潞讯精密电子30条生产线投产", [("生产线", "count", 30.0, None, "条", "up", "task")]),
    ("建设三个劳动密集型产业园。", [("劳动密集型产业园", "count", 3.0, None, "个", "up", "task")]),
    ("力争全年实施重点项目566个", [("重点项目", "count", 566.0, None, "个", "up", "task")]),
])
def test_one_target_of_any_metric(raw, want):
    assert read(raw) == want


def test_one_value_each_for_metrics_joined_by_and():
    assert [r[:3] for r in read("城镇调查失业率和登记失业率分别控制在5.5%和4.5%以下")] == [
        ("城镇调查失业率", "level", 5.5), ("登记失业率", "level", 4.5)]
    assert [r[:3] for r in read("城镇居民人均可支配收入、农民人均纯收入均增长12%以上。")] == [
        ("城镇居民人均可支配收入", "growth", 12.0), ("农民人均纯收入", "growth", 12.0)]
    assert [r[:3] for r in read("城乡居民人均可支配收入分别增长8.5%左右")] == [
        ("城镇居民人均可支配收入", "growth", 8.5), ("农村居民人均可支配收入", "growth", 8.5)]


def test_a_second_target_of_the_same_metric_after_a_pause():
    assert [r[:3] for r in read("地区生产总值突破3600亿元、增长10%以上")] == [
        ("地区生产总值", "count", 3600.0), ("地区生产总值", "growth", 10.0)]


def test_flat_on_last_year_is_a_growth_of_zero():
    assert [r[:3] for r in read("全社会固定资产投资与上年持平")] == [("全社会固定资产投资", "growth", 0.0)]


def test_last_years_results_are_no_targets():
    raw = "经初步预计，五莲县2012年全年实现生产总值163亿元，比上年增长13%。2013年的主要预期目标是：生产总值增长13%。"
    assert [r[:3] for r in read(raw, year=2013)] == [("生产总值", "growth", 13.0)]


def test_a_figure_is_of_the_year_its_sentence_names_last_before_it():
    raw = "报告显示，2019年地区生产总值实现1267.3亿元、增长4%；报告提出，2020年主要预期目标为地区生产总值增长5%左右。"
    assert [r[:3] for r in read(raw, year=2020)] == [("地区生产总值", "growth", 5.0)]
    raw = "2020年地区生产总值增长6%左右，高于2019年的实际增速。"
    assert [r[:3] for r in read(raw, year=2020)] == [("地区生产总值", "growth", 6.0)]


def test_without_open_vocabulary_only_known_metrics_are_read():
    d = doc("粮食产能稳定在1100亿斤以上，地区生产总值增长5%")
    assert [r.metric for r in targets_in(d, 0, len(d.norm.text))] == ["地区生产总值"]


@pytest.mark.parametrize("raw, want", [
    ("地区生产总值预期增长7.5-8%", [("地区生产总值", "growth", 7.5, 8.0, "%", "up", "region")]),
    ("居民消费价格指数控制在103左右。", [("居民消费价格指数", "level", 103.0, None, None, "up", "task")]),
    ("支出预算原则上零增长。", [("支出预算原则上", "growth", 0.0, None, "%", "up", "task")]),
    ("中央财政安排1000亿元专项奖补资金", [("专项奖补资金", "count", 1000.0, None, "亿元", "up", "task")]),
    ("推进5万个行政村通光纤", [("行政村通光纤", "count", 5.0, None, "万个", "up", "task")]),
    ("全力推进全省20个具有支撑性、关键性、标志性的重点项目；", [("重点项目", "count", 20.0, None, "个", "up", "task")]),
])
def test_more_target_phrases(raw, want):
    assert read(raw) == want


def test_a_stretch_after_the_target_is_its_stretch_not_a_metric():
    d = doc("地区生产总值增长7%以上、力争达到8%，全社会固定资产投资增长15%以上、力争达到20%")
    assert [(r.metric, r.target, r.stretch) for r in targets_in(d, 0, len(d.norm.text), open_vocab=True)] == [
        ("地区生产总值", 7.0, 8.0), ("固定资产投资", 15.0, 20.0)]


def test_a_derived_name_is_spelled_with_the_documents_own_characters():
    d = doc("城鄉居民人均可支配收入分別增長8%和10%，城鎮調查失業率5%，農村發展。")
    assert [r.metric_as_written for r in targets_in(d, 0, len(d.norm.text), open_vocab=True)][:2] == [
        "城鎮居民人均可支配收入", "農村居民人均可支配收入"]


@pytest.mark.parametrize("raw, want", [
    ("●城镇调查失业率5.5%左右，城镇新增就业70万人以上", [("城镇调查失业率", 5.5), ("城镇新增就业", 70.0)]),
    ("●粮食产量继续保持500亿斤以上", [("粮食产量", 500.0)]),
    ("全市生产总值年均增长11%，总量突破5500亿元", [("全市生产总值", 11.0), ("全市生产总值", 5500.0)]),
    ("城镇和农村常住居民人均可支配收入分别达到45000元和21800元",
     [("城镇常住居民人均可支配收入", 45000.0), ("农村常住居民人均可支配收入", 21800.0)]),
    ("城镇调查失业率和城镇登记失业率分别为4.8%左右和4.3%左右", [("城镇调查失业率", 4.8), ("城镇登记失业率", 4.3)]),
])
def test_bullets_kept_levels_shared_tails_and_the_total_of_the_metric_before(raw, want):
    d = Document(id="t", path="t.txt", text=raw, norm=normalize(raw))
    got = [(r.metric_as_written, r.target) for r in targets_in(d, 0, len(d.norm.text), main=True, open_vocab=True)]
    assert got == want
