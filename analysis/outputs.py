"""Compute every output of the report from one data directory (:func:`compute`, once per build).

The tables are made here, with their notes and how each was made; the figures'
inputs are prepared here and drawn in the one chapter that shows each figure
(:class:`analysis.report.Report`). Participant-level tables are paged past
:data:`analysis.tables.MAX_ROWS` rows and figures switch to distributions past
:data:`analysis.figures.MAX_INDIVIDUALS` participants, so a large cohort gives a
report of summaries, not of rows.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from . import audit, clinical, display, employment, phrases, qualitative, registry, sensitivity, tables, verification
from .data import load_all, schema
from .paths import PROJECT_ROOT
from .provenance import function_name, made_by, reads
from .results import Results

#: Above this many participants the quotation figure shows only the participants who are quoted.
MAX_ROWS_QUOTED = 30
#: Packages whose versions decide what the report computes and how it looks.
PACKAGES = ["ips-chronic-pain-report", "jupyter-book", "myst-nb", "sphinx", "sphinxcontrib-bibtex", "pandas",
            "numpy", "scipy", "matplotlib", "seaborn", "nbval", "pytest"]


def package_versions() -> dict[str, str]:
    """Python and the installed version of each package the report depends on ("not installed" if absent)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found = {"Python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


@reads()
def environment(versions: dict[str, str]) -> display.Table:
    """The environment table: Python and each package's version."""
    table = display.Table.of(["Package", "Version"], [[name, v] for name, v in versions.items()])
    table.payload["source"] = {"function": function_name(environment), "data": ["the installed packages"]}
    return table


def _tables(c: SimpleNamespace) -> dict:
    data, source = c.data, lambda function: made_by(function, c.directory, c.schema)
    fields = {r["name"]: r["schema"]["fields"] for r in c.schema["resources"]}

    def table(function, *args):
        return function(*args, source=source(function))

    labels = dict(zip(data["followups"]["month"].astype(int), data["followups"]["label"]))
    out = {
        "table_1": tables.shown(tables.paged(tables.table_1(tables.head(data["clinical"])), source="clinical.csv",
                                             total=len(data["clinical"])),
                                notes=[tables.measure_legend(list(clinical.MEASURES)),
                                       "A dash: a value the article does not give (erratum E01)."],
                                source=source(tables.table_1)),
        "descriptives": tables.shown(tables.descriptives(clinical.describe(data["clinical"])), group="Scale",
                                     notes=["SD: standard deviation (n − 1). Missing values are left out of every "
                                            "statistic."], source=source(tables.descriptives)),
        "band_counts": table(tables.band_counts, data["clinical"], data["literature"], clinical.BANDS_FOR, clinical.SCALES),
        "instruments": tables.shown(tables.instruments(fields["clinical"], data["literature"], clinical.BANDS_FOR),
                                    source=source(tables.instruments)),
        "ips_principles": table(tables.ips_principles, data["ips_principles"]),
        "table_2": tables.shown(tables.paged(tables.table_2(tables.head(c.timeline),
                                                            employment.duration_check(tables.head(c.timeline)),
                                                            tables.head(data["ips_timeline"])),
                                             source="ips_timeline.csv", total=len(c.timeline)),
                                notes=tables.TABLE_2_NOTES, source=source(tables.table_2)),
        "employment_status": table(tables.employment_status, c.status, labels),
        "confidence_intervals": table(tables.confidence_intervals, int(c.status[12].sum()), len(c.status)),
        "errata": tables.shown(tables.errata(data["errata"]), group="Erratum", source=source(tables.errata)),
        "audit": table(tables.audit, audit.summarised(c.checks)),
        "pain_conditions": table(tables.pain_conditions, data["pain_conditions"]),
        "themes": table(tables.themes, data["themes"], ("title",)),
        "verification": table(tables.verification, verification.for_reviewers(c.verified)),
        "data_dictionary": {r["name"]: tables.shown(tables.data_dictionary(r), keys=["Field"],
                                                    source=source(tables.data_dictionary))
                            for r in c.schema["resources"]},
        "participant_links": table(tables.participant_links, c.links, c.cutoff),
        "interview_guide": table(tables.interview_guide, data["interview_guide"]),
        "coreq": table(tables.coreq, data["coreq"]),
        "sensitivity_results": table(tables.sensitivity_results, c.sensitivity),
        "sensitivity_conclusions": table(tables.sensitivity_conclusions, c.sensitivity),
    }
    for kind in data["findings"]["kind"].unique():
        out[f"findings:{kind}"] = table(tables.findings, qualitative.findings_of(data["findings"], kind))
    out = {name: ({k: v.frozen() for k, v in shown.items()} if isinstance(shown, dict) else shown.frozen())
           for name, shown in out.items()}
    out["package_versions"] = environment(package_versions())
    out["certificate_summary"] = display.Paragraph(verification.summary_text(verification.summary(c.verified)))
    out["changes_summary"], out["changes"] = what_changed(c)
    return out


def what_changed(c: SimpleNamespace) -> tuple[display.Paragraph, display.Table]:
    """The "What changed" appendix: every number, verdict and erratum that differs from the previous
    release (the study's data only: another data directory has no releases to compare with)."""
    from . import changes, record

    header = ["Kind", "Name", "Before", "Now", "Shown in", "Commits since"]
    if c.directory != PROJECT_ROOT / "data":
        return display.Paragraph("Built from another data directory than the report's: not compared with "
                                 "any release."), display.Table.of(header, [])
    current = changes.Snapshot("this build", None, {k: n.text for k, n in c.numbers.items()},
                               changes.verdicts(c.verified, c.checks, c.data["errata"]))
    previous, found = changes.since_previous_release(
        current, record.chapters_showing(),
        lambda key: registry.inputs_of(c.numbers[key], c.schema) if key in c.numbers else ["data", "analysis"])
    rows = [[change.kind, change.name, "(none)" if change.old is None else change.old,
             "(none)" if change.new is None else change.new, ", ".join(change.shown) or "–",
             "; ".join(change.commits) or "–"] for change in found]
    return (display.Paragraph(changes.summary(previous, found, changes.is_release())),
            display.Table.of(header, rows))


def quotations(quotes) -> dict[str, display.Quotations]:
    """Each subtheme's quotations, attributed, in the article's order."""
    return {subtheme: display.Quotations(list(rows["text"]), list(rows["participant"]))
            for subtheme, rows in quotes.groupby("subtheme", sort=False)}


def _figure_inputs(c: SimpleNamespace) -> dict:
    """The arguments of each figure function, by the name of the Report method that draws it."""
    data = c.data
    matrix = qualitative.quote_matrix(data["quotes"], data["participants"], data["themes"])
    if len(matrix) > MAX_ROWS_QUOTED:  # a large cohort: only the participants who are quoted
        matrix = matrix[matrix.sum(axis=1) > 0]
    dropouts = set(data["participants"].loc[data["participants"]["dropped_out"], "participant"])
    k, n = int(c.status[12].sum()), len(c.status)
    return {
        "quote_matrix": (matrix, list(data["themes"].sort_values("number")["title"])),
        "clinical_profile": (data["clinical"], data["literature"], c.cutoff, clinical.BANDS_FOR, clinical.SCALES),
        "employment_timeline": (c.timeline, c.status, c.months, dropouts),
        "employment_comparison": (employment.comparison_rows(k, n, data["literature"]),),
        "flow_diagram": flow_steps(c.numbers),
    }


def flow_steps(numbers: dict) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The flow diagram's boxes from the registry of numbers: (steps, branches) of (label, count)."""
    def n(key):
        return numbers[key].value

    steps = [("invited (consecutive patients)", n("n_invited")),
             ("included (declined: %d)" % n("n_declined"), n("n_participants")),
             ("interviewed about %d months after inclusion\n(drop-outs: %d)"
              % (n("interview_timing_months"), n("n_dropouts")), n("n_participants"))]
    branches = [("extended follow-up\n(employment specialist)", n("n_extended_followup")),
                ("first period only\n(clinicians after IPS)", n("n_clinicians_only"))]
    return steps, branches


def compute(directory: Path, data: dict | None, inputs: str) -> Results:
    """Everything the report shows about ``directory`` (``data``: its frames, already loaded)."""
    data = load_all(directory) if data is None else data
    timeline, months = registry.read_timeline(data), registry.followup_months(data)
    status = employment.employment_status(timeline, months)
    checks = audit.run_all(data, timeline, months)
    numbers, verified = registry.build_with_verification(data, checks)
    cutoff = float(data["literature"].loc["hscl25_caseness", "value"])
    links = qualitative.participant_links(data["participants"], data["clinical"], status, data["quotes"],
                                          data["themes"], cutoff)
    found = sensitivity.analyse(data, months)
    context = SimpleNamespace(data=data, directory=directory, schema=schema(directory), sensitivity=found,
                              numbers=numbers, timeline=timeline, months=months, status=status, checks=checks,
                              verified=verified, cutoff=cutoff, links=links)
    words = phrases.words(context) | registry.texts(numbers)
    derived = {"timeline": timeline, "months": months, "status": status, "cutoff": cutoff, "links": links,
               "checks": checks, "verified": verified, "sensitivity": found, "figures": _figure_inputs(context)}
    return Results(inputs=inputs, directory=directory, numbers=numbers, words=words, tables=_tables(context),
                   quotes=quotations(data["quotes"]), schema=context.schema, frames={"data": data, "derived": derived})
