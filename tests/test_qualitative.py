"""The qualitative data and analysis.qualitative, checked against the article by hand."""

import pytest

from analysis import load_participants, qualitative, registry
from analysis.data import load_all, load_coreq, load_findings, load_quotes, load_subthemes, load_themes
from analysis.report import Report
from conftest import DATA, edit_csv

ARTICLE = (DATA / "source" / "article.txt").read_text(encoding="utf-8")

# COREQ items as listed by Tong, Sainsbury and Craig (2007).
COREQ = ["Interviewer or facilitator", "Credentials", "Occupation", "Gender", "Experience and training",
         "Relationship established", "Participant knowledge of the interviewer", "Interviewer characteristics",
         "Methodological orientation and theory", "Sampling", "Method of approach", "Sample size",
         "Non-participation", "Setting of data collection", "Presence of non-participants", "Description of sample",
         "Interview guide", "Repeat interviews", "Audio/visual recording", "Field notes", "Duration",
         "Data saturation", "Transcripts returned", "Number of data coders", "Description of the coding tree",
         "Derivation of themes", "Software", "Participant checking", "Quotations presented",
         "Data and findings consistent", "Clarity of major themes", "Clarity of minor themes"]


def test_every_quotation_is_verbatim_in_the_article():
    quotes = load_quotes()
    # Counted by hand in the Results section: 36 quotations of a sentence or phrase, plus the
    # single words "spark" (P8, mental function) and "selling" (P4, job search) printed in quotation marks.
    assert len(quotes) == 38
    assert qualitative.quotes_not_in(ARTICLE, quotes) == []


def test_the_verbatim_check_can_fail():
    quotes = load_quotes().head(1).assign(text="I felt nothing at all.")
    assert qualitative.quotes_not_in(ARTICLE, quotes) == ["Q01"]


def test_every_participant_id_is_known():
    known = set(load_participants()["participant"])
    assert set(load_quotes()["participant"]) <= known
    named = {p for cell in load_findings()["participants"].dropna() for p in cell.split(";")}
    assert named <= known


def test_unknown_participant_in_findings_is_refused(data_copy):
    edit_csv(data_copy / "qualitative" / "findings.csv", "challenge_education,challenge,lack of education,P2;P8",
             "challenge_education,challenge,lack of education,P2;P9")
    with pytest.raises(Exception, match="findings.csv, line .*participants.*P9"):
        load_findings(data_copy)


def test_unknown_subtheme_in_quotes_is_refused(data_copy):
    edit_csv(data_copy / "qualitative" / "quotes.csv", "Q36,job_search,challenges", "Q36,job_search,worries")
    # Q36, the last quotation printed, is on line 39: the header, then 38 quotations in the article's order
    with pytest.raises(Exception, match="quotes.csv, line 39, column 'subtheme': value 'worries'"):
        load_quotes(data_copy)


def test_themes_and_subthemes():
    assert list(load_themes()["title"]) == ["The overall experience of IPS",
                                           "Perception of IPS as part of the pain treatment",
                                           "Impact of IPS", "Experience of the job search process"]
    printed = load_subthemes().query("heading_in_article")["title"]
    assert list(printed) == ["Mental function", "Social function", "Physical function", "Negative impact",
                             "Possibilities and positive aspects", "Challenges"]


def test_quote_matrix():
    data = load_all()
    matrix = qualitative.quote_matrix(data["quotes"], data["participants"], data["themes"])
    # P2 is quoted 11 times (three on perception, five on impact, three on the job search); P5 never.
    assert matrix.loc["P2"].tolist() == [0, 3, 5, 3]
    assert matrix.loc["P5"].sum() == 0
    assert matrix.to_numpy().sum() == 38  # every quotation has a participant


def test_counts_as_printed():
    numbers = registry.build()
    # "All participants, apart from the drop-out" = 8 - 1; "Seven of eight"; "All except from one";
    # "Six of the eight"; six helpful aspects (Discussion) and seven challenges (Results).
    assert numbers["n_positive_experience"].value == 7
    assert numbers["n_job_search_positive"].value == 7
    assert numbers["n_education_challenge"].value == 7
    assert numbers["n_short_duration_challenge"].value == 6
    assert numbers["n_helpful_aspects"].value == 6 and numbers["n_challenges"].value == 7
    assert numbers["n_quoted_participants"].value == 7


def test_findings_quote_the_article():
    import re
    article = re.sub(r"\s+", " ", ARTICLE)
    findings = load_findings()
    for _, row in findings.iterrows():
        assert row["evidence"] in article, row["finding"]
        if row["count_printed"] != "(not attributed)":
            assert row["count_printed"] in row["evidence"], row["finding"]


def test_vague_quantifiers_have_no_count():
    findings = load_findings().set_index("finding")
    assert findings.loc["challenge_pain", "count_printed"] == "Several participants"
    # Counted by hand in findings.csv: 45 findings, of which six print a number ("All participants,
    # apart from the drop-out", "All participants, except for/from the drop-out (P1)" twice, "Seven of
    # eight", "All except from one", "Six of the eight"); the other 39 give a quantifier only.
    assert findings["count"].isna().sum() == 39
    with pytest.raises(ValueError):
        qualitative.finding_count(load_findings(), "challenge_pain")


def test_words():
    assert qualitative.count_of(7, 8) == "seven of eight"
    assert qualitative.in_words(6) == "six"
    assert qualitative.listing(["P2", "P3", "P4"]) == "P2, P3 and P4"
    assert qualitative.listing(["P5"]) == "P5" and qualitative.listing([]) == "none"


