"""Build the report: results once, chapters through jupyter-cache, pages through Jupyter Book.

One build of one data directory (``data/`` unless ``--data``), in its own build
folder (:func:`analysis.paths.build_paths`), one at a time (a file lock):

1. the results (:func:`analysis.results.ensure`): the data package validated and
   everything the report states computed once, unless its inputs are unchanged;
   bad data stops the build with one message naming the file, line, column,
   value and rule (exit status 2);
2. the one staleness rule: when the results' input hash is not the one the
   chapters were executed with, the execution cache and Sphinx's saved doctrees
   are cleared, so every chapter is executed and read again; otherwise a chapter
   is executed only when its code changed (jupyter-cache), and read again by
   Sphinx when its source or this package's Sphinx extensions changed;
3. the chapters not in the cache are executed by jupyter-cache's own
   ``local-parallel`` executor, one plain kernel per core;
4. Jupyter Book renders them from the cache, with warnings as errors, its
   whole output in the build folder's ``logs/``; the HTML replaces the published
   site only when it succeeded, the PDF is copied out of its work folder.

When nothing a site or a PDF comes from has changed since its last successful
build (:func:`fingerprint`), the build says so and stops.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from analysis import results
from analysis.paths import PROJECT_ROOT, BuildPaths, build_paths, data_dir, label
from analysis.validation import DataValidationError

from . import notebooks
from .version import PDF_PARTS, build_epoch, pdf_name, stamp

#: What a build's pages come from besides the results' inputs.
SOURCES = ["book", "reportbuild", "_config.yml", "_toc.yml", "pyproject.toml"]
#: TeX without shell escape, reading and writing files only below its working folder (kpathsea).
TEX_SANDBOX = {"shell_escape": "f", "openin_any": "p", "openout_any": "p"}
#: Lines of a failed build's log that say why it failed.
RELEVANT = re.compile(
    r"WARNING:|ERROR:|CRITICAL:|SEVERE:|^\s*(\w+\.)*\w*(Error|Exception|Exit)\b:?"
    r"|^(Extension error|Exception occurred|Could not import)|^Cell In\[\d+\], line \d+|^-+> \d+ "
    r"|^! |^l\.\d+ |^Latexmk: (Errors|Missing)|^Error:|^error:")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: How many times chapters the executor could not cache are executed again.
RETRIES = 2


class BuildFailed(Exception):
    """A step failed; its message says why and where the full log is."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def relevant(lines, limit: int = 40) -> list[str]:
    """The lines of a failed build's log that say why it failed, each once, in order."""
    found: list[str] = []
    for line in lines:
        text = ANSI.sub("", line).rstrip()
        if text.strip() and RELEVANT.search(text) and text not in found:
            found.append(text[:400])
    return found[:limit] + ([f"… and {len(found) - limit} more such lines in the log"] if len(found) > limit else [])


def executions(cache: Path) -> list[dict]:
    """The last execution of each chapter in a jupyter cache: notebook, start (UTC, ISO 8601) and seconds.

    Kept out of the pages (two builds of one commit are identical): in the build folder's
    ``executions.json``, and in a release's ``build-info.json``.
    """
    if not (Path(cache) / "global.db").is_file():
        return []
    from jupyter_cache import get_cache

    latest: dict[str, dict] = {}
    for record in get_cache(str(cache)).list_cache_records():
        name = label(Path(record.uri))
        seconds = (record.data or {}).get("execution_seconds")
        row = {"notebook": name, "executed": record.created.isoformat(timespec="seconds"),
               "seconds": None if seconds is None else round(float(seconds), 2)}
        if name not in latest or row["executed"] >= latest[name]["executed"]:
            latest[name] = row
    return [latest[name] for name in sorted(latest)]


def fingerprint(data: Path, *extra: str) -> str:
    """Everything a site or PDF comes from: the results' inputs, the book, the build's code and
    configuration, the version stamp (commit, work-tree state, date) and ``extra``."""
    return results.input_hash(data, [PROJECT_ROOT / name for name in SOURCES], "\n".join([repr(stamp()), *extra]))


def _config(paths: BuildPaths) -> Path:
    """The book's configuration with this build folder's jupyter cache (relative to the project, so that
    no absolute path of the machine reaches the site)."""
    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["cache"] = os.path.relpath(paths.cache, PROJECT_ROOT)
    paths.config.parent.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return paths.config


