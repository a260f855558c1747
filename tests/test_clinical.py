"""analysis.clinical, with expected values worked out by hand from Table 1."""

import math

import pandas as pd
import pytest

from analysis import clinical, load_clinical, load_literature


@pytest.fixture(scope="module")
def table():
    return load_clinical()


def test_describe_odi_leaves_out_the_missing_value(table):
    d = clinical.describe(table).loc["odi"]
    # ODI of P1-P3, P5-P8: 52+34+40+14+48+70+14 = 272 over 7 participants.
    assert d["n"] == 7 and d["missing"] == 1
    assert math.isclose(d["mean"], 272 / 7)
    # squared deviations from 38.857: 172.7+23.6+1.3+618.0+83.6+969.9+618.0 = 2487 -> /6 -> sd 20.36
    assert d["sd"] == pytest.approx(20.36, abs=0.01)
    assert d["median"] == 40 and d["min"] == 14 and d["max"] == 70


def test_describe_other_measures(table):
    d = clinical.describe(table)
    assert d.loc["pain_intensity", "mean"] == pytest.approx(54 / 8)  # 8+8+5+4+8+8+8+5
    assert d.loc["pain_intensity", "median"] == 8  # 4,5,5,8,8,8,8,8
    assert d.loc["pain_bothersomeness", "mean"] == pytest.approx(59 / 8)  # 8+8+7+4+7+10+9+6
    assert d.loc["health_thermometer", "mean"] == pytest.approx(297 / 7)  # 28+79+55+51+30+4+50
    assert d.loc["health_thermometer", "median"] == 50  # 4,28,30,50,51,55,79
    assert d.loc["hscl_total", "mean"] == pytest.approx(17.6 / 8)
    assert d.loc["hscl_depression", "max"] == 3.7


def test_odi_bands_put_boundaries_in_the_upper_band():
    bands = clinical.bands(load_literature(), "odi_bands", 100)
    values = pd.Series([0, 20, 21, 40, 41, 60, 61, 80, 81, 100, None], dtype="Float64")
    assert list(clinical.classify(values, bands).fillna("missing")) == [
        "minimal disability", "minimal disability", "moderate disability", "moderate disability",
        "severe disability", "severe disability", "crippled", "crippled", "bed-bound or exaggerating",
        "bed-bound or exaggerating", "missing"]


def test_band_counts_of_the_sample(table):
    literature = load_literature()
    odi = clinical.band_counts(table["odi"], clinical.bands(literature, "odi_bands", 100))
    # 14, 14 minimal; 34, 40 moderate; 52, 48 severe; 70 crippled; P4 missing
    assert list(odi) == [2, 2, 2, 1, 0]
    pain = clinical.band_counts(table["pain_intensity"], clinical.bands(literature, "nrs_bands_serlin", 10))
    # intensity 8,8,5,4,8,8,8,5: none 0, mild (4) 1, moderate (5,5) 2, severe (8 x5) 5
    assert list(pain) == [0, 1, 2, 5]


def test_alternative_nrs_bands_are_a_parameter(table):
    alt = clinical.band_counts(table["pain_intensity"], clinical.bands(load_literature(), "nrs_bands_boonstra", 10))
    # Boonstra: <=5 mild (4,5,5), 6-7 moderate (none), >=8 severe (five 8s)
    assert list(alt) == [3, 0, 5]


def test_caseness(table):
    # HSCL-25 totals 2.0, 2.4, 2.5, 1.8, 1.4, 2.7, 3.1, 1.7: all but 1.4 and 1.7 reach 1.75
    assert clinical.n_at_or_above(table["hscl_total"], 1.75) == 6
    assert clinical.n_at_or_above(pd.Series([1.75, None, 1.74]), 1.75) == 1


def test_unknown_band_group():
    with pytest.raises(KeyError):
        clinical.bands(load_literature(), "no_such_bands", 10)


def test_the_descriptives_are_indexed_by_measure(table):
    assert clinical.describe(table).index.name == "measure"


def test_a_group_of_bands_literature_csv_lacks_is_named():
    with pytest.raises(KeyError, match="^\"no bands of group 'nowhere' in literature.csv\"$"):
        clinical.bands(load_literature(), "nowhere", 100)


def test_band_counts_are_whole_numbers_for_every_band(table):
    bands = clinical.bands(load_literature(), "odi_bands", 100)
    counts = clinical.band_counts(table["odi"], bands)
    assert counts.dtype.kind == "i" and list(counts.index) == list(bands["label"])
