"""What each chapter imports, and how long that takes: ``make bench`` writes bench/imports.md.

Runs each chapter's code cells as one script under ``python -X importtime``
(the kernel's own start-up is not counted: it is the same for every chapter)
and reports the total import time and the slowest top-level imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from reportbuild import notebooks
from analysis.paths import BOOK_DIR, PROJECT_ROOT

OUT = PROJECT_ROOT / "bench" / "imports.md"


def chapter_imports(chapter: Path) -> tuple[float, float, list[tuple[float, str]]]:
    """(seconds to run the chapter's code, seconds importing, the five slowest top-level imports)."""
    code = "\n".join(c.source for c in notebooks.read(chapter).cells if c.cell_type == "code")
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                         cwd=BOOK_DIR, env=os.environ | {"MPLBACKEND": "Agg"})
    elapsed = time.perf_counter() - started
    if run.returncode:
        raise SystemExit(f"{chapter.name} failed:\n{run.stderr[-2000:]}")
    top = []
    for line in run.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            top.append((int(parts[1]) / 1e6, parts[2].strip()))
    top.sort(reverse=True)
    return elapsed, sum(s for s, _ in top), top[:5]


def main() -> int:
    rows = ["# Imports per chapter", "",
            "Written by `python bench/imports.py` (in `make bench`): each chapter's code run as one script",
            "under `python -X importtime`, without the kernel. Seconds on this machine.", "",
            "| chapter | run (s) | importing (s) | slowest top-level imports (s) |", "|---|---:|---:|---|"]
    for chapter in notebooks.chapters():
        elapsed, importing, top = chapter_imports(chapter)
        slowest = ", ".join(f"{name} {seconds:.2f}" for seconds, name in top)
        rows.append(f"| {chapter.stem} | {elapsed:.2f} | {importing:.2f} | {slowest} |")
        print(rows[-1], flush=True)
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
