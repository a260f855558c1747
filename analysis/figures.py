"""Figures of the report. Each function takes data and returns a Figure.

All figures share one style (``report.mplstyle``) and the Okabe-Ito
colour-blind-safe palette, and none relies on colour alone: markers, hatching
and direct labels carry the same information. Nothing here is random.

Every figure is drawn at most :data:`WIDTH` inches wide with no text under
:data:`MIN_FONT_PT` points, so that shown across the report's text column its
smallest text is at least 10 CSS pixels (``tests/test_browser.py`` measures
it). Each function also draws a phone rendition (``narrow=True``) from the same
data, :data:`NARROW_WIDTH` inches wide, its panels stacked and its long labels
wrapped, so that shown across a phone's column its smallest text is at least 9
CSS pixels. A chapter displays a figure through :class:`Shown`: SVG for the
HTML (with the phone rendition for narrow screens) and PDF for LaTeX, and a PNG
that the HTML offers for download with the other two; the same bytes on every
run, with a note of how it was made.
"""

from __future__ import annotations

import base64
import io
import textwrap

import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Text

from .clinical import MEASURES, bands
from .display import FIGURE_NARROW, FIGURE_PNG_DPI, FIGURE_SOURCE, source_line
from .paths import STYLE_FILE
from .provenance import reads

#: Okabe-Ito palette (Okabe and Ito 2008), safe for the common colour-vision deficiencies.
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "pink": "#CC79A7",
           "sky": "#56B4E9", "vermillion": "#D55E00", "yellow": "#F0E442", "black": "#000000",
           "grey": "#999999"}
#: Above this many participants, figures show distributions instead of one mark per person.
MAX_INDIVIDUALS = 30

#: Light greys for bands, ordered from least to most severe; darker means worse.
BAND_SHADES = ["#f2f2f2", "#dddddd", "#c6c6c6", "#adadad", "#939393"]

#: The widest a figure is drawn (inches): about the text column, so it is shown at nearly its own size.
WIDTH = 7.0
#: The smallest text in any figure (points).
MIN_FONT_PT = 9
#: The width of a figure's phone rendition (inches). Shown across a phone's text column (342 CSS
#: px of a 390 px screen, measured in the built site) an SVG at most 342 pt wide shows text of s pt at least s CSS px high.
NARROW_WIDTH = 4.4
#: The column a phone rendition is shown in (CSS px) and the smallest text it must show there (CSS px).
NARROW_COLUMN_PX, NARROW_MIN_CSS_PX = 342, 9
#: Metadata that would differ between runs (dates, the matplotlib version) is left out of the files, by kind.
_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}, "png": {"Software": None}}


def styled(function):
    """Run a plotting function inside the report's style."""
    def wrapper(*args, **kwargs):
        with matplotlib.style.context(STYLE_FILE):
            fig = function(*args, **kwargs)
            if fig.get_layout_engine() is not None:  # lay it out once and keep it so: every export the same
                fig.draw_without_rendering()
                fig.set_layout_engine("none")
        return fig
    wrapper.__name__ = function.__name__
    wrapper.__qualname__ = function.__qualname__
    wrapper.__doc__ = function.__doc__
    wrapper.__wrapped__ = function
    if hasattr(function, "reads"):
        wrapper.reads = function.reads
    return wrapper


def export(fig: Figure, kind: str) -> bytes:
    """The figure as an SVG, PDF or PNG file, in the report's style, identical on every run."""
    buffer = io.BytesIO()
    with matplotlib.style.context(STYLE_FILE):
        fig.savefig(buffer, format=kind, metadata=_METADATA[kind], **({"dpi": FIGURE_PNG_DPI} if kind == "png" else {}))
    return buffer.getvalue()


