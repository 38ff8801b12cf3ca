"""Across levels: metrics, projects and tasks of a district and its city (kg.link.levels)."""

from __future__ import annotations

import pytest

from kg.link.levels import metric_links, project_groups, same_project, task_correspondences


@pytest.mark.parametrize("a, b, same", [
    ("腊山河西路北延", "腊山河西路北延", True),
    ("腊山河西路北延", "腊山河西路北延工程", True),
    ("济南先进材料智造港", "济南先进材料智造港（一期）", True),
    ("天岳碳化硅", "山东天岳碳化硅项目", True),          # a region word and a tail word left over
    ("腊山河西路北延", "腊山河西路南延", False),
    ("京台高速", "京台高速齐河至济南段", False),        # a longer name: another section
    ("黄河大道", "黄河大道二期", False),                # a phase is another project
    ("重点项目", "重点项目建设", False),                # no distinctive core
    ("万达", "万达广场", False),                        # core shorter than four characters
])
def test_same_project(a, b, same):
    assert same_project(a, b) is same


@pytest.fixture(scope="module")
def extractions(seed_build):
    return seed_build.extractions


def test_a_district_metric_links_to_the_same_metric_of_its_city(extractions):
    gdp = {k.lower.region: k for k in metric_links(extractions) if k.metric == "地区生产总值"}
    assert sorted(gdp) == ["历下区", "槐荫区", "长清区"]
    k = gdp["槐荫区"]
    assert (k.lower.target, k.lower.actual, k.upper.region, k.upper.target) == (5.7, 5.4, "济南市", 5.5)
    assert k.upper.node_id == "indicator:370100:2025:地区生产总值"
    assert k.lower.node_id == "indicator:370104:2025:地区生产总值"
    assert gdp["长清区"].lower.target == 5.6 and gdp["长清区"].comparable


def test_targets_of_another_kind_are_linked_but_not_comparable(extractions):
    fin = [k for k in metric_links(extractions) if k.metric == "金融业增加值"]
    assert [(k.lower.region, k.lower.target, k.upper.target, k.comparable) for k in fin] == [
        ("历下区", 548.0, 4.5, False)]
    jobs = {k.lower.region: k.comparable for k in metric_links(extractions) if k.metric == "城镇新增就业"}
    assert jobs == {"历下区": True, "槐荫区": True, "长清区": True}     # 3400 人 and 15 万人 convert


def test_projects_named_at_two_levels_are_one_group(extractions):
    groups = {g.name: g for g in project_groups(extractions)}
    tianyue = groups["天岳碳化硅"]
    assert tianyue.names == ("天岳先进扩产能", "天岳碳化硅", "济南先进材料智造港")
    assert tianyue.doc_ids == ("huaiyin-2025-progress-q1-q3", "huaiyin-2025-work-report",
                               "jinan-2025-work-report")
    assert all(how.startswith("alias: ") for _a, _b, how in tianyue.joins)
    assert groups["腊山河西路北延"].doc_ids == ("huaiyin-2025-progress-q1-q3", "huaiyin-2025-work-report")
    bridge = groups["凤凰黄河大桥南延"]
    assert sorted((m.doc_id, m.how) for m in bridge.mentions) == [
        ("jinan-2025-work-report", "text"), ("lixia-2025-decomposition", "extracted")]
    text = next(x for x in extractions if x.document.id == "jinan-2025-work-report").document.text
    m = next(m for m in bridge.mentions if m.how == "text")
    assert text[m.start:m.end] == "凤凰黄河大桥南延"


def test_district_tasks_that_carry_out_a_city_task(extractions):
    found = {(c.task_doc, c.task_seq, c.city_doc, c.city_seq, c.method, c.evidence): c.score
             for c in task_correspondences(extractions)}
    for key in [("huaiyin-2025-work-report", 50, "jinan-2025-work-report", 19, "project", "天岳碳化硅"),
                ("lixia-2025-decomposition", 33, "jinan-2025-work-report", 76, "metric", "金融业增加值"),
                # the main targets are tasks of the work reports (kg.extract.layouts.narrative)
                ("huaiyin-2025-work-report", 3, "jinan-2025-work-report", 3, "metric", "地区生产总值")]:
        assert key in found and 0 < found[key] <= 1
    assert all(doc != "huaiyin-2025-progress-q1-q3" for doc, *_ in found)
