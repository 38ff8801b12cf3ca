"""Draw the seed graph's view in headless Chromium and save a screenshot for the README.

    .venv/bin/python scripts/screenshot.py [-o docs/screenshot.png] [--search 区发展改革局]

Uses the browser tooling of tests/test_view_browser.py (same flags: offline, no sandbox).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main(argv=None) -> int:
    from kg.build import build_graph
    from kg.view import render_html
    from test_view_browser import CHROMEDRIVER, CHROMIUM, Browser

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default=str(ROOT / "docs" / "screenshot.png"))
    ap.add_argument("--search", default="区发展改革局", help="text typed into the search box")
    ap.add_argument("--focus", default="unit:370102:区发展改革局", help="node whose details are shown")
    args = ap.parse_args(argv)
    if not (CHROMIUM and CHROMEDRIVER):
        sys.exit("chromium and chromedriver are missing: run scripts/install-browser.sh")
    graph = build_graph([ROOT / "data" / "reports"]).graph
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "graph.html"
        page.write_text(render_html(graph), encoding="utf-8")
        browser = Browser()
        try:
            seconds = browser.open(page)
            if args.search:
                browser.js("kgView.search(arguments[0])", args.search)
            if args.focus in graph:
                browser.js("kgView.focusNode(arguments[0], true)", args.focus)
            out = Path(args.out)
            browser.screenshot(out)
        finally:
            browser.close()
    print(f"{out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, "
          f"layout settled in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
