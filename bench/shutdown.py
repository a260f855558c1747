"""How long a chapter's kernel takes to shut down: ``python bench/shutdown.py`` writes bench/shutdown.md.

Starts RUNS plain kernels one after another, as nbclient starts them for
jupyter-cache (the build's kernel profile, :func:`reportbuild.__main__.kernel_profile`),
runs one cell in each and times its shutdown: the shutdown request, then the wait
for the process to end. A kernel that has not ended after half of
jupyter_client's ``KernelManager.shutdown_wait_time`` is sent SIGTERM, so a
stalled shutdown shows as about that long. Not a timed test: a measurement of
the machine and the pinned packages.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from analysis.paths import build_paths  # noqa: E402
from reportbuild.__main__ import kernel_profile  # noqa: E402

OUT = ROOT / "bench" / "shutdown.md"


async def one(notebook) -> float:
    client = NotebookClient(notebook, timeout=60, kernel_name="python3")
    client.km = client.create_kernel_manager()
    await client.async_start_new_kernel()
    await client.async_start_new_kernel_client()
    await client.async_execute_cell(notebook.cells[0], 0)
    started = time.perf_counter()
    await client._async_cleanup_kernel()  # what nbclient runs after the last cell
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    kernel_profile(build_paths().build)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    times = [asyncio.run(one(notebook)) for _ in range(args.runs)]
    stall = AsyncKernelManager().shutdown_wait_time / 2
    stalled = [t for t in times if t >= stall]
    lines = ["# Kernel shutdowns", "",
             f"Written by `python bench/shutdown.py --runs {args.runs}`: {args.runs} plain kernels with the build's profile,"
             " one cell each, shutdown timed (seconds on this machine).", "",
             "| kernels | median (s) | stalled (≥ half of shutdown_wait_time, "
             f"{stall:g} s) | seconds lost to stalls |", "|---:|---:|---:|---:|",
             f"| {len(times)} | {statistics.median(times):.2f} | {len(stalled)} | {sum(stalled):.1f} |", "",
             "Every shutdown, in order: " + ", ".join(f"{t:.2f}" for t in times) + ".", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
