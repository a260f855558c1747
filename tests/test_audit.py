"""analysis.audit: each check finds what a reader finds by hand in the article."""

import pytest

from analysis import audit, load_all, load_errata
from analysis.employment import apply_readings


@pytest.fixture(scope="module")
def checks():
    data = load_all()
    return audit.run_all(data, apply_readings(data["ips_timeline"], data["errata"]), [0, 3, 6, 12])


def _inconsistent(checks, prefix):
    rows = checks[checks["check"].str.startswith(prefix) & (checks["verdict"] == "inconsistent")]
    return list(rows["subject"])


def test_hscl_totals(checks):
    # (10a + 15d) / 25 against the printed total, tolerance 0.1:
    # P1 1.68 vs 2.0, P5 1.18 vs 1.4, P7 3.34 vs 3.1, P8 1.54 vs 1.7 fail; P3 2.60 vs 2.5 just passes.
    assert _inconsistent(checks, "HSCL-25 total") == ["P1", "P5", "P7", "P8"]


def test_durations_against_dates(checks):
    assert _inconsistent(checks, "printed IPS duration") == ["P2"]


def test_dates_in_order(checks):
    assert _inconsistent(checks, "IPS termination on or after") == ["P6"]
    assert _inconsistent(checks, "job start after") == []


def test_percentage(checks):
    row = checks[checks["check"].str.startswith("printed percentage")].iloc[0]
    assert row["verdict"] == "consistent" and row["expected"] == "3/8 = 37.5%"


def test_extended_followup_text_vs_table(checks):
    assert _inconsistent(checks, "participants in extended follow-up") == ["Discussion"]


def test_every_inconsistency_is_in_the_errata(checks):
    known = set(load_errata()["id"])
    found = checks[checks["verdict"] == "inconsistent"]
    assert len(found) == 7
    assert set(found["erratum"]) <= known and "" not in set(found["erratum"])


def test_attainable_samples_small_cases():
    # n=3 in [1, 3]: [1,1,3], [1,2,3], [1,3,3] have means 1.67, 2, 2.33 (all round to 2)
    # and SDs 1.15, 1, 1.15 (all round to 1)
    assert audit.attainable_samples(3, 1, 3, mean=2, sd=1).tolist() == [[1, 1, 3], [1, 2, 3], [1, 3, 3]]
    # a mean of 3 needs all three at the maximum, which contradicts the minimum of 1
    assert len(audit.attainable_samples(3, 1, 3, mean=3, sd=1)) == 0


def test_interview_lengths_are_attainable():
    table, found = audit.interview_length_check(load_all()["sample"])
    assert (table["verdict"] == "consistent").all()
    assert len(found) > 0
    assert (found.min(axis=1) == 13).all() and (found.max(axis=1) == 33).all()
    # mean 21.5 to 22.5 inclusive (either rounding of a half) over 8 interviews: sums 172 to 180
    assert set(found.sum(axis=1).tolist()) <= set(range(172, 181))
