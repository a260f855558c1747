"""analysis.figures: every figure is a Figure, deterministic vector graphics, legible, closed in pyplot."""

import base64
import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis import figures
from analysis.report import Report

pytestmark = pytest.mark.xdist_group("figures")  # one worker draws each figure once

FIGURES = ["clinical_profile", "employment_timeline", "employment_comparison", "flow_diagram", "quote_matrix"]


@pytest.fixture(scope="module")
def report():
    return Report.load()


@pytest.fixture(scope="module")
def drawn(report):
    """Each figure made once, with its SVG and PDF as a page shows them (its MIME bundle, also kept),
    for the tests that only look at them (drawing the clinical profile takes seconds)."""
    made = {}

    def get(name):
        if name not in made:
            shown = getattr(report, name)()
            bundle = shown._repr_mimebundle_()
            made[name] = (shown, bundle[0]["image/svg+xml"], base64.b64decode(bundle[0]["application/pdf"]), bundle)
        return made[name]
    return get


def svg_font_sizes(svg: str) -> list[float]:
    """The size in points of every piece of text in a Matplotlib SVG (text drawn as glyph paths,
    each run scaled by size / 100)."""
    return [100 * float(s) for s in re.findall(r'<g transform="translate\([^)]*\)(?: rotate\([^)]*\))? '
                                               r'scale\(([\d.]+) -[\d.]+\)"', svg)]


def svg_width_pt(svg: str) -> float:
    return float(re.search(r'<svg [^>]*width="([\d.]+)pt"', svg).group(1))


def svg_words(svg: str) -> set[str]:
    """The words and numbers a Matplotlib SVG shows (it writes each line of text in a comment before its glyphs)."""
    return {word for line in re.findall(r"<!-- (.*?) -->", svg, re.S) for word in line.split()}


@pytest.mark.parametrize("name", FIGURES)
def test_figure_is_returned_and_deterministic(report, drawn, name, monkeypatch):
    first, svg, pdf, (data, metadata) = drawn(name)
    before = len(plt.get_fignums())
    again = getattr(report, name)()
    assert isinstance(again.figure, Figure)
    assert len(plt.get_fignums()) == before  # the function leaves no open pyplot figure
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # no date of any kind gets into the files
    # the same files again: drawn again, and exported again (another date, the layout fixed once)
    assert svg == again.svg() and pdf == again.pdf() and base64.b64decode(data["image/png"]) == again.png()
    assert again.narrow_svg() == metadata[figures.FIGURE_NARROW]
    assert first.svg() == svg
    assert "<dc:date>" not in svg and b"/CreationDate" not in pdf


