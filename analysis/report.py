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
from .provenance import made_by
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

    @cached_property
    def prose_words(self) -> dict[str, str]:
        """Every data-dependent phrase of the prose (:mod:`analysis.phrases`), computed once."""
        return phrases.build(self)

    def glue_phrases(self, keys: list[str]) -> pd.DataFrame:
        """Glue the data-dependent words of the prose; returns them."""
        return self._glue_texts({key: self.prose_words[key] for key in keys})

    def _glue_texts(self, words: dict[str, str]) -> pd.DataFrame:
        for key, text in words.items():
            self.glue_text(key, text)
        return phrases.as_table(words)

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

    @cached_property
    def links(self) -> pd.DataFrame:
        """Each participant's clinical values, employment and quotations (analysis.qualitative)."""
        return qualitative.participant_links(self.data["participants"], self.data["clinical"], self.status,
                                             self.data["quotes"], self.data["themes"], self.cutoff)

    # --- tables --------------------------------------------------------------
    def made_by(self, function) -> dict:
        """How an output was made: ``function`` and the files of this report's data it declares."""
        return made_by(function, self.directory)

    def _table(self, function, *args):
        """A table of :mod:`analysis.tables`, with how it was made."""
        return function(*args, source=self.made_by(function))

    def table_1(self) -> pd.DataFrame:
        table = tables.paged(tables.table_1(self.data["clinical"]), source="clinical.csv")
        return tables.shown(table, notes=[tables.measure_legend(list(clinical.MEASURES)),
                                          "A dash: a value the article does not give (erratum E01)."],
                            source=self.made_by(tables.table_1))

    def descriptives(self) -> pd.DataFrame:
        return tables.shown(tables.descriptives(clinical.describe(self.data["clinical"])), group="Scale",
                            notes=["SD: standard deviation (n − 1). Missing values are left out of every statistic."],
                            source=self.made_by(tables.descriptives))

    def band_counts(self) -> pd.DataFrame:
        return self._table(tables.band_counts, self.data["clinical"], self.data["literature"], clinical.BANDS_FOR,
                           SCALES)

    def instruments(self) -> pd.DataFrame:
        fields = next(r for r in schema(self.directory)["resources"] if r["name"] == "clinical")["schema"]["fields"]
        return tables.shown(tables.instruments(fields, self.data["literature"], clinical.BANDS_FOR),
                            source=self.made_by(tables.instruments))

    def ips_principles(self) -> pd.DataFrame:
        return self._table(tables.ips_principles, self.data["ips_principles"])

    def table_2(self) -> pd.DataFrame:
        table = tables.table_2(self.timeline, employment.duration_check(self.timeline), self.data["ips_timeline"])
        return tables.shown(tables.paged(table, source="ips_timeline.csv"), notes=tables.TABLE_2_NOTES,
                            source=self.made_by(tables.table_2))

    def employment_status(self) -> pd.DataFrame:
        labels = dict(zip(self.data["followups"]["month"].astype(int), self.data["followups"]["label"]))
        return self._table(tables.employment_status, self.status, labels)

    def confidence_intervals(self) -> pd.DataFrame:
        return self._table(tables.confidence_intervals, int(self.status[12].sum()), len(self.status))

    def errata(self) -> pd.DataFrame:
        return tables.shown(tables.errata(self.data["errata"]), group="Erratum", source=self.made_by(tables.errata))

    def audit(self) -> pd.DataFrame:
        """Every consistency check, grouped under the check's description (written once)."""
        return self._table(tables.audit, audit.summarised(audit.run_all(self.data, self.timeline, self.months)))

    def pain_conditions(self) -> pd.DataFrame:
        return self._table(tables.pain_conditions, self.data["pain_conditions"])

    def themes(self, columns: tuple[str, ...] = ("title",)) -> pd.DataFrame:
        return self._table(tables.themes, self.data["themes"], columns)

    def verification(self) -> pd.DataFrame:
        checked = verification.verify(self.data["published_numbers"], self.numbers, self.data)
        return self._table(tables.verification, verification.for_reviewers(checked))

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

    def findings(self, kind: str) -> pd.DataFrame:
        return self._table(tables.findings, qualitative.findings_of(self.data["findings"], kind))

    def participant_links(self) -> pd.DataFrame:
        return self._table(tables.participant_links, self.links, self.cutoff)

    def interview_guide(self) -> pd.DataFrame:
        return self._table(tables.interview_guide, self.data["interview_guide"])

    def coreq(self) -> pd.DataFrame:
        return self._table(tables.coreq, self.data["coreq"])

    def glue_words(self) -> pd.DataFrame:
        """Counts the article writes in words ('seven of eight') and lists of participants, glued as text."""
        return self._glue_texts(phrases.counted(self))

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
        return self._shown(figures.flow_diagram, *figures.flow_steps(self.numbers))
