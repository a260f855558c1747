"""A release's certificate: ``codecheck.yml`` (CODECHECK configuration, spec 2.0) and ``verification.json``.

``codecheck.yml`` lists every output file of the release with a comment
(``manifest``), names the article (``paper``), the people who checked it
(``codechecker``: the release's authors as ``CITATION.cff`` gives them), a
``summary``, the report version and commit (``report``) and the ``check_time``;
what CODECHECK has no field for goes under ``x-ips-report``. The release is
not registered with CODECHECK, so it has no certificate number.

``verification.json`` holds, for every printed number, the published,
regenerated and tolerance values and the verdict; for every output file its
SHA-256; and the commit, the lock file's hash, the Python and package versions
and the result of the notebook re-execution (nbval), when one was recorded.
"""

from __future__ import annotations

import hashlib
import json
import platform
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml

from analysis import changes, results, verification
from analysis.paths import PROJECT_ROOT, build_paths

from .version import citation

SPEC = "https://codecheck.org.uk/spec/config/2.0/"
#: Where ``make verify`` leaves nbval's JUnit report.
NBVAL_REPORT = build_paths(PROJECT_ROOT / "data").nbval
CERTIFICATE_FILES = ("codecheck.yml", "verification.json")


def _comment(path: str) -> str:
    if path.endswith(".pdf"):
        return "the report as a PDF"
    if path.startswith("html/") and path.endswith(".html"):
        return "a page of the HTML report"
    if path.startswith("html/_images/"):
        return "a figure of the HTML report"
    if path.startswith("html/"):
        return "an asset of the HTML site (style, script, font or search index)"
    if path.startswith("book/"):
        return "a chapter source (MyST Markdown)" if path.endswith(".md") else "a file of the book (style, image)"
    if path.startswith("record/"):
        if path.endswith(".ipynb"):
            return "an executed chapter (notebook with its outputs, stamped with its source's SHA-256)"
        return "the published record of the report's numbers"
    if path.startswith("data/"):
        return "a file of the data package (transcription of the article, schema, errata)"
    if path == "build-info.json":
        return "versions, commit, build date and execution times"
    if path == "verification.json":
        return "every printed number with its published and regenerated value, and the SHA-256 of every file"
    if path == "SHA256SUMS":
        return "SHA-256 of every other file"
    return "a file of the release"


def output_files(release: Path, leave_out: tuple[str, ...] = CERTIFICATE_FILES) -> list[str]:
    """Every file of the release but those left out (by default the certificate itself), sorted."""
    return sorted(p.relative_to(release).as_posix() for p in release.rglob("*")
                  if p.is_file() and p.relative_to(release).as_posix() not in leave_out)


def nbval_result(report: Path = NBVAL_REPORT) -> dict:
    """Tests, failures, errors and skips of the last ``make verify``; ``run: false`` if none was recorded."""
    if not report.is_file():
        return {"run": False}
    root = ElementTree.parse(report).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    counts = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
    return {"run": True, "when": suite.get("timestamp"), **counts,
            "passed": counts["failures"] == 0 and counts["errors"] == 0}


def verification_json(release: Path, stamp: dict, packages: dict, data_dir: Path | None = None) -> dict:
    found = results.ensure(data_dir)[0]
    table = found.derived["verified"]
    previous = changes.previous_release()
    rows = found.tables["changes"].payload["rows"] if previous else []
    numbers = [{"key": r["key"], "anchor": r["anchor"], "printed": r["printed"], "published": r["printed_value"],
                "regenerated": r["recomputed"], "tolerance": r["tolerance"], "verdict": r["status"],
                "basis": r["basis"]} for r in verification.as_records(table)]
    files = {path: hashlib.sha256((release / path).read_bytes()).hexdigest() for path in output_files(release)}
    lock = PROJECT_ROOT / "requirements.txt"
    return {"version": stamp["version"], "commit": stamp["commit"], "build_date": stamp["build_date"],
            "lock_file": {"path": "requirements.txt", "sha256": hashlib.sha256(lock.read_bytes()).hexdigest()},
            "python": platform.python_version(), "packages": packages, "nbval": nbval_result(),
            "summary": verification.summary(table),
            "compared_with": {"version": previous[1], "commit": previous[0], "date": previous[2]} if previous else None,
            "changes": {"summary": found.tables["changes_summary"].text,
                        "counts": {kind: sum(r[0] == kind for r in rows) for kind in changes.KINDS}},
            "numbers": numbers, "files": files}


def codecheck_config(release: Path, stamp: dict, summary: dict, nbval: dict, citation: dict) -> dict:
    article = next(r for r in citation["references"] if r.get("type") == "article")
    authors = [{"name": f"{a['given-names']} {a['family-names']}"} for a in article["authors"]]
    checked = verification.summary_text(summary)
    executed = ("Every chapter was re-executed and its outputs compared with the published record (nbval, "
                + (f"last make verify at {nbval.get('when')}): " if nbval.get("run") else "make verify): ")
                + ("passed." if nbval.get("passed") else "failed." if nbval.get("run") else "not recorded for this release."))
    return {
        "version": SPEC,
        "manifest": [{"file": path, "comment": _comment(path)} for path in output_files(release, ("codecheck.yml",))],
        "paper": {"title": article["title"], "authors": authors, "reference": f"https://doi.org/{article['doi']}"},
        "codechecker": [{"name": a["name"]} for a in citation["authors"]],
        "summary": f"{checked} {executed}",
        "report": f"{citation['title']}, version {stamp['version']}, commit {stamp['commit']}",
        "check_time": stamp["build_date"],
        "x-ips-report": {
            "registered": False,
            "note": "Not registered with CODECHECK: no certificate number. ORCIDs of the article's authors and of the "
                    "checkers are not recorded. verification.json holds every comparison and the SHA-256 of every file.",
            "version": stamp["version"], "commit": stamp["commit"], "verification": "verification.json",
            "nbval": nbval, "counts": summary,
        },
    }


def write(release: Path, stamp: dict, packages: dict) -> None:
    """Write ``verification.json`` and ``codecheck.yml`` into a release folder (after every other file)."""
    record = verification_json(release, stamp, packages)
    (release / "verification.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    config = codecheck_config(release, stamp, record["summary"], record["nbval"], citation())
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    (release / "codecheck.yml").write_text("---\n" + text, encoding="utf-8")
