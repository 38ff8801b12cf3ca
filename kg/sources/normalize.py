"""Undo what conversion to text leaves behind, keeping every offset.

Each pass rewrites the text with regular expressions and carries the offset
map along, so that a range found in the normalized text maps back to the raw
text it came from (:class:`kg.model.NormText`). The passes, in order:

0. A text written in traditional characters (as on some government and
   mirror sites) is mapped to simplified ones, one character for one, so
   offsets stay and the raw text keeps the original for provenance. The
   table is OpenCC's TSCharacters (first choice of each single character);
   a text is traditional when enough of its ideographs change.

1. Word bookmark residue (``[bookmark: _GoBack]``), HTML tags left by a
   converter (``<sub>10</sub>``) and Markdown emphasis or heading markers
   (``**``, ``## ``) are deleted.
2. Full-width digits, letters and signs become ASCII; ASCII brackets and
   separators become the full-width ones the extractors read (``( : ; ,`` →
   ``（ ： ； ，``), except a comma or colon between digits (``432,066``).
3. Spaces inside a line between Chinese characters or digits are deleted
   (``增长 5.6 %``, ``政 府 工 作``); a space between two Latin words stays.
4. A page break that split a paragraph (a line that does not end a sentence,
   then blank lines, then its continuation) is joined, except inside a table
   flattened one cell per line, where blank lines separate names in a cell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

from kg.model import NormText

_Repl = Callable[[re.Match], str]


def identity(text: str) -> NormText:
    return NormText(text, tuple(range(len(text) + 1)))


def _rewrite(nt: NormText, pattern: re.Pattern, repl: _Repl) -> NormText:
    """Replace every match of ``pattern`` by ``repl(match)``.

    The replacement's i-th char takes the raw offset of the match's i-th char
    (a replacement longer than its match reuses the match's last offset).
    """
    src, offs = nt.text, nt.offsets
    out: list[str] = []
    out_offs: list[int] = []
    pos = 0
    for m in pattern.finditer(src):
        s, e = m.span()
        out.append(src[pos:s])
        out_offs.extend(offs[pos:s])
        new = repl(m)
        for i, ch in enumerate(new):
            out.append(ch)
            out_offs.append(offs[min(s + i, e - 1)] if e > s else offs[s])
        pos = e
    out.append(src[pos:])
    out_offs.extend(offs[pos:len(src)])
    out_offs.append(offs[len(src)])
    return NormText("".join(out), tuple(out_offs))


_ARTEFACTS = re.compile(
    r"""\[bookmark:[^\]\n]*\]          # Word bookmark residue
      | </?(?:sub|sup|span|b|i|u|br|p)\b[^>\n]*>   # HTML tags a converter left
      | \*\*                          # Markdown bold markers
      | ^[ \t]*\#{1,6}[ \t]+          # Markdown heading markers at a line start
    """,
    re.VERBOSE | re.MULTILINE,
)

# Full-width digits, letters and number signs map to ASCII by a fixed offset;
# ASCII separators map to the full-width form the extractors read.
_FULLWIDTH = re.compile(r"[０-９Ａ-Ｚａ-ｚ％．＋－／]")
_TO_FULL = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"}
_ASCII_SEP = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[();]")
_OTHER = {"\u3000": " ", "\u00a0": " ", "\ufeff": "", "\u200b": "", "﹙": "（", "﹚": "）",
          "–": "—", "―": "—", "~": "～", "｜": "|", "﹒": ".", "﹐": "，", "﹔": "；", "﹕": "：", "﹑": "、"}
_OTHER_RE = re.compile("[" + "".join(map(re.escape, _OTHER)) + "]")

# A run of spaces with non-space neighbours on both sides, not between two Latin words.
_INNER_SPACE = re.compile(r"(?<=[^\s])[ ]+(?=[^\s])")

# A page break inside a paragraph: a line of some length that does not end a
# sentence, blank lines, then a line that does not start a new item or cell.
_PAGE_BREAK = re.compile(
    r"""(?<=[^\n\t]{8})             # the broken line has some text before the break
        (?<![。！？；：）】」』”!?;:\)])   # and does not end a sentence or an annotation
        [ ]*\n(?:[ ]*\n)+           # one or more blank lines
        (?!\d+[.、]                 # the next line is not a numbered item,
          |[（(][一二三四五六七八九十\d]+[）)]   # nor a bracketed heading,
          |[一二三四五六七八九十]+、)  # nor a chapter heading,
        (?=\S)                      # nor a table cell (tab) or another blank
    """,
    re.VERBOSE,
)


def _fullwidth(m: re.Match) -> str:
    return chr(ord(m.group()) - 0xFEE0)


def _inner_space(m: re.Match) -> str:
    s, e = m.span()
    text = m.string
    left, right = text[s - 1], text[e]
    if left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
        return " "
    return ""


_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_MIN_BROKEN_LINE = 18   # a page break cuts a body line that ran across the page
_ENDS_PARAGRAPH = re.compile(r"[。！？；）)」』”]$")


def _join_page_break(m: re.Match) -> str:
    """Join, unless the broken line is short or a heading, or sits in a flattened table.

    Short lines (a signature 槐荫区区长 刘敬涛, a date line) and chapter headings
    end without punctuation but are not cut; a continuation is a long line or one that
    ends a sentence, not a short cell (序号) of a table flattened one cell per line. In a table flattened one cell per
    line, blank lines separate the names of one cell; any of the last lines
    starting with a tab marks such a table.
    """
    before = m.string[:m.start()].split("\n")
    line = before[-1]
    if len(line.strip()) < _MIN_BROKEN_LINE or _HEADING.match(line):
        return m.group()
    nl = m.string.find("\n", m.end())
    after = m.string[m.end():nl if nl != -1 else len(m.string)].strip()
    if len(after) < _MIN_BROKEN_LINE and not _ENDS_PARAGRAPH.search(after):
        return m.group()        # a short line without an end (a table cell, a heading) starts anew
    if any(prev.lstrip(" ").startswith("\t") for prev in before[-3:]):
        return m.group()
    return ""


_MIN_TRADITIONAL = 0.03    # share of ideographs a traditional→simplified mapping changes
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _t2s_tables() -> tuple[dict[int, str], frozenset[str]]:
    """Traditional → simplified, single characters only (OpenCC's TSCharacters.txt),
    and the traditional characters that are never simplified ones (乾, 於 are both)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    only_traditional = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 2 and len(fields[0]) == 1:
            choices = fields[1].split(" ")
            if len(choices[0]) == 1 and choices[0] != fields[0]:
                table[ord(fields[0])] = choices[0]
                if fields[0] not in choices:
                    only_traditional.add(fields[0])
    return table, frozenset(only_traditional)


def _t2s_table() -> dict[int, str]:
    return _t2s_tables()[0]


def simplify(nt: NormText) -> NormText:
    """``nt`` in simplified characters if it is written in traditional ones (offsets unchanged).

    A text is traditional when at least 3% of its ideographs are characters
    only traditional text uses; 乾 or 於 alone do not make it so.
    """
    table, only_traditional = _t2s_tables()
    ideographs = len(_IDEOGRAPH.findall(nt.text))
    traditional = sum(ch in only_traditional for ch in nt.text)
    if not ideographs or traditional < _MIN_TRADITIONAL * ideographs:
        return nt
    return NormText(nt.text.translate(table), nt.offsets)


def normalize(raw: str) -> NormText:
    """Normalize a raw document text; see the module docstring for the passes."""
    nt = simplify(identity(raw))
    nt = _rewrite(nt, _ARTEFACTS, lambda m: "")
    nt = _rewrite(nt, _OTHER_RE, lambda m: _OTHER[m.group()])
    nt = _rewrite(nt, _FULLWIDTH, _fullwidth)
    nt = _rewrite(nt, _ASCII_SEP, lambda m: _TO_FULL[m.group()])
    nt = _rewrite(nt, _INNER_SPACE, _inner_space)
    nt = _rewrite(nt, _PAGE_BREAK, _join_page_break)
    return nt
