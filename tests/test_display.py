"""Text from data reaches the page as text: property-based checks of every path from data to page.

Arbitrary text (markup, MyST roles, math, LaTeX, backticks, braces, backslashes,
pipes, ampersands, line breaks, right-to-left marks) goes through each display
path (a table, the errata, quotations, the COREQ table with its links, a paged
table's note, figure labels) and is written by Sphinx's own HTML and LaTeX
translators. The written text must be the input (after the documented
normalisation, :func:`analysis.display.plain`), and the written structure must
be the structure written for harmless text: no element, role or command added.
"""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from analysis import display, outputs, tables
from analysis.report import Report
from reportbuild.sphinx_render import ReportMimeRenderer, quotation_nodes, table_nodes

from hostile_data import HOSTILE

#: Text as a data provider could write it; C0 controls other than tab and line feed are refused by the loader.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t\r\u2028\u200f\u202e`{}\\|<&$*_[]()#%~^\"'"),
               min_size=1, max_size=60).filter(lambda t: t.strip() and t.strip() == t)
EXAMPLES = HOSTILE + ["$\\input{/etc/hostname}$", "a\n\n  b", "-- ... \"q\" 'q'", "1.5", "–", "{ref}`sec-methods`"]


def _sphinx(builder: str, tmp: Path):
    from sphinx.application import Sphinx

    src = tmp / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text("latex_engine = 'xelatex'\n", encoding="utf-8")
    (src / "index.rst").write_text("index\n=====\n", encoding="utf-8")
    return Sphinx(src, src, tmp / builder, tmp / f"{builder}-doctrees", builder, status=None,
                  warning=io.StringIO(), freshenv=True)


class Writers:
    """Sphinx's HTML5 and LaTeX translators, applied to nodes as the real build applies them."""

    def __init__(self, tmp: Path):
        self.html_app = _sphinx("html", tmp)
        self.latex_app = _sphinx("latex", tmp)
        self.html_app.builder.prepare_writing({"index"})

    def _document(self, settings, children):
        from docutils import nodes
        from sphinx import addnodes
        from sphinx.util.docutils import new_document

        document = new_document("<test>", settings)
        document.settings.env = None
        for child in children:
            document += child
        for ref in list(document.findall(addnodes.pending_xref)):  # resolved as Sphinx resolves a section label
            assert (ref["refdomain"], ref["reftype"], ref["refwarn"]) == ("std", "ref", True)
            ref.replace_self(nodes.reference("", "", *ref.children, internal=True, refuri="#" + ref["reftarget"]))
        return document

    def html(self, children) -> str:
        builder = self.html_app.builder
        builder.current_docname = "index"
        document = self._document(builder.docsettings, children)
        translator = builder.create_translator(document, builder)
        document.walkabout(translator)
        return "".join(translator.body)

    def latex(self, children) -> str:
        import warnings

        from docutils.frontend import OptionParser
        from sphinx.writers.latex import LaTeXTranslator, LaTeXWriter

        builder = self.latex_app.builder
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            settings = OptionParser(defaults=self.latex_app.env.settings, components=(LaTeXWriter(builder),),
                                    read_config_files=False).get_default_values()
        settings.docname, settings.docclass = "index", "howto"
        document = self._document(settings, children)
        translator = LaTeXTranslator(document, builder, builder.themes.get("howto"))
        document.walkabout(translator)
        return "".join(translator.body)


@pytest.fixture(scope="module")
def writers(tmp_path_factory) -> Writers:
    return Writers(tmp_path_factory.mktemp("sphinx"))


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_data(self, data):
        if data.strip():
            self.texts.append(data)


def _parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


def _latex_escape(text: str) -> str:
    from sphinx.util.texescape import escape

    return escape(text, "xelatex")


#: TeX's special characters: after the escapes are taken out, none may be left.
TEX_SPECIALS = set("\\{}$&#^_%~")


