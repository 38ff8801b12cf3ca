"""A .pdf and an .html page give the same tasks as the text; a PDF keeps its pages."""

from pathlib import Path

import pytest

from kg.errors import SourceError
from kg.extract.registry import best_extractor
from kg.model import Document
from kg.sources.html import read_html
from kg.sources.normalize import normalize
from kg.model import page_of
from kg.sources.pdf import read_pdf
from pdfmaker import make_pdf, wrap

VARIANTS = Path(__file__).resolve().parent / "data" / "variants"

PARAGRAPHS = [
    "某某县2025年政府工作报告重点工作任务分工",
    "一、稳定经济增长",
    "1.全县地区生产总值增长6%左右，一般公共预算收入增长5%。（牵头单位：县发展改革局；责任单位：县财政局、县统计局）",
    "2.推进乡村振兴，建设高标准农田2万亩，粮食产量稳定在60万吨以上。（牵头单位：县农业农村局；责任单位：各乡镇）",
]


def extracted(text):
    doc = Document(id="t", path="t", text=text, norm=normalize(text))
    extractor, fit = best_extractor(doc)
    x = extractor.extract(doc)
    return doc, fit, {t.number: [(u.name, u.role) for u in t.units] for t in x.tasks if t.level == 0}


EXPECTED = {
    "1": [("县发展改革局", "lead"), ("县财政局", "assist"), ("县统计局", "assist")],
    "2": [("县农业农村局", "lead"), ("各乡镇", "assist")],
}


@pytest.fixture
def pdf_path(tmp_path):
    lines = wrap(PARAGRAPHS, 22)
    # the second task breaks across the page; each page carries its number
    pages = [lines[:-2] + [(20, "- 1 -")], lines[-2:] + [(20, "- 2 -")]]
    path = tmp_path / "division.pdf"
    path.write_bytes(make_pdf(pages))
    return path


def test_pdf_lines_are_rejoined_into_paragraphs_across_pages(pdf_path):
    text, encoding, page_starts = read_pdf(pdf_path)
    assert encoding == "pdf"
    assert text.split("\n") == PARAGRAPHS
    assert "- 1 -" not in text and "- 2 -" not in text
    _, fit, tasks = extracted(text)
    assert fit == 1.0 and tasks == EXPECTED


def test_pdf_page_starts_give_the_page_of_a_span(pdf_path):
    text, _, page_starts = read_pdf(pdf_path)
    assert len(page_starts) == 2 and page_starts[0] == 0
    assert page_of(page_starts, text.index("县发展改革局")) == 1
    assert page_of(page_starts, text.index("各乡镇")) == 2


