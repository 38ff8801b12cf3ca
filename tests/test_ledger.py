"""The supervision ledger (kg ledger), deadlines at a date (kg status --as-of), one --format and
-o for every command that prints rows, and a name that names nothing is an error that suggests
the closest names."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import REPORTS
from kg.cli import main

TASKS = ("历下区2025年重点任务分解\n\n"
         "序号\t重点任务\t牵头领导\t牵头单位\t配合单位\t完成时限\n"
         "1\t新建城市书房5处。\t张三\t区文化和旅游局\t区财政局\t2025年6月底前\n"
         "2\t=HYPERLINK(\"http://x\")推进老旧小区改造。\t李四\t区住房城乡建设局\t各街道\t长期坚持\n"
         "3\t建设智慧停车平台。\t张三\t区大数据局\t\t2025年8月底前\n"
         "4\t开展全民健身活动。\t李四\t区教育和体育局\t\t2025年12月底前\n")
PROGRESS = ("历下区2025年重点任务推进情况（1-9月）\n\n"
            "序号\t主要任务\t责任单位\t完成时限\t推进情况\t后续举措\n"
            "1\t新建社区食堂。\t区民政局\t2025年6月底前\t社区食堂已建成并投入使用。\t做好运营。\n"
            "2\t建设停车诱导系统。\t区大数据局\t2025年8月底前\t系统正在建设，进度滞后。\t加快建设。\n")
HEADER = ["序号", "任务", "牵头领导", "牵头单位", "配合单位", "完成时限", "最新进展", "状态（截至2025-09-30）",
          "状态依据", "来源", "任务ID"]
DEC, PRG = "lixia-2025-decomposition", "lixia-2025-progress"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """A decomposition with deadlines (two passed by 2025-09-30, one to come, one ongoing) and a
    progress report whose rows report on no task of it, each with its own deadline."""
    tmp = tmp_path_factory.mktemp("ledger")
    (tmp / f"{DEC}.txt").write_text(TASKS, encoding="utf-8")
    (tmp / f"{PRG}.txt").write_text(PROGRESS, encoding="utf-8")
    r = run("build", tmp / f"{DEC}.txt", tmp / f"{PRG}.txt", "--region", "历下区", "--year", "2025",
            "-o", tmp / "out", "--no-cache")
    assert r.exit_code == 0, r.output
    return tmp / "out"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    assert run("build", REPORTS, "-o", out, "--no-cache").exit_code == 0
    return out


# ------------------------------------------------------------------ the workbook

def test_the_xlsx_ledger_cell_by_cell(out, tmp_path):
    path = tmp_path / "台账.xlsx"
    r = run("ledger", "--graph", out, "-o", path)              # the format from the suffix
    assert r.exit_code == 0, r.output
    assert "ledger as of 2025-09-30 (the end of 2025年1-9月, the latest progress period): 6 tasks, 3 overdue" in r.output
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["历下区"]
    ws = wb["历下区"]
    assert [c.value for c in ws[1]] == HEADER
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:K7"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[:6] for r in rows] == [
        [1, "新建城市书房5处。", "张三", "区文化和旅游局", "区财政局", "2025年6月底前（2025-06-30）"],
        [2, "'=HYPERLINK（\"http：//x\"）推进老旧小区改造。", "李四", "区住房城乡建设局", "各街道", "长期坚持"],
        [3, "建设智慧停车平台。", "张三", "区大数据局", None, "2025年8月底前（2025-08-31）"],
        [4, "开展全民健身活动。", "李四", "区教育和体育局", None, "2025年12月底前（2025-12-31）"],
        [5, "新建社区食堂。", None, None, "区民政局", "2025年6月底前（2025-06-30）"],
        [6, "建设停车诱导系统。", None, None, "区大数据局", "2025年8月底前（2025-08-31）"],
    ]
    assert [r[6:9] for r in rows] == [
        [None, "逾期", "完成时限2025年6月底前（2025-06-30）已过"],
        [None, "无进展", None],
        [None, "逾期", "完成时限2025年8月底前（2025-08-31）已过"],
        [None, "无进展", "完成时限2025年12月底前（2025-12-31）将至"],
        ["【2025年1-9月】社区食堂已建成并投入使用。", "已完成", "已建成"],     # due date passed, but done
        ["【2025年1-9月】系统正在建设，进度滞后。", "逾期", "完成时限2025年8月底前（2025-08-31）已过；进展滞后：进度滞后"],
    ]
    assert rows[0][9] == f"历下区2025年重点任务分解（{out.parent / (DEC + '.txt')}）：“新建城市书房5处。”"
    assert [r[10] for r in rows] == [f"task:{DEC}:{n}" for n in (1, 2, 3, 4)] + [f"progress:{PRG}:{n}" for n in (1, 2)]
    assert ws["B3"].data_type == "s"                            # text, never a formula
    overdue = [i for i, row in enumerate(ws.iter_rows(min_row=2), start=2)
               if all(c.fill.fgColor.rgb == "FFFFC7CE" for c in row)]
    plain = [i for i, row in enumerate(ws.iter_rows(min_row=2), start=2) if row[0].fill.fill_type is None]
    assert overdue == [2, 4, 7] and plain == [3, 5, 6]
    assert ws["B2"].alignment.wrap_text and ws["A1"].font.b
    assert ws.column_dimensions["B"].width > 40                 # 任务: wide enough for its Chinese text


def test_one_sheet_per_region_and_the_status_column_says_the_date(seeds, tmp_path):
    path = tmp_path / "l.xlsx"
    assert run("ledger", "--graph", seeds, "--region", "济南市", "--as-of", "2025-10-01", "-o", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["济南市", "历下区", "槐荫区", "长清区"]
    assert wb["槐荫区"]["H1"].value == "状态（截至2025-10-01）" and wb["槐荫区"]["E1"].value == "责任单位"


def test_the_seed_ledger_of_lixia_has_its_79_tasks_with_units_and_leaders(seeds):
    r = CliRunner().invoke(main, ["ledger", "--graph", str(seeds), "--region", "历下区", "--format", "xlsx"])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(io.BytesIO(r.stdout_bytes))
    assert wb.sheetnames == ["历下区"]
    rows = list(wb["历下区"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 79 and [r[0] for r in rows] == list(range(1, 80))
    assert sum(1 for r in rows if r[2]) == 79                    # every task has its 牵头领导
    assert sum(1 for r in rows if r[3] or r[4]) == 79           # and its units
    assert rows[0][:5] == (1, "地区生产总值增长5.6%", "武毅", "区发展改革局", None)
    assert rows[2][:5] == (3, "固定资产投资增长2%", "武毅", "区发展改革局",
                           "区工业和信息化局、区住房城市建设局、区统计局、各街道办事处")
    assert {r[7] for r in rows} == {"无进展"}                    # no progress report of 历下区


# ------------------------------------------------------------------ CSV, JSON, -o

def test_the_csv_is_utf8_with_a_byte_order_mark_and_shows_formulas(out, tmp_path):
    path = tmp_path / "l.csv"
    assert run("ledger", "--graph", out, "--format", "csv", "-o", path).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["地区", *HEADER]
    assert [(r["序号"], r["任务"], r["状态（截至2025-09-30）"]) for r in rows[:2]] == [
        ("1", "新建城市书房5处。", "逾期"), ("2", "'=HYPERLINK（\"http：//x\"）推进老旧小区改造。", "无进展")]


def test_dash_is_standard_output_and_json_has_every_field(out):
    r = CliRunner().invoke(main, ["ledger", "--graph", str(out), "-o", "-", "--format", "json",
                                  "--as-of", "2025-07-01"])
    rows = json.loads(r.stdout)
    first = rows[0]
    assert (first["as_of"], first["id"], first["deadline"], first["due"], first["overdue"], first["days_left"]) == (
        "2025-07-01", f"task:{DEC}:1", "2025年6月底前", "2025-06-30", True, -1)
    # progress of a period that ends after the date does not count: row 1's 已建成 is of 1-9月
    food = next(r for r in rows if r["id"] == f"progress:{PRG}:1")
    assert (food["progress"], food["status"], food["why"]) == (None, "overdue", "完成时限2025年6月底前（2025-06-30）已过")


def test_every_command_that_prints_rows_takes_the_same_formats(out, tmp_path):
    for command in (["tasks", "--graph", out], ["status", "--graph", out], ["ledger", "--graph", out],
                    ["query", "unit-workload", "--graph", out]):
        for fmt in ("table", "csv", "json", "jsonl"):
            r = CliRunner().invoke(main, [str(a) for a in command] + ["--format", fmt])
            assert r.exit_code == 0, (command, fmt, r.output)
            if fmt == "csv":
                assert r.stdout_bytes.startswith(b"\xef\xbb\xbf"), command
            if fmt == "jsonl":
                assert all(json.loads(line) for line in r.stdout.splitlines()), command
        target = tmp_path / f"{command[0]}.jsonl"
        r = CliRunner().invoke(main, [str(a) for a in command] + ["-o", str(target)])
        assert r.exit_code == 0 and f"wrote {target}" in r.stderr
        assert target.read_text(encoding="utf-8").startswith("{")


def test_kg_tasks_reads_a_built_graph_and_says_which_rows_are_progress_entries(out):
    r = CliRunner().invoke(main, ["tasks", "--graph", str(out), "--format", "jsonl"])
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(x["id"], x["kind"]) for x in rows] == [(f"task:{DEC}:{n}", "task") for n in (1, 2, 3, 4)] + [
        (f"progress:{PRG}:{n}", "progress") for n in (1, 2)]
    assert (rows[0]["leaders"], [u["name"] for u in rows[0]["units"]], rows[0]["due"]) == (
        ["张三"], ["区文化和旅游局", "区财政局"], "2025-06-30")
    assert (rows[5]["status"], rows[5]["status_word"], rows[5]["reports_on"]) == ("late", "进度滞后", None)
    r = run("tasks", REPORTS, "--graph", out)
    assert r.exit_code == 2 and "--graph reads a built graph" in r.output


# ------------------------------------------------------------------ status at a date

def test_kg_status_lists_what_is_overdue_and_why(out):
    r = run("status", "--graph", out, "--as-of", "2025-10-01")
    assert r.exit_code == 0, r.output
    text = r.output
    assert "Deadlines as of 2025-10-01 (given)" in text
    overdue = text.split("Overdue")[1].split("Due within")[0].splitlines()[3:]
    assert [line.split()[:4] for line in overdue if line.strip()] == [
        ["历下区", "2025-06-30", "2025年6月底前", "新建城市书房5处。"],
        ["历下区", "2025-08-31", "2025年8月底前", "建设智慧停车平台。"],
        ["历下区", "2025-08-31", "2025年8月底前", "建设停车诱导系统。"]]
    assert "完成时限2025年6月底前（2025-06-30）已过" in text and "区文化和旅游局" in text and "张三" in text
    rows = json.loads(run("status", "--graph", out, "--as-of", "2025-10-01", "--format", "json").output)
    assert [(x["task"], x["why"]) for x in rows["due_soon"]] == [
        (f"task:{DEC}:4", "完成时限2025年12月底前（2025-12-31）将至")]
    assert [(x["leaders"], x["lead_units"], x["units"]) for x in rows["overdue"]] == [
        ("张三", "区文化和旅游局", "区财政局"), ("张三", "区大数据局", ""), ("", "", "区大数据局")]


def test_kg_status_on_the_seeds_as_of_2025_10_01(seeds):
    rows = json.loads(run("status", "--graph", seeds, "--as-of", "2025-10-01", "--format", "json").output)
    assert (rows["as_of"], rows["as_of_how"], rows["with_due_date"], rows["overdue"]) == ("2025-10-01", "given", 2, [])
    assert [(x["task"], x["due"], x["progress_status"]) for x in rows["due_soon"]] == [
        ("task:huaiyin-2025-work-report:16", "2025-12-31", "in-progress"),
        ("task:huaiyin-2025-work-report:25", "2025-12-31", None)]
    assert [(x["number"], x["status"], x["word"], x["units"]) for x in rows["tasks"]] == [
        ("1", "late", "5.4%（目标5.7%）", "区发展改革局"), ("2", "late", "0.87%（目标3%）", "区财政局"),
        ("4", "late", "-3.5%（目标5%）", "区发展改革局"), ("5", "late", "1%（目标3.5%）", "区商务局"),
        ("6", "late", "占全年4500万美元任务的39.53%", "区投资促进局")]
    default = json.loads(run("status", "--graph", seeds, "--format", "json").output)
    assert (default["as_of"], default["as_of_how"]) == ("2025-09-30", "the end of 2025年1-9月, the latest progress period")


def test_a_date_that_is_no_date_is_an_error(out):
    r = run("ledger", "--graph", out, "--as-of", "2025-13-01")
    assert r.exit_code == 1 and "'2025-13-01' is not a date: give it as YYYY-MM-DD" in r.output


# ------------------------------------------------------------------ names that name nothing

@pytest.mark.parametrize("args, message", [
    (["ledger", "--leader", "武义"], "no leader named '武义' in the graph; did you mean 武毅?"),
    (["ledger", "--region", "历城区"], "no region named '历城区' in the graph; did you mean 历下区?"),
    (["ledger", "--region", "历下区", "--unit", "区发展改革"],
     "no unit named '区发展改革' in 历下区 in the graph; did you mean 区发展改革局?"),
    (["status", "--region", "槐阴区"], "no region named '槐阴区' in the graph; did you mean 槐荫区?"),
    (["tasks", "--region", "长清"], None),                       # a short name the gazetteer knows
    (["query", "leader-portfolio", "-p", "leader", "武义"], "no leader named '武义' in the graph; did you mean 武毅?"),
    (["query", "targets-across-levels", "-p", "metric", "地区生产总"],
     "no metric named '地区生产总' in the graph; did you mean 地区生产总值?"),
    (["query", "unit-workload", "-p", "region", "历城区"], "no region named '历城区' in the graph; did you mean 历下区?"),
])
def test_a_name_that_names_nothing_is_an_error_with_the_closest_names(seeds, args, message):
    r = run(*args, "--graph", seeds)
    if message is None:
        assert r.exit_code == 0 and r.output and "长清区" in r.output
    else:
        assert r.exit_code == 1 and f"Error: {message}" in r.output


def test_a_generic_unit_name_selects_the_unit_of_that_function_in_every_district(seeds):
    rows = json.loads(run("ledger", "--graph", seeds, "--unit", "区发展改革局", "--format", "json").stdout)
    by_region = {}
    for r in rows:
        by_region[r["region"]] = by_region.get(r["region"], 0) + 1
    assert set(by_region) == {"历下区", "槐荫区", "长清区"}
    assert all("区发展改革局" in r["lead_units"] + r["assist_units"] for r in rows)
