"""analysis.verification, and that nbval and the verification appendix catch a changed number."""

import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis import load_all, registry, verification
from analysis.paths import DATA_ENV, PROJECT_ROOT
from conftest import edit_csv


def test_printed_decimals():
    assert verification.printed_decimals("38%", "proportion") == 2
    assert verification.printed_decimals("2,0", "mean item score") == 1
    assert verification.printed_decimals("3 of the 8", "participants") == 0
    assert verification.printed_decimals("9.5*", "months") == 1


def _table(directory=None):
    data = load_all(directory)
    return verification.verify(data["published_numbers"], registry.build(data=data), data).set_index("id")


def test_the_article_is_reproduced_except_where_errata_say():
    table = _table()
    assert table.loc["results_employment_rate", "status"] == "reproduced"  # 3/8 = 37.5% prints as 38%
    assert table.loc["table1_P7_odi", "status"] == "reproduced"
    differs = table[table["status"] == "differs"]
    # three vs four (E05); "employed after 6 ... months" while by Table 2 nobody of the extended group had a job
    # by 6 months: P2, employed by then, ended IPS on 17.07.2015 and was not in that group (E06)
    assert list(differs.index) == ["discussion_extended_n", "discussion_employed_after_months_6"]
    assert "E05" in differs.loc["discussion_extended_n", "explanation"]
    assert (differs.loc["discussion_employed_after_months_6", ["printed_value", "recomputed"]] == [6, 12]).all()
    assert "E06" in differs.loc["discussion_employed_after_months_6", "explanation"]
    assert (table.loc[table["status"] == "not computable", "explanation"] != "").all()


def test_a_changed_value_is_caught(data_copy):
    edit_csv(data_copy / "clinical.csv", "P7,70,", "P7,71,")
    table = _table(data_copy)
    assert table.loc["table1_P7_odi", "status"] == "differs"
    assert "No erratum" in table.loc["table1_P7_odi", "explanation"]