@pytest.mark.parametrize("name", FIGURES)
def test_figure_displays_as_svg_pdf_and_png_with_its_source(drawn, name):
    shown, svg, _, (data, metadata) = drawn(name)
    assert data["image/svg+xml"] == shown.svg()  # what a page shows is the figure's own export
    assert set(data) == {"image/svg+xml", "application/pdf", "image/png", "text/plain"}
    png = base64.b64decode(data["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    # the PNG is the SVG's drawing at 200 dots per inch: an SVG point is 1/72 in
    width_px = int.from_bytes(png[16:20], "big")  # the IHDR chunk's width
    assert abs(width_px / (svg_width_pt(svg) / 72 * 200) - 1) < 0.005  # tight bounding boxes round apart
    assert data["image/svg+xml"].startswith("<?xml") and base64.b64decode(data["application/pdf"]).startswith(b"%PDF")
    narrow = shown.narrow_svg()
    assert metadata[figures.FIGURE_NARROW] == narrow and narrow.startswith("<?xml")
    source = metadata[figures.FIGURE_SOURCE]
    assert source["function"] == f"analysis.figures.{name}"
    assert source["data"] and all(f.startswith("data/") and f.endswith(".csv") for f in source["data"])
    assert f"Made by analysis.figures.{name} from data/" in data["text/plain"]


@pytest.mark.parametrize("name", FIGURES)
def test_figure_text_is_never_small(drawn, name):
    """No text under MIN_FONT_PT, in the figure and in its SVG, and no figure wider than WIDTH inches
    (a figure wider than the column is shrunk, and its text with it)."""
    shown, svg, *_ = drawn(name)
    assert min(figures.text_sizes(shown.figure)) >= figures.MIN_FONT_PT
    sizes = svg_font_sizes(svg)
    assert sizes and min(sizes) >= figures.MIN_FONT_PT - 1e-6
    assert svg_width_pt(svg) <= (figures.WIDTH + 0.25) * 72
    assert shown.figure.get_size_inches()[0] <= figures.WIDTH


@pytest.mark.parametrize("name", FIGURES)
def test_phone_rendition_is_legible_on_a_phone(drawn, name):
    """Shown across a phone's column (342 CSS px on a 390 px screen, or its own size if smaller), the phone rendition's
    smallest text is at least 9 CSS px: s pt in an SVG W pt wide shown w px wide is s * w / W px."""
    shown, *_, (_, metadata) = drawn(name)
    svg = metadata[figures.FIGURE_NARROW]  # as a page shows it
    width, sizes = svg_width_pt(svg), svg_font_sizes(svg)
    assert sizes and min(sizes) >= figures.MIN_FONT_PT - 1e-6
    shown_px = min(figures.NARROW_COLUMN_PX, width * 4 / 3)
    smallest = min(sizes) * shown_px / width
    assert smallest >= figures.NARROW_MIN_CSS_PX, f"{name}: {smallest:.2f} CSS px in a {width / 72:.2f} in figure"
    assert shown.narrow.get_size_inches()[0] <= figures.NARROW_WIDTH


@pytest.mark.parametrize("name", FIGURES)
def test_both_renditions_show_the_same_labels_and_numbers(drawn, name):
    """The phone rendition re-lays out the figure (lines wrapped, labels moved, a row of panels' participant
    labels repeated on each of its rows), never its words or numbers."""
    _, svg, _, (_, metadata) = drawn(name)
    words = svg_words(svg)
    assert words and svg_words(metadata[figures.FIGURE_NARROW]) == words


def _crossed(fig: Figure) -> list[str]:
    """The texts of a figure that a line crosses: its axes' left spines and each of its vertical lines."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.transforms import Bbox

    renderer = FigureCanvasAgg(fig).get_renderer()
    crossed = []
    for ax in fig.axes:
        boxes = [ax.spines["left"].get_window_extent(renderer)] if ax.spines["left"].get_visible() else []
        for lines in (c for c in ax.collections if isinstance(c, LineCollection)):
            boxes += [Bbox(lines.get_transform().transform(segment)) for segment in lines.get_segments()]
        boxes += [line.get_window_extent(renderer) for line in ax.lines  # a vertical line (axvline)
                  if len(set(line.get_xdata())) == 1 and len(line.get_xdata()) > 1]
        for text in ax.texts:
            box = text.get_window_extent(renderer)
            if text.get_text().strip() and any(box.overlaps(line) for line in boxes):
                crossed.append(text.get_text())
    return crossed


@pytest.mark.parametrize("narrow", [False, True])
def test_no_line_crosses_a_count_of_the_timeline(drawn, narrow):
    """The number employed at each follow-up stands above the rows: neither the y axis nor the
    follow-up's dotted line runs through it (they did: "0 employed" struck through by the axis)."""
    shown = drawn("employment_timeline")[0]
    fig = shown.narrow if narrow else shown.figure
    assert [t.get_text().replace("\n", " ") for t in fig.axes[0].texts] == [
        "0 employed", "0 employed", "1 employed", "3 employed"]  # Table 2: P2 by 6 months, P3 and P4 by 12
    assert _crossed(fig) == []


def test_clinical_profile_is_one_row_per_instrument_group(drawn):
    fig = drawn("clinical_profile")[0].figure
    assert len(fig.axes) == 7
    rows = {}
    for ax in fig.axes:
        rows.setdefault(round(ax.get_position().y0, 3), []).append(ax)
    assert sorted(len(r) for r in rows.values()) == [2, 2, 3]  # disability and health, pain, HSCL-25
    for ax in fig.axes:  # band names and every other text are written horizontally
        assert all(t.get_rotation() == 0 for t in ax.findobj(Text) if t.get_text().strip())


def test_timeline_writes_counts_at_followups(report):
    texts = [t.get_text() for t in report.employment_timeline().axes[0].texts]
    assert texts == ["0 employed", "0 employed", "1 employed", "3 employed"]


def test_clinical_profile_marks_missing_values(drawn):
    fig = drawn("clinical_profile")[0]
    missing = [t for ax in fig.axes for t in ax.texts if t.get_text() == "missing"]
    assert len(missing) == 2  # P4's ODI and thermometer


def test_quote_matrix_prints_every_count(report):
    fig = report.quote_matrix()
    counts = [t.get_text() for t in fig.axes[0].texts]
    assert len(counts) == 8 * 4 and sum(int(c) for c in counts if c != "·") == 38
