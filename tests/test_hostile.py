"""A report built from data whose text carries markup, roles, math and LaTeX shows that text literally.

The data (``tests/hostile_data.py``) put ``<script>``, an ``onerror`` image, a
MyST glue role, Markdown, math, TeX commands, right-to-left marks and a
``\\input`` of a file outside the build into a quotation, two errata, a theme
title (a figure label), a COREQ evidence and a schema description. Both builds
(HTML and PDF) must succeed; every page must have exactly the elements of the
same page built from the real data; the text must be on the pages as written;
and TeX must not have read the file. (That TeX cannot read outside its folder even
when an escape is missed is checked in ``tests/test_build.py``.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.display import plain
from analysis.paths import PROJECT_ROOT

import hostile_data

pytestmark = pytest.mark.hostile
JB = str(Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin" / "jupyter-book")
TOKEN = "SECRET-TOKEN-5b1f0e"
PAGES = ["qualitative-themes", "errata", "coreq", "data-dictionary", "index"]


def _build(root: Path, data: Path, builder: str) -> Path:
    root.mkdir(parents=True)
    config = (PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8")
    (root / "_config.yml").write_text(config.replace("  cache: _build/.jupyter_cache", f"  cache: {root / 'cache'}"),
                                      encoding="utf-8")
    # Both builds offer the same PDF (none): each data directory's site links the PDF of its own build
    # folder, and only the study's may have one.
    env = os.environ | {"IPS_REPORT_DATA": str(data), "PYTHONHASHSEED": "0", "openin_any": "p", "shell_escape": "f",
                        "IPS_REPORT_PDF_DIR": str(root / "no-pdf")}
    run = subprocess.run([JB, "build", ".", "--builder", builder, "-W", "-n", "--keep-going", "--config",
                          str(root / "_config.yml"), "--path-output", str(root)], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    return root / "_build"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("hostile")
    # outside the build, in a path without hyphens (PDF text extraction drops a hyphen at a line break)
    secret = Path(tempfile.mkdtemp(prefix="ipssecret")) / "secret.txt"
    secret.write_text(TOKEN + "\n", encoding="utf-8")
    placed = hostile_data.make(PROJECT_ROOT / "data", tmp / "data", secret)
    return {"tmp": tmp, "secret": secret, "placed": placed, "data": tmp / "data"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_data(self, data):
        self.text.append(data)


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _squeeze(text: str) -> str:
    """Text without whitespace or invisible format characters (PDF extraction moves both)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def test_the_html_shows_the_text_and_adds_no_element(hostile):
    site = _build(hostile["tmp"] / "html", hostile["data"], "html") / "html" / "book"
    clean = _build(hostile["tmp"] / "clean", PROJECT_ROOT / "data", "html") / "html" / "book"
    texts = {}
    for name in PAGES:
        page, reference = _page(site / f"{name}.html"), _page(clean / f"{name}.html")
        assert page.tags == reference.tags, f"{name}.html: the data added or removed an element"
        texts[name] = "".join(page.text)
    everything = "".join(texts.values())
    for where, text in hostile["placed"].items():
        if where == "theme title":  # drawn only inside a figure: test_display's figure_labels_are_never_math
            continue
        for line in plain(text).split("\n"):
            assert line in everything, f"{where}: {line!r} is not on the page as written"
    assert TOKEN not in everything


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="no TeX Live here: make pdf installs it as root")
def test_the_pdf_shows_the_text_and_tex_reads_no_file_outside_the_build(hostile):
    pdf = _build(hostile["tmp"] / "pdf", hostile["data"], "pdflatex") / "latex" / "ips-chronic-pain-report.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert TOKEN not in text
    squeezed = _squeeze(text)
    # The quotation is a paragraph: all of it, in order. Table cells are set in narrow columns that
    # PDF text extraction interleaves line by line and TeX may hyphenate, so there each
    # distinctive piece of markup must be there, whole.
    assert _squeeze(plain(hostile["placed"]["quotation"])) in squeezed
    pieces = ['<script>alert("x")</script>', "{glue:text}`n_participants`", "**bold**", "\\textbf{tex}", "$x^2$"]
    for where, value in hostile["placed"].items():
        if where == "theme title":  # drawn inside a figure, where pdftotext cannot see it
            continue
        for piece in (p for p in pieces if p in value):
            assert _squeeze(piece) in squeezed, f"{where}: {piece!r} is not in the PDF as written"
    # the only \input in the text is the one the data hold, shown as text (a table cell may break it
    # across lines after a "/")
    assert not re.search(r"\\input\{[^}]*\}", squeezed.replace(_squeeze(f"\\input{{{hostile['secret']}}}"), ""))
