"""Read an .html page saved from a government site: its main text, not the menus.

The page is parsed into a tree (stdlib :mod:`html.parser`, tolerant of
unclosed tags). Scripts, styles, navigation, headers, footers and forms are
dropped. The main text is the element that holds the most text outside links,
readability-style: each paragraph's text counts fully for its parent and half
for its grandparent, and a link-heavy block (a menu, a list of related
articles) counts for nothing. Its text is written one block per line; a table
is written one cell per line, each cell starting with a tab and each row
ending with a blank line (the layout the progress-table extractor reads). The
page's heading (its ``<h1>``, else its ``<title>`` without the site name) comes
first when the main text does not already start with it.

Elements nested deeper than :data:`MAX_DEPTH` are attached to the deepest element kept,
as browsers do (Chromium at 512): their text is kept, and no walk over the tree recurses
deeper than that, whatever the page (100 000 nested ``<div>`` are read like 256).

The encoding: a byte-order mark, else the ``charset`` the page declares, else
strict UTF-8, else GB18030 (which reads GB2312 and GBK pages).
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional, Union

from kg.errors import SourceError
from kg.sources.text import RawText

_DROP = frozenset("script style noscript head nav header footer aside form select option iframe button "
                  "template svg".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BLOCK = frozenset("p div li ul ol h1 h2 h3 h4 h5 h6 table tbody thead tfoot tr section article "
                   "blockquote pre dd dt dl center".split())
_CELL = frozenset(("td", "th"))
_HEADINGS = ("h1", "h2")
_MENU_CLASS = re.compile(r"(?:^|[\s_-])(?:nav|menu|footer|header|breadcrumb|crumb|share|sidebar|toolbar|"
                         r"bottom|top|banner|copyright|related|xgxx|dqwz)(?:$|[\s_-]|\d)", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*(?P<cs>[A-Za-z0-9_-]+)""", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s-\s|——).*$")
_CONTEXT = 1.5            # a data table's container is kept when it holds at most this much more text
_MAX_LINK_DENSITY = 0.5   # a block with more of its text in links than this is navigation
_BLANKS = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
MAX_DEPTH = 256           # elements nested deeper are attached to the deepest one kept
MAX_RESCAN = 4_000_000    # an unfinished tail's length times its '<' (see _finish): a tenth of a second


@dataclass
class _Node:
    tag: str
    attrs: dict
    children: list[Union["_Node", str]] = field(default_factory=list)
    parent: Optional["_Node"] = None


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.cur = self.root
        self.depth = 0                                  # of self.cur below the root
        self.open: Counter = Counter()                  # tags open from the root to self.cur

    def _up(self) -> None:
        self.open[self.cur.tag] -= 1
        self.cur = self.cur.parent
        self.depth -= 1

    def handle_starttag(self, tag, attrs):
        if tag == "p" and self.cur.tag == "p":          # an unclosed <p> ends at the next one
            self._up()
        node = _Node(tag, {k: v or "" for k, v in attrs}, parent=self.cur)
        self.cur.children.append(node)
        if tag not in _VOID and self.depth < MAX_DEPTH:
            self.cur = node
            self.depth += 1
            self.open[tag] += 1

    def handle_endtag(self, tag):
        if not self.open[tag]:                          # not open: a stray end tag
            return
        while self.cur.tag != tag:                      # close it and everything left open inside
            self._up()
        self._up()

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(_Node(tag, {k: v or "" for k, v in attrs}, parent=self.cur))

    def handle_data(self, data):
        self.cur.children.append(data)


