"""Write a release folder: ``python -m reportbuild.release`` (``make release``).

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
import hashlib
import io
import json
import platform
import shutil
import subprocess
import sys
import tarfile
from importlib.metadata import version as package_version
from pathlib import Path

from . import certificate
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportbuild.release", description=__doc__)
    parser.add_argument("--dist", default=str(DIST_DIR), help="where releases go (default dist/)")
    parser.add_argument("--allow-changes", action="store_true", help="release a work tree with uncommitted changes")
    parser.add_argument("--check", action="store_true", help="only check that the work tree is a committed state")
    args = parser.parse_args(argv)
    if args.check:
        check_committed()
        return 0
    target = make_release(Path(args.dist), args.allow_changes)
    print(f"release written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
