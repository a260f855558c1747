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