def text_sizes(fig: Figure) -> list[float]:
    """The size in points of every piece of text the figure shows."""
    fig.canvas.draw_idle()
    return [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _wrap(text: str, width: int | None) -> str:
    """Each line of the text wrapped at ``width`` characters (``None``: as it is)."""
    return text if width is None else "\n".join(textwrap.fill(line, width, break_on_hyphens=False)
                                                for line in text.split("\n"))


class Shown:
    """A figure for display: ``image/svg+xml`` (HTML) and ``application/pdf`` (LaTeX), with how it was made,
    and ``image/png``, which the HTML offers for download beside the other two.

    Attributes not its own are the figure's (``shown.axes``). The note of how it
    was made travels in the output's metadata and its plain text; the Sphinx
    renderer prints it under the caption. ``narrow``, the phone rendition, travels
    as an SVG in the output's metadata (:data:`FIGURE_NARROW`); the HTML shows it
    on narrow screens.
    """

    def __init__(self, figure: Figure, source: dict, narrow: Figure | None = None):
        self.figure = figure
        self.source = source
        self.narrow = narrow

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.figure, name)

    def svg(self) -> str:
        return export(self.figure, "svg").decode("utf-8")

    def pdf(self) -> bytes:
        return export(self.figure, "pdf")

    def png(self) -> bytes:
        return export(self.figure, "png")

    def narrow_svg(self) -> str | None:
        return None if self.narrow is None else export(self.narrow, "svg").decode("utf-8")

    def _repr_mimebundle_(self, include=None, exclude=None):
        width, height = self.figure.get_size_inches()
        data = {"image/svg+xml": self.svg(), "application/pdf": base64.b64encode(self.pdf()).decode("ascii"),
                "image/png": base64.b64encode(self.png()).decode("ascii"),
                "text/plain": f"<figure {width:g} x {height:g} in> {source_line(self.source)}"}
        metadata = {FIGURE_SOURCE: self.source}
        if self.narrow is not None:
            metadata[FIGURE_NARROW] = self.narrow_svg()
        return data, metadata


def _band_edges(table: pd.DataFrame, low: float, high: float, whole: bool) -> list[tuple[str, float, float]]:
    """(label, left, right) of each band on the axis. On a whole-number scale a band's edges lie half a
    point outside its values, so that a value on a band's bound is drawn inside its band."""
    half = 0.5 if whole else 0.0
    edges = []
    for i, (_, band) in enumerate(table.iterrows()):
        left = low - half if i == 0 else band["lower"] - half
        right = high + half if i == len(table) - 1 else table["lower"].iloc[i + 1] - half
        edges.append((band["label"], left, right))
    return edges


def _shade_bands(ax, measure, literature, cutoff, band_groups, low, high, label_at=None) -> None:
    """Grey clinical bands behind a measure's panel (darker is worse), and the HSCL-25 cut-off;
    band names are written at ``label_at`` on the y axis when it is given."""
    if measure in band_groups:
        table = bands(literature, band_groups[measure], high)
        edges = _band_edges(table, low, high, whole=True)
        for i, (shade, (label, left, right)) in enumerate(zip(BAND_SHADES, edges)):
            ax.axvspan(left, right, color=shade, lw=0, zorder=0)
            if label_at is not None:
                name = label.split()[0] if len(label.split()) > 1 and label.split()[0] != "no" else label
                first = i == 0 and (right - left) < (high - low) / 8
                ax.text(left if first else (left + right) / 2, label_at, name, ha="left" if first else "center",
                        va="center", fontsize=MIN_FONT_PT)
    if measure.startswith("hscl"):
        ax.axvspan(cutoff, high + 0.1, color=BAND_SHADES[2], lw=0, zorder=0)
        ax.axvline(cutoff, color=PALETTE["black"], lw=1, ls="--", zorder=1)
        if label_at is not None:
            ax.text(cutoff, label_at, f" case ≥ {cutoff:g}", fontsize=MIN_FONT_PT, ha="left", va="center")


#: How the clinical profile lays out the seven measures: one row per instrument group, on a grid of six columns.
PROFILE_LAYOUT = [["odi"] * 4 + ["health_thermometer"] * 2,
                  ["pain_intensity"] * 3 + ["pain_bothersomeness"] * 3,
                  ["hscl_total"] * 2 + ["hscl_anxiety"] * 2 + ["hscl_depression"] * 2]
#: The phone rendition's layout: one measure to a row, the three HSCL-25 scales side by side.
NARROW_PROFILE_LAYOUT = [["odi"] * 6, ["health_thermometer"] * 6, ["pain_intensity"] * 6, ["pain_bothersomeness"] * 6,
                         ["hscl_total"] * 2 + ["hscl_anxiety"] * 2 + ["hscl_depression"] * 2]
