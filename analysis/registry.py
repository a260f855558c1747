"""The registry of every named number the report states.

Each entry records its value (a plain Python number), unit, formatted text,
the function that computes it and, where the article prints the same
quantity, the printed form. Chapters glue their numbers from here, the
verification appendix compares it with ``published_numbers.csv``, and
``python -m analysis numbers --json`` prints it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import audit, clinical, employment, qualitative, sensitivity, verification
from .data import load_all
from .number import Number

def _plain(value, fmt: str) -> int | float:
    """A plain Python int (for counts, format 'd') or float (glue cannot format NumPy scalars)."""
    if pd.isna(value):
        raise ValueError("a registry value cannot be missing")
    as_float = float(value)
    if fmt == "d" or (fmt == "g" and as_float.is_integer()):
        if not as_float.is_integer():
            raise ValueError(f"count {value!r} is not a whole number")
        return int(as_float)
    return as_float


class _Builder:
    def __init__(self):
        self.numbers: dict[str, Number] = {}

    def add(self, key, value, unit, fmt, source, basis: str = verification.TRANSCRIBED):
        if key in self.numbers:
            raise KeyError(f"registry key {key!r} defined twice")
        name = source.__qualname__ if callable(source) else source
        self.numbers[key] = Number(key, _plain(value, fmt), unit, fmt, name, basis=basis)


def read_timeline(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Table 2 with the errata's readings applied (the timeline the report analyses)."""
    return employment.apply_readings(data["ips_timeline"], data["errata"])


def followup_months(data: dict[str, pd.DataFrame]) -> list[int]:
    return [int(m) for m in data["followups"]["month"]]


def _sample_numbers(b: _Builder, data) -> None:
    sample = data["sample"]["value"]
    load = "analysis.data.load_sample"
    for key, name, unit in [
        ("n_invited", "invited", "participants"), ("n_declined", "declined", "participants"),
        ("n_women", "women", "participants"), ("n_men", "men", "participants"),
        ("age_min", "age_min", "years"), ("age_max", "age_max", "years"),
        ("pain_duration_min", "pain_duration_min", "years"), ("pain_duration_max", "pain_duration_max", "years"),
        ("out_of_work_min", "out_of_work_min", "years"), ("out_of_work_max", "out_of_work_max", "years"),
        ("interview_minutes_min", "interview_minutes_min", "minutes"),
        ("interview_minutes_max", "interview_minutes_max", "minutes"),
        ("interview_minutes_mean", "interview_minutes_mean", "minutes"),
        ("interview_minutes_sd", "interview_minutes_sd", "minutes"),
        ("interview_timing_months", "interview_timing", "months"),
        ("ips_planned_months", "ips_planned_months", "months"),
        ("extended_followup_additional_months", "extended_followup_additional_months", "months"),
        ("n_extended_followup_discussion", "extended_followup_discussion", "participants"),
    ]:
        b.add(key, int(sample[name]), unit, "d", load)
    b.add("n_participants", len(data["clinical"]), "participants", "d", "len(analysis.data.load_clinical())", verification.RECOMPUTED)
    b.add("n_dropouts", int(data["participants"]["dropped_out"].sum()), "participants", "d",
          "analysis.data.load_participants: dropped_out", verification.RECOMPUTED)
    b.add("n_pain_conditions", len(data["pain_conditions"]), "conditions", "d", "analysis.data.load_pain_conditions")
    b.add("n_followups", len(data["followups"]), "time points", "d", "analysis.data.load_followups")
    b.add("last_followup_month", int(data["followups"]["month"].max()), "months", "d", "analysis.data.load_followups")
    b.add("n_themes", len(data["themes"]), "themes", "d", "analysis.data.load_themes")
    b.add("n_ips_principles", len(data["ips_principles"]), "principles", "d", "analysis.data.load_ips_principles")


