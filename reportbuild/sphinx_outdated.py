"""Sphinx re-reads the chapters whose inputs changed (reportbuild.inputs), and only those.

:mod:`reportbuild.inputs` lists in the build folder's ``outdated.json`` the
chapters whose analysis modules or data changed, with a serial number. Each
Sphinx environment (HTML, LaTeX, preview) remembers the last serial it has
seen, and on the first build after a new one reads those chapters again.
"""

from __future__ import annotations

import json

from analysis.paths import build_paths


def _outdated(app, env, added, changed, removed):
    path = build_paths().build / "outdated.json"
    if not path.is_file():
        return []
    outdated = json.loads(path.read_text(encoding="utf-8"))
    if getattr(env, "ips_outdated_serial", None) == outdated["serial"]:
        return []
    env.ips_outdated_serial = outdated["serial"]
    return sorted(set(outdated["docs"]) & env.found_docs)


def setup(app):
    app.connect("env-get-outdated", _outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
