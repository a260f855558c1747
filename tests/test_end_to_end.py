"""`make report DATA=dir` on a data directory with one defect: one clear message, a non-zero
exit, and the last good report left as it was."""

import subprocess

import pytest

from analysis.paths import PROJECT_ROOT, build_paths
from conftest import edit_csv

pytestmark = pytest.mark.site
SITE = build_paths(PROJECT_ROOT / "data").site / "book" / "index.html"


def _drop_last_column(data):
    path = data / "clinical.csv"
    path.write_text("\n".join(",".join(line.split(",")[:-1]) for line in path.read_text().splitlines()) + "\n")


def _extra_column(data):
    path = data / "clinical.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",age"] + [line + ",30" for line in lines[1:]]) + "\n")


DEFECTS = {
    "missing column": (_drop_last_column, "clinical.csv, line 1, column 'hscl_depression': column is missing"),
    "extra column": (_extra_column, "clinical.csv, line 1, column 'age': column is not in the schema"),
    "wrong type": (lambda d: edit_csv(d / "clinical.csv", "P2,34,", "P2,34a,"),
                   "clinical.csv, line 3, column 'odi': value '34a': is not an integer"),
    "out of range": (lambda d: edit_csv(d / "clinical.csv", "P7,70,", "P7,170,"),
                     "clinical.csv, line 8, column 'odi': value '170': is above the maximum 100"),
    "unparseable date": (lambda d: edit_csv(d / "ips_timeline.csv", "P3,2015-04-27", "P3,27.04.2015"),
                         "ips_timeline.csv, line 4, column 'ips_start': value '27.04.2015': is not a date"),
    "duplicate participant": (lambda d: edit_csv(d / "clinical.csv", "P8,14,", "P7,14,"),
                              "clinical.csv, line 9, column 'participant': value 'P7': duplicates line 8"),
    "unknown participant": (lambda d: edit_csv(d / "clinical.csv", "P8,14,", "P9,14,"),
                            "clinical.csv, line 9, column 'participant': value 'P9': is not a known participant"),
    "end before start": (lambda d: edit_csv(d / "ips_timeline.csv", "P7,2015-06-10,2016-04-17",
                                            "P7,2015-06-10,2015-04-17"),
                         "ips_timeline.csv, line 8, column 'ips_end': value '2015-04-17': is before ips_start"),
}


@pytest.mark.parametrize("defect", DEFECTS)
def test_make_report_stops_on_bad_data(data_copy, defect):
    damage, message = DEFECTS[defect]
    damage(data_copy)
    before = SITE.read_bytes()
    run = subprocess.run(["make", "--no-print-directory", "report", f"DATA={data_copy}"], cwd=PROJECT_ROOT,
                         capture_output=True, text=True)
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert output.count(message) == 1, output[-3000:]
    assert "Traceback" not in output
    assert SITE.read_bytes() == before
