"""Fuzzing `kg build` and `kg tasks` with mutated seed documents: whatever the bytes, a command
ends without a traceback, within its time, and with an honest exit status (0 only when the
document was built and nothing failed; 1 with the file named when it could not be).

The cases are seeded (SEED), so a failure names a case that can be run again alone:
``pytest tests/test_fuzz.py -k 'case_17'``.
"""

from __future__ import annotations

import io
import json
import random
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPORTS
from kg.cli import EXIT_NOTHING_READ, main
from pdfmaker import make_pdf, wrap

SEED = 20250916
CASES = 240
SECONDS = 30                     # a case that runs longer hangs
TEXT_SEEDS = ("changqing-2025-division.txt", "lixia-2025-decomposition.txt",
              "huaiyin-2025-progress-q1-q3.txt", "huaiyin-2025-work-report.txt")
# Characters the readers and extractors care about, and invisible ones.
CHARS = ("【】（）()［］：:；;、，。\n\t 0123456789%‰区局牵头单位责任单位配合单位牵头领导年月一二三"
         "\u00ad\u200b\u200d\u200f\u202e\u2066\ufeff\x00\x0b\u3000\U0001f600")


def _bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        i = rng.randrange(max(1, len(b)))
        op = rng.random()
        if op < 0.5 and b:
            b[i] = rng.randrange(256)
        elif op < 0.75:
            del b[i:i + rng.randint(1, 40)]
        else:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(b)


def _chars(text: str, rng: random.Random) -> str:
    t = list(text)
    for _ in range(rng.randint(1, 200)):
        i = rng.randrange(len(t))
        op = rng.random()
        if op < 0.4:
            t[i] = rng.choice(CHARS)
        elif op < 0.7:
            t.insert(i, rng.choice(CHARS) * rng.randint(1, 5))
        else:
            del t[i]
    return "".join(t)


