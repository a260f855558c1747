"""Tables for display: data in, a formatted DataFrame out (strings, dashes for missing)."""

from __future__ import annotations

import pandas as pd

from . import display
from .clinical import MEASURES, bands
from .provenance import reads

DASH = "–"  # shown for a value the article does not give, and only for that
NONE = "none"  # shown where the article gives nothing because there is nothing (no job start)


class ReportTable(pd.DataFrame):
    """A DataFrame shown as a table whose cells are text, in every output format.

    It displays as one structured output (:data:`analysis.display.MIME_TABLE`)
    that the Sphinx renderer turns into table nodes, so HTML and LaTeX escape
    every cell and nothing in a cell is read as markup; nbval compares its
    plain text. It has no HTML, Markdown or LaTeX representation of its own.
    How it is shown (rows grouped under headings, notes, its source) is kept in
    ``attrs["display"]`` (see :func:`shown`).
    """

    @property
    def _constructor(self):
        return ReportTable

    def frozen(self) -> display.Table:
        """The table as it is shown (:class:`analysis.display.Table`), made once."""
        return display.Table(display.table_payload(self, missing=DASH, **self.attrs.get("display", {})))

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return self.frozen()._repr_mimebundle_()

    def _repr_html_(self) -> None:
        return None

    def _repr_latex_(self) -> None:
        return None


def shown(frame: pd.DataFrame, group: str | None = None, notes: tuple[str, ...] | list[str] = (),
          source: dict | None = None, keys: tuple[str, ...] | list[str] = ()) -> ReportTable:
    """Mark a table for display in every output format.

    ``group``: an index level or column whose values head groups of rows (shown once, across
    the table); ``notes``: lines printed under the table (a legend of abbreviations);
    ``source``: how it was made (:func:`analysis.provenance.made_by`), printed below the notes;
    ``keys``: index levels or columns of identifiers, breakable after their underscores.
    """
    table = ReportTable(frame)
    options = {}
    if group is not None:
        options["group"] = group
    if notes:
        options["notes"] = tuple(notes)
    if source is not None:
        options["source"] = source
    if keys:
        options["keys"] = tuple(keys)
    table.attrs = {"display": options}
    return table


#: Tables of individual participants longer than this are cut, with a note of what is left out.
MAX_ROWS = 30


