"""Progress entries → the work-report tasks they report on.

A progress report (kind ``progress``: 推进情况) restates, row by row, the tasks of
its region's work report of the same year and says how each stands. Each row
(a level-0 task of the progress document: an *entry*) is matched to the level-0
task of that work report it reports on:

1. **Main targets.** A row whose indicator is one of the work report's main
   targets (主要预期目标: 地区生产总值增长5.7%) reports on the task whose text
   states that target (method ``main-target``, score 1.0). When the work report
   states it only in its 主要预期目标 sentence, which is not a task, the row is
   linked to the target itself (:class:`TargetLink`) and listed as unlinked with
   that reason: it is never forced onto a task.
2. **Text.** Every other row is matched on its task text: jieba tokens (a
   tokenizer of its own, with the unit, metric and project names the extractions
   know as user words) and the cosine of TF-IDF vectors, IDF over the candidate
   tasks, averaged with the *coverage*: the share of the row's characters found
   in the task in common runs of :data:`_MIN_RUN` or more (a row restates its
   task, often word for word). A bracketed aside of the row (（续建项目建设114个…）)
   details the row rather than naming its task: it counts half in the cosine and
   not in the coverage. The best task wins when its score reaches
   :data:`MIN_SCORE`; a weaker best match leaves the row unlinked, with its best
   score.

Several rows may report on one task. Nothing here reads or changes the graph.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, Optional, Sequence

from kg.model import PROGRESS, WORK_REPORT, Extraction, IndicatorRecord, TaskRecord

# Lowest score at which a row is linked to its best task. On the seed rows the
# right task scores 0.69 or more and no wrong one passes 0.41 (see the test).
MIN_SCORE = 0.5

# Shortest common run of characters that counts towards coverage.
_MIN_RUN = 4
# Weight of the words of a bracketed aside in the row's vector.
_ASIDE_WEIGHT = 0.5
# A bracketed aside: full-width or ASCII parentheses, no nesting.
_ASIDE = re.compile(r"[（(][^（）()]*[）)]")
# A token worth keeping: it holds a letter, a digit or a CJK character.
_WORD = re.compile(r"\w")
# Names shorter than this are not added to the tokenizer (too ambiguous).
_MIN_NAME = 2
# Frequency given to a user word: high enough to beat the default dictionary's splits.
_NAME_FREQ = 100_000


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class ProgressLink:
    """Entry ``entry_doc``/``entry_seq`` REPORTS_ON task ``task_doc``/``task_seq``."""

    entry_doc: str
    entry_seq: int
    task_doc: str
    task_seq: int
    score: float
    method: str                  # "text" or "main-target"
    second: float = 0.0          # best score of any other task: margin = score - second


@dataclass(frozen=True)
class TargetLink:
    """Entry that reports on a main target the work report states outside any task."""

    entry_doc: str
    entry_seq: int
    target_doc: str              # the work report
    metric: str
    start: int                   # the target phrase in the work report's raw text
    end: int


@dataclass(frozen=True)
class Unlinked:
    entry_doc: str
    entry_seq: int
    best_score: float
    best_task_seq: Optional[int]
    reason: str


@dataclass(frozen=True)
class ProgressLinks:
    """What :func:`link_progress` found; iterating gives the links."""

    links: tuple[ProgressLink, ...] = ()
    unlinked: tuple[Unlinked, ...] = ()
    targets: tuple[TargetLink, ...] = ()

    def __iter__(self) -> Iterator[ProgressLink]:
        return iter(self.links)

    def __len__(self) -> int:
        return len(self.links)


# --------------------------------------------------------------------------- text

def known_names(extractions: Iterable[Extraction]) -> tuple[str, ...]:
    """Unit, metric and project names of every extraction, sorted, no duplicates."""
    names: set[str] = set()
    for x in extractions:
        inds = list(x.indicators)
        for t in x.tasks:
            names.update(u.name for u in t.units)
            names.update(p.name for p in t.projects)
            inds.extend(t.indicators)
        for ind in inds:
            names.update((ind.metric, ind.metric_as_written))
    return tuple(sorted(n for n in names if len(n) >= _MIN_NAME))


@lru_cache(maxsize=1)
def _base_dictionary() -> tuple[dict, int]:
    """jieba's own dictionary, loaded once per process (about 0.5 s each time otherwise)."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)   # it logs its dictionary load to stderr
    tk = jieba.Tokenizer()
    tk.check_initialized()
    return tk.FREQ, tk.total