#: Tick marks of each scale in the clinical profile.
_TICKS = {"odi": range(0, 101, 20), "health_thermometer": range(0, 101, 25), "pain_intensity": range(0, 11, 2),
          "pain_bothersomeness": range(0, 11, 2), "hscl_total": range(1, 5), "hscl_anxiety": range(1, 5),
          "hscl_depression": range(1, 5)}


def _profile_layout(narrow: bool) -> list[list[str]]:
    return NARROW_PROFILE_LAYOUT if narrow else PROFILE_LAYOUT


def _profile_axes(height: float, sharey: bool, narrow: bool = False):
    fig = Figure(figsize=(NARROW_WIDTH if narrow else WIDTH, height), layout="constrained")
    axd = fig.subplot_mosaic(_profile_layout(narrow), sharey=sharey)
    fig.get_layout_engine().set(h_pad=0.06, hspace=0.06, wspace=0.04)
    return fig, axd


def _profile_title(measure: str, narrow: bool) -> str:
    """A measure's name over its panel, on two lines in a narrow panel (the phone's HSCL-25 row)."""
    return _wrap(MEASURES[measure], 16 if narrow and measure.startswith("hscl") else None)


def _profile_panel(ax, measure, scale, literature, cutoff, band_groups, label_at=None,
                   narrow=False) -> tuple[float, float]:
    low, high = scale[measure]
    pad = 0.5 if high - low >= 10 and high <= 10 else (high - low) * 0.02
    pad = max(pad, 0.5) if measure in band_groups else pad
    _shade_bands(ax, measure, literature, cutoff, band_groups, low, high, label_at=label_at)
    ax.set_xlim(low - pad, high + pad)
    ax.set_xticks(list(_TICKS[measure]))
    ax.set_title(_profile_title(measure, narrow), loc="left", fontsize=10)
    return low, high


@reads("clinical", "literature")
@styled
def clinical_profile(clinical: pd.DataFrame, literature: pd.DataFrame, cutoff: float,
                     band_groups: dict[str, str], scale: dict[str, tuple[float, float]], *,
                     narrow: bool = False) -> Figure:
    """Each participant on every Table 1 measure, against the measure's clinical bands.

    One row of panels per instrument group (:data:`PROFILE_LAYOUT`): disability
    and self-rated health, pain, distress. Participants are rows (P1 at the
    top); band names are written across the top of a panel, and grey bands
    (darker is worse) come from ``literature.csv``; the HSCL-25 panels mark the
    caseness cut-off. Missing values are written as "missing" in the panel.
    ``narrow``: the phone rendition, one measure to a row (:data:`NARROW_PROFILE_LAYOUT`).
    """
    if len(clinical) > MAX_INDIVIDUALS:
        return _clinical_distributions(clinical, literature, cutoff, band_groups, scale, narrow)
    people = list(clinical["participant"])
    y = np.arange(len(people))
    layout = _profile_layout(narrow)
    row_height = 0.62 + (0.18 if narrow else 0.2) * len(people)
    fig, axd = _profile_axes(0.75 + len(layout) * row_height, sharey=True, narrow=narrow)
    first_of_row = {row[0] for row in layout}
    for measure in MEASURES:
        ax = axd[measure]
        low, high = _profile_panel(ax, measure, scale, literature, cutoff, band_groups, label_at=-1.1,
                                   narrow=narrow)
        for yy in y:
            ax.axhline(yy, color="#ffffff", lw=0.8, zorder=1)
        values = clinical[measure].astype("float64").to_numpy()
        present = ~np.isnan(values)
        ax.plot(values[present], y[present], "o", color=PALETTE["blue"], mec="black", mew=0.6, ms=6.5, zorder=3)
        for yy in y[~present]:
            ax.text((low + high) / 2, yy, "missing", ha="center", va="center", fontsize=MIN_FONT_PT,
                    style="italic", zorder=3)
        ax.set_ylim(len(people) - 0.5, -1.8)
        ax.tick_params(axis="y", length=0, labelleft=measure in first_of_row)
        ax.spines["left"].set_visible(False)
    for measure in first_of_row:
        axd[measure].set_yticks(y, people)
    return fig


