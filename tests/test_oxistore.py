"""The on-disk Oxigraph store of a build folder (kg.stores.oxistore): graph.ttl loaded into
the default graph, synced part by part: the triples of a changed part are removed and its
new ones loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import StoreError
from kg.queries import list_queries, run_query
from kg.stores import rdf
from kg.stores.oxistore import LOADED, RECORD, open_store, sync

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_rdf import small_graph  # noqa: E402  (tests/ is not a package)

SHARED = ("Region", "Project")


def write_parts(graph, out: Path, keys=None) -> list[str]:
    """graph.ttl and graph.parts.tsv as kg build writes them: a part per family of nodes
    (linked only through Region and Project nodes), then the global part."""
    shared = {n for n, d in graph.nodes(data=True) if d["type"] in SHARED}
    families = sorted(nx.weakly_connected_components(graph.subgraph(set(graph) - shared)), key=min)
    texts, concepts = [], set()
    for family in families:
        text, named = rdf.serialize_part(graph.subgraph(family | shared), lambda n, f=family: n in f)
        texts.append(text)
        concepts.update(named)
    texts.append(rdf.serialize_shared(graph.subgraph(shared), concepts))
    keys = keys or [f"part{n}" for n in range(len(texts))]
    header = rdf.turtle_header().encode()
    rows, offset = [], len(header)
    for key, text in zip(keys, texts):
        rows.append(f"{key}\t{offset}\t{len(text)}\n")
        offset += len(text)
    out.mkdir(parents=True, exist_ok=True)
    (out / "graph.ttl").write_bytes(header + b"".join(texts))
    (out / "graph.parts.tsv").write_text("".join(rows), encoding="utf-8")
    return keys


def triples(store) -> list:
    return [(q.subject, q.predicate, q.object) for q in store]


def loaded(out: Path):
    """The build folder's store loaded by open_store, then opened for writing (as sync
    opens it), to damage it or call sync on it."""
    import gc

    import pyoxigraph as ox

    open_store(out).close()
    gc.collect()
    return ox.Store(str(out / "store"))


@pytest.fixture(scope="module")
def graph():
    return small_graph()


@pytest.fixture(scope="module")
def memory(graph):
    return set(triples(rdf.to_store(graph)))


def edited(graph):
    """The graph with one task's text changed: one part's bytes change."""
    g = graph.copy()
    task = next(n for n, d in sorted(g.nodes(data=True)) if d["type"] == "Task")
    g.nodes[task]["text"] = g.nodes[task].get("text", "") + "（已修改）"
    return g


def test_the_graph_is_loaded_into_the_default_graph_and_recorded(graph, memory, tmp_path):
    keys = write_parts(graph, tmp_path)
    store = open_store(tmp_path)
    assert list(store.named_graphs()) == []
    assert set(triples(store)) == memory
    lines = (tmp_path / RECORD).read_text().splitlines()
    assert lines[1].startswith("clean\t") and [ln.split("\t")[0] for ln in lines[2:]] == keys
    assert (tmp_path / LOADED).stat().st_ino == (tmp_path / "graph.ttl").stat().st_ino


def test_a_changed_part_is_removed_and_loaded_alone(graph, tmp_path, monkeypatch):
    from kg.stores import oxistore

    monkeypatch.setattr(oxistore, "WHOLE_SHARE", 0.5)   # this small graph's part is a quarter of it
    keys = write_parts(graph, tmp_path)
    before = _parts(tmp_path)
    store = loaded(tmp_path)
    assert sync(store, tmp_path).loaded == []
    new = edited(graph)
    (tmp_path / "graph.ttl").unlink()            # kg build replaces the file, never rewrites it
    write_parts(new, tmp_path, keys=keys)
    changed = [k for k, a, b in zip(keys, before, _parts(tmp_path)) if a != b]
    assert len(changed) == 1
    (tmp_path / "graph.ttl").unlink()
    write_parts(new, tmp_path, keys=[k + "-b" if k in changed else k for k in keys])
    done = sync(store, tmp_path)
    assert (done.loaded, done.removed, done.kept) == ([changed[0] + "-b"], changed, len(keys) - 1)
    assert set(triples(store)) == set(triples(rdf.to_store(new))) != set(triples(rdf.to_store(graph)))
    assert list(store.named_graphs()) == []


def _parts(out: Path, text=None) -> list[bytes]:
    """Each part's bytes, from graph.parts.tsv over ``text`` (or graph.ttl)."""
    text = (out / "graph.ttl").read_bytes() if text is None else text
    rows = [ln.split("\t") for ln in (out / "graph.parts.tsv").read_text().splitlines()]
    return [text[int(o):int(o) + int(n)] for _, o, n in rows]


