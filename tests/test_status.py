"""The status appendix's environment table, and execution times read from a jupyter cache."""

import json

import nbformat
from jupyter_cache import get_cache

from reportbuild import status
from analysis.paths import PROJECT_ROOT


def test_package_versions_lists_python_and_every_package():
    table = status.package_versions()
    assert list(table.index[:1]) == ["Python"]
    assert set(status.PACKAGES) <= set(table.index)


def test_no_cache_means_no_executions(tmp_path):
    assert status.executions(tmp_path / "missing") == []


def test_executions_come_from_the_jupyter_cache(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1)])
    path = tmp_path / "chapter.ipynb"
    nbformat.write(notebook, path)
    cache = tmp_path / "cache"
    get_cache(str(cache)).cache_notebook_file(str(path), uri=str(PROJECT_ROOT / "book" / "chapter.ipynb"),
                                              data={"execution_seconds": 1.234}, check_validity=False)
    rows = status.executions(cache)
    assert [(r["notebook"], r["seconds"]) for r in rows] == [("book/chapter.ipynb", 1.23)]
    assert rows[0]["executed"][:2] == "20"  # an ISO 8601 date and time
    written = tmp_path / "executions.json"
    assert status.main(["executions", str(cache), "--json", str(written)]) == 0
    assert json.loads(written.read_text()) == rows
    assert "book/chapter.ipynb" in capsys.readouterr().out
