"""Kernels forked from a process that has already imported what they need.

Starting a kernel costs about a second (Python, IPython, ipykernel), and each chapter
then spends another importing pandas and matplotlib: on two cores, most of a clean
build. The build's execute step (:mod:`reportbuild.execute`) therefore starts one
server per worker, ``python -m reportbuild.kernelserver SOCKET_FD MODULE ...``, which
imports the modules once and then forks a kernel for each request it reads from the
socket: one line of JSON, ``{"argv": [...], "cwd": ..., "env": {...}}``, the command
line after ``python -m ipykernel_launcher``, the working folder and the environment
jupyter_client would have started the kernel with. It answers ``{"pid": N}``. The
child becomes that kernel: its own session, folder, environment and command line,
then ipykernel's own entry point. The server reaps its children and exits when the
socket closes.

Only third-party modules are preloaded (:data:`PRELOAD`), never the report's own
``analysis``: what a chapter imports is still what it uses (the execute step records
it), and an edited module is always read afresh. This module imports nothing but the
standard library before it forks, so that its own imports do not reach the kernels.
The provisioner that asks for these kernels is :class:`reportbuild.kernel.ForkedProvisioner`;
reviewers' kernels (nbval, ``python -m reportbuild.notebooks``) start the usual way,
and ``make test`` compares what the build executed with the record those made.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import signal
import socket
import sys
import traceback

#: What the server imports once: the kernel, and the third-party modules most chapters use
#: (seaborn, with SciPy, only the qualitative chapter: it imports them itself).
PRELOAD = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "myst_nb.ext.glue",
           "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell")

#: The matplotlib backend a kernel selects (ipykernel's IPKernelApp.init_gui_pylab). matplotlib
#: reads it when imported, so the server is started with it.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _reap(*_: object) -> None:
    """Collect every child that has exited (SIGCHLD)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_kernel(connection: socket.socket, argv: list[str], cwd: str, env: dict[str, str]) -> int:
    """In the forked child: become the kernel ``python -m ipykernel_launcher ARGV`` would start."""
    connection.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # as jupyter_client's launcher starts a kernel: a session of its own
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.path[0] = cwd  # as `python -m` sets it
    # ipykernel reads the parent's pid from the environment when it is imported, here before it was set.
    parent = env.get("JPY_PARENT_PID")
    sys.argv = ["ipykernel_launcher", *argv, *([f"--IPKernelApp.parent_handle={int(parent)}"] if parent else [])]
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    atexit._run_exitfuncs()
    return code


def serve(connection: socket.socket, preload: list[str]) -> None:
    """Import ``preload``, then fork one kernel per request until the socket closes."""
    for name in preload:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # not installed here (seaborn's scipy, for one): the chapter imports what it has
    signal.signal(signal.SIGCHLD, _reap)
    requests = connection.makefile("r", encoding="utf-8")
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _become_kernel(connection, request["argv"], request["cwd"], request["env"])
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        connection.sendall((json.dumps({"pid": pid}) + "\n").encode("utf-8"))


def main() -> None:
    connection = socket.socket(fileno=int(sys.argv[1]))
    serve(connection, sys.argv[2:])


if __name__ == "__main__":
    main()
