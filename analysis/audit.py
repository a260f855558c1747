"""Internal consistency checks on the values the article prints.

Each check returns rows with what is checked, what is expected, what is
observed and a verdict; a failed check names the erratum that records it.
"""

from __future__ import annotations

from itertools import combinations_with_replacement
from math import comb

import numpy as np
import pandas as pd

from .clinical import hscl_total_from_subscales
from .employment import duration_check, employed_counts, employment_status

#: Half a unit in the last printed decimal of Table 1's HSCL-25 scores.
HSCL_ROUNDING = 0.05

COLUMNS = ["check", "subject", "expected", "observed", "verdict", "erratum"]

#: Largest number of candidate samples the SPRITE-style search enumerates.
MAX_SAMPLES = 2_000_000


def _row(check, subject, expected, observed, ok, erratum=""):
    return {"check": check, "subject": subject, "expected": expected, "observed": observed,
            "verdict": "consistent" if ok else "inconsistent", "erratum": "" if ok else erratum}


def _rows(check: str, subject: pd.Series, expected: pd.Series, observed: pd.Series, ok: pd.Series,
          erratum: str) -> pd.DataFrame:
    """One row per subject, built column-wise (no per-row Python loop)."""
    ok = ok.astype(bool).to_numpy()
    return pd.DataFrame({
        "check": check,
        "subject": subject.astype(str).to_numpy(),
        "expected": expected.astype(str).to_numpy(),
        "observed": observed.astype(str).to_numpy(),
        "verdict": np.where(ok, "consistent", "inconsistent"),
        "erratum": np.where(ok, "", erratum),
    }, columns=COLUMNS)


