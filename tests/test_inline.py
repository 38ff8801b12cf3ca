"""Running text with an annotation after each clause gives one task per clause."""

import re
from pathlib import Path

import pytest

from kg.extract.layouts.markers import MARKERS
from kg.model import DECOMPOSITION, Document
from kg.sources.normalize import normalize

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"

RAW = """2025年《济南市历下区政府工作报告》
目标任务分解

今年经济社会发展主要预期目标是：地区生产总值增长5.6%，（牵头领导：武毅；牵头单位：区发展改革局）一般公共预算收入增长3%，（牵头领导：武毅；牵头单位：区财政局、区税务局）新增城镇就业4.15万人。（牵头领导：王若曦；牵头单位：区人力资源社会保障局）
（一）紧盯一个目标，加快构建城市发展新格局。“一轴三区多园”城市发展新格局是“主战场”。
明府城片区要更“靓”更“火”。加快将军庙历史文化街区改造，完成50处院落修缮，（牵头领导：赵冬梅；牵头单位：济南古城保护和发展中心）串联“泉道”“文脉”，打造精品旅游路线。（牵头领导：于杰；牵头单位：区文化和旅游局）
（二）实施五大行动，塑造高质量发展引领优势。聚焦稳增长。
1.千方百计稳增长，实施经济量质齐升行动。加强与新疆自贸试验区联动。（牵头领导：武毅；牵头单位：中国（山东）自由贸易试验区济南片区历下区块管理办公室）兑现惠企政策；（牵头领导：武毅；牵头单位：区发展改革局；责任单位：区财政局、区商务局等各惠企政策发布部门）
"""


def doc(raw: str, id: str = "t", path: str = "t.txt") -> Document:
    return Document(id=id, path=path, text=raw, norm=normalize(raw))


def quote(d, span):
    return d.text[span.start:span.end]


@pytest.fixture(scope="module")
def x():
    return MARKERS.extract(doc(RAW))


def test_one_task_per_annotated_clause_and_headings_in_order(x):
    assert [(t.seq, t.number, t.level, t.parent_seq, t.text) for t in x.tasks] == [
        (1, None, 0, None, "地区生产总值增长5.6%"),
        (2, None, 0, None, "一般公共预算收入增长3%"),
        (3, None, 0, None, "新增城镇就业4.15万人。"),
        (4, "（一）", 1, None, "紧盯一个目标，加快构建城市发展新格局"),
        (5, None, 0, 4, "明府城片区要更“靓”更“火”。加快将军庙历史文化街区改造，完成50处院落修缮"),
        (6, None, 0, 4, "串联“泉道”“文脉”，打造精品旅游路线。"),
        (7, "（二）", 1, None, "实施五大行动，塑造高质量发展引领优势"),
        (8, "1", 2, 7, "千方百计稳增长，实施经济量质齐升行动"),
        (9, None, 0, 8, "加强与新疆自贸试验区联动。"),
        (10, None, 0, 8, "兑现惠企政策"),
    ]
    assert x.layout == "role-markers" and DECOMPOSITION in MARKERS.kinds and x.problems == ()


def test_sections_are_heading_titles_up_to_the_first_full_stop(x):
    assert [t.section for t in x.tasks if t.level == 0] == [
        None, None, None,
        "紧盯一个目标，加快构建城市发展新格局", "紧盯一个目标，加快构建城市发展新格局",
        "千方百计稳增长，实施经济量质齐升行动", "千方百计稳增长，实施经济量质齐升行动",
    ]
    assert x.tasks[7].section == "实施五大行动，塑造高质量发展引领优势"


def test_spans_quote_the_raw_text(x):
    d = x.document
    for t in x.tasks:
        assert quote(d, t.span) == t.text
        for m in t.units + t.leaders:
            assert quote(d, m.span) == m.name


def test_leaders_units_and_roles(x):
    t = x.tasks[1]
    assert [(m.name, m.role_word) for m in t.leaders] == [("武毅", "牵头领导")]
    assert [(u.name, u.role) for u in t.units] == [("区财政局", "lead"), ("区税务局", "lead")]
    assert quote(x.document, t.annotation_span) == "（牵头领导：武毅；牵头单位：区财政局、区税务局）"


def test_nested_brackets_and_collectives_after_deng(x):
    assert [u.name for u in x.tasks[8].units] == ["中国（山东）自由贸易试验区济南片区历下区块管理办公室"]
    assert [(u.name, u.role) for u in x.tasks[9].units] == [
        ("区发展改革局", "lead"), ("区财政局", "assist"), ("区商务局", "assist"), ("各惠企政策发布部门", "assist")]




def test_seed_lixia_decomposition():
    path = REPORTS / "lixia-2025-decomposition.txt"
    raw = path.read_text(encoding="utf-8")
    d = doc(raw, "lixia-2025-decomposition", str(path))
    x = MARKERS.extract(d)
    tasks = [t for t in x.tasks if t.level == 0]
    units = [u for t in tasks for u in t.units]
    leaders = [m for t in tasks for m in t.leaders]
    brackets = len(re.findall(r"[（(](?:牵头|责任)(?:领导|单位)[：:]", raw))
    print(f"\nlixia: fit={x.fit:.2f} tasks={len(tasks)} brackets={brackets} headings={len(x.tasks) - len(tasks)} "
          f"units={len(units)} leaders={len(leaders)} problems={len(x.problems)}")
    assert len(tasks) == brackets == 79
    assert [t.level for t in x.tasks].count(1) == 3 and [t.level for t in x.tasks].count(2) == 8
    assert x.problems == () and x.fit > 0.8
    assert all(t.leaders and t.units for t in tasks)
    assert all(quote(d, m.span) == m.name for m in units + leaders)


def test_best_extractor_picks_each_seed_layout():
    registry = pytest.importorskip("kg.extract.registry")
    for name, layout in [("changqing-2025-division.txt", "role-markers"),
                         ("lixia-2025-decomposition.txt", "role-markers")]:
        raw = (REPORTS / name).read_text(encoding="utf-8")
        ex, fit = registry.best_extractor(doc(raw))
        assert ex.name == layout and fit > 0.8


def test_a_numbered_paragraph_that_is_one_annotated_task_is_a_task_not_a_heading():
    x = MARKERS.extract(doc("1.做好就业工作，稳定就业。（牵头单位：区人力资源社会保障局）做好社保。（牵头单位：区医保局）\n"))
    assert [(t.number, t.level, t.text) for t in x.tasks] == [
        ("1", 0, "做好就业工作，稳定就业。"), (None, 0, "做好社保。")]
    assert x.problems == ()
