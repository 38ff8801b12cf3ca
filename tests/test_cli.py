"""The `kg` command end to end: outputs, bad input, determinism and provenance."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import REPORTS
from kg.cli import main

DIVISION = REPORTS / "changqing-2025-division.txt"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_build_writes_outputs_and_prints_the_summary(tmp_path):
    r = run("build", REPORTS, "-o", tmp_path)
    assert r.exit_code == 0, r.output
    assert {p.name for p in tmp_path.iterdir()} == {"graph.json", "graph.ttl", "graph.parts.tsv", "graph.html"}
    for needle in ("changqing-2025-division.txt", "长清区", "role-markers", "Graph:", "LEADS"):
        assert needle in r.output


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("weird.txt", "牵头单位".encode("big5", errors="ignore") + b"\x81\x30\xff\xfe\xfd" * 50, "decode"),
        ("prose.txt", "今天天气很好。我们去公园散步，看到了很多花。\n".encode("utf-8") * 3, "no known layout"),
    ],
)
def test_bad_input_names_the_file_exits_nonzero_and_writes_nothing(tmp_path, name, content, message):
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_bytes(content)
    out = tmp_path / "out"
    r = run("build", src, "-o", out)
    assert r.exit_code != 0
    assert name in r.output and message in r.output
    assert not out.exists()


def test_one_bad_file_among_several_is_listed_and_the_others_are_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DIVISION, src)
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    r = run("build", src, "-o", out)
    assert r.exit_code == 1
    assert "empty.txt" in r.output and "1 of 2 input files could not be built" in r.output
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert any(n["id"] == "task:changqing-2025-division:1" for n in graph["nodes"])


def test_tasks_jsonl_is_one_object_per_task_with_units_and_roles():
    r = run("tasks", DIVISION, "--format", "jsonl")
    assert r.exit_code == 0
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == 89
    first = rows[0]
    assert first["number"] == "1" and first["region"] == "长清区" and first["text"].startswith("地区生产总值增长5.6%")
    lead = [u for u in first["units"] if u["role"] == "lead"]
    assert [(u["as_written"], u["role_word"]) for u in lead] == [("区发展改革局", "牵头单位")]
    assert "发展改革" in lead[0]["functions"]


def test_region_option_overrides_detection(tmp_path):
    r = run("tasks", DIVISION, "--format", "jsonl", "--region", "历城区")
    assert json.loads(r.output.splitlines()[0])["region"] == "历城区"


def test_the_same_input_gives_the_same_graph_and_adding_a_document_keeps_ids(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    run("build", DIVISION, "-o", a)
    run("build", DIVISION, "-o", b)
    assert (a / "graph.json").read_bytes() == (b / "graph.json").read_bytes()
    run("build", DIVISION, REPORTS / "lixia-2025-decomposition.txt", "-o", c)
    ids_a = {n["id"] for n in json.loads((a / "graph.json").read_text(encoding="utf-8"))["nodes"]}
    ids_c = {n["id"] for n in json.loads((c / "graph.json").read_text(encoding="utf-8"))["nodes"]}
    assert ids_a <= ids_c


def test_every_span_in_the_graph_quotes_its_document(seed_build):
    texts = {x.document.id: x.document.text for x in seed_build.extractions}
    g = seed_build.graph
    checked = 0
    for _, d in g.nodes(data=True):
        if "quote" in d and d.get("start") is not None:
            assert texts[d["doc_id"]][d["start"]:d["end"]] == d["quote"]
            checked += 1
    for _, _, d in g.edges(data=True):
        if "quote" in d:
            assert texts[d["doc_id"]][d["start"]:d["end"]] == d["quote"]
            checked += 1
    assert checked > 1000


def test_help_lists_every_command():
    r = run("--help")
    for cmd in ("build", "tasks", "export", "validate", "query", "view", "neo4j", "status", "ledger"):
        assert cmd in r.output


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert run("build", REPORTS, "-o", out).exit_code == 0
    return out


def test_export_writes_rdf_that_oxigraph_reads_with_the_same_triples(built, tmp_path):
    import pyoxigraph as ox

    counts = {}
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
        path = tmp_path / f"g.{fmt}"
        r = run("export", "--graph", built, "--format", fmt, "-o", path)
        assert r.exit_code == 0, r.output
        counts[fmt] = len(list(ox.parse(path=str(path), format=rdf_format)))
    assert counts["turtle"] == counts["ntriples"] > 10000


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # rdflib's JSON-LD parser uses ConjunctiveGraph
def test_export_writes_json_ld_with_its_context_that_loads_to_the_ntriples_triples(built, tmp_path):
    import rdflib

    for fmt in ("jsonld", "ntriples"):
        r = run("export", "--graph", built, "--format", fmt, "-o", tmp_path / f"g.{fmt}")
        assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["@base"] == "https://w3id.org/govkg/id/" and len(doc["@graph"]) > 1000
    g = rdflib.Graph().parse(tmp_path / "g.jsonld", format="json-ld")
    assert len(g) == len(rdflib.Graph().parse(tmp_path / "g.ntriples", format="nt"))


def test_validate_conforms_on_the_seed_graph(built):
    r = run("validate", "--graph", built)
    assert r.exit_code == 0 and "conforms" in r.output


def test_query_answers_from_the_embedded_store(built):
    r = run("query", "tasks-led-by", "--graph", built, "-p", "unit", "历下区发展改革局", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows and {row["region"] for row in rows} == {"历下区"} and {row["role"] for row in rows} == {"lead"}


def test_query_parameter_with_query_syntax_is_a_literal(built):
    r = run("query", "tasks-led-by", "--graph", built, "-p", "unit", '区财政局" } UNION { ?s ?p ?o', "--format", "json")
    assert r.exit_code == 1                 # a unit of that name (quote, braces and all) is not in the graph
    assert "no unit named '区财政局\" } UNION { ?s ?p ?o' in the graph" in r.output


def test_unknown_query_lists_the_choices(built):
    r = run("query", "no-such-query", "--graph", built)
    assert r.exit_code != 0 and "tasks-led-by" in r.output


def test_neo4j_load_against_a_down_server_is_a_clear_error(built, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "secret-word")
    r = run("neo4j", "load", "--graph", built, "--uri", "bolt://127.0.0.1:9")
    assert r.exit_code != 0
    assert "cannot reach Neo4j" in r.output and "secret-word" not in r.output and "Traceback" not in r.output


def test_view_writes_one_offline_file(built, tmp_path):
    out = tmp_path / "v.html"
    r = run("view", "--graph", built, "--function", "发展改革", "-o", out)
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_summary_warns_of_typo_repairs_and_of_a_kind_the_text_does_not_bear_out(tmp_path):
    r = run("build", DIVISION, "--kind", "progress", "-o", tmp_path, "--no-cache")
    assert "changqing-2025-division.txt:131: read 区域管局 as 区城管局 (a typo?)" in r.output
    assert "kind is given as progress but the text reads as the role-markers layout" in r.output


def test_documents_without_a_region_keep_their_units_apart(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text = "某某工作任务分工\n\n1.推进项目建设工作落实。（牵头单位：区财政局；责任单位：区统计局）\n"
    (src / "a.txt").write_text(text, encoding="utf-8")
    (src / "b.txt").write_text(text, encoding="utf-8")
    r = run("build", src, "-o", tmp_path / "out", "--no-cache")
    assert r.exit_code == 0, r.output
    assert "a.txt:1: region not detected" in r.output
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    units = sorted(n["id"] for n in graph["nodes"] if n["type"] == "Unit")
    assert units == ["unit:?a:区统计局", "unit:?a:区财政局", "unit:?b:区统计局", "unit:?b:区财政局"]


def test_the_csv_export_refuses_a_folder_holding_other_files(built, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    r = run("export", "--graph", built, "--format", "neo4j-csv", "-o", folder)
    assert r.exit_code != 0 and "holds other files" in r.output
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_outputs_get_the_usual_file_mode(tmp_path):
    import os

    run("build", DIVISION, "-o", tmp_path, "--no-cache")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "graph.json").stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_write_that_fails_is_a_clear_error_without_a_traceback(built, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    r = run("view", "--graph", built, "-o", blocker / "v.html")
    assert r.exit_code != 0 and "cannot write" in r.output and "Traceback" not in r.output


def test_two_files_with_the_same_id_are_not_merged(tmp_path):
    for d in ("d1", "d2"):
        (tmp_path / d).mkdir()
        shutil.copy(DIVISION, tmp_path / d / "report.txt")
    r = run("build", tmp_path / "d1", tmp_path / "d2", "-o", tmp_path / "out", "--no-cache")
    assert r.exit_code == 1
    assert "document id 'report' is already taken by" in r.output


def test_a_region_may_be_given_by_its_short_name(built):
    r = run("query", "unit-workload", "--graph", built, "-p", "region", "槐荫", "--format", "json")
    rows = json.loads(r.output)
    assert rows and {row["region"] for row in rows} == {"槐荫区"}


def test_a_document_that_gives_nothing_is_a_warning_and_exit_status_3(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("1.推进改革。（牵头单位：县发改局）\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议。\n", encoding="utf-8")
    r = run("tasks", good, empty, "--format", "jsonl")
    assert r.exit_code == 3
    assert [json.loads(line)["text"] for line in r.stdout.splitlines()] == ["推进改革。"]
    assert "nothing was read from 1 document(s)" in r.stderr and "empty.txt" in r.stderr
