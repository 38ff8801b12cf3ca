"""Text that decodes wrongly is refused, naming the line where it stops reading as text; a
document from which nothing is read is a warning, never silent."""

from __future__ import annotations

import codecs

import pytest

from conftest import REPORTS
from kg.errors import SourceError
from kg.sources.text import decode

TEXT = (REPORTS / "changqing-2025-division.txt").read_text(encoding="utf-8")
HALF = len(TEXT) // 2
LINE = TEXT[:HALF].count("\n") + 1           # the line where the second half starts


def even(data: bytes) -> bytes:
    """UTF-16 decodes only an even number of bytes: pad with a space when needed."""
    return data + b" " if len(data) % 2 else data


@pytest.mark.parametrize("data, message", [
    (even(codecs.BOM_UTF16_LE + TEXT[:HALF].encode("utf-16-le") + TEXT[HALF:].encode("utf-8")),
     f"it decodes as UTF-16-LE, by its byte-order mark, but from line {LINE} on that reads as mojibake"),
    (even(codecs.BOM_UTF16_BE + TEXT[:HALF].encode("utf-16-be") + TEXT[HALF:].encode("utf-8")),
     f"it decodes as UTF-16-BE, by its byte-order mark, but from line {LINE} on that reads as mojibake"),
    (even(TEXT[:HALF].encode("utf-16-le") + TEXT[HALF:].encode("utf-8")),
     f"UTF-16-LE (a guess: it has NUL bytes) up to line {LINE}, then not"),
    (TEXT[:HALF].encode("utf-8") + TEXT[HALF:].encode("gbk"),
     f"UTF-8 up to line {LINE} (byte {len(TEXT[:HALF].encode('utf-8'))}), then not UTF-8"),
])
def test_a_file_in_two_encodings_is_refused_at_the_line_where_the_second_starts(data, message):
    with pytest.raises(SourceError) as e:
        decode(data, "mixed.txt")
    assert str(e.value).startswith("mixed.txt: cannot decode: " + message)
    assert str(e.value).endswith("is part of the file in another encoding? Save it whole in one encoding (UTF-8)")


def test_a_gb18030_file_ending_in_big5_is_refused_though_most_of_it_reads():
    """Big5 bytes decode as GB18030 to rare ideographs (各街道辦事處 → 刁笵快ㄆ矪): the whole
    still reads as GB18030 text, its last stretches not."""
    cut = TEXT.index("\n", len(TEXT) * 9 // 10) + 1
    data = TEXT[:cut].encode("gb18030") + "各街道辦事處要抓好落實，區發展改革局負責統籌協調推進。\n".encode("big5") * 8
    with pytest.raises(SourceError, match=r"it decodes as GB18030 \(a guess: it is not UTF-8\), but from line "
                                          rf"{TEXT[:cut].count(chr(10)) + 1} on that reads as mojibake"):
        decode(data, "mixed.txt")


def test_utf8_cut_inside_its_last_character_says_so():
    data = TEXT.encode("utf-8")[:-2]
    with pytest.raises(SourceError, match=rf"UTF-8 that ends inside a character \(byte {len(data) - 1} of "
                                          rf"{len(data)}\): is the file cut short\?"):
        decode(data, "cut.txt")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "gb18030"])
def test_a_whole_document_in_one_encoding_still_reads(encoding):
    data = TEXT.encode("utf-16") if encoding == "utf-16" else TEXT.encode(encoding)
    if encoding.startswith("utf-16"):
        data = codecs.BOM_UTF16_LE + data if encoding.endswith("le") else data
    assert decode(data)[0] == TEXT


def test_traditional_text_with_a_bom_still_reads():
    """Traditional characters are not GB2312's common ones: a decoding by its BOM is not
    judged by them."""
    text = "某某縣2025年政府工作報告重點工作任務分工。" * 30
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == (text, "utf-16-le")


def test_a_document_from_which_no_task_is_read_is_a_warning(tmp_path):
    from kg.build import build_graph
    from kg.model import NOTHING_READ

    lines = TEXT.splitlines(keepends=True)
    (tmp_path / "head.txt").write_text("".join(lines[:6]), encoding="utf-8")
    result = build_graph([tmp_path / "head.txt"], {"region": "长清区"})
    assert [x.tasks for x in result.extractions] == [()]
    (nothing,) = [p for p in result.problems if p.doc_id == "head" and p.code == NOTHING_READ]
    assert nothing.message.startswith("nothing was read from this document")