def head(frame: pd.DataFrame, max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """The rows a paged table can show (one more, so that :func:`paged` knows there are more):
    a long table is formatted only as far as it is shown."""
    return frame.head(max_rows + 1)


def paged(frame: pd.DataFrame, max_rows: int = MAX_ROWS, source: str = "the data package",
          total: int | None = None) -> pd.DataFrame:
    """The first ``max_rows`` rows and a closing row saying how many more there are and where
    (``total``: the rows of the whole table, when ``frame`` is its :func:`head`)."""
    total = len(frame) if total is None else total
    if total <= max_rows:
        return frame
    head = frame.head(max_rows).astype("object")
    note = pd.DataFrame([[f"{total - max_rows} more rows, in {source}"] + [""] * (frame.shape[1] - 1)],
                        columns=frame.columns, index=pd.Index(["…"], name=frame.index.name))
    return pd.concat([head, note])


def value_text(value) -> str:
    """A printed or recomputed value for a table: a date as the article prints dates, a number as short as it is."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return DASH
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return f"{value:g}"


def _fmt(values: pd.Series, spec: str) -> pd.Series:
    return values.map(lambda v: DASH if pd.isna(v) else format(float(v) if "f" in spec else int(v), spec))


#: Short column headings for the Table 1 measures, explained by :func:`measure_legend` under the table.
SHORT = {
    "odi": "ODI",
    "pain_intensity": "Pain int.",
    "pain_bothersomeness": "Pain both.",
    "health_thermometer": "Health therm.",
    "hscl_total": "HSCL total",
    "hscl_anxiety": "HSCL anx.",
    "hscl_depression": "HSCL dep.",
}

#: What each short heading stands for, with its scale.
_LEGEND = {
    "odi": "ODI: modified Oswestry Disability Index, % (0–100, higher is worse)",
    "pain_intensity": "Pain int.: pain intensity, numeric rating scale (NRS) 0–10",
    "pain_bothersomeness": "Pain both.: pain bothersomeness, NRS 0–10",
    "health_thermometer": "Health therm.: health thermometer, 0–100 (higher read as better, erratum E11)",
}
_HSCL = {"hscl_total": "total", "hscl_anxiety": "anx. (anxiety)", "hscl_depression": "dep. (depression)"}


def measure_legend(measures: list[str]) -> str:
    """The legend of the short headings of ``measures`` (keys of :data:`SHORT`), as one note."""
    parts = [_LEGEND[m] for m in measures if m in _LEGEND]
    hscl = [_HSCL[m] for m in measures if m in _HSCL]
    if hscl:
        parts.append("HSCL " + ", ".join(hscl) + ": Hopkins Symptom Checklist-25, mean item score 1–4 "
                     "(higher is worse)")
    return "; ".join(parts) + "."


@reads("clinical")
def table_1(clinical: pd.DataFrame) -> pd.DataFrame:
    """Table 1 as printed (decimal points), a dash where the article gives no value; short headings
    (:data:`SHORT`, explained by :func:`measure_legend`)."""
    shown = pd.DataFrame({"Participant": clinical["participant"]})
    for column in MEASURES:
        shown[SHORT[column]] = _fmt(clinical[column], ".1f" if column.startswith("hscl") else "d")
    return shown.set_index("Participant")


@reads("clinical")
def descriptives(describe: pd.DataFrame) -> pd.DataFrame:
    """Descriptive statistics per measure, formatted for reading, grouped by precision.

    Means, SDs and medians carry one decimal more than the data: one for the
    whole-number scales, two for the HSCL-25 item means; each group of rows
    (the ``Scale`` column, shown as a heading) keeps one precision per column.
    """
    shown = pd.DataFrame(index=[MEASURES[m] for m in describe.index])
    shown.index.name = "Measure"
    shown["Scale"] = ["HSCL-25 mean item scores (two decimals)" if m.startswith("hscl")
                      else "Whole-number scales (one decimal)" for m in describe.index]
    for stat, spec in (("n", "d"), ("missing", "d")):
        shown[stat] = _fmt(describe[stat], spec).to_numpy()
    for stat in ("mean", "sd", "median"):
        specs = [".2f" if m.startswith("hscl") else ".1f" for m in describe.index]
        shown[stat.upper() if stat == "sd" else stat] = [format(v, s) for v, s in zip(describe[stat], specs)]
    shown["min–max"] = [f"{lo:g}–{hi:g}" for lo, hi in zip(describe["min"], describe["max"])]
    return shown


def band_text(band_table: pd.DataFrame, integer_scale: bool = True) -> str:
    """Bands as 'label lower–upper' text, e.g. 'minimal 0–20; moderate 21–40; …'."""
    parts = []
    last = len(band_table) - 1
    for i, (_, band) in enumerate(band_table.iterrows()):
        upper = band["upper"] if (i == last or not integer_scale) else band["upper"] - 1
        span = f"{band['lower']:g}" if upper == band["lower"] else f"{band['lower']:g}–{upper:g}"
        parts.append(f"{band['label']} {span}")
    return "; ".join(parts)


@reads("datapackage.json", "literature")
def instruments(schema_fields: list[dict], literature: pd.DataFrame, band_groups: dict[str, str],
                cutoff_key: str = "hscl25_caseness") -> pd.DataFrame:
    """The instruments of Table 1 with scale range, direction, thresholds and sources."""
    rows = []
    for field in schema_fields:
        name = field["name"]
        if name not in MEASURES:
            continue
        c = field["constraints"]
        if name in band_groups:
            table = bands(literature, band_groups[name], c["maximum"])
            thresholds = band_text(table)
            source = ", ".join(sorted(set(table["citation"])))
        elif name.startswith("hscl"):
            row = literature.loc[cutoff_key]
            thresholds = f"caseness at a total of {row['value']:g} or more" if name == "hscl_total" else "none used"
            source = row["citation"] if name == "hscl_total" else "derogatis1974"
        else:
            thresholds, source = "none used (no agreed cut-offs; see erratum E11)", ""
        rows.append({"Measure": MEASURES[name], "Range": f"{c['minimum']:g}–{c['maximum']:g}",
                     "Units and direction": field["unit"], "Interpretation": thresholds,
                     "Source of thresholds": source})
    return pd.DataFrame(rows).set_index("Measure")


#: The duration check's verdicts (:func:`analysis.employment.duration_check`) as a table shows them.
CHECK_SHORT = {"matches the dates": "matches", "longer than the dates allow": "longer",
               "shorter than the dates (time excluded, footnote a)": "shorter"}

TABLE_2_NOTES = (
    "Dates as the article prints them (DD.MM.YYYY); none: no job start.",
    "Months printed: the article's duration of IPS, which does not include time spent on holiday, "
    "waiting for surgery or in hospital (its footnote a); * an asterisk the article does not explain (erratum E03).",
    "Months from dates: days from inclusion to termination / 30.4375 (a year of 365.25 days over 12). "
    "Check: the printed months are longer than the dates allow, shorter (time excluded under footnote a) "
    "or match them, by the difference given.",
    "Ext.: extended follow-up by an employment specialist after the first period.",
)


@reads("ips_timeline", "errata")
def table_2(read_timeline: pd.DataFrame, duration_check: pd.DataFrame, printed_timeline: pd.DataFrame) -> pd.DataFrame:
    """Table 2 with months recomputed from the dates beside the printed durations (notes: :data:`TABLE_2_NOTES`).

    Dates are shown as the article prints them (DD.MM.YYYY); a cell read
    differently under an erratum shows both.
    """
    def dates(series: pd.Series) -> pd.Series:
        return series.dt.strftime("%d.%m.%Y").fillna(DASH)

    end = dates(printed_timeline["ips_end"])
    changed = read_timeline.get("ips_end_from_erratum", pd.Series(False, index=read_timeline.index)).astype(bool)
    end = end.where(~changed, end + " (read as " + dates(read_timeline["ips_end"]) + ", erratum E02)")
    printed = printed_timeline["ips_months_reported"].map("{:.1f}".format)
    printed = printed.where(~printed_timeline["marked_asterisk"].astype(bool), printed + "*")
    verdict = duration_check["verdict"].map(CHECK_SHORT).fillna(duration_check["verdict"])
    by = duration_check["difference"].abs().map("{:.1f}".format)
    check = verdict.where(verdict == "matches", verdict + " by " + by)
    return pd.DataFrame({
        "Participant": read_timeline["participant"],
        "IPS inclusion": dates(read_timeline["ips_start"]),
        "IPS termination": end,
        "Job start": read_timeline["job_start"].dt.strftime("%d.%m.%Y").fillna(NONE),
        "Months printed": printed,
        "Months from dates": duration_check["months_from_dates"].map("{:.1f}".format),
        "Check": check,
        "Ext.": read_timeline["extended_followup"].map({True: "yes", False: "no"}),
    }).set_index("Participant")


@reads("ips_timeline", "errata", "followups")
def employment_status(status: pd.DataFrame, labels: dict[int, str], source: dict | None = None) -> ReportTable:
    """Employed (yes/no) per participant and follow-up (paged when long), with a total row."""
    people = head(status).replace({True: "employed", False: "no"}).astype("string")
    people.columns = [labels[m] for m in status.columns]
    people.index.name = "Participant"
    total = pd.DataFrame([[f"{int(status[m].sum())} of {len(status)}" for m in status.columns]],
                         columns=people.columns, index=pd.Index(["total employed"], name="Participant"))
    table = pd.concat([paged(people, source="ips_timeline.csv", total=len(status)), total]).rename_axis("Participant")
    return shown(table, notes=["employed: had started a job by the follow-up (Table 2's job start dates); no: had "
                               "not."],
                 source=source)


@reads("errata")
def errata(frame: pd.DataFrame) -> pd.DataFrame:
    """The errata as a reading table: each erratum's id, kind and place (the ``Erratum`` index level,
    a heading when shown grouped) above what the article prints, the problem and the reading chosen."""
    shown = frame[["id", "kind", "location", "printed", "issue", "reading"]].astype("object").fillna(DASH)
    heading = shown["id"] + " (" + shown["kind"] + "): " + shown["location"]
    shown = shown[["printed", "issue", "reading"]].set_axis(["Printed", "Problem", "Reading chosen"], axis=1)
    return shown.set_index(pd.Index(heading, name="Erratum"))


@reads("datapackage.json")
def data_dictionary(resource: dict) -> pd.DataFrame:
    """One resource's fields: name, type, unit, allowed values, description and source."""
    rows = []
    for field in resource["schema"]["fields"]:
        c = field.get("constraints", {})
        rules = []
        if c.get("required"):
            rules.append("required")
        if c.get("unique"):
            rules.append("unique")
        if "minimum" in c or "maximum" in c:
            rules.append(f"{c.get('minimum', '')}–{c.get('maximum', '')}")
        if "enum" in c:
            rules.append("one of " + ", ".join(c["enum"]))
        if "pattern" in c:
            rules.append(f"pattern {c['pattern']}")
        rows.append({"Field": field["name"], "Type": field["type"] + (" (YYYY-MM-DD)" if field["type"] == "date" else ""),
                     "Unit": field.get("unit", DASH), "Rules": "; ".join(rules) or DASH,
                     "Description": field["description"], "Source in the article": field.get("source", DASH)})
    return pd.DataFrame(rows).set_index("Field")


