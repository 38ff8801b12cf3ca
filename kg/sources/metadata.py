"""Detect what a document is from its text: title, year, kind, period, date, author, region.

The header (title, delivery date, the speaker's line) is read from the first
lines of the raw text, each normalized on its own, so that nothing a
whole-text normalization joins across lines leaks into it. The kind comes
from the keyword rules of ``data/kinds.tsv``, the progress period from the
words of ``data/periods.tsv`` or the months the text names, the region from
:func:`kg.resolve.regions.detect_region`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from kg.model import KINDS, PROGRESS, DocMeta
from kg.resources import DataError
from kg.resources import table as data_table
from kg.sources.normalize import normalize

_HEAD_LINES = 12        # non-blank lines read as the header
_CELL_LINES = 80        # lines searched for a table header cell
_HEAD_CHARS = 3000      # characters of the normalized text the "head" rules read
_TITLE_MAX_LINES = 3
_TITLE_MAX_CHARS = 60

_ATTACHMENT = re.compile(r"^附件\s*\d*[:：]?$")    # 附件1, a label above the title

_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*年")

_DATE = re.compile(
    r"""(?P<y>(?:19|20)\d\d)年          # year
        (?P<m>\d{1,2})月                # month
        (?P<d>\d{1,2})日                # day
    """,
    re.VERBOSE,
)

_DELIVERED = re.compile(
    r"""(?P<y>(?:19|20)\d\d)年(?P<m>\d{1,2})月(?P<d>\d{1,2})日   # the date
        \s*在                              # "at"
        [^。]{0,40}?人民代表大会             # ... the people's congress (may span a line)
    """,
    re.VERBOSE,
)

_DATE_LINE = re.compile(
    r"""^[（(]?                             # an optional bracket
        (?:19|20)\d\d年\d{1,2}月\d{1,2}日    # a date alone on its line
        [）)]?$
    """,
    re.VERBOSE,
)

_SPEAKER = re.compile(
    r"""^(?P<org>[\u4e00-\u9fff]{0,12}?)                  # the region: 槐荫区, 济南市 (or none)
        (?P<post>代?(?:省|市|区|县|州|旗|盟)长|主任|主席)   # the post: 区长, 代市长 …
        (?P<name>[\u4e00-\u9fff·]{2,4})$                  # the speaker's name
    """,
    re.VERBOSE,
)

_MONTHS = re.compile(
    r"""(?<!\d)(?P<a>\d{1,2})             # first month
        \s*[-—－~～至到]\s*                  # a dash or 至
        (?P<b>\d{1,2})\s*月                # last month
    """,
    re.VERBOSE,
)

_TITLE_STOP = re.compile(r"^(?:——|—|-)|[。：:]$|^各位代表")   # subtitle, sentence, greeting


@dataclass(frozen=True)
class KindRule:
    kind: str
    where: str                  # title | cell | head
    keywords: tuple[str, ...]   # all must occur


@lru_cache(maxsize=None)
def kind_rules() -> tuple[KindRule, ...]:
    """The rules of data/kinds.tsv, in order."""
    rules = []
    for row in data_table("kinds.tsv", ("kind", "where", "keywords")):
        if row["kind"] not in KINDS or row["where"] not in ("title", "cell", "head"):
            raise DataError(row.path, row.line, f"kind must be one of {', '.join(KINDS)} and where one of "
                                                f"title, cell, head; got {row['kind']!r}, {row['where']!r}")
        rules.append(KindRule(row["kind"], row["where"], tuple(row["keywords"].split("+"))))
    return tuple(rules)


@lru_cache(maxsize=None)
def period_words() -> tuple[tuple[str, str], ...]:
    """(word, months) pairs of data/periods.tsv, longest word first."""
    pairs = [(row["word"], row["months"]) for row in data_table("periods.tsv", ("word", "months"))]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def header_lines(doc_text: str, limit: int = _HEAD_LINES) -> list[str]:
    """The first ``limit`` non-blank lines, each normalized on its own ("" marks a blank).

    Lines that are table cells (start with a tab) end the header.
    """
    out: list[str] = []
    seen = 0
    for raw in doc_text.splitlines():
        if raw.startswith("\t"):
            break
        line = normalize(raw).text.strip()
        out.append(line)
        seen += bool(line)
        if seen >= limit:
            break
    return out


def detect_title(lines: list[str]) -> str | None:
    """The first block of short heading lines, joined; None if the text opens with prose."""
    block: list[str] = []
    for line in lines:
        if not line:
            if block:
                break
            continue
        if not block and _ATTACHMENT.match(line):
            continue
        if (_TITLE_STOP.search(line) or _DATE_LINE.match(line) or _SPEAKER.match(line)
                or len(line) > _TITLE_MAX_CHARS or "。" in line):
            break
        block.append(line)
        if len(block) == _TITLE_MAX_LINES:
            break
    return "".join(block) or None


def detect_date(lines: list[str]) -> str | None:
    """ISO date the report was delivered (…日在…人民代表大会), or a date alone on a header line."""
    head = "\n".join(lines)
    m = _DELIVERED.search(head)
    if m is None:
        m = next((_DATE.search(line) for line in lines if _DATE_LINE.match(line)), None)
    if m is None:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    except ValueError:
        return None


def detect_speaker(lines: list[str]) -> tuple[str | None, str | None]:
    """(author, post) from a header line such as 槐荫区区长  刘敬涛."""
    for line in lines:
        m = _SPEAKER.match(line)
        if m:
            return m["name"], m["post"]
    return None, None


def detect_year(title: str | None, date: str | None, norm_text: str) -> int | None:
    """The year the document is about: the title's, else the delivery date's, else the likeliest."""
    if title:
        m = _YEAR.search(title)
        if m:
            return int(m["year"])
    if date:
        return int(date[:4])
    counts = Counter(int(m["year"]) for m in _YEAR.finditer(norm_text[:_HEAD_CHARS]))
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _has_cell(doc_text: str, word: str) -> bool:
    return word in _cells(doc_text)


@lru_cache(maxsize=2)
def _cells(doc_text: str) -> frozenset[str]:
    """The normalized cells of the first lines (asked once per kind rule: worked out once)."""
    return frozenset(normalize(piece).text.strip() for line in doc_text.splitlines()[:_CELL_LINES]
                     for piece in re.split(r"[\t|｜]", line))


def detect_kind(title: str | None, doc_text: str, norm_text: str) -> str | None:
    """The kind of the first rule of data/kinds.tsv that matches."""
    head = norm_text[:_HEAD_CHARS]
    for rule in kind_rules():
        if rule.where == "title":
            ok = title is not None and all(w in title for w in rule.keywords)
        elif rule.where == "head":
            ok = all(w in head for w in rule.keywords)
        else:
            ok = all(_has_cell(doc_text, w) for w in rule.keywords)
        if ok:
            return rule.kind
    return None


def detect_months(title: str | None, norm_text: str) -> str | None:
    """The months a progress report covers: "1-9月" (title first, else the text's commonest)."""
    if title:
        m = _MONTHS.search(title)
        if m:
            return f"{int(m['a'])}-{int(m['b'])}月"
        for word, months in period_words():
            if word in title:
                return months
    counts = Counter(f"{int(m['a'])}-{int(m['b'])}月" for m in _MONTHS.finditer(norm_text)
                     if int(m["a"]) == 1 and 1 <= int(m["b"]) <= 12)
    return counts.most_common(1)[0][0] if counts else None


def detect_region(norm_text: str) -> str | None:
    """The region's gazetteer name, by kg.resolve.regions.detect_region."""
    return detect_region_code(norm_text)[0]


def detect_region_code(norm_text: str) -> tuple[str | None, str | None]:
    """The region's gazetteer name and code (槐荫区, 370104), by kg.resolve.regions.detect_region."""
    from kg.resolve.regions import detect_region as _detect

    region, _confidence, _how = _detect(norm_text)
    return (region.name, region.code) if region is not None else (None, None)


def detect_meta(doc_text: str, norm_text: str) -> DocMeta:
    """Everything :class:`DocMeta` holds that the text itself says; sources all "detected"."""
    lines = header_lines(doc_text)
    title = detect_title(lines)
    date = detect_date(lines)
    author, post = detect_speaker(lines)
    year = detect_year(title, date, norm_text)
    kind = detect_kind(title, doc_text, norm_text)
    period = None
    if kind == PROGRESS:
        months = detect_months(title, norm_text)
        if months:
            period = f"{year}年{months}" if year else months
    region, region_code = detect_region_code(norm_text)
    values = dict(region=region, year=year, kind=kind, title=title, period=period, date=date,
                  author=author, post=post, region_code=region_code)
    sources = tuple((name, "detected") for name, value in values.items() if value is not None)
    return DocMeta(**values, sources=sources)
