"""A task's time limit (完成时限) is read from a column, a label, a bracket's clause or its own
text, kept as written with the date it names, and reaches the graph, the RDF and the view."""

import pytest

from kg.build import build_graph
from kg.extract.layouts.markers import MARKERS
from kg.model import DocMeta, Document
from kg.sources.normalize import normalize


def read(raw: str, year=2025):
    d = Document(id="t", path="t.txt", text=raw, norm=normalize(raw), meta=DocMeta(year=year))
    return d, MARKERS.extract(d).tasks


def deadlines(d, tasks):
    return [(t.deadline.text, t.deadline.due, t.deadline.ongoing, t.deadline.source,
             d.text[t.deadline.span.start:t.deadline.span.end]) if t.deadline else None for t in tasks]


def test_labels_bracket_clauses_and_the_tasks_own_words():
    d, tasks = read("1.推进城市更新。（牵头单位：区住建局；完成时限：2025年6月底前）\n"
                    "2.建设口袋公园10处。（区园林局负责，年内持续推进）\n"
                    "3.抓好安全生产。（牵头单位：区应急局；完成时限：长期坚持）\n"
                    "4.三季度末前建成智慧停车平台。（牵头单位：区大数据局）\n"
                    "5.持续推进重大项目建设。（牵头单位：区发展改革局）\n")
    assert deadlines(d, tasks) == [
        ("2025年6月底前", "2025-06-30", False, "label", "2025年6月底前"),
        ("年内持续推进", "2025-12-31", False, "bracket", "年内持续推进"),
        ("长期坚持", None, True, "label", "长期坚持"),
        ("三季度末前建成", "2025-09-30", False, "text", "三季度末前建成"),
        None]                                     # 持续推进 opens a task: what to do, not when


@pytest.mark.parametrize("words, due", [("12月底前", "2025-12-31"), ("6月中旬", "2025-06-20"),
                                        ("上半年", "2025-06-30"), ("2026年9月30日前", "2026-09-30"),
                                        ("二季度", "2025-06-30"), ("9月投入使用", "2025-09-30"),
                                        ("与主体工程同步", None)])
def test_a_column_cell_names_the_last_day_of_its_period(words, due):
    d, (t,) = read(f"序号\t任务\t牵头单位\t完成时限\n1\t建设智慧停车平台。\t区大数据局\t{words}\n")
    assert (t.deadline.text, t.deadline.due, t.deadline.source) == (words, due, "column")


def test_a_word_table_with_a_deadline_column_reaches_the_graph_and_the_rdf(tmp_path):
    docx = pytest.importorskip("docx")
    from kg.stores.rdf import rdflib_graph
    from kg.stores.shacl import validate

    document = docx.Document()
    document.add_paragraph("历下区2025年政府工作报告重点任务分解表")
    rows = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "新建城市书房5处。", "区文化和旅游局", "区财政局", "2025年11月底前"],
            ["2", "推进老旧小区改造。", "区住房城乡建设局", "各街道", "长期坚持"]]
    table = document.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    path = tmp_path / "lixia-2025-decomposition.docx"
    document.save(path)
    result = build_graph([path], {"region": "历下区", "year": 2025}, workers=1)
    tasks = sorted((d["seq"], d.get("deadline"), d.get("due"), d.get("deadline_ongoing"))
                   for _, d in result.graph.nodes(data=True) if d.get("type") == "Task")
    assert tasks == [(1, "2025年11月底前", "2025-11-30", False), (2, "长期坚持", None, True)]
    g = rdflib_graph(result.graph)
    q = """PREFIX gkg: <https://w3id.org/govkg/ontology#>
           SELECT ?due WHERE { ?t gkg:deadline "2025年11月底前"@zh ; gkg:dueDate ?due }"""
    assert [str(r.due) for r in g.query(q)] == ["2025-11-30"]
    assert validate(result.graph).conforms
