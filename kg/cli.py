"""The `kg` command: thin click commands over the library; the only module that prints or exits."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterable

import click

from kg.errors import KgError
from kg.queries.backends import BACKENDS
from kg.stores import exports
from kg.stores.exports import EXPORTS

DEFAULT_INPUT = "data/reports"
DEFAULT_OUT = "out"
EXIT_NOTHING_READ = 3      # every file was read, but some gave no task, unit, leader or target


def _fail(e: KgError):
    raise click.ClickException(str(e))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_atomically(files: dict[Path, bytes | Iterable[bytes]]) -> None:
    """Write every file (its bytes, or chunks of bytes as they are made) to a temporary
    sibling first, each in its own thread (a national graph.json and graph.ttl are GBs: the
    disk takes them faster side by side), then rename them all; nothing is left
    half-written on any error."""
    from concurrent.futures import ThreadPoolExecutor

    temps: list[tuple[str, Path]] = []

    from kg.outputs import write_chunks
    from kg.tempfiles import lock

    def write(path: Path, data, fd: int) -> None:
        with os.fdopen(fd, "wb") as f:
            write_chunks(f, [data] if isinstance(data, (bytes, bytearray)) else data)

    path = None
    opened: list[tuple[Path, object, int]] = []
    held: list[int] = []                      # locks on the temporary files, until the renames
    try:
        try:
            for path, data in files.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
                temps.append((tmp, path))
                opened.append((path, data, fd))
                held.append(lock(fd))             # being written: a later build leaves it alone
                os.fchmod(fd, 0o666 & ~_umask())   # mkstemp makes 0600: give the usual mode
        except BaseException:
            for _p, _d, fd in opened:
                os.close(fd)
            raise
        with ThreadPoolExecutor(max_workers=len(opened) or 1) as pool:
            futures = {pool.submit(write, p, d, fd): p for p, d, fd in opened}
            for future, p in futures.items():
                path = p
                future.result()
        for tmp, path in temps:
            os.replace(tmp, path)
    except (OSError, KgError) as e:
        _remove(temps)
        raise click.ClickException(f"cannot write {path}: {e}") from e
    except BaseException:
        _remove(temps)
        raise
    finally:
        for fd in held:
            os.close(fd)


def _remove(temps: list[tuple[str, Path]]) -> None:
    for tmp, _ in temps:
        if os.path.exists(tmp):
            os.unlink(tmp)


# -- rows out: one --format and -o for every command that prints rows ----------------------

_SUFFIX_FORMAT = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".xlsx": "xlsx", ".txt": "table"}


def output_options(formats: tuple[str, ...], default: str = "table"):
    """``--format`` (one of ``formats``; without it, the one -o's suffix names, else ``default``)
    and ``-o FILE`` (written atomically; ``-`` or nothing is standard output)."""
    def decorate(f):
        f = click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
                         help="Write to FILE (complete or not at all); - is standard output, the default.")(f)
        return click.option("--format", "fmt", type=click.Choice(formats), default=None,
                            help=f"Output format [default: the one -o's suffix names "
                                 f"(.csv, .json, .jsonl{', .xlsx' if 'xlsx' in formats else ''}), else {default}]. "
                                 "CSV is UTF-8 with a byte-order mark, for spreadsheets.")(f)
    return decorate


def _format(fmt: str | None, output: str | None, formats: tuple[str, ...], default: str = "table") -> str:
    if fmt:
        return fmt
    guessed = _SUFFIX_FORMAT.get(Path(output).suffix.lower()) if output and output != "-" else None
    return guessed if guessed in formats else default


def _emit(data: str | bytes, fmt: str, output: str | None) -> None:
    """Rows to standard output or, written atomically, to a file; CSV gets its byte-order mark."""
    from kg.formats import encode

    payload = data if isinstance(data, bytes) else encode(data, fmt)
    if output in (None, "-"):
        if fmt == "xlsx" and sys.stdout.isatty():
            raise click.UsageError("an .xlsx workbook is binary: give -o FILE.xlsx (or redirect standard output)")
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    _write_atomically({Path(output): payload})
    click.echo(f"wrote {output}", err=True)


def _overrides(region, year, kind, period) -> dict:
    return {"region": region, "year": year, "kind": kind, "period": period}


meta_options = [
    click.option("--region", help="Region of the documents when detection gets it wrong (e.g. 槐荫区)."),
    click.option("--year", type=int, help="Year the documents are about."),
    click.option("--kind", type=click.Choice(["work-report", "division", "decomposition", "progress"]),
                 help="Document kind when detection gets it wrong."),
    click.option("--period", help="Reporting period of a progress report (e.g. 2025年1-9月)."),
]


def with_meta_options(f):
    for opt in reversed(meta_options):
        f = opt(f)
    return f


def _build(paths, region=None, year=None, kind=None, period=None):
    from kg.build import build_graph

    try:
        return build_graph(paths or [DEFAULT_INPUT], _overrides(region, year, kind, period))
    except KgError as e:
        _fail(e)


def _load_graph(graph_dir: str):
    """The graph `kg build` wrote, or a fresh build of data/reports when there is none."""
    from kg.graph import loads

    path = Path(graph_dir) / "graph.json"
    if path.exists():
        try:
            return loads(path.read_bytes(), str(path))
        except KgError as e:
            _fail(e)
    click.echo(f"no {path}: building the graph from {DEFAULT_INPUT}/ first", err=True)
    result = _build([DEFAULT_INPUT])
    if result.failures:
        raise click.ClickException("cannot build the graph: " + "; ".join(f.message for f in result.failures))
    return result.graph


def _query_store(graph_dir: str):
    """The on-disk store of the build in ``graph_dir`` (kg.stores.oxistore: loaded once,
    then only the parts a rebuild changed), or the graph of data/reports when there is none."""
    from kg.stores.oxistore import open_store

    if (Path(graph_dir) / "graph.ttl").exists():
        return open_store(Path(graph_dir))
    return _load_graph(graph_dir)


@click.group()
@click.version_option(package_name="govkg")
def main():
    """govkg: who is responsible for what in Chinese government work documents.

    Reads work reports (政府工作报告), task-division documents (责任分工, 目标任务分解) and
    progress reports (推进情况), builds a graph of regions, documents, units, leaders,
    tasks, targets and projects, and exports, queries and draws it.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--out", "out_dir", default=DEFAULT_OUT, show_default=True,
              help="Folder for graph.json (and graph.ttl, graph.html).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
              help="Folder of the build cache (rendered shards) [default: ~/.cache/govkg].")