def read_html(path: str | Path) -> tuple[str, str]:
    """The main text of the HTML page at ``path`` and the encoding it was decoded with."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(path, f"cannot read: {e}") from e
    markup, encoding = _decode(data, path)
    builder = _TreeBuilder()
    builder.feed(markup)
    _finish(builder, path)
    root = builder.root
    main = _main_node(root)
    if main is None:
        raise SourceError(path, "no text found in the page (is it only a frame or a script?)")
    lines = _lines(main)
    heading = _heading(root, main)
    if heading and (not lines or heading not in lines[0]):
        lines.insert(0, heading)
    return "\n".join(lines).strip("\n") + "\n", encoding


def _finish(builder: _TreeBuilder, path: Path) -> None:
    """Close the parser, refusing an unfinished tail it cannot finish in bounded time.

    What ``feed`` leaves unparsed is a tag, comment or declaration that is never closed,
    and what follows it to the end of the page. Python before 3.11.13, 3.12.11 and 3.13.4
    finishes it in time proportional to its length times its ``<`` (CVE-2025-6069: 50 000
    ``<a `` took minutes), so a tail above :data:`MAX_RESCAN` of that product is refused."""
    rest = builder.rawdata
    if len(rest) * rest.count("<") > MAX_RESCAN:
        line, column = builder.getpos()
        raise SourceError(path, f"line {line}, column {column + 1}: a tag, comment or declaration "
                                f"is never closed, and the {len(rest):,} characters after it to the end "
                                f"of the page hold {rest.count('<'):,} more '<': is the file cut, or not HTML?")
    builder.close()


def read_html_document(path: Path, doc_id: str) -> RawText:
    """The reader for :data:`kg.sources.READERS`."""
    text, encoding = read_html(path)
    return RawText(text, encoding)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec), codec
    m = _CHARSET.search(data[:4096])
    tried = []
    if m:
        declared = m.group("cs").decode("ascii").lower()
        codec = "gb18030" if declared in ("gb2312", "gbk", "gb18030", "x-gbk") else declared
        try:
            return data.decode(codec), declared
        except (LookupError, UnicodeDecodeError):
            tried.append(declared)
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            tried.append(codec)
    raise SourceError(path, f"cannot decode the page (tried {', '.join(tried)})")


def _dropped(node: _Node) -> bool:
    if node.tag in _DROP:
        return True
    names = " ".join((node.attrs.get("class", ""), node.attrs.get("id", "")))
    return bool(names.strip()) and _MENU_CLASS.search(names) is not None


def _text_len(node: _Node, in_link: bool = False) -> tuple[int, int]:
    """(characters of text, characters of it inside links) under ``node``, dropped parts left out."""
    total = link = 0
    for child in node.children:
        if isinstance(child, str):
            n = len(_BLANKS.sub("", child).strip())
            total += n
            link += n if in_link else 0
        elif not _dropped(child):
            t, lk = _text_len(child, in_link or child.tag == "a")
            total += t
            link += lk
    return total, link


def _main_node(root: _Node) -> Optional[_Node]:
    """The element holding the most non-link text, paragraphs scored onto parent and grandparent."""
    scores: dict[int, float] = {}
    nodes: dict[int, _Node] = {}

    def visit(node: _Node) -> tuple[int, int]:
        """Score the blocks under ``node``; return its (text, link text) as :func:`_text_len`
        does, each node counted once (not once per ancestor)."""
        total = link = own = 0
        has_block = False
        for child in node.children:
            if isinstance(child, str):
                own += len(_BLANKS.sub("", child).strip())
                continue
            has_block = has_block or child.tag in _BLOCK or child.tag in _CELL
            if not _dropped(child):
                t, lk = visit(child)
                total += t
                link += t if child.tag == "a" else lk
        total += own
        leaf_block = (node.tag in _BLOCK or node.tag in _CELL) and not has_block
        if (leaf_block or own) and total and link / total <= _MAX_LINK_DENSITY:
            for up, weight in ((node.parent, 1.0), (node.parent and node.parent.parent, 0.5)):
                if up is not None:
                    scores[id(up)] = scores.get(id(up), 0.0) + weight * (total - link)
                    nodes[id(up)] = up
        return total, link

    visit(root)
    if not scores:
        return None
    best = nodes[max(scores, key=scores.get)]
    table = _enclosing(best, "table")
    if table is not None and _is_data_table(table):
        best = table          # a cell or row of a data table: take the whole table,
        if best.parent is not None and _text_len(best.parent)[0] <= _CONTEXT * _text_len(best)[0]:
            best = best.parent   # with its title and notes when they are short
    return best


def _enclosing(node: _Node, tag: str) -> Optional[_Node]:
    while node is not None and node.tag != tag:
        if node.tag not in ("td", "th", "tr", "tbody", "thead", "tfoot", "table"):
            return None        # the content sits in a block inside a cell: a layout table
        node = node.parent
    return node


def _is_data_table(table: _Node) -> bool:
    """A table of data (rows of several filled cells), not a page layout of one cell per row."""
    rows = []

    def collect(n: _Node) -> None:
        for c in n.children:
            if isinstance(c, _Node) and c.tag == "tr":
                rows.append(c)
            elif isinstance(c, _Node) and c.tag != "table":
                collect(c)

    collect(table)
    filled = [sum(1 for c in r.children if isinstance(c, _Node) and c.tag in _CELL and _text_len(c)[0])
              for r in rows]
    return sum(1 for n in filled if n >= 2) >= 2


def _lines(node: _Node) -> list[str]:
    """The text under ``node``: one line per block, one tab-led line per table cell."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _BLANKS.sub(" ", "".join(buf)).strip()
        if line:
            out.append(line)
        buf.clear()

    def walk(n: _Node, cell: bool) -> None:
        for child in n.children:
            if isinstance(child, str):
                buf.append(child.replace("\n", " "))
                continue
            if _dropped(child):
                continue
            if child.tag == "br":
                flush()
            elif child.tag in _CELL:
                flush()
                start = len(out)
                walk(child, True)
                flush()
                cell_lines = out[start:]
                del out[start:]
                out.append("\t" + "\n\t".join(cell_lines) if cell_lines else "\t")
            elif child.tag == "tr":
                flush()
                walk(child, cell)
                flush()
                out.append("")
            elif child.tag in _BLOCK:
                flush()
                walk(child, cell)
                flush()
            else:
                walk(child, cell)

    walk(node, False)
    flush()
    return out


def _find(node: _Node, tags: tuple[str, ...]) -> Optional[_Node]:
    for child in node.children:
        if isinstance(child, _Node) and not _dropped(child):
            if child.tag in tags:
                return child
            found = _find(child, tags)
            if found is not None:
                return found
    return None


def _heading(root: _Node, main: _Node) -> Optional[str]:
    """The page's heading: its first <h1>/<h2>, else its <title> without the site name."""
    h = _find(root, _HEADINGS)
    if h is not None:
        text = " ".join(_lines(h)).strip()
        if text:
            return text
    title = _find_any(root, "title")
    if title is not None:
        text = _BLANKS.sub(" ", "".join(c for c in title.children if isinstance(c, str))).strip()
        return _SITE_SUFFIX.sub("", text) or None
    return None


def _find_any(node: _Node, tag: str) -> Optional[_Node]:
    """The first ``tag`` anywhere, dropped parts included (the <title> sits in <head>)."""
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                return child
            found = _find_any(child, tag)
            if found is not None:
                return found
    return None
