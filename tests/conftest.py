"""Shared fixtures: a temporary copy of the data package to break on purpose."""

import shutil
from pathlib import Path

import os

import pytest
from hypothesis import settings

from analysis.paths import PROJECT_ROOT

# Property tests: a dozen examples each in `make test`, fifty in CI (`.ci/run` sets
# HYPOTHESIS_PROFILE=thorough); every run also tries each test's explicit @example.
settings.register_profile("quick", max_examples=12, deadline=None)
settings.register_profile("thorough", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

DATA = PROJECT_ROOT / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of ``data/`` that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit_csv(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old`` in a CSV file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def pytest_addoption(parser):
    parser.addoption("--site", action="store_true", help="run the checks of the built HTML in _build/html")
    parser.addoption("--repro", action="store_true", help="run the two-clean-builds reproducibility checks")
    parser.addoption("--browser", action="store_true", help="open every built page in headless Chromium")
    parser.addoption("--synthetic-site", action="store_true", help="check the report built from a synthetic cohort")
    parser.addoption("--hostile", action="store_true", help="build the report from data full of markup and check it")
    parser.addoption("--pdf", action="store_true", help="run the checks of the built PDF in _build/pdf")


@pytest.fixture(autouse=True, scope="session")
def _results_once_per_mutant():
    """In a mutant's run, a data directory's results (analysis.results.compute) are computed once,
    not again by every test that loads them: the run is one process with one mutant."""
    if not _mutant():
        yield
        return
    from analysis import results

    compute, found = results.compute, {}

    def once(directory=None, data=None):
        if data is not None:
            return compute(directory, data)
        folder = Path(directory).resolve() if directory is not None else results.data_dir()
        key = (folder, results.input_hash(folder))
        if key not in found:
            found[key] = compute(folder)
        return found[key]

    results.compute = once
    yield
    results.compute = compute


def shared(fixture_name, config):
    """The scope of a fixture the tests of a module share: the module, but each test while mutmut
    finds which tests call which functions (MUTANT_UNDER_TEST=stats): it credits what a module's
    fixture calls to the first test using it only, and would run only that test against their mutants."""
    return "function" if os.environ.get("MUTANT_UNDER_TEST") == "stats" else "module"


#: Under mutation testing (make mutation: mutmut sets MUTANT_UNDER_TEST to the mutant), the tests of the
#: mutated module run first, then those of the other modules, and the end-to-end ones last, so that a
#: killed mutant stops (pytest -x) at a fast test.
MUTATION_ORDER = ["test_clinical", "test_employment", "test_qualitative", "test_audit", "test_verification",
                  "test_registry", "test_tables", "test_record", "test_synthetic"]


def _mutant() -> str:
    """The mutant under test (analysis.registry.x_build__mutmut_3), or "" outside mutmut's mutant runs."""
    name = os.environ.get("MUTANT_UNDER_TEST", "")
    return name if name.startswith("analysis.") else ""


def pytest_collection_modifyitems(config, items):
    if _mutant():
        own = "test_" + _mutant().split(".")[1]
        rank = {name: i for i, name in enumerate([own] + MUTATION_ORDER)}
        items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: a file's own order kept
    skips = {
        "site": (config.getoption("--site"), "needs the built site: make test runs it with --site after the build"),
        "repro": (config.getoption("--repro"), "builds twice from scratch: make repro runs it"),
        "browser": (config.getoption("--browser"), "needs the built site and Chromium: make browser runs it"),
        "synthetic_site": (config.getoption("--synthetic-site"), "needs the synthetic build: make synthetic runs it"),
        "hostile": (config.getoption("--hostile"), "builds the report from hostile data: make hostile runs it"),
        "pdf": (config.getoption("--pdf"), "needs the built PDF: make test runs it with --pdf after make pdf"),
    }
    for item in items:
        for marker, (enabled, reason) in skips.items():
            if marker in item.keywords and not enabled:
                item.add_marker(pytest.mark.skip(reason=reason))
