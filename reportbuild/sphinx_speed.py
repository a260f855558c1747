"""Sphinx extension: the bibliography's work done once per process, not once per build.

- pybtex and sphinxcontrib-bibtex find their styles and backends through package
  entry points, and ``importlib.metadata.entry_points`` reads the metadata of every
  installed distribution on each call: about 50 calls and 1.4 s per build of this
  book. The installed packages do not change while Sphinx runs, so each
  (group, name) lookup is remembered.
- sphinxcontrib-bibtex formats every entry of the bibliography, twice (text and
  tooltip), on every build, even when one page changed: about 0.7 s. An entry's
  formatting depends only on the style, its label and the entry's type, fields and
  names, so it is remembered under those; the live preview, which builds many
  times in one process, formats each entry once. An entry with a cross-reference
  (its formatting reads another entry) is always formatted afresh.

What the lookups and the formatting return is unchanged, and so is every page.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points


@cache
def _entry_points(selection: tuple[tuple[str, str], ...]):
    return entry_points(**dict(selection))


def _cached(**selection: str):
    """``entry_points(group=..., name=...)`` (or any other selection), remembered."""
    return _entry_points(tuple(sorted(selection.items())))


_FORMATTED: dict = {}


def _entry_key(entry) -> tuple:
    names = tuple((role, tuple((tuple(p.first_names), tuple(p.middle_names), tuple(p.prelast_names),
                                tuple(p.last_names), tuple(p.lineage_names)) for p in people))
                  for role, people in entry.persons.items())
    return entry.key, entry.type, tuple((key, str(value)) for key, value in entry.fields.items()), names


def _remembered(format_entry):
    def remembered(self, label, entry, bib_data=None):
        if bib_data is not None or "crossref" in entry.fields:
            return format_entry(self, label, entry, bib_data=bib_data)
        key = (type(self), type(self.name_style), type(self.label_style), type(self.sorting_style),
               self.abbreviate_names, self.min_crossrefs, label, _entry_key(entry))
        if key not in _FORMATTED:
            _FORMATTED[key] = format_entry(self, label, entry)
        return _FORMATTED[key]
    remembered.__wrapped__ = format_entry
    return remembered


def install() -> None:
    """Route the entry-point lookups and the entries' formatting through the caches (once)."""
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin
    from pybtex.style.formatting import BaseStyle

    pybtex.plugin.entry_points = _cached
    sphinxcontrib.bibtex.plugin._entry_points = _cached
    if not hasattr(BaseStyle.format_entry, "__wrapped__"):
        BaseStyle.format_entry = _remembered(BaseStyle.format_entry)


def setup(app):
    install()
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
