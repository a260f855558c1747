"""Cut a release and write its folder: ``python -m reportbuild.release`` (``make release``).

``make release VERSION=x.y.z`` cuts a release: on a committed work tree whose
chapters pass ``make verify``, it sets the version in ``pyproject.toml`` and
``CITATION.cff``, dates the changelog's "Unreleased" section as that version,
regenerates the record (the "What changed" appendix now compares with the
previous release), commits all of it as "Release x.y.z", builds the report with
the version switcher and writes ``dist/x.y.z/``. ``make release`` without a
VERSION writes the folder of the version already committed (a release commit
checked out in a fresh clone, say). Every release's site reads one list of
releases, ``dist/switcher.json``, which each release rewrites: ``dist/`` is
the web root of the published report (``python -m http.server -d dist``, then
``/x.y.z/html/``).

``dist/<version>/`` gets the HTML site, the PDF, the chapters (MyST Markdown), the
executed notebooks (the record), the
data package, the record of numbers, ``build-info.json``, ``SHA256SUMS`` and the
certificate (``codecheck.yml`` and ``verification.json``, :mod:`reportbuild.certificate`). An existing version is
never overwritten, and a release is made only from a committed state: the
notebooks and the data are taken from the commit (``git archive HEAD``), never
from the work tree, and the release is refused while tracked files differ from
the commit or untracked files lie among the report's inputs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from importlib.metadata import version as package_version
from pathlib import Path

from analysis import changes

from . import certificate
from .sphinx_stamp import SWITCHER_ENV
from analysis.paths import DIST_DIR, PROJECT_ROOT, build_paths
from analysis.outputs import PACKAGES
from .version import stamp

#: What the report is built from: an untracked file here could reach the site or the PDF.
INPUTS = ["book", "data", "record", "analysis", "reportbuild", "_config.yml", "_toc.yml", "pyproject.toml", "requirements.txt"]
#: Paths of the commit that a release ships, and the folder each goes to.
SHIPPED = {"book": "book", "data": "data", "record": "record"}


def sha256sums(folder: Path) -> str:
    """``sha256sum``-style lines for every file below ``folder``, sorted by path."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}")
    return "\n".join(lines) + "\n"


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True).stdout


def uncommitted(repo: Path = PROJECT_ROOT) -> list[str]:
    """``git status`` lines of tracked files that differ from HEAD, and of untracked (not ignored)
    files among the report's inputs; empty for a committed state."""
    tracked = _git(repo, "status", "--porcelain", "--untracked-files=no").decode().splitlines()
    untracked = _git(repo, "status", "--porcelain", "--untracked-files=all", "--", *INPUTS).decode().splitlines()
    return tracked + [line for line in untracked if line.startswith("??")]


def extract_committed(repo: Path, paths: dict[str, str], target: Path, ref: str = "HEAD") -> None:
    """Write the committed content of each path in ``paths`` (``git archive ref``) to ``target/<folder>``."""
    archive = _git(repo, "archive", "--format=tar", ref, "--", *paths)
    scratch = target / ".archive"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        # the archive is git's own: regular files and folders with relative names
        if hasattr(tarfile, "data_filter"):
            tar.extractall(scratch, filter="data")
        else:  # Python before 3.11.4
            tar.extractall(scratch)
    for path, folder in paths.items():
        (scratch / path).rename(target / folder)
    shutil.rmtree(scratch)


def build_info(executions: Path | None = None) -> dict:
    """Version, commit, build date, Python, package versions and the chapters' execution times."""
    s = stamp()
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = package_version(name)
        except Exception:  # a package not installed is recorded as such
            versions[name] = None
    executions = executions or build_paths(PROJECT_ROOT / "data").executions
    timings = json.loads(executions.read_text(encoding="utf-8")) if executions.is_file() else []
    return {"version": s["version"], "commit": s["commit"], "build_date": s["build_date"],
            "python": platform.python_version(), "packages": versions, "executions": timings}


def check_committed(repo: Path = PROJECT_ROOT) -> None:
    """Stop with the list of changes unless the work tree is a committed state."""
    changes = uncommitted(repo)
    if changes:
        listed = "\n".join(f"  {line}" for line in changes)
        raise SystemExit(f"error: the work tree has uncommitted changes; commit them (or remove stray "
                         f"files) before a release:\n{listed}")