@lru_cache(maxsize=4)
def _tokenizer(names: tuple[str, ...]):
    import jieba

    freq, total = _base_dictionary()
    tk = jieba.Tokenizer()                                   # our own: no global user words
    tk.FREQ, tk.total, tk.initialized = dict(freq), total, True   # a copy of the loaded dictionary
    for name in names:
        tk.add_word(name, freq=_NAME_FREQ)
    return tk


def tokenize(text: str, names: Sequence[str] = ()) -> list[str]:
    """The words of ``text`` (punctuation and spaces dropped), ``names`` kept whole."""
    return [w for w in _tokenizer(tuple(names)).lcut(text) if _WORD.search(w)]


class TextMatcher:
    """Cosine similarity of TF-IDF vectors, the IDF taken from ``corpus``."""

    def __init__(self, corpus: Sequence[str], names: Iterable[str] = ()):
        # known_names() is already a sorted tuple of distinct names: do not sort 100 000s again
        self.names = names if isinstance(names, tuple) else tuple(sorted(set(names)))
        self._words = _tokenizer(self.names).lcut       # looked up once, not per text (the
        docs = [set(self.tokens(c)) for c in corpus]      # lookup hashes the whole names tuple)
        df = Counter(w for d in docs for w in d)
        n = len(docs)
        self._idf = {w: math.log((n + 1) / (k + 1)) + 1.0 for w, k in df.items()}
        self._unseen = math.log(n + 1) + 1.0          # a word no candidate has

    def tokens(self, text: str) -> list[str]:
        return [w for w in self._words(text) if _WORD.search(w)]

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(self.tokens(text))
        return {w: k * self._idf.get(w, self._unseen) for w, k in tf.items()}

    @staticmethod
    def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
        dot = sum(v * b[w] for w, v in a.items() if w in b)
        if not dot:
            return 0.0
        na = math.sqrt(sum(v * v for v in a.values()))
        nb = math.sqrt(sum(v * v for v in b.values()))
        return dot / (na * nb)

    def similarity(self, a: str, b: str) -> float:
        return self.cosine(self.vector(a), self.vector(b))


def coverage(part: str, whole: str) -> float:
    """Share of ``part``'s characters found in ``whole`` in common runs of _MIN_RUN or more."""
    import difflib

    if not part:
        return 0.0
    sm = difflib.SequenceMatcher(None, part, whole, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks() if b.size >= _MIN_RUN) / len(part)


class RowScorer:
    """Scores a row (a restatement) against candidate sentences: cosine and coverage."""

    def __init__(self, candidates: Sequence[str], names: Iterable[str] = ()):
        self.candidates = list(candidates)
        self.matcher = TextMatcher(self.candidates, names)
        self._vecs = [self.matcher.vector(c) for c in self.candidates]

    def _row(self, text: str) -> tuple[dict[str, float], str]:
        main = _ASIDE.sub("", text).strip() or text
        vec = self.matcher.vector(main)
        if main != text:
            for w, v in self.matcher.vector(" ".join(_ASIDE.findall(text))).items():
                vec[w] = vec.get(w, 0.0) + _ASIDE_WEIGHT * v
        return vec, main

    def scores(self, text: str) -> list[float]:
        """One score in [0, 1] per candidate, in candidate order."""
        vec, main = self._row(text)
        return [(self.matcher.cosine(vec, cv) + coverage(main, c)) / 2
                for cv, c in zip(self._vecs, self.candidates)]


# --------------------------------------------------------------------------- linking

