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
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from analysis.paths import BOOK_DIR, label

from . import inputs, notebooks


#: What the last cell prints: the analysis modules the kernel imported, and whether it loaded data.
USED = ("import json as _json, sys as _sys\n"
        "print(_json.dumps({'modules': sorted(m for m in _sys.modules if m == 'analysis' or m.startswith('analysis.')),"
        " 'data': 'analysis.data' in _sys.modules}))")


def _execute(chapter: Path, timeout: int) -> tuple[str, object, float, str | None, dict | None]:
    """Run one chapter in a fresh kernel from the book's folder (in a worker process)."""
    from jupyter_cache.executors.utils import single_nb_execution

    import nbformat

    notebook = notebooks.read(chapter)
    # A last cell, removed again before caching, reports what the kernel used (reportbuild.inputs).
    notebook.cells.append(nbformat.v4.new_code_cell(USED, id="used-by-chapter"))
    started = time.perf_counter()
    result = single_nb_execution(notebook, cwd=str(BOOK_DIR), timeout=timeout, allow_errors=False,
                                 meta_override=True)
    seconds = time.perf_counter() - started
    used = notebook.cells.pop()
    error = None if result.err is None else (result.exc_string or repr(result.err))
    report = None
    if error is None:
        report = json.loads("".join(o.get("text", "") for o in used.outputs if o.get("name") == "stdout"))
    return str(chapter), notebook, seconds, error, report


def stale(cache_path: Path, chapters: list[Path]) -> list[Path]:
    """The chapters without an executed copy of their current code in the cache."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    missing = []
    for chapter in chapters:
        try:
            cache.match_cache_notebook(notebooks.read(chapter))
        except KeyError:
            missing.append(chapter)
    return missing


def execute(cache_path: Path, chapters: list[Path], workers: int = 2, timeout: int = 300) -> int:
    """Execute the stale chapters in parallel into the cache; prints one line per chapter."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    todo = stale(cache_path, chapters)
    if not todo:
        return 0
    cache = get_cache(str(cache_path))
    workers = max(1, min(workers, len(todo)))
    print(f"Executing {len(todo)} chapter{'s' if len(todo) > 1 else ''} ({workers} at once)", flush=True)
    failed = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(_execute, chapter, timeout) for chapter in todo]
        for job in jobs:
            path, notebook, seconds, error, used = job.result()
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
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportbuild.execute", description=__doc__.split("\n")[0])
    parser.add_argument("cache", type=Path, help="the build folder's jupyter cache")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="kernels at once (default: cores)")
    parser.add_argument("--compare", action="store_true", help="compare the cached chapters with the record")
    args = parser.parse_args(argv)
    if args.compare:
        from . import compare

        return compare.main(args.cache)
    return execute(args.cache, notebooks.chapters(), args.workers)


if __name__ == "__main__":
    sys.exit(main())
