"""Text from data is shown as text: tables and quotations as structured outputs.

Every string that comes from the data package (quotations, errata, titles,
descriptions, notes, participant labels) reaches the report through one of
two JSON outputs defined here. The Sphinx renderer
(:mod:`reportbuild.sphinx_render`) turns them into document nodes whose text the
HTML and LaTeX writers escape; nothing from the data is ever parsed as
Markdown, HTML, a MyST role, math or LaTeX.

Normalisation, the only change between a CSV value and the page
(:func:`plain`): Unicode NFC, and every run of whitespace that contains a line
break becomes one line feed (the page wraps text, so a blank line inside a
value could not be shown, and in LaTeX it would end the paragraph).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where a table is made: Sphinx's renderer imports this module too
    import pandas as pd

#: A table: header cells, body rows, which columns are numbers, how many leading columns label the rows.
MIME_TABLE = "application/vnd.ips-report.table+json"
#: Quotations: each with its text and its attribution.
MIME_QUOTES = "application/vnd.ips-report.quotes+json"
#: A paragraph of computed text.
MIME_TEXT = "application/vnd.ips-report.text+json"
#: A named number or word glued into a sentence, as ``{name: text}``: when a re-executed chapter prints
#: another value, nbval's diff of the two shows the name beside both values.
MIME_VALUE = "application/vnd.ips-report.value+json"
#: Output metadata of a figure that says how it was made (:class:`analysis.figures.Shown`).
FIGURE_SOURCE = "ips-report-source"
#: Output metadata of a figure: the SVG of its phone rendition, which the HTML shows on narrow screens.
FIGURE_NARROW = "ips-report-narrow"
#: The resolution of a figure's PNG, the raster a reader downloads for slides or a web page (dots per inch).
FIGURE_PNG_DPI = 200

_LINE_BREAKS = re.compile(r"[^\S\n\r\u2028\u2029]*[\n\r\u2028\u2029]\s*")
_NUMBER = re.compile(r"[+\-−]?\d[\d,]*(\.\d+)?%?\*?|[+\-−]?\.\d+%?")


def plain(value: Any) -> str:
    """A value as the text the page shows (see the module's normalisation)."""
    return _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", str(value)))


@dataclass(frozen=True)
class Ref:
    """A table cell that links to a labelled section of this report; the link text is the
    section's title unless ``text`` is given (a ``{ref}`` role, built without parsing anything)."""

    label: str
    text: str = ""

    def __str__(self) -> str:
        return self.text or self.label


@dataclass(frozen=True)
class Key:
    """A table cell holding an identifier (``discussion_extended_n``): shown in a fixed-width font,
    and a line may break after each underscore instead of inside a word."""

    text: str

    def __str__(self) -> str:
        return self.text


def _cell(value: Any) -> str | dict[str, Any]:
    if isinstance(value, Ref):
        return {"text": plain(value.text), "ref": value.label}
    if isinstance(value, Key):
        return {"text": plain(value.text), "key": True}
    return plain(value)


def is_number(text: str) -> bool:
    """A cell that reads as a number (with sign, thousands commas, decimals, % or a footnote's *);
    such columns are right-aligned."""
    return bool(_NUMBER.fullmatch(text.strip()))


#: A word longer than this (a URL, a file path, a key) may be broken anywhere to fit its column.
LONG_WORD = 20


def has_long_word(text: str) -> bool:
    """Whether the text holds a word longer than :data:`LONG_WORD` characters."""
    return any(len(word) > LONG_WORD for word in text.split())


def table_payload(frame: pd.DataFrame, missing: str, group: str | None = None, notes: tuple[str, ...] = (),
                  source: dict[str, Any] | None = None, keys: tuple[str, ...] = ()) -> dict[str, Any]:
    """The table output of a display frame: named index levels become leading label columns.

    Repeated labels in the leading columns of a grouped table (a MultiIndex) are
    shown once, at the first row of their group. ``group`` names an index level
    or a column whose values head groups of rows instead: each value is written
    once, across the table, above its rows, and the level or column is not shown.
    ``notes`` are printed under the table (a legend of its abbreviations, say),
    and ``source`` says how it was made (:func:`analysis.provenance.made_by`).
    ``keys`` names index levels or columns that hold identifiers (shown as :class:`Key`).
    """
    import pandas as pd

    if isinstance(frame.columns, pd.MultiIndex):
        raise ValueError("a display table has one header row; flatten its columns first")
    headings: list[str] | None = None
    if group is not None:
        if group in frame.columns:
            headings = [plain(v) for v in frame[group]]
            frame = frame.drop(columns=group)
        elif group in frame.index.names:
            headings = [plain(v) for v in frame.index.get_level_values(group)]
            frame = frame.droplevel(group) if frame.index.nlevels > 1 else frame.reset_index(drop=True)
        else:
            raise KeyError(f"no column or index level {group!r} to group the table by")
    labelled = any(name is not None for name in frame.index.names)
    stub = frame.index.nlevels if labelled else 0
    flat = frame.reset_index() if labelled else frame
    header = [plain(c) for c in flat.columns]
    is_key = [c in keys for c in flat.columns]
    rows = [[missing if _missing(v) else _cell(Key(str(v)) if is_key[j] else v) for j, v in enumerate(row)]
            for row in flat.itertuples(index=False)]
    labels = [[str(c) for c in row[:stub]] for row in rows]
    starts = [i for i in range(len(rows)) if headings is not None and (i == 0 or headings[i] != headings[i - 1])]
    for i in range(1, len(rows)):  # a grouped table shows each outer label once, at its group's first row
        if i in starts:
            continue
        for level in range(stub - 1):
            if labels[i][: level + 1] == labels[i - 1][: level + 1]:
                rows[i][level] = ""
    numeric = []
    for j in range(len(header)):
        texts = [r[j] for r in rows if isinstance(r[j], str) and r[j] not in ("", missing)]
        numeric.append(j >= stub and bool(texts) and all(is_number(t) for t in texts))
    payload: dict[str, Any] = {"header": header, "rows": rows, "numeric": numeric, "stub": stub}
    if headings is not None:
        payload["groups"] = [[i, headings[i]] for i in starts]
    if notes:
        payload["notes"] = [plain(n) for n in notes]
    if source is not None:
        payload["source"] = {"function": str(source["function"]), "data": [plain(f) for f in source["data"]]}
    return payload


def _missing(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def source_line(source: dict[str, Any]) -> str:
    """How a table or figure was made, as one line of text."""
    if not source["data"]:
        return f"Made by {source['function']}."
    return f"Made by {source['function']} from {', '.join(source['data'])}."


def plain_text_table(payload: dict[str, Any]) -> str:
    """The table as aligned plain text (what nbval compares and a terminal shows): group headings
    on lines of their own, notes and the source below."""
    lines = [payload["header"]] + [[c if isinstance(c, str) else c["text"] for c in r] for r in payload["rows"]]
    lines = [[c.replace("\n", " ") for c in line] for line in lines]
    widths = [max(len(line[j]) for line in lines) for j in range(len(payload["header"]))]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    for offset, (start, heading) in enumerate(payload.get("groups", [])):
        text.insert(1 + start + offset, "[" + heading.replace("\n", " ") + "]")
    text += [note.replace("\n", " ") for note in payload.get("notes", [])]
    if "source" in payload:
        text.append(source_line(payload["source"]))
    return "\n".join(text)


class Table:
    """A table ready to show: its structured output (:func:`table_payload`), made once with the results;
    showing it needs no pandas. ``len()`` is its number of body rows."""

    def __init__(self, payload: dict[str, Any]):
        self.payload = payload

    @classmethod
    def of(cls, header: list[str], rows: list[list[Any]], stub: int = 1) -> "Table":
        """A table from plain rows (the first ``stub`` columns label the rows)."""
        cells = [[plain(c) for c in row] for row in rows]
        numeric = [j >= stub and bool(cells) and all(is_number(r[j]) for r in cells) for j in range(len(header))]
        return cls({"header": [plain(h) for h in header], "rows": cells, "numeric": numeric, "stub": stub})

    def __len__(self) -> int:
        return len(self.payload["rows"])

    def column(self, name: str) -> list:
        """The cells of one column, by its header (labels included)."""
        j = self.payload["header"].index(name)
        return [row[j] for row in self.payload["rows"]]

    def cell(self, row: str, column: str):
        """The cell of the row labelled ``row`` (in its first column) under the header ``column``."""
        return next(r for r in self.payload["rows"] if r[0] == row)[self.payload["header"].index(column)]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {MIME_TABLE: self.payload, "text/plain": plain_text_table(self.payload)}


class Quotations:
    """Quotations, each with its attribution, in the order given."""

    def __init__(self, texts: list[str], attributions: list[str]):
        self.items = [{"text": plain(t), "attribution": plain(a)} for t, a in zip(texts, attributions, strict=True)]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        text = "\n\n".join(f"“{q['text']}” — {q['attribution']}" for q in self.items)
        return {MIME_QUOTES: {"quotes": self.items}, "text/plain": text}


class Value:
    """A named number or word of the prose, as its text: glued into a sentence as plain text (no emphasis)."""

    def __init__(self, name: str, text: str):
        self.name, self.text = name, plain(text)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {MIME_VALUE: {self.name: self.text}, "text/plain": self.text}


class Paragraph:
    """A paragraph of text (computed or from data), shown as text."""

    def __init__(self, text: str):
        self.text = plain(text)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {MIME_TEXT: {"text": self.text}, "text/plain": self.text}
