"""Sphinx extension: look each bibliography plugin up once per process, not once per citation.

pybtex and sphinxcontrib-bibtex find their styles and backends through package
entry points, and ``importlib.metadata.entry_points`` reads the metadata of every
installed distribution on each call: about 50 calls and 1.4 s per build of this
book, most of a prose-edit rebuild's bibliography time. The installed packages do
not change while Sphinx runs, so each (group, name) lookup is remembered. What
the lookups return is unchanged, and so is every page.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points


@cache
def _entry_points(group: str, name: str):
    return entry_points(group=group, name=name)


def _cached(*, group: str, name: str):
    return _entry_points(group, name)


def install() -> None:
    """Route pybtex's and sphinxcontrib-bibtex's entry-point lookups through the cache."""
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin

    pybtex.plugin.entry_points = _cached
    sphinxcontrib.bibtex.plugin._entry_points = _cached


def setup(app):
    install()
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
