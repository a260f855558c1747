"""analysis.employment, with expected values worked out by hand from Table 2."""

import math

import pandas as pd
import pytest

from analysis import employment, load_errata, load_literature, load_timeline
from conftest import shared


@pytest.fixture(scope=shared)
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


def _timeline():
    return pd.DataFrame({"participant": pd.array(["A", "B", "C"], dtype="string"),
                         "ips_start": pd.to_datetime(["2015-01-01"] * 3),
                         "ips_months_reported": [1.0, 2.0, 3.0],
                         "extended_followup": pd.array([False, False, False], dtype="boolean")})


def _errata(*rows):
    return pd.DataFrame([{"id": f"X{i}", "file": "ips_timeline.csv", "participant": who, "column": column,
                          "reading_value": value} for i, (who, column, value) in enumerate(rows)])


def test_a_reading_may_name_several_participants_and_any_column():
    # "A;C" names two rows; a duration is read as a number, a flag as a boolean, a date as a date
    read = employment.apply_readings(_timeline(), _errata(("A;C", "ips_months_reported", "2.5"),
                                                          ("B", "extended_followup", "true"),
                                                          ("B", "ips_start", "2015-02-01")))
    assert list(read["ips_months_reported"]) == [2.5, 2.0, 2.5]
    assert list(read["ips_months_reported_from_erratum"]) == [True, False, True]
    assert list(read["extended_followup"]) == [False, True, False]
    assert read.loc[1, "ips_start"] == pd.Timestamp("2015-02-01")


def test_two_readings_of_one_column_both_stay_marked():
    # B's duration, then C's: the second erratum adds C to the marked cells, it does not replace B
    read = employment.apply_readings(_timeline(), _errata(("B", "ips_months_reported", "4.5"),
                                                          ("C", "ips_months_reported", "0.5")))
    assert list(read["ips_months_reported"]) == [1.0, 4.5, 0.5]
    assert list(read["ips_months_reported_from_erratum"]) == [False, True, True]


@pytest.mark.parametrize("column, text, value", [
    ("ips_start", "2016-04-17", pd.Timestamp("2016-04-17")),
    ("extended_followup", "true", True), ("extended_followup", "True", True), ("extended_followup", "false", False),
    ("ips_months_reported", "9.2", 9.2), ("participant", "P9", "P9"),
])
def test_a_value_written_as_text_is_typed_as_its_column(column, text, value):
    assert employment.typed(_timeline(), column, text) == value


def test_a_missing_value_is_its_columns_missing_value():
    frame = _timeline()
    assert employment.typed(frame, "ips_start", None) is pd.NaT
    assert employment.typed(frame, "extended_followup", None) is pd.NA
    assert employment.typed(frame, "participant", None) is pd.NA
    missing = employment.typed(frame, "ips_months_reported", None)
    assert isinstance(missing, float) and missing != missing  # NaN


def test_counts_are_whole_numbers():
    status = pd.DataFrame({3: [True, False], 12: [True, True]})
    counts = employment.employed_counts(status)
    assert counts.dtype.kind == "i" and list(counts) == [1, 2]


def test_binomial_tails_at_the_ends_of_the_unit_interval():
    # p = 0: X is always 0, so P(X >= 0) = 1, P(X >= 1) = 0 and P(X <= k) = 1 for every k;
    # p = 1: X is always n, so P(X >= k) = 1, P(X <= k) = 0 for k < n and P(X <= n) = 1
    tail = employment._binomial_tail
    assert [tail(0, 8, 0.0, True), tail(1, 8, 0.0, True), tail(0, 8, 0.0, False), tail(3, 8, 0.0, False)] == [1, 0, 1, 1]
    assert [tail(3, 8, 1.0, True), tail(3, 8, 1.0, False), tail(8, 8, 1.0, False), tail(0, 8, 1.0, False)] == [1, 0, 1, 0]