def _assert_latex_is_text(text: str, written: str, harmless: str, safe: str) -> None:
    escaped = _latex_escape(text)
    widths = re.compile(r"\\X\{\d+\}\{\d+\}")  # column widths follow the length of the text, by design
    assert widths.sub("X", written) == widths.sub("X", harmless.replace(safe, escaped))
    from sphinx.util.texescape import _tex_escape_map_without_unicode as escapes

    leftover = escaped
    for replacement in sorted(set(escapes.values()), key=len, reverse=True):
        leftover = leftover.replace(replacement, "")
    assert not TEX_SPECIALS & set(leftover), f"unescaped TeX in {escaped!r}"


def _check(writers: Writers, make_nodes, text: str, placed: int = 1) -> None:
    """``make_nodes(s)`` builds the nodes of a path with ``s`` in it; the page must show ``text`` literally."""
    shown = display.plain(text)
    # harmless text of the same kind and shape, in letters that no HTML or TeX markup uses: a number stays a
    # number (right-aligned), a long word a long word (a cell that may break it), line breaks stay put
    safe = re.sub(r"\S", "\u0669" if display.is_number(shown) else "\u0436", shown)
    page, harmless = _parse(writers.html(make_nodes(text))), _parse(writers.html(make_nodes(safe)))
    assert page.tags == harmless.tags  # no element (or attribute) added
    assert page.texts.count(shown) + sum(shown in t for t in page.texts if t != shown) >= placed, page.texts
    assert "".join(page.texts).count(shown) >= placed  # the parser has already decoded the entities
    _assert_latex_is_text(shown, writers.latex(make_nodes(text)), writers.latex(make_nodes(safe)), safe)


def _table(frame: pd.DataFrame):
    bundle = tables.shown(frame)._repr_mimebundle_()
    assert set(bundle) == {display.MIME_TABLE, "text/plain"}  # no HTML, Markdown or LaTeX to be parsed
    return table_nodes(bundle[display.MIME_TABLE])


@settings(deadline=None)
@given(TEXT)
@example("\n".join(HOSTILE))
def test_a_table_cell_is_text(writers, text):
    frame = pd.DataFrame({"Participant": ["P1"], "Note": [text], "n": ["3"]}).set_index("Participant")
    _check(writers, lambda s: _table(frame.assign(Note=[s])), text)


@settings(deadline=None)
@given(TEXT)
def test_a_header_and_a_row_label_are_text(writers, text):
    _check(writers, lambda s: _table(pd.DataFrame({s: ["x"]}, index=pd.Index([s], name="who"))), text, placed=2)


@settings(deadline=None)
@given(TEXT)
@example(" ".join(EXAMPLES))
def test_errata_are_text(writers, text):
    def errata(s):
        frame = pd.DataFrame([{"id": "E01", "kind": "gap", "location": s, "printed": s, "issue": s, "reading": s}])
        return _table(tables.errata(frame))
    _check(writers, errata, text, placed=4)


@pytest.fixture(scope="module")
def report() -> Report:
    return Report.load()


@pytest.fixture(scope="module")
def data(report) -> dict[str, pd.DataFrame]:
    return report.data


@settings(deadline=None)
@given(TEXT, TEXT)
@example(" ".join(HOSTILE), "P1 <b>")
def test_quotations_are_text(writers, data, text, who):
    def quotes(s):
        frame = data["quotes"].copy()
        first = frame.index[frame["subtheme"] == "helpful_elements"][0]
        frame.loc[first, "text"], frame.loc[first, "participant"] = s, who
        bundle = outputs.quotations(frame)["helpful_elements"]._repr_mimebundle_()
        assert set(bundle) == {display.MIME_QUOTES, "text/plain"}
        return quotation_nodes(bundle[display.MIME_QUOTES])
    _check(writers, quotes, text)


@settings(deadline=None)
@given(TEXT)
def test_coreq_evidence_is_text_and_its_link_a_reference(writers, data, text):
    # the table's own mark for evidence the article does not give is shown bare, any other evidence quoted
    assume(display.plain(text) != tables.DASH)

    def coreq(s):
        frame = data["coreq"].copy()
        frame.loc[0, "evidence"], frame.loc[0, "article_location"] = s, s
        return _table(tables.coreq(frame))
    _check(writers, coreq, text, placed=2)


