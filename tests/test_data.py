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
from analysis import article as article_module
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



#: The article's sections, as its headings name them (the abstract's and the main text's).
SECTIONS = {"Abstract", "Background", "Methods", "Results", "Discussion", "Conclusion", "Conclusions",
            "Abbreviations", "Acknowledgements", "Funding", "Ethics approval and consent to participate",
            "Competing interests"}
#: "We identified four main themes from the interviews" (the Results).
N_THEMES = 4
_PLACE = re.compile(r"^(?:Tables? \d+|References? \d+(?:[–-]\d+)?(?:,? (?:and )?\d+)*"
                    r"|(?P<section>[A-Z][^:]+)(?:: (?P<sub>.+))?)$")


def _location_problem(part: str, headings: list[tuple[int, str]]) -> str | None:
    """Why one place an erratum names is not a place of the article, or None."""
    found = _PLACE.match(part)
    if not found:
        return "neither a section, a table nor a reference"
    section, sub = found.group("section"), found.group("sub")
    if section is None:
        return None
    starts = [n for n, text in headings if text.split(":")[0] == section]
    if section not in SECTIONS or not starts:
        return f"{section!r} is not a section of the article"
    if sub is None:
        return None
    themes = re.fullmatch(r"themes? (\d)(?: and (\d))?", sub)
    if themes:
        numbers = [int(n) for n in themes.groups() if n]
        return None if section == "Results" and all(1 <= n <= N_THEMES for n in numbers) else "no such theme"
    start = starts[-1]  # the main text's, after the abstract's
    # the next section's heading ends it ("Abbreviations", a list printed inside the Methods, does not)
    end = min([n for n, text in headings if n > start and text.split(":")[0] in SECTIONS - {"Abbreviations"}]
              or [10 ** 6])
    within = [text.casefold() for n, text in headings if start < n < end]
    return None if any(sub.casefold() in text for text in within) else f"{sub!r} is no heading under {section}"


def test_errata_locations_name_places_of_the_article():
    # Every place an erratum's location names is a heading of the article (a section, or one
    # of its subheadings, in the article's words), a theme of the Results, a table or a reference.
    headings = [(b.number, b.text.strip()) for b in article_module.blocks() if b.kind == "heading"]
    problems = [(erratum["id"], part, why) for _, erratum in load_errata().iterrows()
                for part in (p.strip() for p in erratum["location"].split(";"))
                if (why := _location_problem(part, headings))]
    assert not problems, problems


def test_a_location_the_article_does_not_have_is_found():
    headings = [(b.number, b.text.strip()) for b in article_module.blocks() if b.kind == "heading"]
    assert _location_problem("Methods: Participants and recruitment", headings) == \
        "'Participants and recruitment' is no heading under Methods"
    assert _location_problem("Methods: Limitations", headings) == "'Limitations' is no heading under Methods"
    assert _location_problem("Results: themes 2 and 5", headings) == "no such theme"
    assert _location_problem("Appendix", headings) == "'Appendix' is not a section of the article"
    assert _location_problem("Discussion: Limitations", headings) is None
    assert _location_problem("Methods: Instruments and measurements", headings) is None
    assert _location_problem("Reference 27", headings) is None

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


# --- hostile files: every malformation is one DataValidationError naming the file

def _descriptor(data_copy):
    return json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))


