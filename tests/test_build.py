"""The build (reportbuild/build.py): TeX's sandbox, each data directory's build folder, the one
input hash, the no-op fingerprint, the lock, and small books built as a user builds them."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT, build_paths
from reportbuild import build

needs_tex = pytest.mark.skipif(not (shutil.which("xelatex") and shutil.which("pdftotext")),
                               reason="no TeX Live or poppler-utils here: make test installs them as root, else names them")
#: The environment without the data directory that `make` exports, so each test says which it uses.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("IPS_REPORT_DATA", "IPS_REPORT_PDF_DIR", "IPS_REPORT_RESULTS")}
#: A project copy is no git checkout: its build date is given (reportbuild/version.py).
COPY_ENV = CLEAN_ENV | {"SOURCE_DATE_EPOCH": "1700000000"}


def _xelatex(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=folder,
                          env=os.environ | build.TEX_SANDBOX, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


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
    run = _xelatex(work)
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
    run = _xelatex(tmp_path)
    assert run.returncode == 0, run.stdout[-2000:]
    assert not (tmp_path / "escaped").exists()
    assert "INSIDE" in subprocess.run(["pdftotext", "doc.pdf", "-"], cwd=tmp_path, capture_output=True,
                                      text=True).stdout


def test_each_data_directory_has_its_own_build_folder(tmp_path):
    a, b = tmp_path / "a" / "data", tmp_path / "b" / "data"
    default, synthetic = build_paths(PROJECT_ROOT / "data"), build_paths(PROJECT_ROOT / "_build" / "synthetic" / "data")
    first, second = build_paths(a), build_paths(b)
    assert default.build == PROJECT_ROOT / "_build" and synthetic.build == PROJECT_ROOT / "_build" / "synthetic"
    assert first.build.name.startswith("data-data-") and first.build != second.build
    assert synthetic.site == synthetic.build / "html" and synthetic.pdf_dir == synthetic.build / "pdf"
    assert default.results == default.build / "results.pickle"


@pytest.fixture
def project(tmp_path):
    """A copy of the build's inputs, using the project's .venv (its own analysis and reportbuild first on sys.path)."""
    root = tmp_path / "project"
    for name in ["analysis", "reportbuild", "data", "book", "_config.yml", "_toc.yml", "pyproject.toml", "requirements.txt",
                 "CITATION.cff"]:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    (root / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    return root


def _python(project: Path, code: str, env: dict | None = None) -> str:
    """Run Python code in the project copy (its own packages imported, not this project's)."""
    run = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                         env=(COPY_ENV if env is None else env) | {"IPS_REPORT_DATA": str(project / "data"),
                                                                    "PYTHONPATH": str(project)})
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip()


def _hashes(project: Path) -> tuple[str, str]:
    """The results' input hash and the site's fingerprint, as the project copy computes them."""
    return tuple(_python(project, "from analysis.results import input_hash; from reportbuild.build import "
                                  "fingerprint; from analysis.paths import data_dir; "
                                  "print(input_hash(data_dir())); print(fingerprint(data_dir()))").split())


#: Each input, and whether it is one of the results' (else only of the pages': the fingerprint's).
INPUTS = {"requirements.txt": True, "analysis/report.mplstyle": True, "analysis/clinical.py": True,
          "data/clinical.csv": True, "data/datapackage.json": True, "data/references.bib": True,
          "data/README.md": True, "_config.yml": False, "_toc.yml": False, "pyproject.toml": False,
          "reportbuild/sphinx_render.py": False, "book/methods.md": False}


@pytest.mark.parametrize("name", INPUTS)
def test_the_one_hash_covers(project, name):
    results_before, pages_before = _hashes(project)
    with (project / name).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    results_after, pages_after = _hashes(project)
    assert pages_after != pages_before
    assert (results_after != results_before) == INPUTS[name]


def test_the_hash_ignores_bytecode(project):
    before = _hashes(project)
    (project / "analysis" / "__pycache__").mkdir(exist_ok=True)
    (project / "analysis" / "__pycache__" / "clinical.cpython-311.pyc").write_bytes(b"\0")
    assert _hashes(project) == before


def test_the_no_op_fingerprint_follows_the_version_stamp(project):
    """make html and make pdf do nothing only when the pages would be the same, stamp included:
    a new commit or a work tree that now differs from it (reportbuild/version.py) is a change."""
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b"}
    git_env = CLEAN_ENV | env
    git_env.pop("SOURCE_DATE_EPOCH", None)

    def fingerprint(*extra, **more):
        code = ("from reportbuild.build import fingerprint; from analysis.paths import data_dir; "
                f"print(fingerprint(data_dir(), *{extra!r}))")
        return _python(project, code, git_env | more)

    subprocess.run("git init -q && git add -A && git commit -q -m one", shell=True, cwd=project, env=git_env, check=True)
    committed = fingerprint()
    assert fingerprint() == committed and fingerprint("pdf: x") != committed
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "two"], cwd=project, env=git_env, check=True)
    assert fingerprint() != committed  # same files, another commit
    second = fingerprint()
    path = project / "_toc.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = fingerprint()
    subprocess.run(["git", "commit", "-q", "-am", "three"], cwd=project, env=git_env, check=True)
    assert len({second, changed, fingerprint()}) == 3  # the same files, once "+changes", once committed
    assert fingerprint(SOURCE_DATE_EPOCH="1") != fingerprint()


