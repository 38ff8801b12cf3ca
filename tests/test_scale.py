"""National scale, in small: the corpus generator, extraction against its truth, the
extraction cache and the parallel build (scripts/make_corpus.py, kg/build.py, kg/cache.py)."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT
from kg.build import build_graph
from kg.graph import dumps

sys.path.insert(0, str(ROOT / "scripts"))

from bench_scale import score  # noqa: E402
from make_corpus import DEPARTMENTS, region_documents, write_corpus  # noqa: E402

REGIONS = 3


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, REGIONS, seed=7)
    return folder


def test_same_seed_writes_the_same_bytes(tmp_path, corpus):
    write_corpus(tmp_path, REGIONS, seed=7)
    assert _files(tmp_path) == _files(corpus)


def test_a_smaller_corpus_is_the_start_of_a_larger_one(tmp_path, corpus):
    write_corpus(tmp_path, 1, seed=7)
    small = _files(tmp_path)
    big = _files(corpus)
    assert all(big[name] == data for name, data in small.items() if name != "truth.jsonl")
    assert big["truth.jsonl"].startswith(small["truth.jsonl"])


def test_each_region_has_three_layouts_and_about_150_tasks(corpus):
    truth = [json.loads(line) for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    kinds = sorted(t["kind"] for t in truth if t["type"] == "document")
    assert len(kinds) == 3 * REGIONS and kinds.count("progress") == REGIONS
    assert kinds.count("work-report") == REGIONS
    tasks = [t for t in truth if t["type"] == "task"]
    assert 130 * REGIONS <= len(tasks) <= 170 * REGIONS
    assert all(1 <= sum(r == "lead" for r, _w, _c in t["units"]) <= 3 for t in tasks
               if not t["doc"].endswith("progress"))


def test_variants_share_the_canonical_key_of_their_unit():
    from kg.resolve.units import canonical_key

    for base, variants in DEPARTMENTS:
        for v in variants:
            assert canonical_key("区" + v) == canonical_key("区" + base), v


@pytest.fixture(scope="module")
def built(corpus):
    return build_graph([corpus], workers=1)


def test_the_corpus_is_extracted_exactly(built, corpus):
    figures = score(json.loads(dumps(built.graph)), corpus / "truth.jsonl")
    assert not built.failures
    assert {field: (p, r) for field, (p, r, _got, _true) in figures.items()} == {
        field: (1.0, 1.0) for field in figures}


def test_a_parallel_build_equals_the_serial_one(built, corpus):
    parallel = build_graph([corpus], workers=2)
    assert dumps(parallel.graph) == dumps(built.graph)
    assert [x.document.id for x in parallel.extractions] == [x.document.id for x in built.extractions]


def test_the_cache_is_reused_and_a_changed_file_is_extracted_again(built, corpus, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, data in _files(corpus).items():
        (folder / name).write_bytes(data)
    cache = tmp_path / "cache"
    first = build_graph([folder], cache_dir=cache, workers=1)
    assert (first.stats["cached"], first.stats["extracted"]) == (0, 3 * REGIONS)
    again = build_graph([folder], cache_dir=cache, workers=1)
    assert (again.stats["cached"], again.stats["extracted"]) == (3 * REGIONS, 0)
    assert dumps(again.graph) == dumps(first.graph)
    changed = sorted(folder.glob("*-progress.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("各项工作按计划有序推进", "各项工作稳步推进", 1),
                       encoding="utf-8")
    third = build_graph([folder], cache_dir=cache, workers=1)
    assert (third.stats["cached"], third.stats["extracted"]) == (3 * REGIONS - 1, 1)
    assert dumps(third.graph) != dumps(first.graph)


def test_an_unreadable_cache_entry_is_a_miss(corpus, tmp_path):
    from kg.cache import ExtractionCache

    cache = tmp_path / "cache"
    build_graph([corpus / sorted(p.name for p in corpus.glob("*.txt"))[0]], cache_dir=cache, workers=1)
    for entry in cache.rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert ExtractionCache(cache).get(entry.stem) is None
    again = build_graph([corpus / sorted(p.name for p in corpus.glob("*.txt"))[0]], cache_dir=cache, workers=1)
    assert (again.stats["cached"], again.stats["extracted"]) == (0, 1)


def test_a_region_document_set_is_deterministic():
    from kg.resolve.regions import region_by_name

    region = region_by_name("长清区")
    assert region_documents(region, 1, 2025) == region_documents(region, 1, 2025)