def _clinical_distributions(clinical, literature, cutoff, band_groups, scale, narrow=False) -> Figure:
    """The large-cohort form of the clinical profile: a histogram per measure over its bands."""
    layout = _profile_layout(narrow)
    fig, axd = _profile_axes(0.6 + len(layout) * (1.7 if narrow else 2.0), sharey=False, narrow=narrow)
    for measure in MEASURES:
        ax = axd[measure]
        low, high = _profile_panel(ax, measure, scale, literature, cutoff, band_groups, narrow=narrow)
        values = clinical[measure].astype("float64").dropna()
        ax.hist(values, bins=np.linspace(low, high, 21), color=PALETTE["blue"], edgecolor="white", zorder=3)
        missing = int(clinical[measure].isna().sum())
        ax.set_title(f"{_profile_title(measure, narrow)}\nn = {len(values)}, missing {missing}", loc="left",
                     fontsize=10)
    for row in layout:
        axd[row[0]].set_ylabel("participants")
    return fig


#: The x axis of the employment timeline, wrapped for a phone.
_MONTHS_LABEL = "months since IPS inclusion (follow-ups at the dotted lines)"


def _employed_at(month: int, count: int, narrow: bool) -> str:
    """The number employed at a follow-up, written over its dotted line (on two lines for a phone)."""
    return f"{count}\nemployed" if narrow else f"{count} employed"


def _employment_curve(timeline: pd.DataFrame, status: pd.DataFrame, months: list[int], narrow=False) -> Figure:
    """The large-cohort form of the timeline: share in IPS and share employed, month by month."""
    fig = Figure(figsize=(NARROW_WIDTH if narrow else WIDTH, 4.2))
    ax = fig.subplots()
    days = 365.25 / 12
    grid = np.linspace(0, max(months), 200)
    end_month = ((timeline["ips_end"] - timeline["ips_start"]).dt.days / days).to_numpy()
    job_month = ((timeline["job_start"] - timeline["ips_start"]).dt.days / days).to_numpy()
    in_ips = (end_month[None, :] >= grid[:, None]).mean(axis=1)
    employed = (np.nan_to_num(job_month, nan=np.inf)[None, :] <= grid[:, None]).mean(axis=1)
    ax.plot(grid, in_ips, color=PALETTE["blue"], ls="--", label="in IPS")
    ax.plot(grid, employed, color=PALETTE["orange"], label="employed")
    for month in months:  # each line stops below its count, and so does the y axis: neither crosses a count
        ax.vlines(month, 0, 1, color=PALETTE["grey"], ls=":", lw=1)
        ax.text(month, 1.02, _employed_at(month, int(status[month].sum()), narrow), ha="center",
                fontsize=MIN_FONT_PT)
    ax.spines["left"].set_bounds(0, 1)
    ax.set_ylim(0, 1.16 if narrow else 1.08)
    ax.set_xticks(months, [f"{m}" for m in months])
    ax.set_xlabel(_wrap(_MONTHS_LABEL, 36 if narrow else None))
    ax.set_ylabel(f"share of the {len(timeline)} participants")
    ax.legend(loc="center right")
    fig.tight_layout()
    return fig


