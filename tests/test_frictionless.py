"""frictionless-py as an independent oracle for the loader (a test dependency, never used at run time).

The real package must be valid for frictionless, and whatever damaged package
the loader accepts in the fuzz cases of ``test_fuzz`` frictionless must accept
too: no cell, row, label or key error on the damaged file or on any resource
that refers to it. The loader may refuse more than frictionless (see
``analysis.validation`` for the deliberate differences), never less.

frictionless is told the CSV dialect the loader reads (comma, double quote)
rather than left to guess it from a sample, which a damaged file can mislead.
Errors about the descriptor's metadata are outside the comparison (the loader
checks the descriptor's shape its own way); only the rules both enforce are.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA
from test_fuzz import DESCRIPTOR, FILES, PATHS, READERS, cases

frictionless = pytest.importorskip("frictionless", reason="frictionless is a test dependency: pip install frictionless")

#: frictionless error types for rules the loader enforces too: types, constraints, keys,
#: the header, the shape of rows, and the bytes of the file.
ENFORCED_BOTH = {"type-error", "constraint-error", "primary-key", "unique-error", "foreign-key",
                 "extra-cell", "missing-cell", "blank-row", "extra-label", "missing-label", "blank-label",
                 "duplicate-label", "incorrect-label", "encoding-error", "source-error", "format-error"}
DIALECT = {"csv": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True}}
#: Descriptor members that describe the data for people; they change no rule.
DESCRIPTIVE = {"title", "description", "source", "unit", "sources", "licenses", "profile", "mediatype"}


def _with_dialect(package: dict) -> dict:
    package = copy.deepcopy(package)
    for res in package["resources"]:
        res["dialect"] = DIALECT
    return package


def _errors(report) -> list[tuple[str, str, str]]:
    return [(task.name, error.type, error.message) for task in report.tasks for error in task.errors] + [
        ("package", error.type, error.message) for error in report.errors]


def _rules(value):
    """The descriptor without its descriptive members."""
    if isinstance(value, dict):
        return {k: _rules(v) for k, v in value.items() if k not in DESCRIPTIVE}
    if isinstance(value, list):
        return [_rules(v) for v in value]
    return value


def test_real_package_is_valid():
    report = frictionless.validate(str(DATA / DESCRIPTOR))
    assert report.valid, _errors(report)


def test_real_package_is_valid_with_the_loaders_dialect():
    package = _with_dialect(json.loads((DATA / DESCRIPTOR).read_text(encoding="utf-8")))
    report = frictionless.Package(package, basepath=str(DATA)).validate()
    assert report.valid, _errors(report)


def test_oracle_sees_what_the_loader_refuses(tmp_path):
    # The comparison means something only if frictionless reports the faults the loader does.
    work = tmp_path / "data"
    shutil.copytree(DATA, work)
    guide = work / "qualitative" / "interview_guide.csv"
    guide.write_text(guide.read_text(encoding="utf-8").replace("all,3,", "all,2,"), encoding="utf-8")
    clinical = work / "clinical.csv"
    clinical.write_text(clinical.read_text(encoding="utf-8").replace("P7,70,", "P7,170,"), encoding="utf-8")
    package = frictionless.Package(_with_dialect(json.loads((DATA / DESCRIPTOR).read_text())), basepath=str(work))
    found = {(name, kind) for name, kind, _ in _errors(package.validate())}
    assert found == {("interview_guide", "primary-key"), ("clinical", "constraint-error")}


@pytest.mark.slow
@pytest.mark.parametrize("file", FILES)
def test_frictionless_accepts_what_the_loader_accepts(tmp_path: Path, file):
    work = tmp_path / "data"
    shutil.copytree(DATA, work)
    pristine = json.loads((DATA / DESCRIPTOR).read_text(encoding="utf-8"))
    package = frictionless.Package(_with_dialect(pristine), basepath=str(work))
    compared = 0
    for case in cases(file, work):
        if case.error is not None:
            continue
        if file == DESCRIPTOR:
            damaged = json.loads((work / DESCRIPTOR).read_text(encoding="utf-8-sig"))
            if _rules(damaged) == _rules(pristine):
                continue  # only descriptive text changed: the real package's result holds
            errors = _errors(frictionless.Package(_with_dialect(damaged), basepath=str(work)).validate())
        else:
            name = next(n for n, p in PATHS.items() if p == file)
            errors = [e for reader in sorted(READERS[name])
                      for e in _errors(package.get_resource(reader).validate())]
        compared += 1
        refused = [e for e in errors if e[1] in ENFORCED_BOTH]
        assert not refused, (case.seed, case.mutations, refused[:3])
    if file != DESCRIPTOR:
        assert compared > 0, "no damaged file loaded, so nothing was compared"
