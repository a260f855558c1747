"""A synthetic cohort of 1,000 with the study's schema: it loads, the analysis scales, and the
report built from it says SYNTHETIC on every page."""

import time

from pathlib import Path

import pytest

from analysis import figures, load_all, registry
from analysis.paths import BUILD_ROOT, DATA_ENV, PROJECT_ROOT, build_paths
from analysis.report import Report
from analysis.synthetic import generate
from analysis.tables import MAX_ROWS

#: Where `make synthetic` generates its cohort.
SYNTHETIC_DATA = BUILD_ROOT / "synthetic" / "data"


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
    assert len(report.table_1()) == MAX_ROWS + 1 and "970 more rows" in report.table_1().payload["rows"][-1][1]
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
    from reportbuild.version import pdf_name

    monkeypatch.setenv(DATA_ENV, str(cohort))
    assert pdf_name().endswith("-SYNTHETIC.pdf")


@pytest.mark.synthetic_site
def test_every_page_of_the_synthetic_report_says_so():
    site = build_paths(SYNTHETIC_DATA).site
    pages = list((site / "book").glob("*.html"))
    assert len(pages) >= 12
    for page in pages:
        assert "SYNTHETIC DATA" in page.read_text(encoding="utf-8"), page.name


def _page_text(page) -> str:
    """A page's text as a reader sees it: no tags, entities decoded, plain quotes, single spaces."""
    import html
    import re

    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    return re.sub(r"\s+", " ", text)


@pytest.mark.synthetic_site
def test_the_synthetic_report_says_what_its_own_data_show():
    # Every word a chapter glues is, on the synthetic site, the word computed from the synthetic cohort,
    # and every claim the cohort contradicts is listed in claims.json and marked on its page, with its values.
    import json
    import re

    from reportbuild import notebooks

    words = Report.load(SYNTHETIC_DATA).prose_words
    study = Report.load(PROJECT_ROOT / "data").prose_words
    site = build_paths(SYNTHETIC_DATA).site / "book"
    checked = 0
    for chapter in notebooks.chapters():
        keys = set(re.findall(r"\{glue\}`([A-Za-z0-9_]+)`", chapter.read_text(encoding="utf-8"))) & set(words)
        text = _page_text(site / f"{chapter.stem}.html")
        missing = [(key, words[key]) for key in keys if re.sub(r"\s+", " ", words[key]) not in text]
        assert missing == [], f"{chapter.stem}: words not as the synthetic data say"
        checked += sum(words[key] != study[key] for key in keys)
    assert checked >= 8  # words that really differ between the two cohorts
    claims = json.loads((build_paths(SYNTHETIC_DATA).build / "claims.json").read_text(encoding="utf-8"))
    assert len(claims) >= 5, "the synthetic cohort contradicts claims written for the study's data"
    for claim in claims:
        page = (site / f"{Path(claim['chapter']).stem}.html").read_text(encoding="utf-8")
        assert 'class="ips-claim-false"' in page, claim
        values = ", ".join(f"{k} = {v:g}" for k, v in claim["values"].items())
        assert f"[not so in these data: {values}]" in _page_text(site / f"{Path(claim['chapter']).stem}.html"), claim