# --- the report's other tables: results of the domain modules in, a shown table out -------
# Each takes ``source`` (analysis.provenance.made_by of itself, which Report passes) and
# holds the display names, notes and grouping of its table.

@reads("clinical", "literature")
def band_counts(clinical: pd.DataFrame, literature: pd.DataFrame, bands_for: dict[str, str],
                scales: dict[str, tuple[float, float]], source: dict | None = None) -> ReportTable:
    """Participants per clinical band, for each measure that has bands."""
    from .clinical import band_counts as counts_in_bands

    rows = []
    for measure, group in bands_for.items():
        table = bands(literature, group, scales[measure][1])
        counts = counts_in_bands(clinical[measure], table)
        for (label, count), text in zip(counts.items(), band_text(table).split("; ")):
            rows.append({"Measure": MEASURES[measure], "Band": text, "Participants": int(count)})
    return shown(pd.DataFrame(rows).set_index(["Measure", "Band"]), group="Measure", source=source)


@reads("ips_principles")
def ips_principles(principles: pd.DataFrame, source: dict | None = None) -> ReportTable:
    """The principles of IPS beside what the article says of each in the pilot."""
    table = principles.rename(columns={"number": "No.", "principle": "Principle",
                                       "as_applied": "As the article reports it"})
    notes = ["The article says the principles were adhered to but for a small modification to the third; by its "
             "Table 2, some job starts came after IPS had ended, so that no IPS support is recorded once they were "
             "employed (erratum E27)."]
    return shown(table.set_index("No."), notes=notes, source=source)


