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
    assert got == [("1", "地区生产总值增长6%以上。", [("市发改委", L), ("各县(市)区政府", A)], [])]


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


@pytest.mark.parametrize("raw, units", [
    # a verb written once serves the names before it
    ("1.推进项目建设。（省发展改革委、财政厅牵头；省工业和信息化委、国土资源厅，各州、市人民政府配合）",
     [("省发展改革委", L), ("财政厅", L), ("省工业和信息化委", A), ("国土资源厅", A), ("各州、市人民政府", A)]),
    # a clause that says when is not a unit
    ("1.全面建成小康社会。（国务院各部门分别负责，年内持续推进）", [("国务院各部门", L)]),
    # a list under a role word may name its leads in prose; the rest take the label's role
    ("1.严控一般性支出。\n责任单位：省政府办公厅、省财政厅牵头，省商务厅、省文化广电和旅游厅（除标注为“牵头”单位外，"
     "列第一位的为牵头或汇总单位，下同）\n",
     [("省政府办公厅", L), ("省财政厅", L), ("省商务厅", A), ("省文化广电和旅游厅", A)]),
])
def test_prose_inside_and_around_role_lists(raw, units):
    got, _ = read(raw)
    assert got[0][2] == units


def test_the_first_listed_rule_gives_the_list_its_lead():
    got, _ = read("1.支持企业发展。\n责任单位：市经信局、市财政局、市税务局（列第一位者为工作牵头单位或汇总单位，下同）\n")
    assert got[0][2] == [("市经信局", L), ("市财政局", A), ("市税务局", A)]


def test_labels_on_one_line_after_removed_spaces_and_a_leader_with_two_titles():
    got, _ = read("全文说明。其中明确指出： 实施数据增富工程。加快信创产业发展。 分管领导:广东省副省长、珠海市委书记吕玉印"
                  " 部门分工:省工业和信息化厅牵头,省委网信办,省发展改革委、科技厅等配合。 打造平台。")
    assert got[0][1:] == ("实施数据增富工程。加快信创产业发展。",
                          [("省工业和信息化厅", L), ("省委网信办", A), ("省发展改革委", A), ("科技厅", A)], ["吕玉印"])


def test_a_titled_item_over_one_paragraph_is_one_task():
    got, _ = read("一、推进重大项目建设\n建立健全制度，确保实现财政收入增长4%的目标。（省发展改革委牵头，各州、市人民政府配合）\n"
                  "二、加强城市基础设施投入\n")
    assert got[0][0] == "一" and got[0][1].startswith("推进重大项目建设\n建立健全制度")
    assert got[0][2] == [("省发展改革委", L), ("各州、市人民政府", A)]


def test_a_table_row_with_a_role_line_under_it_and_a_leader_heading_above_it():
    raw = ("序号\n\n重点工作任务（杭州市2项配合工作）\n\n责任单位\n\n（一）王宏副市长牵头重点工作\n\n1\n\n加强粮食保障。\n\n"
           "市农业农村局、市商务局\n\n省牵头单位：省农业农村厅\n\n2\n\n提升传统消费。\n\n市商务局\n")
    got, _ = read(raw)
    assert got == [("1", "加强粮食保障。", [("市农业农村局", A), ("市商务局", A), ("省农业农村厅", L)], ["王宏"]),
                   ("2", "提升传统消费。", [("市商务局", R)], ["王宏"])]


def test_a_table_one_row_a_line_with_cells_separated_by_spaces():
    got, _ = read("序号 工 作 任 务 牵头负责部门\n1 居民消费价格涨幅3%左右 发展改革委\n2 城镇新增就业1000万人以上 人力资源社会保障部\n")
    assert got == [("1", "居民消费价格涨幅3%左右", [("发展改革委", L)], []),
                   ("2", "城镇新增就业1000万人以上", [("人力资源社会保障部", L)], [])]


def test_each_clause_giving_a_unit_a_duty_is_a_task_it_leads():
    raw = ("为确保完成各项目标任务，经区政府研究决定，将主要工作目标任务进行分解。区委办公室负责将目标任务的完成情况纳入综合考评；"
           "区统计局负责对各部门完成的经济类数据进行真实性审核。各部门要明确责任。\n")
    got, _ = read(raw)
    assert got == [(None, "区委办公室负责将目标任务的完成情况纳入综合考评", [("区委办公室", L)], []),
                   (None, "区统计局负责对各部门完成的经济类数据进行真实性审核", [("区统计局", L)], [])]


def test_a_target_column_gives_the_row_its_target():
    raw = ("序号 | 任务名称 | 指标要求 | 牵头部门 | 配合部门 |\n"
           "1 | 地区生产总值 | 增长5.5%（市下达指标） | 区发改经信局 | 区财政局、区统计局 |\n")
    _, x = read(raw)
    (t,) = x.tasks
    (ind,) = t.indicators
    assert (t.text, ind.metric, ind.kind, ind.target, ind.unit) == ("地区生产总值", "地区生产总值", "growth", 5.5, "%")


def _targets(raw: str, year: int = 2025):
    from kg.model import DocMeta

    d = Document(id="t", path="t.txt", text=raw, norm=normalize(raw), meta=DocMeta(year=year))
    return [(t.section, t.text, [(i.metric, i.target) for i in t.indicators])
            for t in MARKERS.extract(d).tasks if t.level == 0]


def test_a_bullet_glyph_used_first_heads_the_bullets_of_another_below_it():
    got = _targets("■ 2025年主要预期目标\n●经济增长6%左右\n●城镇调查失业率5.5%左右\n"
                   "■ 重点工作\n●推进项目建设\n")
    assert got == [("2025年主要预期目标", "经济增长6%左右", [("经济", 6.0)]),
                   ("2025年主要预期目标", "城镇调查失业率5.5%左右", [("城镇调查失业率", 5.5)]),
                   ("重点工作", "推进项目建设", [])]


def test_figures_under_a_heading_that_reviews_an_earlier_year_are_no_targets():
    got = _targets("■ 2024年成绩单\n●预计全省地区生产总值增长6%左右\n"
                   "■ 2025年主要预期目标\n●地区生产总值增长5.5%左右\n")
    assert got == [("2024年成绩单", "预计全省地区生产总值增长6%左右", []),
                   ("2025年主要预期目标", "地区生产总值增长5.5%左右", [("地区生产总值", 5.5)])]


def test_a_heading_over_a_span_of_years_that_reaches_this_one_is_no_review():
    got = _targets("一、“十四五”时期（2021—2025年）主要目标\n1.地区生产总值年均增长6%\n")
    assert got[0][2] == [("地区生产总值", 6.0)]
