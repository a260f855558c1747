"""The live preview behind ``make preview`` (``python -m reportbuild preview``).

sphinx-autobuild's server and file watcher; each rebuild is Jupyter Book's own
Sphinx build (:func:`reportbuild.build.sphinx`) run in this process, which has
already imported Sphinx, myst-nb and the report's extensions, so a saved prose
edit shows in about two seconds. Before each rebuild the results are brought up
to date and, when they changed, the execution cache is cleared
(:func:`reportbuild.build.prepare`): the preview never shows a stale number. A
chapter whose code changed is executed by myst-nb as the page is read. The
pages' version stamp reads "preview" instead of following the work tree's state,
so that the first edit after a commit does not change every page. Not for
publishing: ``make html`` builds the site.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.paths import PROJECT_ROOT, build_paths

from . import build
from .version import PREVIEW_ENV

IGNORED = [".git", ".venv", "_build", "dist", "record", "tests", "bench", ".pytest_cache"]
IGNORED_PATTERNS = [r".*/__pycache__/.*", r".*\.egg-info/.*", r".*/\.ipynb_checkpoints/.*", r".*~$", r".*\.sw[px]$"]


class Rebuild:
    """Called by the watcher with the changed paths."""

    def __init__(self, data: Path):
        self.data, self.paths = data, build_paths(data)

    def __call__(self, *, changed_paths=()):
        from sphinx_autobuild.utils import show_message

        if changed_paths:
            show_message("Rebuilding after changes to " + ", ".join(p.name for p in changed_paths[:5]))
        try:
            build.prepare(self.data, self.paths, show_message)
        except build.BuildFailed as failure:  # bad data: say so, and keep serving the last pages
            show_message(str(failure))
            return
        log = self.paths.logs / "preview.log"
        status = build.sphinx("html", self.paths, self.paths.preview / "html", log, show_message, quiet=True)
        show_message("Rebuilt" if status == 0 else f"Sphinx stopped with status {status}: see {log}")


def main(data: Path, port: int, host: str = "127.0.0.1") -> int:
    import uvicorn
    from sphinx_autobuild.__main__ import _create_app
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.utils import show_message

    os.environ[PREVIEW_ENV] = "1"
    rebuild = Rebuild(data)
    rebuild.paths.logs.mkdir(parents=True, exist_ok=True)
    rebuild()
    ignore = IgnoreFilter([str(PROJECT_ROOT / name) for name in IGNORED], IGNORED_PATTERNS)
    app = _create_app([PROJECT_ROOT], ignore, rebuild, str(rebuild.paths.preview / "html"), f"{host}:{port}")
    show_message(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
