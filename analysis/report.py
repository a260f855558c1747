"""What a chapter needs, computed once: the data, the registry and every figure and table.

A chapter starts with ``r = Report.load()`` and then only calls and displays:
``r.glue([...])`` glues registry numbers for the prose, ``r.table_1()`` returns
a table, ``r.employment_timeline()`` a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import audit, clinical, display, employment, phrases, qualitative, registry, tables, verification
from .provenance import made_by, reads
from .data import load_all, schema


class _OnFirstUse:
    """A module imported when first used: a chapter without figures never imports matplotlib."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute):
        import importlib

        return getattr(importlib.import_module(self._name, __package__), attribute)


figures = _OnFirstUse(".figures")

#: The x-axis range of each Table 1 measure in figures (its scale range).
SCALES = {"odi": (0, 100), "pain_intensity": (0, 10), "pain_bothersomeness": (0, 10),
          "health_thermometer": (0, 100), "hscl_total": (1, 4), "hscl_anxiety": (1, 4), "hscl_depression": (1, 4)}


@dataclass
class Report:
    data: dict[str, pd.DataFrame]
    directory: Path | None = None
    glued: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path | str | None = None) -> "Report":
        return cls(load_all(directory), Path(directory) if directory else None)

    # --- numbers -------------------------------------------------------------
    @cached_property
    def numbers(self) -> dict[str, registry.Number]:
        return registry.build(data=self.data)

    def glue(self, keys: list[str]) -> pd.DataFrame:
        """Glue registry numbers (plain Python values) for the prose; returns what was glued.

        The returned table is the cell's visible output, so nbval compares every
        glued number on re-execution.
        """
        from myst_nb import glue

        for key in keys:
            glue(key, self.numbers[key].value, display=False)
        self.glued += keys
        return pd.DataFrame({"value": [self.numbers[k].value for k in keys],
                             "text": [self.numbers[k].text for k in keys]}, index=pd.Index(keys, name="key"))

    def glue_text(self, key: str, text: str) -> str:
        """Glue a computed string (for example a count in words)."""
        from myst_nb import glue

        glue(key, text, display=False)
        return text

    def glue_phrases(self, keys: list[str]) -> pd.DataFrame:
        """Glue the data-dependent words of the prose (:mod:`analysis.phrases`); returns them."""
        words = phrases.build(self)
        for key in keys:
            self.glue_text(key, words[key])
        return phrases.as_table({key: words[key] for key in keys})

    # --- derived data --------------------------------------------------------
    @cached_property
    def timeline(self) -> pd.DataFrame:
        return registry.read_timeline(self.data)

    @cached_property
    def months(self) -> list[int]:
        return registry.followup_months(self.data)

    @cached_property
    def status(self) -> pd.DataFrame:
        return employment.employment_status(self.timeline, self.months)

    @property
    def cutoff(self) -> float:
        return float(self.data["literature"].loc["hscl25_caseness", "value"])

    # --- tables --------------------------------------------------------------
    def made_by(self, function) -> dict:
        """How an output was made: ``function`` and the files of this report's data it declares."""
        return made_by(function, self.directory)

    def table_1(self) -> pd.DataFrame:
        table = tables.paged(tables.table_1(self.data["clinical"]), source="clinical.csv")
        return tables.shown(table, notes=[tables.measure_legend(list(clinical.MEASURES)),
                                          "A dash: a value the article does not give (erratum E01)."],
                            source=self.made_by(tables.table_1))

    def descriptives(self) -> pd.DataFrame:
        return tables.shown(tables.descriptives(clinical.describe(self.data["clinical"])), group="Scale",
                            notes=["SD: standard deviation (n − 1). Missing values are left out of every statistic."],
                            source=self.made_by(tables.descriptives))

    @reads("clinical", "literature")
    def band_counts(self) -> pd.DataFrame:
        """Participants per clinical band, for each measure that has bands."""
        rows = []
        for measure, group in clinical.BANDS_FOR.items():
            table = clinical.bands(self.data["literature"], group, SCALES[measure][1])
            counts = clinical.band_counts(self.data["clinical"][measure], table)
            for (label, count), text in zip(counts.items(), tables.band_text(table).split("; ")):
                rows.append({"Measure": clinical.MEASURES[measure], "Band": text, "Participants": int(count)})
        return tables.shown(pd.DataFrame(rows).set_index(["Measure", "Band"]), group="Measure",
                            source=self.made_by(Report.band_counts))

    def instruments(self) -> pd.DataFrame:
        fields = next(r for r in schema(self.directory)["resources"] if r["name"] == "clinical")["schema"]["fields"]
        return tables.shown(tables.instruments(fields, self.data["literature"], clinical.BANDS_FOR),
                            source=self.made_by(tables.instruments))

    @reads("ips_principles")
    def ips_principles(self) -> pd.DataFrame:
        shown = self.data["ips_principles"].rename(columns={"number": "No.", "principle": "Principle",
                                                            "as_applied": "In this pilot"})
        return tables.shown(shown.set_index("No."), source=self.made_by(Report.ips_principles))

    def table_2(self) -> pd.DataFrame:
        table = tables.table_2(self.timeline, employment.duration_check(self.timeline), self.data["ips_timeline"])
        return tables.shown(tables.paged(table, source="ips_timeline.csv"), notes=tables.TABLE_2_NOTES,
                            source=self.made_by(tables.table_2))

    def employment_status(self) -> pd.DataFrame:
        labels = dict(zip(self.data["followups"]["month"].astype(int), self.data["followups"]["label"]))
        table = tables.employment_status(self.status, labels)
        people, total = table.iloc[:-1], table.iloc[-1:]
        table = pd.concat([tables.paged(people, source="ips_timeline.csv"), total]).rename_axis("Participant")
        return tables.shown(table,
                            notes=["employed: had started a job by the follow-up (Table 2's job start dates)."],
                            source=self.made_by(tables.employment_status))

    @reads("ips_timeline", "errata", "followups")
    def confidence_intervals(self) -> pd.DataFrame:
        k, n = int(self.status[12].sum()), len(self.status)
        rows = []
        for method, name in (("exact", "exact (Clopper–Pearson)"), ("wilson", "Wilson score")):
            low, high = employment.proportion_ci(k, n, method)
            rows.append({"Method": name, "Employed": f"{k} of {n}", "Rate": f"{k / n:.1%}",
                         "95% CI, low": f"{low:.1%}", "95% CI, high": f"{high:.1%}"})
        return tables.shown(pd.DataFrame(rows).set_index("Method"), notes=["CI: confidence interval."],
                            source=self.made_by(Report.confidence_intervals))

    def errata(self) -> pd.DataFrame:
        return tables.shown(tables.errata(self.data["errata"]), group="Erratum", source=self.made_by(tables.errata))

    @reads("clinical", "ips_timeline", "errata", "followups", "sample", "participants", "published_numbers")
    def audit(self) -> pd.DataFrame:
        """Every consistency check, grouped under the check's description (written once)."""
        checks = audit.summarised(audit.run_all(self.data, self.timeline, self.months))
        shown = checks.rename(columns={"subject": "Subject", "expected": "Expected", "observed": "Observed",
                                       "verdict": "Verdict", "erratum": "Erratum"})
        return tables.shown(shown.set_index(["check", "Subject"]), group="check",
                            source=self.made_by(Report.audit))

    @reads("pain_conditions")
    def pain_conditions(self) -> pd.DataFrame:
        """The pain conditions as the article lists them: a list, so no row numbers."""
        table = self.data["pain_conditions"][["condition"]].rename(columns={"condition": "Pain condition"})
        return tables.shown(table.reset_index(drop=True), source=self.made_by(Report.pain_conditions))

    @reads("themes")
    def themes(self, columns: tuple[str, ...] = ("title",)) -> pd.DataFrame:
        table = self.data["themes"].set_index("number")[list(columns)].rename_axis("Theme")
        return tables.shown(table.rename(columns=str.capitalize), source=self.made_by(Report.themes))

    @reads("*")
    def verification(self) -> pd.DataFrame:
        """Every printed number beside the report's value, grouped by status and basis: differing and
        uncomputable first, then the reproduced ones, recomputed before transcribed."""
        table = verification.for_reviewers(verification.verify(self.data["published_numbers"], self.numbers, self.data))
        status_order = {s: i for i, s in enumerate(verification.STATUSES)}
        basis_order = {b: i for i, b in enumerate(verification.BASES)}
        table = table.sort_values(["status", "basis"], key=lambda c: c.map(status_order if c.name == "status"
                                                                           else basis_order), kind="stable")
        group = table["status"] + table["basis"].map(lambda b: "" if b == verification.NO_BASIS else f", {b}")
        counts = group.value_counts()
        shown = pd.DataFrame({
            "Status and basis": [f"{g} ({counts[g]})" for g in group],
            "Number": table["id"],
            "¶": [display.Ref(f"article-{a}", "¶" + a[1:].lstrip("0")) for a in table["anchor"]],
            "Printed as": table["printed"],
            "Article": table["printed_value"].map(tables.value_text),
            "Report": table["recomputed"].map(tables.value_text),
            "Why": table["explanation"].replace("", tables.DASH),
        })
        return tables.shown(shown.set_index(["Status and basis", "Number"]), group="Status and basis", keys=["Number"],
                            notes=["Number: the number's key (python -m analysis verify). ¶: the article's "
                                   "passage (appendix). Printed as: the article's words. Article: the value they "
                                   "print; Report: this report's value. Basis: how the report's value is found: "
                                   "recomputed from participant-level data or dates, transcribed, or inferred from "
                                   "an erratum's reading."],
                            source=self.made_by(Report.verification))

    def data_dictionary(self) -> dict[str, pd.DataFrame]:
        return {r["name"]: tables.shown(tables.data_dictionary(r), keys=["Field"], source=self.made_by(tables.data_dictionary))
                for r in schema(self.directory)["resources"]}

    # --- qualitative -----------------------------------------------------------
    def quotes(self, subtheme: str) -> display.Quotations:
        """The subtheme's quotations, attributed, in the article's order (shown as text, never markup)."""
        rows = self.data["quotes"][self.data["quotes"]["subtheme"] == subtheme]
        return display.Quotations(list(rows["text"]), list(rows["participant"]))

    def subthemes(self, theme: str) -> pd.DataFrame:
        rows = self.data["subthemes"][self.data["subthemes"]["theme"] == theme]
        return rows.set_index("subtheme")

    @reads("findings")
    def findings(self, kind: str) -> pd.DataFrame:
        table = qualitative.findings_of(self.data["findings"], kind)
        table["count"] = table["count"].map(lambda v: tables.DASH if pd.isna(v) else str(int(v)))
        shown = table.drop(columns="finding").rename(columns={
            "label": "Finding", "named_participants": "Participants named", "n_named": "Named",
            "count_printed": "Count as printed", "count": "Count"}).set_index("Finding")
        return tables.shown(shown, source=self.made_by(Report.findings))

    @reads("participants", "clinical", "literature", "ips_timeline", "errata", "followups", "quotes", "themes")
    def participant_links(self) -> pd.DataFrame:
        table = qualitative.participant_links(self.data["participants"], self.data["clinical"], self.status,
                                              self.data["quotes"], self.data["themes"], self.cutoff)
        yes_no = {True: "yes", False: "no"}
        shown = pd.DataFrame({
            "Dropped out": table["dropped_out"].map(yes_no),
            tables.SHORT["odi"]: tables._fmt(table["odi"], "d"),
            tables.SHORT["pain_intensity"]: tables._fmt(table["pain_intensity"], "d"),
            tables.SHORT["hscl_total"]: tables._fmt(table["hscl_total"], ".1f"),
            "HSCL case": table["hscl_case"].map(yes_no),
            "Employed at last follow-up": table["employed_12m"].map(yes_no),
            "Quotations": table["quotations"].astype(int),
            "Themes quoted": table["themes_quoted"],
        })
        shown.index.name = "Participant"
        notes = [tables.measure_legend(["odi", "pain_intensity", "hscl_total"]),
                 f"HSCL case: HSCL-25 total at or above the caseness cut-off of {self.cutoff:g}. "
                 "Themes quoted: the numbers of the themes a participant is quoted under."]
        return tables.shown(tables.paged(shown, source="participants.csv, clinical.csv and quotes.csv"), notes=notes,
                            source=self.made_by(Report.participant_links))

    @reads("interview_guide")
    def interview_guide(self) -> pd.DataFrame:
        names = {"all": "all participants", "working": "participants working", "not_working": "participants not yet working"}
        guide = self.data["interview_guide"].assign(group=lambda g: g["group"].map(names))
        return tables.shown(guide.rename(columns={"group": "Asked of", "order": "No.", "question": "Question"})
                            .set_index(["Asked of", "No."]), source=self.made_by(Report.interview_guide))

    @reads("coreq")
    def coreq(self) -> pd.DataFrame:
        """The COREQ table, grouped by domain, each reported item linked to the section of this report
        that presents it."""
        table = self.data["coreq"].astype("object").fillna(tables.DASH)
        table["report_section"] = table["report_section"].map(
            lambda s: tables.DASH if s == tables.DASH else display.Ref(s))
        table["evidence"] = table["evidence"].map(lambda e: e if e == tables.DASH else f"“{e}”")
        shown = table.rename(columns={"item": "No.", "domain": "Domain", "name": "Criterion", "status": "Status",
                                      "article_location": "In the article", "report_section": "In this report",
                                      "evidence": "Evidence"})
        return tables.shown(shown.set_index(["Domain", "No."]), group="Domain",
                            source=self.made_by(Report.coreq))

    def glue_words(self) -> pd.DataFrame:
        """Counts the article writes in words, glued as words ('seven of eight')."""
        n = self.numbers["n_participants"].value
        words = {f"{key}_words": qualitative.count_of(self.numbers[key].value, n)
                 for key in ("n_positive_experience", "n_no_interference", "n_job_search_positive",
                             "n_education_challenge", "n_short_duration_challenge", "n_quoted_participants")}
        words["n_helpful_aspects_words"] = qualitative.in_words(self.numbers["n_helpful_aspects"].value)
        words["n_challenges_words"] = qualitative.in_words(self.numbers["n_challenges"].value)
        words["n_themes_words"] = qualitative.in_words(self.numbers["n_themes"].value)
        links = qualitative.participant_links(self.data["participants"], self.data["clinical"], self.status,
                                              self.data["quotes"], self.data["themes"], self.cutoff)
        words["employed_participants"] = qualitative.listing(links.index[links["employed_12m"]])
        words["unquoted_participants"] = qualitative.listing(links.index[links["quotations"] == 0])
        words["dropout_participants"] = qualitative.listing(links.index[links["dropped_out"]])
        for key, text in words.items():
            self.glue_text(key, text)
        return pd.DataFrame({"text": words}).rename_axis("key")

    # --- figures -------------------------------------------------------------
    def _shown(self, function, *args) -> figures.Shown:
        return figures.Shown(function(*args), self.made_by(function))

    def quote_matrix(self) -> figures.Shown:
        matrix = qualitative.quote_matrix(self.data["quotes"], self.data["participants"], self.data["themes"])
        if len(matrix) > figures.MAX_INDIVIDUALS:  # a large cohort: only the participants who are quoted
            matrix = matrix[matrix.sum(axis=1) > 0]
        return self._shown(figures.quote_matrix, matrix, list(self.data["themes"].sort_values("number")["title"]))

    def clinical_profile(self) -> figures.Shown:
        return self._shown(figures.clinical_profile, self.data["clinical"], self.data["literature"], self.cutoff,
                           clinical.BANDS_FOR, SCALES)

    def employment_timeline(self) -> figures.Shown:
        dropouts = set(self.data["participants"].loc[self.data["participants"]["dropped_out"], "participant"])
        return self._shown(figures.employment_timeline, self.timeline, self.status, self.months, dropouts)

    def employment_comparison(self) -> figures.Shown:
        k, n = int(self.status[12].sum()), len(self.status)
        return self._shown(figures.employment_comparison, employment.comparison_rows(k, n, self.data["literature"]))

    def flow_diagram(self) -> figures.Shown:
        n = self.numbers
        steps = [("invited (consecutive patients)", n["n_invited"].value),
                 ("included (declined: %d)" % n["n_declined"].value, n["n_participants"].value),
                 ("interviewed about %d months after inclusion\n(drop-outs: %d)"
                  % (n["interview_timing_months"].value, n["n_dropouts"].value), n["n_participants"].value)]
        branches = [("extended follow-up\n(employment specialist)", n["n_extended_followup"].value),
                    ("first period only\n(clinicians after IPS)", n["n_clinicians_only"].value)]
        return self._shown(figures.flow_diagram, steps, branches)
