"""No number is typed into the chapters' prose: digits come from glue, citations or references."""

import re

import pytest

from analysis import notebooks

ROLES = re.compile(r"\{(glue|glue:text|glue:any|glue:md|cite|cite:p|cite:t|numref|ref|doc|eq)\}`[^`]*`")
CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
LABEL = re.compile(r"^\([\w-]+\)=$", re.M)
LIST_MARKER = re.compile(r"^\s*\d+\.\s", re.M)
#: Names that contain digits but are not numbers.
ALLOWED = re.compile(r"HSCL-25|EQ-5D|\bP[1-9]\b|\bE\d{2}\b|\bTables? [12]\b|\bTables [12] and [12]\b")


def _prose(path):
    for index, cell in enumerate(notebooks.read(path).cells):
        if cell.cell_type == "markdown":
            yield index, cell.source
        figure = cell.metadata.get("mystnb", {})
        if "figure" in figure:
            yield index, figure["figure"]["caption"]
            yield index, figure["image"]["alt"]


def stray_digits(text: str) -> list[str]:
    """Digits left after removing roles, code, labels and allowed names."""
    for pattern in (ROLES, CODE, LABEL, LIST_MARKER, ALLOWED):
        text = pattern.sub(" ", text)
    return re.findall(r"\S*\d\S*", text)


def test_the_check_catches_a_typed_number():
    assert stray_digits("The rate was 38% ({numref}`fig-x`).") == ["38%"]
    assert stray_digits("The rate was {glue:text}`rate:.0%` {cite:p}`bond2012`; HSCL-25 and P4, erratum E02.") == []


@pytest.mark.parametrize("path", notebooks.chapters(), ids=lambda p: p.name)
def test_no_typed_numbers(path):
    found = [(i, d) for i, text in _prose(path) for d in stray_digits(text)]
    assert found == [], f"{path.name}: typed numbers in cells {found}"
