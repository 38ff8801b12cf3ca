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


# ---------------------------------------------------------------- parse once, region codes

def test_each_annotation_is_parsed_once_per_document(monkeypatch):
    from kg.extract import annotation
    from kg.extract.registry import best_extractor
    from kg.model import Document, NormText

    text = "1.修缮院落。（牵头单位：区住建局；责任单位：区财政局）\n2.建设公园。（牵头单位：区园林局）\n"
    doc = Document("d", "d.txt", text, NormText(text, tuple(range(len(text) + 1))))
    calls = []
    parse = annotation._parse
    monkeypatch.setattr(annotation, "_parse", lambda d, s, e, cut=False: calls.append((s, e)) or parse(d, s, e, cut))
    extractor, _fit = best_extractor(doc)
    x = extractor.extract(doc)
    assert [u.name for t in x.tasks for u in t.units] == ["区住建局", "区财政局", "区园林局"]
    assert len(calls) == len(set(calls)) == 2


def test_the_memo_forgets_a_document_when_asked_about_another():
    from kg.extract.annotation import DocMemo

    memo, a, b = DocMemo(), object(), object()
    assert memo.get(a, ("k",), lambda: 1) == 1
    assert memo.get(a, ("k",), lambda: 2) == 1
    assert memo.get(b, ("k",), lambda: 3) == 3
    assert memo.get(a, ("k",), lambda: 4) == 4


@pytest.mark.parametrize("header, name, code", [
    ("济南市槐荫区2025年政府工作报告\n", "槐荫区", "370104"),
    ("沈阳市铁西区2025年政府工作报告\n", "铁西区", "210106"),
    ("鞍山市铁西区2025年政府工作报告\n", "铁西区", "210303"),
])
def test_a_document_knows_its_region_code(tmp_path, header, name, code):
    from kg.sources import read_document

    path = tmp_path / "r.txt"
    path.write_text(header + "今年全区经济运行稳中有进。\n", encoding="utf-8")
    meta = read_document(path).meta
    assert (meta.region, meta.region_code) == (name, code)


def test_a_region_named_by_the_manifest_gets_its_code_only_when_unique(tmp_path):
    from kg.sources import read_document

    path = tmp_path / "r.txt"
    path.write_text("济南市槐荫区2025年政府工作报告\n", encoding="utf-8")
    assert read_document(path, overrides={"region": "长清区"}).meta.region_code == "370113"
    assert read_document(path, overrides={"region": "铁西区"}).meta.region_code is None
    assert read_document(path, overrides={"region": "槐荫区"}).meta.region_code == "370104"


def test_regions_sharing_a_name_keep_their_own_units(tmp_path):
    for city, stem in (("沈阳市", "a"), ("鞍山市", "b")):
        (tmp_path / f"{stem}.txt").write_text(
            f"{city}铁西区人民政府关于2025年重点工作责任分工的通知\n一、稳定经济增长\n"
            "1.推动财政收入稳步增长。（牵头单位：区财政局；责任单位：区税务局）\n"
            "2.扩大有效投资。（牵头单位：区发展改革局）\n", encoding="utf-8")
    graph = build_graph([tmp_path], workers=1).graph
    units = sorted(n for n, a in graph.nodes(data=True) if a["type"] == "Unit" and a["name"] == "区财政局")
    assert units == ["unit:210106:区财政局", "unit:210303:区财政局"]
    regions = sorted(graph.nodes[r]["code"] for r in graph.successors("doc:a") if r.startswith("region:"))
    assert regions == ["210106"]


# ---------------------------------------------------------------- query planning, streaming

def test_lateral_optional_reads_as_optional_for_rdflib():
    from kg.queries import without_lateral

    assert without_lateral("a LATERAL { OPTIONAL { x { y } } } b LATERAL {OPTIONAL {z}} c") == \
        "a OPTIONAL { x { y } }  b OPTIONAL {z} c"


def test_streamed_turtle_holds_the_same_triples_as_the_store(built):
    import pyoxigraph as ox
    from kg.stores.rdf import serialize_chunks, to_store

    graph = built.graph if hasattr(built, "graph") else built
    ttl = b"".join(serialize_chunks(graph, "turtle"))
    parsed = ox.Store()
    parsed.load(ttl, format=ox.RdfFormat.TURTLE)
    assert set(parsed) == set(to_store(graph))


def test_a_perfect_fit_ends_the_layout_search(monkeypatch):
    from kg.extract import registry
    from kg.model import Document, NormText

    asked = []
    for ex in registry.EXTRACTORS:
        monkeypatch.setattr(ex, "fit", lambda d, _f=ex.fit, _n=ex.name: asked.append(_n) or _f(d))

    def best(text):
        asked.clear()
        doc = Document("d", "d.txt", text, NormText(text, tuple(range(len(text) + 1))))
        extractor, fit = registry.best_extractor(doc)
        return extractor.name, fit, list(asked)

    # a speech to the deputies is read as one without the markers reading it whole
    speech = "2025年政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n今年要建设公园。\n"
    assert best(speech) == ("narrative-report", 1.0, ["progress-table", "narrative-report"])
    division = "1.修缮院落。（牵头单位：区住建局）\n2.建设公园。（牵头单位：区园林局）\n"
    assert best(division) == ("role-markers", 1.0, ["progress-table", "narrative-report", "role-markers"])
