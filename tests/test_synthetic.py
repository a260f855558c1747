"""A synthetic cohort of 1,000 with the study's schema: it loads, the analysis scales, and the
report built from it says SYNTHETIC on every page."""

import time

import pytest

from analysis import figures, load_all, registry
from analysis.paths import DATA_ENV, PROJECT_ROOT
from analysis.report import Report
from analysis.synthetic import generate
from analysis.tables import MAX_ROWS


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synthetic") / "data", n=1000, seed=7)


def test_the_cohort_conforms_to_the_schema(cohort):
    data = load_all(cohort)
    assert len(data["clinical"]) == len(data["ips_timeline"]) == len(data["participants"]) == 1000


def test_the_analysis_scales(cohort):
    started = time.perf_counter()
    numbers = registry.build(cohort)
    assert time.perf_counter() - started < 10  # vectorised: the eight-person data take about a second
    assert numbers["n_participants"].value == 1000
    assert 0 < numbers["employment_rate_12m"].value < 1


def test_tables_of_individuals_are_paged_and_figures_summarise(cohort):
    report = Report.load(cohort)
    assert len(report.table_1()) == MAX_ROWS + 1 and "970 more rows" in report.table_1().iloc[-1, 0]
    assert len(report.table_2()) == MAX_ROWS + 1
    assert len(report.employment_status()) == MAX_ROWS + 2  # the page, the note and the total
    assert len(report.audit()) < 40
    timeline = report.employment_timeline()
    assert len(timeline.axes[0].patches) == 0  # a curve, not 1,000 bars
    assert len(report.clinical_profile().axes) == 7
    assert figures.MAX_INDIVIDUALS < 1000


def test_synthetic_data_is_never_written_into_data(tmp_path):
    with pytest.raises(SystemExit, match="refusing to write synthetic data"):
        generate(PROJECT_ROOT / "data" / "synthetic")


def test_the_pdf_name_says_synthetic(cohort, monkeypatch):
    from analysis.version import pdf_name

    monkeypatch.setenv(DATA_ENV, str(cohort))
    assert pdf_name().endswith("-SYNTHETIC.pdf")


@pytest.mark.synthetic_site
def test_every_page_of_the_synthetic_report_says_so():
    site = PROJECT_ROOT / "_build" / "synthetic" / "html"
    pages = list((site / "book").glob("*.html"))
    assert len(pages) >= 12
    for page in pages:
        assert "SYNTHETIC DATA" in page.read_text(encoding="utf-8"), page.name
