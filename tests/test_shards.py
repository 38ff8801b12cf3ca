"""The build in shards (kg/shards.py, kg.build.build_shards, kg.outputs.shard_outputs): what
`kg build` writes equals the one-graph build, each shard is rendered once and reused, and the
parts of graph.ttl never repeat a triple."""

from __future__ import annotations

import os
import shutil
import sys
import time

import pytest

from conftest import REPORTS, ROOT
from kg.build import build_graph, build_shards
from kg.graph import loads
from kg.outputs import shard_outputs, write_chunks
from kg.shards import family_keys, merge_shared

sys.path.insert(0, str(ROOT / "scripts"))

from make_corpus import write_corpus  # noqa: E402


def _write(files) -> None:
    for path, chunks in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_chunks(f, chunks)


def _build(paths, cache, out):
    built = build_shards(paths, part_dir=cache, workers=1)
    _write(shard_outputs(built, out))
    return built


def _as_sets(g):
    nodes = {n: repr(sorted(d.items())) for n, d in g.nodes(data=True)}
    edges = {(u, v, k): repr(sorted(d.items())) for u, v, k, d in g.edges(keys=True, data=True)}
    return nodes, edges


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 3, seed=11)
    return folder


@pytest.fixture(scope="module")
def sharded(tmp_path_factory, corpus):
    tmp = tmp_path_factory.mktemp("sharded")
    built = _build([REPORTS, corpus], tmp / "cache", tmp / "out")
    return built, tmp / "out"


def test_a_district_joins_the_shard_of_its_city_when_the_city_has_a_document():
    keys = family_keys({"a": ("长清区", "370113"), "b": ("济南市", "370100"), "c": ("槐荫区", "370104"),
                        "d": ("历城区", "370112")})
    assert keys == {"a": "370100", "b": "370100", "c": "370100", "d": "370100"}


def test_without_the_city_each_district_is_its_own_shard_and_unknown_regions_stay_apart():
    keys = family_keys({"a": ("长清区", "370113"), "c": ("槐荫区", "370104"), "x": ("某区", None),
                        "y": (None, None)})
    assert keys == {"a": "370113", "c": "370104", "x": "某区", "y": "?y"}


def test_a_project_seen_by_two_shards_keeps_the_names_of_both():
    shared = {}
    merge_shared(shared, "project:腊山河", {"type": "Project", "name": "腊山河", "aliases": ["腊山河"], "joins": []})
    merge_shared(shared, "project:腊山河", {"type": "Project", "name": "腊山河",
                                            "aliases": ["腊山河", "腊山河工程"], "joins": ["腊山河 = 腊山河工程 (tail)"]})
    assert shared["project:腊山河"]["aliases"] == ["腊山河", "腊山河工程"]
    assert shared["project:腊山河"]["joins"] == ["腊山河 = 腊山河工程 (tail)"]


def test_the_sharded_graph_json_equals_the_one_graph_build(sharded, corpus):
    built, out = sharded
    assert built.stats["shards"] == 4                   # 济南市 and its districts; three generated regions
    whole = build_graph([REPORTS, corpus], workers=1).graph
    assert _as_sets(loads((out / "graph.json").read_bytes())) == _as_sets(whole)
    nodes, edges = built.counts()
    assert sum(nodes.values()) == whole.number_of_nodes() and sum(edges.values()) == whole.number_of_edges()


def test_a_rebuild_reuses_every_shard_and_writes_the_same_bytes(sharded, corpus, tmp_path):
    built, out = sharded
    again = _build([REPORTS, corpus], built.part_dir.parent.parent, tmp_path)
    assert again.stats["rendered"] == 0 and again.stats["reused"] == 4
    for name in ("graph.json", "graph.ttl", "graph.parts.tsv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def test_a_changed_file_renders_only_its_shard_again(corpus, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    cache = tmp_path / "cache"
    _build([src], cache, tmp_path / "first")
    changed = sorted(src.glob("*-work-report.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    again = _build([src], cache, tmp_path / "again")
    assert again.stats["rendered"] == 1 and again.stats["reused"] == 2
    fresh = _build([src], tmp_path / "fresh-cache", tmp_path / "fresh")
    assert fresh.stats["rendered"] == 3
    assert (tmp_path / "again" / "graph.json").read_bytes() == (tmp_path / "fresh" / "graph.json").read_bytes()


def test_a_damaged_shard_is_rendered_again(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = _build([corpus], cache, tmp_path / "a")
    victim = first.part_dir / first.shards[0].key / "edges.json"
    victim.write_bytes(victim.read_bytes()[:10])
    again = _build([corpus], cache, tmp_path / "b")
    assert again.stats["rendered"] == 1
    assert (tmp_path / "a" / "graph.json").read_bytes() == (tmp_path / "b" / "graph.json").read_bytes()


def test_a_files_key_is_recomputed_when_its_size_or_times_change_and_only_then(tmp_path, monkeypatch):
    from kg import build
    from kg.build import _file_key
    from kg.documents import jobs_for

    monkeypatch.setattr(build, "_SETTLED_NS", -10**9)     # record files changed just now too
    f = tmp_path / "a.txt"
    f.write_text("长清区政府工作报告", encoding="utf-8")
    job = jobs_for([f], None)[0][0]
    files: dict = {}
    first = _file_key(job, files)
    st = f.stat()
    assert list(files.values()) == [[st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, first]]
    with monkeypatch.context() as m:                       # unchanged: read from the record
        m.setattr(build, "entry_key", lambda *_: pytest.fail("the file was read again"))
        assert _file_key(job, files) == first
    time.sleep(0.05)                                       # past the clock's tick
    f.write_text("槐荫区政府工作报告", encoding="utf-8")   # the same size …
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))       # … and the modification time put back
    assert f.stat().st_mtime_ns == st.st_mtime_ns and f.stat().st_size == st.st_size
    assert _file_key(job, files) != first                  # the change time tells


def test_a_file_changed_just_now_is_not_recorded(tmp_path):
    from kg.build import _file_key
    from kg.documents import jobs_for

    f = tmp_path / "a.txt"
    f.write_text("长清区", encoding="utf-8")
    files: dict = {}
    _file_key(jobs_for([f], None)[0][0], files)
    assert files == {}


@pytest.mark.parametrize("kernel", [True, False])
def test_a_file_copy_lands_between_its_neighbours_with_or_without_the_kernel(tmp_path, monkeypatch, kernel):
    from kg import outputs

    src = tmp_path / "part.bin"
    src.write_bytes(bytes(range(256)) * 5000)
    if not kernel:                     # a file system that cannot copy_file_range
        def refuse(*_args):
            raise OSError(18, "Invalid cross-device link")
        monkeypatch.setattr(outputs.os, "copy_file_range", refuse)
    out = tmp_path / "out.bin"
    with out.open("wb") as f:
        write_chunks(f, [b"head", outputs.FileCopy(src, src.stat().st_size), b"mid", outputs.FileCopy(src, 1280000), b"tail"])
    assert out.read_bytes() == b"head" + src.read_bytes() + b"mid" + src.read_bytes() + b"tail"
