"""The functional categories gazetteer (data/functions.tsv)."""

from __future__ import annotations

import pytest

from kg.resolve.functions import categories, category_of_generic, functions_of


@pytest.mark.parametrize("name, functions", [
    ("区发展改革局", ("发展改革",)),
    ("区发改局", ("发展改革",)),
    ("长清区发展改革局", ("发展改革",)),
    ("区工业信息化和科技局", ("工业和信息化", "科技")),
    ("区工业和信息化和科技局", ("工业和信息化", "科技")),
    ("区工业和信息化局", ("工业和信息化",)),
    ("区科技局", ("科技",)),
    ("区教育体育局", ("教育", "体育")),
    ("区教育局体育局", ("教育", "体育")),
    ("区教育和体育局", ("教育", "体育")),
    ("区教育局", ("教育",)),
    ("区文化和旅游局", ("文化和旅游",)),
    ("区住房城乡建设局", ("住房城乡建设",)),
    ("区住房城市建设局", ("住房城乡建设",)),
    ("区人社局", ("人力资源社会保障",)),
    ("区人力资源和社会保障局", ("人力资源社会保障",)),
    ("区市场监督管理局", ("市场监管",)),
    ("区城管局", ("城市管理",)),
    ("区应急局", ("应急管理",)),
    ("区医保局", ("医疗保障",)),
    ("区退役军人局", ("退役军人事务",)),
    ("区园林和林业绿化局", ("园林绿化",)),
    ("区交警大队", ("公安",)),
    ("市公安局长清区分局", ("公安",)),
    ("市生态环境局长清分局", ("生态环境",)),
    ("区消防救援大队", ("消防救援",)),
    ("区政府办公室", ("政府办公室",)),
    ("市政府办公室", ("政府办公室",)),          # not 市政
    ("区市政工程服务中心", ("市政",)),
    ("区委组织部", ("组织",)),
    ("区委政法委", ("政法",)),
    ("区委社会工作部", ("社会工作",)),
    ("区大数据局", ("大数据",)),
    ("区大数据发展中心", ("大数据",)),
    ("区水务局", ("水务",)),
    ("区商务局", ("商务",)),
    ("区投资促进局", ("投资促进",)),
    ("区行政审批服务局", ("行政审批服务",)),
    ("区残联", ("残联",)),
])
def test_functions_of_a_unit(name, functions):
    assert functions_of(name) == functions


@pytest.mark.parametrize("name", [
    "区域管局",              # a typo: no category
    "大学城管委会",          # 城管 straddles 大学城 + 管委会
    "济南中央商务区管委会",  # 商务区 is a place
    "文化东路街道办事处",    # a street
    "历下控股集团",
    "各街镇",
])
def test_names_that_have_no_function(name):
    assert functions_of(name) == ()


@pytest.mark.parametrize("name, category", [
    ("区发展改革局", "发展改革"),
    ("区发改局", "发展改革"),
    ("市发展改革委", "发展改革"),
    ("区发展和改革局", "发展改革"),
    ("区城管局", "城市管理"),
    ("区委组织部", "组织"),
    ("区政府办公室", "政府办公室"),
    ("区工业信息化和科技局", None),    # two jobs
    ("区大数据发展中心", None),        # more than a job
    ("大学城管委会", None),
])
def test_category_of_generic(name, category):
    assert category_of_generic(name) == category


def test_every_category_has_a_known_kind_and_keywords():
    table = categories()
    assert len(table) >= 40
    assert table["发展改革"].keywords[:3] == ("发展改革", "发展和改革", "发改")
    assert {c.kind for c in table.values()} <= {"department", "party", "vertical", "group"}


def test_a_malformed_line_of_a_users_table_names_the_file_and_line(tmp_path, monkeypatch):
    from kg import resources
    from kg.resolve import functions

    (tmp_path / "functions.tsv").write_text("category\tkind\tkeywords\n财政\tdepartment\t财政\n坏行\n",
                                            encoding="utf-8")
    monkeypatch.setenv(resources.OVERLAY_ENV, str(tmp_path))
    functions._table.cache_clear()
    try:
        with pytest.raises(resources.DataError, match=r"functions.tsv:3: expected 3 tab-separated cells"):
            categories()
    finally:
        monkeypatch.delenv(resources.OVERLAY_ENV)
        functions._table.cache_clear()
