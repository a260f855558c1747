"""The build scripts' shared preamble (tools/common.sh): the font check, TeX's sandbox,
the input stamp, each data directory's build folder, and the build lock."""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT

COMMON = PROJECT_ROOT / "tools" / "common.sh"
#: The environment without the data directory that `make` exports, so each test says which it uses.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("IPS_REPORT_DATA", "IPS_REPORT_PDF_DIR")}
needs_tex = pytest.mark.skipif(not (shutil.which("xelatex") and shutil.which("pdftotext")),
                               reason="no TeX Live or poppler-utils here: make test installs them as root, else names them")


def bash(script: str, cwd: Path | None = None, common: Path = COMMON, **kwargs) -> subprocess.CompletedProcess:
    """Run a bash script after sourcing common.sh, as the build scripts do (from the root of the
    project that common.sh belongs to, or from ``cwd``)."""
    move = f'cd "{cwd}"; ' if cwd else ""
    kwargs.setdefault("env", CLEAN_ENV)
    return subprocess.run(["bash", "-c", f'set -euo pipefail; . "{common}"; {move}{script}'],
                          capture_output=True, text=True, **kwargs)


@needs_tex
@pytest.mark.parametrize("name, source", [
    ("absolute", r"\input{/etc/hostname}"),
    ("parent", r"\input{../outside.tex}"),
    ("dotfile", r"\input{.hidden.tex}"),
])
def test_tex_reads_no_file_outside_its_folder(tmp_path, name, source):
    (tmp_path / "outside.tex").write_text("OUTSIDE-SECRET")
    work = tmp_path / "work"
    work.mkdir()
    (work / ".hidden.tex").write_text("HIDDEN-SECRET")
    (work / "doc.tex").write_text("\\documentclass{article}\\begin{document}\nX" + source + "Y\n\\end{document}\n")
    run = bash("tex_sandbox; xelatex -interaction=nonstopmode -halt-on-error doc.tex", cwd=work,
               stdin=subprocess.DEVNULL, timeout=120)
    log = (work / "doc.log").read_text(errors="replace")
    assert run.returncode != 0, "TeX read a file it must not read"
    assert "SECRET" not in log and not (work / "doc.pdf").exists()
    hostname = Path("/etc/hostname").read_text().strip()
    assert name != "absolute" or hostname not in log.replace("/etc/hostname", "")


@needs_tex
def test_tex_runs_no_shell_command_and_still_reads_its_own_files(tmp_path):
    (tmp_path / "chapter.tex").write_text("INSIDE")
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\\begin{document}\n"
                                      "\\immediate\\write18{touch escaped}\\input{chapter}\n\\end{document}\n")
    run = bash("tex_sandbox; xelatex -interaction=nonstopmode -halt-on-error doc.tex", cwd=tmp_path,
               stdin=subprocess.DEVNULL, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert not (tmp_path / "escaped").exists()
    assert "INSIDE" in subprocess.run(["pdftotext", "doc.pdf", "-"], cwd=tmp_path, capture_output=True,
                                      text=True).stdout


def test_each_data_directory_has_its_own_build_folder(tmp_path):
    a, b = tmp_path / "a" / "data", tmp_path / "b" / "data"
    script = ('for d in data _build/synthetic/data "$1" "$2"; do build_dir_for "$(realpath -m "$d")"; done')
    run = subprocess.run(["bash", "-c", f'. "{COMMON}"; {script}', "_", str(a), str(b)], capture_output=True,
                         text=True, check=True, env=CLEAN_ENV)
    default, synthetic, first, second = run.stdout.split()
    assert (default, synthetic) == ("_build", "_build/synthetic")
    assert first.startswith("_build/data-data-") and second.startswith("_build/data-data-") and first != second


def test_the_site_offers_the_pdf_of_its_own_data():
    run = subprocess.run(["bash", "-c", f'IPS_REPORT_DATA=_build/synthetic/data; . "{COMMON}"; '
                                        'echo "$site $IPS_REPORT_PDF_DIR"'], capture_output=True, text=True,
                         check=True, env=CLEAN_ENV)
    site, pdf_dir = run.stdout.split()
    assert site == "_build/synthetic/html"
    assert pdf_dir == str(PROJECT_ROOT.resolve() / "_build" / "synthetic" / "pdf")


@pytest.fixture
def project(tmp_path):
    """A copy of the build's inputs with the scripts, using the project's .venv."""
    root = tmp_path / "project"
    for name in ["tools", "analysis", "reportbuild", "data", "_config.yml", "_toc.yml", "pyproject.toml", "requirements.txt"]:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    (root / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    return root


def _stamp(project: Path) -> str:
    """The inputs' hashes (reportbuild.inputs) as the project copy computes them."""
    code = "import json; from reportbuild.inputs import hashes; from analysis.paths import data_dir; print(json.dumps(hashes(data_dir())))"
    env = CLEAN_ENV | {"IPS_REPORT_DATA": str(project / "data")}
    return subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-c", code], cwd=project, env=env,
                          capture_output=True, text=True, check=True).stdout.strip()


INPUTS = ["requirements.txt", "_config.yml", "_toc.yml", "pyproject.toml", "analysis/report.mplstyle",
          "analysis/clinical.py", "data/clinical.csv", "data/datapackage.json", "data/references.bib",
          "data/README.md", "tools/build-html.sh", "reportbuild/sphinx_render.py"]


@pytest.mark.parametrize("name", INPUTS)
def test_the_input_stamp_covers(project, name):
    before = _stamp(project)
    with (project / name).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert _stamp(project) != before


def test_the_input_stamp_ignores_bytecode(project):
    before = _stamp(project)
    (project / "analysis" / "__pycache__").mkdir(exist_ok=True)
    (project / "analysis" / "__pycache__" / "clinical.cpython-311.pyc").write_bytes(b"\0")
    assert _stamp(project) == before


def test_the_no_op_fingerprint_follows_the_version_stamp(project):
    """make html and make pdf do nothing only when the pages would be the same, stamp included:
    a new commit or a work tree that now differs from it (reportbuild/version.py) is a change."""
    common = project / "tools" / "common.sh"
    env = CLEAN_ENV | {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
                       "GIT_COMMITTER_EMAIL": "a@b"}
    env.pop("SOURCE_DATE_EPOCH", None)

    def fingerprint(extra=""):
        return bash(f"everything_hash {extra}", common=common, env=env).stdout.strip()

    subprocess.run("git init -q && git add -A && git commit -q -m one", shell=True, cwd=project, env=env, check=True)
    committed = fingerprint()
    assert fingerprint() == committed and fingerprint("'pdf: x'") != committed
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "two"], cwd=project, env=env, check=True)
    assert fingerprint() != committed  # same files, another commit
    second = fingerprint()
    path = project / "_toc.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = fingerprint()
    subprocess.run(["git", "commit", "-q", "-am", "three"], cwd=project, env=env, check=True)
    assert len({second, changed, fingerprint()}) == 3  # the same files, once "+changes", once committed
    assert bash("everything_hash", common=common, env=env | {"SOURCE_DATE_EPOCH": "1"}).stdout.strip() != fingerprint()


