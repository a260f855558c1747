"""Employment outcomes (Table 2): IPS periods, employment at each follow-up and its rate."""

from __future__ import annotations

import functools
import math
from statistics import NormalDist

import numpy as np
import pandas as pd

#: Average days in a month, for converting date spans to months.
DAYS_PER_MONTH = 365.25 / 12

#: Printed durations are rounded to 0.1 month; a difference within this is not a difference.
#: Half a unit of the printed durations' last decimal (months to one decimal).
DURATION_ROUNDING = 0.05
#: The article does not say how long its months are; any calendar month is 28 to 31 days.
MONTH_DAYS = (28, 31)

#: Confidence level of every interval in the report.
CI_LEVEL = 0.95


def typed(frame: pd.DataFrame, column: str, value):
    """A value written as text (an erratum's ``reading_value``, a value of ``readings.csv``) as the
    frame's column holds it: a date, a boolean (``true``), a number or text; None as missing."""
    if value is None:
        return pd.NA if frame[column].dtype.kind not in "fM" else (pd.NaT if frame[column].dtype.kind == "M" else float("nan"))
    kind = frame[column].dtype.kind
    if kind == "M":
        return pd.Timestamp(value)
    if kind == "b":  # bool and pandas' nullable boolean alike
        return str(value).lower() == "true"
    if kind in "iuf":  # and Int64, Float64
        return float(value)
    return value


def apply_readings(timeline: pd.DataFrame, errata: pd.DataFrame) -> pd.DataFrame:
    """Table 2 with each erratum's ``reading_value`` applied to the cell it names.

    The printed values stay in the data; the returned frame adds, for every
    column an erratum corrects, a boolean ``<column>_from_erratum`` marking the
    cells that were read differently from the print.
    """
    read = timeline.copy()
    fixes = errata[(errata["file"] == "ips_timeline.csv") & errata["reading_value"].notna()]
    for _, fix in fixes.iterrows():  # one pass per erratum, not per participant
        column = fix["column"]
        who = read["participant"].isin(fix["participant"].split(";"))
        read.loc[who, column] = typed(read, column, fix["reading_value"])
        read[f"{column}_from_erratum"] = who | read.get(f"{column}_from_erratum", False)
    return read


def followup_dates(timeline: pd.DataFrame, month: int, start: pd.Timestamp | None = None) -> pd.Series:
    """Each participant's follow-up date ``month`` calendar months after IPS inclusion (or after ``start``,
    one date for everyone: the study calendar of erratum E18's alternative reading)."""
    origin = timeline["ips_start"] if start is None else pd.Series(start, index=timeline.index)
    return origin + pd.DateOffset(months=month)


def employment_status(timeline: pd.DataFrame, months: list[int], start: pd.Timestamp | None = None) -> pd.DataFrame:
    """Whether each participant had started a job by each follow-up.

    A participant counts as employed at month m when the job start date is on or
    before the inclusion date (or ``start``) plus m months. Returns one row per
    participant and one boolean column per follow-up month.
    """
    status = {m: (timeline["job_start"] <= followup_dates(timeline, m, start)).fillna(False).astype(bool)
              for m in months}
    return pd.DataFrame(status).set_axis(timeline["participant"], axis=0)


def employed_counts(status: pd.DataFrame) -> pd.Series:
    """Number employed at each follow-up month."""
    return status.sum().astype(int)


def _log_factorials(n: int) -> np.ndarray:
    """lgamma(i + 1) for i = 0 ... n."""
    return np.array([math.lgamma(i + 1) for i in range(n + 1)])


# cached; wrapped here rather than decorated, as mutmut leaves decorated functions unmutated (bench/mutation.md)
_log_factorials = functools.lru_cache(maxsize=16)(_log_factorials)


def _binomial_tail(k: int, n: int, p: float, upper: bool) -> float:
    """P(X >= k) (upper) or P(X <= k) for X ~ Binomial(n, p), summed in log space.

    Each term's logarithm is computed as one float expression per term (array arithmetic does
    the same operations in the same order), and the terms are summed exactly (``math.fsum``);
    a term more than 745 below the largest is left out, as its exponential is exactly 0.
    """
    if p <= 0.0:
        return 1.0 if (not upper or k == 0) else 0.0
    if p >= 1.0:
        return 1.0 if (upper or k == n) else 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    factorial = _log_factorials(n)
    i = np.arange(k, n + 1) if upper else np.arange(0, k + 1)
    logs = factorial[n] - factorial[i] - factorial[n - i] + i * log_p + (n - i) * log_q
    top = float(logs.max())
    kept = logs[logs - top > -750.0].tolist()
    return min(1.0, math.exp(top) * math.fsum(math.exp(x - top) for x in kept))


