"""Where everything lives. The one module that knows the project's layout: the
book, the data, the record, and every build folder.

Each data directory has its own build folder, so building one never
invalidates or overwrites another::

    data/              -> _build/                  (_build/html, _build/pdf)
    _build/NAME/data   -> _build/NAME/             (a cohort generated inside a build folder,
                                                    as `make synthetic` does)
    any other DIR      -> _build/data-<name>-<hash of its path>/

A build folder holds the results computed once (``results.pickle``), the
published site (``html/``), the PDF (``pdf/``), the Sphinx work folders
(``.work/``, ``.work-latex/``), the jupyter cache (``.jupyter_cache/``), the
preview (``.preview/``), the logs (``logs/``), the build's configuration and a
lock (:mod:`reportbuild.build`).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BOOK_DIR = PROJECT_ROOT / "book"
#: The published record: executed chapters and every named number (``make execute``).
RECORD_DIR = PROJECT_ROOT / "record"
STYLE_FILE = Path(__file__).resolve().parent / "report.mplstyle"
BUILD_ROOT = PROJECT_ROOT / "_build"
DIST_DIR = PROJECT_ROOT / "dist"
#: The PDF's file name inside the LaTeX work folder (``latex_documents`` in _config.yml).
#: The LaTeX documents' names (reportbuild.sphinx_latex), without their suffix: the report and its supplement.
LATEX_TARGETS = {"report": "ips-chronic-pain-report", "supplement": "ips-chronic-pain-report-supplement"}

#: Environment variable that points the whole report at another data directory
#: with the same schema (``make report DATA=path`` sets it).
DATA_ENV = "IPS_REPORT_DATA"


def data_dir() -> Path:
    """The data directory in force: ``$IPS_REPORT_DATA`` if set, else ``data/``."""
    return Path(os.environ.get(DATA_ENV, PROJECT_ROOT / "data")).resolve()


def label(path: Path) -> str:
    """A file's name for messages: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def build_dir(data: Path | None = None) -> Path:
    """The build folder of a data directory (see the module's docstring)."""
    data = Path(os.path.abspath(data or data_dir()))
    if data == PROJECT_ROOT / "data":
        return BUILD_ROOT
    if data.name == "data" and data.parent.parent == BUILD_ROOT:
        return BUILD_ROOT / data.parent.name
    name = re.sub(r"[^A-Za-z0-9._-]", "_", data.name)
    return BUILD_ROOT / f"data-{name}-{hashlib.sha256(str(data).encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class BuildPaths:
    """Every folder and file of one data directory's build."""

    build: Path
    site: Path
    pdf_dir: Path
    work: Path
    work_latex: Path
    cache: Path
    preview: Path
    logs: Path
    screenshots: Path
    config: Path
    lock: Path
    executions: Path
    nbval: Path
    results: Path

    @property
    def work_html(self) -> Path:
        return self.work / "_build" / "html"

    def work_pdf(self, part: str = "report") -> Path:
        return self.work_latex / "_build" / "latex" / f"{LATEX_TARGETS[part]}.pdf"


def build_paths(data: Path | None = None) -> BuildPaths:
    build = build_dir(data)
    return BuildPaths(build=build, site=build / "html", pdf_dir=build / "pdf", work=build / ".work",
                      work_latex=build / ".work-latex", cache=build / ".jupyter_cache", preview=build / ".preview",
                      logs=build / "logs", screenshots=build / "screenshots", config=build / ".config.yml",
                      lock=build / ".lock", executions=build / "executions.json", nbval=build / "nbval.xml",
                      results=build / "results.pickle")
