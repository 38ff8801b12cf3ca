"""CSV meant for people shows a formula rather than running it, the CSV for neo4j-admin stays
exact, and a user's query never reaches another server or changes the graph."""

from __future__ import annotations

import csv
import socket
import threading

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError
from kg import queries
from kg.queries import QueryResult, render

DOC = ("长清区2025年政府工作报告重点工作责任分工\n\n"
       "1.=HYPERLINK(\"http://evil.example/x\",\"点击查看\")推进重大项目建设，完成投资100亿元。"
       "（牵头单位：区发展改革局；责任单位：区财政局）\n\n"
       "2.@SUM(1+1)深化财政体制改革。（牵头单位：区财政局）\n\n"
       "3.-2+3优化营商环境。（牵头单位：区发展改革局）\n")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("formulas")
    (tmp / "d.txt").write_text(DOC, encoding="utf-8")
    r = run("build", tmp / "d.txt", "--region", "长清区", "-o", tmp / "out", "--no-cache")
    assert r.exit_code == 0, r.output
    return tmp / "out"


def test_cells_that_start_like_a_formula_get_a_leading_quote_and_numbers_stay():
    result = QueryResult(("text", "actual", "note"), [
        ("=HYPERLINK(\"http://x\",\"y\")", -3.5, "+cmd|' /C calc'!A0"),
        ("@SUM(A1)", 2, "-2+3"),
        ("\t=1+1", None, "\r=1"),
        ("区发展改革局", 0.87, "增长-3.5%"),
        ("第一行\r=1+1", "第一行\n=1+1", "第一行\r\n=1+1"),    # a spreadsheet must not start a row inside
    ])
    assert render(result, "csv") == (
        "text,actual,note\n"
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-3.5,'+cmd|' /C calc'!A0\n"
        "'@SUM(A1),2,'-2+3\n"
        "'\t=1+1,,\"'\r=1\"\n"
        "区发展改革局,0.87,增长-3.5%\n"
        "\"第一行\r=1+1\",\"第一行\n=1+1\",\"第一行\r\n=1+1\"")


def test_kg_query_csv_shows_the_formula_in_a_task_text(out):
    r = run("query", "tasks-led-by", "-p", "unit", "长清区发展改革局", "--graph", out, "--format", "csv")
    assert r.exit_code == 0, r.output
    texts = [row["text"] for row in csv.DictReader(r.output.splitlines())]
    assert texts == ["'=HYPERLINK（\"http：//evil.example/x\"，\"点击查看\"）推进重大项目建设，完成投资100亿元。",
                     "'-2+3优化营商环境。"]


def test_the_neo4j_csv_export_keeps_the_text_exact(out, tmp_path):
    r = run("export", "--graph", out, "--format", "neo4j-csv", "-o", tmp_path / "csv")
    assert r.exit_code == 0, r.output
    with (tmp_path / "csv" / "nodes_Task.csv").open(encoding="utf-8", newline="") as f:
        texts = sorted(row["text"] for row in csv.DictReader(f))
    assert texts[0].startswith("-2+3优化") and texts[1].startswith("=HYPERLINK（") and texts[2].startswith("@SUM（")


@pytest.fixture
def listener():
    """A port on loopback that counts the connections made to it (and closes each at once, so
    that a client that did connect fails fast instead of waiting for an answer)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    seen, done = [], threading.Event()

    def serve():
        while not done.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield sock.getsockname()[1], seen
    done.set()
    thread.join(timeout=5)
    sock.close()


def test_a_user_query_with_service_is_refused_before_any_request(out, tmp_path, listener):
    port, connections = listener
    q = tmp_path / "remote.rq"
    q.write_text(f"SELECT * WHERE {{\n  SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }}\n}}\n")
    r = run("query", "--file", q, "--graph", out)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output == (f"Error: {q}:2: SERVICE would send the query to another server over the network; "
                        "govkg answers only from its own graph: remove the SERVICE clause\n")
    assert connections == []


@pytest.mark.parametrize("text, word, line", [
    ("LOAD <http://127.0.0.1:9/g.ttl>", "LOAD", 1),
    ("PREFIX ex: <urn:x:>\nDELETE WHERE { ?s ?p ?o }", "DELETE", 2),
    ("insert data { <urn:a> <urn:b> <urn:c> }", "INSERT", 1),
])
def test_an_update_is_refused_saying_so(text, word, line):
    with pytest.raises(QueryError, match=rf"^q.rq:{line}: {word} is an update; govkg runs queries only"):
        queries.check_sparql(text, "q.rq")


@pytest.mark.parametrize("text", [
    "SELECT ?SERVICE WHERE { ?s ex:SERVICE ?o }  # SERVICE in a comment",
    "SELECT * WHERE { ?s ?p \"SERVICE <http://x>\" }",
    "SELECT * WHERE { ?s ?p '''a\nSERVICE''' . <urn:SERVICE> ?p ?o }",
    "PREFIX SERVICE: <urn:x:> SELECT * { ?s SERVICE:x ?o }",
])
def test_the_word_service_in_names_strings_and_comments_is_allowed(text):
    queries.check_sparql(text, "q.rq")


def test_service_written_with_a_unicode_escape_is_refused():
    with pytest.raises(QueryError, match="SERVICE would send"):
        queries.check_sparql(r"SELECT * WHERE { \u0053ERVICE <http://x> { } }", "q.rq")


def test_a_query_file_that_is_not_utf8_is_a_clear_error(out, tmp_path):
    q = tmp_path / "gbk.rq"
    q.write_bytes("SELECT * WHERE { ?s ?p \"区财政局\" }".encode("gbk"))
    r = run("query", "--file", q, "--graph", out)
    assert r.exit_code == 1 and r.output.startswith(f"Error: {q}: cannot read the query file (")
