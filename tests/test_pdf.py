"""The built PDF reads as a paper: A4, a title block with version, commit and date, numbered
sections and no chapter pages, no code, citations and references formatted (never a raw
bibliography key), tables fitted to the text width and breaking across pages, metadata and
bookmarks. ``make test`` builds the PDF and runs these with ``--pdf`` when TeX Live is there."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml

from analysis.paths import PROJECT_ROOT

BUILD = PROJECT_ROOT / "_build"
LATEX = BUILD / ".work-latex" / "_build" / "latex"
pdf_only = pytest.mark.pdf


@pytest.fixture(scope="module")
def pdf() -> Path:
    from reportbuild.version import pdf_name

    path = BUILD / "pdf" / pdf_name()
    assert path.is_file(), "no PDF: make pdf builds it"
    return path


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def info(pdf) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-custom", str(pdf)], capture_output=True, text=True, check=True).stdout
    out += subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    fields: dict[str, str] = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields


def words(text: str) -> str:
    """PDF text with hyphenated line breaks joined and every run of whitespace one space."""
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w)-\n(?=\w)", "", text))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def code_lines() -> list[str]:
    """Every line of code of the chapters' code cells (their options are not code: captions are shown)."""
    from reportbuild import notebooks

    lines: list[str] = []
    for chapter in notebooks.chapters():
        for cell in notebooks.read(chapter).cells:
            if cell.cell_type == "code":
                lines += cell.source.splitlines()
    return [line.strip() for line in lines if len(line.strip()) >= 8 and not line.strip().startswith("#")]


def bookmarks(pdf: Path) -> list[str]:
    """The titles of the PDF's outline (bookmarks): read from its compressed object streams."""
    data = pdf.read_bytes()
    blobs = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            blobs.append(zlib.decompressobj().decompress(data[match.end():match.end() + 4_000_000]))
        except zlib.error:
            pass
    blob = b"\n".join(blobs)
    assert b"/Outlines" in blob, "the PDF has no outline"
    titles = []
    for raw in re.findall(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:\\.|[^\\)])*\))", blob):
        if raw.startswith(b"<"):
            titles.append(bytes.fromhex(raw[1:-1].decode()).decode("utf-16"))
        else:
            titles.append(raw[1:-1].decode("latin-1"))
    return titles


@pdf_only
def test_every_page_is_a4(pdf):
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    sizes = re.findall(r"^Page\s+\d+ size:\s+(.*)$", out, re.M)
    assert sizes and set(sizes) == {"595.28 x 841.89 pts (A4)"}


@pdf_only
def test_the_title_block_gives_version_commit_and_date(text):
    from reportbuild.version import build_date, commit, version

    first = words(text.split("\f")[0])
    title = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert first.startswith(title)
    assert f"Version {version()} commit {commit()} {build_date().isoformat()}" in first
    assert "Rødevand L" in first and "Summary" in first


@pdf_only
def test_sections_are_numbered_and_there_are_no_chapter_pages(text):
    assert "CHAPTER" not in text and not re.search(r"^Chapter \d", text, re.M)
    assert re.search(r"^1 Background$", text, re.M) and re.search(r"^2\.1 Recruitment and follow-up$", text, re.M)
    assert re.search(r"^A The article$", text, re.M), "the appendices are lettered"
    # the sections run on: the first section starts on the page after the summary and contents
    first = next(i for i, page in enumerate(text.split("\f")) if re.search(r"^1 Background$", page, re.M))
    assert first <= 2


@pdf_only
def test_there_is_no_code(text):
    lines = code_lines()
    assert len(lines) > 20 and "r.ips_principles()" in lines
    flat = squeezed(text)
    shown = [line for line in lines if squeezed(line) in flat]
    assert shown == []


@pdf_only
def test_citations_and_references_are_formatted_never_keys(text):
    keys = re.findall(r"^@\w+\{([^,\s]+),", (PROJECT_ROOT / "data" / "references.bib").read_text(encoding="utf-8"),
                      re.M)
    assert len(keys) > 40
    flat = words(text)
    raw = [key for key in keys if re.search(rf"(?<![\w/.-]){re.escape(key)}(?![\w])", flat)]
    assert raw == []
    # a table cell holding a key (the instruments' sources) shows the citation
    assert "Fairbank and Pynsent, 2000" in flat
    # the reference list: after the study's sections, before the appendices, without numeric labels
    assert re.search(r"^References$", text, re.M)
    body = text.index("\n1 Background\n")
    start = text.index("\nReferences\n", body)
    references = text[start:re.compile(r"[\n\f]A The article\n").search(text, start).start()]
    assert "The Oswestry disability index" in references
    assert not re.search(r"^\[\d+\]", references, re.M)


@pdf_only
def test_tables_fit_the_text_width_and_long_ones_break_across_pages(text):
    log = (LATEX / "ips-chronic-pain-report.log").read_text(encoding="utf-8", errors="replace")
    overfull = [float(x) for x in re.findall(r"Overfull \\hbox \((\d+\.\d+)pt too wide\)", log)]
    assert max(overfull, default=0) < 6, f"a line or table cell runs {max(overfull)}pt into the margin"
    tex = (LATEX / "ips-chronic-pain-report.tex").read_text(encoding="utf-8")
    assert tex.count(r"\begin{longtable}") >= 5
    assert "continued from previous page" in words(text)
    assert "\\PassOptionsToPackage{booktabs}{sphinx}" in tex
    # the instruments' table keeps its short column's header whole
    assert re.search(r"\bRange\b", text)


@pdf_only
def test_the_metadata_and_bookmarks(pdf, info):
    from reportbuild.version import commit, version

    title = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert info["Title"] == title
    assert info["Author"] == "IPS report contributors"
    assert info["Subject"].startswith("An executable report of Rødevand L") and "doi:10.1186/s12891-017-1908-3" in \
        info["Subject"]
    assert "chronic pain" in info["Keywords"] and f"version {version()}" in info["Keywords"]
    assert info["Version"] == version() and info["Commit"] == commit()
    marks = bookmarks(pdf)
    assert {"1 Background", "2 Methods", "References", "A The article"} <= set(marks), marks


def test_the_pdf_prefers_vector_figures():
    """A figure offered as PDF and PNG is a PDF in the LaTeX build, SVG or PNG in the HTML."""
    from myst_nb.core.render import get_mime_priority

    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    overrides = [tuple(o) for o in config["sphinx"]["config"]["nb_mime_priority_overrides"]]
    latex = get_mime_priority("latex", overrides)
    assert latex.index("application/pdf") < latex.index("image/png")
    html = get_mime_priority("html", overrides)
    assert "application/pdf" not in html and html.index("image/svg+xml") < html.index("image/png")
