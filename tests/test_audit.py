"""analysis.audit: each check finds what a reader finds by hand in the article."""

import pytest

from analysis import audit, load_all, load_errata
from analysis.employment import apply_readings
from conftest import shared


@pytest.fixture(scope=shared)
def checks():
    data = load_all()
    return audit.run_all(data, apply_readings(data["ips_timeline"], data["errata"]), [0, 3, 6, 12])


def _inconsistent(checks, prefix):
    rows = checks[checks["check"].str.startswith(prefix) & (checks["verdict"] == "inconsistent")]
    return list(rows["subject"])


def test_hscl_totals(checks):
    # By hand, 10 anxiety and 15 depression items scored 1-4, none missing, means rounded half up:
    # P3: anxiety 1.7 needs an item sum of 17; depression 3.2 needs 47.25 <= D < 48.75, so D = 48;
    # the total is 65/25 = 2.6, never the printed 2.5. P6: 27 + 39 = 66, 66/25 = 2.64 -> 2.6, not 2.7.
    # P1 42/25 -> 1.7 (2.0), P5 29 or 30 -> 1.2 (1.4), P7 83 or 84 -> 3.3 or 3.4 (3.1), P8 38 or 39 -> 1.5 or 1.6 (1.7).
    # Only P2 (61/25 -> 2.4) and P4 (44/25 -> 1.8) fit.
    assert _inconsistent(checks, "HSCL-25 total") == ["P1", "P3", "P5", "P6", "P7", "P8"]


@pytest.mark.parametrize("anxiety, depression, totals", [
    (1.8, 1.6, [1.7]),  # A = 18, D = 24: 42/25 = 1.68
    (2.8, 3.7, [3.3, 3.4]),  # A = 28, D in {55, 56}: 83/25 = 3.32, 84/25 = 3.36
    (1.0, 1.0, [1.0]),  # every item scored 1
    (4.0, 4.0, [4.0]),  # every item scored 4
    (1.3, 1.1, [1.2]),  # A = 13, D in {16, 17}: 29/25 = 1.16 and 30/25 = 1.2 both round to 1.2
])
def test_hscl_attainable_totals(anxiety, depression, totals):
    assert audit.hscl_attainable_totals(anxiety, depression) == totals


def test_a_subscale_mean_no_item_sum_gives_has_no_total():
    # 1.05 is not a one-decimal mean, and 0.9 is below the lowest item score: no sums, no totals.
    assert audit.hscl_attainable_totals(0.9, 2.0) == []


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
    # six HSCL-25 totals (E07), P2's duration (E04), P6's end date (E02), the Discussion's count (E05)
    assert len(found) == 9
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
    # a mean rounding half up to 22 over 8 interviews: 21.5 <= sum / 8 < 22.5, so sums 172 to 179
    assert set(found.sum(axis=1).tolist()) <= set(range(172, 180))
    # the SD rounds half up to 9: 8.5 <= SD < 9.5, so 72.25 * 7 <= 8 * sum(x^2) - sum^2 ... (n (n - 1) = 56)
    spread = 8 * (found.astype(int) ** 2).sum(axis=1) - found.sum(axis=1) ** 2
    assert (4 * spread >= 17 ** 2 * 56).all() and (4 * spread < 19 ** 2 * 56).all()


def test_interview_lengths_are_every_sample_the_article_allows():
    # Methods: 8 interviews of 13 to 33 min (M = 22, SD = 9). By hand, with whole minutes: one 13, one 33
    # and six lengths 13-33 between them; 172 <= sum < 180 (21.5 <= mean < 22.5) and, as SD^2 is
    # (8 sum(x^2) - sum^2) / 56, 4046 <= 8 sum(x^2) - sum^2 < 5054 (72.25 <= SD^2 < 90.25).
    # Every such sample, found by trying all C(26, 6) = 230,230 choices of the six:
    from itertools import combinations_with_replacement

    expected = []
    for middle in combinations_with_replacement(range(13, 34), 6):
        sample = (13, *middle, 33)
        total = sum(sample)
        if 172 <= total < 180 and 4046 <= 8 * sum(x * x for x in sample) - total ** 2 < 5054:
            expected.append(list(sample))
    assert audit.interview_length_check(load_all()["sample"])[1].tolist() == expected


