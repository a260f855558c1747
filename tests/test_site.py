"""The built HTML holds every chapter, every figure with its alt text, and no unrendered glue."""

import html
import re

import pytest
import yaml

from reportbuild import notebooks
from analysis.paths import PROJECT_ROOT, build_paths

pytestmark = pytest.mark.site
HTML = build_paths(PROJECT_ROOT / "data").site


def _toc_files():
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [c["file"] for c in part["chapters"]]
    return files


def _figure_cells():
    for path in notebooks.chapters():
        for cell in notebooks.read(path).cells:
            figure = cell.get("metadata", {}).get("mystnb", {})
            if "figure" in figure:
                yield path.stem, figure["figure"]["name"], figure["image"]["alt"]


@pytest.mark.parametrize("page", _toc_files())
def test_every_chapter_is_built(page):
    html = (HTML / f"{page}.html").read_text(encoding="utf-8")
    assert "<h1>" in html
    assert "{glue" not in html and "NaN" not in html


def test_every_figure_is_there_with_its_alt_text():
    figures = list(_figure_cells())
    assert len(figures) >= 4
    for page, name, alt in figures:
        html = (HTML / "book" / f"{page}.html").read_text(encoding="utf-8")
        assert f'id="{name}"' in html, name
        assert len(alt) > 40
        assert f'alt="{alt.replace("&", "&amp;").replace(chr(34), "&quot;")}"' in html.replace("&#39;", "'"), name


def test_key_results_are_glued_into_the_landing_page():
    text = re.sub(r"<[^>]+>", "", (HTML / "book" / "index.html").read_text(encoding="utf-8"))
    # 3 of 8 employed by twelve months: 37.5% prints as 38%; the exact 95% CI of 3/8
    # is 8.5% to 75.5% (Clopper-Pearson tables), printed 9% to 76%.
    assert re.search(r"3\s+of\s+8", text)
    assert "38%" in text and "9%" in text and "76%" in text


EXTERNAL = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']((?:https?:)?//[^\"']+)", re.I)


def test_the_site_needs_no_outside_host():
    found = []
    for page in HTML.rglob("*.html"):
        found += [(page.relative_to(HTML).as_posix(), m.group(3)) for m in EXTERNAL.finditer(page.read_text("utf-8"))]
    assert found == []


def test_the_offline_check_can_fail():
    sample = '<script src="https://cdn.example.org/x.js"></script><a href="https://doi.org/x">doi</a>'
    assert [m.group(3) for m in EXTERNAL.finditer(sample)] == ["https://cdn.example.org/x.js"]


def test_every_page_carries_the_version_stamp():
    from reportbuild.version import version

    for page in _toc_files():
        html = (HTML / f"{page}.html").read_text(encoding="utf-8")
        assert re.search(rf"Version {re.escape(version())}, commit <code>[0-9a-f]{{12}}(\+changes)?</code>, "
                         r"built \d{4}-\d\d-\d\d\.", html), page


def test_a_failed_build_keeps_the_last_good_site(data_copy):
    import subprocess
    import sys

    from conftest import edit_csv

    index = HTML / "book" / "index.html"
    before = index.read_bytes()
    edit_csv(data_copy / "clinical.csv", "P7,70,", "P7,170,")
    run = subprocess.run([sys.executable, "-m", "reportbuild", "html", "--data", str(data_copy)], cwd=PROJECT_ROOT,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "clinical.csv, line 8, column 'odi': value '170': is above the maximum 100" in run.stderr
    assert index.read_bytes() == before


def test_each_table_names_the_function_that_made_it_and_links_its_source():
    """The pages show no code (a call per table is noise to a reader); a reviewer follows the
    "Made by" line under a table or figure to the function's source, and the page's own source
    (the chapter as an author writes it) is offered for download."""
    page = (HTML / "book" / "background.html").read_text(encoding="utf-8")
    assert "<details" not in page and 'class="cell_input' not in page
    assert 'href="../_modules/analysis/tables.html#ips_principles"' in page
    assert (HTML / "_modules" / "analysis" / "tables.html").is_file()
    assert (HTML / "_sources" / "book" / "background.md").is_file()


#: The first bytes of each kind of file a figure is offered as.
MAGIC = {".svg": b"<?xml", ".pdf": b"%PDF-", ".png": b"\x89PNG\r\n\x1a\n"}


def test_every_figure_can_be_downloaded_as_svg_pdf_and_png():
    """Under each figure, one line links the figure as three files named after it, each of its kind."""
    figures = list(_figure_cells())
    for page, name, _ in figures:
        html = (HTML / "book" / f"{page}.html").read_text(encoding="utf-8")
        figure = html[html.index(f'id="{name}"'):]
        figure = figure[:figure.index("</figure>")]
        [line] = re.findall(r'<p class="ips-downloads">(.*?)</p>', figure, re.S)
        links = re.findall(r'<a class="reference download internal" download="" href="\.\./([^"]+)">'
                           r'<span>(\w+)</span></a>', line)
        assert [text for _, text in links] == ["SVG", "PDF", "PNG"], name
        for href, text in links:
            path = HTML / href
            assert path.name == f"{name}.{text.lower()}", href
            assert path.read_bytes().startswith(MAGIC[path.suffix]), href
        assert re.sub(r"<[^>]+>", "", line) == "Download the figure as SVG, PDF or PNG (200 dpi).", name


def _article_text() -> str:
    return " ".join((PROJECT_ROOT / "data" / "source" / "article.txt").read_text(encoding="utf-8").split())


TIP = re.compile(r'<sup class="article-link"><a [^>]*href="article\.html#p(\d+)"><span[^>]*>¶([\d–]+)</span></a>'
                 r'<span class="article-tip">(.*?)</span></sup>', re.S)


def test_every_article_tooltip_is_the_articles_own_characters():
    # The tooltip previews the passage linked: its characters exactly, "..." and "--" as printed
    # (not turned into "…" and "–"), cut at a word with " …" when long.
    article_text, tips = _article_text(), 0
    for page in (HTML / "book").glob("*.html"):
        for first, label, tip in TIP.findall(page.read_text(encoding="utf-8")):
            text = " ".join(html.unescape(tip).split())
            text = text.removesuffix(" …")
            assert text in article_text, (page.name, f"¶{label}", text[:80])
            tips += 1
    assert tips > 100


def test_the_references_quote_the_printed_forms_exactly():
    # "Printed as “...”": the article's reference as printed, e.g. reference 27's "nQol--a".
    page = html.unescape(re.sub(r"<[^>]+>", "", (HTML / "book" / "references.html").read_text(encoding="utf-8")))
    printed = re.findall(r"Printed as “(.*?)”", page)
    assert len(printed) >= 2 and any("nQol--a" in p for p in printed)
    for phrase in printed:
        assert " ".join(phrase.split()) in _article_text(), phrase