def test_a_damaged_or_scanned_pdf_is_refused_with_a_message(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(SourceError, match="cannot read the PDF"):
        read_pdf(bad)
    empty = tmp_path / "scan.pdf"
    empty.write_bytes(make_pdf([[]]))
    with pytest.raises(SourceError, match="no text layer"):
        read_pdf(empty)


def test_html_page_gives_its_main_text_without_menus():
    text, encoding = read_html(VARIANTS / "gov-page.html")
    assert encoding == "gb2312"
    lines = text.splitlines()
    assert lines[0] == "某某县2025年政府工作报告重点工作任务分工"
    for menu in ("首页", "政务公开", "当前位置", "网站地图", "分享到", "相关文章", "var nav"):
        assert menu not in text
    _, fit, tasks = extracted(text)
    assert fit == 1.0
    assert tasks == {**EXPECTED, "3": [("县发展改革局", "lead"), ("县自然资源局", "assist")],
                     "4": [("县住房城乡建设局", "lead")]}


def test_html_table_is_written_one_cell_per_line(tmp_path):
    page = tmp_path / "t.html"
    page.write_text("<html><body><div id='content'><table><tr><td>序号</td><td>任务</td></tr>"
                    "<tr><td>1</td><td><p>扩大有效投资</p><p>推进重点项目</p></td></tr></table></div></body></html>",
                    encoding="utf-8")
    text, encoding = read_html(page)
    assert encoding == "utf-8"
    assert text == "\t序号\n\t任务\n\n\t1\n\t扩大有效投资\n\t推进重点项目\n"


def test_pdf_and_html_documents_build_into_the_graph_with_pages_in_the_provenance(tmp_path, pdf_path):
    """Registered as readers (kg.sources.READERS), both kinds build like a .txt."""
    import shutil

    from kg.build import build_graph

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(pdf_path, folder / "county-division.pdf")
    shutil.copy(VARIANTS / "gov-page.html", folder / "county-page.html")
    result = build_graph([folder])
    assert result.failures == []
    layouts = {x.document.id: (x.layout, x.document.encoding) for x in result.extractions}
    assert layouts == {"county-division": ("role-markers", "pdf"), "county-page": ("role-markers", "gb2312")}
    for x in result.extractions:
        task = next(t for t in x.tasks if t.number == "1")
        assert [(u.name, u.role) for u in task.units] == EXPECTED["1"]
        assert x.document.text[task.units[0].span.start:task.units[0].span.end] == "县发展改革局"
    g = result.graph
    pages = {d.get("page") for _, _, d in g.edges(data=True) if d.get("doc_id") == "county-division"}
    assert pages == {1, 2}
    assert all("page" not in d for _, _, d in g.edges(data=True) if d.get("doc_id") == "county-page")


def test_a_ruled_table_in_a_pdf_is_read_one_cell_per_line(tmp_path):
    from kg.extract.layouts.markers import MARKERS
    from pdfmaker import table_ops

    rows = [["序号", "工作任务", "牵头单位", "责任单位"],
            ["1", "全县地区生产总值增长6%左右。", "县发展改革局", "县财政局、县统计局"],
            ["2", "建设高标准农田2万亩。", "县农业农村局", "各乡镇"]]
    path = tmp_path / "table.pdf"
    path.write_bytes(make_pdf([[(0, "某某县重点任务责任分工表")]], extra=[table_ops(rows, [3, 16, 8, 10], 520)]))
    text, _, _ = read_pdf(path)
    assert text.startswith("某某县重点任务责任分工表\n\n\t序号\n\t工作任务\n\t牵头单位\n\t责任单位\n\n\t1\n")
    doc = Document(id="t", path="t", text=text, norm=normalize(text))
    extractor, fit = best_extractor(doc)
    assert extractor is MARKERS and fit == 1.0
    x = extractor.extract(doc)
    assert {t.number: [(u.name, u.role) for u in t.units] for t in x.tasks} == EXPECTED


def test_html_page_laid_out_with_tables_gives_the_content_cell():
    text, _ = read_html(VARIANTS / "gov-page-layout-tables.html")
    assert text.splitlines() == [
        "关于印发重点任务分工的通知",          # the <title> without the site name
        "一、稳定增长",
        "1.地区生产总值增长6%。（牵头单位：市发展改革委；责任单位：市统计局）",
        "2.推进城市更新。（牵头单位：市住房城乡建设局）",
    ]


def test_html_data_table_comes_with_its_title(tmp_path):
    page = tmp_path / "t.html"
    page.write_text("<html><body><ul class='menu'><li><a href='/'>首页</a></li></ul><div class='article'>"
                    "<p>某某县重点任务责任分工表</p><table><tr><td>序号</td><td>工作任务</td><td>牵头单位</td></tr>"
                    "<tr><td>1</td><td>全县地区生产总值增长6%左右。</td><td>县发展改革局</td></tr></table>"
                    "</div></body></html>", encoding="utf-8")
    text, _ = read_html(page)
    assert text.startswith("某某县重点任务责任分工表\n\t序号\n\t工作任务\n\t牵头单位\n\n\t1\n")
    _, fit, tasks = extracted(text)
    assert fit == 1.0 and tasks == {"1": [("县发展改革局", "lead")]}
