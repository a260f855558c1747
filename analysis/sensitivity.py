"""Does any erratum change a conclusion? The headline results under every reading of the errata.

``readings.csv`` lists, for each erratum whose reading is a choice, the reading
the report uses (``chosen``) and its alternatives, each as the values it sets:
a cell of ``clinical.csv`` or of Table 2 as the analysis reads it (after the
errata's readings), or the date the follow-ups are counted from. For every
alternative, :func:`table` recomputes the headline results with only that
reading changed, and says of each conclusion (a condition on the headline
results, :mod:`analysis.claims`) whether it still holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import claims, clinical, employment

#: The headline results: name -> what it is. Their values are :func:`headline`'s.
HEADLINES = {
    "employed_3m": "employed by the 3-month follow-up",
    "employed_6m": "employed by the 6-month follow-up",
    "employed_12m": "employed by the 12-month follow-up",
    "rate_12m_ci_low": "12-month rate, 95% CI, low (%)",
    "rate_12m_ci_high": "12-month rate, 95% CI, high (%)",
    "extended": "participants with extended follow-up",
    "extended_employed_12m": "of them employed by 12 months",
    "ips_months_median": "months in IPS by the dates, median",
    "ips_months_counted": "participants whose months in IPS can be counted",
    "odi_median": "ODI disability, median",
    "severe_pain": "in severe pain (intensity 7 or more)",
    "pain_counted": "with a pain intensity",
    "hscl_cases": "above the HSCL-25 distress cut-off (1.75)",
    "hscl_total_mean": "HSCL-25 total, mean",
}

#: The conclusions the headline results support: (what the report concludes, the condition it rests on, in
#: the headline results' names and the literature's, ``lit_<key>`` of literature.csv).
CONCLUSIONS = [
    ("nobody had started a job by three months", "employed_3m == 0"),
    ("one participant had started a job by six months", "employed_6m == 1"),
    ("three of the eight had started a job by twelve months (the article's 38%)", "employed_12m == 3"),
    ("the 12-month rate lies inside both ranges the article cites for mental disorders",
     "lit_ips_employment_low <= 100 * employed_12m / participants <= lit_usual_programme_employment_high"),
    ("the rate's 95% interval is wide (more than 30 percentage points)", "rate_12m_ci_high - rate_12m_ci_low > 30"),
    ("two of those with extended follow-up had started a job by twelve months", "extended_employed_12m == 2"),
    ("the median disability is moderate (ODI 21–40)", "21 <= odi_median <= 40"),
    ("most participants with a pain score were in severe pain", "2 * severe_pain > pain_counted"),
    ("most participants were above the distress cut-off", "2 * hscl_cases > participants"),
]


@dataclass(frozen=True)
class Reading:
    erratum: str
    name: str
    chosen: bool
    description: str
    #: (target, value) pairs: ``clinical:P4:odi``, ``ips_timeline:P6:ips_end``, ``followups:start``
    sets: tuple[tuple[str, object], ...] = field(default=())

    @property
    def label(self) -> str:
        return f"{self.erratum} {self.name}"


def readings(table: pd.DataFrame) -> list[Reading]:
    """The readings of ``readings.csv``, in its order, each with every value it sets."""
    found: dict[tuple[str, str], Reading] = {}
    for row in table.itertuples(index=False):
        key = (row.erratum, row.reading)
        value = None if pd.isna(row.value) else row.value
        before = found.get(key, Reading(row.erratum, row.reading, bool(row.chosen),
                                        "" if pd.isna(row.description) else row.description))
        found[key] = Reading(before.erratum, before.name, before.chosen, before.description or
                             ("" if pd.isna(row.description) else row.description), before.sets + ((row.target, value),))
    return list(found.values())


def apply(data: dict[str, pd.DataFrame], reading: Reading) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp | None]:
    """The clinical table, the timeline as the analysis reads it (errata applied) and the follow-ups'
    start date (None: each participant's inclusion) under one reading."""
    clinical_table = data["clinical"].copy()
    timeline = employment.apply_readings(data["ips_timeline"], data["errata"])
    start = None
    for target, value in reading.sets:
        if target == "followups:start":
            start = None if value in (None, "inclusion") else pd.Timestamp(value)
            continue
        name, participant, column = target.split(":")
        frame = clinical_table if name == "clinical" else timeline
        rows = frame["participant"] == participant
        if not rows.any():
            raise KeyError(f"readings.csv: reading {reading.label} sets {target}, but there is no participant {participant}")
        frame.loc[rows, column] = employment.typed(frame, column, value)
    return clinical_table, timeline, start


def headline(clinical_table: pd.DataFrame, timeline: pd.DataFrame, months: list[int], literature: pd.DataFrame,
             start: pd.Timestamp | None = None) -> dict[str, float]:
    """The headline results of one reading (see :data:`HEADLINES`), and the number of participants."""
    cutoff = float(literature.loc["hscl25_caseness", "value"])
    severe = clinical.bands(literature, clinical.BANDS_FOR["pain_intensity"], clinical.SCALES["pain_intensity"][1])
    status = employment.employment_status(timeline, months, start)
    counts = employment.employed_counts(status)
    n = len(timeline)
    low, high = employment.proportion_ci(int(counts[12]), n)
    extended = timeline["extended_followup"].astype(bool).to_numpy()
    ips_months = employment.months_between(timeline["ips_start"], timeline["ips_end"])
    ips_months = ips_months[ips_months >= 0]  # an end before the start cannot be counted
    pain = clinical_table["pain_intensity"].dropna().astype(float)
    return {
        "participants": n,
        "employed_3m": int(counts[3]), "employed_6m": int(counts[6]), "employed_12m": int(counts[12]),
        "rate_12m_ci_low": round(100 * low, 1), "rate_12m_ci_high": round(100 * high, 1),
        "extended": int(extended.sum()),
        "extended_employed_12m": int((status[12].to_numpy() & extended).sum()),
        "ips_months_median": round(float(ips_months.median()), 1), "ips_months_counted": int(len(ips_months)),
        "odi_median": float(clinical_table["odi"].dropna().astype(float).median()),
        "severe_pain": int((pain >= severe["lower"].iloc[-1]).sum()), "pain_counted": int(len(pain)),
        "hscl_cases": clinical.n_at_or_above(clinical_table["hscl_total"], cutoff),
        "hscl_total_mean": round(float(clinical_table["hscl_total"].dropna().astype(float).mean()), 2),
    }


@dataclass(frozen=True)
class Sensitivity:
    readings: list[Reading]
    #: headline results by reading label ("chosen" for this report's readings)
    results: dict[str, dict[str, float]]
    #: every conclusion under every reading: (conclusion, condition, {label: holds})
    conclusions: list[tuple[str, str, dict[str, bool]]]

    def depending(self) -> dict[str, list[str]]:
        """Each headline result that an alternative reading changes -> the errata whose readings change it."""
        chosen = self.results["chosen"]
        out: dict[str, list[str]] = {}
        for reading in self.readings:
            if reading.chosen:
                continue
            for name in HEADLINES:
                if self.results[reading.label][name] != chosen[name] and reading.erratum not in out.get(name, []):
                    out.setdefault(name, []).append(reading.erratum)
        return out

    def failing(self) -> list[tuple[str, str]]:
        """(conclusion, reading) for every conclusion that holds under this report's readings and that an
        alternative reading overturns."""
        return [(text, label) for text, _, holds in self.conclusions if holds["chosen"]
                for label, ok in holds.items() if label != "chosen" and not ok]


def analyse(data: dict[str, pd.DataFrame], months: list[int]) -> Sensitivity:
    """The headline results under this report's readings and under each alternative alone."""
    found = readings(data["readings"])
    literature = data["literature"]
    results = {}
    for reading in [Reading("", "chosen", True, "this report's readings")] + [r for r in found if not r.chosen]:
        clinical_table, timeline, start = apply(data, reading)
        results["chosen" if reading.name == "chosen" and not reading.erratum else reading.label] = headline(
            clinical_table, timeline, months, literature, start)
    cited = {f"lit_{key}": float(value) for key, value in literature["value"].items()}
    conclusions = [(text, condition, {label: claims.check(condition, values | cited).holds
                                      for label, values in results.items()})
                   for text, condition in CONCLUSIONS]
    return Sensitivity(found, results, conclusions)
