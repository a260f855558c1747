"""Benchmarks of the build and the tests: ``make bench`` (``python bench/run.py --runs 3``).

Each measure is the median of several runs on this machine; the two floors are
measured in the same run as the builds they are compared with:

- starting and stopping one bare kernel per chapter, one after another;
- executing the chapters one after another, each in a fresh kernel;
- a clean HTML build, a no-op rebuild, a rebuild after a prose edit (an
  author's second edit: the work tree already differs from the commit), after
  editing a figure function (analysis/figures.py, used by the chapters with
  figures only) and after editing a module every chapter uses;
- the live preview: seconds from saving a prose edit to the page showing it;
- ``make test`` with the HTML and the PDF already built.

Writes bench/results.md (and bench/imports.md: what each chapter imports).
Every edit is undone afterwards, whatever happens.
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
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

from analysis.paths import build_paths
from reportbuild import notebooks

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
ENV = os.environ | {"IPS_REPORT_DATA": str(ROOT / "data"), "PYTHONHASHSEED": "0",
                    "JUPYTER_DEFAULT_PROVISIONER_NAME": "ips-encrypted-provisioner"}
PROSE = (ROOT / "book" / "methods.md", "The scales, their ranges", "The scales and their ranges")


def run(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def clean() -> None:
    built = build_paths(ROOT / "data")
    for target in (built.cache, built.work, built.site, built.inputs_stamp, built.build / ".html-built",
                   built.build / ".pdf-built",
                   built.build / "deps.json", built.build / ".data-valid"):
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)


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


def edited_build(path: Path, edit) -> float:
    run(["tools/build-html.sh"])  # start from a built, current site
    with Edited(path, edit):
        return run(["tools/build-html.sh"])


def second_prose_edit() -> float:
    """An author's edit while writing: the work tree already differs from the commit (an earlier
    edit), so the version stamp ("+changes") is the one the pages already show. The first edit
    after a commit changes that stamp on every page, and costs a rebuild of every page."""
    path = PROSE[0]
    with Edited(path, lambda text: text + "\n<!-- an earlier edit -->\n"):
        return edited_build(path, prose_edit)


def _chapter_copies(tmp: str) -> list[str]:
    copies = []
    for chapter in notebooks.chapters():
        copy = Path(tmp) / f"{chapter.stem}.ipynb"
        nbformat.write(notebooks.read(chapter), copy)
        copies.append(str(copy))
    return copies


def bare_kernels() -> float:
    """Start and stop one bare kernel per chapter, one after another."""
    code = ("import sys\nfrom jupyter_client.manager import start_new_kernel\n"
            "for _ in range(int(sys.argv[1])):\n"
            "    km, kc = start_new_kernel(kernel_name='python3')\n"
            "    kc.execute_interactive('pass', timeout=60)\n"
            "    kc.stop_channels(); km.shutdown_kernel(now=True)\n")
    return run([PY, "-c", code, str(len(notebooks.chapters()))])


def sequential() -> float:
    """Execute every chapter in a fresh kernel, one after another, with nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        code = ("import sys, nbformat; from nbclient import NotebookClient\n"
                "for p in sys.argv[1:]:\n"
                "    nb = nbformat.read(p, as_version=4)\n"
                f"    NotebookClient(nb, kernel_name='python3', resources={{'metadata': {{'path': {str(ROOT / 'book')!r}}}}}).execute()\n")
        return run([PY, "-c", code, *_chapter_copies(tmp)])


def preview_prose_edit() -> float:
    """Seconds from saving a prose edit to the preview serving the page with it."""
    port = "8719"
    server = subprocess.Popen(["tools/preview.sh"], cwd=ROOT, env=ENV | {"PORT": port}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
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
    """``make test`` as an author runs it between edits: the builds it checks are current, so it
    times the tests and the checks of the build, not a rebuild."""
    run(["make", "html", "pdf"])
    return run(["make", "test"])


MEASURES = {
    "floor: a bare kernel per chapter": (bare_kernels, "reference"),
    "floor: executing the chapters one after another": (sequential, "reference"),
    "clean HTML build": (lambda: (clean(), run(["tools/build-html.sh"]))[1], "≤ 2.0 × bare kernels (goal 1.5), ≤ 0.6 × one after another"),
    "rebuild, no change": (lambda: run(["tools/build-html.sh"]), "≤ 1.5 s"),
    "rebuild after a prose edit (the work tree already changed)": (second_prose_edit, "≤ 3 s"),
    "preview: a saved prose edit shown": (preview_prose_edit, "≤ 3 s"),
    "rebuild after editing a figure function (4 chapters use figures.py)": (
        lambda: edited_build(ROOT / "analysis" / "figures.py", lambda t: t + "\n# benchmark edit\n"),
        "only the chapters that use it"),
    "rebuild after editing a module every chapter uses (clinical.py)": (
        lambda: edited_build(ROOT / "analysis" / "clinical.py", lambda t: t + "\n# benchmark edit\n"), "none set"),
    "make test, the HTML and the PDF already built": (timed_test, "≤ 60 s"),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="measure only these (substrings of their names)")
    args = parser.parse_args(argv)
    results = {}
    for name, (measure, target) in MEASURES.items():
        if args.only and not any(part in name for part in args.only):
            continue
        times = [measure() for _ in range(args.runs)]
        results[name] = (statistics.median(times), min(times), max(times), target)
        print(f"{name}: median {results[name][0]:.1f} s", flush=True)
    run(["tools/build-html.sh"])  # leave a current site behind
    lines = [
        "# Benchmarks", "",
        f"Median of {args.runs} run(s) on this machine ({os.cpu_count()} cores, Python {platform.python_version()}),"
        " written by `make bench` (`bench/run.py`).", "",
        "| measure | median (s) | min (s) | max (s) | target |", "|---|---:|---:|---:|---|",
    ]
    lines += [f"| {n} | {m:.1f} | {lo:.1f} | {hi:.1f} | {t} |" for n, (m, lo, hi, t) in results.items()]
    clean_time = results.get("clean HTML build", (None,))[0]
    if clean_time:
        ratios = []
        for floor in ("floor: a bare kernel per chapter", "floor: executing the chapters one after another"):
            if floor in results:
                ratios.append(f"clean HTML build / {floor.removeprefix('floor: ')}: {clean_time / results[floor][0]:.2f}")
        lines += ["", *[f"- {r}" for r in ratios]]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    subprocess.run([PY, str(ROOT / "bench" / "imports.py")], cwd=ROOT, env=ENV, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
