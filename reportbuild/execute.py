"""Execute the chapters into the build's jupyter cache, in parallel, before Sphinx renders.

``python -m reportbuild.execute CACHE [--workers N]`` finds the chapters whose
code has no executed copy in the cache (jupyter-cache hashes a notebook's code
cells, their metadata and the kernel), runs them one kernel per core, and adds
each result to the cache from this process only (SQLite has one writer). Sphinx
then finds every chapter in the cache and only renders. Chapters are read with
myst-nb's own reader, so their hashes are the ones the book build computes.

``python -m reportbuild.execute CACHE --compare`` then compares each chapter's
executed copy in the cache with its published record, as nbval would (see
:mod:`reportbuild.compare`): ``make test`` checks the record without executing
the chapters a second time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from analysis.paths import BOOK_DIR, label

from . import inputs, notebooks


#: What the last cell prints: the analysis modules the kernel imported, and whether it loaded data.
USED = ("import json as _json, sys as _sys\n"
        "print(_json.dumps({'modules': sorted(m for m in _sys.modules if m == 'analysis' or m.startswith('analysis.')),"
        " 'data': 'analysis.data' in _sys.modules}))")


def _start_worker() -> None:
    """A worker's kernels are forks of a process that has imported what they need (reportbuild.kernel)."""
    from . import kernel

    kernel.use_forked_kernels()


def _execute(chapter: Path, timeout: int) -> tuple[str, object, float, str | None, dict | None, str | None]:
    """Run one chapter in a fresh kernel from the book's folder (in a worker process); also
    returns the code signature of the very text it ran."""
    from jupyter_cache.executors.utils import single_nb_execution

    import nbformat

    text = chapter.read_text(encoding="utf-8")
    notebook = notebooks.read(chapter, text)
    # A last cell, removed again before caching, reports what the kernel used (reportbuild.inputs).
    notebook.cells.append(nbformat.v4.new_code_cell(USED, id="used-by-chapter"))
    started = time.perf_counter()
    try:
        # Every output is in once the last cell has run: the kernel is stopped, not asked to stop.
        result = single_nb_execution(notebook, cwd=str(BOOK_DIR), timeout=timeout, allow_errors=False,
                                     meta_override=True, shutdown_kernel="immediate")
        error = None if result.err is None else (result.exc_string or repr(result.err))
    except Exception:  # noqa: BLE001 - a dead kernel, a kernel that could not start: this chapter failed
        error = traceback.format_exc()
    seconds = time.perf_counter() - started
    used = notebook.cells.pop()
    report = None
    if error is None:
        report = json.loads("".join(o.get("text", "") for o in used.outputs if o.get("name") == "stdout"))
    return str(chapter), notebook, seconds, error, report, code_signature(text)


#: Where the cache remembers which code each chapter had when it was last found in it.
KNOWN = "ips-known-code.json"
_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}")


def code_signature(text: str) -> str | None:
    """A hash of what jupyter-cache's match can depend on in a MyST notebook (the front
    matter, every ``{code-cell}`` with its options, cell breaks), without prose lines;
    None when the text holds anything this simple reading is not sure of."""
    lines = text.splitlines()
    kept: list[str] = []
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            return None
        kept, lines = lines[: end + 1], lines[end + 1:]
    fence = None
    for line in lines:
        if fence is None:
            opening = _CODE_FENCE.match(line)
            if opening:
                fence = opening.group(1)
                kept.append(line)
            elif "code-cell" in line or "raw-cell" in line:
                return None  # an indented, nested or unusual cell: let jupyter-cache decide
            elif line.startswith("+++"):
                kept.append(line)
        else:
            kept.append(line)
            if line.lstrip().startswith((":load:", "load:")):
                return None  # the cell's code is in another file
            closing = line.rstrip()
            indent = len(closing) - len(closing.lstrip(" "))
            closing = closing.lstrip(" ")
            if indent <= 3 and closing and set(closing) == {fence[0]} and len(closing) >= len(fence):
                fence = None  # as CommonMark closes a fence: at most three spaces before it
    if fence is not None:
        return None
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()


