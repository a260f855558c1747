"""Benchmarks of the build and the tests: ``make bench`` (``python bench/run.py --runs 3``).

Measures, as the median of several runs on this machine, the clean HTML build,
a rebuild with no change, a rebuild after a prose-only edit, a rebuild after
editing an analysis function, the PDF build, ``make test``, and the floor:
executing every chapter notebook alone. Writes bench/results.md. Every edit
is undone afterwards, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from analysis.paths import build_paths
from reportbuild import notebooks

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
ENV = os.environ | {"IPS_REPORT_DATA": str(ROOT / "data"), "PYTHONHASHSEED": "0"}


def run(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def clean() -> None:
    built = build_paths(ROOT / "data")
    for target in (built.cache, built.work, built.site, built.inputs_stamp):
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)


class Edited:
    """Append text to a file for the duration of a block; the original bytes come back after."""

    def __init__(self, path: Path, edit):
        self.path, self.edit = path, edit

    def __enter__(self):
        self.original = self.path.read_bytes()
        self.path.write_text(self.edit(self.original.decode("utf-8")), encoding="utf-8")

    def __exit__(self, *exc):
        self.path.write_bytes(self.original)


def prose_edit(text: str) -> str:
    notebook = json.loads(text)
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\n\nAn added sentence for the benchmark."
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def floor() -> float:
    """Execute every chapter in a fresh kernel, on copies, with nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for chapter in notebooks.chapters():
            copy = Path(tmp) / f"{chapter.stem}.ipynb"
            nbformat.write(notebooks.read(chapter), copy)
            copies.append(str(copy))
        code = ("import sys, nbformat; from nbclient import NotebookClient\n"
                "for p in sys.argv[1:]:\n"
                "    nb = nbformat.read(p, as_version=4)\n"
                f"    NotebookClient(nb, kernel_name='python3', resources={{'metadata': {{'path': {str(ROOT / 'book')!r}}}}}).execute()\n")
        return run([PY, "-c", code, *copies])


MEASURES = {
    "clean HTML build": (lambda: (clean(), run(["tools/build-html.sh"]))[1], "within 1.5x the floor, and under 60 s"),
    "rebuild, no change": (lambda: run(["tools/build-html.sh"]), "under 5 s"),
    "rebuild after a prose-only edit": (lambda: _edited(ROOT / "book" / "methods.md", prose_edit), "under 10 s"),
    "rebuild after editing an analysis function": (
        lambda: _edited(ROOT / "analysis" / "clinical.py", lambda t: t + "\n# benchmark edit\n"), "none set"),
    "PDF build": (lambda: run(["tools/build-pdf.sh"]), "none set"),
    "make test": (lambda: run(["make", "test"]), "under 5 minutes"),
    "floor: executing the chapters alone": (floor, "reference"),
}


def _edited(path: Path, edit) -> float:
    run(["tools/build-html.sh"])  # start from a built, current site
    with Edited(path, edit):
        seconds = run(["tools/build-html.sh"])
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    results = {}
    for name, (measure, target) in MEASURES.items():
        times = [measure() for _ in range(args.runs)]
        results[name] = (statistics.median(times), min(times), max(times), target)
        print(f"{name}: median {results[name][0]:.1f} s", flush=True)
    run(["tools/build-html.sh"])  # leave a current site behind
    floor_median = results["floor: executing the chapters alone"][0]
    clean_median = results["clean HTML build"][0]
    lines = [
        "# Benchmarks", "",
        f"Median of {args.runs} runs on this machine ({os.cpu_count()} cores, Python {platform.python_version()}),"
        " written by `make bench` (`bench/run.py`).", "",
        "| measure | median (s) | min (s) | max (s) | target |", "|---|---:|---:|---:|---|",
    ]
    lines += [f"| {n} | {m:.1f} | {lo:.1f} | {hi:.1f} | {t} |" for n, (m, lo, hi, t) in results.items()]
    lines += ["", f"Clean build / floor: {clean_median / floor_median:.2f}."]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
