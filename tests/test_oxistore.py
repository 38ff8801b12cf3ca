"""The on-disk Oxigraph store of a build folder (kg.stores.oxistore): graph.ttl's parts
loaded into named graphs, synced part by part, queried as their union."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import StoreError
from kg.queries import list_queries, run_query
from kg.stores import rdf
from kg.stores.oxistore import PART_GRAPH, RECORD, open_store, sync

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


@pytest.fixture(scope="module")
def graph():
    return small_graph()


@pytest.fixture(scope="module")
def memory(graph):
    return set(triples(rdf.to_store(graph)))


def test_every_part_is_loaded_into_its_named_graph_and_the_union_is_the_graph(graph, memory, tmp_path):
    keys = write_parts(graph, tmp_path)
    store = open_store(tmp_path)
    assert sorted(g.value for g in store.named_graphs()) == sorted(PART_GRAPH + k for k in keys)
    found = triples(store)
    assert len(found) == len(set(found)) and set(found) == memory
    assert (tmp_path / RECORD).read_text().split() == sorted(keys)


def test_an_up_to_date_store_loads_nothing_and_a_changed_part_is_reloaded_alone(graph, tmp_path):
    keys = write_parts(graph, tmp_path)
    store = open_store(tmp_path)
    assert sync(store, tmp_path).loaded == []
    changed = write_parts(graph, tmp_path, keys=[*keys[:-1], "global-2"])
    done = sync(store, tmp_path)
    assert (done.loaded, done.removed, done.kept) == (["global-2"], [keys[-1]], len(keys) - 1)
    assert sorted(g.value for g in store.named_graphs()) == sorted(PART_GRAPH + k for k in changed)


def test_a_graph_the_record_does_not_list_is_loaded_again_not_counted(graph, memory, tmp_path):
    """As after a crash between a load and its record: the part is cleared and reloaded."""
    keys = write_parts(graph, tmp_path)
    store = open_store(tmp_path)
    (tmp_path / RECORD).write_text(keys[0] + "\n")
    done = sync(store, tmp_path)
    assert sorted(done.loaded) == sorted(keys[1:]) and done.removed == []
    found = triples(store)
    assert len(found) == len(set(found)) and set(found) == memory


def test_a_folder_without_a_parts_file_is_one_part(graph, memory, tmp_path):
    (tmp_path / "graph.ttl").write_bytes(b"".join(rdf.serialize_chunks(graph, "turtle")))
    store = open_store(tmp_path)
    names = [g.value for g in store.named_graphs()]
    assert len(names) == 1 and names[0].startswith(PART_GRAPH + "whole-")
    assert set(triples(store)) == memory


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