def _clinical_numbers(b: _Builder, data) -> None:
    table = clinical.describe(data["clinical"])
    units = {"odi": "percent", "health_thermometer": "points (0-100)", "pain_intensity": "points (0-10)",
             "pain_bothersomeness": "points (0-10)"}
    for measure, row in table.iterrows():
        unit = units.get(measure, "mean item score (1-4)")
        fine = ".2f" if measure.startswith("hscl") else ".1f"
        b.add(f"{measure}_n", row["n"], "participants", "d", clinical.describe, verification.RECOMPUTED)
        b.add(f"{measure}_missing", row["missing"], "participants", "d", clinical.describe, verification.RECOMPUTED)
        for stat in ("mean", "sd", "median"):
            b.add(f"{measure}_{stat}", float(row[stat]), unit, fine, clinical.describe, verification.RECOMPUTED)
        for stat in ("min", "max"):
            b.add(f"{measure}_{stat}", float(row[stat]), unit, ".1f" if measure.startswith("hscl") else ".0f",
                  clinical.describe, verification.RECOMPUTED)
    literature = data["literature"]
    cutoff = float(literature.loc["hscl25_caseness", "value"])
    b.add("hscl_caseness_cutoff", cutoff, "mean item score", ".2f", "literature.csv: hscl25_caseness")
    low, high = clinical.SCALES["hscl_total"]
    b.add("hscl_scale_points", high - low + 1, "points", "d", "analysis.clinical.SCALES")
    b.add("n_hscl_cases", clinical.n_at_or_above(data["clinical"]["hscl_total"], cutoff), "participants", "d",
          clinical.n_at_or_above, verification.RECOMPUTED)
    for measure, group in clinical.BANDS_FOR.items():
        counts = clinical.band_counts(data["clinical"][measure], clinical.bands(literature, group, clinical.SCALES[measure][1]))
        for label, count in counts.items():
            b.add(f"n_{measure}_{label.split()[0].replace('-', '_')}", count, "participants", "d", clinical.band_counts, verification.RECOMPUTED)


def _employment_numbers(b: _Builder, data) -> None:
    timeline = read_timeline(data)
    months = followup_months(data)
    status = employment.employment_status(timeline, months)
    counts = employment.employed_counts(status)
    for month in months:
        b.add(f"n_employed_{month}m", counts[month], "participants", "d", employment.employment_status, verification.RECOMPUTED)
    if 6 in months and 12 in months:
        b.add("n_newly_employed_12m", counts[12] - counts[6], "participants", "d", employment.employment_status, verification.RECOMPUTED)
    n = len(timeline)
    k = int(counts[12])
    extended = timeline["extended_followup"].astype(bool)
    b.add("n_extended_followup", int(extended.sum()), "participants", "d", "analysis.data.load_timeline: extended_followup")
    b.add("n_clinicians_only", int((~extended).sum()), "participants", "d", "analysis.data.load_timeline: extended_followup")
    b.add("n_extended_employed_12m", int((status[12].to_numpy() & extended.to_numpy()).sum()), "participants", "d",
          employment.employment_status)
    after = (timeline["job_start"] > timeline["ips_end"]).fillna(False)
    b.add("n_job_starts_after_ips", int(after.sum()), "participants", "d", "analysis.data.load_timeline: job_start, ips_end",
          verification.RECOMPUTED)
    employed_extended = [m for m in months if (status[m].to_numpy() & extended.to_numpy()).any()]
    if employed_extended:
        b.add("extended_first_employed_month", min(employed_extended), "months", "d", employment.employment_status,
              verification.RECOMPUTED)
    b.add("ci_level", employment.CI_LEVEL, "proportion", ".0%", employment.proportion_ci)
    b.add("employment_rate_12m", k / n, "proportion", ".0%", "analysis.employment.employed_counts / n", verification.RECOMPUTED)
    for method, suffix in (("exact", ""), ("wilson", "_wilson")):
        low, high = employment.proportion_ci(k, n, method)
        b.add(f"employment_rate_12m_ci_low{suffix}", low, "proportion", ".0%", employment.proportion_ci, verification.RECOMPUTED)
        b.add(f"employment_rate_12m_ci_high{suffix}", high, "proportion", ".0%", employment.proportion_ci, verification.RECOMPUTED)
    checks = employment.duration_check(timeline)
    b.add("n_durations_longer_than_dates", int((checks["verdict"] == "longer than the dates allow").sum()),
          "participants", "d", employment.duration_check)
    b.add("n_durations_shorter_than_dates", int(checks["verdict"].str.startswith("shorter").sum()),
          "participants", "d", employment.duration_check)


def _audit_numbers(b: _Builder, data, checks: pd.DataFrame) -> None:
    hscl = checks[checks["check"].str.startswith(audit.HSCL_TOTAL_CHECK)]
    b.add("n_hscl_totals_unattainable", int((hscl["verdict"] == "inconsistent").sum()), "participants", "d",
          audit.hscl_total_check, verification.RECOMPUTED)
    b.add("n_audit_checks", len(checks), "checks", "d", audit.run_all)
    b.add("n_audit_inconsistent", int((checks["verdict"] == "inconsistent").sum()), "checks", "d", audit.run_all)
    b.add("n_interview_samples", len(audit.interview_length_check(data["sample"])[1]), "samples", "d",
          audit.attainable_samples)
    b.add("n_errata", len(data["errata"]), "errata", "d", "analysis.data.load_errata")
    errata = data["errata"]
    b.add("n_readings_applied", int(errata["reading_value"].notna().sum()), "values", "d", "analysis.data.load_errata")


