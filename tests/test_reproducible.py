"""Two clean builds of the same commit give identical HTML trees and PDFs with identical text.

Each build gets its own empty jupyter cache and output folder, so every chapter
is executed afresh. The only bytes allowed to differ are named here with why.
"""

import filecmp
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT

pytestmark = pytest.mark.repro
JB = str(Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin" / "jupyter-book")

#: Files that cannot be byte-identical, and why.
EXPECTED_DRIFT = {
    "book/environment.html": "the status page reports each chapter's execution time and wall-clock start, "
                             "which change from run to run by design",
    "searchindex.js": "the search index includes the words of the status page, i.e. those execution times",
}
TIMING_CELL = re.compile(r"<td><p>(\d{4}-\d\d-\d\d \d\d:\d\d|\d+(\.\d+)?)</p></td>")


def _build(root: Path, builder: str = "html") -> Path:
    root.mkdir(parents=True)
    config = (PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8")
    config = config.replace("  cache: _build/.jupyter_cache", f"  cache: {root / 'cache'}")
    (root / "_config.yml").write_text(config, encoding="utf-8")
    env = os.environ | {"PYTHONHASHSEED": "0"}
    env.setdefault("SOURCE_DATE_EPOCH", subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=PROJECT_ROOT,
                                                       capture_output=True, text=True).stdout.strip() or "0")
    subprocess.run([JB, "build", ".", "--builder", builder, "-W", "-n", "--keep-going", "--config",
                    str(root / "_config.yml"), "--path-output", str(root)], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True)
    return root / "_build"


def _differing(a: Path, b: Path) -> list[str]:
    out = []
    for path in sorted(p for p in a.rglob("*") if p.is_file()):
        rel = path.relative_to(a).as_posix()
        other = b / rel
        if not other.is_file() or not filecmp.cmp(path, other, shallow=False):
            out.append(rel)
    out += [p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file() and not (a / p.relative_to(b)).exists()]
    return out


def test_two_clean_html_builds_are_identical(tmp_path):
    first = _build(tmp_path / "one") / "html"
    second = _build(tmp_path / "two") / "html"
    differing = _differing(first, second)
    unexplained = [f for f in differing if f not in EXPECTED_DRIFT]
    assert unexplained == [], f"files differ between two clean builds: {unexplained}"
    # The status page differs only inside its execution table.
    page = "book/environment.html"
    strip = lambda p: TIMING_CELL.sub("", (p / page).read_text(encoding="utf-8"))
    assert strip(first) == strip(second)


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="no TeX Live here: make pdf installs it as root")
def test_two_clean_pdfs_have_identical_text(tmp_path):
    texts = []
    for name in ("one", "two"):
        latex = _build(tmp_path / name, "pdflatex") / "latex"
        pdf = latex / "ips-chronic-pain-report.pdf"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        # drop the execution table of the status chapter (timings; see EXPECTED_DRIFT)
        texts.append(re.sub(r"Execution of the chapters.*?References", "", text, flags=re.S))
    assert texts[0] == texts[1]
