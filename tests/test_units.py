"""Unit identity within one region: kinds, comparison keys, typo repair."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from kg.resolve.units import (
    UnitIdentity, canonical_key, resolve_units, split_region_prefix, unit_kind)

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"


@pytest.mark.parametrize("name, kind", [
    ("区发展改革局", "department"),
    ("区政府办公室", "department"),
    ("区交警大队", "department"),
    ("市公安局长清区分局", "department"),
    ("区金融运行监测中心", "department"),
    ("崮云湖街道", "street"),
    ("东关街道办事处", "street"),
    ("马山镇", "street"),
    ("大学城管委会", "committee"),
    ("济南中央商务区管委会", "committee"),
    ("济南槐荫经济开发区管委会", "committee"),
    ("区静态交通建设管理办公室", "committee"),
    ("历下控股集团", "company"),
    ("济清公司", "company"),
    ("区委组织部", "party"),
    ("区委政法委", "party"),
    ("区委社会工作部", "party"),
    ("区人民武装部", "party"),
    ("各街镇", "collective"),
    ("各街道办事处", "collective"),
    ("各平台公司", "collective"),
    ("相关部门", "collective"),
    ("各部门", "collective"),
    ("区服务业发展联席会议制度成员单位", "collective"),
    ("各产业主管部门", "collective"),
    ("区消防救援大队等各行业主管部门", "collective"),
    ("区工商联", "other"),
])
def test_unit_kind(name, kind):
    assert unit_kind(name) == kind


@pytest.mark.parametrize("names", [
    ("区工业信息化和科技局", "区工业和信息化和科技局", "区工业和信息化科技局"),
    ("区教育体育局", "区教育局体育局", "区教育和体育局", "区教体局"),
    ("区人力资源社会保障局", "区人力资源和社会保障局", "区人社局"),
    ("区市场监督管理局", "区市场监管局"),
    ("区发展改革局", "区发改局", "区发展和改革局", "区发展改革\n\n局", "长清区发展改革局"),
    ("区住房城乡建设局", "区住房和城乡建设局", "区住房城市建设局", "区住建局"),
    ("区文化和旅游局", "区文化旅游局", "区文旅局"),
    ("区城管局", "区城市管理局"),
    ("区应急局", "区应急管理局"),
    ("区医保局", "区医疗保障局"),
    ("区退役军人局", "区退役军人事务局"),
    ("区工业和信息化局", "区工信局", "区工业信息化局"),
    ("区政府办公室", "区政府办"),
    ("区行政审批服务局", "区行政审批局"),
    ("市公安局长清区分局", "区公安分局"),
    ("市生态环境局长清分局", "区生态环境分局"),
    ("东关街道办事处", "东关街道"),
    ("大学城管委会", "大学城\n\n管委会", "大学城管理委员会"),
])
def test_spelling_variants_share_a_key(names):
    assert len({canonical_key(n) for n in names}) == 1, [canonical_key(n) for n in names]


@pytest.mark.parametrize("a, b", [
    ("区水务局", "区商务局"),
    ("区科技局", "区工业信息化和科技局"),
    ("区大数据局", "区大数据发展中心"),
    ("区工业和信息化局", "区工业信息化和科技局"),
    ("区教育局", "区教育体育局"),
    ("区城管局", "区域管局"),
    ("区公安分局", "区交警大队"),
    ("区政府办公室", "区委办公室"),
    ("崮云湖街道", "茵云湖街道"),
    ("万德街道", "归德街道"),
    ("各街道办事处", "东关街道办事处"),
    ("区发展改革局", "市发展改革委"),
    ("区财政局", "济南市财政局"),
])
def test_different_units_keep_different_keys(a, b):
    assert canonical_key(a) != canonical_key(b)


@pytest.mark.parametrize("name, region, rest", [
    ("长清区发展改革局", "长清区", "区发展改革局"),
    ("济南市历下区财政局", "历下区", "区财政局"),
    ("济南市财政局", "济南市", "市财政局"),
    ("长清区委组织部", "长清区", "区委组织部"),
    ("长清区崮云湖街道", "长清区", "崮云湖街道"),
    ("区发展改革局", None, "区发展改革局"),
    ("市公安局长清区分局", None, "市公安局长清区分局"),
])
def test_split_region_prefix(name, region, rest):
    found, left = split_region_prefix(name)
    assert (found.name if found else None, left) == (region, rest)


def test_variants_resolve_to_the_most_frequent_spelling():
    out = resolve_units({"长清区": {"区工业信息化和科技局": 16, "区工业和信息化和科技局": 4,
                                    "区工业和信息化科技局": 2, "区教育局": 3}})
    assert out[("长清区", "区工业和信息化科技局")] == UnitIdentity(
        canonical="区工业信息化和科技局",
        aliases=("区工业信息化和科技局", "区工业和信息化和科技局", "区工业和信息化科技局"),
        functions=("工业和信息化", "科技"), kind="department")
    assert out[("长清区", "区教育局")].canonical == "区教育局"


def test_a_tie_in_frequency_goes_to_the_longest_spelling():
    out = resolve_units({"槐荫区": {"区人社局": 1, "区人力资源和社会保障局": 1,
                                    "区人力资源社会保障局": 1}})
    assert {i.canonical for i in out.values()} == {"区人力资源和社会保障局"}
    assert out[("槐荫区", "区人社局")].aliases == (
        "区人力资源和社会保障局", "区人力资源社会保障局", "区人社局")


def test_a_name_with_no_function_is_repaired_onto_a_unit_one_character_away():
    out = resolve_units({"长清区": {"区城管局": 4, "区域管局": 1}})
    typo = out[("长清区", "区域管局")]
    assert (typo.canonical, typo.repaired_from, typo.functions) == ("区城管局", "区域管局", ("城市管理",))
    assert typo.aliases == ("区城管局", "区域管局")
    assert out[("长清区", "区城管局")].repaired_from is None


def test_a_street_seen_once_is_repaired_onto_a_street_of_the_region():
    out = resolve_units({"长清区": {"崮云湖街道": 2, "茵云湖街道": 1}})
    assert out[("长清区", "茵云湖街道")].canonical == "崮云湖街道"
    assert out[("长清区", "茵云湖街道")].repaired_from == "茵云湖街道"


def test_real_streets_of_a_listed_district_are_never_repaired():
    out = resolve_units({"370113": {"归德街道": 2, "万德街道": 1}})
    assert out[("370113", "万德街道")].canonical == "万德街道"


def test_without_a_street_list_a_street_seen_once_falls_back_to_frequency():
    out = resolve_units({"某区": {"归德街道": 2, "万德街道": 1}})
    assert out[("某区", "万德街道")].repaired_from == "万德街道"


def test_two_units_with_known_functions_are_never_merged():
    out = resolve_units({"历下区": {"区水务局": 6, "区商务局": 1}})
    assert out[("历下区", "区商务局")].canonical == "区商务局"
    assert out[("历下区", "区商务局")].repaired_from is None


def test_collectives_are_flagged_and_never_merged():
    out = resolve_units({"历下区": {"各街道办事处": 3, "东关街道办事处": 2, "区委组织部": 1}})
    collective = out[("历下区", "各街道办事处")]
    assert (collective.collective, collective.kind, collective.functions) == (True, "collective", ())
    assert out[("历下区", "东关街道办事处")].canonical == "东关街道办事处"


def test_regions_are_resolved_separately():
    out = resolve_units({"长清区": {"区城管局": 4}, "历下区": {"区域管局": 1}})
    assert out[("历下区", "区域管局")].canonical == "区域管局"


def _annotated_units(stem: str) -> Counter:
    """Unit names of the （牵头单位：…；责任单位：…） brackets of a seed document."""
    text = (REPORTS / f"{stem}.txt").read_text(encoding="utf-8")
    names: Counter = Counter()
    for bracket in re.findall(r"（([^（）]*(?:牵头|责任)单位[^（）]*)）", text):
        for part in re.split(r"[；;]", bracket):
            label, _colon, value = part.partition("：")
            if "单位" in label:
                names.update(n.strip() for n in re.split(r"[、，,]", value) if n.strip())
    return names


def test_seed_units_of_changqing_and_lixia():
    names = {"长清区": _annotated_units("changqing-2025-division"),
             "历下区": _annotated_units("lixia-2025-decomposition")}
    out = resolve_units(names)
    canon = {r: {out[(r, n)].canonical for n in names[r]} for r in names}
    repaired = sorted((r, n) for (r, n), i in out.items() if i.repaired_from)
    assert repaired == [("长清区", "区域管局"), ("长清区", "茵云湖街道")]
    assert out[("长清区", "区\n\n农业农村局")].canonical == "区农业农村局"
    assert out[("长清区", "区教育局体育局")].canonical == "区教育体育局"
    assert {"区教育局", "区教育体育局", "万德街道", "归德街道"} <= canon["长清区"]
    assert {"区科技局", "区工业和信息化局", "区大数据局", "区水务局", "区商务局"} <= canon["历下区"]
    assert (len(names["长清区"]), len(canon["长清区"])) == (64, 56)
    assert (len(names["历下区"]), len(canon["历下区"])) == (66, 66)
