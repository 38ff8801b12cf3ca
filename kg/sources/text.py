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
mojibake is not. Apart from the BOM the text is kept exactly as decoded:
every span of the project indexes into it.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import NamedTuple

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


def _is_plausible(ch: str) -> bool:
    if ch in _TEXT_CONTROLS:
        return True
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _PLAUSIBLE)


def _is_common_hanzi(ch: str) -> bool:
    """A level-1 (most frequent 3755) ideograph of GB2312: lead byte B0–D7."""
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def reads_as_text(text: str) -> bool:
    """Whether a decoded string looks like Chinese/ASCII text, not mojibake."""
    if not text:
        return False
    plausible = sum(1 for ch in text if _is_plausible(ch))
    if plausible / len(text) < _MIN_PLAUSIBLE:
        return False
    hanzi = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if len(hanzi) < 10:
        return True
    common = sum(1 for ch in hanzi if _is_common_hanzi(ch))
    return common / len(hanzi) >= _MIN_COMMON


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
    undecodable file.
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
            return _checked(text, name, path)
    if 0 in data:
        for codec in _utf16_candidates(data):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if reads_as_text(text):
                return _checked(text, codec, path)
        raise SourceError(path, "binary file, not a text document")
    if _controls(data) > _MAX_CONTROLS * len(data):
        raise SourceError(path, "binary file, not a text document")
    try:
        return _checked(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if reads_as_text(text):
        return _checked(text, "gb18030", path)
    raise SourceError(path, "cannot decode: not UTF-8, UTF-16 or GB18030")


def _checked(text: str, encoding: str, path: str | Path) -> tuple[str, str]:
    if not text.strip():
        raise SourceError(path, "empty file (only whitespace)")
    if sum(1 for ch in text if ch < " " and ch not in _TEXT_CONTROLS) > _MAX_CONTROLS * len(text):
        raise SourceError(path, "binary file, not a text document")
    return text, encoding


def read_text_file(path: str | Path, doc_id: str | None = None) -> RawText:
    """Read a .txt or .md file; ``doc_id`` is unused (plain text has no tables)."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise SourceError(path, f"cannot read: {e.strerror or e}") from None
    text, encoding = decode(data, path)
    return RawText(text, encoding)