@settings(deadline=None)
@given(TEXT)
def test_a_paged_tables_note_is_text(writers, text):
    frame = pd.DataFrame({"Participant": [f"P{i}" for i in range(5)], "v": ["1"] * 5}).set_index("Participant")
    _check(writers, lambda s: _table(tables.paged(frame, max_rows=2, source=s)), text)


@settings(deadline=None)
@given(TEXT)
@example(" ".join(EXAMPLES))
def test_a_group_heading_a_note_and_a_source_are_text(writers, text):
    def grouped(s):
        frame = pd.DataFrame({"group": [s, s], "Participant": ["P1", "P2"], "n": ["1", "2"]})
        table = tables.shown(frame.set_index(["group", "Participant"]), group="group", notes=[s],
                             source={"function": "analysis.tables.table_1", "data": [s]})
        return table_nodes(table._repr_mimebundle_()[display.MIME_TABLE])
    # the heading and the note; the source's file name is checked for structure (it is a literal,
    # which Sphinx writes one word per element)
    _check(writers, grouped, text, placed=2)


def test_a_grouped_table_heads_each_group_once_across_the_table():
    frame = pd.DataFrame({"check": ["a", "a", "b"], "Subject": ["P1", "P2", "P1"], "Verdict": ["ok", "no", "ok"]})
    payload = tables.shown(frame.set_index(["check", "Subject"]), group="check", notes=["n."])._repr_mimebundle_()
    table = payload[display.MIME_TABLE]
    assert table["header"] == ["Subject", "Verdict"] and table["groups"] == [[0, "a"], [2, "b"]]
    assert payload["text/plain"].splitlines() == ["Subject  Verdict", "[a]", "P1       ok", "P2       no", "[b]",
                                                  "P1       ok", "n."]
    [block] = table_nodes(table)
    rows = list(block.findall(lambda n: n.tagname == "row"))
    headings = [r for r in rows if "ips-group" in r["classes"]]
    assert [h.astext() for h in headings] == ["a", "b"] and all(h[0]["morecols"] == 1 for h in headings)


def test_a_key_breaks_after_its_underscores_only():
    frame = pd.DataFrame({"Number": ["n_employed_12m"], "Value": ["3"]}).set_index("Number")
    [block] = table_nodes(tables.shown(frame, keys=["Number"])._repr_mimebundle_()[display.MIME_TABLE])
    key = next(n for n in block.findall(lambda n: "ips-key" in getattr(n, "get", lambda *a: [])("classes", [])))
    assert "".join(t.astext() for t in key.children if t.tagname == "#text") == "n_employed_12m"
    assert [r.astext() for r in key.findall(lambda n: n.tagname == "raw")] == ["<wbr>", "\\allowbreak{}"] * 2


def test_the_renderer_takes_the_reports_outputs_before_any_other():
    overrides = {(builder, mime) for builder, mime, _ in ReportMimeRenderer.mime_priority_overrides}
    assert overrides == {("*", display.MIME_TABLE), ("*", display.MIME_QUOTES), ("*", display.MIME_TEXT),
                         ("*", display.MIME_VALUE)}
    assert all(priority < 10 for *_, priority in ReportMimeRenderer.mime_priority_overrides)


def test_normalisation_is_nfc_and_one_line_feed_per_break():
    assert display.plain("e\u0301") == "\u00e9"  # NFC
    assert display.plain("a \r\n\r\n  b\u2028c") == "a\nb\nc"
    assert display.plain("  tabs\tand spaces  ") == "  tabs\tand spaces  "


@settings(deadline=None)
@given(TEXT)
@example("Costs in $ and $ <b>")
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_figure_labels_are_never_math(report, text):
    from analysis import figures, qualitative

    themes = report.data["themes"].assign(title=[text] + list(report.data["themes"]["title"][1:]))
    matrix = qualitative.quote_matrix(report.data["quotes"], report.data["participants"], themes)
    fig = figures.quote_matrix(matrix, list(themes.sort_values("number")["title"]))
    labels = [label for label in fig.axes[0].get_xticklabels()]
    first = labels[0]
    shown, is_math = first._preprocess_math(first.get_text())
    assert is_math is False
    assert re.sub(r"\s+", "", shown) == re.sub(r"\s+", "", text)  # wrapped onto lines, never changed


