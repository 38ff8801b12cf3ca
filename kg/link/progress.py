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
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Mapping, Optional, Sequence

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
# Text blocks whose words a tokenizer remembers (a block is a clause: 10 to 30 characters).
_BLOCK_CACHE = 1 << 17


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


class _NamedTokenizer:
    """One jieba tokenizer per process over jieba's dictionary, with the known names of
    one document set at a time: switching names undoes the last set's additions exactly
    (each entry's earlier value, and the total), so cutting with names N gives what a fresh
    copy of the dictionary plus N would, without copying its half a million entries (7 ms)
    for every shard."""

    def __init__(self) -> None:
        import jieba

        freq, total = _base_dictionary()
        self.tk = jieba.Tokenizer()                            # our own: no global user words
        self.tk.FREQ, self.tk.total, self.tk.initialized = dict(freq), total, True
        self.names: Optional[tuple[str, ...]] = ()
        self._undo: list[tuple[str, Optional[int]]] = []
        self._total = total

    def use(self, names: tuple[str, ...]):
        """The tokenizer with ``names`` (and only them) added."""
        if names is self.names or names == self.names:
            return self.tk
        freq = self.tk.FREQ
        for key, old in reversed(self._undo):
            if old is None:
                del freq[key]
            else:
                freq[key] = old
        self._undo.clear()
        self.tk.total = self._total
        for name in names:
            for k in range(1, len(name) + 1):
                self._undo.append((name[:k], freq.get(name[:k])))
            self.tk.add_word(name, freq=_NAME_FREQ)
        self.names = names
        return self.tk


@lru_cache(maxsize=1)
def _shared_tokenizer() -> _NamedTokenizer:
    return _NamedTokenizer()


def _tokenizer(names: tuple[str, ...]):
    """jieba's tokenizer with ``names`` added (valid until it is asked for other names)."""
    return _shared_tokenizer().use(names)


def tokenize(text: str, names: Sequence[str] = ()) -> list[str]:
    """The words of ``text`` (punctuation and spaces dropped), ``names`` kept whole."""
    return tokenizer(tuple(names))(text)


@lru_cache(maxsize=4)
def tokenizer(names: tuple[str, ...]) -> Callable[[str], list[str]]:
    """tokenize() with ``names``, remembering the words of each block it has cut.

    jieba cuts a text block by block (runs of CJK characters, letters and digits, and
    what lies between them), each block on its own, so the words of a text are those
    of its blocks in order: a block met again (a row restates its task's clauses) is
    not cut again."""
    import jieba

    blocks = jieba.re_han_default          # the split jieba's own cut() makes

    @lru_cache(maxsize=_BLOCK_CACHE)
    def words(block: str) -> tuple[str, ...]:
        return tuple(w for w in _tokenizer(names).cut(block) if _WORD.search(w))

    def tokens(text: str) -> list[str]:
        out: list[str] = []
        for block in blocks.split(text):
            if block:
                out.extend(words(block))
        return out

    return tokens


def _norm(vec: Mapping[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values()))


class TextMatcher:
    """Cosine similarity of TF-IDF vectors, the IDF taken from ``corpus``."""

    def __init__(self, corpus: Sequence[str], names: Iterable[str] = (),
                 tokens: Optional[Callable[[str], list[str]]] = None):
        """``tokens``: tokenizer(names), to pass when making many matchers with the same
        names (finding the tokenizer of names compares the whole tuple of names)."""
        if tokens is None:
            # known_names() is already a sorted tuple of distinct names: do not sort again
            tokens = tokenizer(names if isinstance(names, tuple) else tuple(sorted(set(names))))
        self.tokens = tokens
        docs = [set(tokens(c)) for c in corpus]
        df = Counter(w for d in docs for w in d)
        n = len(docs)
        self._idf = {w: math.log((n + 1) / (k + 1)) + 1.0 for w, k in df.items()}
        self._unseen = math.log(n + 1) + 1.0          # a word no candidate has

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(self.tokens(text))
        return {w: k * self._idf.get(w, self._unseen) for w, k in tf.items()}

    @staticmethod
    def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
        dot = sum(v * b[w] for w, v in a.items() if w in b)
        if not dot:
            return 0.0
        return dot / (_norm(a) * _norm(b))

    def similarity(self, a: str, b: str) -> float:
        return self.cosine(self.vector(a), self.vector(b))