@click.option("--no-cache", is_flag=True, help="Read and extract every document again; keep nothing.")
@with_meta_options
def build(paths, out_dir, cache_dir, no_cache, region, year, kind, period):
    """Build the graph from PATHS (files or folders; default data/reports/).

    Writes OUT/graph.json (networkx node-link), OUT/graph.ttl (RDF, with OUT/graph.parts.tsv
    saying where each shard's part lies in it) and OUT/graph.html (the browser view), and
    prints a summary: documents with their detected region and kind, node and edge counts by
    type, and what could not be placed, with file and line. The build runs per shard (a city
    and its districts) on every core, and keeps each rendered shard keyed by its files'
    contents and the code version, so a rebuild redoes only the shards whose files changed.
    """
    from kg.build import build_shards
    from kg.cache import default_cache_dir, part_folder
    from kg.outputs import remove_abandoned_outputs, shard_outputs
    from kg.summary import summarize_shards

    cache = None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()
    notes: list[str] = []
    files: dict = {}
    try:
        with part_folder(cache) as parts:
            built = build_shards(paths or [DEFAULT_INPUT], _overrides(region, year, kind, period),
                                 part_dir=parts)
            if built.documents:
                remove_abandoned_outputs(Path(out_dir))
                files = shard_outputs(built, Path(out_dir), notes)
                _write_atomically(files)
    except KgError as e:
        _fail(e)
    click.echo(summarize_shards(built))
    if cache is not None:
        st = built.stats
        click.echo(f"\ncache: {st['reused']} of {st['shards']} shards reused from {cache} "
                   f"({st['documents']} documents)")
    for note in notes:
        click.echo(f"\nnote: {note}")
    if files:
        click.echo("\nwrote " + ", ".join(str(p) for p in files))
    if built.failures:
        raise click.ClickException(
            f"{len(built.failures)} of {len(built.failures) + len(built.documents)} "
            "input files could not be built (listed above)")
    _exit_if_nothing_read(built.problems)


