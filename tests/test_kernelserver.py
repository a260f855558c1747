"""Kernels forked from the preloaded server (reportbuild.kernelserver, reportbuild.kernel).

The whole book executed this way is compared with the record made by ordinary kernels
in ``make test`` (reportbuild.compare); these tests pin what a forked kernel must be:
the working folder, environment and command line jupyter_client asked for, the report's
own code never preloaded, and a process that is gone when the kernel is shut down.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

import pytest

from reportbuild import kernel, kernelserver

PROBE = ("import json, os, sys\n"
         "print(json.dumps({'cwd': os.getcwd(), 'path0': sys.path[0], 'probe': os.environ.get('IPS_PROBE'),"
         " 'parent': os.environ.get('JPY_PARENT_PID'), 'ppid': os.getppid(), 'pid': os.getpid(),"
         " 'sid': os.getsid(0), 'preloaded': 'pandas' in sys.modules,"
         " 'report_code': sorted(m for m in sys.modules if m.split('.')[0] == 'analysis'),"
         " 'backend': os.environ.get('MPLBACKEND')}))")


@pytest.fixture
def forked():
    kernel.use_forked_kernels()
    try:
        yield
    finally:
        kernel.stop_forked_kernels()


async def _run(code: str, cwd: str, env: dict[str, str]):
    from jupyter_client.manager import AsyncKernelManager

    manager = AsyncKernelManager(kernel_name="python3")
    await manager.start_kernel(cwd=cwd, env=env)
    process = manager.provisioner.process
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        printed = []
        reply = await client.execute_interactive(
            code, timeout=60, output_hook=lambda m: printed.append(m["content"].get("text", "")))
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
    return json.loads("".join(printed)), process


@pytest.mark.slow  # starts a fork server: seconds of imports
def test_a_forked_kernel_runs_where_and_as_it_was_asked(forked, tmp_path):
    env = dict(os.environ, IPS_PROBE="from the manager")
    env.pop("MPLBACKEND", None)
    seen, process = asyncio.run(_run(PROBE, str(tmp_path), env))
    assert isinstance(process, kernel._ForkedProcess), "the kernel was started the usual way, not forked"
    assert seen["cwd"] == str(tmp_path) == seen["path0"]
    assert seen["probe"] == "from the manager"
    assert seen["parent"] == str(os.getpid())
    assert seen["ppid"] != os.getpid(), "a forked kernel is the server's child"
    assert seen["sid"] == seen["pid"], "a kernel has a session of its own, as jupyter_client starts it"
    assert seen["preloaded"], "pandas was not preloaded by the server"
    assert seen["report_code"] == [], "the report's own code must never be preloaded"
    # the environment is the one asked for; only ipykernel's own choice of backend is added, as it adds it
    assert seen["backend"] == kernelserver.INLINE_BACKEND
    assert process.poll() is not None, "the kernel's process outlived its shutdown"


@pytest.mark.slow
def test_without_a_server_kernels_start_the_usual_way(tmp_path):
    assert kernel._server is None
    seen, process = asyncio.run(_run(PROBE, str(tmp_path), dict(os.environ)))
    assert not isinstance(process, kernel._ForkedProcess)
    assert seen["ppid"] == os.getpid()


def test_the_server_preloads_no_module_of_the_report():
    assert not [m for m in kernelserver.PRELOAD if m.split(".")[0] in ("analysis", "reportbuild")]
    # and the server module itself imports only the standard library before it forks
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    source = open(kernelserver.__file__, encoding="utf-8").read()
    imported = {line.split()[1].split(".")[0] for line in source.splitlines()
                if line.startswith(("import ", "from ")) and not line.startswith("from ipykernel")}
    assert imported <= stdlib, imported - stdlib
