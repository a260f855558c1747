"""The chapters (MyST Markdown notebooks) and their published record (executed notebooks).

Chapters are text: ``book/<name>.md``, code in ``{code-cell}`` directives, no
outputs. ``make execute`` runs each chapter top to bottom in a fresh kernel and
writes the executed notebook, outputs included, to ``record/<name>.ipynb``,
stamped with the SHA-256 of the source it was made from. Reviewers re-execute
the record with nbval (``make verify``); before that, :func:`stale` names every
chapter whose source changed since its record was written.

``python -m reportbuild execute`` writes the record, ``python -m reportbuild verify``
checks it.
"""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat is loaded where notebooks are read or written: a no-op build needs neither
    import nbformat

from analysis.paths import BOOK_DIR, RECORD_DIR, label

#: Where a record notebook keeps its stamp (notebook metadata).
STAMP_KEY = "ips_report"


def is_chapter(path: Path) -> bool:
    """Whether a Markdown file in the book is an executable chapter (a MyST notebook).

    The rule of myst-nb's ``is_myst_markdown_notebook`` (its front matter says
    ``file_format: mystnb`` or jupytext's ``format_name: myst``), read here without
    importing myst-nb, so that a build with nothing to execute stays light;
    tests/test_notebooks.py checks that the two agree."""
    import yaml

    if path.suffix != ".md":
        return False
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("---"):
        return False
    front = []
    for line in lines[1:]:
        if line.startswith(("---", "...")):
            break
        front.append(line)
    try:
        metadata = yaml.safe_load("\n".join(front))
    except yaml.YAMLError:
        return False
    if not isinstance(metadata, dict):
        return False
    representation = (metadata.get("jupytext") or {}).get("text_representation") or {}
    return metadata.get("file_format") == "mystnb" or representation.get("format_name") == "myst"


def chapters(book: Path = BOOK_DIR) -> list[Path]:
    """Every executable chapter, by file name."""
    return sorted(path for path in book.glob("*.md") if is_chapter(path))


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_path(chapter: Path, record: Path = RECORD_DIR) -> Path:
    return record / f"{chapter.stem}.ipynb"


def read(chapter: Path, text: str | None = None) -> nbformat.NotebookNode:
    """A chapter as a notebook, read as myst-nb reads it for the book, with cell ids by
    position (``cell-000``, ...) so that its record changes only where the chapter does.
    ``text``: the chapter's text as already read (by default, read from the file now)."""
    from myst_nb.core.read import read_myst_markdown_notebook

    text = chapter.read_text(encoding="utf-8") if text is None else text
    notebook = read_myst_markdown_notebook(text, path=chapter)
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index:03d}"
    return notebook


def execute(chapter: Path, timeout: int = 300) -> tuple[nbformat.NotebookNode, float]:
    """Run a chapter in a fresh kernel (working directory: the book), with its stamp."""
    from nbclient import NotebookClient

    notebook = read(chapter)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(chapter.parent)}}).execute()
    notebook.metadata.pop("widgets", None)
    notebook.metadata[STAMP_KEY] = {"source": label(chapter), "source_sha256": source_hash(chapter)}
    return notebook, time.perf_counter() - started


def write_record(chapter: Path, record: Path = RECORD_DIR) -> float:
    """Execute a chapter and write its record; returns the seconds it took."""
    import nbformat

    notebook, seconds = execute(chapter)
    record.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, record_path(chapter, record))
    return seconds


def stale(book: Path = BOOK_DIR, record: Path = RECORD_DIR) -> list[str]:
    """One line per chapter whose record is missing or was made from another source,
    and per record left without a chapter."""
    problems = []
    sources = chapters(book)
    for chapter in sources:
        path = record_path(chapter, record)
        if not path.is_file():
            problems.append(f"{label(chapter)}: no record ({label(path)}); run make execute")
            continue
        import nbformat

        stamp = nbformat.read(path, as_version=4).metadata.get(STAMP_KEY, {})
        if stamp.get("source_sha256") != source_hash(chapter):
            problems.append(f"{label(chapter)}: changed since its record {label(path)} was written; run make execute")
    names = {chapter.stem for chapter in sources}
    for path in sorted(record.glob("*.ipynb")):
        if path.stem not in names:
            problems.append(f"{label(path)}: a record without a chapter in {label(book)}; delete it or run make execute")
    return problems


def execute_all(paths: list[Path], workers: int = 2) -> int:
    """Execute chapters into their records (two kernels at once), and remove records left without a chapter."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chapter, seconds in zip(paths, pool.map(write_record, paths)):
            print(f"executed {label(chapter)} in {seconds:.1f} s -> {label(record_path(chapter))}", flush=True)
    for path in sorted(RECORD_DIR.glob("*.ipynb")):
        if path.stem not in {chapter.stem for chapter in chapters()}:
            path.unlink()
            print(f"removed {label(path)} (its chapter is gone)")
    return 0
