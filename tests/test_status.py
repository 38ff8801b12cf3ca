"""Targets against actuals and task statuses follow the written rules (kg.link.status)."""

from __future__ import annotations

import pytest

from kg.link.status import elapsed_share, rules, target_status, task_status

PERIOD = "2025年1-9月"


@pytest.mark.parametrize("kind, target, actual, unit, actual_unit, expected", [
    # 槐荫区 固定资产投资: target 增长5%, actual -3.5%
    ("growth", 5.0, -3.5, "%", "%", ("behind", "growth-behind")),
    # 槐荫区 社会消费品零售总额: 3.5% against 1%
    ("growth", 3.5, 1.0, "%", "%", ("behind", "growth-behind")),
    # 槐荫区 规上工业增加值: 8% against 13%
    ("growth", 8.0, 13.0, "%", "%", ("ahead", "growth-ahead")),
    ("growth", 3.0, 3.0, "%", "%", ("on-track", "growth-on-track")),
    # 实际使用外资 1779 of 4500 万美元 after 1-9月: 39.5 % done < 75 % of the year
    ("count", 4500.0, 1779.0, "万美元", "万美元", ("behind", "count-behind")),
    # 城镇新增就业 2.1284 of 1.95 万人: 109 % > 75 %
    ("count", 1.95, 2.1284, "万人", "万人", ("ahead", "count-ahead")),
    # 21284 人 of 1.95 万人: the units convert
    ("count", 1.95, 21284.0, "万人", "人", ("ahead", "count-ahead")),
    # 72 % done after 75 % of the year: within the 5-point tolerance
    ("count", 100.0, 72.0, "个", "个", ("on-track", "count-on-track")),
    ("count", 100.0, 69.0, "个", "个", ("behind", "count-behind")),
    ("count", 100.0, 72.0, "个", "万美元", ("unknown", "unit-mismatch")),
    ("growth", 5.0, None, "%", None, ("unknown", "no-actual")),
    ("level", 3.0, 2.0, "%", "%", ("unknown", "share-level")),
])
def test_target_status(kind, target, actual, unit, actual_unit, expected):
    assert target_status(kind, target, actual, PERIOD, unit=unit, actual_unit=actual_unit) == expected


def test_a_growth_range_is_on_track_inside_and_ahead_above():
    assert target_status("growth", 6.5, 6.8, target_high=7.0)[0] == "on-track"
    assert target_status("growth", 6.5, 7.2, target_high=7.0)[0] == "ahead"
    assert target_status("growth", 6.5, 6.4, target_high=7.0)[0] == "behind"


def test_a_count_target_needs_a_cumulative_period():
    assert target_status("count", 100.0, 30.0, "2025年7-9月") == ("unknown", "no-period")
    assert target_status("count", 100.0, 30.0, None) == ("unknown", "no-period")


def test_a_target_to_decrease_stays_unknown():
    assert target_status("growth", 14.8, 3.0, PERIOD, direction="down") == ("unknown", "down")


@pytest.mark.parametrize("period, share", [
    ("2025年1-9月", 0.75), ("1—6月份", 0.5), ("前三季度", 0.75), ("截至9月底", 0.75),
    ("全年", 1.0), ("2025年7-9月", None), ("", None),
])
def test_elapsed_share(period, share):
    assert elapsed_share(period) == share


def test_every_rule_the_code_returns_is_written_down_with_its_tolerance():
    assert rules()["count-on-track"].value == 0.05
    assert {r.status for r in rules().values()} == {"behind", "ahead", "on-track", "unknown"}


@pytest.mark.parametrize("text, expected", [
    ("西沙王庄城中村改造项目X-1地块幼儿园等3处教育设施已完工", ("done", "已完工")),
    ("已完成共建公园游园3处", ("done", "已完成")),
    ("京台高速改扩建项目全线已进场施工。", ("in-progress", "进场施工")),
    ("旺久劳动教育基地已基本完工", ("in-progress", "已基本完工")),
    ("3处已完工；1处基本完工，正在进行室外工程施工", ("in-progress", "基本完工")),
    ("项目尚未开工", ("not-started", "尚未开工")),
    ("已完成立项，但进度滞后", ("late", "进度滞后")),
    ("工程滞后于计划", ("late", "滞后")),
    ("现4、6号线房屋征收、临时用地租用(延期)等任务", ("unknown", None)),
    ("1-9月份，新增城镇就业21284人", ("unknown", None)),
    (None, ("unknown", None)),
])
def test_task_status_only_from_explicit_wording(text, expected):
    assert task_status(text) == expected
