"""The data package equals the article, and bad files fail with a clear error.

Expected values are typed here from the article (Tables 1 and 2 of Rødevand et
al. 2017), not read back from the CSV files.
"""

import csv
import json
import math
import re

import pandas as pd
import pytest

from analysis import (
    DataValidationError,
    load_all,
    load_clinical,
    load_errata,
    load_participants,
    load_sample,
    load_timeline,
)
from conftest import DATA, edit_csv

NA = None
# Table 1 as printed, decimal commas read as points. P4's row prints five values
# for seven columns; erratum E01 places them as pain intensity and bothersomeness.
TABLE_1 = {
    "P1": (52, 8, 8, 28, 2.0, 1.8, 1.6),
    "P2": (34, 8, 8, 79, 2.4, 2.6, 2.3),
    "P3": (40, 5, 7, 55, 2.5, 1.7, 3.2),
    "P4": (NA, 4, 4, NA, 1.8, 2.0, 1.6),
    "P5": (14, 8, 7, 51, 1.4, 1.3, 1.1),
    "P6": (48, 8, 10, 30, 2.7, 2.7, 2.6),
    "P7": (70, 8, 9, 4, 3.1, 2.8, 3.7),
    "P8": (14, 5, 6, 50, 1.7, 1.3, 1.7),
}
TABLE_1_COLUMNS = ["odi", "pain_intensity", "pain_bothersomeness", "health_thermometer",
                   "hscl_total", "hscl_anxiety", "hscl_depression"]

# Table 2 as printed (DD.MM.YYYY in the article), P6's impossible end date included.
TABLE_2 = {
    "P1": ("2015-04-17", "2015-05-08", NA, 0.7, False),
    "P2": ("2015-04-24", "2015-07-17", "2015-09-09", 4.6, False),
    "P3": ("2015-04-27", "2016-04-17", "2016-01-11", 8.6, False),
    "P4": ("2015-05-11", "2016-04-17", "2016-04-25", 9.5, True),
    "P5": ("2015-06-03", "2015-07-17", NA, 0.8, True),
    "P6": ("2015-06-09", "2015-04-17", NA, 9.2, True),
    "P7": ("2015-06-10", "2016-04-17", NA, 9.4, True),
    "P8": ("2015-06-17", "2015-07-17", NA, 1.0, False),
}


def _same(actual, expected):
    if expected is None:
        return pd.isna(actual)
    return not pd.isna(actual) and math.isclose(float(actual), float(expected))


def test_table_1_equals_the_article():
    clinical = load_clinical().set_index("participant")
    assert list(clinical.columns) == TABLE_1_COLUMNS
    assert list(clinical.index) == list(TABLE_1)
    for participant, values in TABLE_1.items():
        for column, expected in zip(TABLE_1_COLUMNS, values):
            actual = clinical.loc[participant, column]
            assert _same(actual, expected), (participant, column, actual, expected)


def test_missing_values_are_missing_not_zero():
    clinical = load_clinical().set_index("participant")
    assert clinical.isna().sum().sum() == 2
    assert pd.isna(clinical.loc["P4", "odi"]) and pd.isna(clinical.loc["P4", "health_thermometer"])


def test_table_2_equals_the_article():
    timeline = load_timeline().set_index("participant")
    assert list(timeline.index) == list(TABLE_2)
    for participant, (start, end, job, months, asterisk) in TABLE_2.items():
        row = timeline.loc[participant]
        assert row["ips_start"] == pd.Timestamp(start)
        assert row["ips_end"] == pd.Timestamp(end)
        assert pd.isna(row["job_start"]) if job is None else row["job_start"] == pd.Timestamp(job)
        assert math.isclose(row["ips_months_reported"], months)
        assert bool(row["marked_asterisk"]) is asterisk


def test_extended_followup_group_is_the_april_2016_terminations():
    # Methods: four had 9 more months; Table 2: P3, P4, P7 end 17.04.2016 and
    # P6 does too when its misprinted year is read as 2016 (erratum E02).
    timeline = load_timeline().set_index("participant")
    assert sorted(timeline.index[timeline["extended_followup"]]) == ["P3", "P4", "P6", "P7"]


