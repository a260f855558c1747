"""analysis.verification, and that nbval and the verification appendix catch a changed number."""

import os
import subprocess
import sys

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
