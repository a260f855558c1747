"""How each table and figure was made: the function that made it and the data files it read.

A function that makes a table or a figure declares the data package resources
it reads with :func:`reads`; :func:`made_by` turns the function into the note
printed under the table or figure ("Made by analysis.figures.clinical_profile
from data/clinical.csv, data/literature.csv"), with the files' paths taken from
the data package's descriptor, so no chapter types a source by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from .paths import data_dir

#: The data package's descriptor: a source that is not a resource but the file describing them all.
DESCRIPTOR = "datapackage.json"
#: Every file of the data package (the registry of numbers reads them all).
EVERYTHING = "*"


def reads(*resources: str) -> Callable:
    """Declare the data package resources a function reads: by name, ``datapackage.json`` for the
    descriptor, ``*`` for every file, or none (an output made from no data file)."""
    def declare(function: Callable) -> Callable:
        function.reads = tuple(resources)
        return function
    return declare


def function_name(function: Callable) -> str:
    """The function's importable name, e.g. ``analysis.figures.clinical_profile``."""
    function = getattr(function, "__func__", function)
    return f"{function.__module__}.{function.__qualname__}"


def made_by(function: Callable, directory: Path | str | None = None, descriptor: dict | None = None) -> dict[str, Any]:
    """The provenance of an output: ``{"function": name, "data": [file, ...]}``.

    Files are named as ``<data directory's name>/<resource path>`` (``data/clinical.csv``),
    in the order the function declares them. ``descriptor``: the data package's, already read.
    """
    function = getattr(function, "__func__", function)
    declared = getattr(function, "reads", None)
    if declared is None:
        raise ValueError(f"{function_name(function)} does not declare what it reads (analysis.provenance.reads)")
    folder = Path(directory).resolve() if directory is not None else data_dir()
    if descriptor is None:
        from .data import schema  # pandas, loaded only when a provenance line is made

        descriptor = schema(folder)
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    files = []
    for name in declared:
        if name == EVERYTHING:
            files.append(f"every file of {folder.name}/")
        elif name == DESCRIPTOR:
            files.append(f"{folder.name}/{DESCRIPTOR}")
        elif name in paths:
            files.append(f"{folder.name}/{paths[name]}")
        else:
            raise KeyError(f"{function_name(function)} reads {name!r}, which is not a resource of the data package")
    return {"function": function_name(function), "data": files}

