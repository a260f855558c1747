"""analysis.record: a data change that moves a published number is named, with both values."""

import json

from analysis import record, registry
from analysis.__main__ import main
from conftest import edit_csv


def test_moving_a_job_start_past_twelve_months_names_the_count(data_copy, capsys, tmp_path, monkeypatch):
    # P4 was included on 11.05.2015 and started work on 25.04.2016, inside twelve months; on
    # 01.06.2016 the job starts after the last follow-up, so 2 of 8 (not 3) have started a job by then.
    published = tmp_path / "numbers.json"
    record.write(registry.build(), published)
    monkeypatch.setattr(record, "RECORD", published)
    edit_csv(data_copy / "ips_timeline.csv", "P4,2015-05-11,2016-04-17,2016-04-25", "P4,2015-05-11,2016-04-17,2016-06-01")
    assert main(["record", "--data", str(data_copy)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "n_employed_12m: published 3, now 2 (shown in employment-outcomes, index)" in lines
    # 3/8 = 37.5% printed as 38%; 2/8 = 25%
    assert any(line.startswith("employment_rate_12m: published 38%, now 25%") for line in lines)


def test_an_unchanged_registry_matches_its_record(tmp_path, capsys, monkeypatch):
    published = tmp_path / "numbers.json"
    record.write(registry.build(), published)
    monkeypatch.setattr(record, "RECORD", published)
    assert main(["record"]) == 0
    assert capsys.readouterr().out.startswith("all ")


def test_rounded_values_compare_at_their_printed_precision():
    class N:  # a registry number: 0.3751 and 0.3799 both print as 38%
        def __init__(self, value):
            self.value, self.fmt, self.unit = value, ".0%", "proportion"
            self.text = format(value, self.fmt)
    recorded = record.snapshot({"rate": N(0.3751)})
    assert record.changes(recorded, {"rate": N(0.3799)}) == []
    assert [str(c).split(" (")[0] for c in record.changes(recorded, {"rate": N(0.3649)})] == [
        "rate: published 38%, now 36%"]


def test_the_record_is_plain_json(tmp_path):
    path = tmp_path / "numbers.json"
    record.write(registry.build(), path)
    entry = json.loads(path.read_text())["n_employed_12m"]
    assert entry == {"value": 3, "text": "3", "unit": "participants", "fmt": "d"}
