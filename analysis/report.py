"""What a chapter calls: the report's results (:mod:`analysis.results`), read, never recomputed.

A chapter starts with ``r = Report.load()`` and ``r.glue()``, which glues every
named number and word for the prose, and then only calls and displays:
``r.table_1()`` returns a table, ``r.employment_timeline()`` draws a figure from
the inputs computed for it. Everything was computed once per build, before the chapters run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import display, results as results_file
from .provenance import made_by
from .results import Results


class _OnFirstUse:
    """A module imported when first used: a chapter without figures never imports matplotlib."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute):
        import importlib

        return getattr(importlib.import_module(self._name, __package__), attribute)


figures = _OnFirstUse(".figures")


class Report:
    """The results of one data directory, as a chapter shows them."""

    def __init__(self, results: Results | dict[str, Any], directory: Path | None = None):
        if not isinstance(results, Results):  # frames already loaded (a test): compute from them
            results = results_file.compute(directory, data=results)
        self.results, self.numbers, self.prose_words = results, results.numbers, results.words

    @property
    def data(self) -> dict[str, Any]:
        """The validated frames (read from the results file when first used)."""
        return self.results.data

    @property
    def directory(self) -> Path:
        return self.results.directory

    def __getattr__(self, name: str):
        """What the figures are drawn from (``timeline``, ``status``, ``links``, ...), when first used."""
        derived = self.__dict__["results"].derived if "results" in self.__dict__ else {}
        if name in derived:
            return derived[name]
        raise AttributeError(name)

    @classmethod
    def load(cls, directory: Path | str | None = None) -> "Report":
        return cls(results_file.load(directory))

    # --- numbers and words for the prose ------------------------------------------
    def glue(self) -> display.Table:
        """Glue every named number and every word of the prose, as the text the report prints, for the
        chapter's ``{glue}`key``` references; returns them all as the cell's output, so that nbval
        compares every one on re-execution, by name."""
        from myst_nb import glue

        values = {key: number.text for key, number in self.numbers.items()} | self.prose_words
        for key, text in values.items():
            glue(key, display.Value(key, text), display=False)
        return display.Table.of(["key", "text"], [[key, text] for key, text in values.items()])

    # --- tables (computed with the results) ---------------------------------------
    def table_1(self):
        return self.results.tables["table_1"]

    def descriptives(self):
        return self.results.tables["descriptives"]

    def band_counts(self):
        return self.results.tables["band_counts"]

    def instruments(self):
        return self.results.tables["instruments"]

    def ips_principles(self):
        return self.results.tables["ips_principles"]

    def table_2(self):
        return self.results.tables["table_2"]

    def employment_status(self):
        return self.results.tables["employment_status"]

    def confidence_intervals(self):
        return self.results.tables["confidence_intervals"]

    def errata(self):
        return self.results.tables["errata"]

    def audit(self):
        """Every consistency check, grouped under the check's description (written once)."""
        return self.results.tables["audit"]

    def pain_conditions(self):
        return self.results.tables["pain_conditions"]

    def themes(self):
        return self.results.tables["themes"]

    def verification(self):
        return self.results.tables["verification"]

    def data_dictionary(self) -> dict:
        return self.results.tables["data_dictionary"]

    def findings(self, kind: str):
        return self.results.tables[f"findings:{kind}"]

    def participant_links(self):
        return self.results.tables["participant_links"]

    def interview_guide(self):
        return self.results.tables["interview_guide"]

    def coreq(self):
        return self.results.tables["coreq"]

    def sensitivity_results(self):
        """Each headline result under every reading of the errata."""
        return self.results.tables["sensitivity_results"]

    def sensitivity_conclusions(self):
        """Whether each conclusion holds under every reading of the errata."""
        return self.results.tables["sensitivity_conclusions"]

    def package_versions(self):
        """Python and the version of each package the report depends on."""
        return self.results.tables["package_versions"]

    def certificate_summary(self):
        """What a release's certificate says of the numbers."""
        return self.results.tables["certificate_summary"]

    def changes_summary(self):
        """What the "What changed" appendix says of the changes since the previous release."""
        return self.results.tables["changes_summary"]

    def changes(self):
        """Every number, verdict and erratum changed since the previous release."""
        return self.results.tables["changes"]

    # --- qualitative -----------------------------------------------------------------
    def quotes(self, subtheme: str) -> display.Quotations:
        """The subtheme's quotations, attributed, in the article's order (shown as text, never markup)."""
        return self.results.quotes.get(subtheme, display.Quotations([], []))

    # --- figures, drawn from their computed inputs (for the page and the PDF, and for a phone) ----
    def _figure(self, name: str):
        function, inputs = getattr(figures, name), self.results.derived["figures"][name]
        return figures.Shown(function(*inputs), made_by(function, self.directory, self.results.schema),
                             narrow=function(*inputs, narrow=True))

    def quote_matrix(self):
        return self._figure("quote_matrix")

    def clinical_profile(self):
        return self._figure("clinical_profile")

    def employment_timeline(self):
        return self._figure("employment_timeline")

    def employment_comparison(self):
        return self._figure("employment_comparison")

    def flow_diagram(self):
        return self._figure("flow_diagram")
