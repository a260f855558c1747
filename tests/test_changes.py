"""What changed between versions: the record's verdicts, the comparison, releases found from the
history of pyproject.toml, and ``python -m analysis diff`` on two commits of a scratch clone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import changes
from analysis.paths import PROJECT_ROOT
from reportbuild import release


def _snapshot(numbers, verification=None, label="v"):
    return changes.Snapshot(label, None, numbers, {"verification": verification or {}, "audit": {}, "errata": {}})


def test_compare_names_each_changed_added_and_removed_number_and_verdict():
    old = _snapshot({"a": "3", "b": "38%", "gone": "1"}, {"row1": "reproduced"})
    new = _snapshot({"a": "3", "b": "25%", "new": "2"}, {"row1": "differs"})
    found = changes.compare(old, new, shown={"b": ("employment-outcomes",)})
    assert [(c.kind, c.name, c.old, c.new) for c in found] == [
        ("number", "b", "38%", "25%"), ("number", "gone", "1", None), ("number", "new", None, "2"),
        ("verification", "row1", "reproduced", "differs")]
    assert found[0].shown == ("employment-outcomes",)
    assert found[0].line() == "number b: 38% -> 25% (shown in employment-outcomes)"
    assert changes.compare(old, old) == []


def test_the_summary_says_first_release_none_yet_or_what_changed():
    assert changes.summary(None, [], True).startswith("This is the first release of the report")
    assert changes.summary(None, [], False).startswith("No version of the report has been released yet")
    previous = ("0123456789abcdef", "1.0.0", "2026-12-02")
    assert changes.summary(previous, [], True) == ("Compared with version 1.0.0 (released 2026-12-02, commit "
                                                   "0123456789ab): no number, verdict or erratum changed.")
    one = [changes.Change("number", "b", "38%", "25%"), changes.Change("erratum", "E01", "x", "y")]
    assert "1 named number changed, and 1 verdict or erratum" in changes.summary(previous, one, True)


def test_a_changelog_section_is_dated_only_with_its_version_and_a_date():
    text = "# Changelog\n\n## Unreleased\n\n## 1.0.1 - 2027-01-05\n\n## [1.0.0] – 2026-12-02\n"
    assert changes.dated(text, "1.0.1") == "2027-01-05"
    assert changes.dated(text, "1.0.0") == "2026-12-02"
    assert changes.dated(text, "1.0") is None and changes.dated(text, "0.1.0") is None


def test_set_version_dates_the_unreleased_section_and_sets_both_versions(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.1.0"\n', encoding="utf-8")
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\nversion: 0.1.0\nlicense: MIT\n", encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n\n- a change\n", encoding="utf-8")
    release.set_version("1.0.0", "2026-12-02", tmp_path)
    assert 'version = "1.0.0"' in (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    cff = (tmp_path / "CITATION.cff").read_text(encoding="utf-8")
    assert "version: 1.0.0" in cff and 'date-released: "2026-12-02"' in cff
    log = (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log == "# Changelog\n\n## Unreleased\n\n## 1.0.0 - 2026-12-02\n\n- a change\n"
    with pytest.raises(SystemExit, match="not after the released version"):
        release.set_version("1.0.0", "2026-12-03", tmp_path)
    with pytest.raises(SystemExit, match="not a version"):
        release.set_version("1.1", "2026-12-03", tmp_path)


def test_the_switcher_lists_every_release_newest_first(tmp_path):
    for name in ("1.0.0", "1.0.10", "1.0.2", "notes"):
        (tmp_path / name).mkdir()
    entries = release.switcher(tmp_path)
    assert [e["version"] for e in entries] == ["1.0.10", "1.0.2", "1.0.0"]
    assert entries[0]["preferred"] and entries[0]["url"] == "/1.0.10/html/" and "preferred" not in entries[1]
    assert json.loads((tmp_path / "switcher.json").read_text(encoding="utf-8")) == entries


# --- two commits of a scratch clone ---------------------------------------------------

def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def _python(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(repo), "IPS_REPORT_DATA": str(repo / "data")}
    return subprocess.run([sys.executable, *args], cwd=repo, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("clone") / "report"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(PROJECT_ROOT), str(repo)], check=True)
    for name in ("user.name", "user.email"):
        _git(repo, "config", name, "test")
    # the clone starts from this work tree's record and data (they may be ahead of the last commit)
    for folder in ("record", "data", "analysis"):
        subprocess.run(["rm", "-rf", str(repo / folder)], check=True)
        subprocess.run(["cp", "-r", str(PROJECT_ROOT / folder), str(repo / folder)], check=True)
    _git(repo, "add", "-A")
    _git(repo, "commit", "--quiet", "--allow-empty", "-m", "the work tree")
    return repo


@pytest.mark.slow
def test_a_data_edit_changes_exactly_its_number_and_prose_changes_none(clone):
    literature = clone / "data" / "literature.csv"
    text = literature.read_text(encoding="utf-8")
    # the annual cost of back pain in sick leave, "more than 4 billion euros" (the article's ¶15)
    edited = text.replace("(more than),4,billion euros", "(more than),5,billion euros")
    assert edited != text
    literature.write_text(edited, encoding="utf-8")
    written = _python(clone, "-m", "analysis", "record", "--write")
    assert written.returncode == 0, written.stderr
    _git(clone, "commit", "--quiet", "-am", "Literature: the cost of back pain in sick leave")
    diff = _python(clone, "-m", "analysis", "diff", "HEAD~1", "HEAD", "--json")
    assert diff.returncode == 1, diff.stderr
    found = json.loads(diff.stdout)["changes"]
    assert [(c["kind"], c["name"], c["old"], c["new"]) for c in found if c["kind"] == "number"] == [
        ("number", "lit_back_pain_cost_sick_leave", "4", "5")]
    number = next(c for c in found if c["kind"] == "number")
    assert number["shown"] == ["background"]
    assert number["commits"] and number["commits"][0].endswith("Literature: the cost of back pain in sick leave")

    background = clone / "book" / "background.md"
    background.write_text(background.read_text(encoding="utf-8").replace("great cost", "a great cost"),
                          encoding="utf-8")
    _git(clone, "commit", "--quiet", "-am", "Background: a word")
    prose = _python(clone, "-m", "analysis", "diff", "HEAD~1", "HEAD")
    assert prose.returncode == 0, prose.stdout + prose.stderr
    assert prose.stdout == "" and "no number, verdict or erratum changed" in prose.stderr


def test_an_unknown_revision_is_bad_input():
    run = subprocess.run([sys.executable, "-m", "analysis", "diff", "no-such-revision", "HEAD"], cwd=PROJECT_ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "'no-such-revision' is neither a git revision" in run.stderr


@pytest.mark.slow
def test_releases_come_from_the_history_of_the_version(clone):
    repo = clone
    changes._releases.cache_clear()
    base = changes.releases(repo)
    pyproject = repo / "pyproject.toml"
    release.set_version("7.0.0", "2026-12-02", repo)
    _git(repo, "commit", "--quiet", "-am", "Release 7.0.0")
    first = _git(repo, "rev-parse", "HEAD").strip()
    assert changes.releases(repo)[len(base):] == ((first, "7.0.0", "2026-12-02"),)
    assert changes.is_release(repo) and changes.previous_release(repo) == (base[-1] if base else None)
    # a commit after the release compares with it; a version bump without a dated section is no release
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('version = "7.0.0"', 'version = "7.0.1"'),
                         encoding="utf-8")
    _git(repo, "commit", "--quiet", "-am", "Version 7.0.1, not released")
    assert changes.releases(repo)[-1][0] == first and changes.previous_release(repo)[0] == first
    assert not changes.is_release(repo)

    # a data edit released as 7.0.2: the "What changed" appendix names exactly that number
    literature = repo / "data" / "literature.csv"
    before = re.search(r"\(more than\),(\d+),billion euros", literature.read_text(encoding="utf-8")).group(1)
    literature.write_text(literature.read_text(encoding="utf-8").replace(f"(more than),{before},billion euros",
                                                                         "(more than),16,billion euros"),
                          encoding="utf-8")
    release.set_version("7.0.2", "2026-12-03", repo)
    assert _python(repo, "-m", "analysis", "record", "--write").returncode == 0
    _git(repo, "commit", "--quiet", "-am", "Release 7.0.2")
    page = _python(repo, "-c", "import json; from analysis import results; r = results.compute(); "
                               "print(json.dumps([r.tables['changes_summary'].text, r.tables['changes'].payload['rows']]))")
    assert page.returncode == 0, page.stderr
    summary, rows = json.loads(page.stdout)
    assert summary.startswith("Compared with version 7.0.0 (released 2026-12-02, commit ")
    assert "1 named number changed" in summary
    assert [row[:4] for row in rows if row[0] == "number"] == [["number", "lit_back_pain_cost_sick_leave", before, "16"]]


def test_the_appendix_is_not_compared_with_the_record():
    """The "What changed" appendix follows the git history: the commit after a release compares with
    it, while the release's record says it is the first. Its outputs are left out of nbval's (and
    make test's) comparison with the record; the numbers themselves are compared."""
    from reportbuild import notebooks
    from analysis.paths import BOOK_DIR

    cells = [c for c in notebooks.read(BOOK_DIR / "changes.md").cells
             if c.cell_type == "code" and "r.changes" in c.source]
    assert len(cells) == 2
    assert all("nbval-ignore-output" in c.metadata.get("tags", []) for c in cells)