def coverage(part: str, whole: str) -> float:
    """Share of ``part``'s characters found in ``whole`` in common runs of _MIN_RUN or more.

    The runs are the matching blocks of difflib.SequenceMatcher(None, part, whole,
    autojunk=False): the longest common run (the earliest in ``part``, then in ``whole``),
    then the same on each side of it, recursively. That is all this computes, with
    str.find instead of difflib's tables, and it stops where the longest run left is
    shorter than _MIN_RUN, since nothing found beyond would count. (Without junk no two
    blocks are adjacent, so difflib's merging of adjacent blocks changes nothing.)"""
    if not part:
        return 0.0
    total = 0
    todo = [(0, len(part), 0, len(whole))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        i, k = _longest_run(part, alo, ahi, whole, blo, bhi)
        if k:
            j = whole.find(part[i:i + k], blo, bhi)
            total += k
            if i - alo >= _MIN_RUN and j - blo >= _MIN_RUN:        # a shorter side holds
                todo.append((alo, i, blo, j))                     # no run that counts
            if ahi - i - k >= _MIN_RUN and bhi - j - k >= _MIN_RUN:
                todo.append((i + k, ahi, j + k, bhi))
    return total / len(part)


def _longest_run(a: str, alo: int, ahi: int, b: str, blo: int, bhi: int) -> tuple[int, int]:
    """(i, k): the longest a[i:i + k] within a[alo:ahi] found in b[blo:bhi], the earliest i
    among the longest; (alo, 0) when none is _MIN_RUN long."""
    best_i, best_k = alo, _MIN_RUN - 1
    for i in range(alo, ahi - _MIN_RUN + 1):
        k = best_k + 1                       # only a longer run than the best matters
        if i + k > ahi or b.find(a[i:i + k], blo, bhi) < 0:
            continue
        while i + k < ahi and b.find(a[i:i + k + 1], blo, bhi) >= 0:
            k += 1
        best_i, best_k = i, k
    return (best_i, best_k) if best_k >= _MIN_RUN else (alo, 0)


def _run_bound(part: str, grams: Mapping[str, Sequence[int]]) -> dict[int, int]:
    """Candidate index → how many characters of ``part`` lie in a run of _MIN_RUN characters
    that the candidate also holds (``grams``: each such run → the candidates holding it).

    Each matching block that coverage() counts is made of such runs, and the blocks do not
    overlap in ``part``: the count bounds coverage's numerator from above, and a candidate
    left out has a coverage of exactly 0."""
    hits: dict[int, int] = {}                        # candidate → bit mask of where its runs start
    for i in range(len(part) - _MIN_RUN + 1):
        for c in grams.get(part[i:i + _MIN_RUN], ()):
            hits[c] = hits.get(c, 0) | (1 << i)
    out = {}
    for c, mask in hits.items():
        chars = mask
        for k in range(1, _MIN_RUN):
            chars |= mask << k
        out[c] = chars.bit_count()
    return out


class RowScorer:
    """Scores a row (a restatement) against candidate sentences: cosine and coverage.

    A row's score against a candidate is the mean of their cosine and of the row's
    coverage by it. :meth:`scores` computes it for every candidate; :meth:`best` finds the
    same best and second-best scores while running the costly coverage only for the few
    candidates whose score could still be among the two best."""

    def __init__(self, candidates: Sequence[str], names: Iterable[str] = (),
                 tokens: Optional[Callable[[str], list[str]]] = None):
        self.candidates = list(candidates)
        self.matcher = TextMatcher(self.candidates, names, tokens)
        self._vecs = [self.matcher.vector(c) for c in self.candidates]
        self._norms = [_norm(v) for v in self._vecs]
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)  # word → (cand, weight)
        self._grams: dict[str, list[int]] = defaultdict(list)        # run of _MIN_RUN → cands
        for i, (vec, text) in enumerate(zip(self._vecs, self.candidates)):
            for w, v in vec.items():
                self._postings[w].append((i, v))
            for g in {text[k:k + _MIN_RUN] for k in range(len(text) - _MIN_RUN + 1)}:
                self._grams[g].append(i)

    def _row(self, text: str) -> tuple[dict[str, float], str]:
        main = _ASIDE.sub("", text).strip() or text
        vec = self.matcher.vector(main)
        if main != text:
            for w, v in self.matcher.vector(" ".join(_ASIDE.findall(text))).items():
                vec[w] = vec.get(w, 0.0) + _ASIDE_WEIGHT * v
        return vec, main

    def _cosines(self, vec: Mapping[str, float]) -> list[float]:
        """TextMatcher.cosine(vec, c) for every candidate c, through the postings: each dot
        product adds the same products in the same order (the row's word order) from 0.0."""
        dots = [0.0] * len(self.candidates)
        for w, v in vec.items():
            for i, cv in self._postings.get(w, ()):
                dots[i] += v * cv
        norm = _norm(vec)
        return [dot / (norm * cn) if dot else 0.0 for dot, cn in zip(dots, self._norms)]

    def scores(self, text: str) -> list[float]:
        """One score in [0, 1] per candidate, in candidate order."""
        vec, main = self._row(text)
        return [(cos + coverage(main, c)) / 2 for cos, c in zip(self._cosines(vec), self.candidates)]

    def best(self, text: str) -> tuple[float, Optional[int], float]:
        """(best score, its candidate, second-best score) as :meth:`scores` would rank them:
        highest score first, the earlier candidate first among equal scores."""
        vec, main = self._row(text)
        cosines = self._cosines(vec)
        bound = _run_bound(main, self._grams)
        length = len(main)
        known = []                                   # (-score, candidate) computed exactly
        pending = []                                 # (-highest possible score, candidate)
        for i, cos in enumerate(cosines):
            if i in bound:
                pending.append((-((cos + bound[i] / length) / 2), i))
            else:
                known.append((-(cos / 2), i))        # no common run: coverage 0
        pending.sort()
        top = sorted(known)[:2]
        for neg_high, i in pending:
            if len(top) == 2 and -neg_high < -top[1][0]:
                break                                # neither it nor any later one reaches the top 2
            top = sorted(top + [(-((cosines[i] + coverage(main, self.candidates[i])) / 2), i)])[:2]
        if not top:
            return 0.0, None, 0.0
        return -top[0][0], top[0][1], (-top[1][0] if len(top) > 1 else 0.0)


