"""The progress table is read from flat text (one cell per line) or a real table into one task
per row, with its units, category, progress, next steps, restored numbers and indicator actuals."""

from pathlib import Path

import pytest

from kg.extract.layouts.progress_table import PROGRESS_TABLE
from kg.model import Document
from kg.sources.normalize import normalize

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"

HEADER = "2025年政府工作报告确定的重点任务推进情况\n\n\t序号\n\t主要任务\n\t责任单位\n\t推进情况\n\t后续举措\n\n"

FLAT = HEADER + (
    "\t1\n\t地区生产总值增长5.7%。\n\t区发展改革局\n"
    "\t1-9月份，完成地区生产总值（GDP）665.4亿元，同比增长5.4%。\n\t紧盯波动较大指标走势。\n\n"
    "\t9\n\t扩大有效投资\n\t争取政策性资金额度50亿元以上。\n\t区财政局\n\n区发展改革局\n\n区城投集团\n"
    "\t1-9月份，获批资金720万元。\n\t申报第三批政府专项债。\n\n"
    "\t10\n\t\n\t签约过亿元项目30个以上。\n\t济南槐荫经济开发区管委会\n\n济南西站枢纽经济商务区\n\n区投资促进局\n"
    "\t1.签约项目24个。\n2.在谈项目10个。\n\t加强项目谋划。\n"
    " \t全面深化改革\n\t深化农村“三变”改革。\n\t区农业农村局\n\t完成15个村的验收。\n\t正在整改中。\n"
    " \t优化“槐小花”等特色服务。\n\t区行政审批服务局\n\t已开展5期专项培训。\n\t提升服务。\n"
)


def doc(raw: str) -> Document:
    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw))


def quote(d, span):
    return d.text[span.start:span.end]


@pytest.fixture(scope="module")
def flat():
    d = doc(FLAT)
    return d, PROGRESS_TABLE.extract(d)


def test_one_task_per_row_with_numbers_restored_after_a_lost_number(flat):
    d, x = flat
    assert [(t.number, t.number_inferred) for t in x.tasks] == [
        ("1", False), ("9", False), ("10", False), ("11", True), ("12", True)]
    assert [t.text for t in x.tasks] == ["地区生产总值增长5.7%。", "争取政策性资金额度50亿元以上。",
                                         "签约过亿元项目30个以上。", "深化农村“三变”改革。", "优化“槐小花”等特色服务。"]
    assert all(quote(d, t.span) == t.text for t in x.tasks)
    assert x.problems == ()


def test_a_category_cell_is_kept_and_an_empty_or_missing_one_continues_it(flat):
    _, x = flat
    assert [t.category for t in x.tasks] == [None, "扩大有效投资", "扩大有效投资", "全面深化改革", "全面深化改革"]


def test_units_separated_by_blank_lines_are_each_a_responsible_unit(flat):
    d, x = flat
    t10 = x.tasks[2]
    assert [(u.name, u.role, u.role_word) for u in t10.units] == [
        ("济南槐荫经济开发区管委会", "responsible", "责任单位"),
        ("济南西站枢纽经济商务区", "responsible", "责任单位"),
        ("区投资促进局", "responsible", "责任单位")]
    assert [quote(d, u.span) for u in t10.units] == [u.name for u in t10.units]
    assert [u.name for u in x.tasks[1].units] == ["区财政局", "区发展改革局", "区城投集团"]


def test_numbered_lines_inside_a_progress_cell_stay_in_the_cell(flat):
    d, x = flat
    t10 = x.tasks[2]
    assert t10.progress == "1.签约项目24个。\n2.在谈项目10个。"
    assert quote(d, t10.progress_span) == "1.签约项目24个。\n2.在谈项目10个。"
    assert (t10.next_steps, quote(d, t10.next_steps_span)) == ("加强项目谋划。", "加强项目谋划。")


def test_a_target_row_gets_the_actual_and_period_from_its_progress_cell(flat):
    d, x = flat
    (ind,) = x.tasks[0].indicators
    assert (ind.metric, ind.target, ind.actual, ind.actual_unit, ind.period) == (
        "地区生产总值", 5.7, 5.4, "%", "2025年1-9月")
    assert quote(d, ind.actual_span) == "同比增长5.4%"


def test_fit_is_one_for_the_table_and_zero_for_running_text():
    assert PROGRESS_TABLE.fit(doc(FLAT)) == 1.0
    assert PROGRESS_TABLE.fit(doc("各位代表：\n现在，我代表区人民政府向大会报告工作。\n")) == 0.0