def _dates(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%d.%m.%Y")


def hscl_total_check(clinical: pd.DataFrame) -> pd.DataFrame:
    """HSCL-25 total against the item-weighted mean of its subscales.

    Each printed score may be off by up to 0.05 from rounding, so the printed
    total may differ from the implied total by up to 0.1.
    """
    complete = clinical.dropna(subset=["hscl_total", "hscl_anxiety", "hscl_depression"])
    implied = hscl_total_from_subscales(complete)
    gap = (complete["hscl_total"] - implied).abs()
    observed = complete["hscl_total"].round(1).astype(str) + " (off by " + gap.round(2).map("{:.2f}".format) + ")"
    return _rows("HSCL-25 total = (10 x anxiety + 15 x depression) / 25, within 0.1 for rounding",
                 complete["participant"], implied.map("{:.2f}".format), observed,
                 gap <= 2 * HSCL_ROUNDING + 1e-9, "E07")


def duration_vs_dates_check(read_timeline: pd.DataFrame) -> pd.DataFrame:
    """Printed IPS duration is not longer than the time between the dates (footnote a)."""
    table = duration_check(read_timeline)
    return _rows("printed IPS duration at most the months between inclusion and termination",
                 table["participant"], "at most " + table["months_from_dates"].map("{:.1f}".format) + " months",
                 table["months_printed"].map("{:.1f}".format) + " months",
                 table["verdict"] != "longer than the dates allow", "E04")


def dates_in_order_check(timeline: pd.DataFrame) -> pd.DataFrame:
    """Termination on or after inclusion, and job start after inclusion, as printed."""
    jobs = timeline.dropna(subset=["job_start"])
    return pd.concat([
        _rows("IPS termination on or after IPS inclusion (as printed)", timeline["participant"],
              "on or after " + _dates(timeline["ips_start"]), _dates(timeline["ips_end"]),
              timeline["ips_end"] >= timeline["ips_start"], "E02"),
        _rows("job start after IPS inclusion", jobs["participant"], "after " + _dates(jobs["ips_start"]),
              _dates(jobs["job_start"]), jobs["job_start"] > jobs["ips_start"], ""),
    ], ignore_index=True)


def percentage_check(printed_percent: float, k: int, n: int, subject: str) -> pd.DataFrame:
    """A printed whole percentage against the count it summarises."""
    exact = 100 * k / n
    ok = abs(exact - printed_percent) <= 0.5 + 1e-9
    return pd.DataFrame([_row("printed percentage = count / n, rounded to a whole percent", subject,
                              f"{k}/{n} = {exact:.1f}%", f"{printed_percent:g}%", ok, "")], columns=COLUMNS)


def text_vs_tables_check(sample: pd.DataFrame, read_timeline: pd.DataFrame, clinical: pd.DataFrame,
                         participants: pd.DataFrame, published: pd.DataFrame, months: list[int]) -> pd.DataFrame:
    """Counts stated in the text against what the tables give."""
    value = sample["value"]
    in_table_2 = int(read_timeline["extended_followup"].sum())
    counts = employed_counts(employment_status(read_timeline, months))
    late_ips_end = int((read_timeline["ips_end"] > read_timeline["ips_start"] + pd.DateOffset(months=6)).sum())
    rows = [
        _row("participants in extended follow-up: Methods vs Table 2 dates", "Methods",
             f"{late_ips_end} (IPS ending more than 6 months after inclusion)", f"{value['extended_followup_methods']:g}",
             value["extended_followup_methods"] == late_ips_end, "E05"),
        _row("participants in extended follow-up: Discussion vs Table 2 dates", "Discussion",
             f"{late_ips_end} (IPS ending more than 6 months after inclusion)", f"{value['extended_followup_discussion']:g}",
             value["extended_followup_discussion"] == late_ips_end, "E05"),
        _row("extended_followup flags in the data vs Table 2 dates", "ips_timeline.csv",
             f"{late_ips_end}", f"{in_table_2}", in_table_2 == late_ips_end, "E05"),
        _row("participants in Table 1 and Table 2 vs the sample size in the text", "Results",
             f"{value['included']:g}", f"{len(clinical)} and {len(read_timeline)}",
             len(clinical) == len(read_timeline) == value["included"], ""),
    ]
    printed = published.set_index("id")
    for month, ids in ((3, ["results_employed_3m"]), (6, ["results_employed_6m"]),
                       (12, ["abstract_employed_12m", "discussion_employment_changed"])):
        for pid in (i for i in ids if i in printed.index and month in counts.index):
            rows.append(_row(f"employed at {month} months: text vs Table 2 dates", f"{printed.loc[pid, 'location']}: "
                             f"'{printed.loc[pid, 'printed']}'", f"{counts[month]} (from the dates)",
                             f"{printed.loc[pid, 'value']:g}", counts[month] == printed.loc[pid, "value"], ""))
    known = participants["sex"].value_counts()
    for sex, key in (("female", "women"), ("male", "men")):
        rows.append(_row(f"participants known from pronouns to be {sex} at most the {key} stated", "Results",
                         f"at most {value[key]:g}", f"{known.get(sex, 0)}", known.get(sex, 0) <= value[key], "E08"))
    return pd.DataFrame(rows, columns=COLUMNS)


def attainable_samples(n: int, low: int, high: int, mean: float, sd: float, mean_decimals: int = 0,
                       sd_decimals: int = 0) -> np.ndarray:
    """All samples of n integers with the printed range, mean and SD (SPRITE by exhaustion).

    A sample qualifies when its minimum is ``low``, its maximum is ``high``, and
    its mean and sample SD (n - 1) round to the printed values. Returns one
    sorted sample per row; an empty array means the summary cannot be right.
    """
    if comb(high - low + 1 + n - 3, n - 2) > MAX_SAMPLES:
        raise ValueError(f"too many samples to search exhaustively for n = {n} in [{low}, {high}]")
    free = np.array(list(combinations_with_replacement(range(low, high + 1), n - 2)), dtype=float)
    samples = np.hstack([np.full((len(free), 1), low), free, np.full((len(free), 1), high)])
    means = samples.mean(axis=1)
    sds = samples.std(axis=1, ddof=1)
    mean_ok = np.abs(means - mean) <= 0.5 * 10.0 ** -mean_decimals + 1e-9
    sd_ok = np.abs(sds - sd) <= 0.5 * 10.0 ** -sd_decimals + 1e-9
    return samples[mean_ok & sd_ok].astype(int)


def interview_length_check(sample: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Whether n interview lengths with the printed range, mean and SD can exist."""
    v = sample["value"]
    n = int(v["interviewed"])
    found = attainable_samples(n, int(v["interview_minutes_min"]), int(v["interview_minutes_max"]),
                               float(v["interview_minutes_mean"]), float(v["interview_minutes_sd"]))
    grim_ok = True  # a whole-minute mean of n >= 2 integers has granularity 1/n < 1: GRIM cannot fail
    rows = [
        _row("GRIM: a mean of n whole minutes, printed to whole minutes", f"n = {n}",
             f"some sum of {n} integers gives a mean that rounds to {v['interview_minutes_mean']:g}",
             "always possible at this precision", grim_ok, ""),
        _row("SPRITE: some n whole-minute lengths have the printed range, mean and SD", f"n = {n}",
             "at least one sample", f"{len(found)} samples", len(found) > 0, ""),
    ]
    return pd.DataFrame(rows, columns=COLUMNS), found


def run_all(data: dict[str, pd.DataFrame], read_timeline: pd.DataFrame, months: list[int]) -> pd.DataFrame:
    """Every check, in the order the audit appendix shows them."""
    printed = data["published_numbers"].set_index("id")["value"]
    employed_12 = int(employed_counts(employment_status(read_timeline, [12]))[12])
    parts = [
        hscl_total_check(data["clinical"]),
        duration_vs_dates_check(read_timeline),
        dates_in_order_check(data["ips_timeline"]),
    ]
    if "results_employment_rate" in printed.index:  # a dataset that prints the rate
        parts.append(percentage_check(100 * float(printed["results_employment_rate"]), employed_12,
                                      len(read_timeline), "employment rate at 12 months (Results)"))
    parts += [
        text_vs_tables_check(data["sample"], read_timeline, data["clinical"], data["participants"],
                             data["published_numbers"], months),
        interview_length_check(data["sample"])[0],
    ]
    return pd.concat(parts, ignore_index=True)


def summarised(checks: pd.DataFrame, max_subjects: int = 12) -> pd.DataFrame:
    """The audit for reading: a check run on many subjects shows its inconsistent rows and one
    summary row ('k of n consistent') instead of a row per subject."""
    sizes = checks.groupby("check", sort=False)["subject"].transform("size")
    small = checks[sizes <= max_subjects]
    large = checks[sizes > max_subjects]
    summary = large.groupby("check", sort=False).agg(
        n=("verdict", "size"), ok=("verdict", lambda v: int((v == "consistent").sum()))).reset_index()
    summary_rows = pd.DataFrame({"check": summary["check"], "subject": "all (summary)",
                                 "expected": "all consistent",
                                 "observed": summary["ok"].astype(str) + " of " + summary["n"].astype(str) + " consistent",
                                 "verdict": "summary", "erratum": ""})
    shown = pd.concat([small, summary_rows, large[large["verdict"] == "inconsistent"]], ignore_index=True)
    order = {c: i for i, c in enumerate(checks["check"].drop_duplicates())}
    return shown.sort_values("check", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)
