"""Every marker of responsibility, wherever it stands, closes the text its document's structure gives it."""

import pytest

from kg.extract.layouts.markers import MARKERS
from kg.model import Document
from kg.sources.normalize import normalize

L, A, R = "lead", "assist", "responsible"


def read(raw: str):
    d = Document(id="t", path="t.txt", text=raw, norm=normalize(raw))
    x = MARKERS.extract(d)
    return [(t.number, t.text, [(u.as_written, u.role) for u in t.units], [m.name for m in t.leaders])
            for t in x.tasks if t.level == 0], x


def test_role_lines_under_an_item_close_it():
    got, _ = read("1﹒全省生产总值增长7%以上。\n牵头负责领导:刘惠。\n牵头责任单位:省发展改革委。\n"
                  "协同责任单位:省政府各部门、各直属机构。\n2﹒固定资产投资增长10%。\n")
    assert got == [("1", "全省生产总值增长7%以上。", [("省发展改革委", L), ("省政府各部门、各直属机构", A)], ["刘惠"]),
                   ("2", "固定资产投资增长10%。", [], [])]


def test_comma_between_role_parts_and_a_collective_with_a_pause_inside():
    got, _ = read("1.推进重点项目建设。（牵头单位：市发展改革委，配合单位：市财政局、市商务局，各区、县）\n")
    assert got[0][2] == [("市发展改革委", L), ("市财政局", A), ("市商务局", A), ("各区、县", A)]


def test_inline_labels_after_a_full_stop():
    got, _ = read("1.地区生产总值增长6%以上。牵头单位:市发改委;责任单位:各县(市)区政府\n")
    assert got == [("1", "地区生产总值增长6%以上。", [("市发改委", L), ("各县（市）区政府", A)], [])]


@pytest.mark.parametrize("raw, units", [
    ("（一）增长11%左右。（省发改委负责）", [("省发改委", R)]),
    ("（二）公共财政收入增长13%。（省财政厅主办，省国税局、地税局协办）", [("省财政厅", L), ("省国税局", A), ("地税局", A)]),
    ("（七）收入均增长12%。（省发改委、农委、统计局分别负责）", [("省发改委", L), ("农委", L), ("统计局", L)]),
    ("一、推动完成目标。〔省发展改革委、省财政厅等牵头，省（中）直有关单位按职责分工负责〕",
     [("省发展改革委", L), ("省财政厅", L), ("省（中）直有关单位", A)]),
])
def test_prose_in_brackets_of_every_kind(raw, units):
    got, _ = read(raw)
    assert got[0][2] == units


def test_a_marker_on_the_next_line_closes_the_text_left_open():
    got, _ = read("耕地保有量保持在国务院确定的面积。\n(市国土房管局牵头)主要污染物排放总量减少10%。(市环保局牵头)\n")
    assert [(t, u) for _n, t, u, _l in got] == [("耕地保有量保持在国务院确定的面积。", [("市国土房管局", L)]),
                                                ("主要污染物排放总量减少10%。", [("市环保局", L)])]
    got, _ = read("今年的主要目标。生产总值增长13%。\n由市人民政府各相关部门，各县（市）、区人民政府负责落实。\n")
    assert got[0][2] == [("市人民政府各相关部门", R), ("各县（市）、区人民政府", R)]


def test_headings_name_the_lead_unit_and_the_leader_of_every_task_below():
    got, _ = read("一、孟学农省长负责的工作\n全面负责工作任务的落实。\n（一）省编办牵头的工作\n1.深化行政管理体制改革。\n"
                  "2.推进乡镇机构改革。\n协同单位：省财政厅、省人事厅等省直有关部门和各市人民政府。\n")
    assert got == [
        (None, "全面负责工作任务的落实。", [], ["孟学农"]),
        ("1", "深化行政管理体制改革。", [("省编办", L)], ["孟学农"]),
        ("2", "推进乡镇机构改革。", [("省编办", L), ("省财政厅", A), ("省人事厅", A), ("各市人民政府", A)], ["孟学农"]),
    ]


def test_a_fragment_cut_inside_the_bracket_keeps_the_whole_names_and_says_so():
    got, x = read("万元GDP能耗下降2.5%（分管副省长、协管副秘书长负责，省发展改革委牵头，省工业和信息化厅、省")
    assert got[0][2:] == ([("省发展改革委", L), ("省工业和信息化厅", A)], ["分管副省长", "协管副秘书长"])
    assert [p.code for p in x.problems] == ["cut"]
    got, _ = read("四、完善惠企政策。〔省发展改革委、省数据局（省营商局）等牵")
    assert got[0][2] == [("省发展改革委", L), ("省数据局（省营商局）", L)]


def test_a_table_whose_lead_cell_spans_rows_gives_the_rows_below_it_that_lead():
    raw = ("牵头单位\n| 目标任务\n| 责任单位\n|\n市\n发\n改\n委\n| 地区生产总值增长13%\n| 统计局和市直相关单位\n|\n"
           "固定资产投资增长20%\n|\n")
    got, _ = read(raw)
    assert got == [(None, "地区生产总值增长13%", [("市发改委", L), ("统计局", A), ("市直相关单位", A)], []),
                   (None, "固定资产投资增长20%", [("市发改委", L)], [])]


def test_bullets_under_a_short_title_line_are_target_statements():
    got, x = read("建议全年经济社会发展预期目标\n●地区生产总值增长5%以上\n●粮食产能稳定在1100亿斤以上\n")
    assert [t for _n, t, _u, _l in got] == ["地区生产总值增长5%以上", "粮食产能稳定在1100亿斤以上"]
    assert [[(i.metric, i.target) for i in t.indicators] for t in x.tasks if t.level == 0] == [
        [("地区生产总值", 5.0)], [("粮食产能", 1100.0)]]
    assert MARKERS.fit(x.document) == 0.3


def test_text_that_names_no_one_and_states_nothing_is_no_task():
    got, _ = read("各县人民政府：\n现将任务分解如下，请认真贯彻落实。\n1.推进改革。（牵头单位：县发改局）\n")
    assert [t for _n, t, _u, _l in got] == ["推进改革。"]