def test_an_interrupted_sync_loads_the_graph_whole(graph, memory, tmp_path):
    """As after a crash while the store changed: whatever it holds is cleared."""
    import pyoxigraph as ox

    write_parts(graph, tmp_path)
    store = loaded(tmp_path)
    store.add(ox.Quad(ox.NamedNode("urn:x:stray"), ox.NamedNode("urn:x:p"), ox.Literal("left by a crash")))
    record = tmp_path / RECORD
    record.write_text(record.read_text().replace("clean\t", "syncing\t", 1))
    done = sync(store, tmp_path)
    assert done.kept == 0 and len(done.loaded) == len(_parts(tmp_path))
    assert set(triples(store)) == memory


@pytest.mark.parametrize("damage", ["store.ttl rewritten", "no record", "older record"])
def test_a_store_whose_record_cannot_be_trusted_is_loaded_whole(graph, memory, tmp_path, damage):
    import pyoxigraph as ox

    keys = write_parts(graph, tmp_path)
    store = loaded(tmp_path)
    store.add(ox.Quad(ox.NamedNode("urn:x:stray"), ox.NamedNode("urn:x:p"), ox.Literal("stale")))
    if damage == "store.ttl rewritten":      # written in place: the hard link sees it too
        text = (tmp_path / "graph.ttl").read_bytes()
        with (tmp_path / "graph.ttl").open("r+b") as f:
            f.write(text)
        os.utime(tmp_path / "graph.ttl", ns=(1, 1))
    elif damage == "no record":
        (tmp_path / RECORD).unlink()
    else:                                     # the named-graph store of the version before
        (tmp_path / RECORD).write_text("".join(k + "\n" for k in keys))
        store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"),
                          ox.NamedNode("urn:govkg:part:" + keys[0])))
    done = sync(store, tmp_path)
    assert done.kept == 0 and set(triples(store)) == memory and list(store.named_graphs()) == []


def test_a_folder_without_a_parts_file_is_one_part(graph, memory, tmp_path):
    (tmp_path / "graph.ttl").write_bytes(b"".join(rdf.serialize_chunks(graph, "turtle")))
    store = open_store(tmp_path)
    assert set(triples(store)) == memory
    assert sync(store, tmp_path).loaded == []


@pytest.mark.parametrize("tsv, message", [
    ("a\t1\n", "expected KEY<TAB>OFFSET<TAB>LENGTH"),
    ("a\t0\t999999999\n", "does not lie inside"),
    ("a\t0\t1\na\t1\t1\n", "listed twice"),
])
def test_a_broken_parts_file_is_a_store_error_naming_it(graph, tmp_path, tsv, message):
    write_parts(graph, tmp_path)
    (tmp_path / "graph.parts.tsv").write_text(tsv)
    with pytest.raises(StoreError, match=message) as e:
        open_store(tmp_path)
    assert "graph.parts.tsv" in str(e.value) and "kg build" in str(e.value)


def test_a_folder_without_a_graph_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="kg build"):
        open_store(tmp_path)


def test_canned_queries_answer_the_same_on_the_parts_as_in_memory(graph, tmp_path):
    write_parts(graph, tmp_path)
    disk, memory = open_store(tmp_path), rdf.to_store(graph)
    for info in list_queries("sparql"):
        params = {p.name: p.example for p in info.params if p.example}
        expected = run_query(memory, info.name, params=params).rows
        assert sorted(map(repr, run_query(disk, info.name, params=params).rows)) == \
            sorted(map(repr, expected)), info.name


def test_run_query_opens_a_build_folders_store(graph, tmp_path):
    write_parts(graph, tmp_path)
    rows = run_query(tmp_path, "targets", params={"region": "历下区"}).rows
    assert rows == run_query(rdf.to_store(graph), "targets", params={"region": "历下区"}).rows != []


def test_open_store_loads_a_store_it_cannot_trust_whole(graph, memory, tmp_path):
    import gc

    import pyoxigraph as ox

    write_parts(graph, tmp_path)
    store = loaded(tmp_path)
    store.add(ox.Quad(ox.NamedNode("urn:x:stray"), ox.NamedNode("urn:x:p"), ox.Literal("left by a crash")))
    del store
    gc.collect()                                  # closes the store
    record = tmp_path / RECORD
    record.write_text(record.read_text().replace("clean\t", "syncing\t", 1))
    assert set(triples(open_store(tmp_path))) == memory


def test_a_graph_that_mostly_changed_is_loaded_whole(graph, memory, tmp_path):
    import pyoxigraph as ox

    keys = write_parts(graph, tmp_path)
    store = loaded(tmp_path)
    store.add(ox.Quad(ox.NamedNode("urn:x:stray"), ox.NamedNode("urn:x:p"), ox.Literal("cleared")))
    (tmp_path / "graph.ttl").unlink()
    write_parts(graph, tmp_path, keys=[k + "-v2" for k in keys[:-1]] + keys[-1:])
    done = sync(store, tmp_path)
    assert done.kept == 0 and len(done.loaded) == len(keys) and sorted(done.removed) == sorted(keys[:-1])
    assert set(triples(store)) == memory


