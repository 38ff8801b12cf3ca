#!/usr/bin/env python3
"""Adversarial text: `kg tasks` on 10 MB documents written to defeat a reader, each timed as a
whole process.

Every scan over a document must be linear: a bracket never closed, brackets nested deep, one
line of 10 MB with no break, a role label repeated without end, numbers everywhere, the seed
decomposition repeated to 10 MB. Each case is written under --work, read by
`kg tasks FILE --format jsonl` in a fresh process (start-up included) with a time bound, and its
wall time, exit status and number of rows printed. The goal: each finishes in seconds (a
quadratic scan of 10 MB would take hours).

    python scripts/bench_adversarial.py [--size-mb 10] [--timeout 120]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "reports" / "lixia-2025-decomposition.txt"


def cases(size: int) -> dict[str, str]:
    seed = SEED.read_text(encoding="utf-8")
    head = "济南市历下区2025年政府工作报告重点任务分解\n"
    fill = lambda unit: unit * (size // len(unit.encode("utf-8")) + 1)   # noqa: E731
    return {
        "unclosed brackets after the seed": seed + fill("【"),
        "brackets nested deep": head + "（" * (size // 6) + "区财政局" + "）" * (size // 6),
        "one 10 MB line": head + fill("推进重点项目建设，区发展改革局牵头，区财政局配合；"),
        "role labels without end": head + fill("牵头单位：区财政局；责任单位："),
        "numbers everywhere": head + fill("增长5.5%、下降3%、1,234个、") + "。\n",
        "the seed repeated": fill(seed),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=10.0)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds each case may take")
    ap.add_argument("--work", type=Path, default=Path("/tmp/govkg-adversarial"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    size = int(args.size_mb * 1024 * 1024)
    print(f"kg tasks on adversarial documents of {args.size_mb:g} MB (whole process, bound {args.timeout:g} s)")
    print(f"{'case':34} {'MB':>6} {'wall s':>8} {'exit':>5} {'rows':>7}")
    for k, (name, text) in enumerate(cases(size).items()):
        path = args.work / f"case{k}.txt"
        path.write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        try:
            p = subprocess.run([sys.executable, "-m", "kg", "tasks", str(path), "--format", "jsonl",
                                "--region", "历下区", "--year", "2025"],
                               cwd=ROOT, capture_output=True, text=True, timeout=args.timeout)
            wall, code, rows = time.perf_counter() - t0, str(p.returncode), str(p.stdout.count("\n"))
        except subprocess.TimeoutExpired:
            wall, code, rows = time.perf_counter() - t0, "killed", "-"
        mb = path.stat().st_size / 1024 / 1024
        print(f"{name:34} {mb:6.1f} {wall:8.1f} {code:>5} {rows:>7}", flush=True)


if __name__ == "__main__":
    main()