@contextlib.contextmanager
def _output_to(log: Path):
    """This process's (and its children's) standard output and error go to ``log``."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log.open("a", encoding="utf-8") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def prepare(data: Path, paths: BuildPaths, say) -> results.Results:
    """Steps 1 and 2: the results, and the execution cache cleared when they changed."""
    try:
        found, computed = results.ensure(data)
    except DataValidationError as error:
        raise BuildFailed(f"error: {error}", status=2) from None
    if computed:
        say(f"results computed from {label(data)} ({len(found.numbers)} numbers): {label(paths.results)}")
    # the chapters' outputs come from the results; the pages read from them, also from this package's
    # Sphinx extensions (the renderer of tables, figures and their downloads), which Sphinx does not watch
    rendered = results.input_hash(data, [PROJECT_ROOT / "reportbuild"])
    stamp_file = paths.build / "executed-with.txt"
    previous = stamp_file.read_text().split() if stamp_file.is_file() else []
    doctrees = [paths.work / "_build" / ".doctrees", paths.work_latex / "_build" / ".doctrees",
                paths.preview / ".doctrees"]
    if previous[:1] != [found.inputs]:
        doctrees.append(paths.cache)
    if previous != [found.inputs, rendered]:
        for folder in doctrees:
            shutil.rmtree(folder, ignore_errors=True)
        stamp_file.write_text(f"{found.inputs}\n{rendered}\n")
    os.environ[results.RESULTS_ENV] = str(paths.results)  # the kernels read these results, never recompute
    return found


def execute(paths: BuildPaths, log: Path, say) -> None:
    """Step 3: the chapters whose code has no executed copy in the cache, in parallel."""
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(str(paths.cache))
    chapters = {str(chapter.resolve()) for chapter in notebooks.chapters()}
    for record in cache.list_project_records():
        if record.uri not in chapters:
            cache.remove_nb_from_project(record.pk)
    for uri in _balanced(sorted(chapters), paths):
        cache.add_nb_to_project(uri, read_data={"name": "myst_nb_md", "type": "plugin"})
    todo = cache.list_unexecuted()
    if not todo:
        return
    say(f"executing {len(todo)} chapter{'s' if len(todo) > 1 else ''} ({os.cpu_count()} at once)")
    logger = logging.getLogger("reportbuild.execute")
    logger.setLevel(logging.INFO)
    errored: list[str] = []
    for _ in range(RETRIES + 1):
        with _output_to(log):
            handler = logging.StreamHandler(sys.stderr)
            logger.addHandler(handler)
            try:
                run = load_executor("local-parallel", cache, logger=logger).run_and_cache(
                    filter_pks=[r.pk for r in todo], timeout=300, allow_errors=False)
            finally:
                logger.removeHandler(handler)
        for uri in run.succeeded:
            record = cache.get_cached_project_nb(uri)
            seconds = (record.data or {}).get("execution_seconds") if record else None
            say(f"  executed {label(Path(uri))}" + (f" in {seconds:.1f} s" if seconds else ""))
        if run.excepted:  # a cell failed: the chapter's own error
            _failed_chapters(cache, run.excepted, log)
        # Not executed, or its executed copy missing: the executor's workers share one cache, and one
        # can remove another's copy as it is being written (its cache truncation). Those run again.
        todo, errored = cache.list_unexecuted(), run.errored
        if not todo:
            break
    else:
        _failed_chapters(cache, errored or [r.uri for r in todo], log)
    paths.executions.write_text(json.dumps(executions(paths.cache), indent=2) + "\n", encoding="utf-8")


def _balanced(uris: list[str], paths: BuildPaths) -> list[str]:
    """The chapters in the order that shares the work fairly between the executor's workers.

    The executor hands its workers the chapters two at a time, in the order they were added to
    its project: the longest (by their last execution, else their size) alternate with the shortest.
    """
    last = {row["notebook"]: row["seconds"] or 0 for row in
            (json.loads(paths.executions.read_text(encoding="utf-8")) if paths.executions.is_file() else [])}
    cost = sorted(uris, key=lambda uri: (-last.get(label(Path(uri)), Path(uri).stat().st_size / 4000), uri))
    return [cost[i // 2] if i % 2 == 0 else cost[-1 - i // 2] for i in range(len(cost))]


def _failed_chapters(cache, uris: list[str], log: Path) -> None:
    details = []
    with log.open("a", encoding="utf-8") as handle:
        for uri in uris:
            traceback = ANSI.sub("", cache.get_project_record(uri).traceback or "not executed: see the log")
            handle.write(f"\n{label(Path(uri))} failed:\n{traceback}\n")
            details += [f"{label(Path(uri))} failed:"] + ["  " + line for line in relevant(traceback.splitlines())]
    raise BuildFailed("\n".join(details + [f"the full log is {label(log)}"]))


def sphinx(builder: str, paths: BuildPaths, out: Path, log: Path, say, quiet: bool = False) -> int:
    """Step 4: Jupyter Book's Sphinx build (``build_sphinx``, what ``jupyter-book build`` runs) with
    warnings as errors and nitpicky references, its output in ``log``; returns Sphinx's status."""
    from jupyter_book.sphinx import build_sphinx
    from sphinx.util.console import nocolor

    nocolor()  # a log without colour codes

    overrides = {"external_toc_path": "_toc.yml", "nitpicky": True, "latex_individualpages": False,
                 "templates_path": []}  # a list of its own: the themes append to it
    os.environ["IPS_REPORT_PDF_DIR"] = str(paths.pdf_dir)
    if not quiet:
        say(f"{'writing the LaTeX' if builder == 'latex' else 'writing the pages'} (Sphinx; log: {label(log)})")
    with _output_to(log), contextlib.chdir(PROJECT_ROOT):
        status = build_sphinx(PROJECT_ROOT, out, noconfig=True, path_config=os.path.relpath(_config(paths)),
                              confoverrides=overrides, builder=builder, warningiserror=True, keep_going=True,
                              doctreedir=out.parent / ".doctrees")
    return 1 if isinstance(status, Exception) else int(status or 0)