def test_chapter_counts_equal_the_data():
    glued = Report.load().prose_words
    assert glued["n_job_search_positive_words"] == "seven of eight"
    assert glued["n_short_duration_challenge_words"] == "six of eight"
    assert glued["employed_participants"] == "P2, P3 and P4"
    assert glued["unquoted_participants"] == "P5"
    assert glued["dropout_participants"] == "P1"


def test_participant_links_join_the_numbers():
    links = Report.load().participant_links()
    assert links.cell("P1", "Dropped out") == "yes" and links.cell("P1", "ODI") == "52"
    assert links.cell("P4", "ODI") == "–" and links.cell("P4", "Employed at last follow-up") == "yes"


def test_coreq_has_32_items():
    coreq = load_coreq()
    assert list(coreq["item"]) == list(range(1, 33))
    assert list(coreq["name"]) == COREQ
    # judged against the checklist's own questions: not 2-5 (credentials, occupation, gender, experience),
    # 6 (a relationship before the study), 8 (the interviewer's characteristics), 15, 18, 20, 23, 25, 27, 28;
    # in part 7 (what participants knew of the interviewer), 17 (no pilot test of the guide), 30 (E17, E20, E21)
    assert (coreq["status"] == "reported").sum() == 16
    assert list(coreq.loc[coreq["status"] == "partly reported", "item"]) == [7, 17, 30]
    import re
    norm = lambda s: re.sub(r"\s+", " ", s)
    for evidence in coreq["evidence"].dropna():
        assert norm(evidence) in norm(ARTICLE)


def test_normalise_folds_whitespace_and_typographic_marks():
    # curly quotes and apostrophes become straight ones, an ellipsis three dots, any run of spaces,
    # tabs and newlines one space, and the ends are trimmed
    assert qualitative.normalise(" “It’s  fine…”\n\t‘ok’ ") == "\"It's fine...\" 'ok'"


def test_findings_of_one_kind_name_who_the_article_names():
    # findings.csv, the six helpful aspects in the article's order: P3, none (a Discussion point not
    # attributed), P7, P4, P4 and P3
    helpful = qualitative.findings_of(load_findings(), "helpful_aspect")
    assert list(helpful.columns) == ["finding", "label", "named_participants", "n_named", "count_printed", "count"]
    assert list(helpful["named_participants"]) == ["P3", "–", "P7", "P4", "P4", "P3"]
    assert list(helpful["n_named"]) == [1, 0, 1, 1, 1, 1]
    # the seven challenges: two participants named for four of them ("P2;P8" in the file)
    challenges = qualitative.findings_of(load_findings(), "challenge")
    assert list(challenges["named_participants"]) == ["P2, P8", "P2, P7", "P3", "P2", "P1, P3", "P6, P8", "P2"]
    assert list(challenges["n_named"]) == [2, 2, 1, 1, 2, 2, 1]
    assert challenges["count_printed"].iloc[0] == "All except from one of the participants"
    assert challenges["count"].iloc[0] == 7 and challenges["count"].iloc[-1] == 6


def test_participant_links_name_the_themes_each_is_quoted_under():
    # quotes.csv by hand: P1 is quoted under themes 1 and 4, P2 under 2, 3 and 4 (11 quotations),
    # P3 1 and 4, P4 1, 3 and 4, P5 never, P6 and P7 only under 4, P8 under 2, 3 and 4 (10 quotations)
    from analysis.employment import apply_readings, employment_status

    data = load_all()
    status = employment_status(apply_readings(data["ips_timeline"], data["errata"]), [3, 12])
    links = qualitative.participant_links(data["participants"], data["clinical"], status, data["quotes"],
                                          data["themes"], 1.75)
    assert list(links["themes_quoted"]) == ["1, 4", "2, 3, 4", "1, 4", "1, 3, 4", "–", "4", "4", "2, 3, 4"]
    assert list(links["quotations"]) == [2, 11, 5, 7, 0, 1, 2, 10]
    # Table 1's HSCL-25 totals at or above the 1.75 caseness cut-off: all but P5 (1.4) and P8 (1.7)
    assert list(links.index[links["hscl_case"]]) == ["P1", "P2", "P3", "P4", "P6", "P7"]
    # employed at the last follow-up (12 months), not the first: P2, P3 and P4 (Table 2)
    assert list(links.index[links["employed_12m"]]) == ["P2", "P3", "P4"]


def test_a_finding_with_only_a_quantifier_has_no_count():
    findings = load_findings()
    without = findings[findings["count"].isna()]["finding"].iloc[0]
    with pytest.raises(ValueError, match=f"^the article gives no count for finding '{without}'$"):
        qualitative.finding_count(findings, without)


def test_a_total_at_the_cut_off_is_a_case():
    # Caseness is a mean item score of 1.75 or more (Strand et al.): 1.75 is a case, 1.74 is not.
    from analysis import employment

    data = load_all()
    status = employment.employment_status(data["ips_timeline"], [0, 3, 6, 12])
    clinical = data["clinical"].copy()
    clinical.loc[clinical["participant"] == "P1", "hscl_total"] = 1.75
    clinical.loc[clinical["participant"] == "P2", "hscl_total"] = 1.74
    links = qualitative.participant_links(data["participants"], clinical, status, data["quotes"], data["themes"], 1.75)
    assert bool(links.loc["P1", "hscl_case"]) and not bool(links.loc["P2", "hscl_case"])
    # every participant once, with the theme numbers they are quoted under ("–" for none: P5)
    assert list(links.index) == [f"P{i}" for i in range(1, 9)] and links.loc["P5", "themes_quoted"] == "–"


def test_the_quote_matrix_counts_in_whole_numbers():
    data = load_all()
    matrix = qualitative.quote_matrix(data["quotes"], data["participants"], data["themes"])
    assert (matrix.dtypes.map(lambda d: d.kind) == "i").all() and int(matrix.to_numpy().sum()) == 38
