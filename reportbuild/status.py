"""The environment a build ran in (for the status appendix), and the chapters' execution times.

Execution times are kept out of the published pages, so that two builds of one
commit are byte-identical: each build prints them in its log and writes them to
``executions.json`` in its build folder (``python -m reportbuild.status executions
CACHE --json FILE``), and a release copies them into ``build-info.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.paths import PROJECT_ROOT
from analysis.provenance import function_name, reads

if TYPE_CHECKING:
    import pandas as pd

#: Packages whose versions decide what the report computes and how it looks.
PACKAGES = ["ips-chronic-pain-report", "jupyter-book", "myst-nb", "sphinx", "sphinxcontrib-bibtex", "pandas",
            "numpy", "scipy", "matplotlib", "seaborn", "nbval", "pytest"]


@reads()
def package_versions() -> pd.DataFrame:
    """Python and the installed version of each package the report depends on."""
    import pandas as pd

    from analysis.tables import shown

    rows = [{"Package": "Python", "Version": platform.python_version()}]
    for name in PACKAGES:
        try:
            rows.append({"Package": name, "Version": version(name)})
        except PackageNotFoundError:
            rows.append({"Package": name, "Version": "not installed"})
    return shown(pd.DataFrame(rows).set_index("Package"),
                 source={"function": function_name(package_versions), "data": ["the installed packages"]})


def executions(cache: Path) -> list[dict]:
    """The last execution of each chapter in a jupyter cache: notebook, start (UTC, ISO 8601) and seconds.

    An empty list when the cache does not exist (nothing was executed yet).
    """
    if not (Path(cache) / "global.db").is_file():
        return []
    from jupyter_cache import get_cache

    latest: dict[str, dict] = {}
    for record in get_cache(str(cache)).list_cache_records():
        try:
            name = Path(record.uri).resolve().relative_to(PROJECT_ROOT).as_posix()
        except ValueError:
            name = record.uri
        seconds = (record.data or {}).get("execution_seconds")
        row = {"notebook": name, "executed": record.created.isoformat(timespec="seconds"),
               "seconds": None if seconds is None else round(float(seconds), 2)}
        if name not in latest or row["executed"] >= latest[name]["executed"]:
            latest[name] = row
    return [latest[name] for name in sorted(latest)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportbuild.status", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("executions", help="print the chapters' last executions from a jupyter cache")
    run.add_argument("cache", type=Path, help="the jupyter cache folder (e.g. _build/.jupyter_cache)")
    run.add_argument("--json", type=Path, help="also write them to this file")
    args = parser.parse_args(argv)
    rows = executions(args.cache)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print("Execution of the chapters (last run of each):")
    for row in rows:
        seconds = "?" if row["seconds"] is None else f"{row['seconds']:.1f} s"
        print(f"  {row['notebook']:<44} {row['executed']}  {seconds:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
