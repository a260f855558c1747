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
    with pytest.raises(ValueError, match="a registry value cannot be missing"):
        registry._plain(float("nan"), "d")
    with pytest.raises(ValueError, match="count 2.5 is not a whole number"):
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
