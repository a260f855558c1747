"""Kernels forked from a process that has already imported what they need.

Starting a kernel costs about a second (Python, IPython, ipykernel), and each chapter
then spends another importing pandas and matplotlib: on two cores, most of a clean
build. The build's execute step (:mod:`reportbuild.execute`) therefore starts one
server per worker, ``python -m reportbuild.kernelserver SOCKET_FD``, which
imports :data:`PRELOAD` once and then forks a kernel for each request it reads from the
socket: one line of JSON, ``{"argv": [...], "cwd": ..., "env": {...}}``, the command
line after ``python -m ipykernel_launcher``, the working folder and the environment
jupyter_client would have started the kernel with. It answers ``{"pid": N}``, with a pidfd
of the child attached. The child becomes that kernel: its own session, folder,
environment and command line, then ipykernel's own entry point; it exits when the
server does. The server reaps its children, and when the socket closes it stops the
kernels still running and exits.

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


#: The entry ``python -m`` put first on the server's sys.path (its working folder), which
#: ipykernel_launcher removes from a kernel's path as it starts; None under ``-P``.
_added_path: str | None = None

_children: set[int] = set()


def _reap(*_: object) -> None:
    """Collect the known children that have exited (SIGCHLD). A child is known only once the
    pidfd answering for it is open, so its pid cannot be reused before that."""
    for pid in list(_children):
        try:
            done, _status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _children.discard(pid)


def _become_kernel(argv: list[str], cwd: str, env: dict[str, str]) -> int:
    """In the forked child: become the kernel ``python -m ipykernel_launcher ARGV`` would start."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # as jupyter_client's launcher starts a kernel: a session of its own
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    if _added_path is not None and sys.path[:1] == [_added_path]:
        del sys.path[0]  # as ipykernel_launcher removes the folder `python -m` added (IPython adds '')
    # What the preloaded modules read from the environment when imported is the kernel's own:
    # matplotlib's backend (ipykernel's inline one unless the environment names another),
    # a fresh seed for NumPy's global generator as a new process would have (random reseeds itself).
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        wanted = env.get("MPLBACKEND") or INLINE_BACKEND
        if matplotlib.rcParams._get("backend") != wanted:
            matplotlib.rcParams["backend"] = wanted
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    # The kernel exits when this server does (ipykernel's parent poller; the environment's
    # JPY_PARENT_PID, read when ipykernel was imported here, names the worker that asked).
    sys.argv = ["ipykernel_launcher", *argv, f"--IPKernelApp.parent_handle={os.getppid()}"]
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    atexit._run_exitfuncs()
    return code


def serve(connection: socket.socket, preload: tuple[str, ...] = PRELOAD) -> None:
    """Import ``preload``, then fork one kernel per request until the socket closes; each answer
    carries a pidfd of the kernel, through which the worker polls and signals it safely."""
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - missing or broken here: a chapter that imports it meets the error itself
            pass
    signal.signal(signal.SIGCHLD, _reap)
    requests = connection.makefile("r", encoding="utf-8")
    try:
        for line in requests:
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    requests.close()
                    connection.close()
                    code = _become_kernel(request["argv"], request["cwd"], request["env"])
                except BaseException:  # noqa: BLE001 - the child must never return into the server
                    traceback.print_exc()
                finally:
                    try:
                        sys.stdout.flush()
                        sys.stderr.flush()
                    finally:
                        os._exit(code)
            pidfd = os.pidfd_open(pid)  # the child is not reaped before this: it is not known yet
            _children.add(pid)
            _reap()  # in case it has already exited
            try:
                socket.send_fds(connection, [(json.dumps({"pid": pid}) + "\n").encode("utf-8")], [pidfd])
            finally:
                os.close(pidfd)
    finally:
        for pid in list(_children):  # the worker is gone: so are its kernels
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def main() -> None:
    global _added_path
    _added_path = None if sys.flags.safe_path else sys.path[0]
    connection = socket.socket(fileno=int(sys.argv[1]))
    connection.set_inheritable(False)
    serve(connection)


if __name__ == "__main__":
    main()
