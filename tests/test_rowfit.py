"""A table flattened one cell a line is fitted back to its columns by what each cell holds."""

from kg.extract.cells import Cell, columns
from kg.extract.layouts.markers import MARKERS
from kg.extract.layouts.progress_table import PROGRESS_TABLE
from kg.extract.rowfit import DEADLINE, LEADERS, NUMBER, TEXT, UNITS, cell_kind, fit
from kg.extract.tables import tables_of
from kg.model import Document
from kg.sources.normalize import normalize


def doc(raw: str) -> Document:
    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw))


def line_cells(d: Document) -> list[Cell]:
    out, pos = [], 0
    for line in d.norm.text.split("\n"):
        if line.strip():
            out.append(Cell(pos, pos + len(line), ((pos, pos + len(line)),)))
        pos += len(line) + 1
    return out


def units(task):
    return [(u.name, u.role) for u in task.units]


def test_what_a_cell_holds():
    d = doc("12\n县水务局、县住建局\n王宏\n12月底前\n建成县残疾人综合服务中心。\n")
    assert [cell_kind(d, c) for c in line_cells(d)] == [NUMBER, UNITS, LEADERS, DEADLINE, TEXT]


def test_a_row_that_fits_as_it_stands_is_kept_and_a_short_row_finds_its_columns():
    d = doc("序号\n主要任务\n分管领导\n牵头单位\n配合单位\n1\n新建学校3所。\n张三\n区教育局\n区财政局\n2\n新建公园。\n区建设局\n")
    header, first, second = line_cells(d)[:5], line_cells(d)[5:10], line_cells(d)[10:]
    cols = columns(d, header)
    assert [c.text(d) for c in fit(d, cols, first).cells] == ["1", "新建学校3所。", "张三", "区教育局", "区财政局"]
    got = fit(d, cols, second).cells
    assert [c.text(d) if c else None for c in got] == ["2", "新建公园。", None, "区建设局", None]


def test_units_of_one_cell_a_line_and_a_sub_row_under_a_merged_unit_cell():
    raw = ("序号\n\n民生实事\n\n责任单位\n\n完成时限\n\n1\n\n启动东湖湿地公园建设。\n\n县水务局\n\n县住建局\n\n12月底前\n\n"
           "2\n\n开工建设县老年养护楼。\n\n县民政局\n\n5月底前动工\n\n开工建设老年大学。\n\n12月底前\n\n"
           "3\n\n新建2座人行天桥。\n\n县住建局\n\n9月投入使用\n\n分享到：\n")
    d = doc(raw)
    x = MARKERS.extract(d)
    assert [(t.text, units(t)) for t in x.tasks] == [
        ("启动东湖湿地公园建设。", [("县水务局", "responsible"), ("县住建局", "responsible")]),
        ("开工建设县老年养护楼。", [("县民政局", "responsible")]),
        ("开工建设老年大学。", [("县民政局", "responsible")]),
        ("新建2座人行天桥。", [("县住建局", "responsible")])]
    (table,) = [t for t in tables_of(d) if t.form == "lines"]
    assert d.norm.text[table.end - 6:table.end] == "9月投入使用"        # the page's own words end it


def test_a_category_cell_before_the_number_and_a_lead_listed_among_the_responsible_too():
    raw = ("分类\n\n序号\n\n事项\n\n责任单位\n\n牵头单位\n\n发展目标\n\n1\n\n地区生产总值增长6.5%以上。\n\n"
           "区农业农村局、区发改局\n\n区发改局\n\n2\n\n农业增加值增长3.5%。\n\n区农业农村局\n\n区农业农村局\n")
    x = MARKERS.extract(doc(raw))
    assert [(t.text, units(t)) for t in x.tasks] == [
        ("地区生产总值增长6.5%以上。", [("区农业农村局", "assist"), ("区发改局", "lead")]),
        ("农业增加值增长3.5%。", [("区农业农村局", "lead")])]


def test_a_progress_table_one_cell_a_line_with_pipes_reads_every_role_column():
    raw = ("序号 |\n主要任务 |\n分管 领导 |\n牵头 单位 |\n责任主体与协同单位 |\n1-10月推进情况 |\n1-11月推进情况 |\n"
           "是否达序 |\n说明 |\n24 |\n优化提升50条背街后巷交通组织。 |\n徐国江 |\n城管局 |\n市政局、相关街道 |\n"
           "完成30%。 |\n完成60%。 |\n是 |\n||\n")
    (t,) = PROGRESS_TABLE.extract(doc(raw)).tasks
    assert (t.number, t.text, units(t), [m.name for m in t.leaders], t.progress) == (
        "24", "优化提升50条背街后巷交通组织。", [("城管局", "lead"), ("市政局", "assist"), ("相关街道", "assist")],
        ["徐国江"], "完成60%。")