ROW_FORMATS = ("table", "csv", "json", "jsonl")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--graph", "graph_dir", type=click.Path(file_okay=False),
              help="Read the graph `kg build` wrote to this folder instead of reading PATHS again.")
@output_options(ROW_FORMATS)
@click.option("--all-levels", is_flag=True, help="Also list section headings, not only concrete tasks.")
@with_meta_options
def tasks(paths, graph_dir, fmt, output, all_levels, region, year, kind, period):
    """List the tasks of PATHS (or of a built graph, --graph) with their units (role, as
    written, canonical, functions), leaders, indicators, deadline and due date. ``kind`` says
    whether a row is a task or a progress entry (a row of a progress report, with the task it
    reports on and its status). `--format jsonl` is a stable interface for scripts: one JSON
    object per row. With --graph, --region keeps that region (and the regions in it)."""
    from kg.summary import graph_task_rows, task_columns, task_rows

    fmt = _format(fmt, output, ROW_FORMATS)
    if graph_dir is not None:
        if paths or year or kind or period:
            raise click.UsageError("--graph reads a built graph: give no PATHS, --year, --kind or --period")
        try:
            rows = graph_task_rows(_load_graph(graph_dir), region=region, all_levels=all_levels)
        except KgError as e:
            _fail(e)
        _emit(_render(rows, fmt, task_columns()), fmt, output)
        return
    result = _build(paths, region, year, kind, period)
    rows = task_rows(result, all_levels=all_levels)
    _emit(_render(rows, fmt, task_columns()), fmt, output)
    for p in result.problems:
        click.echo(f"warning: {p.path}:{p.line}: {p.message}" + (f"  «{p.quote}»" if p.quote else ""), err=True)
    if result.failures:
        raise click.ClickException("; ".join(f.message for f in result.failures))
    _exit_if_nothing_read(result.problems)


def _render(rows: list[dict], fmt: str, columns) -> str:
    from kg.formats import render_records

    return render_records(rows, fmt, columns)


def _exit_if_nothing_read(problems) -> None:
    """Exit with status 3 when a document gave nothing (a build of the others was still made)."""
    from kg.model import NOTHING_READ

    empty = sorted({p.path for p in problems if p.code == NOTHING_READ})
    if empty:
        click.echo(f"Error: nothing was read from {len(empty)} document(s): {', '.join(empty)}", err=True)
        raise click.exceptions.Exit(EXIT_NOTHING_READ)


graph_option = click.option(
    "--graph", "graph_dir", default=DEFAULT_OUT, show_default=True,
    help="Folder holding the graph.json that `kg build` wrote (built from data/reports/ if missing).")


@main.command()
@graph_option
@click.option("--region", help="Only this region (a city includes its districts).")
@click.option("--unit", help="A unit and its tasks; a district-generic name (区发展改革局) selects it in every district.")
@click.option("--leader", help="A leader (牵头领导) and the tasks they oversee.")
@click.option("--function", "function", help="A functional category (发展改革, 财政 …) and its units' tasks.")
@click.option("--task", help="A task, by id, number or a piece of its text.")
@click.option("--depth", type=int, default=1, show_default=True, help="How many steps out from the selection.")
@click.option("--max-nodes", type=int, default=2500, show_default=True,  # kg.view.MAX_NODES
              help="Refuse to draw more nodes than this (a browser cannot show them usefully).")
