"""Execute chapter notebooks in place, so their saved outputs are the current record.

``python -m analysis.notebooks book/*.ipynb`` runs each notebook top to bottom
in a fresh kernel from the project root and writes the outputs back; a failing
cell stops with the cell's error. Reviewers re-run the saved outputs with nbval.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .paths import PROJECT_ROOT


def execute(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in place; returns the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return time.perf_counter() - started


def main(paths: list[str]) -> int:
    for name in paths:
        path = (PROJECT_ROOT / name).resolve() if not Path(name).is_absolute() else Path(name)
        print(f"executing {path.relative_to(PROJECT_ROOT)} ...", end=" ", flush=True)
        print(f"{execute(path):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