def _solve(function, target: float, increasing: bool) -> float:
    """The p in [0, 1] where a monotone function of p equals target (bisection to machine precision)."""
    low, high = 0.0, 1.0
    for _ in range(100):
        middle = (low + high) / 2
        if (function(middle) < target) == increasing:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def proportion_ci(k: int, n: int, method: str = "exact", level: float = CI_LEVEL) -> tuple[float, float]:
    """Confidence interval for k successes in n: ``exact`` (Clopper-Pearson) or ``wilson``.

    Clopper-Pearson inverts the binomial tails: the lower limit is the p at which
    P(X >= k) = alpha/2 (0 when k = 0), the upper the p at which P(X <= k) = alpha/2
    (1 when k = n). Computed in pure Python, so that a chapter need not import SciPy.
    """
    k, n = int(k), int(n)
    if not 0 <= k <= n or n == 0:
        raise ValueError(f"no interval for {k} successes in {n}")
    alpha = 1 - level
    if method == "exact":
        low = 0.0 if k == 0 else _solve(lambda p: _binomial_tail(k, n, p, upper=True), alpha / 2, increasing=True)
        high = 1.0 if k == n else _solve(lambda p: _binomial_tail(k, n, p, upper=False), alpha / 2, increasing=False)
        return low, high
    if method == "wilson":
        z = NormalDist().inv_cdf(1 - alpha / 2)
        phat = k / n
        centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return centre - half, centre + half
    raise ValueError(f"unknown interval method {method!r}: exact or wilson")


# cached; wrapped here rather than decorated, as mutmut leaves decorated functions unmutated (bench/mutation.md)
proportion_ci = functools.lru_cache(maxsize=64)(proportion_ci)


def months_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar time from start to end in average months (days / 30.4375, a year of 365.25 days over 12)."""
    return (end - start).dt.days / DAYS_PER_MONTH


def duration_check(read_timeline: pd.DataFrame) -> pd.DataFrame:
    """Printed IPS durations beside the months between inclusion and termination.

    Footnote a of Table 2 says the printed duration excludes holidays, waiting
    for surgery and hospital stays, so it may be shorter than the dates allow
    but never longer. The verdicts are exact: a printed duration ``d`` stands for
    ``[d - 0.05, d + 0.05)`` months, and ``n`` days are between ``n / 31`` and
    ``n / 28`` months whatever months the article counted. It is longer than
    the dates allow only if ``d - 0.05 > n / 28``, and shorter only if
    ``d + 0.05 < n / 31``; ``months_from_dates`` shows days / 30.4375.
    """
    days = (read_timeline["ips_end"] - read_timeline["ips_start"]).dt.days
    elapsed = days / DAYS_PER_MONTH
    printed = read_timeline["ips_months_reported"]
    difference = printed - elapsed
    verdict = pd.Series("matches the dates", index=read_timeline.index, dtype="string")
    verdict[printed + DURATION_ROUNDING < days / MONTH_DAYS[1]] = "shorter than the dates (time excluded, footnote a)"
    verdict[printed - DURATION_ROUNDING > days / MONTH_DAYS[0]] = "longer than the dates allow"
    return pd.DataFrame({
        "participant": read_timeline["participant"],
        "months_from_dates": elapsed,
        "months_printed": read_timeline["ips_months_reported"],
        "difference": difference,
        "verdict": verdict,
    })


def comparison_rows(k: int, n: int, literature: pd.DataFrame) -> pd.DataFrame:
    """Rows of the comparison figure: this pilot, the later trial's arms and the cited ranges.

    The trial's arms use the inferred numerators and denominators in
    ``literature.csv`` (19/36 and 7/18 reproduce the printed 52.8% and 38.9%).
    """
    lit = literature["value"]
    rows = []
    low, high = proportion_ci(k, n)
    rows.append({"label": "this pilot, IPS (12 months)", "kind": "estimate", "value": k / n, "low": low, "high": high,
                 "note": f"{k}/{n}", "highlight": True})
    for arm, name in (("ips", "IPS in Pain trial, IPS"), ("usual_care", "IPS in Pain trial, usual care")):
        kk, nn = int(lit[f"rct_{arm}_employed_inferred"]), int(lit[f"rct_{arm}_analysed_inferred"])
        lo, hi = proportion_ci(kk, nn)
        rows.append({"label": name, "kind": "estimate", "value": kk / nn, "low": lo, "high": hi,
                     "note": f"{kk}/{nn}, inferred", "highlight": False})
    for key, name in (("ips_employment", "IPS trials, mental illness"),
                      ("usual_programme_employment", "usual programmes, mental illness")):
        rows.append({"label": name, "kind": "range", "value": float("nan"), "low": lit[f"{key}_low"] / 100,
                     "high": lit[f"{key}_high"] / 100, "note": "", "highlight": False})
    return pd.DataFrame(rows)
