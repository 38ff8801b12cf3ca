"""Shared fixtures: the seed graph is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
GOLD = Path(__file__).resolve().parent / "data" / "gold"


@pytest.fixture(scope="session")
def seed_build():
    """The BuildResult of data/reports/ (the five seed documents)."""
    from kg.build import build_graph

    return build_graph([REPORTS])


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    return seed_build.graph
