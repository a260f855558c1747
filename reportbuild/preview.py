"""The live preview behind ``make preview`` (started by tools/preview.sh).

sphinx-autobuild's server and watcher, with one change for speed: each rebuild
runs Sphinx inside a process forked from this one, which has already imported
Sphinx, Jupyter Book, myst-nb and the report's extensions, instead of starting a
new Python that imports them again. A saved prose edit then shows in about two
seconds. Before each rebuild, a change to analysis/, data/ or the configuration
clears what it invalidates from the execution cache (:mod:`reportbuild.inputs`, in
the forked process too), so no stale number is shown. The pages' version stamp
reads "preview" instead of following the work tree's state, so that the first
edit after a commit does not change every page (tools/preview.sh).

Usage: python reportbuild/preview.py SOURCE OUTPUT CONFDIR DOCTREES HOST PORT
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from sphinx_autobuild.__main__ import _create_app
from sphinx_autobuild.filter import IgnoreFilter
from sphinx_autobuild.utils import show_message

from reportbuild import inputs

IGNORED = [".git", ".venv", "_build", "dist", "record", "tests", "bench", ".pytest_cache", ".jupyter_cache"]
IGNORED_PATTERNS = [r".*/__pycache__/.*", r".*\.egg-info/.*", r".*/\.ipynb_checkpoints/.*", r".*~$", r".*\.sw[px]$"]


class Rebuild:
    """Called by the watcher (in a forked process) with the changed paths."""

    def __init__(self, source: str, output: str, confdir: str, doctrees: str):
        self.args = [source, output, "-c", confdir, "-d", doctrees, "-q"]

    def __call__(self, *, changed_paths=()):
        from sphinx.cmd.build import build_main

        if changed_paths:
            show_message("Rebuilding after changes to " + ", ".join(p.name for p in changed_paths[:5]))
        cleared = inputs.update()
        if cleared:
            show_message(cleared)
        status = build_main(self.args)
        show_message("Rebuilt" if status == 0 else f"Sphinx stopped with status {status}: see above")


def main(source: str, output: str, confdir: str, doctrees: str, host: str, port: str) -> None:
    # Import what every rebuild needs once, in this process; forked rebuilds inherit it.
    import jupyter_book  # noqa: F401
    import myst_nb.sphinx_ext  # noqa: F401
    import sphinx.application  # noqa: F401
    import sphinx_book_theme  # noqa: F401
    import sphinxcontrib.bibtex  # noqa: F401

    import reportbuild.sphinx_article  # noqa: F401
    import reportbuild.sphinx_latex  # noqa: F401
    import reportbuild.sphinx_outdated  # noqa: F401
    import reportbuild.sphinx_render  # noqa: F401
    import reportbuild.sphinx_speed  # noqa: F401
    import reportbuild.sphinx_stamp  # noqa: F401

    rebuild = Rebuild(source, output, confdir, doctrees)
    rebuild()
    root = Path(source).resolve()
    ignore = IgnoreFilter([str(root / name) for name in IGNORED], IGNORED_PATTERNS)
    app = _create_app([root], ignore, rebuild, output, f"{host}:{port}")
    show_message(f"Serving on http://{host}:{port}/")
    uvicorn.run(app, host=host, port=int(port), log_level="warning")


if __name__ == "__main__":
    main(*sys.argv[1:])
