"""The article as numbered passages, and the chapters' links to them."""

import re

import pytest

from analysis import article
from reportbuild import notebooks
from analysis.paths import BOOK_DIR

MAIN_CHAPTERS = ["background", "methods", "clinical-characteristics", "employment-outcomes", "qualitative-themes"]
LINK = re.compile(r"\{article\}`([^`]*)`")


def _markdown(name: str) -> str:
    notebook = notebooks.read(BOOK_DIR / f"{name}.md")
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def _all_sources() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in BOOK_DIR.glob("*.md")}


def test_every_passage_is_numbered_in_order_and_keeps_its_text():
    blocks = article.blocks()
    # The extraction has 166 blank-line-separated blocks, from the site header to "RESOURCES".
    assert len(blocks) == 166
    assert [b.anchor for b in blocks[:3]] == ["p001", "p002", "p003"] and blocks[-1].text == "RESOURCES"
    assert blocks[56].text.startswith("The study population comprised 8 participants, four men and four women.")
    # Joined again, the passages are the file, with runs of blank lines read as one paragraph break.
    text = article.ARTICLE.read_text(encoding="utf-8")
    assert "\n\n".join(b.text for b in blocks) == re.sub(r"\n([ \t]*\n)+", "\n\n", text).strip("\n")


def test_the_reference_list_has_its_47_references():
    refs = article.references()
    # The article's list runs from 1 (Landmark et al. 2012) to 47 (the Health Research Act).
    assert [r.number for r in refs] == list(range(1, 48))
    assert refs[0].text.startswith("Landmark T") and refs[0].anchor == "r01"


def test_tables_keep_their_printed_rows():
    table_2 = next(b for b in article.blocks() if b.kind == "table" and "IPS inclusion" in b.text)
    header, rows = article.table_rows(table_2)
    assert header[0] == "Participant" and len(rows) == 8
    assert rows[5] == ["6", "09.06.2015 17.04.2015 9.2*"]  # P6's end date as printed (erratum E02)


def test_an_unknown_anchor_is_named():
    with pytest.raises(KeyError, match="no passage 'p999'"):
        article.passage("p999")


def test_every_article_link_resolves():
    from reportbuild.sphinx_article import passages

    known = article.anchors()
    broken = {name: [link for link in LINK.findall(text) if passages(link) is None or set(passages(link)) - known]
              for name, text in _all_sources().items()}
    assert {k: v for k, v in broken.items() if v} == {}


def test_a_link_names_one_passage_or_one_range():
    from reportbuild.sphinx_article import passages

    assert passages("57") == ["p057"] and passages("p057") == ["p057"]
    assert passages("113-114") == ["p113", "p114"] and passages("113–114") == ["p113", "p114"]
    assert passages("28,64") is None and passages("114-113") is None and passages("x") is None


@pytest.mark.parametrize("chapter", MAIN_CHAPTERS)
def test_each_main_chapter_links_its_statements_about_the_study(chapter):
    """Every paragraph that states a number about the study links to the article or says it is the report's own."""
    text = _markdown(chapter)
    assert LINK.search(text), f"{chapter} never links to the article"
    unlinked = [p for p in re.split(r"\n\s*\n", text)
                if "{glue}" in p and not LINK.search(p) and "this report" not in p]
    assert unlinked == [], f"{chapter}: paragraphs with numbers but no link to the article: {unlinked}"
