"""What a change to the inputs invalidates: every chapter, or only those that used it.

jupyter-cache notices only edits to a chapter's code. Every other input that can
change an output is hashed here, file by file, into the build folder's input
stamp, and compared with the last build's:

- a change to the build tooling, the configuration, the requirements, the
  installed packages or the Python version clears the whole execution cache and
  Sphinx's saved doctrees (every chapter is executed and read again);
- a change to a module of ``analysis/`` or a file of the data directory clears
  only the cache entries of the chapters that used it, as recorded when they were
  last executed (:mod:`reportbuild.execute` writes ``deps.json``: the analysis
  modules each chapter's kernel had imported, and whether it read the data);
  a chapter with no such record counts as using everything. Sphinx re-reads
  exactly those chapters (:mod:`reportbuild.sphinx_outdated`).

``python -m reportbuild.inputs`` does this for the data directory in force and
prints what it cleared.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from analysis.paths import PROJECT_ROOT, BuildPaths, build_paths, data_dir, label

from . import notebooks

#: Inputs whose change invalidates every chapter.
GLOBAL = ["reportbuild", "tools", "_config.yml", "_toc.yml", "pyproject.toml", "requirements.txt",
          ".venv/bin/.installed", "analysis/report.mplstyle"]
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and not SKIPPED_PARTS & set(p.parts)
                  and not any(part.endswith(".egg-info") for part in p.parts))


def hashes(data: Path) -> dict[str, str]:
    """SHA-256 of every input file, by kind: ``global:``, ``module:`` (analysis) and ``data:``."""
    found = {"global:python": sys.version, "global:data-dir": str(data)}
    for name in GLOBAL:
        for path in _files(PROJECT_ROOT / name) if (PROJECT_ROOT / name).exists() else []:
            found[f"global:{path.relative_to(PROJECT_ROOT)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    for path in sorted((PROJECT_ROOT / "analysis").glob("*.py")):
        found[f"module:analysis.{path.stem}".replace("analysis.__init__", "analysis")] = \
            hashlib.sha256(path.read_bytes()).hexdigest()
    for path in _files(data):
        found[f"data:{path.relative_to(data)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def affected(changed: set[str], deps: dict[str, dict], chapters: list[str]) -> list[str]:
    """The chapters (book-relative names without suffix) that used a changed input."""
    if not changed:
        return []
    modules = {key.removeprefix("module:") for key in changed if key.startswith("module:")}
    data_changed = any(key.startswith("data:") for key in changed)
    hit = []
    for chapter in chapters:
        used = deps.get(chapter)
        if used is None or (data_changed and used.get("data", True)) or modules & set(used.get("modules", [])):
            hit.append(chapter)
    return hit


def _clear_all(paths: BuildPaths) -> None:
    for folder in (paths.cache, paths.work / "_build" / ".doctrees", paths.work_latex / "_build" / ".doctrees",
                   paths.preview / "doctrees"):
        shutil.rmtree(folder, ignore_errors=True)
    (paths.build / "deps.json").unlink(missing_ok=True)
    (paths.build / "outdated.json").unlink(missing_ok=True)


def _clear_chapters(paths: BuildPaths, names: list[str]) -> None:
    from jupyter_cache import get_cache

    if paths.cache.exists():
        cache = get_cache(str(paths.cache))
        for name in names:
            try:
                cache.remove_cache(cache.match_cache_notebook(notebooks.read(notebooks.BOOK_DIR / f"{name}.md")).pk)
            except KeyError:
                pass
    outdated_file = paths.build / "outdated.json"
    outdated = json.loads(outdated_file.read_text()) if outdated_file.is_file() else {"serial": 0, "docs": []}
    outdated = {"serial": outdated["serial"] + 1, "docs": sorted(set(outdated["docs"]) | {f"book/{n}" for n in names})}
    outdated_file.write_text(json.dumps(outdated) + "\n", encoding="utf-8")


def update(data: Path | None = None) -> str:
    """Compare the inputs with the last build's and clear what they invalidate; returns what was done."""
    data = data or data_dir()
    paths = build_paths(data)
    paths.build.mkdir(parents=True, exist_ok=True)
    now = hashes(data)
    try:
        before = json.loads(paths.inputs_stamp.read_text()) if paths.inputs_stamp.is_file() else None
    except ValueError:  # a stamp of another form: start again
        before = "unreadable"
    if not isinstance(before, dict):
        message = "inputs changed: every chapter will be re-executed" if before is not None or paths.cache.exists() else ""
        _clear_all(paths)
    else:
        changed = {key for key in set(now) | set(before) if now.get(key) != before.get(key)}
        if any(key.startswith("global:") for key in changed):
            _clear_all(paths)
            message = "inputs changed: every chapter will be re-executed"
        else:
            deps_file = paths.build / "deps.json"
            deps = json.loads(deps_file.read_text()) if deps_file.is_file() else {}
            names = affected(changed, deps, [c.stem for c in notebooks.chapters()])
            _clear_chapters(paths, names) if names else None
            message = f"inputs changed: re-executing {', '.join(names)}" if names else ""
    paths.inputs_stamp.write_text(json.dumps(now, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return message


def record_deps(data: Path | None, chapter: str, modules: list[str], read_data: bool) -> None:
    """Remember what a chapter used when it was executed (called by reportbuild.execute)."""
    path = build_paths(data).build / "deps.json"
    deps = json.loads(path.read_text()) if path.is_file() else {}
    deps[chapter] = {"modules": sorted(modules), "data": read_data}
    path.write_text(json.dumps(deps, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    done = update()
    if done:
        print(done)
    print(label(build_paths().inputs_stamp), "is current", file=sys.stderr) if "--verbose" in sys.argv else None
