"""The narrative work report gives its main targets, its author, and from this year's chapter on
a heading outline (chapter, section, lead phrase) with one task per sentence."""

from pathlib import Path

import pytest

from kg.extract.layouts.narrative import NARRATIVE, report_author
from kg.model import Document
from kg.sources.normalize import normalize

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"

REPORT = """
政 府 工 作 报 告

——2025年1月8日在济南市槐荫区第十九届
人民代表大会第四次会议上

槐荫区区长  刘敬涛

各位代表：
现在，我代表区人民政府向大会报告工作，请予审议。
一、2024年工作回顾
预计全年地区生产总值增长4%左右，固定资产投资增长7.4%左右。
（一）凝心聚力稳经济、促提质，高质量发展基础更加坚实。
锚定全年目标任务不动摇。
二、2025年总体目标和主要任务
2025年是“十四五”规划的收官之年。
2025年全区经济社会发展的总体要求是：坚持稳中求进。
综合考虑发展实际，2025年全区经济社会发展主要预期目标是：地区生产总值增长5.7%，实际使用外资4500万美元，全面完成能耗强度降低任务。
围绕实现上述目标，我们将全力做好以下工作：
（一）坚定不移扩大有效投资，在打造高质量发展新增长极上敢作善为、加速突破。
加强项目谋划。抢抓两重两新等政策机遇；支持企业增资扩产。
**加速项目建设。**推动细胞与基因药谷项目6月份竣工。
三、全面提升政府建设水平
政府自身建设永远在路上。
铸牢对党忠诚的政治品格。坚持把政治建设摆在首位。
各位代表！路虽远，行则将至；事虽难，做则必成。
"""


def doc(raw: str) -> Document:
    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw))


@pytest.fixture(scope="module")
def report():
    d = doc(REPORT)
    return d, NARRATIVE.extract(d)


def quote(d, span):
    return d.text[span.start:span.end]


def test_the_outline_and_the_sentences_of_this_years_part_only(report):
    d, x = report
    got = [(t.level, t.number, t.text, t.parent_seq) for t in x.tasks]
    assert got == [
        (1, "二", "2025年总体目标和主要任务", None),
        (2, None, "综合考虑发展实际，2025年全区经济社会发展主要预期目标", 1),
        (0, None, "地区生产总值增长5.7%", 2),
        (0, None, "实际使用外资4500万美元", 2),
        (0, None, "全面完成能耗强度降低任务", 2),
        (2, "（一）", "坚定不移扩大有效投资，在打造高质量发展新增长极上敢作善为、加速突破", 1),
        (3, None, "加强项目谋划", 6),
        (0, None, "抢抓两重两新等政策机遇", 7),
        (0, None, "支持企业增资扩产", 7),
        (3, None, "加速项目建设", 6),
        (0, None, "推动细胞与基因药谷项目6月份竣工", 10),
        (1, "三", "全面提升政府建设水平", None),
        (3, None, "铸牢对党忠诚的政治品格", 12),
        (0, None, "坚持把政治建设摆在首位", 13),
    ]
    assert [t.seq for t in x.tasks] == list(range(1, 15))
    assert all(quote(d, t.span) == t.text for t in x.tasks)
    assert x.tasks[7].section == "加强项目谋划"


def test_each_main_target_is_a_task_under_the_lead_in_with_its_target(report):
    d, x = report
    items = [t for t in x.tasks if t.parent_seq == 2]
    assert [[(i.metric, i.target, i.main, quote(d, i.span)) for i in t.indicators] for t in items] == [
        [("地区生产总值", 5.7, True, "地区生产总值增长5.7%")],
        [("实际使用外资", 4500.0, True, "实际使用外资4500万美元")],
        [("能耗强度", None, True, "完成能耗强度降低任务")]]
    assert x.tasks[1].section == "2025年总体目标和主要任务" and items[0].section == x.tasks[1].text


def test_a_task_sentence_carries_its_projects(report):
    d, x = report
    (p,) = x.tasks[10].projects
    assert (p.name, quote(d, p.span)) == ("细胞与基因药谷", "细胞与基因药谷")


