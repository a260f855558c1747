"""The words of the prose that depend on the data, computed from the data.

A chapter glues these as text (``{glue:text}`key```), so that a sentence built
from another data directory says what its own data show: "nobody had started a
job by three months" only when nobody had, "very uncertain" only when the
interval is wide, "she" only for a participant recorded as female.

:func:`build` takes the results being computed (:mod:`analysis.outputs`: an object with
``numbers``, ``data``, ``months``, ``cutoff``, ``checks`` and ``verified``) and returns ``{key: text}``;
:func:`counted` likewise the qualitative chapter's counts in words (and needs ``links``).
"""

from __future__ import annotations

import pandas as pd

from . import audit, verification
from .wording import COUNTS_OF_SAMPLE, count_of, in_words, listing, plural, pronouns, quantifier, verb

#: Ordered ODI bands and how the prose names them.
ODI_BANDS = [("minimal", "minimal"), ("moderate", "moderate"), ("severe", "severe"),
             ("crippled", 'the "crippled" band'), ("bed_bound", 'the "bed-bound" band')]
#: HSCL-25 items are scored 1 (not at all) to 4 (extremely).
HSCL_ITEM_SCORES = (1, 4)
#: Below this many participants the prose says "only".
SMALL_SAMPLE = 30


def _n(report, key: str):
    return report.numbers[key].value


def month_words(months: list[int]) -> dict[str, str]:
    """``month_3_words`` -> 'three' for every follow-up after baseline."""
    return {f"month_{m}_words": in_words(m) for m in months if m > 0}


def interval_width_word(low: float, high: float) -> str:
    """How wide a confidence interval for a proportion is, in a word."""
    width = high - low
    return "wide" if width >= 0.2 else "fairly narrow" if width >= 0.1 else "narrow"


def certainty_word(low: float, high: float) -> str:
    """How certain an estimate of a proportion is, from its interval's width."""
    width = high - low
    if width > 0.3:
        return "very uncertain"
    if width > 0.15:
        return "uncertain"
    return "fairly precise" if width > 0.05 else "precise"


def sample_lead(n: int) -> str:
    """'With only eight participants' for a small sample, 'With 1,000 participants' otherwise."""
    return f"With only {in_words(n)} participants" if n < SMALL_SAMPLE else f"With {in_words(n)} participants"


def position(value: float, ranges: dict[str, tuple[float, float]]) -> str:
    """Where a value lies against named ranges: 'inside both ranges', 'inside the X range only',
    'below both ranges', 'above both ranges', 'between the ranges'."""
    inside = [name for name, (low, high) in ranges.items() if low <= value <= high]
    if len(inside) == len(ranges):
        return "inside both ranges" if len(ranges) == 2 else "inside every range"
    if inside:
        return f"inside the {listing(inside)} range only"
    if all(value < low for low, _ in ranges.values()):
        return "below both ranges"
    if all(value > high for _, high in ranges.values()):
        return "above both ranges"
    return "between the ranges"


def coverage(low: float, high: float, ranges: dict[str, tuple[float, float]]) -> str:
    """How much of each range an interval covers: 'covers both', 'covers most of both', ..."""
    shares = {}
    for name, (a, b) in ranges.items():
        overlap = max(0.0, min(high, b) - max(low, a))
        shares[name] = overlap / (b - a) if b > a else float(a >= low and b <= high)
    if all(s >= 1 for s in shares.values()):
        return "covers both"
    if all(s > 0.5 for s in shares.values()):
        return "covers most of both"
    if all(s > 0 for s in shares.values()):
        return "overlaps both"
    touched = [name for name, s in shares.items() if s > 0]
    return f"overlaps the {listing(touched)} range only" if touched else "overlaps neither"