def test_a_real_docx_table_gives_the_same_rows(tmp_path):
    docx = pytest.importorskip("docx")
    from kg.sources import read_document

    document = docx.Document()
    document.add_paragraph("2025年政府工作报告确定的重点任务推进情况")
    table = document.add_table(rows=3, cols=5)
    rows = [["序号", "主要任务", "责任单位", "推进情况", "后续举措"],
            ["1", "地区生产总值增长5.7%。", "区发展改革局", "1-9月份，同比增长5.4%。", "加强调度。"],
            ["", "新增城镇就业1.95万人。", "区人力资源和社会保障局\n区财政局", "1-9月份，新增城镇就业21284人。", "监测。"]]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    path = tmp_path / "progress.docx"
    document.save(path)
    d = read_document(path)
    assert d.tables
    x = PROGRESS_TABLE.extract(d)
    assert [(t.number, t.number_inferred, t.text) for t in x.tasks] == [
        ("1", False, "地区生产总值增长5.7%。"), ("2", True, "新增城镇就业1.95万人。")]
    assert [u.name for u in x.tasks[1].units] == ["区人力资源和社会保障局", "区财政局"]
    assert all(d.text[u.span.start:u.span.end] == u.name for t in x.tasks for u in t.units)
    (ind,) = x.tasks[1].indicators
    assert (ind.actual, ind.actual_unit) == (2.1284, "万人")


def test_the_seed_progress_report():
    from kg.sources import read_document

    d = read_document(REPORTS / "huaiyin-2025-progress-q1-q3.txt")
    x = PROGRESS_TABLE.extract(d)
    inferred = [int(t.number) for t in x.tasks if t.number_inferred]
    units = sum(len(t.units) for t in x.tasks)
    actuals = [(i.metric, i.actual) for t in x.tasks for i in t.indicators if i.actual is not None]
    print(f"\nprogress table: {len(x.tasks)} rows, {units} unit mentions, numbers restored {inferred}, "
          f"{len(actuals)} actuals, {len(x.problems)} problems")
    assert len(x.tasks) == 32
    assert [t.number for t in x.tasks] == [str(n) for n in range(1, 33)]
    assert inferred == [22, 23, 24, 25, 26, 27, 28, 29, 31]
    assert actuals == [("地区生产总值", 5.4), ("一般公共预算收入", 0.87), ("规模以上工业增加值", 13.0),
                       ("固定资产投资", -3.5), ("社会消费品零售总额", 1.0), ("实际使用外资", 1779.0),
                       ("城镇新增就业", 2.1284)]
    assert all(t.units and t.progress and t.next_steps for t in x.tasks)
    for t in x.tasks:
        assert d.text[t.span.start:t.span.end].replace("[bookmark: _GoBack]", "") == t.text
        for u in t.units:
            assert d.text[u.span.start:u.span.end] == u.name


def test_the_unit_column_may_come_after_a_long_progress_paragraph():
    raw = (
        "2025年重点任务推进情况（前三季度）\n\n"
        "\t序号\n\t主要任务\n\t推进情况\n\t责任单位\n\n"
        "\t1\n\t地区生产总值增长5.7%。\n"
        "\t1-9月份，完成地区生产总值665.4亿元，同比增长5.4%，增速较上半年回落0.3个百分点，高于全国0.2个百分点，"
        "低于全省0.2个百分点，与全市持平，列全市第六位。\n\t区发展改革局\n\n"
        "\t2\n\t一般公共预算收入增长3%。\n\t1-9月份，一般公共预算收入同比增长0.87%。\n\t区财政局\n"
    )
    x = PROGRESS_TABLE.extract(doc(raw))
    assert [(t.number, t.text, [u.name for u in t.units]) for t in x.tasks] == [
        ("1", "地区生产总值增长5.7%。", ["区发展改革局"]),
        ("2", "一般公共预算收入增长3%。", ["区财政局"]),
    ]
    assert x.tasks[0].progress.startswith("1-9月份，完成地区生产总值665.4亿元")


def test_a_task_that_ends_in_a_count_is_no_unit_cell():
    d = doc("序号\t主要任务\t责任单位\t推进情况\t后续举措\n1\t新建社区食堂10处。\t区民政局\t已建成6处。\t加快建设。\n")
    (t,) = PROGRESS_TABLE.extract(d).tasks
    assert (t.number, t.text, [u.name for u in t.units], t.progress) == ("1", "新建社区食堂10处。", ["区民政局"], "已建成6处。")
