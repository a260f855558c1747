"""Benchmarks of the build and the tests: ``make bench`` (``python bench/run.py``).

Each measure is taken ``--runs`` times (default once) on this machine and its
median written to bench/results.md, with its target:

- a clean HTML build of the study data (results, execution and pages from nothing);
- clean HTML builds of synthetic cohorts of 10,000 and 100,000 participants
  (``python -m analysis.synthetic``), as multiples of the study's;
- ``make html`` after a prose edit (an author's second edit: the work tree
  already differs from the commit, so the version stamp stays the same);
- the live preview: seconds from saving a prose edit to the page showing it;
- ``make test`` with the HTML and the PDF already built;
- the lines of the build's code (``reportbuild/``).

It also writes bench/imports.md (what each chapter imports), bench/shutdown.md
(how long a kernel takes to shut down) and, with ``bench/prose.py``, the markup
of the study chapters' prose into bench/results.md. Every edit is
undone afterwards, whatever happens.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from analysis.paths import build_paths

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("IPS_REPORT_")} | {"PYTHONHASHSEED": "0"}
PROSE = (ROOT / "book" / "methods.md", "The scales, their ranges", "The scales and their ranges")
COHORTS = ROOT / "_build" / "bench"


def run(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def clean(data: Path) -> None:
    """Remove what a build of ``data`` made: its results, cache, work folders and site."""
    built = build_paths(data)
    for target in (built.results, built.cache, built.work, built.site, built.build / ".html-built",
                   built.build / "executed-with.txt"):
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)


def clean_build(data: Path) -> float:
    clean(data)
    return run([PY, "-m", "reportbuild", "html", "--data", str(data)])


def cohort(n: int) -> Path:
    """A synthetic cohort of n participants (seeded: the same on every run)."""
    folder = COHORTS / f"n{n}" / "data"
    if not (folder / "datapackage.json").is_file():
        run([PY, "-m", "analysis.synthetic", str(folder), "--n", str(n)])
    return folder


class Edited:
    """Edit a file for the duration of a block; the original bytes come back after."""

    def __init__(self, path: Path, edit):
        self.path, self.edit = path, edit

    def __enter__(self):
        self.original = self.path.read_bytes()
        self.path.write_text(self.edit(self.original.decode("utf-8")), encoding="utf-8")

    def __exit__(self, *exc):
        self.path.write_bytes(self.original)


def prose_edit(text: str) -> str:
    path, old, new = PROSE
    assert old in text, f"{path.name} no longer has {old!r}: choose another sentence for the benchmark"
    return text.replace(old, new, 1)


def second_prose_edit() -> float:
    """``make html`` after an author's edit while writing: the work tree already differs from the
    commit (an earlier edit), so the version stamp ("+changes") is the one the pages already show."""
    path = PROSE[0]
    with Edited(path, lambda text: text + "\n<!-- an earlier edit -->\n"):
        run([PY, "-m", "reportbuild", "html"])
        with Edited(path, prose_edit):
            return run([PY, "-m", "reportbuild", "html"])


def preview_prose_edit() -> float:
    """Seconds from saving a prose edit to the preview serving the page with it."""
    port = "8719"
    server = subprocess.Popen([PY, "-m", "reportbuild", "preview", "--port", port], cwd=ROOT, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/book/methods.html"
    try:
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(2)
        path, old, _ = PROSE
        marker = f"benchmark {time.time_ns()}"
        with Edited(path, lambda text: text.replace(old, f"{marker} {old}", 1)):
            started = time.perf_counter()
            while time.perf_counter() - started < 60:
                try:
                    if marker in urllib.request.urlopen(url, timeout=2).read().decode("utf-8"):
                        return time.perf_counter() - started
                except OSError:
                    pass
                time.sleep(0.05)
        raise RuntimeError("the preview never showed the edit")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def timed_test() -> float:
    """``make test`` as an author runs it between edits: the builds it checks are current."""
    run(["make", "html", "pdf"])
    return run(["make", "test"])


def build_lines() -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "reportbuild").glob("*.py"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="measure only these (substrings of their names)")
    args = parser.parse_args(argv)
    study = ROOT / "data"
    measures = {
        "clean HTML build, study data": (lambda: clean_build(study), "≤ 20 s with the standard executor"),
        "clean HTML build, 10,000 participants": (lambda: clean_build(cohort(10_000)), "≤ 1.3 × the study's"),
        "clean HTML build, 100,000 participants": (lambda: clean_build(cohort(100_000)), "≤ 2.5 × the study's"),
        "preview, saved prose edit shown": (preview_prose_edit, "≤ 2.5 s"),
        "make html after a prose edit": (second_prose_edit, "≤ 5 s"),
        "make test, builds current": (timed_test, "≤ 45 s"),
    }
    results = {}
    for name, (measure, target) in measures.items():
        if args.only and not any(part in name for part in args.only):
            continue
        times = [measure() for _ in range(args.runs)]
        results[name] = (statistics.median(times), min(times), max(times), target)
        print(f"{name}: median {results[name][0]:.1f} s", flush=True)
    run([PY, "-m", "reportbuild", "html"])  # leave a current site behind
    lines = ["# Benchmarks", "",
             f"{args.runs} run(s) of each on this machine ({os.cpu_count()} cores, Python {platform.python_version()}),"
             " written by `make bench` (`bench/run.py`).", "",
             "| measure | median (s) | min (s) | max (s) | target |", "|---|---:|---:|---:|---|"]
    lines += [f"| {n} | {m:.1f} | {lo:.1f} | {hi:.1f} | {t} |" for n, (m, lo, hi, t) in results.items()]
    base = results.get("clean HTML build, study data", (None,))[0]
    ratios = [f"- {n.removeprefix('clean HTML build, ')} ÷ study: {results[n][0] / base:.2f} ×"
              for n in results if base and "participants" in n]
    lines += ["", *ratios, f"- `reportbuild/` lines: {build_lines():,} (target ≤ 1,500; `tools/` is gone)"]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    # the chapters' markup (appended to bench/results.md), their imports and the kernels' shutdowns
    for script in ("prose.py", "imports.py", "shutdown.py"):
        subprocess.run([PY, str(ROOT / "bench" / script)], cwd=ROOT, env=ENV, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