def test_the_synthetic_banner_escapes_the_packages_title():
    from reportbuild.sphinx_stamp import announcement

    banner = announcement({"title": HOSTILE[0] + HOSTILE[1]})
    assert "<" not in banner and html.unescape(banner).count(HOSTILE[0] + HOSTILE[1]) == 1


def test_column_widths_follow_the_text_within_bounds():
    from reportbuild.sphinx_render import column_widths

    # Each width is the text's plus a cell's padding of 3 characters: LaTeX's \tabcolsep (6 pt) on
    # both sides of a cell is 12 pt, 2.4 characters of 5 pt in the tables' small type, rounded up.
    rows = [["P1", "x" * 20, "3"], ["P2", "short", "12"], ["P3", "a bit longer text", "7"], ["P4", "y" * 90, "1"]]
    # Note: the upper quartile of its lengths is 90, capped at 40; Participant: its longest word (11);
    # n: never under 4
    assert column_widths(["Participant", "Note", "n"], rows) == [11 + 3, 40 + 3, 4 + 3]
    # one long cell among short ones: half its length (60 // 2 = 30), not the quartile (1)
    assert column_widths(["Why"], [["–"]] * 9 + [["z " * 30]]) == [30 + 3]
    # a long word is not broken if it can be helped: "Pneumonoultramicroscopic" (24) is capped at 20
    assert column_widths(["Word"], [["Pneumonoultramicroscopic"]] + [["a"]] * 9) == [20 + 3]
    # a long identifier may break after its underscores (the PDF marks where): its longest piece,
    # "discussion_" (11), counts
    assert column_widths(["Number"], [["discussion_extended_n"]] + [["a"]] * 9) == [11 + 3]


def test_columns_wider_than_a_line_are_fitted_without_squeezing_a_word():
    from reportbuild.sphinx_render import LINE, PADDING, WIDE_LINE, WIDE_PADDING, column_layout

    # the instruments' table: a short "Range" column beside four that wrap
    header = ["Measure", "Range", "Units and direction", "Interpretation", "Source of thresholds"]
    rows = [["HSCL-25 depression (1-4)", "0–100", "mean item score (1-4), higher is more distress",
             "minimal disability 0–20; moderate disability 21–40; severe disability 41–60", "fairbank2000"]] * 4
    widths, wide = column_layout(header, rows)
    assert not wide and sum(widths) <= LINE + len(widths)
    assert widths[1] >= len("Range") + PADDING  # the short column keeps its header whole
    assert all(w >= len(word) + PADDING for w, word in zip(widths, ["depression", "Range", "distress",
                                                                    "disability", "thresholds"]))
    # nine columns whose longest words do not fit a line: smaller type, and only body words kept whole
    header = ["Participant", "IPS inclusion", "IPS termination", "Job start", "Months, printed",
              "Months, from dates", "Difference", "Check", "Extended follow-up"]
    rows = [["P1", "17.04.2015", "08.05.2015", "–", "0.7", "0.7", "+0.0",
             "shorter than the dates allow (time excluded, footnote a)", "no"]] * 8
    widths, wide = column_layout(header, rows)
    assert wide and sum(widths) <= WIDE_LINE + len(widths)
    assert all(w >= 10 + WIDE_PADDING for w in widths[1:3])  # the dates are never broken
    assert widths[7] > widths[0]  # the column of sentences gets the room the others do not need


def test_a_cell_of_citation_keys_is_a_citation():
    from reportbuild.sphinx_render import citation_keys

    known = {"fairbank2000", "landmark2012", "rustoen2004"}
    assert citation_keys("fairbank2000", known) == ["fairbank2000"]
    assert citation_keys("landmark2012; rustoen2004", known) == ["landmark2012", "rustoen2004"]
    assert citation_keys("landmark2012, rustoen2004", known) == ["landmark2012", "rustoen2004"]
    for text in ["fairbank2000 and more", "fairbank1999", "landmark2012; unknown", "", "see fairbank2000",
                 "{cite:p}`fairbank2000`", "fairbank2000."]:
        assert citation_keys(text, known) is None, text
