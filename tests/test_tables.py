"""Tables in every shape give the same rows of cells, and a header names the columns."""

from kg.extract.tables import find_header, tables_of
from kg.model import Document
from kg.sources.normalize import normalize


def doc(raw: str) -> Document:
    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw))


def rows(raw: str, form: str):
    d = doc(raw)
    t = next(t for t in tables_of(d) if t.form == form)
    return d, t, [[c.text(d) for c in r] for r in t.rows]


def test_pipe_rows_one_a_line():
    d, t, got = rows("序号 | 任务 | 牵头责任单位 | 责任单位 |\n(1) | 增长6%。 | 市发展改革委 | 各县市区政府、 开发区管委会 |\n", "pipes")
    assert got == [["序号", "任务", "牵头责任单位", "责任单位"], ["（1）", "增长6%。", "市发展改革委", "各县市区政府、开发区管委会"]]
    _i, cols = find_header(d, t)
    assert (cols.number, cols.task, sorted(cols.roles)) == (0, 1, [2, 3])


def test_a_pipe_row_written_over_several_lines_with_its_first_cell_before_the_first_pipe():
    raw = "牵头单位\n| 目 标 任 务\n| 责 任 单 位\n|\n市政\n府办\n公厅\n| 强化行政监督\n| 市直各单位\n|\n推进国家安全工作\n| 市直各单位\n|\n"
    _d, _t, got = rows(raw, "pipes")
    assert got == [["牵头单位", "目标任务", "责任单位"], ["市政\n府办\n公厅", "强化行政监督", "市直各单位"],
                   ["推进国家安全工作", "市直各单位"]]


def test_one_cell_a_line_with_nothing_marking_the_cells():
    raw = ("分解表\n\n序号\n\n主要工作举措\n\n牵头单位\n\n配合单位\n\n责任领导\n\n一、做大做强主导产业\n\n"
           "1\n\n加快构建现代化产业体系。\n\n区农业农村局\n\n区发展改革局\n\n"
           "2\n\n加快在建项目的建设进度。\n\n沈阳近海经济区管委会\n\n区发展改革局\n\n冯冬昌\n")
    d, t, got = rows(raw, "lines")
    assert got == [["序号", "主要工作举措", "牵头单位", "配合单位", "责任领导"], ["一、做大做强主导产业"],
                   ["1", "加快构建现代化产业体系。", "区农业农村局", "区发展改革局"],
                   ["2", "加快在建项目的建设进度。", "沈阳近海经济区管委会", "区发展改革局", "冯冬昌"]]
    _i, cols = find_header(d, t)
    assert (cols.number, cols.task, [rw.word for _k, rw in sorted(cols.roles.items())]) == (
        0, 1, ["牵头单位", "配合单位", "责任领导"])


def test_a_row_number_is_the_next_one_so_a_value_cell_is_no_row():
    raw = "序号\n指标名称\n单位\n苏州市\n张家港\n1\n地区生产总值\n增幅（%）\n7左右\n7\n2\n一般公共预算收入\n增幅（%）\n8以上\n8.5\n"
    d, t, got = rows(raw, "lines")
    assert got[1] == ["1", "地区生产总值", "增幅（%）", "7左右", "7"] and got[2][0] == "2"
    _i, cols = find_header(d, t)
    assert (cols.metric, cols.unit_of_measure, cols.values) == (1, 2, [3, 4])
