"""Tables for display: data in, a formatted DataFrame out (strings, dashes for missing)."""

from __future__ import annotations

import pandas as pd

from . import display
from .clinical import MEASURES, bands
from .provenance import reads

DASH = "–"  # shown for a value the article does not give


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

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        payload = display.table_payload(self, missing=DASH, **self.attrs.get("display", {}))
        return {display.MIME_TABLE: payload, "text/plain": display.plain_text_table(payload)}

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


def paged(frame: pd.DataFrame, max_rows: int = MAX_ROWS, source: str = "the data package") -> pd.DataFrame:
    """The first ``max_rows`` rows and a closing row saying how many more there are and where."""
    if len(frame) <= max_rows:
        return frame
    head = frame.head(max_rows).astype("object")
    note = pd.DataFrame([[f"{len(frame) - max_rows} more rows, in {source}"] + [""] * (frame.shape[1] - 1)],
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
    "health_thermometer": "Health therm.: health thermometer, 0–100 (higher is better)",
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
    "Dates as the article prints them (DD.MM.YYYY); a dash: no job start.",
    "Months printed: the article's duration of IPS, which does not include time spent on holiday, "
    "waiting for surgery or in hospital (its footnote a); * an asterisk the article does not explain (erratum E03).",
    "Months from dates: days from inclusion to termination / 30.44. Check: the printed months are longer than "
    "the dates allow, shorter (time excluded under footnote a) or match them, by the difference given.",
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
        "Job start": dates(read_timeline["job_start"]),
        "Months printed": printed,
        "Months from dates": duration_check["months_from_dates"].map("{:.1f}".format),
        "Check": check,
        "Ext.": read_timeline["extended_followup"].map({True: "yes", False: "no"}),
    }).set_index("Participant")


@reads("ips_timeline", "errata", "followups")
def employment_status(status: pd.DataFrame, labels: dict[int, str]) -> pd.DataFrame:
    """Employed (yes/no) per participant and follow-up, with a total row."""
    shown = status.replace({True: "employed", False: DASH}).astype("string")
    shown.columns = [labels[m] for m in status.columns]
    total = pd.DataFrame([[f"{int(status[m].sum())} of {len(status)}" for m in status.columns]],
                         columns=shown.columns, index=pd.Index(["total employed"], name="Participant"))
    shown.index.name = "Participant"
    return pd.concat([shown, total])


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