@reads("ips_timeline", "errata", "followups", "participants")
@styled
def employment_timeline(timeline: pd.DataFrame, status: pd.DataFrame, months: list[int],
                        dropouts: set[str], *, narrow: bool = False) -> Figure:
    """Swimmer plot: each participant's IPS period, job start and follow-ups, in months since inclusion.

    Bars are the IPS period (hatched for the extended follow-up group); a star
    marks job start; dotted lines mark the follow-ups, with the number employed
    by then written at the top; a cross marks the drop-out. ``narrow``: the
    phone rendition, its counts and axis label on two lines.
    """
    if len(timeline) > MAX_INDIVIDUALS:
        return _employment_curve(timeline, status, months, narrow)
    fig = Figure(figsize=(NARROW_WIDTH, 4.8) if narrow else (WIDTH, 4.4))
    ax = fig.subplots()
    days = 365.25 / 12
    start = timeline["ips_start"]
    end_month = ((timeline["ips_end"] - start).dt.days / days).to_numpy()
    job_month = ((timeline["job_start"] - start).dt.days / days).to_numpy()
    extended = timeline["extended_followup"].astype(bool).to_numpy()
    people = list(timeline["participant"])
    y = np.arange(len(people))
    ax.barh(y[~extended], end_month[~extended], color=PALETTE["sky"], height=0.55, label="IPS, first period only")
    ax.barh(y[extended], end_month[extended], color=PALETTE["blue"], height=0.55, hatch="///", edgecolor="white",
            label="IPS with extended follow-up")
    has_job = ~np.isnan(job_month)
    ax.plot(job_month[has_job], y[has_job], "*", color=PALETTE["orange"], mec="black", mew=0.6, ms=13,
            label="job start", zorder=4)
    out = np.array([p in dropouts for p in people])
    ax.plot(end_month[out], y[out], "X", color=PALETTE["vermillion"], mec="black", mew=0.6, ms=9,
            label="dropped out", zorder=4)
    top = len(people) - 0.4
    for month in months:  # each line stops below its count, and so does the y axis: neither crosses a count
        ax.vlines(month, -0.6, top, color=PALETTE["grey"], ls=":", lw=1)
        ax.text(month, -0.7 if narrow else -0.9, _employed_at(month, int(status[month].sum()), narrow),
                ha="center", fontsize=MIN_FONT_PT, **({"va": "bottom"} if narrow else {}))
    ax.set_yticks(y, people)
    ax.spines["left"].set_bounds(top, -0.6)
    ax.set_ylim(top, -2.1 if narrow else -1.4)
    ax.set_xticks(months, [f"{m}" for m in months])
    ax.set_xlim(-0.3, max(months) + 0.8)
    ax.set_xlabel(_wrap(_MONTHS_LABEL, 36 if narrow else None))
    ax.set_ylabel("participant")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22 if narrow else -0.16), ncol=2, fontsize=MIN_FONT_PT)
    fig.tight_layout()
    return fig


@reads("ips_timeline", "errata", "followups", "literature")
@styled
def employment_comparison(rows: pd.DataFrame, *, narrow: bool = False) -> Figure:
    """The pilot's 12-month employment rate and 95% CI beside ranges from other studies.

    ``rows`` has one row per line of the figure with columns ``label``,
    ``kind`` ('estimate' with ``value``, ``low``, ``high``; or 'range' with
    ``low``, ``high``) and ``note``; values are proportions. ``narrow``: the
    phone rendition, each line's label written above its bar instead of beside it.
    """
    fig = Figure(figsize=(NARROW_WIDTH, 0.8 * len(rows) + 0.9) if narrow else (WIDTH, 3.4))
    ax = fig.subplots()
    y = np.arange(len(rows))
    for yy, (_, row) in zip(y, rows.iterrows()):
        if row["kind"] == "range":
            ax.barh(yy, row["high"] - row["low"], left=row["low"], height=0.45, color=PALETTE["grey"], alpha=0.6,
                    hatch="..", edgecolor="white")
            ax.text(row["high"] + 0.01, yy, f"{row['low']:.0%}–{row['high']:.0%} (range of studies)", va="center",
                    fontsize=MIN_FONT_PT)
        else:
            marker = "D" if row.get("highlight", False) else "o"
            colour = PALETTE["vermillion"] if row.get("highlight", False) else PALETTE["blue"]
            ax.errorbar(row["value"], yy, xerr=[[row["value"] - row["low"]], [row["high"] - row["value"]]],
                        fmt=marker, color=colour, capsize=4, ms=7)
            ax.text(row["high"] + 0.01, yy, f"{row['value']:.0%} ({row['low']:.0%}–{row['high']:.0%}) {row['note']}",
                    va="center", fontsize=MIN_FONT_PT)
    if narrow:
        for yy, label in zip(y, rows["label"]):
            ax.text(0, yy - 0.3, label, va="bottom", fontsize=MIN_FONT_PT)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
    else:
        ax.set_yticks(y, rows["label"])
    ax.set_ylim(len(rows) - 0.5, -1.0 if narrow else -0.5)
    ax.set_xlim(0, 1.4)
    ax.set_xticks(np.linspace(0, 1, 6), [f"{t:.0%}" for t in np.linspace(0, 1, 6)])
    ax.set_xlabel(_wrap("employed (bars: 95% confidence interval or range of rates)", 40 if narrow else None))
    fig.tight_layout()
    return fig


