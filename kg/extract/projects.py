"""Named projects found in a range of a document, conservatively.

A wrong project node is worse than a missing one, so only three shapes are read:

1. a list before ``等…项目/工程``: ``加快汉云谷绿色金融总部、国安地块商业综合体、中川街等项目建设``
   (the leading verb of the first name is stripped);
2. ``X项目`` right after a verb: ``推动细胞与基因药谷项目6月份竣工``;
3. a name with a project-ish ending right after a verb: ``加快推进济南先进材料智造港``.

Names that are generic (轨道交通, 重点项目, anything with 一批 or 重点 …) are
dropped. The words are data: data/projects.tsv.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.model import Document, ProjectMention
from kg.resources import DataError
from kg.resources import table as data_table

_WORD_KINDS = ("verb", "lead", "tail", "stop", "generic", "conj", "end", "suffix")


@lru_cache(maxsize=1)
def project_words() -> dict[str, tuple[str, ...]]:
    """kind → words of data/projects.tsv (verbs and suffixes longest first), read once."""
    words: dict[str, list[str]] = {k: [] for k in _WORD_KINDS}
    for row in data_table("projects.tsv", ("kind", "word")):
        if row["kind"] not in words or not row["word"]:
            raise DataError(row.path, row.line, f"expected kind<TAB>word with kind one of "
                                                f"{', '.join(_WORD_KINDS)}; got {'<TAB>'.join(row.values())!r}")
        words[row["kind"]].append(row["word"])
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in words.items()}


# The end of a list of named projects: 等 (a count, a kind) 项目/工程.
_LIST_END = re.compile(
    r"""等                                      # "and others"
        (?:\d+[个项]|一批)?                      # a count: 等89个, 等一批
        [^，。；：、\n（）“”等]{0,10}?            # a kind: 重点, 城市道路, 历史遗留
        (?:项目|工程)                            # project / works
    """,
    re.VERBOSE,
)

# Characters that end the clause before a list (the list starts after the last one).
_CLAUSE_BREAK = "，。；：！？\n\t"

# A name in shapes 2 and 3: no punctuation, no 等 or 的.
_NAME = r"[^，。；：、“”（）\s等的]"


@lru_cache(maxsize=1)
def _after_verb() -> tuple[re.Pattern, re.Pattern]:
    w = project_words()
    verbs = "|".join(map(re.escape, w["lead"]))
    suffixes = "|".join(map(re.escape, w["suffix"]))
    named = re.compile(rf"(?:{verbs})(?P<name>{_NAME}{{3,16}}?)项目")              # 推动X项目
    suffixed = re.compile(rf"(?:{verbs})(?P<name>{_NAME}{{2,14}}?(?:{suffixes})"     # 加快推进X智造港
                          rf"(?:[一二三四五六七八九]期)?)")                           # (二期)
    return named, suffixed


def _strip_verbs(text: str, s: int, e: int) -> int:
    """``s`` moved past any leading verbs of ``text[s:e]``."""
    verbs = project_words()["verb"]
    moved = True
    while moved:
        moved = False
        for v in verbs:
            if text.startswith(v, s) and e - s > len(v):
                s += len(v)
                moved = True
                break
    return s


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t“":
        s += 1
    while e > s and text[e - 1] in " \t”":
        e -= 1
    for tail in project_words()["tail"]:
        if text.endswith(tail, s, e) and e - s > len(tail):
            e -= len(tail)
    return s, e


def _good(name: str) -> bool:
    w = project_words()
    if not 3 <= len(name) <= 25 or name in w["stop"] or name[0].isdigit():
        return False
    if any(name.endswith(x) for x in w["end"]):
        return False
    if name.count("“") != name.count("”") or name.count("（") != name.count("）"):
        return False
    if any(c in name[2:-2] for c in w["conj"]):     # 生活配套和公共服务设施: two things
        return False
    return not any(g in name for g in w["generic"])


def _list_start(text: str, lo: int, hi: int) -> int:
    """Start of the clause ending at ``hi``: after the last break or unmatched ）."""
    s = max(lo, max(text.rfind(c, lo, hi) for c in _CLAUSE_BREAK) + 1)
    start, depth = s, 0
    for i in range(s, hi):
        if text[i] == "（":
            depth += 1
        elif text[i] == "）":
            if depth:
                depth -= 1
            else:
                start = i + 1           # the end of an annotation before the list
    return start


def _listed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for m in _LIST_END.finditer(text, start, end):
        ls = _list_start(text, start, m.start())
        ls = _strip_verbs(text, ls, m.start())
        pos = ls
        for part in text[ls:m.start()].split("、"):
            s, e = _trim(text, pos, pos + len(part))
            pos += len(part) + 1
            out.append((s, e))
    return out


def projects_in(doc: Document, start: int, end: int) -> tuple[ProjectMention, ...]:
    """Projects named in ``doc.norm.text[start:end]`` (normalized offsets)."""
    text = doc.norm.text
    found = _listed(text, start, end)
    for pattern in _after_verb():
        for m in pattern.finditer(text, start, end):
            s = _strip_verbs(text, m.start("name"), m.end("name"))
            found.append(_trim(text, s, m.end("name")))
    taken: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if _good(text[s:e]) and not any(s < te and ts < e for ts, te in taken):
            taken.append((s, e))
    return tuple(ProjectMention(name=text[s:e], span=doc.norm.span(doc.id, s, e)) for s, e in taken)
