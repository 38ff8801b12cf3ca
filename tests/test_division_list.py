"""A numbered division list gives one task per item, under its headings, with its units."""

import re
from pathlib import Path

from kg.extract.layouts.markers import MARKERS
from kg.model import DIVISION, Document
from kg.sources.normalize import normalize

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"

RAW = """附件1

### 一、实现2025年全区经济社会发展主要预期目标

1.地区生产总值增长 5.6%（力争超过 5.6%）。（牵头单位：区发展改革局；责任单位：大学城管委会，区工业信息化和科技局、区住房城乡建设局，各街镇）

6.城乡居民人均可支配收入分别增长5.5%和6%以上。（牵头

单位：区发展改革局、区农业农村局；责任单位：各街镇）

## 二、聚焦工业强区、聚力产业焕新，以更大力度发展新质生产力

### （一）主导产业更聚焦

34.聚焦“2+2”产业链条，推进45个重点在谈项目签约落地。

（牵头单位：区投资促进局；责任单位：各街镇）

35.大力开展项目全生命周期管理。(牵头单位:区发展改革局,区行政审批服务局)

36.没有括注的任务。
"""


def doc(raw: str, id: str = "t", path: str = "t.txt") -> Document:
    return Document(id=id, path=path, text=raw, norm=normalize(raw))


def quote(d, span):
    return d.text[span.start:span.end]


def test_headings_and_items_in_order_with_levels_and_parents():
    x = MARKERS.extract(doc(RAW))
    assert [(t.seq, t.number, t.level, t.parent_seq) for t in x.tasks] == [
        (1, "一", 1, None), (2, "1", 0, 1), (3, "6", 0, 1),
        (4, "二", 1, None), (5, "（一）", 2, 4), (6, "34", 0, 5), (7, "35", 0, 5), (8, "36", 0, 5),
    ]
    assert x.layout == "role-markers" and MARKERS.kind == DIVISION
    sections = [t.section for t in x.tasks if t.level == 0]
    assert sections[:2] == ["实现2025年全区经济社会发展主要预期目标"] * 2
    assert sections[2:] == ["主导产业更聚焦"] * 3
    assert x.tasks[4].text == "主导产业更聚焦" and x.tasks[4].section == "聚焦工业强区、聚力产业焕新，以更大力度发展新质生产力"


def test_task_text_keeps_the_stretch_target_and_quotes_the_raw_text():
    d = doc(RAW)
    t = MARKERS.extract(d).tasks[1]
    assert t.text == "地区生产总值增长5.6%（力争超过5.6%）。"
    assert quote(d, t.span) == "地区生产总值增长 5.6%（力争超过 5.6%）。"
    assert quote(d, t.annotation_span).startswith("（牵头单位：区发展改革局；")
    assert [(u.name, u.role) for u in t.units] == [
        ("区发展改革局", "lead"), ("大学城管委会", "assist"), ("区工业信息化和科技局", "assist"),
        ("区住房城乡建设局", "assist"), ("各街镇", "assist")]
    assert all(quote(d, u.span) == u.name for u in t.units)


def test_an_annotation_split_by_a_page_break_or_on_the_next_paragraph():
    d = doc(RAW)
    tasks = {t.number: t for t in MARKERS.extract(d).tasks}
    assert [(u.name, u.role) for u in tasks["6"].units] == [
        ("区发展改革局", "lead"), ("区农业农村局", "lead"), ("各街镇", "assist")]
    assert tasks["34"].text == "聚焦“2+2”产业链条，推进45个重点在谈项目签约落地。"
    assert [(u.name, u.role) for u in tasks["34"].units] == [("区投资促进局", "lead"), ("各街镇", "assist")]
    assert [(u.name, u.role) for u in tasks["35"].units] == [("区发展改革局", "lead"), ("区行政审批服务局", "lead")]
    assert quote(d, tasks["35"].annotation_span) == "(牵头单位:区发展改革局,区行政审批服务局)"


def test_an_item_without_annotation_is_kept_and_reported_with_its_line():
    d = doc(RAW)
    x = MARKERS.extract(d)
    t = [t for t in x.tasks if t.number == "36"][0]
    assert t.units == () and t.text == "没有括注的任务。"
    assert [(p.line, p.message) for p in x.problems] == [(21, "task 36 has no annotation (牵头单位：…)")]


def test_fit_is_one_when_markers_name_someone_and_nothing_without_markers_or_targets():
    assert MARKERS.fit(doc(RAW)) == 1.0
    assert MARKERS.fit(doc("今年的工作。\n\n1.第一项。\n2.第二项。")) == 0.0
    assert MARKERS.fit(doc("今年的工作。\n\n地区生产总值增长5%左右。")) == 0.3


def test_seed_changqing_division_list():
    path = REPORTS / "changqing-2025-division.txt"
    raw = path.read_text(encoding="utf-8")
    d = doc(raw, "changqing-2025-division", str(path))
    x = MARKERS.extract(d)
    items = [t for t in x.tasks if t.level == 0]
    units = [u for t in items for u in t.units]
    print(f"\nchangqing: fit={x.fit:.2f} tasks={len(items)} headings={len(x.tasks) - len(items)} "
          f"units={len(units)} problems={len(x.problems)}")
    assert [t.number for t in items] == [str(n) for n in range(1, 90)]
    assert x.fit == 1.0 and x.problems == ()
    assert all(t.units and t.units[0].role == "lead" for t in items)
    # a page break inside a name stays in the raw quote: 大学城\n\n管委会
    assert all("".join(quote(d, u.span).split()) == u.name for u in units)
    assert sum(quote(d, u.span) != u.name for u in units) == 3
    assert len(re.findall(r"[（(]牵头", raw)) == len(items)
    assert [t.level for t in x.tasks].count(1) == 8