def _failed(what: str, status: int, log: Path) -> BuildFailed:
    lines = relevant(log.read_text(encoding="utf-8", errors="replace").splitlines())
    return BuildFailed("\n".join([f"{what}: FAILED (exit status {status}). What went wrong:"]
                                  + ["  " + line for line in lines or ["(no error line recognised: see the log)"]]
                                  + [f"the full log is {label(log)}"]), status)


@contextlib.contextmanager
def _lock(paths: BuildPaths, say):
    """One build at a time per build folder: an HTML and a PDF build of one data directory share its
    results and cache, and a build that clears the cache must not pull it from under another."""
    from filelock import FileLock, Timeout

    paths.build.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(paths.lock))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        say(f"waiting for another build in {label(paths.build)} to finish ...")
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def html(data: Path | None = None, say=print) -> Path:
    """Build the HTML site of a data directory; returns its index page."""
    data = data or data_dir()
    paths = build_paths(data)
    pdfs = sorted(f"{p.name} {p.stat().st_size} {p.stat().st_mtime_ns}" for p in paths.pdf_dir.glob("*.pdf"))
    with _lock(paths, say):
        done = paths.build / ".html-built"
        current = fingerprint(data, *pdfs, f"switcher {bool(os.environ.get('IPS_REPORT_SWITCHER'))}")
        if (paths.site / "index.html").is_file() and done.is_file() and done.read_text() == current:
            say(f"HTML: up to date, {label(paths.site / 'index.html')}")
            return paths.site / "index.html"
        log = paths.logs / "html.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("", encoding="utf-8")
        prepare(data, paths, say)
        execute(paths, log, say)
        status = sphinx("html", paths, paths.work_html, log, say)
        if status:
            raise _failed("html", status, log)
        new, old = paths.site.with_name("html.new"), paths.site.with_name("html.old")
        for folder in (new, old):
            shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(paths.work_html, new)
        if paths.site.exists():
            paths.site.rename(old)
        new.rename(paths.site)
        shutil.rmtree(old, ignore_errors=True)
        done.write_text(current)
    say(f"HTML: {label(paths.site / 'index.html')}")
    return paths.site / "index.html"


def pdf(data: Path | None = None, say=print) -> Path:
    """Build the PDFs of a data directory (the report and its supplement) through xelatex; returns
    the report's path."""
    data = data or data_dir()
    paths = build_paths(data)
    targets = {part: paths.pdf_dir / pdf_name(part) for part in PDF_PARTS}
    target = targets["report"]
    with _lock(paths, say):
        done = paths.build / ".pdf-built"
        tex = subprocess.run(["xelatex", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        current = fingerprint(data, tex)
        if all(t.is_file() for t in targets.values()) and done.is_file() and done.read_text() == current:
            say(f"PDF: up to date, {label(target)}")
            return target
        log = paths.logs / "pdf.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("", encoding="utf-8")
        prepare(data, paths, say)
        execute(paths, log, say)
        # LaTeX starts from a clean folder: the auxiliary files of another run can stop xelatex
        latex = paths.work_pdf().parent
        shutil.rmtree(latex, ignore_errors=True)
        status = sphinx("latex", paths, latex, log, say)
        if status:
            raise _failed("pdf", status, log)
        say("typesetting the PDF (xelatex)")
        with log.open("a", encoding="utf-8") as handle:
            # the PDF's dates and identifier from the build date, never the wall clock: identical PDFs
            dates = {"SOURCE_DATE_EPOCH": str(build_epoch()), "FORCE_SOURCE_DATE": "1"}
            status = subprocess.run(["make", "all-pdf"], cwd=latex, env=os.environ | TEX_SANDBOX | dates, stdout=handle,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL).returncode
        if status:
            raise _failed("pdf", status, log)
        target.parent.mkdir(parents=True, exist_ok=True)
        for part, path in targets.items():
            shutil.copyfile(paths.work_pdf(part), path.with_suffix(".tmp"))
            path.with_suffix(".tmp").replace(path)
        done.write_text(current)
    say(f"PDF: {label(target)} and its supplement, {targets['supplement'].name}")
    return target
