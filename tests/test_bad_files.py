"""Bad files of every kind become that document's listed failure: a SourceError naming the
file and what is wrong, never a traceback, a hang or the end of a folder's build. The bad
files are made here, from a small good one."""

from __future__ import annotations

import io
import json
import shutil
import time
import zipfile

import pytest
from click.testing import CliRunner

from conftest import REPORTS
from kg.cli import main
from kg.errors import SourceError
from kg.sources import docx as docx_reader, read_document
from kg.sources.html import read_html
from kg.sources.pdf import read_pdf
from pdfmaker import make_pdf, wrap

DIVISION = REPORTS / "changqing-2025-division.txt"
LINES = ["2025年重点工作责任分工", "1.推进重大项目建设，完成投资100亿元。（牵头单位：区发展改革局；责任单位：区财政局）"]
# A billion "lol"s when expanded: nine levels of ten references.
BOMB = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [<!ENTITY l0 "lol">'
        + b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>")


def good_docx() -> bytes:
    import docx

    d = docx.Document()
    for line in LINES:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def with_document_xml(change) -> bytes:
    """The good .docx with word/document.xml changed by ``change(bytes) -> bytes``."""
    src = zipfile.ZipFile(io.BytesIO(good_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = src.read(name)
            z.writestr(name, change(data) if name == "word/document.xml" else data)
    return out.getvalue()


def cut_docx() -> bytes:
    return with_document_xml(lambda xml: xml[: len(xml) // 2])


def bomb_docx() -> bytes:
    return with_document_xml(lambda xml: BOMB + xml[xml.index(b"<w:document"):].replace(b"2025", b"&l9;", 1))


def deep_html(depth: int, inner: str) -> str:
    return "<html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>"


def test_the_good_docx_reads(tmp_path):
    (tmp_path / "a.docx").write_bytes(good_docx())
    assert docx_reader.read_docx(tmp_path / "a.docx").text == "".join(line + "\n" for line in LINES)


@pytest.mark.parametrize("make, message", [
    (cut_docx, "not a readable .docx file: its XML is damaged ("),
    (bomb_docx, "not a readable .docx file: its part word/document.xml declares a DTD"),
])
def test_a_damaged_docx_is_a_source_error_naming_it(tmp_path, make, message):
    path = tmp_path / "bad.docx"
    path.write_bytes(make())
    with pytest.raises(SourceError) as e:
        docx_reader.read_docx(path)
    assert str(e.value).startswith(f"{path}: {message}")


def test_a_docx_that_would_unpack_to_too_much_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 10_000)
    path = tmp_path / "big.docx"
    path.write_bytes(with_document_xml(lambda xml: xml.replace(b"</w:body>", b" " * 20_000 + b"</w:body>")))
    with pytest.raises(SourceError, match=r"big.docx: not a readable .docx file: it would unpack to [\d,]+ "
                                          r"bytes, more than the 10,000"):
        docx_reader.read_docx(path)


def test_a_page_nested_100000_deep_is_read_without_recursion(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text(deep_html(100_000, "<p>" + LINES[1] + "</p>"), encoding="utf-8")
    text, _encoding = read_html(path)
    assert text == LINES[1] + "\n"


def test_an_unclosed_tag_running_to_the_end_is_refused_at_once(tmp_path):
    """Python's HTMLParser (before 3.11.13) takes minutes to finish 50 000 unclosed `<a `."""
    path = tmp_path / "cut.html"
    path.write_text("<html><body><p>" + LINES[1] + "</p>\n" + "<a " * 50_000, encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(SourceError, match=r"cut.html: line 2, column 1: a tag, comment or declaration is "
                                          r"never closed, and the 150,000 characters"):
        read_html(path)
    assert time.perf_counter() - t0 < 5


def test_a_short_unclosed_tail_is_read_as_before(tmp_path):
    """(As Python's parser finishes it: the unclosed comment is text.)"""
    path = tmp_path / "tail.html"
    path.write_text("<html><body><p>" + LINES[1] + "</p><!-- cut", encoding="utf-8")
    assert read_html(path)[0] == LINES[1] + "\n<!-- cut\n"


def test_a_pdf_damaged_so_that_pdfminer_raises_a_type_error_is_a_source_error(tmp_path):
    data = make_pdf([wrap(LINES, 22)])
    assert b"/MediaBox [0 0 600 600]" in data
    path = tmp_path / "bad.pdf"
    path.write_bytes(data.replace(b"/MediaBox [0 0 600 600]", b"/MediaBox null"))
    with pytest.raises(SourceError, match=r"bad.pdf: cannot read the PDF \(damaged\?\): TypeError"):
        read_pdf(path)


def test_read_document_names_the_file_for_every_bad_kind(tmp_path):
    files = {"cut.docx": cut_docx(), "bomb.docx": bomb_docx(),
             "bad.pdf": make_pdf([wrap(LINES, 22)]).replace(b"/MediaBox [0 0 600 600]", b"/MediaBox null"),
             "cut.html": ("<p>x</p>" + "<!--" * 50_000).encode()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(SourceError, match=f"^{tmp_path / name}: "):
            read_document(tmp_path / name)


def test_in_a_folder_the_good_documents_are_built_and_each_bad_file_listed(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(DIVISION, src)
    (src / "cut.docx").write_bytes(cut_docx())
    (src / "bomb.docx").write_bytes(bomb_docx())
    (src / "deep.html").write_text(deep_html(100_000, "x"), encoding="utf-8")
    r = CliRunner().invoke(main, ["build", "--no-cache", str(src), "-o", str(out)])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    failed = r.output[r.output.index("Failed (3)"):]
    assert f"{src / 'cut.docx'}: not a readable .docx file: its XML is damaged" in failed
    assert f"{src / 'bomb.docx'}: not a readable .docx file: its part word/document.xml declares a DTD" in failed
    assert "deep.html" in failed
    assert "3 of 4 input files could not be built" in r.output
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert any(n["id"] == "task:changqing-2025-division:1" for n in graph["nodes"])