def _samples_by_enumeration(n, low, high, mean, sd):
    """Every sample tried with exact arithmetic (Fractions): the oracle for the integer bounds."""
    from fractions import Fraction
    from itertools import combinations_with_replacement

    found = []
    for sample in combinations_with_replacement(range(low, high + 1), n):
        if min(sample) != low or max(sample) != high:
            continue
        average = Fraction(sum(sample), n)
        variance = sum((x - average) ** 2 for x in sample) / (n - 1)
        half = Fraction(1, 2)
        if mean - half <= average < mean + half and (sd - half) ** 2 <= variance < (sd + half) ** 2:
            found.append(list(sample))
    return found


@pytest.mark.parametrize("n, low, high, mean, sd", [(5, 1, 7, 4, 2), (6, 0, 9, 4, 3), (4, 2, 8, 5, 3), (7, 1, 5, 3, 1)])
def test_attainable_samples_equal_exhaustive_exact_search(n, low, high, mean, sd):
    assert audit.attainable_samples(n, low, high, mean, sd).tolist() == _samples_by_enumeration(n, low, high, mean, sd)


def test_the_sd_bound_is_half_a_unit_each_side():
    # [1, 3]: mean 2, SD 1.414, which rounds to 1, not to 2
    assert audit.attainable_samples(2, 1, 3, mean=2, sd=1).tolist() == [[1, 3]]
    assert audit.attainable_samples(2, 1, 3, mean=2, sd=2).tolist() == []
    # [1, 2]: mean 1.5 rounds half up to 2; SD 0.707 is within half a unit of 1 (0.5 <= 0.707 < 1.5),
    # though not within a quarter
    assert audit.attainable_samples(2, 1, 2, mean=2, sd=1).tolist() == [[1, 2]]
    assert audit.attainable_samples(2, 1, 2, mean=1, sd=1).tolist() == []


@pytest.mark.parametrize("low, high, k", [(1, 3, 0), (1, 3, 1), (2, 5, 3), (13, 33, 4), (0, 0, 3)])
def test_the_candidate_samples_are_every_sorted_tuple_in_order(low, high, k):
    from itertools import combinations_with_replacement

    expected = list(combinations_with_replacement(range(low, high + 1), k))
    assert [tuple(row) for row in audit._multisets(low, high, k).tolist()] == expected


def _totals_by_enumeration(anxiety: float, depression: float) -> list[float]:
    """Every item-sum pair tried, in exact arithmetic: the oracle for the interval reasoning."""
    from fractions import Fraction
    import math

    def fits(total: int, n: int, printed: float) -> bool:
        return Fraction(str(printed)) - Fraction(1, 20) <= Fraction(total, n) < Fraction(str(printed)) + Fraction(1, 20)

    anx = [s for s in range(10, 41) if fits(s, 10, anxiety)]
    dep = [s for s in range(15, 61) if fits(s, 15, depression)]
    return sorted({math.floor(Fraction(a + d, 25) * 10 + Fraction(1, 2)) / 10 for a in anx for d in dep})


def test_attainable_totals_equal_every_pair_of_item_sums():
    # every one-decimal pair of means from below the scale (0.5) to above it (4.5)
    pairs = [(a / 10, d / 10) for a in range(5, 46) for d in range(5, 46)]
    assert [audit.hscl_attainable_totals(*pair) for pair in pairs] == [_totals_by_enumeration(*pair) for pair in pairs]


def _check_rows(check, verdicts):
    return [{"check": check, "subject": f"S{i}", "expected": "e", "observed": "o", "verdict": v,
             "erratum": "E99" if v == "inconsistent" else ""} for i, v in enumerate(verdicts)]