def employment_timing(n: int, early: int, mid: int, late: int, total: int, extended: int,
                      first_month: int, mid_month: int) -> str:
    """The sentence on when jobs started, from the counts at the follow-ups.

    ``early`` had started by ``first_month``, ``mid`` by ``mid_month``, ``total``
    by the last follow-up, ``late`` of them after ``mid_month``, ``extended`` of
    them among participants with extended follow-up.
    """
    first, second = in_words(first_month), in_words(mid_month)
    if total == 0:
        return f"nobody had started a job by the last follow-up of the {in_words(n)} participants"
    by_first = (f"nobody had started a job by {first} months" if early == 0 else
                f"{in_words(early)} {verb(early, 'had', 'had')} started a job by {first} months")
    came_late = early == 0 and 2 * late > total
    share = ("all" if late == total else "most" if 2 * late > total else "half of the" if 2 * late == total
             else "no" if late == 0 else "a minority of the")
    after = f"{share} job starts fell after {second} months"
    among_text = ("all among participants who had extended support" if extended == total else
                  "mostly among participants who had extended support" if 2 * extended > total else
                  "mostly among participants without extended support" if 2 * extended < total else
                  "as many among participants with extended support as without")
    lead = "employment came late: " if came_late else ""
    return f"{lead}{by_first}, and {after}, {among_text}"