# --------------------------------------------------------------------------- linking

def _work_reports(extractions: Sequence[Extraction]) -> dict[tuple[str, int], list[Extraction]]:
    """(region, year) → its work reports, in the order of ``extractions``."""
    out: dict[tuple[str, int], list[Extraction]] = defaultdict(list)
    for x in extractions:
        m = x.document.meta
        if m.kind == WORK_REPORT and m.region is not None:
            out[(m.region, m.year)].append(x)
    return out


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
    tokens = tokenizer(names)
    by_region = _work_reports(extractions)
    scorer, scorer_of = None, None                     # the scorer of the last reports' tasks
    for entry in sorted(extractions, key=lambda x: x.document.id):
        if entry.document.meta.kind != PROGRESS:
            continue
        eid = entry.document.id
        rows = [t for t in entry.tasks if t.level == 0]
        m = entry.document.meta
        reports = by_region.get((m.region, m.year), []) if m.region is not None else []
        if not reports:
            reason = f"no work report of {m.region} {m.year} among the documents"
            unlinked.extend(Unlinked(eid, r.seq, 0.0, None, reason) for r in rows)
            continue
        cands = [(x, t) for x in reports for t in x.tasks if t.level == 0]
        if scorer_of is not reports:                   # a region's progress documents follow
            scorer, scorer_of = RowScorer([t.text for _, t in cands], names, tokens), reports
        for row in rows:
            best_score, best_i, second = scorer.best(row.text)
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