@reads("ips_timeline", "errata", "followups")
def confidence_intervals(employed: int, n: int, source: dict | None = None) -> ReportTable:
    """The employment rate with its exact and Wilson 95% confidence intervals."""
    from .employment import proportion_ci

    rows = []
    for method, name in (("exact", "exact (Clopper–Pearson)"), ("wilson", "Wilson score")):
        low, high = proportion_ci(employed, n, method)
        rows.append({"Method": name, "Employed": f"{employed} of {n}", "Rate": f"{employed / n:.1%}",
                     "95% CI, low": f"{low:.1%}", "95% CI, high": f"{high:.1%}"})
    return shown(pd.DataFrame(rows).set_index("Method"), notes=["CI: confidence interval."], source=source)


@reads("clinical", "ips_timeline", "errata", "followups", "sample", "participants", "published_numbers")
def audit(checks: pd.DataFrame, source: dict | None = None) -> ReportTable:
    """Every consistency check (analysis.audit.summarised), grouped under the check's description."""
    table = checks.rename(columns={"subject": "Subject", "expected": "Expected", "observed": "Observed",
                                   "verdict": "Verdict", "erratum": "Erratum"})
    return shown(table.set_index(["check", "Subject"]), group="check", source=source)


@reads("pain_conditions")
def pain_conditions(conditions: pd.DataFrame, source: dict | None = None) -> ReportTable:
    """The pain conditions as the article lists them: a list, so no row numbers."""
    table = conditions[["condition"]].rename(columns={"condition": "Pain condition"})
    return shown(table.reset_index(drop=True), source=source)


