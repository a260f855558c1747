"""The one entry point of the build: ``python -m reportbuild COMMAND [--data DIR]``.

=========  ======================================================================
html       build the HTML site (:func:`reportbuild.build.html`)
pdf        build the PDF through xelatex (:func:`reportbuild.build.pdf`)
report     the PDF, then the HTML, then where they are
preview    serve the book and rebuild the page an author saves (:mod:`reportbuild.preview`)
results    compute the results of the data directory, if its inputs changed
compare    compare the chapters the last build executed with the published record
execute    execute every chapter into ``record/`` and write ``record/numbers.json``
verify     re-execute the record under nbval and compare every named number with it
=========  ======================================================================

``--data DIR`` builds another data directory with the same schema, into its own
build folder (default: ``data/``, or ``$IPS_REPORT_DATA``). The Makefile's
targets are aliases of these commands.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from analysis import results
from analysis.paths import DATA_ENV, PROJECT_ROOT, RECORD_DIR, build_paths, data_dir, label

from . import build, notebooks

COMMANDS = ("html", "pdf", "report", "preview", "results", "compare", "execute", "verify")


def _verify(data: Path) -> int:
    """nbval over every recorded chapter, then every named number against the record: both run, so a
    moved number is named even when nbval has already failed."""
    stale = notebooks.stale()
    for line in stale:
        print(line, file=sys.stderr)
    paths = build_paths(data)
    paths.build.mkdir(parents=True, exist_ok=True)
    nbval = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(os.cpu_count() or 2),
                            "--dist", "loadfile", "--nbval", f"--junitxml={paths.nbval}",
                            *sorted(str(p.relative_to(PROJECT_ROOT)) for p in RECORD_DIR.glob("*.ipynb"))],
                           cwd=PROJECT_ROOT).returncode
    numbers = subprocess.run([sys.executable, "-m", "analysis", "record", "--data", str(data)]).returncode
    if numbers:
        print("verify: named numbers differ from the published record (above)", file=sys.stderr)
    if nbval:
        print("verify: chapter outputs differ from the published record (nbval, above)", file=sys.stderr)
    return 1 if (stale or nbval or numbers) else 0


#: The kernels' own configuration (IPython's, read by every kernel the build, nbval or the preview
#: starts): no history file, and only errors in the log. Its warning that a kernel on the local
#: machine talks to its client over TCP without encryption is not the report's concern.
KERNEL_CONFIG = {"IPKernelApp": {"log_level": "ERROR"}, "HistoryManager": {"enabled": False}}


def kernel_profile(folder: Path) -> None:
    """Kernels started from here on read :data:`KERNEL_CONFIG` from a profile in the build ``folder``
    (``IPYTHONDIR``), not the profile of whoever builds."""
    profile = folder / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.json").write_text(json.dumps(KERNEL_CONFIG, indent=1) + "\n", encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(folder / "ipython")


def run(command: str, data: Path, port: int = 8000) -> int:
    paths = build_paths(data)
    if command == "html":
        build.html(data)
    elif command == "pdf":
        build.pdf(data)
    elif command == "report":
        pdf, site = build.pdf(data), build.html(data)
        print(f"The report:\n  HTML: {site}\n  PDF:  {pdf}\n  logs: {paths.logs}")
    elif command == "preview":
        from . import preview

        return preview.main(data, port)
    elif command == "compare":
        from . import compare

        return compare.main(paths.cache)
    else:
        build.prepare(data, paths, print)  # results current, and the kernels told where they are
        if command == "execute":
            status = notebooks.execute_all(notebooks.chapters())
            return status or subprocess.run([sys.executable, "-m", "analysis", "record", "--write"]).returncode
        if command == "verify":
            return _verify(data)
        print(f"results of {label(data)}: {label(results.path(data))}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportbuild", description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--data", type=Path, help="data directory (default: data/ or $IPS_REPORT_DATA)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)), help="the preview's port")
    args = parser.parse_args(argv)
    data = args.data.resolve() if args.data else data_dir()
    os.environ[DATA_ENV] = str(data)  # the kernels and Sphinx read the same data directory
    kernel_profile(build_paths(data).build)
    try:
        return run(args.command, data, args.port)
    except build.BuildFailed as failure:
        print(failure, file=sys.stderr)
        return failure.status


if __name__ == "__main__":
    sys.exit(main())
