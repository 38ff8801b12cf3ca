"""Read a plain-text document (.txt, .md): bytes → str, guessing the encoding.

The order of attempts, first that succeeds wins:

1. a byte-order mark (UTF-8, UTF-16 LE, UTF-16 BE) — stripped from the text;
2. NUL bytes: UTF-16 without a BOM (LE or BE, the one whose NULs fall where
   ASCII characters put them first) if it reads as text, else a binary file;
3. many control characters: a binary file;
4. strict UTF-8;
5. GB18030 (a superset of GBK and GB2312).

A guessed decoding (2 and 5) is accepted only if it reads as Chinese or
ASCII text: mostly printable characters of the CJK, punctuation and ASCII
ranges, and among the ideographs mostly common ones (GB2312 level 1), which
mojibake is not. Every decoding but strict UTF-8 (which random bytes do not
pass) must also read as text in each stretch of :data:`WINDOW` characters: a
file that is UTF-16 for half and UTF-8 for half decodes, by its byte-order
mark, to text and then mojibake, and is refused naming the line where the
mojibake starts. Apart from the BOM the text is kept exactly as decoded:
every span of the project indexes into it.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional

from kg.errors import SourceError
from kg.model import Table


class RawText(NamedTuple):
    """What a reader returns: the document text, its encoding and real tables."""

    text: str
    encoding: str
    tables: tuple[Table, ...] = ()
    page_starts: tuple[int, ...] = ()   # offset where each page begins (PDF)


_BOMS = (  # (mark, codec of the rest, encoding reported)
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
# Ranges of characters a Chinese government document is made of.
_PLAUSIBLE = (
    (0x20, 0x7E),        # ASCII printable
    (0xA0, 0x24F),       # Latin-1 and Latin Extended: · × é
    (0x370, 0x3FF),      # Greek: α β
    (0x2000, 0x2BFF),    # general punctuation, letterlike, number forms, ①, arrows, maths, shapes
    (0x3000, 0x303F),    # CJK symbols and punctuation: 、。《》【】
    (0x3200, 0x33FF),    # enclosed CJK, CJK compatibility: ㈠ ㎡
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFE30, 0xFE4F),    # CJK compatibility forms: ︰
    (0xFF00, 0xFFEF),    # full-width forms: （）：；％
)
_MIN_PLAUSIBLE = 0.95   # share of plausible characters in a guessed decoding
_MIN_COMMON = 0.6       # share of GB2312 level-1 ideographs among the ideographs
_MAX_CONTROLS = 0.01    # share of control bytes that makes a file binary
# Each stretch of WINDOW characters (every WINDOW // 2) must read as text too: real text is
# plausible throughout (the seeds: every stretch 1.00, common ideographs at least 0.98);
# UTF-8 read as UTF-16 is 0.3-0.4 plausible, read as GB18030 0.05-0.2 common.
WINDOW = 200
_MIN_PLAUSIBLE_WINDOW = 0.8
_MIN_COMMON_WINDOW = 0.5
_MIN_HANZI_WINDOW = 30  # ideographs a stretch needs before their commonness counts

_IMPLAUSIBLE = re.compile("[^" + re.escape("".join(sorted(_TEXT_CONTROLS)))
                          + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _PLAUSIBLE) + "]")
_HANZI = re.compile("[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """The level-1 (most frequent 3755) ideographs of GB2312: lead byte B0–D7."""
    return frozenset(bytes((lead, trail)).decode("gb2312", errors="ignore")
                     for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)) - {""}


def reads_as_text(text: str) -> bool:
    """Whether a decoded string looks like Chinese/ASCII text, not mojibake."""
    if not text:
        return False
    implausible = sum(1 for _ in _IMPLAUSIBLE.finditer(text))
    if (len(text) - implausible) / len(text) < _MIN_PLAUSIBLE:
        return False
    hanzi = _HANZI.findall(text)
    if len(hanzi) < 10:
        return True
    common = _common_hanzi()
    return sum(1 for ch in hanzi if ch in common) / len(hanzi) >= _MIN_COMMON


def first_mojibake(text: str, common: bool) -> Optional[int]:
    """The offset where a stretch of :data:`WINDOW` characters stops reading as text (too
    few plausible characters; with ``common``, too few common ideographs among many), or
    None when every stretch reads as text."""
    if len(text) < WINDOW:
        return None
    bad = [m.start() for m in _IMPLAUSIBLE.finditer(text)]
    hanzi = [m.start() for m in _HANZI.finditer(text)] if common else []
    rare = [i for i in hanzi if text[i] not in _common_hanzi()] if common else []
    starts = list(range(0, len(text) - WINDOW + 1, WINDOW // 2))
    if starts[-1] != len(text) - WINDOW:
        starts.append(len(text) - WINDOW)
    for start in starts:
        end = start + WINDOW
        n_bad = bisect_left(bad, end) - bisect_left(bad, start)
        if n_bad > (1 - _MIN_PLAUSIBLE_WINDOW) * WINDOW:
            return bad[bisect_left(bad, start)]
        n_hanzi = bisect_left(hanzi, end) - bisect_left(hanzi, start)
        if n_hanzi >= _MIN_HANZI_WINDOW:
            first = bisect_left(rare, start)
            if (bisect_left(rare, end) - first) > (1 - _MIN_COMMON_WINDOW) * n_hanzi:
                return rare[first]
    return None


def _utf16_candidates(data: bytes) -> tuple[str, ...]:
    """The UTF-16 codecs to try on bytes with NULs, likelier first.

    ASCII characters put their NUL byte second in LE ("A" is 41 00) and first
    in BE; ideographs such as 一 (U+4E00) put some on the other side.
    """
    if len(data) % 2:
        return ()
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    return ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")


def _controls(data: bytes) -> int:
    return sum(1 for b in data if b < 0x20 and chr(b) not in _TEXT_CONTROLS)


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode a text document's bytes; return ``(text, encoding)``.

    Raises :class:`SourceError` naming ``path`` for an empty, blank, binary or
    undecodable file, or one that reads as text in one encoding and then not.
    """
    if not data:
        raise SourceError(path, "empty file")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as e:
                raise SourceError(path, f"cannot decode: starts with a {codec.upper()} byte-order "
                                        f"mark but byte {e.start + len(bom)} is not {codec.upper()}"
                                  ) from None
            return _checked(text, name, path, f"{codec.upper()}, by its byte-order mark")
    if 0 in data:
        for codec in _utf16_candidates(data):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if reads_as_text(text):
                return _checked(text, codec, path, f"{codec.upper()} (a guess: it has NUL bytes)")
        _refuse_mixed(data, path)
        raise SourceError(path, "binary file, not a text document")
    if _controls(data) > _MAX_CONTROLS * len(data):
        raise SourceError(path, "binary file, not a text document")
    try:
        return _checked(data.decode("utf-8"), "utf-8", path, None)
    except UnicodeDecodeError as e:
        utf8_end = e.start
        if e.reason == "unexpected end of data" and utf8_end >= WINDOW:
            raise SourceError(path, f"cannot decode: UTF-8 that ends inside a character (byte {utf8_end} of "
                                    f"{len(data)}): is the file cut short?") from None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if reads_as_text(text):
        return _checked(text, "gb18030", path, "GB18030 (a guess: it is not UTF-8)", common=True)
    if utf8_end >= WINDOW:
        line = data.count(b"\n", 0, utf8_end) + 1
        raise SourceError(path, f"cannot decode: UTF-8 up to line {line} (byte {utf8_end}), then not UTF-8, "
                                "nor is the whole GB18030: is part of the file in another encoding? "
                                "Save it whole in one encoding (UTF-8)")
    raise SourceError(path, "cannot decode: not UTF-8, UTF-16 or GB18030")


