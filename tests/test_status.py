"""Targets against actuals and task statuses follow the written rules (kg.link.status)."""

from __future__ import annotations

import pytest

from kg.link.status import TaskStatus, elapsed_share, read_task_status, rules, target_status, task_status

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
    # part done, part under way: the least advanced part wins
    ("12家村卫生室已完成提升改造待市级验收，8家在积极提升改造中", ("in-progress", "改造中")),
    ("已与24地成功签署合作协议", ("in-progress", "签署")),        # activity: work being done
    ("积极推进共建花园建设活动，已完成共建公园游园3处", ("done", "已完成")),  # explicit beats activity
    ("3处已完工，1处进展缓慢", ("late", "进展缓慢")),
    ("该项目尚未开展前期工作", ("not-started", "尚未开展")),
])
def test_task_status_from_wording(text, expected):
    assert task_status(text) == expected


@pytest.mark.parametrize("text, period, expected", [
    ("1-9月份，新增城镇就业21284人，任务完成率109.15%。", PERIOD, ("done", "完成率109.15%")),
    ("1-9月份完成投资162.35亿元，投资完成率92.82%。", PERIOD, ("in-progress", "完成率92.82%")),
    # 39.53 % of the year's task after 75 % of the year: more than 5 points short
    ("我区实际使用外资指标完成1779万美元，占全年4500万美元任务的39.53%。", PERIOD,
     ("late", "占全年4500万美元任务的39.53%")),
    # without a period nothing says how much of the year is gone: short of 100 % is under way
    ("占全年4500万美元任务的39.53%", None, ("in-progress", "占全年4500万美元任务的39.53%")),
    ("联系率、服务率均达100%", PERIOD, ("unknown", None)),       # not a completion rate
])
def test_a_completion_rate_is_compared_with_the_year_elapsed(text, period, expected):
    assert task_status(text, period=period) == expected


@pytest.mark.parametrize("task, progress, expected", [
    ("新谋划储备优质项目不少于100个。", "1-9月份，共谋划项目172个，其中重点产业类121个",
     TaskStatus("done", "172个（不少于100个）", "count")),
    ("定向储备优质项目20个以上", "筛选储备项目10余个。储备半导体项目近30个，推动7个项目签约",
     TaskStatus("done", "近30个（20个以上）", "count")),
    ("支持承接各类学术会议500场以上。", "1-9月份，承接各类会议450余场。",
     TaskStatus("in-progress", "450余场（500场以上）", "count")),
    # 个, the general classifier, counts what 家 counts
    ("全区智慧社区达到40家。", "全区累计建设智慧社区总数达43个。", TaskStatus("done", "43个（达到40家）", "count")),
    # a count in another group, a figure that sets no minimum, or two minimums: no count status
    ("培训人员100名以上", "开展培训12场", TaskStatus("in-progress", "开展", "activity")),
    ("新建共建公园游园3处", "游园3处已建成", TaskStatus("done", "已建成", "words")),
    ("新增项目10个以上、企业5家以上", "新增项目12个", TaskStatus("unknown")),
    # 0.3个百分点, 6个月 and the ordinal 第37个 are no counts
    ("新增项目5个以上", "增速回落0.3个百分点，历时6个月，第37个", TaskStatus("unknown")),
])
def test_a_count_the_task_sets_is_compared_with_the_largest_count_of_the_progress(task, progress, expected):
    assert read_task_status(progress, task_text=task) == expected


@pytest.mark.parametrize("target, expected", [
    ({"status": "behind", "actual": 5.4, "actual_unit": "%", "target": 5.7, "unit": "%"},
     TaskStatus("late", "5.4%（目标5.7%）", "target")),
    ({"status": "ahead", "actual": 13.0, "actual_unit": "%", "target": 8.0, "unit": "%"},
     TaskStatus("in-progress", "13%（目标8%）", "target")),
    ({"status": "ahead", "share_done": 1.0915, "actual": 2.1284, "actual_unit": "万人", "target": 1.95,
      "unit": "万人"}, TaskStatus("done", "2.1284万人（目标1.95万人）", "target")),
    ({"status": "unknown", "actual": None, "target": 5.0, "unit": "%"}, TaskStatus("unknown")),
])
def test_a_target_with_its_actual_gives_the_row_its_status(target, expected):
    assert read_task_status("1-9月份，完成地区生产总值665.4亿元", target=target) == expected