def test_a_check_of_many_subjects_is_summarised_in_one_row():
    import pandas as pd

    # "big" has 13 subjects (more than 12), two inconsistent: one row "11 of 13 consistent", then those two;
    # "twelve" has exactly 12 and "small" 2, shown row by row; checks stay in their first order
    checks = pd.DataFrame(_check_rows("small", ["consistent", "inconsistent"])
                          + _check_rows("big", ["consistent"] * 5 + ["inconsistent"] + ["consistent"] * 6
                                        + ["inconsistent"])
                          + _check_rows("twelve", ["consistent"] * 12), columns=audit.COLUMNS)
    shown = audit.summarised(checks)
    assert list(shown["check"]) == ["small"] * 2 + ["big"] * 3 + ["twelve"] * 12
    big = shown[shown["check"] == "big"]
    assert big.iloc[0].to_dict() == {"check": "big", "subject": "all (summary)", "expected": "all consistent",
                                     "observed": "11 of 13 consistent", "verdict": "summary", "erratum": ""}
    assert list(big["subject"].iloc[1:]) == ["S5", "S12"] and set(big["erratum"].iloc[1:]) == {"E99"}
    assert list(shown.index) == list(range(17))
    # a smaller limit summarises "twelve" too: all 12 consistent
    assert "12 of 12 consistent" in set(audit.summarised(checks, max_subjects=11)["observed"])


def test_a_percentage_within_half_a_percent_is_consistent():
    # 3/8 = 37.5%: printed 38% or 37% is the count rounded (half up or half to even); 39% is not
    row = audit.percentage_check(38, 3, 8, "rate").iloc[0].to_dict()
    assert row == {"check": "printed percentage = count / n, rounded to a whole percent", "subject": "rate",
                   "expected": "3/8 = 37.5%", "observed": "38%", "verdict": "consistent", "erratum": ""}
    assert audit.percentage_check(37, 3, 8, "rate").iloc[0]["verdict"] == "consistent"
    wrong = audit.percentage_check(39, 3, 8, "rate").iloc[0]
    assert wrong["verdict"] == "inconsistent" and wrong["erratum"] == ""  # no erratum records one


def test_a_standard_deviation_of_exactly_one_and_a_half_rounds_up():
    # n = 4 in [0, 3] with a mean rounding to 1 (sums 2 to 5): [0, 0, 0, 3], [0, 0, 1, 3], [0, 0, 2, 3]
    # and [0, 1, 1, 3]. Their SDs: sqrt(9/4) = 1.5, sqrt(2) = 1.41, sqrt(9/4) = 1.5, sqrt(19/12) = 1.26;
    # 1.5 rounds half up to 2, so an SD printed as 1 allows only the second and the fourth
    assert audit.attainable_samples(4, 0, 3, mean=1, sd=1).tolist() == [[0, 0, 1, 3], [0, 1, 1, 3]]
    assert audit.attainable_samples(4, 0, 3, mean=1, sd=2).tolist() == [[0, 0, 0, 3], [0, 0, 2, 3]]


def test_an_sd_of_zero_allows_equal_values():
    # min = max = 5: every value is 5, the SD is 0, which rounds to 0
    assert audit.attainable_samples(3, 5, 5, mean=5, sd=0).tolist() == [[5, 5, 5]]


def test_samples_are_read_only_whole_numbers():
    found = audit.attainable_samples(3, 1, 3, mean=2, sd=1)
    assert found.dtype.kind == "i" and not found.flags.writeable


def _enumerated(n, low, high, mean, sd, mean_decimals, sd_decimals):
    """Every sample tried with exact arithmetic, the mean and SD rounded half up at their decimals."""
    from fractions import Fraction
    from itertools import combinations_with_replacement

    m, s = Fraction(str(mean)), Fraction(str(sd))
    half_m, half_s = Fraction(1, 2 * 10 ** mean_decimals), Fraction(1, 2 * 10 ** sd_decimals)
    found = []
    for sample in combinations_with_replacement(range(low, high + 1), n):
        if min(sample) == low and max(sample) == high:
            average = Fraction(sum(sample), n)
            variance = sum((x - average) ** 2 for x in sample) / (n - 1)
            if m - half_m <= average < m + half_m and (s - half_s) ** 2 <= variance < (s + half_s) ** 2:
                found.append(list(sample))
    return found