def _qualitative_numbers(b: _Builder, data) -> None:
    findings, quotes = data["findings"], data["quotes"]
    for key, finding in (("n_positive_experience", "overall_positive"), ("n_no_interference", "no_interference"),
                         ("n_job_search_positive", "job_search_positive"),
                         ("n_education_challenge", "challenge_education"),
                         ("n_short_duration_challenge", "challenge_short_duration")):
        b.add(key, qualitative.finding_count(findings, finding), "participants", "d", qualitative.finding_count)
    b.add("n_quotes", len(quotes), "quotations", "d", "analysis.data.load_quotes")
    per_participant = quotes["participant"].value_counts()
    b.add("n_quotes_top_two", int(per_participant.nlargest(2).sum()), "quotations", "d", "analysis.data.load_quotes")
    b.add("n_unquoted_participants", len(data["participants"]) - quotes["participant"].nunique(), "participants", "d",
          "analysis.data.load_quotes")
    b.add("n_single_word_quotes", int((~quotes["text"].str.contains(r"\s")).sum()), "quotations", "d",
          "analysis.data.load_quotes")
    b.add("n_quoted_participants", quotes["participant"].nunique(), "participants", "d", "analysis.data.load_quotes")
    b.add("n_subthemes", len(data["subthemes"]), "subthemes", "d", "analysis.data.load_subthemes")
    b.add("n_helpful_aspects", int((findings["kind"] == "helpful_aspect").sum()), "aspects", "d",
          qualitative.findings_of)
    b.add("n_challenges", int((findings["kind"] == "challenge").sum()), "challenges", "d", qualitative.findings_of)
    b.add("n_coreq_items", len(data["coreq"]), "items", "d", "analysis.data.load_coreq")
    b.add("n_coreq_domains", data["coreq"]["domain"].nunique(), "domains", "d", "analysis.data.load_coreq")
    b.add("n_coreq_reported", int((data["coreq"]["status"] == "reported").sum()), "items", "d",
          "analysis.data.load_coreq")
    b.add("n_coreq_partly", int((data["coreq"]["status"] == "partly reported").sum()), "items", "d",
          "analysis.data.load_coreq")


def _sensitivity_numbers(b: _Builder, data) -> None:
    found = sensitivity.analyse(data, followup_months(data))
    alternatives = [r for r in found.readings if not r.chosen]
    failing = found.failing()
    b.add("n_alternative_readings", len(alternatives), "readings", "d", sensitivity.analyse)
    b.add("n_errata_with_alternatives", len({r.erratum for r in alternatives}), "errata", "d", sensitivity.analyse)
    b.add("n_headline_results", len(sensitivity.HEADLINES), "results", "d", sensitivity.analyse)
    b.add("n_headlines_depending", len(found.depending()), "results", "d", sensitivity.analyse)
    b.add("n_conclusions", len(found.conclusions), "conclusions", "d", sensitivity.analyse)
    b.add("n_conclusions_overturned", len({text for text, _ in failing}), "conclusions", "d", sensitivity.analyse)
    b.add("n_readings_overturning", len({label for _, label in failing}), "readings", "d", sensitivity.analyse)
    calendar = found.results.get("E18 study-calendar", found.results["chosen"])  # no such reading: the same
    for name in ("employed_12m", "extended_employed_12m"):
        b.add(f"calendar_{name}", calendar[name], "participants", "d", sensitivity.headline)


def _literature_numbers(b: _Builder, data) -> None:
    for key, row in data["literature"].iterrows():
        b.add(f"lit_{key}", row["value"], row["unit"], "g", f"literature.csv ({row['citation']})")


def build(directory: Path | str | None = None, data: dict[str, pd.DataFrame] | None = None) -> dict[str, Number]:
    """Every named number of the report, computed from the data package."""
    data = load_all(directory) if data is None else data
    return build_with_verification(data)[0]


