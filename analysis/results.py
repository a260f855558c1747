"""Everything the report states, computed once per build and data directory.

:func:`compute` loads and validates the data package and computes the registry
of numbers, the data-dependent words, every table, the audit and the
verification, and the frames the figures are drawn from. :func:`ensure` writes
them to one results file in the data directory's build folder
(``_build/results.pickle`` for ``data/``), keyed by :func:`input_hash`: the
hash of every data file, every module and the style file of ``analysis/``, the
pinned requirements and the Python version. A chapter's kernel only reads that
file (:meth:`analysis.report.Report.load`): it never validates the data
package or computes the registry again.

The same hash is the build's one staleness rule: when it changes, the chapters'
execution cache is cleared (``python -m reportbuild``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from .paths import PROJECT_ROOT, build_paths, data_dir, label

#: Set by the build for the chapters' kernels: the results file they must read, never recompute.
RESULTS_ENV = "IPS_REPORT_RESULTS"
ANALYSIS_DIR = Path(__file__).resolve().parent
LOCK_FILE = PROJECT_ROOT / "requirements.txt"


class StaleResults(RuntimeError):
    """The results file does not match the inputs it must have been computed from."""


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def input_hash(directory: Path | str | None = None, more: Iterable[Path] = (), text: str = "") -> str:
    """SHA-256 of what every result is computed from: the data directory's files (by relative name),
    ``analysis/`` (its modules and style file), the pinned requirements, the Python version and
    the previous release (:func:`analysis.changes.release_marker`).

    The one hash of the build: ``more`` (files or folders of the project) and ``text`` extend it
    to what else a build's output comes from (:func:`reportbuild.build.fingerprint`)."""
    from .changes import release_marker

    folder = Path(directory).resolve() if directory is not None else data_dir()
    # the "What changed" appendix compares with the previous release: a new release is a new input
    digest = hashlib.sha256(f"python {sys.version}\n{release_marker()}\n{text}\n".encode())
    sources = [("data", folder, _files(folder)),
               ("analysis", ANALYSIS_DIR, [p for p in _files(ANALYSIS_DIR) if p.suffix in (".py", ".mplstyle")]),
               ("lock", PROJECT_ROOT, [LOCK_FILE] if LOCK_FILE.is_file() else [])]
    sources += [("project", PROJECT_ROOT, [path] if path.is_file() else _files(path)) for path in more if path.exists()]
    for kind, root, paths in sources:
        for path in paths:
            digest.update(f"{kind}:{path.relative_to(root).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class Results:
    """What the report states about one data directory (see the module's docstring).

    What every chapter shows (numbers, words, tables, quotations) is read with the object; the
    frames the figures are drawn from (:attr:`data`, :attr:`derived`) only when first used, so a
    chapter without a figure never imports pandas.
    """

    inputs: str
    directory: Path
    numbers: dict[str, Any]
    words: dict[str, str]
    #: tables (analysis.display.Table) by the name of the Report method that shows them
    tables: dict[str, Any]
    #: quotations (analysis.display.Quotations) by subtheme
    quotes: dict[str, Any]
    #: the data package's descriptor (datapackage.json)
    schema: dict[str, Any]
    #: the validated frames ("data") and what the figures are drawn from ("derived")
    frames: dict[str, Any] | None = field(default=None, repr=False)
    source: Path | None = field(default=None, repr=False)

    def _frames(self) -> dict[str, Any]:
        if self.frames is None:
            with Path(self.source).open("rb") as handle:
                for _ in range(2):
                    pickle.load(handle)
                self.frames = pickle.load(handle)
        return self.frames

    @property
    def data(self) -> dict[str, Any]:
        return self._frames()["data"]

    @property
    def derived(self) -> dict[str, Any]:
        return self._frames()["derived"]


def path(directory: Path | str | None = None) -> Path:
    """The results file of a data directory."""
    return build_paths(Path(directory) if directory is not None else None).results


def compute(directory: Path | str | None = None, data: dict | None = None) -> Results:
    """Load, validate and compute everything (``data``: already loaded frames, for tests)."""
    from . import outputs

    folder = Path(directory).resolve() if directory is not None else data_dir()
    return outputs.compute(folder, data, input_hash(folder) if data is None else "")


def _write(results: Results, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    frames = results._frames()
    light = replace(results, frames=None, source=None)
    with partial.open("wb") as handle:
        for part in (results.inputs, light, frames):  # the hash alone (_inputs_of), what chapters show, the frames
            pickle.dump(part, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(target)  # atomic: a reader sees the old file or the new one


def _inputs_of(source: Path) -> str | None:
    """The input hash a results file was computed from (without reading the rest of it)."""
    try:
        with source.open("rb") as handle:
            found = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    return found if isinstance(found, str) else None


def _read(source: Path) -> Results | None:
    try:
        with source.open("rb") as handle:
            pickle.load(handle)
            results = pickle.load(handle)
        results.source = source
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ModuleNotFoundError):
        return None
    return results if isinstance(results, Results) else None


def ensure(directory: Path | str | None = None) -> tuple[Results, bool]:
    """The results of a data directory, computed and written only when its inputs changed;
    also whether they were computed now."""
    folder = Path(directory).resolve() if directory is not None else data_dir()
    target = path(folder)
    current = input_hash(folder)
    if _inputs_of(target) == current:
        found = _read(target)
        if found is not None:
            return found, False
    results = compute(folder)
    _write(results, target)
    return results, True


def load(directory: Path | str | None = None) -> Results:
    """The results a chapter shows. In a build's kernel (``$IPS_REPORT_RESULTS`` set) the file the
    build wrote, refused if its inputs have changed since. Elsewhere (a test, a notebook opened by
    hand) the data directory's results file if it is current, else the results computed afresh (and
    not written: only the build writes results files)."""
    given = os.environ.get(RESULTS_ENV)
    if not given:
        folder = Path(directory).resolve() if directory is not None else data_dir()
        found = _read(path(folder)) if path(folder).is_file() else None
        return found if found is not None and found.inputs == input_hash(folder) else compute(folder)
    folder = Path(directory).resolve() if directory is not None else data_dir()
    found = _read(Path(given))
    if found is None:
        raise StaleResults(f"no results in {label(Path(given))}: the build computes them first (python -m reportbuild)")
    if found.directory != folder or found.inputs != input_hash(folder):
        raise StaleResults(f"{label(Path(given))} was computed from other inputs than {label(folder)}'s: "
                           "rebuild (python -m reportbuild html)")
    return found