def _refuse_mixed(data: bytes, path: str | Path) -> None:
    """Raise when bytes with NULs read as UTF-16 for a while and then not (a file that is
    UTF-16 for half and something else for half); return when they never read as UTF-16."""
    for codec in _utf16_candidates(data[:len(data) // 2 * 2]):
        text = data[:len(data) // 2 * 2].decode(codec, errors="replace")
        if reads_as_text(text[:WINDOW]):
            at = first_mojibake(text, common=False)
            if at is not None:
                raise SourceError(path, f"cannot decode: {codec.upper()} (a guess: it has NUL bytes) up to "
                                        f"line {text.count(chr(10), 0, at) + 1}, then not: is part of the file "
                                        "in another encoding? Save it whole in one encoding (UTF-8)")


def _checked(text: str, encoding: str, path: str | Path, how: Optional[str],
             common: bool = False) -> tuple[str, str]:
    """The text when it is not blank, not binary and (decoded ``how``, not strict UTF-8)
    reads as text in every stretch (:func:`first_mojibake`)."""
    if not text.strip():
        raise SourceError(path, "empty file (only whitespace)")
    if sum(1 for ch in text if ch < " " and ch not in _TEXT_CONTROLS) > _MAX_CONTROLS * len(text):
        raise SourceError(path, "binary file, not a text document")
    if how is not None:
        at = first_mojibake(text, common)
        if at is not None:
            raise SourceError(path, f"cannot decode: it decodes as {how}, but from line "
                                    f"{text.count(chr(10), 0, at) + 1} on that reads as mojibake, not text: "
                                    "is part of the file in another encoding? Save it whole in one "
                                    "encoding (UTF-8)")
    return text, encoding


def read_text_file(path: str | Path, doc_id: str | None = None) -> RawText:
    """Read a .txt or .md file; ``doc_id`` is unused (plain text has no tables)."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise SourceError(path, f"cannot read: {e.strerror or e}") from None
    text, encoding = decode(data, path)
    return RawText(text, encoding)
