"""A division table names each column by its role word; each unit takes its column's role."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.extract.layouts.markers import MARKERS
from kg.extract.registry import best_extractor
from kg.model import Document, Span, Table
from kg.sources import read_document
from kg.sources.normalize import normalize

VARIANTS = Path(__file__).resolve().parent / "data" / "variants"


def tasks_of(x):
    return [(t.number, t.level, t.text, [(u.name, u.role, u.role_word) for u in t.units],
             [(m.name, m.post, m.role_word) for m in t.leaders]) for t in x.tasks]


def test_a_table_flattened_one_cell_per_line():
    doc = read_document(VARIANTS / "division-table.txt")
    extractor, fit = best_extractor(doc)
    assert extractor is MARKERS and fit == 1.0
    x = extractor.extract(doc)
    assert tasks_of(x) == [
        ("1", 0, "全县地区生产总值增长6%左右。",
         [("县发展改革局", "lead", "牵头单位"), ("县财政局", "assist", "责任单位"), ("县统计局", "assist", "责任单位")],
         [("张三", None, "牵头县领导")]),
        ("2", 0, "推进乡村振兴，建设高标准农田2万亩。",
         [("县农业农村局", "lead", "牵头单位"), ("各乡镇", "assist", "责任单位")], [("李四", None, "牵头县领导")]),
        # two unit names run together in one cell
        ("3", 0, "扩大有效投资，实施重点项目100个以上。",
         [("县发展改革局", "lead", "牵头单位"), ("县住房城乡建设局", "lead", "牵头单位"),
          ("县自然资源局", "assist", "责任单位")], [("张三", None, "牵头县领导")]),
    ]
    assert x.problems == ()
    u = x.tasks[2].units[1]
    assert doc.text[u.span.start:u.span.end] == "县住房城乡建设局"


def test_a_table_flattened_one_row_per_line_with_headings_and_a_prose_column():
    doc = read_document(VARIANTS / "division-table-rows.txt")
    extractor, fit = best_extractor(doc)
    assert extractor is MARKERS and fit == 1.0
    assert tasks_of(extractor.extract(doc)) == [
        ("一", 1, "经济发展", [], []),
        ("1", 0, "地区生产总值增长6%。", [("区发改局", "lead", "牵头"), ("区统计局", "assist", "配合")],
         [("王五", "副区长", "责任领导")]),
        ("2", 0, "新增市场主体3000户。", [("区市场监管局", "responsible", "负责")], []),
        ("二", 1, "社会民生", [], []),
        ("3", 0, "新增城镇就业1万人。", [("区人社局", "responsible", "责任分工"), ("区财政局", "responsible", "责任分工")],
         [("赵六", None, "责任领导")]),
    ]


@dataclass(frozen=True)
class MergedCell:
    """A table cell as a .docx reader that marks vertical merges would give it."""

    text: str
    span: Span
    merged: bool = False


def _docx_like(rows, merged=()):
    """A Document whose text is the cell-per-line flattening of ``rows`` and whose tables hold them."""
    parts, cells, pos = [], [], 0
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            parts.append("\t")
            pos += 1
            out.append(MergedCell(value, Span("t", pos, pos + len(value)), (r, c) in merged))
            parts.append(value + "\n")
            pos += len(value) + 1
        parts.append("\n")
        pos += 1
        cells.append(tuple(out))
    text = "".join(parts)
    return Document(id="t", path="t.docx", text=text, norm=normalize(text), tables=(Table(tuple(cells)),))


ROWS = [["序号", "工作任务", "牵头单位", "责任单位"],
        ["1", "全县地区生产总值增长6%左右。", "县发展改革局", "县统计局"],
        ["2", "固定资产投资增长8%。", "", "县住房城乡建设局"]]


@pytest.mark.parametrize("merged, want", [
    # the lead cell continues a vertical merge: row 2 has the same lead as row 1
    ({(2, 2)}, [("县发展改革局", "lead", "牵头单位"), ("县住房城乡建设局", "assist", "责任单位")]),
    # an empty cell that is not merged is not filled from above
    (set(), [("县住房城乡建设局", "responsible", "责任单位")]),
])
def test_a_merged_cell_is_inherited_only_when_the_table_says_so(merged, want):
    x = MARKERS.extract(_docx_like(ROWS, merged))
    assert [(u.name, u.role, u.role_word) for u in x.tasks[1].units] == want


def test_a_progress_table_is_not_a_division_table():
    doc = Document(id="t", path="t", text="\t序号\n\t主要任务\n\t责任单位\n\t推进情况\n\n\t1\n\t任务\n\t区发改局\n\t已完成\n",
                   norm=normalize("\t序号\n\t主要任务\n\t责任单位\n\t推进情况\n\n\t1\n\t任务\n\t区发改局\n\t已完成\n"))
    assert MARKERS.fit(doc) == 0.0


def test_a_row_without_units_is_reported_with_its_line():
    doc = Document(id="t", path="t.txt", text="序号\t工作任务\t牵头单位\n1\t任务一。\t区发改局\n2\t任务二。\t\n",
                   norm=normalize("序号\t工作任务\t牵头单位\n1\t任务一。\t区发改局\n2\t任务二。\t\n"))
    x = MARKERS.extract(doc)
    assert [(p.line, p.message) for p in x.problems] == [(3, "table row 2 names no unit in its role columns")]