@pytest.mark.slow
def test_nbval_fails_when_a_reported_number_changes(data_copy):
    # Moving P2's job start before the 3-month follow-up changes the employment counts.
    edit_csv(data_copy / "ips_timeline.csv", "P2,2015-04-24,2015-07-17,2015-09-09", "P2,2015-04-24,2015-07-17,2015-06-09")
    table = _table(data_copy)
    assert table.loc["results_employed_3m", "status"] == "differs"
    env = os.environ | {DATA_ENV: str(data_copy)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                          "record/employment-outcomes.ipynb"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout[-2000:]
    assert "n_employed_3m" in run.stdout


def _rows(*statuses):
    return pd.DataFrame({"id": [f"n{i}" for i in range(len(statuses))], "status": list(statuses)})


def test_reviewers_read_differences_first_then_inconsistent_not_computable_and_reproduced():
    table = _rows("reproduced", "not computable", "differs", "reproduced", "inconsistent", "differs")
    ordered = verification.for_reviewers(table)
    assert list(ordered["status"]) == ["differs", "differs", "inconsistent", "not computable", "reproduced", "reproduced"]
    assert list(ordered["id"]) == ["n2", "n5", "n4", "n1", "n0", "n3"]  # the published order within a status
    assert list(ordered.index) == [0, 1, 2, 3, 4, 5] and list(ordered.columns) == ["id", "status"]


def test_the_reviewers_order_keeps_the_published_order_in_a_long_table():
    # 60 rows, four statuses in turn: within a status the rows stay in the order of the file
    # (n1, n5, n9 ... for "differs"), which a sort that is not stable does not keep for this many rows
    table = _rows(*["reproduced", "differs", "not computable", "inconsistent"] * 15)
    ordered = verification.for_reviewers(table)
    assert list(ordered["id"][:15]) == [f"n{i}" for i in range(1, 60, 4)]
    assert list(ordered["id"][45:]) == [f"n{i}" for i in range(0, 60, 4)]


def _summary(differs):
    # 10 printed numbers: 2 not computable, so 8 compared, of which 4 recomputed, 3 transcribed, 1 inferred
    return {"n_published": 10, "n_reproduced": 7 - differs, "n_differs": differs, "n_inconsistent": 1,
            "n_not_computable": 2, "n_basis_recomputed": 4, "n_basis_transcribed": 3, "n_basis_inferred": 1}


def test_the_summary_says_each_count_once_with_its_verb():
    text = verification.summary_text(_summary(1))
    assert text.startswith("6 of 10 numbers the article prints about its own study are reproduced, 1 differs, 1 match")
    assert "2 cannot be computed from the published data. Of the 8 compared, 4 were recomputed" in text
    assert text.endswith("3 checked against another transcription only, and 1 rest on an erratum's reading.")
    assert ", 2 differ, " in verification.summary_text(_summary(2))


def test_records_are_plain_json_values():
    import datetime as dt
    import json

    table = pd.DataFrame([
        {"id": "a", "location": "Table 2", "anchor": "p1", "printed": "17.04.2016", "printed_value": dt.date(2016, 4, 17),
         "recomputed": dt.date(2016, 4, 17), "tolerance": None, "status": "reproduced", "basis": "transcribed",
         "explanation": ""},
        {"id": "b", "location": "Results", "anchor": "p2", "printed": "38%", "printed_value": 0.38,
         "recomputed": float("nan"), "tolerance": 0.005, "status": "not computable", "basis": "none",
         "explanation": "why"},
    ])
    records = verification.as_records(table)
    assert records[0] == {"key": "a", "printed": "17.04.2016", "printed_value": "2016-04-17", "recomputed": "2016-04-17",
                          "tolerance": None, "status": "reproduced", "basis": "transcribed", "anchor": "p1",
                          "location": "Table 2", "explanation": ""}
    assert (records[1]["printed_value"], records[1]["recomputed"], records[1]["tolerance"]) == (0.38, None, 0.005)
    json.dumps(records, allow_nan=False)  # no NaN, no dates left


def _full_table():
    from analysis import audit
    from analysis.employment import apply_readings

    data = load_all()
    checks = audit.run_all(data, apply_readings(data["ips_timeline"], data["errata"]), [0, 3, 6, 12])
    return verification.verify(data["published_numbers"], registry.build(data=data), data,
                               audit.inconsistent_cells(checks)).set_index("id")


def test_each_explanation_says_what_a_reviewer_needs_in_the_words_shown():
    table = _full_table()
    # P3's printed 2,5 is transcribed exactly, but its subscales allow only 2.6 (the audit, E07); no note
    assert table.loc["table1_P3_hscl_total", ["status", "explanation"]].tolist() == [
        "inconsistent", "The transcription matches, but the data audit finds the printed value inconsistent with "
        "the article's other numbers (erratum E07)."]
    # 38% under the reading of E18, after the row's own note
    assert table.loc["results_employment_rate", "explanation"] == (
        "Printed as a whole percent; compared after rounding to that precision. Rests on the reading of erratum E18.")
    assert table.loc["abstract_employed_12m", "explanation"] == "Rests on the reading of erratum E18."
    # P4's row: the note already names E01, so the reading is not said twice
    assert table.loc["table1_P4_pain_intensity", "explanation"] == "Column placement under erratum E01."
    # not computable: the row's note, or what is missing
    assert table.loc["methods_analysts", ["status", "explanation"]].tolist() == [
        "not computable", "About the research team, not the data."]
    # half a unit of the last printed digit: a whole percent of a proportion, one decimal, a whole count
    assert table.loc["results_employment_rate", "tolerance"] == pytest.approx(0.005)
    assert table.loc["table1_P3_hscl_total", "tolerance"] == pytest.approx(0.05)
    assert table.loc["abstract_employed_12m", "tolerance"] == pytest.approx(0.5)
    assert pd.isna(table.loc["methods_analysts", "tolerance"])


def test_a_number_no_quantity_names_and_no_note_explains():
    data = load_all()
    published = data["published_numbers"]
    row = published[published["id"] == "methods_analysts"].copy()
    row["note"] = pd.NA
    missing = row.assign(id="x_missing", registry_key="n_nowhere")
    table = verification.verify(pd.concat([row, missing]), registry.build(data=data), data).set_index("id")
    assert table.loc["methods_analysts", "explanation"] == "no quantity named"
    assert table.loc["x_missing", "explanation"] == "'n_nowhere' is not computed by the report yet"
    assert (table["status"] == "not computable").all()


def test_a_value_just_outside_half_a_unit_differs():
    # 2,4 printed (P2): 2.35 to 2.45 reproduce it (half of the last digit, 0.05, each side); 2.34 and 2.46 do not
    data = load_all()
    published = data["published_numbers"]
    row = published[published["id"] == "table1_P2_hscl_total"]
    numbers = registry.build(data=data)
    clinical = data["clinical"].copy()
    for total, status in ((2.45, "reproduced"), (2.35, "reproduced"), (2.46, "differs"), (2.34, "differs")):
        clinical.loc[clinical["participant"] == "P2", "hscl_total"] = total
        table = verification.verify(row, numbers, data | {"clinical": clinical})
        assert table["status"].iloc[0] == status, total


def test_a_difference_no_erratum_explains_says_so():
    data = load_all()
    published = data["published_numbers"]
    row = published[published["id"] == "table1_P2_hscl_total"]
    noted = row.assign(id="noted", note="Transcribed from Table 1.")
    clinical = data["clinical"].copy()
    clinical.loc[clinical["participant"] == "P2", "hscl_total"] = 2.9  # printed 2,4
    table = verification.verify(pd.concat([row, noted]), registry.build(data=data),
                                data | {"clinical": clinical}).set_index("id")
    assert list(table["status"]) == ["differs", "differs"]
    assert table.loc["table1_P2_hscl_total", "explanation"] == "No erratum explains this difference."
    assert table.loc["noted", "explanation"] == "Transcribed from Table 1. No erratum explains this difference."
    assert list(table.reset_index().columns) == ["id", "location", "anchor", "printed", "printed_value", "recomputed",
                                                "tolerance", "status", "basis", "explanation"]


def test_the_summary_counts_a_status_no_number_has_as_none():
    table = pd.DataFrame({"status": ["reproduced"], "basis": ["recomputed"], "explanation": [""]})
    assert verification.summary(table) == {
        "n_published": 1, "n_reproduced": 1, "n_inconsistent": 0, "n_differs_explained": 0, "n_differs": 0,
        "n_not_computable": 0, "n_basis_recomputed": 1, "n_basis_transcribed": 0, "n_basis_inferred": 0}
    none = pd.DataFrame({"status": ["differs"], "basis": ["transcribed"], "explanation": ["See erratum E05."]})
    assert verification.summary(none) == {
        "n_published": 1, "n_reproduced": 0, "n_inconsistent": 0, "n_differs_explained": 1, "n_differs": 1,
        "n_not_computable": 0, "n_basis_recomputed": 0, "n_basis_transcribed": 1, "n_basis_inferred": 0}


def test_a_whole_percent_of_a_percentage_has_no_decimals():
    # a proportion printed "38%" is compared to two decimals (0.38); a value in percent printed "38%" to none
    assert verification.printed_decimals("38%", "percent") == 0


def test_a_reproduced_number_needs_no_explanation_and_a_note_comes_first():
    table = _full_table()
    # P2's 2,4 is reproduced, with no note, no reading and no erratum: nothing to explain
    assert table.loc["table1_P2_hscl_total", ["status", "explanation"]].tolist() == ["reproduced", ""]
    data = load_all()
    published = data["published_numbers"]
    row = published[published["id"] == "table1_P3_hscl_total"].assign(note="As printed.")
    noted = verification.verify(row, registry.build(data=data), data, {"clinical:P3:hscl_total": "E07"}).iloc[0]
    assert noted["explanation"] == ("As printed. The transcription matches, but the data audit finds the printed value "
                                    "inconsistent with the article's other numbers (erratum E07).")