@click.option("-o", "--output", default="out/view.html", show_default=True, type=click.Path(dir_okay=False))
def view(graph_dir, region, unit, leader, function, task, depth, max_nodes, output):
    """Draw the graph, or the neighbourhood of a unit, leader, function or task, as one
    self-contained HTML file that works offline (search, filters, details on click)."""
    from kg.view import render_html

    graph = _load_graph(graph_dir)
    try:
        html = render_html(graph, region=region, unit=unit, leader=leader, function=function, task=task,
                           depth=depth, max_nodes=max_nodes)
    except KgError as e:
        _fail(e)
    _write_atomically({Path(output): html.encode("utf-8")})
    click.echo(f"wrote {output}")


def _date_option(f):
    return click.option("--as-of", "as_of",
                        help="The date to judge deadlines at, YYYY-MM-DD [default: the end of the latest "
                             "progress period in the graph; the output says which date was used].")(f)


@main.command()
@graph_option
@click.option("--region", help="Only this region (a city includes its districts), e.g. 槐荫区.")
@_date_option
@click.option("--soon", "soon_days", type=click.IntRange(0), default=92, show_default=True,
              help="Days ahead in which a due date counts as due soon (92: before the next quarterly report).")
@output_options(ROW_FORMATS)
def status(graph_dir, region, as_of, soon_days, fmt, output):
    """Where targets and tasks stand at a date: targets against their actuals, with the status
    each rule gives (behind, on-track, ahead, unknown: data/status_rules.tsv); the tasks that
    are overdue (due date passed, no progress says done) or due soon, with their units and
    leaders; and the tasks whose progress says they are late or not started, with the words
    or figures that say it (data/status_words.tsv). JSON is one object of these lists; CSV and
    JSON Lines are one row each, with its section."""
    from kg.summary import status_records, status_rows, status_table

    fmt = _format(fmt, output, ROW_FORMATS)
    graph = _load_graph(graph_dir)
    try:
        rows = status_rows(graph, region=region, as_of=as_of, soon_days=soon_days)
    except KgError as e:
        _fail(e)
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
    elif fmt == "table":
        text = status_table(rows)
    else:
        from kg.formats import Column, render_records

        records = status_records(rows)
        keys = list(dict.fromkeys(k for r in records for k in r))
        text = render_records(records, fmt, [Column(k, lambda r, k=k: r.get(k)) for k in keys])
    _emit(text, fmt, output)


@main.command()
@graph_option
@click.option("--region", help="Only this region (a city includes its districts): one sheet per region.")
@click.option("--unit", help="Only the tasks this unit has a role in (a district-generic name: in every district).")
@click.option("--leader", help="Only the tasks this leader (牵头领导) oversees.")
@_date_option
@output_options(("xlsx", *ROW_FORMATS), default="table")
def ledger(graph_dir, region, unit, leader, as_of, fmt, output):
    """The supervision ledger (督办台账): one row per task with 序号, 任务, 牵头领导, 牵头单位,
    配合单位 (or 责任单位, as the documents say), 完成时限, 最新进展 with its period, 状态 at the
    date (逾期 when the due date has passed and no progress says done), the words the status
    rests on, and 来源 (document and quote).

    \b
    Examples:
      kg ledger --region 历下区 -o 历下区台账.xlsx
      kg ledger --unit 区发展改革局 --format csv -o 发改局.csv
      kg ledger --leader 武毅 --as-of 2025-10-01
    """
    from kg.ledger import columns, ledger as make_ledger

    fmt = _format(fmt, output, ("xlsx", *ROW_FORMATS))
    graph = _load_graph(graph_dir)
    try:
        book = make_ledger(graph, region=region, unit=unit, leader=leader, as_of=as_of)
    except KgError as e:
        _fail(e)
    click.echo(f"ledger as of {book.as_of.date.isoformat()} ({book.as_of.how}): {len(book.rows)} tasks"
               + (f", {sum(r['overdue'] for r in book.rows)} overdue" if book.rows else ""), err=True)
    if fmt == "xlsx":
        from kg.ledger.xlsx import workbook

        _emit(workbook(book), fmt, output)
        return
    rows = book.rows
    if fmt in ("json", "jsonl"):
        rows = [{"as_of": book.as_of.date.isoformat(), **r} for r in rows]
    _emit(_render(rows, fmt, columns(book, with_region=True)), fmt, output)


