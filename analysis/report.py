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
    def table_1(self) -> pd.DataFrame:
        return tables.shown(tables.paged(tables.table_1(self.data["clinical"]), source="clinical.csv"))

    def descriptives(self) -> pd.DataFrame:
        return tables.shown(tables.descriptives(clinical.describe(self.data["clinical"])))

    def band_counts(self) -> pd.DataFrame:
        """Participants per clinical band, for each measure that has bands."""
        rows = []
        for measure, group in clinical.BANDS_FOR.items():
            table = clinical.bands(self.data["literature"], group, SCALES[measure][1])
            counts = clinical.band_counts(self.data["clinical"][measure], table)
            for (label, count), text in zip(counts.items(), tables.band_text(table).split("; ")):
                rows.append({"Measure": clinical.MEASURES[measure], "Band": text, "Participants": int(count)})
        return tables.shown(pd.DataFrame(rows).set_index(["Measure", "Band"]))

    def instruments(self) -> pd.DataFrame:
        fields = next(r for r in schema(self.directory)["resources"] if r["name"] == "clinical")["schema"]["fields"]
        return tables.shown(tables.instruments(fields, self.data["literature"], clinical.BANDS_FOR))

    def ips_principles(self) -> pd.DataFrame:
        shown = self.data["ips_principles"].rename(columns={"number": "No.", "principle": "Principle",
                                                            "as_applied": "In this pilot"})
        return tables.shown(shown.set_index("No."))

    def table_2(self) -> pd.DataFrame:
        return tables.shown(tables.paged(tables.table_2(self.timeline, employment.duration_check(self.timeline),
                                                        self.data["ips_timeline"]), source="ips_timeline.csv"))

    def employment_status(self) -> pd.DataFrame:
        labels = dict(zip(self.data["followups"]["month"].astype(int), self.data["followups"]["label"]))
        table = tables.employment_status(self.status, labels)
        people, total = table.iloc[:-1], table.iloc[-1:]
        return tables.shown(pd.concat([tables.paged(people, source="ips_timeline.csv"), total]))

    def confidence_intervals(self) -> pd.DataFrame:
        k, n = int(self.status[12].sum()), len(self.status)
        rows = []
        for method, name in (("exact", "exact (Clopper–Pearson)"), ("wilson", "Wilson score")):
            low, high = employment.proportion_ci(k, n, method)
            rows.append({"Method": name, "Employed": f"{k} of {n}", "Rate": f"{k / n:.1%}",
                         "95% CI": f"{low:.1%} to {high:.1%}"})
        return tables.shown(pd.DataFrame(rows).set_index("Method"))

    def errata(self) -> pd.DataFrame:
        return tables.shown(tables.errata(self.data["errata"]))

    def audit(self) -> pd.DataFrame:
        checks = audit.run_all(self.data, self.timeline, self.months)
        return tables.shown(audit.summarised(checks).set_index("check"))

    def pain_conditions(self) -> pd.DataFrame:
        return tables.shown(self.data["pain_conditions"].rename(columns={"condition": "Pain condition"}))

    def themes(self, columns: tuple[str, ...] = ("title",)) -> pd.DataFrame:
        table = self.data["themes"].set_index("number")[list(columns)].rename_axis("Theme")
        return tables.shown(table.rename(columns=str.capitalize))

    def verification(self) -> pd.DataFrame:
        """Every printed number beside the report's value: differing and uncomputable ones first."""
        table = verification.for_reviewers(verification.verify(self.data["published_numbers"], self.numbers, self.data))
        shown = pd.DataFrame({
            "Number": table["id"],
            "Status": table["status"],
            "Basis": table["basis"],
            "Article": [display.Ref(f"article-{a}", "¶" + a[1:].lstrip("0")) for a in table["anchor"]],
            "Printed": table["printed"],
            "Printed value": table["printed_value"].map(tables.value_text),
            "Report's value": table["recomputed"].map(tables.value_text),
            "Why": table["explanation"].replace("", tables.DASH),
        })
        return tables.shown(shown.set_index("Number"))

    def data_dictionary(self) -> dict[str, pd.DataFrame]:
        return {r["name"]: tables.shown(tables.data_dictionary(r)) for r in schema(self.directory)["resources"]}

    # --- qualitative -----------------------------------------------------------
    def quotes(self, subtheme: str) -> display.Quotations:
        """The subtheme's quotations, attributed, in the article's order (shown as text, never markup)."""
        rows = self.data["quotes"][self.data["quotes"]["subtheme"] == subtheme]
        return display.Quotations(list(rows["text"]), list(rows["participant"]))

    def subthemes(self, theme: str) -> pd.DataFrame:
        rows = self.data["subthemes"][self.data["subthemes"]["theme"] == theme]
        return rows.set_index("subtheme")

    def findings(self, kind: str) -> pd.DataFrame:
        table = qualitative.findings_of(self.data["findings"], kind)
        table["count"] = table["count"].map(lambda v: tables.DASH if pd.isna(v) else str(int(v)))
        return table.drop(columns="finding").rename(columns={
            "label": "Finding", "named_participants": "Participants named", "n_named": "Named",
            "count_printed": "Count as printed", "count": "Count"}).set_index("Finding").pipe(tables.shown)

    def participant_links(self) -> pd.DataFrame:
        table = qualitative.participant_links(self.data["participants"], self.data["clinical"], self.status,
                                              self.data["quotes"], self.data["themes"], self.cutoff)
        shown = pd.DataFrame({
            "Dropped out": table["dropped_out"].map({True: "yes", False: "no"}),
            "ODI": tables._fmt(table["odi"], "d"),
            "Pain intensity": tables._fmt(table["pain_intensity"], "d"),
            "HSCL-25 total": tables._fmt(table["hscl_total"], ".1f"),
            "HSCL-25 case": table["hscl_case"].map({True: "yes", False: "no"}),
            "Employed at last follow-up": table["employed_12m"].map({True: "yes", False: "no"}),
            "Quotations": table["quotations"].astype(int),
            "Themes quoted": table["themes_quoted"],
        })
        shown.index.name = "Participant"
        return tables.shown(tables.paged(shown, source="participants.csv, clinical.csv and quotes.csv"))

    def interview_guide(self) -> pd.DataFrame:
        names = {"all": "all participants", "working": "participants working", "not_working": "participants not yet working"}
        guide = self.data["interview_guide"].assign(group=lambda g: g["group"].map(names))
        return tables.shown(guide.rename(columns={"group": "Asked of", "order": "No.", "question": "Question"})
                            .set_index(["Asked of", "No."]))

    def coreq(self) -> pd.DataFrame:
        """The COREQ table, each reported item linked to the section of this report that presents it."""
        table = self.data["coreq"].astype("object").fillna(tables.DASH)
        table["report_section"] = table["report_section"].map(
            lambda s: tables.DASH if s == tables.DASH else display.Ref(s))
        table["evidence"] = table["evidence"].map(lambda e: e if e == tables.DASH else f"“{e}”")
        shown = table.rename(columns={"item": "Item", "domain": "Domain", "name": "Criterion", "status": "Status",
                                      "article_location": "In the article", "report_section": "In this report",
                                      "evidence": "Evidence"})
        return tables.shown(shown.set_index("Item"))

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
    def quote_matrix(self):
        matrix = qualitative.quote_matrix(self.data["quotes"], self.data["participants"], self.data["themes"])
        if len(matrix) > figures.MAX_INDIVIDUALS:  # a large cohort: only the participants who are quoted
            matrix = matrix[matrix.sum(axis=1) > 0]
        return figures.quote_matrix(matrix, list(self.data["themes"].sort_values("number")["title"]))

    def clinical_profile(self):
        return figures.clinical_profile(self.data["clinical"], self.data["literature"], self.cutoff,
                                        clinical.BANDS_FOR, SCALES)

    def employment_timeline(self):
        dropouts = set(self.data["participants"].loc[self.data["participants"]["dropped_out"], "participant"])
        return figures.employment_timeline(self.timeline, self.status, self.months, dropouts)

    def employment_comparison(self):
        k, n = int(self.status[12].sum()), len(self.status)
        return figures.employment_comparison(employment.comparison_rows(k, n, self.data["literature"]))

    def flow_diagram(self):
        n = self.numbers
        steps = [("invited (consecutive patients)", n["n_invited"].value),
                 ("included (declined: %d)" % n["n_declined"].value, n["n_participants"].value),
                 ("interviewed about %d months after inclusion\n(drop-outs: %d)"
                  % (n["interview_timing_months"].value, n["n_dropouts"].value), n["n_participants"].value)]
        branches = [("extended follow-up\n(employment specialist)", n["n_extended_followup"].value),
                    ("first period only\n(clinicians after IPS)", n["n_clinicians_only"].value)]
        return figures.flow_diagram(steps, branches)
