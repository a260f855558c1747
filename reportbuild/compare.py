"""Compare executed chapters with their published record, as nbval does.

nbval re-executes each record notebook and compares, cell by cell, every output
but its metadata, tracebacks, execution counts, stream names and raster images
(PNG, JPEG), after merging consecutive stream outputs; cells tagged
``nbval-ignore-output`` or ``nbval-skip`` are not compared. This module applies
the same rule to the chapters the build has already executed (the jupyter
cache), so that ``make test`` executes each chapter once. Reviewers still run
nbval itself with ``make verify``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import nbformat
from nbval.plugin import coalesce_streams, transform_streams_for_comparison

from analysis.paths import RECORD_DIR, label

from . import notebooks

#: What nbval leaves out of the comparison (nbval.plugin: skip_compare, without --nbdime).
SKIP = {"metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
        "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg"}
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip"}


def comparable(outputs: list) -> dict[str, list]:
    """A cell's outputs flattened as nbval compares them: key -> values in order."""
    flat: dict[str, list] = {}
    for output in transform_streams_for_comparison(coalesce_streams([nbformat.from_dict(o) for o in outputs])):
        for key, value in output.items():
            if key == "data":
                for data_key, data_value in value.items():
                    if data_key not in SKIP:
                        flat.setdefault(data_key, []).append(data_value)
            elif key not in SKIP:
                flat.setdefault(key, []).append(value)
    return flat


def differences(executed: nbformat.NotebookNode, record: nbformat.NotebookNode, name: str) -> list[str]:
    """One message per code cell whose outputs differ from the record's."""
    cells = [c for c in executed.cells if c.cell_type == "code"]
    recorded = [c for c in record.cells if c.cell_type == "code"]
    if [c.source for c in cells] != [c.source for c in recorded]:
        return [f"{name}: the chapter's code differs from its record's; run make execute"]
    problems = []
    for index, (cell, ref) in enumerate(zip(cells, recorded), start=1):
        if IGNORE_TAGS & set(ref.metadata.get("tags", [])):
            continue
        now, before = comparable(cell.get("outputs", [])), comparable(ref.get("outputs", []))
        if now == before:
            continue
        for key in sorted(set(now) | set(before)):
            if now.get(key) != before.get(key):
                old = "\n".join(map(str, before.get(key, []))).splitlines()
                new = "\n".join(map(str, now.get(key, []))).splitlines()
                diff = [line for line in difflib.unified_diff(old, new, "record", "now", n=0, lineterm="")][2:8]
                first_line = cell.source.splitlines()[0] if cell.source else ""
                problems.append(f"{name}, code cell {index} ({first_line[:60]}), {key}:\n    " + "\n    ".join(diff))
    return problems


def main(cache_path: Path, record: Path = RECORD_DIR) -> int:
    """Compare every chapter's cached execution with its record; exit status 1 on a difference."""
    from jupyter_cache import get_cache

    problems = notebooks.stale(record=record)
    cache = get_cache(str(cache_path))
    for chapter in notebooks.chapters():
        path = notebooks.record_path(chapter, record)
        if not path.is_file():
            continue
        try:
            executed = cache.merge_match_into_notebook(notebooks.read(chapter))[1]
        except KeyError:
            problems.append(f"{label(chapter)}: not executed in {label(cache_path)}; build the HTML first")
            continue
        problems += differences(executed, nbformat.read(path, as_version=4), label(chapter))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} difference(s) from the published record (above); if intended, run make execute")
        return 1
    print(f"the executed chapters match the published record ({label(record)})")
    return 0