def test_the_main_targets_are_document_indicators(report):
    d, x = report
    assert [(i.metric, i.target, i.unit, i.direction, i.main) for i in x.indicators] == [
        ("地区生产总值", 5.7, "%", "up", True),
        ("实际使用外资", 4500.0, "万美元", "up", True),
        ("能耗强度", None, None, "down", True)]
    assert [quote(d, i.span) for i in x.indicators] == [
        "地区生产总值增长5.7%", "实际使用外资4500万美元", "完成能耗强度降低任务"]


@pytest.mark.parametrize("line, name, post, q", [
    ("槐荫区区长  刘敬涛", "刘敬涛", "区长", "槐荫区区长  刘敬涛"),
    ("济南市市长 于海田", "于海田", "市长", "济南市市长 于海田"),
    ("  市长 于海田  ", "于海田", "市长", "市长 于海田"),
])
def test_the_author_line(line, name, post, q):
    d = doc("政府工作报告\n\n" + line + "\n\n各位代表：\n")
    n, p, span = report_author(d)
    assert (n, p, quote(d, span)) == (name, post, q)


def test_no_author_line():
    assert report_author(doc("各位代表：\n现在，我代表区人民政府向大会报告工作。\n")) == (None, None, None)


@pytest.mark.parametrize("raw, fit", [
    (REPORT, 1.0),
    ("1.地区生产总值增长5.6%。（牵头单位：区发展改革局）\n", 0.0),
    ("2025年政府工作报告确定的重点任务推进情况\n\n\t序号\n\t主要任务\n\t责任单位\n\t推进情况\n", 0.0),
])
def test_fit(raw, fit):
    assert NARRATIVE.fit(doc(raw)) == fit


@pytest.mark.parametrize("name, author, main, chapters, sections, leads", [
    ("huaiyin-2025-work-report", ("刘敬涛", "区长"), 8, 2, 8, 28),     # 7 sections + 主要预期目标
    ("jinan-2025-work-report", ("于海田", "市长"), 10, 3, 12, 42),
])
def test_the_seed_reports(name, author, main, chapters, sections, leads):
    from kg.sources import read_document

    d = read_document(REPORTS / f"{name}.txt")
    x = NARRATIVE.extract(d)
    levels = [sum(t.level == k for t in x.tasks) for k in range(4)]
    print(f"\n{name}: {levels[0]} task sentences, {levels[1]} chapters, {levels[2]} sections, "
          f"{levels[3]} lead phrases, {len(x.indicators)} main targets, "
          f"{sum(len(t.projects) for t in x.tasks)} project mentions")
    assert report_author(d)[:2] == author
    assert len(x.indicators) == main and all(i.main for i in x.indicators)
    assert levels[1:] == [chapters, sections, leads]
    assert not any("2024" in t.text for t in x.tasks if t.level == 1)
    for t in x.tasks:
        raw = d.text[t.span.start:t.span.end]
        assert normalize(raw).text.replace("\n", "") == t.text.replace("\n", "")


def test_the_main_target_lead_in_starts_after_the_sentence_before_it():
    raw = ("各位代表：\n我代表区人民政府向大会报告工作。\n二、2025年主要任务\n开篇。\n"
           "今年很关键。综合考虑，主要预期目标是：地区生产总值增长5%；实际使用外资1亿美元。\n"
           "围绕实现上述目标，我们将做好以下工作：\n（一）抓项目。\n加强项目谋划。抢抓机遇。\n")
    x = NARRATIVE.extract(doc(raw))
    assert [(t.level, t.parent_seq, t.text) for t in x.tasks] == [
        (1, None, "2025年主要任务"), (2, 1, "综合考虑，主要预期目标"),
        (0, 2, "地区生产总值增长5%"), (0, 2, "实际使用外资1亿美元"),
        (2, 1, "抓项目"), (3, 5, "加强项目谋划"), (0, 6, "抢抓机遇")]