def test_sample_facts():
    sample = load_sample()["value"]
    expected = {"invited": 8, "declined": 0, "included": 8, "men": 4, "women": 4, "age_min": 22,
                "age_max": 51, "dropouts": 1, "interview_minutes_min": 13, "interview_minutes_max": 33,
                "interview_minutes_mean": 22, "interview_minutes_sd": 9, "pain_duration_min": 2,
                "pain_duration_max": 16, "out_of_work_min": 2, "out_of_work_max": 16,
                "extended_followup_methods": 4, "extended_followup_discussion": 3}
    for key, value in expected.items():
        assert sample[key] == value, key


def test_dropout_is_p1():
    participants = load_participants().set_index("participant")
    assert list(participants.index[participants["dropped_out"]]) == ["P1"]


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_quoted_sentence_is_in_the_article():
    article = _normalised((DATA / "source" / "article.txt").read_text(encoding="utf-8"))
    quotes = list(load_sample()["quote"])
    participants = load_participants()
    quotes += [q for c in ("sex_evidence", "dropout_evidence") for q in participants[c].dropna()]
    quotes += list(load_all()["themes"]["description"])
    assert len(quotes) > 25
    for quote in quotes:
        assert _normalised(quote) in article, quote


def test_every_file_in_the_schema_matches_it():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert names == set(load_all())
    listed = {r["path"] for r in package["resources"]}
    on_disk = {str(p.relative_to(DATA)) for p in DATA.rglob("*.csv")}
    assert listed == on_disk
    for res in package["resources"]:
        with (DATA / res["path"]).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in res["schema"]["fields"]], res["name"]
        for field in res["schema"]["fields"]:
            assert field.get("description"), (res["name"], field["name"])


def test_ranges_in_the_schema():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    clinical = next(r for r in package["resources"] if r["name"] == "clinical")
    bounds = {f["name"]: (f["constraints"]["minimum"], f["constraints"]["maximum"])
              for f in clinical["schema"]["fields"] if "constraints" in f and "minimum" in f["constraints"]}
    assert bounds == {"odi": (0, 100), "pain_intensity": (0, 10), "pain_bothersomeness": (0, 10),
                      "health_thermometer": (0, 100), "hscl_total": (1, 4), "hscl_anxiety": (1, 4),
                      "hscl_depression": (1, 4)}


def test_references_hold_the_articles_47():
    bib = (DATA / "references.bib").read_text(encoding="utf-8")
    numbers = sorted(int(n) for n in re.findall(r"articleref = \{(\d+)\}", bib))
    assert numbers == list(range(1, 48))


def test_literature_cites_only_known_keys():
    bib = (DATA / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M))
    literature = load_all()["literature"]
    for cited in literature["citation"]:
        assert set(cited.split(";")) <= keys, cited


def test_errata_cover_the_known_problems():
    errata = load_errata().set_index("id")
    assert errata.loc["E01", "participant"] == "P4"
    assert errata.loc["E02", "reading_value"] == "2016-04-17"
    assert len(errata) >= 12


def test_errata_quote_the_article_verbatim():
    # Every phrase an erratum puts in double quotes is the article's; "..." marks a cut.
    article = _normalised((DATA / "source" / "article.txt").read_text(encoding="utf-8")).lower()
    for _, erratum in load_errata().iterrows():
        for column in ("issue", "reading"):
            for phrase in re.findall(r'"([^"]+)"', erratum[column]):
                for piece in filter(None, (p.strip() for p in phrase.split("..."))):
                    assert _normalised(piece).lower() in article, (erratum["id"], piece)


# --- bad input -------------------------------------------------------------

def _error(loader, directory) -> str:
    with pytest.raises(DataValidationError) as caught:
        loader(directory)
    return str(caught.value)


def test_missing_column(data_copy):
    path = data_copy / "clinical.csv"
    text = path.read_text().splitlines()
    path.write_text("\n".join(",".join(line.split(",")[:-1]) for line in text) + "\n")
    message = _error(load_clinical, data_copy)
    assert "clinical.csv" in message and "line 1" in message
    assert "'hscl_depression'" in message and "missing from the header" in message


def test_extra_column(data_copy):
    path = data_copy / "clinical.csv"
    text = path.read_text().splitlines()
    path.write_text("\n".join([text[0] + ",age"] + [line + ",30" for line in text[1:]]) + "\n")
    message = _error(load_clinical, data_copy)
    assert "column 'age'" in message and "extra column" in message


