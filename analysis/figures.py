"""Figures of the report. Each function takes data and returns a Figure.

All figures share one style (``report.mplstyle``) and the Okabe-Ito
colour-blind-safe palette, and none relies on colour alone: markers, hatching
and direct labels carry the same information. Nothing here is random.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .clinical import MEASURES, bands
from .paths import STYLE_FILE

#: Okabe-Ito palette (Okabe and Ito 2008), safe for the common colour-vision deficiencies.
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "pink": "#CC79A7",
           "sky": "#56B4E9", "vermillion": "#D55E00", "yellow": "#F0E442", "black": "#000000",
           "grey": "#999999"}
#: Above this many participants, figures show distributions instead of one mark per person.
MAX_INDIVIDUALS = 30

#: Light greys for bands, ordered from least to most severe; darker means worse.
BAND_SHADES = ["#f2f2f2", "#dddddd", "#c6c6c6", "#adadad", "#939393"]


def styled(function):
    """Run a plotting function inside the report's style."""
    def wrapper(*args, **kwargs):
        with plt.style.context(STYLE_FILE):
            fig = function(*args, **kwargs)
        plt.close(fig)  # the caller displays it; pyplot must not keep it
        return fig
    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


def _shade_bands(ax, measure, literature, cutoff, band_groups, high, label_at=None) -> None:
    """Grey clinical bands behind a measure's panel (darker is worse), and the HSCL-25 cut-off;
    band names are written at ``label_at`` on the y axis when it is given."""
    if measure in band_groups:
        table = bands(literature, band_groups[measure], high)
        for shade, (_, band) in zip(BAND_SHADES, table.iterrows()):
            ax.axvspan(band["lower"], band["upper"], color=shade, lw=0)
            if label_at is not None:
                ax.text((band["lower"] + band["upper"]) / 2, label_at, band["label"].split()[0],
                        rotation=90, ha="center", va="bottom", fontsize=7)
    if measure.startswith("hscl"):
        ax.axvspan(cutoff, high, color=BAND_SHADES[2], lw=0)
        ax.axvline(cutoff, color=PALETTE["black"], lw=1, ls="--")
        if label_at is not None:
            ax.text(cutoff, label_at, f" case ≥ {cutoff:g}", fontsize=7, va="bottom", rotation=90)


@styled
def clinical_profile(clinical: pd.DataFrame, literature: pd.DataFrame, cutoff: float,
                     band_groups: dict[str, str], scale: dict[str, tuple[float, float]]) -> Figure:
    """Each participant on every Table 1 measure, against the measure's clinical bands.

    One panel per measure; participants are rows (P1 at the top). Grey bands
    (darker is worse) come from ``literature.csv``; the HSCL-25 panels mark the
    caseness cut-off. Missing values are written as "missing" in the panel.
    """
    measures = list(MEASURES)
    if len(clinical) > MAX_INDIVIDUALS:
        return _clinical_distributions(clinical, literature, cutoff, band_groups, scale)
    fig, axes = plt.subplots(1, len(measures), figsize=(11, 3.9), sharey=True)
    people = list(clinical["participant"])
    y = np.arange(len(people))
    for ax, measure in zip(axes, measures):
        low, high = scale[measure]
        _shade_bands(ax, measure, literature, cutoff, band_groups, high, label_at=len(people) + 0.1)
        values = clinical[measure].astype("float64").to_numpy()
        present = ~np.isnan(values)
        ax.plot(values[present], y[present], "o", color=PALETTE["blue"], mec="white", mew=0.8, zorder=3)
        for yy in y[~present]:
            ax.text((low + high) / 2, yy, "missing", ha="center", va="center", fontsize=7, style="italic")
        ax.set_xlim(low, high)
        ax.set_title(MEASURES[measure].replace(" (", "\n("), fontsize=8)
        ax.set_ylim(len(people) + 2.2, -0.7)
    axes[0].set_yticks(y, people)
    axes[0].set_ylabel("participant")
    fig.tight_layout()
    return fig