def _work_reports(extractions: Sequence[Extraction], entry: Extraction) -> list[Extraction]:
    m = entry.document.meta
    return [x for x in extractions
            if x.document.meta.kind == WORK_REPORT and x.document.meta.region == m.region
            and x.document.meta.year == m.year and m.region is not None]


def _main_targets(report: Extraction) -> list[IndicatorRecord]:
    inds = [i for i in report.indicators if i.main]
    inds += [i for t in report.tasks for i in t.indicators if i.main]
    return inds


def _same_target(a: IndicatorRecord, b: IndicatorRecord) -> bool:
    if a.metric != b.metric:
        return False
    return a.target is None or b.target is None or math.isclose(a.target, b.target)


def _stating_task(report: Extraction, ind: IndicatorRecord) -> Optional[TaskRecord]:
    """The level-0 task of ``report`` whose text holds the target phrase ``ind``."""
    for t in report.tasks:
        if t.level == 0 and t.span.start <= ind.span.start and ind.span.end <= t.span.end:
            return t
    return None


def _link_main(entry_doc: str, row: TaskRecord, report: Extraction, main: IndicatorRecord,
               best: tuple[float, Optional[int]]):
    task = _stating_task(report, main)
    rid = report.document.id
    if task is not None:
        return ProgressLink(entry_doc, row.seq, rid, task.seq, 1.0, "main-target", best[0]), None, None
    quote = report.document.text[main.span.start:main.span.end]
    reason = (f"main target {quote}: {rid} states it only in its 主要预期目标 list, "
              f"which is not a task; linked to the target instead")
    return (None, TargetLink(entry_doc, row.seq, rid, main.metric, main.span.start, main.span.end),
            Unlinked(entry_doc, row.seq, best[0], best[1], reason))


def link_progress(extractions: Sequence[Extraction]) -> ProgressLinks:
    """Link every row of every progress document to the task of its work report."""
    extractions = list(extractions)
    names = known_names(extractions)
    links: list[ProgressLink] = []
    unlinked: list[Unlinked] = []
    targets: list[TargetLink] = []
    for entry in sorted(extractions, key=lambda x: x.document.id):
        if entry.document.meta.kind != PROGRESS:
            continue
        eid = entry.document.id
        rows = [t for t in entry.tasks if t.level == 0]
        reports = _work_reports(extractions, entry)
        if not reports:
            m = entry.document.meta
            reason = f"no work report of {m.region} {m.year} among the documents"
            unlinked.extend(Unlinked(eid, r.seq, 0.0, None, reason) for r in rows)
            continue
        cands = [(x, t) for x in reports for t in x.tasks if t.level == 0]
        scorer = RowScorer([t.text for _, t in cands], names)
        for row in rows:
            scored = sorted(((sc, i) for i, sc in enumerate(scorer.scores(row.text))),
                            key=lambda p: (-p[0], p[1]))
            best_score, best_i = scored[0] if scored else (0.0, None)
            second = scored[1][0] if len(scored) > 1 else 0.0
            best_task = cands[best_i] if best_i is not None else None
            best = (round(best_score, 4), best_task[1].seq if best_task else None)
            main = next(((x, mi) for x in reports for mi in _main_targets(x)
                         for ri in row.indicators if _same_target(ri, mi)), None)
            if main is not None:
                link, target, miss = _link_main(eid, row, main[0], main[1], best)
                links.extend([link] if link else [])
                targets.extend([target] if target else [])
                unlinked.extend([miss] if miss else [])
            elif best_task is not None and best_score >= MIN_SCORE:
                x, t = best_task
                links.append(ProgressLink(eid, row.seq, x.document.id, t.seq,
                                          round(best_score, 4), "text", round(second, 4)))
            else:
                unlinked.append(Unlinked(eid, row.seq, best[0], best[1],
                                         f"best match scores {best[0]:.2f} < {MIN_SCORE}"))
    return ProgressLinks(tuple(links), tuple(unlinked), tuple(targets))
