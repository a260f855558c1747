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
"""

from __future__ import annotations

from typing import Any

from jupyter_client.provisioning import LocalProvisioner

#: The name the provisioner is registered under (entry point group jupyter_client.kernel_provisioners).
NAME = "ips-encrypted-provisioner"


class EncryptedProvisioner(LocalProvisioner):  # type: ignore[misc]
    """A local kernel whose messages are encrypted with CurveZMQ."""

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("transport_encryption", "required")
        return await super().pre_launch(**kwargs)
