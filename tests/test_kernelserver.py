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

PROBE = """
import json, os, signal, socket, sys
import matplotlib, numpy
unix = 0
for fd in os.listdir("/proc/self/fd"):
    try:
        probe = socket.socket(fileno=int(fd))
    except OSError:
        continue
    unix += probe.family == socket.AF_UNIX
    probe.detach()
print(json.dumps({"cwd": os.getcwd(), "path": sys.path, "probe": os.environ.get("IPS_PROBE"),
                  "parent": os.environ.get("JPY_PARENT_PID"), "ppid": os.getppid(), "pid": os.getpid(),
                  "sid": os.getsid(0), "preloaded": "pandas" in sys.modules,
                  "report_code": sorted(m for m in sys.modules if m.split(".")[0] == "analysis"),
                  "backend": matplotlib.get_backend(), "hash": hash("ips"), "unix_sockets": unix,
                  "draw": int(numpy.random.randint(1 << 30)),
                  "blocked": sorted(int(n) for n in signal.pthread_sigmask(signal.SIG_BLOCK, [])),
                  "sigchld": str(signal.getsignal(signal.SIGCHLD))}))
"""

#: What must be the same in a forked kernel as in one jupyter_client starts itself (string
#: hashes too when the seed is fixed, as the Makefile fixes it; unfixed, every process has its own).
SAME = ("cwd", "path", "probe", "parent", "backend", "unix_sockets", "report_code", "blocked", "sigchld",
        *(("hash",) if os.environ.get("PYTHONHASHSEED", "random") != "random" else ()))


@pytest.fixture
def forked():
    kernel.use_forked_kernels()
    try:
        yield
    finally:
        kernel.stop_forked_kernels()


async def _start(cwd: str, env: dict[str, str]):
    from jupyter_client.manager import AsyncKernelManager

    manager = AsyncKernelManager(kernel_name="python3")
    await manager.start_kernel(cwd=cwd, env=env)
    client = manager.client()
    client.start_channels()
    await client.wait_for_ready(timeout=60)
    return manager, client


async def _probe(client) -> dict:
    printed = []
    reply = await client.execute_interactive(
        PROBE, timeout=60, output_hook=lambda m: printed.append(m["content"].get("text", "")))
    assert reply["content"]["status"] == "ok", reply["content"]
    return json.loads("".join(printed))


async def _stop(manager, client) -> None:
    client.stop_channels()
    await manager.shutdown_kernel(now=True)


async def _run(cwd: str, env: dict[str, str]):
    manager, client = await _start(cwd, env)
    process = manager.provisioner.process
    try:
        return await _probe(client), process
    finally:
        await _stop(manager, client)


def _env() -> dict[str, str]:
    env = dict(os.environ, IPS_PROBE="from the manager")
    env.pop("MPLBACKEND", None)
    return env


@pytest.mark.slow  # starts a fork server and kernels: seconds
def test_a_forked_kernel_is_the_kernel_jupyter_client_would_start(tmp_path):
    usual, process = asyncio.run(_run(str(tmp_path), _env()))
    assert not isinstance(process, kernel._ForkedProcess)
    kernel.use_forked_kernels()
    try:
        seen, process = asyncio.run(_run(str(tmp_path), _env()))
        again, _ = asyncio.run(_run(str(tmp_path), _env()))
    finally:
        kernel.stop_forked_kernels()
    assert isinstance(process, kernel._ForkedProcess), "the kernel was started the usual way, not forked"
    assert {k: seen[k] for k in SAME} == {k: usual[k] for k in SAME}
    assert usual["cwd"] == str(tmp_path) and usual["probe"] == "from the manager"
    assert usual["backend"] == kernelserver.INLINE_BACKEND and usual["report_code"] == []
    assert seen["ppid"] != os.getpid(), "a forked kernel is the server's child"
    assert seen["sid"] == seen["pid"], "a kernel leads a session of its own, as jupyter_client starts it"
    assert seen["preloaded"], "pandas was not preloaded by the server"
    assert seen["draw"] != again["draw"], "every kernel needs a fresh seed, as a new process has"
    assert process.poll() is not None, "the kernel's process outlived its shutdown"


@pytest.mark.slow
def test_a_kernel_dies_with_its_server_and_the_next_starts_the_usual_way(forked, tmp_path):
    async def scenario():
        manager, client = await _start(str(tmp_path), _env())
        process = manager.provisioner.process
        assert isinstance(process, kernel._ForkedProcess)
        server = kernel._server[0]
        server.kill()
        server.wait(timeout=10)
        for _ in range(100):  # ipykernel's parent poller looks every second
            if process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        assert process.poll() is not None, "a kernel outlived its fork server"
        client.stop_channels()
        await manager.cleanup_resources()
        seen, process = await _run(str(tmp_path), _env())
        assert not isinstance(process, kernel._ForkedProcess) and seen["cwd"] == str(tmp_path)

    asyncio.run(scenario())
    assert kernel._server is None


def test_the_server_preloads_no_module_of_the_report():
    assert not [m for m in kernelserver.PRELOAD if m.split(".")[0] in ("analysis", "reportbuild")]
    # and the server module itself imports only the standard library before it forks
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    source = open(kernelserver.__file__, encoding="utf-8").read()
    imported = {line.split()[1].split(".")[0] for line in source.splitlines()
                if line.startswith(("import ", "from ")) and not line.startswith("from ipykernel")}
    assert imported <= stdlib, imported - stdlib