@main.command("export")
@graph_option
@click.option("--format", "fmt", required=True, type=click.Choice(list(EXPORTS)),
              help="; ".join(f"{e.name}: {e.help}" for e in EXPORTS.values()) + ".")
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="File to write (a folder for neo4j-csv); RDF and Cypher go to standard output without it or with -.")
def export(graph_dir, fmt, output):
    """Export the graph as RDF, as a self-contained Cypher script, or as neo4j-admin CSVs.

    Turtle and N-Triples stream from the graph.ttl that `kg build` wrote (of any size);
    the other formats load the graph first. `-o -` is standard output, as for every command."""
    kind = EXPORTS[fmt]
    if output == "-" and not kind.folder:
        output = None
    ttl = Path(graph_dir) / "graph.ttl"
    if kind.from_turtle and ttl.exists():
        try:
            if output:
                _write_atomically({Path(output): exports.stream(ttl, fmt)})
                click.echo(f"wrote {output}", err=True)
            else:
                for chunk in exports.stream(ttl, fmt):
                    sys.stdout.buffer.write(chunk)
        except KgError as e:
            _fail(e)
        return
    graph = _load_graph(graph_dir)
    try:
        if kind.folder:
            folder = Path(output or f"out/{fmt}")
            _check_csv_folder(folder)
            folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
            tmp.chmod(0o777 & ~_umask())
            try:
                command = exports.fill(graph, fmt, tmp).command("neo4j").replace(str(tmp), str(folder))
            except BaseException:
                shutil.rmtree(tmp)
                raise
            if folder.exists():
                shutil.rmtree(folder)
            tmp.rename(folder)             # the whole folder appears at once
            click.echo(f"wrote {folder}/; import it with\n  {command}\n"
                       f"then run {folder}/constraints.cypher with cypher-shell")
            return
        data = exports.export(graph, fmt)
    except KgError as e:
        _fail(e)
    if output:
        _write_atomically({Path(output): data})
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


def _check_csv_folder(folder: Path) -> None:
    """Only a folder that holds nothing but an earlier CSV export may be replaced."""
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"{folder} is a file: give a folder for the CSV export")
    if folder.is_dir():
        others = [p.name for p in folder.iterdir()
                  if not (p.name.startswith(("nodes_", "rels_")) and p.suffix == ".csv")
                  and p.name != "constraints.cypher"]
        if others:
            raise click.ClickException(
                f"{folder} holds other files ({', '.join(sorted(others)[:3])}…): give an empty or new folder")


@main.command()
@graph_option
def validate(graph_dir):
    """Check the graph's RDF against the SHACL shapes (ontology/shapes.ttl); exit non-zero on any violation."""
    from kg.stores.shacl import validate as shacl_validate

    try:
        result = shacl_validate(_load_graph(graph_dir))
    except KgError as e:
        _fail(e)
    click.echo(str(result))
    if not result.conforms:
        raise click.ClickException(f"{len(result.violations)} SHACL violations")


neo4j_options = [
    click.option("--uri", help="Bolt URI [env NEO4J_URI, default bolt://localhost:7687]."),
    click.option("--user", help="User [env NEO4J_USERNAME, default neo4j]."),
    click.option("--database", help="Database [env NEO4J_DATABASE, default: the server's]."),
]