def _lines(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if rng.random() < 0.3:
        rng.shuffle(lines)
    k = rng.randrange(len(lines))
    lines[k:k] = [rng.choice(lines)] * rng.randint(1, 50)
    return "".join(lines)


def _repeat(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    return text[:i] + text[i:i + rng.randint(1, 30)] * rng.randint(50, 500) + text[i:]


def _two_encodings(text: str, rng: random.Random) -> bytes:
    h = rng.randrange(len(text))
    return text[:h].encode("utf-8") + text[h:].encode(rng.choice(["gbk", "utf-16-le", "utf-16-be", "big5"]),
                                                      errors="ignore")


def _html(text: str) -> bytes:
    return ("<html><head><title>推进情况</title></head><body><div class='content'>"
            + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</div></body></html>").encode("utf-8")


def _nested(text: str, rng: random.Random) -> bytes:
    """The text as a page nested hundreds to twenty thousand elements deep, or ending in a
    tag left open over thousands of characters."""
    if rng.random() < 0.5:
        depth = rng.choice((300, 1500, 5000, 20_000))
        tags = [rng.choice(("div", "span", "td", "li", "font", "p")) for _ in range(depth)]
        page = "".join(f"<{t}>" for t in tags) + "".join(f"<p>{line}</p>" for line in text.splitlines())
        return (page + "".join(f"</{t}>" for t in reversed(tags[: rng.randrange(depth)]))).encode("utf-8")
    return _html(text)[:-14] + rng.choice(("<a ", "<!--", "<!", "</x", "<a b")).encode() * rng.randint(2000, 30000)


def _docx_xml(docx_seed: bytes, rng: random.Random) -> bytes:
    """The Word file with its document.xml cut, given an entity bomb, or its characters mutated."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(docx_seed))
    xml = src.read("word/document.xml")
    how = rng.choice(("cut", "bomb", "chars"))
    if how == "cut":
        xml = xml[: rng.randrange(len(xml))]
    elif how == "bomb":
        start = xml.index(b"<w:document")
        xml = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a0 "lol">'
               + b"".join(b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
               + b"]>" + xml[start:].replace("任务".encode(), b"&a9;", 1))
    else:
        xml = _chars(xml.decode("utf-8"), rng).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, xml if name == "word/document.xml" else src.read(name))
    return out.getvalue()


def _bom_mixed(text: str, rng: random.Random) -> bytes:
    """UTF-16 by its byte-order mark for a part, then UTF-8: never a document to build."""
    import codecs

    h = rng.randrange(len(text) // 10, len(text) * 9 // 10)
    bom, codec = rng.choice(((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")))
    data = bom + text[:h].encode(codec) + text[h:].encode("utf-8")
    return data + b" " if len(data) % 2 else data


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines()[:80]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def mutated(case: int, seeds: dict[str, str], docx_seed: bytes, pdf_seed: bytes) -> tuple[str, bytes]:
    """Case ``case``: a file name and its mutated bytes."""
    rng = random.Random(SEED * 1000 + case)
    name = rng.choice(TEXT_SEEDS)
    text = seeds[name]
    kind = rng.choice(("bytes", "chars", "chars", "lines", "repeat", "encodings", "bom-mixed", "cut",
                       "html", "nested", "docx", "docx-xml", "pdf"))
    if kind == "bytes":
        return name, _bytes(text.encode("utf-8"), rng)
    if kind == "chars":
        return name, _chars(text, rng).encode("utf-8")
    if kind == "lines":
        return name, _lines(text, rng).encode("utf-8")
    if kind == "repeat":
        return name, _repeat(text, rng).encode("utf-8")
    if kind == "encodings":
        return name, _two_encodings(text, rng)
    if kind == "cut":
        data = text.encode("utf-8")
        return name, data[:rng.randrange(len(data))]
    if kind == "html":
        return name.replace(".txt", ".html"), _html(_chars(text, rng)) if rng.random() < 0.5 \
            else _bytes(_html(text), rng)
    if kind == "bom-mixed":
        return "mixed.txt", _bom_mixed(text, rng)
    if kind == "nested":
        return name.replace(".txt", ".html"), _nested(text, rng)
    if kind == "docx-xml":
        return "document.docx", _docx_xml(docx_seed, rng)
    if kind == "pdf":
        return "document.pdf", _bytes(pdf_seed, rng)
    return "document.docx", _bytes(docx_seed, rng)


@pytest.fixture(scope="module")
def seeds():
    texts = {name: (REPORTS / name).read_text(encoding="utf-8") for name in TEXT_SEEDS}
    lines = [line for line in texts["changqing-2025-division.txt"].splitlines() if line.strip()][:40]
    return texts, _docx(texts["changqing-2025-division.txt"]), make_pdf([wrap(lines[:20], 30), wrap(lines[20:], 30)])


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang(f"no answer within {SECONDS} s")


@pytest.mark.parametrize("case", [pytest.param(n, id=f"case_{n}") for n in range(CASES)])
def test_a_mutated_document_ends_without_a_traceback_in_time_with_an_honest_status(case, seeds, tmp_path):
    name, data = mutated(case, *seeds)
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / name).write_bytes(data)
    command = "build" if case % 2 else "tasks"
    args = (["build", str(src), "-o", str(out), "--no-cache"] if command == "build"
            else ["tasks", str(src), "--format", "jsonl"])
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        r = CliRunner().invoke(main, args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert r.exception is None or isinstance(r.exception, SystemExit), \
        f"case {case} ({name}, {command}): {type(r.exception).__name__}: {r.exception}"
    assert r.exit_code in (0, 1, EXIT_NOTHING_READ), r.output
    if name == "mixed.txt":                  # a file in two encodings is never built
        assert r.exit_code == 1 and "is part of the file in another encoding?" in r.output, r.output
    if r.exit_code == 1:                     # a failure names the file
        assert "Error: " in r.output and name in r.output, r.output
        if command == "build":
            assert "could not be built" in r.output and not out.exists()
        return
    nothing = "nothing was read from this document" in r.output
    assert nothing == (r.exit_code == EXIT_NOTHING_READ), r.output     # said, and in the status
    if command == "build":                   # built: its outputs, its row, no failure
        assert "Failed" not in r.output
        graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
        assert any(n.get("type") == "Document" for n in graph["nodes"])
        head, _columns, dashes, row = r.stdout.splitlines()[:4]   # the summary: one document
        assert head == "Documents" and set(dashes) == {"-", " "}, r.output
        if row.split()[-1] == "0":             # no task: nothing read, or targets only
            assert nothing or any(n.get("type") == "Indicator" for n in graph["nodes"]), r.output
    else:
        for line in filter(None, r.stdout.splitlines()):     # rows on stdout, warnings on stderr
            assert isinstance(json.loads(line), dict)
