"""Version stamp, citation files and the release folder."""

import hashlib
import json
import re
import subprocess
import tomllib

import pytest

from reportbuild import release, version
from analysis import changes
from analysis.paths import PROJECT_ROOT

VERSION = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_version_has_one_source():
    assert version.version() == VERSION
    cff = (PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf"^version: {re.escape(VERSION)}$", cff, re.M)
    assert f"## {VERSION}" in (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_citation_cites_the_report_and_the_article():
    cff = (PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert cff.startswith("cff-version:")
    assert "title: \"IPS job support for chronic pain: an executable report\"" in cff
    assert "doi: 10.1186/s12891-017-1908-3" in cff


def test_build_date_comes_from_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")  # 2017-07-14T02:40:00Z
    assert version.build_date().isoformat() == "2017-07-14"
    assert version.stamp()["year"] == "2017"


def test_build_date_defaults_to_the_commit_time(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    committed = version._git("log", "-1", "--format=%ct")
    assert version.build_epoch() == int(committed)


def test_commit_is_a_hash():
    assert re.fullmatch(r"[0-9a-f]{12}(\+changes)?", version.commit())


@pytest.fixture
def built(tmp_path):
    html = tmp_path / "html"
    html.mkdir()
    (html / "index.html").write_text("<html>report</html>")
    pdf = tmp_path / version.pdf_name()
    pdf.write_bytes(b"%PDF-1.5 test")
    pdf.with_name(version.pdf_name("supplement")).write_bytes(b"%PDF-1.5 supplement")
    return html, pdf


@pytest.fixture
def committed(monkeypatch):
    """The project's work tree taken as a committed state, whatever it is while the tests run."""
    monkeypatch.setattr(version, "commit", lambda: "0123456789ab")
    monkeypatch.setattr(release, "uncommitted", lambda repo=None: [])


def test_release_folder(tmp_path, built, committed):
    html, pdf = built
    target = release.make_release(tmp_path / "dist", html=html, pdf=pdf)
    assert target.name == VERSION
    names = {p.name for p in target.iterdir()}
    assert {"html", "book", "record", "data", "build-info.json", "SHA256SUMS", version.pdf_name(),
            version.pdf_name("supplement")} <= names
    assert not (target / ".archive").exists()
    info = json.loads((target / "build-info.json").read_text())
    assert info["version"] == VERSION and info["commit"] == "0123456789ab" and info["packages"]["pandas"]
    assert isinstance(info["executions"], list)
    sums = dict(line.split("  ")[::-1] for line in (target / "SHA256SUMS").read_text().splitlines())
    assert sums["html/index.html"] == hashlib.sha256(b"<html>report</html>").hexdigest()
    assert "record/employment-outcomes.ipynb" in sums and "book/employment-outcomes.md" in sums and "data/clinical.csv" in sums


def test_release_never_overwrites(tmp_path, built, committed):
    html, pdf = built
    release.make_release(tmp_path / "dist", html=html, pdf=pdf)
    with pytest.raises(SystemExit, match="exists; a released version is never overwritten"):
        release.make_release(tmp_path / "dist", html=html, pdf=pdf)


@pytest.fixture
def repo(tmp_path):
    """A small git repository laid out like the project, with one commit."""
    root = tmp_path / "repo"
    for name, text in {"book/index.md": "{}", "data/clinical.csv": "participant\nP1\n",
                       "record/numbers.json": "{}\n", "analysis/__init__.py": "", "_config.yml": "title: x\n"}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], cwd=root, check=True)
    return root


def test_a_committed_tree_is_clean(repo):
    assert release.uncommitted(repo) == []


def test_release_refuses_modified_tracked_files(repo):
    (repo / "data" / "clinical.csv").write_text("participant\nP2\n")
    with pytest.raises(SystemExit, match="uncommitted changes(.|\n)*data/clinical.csv"):
        release.check_committed(repo)


def test_release_refuses_untracked_files_among_the_inputs(repo):
    (repo / "data" / "stray.csv").write_text("x\n")
    with pytest.raises(SystemExit, match="uncommitted changes(.|\n)*data/stray.csv"):
        release.check_committed(repo)


def test_untracked_files_elsewhere_do_not_matter(repo):
    (repo / "notes.txt").write_text("a scratch file outside the report's inputs\n")
    assert release.uncommitted(repo) == []


def test_release_ships_what_is_committed(repo, tmp_path):
    (repo / "data" / "clinical.csv").write_text("participant\nEDITED\n")
    (repo / "data" / "stray.csv").write_text("x\n")
    target = tmp_path / "release"
    target.mkdir()
    release.extract_committed(repo, release.SHIPPED, target)
    assert (target / "data" / "clinical.csv").read_text() == "participant\nP1\n"
    assert not (target / "data" / "stray.csv").exists()
    assert (target / "book" / "index.md").read_text() == "{}"
    assert sorted(p.name for p in target.iterdir()) == ["book", "data", "record"]


def test_make_release_refuses_a_dirty_tree(tmp_path, built, repo, monkeypatch):
    monkeypatch.setattr(version, "commit", lambda: "0123456789ab")
    (repo / "data" / "stray.csv").write_text("x\n")
    html, pdf = built
    with pytest.raises(SystemExit, match="uncommitted changes"):
        release.make_release(tmp_path / "dist", html=html, pdf=pdf, repo=repo)
    assert not (tmp_path / "dist").exists()


def test_a_descriptor_with_a_byte_order_mark_is_read_as_the_validator_reads_it(data_copy, monkeypatch):
    """check-data accepts a UTF-8 byte-order mark; the build's stamp must not then fail on it."""
    from analysis.paths import DATA_ENV
    from reportbuild import version

    descriptor = data_copy / "datapackage.json"
    descriptor.write_bytes(b"\xef\xbb\xbf" + descriptor.read_bytes())
    monkeypatch.setenv(DATA_ENV, str(data_copy))
    assert version.is_synthetic() is False and version.pdf_name().endswith(f"{version.version()}.pdf")


def test_a_release_whose_report_does_not_build_is_taken_back(repo, monkeypatch, capsys):
    """make release commits "Release x.y.z" before building (the build stamps that commit); when
    the build then fails, the commit is undone and the work tree is as it was."""
    from reportbuild import build

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]

    def cut(version, repo_=None):
        (repo / "CHANGELOG.md").write_text(f"## {version} - 2026-12-03\n")
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-q", "-m", f"Release {version}"], cwd=repo, check=True)

    def failing(data=None, say=print):
        raise build.BuildFailed("pdf: FAILED (exit status 1). What went wrong:\n  a claim does not hold", status=1)

    monkeypatch.setattr(release, "cut", cut)
    undo = release.undo_cut
    monkeypatch.setattr(release, "undo_cut", lambda version: undo(version, repo))  # in the small repository
    monkeypatch.setattr(build, "pdf", failing)
    assert release.main(["--version", "9.9.9", "--dist", str(repo / "dist")]) == 1
    log = subprocess.run(["git", "log", "--format=%s"], cwd=repo, capture_output=True, text=True).stdout.split("\n")
    assert log[0] == "data" and not (repo / "CHANGELOG.md").exists() and not (repo / "dist").exists()
    assert "a claim does not hold" in capsys.readouterr().err


