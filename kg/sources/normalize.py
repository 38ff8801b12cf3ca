"""Undo what conversion to text leaves behind, keeping every offset.

Each pass rewrites the text with regular expressions and carries the offset
map along, so that a range found in the normalized text maps back to the raw
text it came from (:class:`kg.model.NormText`). The passes, in order:

0. A text written in traditional characters (as on some government and
   mirror sites) is mapped to simplified ones, one character for one, so
   offsets stay and the raw text keeps the original for provenance. The
   table is OpenCC's TSCharacters (first choice of each single character);
   a text is traditional when enough of its ideographs change.

1. Invisible format characters (Unicode Cf: soft hyphens, zero-width joiners,
   bidi marks), Word bookmark residue (``[bookmark: _GoBack]``), HTML tags left by a
   converter (``<sub>10</sub>``), Markdown emphasis or heading markers (``**``,
   ``## ``), pinyin glosses a mirror put inside words (``經(jīng)濟``) and PDF page
   footers (``— 3 —``, ``第3页``) are deleted.
2. Full-width digits, letters and signs become ASCII; ASCII brackets and
   separators become the full-width ones the extractors read (``( : ; ,`` →
   ``（ ： ； ，``), except a comma or colon between digits (``432,066``); a comma
   doubled with another mark (``,,`` ``,。``) is dropped.
3. Spaces inside a line between Chinese characters or digits are deleted
   (``增长 5.6 %``, ``政 府 工 作``); a space between two Latin words stays.
4. A text a PDF wrapped at a fixed width (most long lines of one width) has its
   lines joined where a full line ends no sentence; a page break that split a
   paragraph (a line that does not end a sentence, then blank lines, then its
   continuation) is joined, except inside a table flattened one cell per line,
   where blank lines separate names in a cell.
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
    if pattern.search(src) is None:
        return nt                       # nothing to rewrite: no copy of the offsets
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


@lru_cache(maxsize=1)
def _traditional_only() -> re.Pattern:
    """The characters only traditional text uses, as one character class (counted at C speed)."""
    return re.compile("[" + "".join(map(re.escape, sorted(_t2s_tables()[1]))) + "]")


def _t2s_table() -> dict[int, str]:
    return _t2s_tables()[0]


def simplify(nt: NormText) -> NormText:
    """``nt`` in simplified characters if it is written in traditional ones (offsets unchanged).

    A text is traditional when at least 3% of its ideographs are characters
    only traditional text uses; 乾 or 於 alone do not make it so.
    """
    table, only_traditional = _t2s_tables()
    if only_traditional.isdisjoint(nt.text):
        return nt                        # the common case, without counting every ideograph
    traditional = len(_traditional_only().findall(nt.text))
    ideographs = len(_IDEOGRAPH.findall(nt.text))
    if traditional < _MIN_TRADITIONAL * ideographs:
        return nt
    return NormText(nt.text.translate(table), nt.offsets)


# Format characters (Unicode Cf: soft hyphen, zero-width joiners, bidi marks and isolates):
# invisible, never part of a name.
_FORMAT = re.compile("[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e"
                     "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")

# A pinyin gloss a mirror site put inside a word: 經(jīng)濟 → 經濟 (a tone mark or ü inside).
_PINYIN = re.compile(
    r"""(?<=[\u4e00-\u9fff])                  # right after a Chinese character
        [(（]
        (?=[a-z\u00e0-\u00fc\u0101-\u01dc]*[\u00e0-\u00fc\u0101-\u01dc])   # a tone mark inside
        [a-z\u00e0-\u00fc\u0101-\u01dc]{1,7}
        [)）]
    """,
    re.VERBOSE,
)

# A comma doubled with another mark by a copying site: ,, ,。 ,、 ,;
_DOUBLED = re.compile(r"，(?=[，。、；：！？])|(?<=[。、；：！？])，")

# A page footer or page number line of a PDF: — 3 —, - 12 -, 第3页, — — — 2 —.
_FOOTER = re.compile(
    r"""^[ \t]*
        (?:(?:[—–\-－_][ \t]*)+\d{1,4}(?:[ \t]*[—–\-－_])+   # — 3 —
         | 第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*共[ \t]*\d{1,4}[ \t]*页)?)   # 第3页 (共9页)
        [ \t]*\n
    """,
    re.VERBOSE | re.MULTILINE,
)

_LINE_START_ITEM = re.compile(r"\s*(?:\d{1,3}[.、．]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、"
                              r"|[●■▲◆★□○◇•])")
_LABEL_START = re.compile(r"\s*[\u4e00-\u9fff]{2,8}[：:]")
_WRAP_MIN_WIDTH = 15       # a PDF's full lines are at least this long
_WRAP_SHARE = 0.4          # and at least this share of the long lines are full


def _wrap_width(text: str) -> int | None:
    """The width of a PDF's full lines, when most long lines have it (text wrapped at a fixed
    width, with a line break inside sentences and names); None for text of paragraphs."""
    lengths = [len(line.strip()) for line in text.split("\n") if len(line.strip()) >= 12]
    if len(lengths) < 5:
        return None
    counts: dict[int, int] = {}
    for n in lengths:
        counts[n] = counts.get(n, 0) + 1
    best = max(counts, key=lambda w: (sum(counts.get(w - d, 0) for d in range(4)), w))
    full = sum(counts.get(best - d, 0) for d in range(4))
    return best if best >= _WRAP_MIN_WIDTH and full >= max(5, _WRAP_SHARE * len(lengths)) else None


def _unwrap(nt: NormText) -> NormText:
    """Join the lines a PDF broke at its fixed width: a full line that ends no sentence, and
    the next line that starts no item, heading or role label."""
    width = _wrap_width(nt.text)
    if width is None:
        return nt

    def join(m: re.Match) -> str:
        text, i = m.string, m.start()
        line = text[text.rfind("\n", 0, i) + 1:i].strip()
        if len(line) < width - 3 or line[-1:] in "。！？；：":
            return m.group()
        if _LINE_START_ITEM.match(text, m.end()) or _LABEL_START.match(text, m.end()):
            return m.group()
        return ""

    return _rewrite(nt, _NEWLINE, join)


_NEWLINE = re.compile(r"[ \t]*\n[ \t]*(?=\S)")


def normalize(raw: str) -> NormText:
    """Normalize a raw document text; see the module docstring for the passes."""
    nt = simplify(identity(raw))
    nt = _rewrite(nt, _FORMAT, lambda m: "")
    nt = _rewrite(nt, _ARTEFACTS, lambda m: "")
    nt = _rewrite(nt, _PINYIN, lambda m: "")
    nt = _rewrite(nt, _FOOTER, lambda m: "")
    nt = _rewrite(nt, _OTHER_RE, lambda m: _OTHER[m.group()])
    nt = _rewrite(nt, _FULLWIDTH, _fullwidth)
    nt = _rewrite(nt, _ASCII_SEP, lambda m: _TO_FULL[m.group()])
    nt = _rewrite(nt, _DOUBLED, lambda m: "")
    nt = _rewrite(nt, _INNER_SPACE, _inner_space)
    nt = _unwrap(nt)
    nt = _rewrite(nt, _PAGE_BREAK, _join_page_break)
    return nt


_LINE_BREAK = re.compile(r"[ \t]*\n\s*")
_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0]+")


def stored(raw: str, start: int, end: int) -> str:
    """``raw[start:end]`` as the document stores it, for people and for quoting: every character
    kept (traditional ones, a mirror's pinyin gloss), but not the line breaks and blanks that
    a page or a table cut into it, nor converter residue ([bookmark: …], tags, format characters)."""
    text = _FORMAT.sub("", _ARTEFACTS.sub("", raw[start:end]))
    text = _LINE_BREAK.sub("", text)
    return _SPACE_RUN.sub(lambda m: " " if _latin_both_sides(m) else "", text).strip()


def _latin_both_sides(m: re.Match) -> bool:
    s, e = m.span()
    text = m.string
    return 0 < s and e < len(text) and text[s - 1].isascii() and text[s - 1].isalnum() \
        and text[e].isascii() and text[e].isalnum()


def format_characters(raw: str) -> int:
    """How many invisible format characters (Unicode Cf, soft hyphens) the raw text holds."""
    return len(_FORMAT.findall(raw))
