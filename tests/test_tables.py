"""analysis.tables: what readers see in the tables."""

from analysis import load_clinical, load_literature, tables
from analysis.clinical import bands
from analysis.report import Report


def test_table_1_shows_a_dash_not_nan():
    shown = tables.table_1(load_clinical())
    assert shown.loc["P4", "ODI"] == tables.DASH
    assert shown.loc["P1", "HSCL total"] == "2.0"
    assert "nan" not in shown.to_string().lower()


def test_band_text_for_integer_scales():
    text = tables.band_text(bands(load_literature(), "odi_bands", 100))
    assert text.startswith("minimal disability 0–20; moderate disability 21–40")
    assert text.endswith("bed-bound or exaggerating 81–100")


def test_table_2_flags_and_readings():
    shown = Report.load().table_2()
    assert shown.loc["P6", "IPS termination"] == "17.04.2015 (read as 17.04.2016, erratum E02)"
    assert shown.loc["P4", "Months printed"] == "9.5*"
    assert shown.loc["P2", "Check"] == "longer by 1.8"
    assert shown.loc["P3", "Check"] == "shorter by 3.1"
    assert shown.loc["P1", "Check"] == "matches"
    assert shown.loc["P1", "Job start"] == tables.DASH


def test_employment_status_totals():
    shown = Report.load().employment_status()
    assert list(shown.loc["total employed"]) == ["0 of 8", "0 of 8", "1 of 8", "3 of 8"]


def test_data_dictionary_has_a_row_per_field():
    dictionary = Report.load().data_dictionary()
    assert list(dictionary["clinical"].index)[:2] == ["participant", "odi"]
    assert dictionary["clinical"].loc["odi", "Rules"] == "0–100"
