"""Values a user gives (the manifest, the options) that cannot be are errors naming the file and
the field; values that can be but look wrong are warnings."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import REPORTS
from kg.build import build_graph
from kg.cli import main
from kg.errors import SourceError
from kg.sources.manifest import check_override, load_manifest

PROGRESS = REPORTS / "huaiyin-2025-progress-q1-q3.txt"


def _folder(tmp_path, entry: str):
    shutil.copy(PROGRESS, tmp_path / PROGRESS.name)
    (tmp_path / "manifest.toml").write_text(f'[[document]]\nfile = "{PROGRESS.name}"\n{entry}\n',
                                            encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("entry, message", [
    ('region = "火星区"', "region '火星区' is not in the national list of administrative divisions "
                         "(with data/regions-extra.tsv); did you mean 红星区 or 娄星区 or 七星区? "
                         "Write the full name, such as 槐荫区 or 济南市"),
    ('region = "槐荫"', "region '槐荫' is not in the national list of administrative divisions "
                       "(with data/regions-extra.tsv); did you mean 槐荫区? Write the full name, such as "
                       "槐荫区 or 济南市"),
    ('period = "2025年13-99月"', "period '2025年13-99月': months are 1 to 12, got 13-99"),
    ('period = "2025年9-3月"', "period '2025年9-3月': the first month comes after the last (9-3)"),
    ('period = "3025年1-9月"', "period '3025年1-9月': the year must be 1949–2100, got 3025"),
    ('period = "soon"', "period must be months such as 2025年1-9月 or 1-6月, or a period word of "
                       "data/periods.tsv (前三季度, 上半年 …), got 'soon'"),
])
def test_a_manifest_value_that_cannot_be_is_an_error_naming_the_entry_and_field(tmp_path, entry, message):
    folder = _folder(tmp_path, entry)
    with pytest.raises(SourceError) as e:
        load_manifest(folder)
    assert str(e.value) == f"{folder / 'manifest.toml'}: [[document]] #1 (file = '{PROGRESS.name}'): {message}"


@pytest.mark.parametrize("key, value", [("region", "槐荫区"), ("region", "市中区"), ("period", "2025年1-9月"),
                                        ("period", "1-6月份"), ("period", "2025年前三季度"), ("period", "9月")])
def test_values_that_can_be_are_kept(key, value):
    assert check_override(key, value) == value


def test_kg_build_with_such_a_manifest_lists_the_failure_and_exits_nonzero(tmp_path):
    folder = _folder(tmp_path, 'region = "火星区"')
    r = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out"), "--no-cache"])
    assert r.exit_code == 1
    assert f"{folder / 'manifest.toml'}: [[document]] #1 (file = '{PROGRESS.name}'): region '火星区'" in r.output
    assert not (tmp_path / "out").exists()


def test_an_option_that_cannot_be_is_an_error_naming_the_file_and_option(tmp_path):
    r = CliRunner().invoke(main, ["build", str(PROGRESS), "--period", "2025年13-99月", "-o", str(tmp_path / "out"),
                                  "--no-cache"])
    assert r.exit_code == 1
    assert f"{PROGRESS}: option override: period '2025年13-99月': months are 1 to 12, got 13-99" in r.output


def test_a_period_of_another_year_is_a_warning(tmp_path):
    result = build_graph([PROGRESS], {"region": "槐荫区", "year": 2025, "period": "2024年1-9月"})
    assert [p.message for p in result.problems if p.line == 1 and "period" in p.message] == [
        "period 2024年1-9月 is not of the document's year 2025: check --period, --year or the manifest"]


def test_a_detected_period_that_cannot_be_is_a_warning(tmp_path):
    text = PROGRESS.read_text(encoding="utf-8")
    assert "（前三季度）" in text
    (tmp_path / "p.txt").write_text(text.replace("（前三季度）", "（1-13月）", 1), encoding="utf-8")
    result = build_graph([tmp_path / "p.txt"], {"region": "槐荫区", "year": 2025})
    assert result.extractions[0].document.meta.period == "2025年1-13月"
    assert [p.message for p in result.problems if p.line == 1 and "period" in p.message] == [
        "period '2025年1-13月': months are 1 to 12, got 1-13: target statuses will be unknown"]