def _write_descriptor(data_copy, package):
    (data_copy / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")


def _resource_of(package, name):
    return next(r for r in package["resources"] if r["name"] == name)


def test_descriptor_that_is_not_json(data_copy):
    path = data_copy / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"resources": [', '"resources": [,', 1), encoding="utf-8")
    # '  "resources": [' is line 18 of the descriptor; the comma after it is column 17.
    assert _error(load_all, data_copy).endswith("datapackage.json, line 18: is not valid JSON: Expecting value (column 17)")


def test_descriptor_that_is_not_an_object(data_copy):
    (data_copy / "datapackage.json").write_text("[]\n", encoding="utf-8")
    assert _error(load_all, data_copy).endswith("datapackage.json: is not a JSON object (a data package descriptor)")


def test_descriptor_without_resources(data_copy):
    package = _descriptor(data_copy)
    del package["resources"]
    _write_descriptor(data_copy, package)
    assert "datapackage.json: has no 'resources' (a non-empty list)" in _error(load_all, data_copy)


def test_resource_without_schema(data_copy):
    package = _descriptor(data_copy)
    del _resource_of(package, "clinical")["schema"]
    _write_descriptor(data_copy, package)
    assert "datapackage.json: resource 2 ('clinical'): has no 'schema' (an object)" in _error(load_all, data_copy)


def test_schema_without_fields(data_copy):
    package = _descriptor(data_copy)
    _resource_of(package, "followups")["schema"]["fields"] = []
    _write_descriptor(data_copy, package)
    assert "resource 6 ('followups'): schema has no 'fields' (a non-empty list)" in _error(load_all, data_copy)


def test_field_without_type(data_copy):
    package = _descriptor(data_copy)
    del _resource_of(package, "clinical")["schema"]["fields"][1]["type"]
    _write_descriptor(data_copy, package)
    message = _error(load_clinical, data_copy)
    assert message == ("invalid data: " + str(data_copy / "datapackage.json") + ": resource 2 ('clinical'), "
                       "field 2 ('odi'): has no 'type' (one of string, integer, number, date, boolean)")


def test_descriptor_asking_for_what_the_validator_cannot_check(data_copy):
    package = _descriptor(data_copy)
    clinical = _resource_of(package, "clinical")
    clinical["dialect"] = {"delimiter": ";"}
    clinical["schema"]["fields"][0]["constraints"]["maxLength"] = 3
    clinical["schema"]["fields"][1]["constraints"]["minimum"] = "0"
    clinical["schema"]["fields"][0]["constraints"]["pattern"] = "P[0-9"
    _write_descriptor(data_copy, package)
    with pytest.raises(DataValidationError) as caught:
        load_clinical(data_copy)
    rules = [fault.rule for fault in caught.value.faults]
    assert rules == [
        "resource 2 ('clinical'): 'dialect' is not supported by the validator",
        "resource 2 ('clinical'), field 1 ('participant'): constraint 'pattern' 'P[0-9' is not a regular expression",
        "resource 2 ('clinical'), field 1 ('participant'): constraint 'maxLength' is not supported by the validator",
        "resource 2 ('clinical'), field 2 ('odi'): constraint 'minimum' must be a number on an integer or number field",
    ]


def test_resource_path_must_stay_inside_the_data_directory(data_copy):
    package = _descriptor(data_copy)
    _resource_of(package, "clinical")["path"] = "../clinical.csv"
    _write_descriptor(data_copy, package)
    assert ("resource 2 ('clinical'): 'path' '../clinical.csv' is not a relative path inside the data directory"
            in _error(load_all, data_copy))


def test_missing_resource_the_analysis_reads(data_copy):
    package = _descriptor(data_copy)
    package["resources"] = [r for r in package["resources"] if r["name"] != "coreq"]
    _write_descriptor(data_copy, package)
    assert _error(load_all, data_copy).endswith("datapackage.json: has no resource 'coreq', which the analysis reads")


def test_foreign_keys_in_a_cycle_are_refused(data_copy):
    package = _descriptor(data_copy)
    _resource_of(package, "participants")["schema"]["foreignKeys"] = [
        {"fields": "participant", "reference": {"resource": "clinical", "fields": "participant"}}]
    _write_descriptor(data_copy, package)
    assert "datapackage.json: foreign keys form a cycle: participants -> clinical -> participants" in _error(
        load_participants, data_copy)


def test_latin_1_file(data_copy):
    edit_csv(data_copy / "participants.csv", "No pronoun is used for P3.", "No pronoun is used for P3 (Rødevand).")
    path = data_copy / "participants.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    # P3 is on line 4; Latin-1 writes ø as the single byte 0xf8, never valid in UTF-8.
    assert _error(load_participants, data_copy).endswith(
        "participants.csv, line 4: is not UTF-8 text (byte 0xf8 cannot be decoded); save the file as UTF-8")


def test_binary_file(data_copy):
    (data_copy / "followups.csv").write_bytes(b"month,label\n0,baseline\n\x89PNG\x00\x00\x00\rIHDR")
    assert _error(load_all, data_copy).endswith(
        "followups.csv, line 3: contains a NUL byte: binary data or UTF-16, not UTF-8 text")


def test_utf_16_file(data_copy):
    path = data_copy / "followups.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert "followups.csv, line 1: contains a NUL byte" in _error(load_all, data_copy)


def test_header_without_rows(data_copy):
    (data_copy / "clinical.csv").write_text(",".join(TABLE_1_COLUMNS).join(["participant,", "\n"]), encoding="utf-8")
    assert _error(load_clinical, data_copy).endswith(
        "clinical.csv, line 1: has a header but no rows; the table needs at least one")


def test_errata_may_be_empty(data_copy):
    # A dataset may have no errata (the synthetic cohort has none); P6's printed
    # end date then has no erratum, so the timeline is refused, naming it.
    path = data_copy / "errata.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    errata = load_errata(data_copy)
    assert len(errata) == 0 and errata["id"].dtype == "string"
    assert "ips_timeline.csv, line 7, column 'ips_end': value '2015-04-17': is before ips_start" in _error(
        load_timeline, data_copy)


def test_byte_order_mark_and_crlf_load(data_copy):
    for name in ("clinical.csv", "participants.csv", "qualitative/quotes.csv"):
        path = data_copy / name
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    loaded, original = load_all(data_copy), load_all()
    for name in original:
        pd.testing.assert_frame_equal(loaded[name], original[name])
    assert list(loaded["clinical"].columns)[0] == "participant"


def test_quoted_newlines_keep_line_numbers(data_copy):
    # A quoted cell may span lines; a fault after it names the line it is on in the file.
    edit_csv(data_copy / "participants.csv", "No pronoun is used for P3.", '"No pronoun\nis used\nfor P3."')
    edit_csv(data_copy / "participants.csv", "P5,", "P5 ,")
    # P5 was on line 6; the two line breaks inside P3's note move it to line 8.
    assert "participants.csv, line 8, column 'participant': value 'P5 ': does not match the pattern" in _error(
        load_participants, data_copy)


def test_stray_quote_is_not_valid_csv(data_copy):
    edit_csv(data_copy / "clinical.csv", "P3,40,", 'P3,"4"0,')
    assert _error(load_clinical, data_copy).endswith("clinical.csv, line 4: is not valid CSV: ',' expected after '\"'")


def test_unterminated_quote_is_not_valid_csv(data_copy):
    path = data_copy / "followups.csv"
    path.write_text(path.read_text(encoding="utf-8") + '36,"never closed\n', encoding="utf-8")
    # followups.csv has a header and four rows; the open quote starts line 6 and runs to the end.
    assert _error(load_all, data_copy).endswith("followups.csv, line 6: is not valid CSV: unexpected end of data")


def test_field_larger_than_the_csv_limit(data_copy):
    edit_csv(data_copy / "participants.csv", "No pronoun is used for P3.", "x" * 200_000)
    assert "participants.csv, line 4: is not valid CSV: field larger than field limit (131072)" in _error(
        load_participants, data_copy)


def test_unreadable_file(data_copy, monkeypatch):
    # chmod cannot make a file unreadable for root, so the refusal is simulated.
    target = data_copy / "clinical.csv"
    read_bytes = type(target).read_bytes

    def refuse(path):
        if path == target:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(type(target), "read_bytes", refuse)
    assert _error(load_clinical, data_copy).endswith("clinical.csv: cannot be read: Permission denied")


def test_directory_where_a_file_should_be(data_copy):
    (data_copy / "clinical.csv").unlink()
    (data_copy / "clinical.csv").mkdir()
    assert _error(load_clinical, data_copy).endswith("clinical.csv: is a directory, not a file")


def test_integer_too_large_for_the_table(data_copy):
    edit_csv(data_copy / "qualitative/themes.csv", "job_search,4,", "job_search,99999999999999999999,")
    assert "themes.csv, line 5, column 'number': value '99999999999999999999': is outside the range of a 64-bit" in (
        _error(load_all, data_copy))


def test_maximum_is_compared_exactly(data_copy):
    # 4.0000000000000001 rounds to 4.0 as a float but is above the maximum of 4.
    edit_csv(data_copy / "clinical.csv", "P7,70,8,9,4,3.1,", "P7,70,8,9,4,4.0000000000000001,")
    assert "line 8, column 'hscl_total': value '4.0000000000000001': is above the maximum 4" in _error(
        load_clinical, data_copy)


# --- keys ------------------------------------------------------------------------

def test_duplicate_composite_primary_key(data_copy):
    # interview_guide.csv: the key is (group, order); line 4 is ("all", 3).
    edit_csv(data_copy / "qualitative/interview_guide.csv", "all,3,", "all,2,")
    message = _error(load_all, data_copy)
    assert message.endswith("qualitative/interview_guide.csv, line 4, column 'group,order': value 'all,2': "
                            "duplicates line 3 (primary key ['group', 'order'])")


def test_same_order_in_another_group_is_not_a_duplicate():
    guide = load_all()["interview_guide"]
    assert guide.duplicated(["order"]).any() and not guide.duplicated(["group", "order"]).any()


def test_single_primary_key_without_unique_constraint(data_copy):
    package = _descriptor(data_copy)
    month = _resource_of(package, "followups")["schema"]["fields"][0]
    del month["constraints"]["unique"]
    _write_descriptor(data_copy, package)
    edit_csv(data_copy / "followups.csv", "3,3 months", "0,3 months")
    # followups.csv: header, then month 0 on line 2 and the edited month on line 3.
    assert _error(load_all, data_copy).endswith(
        "followups.csv, line 3, column 'month': value '0': duplicates line 2 (primary key ['month'])")


def test_a_duplicate_key_with_unique_constraint_is_reported_once(data_copy):
    edit_csv(data_copy / "clinical.csv", "P8,14,", "P7,14,")
    with pytest.raises(DataValidationError) as caught:
        load_clinical(data_copy)
    assert [(f.line, f.column, f.value, f.rule) for f in caught.value.faults] == [
        (9, "participant", "P7", "duplicates line 8 (constraint 'unique')")]


def test_foreign_key_names_the_file_referred_to(data_copy):
    edit_csv(data_copy / "qualitative/quotes.csv", "Q01,overall_experience,", "Q01,overall,")
    assert _error(load_all, data_copy).endswith(
        "qualitative/quotes.csv, line 2, column 'theme': value 'overall': is not a known theme in "
        "qualitative/themes.csv (foreign key to themes.theme)")


def test_composite_foreign_key(data_copy):
    # Each quotation's (theme, subtheme) pair exists in subthemes.csv; Q01's
    # subtheme helpful_elements belongs to overall_experience, not to impact.
    package = _descriptor(data_copy)
    _resource_of(package, "quotes")["schema"]["foreignKeys"].append(
        {"fields": ["theme", "subtheme"], "reference": {"resource": "subthemes", "fields": ["theme", "subtheme"]}})
    _write_descriptor(data_copy, package)
    assert len(load_all(data_copy)["quotes"]) == 38  # Q01 to Q38, every quotation the article prints
    edit_csv(data_copy / "qualitative/quotes.csv", "Q01,overall_experience,", "Q01,impact,")
    assert _error(load_all, data_copy).endswith(
        "qualitative/quotes.csv, line 2, column 'theme,subtheme': value 'impact,helpful_elements': is not a known "
        "(theme,subtheme) in qualitative/subthemes.csv (foreign key to subthemes.(theme,subtheme))")


def test_foreign_keys_are_looked_up_by_resource_and_field(data_copy):
    # Two keys to one resource on different fields: each is checked against its own field.
    package = _descriptor(data_copy)
    quotes = _resource_of(package, "quotes")
    quotes["schema"]["foreignKeys"].append(
        {"fields": "subtheme", "reference": {"resource": "themes", "fields": "theme"}})
    _write_descriptor(data_copy, package)
    message = _error(load_all, data_copy)
    assert ("qualitative/quotes.csv, line 2, column 'subtheme': value 'helpful_elements': is not a known subtheme "
            "in qualitative/themes.csv (foreign key to themes.theme)") in message


# --- the command line ------------------------------------------------------------

@pytest.mark.parametrize("damage", ["not json", "latin-1", "no rows"])
def test_check_data_prints_one_message(data_copy, damage):
    import subprocess
    import sys

    if damage == "not json":
        (data_copy / "datapackage.json").write_text("{", encoding="utf-8")
    elif damage == "latin-1":
        edit_csv(data_copy / "sample.csv", "invited,", "invitéd,")
        (data_copy / "sample.csv").write_bytes((data_copy / "sample.csv").read_bytes().replace(b"\xc3\xa9", b"\xe9"))
    else:
        (data_copy / "coreq.csv").write_text("item,domain,name,status,article_location,report_section,evidence\n")
    run = subprocess.run([sys.executable, "-m", "analysis", "check-data", "--data", str(data_copy)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: invalid data: ")
    assert "Traceback" not in run.stderr
    assert {"not json": "datapackage.json, line 1", "latin-1": "sample.csv, line 2: is not UTF-8 text (byte 0xe9",
            "no rows": "coreq.csv, line 1: has a header but no rows"}[damage] in run.stderr


def test_a_control_character_in_text_is_refused(data_copy):
    # a bell character (U+0007) typed into the first quotation: no HTML or PDF page can show it
    edit_csv(data_copy / "qualitative" / "quotes.csv", "P3,explicit,follow-up;encouragement,\"It is a good",
             "P3,explicit,follow-up;encouragement,\"It is a \x07good")
    with pytest.raises(DataValidationError, match=r"quotes.csv, line 2, column 'text': .*control character U\+0007"):
        load_all(data_copy)