def test_a_second_build_waits_for_the_first(project):
    common = project / "tools" / "common.sh"
    first = subprocess.Popen(["bash", "-c", f'. "{common}"; lock_build; echo locked; sleep 2; echo first done'],
                             stdout=subprocess.PIPE, text=True, env=CLEAN_ENV)
    assert first.stdout.readline().strip() == "locked"
    started = time.monotonic()
    second = bash("lock_build; echo second done", common=common)
    assert time.monotonic() - started > 1.5
    assert "waiting for another build" in second.stdout and "second done" in second.stdout
    assert first.wait(10) == 0


NOTEBOOK_PAGE = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# A page

{body}

```{{code-cell}} ipython3
{code}
```
"""


def _book(project: Path, body: str = "Text.", code: str = "print(6 * 7)") -> Path:
    """The project copy with a one-page book: a MyST notebook with one code cell."""
    shutil.copytree(PROJECT_ROOT / "book" / "_static", project / "book" / "_static")
    (project / "book" / "index.md").write_text(NOTEBOOK_PAGE.format(body=body, code=code), encoding="utf-8")
    (project / "_toc.yml").write_text("format: jb-book\nroot: book/index\n", encoding="utf-8")
    return project


def _build_html(project: Path) -> subprocess.CompletedProcess:
    env = CLEAN_ENV | {"IPS_REPORT_DATA": str(project / "data")}
    return subprocess.run(["bash", str(project / "tools" / "build-html.sh")], cwd=project, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)


@pytest.mark.slow
def test_a_build_prints_its_stages_and_executions_and_logs_the_rest(project):
    run = _build_html(_book(project))
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    log = project / "_build" / "logs" / "html.log"
    lines = out.strip().splitlines()
    assert len(lines) <= 8, out
    assert re.search(r"^  executed book/index\.md in \d+\.\d s$", out, re.M), out
    assert lines[-1] == f"HTML: {project}/_build/html/index.html"
    text = log.read_text(encoding="utf-8")
    assert "Running Sphinx" in text and "build succeeded" in text and "\x1b[" not in text
    # the chapters' kernels run over encrypted sockets: ipykernel has nothing to warn about
    assert "Executed notebook" in text and "without encryption" not in text


@pytest.mark.slow
@pytest.mark.parametrize("body, code, error", [
    ("See {ref}`no-such-label`.", "print(6 * 7)", "undefined label: 'no-such-label'"),
    ("Text.", "1 / 0", "ZeroDivisionError: division by zero"),
])
def test_a_failed_build_prints_the_error_and_where_the_log_is(project, body, code, error):
    site = project / "_build" / "html"
    run = _build_html(_book(project, body, code))
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert error in out, out
    log = project / "_build" / "logs" / "html.log"
    assert f"the full log is {log}" in out
    assert error in log.read_text(encoding="utf-8")
    assert len(out.splitlines()) <= 30, out
    assert not site.exists()  # atomic: no site from a failed build


def test_the_error_lines_of_a_log():
    from reportbuild.buildlog import relevant

    log = ["Running Sphinx v7.4.7", "\x1b[91m/x/book/a.md:3: WARNING: undefined label: 'x'\x1b[39;49;00m",
           "reading sources... [ 50%] book/a", "Traceback (most recent call last):", '  File "x.py", line 1',
           "    raise RuntimeError('boom')", "RuntimeError: boom", "! LaTeX Error: File `x.sty' not found.",
           "l.12 \\usepackage", "build finished with problems.", "/x/book/a.md:3: WARNING: undefined label: 'x'"]
    assert relevant(log) == ["/x/book/a.md:3: WARNING: undefined label: 'x'", "RuntimeError: boom",
                             "! LaTeX Error: File `x.sty' not found.", "l.12 \\usepackage"]
    many = relevant([f"WARNING: number {i}" for i in range(100)], limit=5)
    assert len(many) == 6 and many[-1] == "… and 95 more such lines in the log"
