"""The build cache (kg.cache, kg.shards): a part altered in place is not reused, nothing in it
runs code when read, an edit that keeps a file's size and modification time is seen, and what
a killed build left is removed by the next."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPORTS
from kg.build import build_shards
from kg.cli import main
from kg.outputs import shard_outputs, write_chunks

LIXIA = "lixia-2025-decomposition.txt"


class Payload:
    """A pickle that creates a file when it is loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def build(src: Path, cache: Path, out: Path):
    built = build_shards([src], part_dir=cache, workers=1)
    for path, chunks in shard_outputs(built, out).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_chunks(f, chunks)
    return built


@pytest.fixture
def seeds(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(REPORTS, src)
    return src


def test_a_part_altered_without_changing_its_size_is_rendered_again(seeds, tmp_path):
    first = build(seeds, tmp_path / "cache", tmp_path / "a")
    part = first.part_dir / first.shards[0].key / "part.ttl"
    text = part.read_bytes()
    assert "区发展改革局".encode() in text
    part.write_bytes(text.replace("区发展改革局".encode(), "区发展改单局".encode()))   # same length
    assert part.stat().st_size == len(text)
    again = build(seeds, tmp_path / "cache", tmp_path / "b")
    assert again.stats["rendered"] == 1
    assert (tmp_path / "b" / "graph.ttl").read_bytes() == (tmp_path / "a" / "graph.ttl").read_bytes()


def test_a_part_untouched_since_it_was_written_is_not_read_again_and_a_touched_one_is(seeds, tmp_path,
                                                                                      monkeypatch):
    from kg import cache

    first = build(seeds, tmp_path / "cache", tmp_path / "a")
    hashed = []
    sha256 = cache._sha256
    monkeypatch.setattr(cache, "_sha256", lambda path: (hashed.append(path.name), sha256(path))[1])
    again = build(seeds, tmp_path / "cache", tmp_path / "b")
    assert again.stats["reused"] == len(first.shards) and hashed == []
    part = first.part_dir / first.shards[0].key / "nodes.json"
    part.write_bytes(part.read_bytes())                       # written again, the same bytes
    third = build(seeds, tmp_path / "cache", tmp_path / "c")
    assert hashed == ["nodes.json"] and third.stats["reused"] == len(first.shards)


def test_the_shards_meta_is_json_and_no_pickle_stays_in_the_cache(seeds, tmp_path):
    built = build(seeds, tmp_path / "cache", tmp_path / "out")
    meta = json.loads((built.part_dir / built.shards[0].key / "meta.json").read_text(encoding="utf-8"))
    assert set(meta["hashes"]) == {"edges.json", "nodes.json", "part.ttl"}
    assert list((tmp_path / "cache").rglob("*.pickle")) == []


def test_a_pickle_planted_in_a_shard_is_never_loaded(seeds, tmp_path):
    first = build(seeds, tmp_path / "cache", tmp_path / "a")
    marker = tmp_path / "ran"
    for shard in first.shards:
        (first.part_dir / shard.key / "meta.pickle").write_bytes(pickle.dumps(Payload(marker)))
    again = build(seeds, tmp_path / "cache", tmp_path / "b")
    assert again.stats["reused"] == len(first.shards) and not marker.exists()


def test_only_a_pickle_of_this_users_that_no_one_else_may_write_is_loaded(tmp_path):
    from kg.cache import load_own_pickle

    marker = tmp_path / "ran"
    path = tmp_path / "entry.pickle"
    path.write_bytes(pickle.dumps(Payload(marker)))
    path.chmod(0o666)                                       # others may write it
    assert load_own_pickle(path) is None and not marker.exists()
    path.chmod(0o600)
    if os.getuid() == 0:                                    # root can give it to someone else
        os.chown(path, 54321, -1)
        assert load_own_pickle(path) is None and not marker.exists()
        os.chown(path, 0, -1)
    load_own_pickle(path)
    assert marker.exists()                                  # the check is what stopped it


def test_an_edit_of_the_same_size_with_its_time_put_back_is_built(seeds, tmp_path):
    doc = seeds / LIXIA
    long_ago = (10**18, 10**18)
    os.utime(doc, ns=long_ago)                              # settled: its size and times are recorded
    build(seeds, tmp_path / "cache", tmp_path / "a")
    text = doc.read_text(encoding="utf-8")
    assert "地区生产总值增长5.6%" in text
    doc.write_text(text.replace("地区生产总值增长5.6%", "地区生产总值增长5.9%"), encoding="utf-8")
    os.utime(doc, ns=long_ago)
    build(seeds, tmp_path / "cache", tmp_path / "b")
    assert "5.9" in (tmp_path / "b" / "graph.json").read_text(encoding="utf-8")


def test_what_a_killed_build_left_is_removed_by_the_next_and_a_running_ones_kept(seeds, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build(seeds, cache, out)
    base = first.part_dir.parent
    left = [out / ".graph.ttl.k1ll3d", out / ".graph.json.k1ll3d"]
    for p in left:
        p.write_bytes(b"@prefix half written")
    (base / ".read-k1ll3d").mkdir()
    (base / ".read-k1ll3d" / "doc.pickle").write_bytes(b"x")
    (first.part_dir / ".somekey.k1ll3d").mkdir()
    running = out / ".graph.html.running"
    with running.open("wb") as f:                           # held locked, as a running build does
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        r = CliRunner().invoke(main, ["build", str(seeds), "-o", str(out), "--cache", str(cache)])
        assert r.exit_code == 0, r.output
    assert not any(p.exists() for p in left)
    assert not (base / ".read-k1ll3d").exists() and not (first.part_dir / ".somekey.k1ll3d").exists()
    assert running.exists()


def test_the_temporary_outputs_of_a_build_killed_while_writing_are_removed(seeds, tmp_path):
    out = tmp_path / "out"
    script = ("import sys, time\nfrom pathlib import Path\nfrom kg.cli import _write_atomically\n"
              "def slow():\n    yield b'@prefix x: <urn:x:> .\\n'\n    print('writing', flush=True)\n"
              "    time.sleep(60)\n    yield b''\n"
              "_write_atomically({Path(sys.argv[1]) / 'graph.ttl': slow(), Path(sys.argv[1]) / 'graph.json': [b'{}']})\n")
    writer = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"
    time.sleep(0.2)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    left = sorted(p.name[: p.name.rindex(".")] for p in out.iterdir())
    assert left == [".graph.json", ".graph.ttl"]
    r = CliRunner().invoke(main, ["build", str(seeds), "-o", str(out), "--no-cache"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.json", "graph.parts.tsv", "graph.ttl"]
