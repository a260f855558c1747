"""The kernel provisioner the builds run the chapters' kernels with: encrypted transport.

A build talks to each chapter's kernel over local TCP sockets. By default
jupyter_client sends those messages in plain text (signed, not encrypted), and
ipykernel says so on every start: "Kernel is running over TCP without
encryption ...". This provisioner is jupyter_client's local provisioner with
transport encryption required: the manager provisions CurveZMQ keys in the
kernel's connection file (ipykernel's kernel spec declares support for them),
so the messages are encrypted and the kernel has nothing to warn about.

The build scripts and the Makefile select it for every kernel they start
(myst-nb through jupyter-cache, nbval, ``python -m reportbuild.notebooks``) with
``JUPYTER_DEFAULT_PROVISIONER_NAME=ips-encrypted-provisioner``; it is
registered under that name in ``pyproject.toml``.

The build's execute step (:mod:`reportbuild.execute`) starts its kernels with
:class:`ForkedProvisioner` (``ips-forked-provisioner``): the same encrypted kernels,
forked from a server that has imported what they need once
(:mod:`reportbuild.kernelserver`) instead of started as new processes.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

#: The name the provisioner is registered under (entry point group jupyter_client.kernel_provisioners).
NAME = "ips-encrypted-provisioner"


class EncryptedProvisioner(LocalProvisioner):  # type: ignore[misc]
    """A local kernel whose messages are encrypted with CurveZMQ."""

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("transport_encryption", "required")
        return await super().pre_launch(**kwargs)


#: The name the forking provisioner is registered under.
FORKED = "ips-forked-provisioner"

#: The kernel command a fork server can start (any other starts the usual way).
LAUNCHER = ["-m", "ipykernel_launcher"]

_server: tuple[subprocess.Popen, socket.socket] | None = None


def use_forked_kernels() -> None:
    """Start this process's kernels from a fork server (:mod:`reportbuild.kernelserver`),
    started now: it imports while the caller goes on."""
    global _server
    from jupyter_client.provisioning import KernelProvisionerFactory

    from . import kernelserver

    ours, theirs = socket.socketpair()
    env = dict(os.environ, MPLBACKEND=os.environ.get("MPLBACKEND") or kernelserver.INLINE_BACKEND)
    server = subprocess.Popen([sys.executable, "-m", "reportbuild.kernelserver", str(theirs.fileno())],
                              pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env)
    theirs.close()
    _server = (server, ours)
    KernelProvisionerFactory.instance().default_provisioner_name = FORKED


def stop_forked_kernels() -> None:
    """Close the fork server (it exits when its socket closes) and start kernels the usual way again."""
    from jupyter_client.provisioning import KernelProvisionerFactory

    server = _close_server()
    if server is not None:
        server.wait(timeout=30)
    KernelProvisionerFactory.instance().default_provisioner_name = (
        os.environ.get("JUPYTER_DEFAULT_PROVISIONER_NAME") or "local-provisioner")


def _close_server() -> subprocess.Popen | None:
    """Close this process's socket to its fork server, which then exits; the server's process."""
    global _server
    if _server is None:
        return None
    (server, connection), _server = _server, None
    connection.close()
    return server


def _fork(argv: list[str], cwd: str, env: dict[str, str]) -> tuple[int, int]:
    """Ask the fork server for a kernel: its pid and a pidfd of it."""
    server, connection = _server
    connection.settimeout(120)  # the first answer waits for the server's imports
    connection.sendall((json.dumps({"argv": argv, "cwd": cwd, "env": env}) + "\n").encode("utf-8"))
    message, fds, _flags, _address = socket.recv_fds(connection, 4096, 1)
    try:
        if not message or not fds:
            raise RuntimeError(f"the kernel fork server stopped (exit status {server.poll()})")
        while not message.endswith(b"\n"):
            more = connection.recv(4096)
            if not more:
                raise RuntimeError("the kernel fork server stopped in the middle of an answer")
            message += more
        pid = int(json.loads(message)["pid"])
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    os.set_inheritable(fds[0], False)  # recv_fds ignores MSG_CMSG_CLOEXEC on Python 3.11
    return pid, fds[0]


class _ForkedProcess:
    """The part of :class:`subprocess.Popen` jupyter_client's local provisioner uses, for a
    kernel that is the fork server's child, not ours: it is polled and signalled through a
    pidfd, which never names another process, and its exit status goes to the server."""

    stdin = stdout = stderr = None
    returncode: int | None = None

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid, self._pidfd = pid, pidfd
        self._exited = select.poll()
        self._exited.register(pidfd, select.POLLIN)

    def poll(self, timeout_ms: int = 0) -> int | None:
        if self.returncode is None and self._exited.poll(timeout_ms):
            self.returncode = 0  # exited; the server collected its status
            os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.poll(-1 if timeout is None else int(timeout * 1000)) is None:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                signal.pidfd_send_signal(self._pidfd, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(EncryptedProvisioner):
    """An encrypted local kernel, forked from this process's fork server when it has one
    (started the usual way when it has none, or the server fails)."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        forkable = cmd[1:3] == LAUNCHER and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
        if _server is None or not forkable:
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        if not kwargs.get("independent"):
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid, pidfd = _fork(cmd[3:], cwd, env)
        except (OSError, RuntimeError, ValueError, KeyError, TypeError) as error:
            self.log.warning("kernel fork server failed (%s): starting kernels the usual way", error)
            _close_server()
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _ForkedProcess(pid, pidfd)
        self.pid = pid
        self.pgid = pid  # the kernel leads a session of its own, as the launcher starts it
        self.cwd = cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        # The server reaps a kernel at once: once it is gone its pid, and so its group's number, is free.
        if isinstance(self.process, _ForkedProcess) and self.process.poll() is not None:
            return
        await super().send_signal(signum)