def test_a_parts_file_of_another_build_is_a_store_error(graph, tmp_path):
    write_parts(graph, tmp_path)
    tsv = (tmp_path / "graph.parts.tsv").read_text()
    (tmp_path / "graph.ttl").unlink()
    write_parts(edited(graph), tmp_path)           # as if kg build died between its two renames
    (tmp_path / "graph.parts.tsv").write_text(tsv)
    with pytest.raises(StoreError, match="different builds"):
        open_store(tmp_path)


def test_a_store_folder_deleted_by_hand_is_loaded_again(graph, memory, tmp_path):
    import gc
    import shutil

    write_parts(graph, tmp_path)
    store = open_store(tmp_path)
    del store
    gc.collect()
    shutil.rmtree(tmp_path / "store")
    assert set(triples(open_store(tmp_path))) == memory


def test_the_text_of_parts_after_an_empty_header_is_read_whole(tmp_path):
    """A first part at the start of the file leaves no header: the reader's first chunk is
    empty, which must not end the text."""
    from kg.stores.oxistore import Part, _turtle

    (tmp_path / "g.ttl").write_bytes(b"<urn:a> <urn:b> <urn:c> .\n<urn:d> <urn:e> <urn:f> .\n")
    parts = [Part("one", 0, 26), Part("two", 26, 26)]
    assert _turtle(tmp_path / "g.ttl", b"", parts).read() == \
        b"\n<urn:a> <urn:b> <urn:c> .\n\n<urn:d> <urn:e> <urn:f> .\n"


# --------------------------------------------------------------------------- readers, damage

def _damage_largest_table(store: Path, how: str) -> None:
    sst = max(store.glob("*.sst"), key=lambda p: p.stat().st_size)
    data = bytearray(sst.read_bytes())
    if how == "cut":
        sst.write_bytes(data[: len(data) // 2])
    else:                                     # bytes altered, the size kept
        for i in range(64, len(data) - 64, 251):
            data[i] ^= 0xFF
        sst.write_bytes(data)


@pytest.mark.parametrize("damage", ["garbage in CURRENT", "CURRENT emptied", "a table file cut",
                                    "a table file altered", "no MANIFEST"])
def test_a_damaged_store_is_loaded_again_from_graph_ttl(graph, memory, tmp_path, damage):
    write_parts(graph, tmp_path)
    open_store(tmp_path).close()
    folder = tmp_path / "store"
    if damage == "garbage in CURRENT":
        (folder / "CURRENT").write_bytes(b"\x00garbage\n")
    elif damage == "CURRENT emptied":
        (folder / "CURRENT").write_bytes(b"")
    elif damage == "a table file cut":
        _damage_largest_table(folder, "cut")
    elif damage == "a table file altered":
        _damage_largest_table(folder, "altered")
    else:
        for manifest in folder.glob("MANIFEST-*"):
            manifest.unlink()
    with open_store(tmp_path) as store:
        assert set(triples(store)) == memory
        rows = run_query(store, "targets", params={"region": "历下区"}).rows
    assert rows == run_query(rdf.to_store(graph), "targets", params={"region": "历下区"}).rows != []


def test_a_store_damaged_under_a_reader_is_loaded_again_and_the_query_asked_again(graph, tmp_path, monkeypatch):
    """Damage RocksDB finds only when it reads a block: the query fails with "Corruption",
    the store is loaded again from graph.ttl and the query asked again."""
    import pyoxigraph as ox

    from kg.stores import oxistore

    write_parts(graph, tmp_path)
    expected = run_query(rdf.to_store(graph), "targets", params={"region": "历下区"}).rows
    refreshed = []
    refresh = oxistore._refresh
    monkeypatch.setattr(oxistore, "_refresh", lambda out, damaged=False: (refreshed.append(damaged),
                                                                           refresh(out, damaged)))

    class Damaged:
        """A read-only store whose queries fail as a damaged block does."""

        def query(self, *args, **kwargs):
            raise RuntimeError("Corruption: block checksum mismatch: stored = 1, computed = 2")

    store = open_store(tmp_path)
    assert refreshed == [False]                    # the first load
    store.store = Damaged()
    rows = run_query(store, "targets", params={"region": "历下区"}).rows
    assert isinstance(store.store, ox.Store)
    store.close()
    assert rows == expected != [] and refreshed == [False, True]


def test_an_empty_parts_file_loads_graph_ttl_whole(graph, memory, tmp_path):
    write_parts(graph, tmp_path)
    (tmp_path / "graph.parts.tsv").write_text("")
    with open_store(tmp_path) as store:
        assert set(triples(store)) == memory


def test_an_empty_graph_is_a_store_error_not_an_empty_answer(graph, tmp_path):
    write_parts(graph, tmp_path)
    (tmp_path / "graph.ttl").write_bytes(b"")
    (tmp_path / "graph.parts.tsv").unlink()
    with pytest.raises(StoreError, match=r"graph.ttl: the graph is empty \(0 bytes\); rebuild with kg build"):
        open_store(tmp_path)


def test_readers_open_the_store_read_only_and_together(graph, memory, tmp_path):
    """Two readers at once (RocksDB's own LOCK let only one kg query in), neither holding
    RocksDB's lock: a third process could open the store too."""
    write_parts(graph, tmp_path)
    with open_store(tmp_path) as one, open_store(tmp_path) as two:
        assert set(triples(one)) == set(triples(two)) == memory
        probe = ("import pyoxigraph as ox, sys; s = ox.Store.read_only(sys.argv[1]); "
                 "print(sum(1 for _ in s))")
        out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "store")],
                             capture_output=True, text=True, timeout=60)
        assert out.stdout.strip() == str(len(memory)), out.stderr


