"""Run govkg over a corpus of real documents with hand-made gold and score it.

A corpus folder holds ``docs/`` (each file's ``# `` lines are its source header, stripped
before reading) and ``gold.jsonl``; see tests/data/real/README.md. Each document is read
alone, as ``kg tasks --format jsonl <document>`` would, and scored by
``tests/corpus_scorer.py`` (a copy of the project's shared scorer). Used by
tests/test_real_corpus.py and scripts/bench_accuracy.py.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import corpus_scorer
from kg.build import build_graph
from kg.summary import task_rows


def predict(corpus: Path, out: Path) -> dict[str, list[str]]:
    """``kg tasks`` rows of every document of ``corpus`` into ``out/<stem>.jsonl``; returns what
    each document warned about or failed with."""
    said: dict[str, list[str]] = {}
    inputs = out / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    for f in sorted((corpus / "docs").iterdir()):
        text = "".join(line for line in f.read_text(encoding="utf-8").splitlines(True)
                       if not line.startswith("# "))
        path = inputs / f.name
        path.write_text(text, encoding="utf-8")
        result = build_graph([path], workers=1)
        rows = task_rows(result)
        (out / f"{f.stem}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                             encoding="utf-8")
        said[f.stem] = [x.message for x in result.failures] + [p.message for p in result.problems]
    return said


def score(corpus: Path) -> tuple[dict, dict, dict[str, list[str]]]:
    """(lenient report, strict report, messages) of govkg on ``corpus`` (see corpus_scorer.score)."""
    gold = [json.loads(line) for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        said = predict(corpus, Path(tmp))
        return corpus_scorer.score(gold, tmp, True), corpus_scorer.score(gold, tmp, False), said


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def table(lenient: dict, strict: dict) -> str:
    """The per-document table and the total line, as ../shared/tools/score_corpus.sh prints them."""
    lines = [f"{'document':28} {'tasks':>9} {'lenient P/R':>13} {'strict F1':>9} {'leaders':>8} {'targets':>8}"]
    for d, v in lenient.items():
        if d == "_total":
            continue
        s = strict[d]
        leaders = f"{v['leader_tp']}/{v['leader_tp'] + v['leader_fn']}"
        lines.append(f"{d[:28]:28} {v['found']:>4}/{v['tasks']:<4} {v['precision']:>6.2f}/{v['recall']:<6.2f} "
                     f"{f1(s['precision'], s['recall']):>9.2f} {leaders:>8} {v['ind_tp']:>4}/{v['ind_gold']:<3}")
    t, st = lenient["_total"], strict["_total"]
    lines.append(f"TOTAL tasks found {t['found']}/{t['tasks']}  lenient F1 {t['f1']:.3f} (P {t['precision']:.3f} "
                 f"R {t['recall']:.3f})  strict F1 {st['f1']:.3f}  leaders P {t['leader_p']} R {t['leader_r']}  "
                 f"indicators R {t['indicator_r']}")
    return "\n".join(lines)
