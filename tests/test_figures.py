"""analysis.figures: every figure is a Figure, deterministic, and closed in pyplot."""

import io

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from analysis.report import Report

FIGURES = ["clinical_profile", "employment_timeline", "employment_comparison", "flow_diagram"]


@pytest.fixture(scope="module")
def report():
    return Report.load()


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


@pytest.mark.parametrize("name", FIGURES)
def test_figure_is_returned_and_deterministic(report, name):
    before = len(plt.get_fignums())
    first = getattr(report, name)()
    assert isinstance(first, Figure)
    assert len(plt.get_fignums()) == before  # the function leaves no open pyplot figure
    assert _png(first) == _png(getattr(report, name)())


def test_timeline_writes_counts_at_followups(report):
    texts = [t.get_text() for t in report.employment_timeline().axes[0].texts]
    assert texts == ["0 employed", "0 employed", "1 employed", "3 employed"]


def test_clinical_profile_marks_missing_values(report):
    fig = report.clinical_profile()
    missing = [t for ax in fig.axes for t in ax.texts if t.get_text() == "missing"]
    assert len(missing) == 2  # P4's ODI and thermometer
