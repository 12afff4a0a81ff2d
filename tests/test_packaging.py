"""What pip installs is what we test: the built sdist and wheel, and the installed
package, hold every module, data and prompt file of the source tree, and nothing of
the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import zsextract

from .conftest import ROOT, installed_editable

BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "articles" / "qingshan_2024_h1.txt"


def source_files() -> list[str]:
    """The repository's files as committed (or, without git, as on disk)."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        return sorted(p for p in listed.split("\0") if p and (ROOT / p).is_file())
    skip = {".git", ".venv", "dist", "build", "__pycache__"}
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in ROOT.rglob("*")
        if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
    )


def expected_package_files() -> set[str]:
    """Every file under zsextract/, and prompts/ as zsextract/prompts/."""
    files = set()
    for path in source_files():
        if path.startswith("zsextract/"):
            files.add(path)
        elif path.startswith("prompts/"):
            files.add("zsextract/" + path)
    return files


def test_source_tree_is_what_the_package_expects() -> None:
    expected = expected_package_files()
    for must in (
        "zsextract/__init__.py",
        "zsextract/batch/__init__.py",
        "zsextract/py.typed",
        "zsextract/data/taxonomy.json",
        "zsextract/prompts/v1/system.md",
        "zsextract/prompts/v1/examples/01.json",
    ):
        assert must in expected


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sdist and the wheel built from a copy of the committed tree (the wheel is
    built from the sdist, as `python -m build` does). --no-isolation: no download; the
    build requirements come with the test extras."""
    tree = tmp_path_factory.mktemp("tree")
    for path in source_files():
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, tree / path)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(tree)],
        capture_output=True,
        text=True,
        cwd=tree,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (sdist,) = out.glob("zsextract-*.tar.gz")
    (wheel,) = out.glob("zsextract-*.whl")
    return sdist, wheel


def test_twine_accepts_the_artifacts(built: tuple[Path, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, built)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_wheel_holds_exactly_the_package(built: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(built[1]) as wheel:
        names = {n for n in wheel.namelist() if ".dist-info/" not in n}
        metadata_text = wheel.read(
            next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        ).decode("utf-8")
    expected = expected_package_files()
    assert not expected - names, f"missing from the wheel: {sorted(expected - names)}"
    assert not names - expected, f"in the wheel but not in the source: {sorted(names - expected)}"
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n]
    assert f"Version: {zsextract.__version__}" in metadata_text


def test_sdist_builds_the_wheel_and_leaves_the_tests_out(built: tuple[Path, Path]) -> None:
    with tarfile.open(built[0]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for must in ("pyproject.toml", "setup.py", "README.md", "LICENSE", "prompts/v1/task.md"):
        assert must in names
    assert not [n for n in names if n.startswith("tests/")]


def test_installed_package_matches_the_source_tree() -> None:
    if installed_editable():
        pytest.skip("editable install: it reads the source tree (CI installs the wheel)")
    installed = {
        f.as_posix()
        for f in metadata.files("zsextract") or []
        if f.as_posix().startswith("zsextract/") and "__pycache__" not in f.parts
    }
    expected = expected_package_files()
    assert not expected - installed, f"not installed: {sorted(expected - installed)}"
    assert Path(zsextract.__file__).resolve().parent != (ROOT / "zsextract").resolve()


def test_one_version_source() -> None:
    assert zsextract.__version__ == metadata.version("zsextract")
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert 'attr = "zsextract.version.__version__"' in pyproject
    done = subprocess.run([BIN / "zsextract", "--version"], capture_output=True, text=True)
    assert done.stdout.strip() == f"zsextract {zsextract.__version__}"


def test_installed_commands_work_outside_the_source_tree(tmp_path: Path) -> None:
    """The issue's done-when, from a folder where the source package is not importable."""
    done = subprocess.run(
        [BIN / "zsextract", "extract", str(EXAMPLE), "--format", "gold"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "到位资金" in done.stdout
    script = (
        "import pathlib, zsextract\n"
        "r = zsextract.extract('1至7月，全市新签项目157个，到位资金484.5亿元。')\n"
        "assert [m.name for m in r.metrics] == ['新签项目', '到位资金'], r.metrics\n"
        "p = zsextract.load_prompts()\n"
        "assert p.version == 'v2' and p.examples and p.messages, p.label\n"
        "assert zsextract.load_prompts('v1').messages, 'v1'\n"
        "print(pathlib.Path(zsextract.__file__).parent)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    if not installed_editable():
        assert Path(done.stdout.strip()) != ROOT / "zsextract"