def test_a_store_that_this_process_holds_open_is_not_synced_under_it(graph, tmp_path):
    keys = write_parts(graph, tmp_path)
    held = open_store(tmp_path)
    (tmp_path / "graph.ttl").unlink()
    write_parts(edited(graph), tmp_path, keys=[k + "-b" for k in keys])
    with pytest.raises(StoreError, match="this process has it open: close the store it opened before"):
        open_store(tmp_path)
    held.close()
    with open_store(tmp_path) as store:
        assert set(triples(store)) == set(triples(rdf.to_store(edited(graph))))


def _kg(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _gdp_target(out: str) -> float:
    import json

    rows = json.loads(out)
    return next(r["target"] for r in rows if r["metric"] == "地区生产总值")


def test_six_readers_during_a_rebuild_all_answer(tmp_path):
    """Six `kg query` at once on one out/, while `kg build` replaces the graph: each answers
    (the graph before or after the rebuild), none fails on RocksDB's lock, and the next
    query answers from the new graph."""
    import shutil

    from conftest import REPORTS

    src, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(REPORTS, src)
    doc = src / "lixia-2025-decomposition.txt"
    query = ("query", "targets", "-p", "region", "历下区", "--format", "json", "--graph", str(out))
    build = _kg("build", str(src), "-o", str(out))
    assert build.wait(timeout=120) == 0, build.stderr.read()
    first = _kg(*query)
    assert _gdp_target(first.communicate(timeout=120)[0]) == 5.6
    for old, new in ((5.6, 5.7), (5.7, 5.8)):
        doc.write_text(doc.read_text(encoding="utf-8").replace(f"地区生产总值增长{old}%", f"地区生产总值增长{new}%"),
                       encoding="utf-8")
        build = _kg("build", str(src), "-o", str(out))
        readers = [_kg(*query) for _ in range(6)]
        answers = [(*r.communicate(timeout=300), r.returncode) for r in readers]
        assert build.wait(timeout=300) == 0, build.stderr.read()
        for stdout, stderr, code in answers:
            assert code == 0 and not stderr, stderr
            assert _gdp_target(stdout) in (old, new)
        after = [_kg(*query) for _ in range(6)]              # all at once after the build: one syncs
        for r in after:
            stdout, stderr = r.communicate(timeout=300)
            assert r.returncode == 0 and not stderr, stderr
            assert _gdp_target(stdout) == new


def test_kg_query_on_a_damaged_store_answers_and_on_an_empty_graph_says_so(graph, tmp_path):
    """Through the command: garbage in store/CURRENT is repaired from graph.ttl; an empty
    graph.ttl is an error naming it, not a traceback and not an empty answer."""
    from click.testing import CliRunner

    from kg.cli import main

    write_parts(graph, tmp_path)
    args = ["query", "targets", "-p", "region", "历下区", "--graph", str(tmp_path), "--format", "json"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and first.output.count('"metric"') > 0, first.output
    (tmp_path / "store" / "CURRENT").write_bytes(b"garbage\n")
    again = CliRunner().invoke(main, args)
    assert (again.exit_code, again.output) == (0, first.output)
    (tmp_path / "graph.ttl").write_bytes(b"")
    (tmp_path / "graph.parts.tsv").unlink()
    empty = CliRunner().invoke(main, args)
    assert empty.exit_code == 1 and isinstance(empty.exception, SystemExit)
    assert empty.output == (f"Error: {tmp_path / 'graph.ttl'}: the graph is empty (0 bytes); "
                            f"rebuild with kg build -o {tmp_path}\n")
