"""Readers: encodings of plain text, .docx bodies and tables, and the errors of bad files."""

from __future__ import annotations

import codecs

import pytest

from kg.errors import SourceError
from kg.sources import READERS, read_document
from kg.sources.docx import read_docx
from kg.sources.text import decode, read_text_file

SAMPLE = "2025年政府工作报告\n地区生产总值增长5.6%左右。（牵头单位：区发展改革局）\n一是抓项目，二是强产业。\n"


@pytest.mark.parametrize("data, encoding", [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
    (SAMPLE.encode("gb18030"), "gb18030"),
    (SAMPLE.encode("gbk"), "gb18030"),
    (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
    (SAMPLE.encode("utf-16-le"), "utf-16-le"),
    (SAMPLE.encode("utf-16-be"), "utf-16-be"),
])
def test_each_encoding_decodes_to_the_same_text_without_bom(tmp_path, data, encoding):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    raw = read_text_file(path)
    assert (raw.text, raw.encoding, raw.tables) == (SAMPLE, encoding, ())


def test_crlf_and_spaces_are_kept_exactly():
    assert decode("政 府\r\n工作 \r\n".encode("utf-8")) == ("政 府\r\n工作 \r\n", "utf-8")


@pytest.mark.parametrize("data, message", [
    (b"", "doc.txt: empty file"),
    (b" \n\t\r\n", "doc.txt: empty file (only whitespace)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "doc.txt: binary file, not a text document"),
    (b"abc\x01\x02\x03\x04\x05\x06def\x07\x08", "doc.txt: binary file, not a text document"),
    (b"abc \x80\xff def", "doc.txt: cannot decode: not UTF-8, UTF-16 or GB18030"),
    ("政府工作報告，各位代表：現在我代表區人民政府向大會報告工作".encode("big5"),
     "doc.txt: cannot decode: not UTF-8, UTF-16 or GB18030"),
])
def test_bad_text_files_raise_a_source_error_naming_the_file(tmp_path, data, message):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError) as e:
        read_text_file(path)
    assert str(e.value) == f"{tmp_path}/{message}"


def test_unknown_suffix_names_the_known_kinds(tmp_path):
    path = tmp_path / "doc.odt"
    path.write_bytes(b"PK")
    with pytest.raises(SourceError) as e:
        read_document(path)
    assert str(e.value) == f"{path}: unknown kind of file '.odt'; known kinds: .docx, .htm, .html, .md, .pdf, .txt"


def test_registry_maps_suffixes_to_readers():
    from kg.sources.html import read_html_document
    from kg.sources.pdf import read_pdf_document

    assert READERS == {".txt": read_text_file, ".md": read_text_file, ".docx": read_docx,
                       ".pdf": read_pdf_document, ".html": read_html_document, ".htm": read_html_document}


def _make_docx(path):
    import docx

    d = docx.Document()
    d.add_paragraph("2025年政府工作报告确定的重点任务推进情况")
    t = d.add_table(rows=3, cols=3)
    for col, word in enumerate(["序号", "主要任务", "责任单位"]):
        t.cell(0, col).text = word
    t.cell(1, 0).text = "1"
    t.cell(1, 1).merge(t.cell(1, 2)).text = "地区生产总值增长 5.7%"    # horizontal merge
    t.cell(1, 0).merge(t.cell(2, 0))                                  # vertical merge
    t.cell(2, 1).text = "扩大有效投资"
    t.cell(2, 2).text = "区发展改革局"
    t.cell(2, 2).add_paragraph("区财政局")
    d.add_paragraph("结束")
    d.save(str(path))


def test_docx_text_interleaves_paragraphs_and_table_rows(tmp_path):
    path = tmp_path / "p.docx"
    _make_docx(path)
    raw = read_docx(path, "p")
    assert raw.text == ("2025年政府工作报告确定的重点任务推进情况\n\n"
                        "\t序号\n\t主要任务\n\t责任单位\n\n"
                        "\t1\n\t地区生产总值增长 5.7%\n\n"
                        "\t\n\t扩大有效投资\n\t区发展改革局\n区财政局\n\n"
                        "结束\n")
    assert raw.encoding == "docx"


def test_docx_merged_cells_are_kept_once_and_spans_quote_the_raw_text(tmp_path):
    path = tmp_path / "p.docx"
    _make_docx(path)
    raw = read_docx(path, "p")
    (table,) = raw.tables
    assert [[c.text for c in row] for row in table.rows] == [
        ["序号", "主要任务", "责任单位"],
        ["1", "地区生产总值增长5.7%"],
        ["", "扩大有效投资", "区发展改革局\n区财政局"],
    ]
    quotes = [[raw.text[c.span.start:c.span.end] for c in row] for row in table.rows]
    assert quotes[1] == ["1", "地区生产总值增长 5.7%"]
    assert quotes[2] == ["", "扩大有效投资", "区发展改革局\n区财政局"]
    assert [[c.merged for c in row] for row in table.rows] == [
        [False, False, False], [False, False], [True, False, False]]
    assert {c.span.doc_id for row in table.rows for c in row} == {"p"}


def test_read_document_reads_a_docx_with_its_tables_and_kind(tmp_path, monkeypatch):
    try:
        import kg.resolve.regions  # noqa: F401  (written by another engineer; may be missing)
    except ImportError:
        monkeypatch.setattr("kg.sources.metadata.detect_region", lambda text: None)
    path = tmp_path / "p.docx"
    _make_docx(path)
    doc = read_document(path, root=tmp_path, options={"region": "槐荫区"})
    assert (doc.id, doc.path, len(doc.tables)) == ("p", "p.docx", 1)
    assert doc.tables[0].rows[2][2].span.doc_id == "p"
    assert (doc.meta.kind, doc.meta.year, doc.meta.region) == ("progress", 2025, "槐荫区")


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04broken"])
def test_corrupt_docx_raises_a_source_error(tmp_path, data):
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(SourceError) as e:
        read_docx(path)
    assert str(e.value).startswith(f"{path}: not a readable .docx file")
