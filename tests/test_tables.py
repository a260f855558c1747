"""analysis.tables: what readers see in the tables."""

import pytest

from analysis import load_clinical, load_literature, tables
from analysis.clinical import bands
from analysis.report import Report
from conftest import shared


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
    assert shown.cell("P6", "IPS termination") == "17.04.2015 (read as 17.04.2016, erratum E02)"
    assert shown.cell("P4", "Months printed") == "9.5*"
    assert shown.cell("P2", "Check") == "longer by 1.8"
    assert shown.cell("P3", "Check") == "shorter by 3.1"
    assert shown.cell("P1", "Check") == "matches"
    assert shown.cell("P1", "Job start") == tables.NONE


def test_employment_status_totals():
    shown = Report.load().employment_status()
    assert next(r for r in shown.payload["rows"] if r[0] == "total employed")[1:] == ["0 of 8", "0 of 8", "1 of 8", "3 of 8"]


def test_data_dictionary_has_a_row_per_field():
    dictionary = Report.load().data_dictionary()
    assert [cell["text"] for cell in dictionary["clinical"].column("Field")[:2]] == ["participant", "odi"]
    assert next(r for r in dictionary["clinical"].payload["rows"] if r[0]["text"] == "odi")[3] == "0–100"


def _tables(report: Report) -> dict:
    """Every table a chapter shows, by name."""
    shown = {name: getattr(report, name)() for name in (
        "table_1", "descriptives", "band_counts", "instruments", "ips_principles", "table_2", "employment_status",
        "confidence_intervals", "errata", "audit", "pain_conditions", "themes", "verification", "participant_links",
        "interview_guide", "coreq")}
    shown.update({f"findings {k}": report.findings(k) for k in ("challenge", "helpful_aspect")})
    shown.update({f"dictionary {k}": t for k, t in report.data_dictionary().items()})
    return shown


@pytest.fixture(scope=shared)
def payloads():
    """Every table's payload, made once for the tests that only read them."""
    from analysis import display

    report = Report.load()
    return {name: table._repr_mimebundle_()[display.MIME_TABLE] for name, table in _tables(report).items()}


def test_every_table_says_which_function_made_it_from_which_files(payloads):
    import importlib

    from analysis.paths import PROJECT_ROOT

    for name, payload in payloads.items():
        source = payload["source"]
        parts = source["function"].split(".")
        target = importlib.import_module(".".join(parts[:2]))
        for part in parts[2:]:
            target = getattr(target, part)
        assert callable(target), name
        assert source["data"], name
        for file in source["data"]:
            assert file.startswith("every file of") or (PROJECT_ROOT / file).is_file(), (name, file)


def test_no_table_shows_a_bare_row_number(payloads):
    assert payloads["pain_conditions"]["stub"] == 0 and payloads["pain_conditions"]["header"] == ["Pain condition"]
    for name, payload in payloads.items():
        for row in payload["rows"]:
            assert not (payload["stub"] and row[0] in [str(i) for i in range(len(payload["rows"]))]
                        and payload["header"][0] in ("", "index")), name


def test_numbers_keep_one_precision_per_column_within_each_group(payloads):
    """A right-aligned column of numbers shows one number of decimals in each group of rows."""
    import re

    for name, payload in payloads.items():
        starts = [g[0] for g in payload.get("groups", [])] or [0]
        bounds = list(zip(starts, starts[1:] + [len(payload["rows"])]))
        for j, numeric in enumerate(payload["numeric"]):
            if not numeric:
                continue
            for start, end in bounds:
                cells = [r[j] for r in payload["rows"][start:end] if isinstance(r[j], str) and r[j] not in ("", "–")]
                decimals = {len(m.group(1)) if (m := re.search(r"\.(\d+)", c)) else 0 for c in cells}
                assert len(decimals) <= 1, (name, payload["header"][j], cells)


def test_the_audit_states_each_check_once(payloads):
    payload = payloads["audit"]
    headings = [text for _, text in payload["groups"]]
    assert len(headings) == len(set(headings)) and "check" not in payload["header"]
    assert not {c for row in payload["rows"] for c in row if isinstance(c, str)} & set(headings)  # not on every row
    assert len(headings) < len(payload["rows"]) / 2
