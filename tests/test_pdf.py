"""The built PDFs read as a paper and its supplement: A4, a title page with version, commit, date,
how to cite and the licence, numbered sections and no chapter pages, no code, citations and
references formatted (never a raw bibliography key), tables fitted to the text width and breaking
across pages, embedded fonts no journal rejects, no heading stranded at the foot of a page, the
appendices lettered in the supplement, metadata and bookmarks. ``make test`` builds the PDFs and
runs these with ``--pdf``."""

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


def _pdf(part: str) -> Path:
    from reportbuild.version import pdf_name

    path = BUILD / "pdf" / pdf_name(part)
    assert path.is_file(), "no PDF: make pdf builds it"
    return path


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdf() -> Path:
    return _pdf("report")


@pytest.fixture(scope="module")
def supplement() -> Path:
    return _pdf("supplement")


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return _text(pdf)


@pytest.fixture(scope="module")
def supplement_text(supplement) -> str:
    return _text(supplement)


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
def test_every_page_is_a4(pdf, supplement):
    for path in (pdf, supplement):
        out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True,
                             check=True).stdout
        sizes = re.findall(r"^Page\s+\d+ size:\s+(.*)$", out, re.M)
        assert sizes and set(sizes) == {"595.28 x 841.89 pts (A4)"}, path.name


@pdf_only
def test_the_title_page_gives_version_commit_date_citation_and_licence(text, supplement_text):
    from reportbuild.version import LICENCE, build_date, commit, suggested_citation, version

    title = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    index = (PROJECT_ROOT / "book" / "index.md").read_text(encoding="utf-8")
    assert f"\n# {title}\n" in index, "the HTML's title is the PDF's"
    for first, heading in ((words(text.split("\f")[0]), title), (words(supplement_text.split("\f")[0]),
                                                                   f"Supplement to {title}")):
        assert first.startswith(heading)
        assert f"Version {version()} commit {commit()} {build_date().isoformat()}" in first
        assert "Rødevand L" in first and "Prepared by IPS report contributors from the article" in first
        assert squeezed(suggested_citation()) in squeezed(first) and squeezed(LICENCE) in squeezed(first)
    assert "Summary" in words(text.split("\f")[0])


@pdf_only
def test_the_report_holds_the_study_and_the_supplement_the_appendices(text, supplement_text):
    assert "CHAPTER" not in text and not re.search(r"^Chapter \d", text, re.M)
    # a heading may open a page (a form feed before it)
    assert re.search(r"^\f?1 Background$", text, re.M) and re.search(r"^\f?2\.1 Recruitment and follow-up$", text, re.M)
    assert re.search(r"^\f?5 Qualitative themes$", text, re.M) and not re.search(r"^\f?A The article$", text, re.M)
    assert re.search(r"^\f?A The article$", supplement_text, re.M), "the appendices are lettered"
    assert re.search(r"^\f?C Errata$", supplement_text, re.M) and not re.search(r"^\f?1 Background$", supplement_text, re.M)
    # the sections run on: the first section starts on the page after the summary and contents
    first = next(i for i, page in enumerate(text.split("\f")) if re.search(r"^\f?1 Background$", page, re.M))
    assert first <= 2
    # a reference across the two names the other document's section; within one, "Appendix C"
    flat, flat_supplement = words(text), words(supplement_text)
    assert "(Appendix C of the supplement)" in flat and "(Appendix A of the supplement)" in flat
    assert re.search(r"Section \d of the report", flat_supplement)
    assert "(Errata)" not in flat and "(The article)" not in flat_supplement


@pdf_only
def test_the_reprint_leaves_out_the_web_page_and_the_contact_details(supplement_text):
    flat = words(supplement_text)
    assert "Google Scholar" not in flat and "[DOI]" not in flat and "[PubMed]" not in flat
    assert "Skip to main content" not in flat and "logoLink" not in flat
    assert not re.search(r"\S+@\S+\.\w+", flat) and "+47" not in flat
    assert "contact details, printed here in the source, are left out" in flat


@pdf_only
def test_figures_embed_no_type_3_font(pdf, supplement):
    """Journal preflight rejects Type 3 fonts (matplotlib's default in PDFs; report.mplstyle asks for Type 42)."""
    for path in (pdf, supplement):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and not [r for r in rows if "Type 3" in r], (path.name, fonts)
        assert all(" yes " in r for r in rows), f"a font is not embedded in {path.name}"


@pdf_only
def test_no_heading_ends_a_page_and_quotations_keep_their_dashes(pdf, supplement, text, supplement_text):
    for path, document in ((pdf, text), (supplement, supplement_text)):
        headings = {squeezed(title) for title in bookmarks(path)} - {""}
        assert len(headings) > 10
        for number, page in enumerate(document.split("\f")[:-1], start=1):
            if re.search(r"^Contents$", page, re.M):
                continue  # the table of contents lists the headings
            lines = [line for line in page.strip().splitlines() if line.strip() and not line.strip().isdigit()]
            assert lines and squeezed(lines[-1]) not in headings, f"{path.name}: page {number} ends with a heading"
        assert "---" not in document
    assert "—P2" in squeezed(text)


@pdf_only
def test_there_is_no_code(text):
    lines = code_lines()
    assert len(lines) > 20 and "r.ips_principles()" in lines
    flat = squeezed(text)
    shown = [line for line in lines if squeezed(line) in flat]
    assert shown == []


@pdf_only
def test_figures_offer_no_downloads_on_paper(text):
    """The HTML's line of figure downloads is left out of the PDF; each figure's note stays."""
    flat = squeezed(text)
    assert squeezed("Made by analysis.figures.employment_timeline") in flat
    assert squeezed("Download the figure") not in flat


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
    # the reference list: after the study's sections, sorted by author, without numeric labels
    assert re.search(r"^References$", text, re.M)
    body = re.search(r"[\n\f]1 Background\n", text).start()
    references = text[text.index("\nReferences\n", body):]
    assert "The Oswestry disability index" in references
    assert not re.search(r"^\[\d+\]", references, re.M)
    assert references.index("Fairbank") < references.index("Rødevand") < references.index("Wilson")


@pdf_only
def test_tables_fit_the_text_width_and_long_ones_break_across_pages(text, supplement_text):
    for name in ("ips-chronic-pain-report", "ips-chronic-pain-report-supplement"):
        log = (LATEX / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        overfull = [float(x) for x in re.findall(r"Overfull \\hbox \((\d+\.\d+)pt too wide\)", log)]
        assert max(overfull, default=0) < 6, f"{name}: a line or table cell runs {max(overfull)}pt into the margin"
    tex = (LATEX / "ips-chronic-pain-report-supplement.tex").read_text(encoding="utf-8")
    assert tex.count(r"\begin{longtable}") >= 5
    # a long table's running head names the table it continues, which has a caption
    continued = re.findall(r"(Table \d+) – continued from previous page", words(supplement_text))
    assert continued and all(re.search(rf"{number}: \w", words(supplement_text)) for number in continued)
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
    assert {"1 Background", "2 Methods", "References"} <= set(marks), marks


def test_the_pdf_prefers_vector_figures():
    """A figure offered as PDF and PNG is a PDF in the LaTeX build, SVG or PNG in the HTML."""
    from myst_nb.core.render import get_mime_priority

    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    overrides = [tuple(o) for o in config["sphinx"]["config"]["nb_mime_priority_overrides"]]
    latex = get_mime_priority("latex", overrides)
    assert latex.index("application/pdf") < latex.index("image/png")
    html = get_mime_priority("html", overrides)
    assert "application/pdf" not in html and html.index("image/svg+xml") < html.index("image/png")
