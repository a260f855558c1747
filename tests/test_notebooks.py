"""Chapters are MyST Markdown notebooks; the record names every chapter it no longer matches."""

import nbformat
import pytest

from reportbuild import notebooks
from analysis.paths import BOOK_DIR, RECORD_DIR

CHAPTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter

```{code-cell} ipython3
:tags: [hide-input]

1 + 1
```
"""


def _record(book, record, name, source):
    record.mkdir(exist_ok=True)
    notebook = notebooks.read(book / f"{name}.md")
    notebook.metadata[notebooks.STAMP_KEY] = {"source": f"book/{name}.md", "source_sha256": source}
    nbformat.write(notebook, record / f"{name}.ipynb")


@pytest.fixture
def book(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "chapter.md").write_text(CHAPTER, encoding="utf-8")
    (book / "references.md").write_text("# References\n", encoding="utf-8")  # not a notebook
    return book


def test_only_myst_notebooks_are_chapters(book):
    assert [p.name for p in notebooks.chapters(book)] == ["chapter.md"]
    cells = notebooks.read(book / "chapter.md").cells
    assert [c.cell_type for c in cells] == ["markdown", "code"]
    assert cells[1].source == "1 + 1" and cells[1].metadata["tags"] == ["hide-input"]


FRONT_MATTERS = [
    CHAPTER,
    "---\nfile_format: mystnb\n---\n# A notebook\n",
    "---\njupytext:\n  text_representation:\n    format_name: markdown\n---\n",
    "---\ntitle: [unclosed\n---\n",
    "---\n- a list\n---\n",
    "# No front matter\n",
    "",
    "---\nkernelspec:\n  name: python3\n...\n",
]


@pytest.mark.parametrize("text", FRONT_MATTERS)
def test_chapters_are_recognised_by_myst_nbs_rule(text, tmp_path):
    """notebooks.is_chapter reads the front matter itself (no myst-nb import); myst-nb decides the same."""
    from myst_nb.core.read import is_myst_markdown_notebook

    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    assert notebooks.is_chapter(path) == is_myst_markdown_notebook(text)


def test_every_book_page_is_recognised_as_myst_nb_would():
    from myst_nb.core.read import is_myst_markdown_notebook

    for path in BOOK_DIR.glob("*.md"):
        assert notebooks.is_chapter(path) == is_myst_markdown_notebook(path.read_text(encoding="utf-8")), path.name


def test_a_matching_record_is_current(book, tmp_path):
    _record(book, tmp_path / "record", "chapter", notebooks.source_hash(book / "chapter.md"))
    assert notebooks.stale(book, tmp_path / "record") == []


def test_an_added_cell_names_the_chapter(book, tmp_path):
    _record(book, tmp_path / "record", "chapter", notebooks.source_hash(book / "chapter.md"))
    with open(book / "chapter.md", "a", encoding="utf-8") as handle:
        handle.write("\n```{code-cell} ipython3\n2 + 2\n```\n")
    [problem] = notebooks.stale(book, tmp_path / "record")
    assert "chapter.md: changed since its record" in problem and "make execute" in problem


def test_a_missing_record_and_an_orphan_record_are_named(book, tmp_path):
    record = tmp_path / "record"
    _record(book, record, "chapter", "0" * 64)
    (record / "chapter.ipynb").rename(record / "gone.ipynb")
    problems = notebooks.stale(book, record)
    assert any("chapter.md: no record" in p for p in problems)
    assert any("gone.ipynb: a record without a chapter" in p for p in problems)


def test_the_committed_record_matches_the_chapters():
    # Every chapter of the book has a record made from its current source.
    assert notebooks.stale(BOOK_DIR, RECORD_DIR) == []
    assert not list(BOOK_DIR.glob("*.ipynb"))


def _code_cell(source, text, tags=()):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": text, "image/png": "AAAA"},
                                           execution_count=1)]
    return cell


def test_the_comparison_with_the_record_follows_nbval():
    from reportbuild import compare

    record = nbformat.v4.new_notebook(cells=[_code_cell("r.glue(['n'])", "n  3"), _code_cell("versions()", "pandas 2", ["nbval-ignore-output"])])
    same = nbformat.v4.new_notebook(cells=[_code_cell("r.glue(['n'])", "n  3"), _code_cell("versions()", "pandas 3", ["nbval-ignore-output"])])
    same.cells[0].outputs[0]["data"]["image/png"] = "BBBB"  # raster images are not compared, as in nbval
    assert compare.differences(same, record, "chapter.md") == []
    moved = nbformat.v4.new_notebook(cells=[_code_cell("r.glue(['n'])", "n  2"), _code_cell("versions()", "pandas 2")])
    [problem] = compare.differences(moved, record, "chapter.md")
    assert problem.startswith("chapter.md, code cell 1 (r.glue(['n'])), text/plain:") and "-n  3" in problem and "+n  2" in problem
    edited = nbformat.v4.new_notebook(cells=[_code_cell("r.glue(['m'])", "n  3")])
    assert compare.differences(edited, record, "chapter.md") == [
        "chapter.md: the chapter's code differs from its record's; run make execute"]


#: Starts a kernel application (it binds its sockets and logs as a kernel does) and stops it.
_KERNEL = ("from ipykernel.kernelapp import IPKernelApp\n"
           "app = IPKernelApp.instance()\napp.initialize(['--IPKernelApp.connection_file=' + __import__('sys').argv[1]])\n"
           "app.close()\n")


@pytest.mark.parametrize("configured", [False, True])
def test_the_kernels_profile_keeps_their_log_to_errors(tmp_path, configured, monkeypatch):
    """A kernel warns that it talks over TCP without encryption; the build's kernel profile
    (reportbuild.__main__.kernel_profile) leaves only errors in the log, and no history file."""
    import os
    import subprocess
    import sys

    from reportbuild.__main__ import kernel_profile

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # restored after the test
    if configured:
        kernel_profile(tmp_path)
    run = subprocess.run([sys.executable, "-c", _KERNEL, str(tmp_path / "kernel.json")], env=dict(os.environ),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert ("without encryption" in run.stderr) is not configured, run.stderr
    assert bool(list((tmp_path / "ipython").rglob("history.sqlite"))) is not configured