def _cache_state(cache_path: Path) -> list[str] | None:
    """The executed notebooks the cache holds (one folder each, named by its hash): reading
    the cache touches its database, adding or removing an entry changes this list."""
    executed = Path(cache_path) / "executed"
    return sorted(p.name for p in executed.iterdir()) if executed.is_dir() else None


def _known(cache_path: Path) -> dict[str, str]:
    """The chapters' code signatures last found in the cache, if the cache has not changed since."""
    path = Path(cache_path) / KNOWN
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known.get("chapters", {}) if known.get("cache") == _cache_state(cache_path) else {}


def _remember(cache_path: Path, signatures: dict[str, str | None]) -> None:
    """Remember the signatures of the texts that were looked up or executed (never the files read
    again later: an edit saved meanwhile has not been looked up)."""
    known = {"cache": _cache_state(cache_path), "chapters": {c: s for c, s in signatures.items() if s}}
    (Path(cache_path) / KNOWN).write_text(json.dumps(known, indent=1) + "\n", encoding="utf-8")


def _lookup(cache_path: Path, chapters: list[Path]) -> tuple[list[Path], dict[str, str | None]]:
    """The chapters without an executed copy of their code in the cache, and every chapter's code
    signature, both from one reading of each chapter.

    A chapter whose code (:func:`code_signature`) is the one last found in the cache,
    which has not been written since, is not looked up again: a prose edit then costs
    no import of jupyter-cache or myst-nb. Any doubt means a lookup."""
    texts = {chapter: chapter.read_text(encoding="utf-8") for chapter in chapters}
    signatures = {str(chapter): code_signature(text) for chapter, text in texts.items()}
    known = _known(cache_path)
    doubtful = [c for c in chapters if signatures[str(c)] is None or known.get(str(c)) != signatures[str(c)]]
    if not doubtful:
        return [], signatures
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    missing = []
    for chapter in doubtful:
        try:
            cache.match_cache_notebook(notebooks.read(chapter, texts[chapter]))
        except KeyError:
            missing.append(chapter)
    return missing, signatures


def execute(cache_path: Path, chapters: list[Path], workers: int = 2, timeout: int = 300,
            executions: Path | None = None) -> int:
    """Execute the stale chapters in parallel into the cache; prints one line per chapter.

    When it executed any and ``executions`` is given, it writes the last execution of every
    chapter there and prints them (:func:`reportbuild.status.executions`): from the cache it
    already has open, instead of a process started after the build to read it again."""
    todo, signatures = _lookup(cache_path, chapters)
    if not todo:
        _remember(cache_path, signatures)
        return 0
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_path))
    workers = max(1, min(workers, len(todo)))
    print(f"Executing {len(todo)} chapter{'s' if len(todo) > 1 else ''} ({workers} at once)", flush=True)
    failed = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
        jobs = [pool.submit(_execute, chapter, timeout) for chapter in todo]
        for job in jobs:
            path, notebook, seconds, error, used, signatures[path] = job.result()
            if error:
                failed.append((path, error))
                print(f"{path}: Executing notebook failed after {seconds:.2f} seconds", flush=True)
                continue
            cache.cache_notebook_bundle(CacheBundleIn(notebook, path, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            inputs.record_deps(None, Path(path).stem, used["modules"], used["data"])
            print(f"{path}: Executed notebook in {seconds:.2f} seconds", flush=True)
    for path, error in failed:
        print(f"\n{label(Path(path))} failed:\n{error}", flush=True)
    if not failed:
        _remember(cache_path, signatures)
    if executions is not None:
        from . import status

        status.main(["executions", str(cache_path), "--json", str(executions)])
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportbuild.execute", description=__doc__.split("\n")[0])
    parser.add_argument("cache", type=Path, help="the build folder's jupyter cache")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="kernels at once (default: cores)")
    parser.add_argument("--compare", action="store_true", help="compare the cached chapters with the record")
    parser.add_argument("--executions", type=Path, help="after executing any, write every chapter's last execution here")
    args = parser.parse_args(argv)
    if args.compare:
        from . import compare

        return compare.main(args.cache)
    return execute(args.cache, notebooks.chapters(), args.workers, executions=args.executions)


if __name__ == "__main__":
    sys.exit(main())