def test_a_second_build_waits_for_the_first(project):
    code = ("import time; from reportbuild.build import _lock; from analysis.paths import build_paths\n"
            "with _lock(build_paths(), print): print('locked', flush=True); time.sleep(2)")
    first = subprocess.Popen([sys.executable, "-c", code], cwd=project, stdout=subprocess.PIPE, text=True,
                             env=COPY_ENV | {"IPS_REPORT_DATA": str(project / "data"), "PYTHONPATH": str(project)})
    assert first.stdout.readline().strip() == "locked"
    started = time.monotonic()
    second = _python(project, code.replace("time.sleep(2)", "print('second done')"))
    assert time.monotonic() - started > 1.5
    assert "waiting for another build" in second and "second done" in second
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
    shutil.rmtree(project / "book")
    shutil.copytree(PROJECT_ROOT / "book" / "_static", project / "book" / "_static")
    (project / "book" / "index.md").write_text(NOTEBOOK_PAGE.format(body=body, code=code), encoding="utf-8")
    (project / "_toc.yml").write_text("format: jb-book\nroot: book/index\n", encoding="utf-8")
    return project


def _build_html(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportbuild", "html"], cwd=project,
                          env=COPY_ENV | {"IPS_REPORT_DATA": str(project / "data"), "PYTHONPATH": str(project)},
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)


@pytest.mark.slow
def test_a_build_prints_its_stages_and_executions_and_logs_the_rest(project):
    run = _build_html(_book(project))
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    log = project / "_build" / "logs" / "html.log"
    lines = out.strip().splitlines()
    assert len(lines) <= 6, out
    assert re.search(r"^  executed book/index\.md in \d+\.\d s$", out, re.M), out
    assert lines[-1] == "HTML: _build/html/index.html"
    text = log.read_text(encoding="utf-8")
    assert "Running Sphinx" in text and "build succeeded" in text and "\x1b[" not in text
    again = _build_html(project)
    assert again.stdout.strip() == "HTML: up to date, _build/html/index.html"


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
    assert "the full log is _build/logs/html.log" in out
    assert error in (project / "_build" / "logs" / "html.log").read_text(encoding="utf-8")
    assert len(out.splitlines()) <= 30, out
    assert not site.exists()  # atomic: no site from a failed build


def test_the_error_lines_of_a_log():
    log = ["Running Sphinx v7.4.7", "\x1b[91m/x/book/a.md:3: WARNING: undefined label: 'x'\x1b[39;49;00m",
           "reading sources... [ 50%] book/a", "Traceback (most recent call last):", '  File "x.py", line 1',
           "    raise RuntimeError('boom')", "RuntimeError: boom", "! LaTeX Error: File `x.sty' not found.",
           "l.12 \\usepackage", "build finished with problems.", "/x/book/a.md:3: WARNING: undefined label: 'x'"]
    assert build.relevant(log) == ["/x/book/a.md:3: WARNING: undefined label: 'x'", "RuntimeError: boom",
                                   "! LaTeX Error: File `x.sty' not found.", "l.12 \\usepackage"]
    many = build.relevant([f"WARNING: number {i}" for i in range(100)], limit=5)
    assert len(many) == 6 and many[-1] == "… and 95 more such lines in the log"


def test_no_cache_means_no_executions(tmp_path):
    assert build.executions(tmp_path / "missing") == []


def test_executions_come_from_the_jupyter_cache(tmp_path):
    import nbformat
    from jupyter_cache import get_cache

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1)])
    path = tmp_path / "chapter.ipynb"
    nbformat.write(notebook, path)
    cache = tmp_path / "cache"
    get_cache(str(cache)).cache_notebook_file(str(path), uri=str(PROJECT_ROOT / "book" / "chapter.ipynb"),
                                              data={"execution_seconds": 1.234}, check_validity=False)
    rows = build.executions(cache)
    assert [(r["notebook"], r["seconds"]) for r in rows] == [("book/chapter.ipynb", 1.23)]
    assert rows[0]["executed"][:2] == "20"  # an ISO 8601 date and time


def test_the_environment_table_lists_python_and_every_package():
    from analysis import outputs

    versions = outputs.package_versions()
    assert list(versions)[0] == "Python" and set(outputs.PACKAGES) <= set(versions)
    assert outputs.environment(versions).column("Package")[0] == "Python"


@pytest.mark.slow
def test_a_false_claim_fails_a_build_of_the_study_data(project):
    body = ("Nobody had a job by twelve months, and most found one later.\n\n"
            "```{claim} n_employed_12m == 0\nNobody had a job by twelve months\n```\n")
    run = _build_html(_book(project, body, "1 + 1"))
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert ("book/index.md:14: WARNING: the claim `n_employed_12m == 0` does not hold for the study's data "
            "(n_employed_12m = 3): Nobody had a job by twelve months, and most found one later.") in out, out


@pytest.mark.slow
def test_an_edit_of_the_renderer_shows_on_the_pages(project):
    """Sphinx watches the sources, not its extensions' code: the build reads the pages again when
    reportbuild/ changes, without executing the chapters again."""
    code = "from analysis.display import Paragraph\nParagraph('A paragraph from a chapter.')"
    assert _build_html(_book(project, code=code)).returncode == 0
    page = project / "_build" / "html" / "book" / "index.html"
    assert "A paragraph from a chapter." in page.read_text(encoding="utf-8")
    renderer = project / "reportbuild" / "sphinx_render.py"
    source = renderer.read_text(encoding="utf-8")
    edited = source.replace("nodes.paragraph(\"\", text, support_smartquotes=False)",
                            "nodes.paragraph(\"\", text.upper(), support_smartquotes=False)")
    assert edited != source
    renderer.write_text(edited, encoding="utf-8")
    run = _build_html(project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "executed" not in run.stdout  # the chapter's outputs are still current
    assert "A PARAGRAPH FROM A CHAPTER." in page.read_text(encoding="utf-8")
