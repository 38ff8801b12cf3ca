"""One recognizer says what a unit's or a leader's name looks like (data/unit_forms.tsv)."""

import pytest

from kg.extract.names import is_collective, is_unit_name, leader_name, starts_with_place


@pytest.mark.parametrize("name", [
    "省发展改革委", "财政厅", "人行郑州中心支行", "国家统计局湖南调查总队", "合肥海关", "区委编办", "园区党工委",
    "省数据局（省营商局）", "区民政局（区委社会工委）", "开发区管委会", "城投集团", "县教体局", "市人行",
    "市场监管局（知识产权局，食安办）",
])
def test_unit_names_at_every_level(name):
    assert is_unit_name(name)


@pytest.mark.parametrize("name", [
    "各县、市、区政府", "省政府各部门、各直属机构", "省（中）直有关单位", "市直各单位", "各区县市",
    "市人民政府各相关部门", "各相关乡镇政府", "各镇政府（街道办事处）", "各惠企政策发布部门",
])
def test_collectives_stay_whole(name):
    assert is_collective(name) and is_unit_name(name)


@pytest.mark.parametrize("name", [
    "推进国家安全工作发展", "牵头单位：市财政局", "省发展改革委牵头", "市财政局。", "地区生产总值增长5%", "", "省",
])
def test_a_name_never_holds_a_role_word_a_colon_or_a_sentence(name):
    assert not is_unit_name(name)


def test_a_place_is_a_unit_only_where_the_list_is_of_units():
    assert not is_unit_name("岳麓区") and is_unit_name("岳麓区", places=True)


@pytest.mark.parametrize("text, name, post", [
    ("王 健", "王 健", None), ("孟学农", "孟学农", None), ("张国强副市长", "张国强", "副市长"),
    ("副区长李四", "李四", "副区长"), ("分管副省长", "分管副省长", None), ("协管副秘书长", "协管副秘书长", None),
    ("省政府分管领导同志", "省政府分管领导同志", None),
])
def test_leaders_with_an_inner_space_a_post_or_only_a_post(text, name, post):
    found = leader_name(text)
    assert (found.name, found.post) == (name, post)


@pytest.mark.parametrize("text", ["市发改委", "各街道", "推进改革工作", "加强"])
def test_units_and_phrases_are_not_leaders(text):
    assert leader_name(text) is None


def test_a_name_that_starts_with_a_place_is_known():
    assert starts_with_place("河南银保监局") and starts_with_place("合肥海关")
    assert not starts_with_place("财政厅") and not starts_with_place("地方金融监管局")
