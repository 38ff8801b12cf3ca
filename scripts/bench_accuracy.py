"""Accuracy on the real-document corpora, per document: `python scripts/bench_accuracy.py`.

Reads every document of tests/data/real, real-extra and real-extra2 (or of the corpus folders
given) alone, as `kg tasks --format jsonl` does, scores it against its
hand-made gold with tests/corpus_scorer.py (the project's shared scorer) and prints the
per-document table and the totals: tasks found, unit assignments (lenient: roles ignored;
strict: with roles), leaders, targets. The seeds' own accuracy is tests/test_accuracy.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from corpus_runner import score, table  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="*", type=Path,
                    default=[ROOT / "tests" / "data" / c for c in ("real", "real-extra", "real-extra2")],
                    help="corpus folders (docs/ and gold.jsonl); default tests/data/real, real-extra, real-extra2")
    args = ap.parse_args()
    for corpus in args.corpora:
        t0 = time.perf_counter()
        lenient, strict, _said = score(corpus)
        print(f"== {corpus} ({time.perf_counter() - t0:.1f} s)")
        print(table(lenient, strict))
        print()


if __name__ == "__main__":
    main()