def with_neo4j_options(f):
    for opt in reversed(neo4j_options):
        f = opt(f)
    return f


def _neo4j_settings(uri, user, database, *, prompt: bool):
    """Options win over NEO4J_* variables; the password only from NEO4J_PASSWORD or a hidden prompt."""
    import dataclasses

    from kg.stores.neo4j import Neo4jSettings

    settings = Neo4jSettings.from_env(uri=uri, user=user, database=database)
    if settings.password is None and prompt:
        settings = dataclasses.replace(settings, password=click.prompt("Neo4j password", hide_input=True))
    return settings


@main.command()
@click.argument("name", required=False)
@graph_option
@click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="KEY VALUE",
              help="A parameter, bound as a value (never pasted into the query); repeatable.")
@output_options(ROW_FORMATS)
@click.option("--list", "list_", is_flag=True, help="List the canned queries with their parameters.")
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False),
              help="Run your own query file (.rq on the embedded store, .cypher on Neo4j).")
@click.option("--backend", type=click.Choice([b.name for b in BACKENDS.values() if b.cli]), default="embedded",
              show_default=True,
              help="; ".join(f"{b.name}: {b.help}" for b in BACKENDS.values() if b.cli) + ".")
@with_neo4j_options
def query(name, graph_dir, params, fmt, output, list_, file_, backend, uri, user, database):
    """Answer a canned query by NAME (see --list) or a query --file.

    \b
    Examples:
      kg query tasks-led-by -p unit 区发展改革局
      kg query leader-portfolio -p leader 武毅 --format csv
      kg query unit-workload -p region 长清区
    """
    from kg.queries import list_queries, render, run_query

    fmt = _format(fmt, output, ROW_FORMATS)
    try:
        if list_:
            for info in list_queries(BACKENDS[backend].language):
                click.echo(f"{info.name}: {info.title}\n  {info.answers}\n  {info.usage()}")
            return
        if not name and not file_:
            raise click.UsageError("name a query (kg query --list shows them) or give --file")
        settings = _neo4j_settings(uri, user, database, prompt=True) if backend == "neo4j" else None
        graph = _query_store(graph_dir) if backend == "embedded" else None
        result = run_query(graph, name, file=file_, params=dict(params), backend=backend, neo4j=settings)
    except KgError as e:
        _fail(e)
    _emit(render(result, fmt), fmt, output)


@main.group()
def neo4j():
    """Load the graph into Neo4j (or any Bolt server that speaks Cypher)."""


@neo4j.command("load")
@graph_option
@with_neo4j_options
@click.option("--wipe", is_flag=True, help="Remove what govkg wrote (marked govkg: true) first; other nodes stay.")
@click.option("--batch-size", type=int, default=10_000, show_default=True)
def neo4j_load(graph_dir, uri, user, database, wipe, batch_size):
    """Merge the graph into Neo4j: constraints, then nodes, then relationships, in batches.

    Loading twice changes nothing. Connection settings come from the options or NEO4J_URI,
    NEO4J_USERNAME, NEO4J_DATABASE; the password only from NEO4J_PASSWORD or a prompt."""
    from kg.stores.neo4j import load

    graph = _load_graph(graph_dir)
    settings = _neo4j_settings(uri, user, database, prompt=True)
    total = graph.number_of_nodes() + graph.number_of_edges()
    try:
        with click.progressbar(length=total, label="loading", file=sys.stderr) as bar:
            stats = load(graph, settings, wipe=wipe, batch_size=batch_size,
                         progress=lambda n, _total: bar.update(n))
    except KgError as e:
        _fail(e)
    where = settings.uri + (f"/{settings.database}" if settings.database else "")
    click.echo(f"loaded {stats.nodes} nodes and {stats.relationships} relationships into {where} "
               f"in {stats.seconds:.1f} s; the store now holds {stats.total_nodes} nodes and "
               f"{stats.total_relationships} relationships")


if __name__ == "__main__":  # pragma: no cover
    main()
