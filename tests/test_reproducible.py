"""Two clean builds of one commit, from two copies of the source in different folders, are identical.

Each copy is a clone of this checkout's commit in its own folder (different
absolute paths), built from scratch as a user builds it (``python -m reportbuild
report``, with the same virtual environment). No file of the site, no byte of the
PDF may differ: no absolute path of the build machine may reach them or their
hashes (Sphinx's ``.buildinfo`` among them), and execution times, the one thing
that changes from run to run, are kept out of the pages.
"""

import difflib
import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT

pytestmark = pytest.mark.repro


def _differing(a: Path, b: Path) -> list[str]:
    out = []
    for path in sorted(p for p in a.rglob("*") if p.is_file()):
        rel = path.relative_to(a).as_posix()
        other = b / rel
        if not other.is_file() or not filecmp.cmp(path, other, shallow=False):
            out.append(rel)
    out += [p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file() and not (a / p.relative_to(b)).exists()]
    return out


def _text(path: Path) -> list[str]:
    """A file's text, to show how two copies differ: a PDF's through pdftotext, else its own."""
    if path.suffix == ".pdf":
        run = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
        return run.stdout.splitlines() if run.returncode == 0 else [f"(pdftotext failed: {run.stderr.strip()})"]
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def _how(a: Path, b: Path, names: list[str], limit: int = 40) -> str:
    """How the differing files differ: the first lines of a unified diff of each one's text (or, when
    the texts are equal, their sizes: the bytes differ elsewhere)."""
    out = []
    for name in names:
        if not (a / name).is_file() or not (b / name).is_file():
            out.append(f"{name}: only in {'the first' if (a / name).is_file() else 'the second'} build")
            continue
        diff = list(difflib.unified_diff(_text(a / name), _text(b / name), "first", "second", lineterm="", n=1))
        out.append(f"{name}:\n" + ("\n".join(diff[:limit]) if diff else
                                    f"  same text; {(a / name).stat().st_size} and {(b / name).stat().st_size} bytes"))
    return "\n".join(out)


def _clone_and_build(target: Path) -> Path:
    subprocess.run(["git", "-c", "advice.detachedHead=false", "clone", "--quiet", "--no-hardlinks", str(PROJECT_ROOT),
                    str(target)], check=True)
    (target / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPS_REPORT_")} | {"PYTHONPATH": str(target)}
    run = subprocess.run([sys.executable, "-m", "reportbuild", "report"], cwd=target, env=env, capture_output=True,
                         text=True, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    return target / "_build"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The commit built in two folders whose paths differ in length and name."""
    return [_clone_and_build(tmp_path_factory.mktemp("first") / "ips-report"),
            _clone_and_build(tmp_path_factory.mktemp("second-folder") / "a" / "copy")]


def test_two_sites_built_in_two_folders_are_identical(builds):
    first, second = (build / "html" for build in builds)
    assert len(list(first.rglob("*.html"))) >= 12 and (first / ".buildinfo").is_file()
    differing = _differing(first, second)
    assert differing == [], _how(first, second, differing)


def test_two_pdfs_built_in_two_folders_are_identical(builds):
    first, second = (sorted((build / "pdf").glob("*.pdf")) for build in builds)
    # the report and its supplement
    assert len(first) == 2 and [p.name for p in first] == [p.name for p in second]
    differing = [p.name for p in first if p.read_bytes() != (second[0].parent / p.name).read_bytes()]
    assert differing == [], _how(first[0].parent, second[0].parent, differing)


def test_no_path_of_the_machine_reaches_them(builds):
    for build in builds:
        root = str(build.parent).encode()
        leaked = [p.relative_to(build).as_posix() for p in [*(build / "html").rglob("*"), *(build / "pdf").glob("*")]
                  if p.is_file() and root in p.read_bytes()]
        assert leaked == []
