"""Two clean builds of the same commit give identical HTML trees and PDFs with identical text.

Each build gets its own empty jupyter cache and output folder, so every chapter
is executed afresh. No file is allowed to differ: execution times, the one
thing that changes from run to run, are kept out of the pages (build log and
executions.json instead).
"""

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from analysis.paths import PROJECT_ROOT

pytestmark = pytest.mark.repro
JB = str(Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin" / "jupyter-book")


def _tex_sandbox() -> dict[str, str]:
    """The TeX settings tools/build-pdf.sh builds the PDF with."""
    script = f'. "{PROJECT_ROOT / "tools" / "common.sh"}"; tex_sandbox; echo "$shell_escape $openin_any $openout_any"'
    values = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout.split()
    return dict(zip(["shell_escape", "openin_any", "openout_any"], values))


def _build(root: Path, builder: str = "html") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["cache"] = str(root / "cache")
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    env = os.environ | {"PYTHONHASHSEED": "0"}
    env.setdefault("SOURCE_DATE_EPOCH", subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=PROJECT_ROOT,
                                                       capture_output=True, text=True).stdout.strip() or "0")
    if builder == "pdflatex":
        env |= _tex_sandbox()
    run = subprocess.run([JB, "build", ".", "--builder", builder, "-W", "-n", "--keep-going", "--config",
                          str(root / "_config.yml"), "--path-output", str(root)], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
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


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Two clean builds, each with its own empty cache: the HTML, then the PDF from the same cache
    (as `make report` does; the chapters are executed once per build)."""
    roots = [tmp_path_factory.mktemp("build") / name for name in ("one", "two")]
    for root in roots:
        _build(root)
        if shutil.which("xelatex"):
            _build(root, "pdflatex")
    return [root / "_build" for root in roots]


def test_two_clean_html_builds_are_identical(builds):
    first, second = (build / "html" for build in builds)
    assert len(list(first.rglob("*.html"))) >= 12
    assert _differing(first, second) == []


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="no TeX Live here: make pdf installs it as root")
def test_two_clean_pdfs_have_identical_text(builds):
    texts = [subprocess.run(["pdftotext", "-layout", str(build / "latex" / "ips-chronic-pain-report.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout for build in builds]
    assert "Environment and status" in texts[0]
    assert texts[0] == texts[1]
