"""What a change to the inputs re-executes: every chapter, or only those that used it."""

from reportbuild.inputs import affected

DEPS = {"methods": {"modules": ["analysis.report", "analysis.figures"], "data": True},
        "errata": {"modules": ["analysis.report"], "data": True},
        "environment": {"modules": ["analysis.tables"], "data": False}}
CHAPTERS = ["methods", "errata", "environment", "new-chapter"]


def test_nothing_changed_nothing_runs():
    assert affected(set(), DEPS, CHAPTERS) == []


def test_a_module_reruns_the_chapters_that_imported_it_and_those_never_recorded():
    assert affected({"module:analysis.figures"}, DEPS, CHAPTERS) == ["methods", "new-chapter"]
    assert affected({"module:analysis.tables"}, DEPS, CHAPTERS) == ["environment", "new-chapter"]


def test_a_data_file_reruns_the_chapters_that_read_data():
    assert affected({"data:clinical.csv"}, DEPS, CHAPTERS) == ["methods", "errata", "new-chapter"]