@reads("themes")
def themes(themes: pd.DataFrame, columns: tuple[str, ...] = ("title",), source: dict | None = None) -> ReportTable:
    table = themes.set_index("number")[list(columns)].rename_axis("Theme")
    return shown(table.rename(columns=str.capitalize), source=source)


VERIFICATION_NOTE = ("Number: the number's key (python -m analysis verify). ¶: the article's passage (appendix). "
                     "Printed as: the article's words. Article: the value they print; Report: this report's value. "
                     "Basis: how the report's value is found: recomputed from participant-level data or dates, "
                     "transcribed, or inferred from an erratum's reading.")


@reads("*")
def verification(checked: pd.DataFrame, source: dict | None = None) -> ReportTable:
    """Every printed number beside the report's value (analysis.verification.for_reviewers), grouped by
    status and basis: differing and uncomputable first, then the reproduced ones, recomputed before
    transcribed."""
    from .verification import BASES, NO_BASIS, STATUSES

    status_order = {s: i for i, s in enumerate(STATUSES)}
    basis_order = {b: i for i, b in enumerate(BASES)}
    table = checked.sort_values(["status", "basis"], key=lambda c: c.map(status_order if c.name == "status"
                                                                         else basis_order), kind="stable")
    group = table["status"] + table["basis"].map(lambda b: "" if b == NO_BASIS else f", {b}")
    counts = group.value_counts()
    table = pd.DataFrame({
        "Status and basis": [f"{g} ({counts[g]})" for g in group],
        "Number": table["id"],
        "¶": [display.Ref(f"article-{a}", "¶" + a[1:].lstrip("0")) for a in table["anchor"]],
        "Printed as": table["printed"],
        "Article": table["printed_value"].map(value_text),
        "Report": table["recomputed"].map(value_text),
        "Why": table["explanation"].replace("", DASH),
    })
    return shown(table.set_index(["Status and basis", "Number"]), group="Status and basis", keys=["Number"],
                 notes=[VERIFICATION_NOTE], source=source)


@reads("findings")
def findings(found: pd.DataFrame, source: dict | None = None) -> ReportTable:
    """The findings of one kind (analysis.qualitative.findings_of), with their counts as printed."""
    table = found.assign(count=found["count"].map(lambda v: DASH if pd.isna(v) else str(int(v))))
    table = table.drop(columns="finding").rename(columns={
        "label": "Finding", "named_participants": "Participants named", "n_named": "Named",
        "count_printed": "Count as printed", "count": "Count"}).set_index("Finding")
    return shown(table, source=source)