@pytest.mark.parametrize("n, low, high, mean, sd, mean_decimals, sd_decimals", [
    (3, 1, 3, 1.7, 1.2, 1, 1),  # [1, 1, 3]: mean 5/3 = 1.67 -> 1.7, SD sqrt(4/3) = 1.15 -> 1.2
    (5, 1, 7, 4.2, 2.3, 1, 1), (6, 0, 9, 4.5, 3.67, 1, 2), (4, 2, 8, 5.25, 2.5, 2, 1),
])
def test_means_and_sds_printed_with_decimals(n, low, high, mean, sd, mean_decimals, sd_decimals):
    expected = _enumerated(n, low, high, mean, sd, mean_decimals, sd_decimals)
    assert expected  # each case has samples
    assert audit.attainable_samples(n, low, high, mean, sd, mean_decimals, sd_decimals).tolist() == expected


def test_the_exhaustive_search_has_a_limit():
    # n = 3 leaves one free value: 2,000,000 candidates in [0, 1999999] are searched, 2,000,001 are too many
    audit.attainable_samples(3, 0, 1_999_999, mean=1_000_000, sd=1_000_000)
    with pytest.raises(ValueError, match=r"too many samples to search exhaustively for n = 3 in \[0, 2000000\]"):
        audit.attainable_samples(3, 0, 2_000_000, mean=1_000_000, sd=1_000_000)


def _row_of(checks, prefix, subject):
    rows = checks[checks["check"].str.startswith(prefix) & (checks["subject"] == subject)]
    assert len(rows) == 1, (prefix, subject, len(rows))
    return rows.iloc[0][["expected", "observed", "verdict", "erratum"]].tolist()


