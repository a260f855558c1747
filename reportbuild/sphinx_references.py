"""Sphinx extension: the reference list in author-year order, as the author-year citations need.

The text cites "(Bond et al., 2008)", in round brackets as journals print them
(``ips_author_year``, ``bibtex_reference_style`` in ``_config.yml``), so the list
is sorted by first author and year, in the HTML and the PDF alike, and shows no
numeric labels: a pybtex style, ``ips``, the unsrt style sorted that way
(``bibtex_default_style``). It also makes the list's entries list items for
assistive technology.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from pybtex.plugin import register_plugin
from sphinxcontrib.bibtex.plugin import register_plugin as register_reference_style
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from pybtex.style.formatting.unsrt import Style as Unsrt
from pybtex.style.sorting import BaseSortingStyle

#: Letters that do not decompose, sorted as the English alphabet would (Rødevand under R).
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "å": "a", "Å": "A", "ß": "ss"})


def _plain(text: str) -> str:
    text = text.replace("{", "").replace("}", "").translate(_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


class AuthorYear(BaseSortingStyle):
    """By the first author's (or editor's) last name, then the year, then the title."""

    def sorting_key(self, entry) -> tuple:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        name = " ".join(persons[0].last_names) if persons else \
            entry.fields.get("organization", entry.fields.get("title", ""))
        return _plain(name), entry.fields.get("year", ""), _plain(entry.fields.get("title", ""))


class Style(Unsrt):
    default_sorting_style = "ips_author_year"


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class RoundAuthorYear(AuthorYearReferenceStyle):
    """Author-year citations in round brackets, several separated by semicolons."""

    bracket_parenthetical: BracketStyle = field(default_factory=_round)


register_plugin("pybtex.style.sorting", "ips_author_year", AuthorYear)
register_plugin("pybtex.style.formatting", "ips", Style)
register_reference_style("sphinxcontrib.bibtex.style.referencing", "ips_author_year", RoundAuthorYear)


def _citation_roles(app, pagename, templatename, context, doctree) -> None:
    """docutils marks a citation list role="list" but its entries role="doc-biblioentry", which
    is not a list item (axe-core: aria-required-children, critical). Entries become list items."""
    body = context.get("body")
    if body and 'class="citation-list"' in body:
        context["body"] = body.replace('<div class="citation" id="', '<div class="citation" role="listitem" id="') \
                              .replace('" role="doc-biblioentry">', '">')


def setup(app):
    app.connect("html-page-context", _citation_roles, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
