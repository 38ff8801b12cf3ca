"""Shared fixtures: the seed graph is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
GOLD = Path(__file__).resolve().parent / "data" / "gold"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """`kg build` caches extractions under $XDG_CACHE_HOME: keep the tests' out of the user's."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def seed_build():
    """The BuildResult of data/reports/ (the five seed documents)."""
    from kg.build import build_graph

    return build_graph([REPORTS])


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    return seed_build.graph
