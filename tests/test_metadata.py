"""Document metadata read from the text: the five seed files without a manifest, and short headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.sources import load_manifest, read_document
from kg.sources import metadata as md
from kg.sources.normalize import normalize

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"

try:
    import kg.resolve.regions  # noqa: F401  (written by another engineer; may be missing)
    HAVE_REGIONS = True
except ImportError:
    HAVE_REGIONS = False


@pytest.fixture(autouse=True)
def _regions(monkeypatch):
    if not HAVE_REGIONS:
        monkeypatch.setattr(md, "detect_region", lambda text: None)


SEEDS = {
    "huaiyin-2025-progress-q1-q3.txt": dict(
        region="槐荫区", year=2025, kind="progress", period="2025年1-9月", date=None,
        title="2025年政府工作报告确定的重点任务推进情况（前三季度）", author=None, post=None),
    "huaiyin-2025-work-report.txt": dict(
        region="槐荫区", year=2025, kind="work-report", period=None, date="2025-01-08",
        title="政府工作报告", author="刘敬涛", post="区长"),
    "changqing-2025-division.txt": dict(
        region="长清区", year=2025, kind="division", period=None, date=None,
        title="2025年《政府工作报告》重点工作责任分工", author=None, post=None),
    "lixia-2025-decomposition.txt": dict(
        region="历下区", year=2025, kind="decomposition", period=None, date=None,
        title="2025年《济南市历下区政府工作报告》目标任务分解", author=None, post=None),
    "jinan-2025-work-report.txt": dict(
        region="济南市", year=2025, kind="work-report", period=None, date="2025-01-13",
        title="政府工作报告", author="于海田", post="市长"),
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_metadata_is_detected_without_the_manifest(name):
    meta = read_document(REPORTS / name).meta
    expected = dict(SEEDS[name])
    if not HAVE_REGIONS:
        expected["region"] = None
    got = {key: getattr(meta, key) for key in expected}
    assert got == expected
    assert all(source == "detected" for _field, source in meta.sources)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_the_seed_manifest_agrees_with_detection(name):
    entry = load_manifest(REPORTS)[name]
    detected = read_document(REPORTS / name).meta
    for key, value in entry.items():
        if key != "region" or HAVE_REGIONS:
            assert getattr(detected, key) == value, key


def _meta(text: str):
    return md.detect_meta(text, normalize(text).text)


def test_a_work_report_header_gives_date_speaker_and_kind():
    meta = _meta("政 府 工 作 报 告\n\n——2024年1月10日在某某市某某县第十届\n人民代表大会第二次会议上\n\n"
                 "某某县代县长  张 三\n\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n")
    assert (meta.title, meta.date, meta.year, meta.kind, meta.author, meta.post) == (
        "政府工作报告", "2024-01-10", 2024, "work-report", "张三", "代县长")


@pytest.mark.parametrize("title, kind, period", [
    ("2025年重点任务推进情况（上半年）", "progress", "2025年1-6月"),
    ("2025年重点任务进展情况（1—3月）", "progress", "2025年1-3月"),
    ("2024年政府工作报告重点任务完成情况（第四季度）", "progress", "2024年10-12月"),
    ("2025年政府工作报告任务分工方案", "division", None),
    ("2025年《政府工作报告》目标任务分解", "decomposition", None),
])
def test_title_keywords_give_kind_and_period(title, kind, period):
    meta = _meta(f"附件2\n{title}\n\n1.地区生产总值增长5%。\n")
    assert (meta.title, meta.kind, meta.period) == (title, kind, period)


def test_a_progress_table_header_gives_the_kind_and_cells_the_months():
    meta = _meta("重点任务清单\n\n\t序号\n\t主要任务\n\t推进情况\n\n\t1\n\t某任务\n\t1-6月份，完成。\n")
    assert (meta.title, meta.kind, meta.period, meta.year) == ("重点任务清单", "progress", "1-6月", None)


def test_a_text_opening_with_prose_has_no_title():
    meta = _meta("今年政府工作的总体要求是：坚持稳中求进。\n2025年地区生产总值增长5%。\n")
    assert (meta.title, meta.year, meta.kind) == (None, 2025, None)


def test_a_date_alone_under_the_title_is_the_date():
    assert _meta("2025年重点工作责任分工\n（2025年2月3日）\n\n1.任务。\n").date == "2025-02-03"
