"""Words that depend on the data: the rules, the study's phrases, and another cohort's."""

import pytest

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
    assert pronouns(["female"]) == ("she", "her", "her") and pronouns(["male"]) == ("he", "his", "him")
    assert pronouns([None]) == ("they", "their", "them") and pronouns(["female", "male"]) == ("they", "their", "them")


def test_the_study_in_words():
    # By hand from the article: P1, the drop-out, is "she" (Results, Perception of IPS); eight IPS principles,
    # four themes, seven of eight positive about the job search; P2, P3 and P4 had started a job by 12 months;
    # "spark" and "selling" are the two single words the article puts in quotation marks as quotations.
    words = Report.load().prose_words
    assert (words["dropout_subject"], words["dropout_possessive"], words["dropout_object"]) == ("she", "her", "her")
    assert words["n_ips_principles_words"] == "eight" and words["n_themes_words"] == "four"
    assert words["n_job_search_positive_words"] == "seven of eight"
    assert words["employed_participants"] == "P2, P3 and P4" and words["dropout_participants"] == "P1"
    assert words["single_word_quotes"] == '"spark" and "selling"'
    assert words["coreq_partly_reported"] == ("participant knowledge of the interviewer, interview guide and "
                                              "data and findings consistent")


@pytest.fixture(scope="module")
def synthetic_words(tmp_path_factory):
    report = Report.load(generate(tmp_path_factory.mktemp("synthetic") / "data", n=1000, seed=7))
    return report, report.prose_words


def test_another_cohort_gets_its_own_words(synthetic_words):
    report, words = synthetic_words
    dropouts = report.data["participants"]["dropped_out"].sum()
    assert (words["dropout_subject"] == "they") == (dropouts != 1)
    assert words["n_participants_words"] == "1,000"
