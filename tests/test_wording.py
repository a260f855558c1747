"""Words that depend on the data: the rules, the study's phrases, and another cohort's."""

import pytest

from analysis import phrases
from analysis.report import Report
from analysis.synthetic import generate
from analysis.wording import count_of, in_words, plural, pronouns, quantifier, verb


def test_number_words_and_agreement():
    assert in_words(0) == "none" and in_words(8) == "eight" and in_words(20) == "twenty" and in_words(1000) == "1,000"
    assert count_of(7, 8) == "seven of eight"
    assert plural(1, "duration") == "duration" and plural(5, "duration") == "durations" and plural(0, "value") == "values"
    assert verb(1, "is", "are") == "is" and verb(0, "is", "are") == "are" and verb(2, "differs", "differ") == "differ"


@pytest.mark.parametrize("k, n, word", [(0, 8, "none"), (8, 8, "all"), (7, 8, "all but one"), (5, 8, "most"),
                                        (4, 8, "half"), (1, 8, "one"), (3, 8, "a minority"), (1, 2, "half"),
                                        (2, 2, "all"), (501, 1000, "most"), (500, 1000, "half")])
def test_quantifiers(k, n, word):
    assert quantifier(k, n) == word


def test_an_impossible_count_is_refused():
    with pytest.raises(ValueError, match="a count of 9 out of 8 is impossible"):
        quantifier(9, 8)


def test_pronouns_follow_the_recorded_sex():
    assert pronouns(["female"]) == ("she", "her") and pronouns(["male"]) == ("he", "his")
    assert pronouns([None]) == ("they", "their") and pronouns(["female", "male"]) == ("they", "their")


def test_ranges_and_intervals_in_words():
    ranges = {"IPS": (0.22, 0.78), "usual-programme": (0.07, 0.40)}
    assert phrases.position(0.375, ranges) == "inside both ranges"
    assert phrases.position(0.60, ranges) == "inside the IPS range only"
    assert phrases.position(0.05, ranges) == "below both ranges"
    # 8.5% to 75.5% covers (0.40 - 0.085) / 0.33 of one range and (0.755 - 0.22) / 0.56 of the other
    assert phrases.coverage(0.085, 0.755, ranges) == "covers most of both"
    assert phrases.coverage(0.32, 0.38, ranges) == "overlaps both"
    assert phrases.certainty_word(0.085, 0.755) == "very uncertain"
    assert phrases.certainty_word(0.32, 0.38) == "fairly precise"


def test_the_study_in_words():
    # By hand from the article: nobody employed at 3 months, 1 by 6, 3 by 12 (2 of them after 6 months,
    # 2 with extended follow-up); P1, the drop-out, is "she"; 6 of 8 HSCL-25 totals do not fit (E07);
    # Table 1: 6 of 8 in severe pain (NRS 7 or more), ODI from 20 (minimal) to 62 (crippled).
    words = phrases.build(Report.load())
    assert words["employment_timing"] == (
        "employment came late: nobody had started a job by three months, and most job starts fell after "
        "six months, mostly among participants who had extended support")
    assert words["dropout_subject"] == "she" and words["dropout_possessive"] == "her"
    assert words["hscl_misfit_clause"] == ("The HSCL-25 totals of six of eight participants do not fit "
                                           "their own subscales (erratum E07)")
    assert words["employment_rate_certainty"] == "With only eight participants it is very uncertain"
    assert words["rate_vs_ranges"] == "inside both ranges" and words["ci_vs_ranges"] == "covers most of both"
    assert words["durations_clause"].startswith("5 durations are shorter") and "1 is longer" in words["durations_clause"]
    assert words["differs_clause"] == "1 differs, explained by an erratum"
    assert words["month_12_words"] == "twelve" and words["n_ips_principles_words"] == "eight"


@pytest.fixture(scope="module")
def synthetic_words(tmp_path_factory):
    report = Report.load(generate(tmp_path_factory.mktemp("synthetic") / "data", n=1000, seed=7))
    return report, phrases.build(report)


def test_another_cohort_gets_its_own_words(synthetic_words):
    report, words = synthetic_words
    n = report.numbers
    early = n["n_employed_3m"].value
    assert ("nobody had started a job" in words["employment_timing"]) == (early == 0)
    assert "only" not in words["employment_rate_certainty"] and "1,000 participants" in words["employment_rate_certainty"]
    assert words["employment_rate_certainty"].endswith("fairly precise")  # an interval about 6 points wide
    dropouts = report.data["participants"]["dropped_out"].sum()
    assert (words["dropout_subject"] == "they") == (dropouts != 1)
