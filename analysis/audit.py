"""Internal consistency checks on the values the article prints.

Each check returns rows with what is checked, what is expected, what is
observed and a verdict; a failed check names the erratum that records it.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from math import comb

import numpy as np
import pandas as pd

from .employment import MONTH_DAYS, duration_check, employed_counts, employment_status

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


#: HSCL-25 items per subscale, each scored as a whole number from 1 to 4 (Derogatis et al. 1974).
HSCL_ITEMS = {"anxiety": 10, "depression": 15}
HSCL_ITEM_RANGE = (1, 4)
#: How the HSCL-25 check's rows begin (:func:`hscl_total_check`).
HSCL_TOTAL_CHECK = "HSCL-25 total attainable from the printed subscale means"


#: Half a unit of the one decimal the subscale means and totals are printed to (round half up).
HALF_TENTH = Fraction(1, 20)


def _sums_rounding_to(printed: float, items: int) -> tuple[int, int]:
    """The item sums (low, high; empty when low > high) of ``items`` items scored 1-4 whose mean
    rounds half up to ``printed`` at one decimal: ``printed - 0.05 <= sum / items < printed + 0.05``,
    in exact arithmetic. They are whole numbers in an interval, so the interval is all of them."""
    target = Fraction(str(printed))
    low, high = (items * bound for bound in HSCL_ITEM_RANGE)
    return max(low, math.ceil((target - HALF_TENTH) * items)), min(high, math.ceil((target + HALF_TENTH) * items) - 1)


def _tenths_of(total_sum: int) -> int:
    """A total over all 25 items rounded half up to one decimal, in tenths."""
    return math.floor(Fraction(total_sum, sum(HSCL_ITEMS.values())) * 10 + Fraction(1, 2))


def hscl_attainable_totals(anxiety: float, depression: float) -> list[float]:
    """The one-decimal HSCL-25 totals that integer item scores allow, given the printed subscale means.

    Assumes what the article does not say: all 25 items answered, each scored
    1 to 4, means rounded half up. The anxiety mean is a sum of 10 items over
    10, the depression mean a sum of 15 over 15, and the total the sum of all
    25 over 25. (Were items missing, each mean would be over fewer items and
    more totals would be attainable.)
    """
    return list(_hscl_totals(float(anxiety), float(depression)))


def _hscl_totals(anxiety: float, depression: float) -> tuple[float, ...]:
    """The sums that fit each mean are intervals, so the sums of all 25 items are the interval of
    their sums, and the totals (rounded, never decreasing with the sum, by at most 0.04 a step)
    every tenth from the lowest sum's to the highest's."""
    (a_low, a_high), (d_low, d_high) = (_sums_rounding_to(mean, n)
                                        for mean, n in zip((anxiety, depression), HSCL_ITEMS.values()))
    if a_low > a_high or d_low > d_high:
        return ()
    return tuple(tenths / 10 for tenths in range(_tenths_of(a_low + d_low), _tenths_of(a_high + d_high) + 1))


# cached; wrapped here rather than decorated, as mutmut leaves decorated functions unmutated (bench/mutation.md)
_hscl_totals = functools.lru_cache(maxsize=4096)(_hscl_totals)


def hscl_total_check(clinical: pd.DataFrame) -> pd.DataFrame:
    """The printed HSCL-25 total against the totals its printed subscale means allow (exact arithmetic)."""
    complete = clinical.dropna(subset=["hscl_total", "hscl_anxiety", "hscl_depression"])
    pairs = list(zip(complete["hscl_anxiety"].astype(float), complete["hscl_depression"].astype(float)))
    expected_of = {pair: ("one of " + ", ".join(f"{t:.1f}" for t in ts) if (ts := _hscl_totals(*pair))
                          else "none (the means cannot both occur)") for pair in set(pairs)}
    expected = pd.Series([expected_of[pair] for pair in pairs], index=complete.index, dtype="object")
    ok = pd.Series([round(float(total), 1) in _hscl_totals(*pair) for total, pair in zip(complete["hscl_total"], pairs)],
                   index=complete.index)
    return _rows(HSCL_TOTAL_CHECK + " (25 items scored 1-4, none missing)",
                 complete["participant"], expected, complete["hscl_total"].map("{:.1f}".format), ok, "E07")


def duration_vs_dates_check(read_timeline: pd.DataFrame) -> pd.DataFrame:
    """Printed IPS duration is not longer than the time between the dates (footnote a), for months
    of any length (28 to 31 days) and the rounding of the printed value."""
    table = duration_check(read_timeline)
    days = (read_timeline["ips_end"] - read_timeline["ips_start"]).dt.days
    longest = days / MONTH_DAYS[0]
    return _rows("printed IPS duration at most the months between inclusion and termination (months of 28-31 days)",
                 table["participant"], "at most " + longest.map("{:.2f}".format) + " months (" + days.astype(str)
                 + " days / 28), plus 0.05 for rounding",
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


def _multisets(low: int, high: int, k: int) -> np.ndarray:
    """Every sorted k-tuple of integers in [low, high], one per row, in the order of
    ``itertools.combinations_with_replacement``: each row extended by every value from its last."""
    rows = np.zeros((1, 0), dtype=np.int64)
    for _ in range(k):
        last = rows[:, -1] if rows.shape[1] else np.full(len(rows), low)
        counts = high - last + 1
        parent = np.repeat(np.arange(len(rows)), counts)
        step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        rows = np.hstack([rows[parent], (last[parent] + step)[:, None]])
    return rows


def _scaled(printed: float, decimals: int) -> int:
    """A printed value in units of its last decimal (22 -> 22 at 0 decimals, 2.35 -> 235 at 2)."""
    return int(Fraction(str(printed)) * 10 ** decimals)


def attainable_samples(n: int, low: int, high: int, mean: float, sd: float, mean_decimals: int = 0,
                       sd_decimals: int = 0) -> np.ndarray:
    """All samples of n integers with the printed range, mean and SD (SPRITE by exhaustion).

    A sample qualifies when its minimum is ``low``, its maximum is ``high``, and its mean and
    sample SD (n - 1) round half up to the printed values, the rule the HSCL-25 check uses too:
    ``printed - half <= value < printed + half``. Both tests are exact, in integers: for the
    mean, ``(2p - 1) n <= 2 sum < (2p + 1) n`` with p in units of the last decimal; for the SD,
    the same bounds squared against ``4 (n sum(x^2) - sum^2) / (n (n - 1))``. Returns one sorted
    sample per row (read-only: callers share it); an empty array means the summary cannot be right.
    """
    if comb(high - low + 1 + n - 3, n - 2) > MAX_SAMPLES:
        raise ValueError(f"too many samples to search exhaustively for n = {n} in [{low}, {high}]")
    free = _multisets(low, high, n - 2)
    sums = free.sum(axis=1) + low + high
    m, mean_scale = _scaled(mean, mean_decimals), 10 ** mean_decimals
    mean_ok = ((2 * m - 1) * n <= 2 * mean_scale * sums) & (2 * mean_scale * sums < (2 * m + 1) * n)
    free, sums = free[mean_ok], sums[mean_ok]
    samples = np.hstack([np.full((len(free), 1), low), free, np.full((len(free), 1), high)])
    spread = n * (samples.astype(np.int64) ** 2).sum(axis=1) - sums.astype(np.int64) ** 2  # n(n - 1) times the variance
    s, sd_scale = _scaled(sd, sd_decimals), 10 ** sd_decimals
    pairs = n * (n - 1)
    sd_ok = (max(2 * s - 1, 0) ** 2 * pairs <= 4 * sd_scale ** 2 * spread) & (4 * sd_scale ** 2 * spread < (2 * s + 1) ** 2 * pairs)
    found = samples[sd_ok].astype(int)
    found.setflags(write=False)
    return found


# cached; wrapped here rather than decorated, as mutmut leaves decorated functions unmutated (bench/mutation.md)
attainable_samples = functools.lru_cache(maxsize=16)(attainable_samples)


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


#: The printed value each per-participant check tests, as a cell of a data table (``table:column``).
CHECKED_CELLS = {HSCL_TOTAL_CHECK: "clinical:hscl_total",
                 "printed IPS duration at most": "ips_timeline:ips_months_reported",
                 "IPS termination on or after IPS inclusion": "ips_timeline:ips_end"}


def inconsistent_cells(checks: pd.DataFrame) -> dict[str, str]:
    """``table:participant:column`` -> erratum, for each printed value a check finds inconsistent."""
    out = {}
    for _, row in checks[checks["verdict"] == "inconsistent"].iterrows():
        for start, cell in CHECKED_CELLS.items():
            if row["check"].startswith(start):
                table, column = cell.split(":")
                out[f"{table}:{row['subject']}:{column}"] = row["erratum"]
    return out


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