def _clinical_distributions(clinical, literature, cutoff, band_groups, scale) -> Figure:
    """The large-cohort form of the clinical profile: a histogram per measure over its bands."""
    measures = list(MEASURES)
    fig, axes = plt.subplots(1, len(measures), figsize=(11, 3.4))
    for ax, measure in zip(axes, measures):
        low, high = scale[measure]
        _shade_bands(ax, measure, literature, cutoff, band_groups, high)
        values = clinical[measure].astype("float64").dropna()
        ax.hist(values, bins=np.linspace(low, high, 21), color=PALETTE["blue"], edgecolor="white", zorder=3)
        missing = int(clinical[measure].isna().sum())
        ax.set_title(MEASURES[measure].replace(" (", "\n(") + f"\nn = {len(values)}, missing {missing}", fontsize=8)
        ax.set_xlim(low, high)
    axes[0].set_ylabel("participants")
    fig.tight_layout()
    return fig


def _employment_curve(timeline: pd.DataFrame, status: pd.DataFrame, months: list[int]) -> Figure:
    """The large-cohort form of the timeline: share in IPS and share employed, month by month."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    days = 365.25 / 12
    grid = np.linspace(0, max(months), 200)
    end_month = ((timeline["ips_end"] - timeline["ips_start"]).dt.days / days).to_numpy()
    job_month = ((timeline["job_start"] - timeline["ips_start"]).dt.days / days).to_numpy()
    in_ips = (end_month[None, :] >= grid[:, None]).mean(axis=1)
    employed = (np.nan_to_num(job_month, nan=np.inf)[None, :] <= grid[:, None]).mean(axis=1)
    ax.plot(grid, in_ips, color=PALETTE["blue"], ls="--", label="in IPS")
    ax.plot(grid, employed, color=PALETTE["orange"], label="employed")
    for month in months:
        ax.axvline(month, color=PALETTE["grey"], ls=":", lw=1)
        ax.text(month, 1.02, f"{int(status[month].sum())} employed", ha="center", fontsize=8)
    ax.set_ylim(0, 1.08)
    ax.set_xticks(months, [f"{m}" for m in months])
    ax.set_xlabel("months since IPS inclusion (follow-ups at the dotted lines)")
    ax.set_ylabel(f"share of the {len(timeline)} participants")
    ax.legend(loc="center right", fontsize=8)
    fig.tight_layout()
    return fig


@styled
def employment_timeline(timeline: pd.DataFrame, status: pd.DataFrame, months: list[int],
                        dropouts: set[str]) -> Figure:
    """Swimmer plot: each participant's IPS period, job start and follow-ups, in months since inclusion.

    Bars are the IPS period (hatched for the extended follow-up group); a star
    marks job start; dotted lines mark the follow-ups, with the number employed
    by then written at the top; a cross marks the drop-out.
    """
    if len(timeline) > MAX_INDIVIDUALS:
        return _employment_curve(timeline, status, months)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
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
    for month in months:
        ax.axvline(month, color=PALETTE["grey"], ls=":", lw=1)
        ax.text(month, -0.9, f"{int(status[month].sum())} employed", ha="center", fontsize=8)
    ax.set_yticks(y, people)
    ax.set_ylim(top, -1.4)
    ax.set_xticks(months, [f"{m}" for m in months])
    ax.set_xlim(-0.3, max(months) + 0.8)
    ax.set_xlabel("months since IPS inclusion (follow-ups at the dotted lines)")
    ax.set_ylabel("participant")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, fontsize=8)
    fig.tight_layout()
    return fig


@styled
def employment_comparison(rows: pd.DataFrame) -> Figure:
    """The pilot's 12-month employment rate and 95% CI beside ranges from other studies.

    ``rows`` has one row per line of the figure with columns ``label``,
    ``kind`` ('estimate' with ``value``, ``low``, ``high``; or 'range' with
    ``low``, ``high``) and ``note``; values are proportions.
    """
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    y = np.arange(len(rows))
    for yy, (_, row) in zip(y, rows.iterrows()):
        if row["kind"] == "range":
            ax.barh(yy, row["high"] - row["low"], left=row["low"], height=0.45, color=PALETTE["grey"], alpha=0.6,
                    hatch="..", edgecolor="white")
            ax.text(row["high"] + 0.01, yy, f"{row['low']:.0%}–{row['high']:.0%} (range of studies)", va="center",
                    fontsize=8)
        else:
            marker = "D" if row.get("highlight", False) else "o"
            colour = PALETTE["vermillion"] if row.get("highlight", False) else PALETTE["blue"]
            ax.errorbar(row["value"], yy, xerr=[[row["value"] - row["low"]], [row["high"] - row["value"]]],
                        fmt=marker, color=colour, capsize=4, ms=7)
            ax.text(row["high"] + 0.01, yy, f"{row['value']:.0%} ({row['low']:.0%}–{row['high']:.0%}) {row['note']}",
                    va="center", fontsize=8)
    ax.set_yticks(y, rows["label"])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1.35)
    ax.set_xticks(np.linspace(0, 1, 6), [f"{t:.0%}" for t in np.linspace(0, 1, 6)])
    ax.set_xlabel("employed (proportion; bars: 95% confidence interval or range of rates)")
    fig.tight_layout()
    return fig


@styled
def flow_diagram(steps: list[tuple[str, int]], branches: list[tuple[str, int]]) -> Figure:
    """Recruitment and follow-up flow: a column of boxes, then side-by-side branches.

    ``steps`` are (label, count) pairs drawn top to bottom; ``branches`` are
    drawn side by side below the last step.
    """
    fig, ax = plt.subplots(figsize=(7.5, 1.25 * (len(steps) + 1)))
    ax.set_axis_off()
    height = len(steps) + 1.0
    ax.set_xlim(0, 10)
    ax.set_ylim(0, height)

    def box(x, y, text):
        ax.add_patch(FancyBboxPatch((x - 2.1, y - 0.32), 4.2, 0.64, boxstyle="round,pad=0.05",
                                    fc="#f2f2f2", ec=PALETTE["black"], lw=1))
        ax.text(x, y, text, ha="center", va="center", fontsize=9)

    def arrow(x0, y0, x1, y1):
        ax.annotate("", xy=(x1, y1 + 0.37), xytext=(x0, y0 - 0.37),
                    arrowprops={"arrowstyle": "-|>", "color": PALETTE["black"], "lw": 1})

    ys = [height - 0.6 - i for i in range(len(steps))]
    for i, ((label, count), yy) in enumerate(zip(steps, ys)):
        box(5, yy, f"{label}\nn = {count}")
        if i:
            arrow(5, ys[i - 1], 5, yy)
    xs = np.linspace(2.6, 7.4, len(branches))
    yb = ys[-1] - 1
    for (label, count), xb in zip(branches, xs):
        box(xb, yb, f"{label}\nn = {count}")
        arrow(5, ys[-1], xb, yb)
    return fig


@styled
def quote_matrix(matrix: pd.DataFrame, theme_titles: list[str]) -> Figure:
    """Who is quoted where: quotations per participant (rows) and theme (columns).

    Each cell prints its count, so the figure does not depend on the shading;
    an empty cell means no quotation.
    """
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(matrix) + 1.6))
    values = matrix.to_numpy()
    ax.imshow(values, cmap="Blues", vmin=0, vmax=max(values.max(), 1) * 1.6, aspect="auto")
    for (row, col), count in np.ndenumerate(values):
        ax.text(col, row, str(count) if count else "·", ha="center", va="center", fontsize=9,
                color=PALETTE["black"])
    ax.set_xticks(range(matrix.shape[1]), [textwrap.fill(t, 20) for t in theme_titles], fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), matrix.index)
    ax.set_ylabel("participant")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.tight_layout()
    return fig