def build_with_verification(data: dict[str, pd.DataFrame], checks: pd.DataFrame | None = None
                            ) -> tuple[dict[str, Number], pd.DataFrame]:
    """Every named number, and the verification of every printed number it is compared with
    (:func:`analysis.verification.verify`); ``checks``: the audit, if already run."""
    if checks is None:
        checks = audit.run_all(data, read_timeline(data), followup_months(data))
    b = _Builder()
    _sample_numbers(b, data)
    _clinical_numbers(b, data)
    _employment_numbers(b, data)
    _audit_numbers(b, data, checks)
    _qualitative_numbers(b, data)
    _sensitivity_numbers(b, data)
    _literature_numbers(b, data)
    base = dict(b.numbers)
    verified = verification.verify(data["published_numbers"], base, data, audit.inconsistent_cells(checks))
    for key, count in verification.summary(verified).items():
        b.add(key, count, "printed numbers", "d", verification.verify)
    printed = (data["published_numbers"].dropna(subset=["registry_key"]).drop_duplicates("registry_key")
               .set_index("registry_key")["printed"])
    numbers = {k: Number(n.key, n.value, n.unit, n.fmt, n.source, printed.get(k), n.basis) for k, n in b.numbers.items()}
    return numbers, verified


#: Numbers as the prose prints them together, each group one reference in a chapter
#: (``{glue}`employed_12m_of_n```): its format here, beside the numbers it is made of (their texts).
TEXTS = {
    "employed_12m_of_n": "{n_employed_12m} of {n_participants}",
    "rate_12m_exact": "{employment_rate_12m_ci_low} to {employment_rate_12m_ci_high}",
    "rate_12m_wilson": "{employment_rate_12m_ci_low_wilson} to {employment_rate_12m_ci_high_wilson}",
    "rate_12m_with_ci": "{employment_rate_12m} (95% CI {employment_rate_12m_ci_low} to {employment_rate_12m_ci_high})",
    "lit_ips_range": "{lit_ips_employment_low}–{lit_ips_employment_high}%",
    "lit_usual_programme_range": "{lit_usual_programme_employment_low}–{lit_usual_programme_employment_high}%",
    "lit_rct_rates": "{lit_rct_ips_employment_12m}% and {lit_rct_usual_care_employment_12m}%",
    "coreq_reported_of_n": "{n_coreq_reported} of {n_coreq_items}",
    "sexes": "{n_men} men and {n_women} women",
    "age_range": "{age_min} to {age_max}",
    "pain_duration_range": "{pain_duration_min} to {pain_duration_max}",
    "out_of_work_range": "{out_of_work_min} to {out_of_work_max}",
    "odi_mean_sd": "{odi_mean}% (SD {odi_sd})",
    "pain_intensity_mean_sd": "{pain_intensity_mean} (SD {pain_intensity_sd})",
    "health_thermometer_mean_sd": "{health_thermometer_mean} (SD {health_thermometer_sd}, n = {health_thermometer_n})",
    "hscl_total_mean_sd": "{hscl_total_mean} (SD {hscl_total_sd})",
    "hscl_cases_of_n": "{n_hscl_cases} of {n_participants}",
    "lit_chronic_pain_prevalence": "{lit_chronic_pain_prevalence_low}% and {lit_chronic_pain_prevalence_high}%",
}


def inputs_of(number: Number, descriptor: dict | None = None) -> list[str]:
    """The files a number is computed from: the data files its function declares it reads
    (:func:`analysis.provenance.reads`) and the function's module; the data and ``analysis/`` when
    the function declares nothing."""
    import importlib
    import inspect

    from .paths import PROJECT_ROOT
    from .provenance import made_by

    module, _, name = str(number.source).rpartition(".")
    try:
        function = getattr(importlib.import_module(module), name)
        function = getattr(function, "__wrapped__", function)
        files = [f for f in made_by(function, descriptor=descriptor)["data"] if not f.startswith("every file")]
        return [*files, Path(inspect.getsourcefile(function)).resolve().relative_to(PROJECT_ROOT).as_posix()]
    except (ImportError, AttributeError, ValueError, TypeError, OSError):
        return ["data", "analysis"]


def text_keys(name: str) -> list[str]:
    """The numbers a text of :data:`TEXTS` is made of."""
    import string

    return [field for _, field, _, _ in string.Formatter().parse(TEXTS[name]) if field]


def texts(numbers: dict[str, Number]) -> dict[str, str]:
    """Every text of :data:`TEXTS`, from the numbers' own texts."""
    values = {key: number.text for key, number in numbers.items()}
    return {name: template.format(**values) for name, template in TEXTS.items()}
