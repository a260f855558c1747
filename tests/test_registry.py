"""analysis.registry and its command line."""

import json
import subprocess
import sys

import pytest

from analysis import registry
from analysis.paths import PROJECT_ROOT
from conftest import shared

REQUIRED = ["n_participants", "n_women", "n_men", "age_min", "age_max", "n_dropouts", "n_extended_followup",
            "n_employed_3m", "n_employed_6m", "n_employed_12m", "employment_rate_12m",
            "employment_rate_12m_ci_low", "employment_rate_12m_ci_high", "interview_minutes_mean",
            "interview_minutes_sd"]
MEASURES = ["odi", "pain_intensity", "pain_bothersomeness", "health_thermometer", "hscl_total", "hscl_anxiety",
            "hscl_depression"]


@pytest.fixture(scope=shared)
def numbers():
    return registry.build()


def test_required_keys(numbers):
    for key in REQUIRED + [f"{m}_{s}" for m in MEASURES for s in ("mean", "sd", "n")]:
        assert key in numbers, key


def test_values_are_plain_python(numbers):
    for number in numbers.values():
        assert type(number.value) in (int, float), number.key


def test_headline_values(numbers):
    # Abstract: 3 of the 8; Results: none at 3 months, one at 6, another two at 12; 38%.
    assert numbers["n_participants"].value == 8
    assert [numbers[f"n_employed_{m}m"].value for m in (3, 6, 12)] == [0, 1, 3]
    assert numbers["employment_rate_12m"].value == 0.375 and numbers["employment_rate_12m"].text == "38%"
    assert numbers["employment_rate_12m_ci_low"].value == pytest.approx(0.0852, abs=1e-4)
    assert numbers["odi_mean"].text == "38.9"  # 272 / 7
    assert numbers["n_dropouts"].value == 1 and numbers["n_extended_followup"].value == 4
    assert numbers["n_women"].value == numbers["n_men"].value == 4


def test_printed_forms_come_from_the_article(numbers):
    assert numbers["employment_rate_12m"].printed == "38%"
    assert numbers["n_employed_12m"].printed == "3 of the 8"


def test_cli_prints_json():
    out = subprocess.run([sys.executable, "-m", "analysis", "numbers", "--json"], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, check=True).stdout
    entries = json.loads(out)
    assert entries["employment_rate_12m"]["value"] == 0.375
    assert entries["employment_rate_12m"]["text"] == "38%"
    assert isinstance(entries["n_participants"]["value"], int)