@reads("participants", "clinical", "literature", "ips_timeline", "errata", "followups", "quotes", "themes")
def participant_links(links: pd.DataFrame, cutoff: float, source: dict | None = None) -> ReportTable:
    """Each participant's clinical values, employment and quotations (analysis.qualitative.participant_links)."""
    yes_no = {True: "yes", False: "no"}
    total, links = len(links), head(links)
    table = pd.DataFrame({
        "Dropped out": links["dropped_out"].map(yes_no),
        SHORT["odi"]: _fmt(links["odi"], "d"),
        SHORT["pain_intensity"]: _fmt(links["pain_intensity"], "d"),
        SHORT["hscl_total"]: _fmt(links["hscl_total"], ".1f"),
        "HSCL case": links["hscl_case"].map(yes_no),
        "Employed at last follow-up": links["employed_12m"].map(yes_no),
        "Quotations": links["quotations"].astype(int),
        "Themes quoted": links["themes_quoted"],
    })
    table.index.name = "Participant"
    notes = [measure_legend(["odi", "pain_intensity", "hscl_total"]),
             f"HSCL case: HSCL-25 total at or above the caseness cut-off of {cutoff:g}. "
             "Themes quoted: the numbers of the themes a participant is quoted under."]
    return shown(paged(table, source="participants.csv, clinical.csv and quotes.csv", total=total), notes=notes,
                 source=source)


INTERVIEW_GROUPS = {"all": "all participants", "working": "participants working",
                    "not_working": "participants not yet working"}


@reads("interview_guide")
def interview_guide(guide: pd.DataFrame, source: dict | None = None) -> ReportTable:
    table = guide.assign(group=guide["group"].map(INTERVIEW_GROUPS))
    return shown(table.rename(columns={"group": "Asked of", "order": "No.", "question": "Question"})
                 .set_index(["Asked of", "No."]), source=source)


@reads("coreq")
def coreq(checklist: pd.DataFrame, source: dict | None = None) -> ReportTable:
    """The COREQ table, grouped by domain, each reported item linked to the section of this report
    that presents it."""
    table = checklist.astype("object").fillna(DASH)
    table["report_section"] = table["report_section"].map(lambda s: DASH if s == DASH else display.Ref(s))
    table["evidence"] = table["evidence"].map(lambda e: e if e == DASH else f"“{e}”")
    table = table.rename(columns={"item": "No.", "domain": "Domain", "name": "Criterion", "status": "Status",
                                  "article_location": "In the article", "report_section": "In this report",
                                  "evidence": "Evidence"})
    return shown(table.set_index(["Domain", "No."]), group="Domain", source=source)


def _reading_heading(reading) -> str:
    return f"{reading.erratum}: {reading.name.replace('-', ' ')}"


@reads("readings", "errata", "ips_timeline", "clinical", "followups", "literature")
def sensitivity_results(found, source: dict | None = None) -> ReportTable:
    """Each headline result under this report's readings and, where one changes it, under each alternative
    reading of an erratum (analysis.sensitivity)."""
    from .sensitivity import HEADLINES

    chosen = found.results["chosen"]
    alternatives = [r for r in found.readings if not r.chosen]
    rows = []
    for name, what in HEADLINES.items():
        row = {"Headline result": what, "This report's readings": value_text(chosen[name])}
        for reading in alternatives:
            value = found.results[reading.label][name]
            row[_reading_heading(reading)] = "" if value == chosen[name] else value_text(value)
        rows.append(row)
    notes = ["Each alternative reading changes one erratum's reading and keeps every other as this report "
             "reads it; an empty cell: the same value as under this report's readings."]
    notes += [f"{_reading_heading(r)}: {r.description}." for r in alternatives]
    return shown(pd.DataFrame(rows).set_index("Headline result"), notes=notes, source=source)


@reads("readings", "errata", "ips_timeline", "clinical", "followups", "literature")
def sensitivity_conclusions(found, source: dict | None = None) -> ReportTable:
    """Whether each conclusion holds under every reading, and which reading overturns it."""
    headings = {r.label: _reading_heading(r) for r in found.readings}
    rows = []
    for text, condition, holds in found.conclusions:
        against = [headings.get(label, label) for label, ok in holds.items() if not ok]
        rows.append({"Conclusion": text, "Holds under every reading": "yes" if not against else "no",
                     "Overturned by": ", ".join(against) or "none", "Condition": condition})
    return shown(pd.DataFrame(rows).set_index("Conclusion"), keys=["Condition"],
                 notes=["Condition: what the conclusion rests on, in the headline results' names "
                        "(python -m analysis sensitivity --json)."], source=source)
