#!/usr/bin/env python3
"""Time `kg build` on data/reports/ as a whole process (start-up included) and print the figures.

Goal (issue 2): under 2 s wall on the 2-core reference machine.
Usage: python scripts/bench_build.py [--runs N] [PATHS...]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "data" / "reports")])
    args = ap.parse_args()
    kg = [sys.executable, "-m", "kg"]
    times, cached = [], []
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as cache:
        def build(*extra):
            t0 = time.perf_counter()
            subprocess.run([*kg, "build", *args.paths, "-o", out, *extra], check=True, capture_output=True, cwd=ROOT)
            return time.perf_counter() - t0

        build("--no-cache")  # warm-up: the OS file cache, Python's bytecode
        for _ in range(args.runs):
            times.append(build("--no-cache"))
        build("--cache", cache)
        for _ in range(args.runs):
            cached.append(build("--cache", cache))
        t0 = time.perf_counter()
        subprocess.run([*kg, "--help"], check=True, capture_output=True, cwd=ROOT)
        help_s = time.perf_counter() - t0
        sizes = {p.name: p.stat().st_size for p in Path(out).iterdir()}
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"kg build {' '.join(os.path.relpath(p, ROOT) for p in args.paths)}  ({args.runs} runs after a warm-up, {os.cpu_count()} cores)")
    print(f"  no cache:   wall median {statistics.median(times):.2f} s   min {min(times):.2f} s   max {max(times):.2f} s   goal < 2 s")
    print(f"  cache warm: wall median {statistics.median(cached):.2f} s")
    print(f"  peak memory of one run {peak_mb:.0f} MB")
    print(f"  kg --help {help_s:.2f} s")
    print("  outputs: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sorted(sizes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