def test_wrong_type(data_copy):
    edit_csv(data_copy / "clinical.csv", "P2,34,", "P2,34a,")
    message = _error(load_clinical, data_copy)
    assert "clinical.csv, line 3, column 'odi': value '34a': is not an integer" in message


def test_decimal_comma_is_refused_not_coerced(data_copy):
    edit_csv(data_copy / "clinical.csv", "P5,14,8,7,51,1.4,", 'P5,14,8,7,51,"1,4",')
    message = _error(load_clinical, data_copy)
    assert "line 6, column 'hscl_total': value '1,4'" in message


def test_value_out_of_range(data_copy):
    edit_csv(data_copy / "clinical.csv", "P7,70,", "P7,170,")
    message = _error(load_clinical, data_copy)
    assert "line 8, column 'odi': value '170': is above the maximum 100" in message


def test_unparseable_date(data_copy):
    edit_csv(data_copy / "ips_timeline.csv", "P3,2015-04-27", "P3,27.04.2015")
    message = _error(load_timeline, data_copy)
    assert "ips_timeline.csv, line 4, column 'ips_start': value '27.04.2015': is not a date" in message


def test_impossible_date(data_copy):
    edit_csv(data_copy / "ips_timeline.csv", "P3,2015-04-27", "P3,2015-02-30")
    assert "value '2015-02-30': is not a date" in _error(load_timeline, data_copy)


def test_duplicate_participant(data_copy):
    edit_csv(data_copy / "clinical.csv", "P8,14,", "P7,14,")
    message = _error(load_clinical, data_copy)
    assert "line 9, column 'participant': value 'P7': duplicates line 8" in message


def test_unknown_participant(data_copy):
    edit_csv(data_copy / "clinical.csv", "P8,14,", "P9,14,")
    message = _error(load_clinical, data_copy)
    assert "line 9, column 'participant': value 'P9': is not a known participant" in message


def test_end_before_start_without_erratum(data_copy):
    edit_csv(data_copy / "ips_timeline.csv", "P7,2015-06-10,2016-04-17", "P7,2015-06-10,2015-04-17")
    message = _error(load_timeline, data_copy)
    assert "line 8, column 'ips_end': value '2015-04-17': is before ips_start 2015-06-10" in message
    assert "no erratum" in message


def test_end_before_start_needs_its_erratum(data_copy):
    # P6's printed end date loads only because erratum E02 records it.
    edit_csv(data_copy / "errata.csv", "E02,inconsistency,Table 2,ips_timeline.csv,P6,ips_end,",
             "E02,inconsistency,Table 2,ips_timeline.csv,P6,,")
    assert "line 7, column 'ips_end'" in _error(load_timeline, data_copy)


def test_required_value_missing(data_copy):
    edit_csv(data_copy / "ips_timeline.csv", "P1,2015-04-17,", "P1,,")
    assert "column 'ips_start': value '': is missing but the field is required" in _error(load_timeline, data_copy)


def test_missing_file(data_copy):
    (data_copy / "clinical.csv").unlink()
    assert "clinical.csv: file not found" in _error(load_clinical, data_copy)


def test_every_fault_is_listed(data_copy):
    edit_csv(data_copy / "clinical.csv", "P7,70,", "P7,170,")
    edit_csv(data_copy / "clinical.csv", "P8,14,", "P8,-1,")
    with pytest.raises(DataValidationError) as caught:
        load_clinical(data_copy)
    assert len(caught.value.faults) == 2
    assert "and 1 more" in str(caught.value)


def test_data_readme_dictionary_is_current():
    from analysis.dictionary import BEGIN, END, markdown

    readme = (DATA / "README.md").read_text(encoding="utf-8")
    generated = readme.split(BEGIN, 1)[1].split(END, 1)[0]
    assert generated.strip() == markdown(DATA).strip(), "run: python -m analysis dictionary --write"


def test_a_long_list_of_faults_is_cut(data_copy):
    path = data_copy / "clinical.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0]] + [line.replace(",", ",170,", 1).replace(",170,", ",170", 1) for line in lines[1:]]) + "\n")
    with pytest.raises(DataValidationError) as caught:
        load_clinical(data_copy)
    message = str(caught.value)
    total = len(caught.value.faults)
    assert total > 6
    assert f"(and {total - 1} more:" in message and f"; and {total - 5} more)" in message
    assert message.count("clinical.csv") == 5
