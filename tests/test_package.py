"""The wheel carries data/, queries/ and ontology/: installed outside the checkout, govkg builds
a seed document and answers a canned query."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from the checkout, installed into a folder of its own."""
    work = tmp_path_factory.mktemp("package")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(work)],
                           capture_output=True, text=True, timeout=600)
    if built.returncode:
        pytest.fail(f"the wheel could not be built:\n{built.stdout}\n{built.stderr}")
    (wheel,) = work.glob("govkg-*.whl")
    site = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return work, site


def kg(installed, *args, cwd):
    """`kg ARGS` with the installed package and the test environment's dependencies, no site
    folder (so not the checkout's editable install), from a folder outside the checkout."""
    _work, site = installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]])}
    code = "import sys; from kg.cli import main; sys.argv[0] = 'kg'; main()"
    return subprocess.run([sys.executable, "-S", "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_every_package_of_the_tree_is_in_the_wheel():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    tree = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kg").rglob("__init__.py")}
    assert tree <= listed, f"add to pyproject.toml's packages: {sorted(tree - listed)}"


def test_an_installed_wheel_builds_a_seed_and_answers_a_query(installed, tmp_path):
    work, site = installed
    assert (site / "kg" / "_data" / "roles.tsv").is_file() and (site / "kg" / "_ontology" / "shapes.ttl").is_file()
    assert (site / "kg" / "_ontology" / "context.jsonld").is_file()
    assert not (site / "kg" / "_data" / "reports").exists()          # the seed documents stay out
    seed = tmp_path / "lixia-2025-decomposition.txt"
    seed.write_bytes((ROOT / "data" / "reports" / "lixia-2025-decomposition.txt").read_bytes())
    where = kg(installed, "--help", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    built = kg(installed, "build", str(seed), "-o", str(tmp_path / "out"), "--region", "历下区", "--year", "2025",
               "--no-cache", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "lixia-2025-decomposition.txt" in built.stdout and "79" in built.stdout
    ledger = kg(installed, "ledger", "--graph", str(tmp_path / "out"), "--format", "csv", "-o",
                str(tmp_path / "ledger.csv"), cwd=tmp_path)
    assert ledger.returncode == 0 and (tmp_path / "ledger.csv").read_bytes().startswith(b"\xef\xbb\xbf"), ledger.stderr
    listed = kg(installed, "query", "--list", "--graph", str(tmp_path / "out"), cwd=tmp_path)
    assert listed.returncode == 0 and "tasks-led-by" in listed.stdout, listed.stdout + listed.stderr
    answer = kg(installed, "query", "tasks-led-by", "--graph", str(tmp_path / "out"), "-p", "unit", "区财政局",
                "--format", "json", cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.count('"task"') >= 1 or "区财政局" in answer.stdout
    exported = kg(installed, "export", "--graph", str(tmp_path / "out"), "--format", "jsonld", "-o",
                  str(tmp_path / "g.jsonld"), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "leadUnit" in (tmp_path / "g.jsonld").read_text(encoding="utf-8")
    probe = subprocess.run([sys.executable, "-S", "-c", "import kg, kg.resources as r; print(kg.__file__); "
                            "print(r.folder('data'))"], cwd=tmp_path, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]])})
    assert probe.stdout.splitlines() == [str(site / "kg" / "__init__.py"), str(site / "kg" / "_data")]
