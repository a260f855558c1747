"""Write a release folder: ``python -m analysis.release`` (``make release``).

``dist/<version>/`` gets the HTML site, the PDF, the executed notebooks, the
data package, ``build-info.json`` and ``SHA256SUMS``. An existing version is
never overwritten, and a release is made only from a committed state.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import sys
from importlib.metadata import version as package_version
from pathlib import Path

from .paths import BOOK_DIR, PROJECT_ROOT, data_dir
from .status import PACKAGES
from .version import stamp


def sha256sums(folder: Path) -> str:
    """``sha256sum``-style lines for every file below ``folder``, sorted by path."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}")
    return "\n".join(lines) + "\n"


def build_info() -> dict:
    s = stamp()
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = package_version(name)
        except Exception:  # a package not installed is recorded as such
            versions[name] = None
    return {"version": s["version"], "commit": s["commit"], "build_date": s["build_date"],
            "python": platform.python_version(), "packages": versions}


def make_release(dist: Path, allow_changes: bool = False, html: Path | None = None, pdf: Path | None = None,
                 data: Path | None = None) -> Path:
    """Copy the built report into ``dist/<version>/``; refuses an existing version or a dirty tree."""
    s = stamp()
    if s["commit"].endswith("+changes") and not allow_changes:
        raise SystemExit("error: the work tree has uncommitted changes; commit them before a release")
    target = dist / s["version"]
    if target.exists():
        raise SystemExit(f"error: {target} exists; a released version is never "
                         "overwritten (bump the version in pyproject.toml)")
    html = html or PROJECT_ROOT / "_build" / "html"
    pdf = pdf or PROJECT_ROOT / "_build" / "pdf" / s["pdf"]
    for needed in (html, pdf):
        if not needed.exists():
            raise SystemExit(f"error: {needed} is missing; run make html and make pdf")
    staging = dist / f".{s['version']}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copytree(html, staging / "html")
    shutil.copy2(pdf, staging / s["pdf"])
    shutil.copytree(BOOK_DIR, staging / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(data or data_dir(), staging / "data")
    (staging / "build-info.json").write_text(json.dumps(build_info(), indent=2) + "\n", encoding="utf-8")
    (staging / "SHA256SUMS").write_text(sha256sums(staging), encoding="utf-8")
    staging.rename(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.release", description=__doc__)
    parser.add_argument("--dist", default=str(PROJECT_ROOT / "dist"), help="where releases go (default dist/)")
    parser.add_argument("--allow-changes", action="store_true", help="release a work tree with uncommitted changes")
    args = parser.parse_args(argv)
    target = make_release(Path(args.dist), args.allow_changes)
    print(f"release written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