def test_the_audit_table_reads_as_worked_out_by_hand(checks):
    # What the data audit appendix shows, cell by cell, for one or two subjects of every check.
    # HSCL-25 (10 anxiety and 15 depression items scored 1-4, means rounded half up): P2 2.6 and 2.3
    # give A = 26 and D in {34, 35} (33.75 <= D < 35.25), totals 60/25 = 2.4 and 61/25 = 2.44, both 2.4;
    # P7 2.8 and 3.7 give 83/25 = 3.32 and 84/25 = 3.36 (see test_hscl_totals).
    assert _row_of(checks, "HSCL-25 total", "P2") == ["one of 2.4", "2.4", "consistent", ""]
    assert _row_of(checks, "HSCL-25 total", "P7") == ["one of 3.3, 3.4", "3.1", "inconsistent", "E07"]
    assert checks["check"].str.endswith("(25 items scored 1-4, none missing)").sum() == 8
    # Days between Table 2's dates, counted on a calendar: P1 17.04 to 08.05.2015 is 13 + 8 = 21 days,
    # 21/28 = 0.75 months; P2 24.04 to 17.07.2015 is 6 + 31 + 30 + 17 = 84 days, 84/28 = 3.00, less
    # than the printed 4.6; P6 (E02 read as 17.04.2016) 09.06.2015 to 17.04.2016 is 21 + 31 + 31 + 30
    # + 31 + 30 + 31 + 31 + 29 + 31 + 17 = 313 days, 313/28 = 11.18.
    assert _row_of(checks, "printed IPS duration", "P1") == [
        "at most 0.75 months (21 days / 28), plus 0.05 for rounding", "0.7 months", "consistent", ""]
    assert _row_of(checks, "printed IPS duration", "P2") == [
        "at most 3.00 months (84 days / 28), plus 0.05 for rounding", "4.6 months", "inconsistent", "E04"]
    assert _row_of(checks, "printed IPS duration", "P6") == [
        "at most 11.18 months (313 days / 28), plus 0.05 for rounding", "9.2 months", "consistent", ""]
    # Dates as printed, day.month.year: P6's termination 17.04.2015 is before its inclusion 09.06.2015.
    assert _row_of(checks, "IPS termination on or after", "P6") == [
        "on or after 09.06.2015", "17.04.2015", "inconsistent", "E02"]
    assert _row_of(checks, "IPS termination on or after", "P1") == [
        "on or after 17.04.2015", "08.05.2015", "consistent", ""]
    assert _row_of(checks, "job start after", "P2") == ["after 24.04.2015", "09.09.2015", "consistent", ""]
    assert _row_of(checks, "job start after", "P4") == ["after 11.05.2015", "25.04.2016", "consistent", ""]
    # 3 of 8 = 37.5%, printed as 38%.
    assert _row_of(checks, "printed percentage", "employment rate at 12 months (Results)") == [
        "3/8 = 37.5%", "38%", "consistent", ""]
    # IPS ending more than six months after inclusion: P3, P4, P6 (as read) and P7, four; the
    # Methods say four, the Discussion three; Table 1 and Table 2 have 8 rows each, as the text says.
    more = "4 (IPS ending more than 6 months after inclusion)"
    assert _row_of(checks, "participants in extended follow-up: Methods", "Methods") == [more, "4", "consistent", ""]
    assert _row_of(checks, "participants in extended follow-up: Discussion", "Discussion") == [
        more, "3", "inconsistent", "E05"]
    assert _row_of(checks, "extended_followup flags", "ips_timeline.csv") == ["4", "4", "consistent", ""]
    assert _row_of(checks, "participants in Table 1 and Table 2", "Results") == ["8", "8 and 8", "consistent", ""]
    # From the dates: nobody employed by 3 months, P2 (09.09.2015) by 6, P2, P3 and P4 by 12.
    for month, employed in ((3, "0"), (6, "1"), (12, "3")):
        rows = checks[checks["check"] == f"employed at {month} months: text vs Table 2 dates"]
        assert len(rows) >= 1 and set(rows["expected"]) == {f"{employed} (from the dates)"}
        assert set(rows["observed"]) == {employed} and set(rows["verdict"]) == {"consistent"}
        assert set(rows["erratum"]) == {""}
    # Pronouns: P1 and P8 are women, P4 and P7 men; at most the four of each the Results state.
    assert _row_of(checks, "participants known from pronouns to be female", "Results") == [
        "at most 4", "2", "consistent", ""]
    assert _row_of(checks, "participants known from pronouns to be male", "Results") == [
        "at most 4", "2", "consistent", ""]
    # Interview lengths: n = 8, 13 to 33 minutes, M = 22, SD = 9 (3928 samples, see below).
    assert _row_of(checks, "GRIM", "n = 8") == [
        "some sum of 8 integers gives a mean that rounds to 22", "always possible at this precision", "consistent", ""]
    assert _row_of(checks, "SPRITE", "n = 8") == ["at least one sample", "3928 samples", "consistent", ""]
    assert len(checks) == 40 and list(checks.columns) == audit.COLUMNS