def build(report) -> dict[str, str]:
    """Every data-dependent phrase of the prose, by key."""
    n = _n(report, "n_participants")
    words: dict[str, str] = {}
    words |= month_words(report.months)
    words["last_followup_month_words"] = in_words(_n(report, "last_followup_month"))
    words["n_participants_words"] = in_words(n)
    words["n_ips_principles_words"] = in_words(_n(report, "n_ips_principles"))

    # The employment rate and its interval
    low, high = _n(report, "employment_rate_12m_ci_low"), _n(report, "employment_rate_12m_ci_high")
    words["sample_lead"] = sample_lead(n)
    words["ci_width_word"] = interval_width_word(low, high)
    words["employment_rate_certainty"] = f"{sample_lead(n)} it is {certainty_word(low, high)}"
    ranges = {"IPS": (_n(report, "lit_ips_employment_low") / 100, _n(report, "lit_ips_employment_high") / 100),
              "usual-programme": (_n(report, "lit_usual_programme_employment_low") / 100,
                                  _n(report, "lit_usual_programme_employment_high") / 100)}
    words["rate_vs_ranges"] = position(_n(report, "employment_rate_12m"), ranges)
    words["ci_vs_ranges"] = coverage(low, high, ranges)
    months = [m for m in report.months if m > 0]
    words["employment_timing"] = employment_timing(
        n, _n(report, f"n_employed_{months[0]}m"), _n(report, f"n_employed_{months[1]}m"),
        _n(report, f"n_newly_employed_{months[-1]}m"), _n(report, f"n_employed_{months[-1]}m"),
        _n(report, f"n_extended_employed_{months[-1]}m"), months[0], months[1])

    shorter, longer = _n(report, "n_durations_shorter_than_dates"), _n(report, "n_durations_longer_than_dates")
    words["durations_clause"] = (
        f"{shorter} {plural(shorter, 'duration')} {verb(shorter, 'is', 'are')} shorter than the dates, "
        f"as the footnote allows; {longer} {verb(longer, 'is', 'are')} longer"
        + (", which the footnote cannot explain" if longer else ""))

    # Clinical characteristics
    checks = report.checks
    misfit = checks[checks["check"].str.startswith(audit.HSCL_TOTAL_CHECK) & (checks["verdict"] == "inconsistent")]
    errata = sorted(set(misfit["erratum"]) - {""})
    words["hscl_misfit_clause"] = (
        "Every participant's HSCL-25 total fits their own subscales" if misfit.empty else
        f"The HSCL-25 totals of {count_of(len(misfit), n)} participants do not fit their own subscales"
        + (f" (erratum {listing(errata)})" if errata else ""))
    severe, cases = _n(report, "n_pain_intensity_severe"), _n(report, "n_hscl_cases")
    pain_q, hscl_q = quantifier(severe, n), quantifier(cases, n)
    bands = [name for key, name in ODI_BANDS if _n(report, f"n_odi_{key}") > 0]
    band_range = ("no ODI value" if not bands else f"all {bands[0]}" if len(bands) == 1
                  else f"from {bands[0]} to {bands[-1]}")
    words["clinical_summary_clause"] = (
        f"{pain_q} {verb(severe, 'was', 'were')} in severe pain, {hscl_q} above the distress cut-off, "
        f"and their disability ranged {band_range}" if len(bands) > 1 else
        f"{pain_q} {verb(severe, 'was', 'were')} in severe pain, {hscl_q} above the distress cut-off, "
        f"and their disability was {band_range}")
    low_score, high_score = HSCL_ITEM_SCORES
    words["hscl_scale_points_words"] = in_words(high_score - low_score + 1)
    words["hscl_anxiety_items_words"] = in_words(_n(report, "lit_hscl25_anxiety_items"))
    words["hscl_depression_items_words"] = in_words(_n(report, "lit_hscl25_depression_items"))

    # Qualitative themes: the drop-out's pronouns and the single-word quotations
    participants = report.data["participants"]
    dropouts = participants[participants["dropped_out"]]
    subject, possessive = pronouns(dropouts["sex"].where(dropouts["sex"].notna(), None))
    words["dropout_subject"], words["dropout_possessive"] = subject, possessive
    quotes = report.data["quotes"]
    single = quotes[~quotes["text"].str.contains(r"\s")]
    quoted = listing('"' + text + '"' for text in single["text"])
    words["single_word_quotes_clause"] = (
        "none of them a single word" if single.empty else
        f"including {in_words(len(single))} single {plural(len(single), 'word')} the article puts in quotation "
        f"marks inside its own text ({quoted})")

    # COREQ: its domains, and what the article leaves out
    coreq = report.data["coreq"]
    words["n_coreq_domains_words"] = in_words(coreq["domain"].nunique())
    missing = coreq[coreq["status"] != "reported"]
    words["coreq_unreported"] = (
        "The article reports every item" if missing.empty else
        "Not reported: " + "; ".join(
            f"{domain.lower()} ({', '.join(names.str.lower())})"
            for domain, names in missing.groupby("domain", sort=False)["name"]))

    # Errata and verification
    errata_table = report.data["errata"]
    readings = int(((errata_table["file"] == "ips_timeline.csv") & errata_table["reading_value"].notna()).sum())
    words["readings_applied"] = ("so far none" if readings == 0 else
                                 f"so far only {in_words(readings)} {plural(readings, 'value')}" if readings < 3 else
                                 f"so far {in_words(readings)} values")
    table = report.verified
    differing = table[table["status"] == verification.DIFFERS]
    explained = int(differing["explanation"].str.contains(r"\berratum E\d+", regex=True).sum())
    k = len(differing)
    words["differs_clause"] = (
        "none differs" if k == 0 else
        f"{k} {verb(k, 'differs', 'differ')}, " + (
            ("explained by an erratum" if k == 1 else "each explained by an erratum") if explained == k else
            f"{explained} of them explained by an erratum"))
    return words


def counted(report) -> dict[str, str]:
    """The qualitative chapter's counts in words and its lists of participants, by key."""
    n = _n(report, "n_participants")
    words = {f"{key}_words": count_of(_n(report, key), n) for key in COUNTS_OF_SAMPLE}
    for key in ("n_helpful_aspects", "n_challenges", "n_themes"):
        words[f"{key}_words"] = in_words(_n(report, key))
    links = report.links
    words["employed_participants"] = listing(links.index[links["employed_12m"]])
    words["unquoted_participants"] = listing(links.index[links["quotations"] == 0])
    words["dropout_participants"] = listing(links.index[links["dropped_out"]])
    return words


def as_table(words: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"text": words}).rename_axis("key")
