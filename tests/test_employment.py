"""analysis.employment, with expected values worked out by hand from Table 2."""

import pandas as pd
import pytest

from analysis import employment, load_errata, load_literature, load_timeline


@pytest.fixture(scope="module")
def read():
    return employment.apply_readings(load_timeline(), load_errata())


def test_the_erratum_reading_is_applied_and_marked(read):
    p6 = read.set_index("participant").loc["P6"]
    assert p6["ips_end"] == pd.Timestamp("2016-04-17") and p6["ips_end_from_erratum"]
    assert read["ips_end_from_erratum"].sum() == 1
    # the printed data are untouched
    assert load_timeline().set_index("participant").loc["P6", "ips_end"] == pd.Timestamp("2015-04-17")


def test_followup_dates_are_calendar_months():
    timeline = load_timeline()
    assert employment.followup_dates(timeline, 12).iloc[0] == pd.Timestamp("2016-04-17")
    assert employment.followup_dates(timeline, 3).iloc[1] == pd.Timestamp("2015-07-24")


def test_employment_status_from_the_dates(read):
    status = employment.employment_status(read, [0, 3, 6, 12])
    # P2 job 09.09.2015: after 3 months (24.07.2015), before 6 (24.10.2015).
    # P3 job 11.01.2016: after 6 months (27.10.2015), before 12 (27.04.2016).
    # P4 job 25.04.2016: before 12 months (11.05.2016).
    assert list(employment.employed_counts(status)) == [0, 0, 1, 3]
    assert list(status.index[status[12]]) == ["P2", "P3", "P4"]


def test_a_job_starting_on_the_followup_day_counts():
    timeline = pd.DataFrame({"participant": ["A", "B"], "ips_start": pd.to_datetime(["2020-01-31", "2020-01-01"]),
                             "job_start": pd.to_datetime(["2020-04-30", "2020-04-02"])})
    status = employment.employment_status(timeline, [3])
    assert list(status[3]) == [True, False]  # 31 Jan + 3 months = 30 Apr; 1 Jan + 3 months = 1 Apr


def test_confidence_intervals_for_3_of_8():
    # Clopper-Pearson for 3/8: beta quantiles 0.0852 and 0.7551 (standard tables).
    low, high = employment.proportion_ci(3, 8)
    assert low == pytest.approx(0.0852, abs=1e-4) and high == pytest.approx(0.7551, abs=1e-4)
    # Wilson: centre (0.375 + 1.96^2/16) / (1 + 1.96^2/8) = 0.4156,
    # half-width 1.96 * sqrt(0.375*0.625/8 + 1.96^2/256) / 1.4802 = 0.2787
    low, high = employment.proportion_ci(3, 8, "wilson")
    assert low == pytest.approx(0.1368, abs=1e-4) and high == pytest.approx(0.6943, abs=1e-4)


def test_months_between():
    start = pd.Series(pd.to_datetime(["2015-04-17"]))
    end = pd.Series(pd.to_datetime(["2015-05-08"]))
    assert employment.months_between(start, end).iloc[0] == pytest.approx(21 / 30.4375)


def test_duration_check(read):
    check = employment.duration_check(read).set_index("participant")
    # P2: 24.04-17.07.2015 is 84 days = 2.76 months, printed 4.6
    assert check.loc["P2", "months_from_dates"] == pytest.approx(84 / 30.4375)
    assert check.loc["P2", "verdict"] == "longer than the dates allow"
    # P1: 21 days = 0.69, printed 0.7; P8: 30 days = 0.99, printed 1.0
    assert check.loc["P1", "verdict"] == check.loc["P8", "verdict"] == "matches the dates"
    assert (check["verdict"].str.startswith("shorter")).sum() == 5


def test_comparison_rows():
    rows = employment.comparison_rows(3, 8, load_literature()).set_index("label")
    assert rows.loc["this pilot, IPS (12 months)", "value"] == pytest.approx(0.375)
    assert rows.loc["IPS in Pain trial, IPS", "value"] == pytest.approx(19 / 36)  # printed 52.8%
    assert round(100 * rows.loc["IPS in Pain trial, usual care", "value"], 1) == 38.9  # 7/18
    assert rows.loc["IPS trials, mental illness", "low"] == pytest.approx(0.22)
    assert rows.loc["usual programmes, mental illness", "high"] == pytest.approx(0.40)


def test_duration_check_allows_any_calendar_month():
    # 30 days printed as 1.1 months: 1.05 to 1.15 months against 30/31 = 0.97 to 30/28 = 1.07 months.
    # Months of 28 days make it fit, so it is not "longer than the dates allow" (at 30.44 days a month
    # it would look 0.11 too long). 30 days printed as 1.2: 1.15 > 1.07, longer whatever the month.
    # 100 days printed as 3.0: 3.05 < 100/31 = 3.23, shorter whatever the month.
    frame = pd.DataFrame({"participant": ["A", "B", "C"],
                          "ips_start": pd.to_datetime(["2015-01-01"] * 3),
                          "ips_end": pd.to_datetime(["2015-01-31", "2015-01-31", "2015-04-11"]),
                          "ips_months_reported": [1.1, 1.2, 3.0]})
    verdicts = list(employment.duration_check(frame)["verdict"])
    assert verdicts == ["matches the dates", "longer than the dates allow",
                        "shorter than the dates (time excluded, footnote a)"]


@pytest.mark.parametrize("n", [1, 8, 137, 1000])
def test_intervals_agree_with_scipy(n):
    # The intervals are computed without SciPy (chapters stay lean); SciPy is the oracle here.
    from scipy.stats import binomtest

    for k in sorted({0, 1, n // 3, n - 1, n}):
        for method in ("exact", "wilson"):
            ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method=method)
            assert employment.proportion_ci(k, n, method) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_an_impossible_count_has_no_interval():
    with pytest.raises(ValueError, match="no interval for 9 successes in 8"):
        employment.proportion_ci(9, 8)