def test_each_check_fails_with_its_erratum_on_data_made_to_fail_it():
    # Moved by hand so that each check's verdict turns, or sits on its boundary:
    import pandas as pd

    from analysis import load_all

    data = load_all()
    timeline = data["ips_timeline"].copy()
    at = timeline.set_index("participant").index
    # P1 ends on its inclusion day: "on or after" holds. P2 starts its job on its inclusion day: not after.
    timeline.loc[at == "P1", "ips_end"] = pd.Timestamp("2015-04-17")
    timeline.loc[at == "P2", "job_start"] = pd.Timestamp("2015-04-24")
    # P5 ends exactly six calendar months after inclusion (03.06 to 03.12.2015): not more than six;
    # P8 ends on 01.01.2016, between six (17.12.2015) and seven (17.01.2016) months after 17.06.2015: more.
    timeline.loc[at == "P5", "ips_end"] = pd.Timestamp("2015-12-03")
    timeline.loc[at == "P8", "ips_end"] = pd.Timestamp("2016-01-01")
    sample = data["sample"].copy()
    sample.loc["included", "value"] = 7  # Tables 1 and 2 have 8 rows
    sample.loc["women", "value"] = 1  # P1 and P8 are women by their pronouns
    sample.loc["men", "value"] = 0  # and no participant is known to be a man: 0 of at most 0
    sample.loc["extended_followup_discussion", "value"] = 5  # the Discussion now agrees with the dates
    participants = data["participants"].copy()
    participants.loc[participants["sex"] == "male", "sex"] = pd.NA
    data |= {"ips_timeline": timeline, "sample": sample, "participants": participants}
    checks = audit.run_all(data, apply_readings(timeline, data["errata"]), [0, 3, 6, 12])
    assert _row_of(checks, "IPS termination on or after", "P1")[2:] == ["consistent", ""]
    assert _row_of(checks, "job start after", "P2") == ["after 24.04.2015", "24.04.2015", "inconsistent", ""]
    # more than six months: P3, P4, P6 (as read), P7 and P8, five; the Methods' four and the data's flags differ
    more = "5 (IPS ending more than 6 months after inclusion)"
    assert _row_of(checks, "participants in extended follow-up: Methods", "Methods") == [
        more, "4", "inconsistent", "E05"]
    assert _row_of(checks, "extended_followup flags", "ips_timeline.csv") == ["5", "4", "inconsistent", "E05"]
    assert _row_of(checks, "participants in Table 1 and Table 2", "Results") == ["7", "8 and 8", "inconsistent", ""]
    assert _row_of(checks, "participants known from pronouns to be female", "Results") == [
        "at most 1", "2", "inconsistent", "E08"]
    assert _row_of(checks, "participants known from pronouns to be male", "Results") == [
        "at most 0", "0", "consistent", ""]
    assert _row_of(checks, "participants in extended follow-up: Discussion", "Discussion") == [
        more, "5", "consistent", ""]
    # P2 employed from inclusion: one by three months, where the Results print none
    rows = checks[checks["check"] == "employed at 3 months: text vs Table 2 dates"]
    assert rows[["expected", "observed", "verdict", "erratum"]].values.tolist() == [
        ["1 (from the dates)", "0", "inconsistent", ""]]


def test_a_percentage_half_a_point_away_and_a_single_sample_are_consistent():
    # 3/8 = 37.5% printed as 37%: half a point, the largest a whole percent rounds away
    row = audit.percentage_check(37.0, 3, 8, "x").iloc[0]
    assert [row["expected"], row["observed"], row["verdict"], row["erratum"]] == ["3/8 = 37.5%", "37%", "consistent", ""]
    # two whole-minute interviews from 1 to 3 minutes, M = 2, SD = 1: only (1, 3), SD 1.41, prints as 1
    import pandas as pd

    sample = pd.DataFrame({"value": [2.0, 1.0, 3.0, 2.0, 1.0]}, index=pd.Index(
        ["interviewed", "interview_minutes_min", "interview_minutes_max", "interview_minutes_mean",
         "interview_minutes_sd"], name="key"))
    rows, found = audit.interview_length_check(sample)
    assert found.tolist() == [[1, 3]]
    assert rows[["observed", "verdict", "erratum"]].values.tolist() == [
        ["always possible at this precision", "consistent", ""], ["1 samples", "consistent", ""]]
    assert not found.flags.writeable
    # ... and SD 0 with a range of 1 to 3 is no sample at all: inconsistent, with no erratum to name
    rows, found = audit.interview_length_check(sample.assign(value=[2.0, 1.0, 3.0, 2.0, 0.0]))
    assert len(found) == 0 and rows[["observed", "verdict", "erratum"]].values.tolist()[1] == [
        "0 samples", "inconsistent", ""]


def test_subscale_means_no_item_scores_give_are_named():
    import pandas as pd

    # an anxiety mean of 0.9 is below every item's lowest score (1): no total is attainable
    clinical = pd.DataFrame({"participant": ["X1"], "hscl_total": [1.4], "hscl_anxiety": [0.9], "hscl_depression": [2.0]})
    row = audit.hscl_total_check(clinical).iloc[0]
    assert [row["expected"], row["observed"], row["verdict"], row["erratum"]] == [
        "none (the means cannot both occur)", "1.4", "inconsistent", "E07"]
