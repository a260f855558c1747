"""Version stamp, citation files and the release folder."""

import hashlib
import json
import re
import tomllib

import pytest

from analysis import release, version
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
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.5 test")
    return html, pdf


def test_release_folder(tmp_path, built, monkeypatch):
    monkeypatch.setattr(version, "commit", lambda: "0123456789ab")
    html, pdf = built
    target = release.make_release(tmp_path / "dist", html=html, pdf=pdf)
    assert target.name == VERSION
    names = {p.name for p in target.iterdir()}
    assert {"html", "notebooks", "data", "build-info.json", "SHA256SUMS", version.pdf_name()} <= names
    info = json.loads((target / "build-info.json").read_text())
    assert info["version"] == VERSION and info["commit"] == "0123456789ab" and info["packages"]["pandas"]
    sums = dict(line.split("  ")[::-1] for line in (target / "SHA256SUMS").read_text().splitlines())
    assert sums["html/index.html"] == hashlib.sha256(b"<html>report</html>").hexdigest()
    assert "notebooks/employment-outcomes.ipynb" in sums and "data/clinical.csv" in sums


def test_release_never_overwrites(tmp_path, built, monkeypatch):
    monkeypatch.setattr(version, "commit", lambda: "0123456789ab")
    html, pdf = built
    release.make_release(tmp_path / "dist", html=html, pdf=pdf)
    with pytest.raises(SystemExit, match="exists; a released version is never overwritten"):
        release.make_release(tmp_path / "dist", html=html, pdf=pdf)


def test_release_refuses_uncommitted_changes(tmp_path, built, monkeypatch):
    monkeypatch.setattr(version, "commit", lambda: "0123456789ab+changes")
    html, pdf = built
    with pytest.raises(SystemExit, match="uncommitted changes"):
        release.make_release(tmp_path / "dist", html=html, pdf=pdf)
