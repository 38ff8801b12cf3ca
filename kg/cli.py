"""The `kg` command: thin click commands over the library; the only module that prints or exits."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click

from kg.errors import KgError

DEFAULT_INPUT = "data/reports"
DEFAULT_OUT = "out"


def _fail(e: KgError):
    raise click.ClickException(str(e))


def _write_atomically(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling first, then rename them all."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            temps.append((tmp, path))
    except BaseException:
        for tmp, _ in temps:
            os.unlink(tmp)
        raise
    for tmp, path in temps:
        os.replace(tmp, path)


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
    return _build([DEFAULT_INPUT]).graph


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
@with_meta_options
def build(paths, out_dir, region, year, kind, period):
    """Build the graph from PATHS (files or folders; default data/reports/).

    Writes OUT/graph.json (networkx node-link), OUT/graph.ttl (RDF) and OUT/graph.html
    (the browser view), and prints a summary: documents with their detected region and
    kind, node and edge counts by type, and what could not be placed, with file and line.
    """
    from kg.outputs import build_outputs
    from kg.summary import summarize

    result = _build(paths, region, year, kind, period)
    if result.extractions:
        try:
            files = build_outputs(result.graph, Path(out_dir))
        except KgError as e:
            _fail(e)
        _write_atomically(files)
    click.echo(summarize(result))
    if result.extractions:
        click.echo("\nwrote " + ", ".join(str(p) for p in files))
    if result.failures:
        raise click.ClickException(
            f"{len(result.failures)} of {len(result.failures) + len(result.extractions)} "
            "input files could not be built (listed above)")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--all-levels", is_flag=True, help="Also list section headings, not only concrete tasks.")
@with_meta_options
def tasks(paths, fmt, all_levels, region, year, kind, period):
    """List the tasks of PATHS with their units (role, as written, canonical, functions),
    leaders and indicators. `--format jsonl` is a stable interface for scripts: one JSON
    object per task."""
    from kg.summary import task_rows, tasks_table

    result = _build(paths, region, year, kind, period)
    rows = task_rows(result, all_levels=all_levels)
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
    else:
        click.echo(tasks_table(rows))
    for f in result.failures:
        click.echo(f"error: {f.message}", err=True)
    if result.failures:
        sys.exit(1)


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
@click.option("--max-nodes", type=int, default=2500, show_default=True,
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


if __name__ == "__main__":  # pragma: no cover
    main()
