"""myst-nb renderer of the report's structured outputs: tables and quotations as document nodes.

Registered under the entry point group ``myst_nb.mime_renderers`` (see
``pyproject.toml``). Every string of an output becomes a docutils text node,
which Sphinx's HTML writer HTML-escapes and its LaTeX writer LaTeX-escapes; no
string is parsed as Markdown, HTML, math or LaTeX, and none is "educated" by
Sphinx's smart quotes (straight quotes, ``--`` and ``...`` stay as written).
The only links are the section references a table asks for explicitly
(:class:`analysis.display.Ref`).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes

from analysis.display import MIME_QUOTES, MIME_TABLE, MIME_TEXT


def _text_cell(cell: Any) -> list[nodes.Node]:
    if isinstance(cell, str):
        return [nodes.Text(cell)]
    if isinstance(cell, dict) and set(cell) == {"text", "ref"}:
        ref = addnodes.pending_xref("", nodes.inline(cell["text"], cell["text"]), refdomain="std", reftype="ref",
                                    reftarget=str(cell["ref"]), refexplicit=bool(cell["text"]), refwarn=True)
        return [ref]
    raise ValueError(f"a table cell must be text or a section reference, not {cell!r}")


def _row(cells: list[Any], numeric: list[bool], stub: int, header: bool = False) -> nodes.row:
    row = nodes.row()
    for j, cell in enumerate(cells):
        classes = ["ips-num"] if numeric[j] else []
        if j < stub:
            classes.append("ips-stub")
        entry = nodes.entry(classes=classes)
        if cell != "":
            entry += nodes.paragraph("", "", *_text_cell(cell))
        row += entry
    return row


def _text(cell: Any) -> str:
    return cell if isinstance(cell, str) else (cell["text"] or cell["ref"])


def column_widths(header: list[str], rows: list[list[Any]]) -> list[int]:
    """Relative widths: each column's typical cell length (its upper quartile, or half its longest
    cell when a few cells are long), at least its longest word (up to 20 characters, so that words
    are not broken), within 4 to 40, plus room for the cell's padding."""
    widths = []
    for j, title in enumerate(header):
        texts = [_text(r[j]) for r in rows]
        lengths = sorted(len(t) for t in texts)
        typical = max(lengths[(len(lengths) * 3) // 4], lengths[-1] // 2) if lengths else 0
        longest_word = max((len(w) for t in [title, *texts] for w in t.split()), default=1)
        widths.append(max(4, min(40, max(typical, min(20, longest_word)))) + PADDING)
    return widths


#: A cell's padding, in characters of width.
PADDING = 2


def table_nodes(payload: dict[str, Any]) -> list[nodes.Element]:
    """A docutils table from a table output; a table with no rows is a paragraph saying so."""
    header, rows, numeric, stub = payload["header"], payload["rows"], payload["numeric"], payload["stub"]
    if not rows:
        return [nodes.paragraph("", "(none)", classes=["ips-empty-table"])]
    if any(len(r) != len(header) for r in rows) or len(numeric) != len(header):
        raise ValueError("every row of a table output needs one cell per header cell")
    # Column widths from the text they hold, so that LaTeX wraps long cells instead of
    # running off the page and HTML shares the width sensibly.
    table = nodes.table(classes=["ips-table", "colwidths-given"], support_smartquotes=False)
    group = nodes.tgroup(cols=len(header))
    table += group
    for j, width in enumerate(column_widths(header, rows)):
        group += nodes.colspec(colwidth=width, **({"stub": 1} if j < stub else {}))
    head = nodes.thead()
    head += _row(header, numeric, 0, header=True)
    body = nodes.tbody()
    for cells in rows:
        body += _row(cells, numeric, stub)
    group += head
    group += body
    return [table]


def quotation_nodes(payload: dict[str, Any]) -> list[nodes.Element]:
    """One block quote per quotation, its attribution below it."""
    out = []
    for quote in payload["quotes"]:
        block = nodes.block_quote(classes=["ips-quote"], support_smartquotes=False)
        block += nodes.paragraph("", quote["text"])
        block += nodes.attribution("", quote["attribution"])
        out.append(block)
    return out


class ReportMimeRenderer:
    """The myst-nb plugin: the report's outputs come before any other representation."""

    mime_priority_overrides = [("*", MIME_TABLE, 1), ("*", MIME_QUOTES, 2), ("*", MIME_TEXT, 3)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type == MIME_TABLE:
            return table_nodes(data.content)
        if data.mime_type == MIME_QUOTES:
            return quotation_nodes(data.content)
        if data.mime_type == MIME_TEXT:
            return [nodes.paragraph("", data.content["text"], support_smartquotes=False)]
        return None