def test_only_the_release_commit_is_undone(repo):
    with pytest.raises(SystemExit, match="not the release commit of 9.9.9"):
        release.undo_cut("9.9.9", repo)
    assert subprocess.run(["git", "log", "--format=%s"], cwd=repo, capture_output=True, text=True).stdout == "data\n"


@pytest.mark.parametrize("releases, head, dirty, cited", [
    # the release commit itself, clean: its number alone
    ([("a" * 40, "1.0.0", "2026-12-03")], "a" * 40, False, "1.0.0"),
    # a later commit, or the release commit with uncommitted changes: the number, what it is, the commit
    ([("a" * 40, "1.0.0", "2026-12-03")], "b" * 40, False, "1.0.0 with changes after that release, commit bbbbbbbbbbbb"),
    ([("a" * 40, "1.0.0", "2026-12-03")], "a" * 40, True,
     "1.0.0 with changes after that release, commit aaaaaaaaaaaa+changes"),
    # before any release of this version
    ([], "c" * 40, False, "1.0.0 not yet released, commit cccccccccccc"),
])
def test_a_text_that_is_not_a_release_never_cites_as_one(monkeypatch, releases, head, dirty, cited):
    monkeypatch.setattr(changes, "releases", lambda: tuple(releases))
    monkeypatch.setattr(changes, "head_is_release", lambda: bool(releases) and releases[-1][0] == head)
    monkeypatch.setattr(version, "version", lambda: "1.0.0")
    monkeypatch.setattr(version, "commit", lambda: head[:12] + ("+changes" if dirty else ""))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")
    assert version.cited_version() == cited
    assert f"Version {cited}, " in version.suggested_citation()


def test_a_release_folder_is_written_only_from_the_release_commit(repo):
    # version 1.0.0 set and dated in one commit: HEAD is the release; one commit later it is not
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0.0"\n')
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## 1.0.0 - 2026-12-03\n\n- First.\n")
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Release 1.0.0"], cwd=repo, check=True)
    assert changes.head_is_release(repo)
    (repo / "book" / "index.md").write_text("{} ")
    subprocess.run([*git, "commit", "-q", "-am", "a later edit"], cwd=repo, check=True)
    assert not changes.head_is_release(repo)
    subprocess.run(["git", "checkout", "-q", "HEAD~1"], cwd=repo, check=True)
    assert changes.head_is_release(repo)
