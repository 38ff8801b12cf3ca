"""The region gazetteer (cpca + data/regions-extra.tsv) and region detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.resolve.regions import (
    ancestors, detect_region, region_by_code, region_by_name, split_prefix)

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"


@pytest.mark.parametrize("name, code, level, parent", [
    ("槐荫区", "370104", "district", "370100"),
    ("长清区", "370113", "district", "370100"),
    ("历下区", "370102", "district", "370100"),
    ("济南市", "370100", "city", "370000"),
    ("山东省", "370000", "province", None),
    ("平阴县", "370124", "county", "370100"),
    ("章丘区", "370114", "district", "370100"),     # from data/regions-extra.tsv
    ("钢城区", "370117", "district", "370100"),     # moved from 莱芜市 to 济南市
    ("北京市", "110000", "province", None),
])
def test_region_by_name_gives_code_level_and_parent(name, code, level, parent):
    region = region_by_name(name)
    assert (region.code, region.level, region.parent) == (code, level, parent)


@pytest.mark.parametrize("name", ["章丘市", "济阳县", "莱芜市", "市辖区", "县"])
def test_retired_codes_and_placeholders_are_not_regions(name):
    assert region_by_name(name) is None


def test_a_name_repeated_across_provinces_resolves_within_the_given_region():
    assert region_by_name("市中区", within="枣庄市").code == "370402"
    assert region_by_name("市中区", within="370100").code == "370103"
    assert region_by_name("朝阳区", within=region_by_name("吉林省")).code == "220104"
    assert region_by_name("朝阳区", within="北京市").code == "110105"


def test_region_by_code_accepts_six_or_twelve_digits():
    assert region_by_code("370104").name == "槐荫区"
    assert region_by_code("370104000000").name == "槐荫区"
    assert region_by_code("999999") is None


def test_ancestors_run_from_the_nearest_up_to_the_province():
    assert [r.name for r in ancestors("370104")] == ["济南市", "山东省"]
    assert [r.name for r in ancestors("110105")] == ["北京市"]
    assert ancestors("370000") == ()


@pytest.mark.parametrize("name, region, rest", [
    ("济南市历下区财政局", "历下区", "财政局"),
    ("长清区发展改革局", "长清区", "发展改革局"),
    ("济南市财政局", "济南市", "财政局"),
    ("区发展改革局", None, "区发展改革局"),
    ("济南中央商务区管委会", None, "济南中央商务区管委会"),
])
def test_split_prefix_takes_the_leading_region_names(name, region, rest):
    found, left = split_prefix(name)
    assert (found.name if found else None, left) == (region, rest)


@pytest.mark.parametrize("stem, name", [
    ("huaiyin-2025-progress-q1-q3", "槐荫区"),
    ("huaiyin-2025-work-report", "槐荫区"),
    ("changqing-2025-division", "长清区"),
    ("lixia-2025-decomposition", "历下区"),
    ("jinan-2025-work-report", "济南市"),
])
def test_detect_region_of_the_seed_documents(stem, name):
    region, confidence, _how = detect_region((REPORTS / f"{stem}.txt").read_text(encoding="utf-8"))
    assert region.name == name
    assert confidence >= 0.8


@pytest.mark.parametrize("text, name, how", [
    ("2025年《济南市历下区政府工作报告》\n目标任务分解", "历下区", "header"),
    ("——2025年1月8日在济南市槐荫区第十九届\n人民代表大会第四次会议上", "槐荫区", "header"),
    ("政府工作报告\n槐荫区区长  刘敬涛\n各位代表：", "槐荫区", "signature"),
    ("政府工作报告\n济南市市长 于海田\n各位代表：", "济南市", "signature"),
    ("——在济南市第十八届人民代表大会上\n济南市市长 于海田", "济南市", "header+signature"),
    ("北京市朝阳区政府工作报告", "朝阳区", "header"),
    ("杭州市西湖区人民政府关于印发重点任务分工的通知", "西湖区", "header"),
])
def test_detect_region_from_the_title_or_the_signature(text, name, how):
    region, _confidence, found_how = detect_region(text)
    assert (region.name, found_how) == (name, how)


@pytest.mark.parametrize("text, name", [
    # Short names count for the districts of the document's city.
    ("我区擦亮“山水长清”品牌。（牵头单位：市生态环境局长清分局）建设平安长清。济南市", "长清区"),
    ("全区新开工项目30个，槐荫区GDP增长5%，槐荫数控产业园投产。济南市全市", "槐荫区"),
    # A city's report names its districts, but speaks for the city.
    ("全市经济运行稳中有进，全市上下，济南都市圈建设加快，历下、槐荫协同。", "济南市"),
    ("我县加快发展，沛县经济增长。徐州市", "沛县"),
    ("全市上下，朝阳区、海淀区、东城区协同发展，北京", "北京市"),   # a province-level city
])
def test_detect_region_from_the_body(text, name):
    region, _confidence, how = detect_region(text)
    assert (region.name, how) == (name, "body")


def test_a_name_shared_by_two_regions_alone_gives_low_confidence():
    region, confidence, _how = detect_region("朝阳区区长 张三\n各位代表")
    assert region.name == "朝阳区" and confidence < 0.8


@pytest.mark.parametrize("text", ["今天天气很好。", "我区加快发展。", ""])
def test_detect_region_without_any_region_name(text):
    assert detect_region(text) == (None, 0.0, "none")


def test_a_title_naming_the_city_yields_to_a_body_that_speaks_for_a_district():
    text = "济南市政府工作报告重点任务长清区分工\n我区将全力推进，全区上下，建设平安长清。"
    region, _confidence, how = detect_region(text)
    assert (region.name, how) == ("长清区", "header+body")