def make_release(dist: Path, allow_changes: bool = False, html: Path | None = None, pdf: Path | None = None,
                 repo: Path = PROJECT_ROOT) -> Path:
    """Copy the built report and the committed chapters, record and data into ``dist/<version>/``;
    refuses an existing version or a work tree that is not a committed state."""
    s = stamp()
    if not allow_changes:
        check_committed(repo)
    target = dist / s["version"]
    if target.exists():
        raise SystemExit(f"error: {target} exists; a released version is never "
                         "overwritten (bump the version in pyproject.toml)")
    built = build_paths(PROJECT_ROOT / "data")
    html = html or built.site
    pdf = pdf or built.pdf_dir / s["pdf"]
    supplement = pdf.with_name(s["supplement_pdf"])
    for needed in (html, pdf, supplement):
        if not needed.exists():
            raise SystemExit(f"error: {needed} is missing; run make html and make pdf")
    staging = dist / f".{s['version']}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copytree(html, staging / "html")
    shutil.copy2(pdf, staging / s["pdf"])
    shutil.copy2(supplement, staging / s["supplement_pdf"])
    extract_committed(repo, SHIPPED, staging)
    info = build_info()
    (staging / "build-info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    (staging / "SHA256SUMS").write_text(sha256sums(staging), encoding="utf-8")
    certificate.write(staging, s, info["packages"])
    staging.rename(target)
    return target


_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def set_version(version: str, date: str, repo: Path = PROJECT_ROOT) -> None:
    """The release's version in ``pyproject.toml`` and ``CITATION.cff`` (with its date), and the
    changelog's "Unreleased" section dated as that version, with a new empty one above it."""
    if not _VERSION.match(version):
        raise SystemExit(f"error: {version!r} is not a version x.y.z")
    current = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    if tuple(map(int, version.split("."))) <= tuple(map(int, current.split("."))) and \
            changes.dated((repo / "CHANGELOG.md").read_text(encoding="utf-8"), current):
        raise SystemExit(f"error: {version} is not after the released version {current}")
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    if not re.search(r"^## Unreleased[ \t]*$", changelog, re.M):
        raise SystemExit("error: CHANGELOG.md has no '## Unreleased' section to release")
    (repo / "CHANGELOG.md").write_text(re.sub(r"^## Unreleased[ \t]*$", f"## Unreleased\n\n## {version} - {date}",
                                              changelog, count=1, flags=re.M), encoding="utf-8")
    for name, pattern, new in (("pyproject.toml", r'^version = "[^"]*"$', f'version = "{version}"'),
                               ("CITATION.cff", r"^version: .*$", f"version: {version}"),
                               ("CITATION.cff", r"^date-released: .*$", f'date-released: "{date}"')):
        text = (repo / name).read_text(encoding="utf-8")
        if not re.search(pattern, text, re.M):
            text = text.replace("\nlicense:", f"\n{new}\nlicense:", 1) if name == "CITATION.cff" else text
        (repo / name).write_text(re.sub(pattern, new, text, count=1, flags=re.M), encoding="utf-8")


def cut(version: str, repo: Path = PROJECT_ROOT) -> None:
    """Refuse a dirty tree or a failing ``make verify``; set the version; regenerate the record; commit."""
    check_committed(repo)
    run = [sys.executable, "-m", "reportbuild"]
    if subprocess.run([*run, "verify"], cwd=repo).returncode:
        raise SystemExit("error: make verify failed: a release is cut only from a state whose chapters match "
                         "their record")
    date = dt.datetime.now(dt.timezone.utc).date().isoformat()
    files = ["pyproject.toml", "CITATION.cff", "CHANGELOG.md"]
    try:
        set_version(version, date, repo)
        if subprocess.run([*run, "execute"], cwd=repo).returncode:
            raise SystemExit("error: regenerating the record failed")
    except BaseException:
        _git(repo, "checkout", "--", *files, "record")
        raise
    _git(repo, "add", "--", *files, "record")
    _git(repo, "commit", "-q", "-m", f"Release {version}")


def undo_cut(version: str, repo: Path = PROJECT_ROOT) -> None:
    """Take back the release commit :func:`cut` made (the work tree was committed before it, so
    nothing else is lost): a release whose report does not build is no release."""
    subject = _git(repo, "log", "-1", "--format=%s").decode().strip()
    if subject != f"Release {version}":
        raise SystemExit(f"error: HEAD is {subject!r}, not the release commit of {version}: nothing undone")
    _git(repo, "reset", "-q", "--hard", "HEAD~1")


def switcher(dist: Path) -> list[dict]:
    """The list of releases every release's site reads (``dist/switcher.json``): each release folder
    in ``dist/``, newest first and marked preferred, and the development build if one is there."""
    versions = sorted((p.name for p in dist.iterdir() if p.is_dir() and _VERSION.match(p.name)),
                      key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    entries = [{"version": v, "name": f"{v} (latest)" if i == 0 else v, "url": f"/{v}/html/", **(
        {"preferred": True} if i == 0 else {})} for i, v in enumerate(versions)]
    if (dist / "dev" / "html").is_dir():
        entries.append({"version": "dev", "name": "development", "url": "/dev/html/"})
    (dist / "switcher.json").write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportbuild.release", description=__doc__)
    parser.add_argument("--dist", default=str(DIST_DIR), help="where releases go (default dist/)")
    parser.add_argument("--version", help="cut this release first (x.y.z): set, record, commit")
    parser.add_argument("--allow-changes", action="store_true", help="release a work tree with uncommitted changes")
    parser.add_argument("--check", action="store_true", help="only check that the work tree is a committed state")
    args = parser.parse_args(argv)
    if args.check:
        check_committed()
        return 0
    if args.version:
        cut(args.version)
    elif not changes.head_is_release():
        raise SystemExit("error: HEAD is not a release commit, and a release's folder is written only from its "
                         "own commit (git checkout the release first); make release VERSION=x.y.z cuts a new one")
    os.environ[SWITCHER_ENV] = "1"
    from . import build

    try:
        build.pdf(PROJECT_ROOT / "data")
        build.html(PROJECT_ROOT / "data")
    except build.BuildFailed as failure:
        print(failure, file=sys.stderr)
        if args.version:
            undo_cut(args.version)
            print(f"error: the report of {args.version} does not build: its release commit is undone",
                  file=sys.stderr)
        return failure.status
    target = make_release(Path(args.dist), args.allow_changes)
    switcher(Path(args.dist))
    print(f"release written to {target}; {Path(args.dist) / 'switcher.json'} lists every release")
    return 0


if __name__ == "__main__":
    sys.exit(main())