def test_a_certain_event_has_probability_one_not_more():
    # P(X >= 0) = 1 for any p: the sum of the rounded terms may exceed 1 (for n = 3, p = 0.5 it is
    # 1.0000000000000007), and a probability is never above 1
    assert employment._binomial_tail(0, 3, 0.5, upper=True) == 1.0
    assert employment._binomial_tail(3, 3, 0.5, upper=False) == 1.0


def test_a_tiny_tail_is_not_rounded_to_zero():
    # P(X >= 500) for X ~ Binomial(500, 0.3) is 0.3^500 = 3.6e-262, far below 1 but still a float
    assert employment._binomial_tail(500, 500, 0.3, upper=True) == pytest.approx(0.3 ** 500, rel=1e-12)


def test_intervals_at_zero_and_all_successes_end_exactly_at_the_bound():
    # Clopper-Pearson: for k = 0 the lower limit is 0 and the upper solves (1 - p)^8 = 0.025;
    # for k = n the upper limit is 1 and the lower solves p^8 = 0.025
    low, high = employment.proportion_ci(0, 8)
    assert low == 0.0 and high == pytest.approx(1 - 0.025 ** (1 / 8), abs=1e-12)
    low, high = employment.proportion_ci(8, 8)
    assert low == pytest.approx(0.025 ** (1 / 8), abs=1e-12) and high == 1.0


def test_an_unknown_interval_method_is_named():
    with pytest.raises(ValueError, match="unknown interval method 'normal': exact or wilson"):
        employment.proportion_ci(3, 8, "normal")


def test_a_duration_at_the_bound_of_28_day_months_matches():
    # 7 days printed as 0.3 months: 0.3 stands for 0.25 to 0.35 months, and 7 days are at most
    # 7/28 = 0.25 months, so the lowest value the print stands for fits the dates exactly
    frame = pd.DataFrame({"participant": ["A"], "ips_start": pd.to_datetime(["2015-01-01"]),
                          "ips_end": pd.to_datetime(["2015-01-08"]), "ips_months_reported": [0.3]})
    assert list(employment.duration_check(frame)["verdict"]) == ["matches the dates"]


def test_comparison_rows_in_full():
    from scipy.stats import binomtest

    rows = employment.comparison_rows(3, 8, load_literature())
    assert list(rows.columns) == ["label", "kind", "value", "low", "high", "note", "highlight"]
    assert list(rows["kind"]) == ["estimate"] * 3 + ["range"] * 2
    assert list(rows["highlight"]) == [True, False, False, False, False]
    # literature.csv: the trial's inferred 19/36 and 7/18; the cited ranges 22-78% and 7-40%
    assert list(rows["note"]) == ["3/8", "19/36, inferred", "7/18, inferred", "", ""]
    for row, (k, n) in zip(rows.itertuples(), [(3, 8), (19, 36), (7, 18)]):
        ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
        assert (row.low, row.high) == pytest.approx((ci.low, ci.high), abs=1e-9)
    assert rows["value"].iloc[3:].isna().all()
    assert list(rows["low"].iloc[3:]) == pytest.approx([0.22, 0.07])
    assert list(rows["high"].iloc[3:]) == pytest.approx([0.78, 0.40])


def test_a_reading_is_typed_as_its_column_holds_values():
    frame = pd.DataFrame({"flag": [True, False], "flag_na": pd.array([True, None], dtype="boolean"),
                          "months": [1.5, 2.0], "when": pd.to_datetime(["2015-04-17", "2015-05-08"]),
                          "text": ["a", "b"]})
    assert employment.typed(frame, "flag", "true") is True and employment.typed(frame, "flag", "False") is False
    assert employment.typed(frame, "flag_na", "TRUE") is True
    assert employment.typed(frame, "months", "9.2") == 9.2
    assert employment.typed(frame, "when", "2016-04-17") == pd.Timestamp("2016-04-17")
    assert employment.typed(frame, "text", "c") == "c"
    # missing: NaN for a float column, NaT for a date, NA otherwise
    assert math.isnan(employment.typed(frame, "months", None))
    assert employment.typed(frame, "when", None) is pd.NaT
    assert employment.typed(frame, "text", None) is pd.NA and employment.typed(frame, "flag", None) is pd.NA