@reads("sample", "participants", "ips_timeline")
@styled
def flow_diagram(steps: list[tuple[str, int]], branches: list[tuple[str, int]], *, narrow: bool = False) -> Figure:
    """Recruitment and follow-up flow: a column of boxes, then side-by-side branches.

    ``steps`` are (label, count) pairs drawn top to bottom; ``branches`` are
    drawn side by side below the last step. ``narrow``: the phone rendition,
    its boxes as wide as the figure allows.
    """
    fig = Figure(figsize=(NARROW_WIDTH if narrow else WIDTH, 1.25 * (len(steps) + 1)))
    ax = fig.subplots()
    if narrow:  # no axis to make room for: the boxes span the figure
        ax.set_position([0.01, 0.11, 0.98, 0.77])
    ax.set_axis_off()
    height = len(steps) + 1.0
    ax.set_xlim(0, 10)
    ax.set_ylim(0, height)

    def box(x, y, text, width=5.8):
        ax.add_patch(FancyBboxPatch((x - width / 2, y - 0.32), width, 0.64, boxstyle="round,pad=0.05",
                                    fc="#f2f2f2", ec=PALETTE["black"], lw=1))
        ax.text(x, y, text, ha="center", va="center", fontsize=10)

    def arrow(x0, y0, x1, y1):
        ax.annotate("", xy=(x1, y1 + 0.37), xytext=(x0, y0 - 0.37),
                    arrowprops={"arrowstyle": "-|>", "color": PALETTE["black"], "lw": 1})

    ys = [height - 0.6 - i for i in range(len(steps))]
    for i, ((label, count), yy) in enumerate(zip(steps, ys)):
        box(5, yy, f"{label}\nn = {count}", **({"width": 9.6} if narrow else {}))
        if i:
            arrow(5, ys[i - 1], 5, yy)
    if narrow:  # the branches share the figure's width
        branch_width = 9.8 / len(branches) - 0.2
        xs = np.linspace(0.1 + branch_width / 2, 9.9 - branch_width / 2, len(branches))
    else:
        branch_width = min(4.4, 9.6 / len(branches) - 0.4)
        xs = np.linspace(2.4, 7.6, len(branches))
    yb = ys[-1] - 1
    for (label, count), xb in zip(branches, xs):
        box(xb, yb, f"{label}\nn = {count}", width=branch_width)
        arrow(5, ys[-1], xb, yb)
    return fig


@reads("quotes", "participants", "themes")
@styled
def quote_matrix(matrix: pd.DataFrame, theme_titles: list[str], *, narrow: bool = False) -> Figure:
    """Who is quoted where: quotations per participant (rows) and theme (columns), a seaborn heatmap.

    Each cell prints its count, so the figure does not depend on the shading;
    a dot means no quotation. ``narrow``: the phone rendition, the themes'
    titles wrapped to their narrower columns.
    """
    import seaborn as sns

    fig = Figure(figsize=(NARROW_WIDTH, 0.36 * len(matrix) + 2.0) if narrow else (WIDTH, 0.36 * len(matrix) + 1.5))
    ax = fig.subplots()
    values = matrix.to_numpy()
    labels = np.where(values > 0, values.astype(str), "·")
    sns.heatmap(pd.DataFrame(values, index=matrix.index, columns=range(values.shape[1])), ax=ax, cmap="Blues",
                vmin=0, vmax=max(values.max(), 1) * 1.6, annot=labels, fmt="", cbar=False, linewidths=1,
                linecolor="white", annot_kws={"fontsize": 10, "color": PALETTE["black"]})
    title_width = max(8, round(44 / max(matrix.shape[1], 1))) if narrow else 22
    ax.set_xticks(np.arange(matrix.shape[1]) + 0.5, [textwrap.fill(t, title_width) for t in theme_titles],
                  fontsize=MIN_FONT_PT, rotation=0)
    ax.set_yticks(np.arange(matrix.shape[0]) + 0.5, matrix.index, rotation=0)
    ax.xaxis.tick_top()
    ax.set_xlabel("")
    ax.set_ylabel("participant")
    ax.tick_params(length=0)
    fig.tight_layout()
    return fig
