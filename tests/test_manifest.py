"""The manifest: loading, validation with messages naming the entry, and overrides in documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import SourceError
from kg.sources import read_directory, read_document
from kg.sources.manifest import load_manifest

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"



@pytest.fixture(autouse=True)
def _regions(monkeypatch):
    try:
        import kg.resolve.regions  # noqa: F401  (written by another engineer; may be missing)
    except ImportError:
        monkeypatch.setattr("kg.sources.metadata.detect_region", lambda text: None)


TEXT = "附件1\n2025年重点任务推进情况（上半年）\n\n\t序号\n\t推进情况\n\n\t1\n\t1-6月份，完成。\n"


def _folder(tmp_path, manifest: str) -> Path:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(manifest, encoding="utf-8")
    return tmp_path


def test_no_manifest_means_no_overrides(tmp_path):
    assert load_manifest(tmp_path) == {}


def test_entries_map_file_names_to_checked_overrides(tmp_path):
    folder = _folder(tmp_path, '[[document]]\nfile = "a.txt"\nregion = "槐荫区"\nyear = "2024"\n'
                               'date = 2025-01-08\nnote = "why"\nid = "hy-q2"\n')
    assert load_manifest(folder) == {"a.txt": {"region": "槐荫区", "year": 2024,
                                               "date": "2025-01-08", "id": "hy-q2"}}


@pytest.mark.parametrize("body, message", [
    ('[[document]]\nfile = "a.txt"\nkind = "report"\n',
     "[[document]] #1 (file = 'a.txt'): kind must be one of work-report, division, "
     "decomposition, progress, got 'report'"),
    ('[[document]]\nfile = "a.txt"\nregoin = "槐荫区"\n',
     "[[document]] #1 (file = 'a.txt'): unknown key 'regoin'; known keys: file, note, region, "
     "year, kind, title, period, date, author, post, id"),
    ('[[document]]\nfile = "a.txt"\n[[document]]\nfile = "b.txt"\n',
     "[[document]] #2 (file = 'b.txt'): no such file in {dir}"),
    ('[[document]]\nregion = "槐荫区"\n', '[[document]] #1: needs file = "NAME" naming a document'),
    ('[[document]]\nfile = "a.txt"\nyear = 25.0\n',
     "[[document]] #1 (file = 'a.txt'): year must be a number such as 2025, got 25.0"),
    ('[[document]]\nfile = "a.txt"\ndate = "2025年1月8日"\n',
     "[[document]] #1 (file = 'a.txt'): date must be an ISO date such as 2025-01-13, "
     "got '2025年1月8日'"),
    ('[[document]]\nfile = "a.txt"\n[[document]]\nfile = "a.txt"\n',
     "[[document]] #2 (file = 'a.txt'): the file has another entry above"),
    ('[[documents]]\nfile = "a.txt"\n',
     "unknown top-level key 'documents'; write each document as a [[document]] table"),
])
def test_invalid_entries_are_named_in_the_error(tmp_path, body, message):
    folder = _folder(tmp_path, body)
    with pytest.raises(SourceError) as e:
        load_manifest(folder)
    assert str(e.value) == f"{folder / 'manifest.toml'}: " + message.format(dir=folder)


def test_toml_syntax_errors_say_where(tmp_path):
    folder = _folder(tmp_path, '[[document]]\nfile = "a.txt\n')
    with pytest.raises(SourceError) as e:
        load_manifest(folder)
    assert str(e.value).startswith(f"{folder / 'manifest.toml'}: not valid TOML: ")
    assert "line 2" in str(e.value)


def test_overrides_win_and_sources_say_where_each_field_came_from(tmp_path):
    folder = _folder(tmp_path, '[[document]]\nfile = "a.txt"\nregion = "槐荫区"\nyear = 2024\n'
                               'id = "hy"\n')
    (doc,) = read_directory(folder, root=folder)
    assert (doc.id, doc.path) == ("hy", "a.txt")
    assert (doc.meta.region, doc.meta.year, doc.meta.kind, doc.meta.period) == (
        "槐荫区", 2024, "progress", "2024年1-6月")
    assert doc.meta.sources == (("region", "manifest"), ("year", "manifest"),
                                ("kind", "detected"), ("title", "detected"),
                                ("period", "detected"))


def test_options_override_the_manifest(tmp_path):
    path = _folder(tmp_path, "") / "a.txt"
    doc = read_document(path, overrides={"kind": "division", "year": 2025},
                        options={"year": "2026"})
    assert (doc.meta.kind, doc.meta.year, doc.meta.period) == ("division", 2026, None)
    assert dict(doc.meta.sources)["year"] == "option"
    assert dict(doc.meta.sources)["kind"] == "manifest"


def test_a_bad_option_names_the_document(tmp_path):
    path = _folder(tmp_path, "") / "a.txt"
    with pytest.raises(SourceError) as e:
        read_document(path, options={"kind": "plan"})
    assert str(e.value) == (f"{path}: option override: kind must be one of work-report, "
                            "division, decomposition, progress, got 'plan'")


def test_the_seed_manifest_loads_and_covers_the_five_documents():
    manifest = load_manifest(REPORTS)
    assert sorted(manifest) == sorted(p.name for p in REPORTS.glob("*.txt"))
    assert all({"region", "year", "kind"} <= set(entry) for entry in manifest.values())