def test_cli_reports_bad_data(data_copy):
    from conftest import edit_csv

    edit_csv(data_copy / "clinical.csv", "P7,70,", "P7,170,")
    run = subprocess.run([sys.executable, "-m", "analysis", "numbers", "--data", str(data_copy)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "clinical.csv, line 8, column 'odi': value '170': is above the maximum 100" in run.stderr


def test_every_quantity_the_article_prints_is_computed(numbers):
    # published_numbers.csv names, for each number the article prints, the registry key (or the
    # data cell) it is; only the 20 rows that name none (the team, the software, usual care ...) have no value
    from analysis import load_all, verification

    data = load_all()
    published = data["published_numbers"]
    table = verification.verify(published, numbers, data)
    assert list(table["status"] == "not computable") == list(published["registry_key"].isna())
    assert published["registry_key"].isna().sum() == 20


def test_a_printed_number_has_the_unit_the_article_gives_it(numbers):
    # published_numbers.csv's unit column, transcribed with the article, for every registry key it names
    from analysis.data import load_published_numbers

    published = load_published_numbers().dropna(subset=["registry_key"])
    keyed = published[~published["registry_key"].str.contains(":")]
    assert not keyed.empty
    assert {(k, numbers[k].unit) for k in keyed["registry_key"]} == set(zip(keyed["registry_key"], keyed["unit"]))


def _number(source):
    from analysis.number import Number

    return Number("x", 1, "participants", "d", source)


def test_a_numbers_inputs_are_the_files_its_function_declares_and_its_module():
    # analysis.tables.table_1 declares it reads "clinical", the resource data/clinical.csv
    assert registry.inputs_of(_number("analysis.tables.table_1")) == ["data/clinical.csv", "analysis/tables.py"]
    # one that reads the package's descriptor and the literature, in that order
    assert registry.inputs_of(_number("analysis.tables.instruments")) == [
        "data/datapackage.json", "data/literature.csv", "analysis/tables.py"]
    # "every file of data/" is not a file: only the module is named
    assert registry.inputs_of(_number("analysis.tables.verification")) == ["analysis/tables.py"]


def test_a_descriptor_already_read_names_the_files():
    # the descriptor given is used instead of data/datapackage.json: its resource "clinical" is elsewhere
    descriptor = {"resources": [{"name": "clinical", "path": "tables/clinical.csv"}]}
    assert registry.inputs_of(_number("analysis.tables.table_1"), descriptor) == [
        "data/tables/clinical.csv", "analysis/tables.py"]


@pytest.mark.parametrize("source", ["analysis.clinical.describe",  # declares nothing
                                    "analysis.employment.proportion_ci",  # cached, declares nothing
                                    "analysis.tables.no_such_function", "no_such_module.f", "describe",
                                    "literature.csv (fairbank2000)"])
def test_a_number_whose_function_declares_nothing_depends_on_the_data_and_the_analysis(source):
    assert registry.inputs_of(_number(source)) == ["data", "analysis"]


def test_every_number_names_where_it_comes_from(numbers):
    # a function of the analysis (by its dotted name, or by its own name in the module the registry
    # calls it from), or a file of the data package; a literature value also cites a reference of references.bib
    import importlib
    import re

    from analysis import audit, clinical, employment, qualitative, sensitivity, verification
    from conftest import DATA

    modules = (audit, clinical, employment, qualitative, sensitivity, verification)
    references = set(re.findall(r"^@\w+\{([^,]+),", (DATA / "references.bib").read_text(encoding="utf-8"), re.M))
    files = {path.name for path in DATA.rglob("*.csv")}
    for number in numbers.values():
        source = number.source
        # a function or constant by its dotted name, perhaps inside len(...()), then a column or "/ n"
        dotted = re.fullmatch(r"(?:len\()?analysis\.(\w+)\.(\w+)(?:\(\)\))?(?:: [\w, ]+| / n)?", source)
        if dotted:
            assert hasattr(importlib.import_module(f"analysis.{dotted[1]}"), dotted[2]), (number.key, source)
        elif re.fullmatch(r"\w+", source):
            assert any(callable(getattr(m, source, None)) for m in modules), (number.key, source)
        else:
            assert source.split()[0].rstrip(":") in files, (number.key, source)
        cited = re.fullmatch(r"literature\.csv \(([^)]+)\)", source)
        if number.key.startswith("lit_"):
            assert cited and set(cited[1].split(";")) <= references, (number.key, source)


def test_table_1_statistics_carry_their_scales_units(numbers):
    # Table 1's headings: ODI disability in percent, the NRS pain scales 0-10, the health thermometer
    # 0-100, the HSCL-25 as a mean item score 1-4; counts of participants for n and missing
    units = {"odi": "percent", "pain_intensity": "points (0-10)", "pain_bothersomeness": "points (0-10)",
             "health_thermometer": "points (0-100)", "hscl_total": "mean item score (1-4)",
             "hscl_anxiety": "mean item score (1-4)", "hscl_depression": "mean item score (1-4)"}
    for measure, unit in units.items():
        assert {numbers[f"{measure}_{s}"].unit for s in ("mean", "sd", "median", "min", "max")} == {unit}, measure
        assert {numbers[f"{measure}_{s}"].unit for s in ("n", "missing")} == {"participants"}, measure


def test_whole_numbers_are_ints_only_where_a_count_or_literature_value_is_meant(numbers):
    # a literature value printed without decimals (22%) is an int, one with decimals (52.8%) a float;
    # a Table 1 median of 40 is still a statistic printed to one decimal (40.0): a float
    assert type(numbers["lit_ips_employment_low"].value) is int and numbers["lit_ips_employment_low"].value == 22
    assert type(numbers["lit_rct_ips_employment_12m"].value) is float
    assert type(numbers["odi_median"].value) is float and numbers["odi_median"].text == "40.0"


def test_a_missing_or_fractional_count_is_refused():
    with pytest.raises(ValueError, match="^a registry value cannot be missing$"):
        registry._plain(float("nan"), "d")
    with pytest.raises(ValueError, match="^count 2.5 is not a whole number$"):
        registry._plain(2.5, "d")
    builder = registry._Builder()
    builder.add("n_x", 1, "participants", "d", "analysis.data.load_sample")
    with pytest.raises(KeyError, match="registry key 'n_x' defined twice"):
        builder.add("n_x", 2, "participants", "d", "analysis.data.load_sample")


def test_the_registry_is_built_from_the_frames_given():
    # P2's row (which no reading of readings.csv names) left out of Table 1: 7 participants, not 8
    from analysis import load_all

    data = load_all()
    data["clinical"] = data["clinical"][data["clinical"]["participant"] != "P2"]
    assert registry.build(data=data)["n_participants"].value == 7


#: Every registry number but Table 1's statistics and the literature values: its value and unit,
#: worked out by hand from the article (¶ Methods, Results, Discussion), Tables 1 and 2 and the data files.
CATALOGUE = {
    # Methods and Results: eight consecutive patients invited, none declined, four women and four men
    # aged 22 to 51, pain for 2-16 years, out of work 2-16 years; 13-33 min interviews (M = 22, SD = 9)
    # 3 months after inclusion; 3 months of IPS planned, 9 more for the extended group (three, says the Discussion)
    "n_invited": (8, "participants"), "n_declined": (0, "participants"), "n_women": (4, "participants"),
    "n_men": (4, "participants"), "age_min": (22, "years"), "age_max": (51, "years"),
    "pain_duration_min": (2, "years"), "pain_duration_max": (16, "years"), "out_of_work_min": (2, "years"),
    "out_of_work_max": (16, "years"), "interview_minutes_min": (13, "minutes"), "interview_minutes_max": (33, "minutes"),
    "interview_minutes_mean": (22, "minutes"), "interview_minutes_sd": (9, "minutes"),
    "interview_timing_months": (3, "months"), "ips_planned_months": (3, "months"),
    "extended_followup_additional_months": (9, "months"), "n_extended_followup_discussion": (3, "participants"),
    # Table 1's eight rows, one drop-out (P1), eight pain conditions listed, follow-ups at 0, 3, 6 and 12
    # months, four themes, the eight IPS principles
    "n_participants": (8, "participants"), "n_dropouts": (1, "participants"), "n_pain_conditions": (8, "conditions"),
    "n_followups": (4, "time points"), "last_followup_month": (12, "months"), "n_themes": (4, "themes"),
    "n_ips_principles": (8, "principles"),
    # HSCL-25: items scored 1-4 (four points), caseness at 1.75; totals 2.0, 2.4, 2.5, 1.8, 2.7, 3.1 reach it
    "hscl_caseness_cutoff": (1.75, "mean item score"), "hscl_scale_points": (4, "points"), "n_hscl_cases": (6, "participants"),
    # ODI 14, 14 | 34, 40 | 52, 48 | 70 (P4 missing) in Fairbank's bands; pain intensity 4 | 5, 5 | 8 x 5 and
    # bothersomeness 4 | 6 | 7, 7, 8, 8, 9, 10 in Serlin's (none 0, mild 1-4, moderate 5-6, severe 7-10)
    "n_odi_minimal": (2, "participants"), "n_odi_moderate": (2, "participants"), "n_odi_severe": (2, "participants"),
    "n_odi_crippled": (1, "participants"), "n_odi_bed_bound": (0, "participants"),
    "n_pain_intensity_no": (0, "participants"), "n_pain_intensity_mild": (1, "participants"),
    "n_pain_intensity_moderate": (2, "participants"), "n_pain_intensity_severe": (5, "participants"),
    "n_pain_bothersomeness_no": (0, "participants"), "n_pain_bothersomeness_mild": (1, "participants"),
    "n_pain_bothersomeness_moderate": (1, "participants"), "n_pain_bothersomeness_severe": (6, "participants"),
    # Table 2: jobs by 0, 3, 6 and 12 months 0, 0, 1 (P2), 3 (P2, P3, P4); the extended group P3, P4, P6, P7
    # (two of them employed, first at 12 months); P2's and P4's jobs started after their IPS ended
    "n_employed_0m": (0, "participants"), "n_employed_3m": (0, "participants"), "n_employed_6m": (1, "participants"),
    "n_employed_12m": (3, "participants"), "n_newly_employed_12m": (2, "participants"),
    "n_extended_followup": (4, "participants"), "n_clinicians_only": (4, "participants"),
    "n_extended_employed_12m": (2, "participants"), "n_job_starts_after_ips": (2, "participants"),
    "extended_first_employed_month": (12, "months"),
    # 3/8 with its 95% intervals (Clopper-Pearson 0.0852-0.7551, Wilson 0.1368-0.6943, see test_employment)
    "ci_level": (0.95, "proportion"), "employment_rate_12m": (0.375, "proportion"),
    # durations: P2's longer than its dates, five shorter (see test_employment)
    "n_durations_longer_than_dates": (1, "participants"), "n_durations_shorter_than_dates": (5, "participants"),
    # the audit (see test_audit): six unattainable HSCL-25 totals; 40 checks (8 totals, 8 durations, 8
    # terminations, 3 job starts, 1 percentage, 10 text-against-table counts, 2 on the interviews), 9 inconsistent
    "n_hscl_totals_unattainable": (6, "participants"), "n_audit_checks": (40, "checks"),
    "n_audit_inconsistent": (9, "checks"),
    # errata E01-E39, one reading applied (E02)
    "n_errata": (39, "errata"), "n_readings_applied": (1, "values"),
    # Results: "All participants, apart from the drop-out" (7) positive, "except for the drop-out" (7) no
    # interference, "Seven of eight", "All except from one", "Six of the eight"; 38 quotations, P2's 11 and
    # P8's 10 the most, P5 never quoted, "spark" and "selling" single words, seven participants quoted;
    # 11 subthemes, six helpful aspects, seven challenges; COREQ's 32 items in 3 domains, 16 reported, 3 in part
    "n_positive_experience": (7, "participants"), "n_no_interference": (7, "participants"),
    "n_job_search_positive": (7, "participants"), "n_education_challenge": (7, "participants"),
    "n_short_duration_challenge": (6, "participants"), "n_quotes": (38, "quotations"),
    "n_quotes_top_two": (21, "quotations"), "n_unquoted_participants": (1, "participants"),
    "n_single_word_quotes": (2, "quotations"), "n_quoted_participants": (7, "participants"),
    "n_subthemes": (11, "subthemes"), "n_helpful_aspects": (6, "aspects"), "n_challenges": (7, "challenges"),
    "n_coreq_items": (32, "items"), "n_coreq_domains": (3, "domains"), "n_coreq_reported": (16, "items"),
    "n_coreq_partly": (3, "items"),
    # readings.csv: one alternative each for E01, E02, E05, E07 and E18; on the study calendar (E18) two of the
    # eight and one of the extended group are employed by 12 months, which overturns two conclusions (test_sensitivity)
    "n_alternative_readings": (5, "readings"), "n_errata_with_alternatives": (5, "errata"),
    "n_conclusions_overturned": (2, "conclusions"), "n_readings_overturning": (1, "readings"),
    "calendar_employed_12m": (2, "participants"), "calendar_extended_employed_12m": (1, "participants"),
    # published_numbers.csv: 156 printed numbers, 20 naming no quantity; 2 differ (E05, E06), both explained;
    # 8 match a transcription the audit finds inconsistent (six HSCL-25 totals, P2's duration, P6's end date),
    # so 156 - 20 - 2 - 8 = 126 are reproduced; 14 rest on a reading, 10 are recomputed (test_verification)
    "n_published": (156, "printed numbers"), "n_not_computable": (20, "printed numbers"),
    "n_differs": (2, "printed numbers"), "n_differs_explained": (2, "printed numbers"),
    "n_inconsistent": (8, "printed numbers"), "n_reproduced": (126, "printed numbers"),
    "n_basis_inferred": (14, "printed numbers"), "n_basis_recomputed": (10, "printed numbers"),
    "n_basis_transcribed": (112, "printed numbers"),
}


def test_every_number_of_the_catalogue(numbers):
    for key, (value, unit) in CATALOGUE.items():
        assert (numbers[key].value, numbers[key].unit) == (value, unit), key


def test_the_numbers_made_from_others_agree_with_them(numbers):
    # the intervals of 3/8 and the SPRITE samples' count, the sensitivity analysis' own counts
    from analysis import audit, employment, load_all, sensitivity

    assert (numbers["employment_rate_12m_ci_low"].value, numbers["employment_rate_12m_ci_high"].value) == \
        employment.proportion_ci(3, 8)
    assert (numbers["employment_rate_12m_ci_low_wilson"].value, numbers["employment_rate_12m_ci_high_wilson"].value) == \
        employment.proportion_ci(3, 8, "wilson")
    data = load_all()
    assert numbers["n_interview_samples"].value == len(audit.interview_length_check(data["sample"])[1])
    found = sensitivity.analyse(data, [0, 3, 6, 12])
    assert numbers["n_headline_results"].value == len(sensitivity.HEADLINES)
    assert numbers["n_headlines_depending"].value == len(found.depending())
    assert numbers["n_conclusions"].value == len(found.conclusions)


def test_table_1_statistics_are_the_columns_statistics(numbers):
    # n, missing, mean, SD (n - 1), median, min and max of each column of clinical.csv, by the standard library
    import csv
    import statistics

    from conftest import DATA

    with (DATA / "clinical.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for measure in MEASURES:
        values = [float(r[measure]) for r in rows if r[measure]]
        expected = {"n": len(values), "missing": len(rows) - len(values), "mean": statistics.fmean(values),
                    "sd": statistics.stdev(values), "median": statistics.median(values), "min": min(values),
                    "max": max(values)}
        for stat, value in expected.items():
            assert numbers[f"{measure}_{stat}"].value == pytest.approx(value, abs=1e-12), (measure, stat)


def test_literature_values_are_literature_csv_rows(numbers):
    import csv

    from conftest import DATA

    with (DATA / "literature.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        number = numbers[f"lit_{row['key']}"]
        assert (number.value, number.unit) == (float(row["value"]), row["unit"]), row["key"]


def test_the_registry_holds_exactly_these_numbers(numbers):
    import csv

    from conftest import DATA

    with (DATA / "literature.csv").open(encoding="utf-8") as handle:
        literature = {f"lit_{row['key']}" for row in csv.DictReader(handle)}
    statistics = {f"{m}_{s}" for m in MEASURES for s in ("n", "missing", "mean", "sd", "median", "min", "max")}
    made = {"employment_rate_12m_ci_low", "employment_rate_12m_ci_high", "employment_rate_12m_ci_low_wilson",
            "employment_rate_12m_ci_high_wilson", "n_interview_samples", "n_headline_results",
            "n_headlines_depending", "n_conclusions"}
    assert set(numbers) == set(CATALOGUE) | literature | statistics | made


def test_each_number_is_printed_with_the_precision_of_its_kind(numbers):
    # counts as whole numbers, proportions as whole percents, Table 1 statistics with one decimal (two for
    # the HSCL-25 item means), their ranges as the data are (whole numbers, HSCL-25 one decimal)
    assert numbers["n_employed_12m"].text == "3" and numbers["employment_rate_12m"].text == "38%"
    assert numbers["employment_rate_12m_ci_low"].text == "9%" and numbers["ci_level"].text == "95%"
    assert numbers["odi_mean"].text == "38.9" and numbers["odi_sd"].text == "20.4" and numbers["odi_min"].text == "14"
    assert numbers["hscl_total_mean"].text == "2.20" and numbers["hscl_total_max"].text == "3.1"
    assert numbers["hscl_caseness_cutoff"].text == "1.75" and numbers["lit_rct_ips_employment_12m"].text == "52.8"


def test_the_basis_of_numbers_made_from_participant_level_data(numbers):
    # recomputed: Table 1's statistics and bands, the counts of participants and of jobs by the dates, the rate
    # and its intervals; transcribed: what the article states about its sample, the literature, the
    # qualitative findings, the errata and the verification's own counts
    statistics = {f"{m}_{s}" for m in MEASURES for s in ("n", "missing", "mean", "sd", "median", "min", "max")}
    recomputed = statistics | {k for k in CATALOGUE if k.startswith(("n_odi_", "n_pain_intensity_", "n_pain_bothersomeness_", "n_employed_"))} | {
        "n_participants", "n_dropouts", "n_hscl_cases", "n_newly_employed_12m", "n_job_starts_after_ips",
        "extended_first_employed_month", "employment_rate_12m", "employment_rate_12m_ci_low",
        "employment_rate_12m_ci_high", "employment_rate_12m_ci_low_wilson", "employment_rate_12m_ci_high_wilson",
        "n_hscl_totals_unattainable"}
    transcribed = {k for k in numbers if k.startswith("lit_")} | {
        "n_invited", "n_declined", "n_women", "n_men", "age_min", "age_max", "interview_minutes_mean",
        "n_pain_conditions", "n_themes", "n_errata", "n_quotes", "n_coreq_items", "n_published", "n_reproduced"}
    assert {k for k in recomputed if numbers[k].basis != "recomputed"} == set()
    assert {k for k in transcribed if numbers[k].basis != "transcribed"} == set()


def test_counts_that_coincide_on_the_study_data_are_told_apart():
    # On the study data some counts equal their complements (4 extended and 4 clinicians only; 16 COREQ
    # items reported and 13 + 3 not or in part; 5 chosen readings and 5 alternatives), so a count of the
    # wrong side would pass. Here each side is moved by hand and must move alone.
    import pandas as pd

    from analysis import load_all

    data = load_all()
    timeline = data["ips_timeline"].copy()
    timeline.loc[timeline["participant"] == "P1", "extended_followup"] = True  # 5 extended, 3 clinicians only
    # P2's job start on its termination day (17.07.2015) is not after it: P4's alone (25.04.2016 > 17.04.2016)
    timeline.loc[timeline["participant"] == "P2", "job_start"] = pd.Timestamp("2015-07-17")
    coreq = data["coreq"].copy()
    coreq.loc[coreq.index[coreq["status"] == "reported"][0], "status"] = "not reported"  # 15 reported
    readings = data["readings"]
    data |= {"ips_timeline": timeline, "coreq": coreq,
             "readings": readings[~((readings["erratum"] == "E05") & (readings["reading"] == "three"))]}
    numbers = registry.build(data=data)
    found = {key: numbers[key].value for key in ("n_extended_followup", "n_clinicians_only", "n_job_starts_after_ips",
                                                  "n_coreq_reported", "n_alternative_readings",
                                                  "n_errata_with_alternatives")}
    assert found == {"n_extended_followup": 5, "n_clinicians_only": 3, "n_job_starts_after_ips": 1,
                     "n_coreq_reported": 15, "n_alternative_readings": 4, "n_errata_with_alternatives": 4}


def test_the_numbers_made_from_others_carry_their_units(numbers):
    units = {key: numbers[key].unit for key in ("employment_rate_12m_ci_low", "employment_rate_12m_ci_high",
                                                 "n_interview_samples", "n_headline_results", "n_headlines_depending",
                                                 "n_conclusions")}
    assert units == {"employment_rate_12m_ci_low": "proportion", "employment_rate_12m_ci_high": "proportion",
                     "n_interview_samples": "samples", "n_headline_results": "results",
                     "n_headlines_depending": "results", "n_conclusions": "conclusions"}
