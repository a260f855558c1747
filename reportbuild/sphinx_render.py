"""myst-nb renderer of the report's structured outputs: tables and quotations as document nodes.

Registered under the entry point group ``myst_nb.mime_renderers`` (see
``pyproject.toml``). Every string of an output becomes a docutils text node,
which Sphinx's HTML writer HTML-escapes and its LaTeX writer LaTeX-escapes; no
string is parsed as Markdown, HTML, math or LaTeX, and none is "educated" by
Sphinx's smart quotes (straight quotes, ``--`` and ``...`` stay as written).
The only links are the section references a table asks for explicitly
(:class:`analysis.display.Ref`) and citations: a cell whose whole text is one
or more keys of the report's bibliography (``fairbank2000``, or
``landmark2012; rustoen2004``), as the data's citation columns hold them, is
shown as a formatted citation, like ``{cite}`` in a chapter, never as the key;
and, in HTML, the link from the note saying how a table or figure was made to
the highlighted source of the function that made it (``sphinx.ext.viewcode``'s
pages, set up by :func:`setup`).

A figure with a phone rendition (its output's :data:`~analysis.display.FIGURE_NARROW`
metadata) is shown in HTML as ``<picture>``: the phone rendition on screens up
to :data:`NARROW_MEDIA`, the desktop one otherwise; LaTeX uses the PDF as before.

It is also a Sphinx extension (:func:`setup`): it moves a figure's note under
its caption and links each note's function to its source, and writes the
``<picture>`` of a figure with a phone rendition.
"""

from __future__ import annotations

import os
import posixpath
import re
import urllib.parse
from pathlib import Path
from typing import Any, Callable

from docutils import nodes
from sphinx import addnodes

from analysis.display import (FIGURE_NARROW, FIGURE_PNG_DPI, FIGURE_SOURCE, MIME_QUOTES, MIME_TABLE, MIME_TEXT,
                              MIME_VALUE, has_long_word)

#: Classes of the note saying how a table or figure was made, and of its function's name in it.
MADE_BY, FUNCTION = "ips-made-by", "ips-function"


#: Makes the nodes of a citation from a cell's text, or returns None when the text is not citation keys.
Citer = Callable[[str], "list[nodes.Node] | None"]

_KEY_LIST = re.compile(r"\s*[A-Za-z][\w:.-]*(\s*[,;]\s*[A-Za-z][\w:.-]*)*\s*")


def citation_keys(text: str, known) -> list[str] | None:
    """The citation keys a cell's text consists of (separated by commas or semicolons), if every
    one is a key of the bibliography; None otherwise."""
    if not _KEY_LIST.fullmatch(text):
        return None
    keys = [k.strip() for k in re.split(r"[,;]", text)]
    return keys if keys and all(k in known for k in keys) else None


def sphinx_citer(renderer) -> Citer | None:
    """A citer for the document being read, as the ``{cite}`` role makes citations
    (sphinxcontrib-bibtex); None outside Sphinx."""
    env = getattr(renderer, "sphinx_env", None)
    if env is None or "cite" not in env.domains:
        return None
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets
    from sphinxcontrib.bibtex.roles import CitationRef

    domain = env.get_domain("cite")
    known = domain.bibdata.data.entries
    document = renderer.document

    def cite(text: str) -> list[nodes.Node] | None:
        keys = citation_keys(text, known)
        if keys is None:
            return None
        target = ",".join(keys)
        ref = addnodes.pending_xref(target, nodes.inline(target, target, classes=["xref", "cite", "cite-p"]),
                                    refdoc=env.docname, refdomain="cite", reftype="p", reftarget=target,
                                    refexplicit=False, refwarn=False)
        document.note_explicit_target(ref, ref)
        domain.citation_refs.append(CitationRef(citation_ref_id=ref["ids"][0], docname=env.docname,
                                                line=document.line or 0,
                                                targets=list(parse_citation_targets(target))))
        return [ref]

    return cite


def _text_cell(cell: Any, cite: Citer | None = None) -> list[nodes.Node]:
    if isinstance(cell, str):
        cited = cite(cell) if cite is not None else None
        return cited if cited is not None else [nodes.Text(cell)]
    if isinstance(cell, dict) and set(cell) == {"text", "ref"}:
        ref = addnodes.pending_xref("", nodes.inline(cell["text"], cell["text"]), refdomain="std", reftype="ref",
                                    reftarget=str(cell["ref"]), refexplicit=bool(cell["text"]), refwarn=True)
        return [ref]
    if isinstance(cell, dict) and set(cell) == {"text", "key"}:
        return [key_node(cell["text"])]
    raise ValueError(f"a table cell must be text, a section reference or a key, not {cell!r}")


#: Where a line may break in a key: after each underscore (an empty HTML element, a TeX command;
#: both fixed strings, never text from the data).
_BREAK = {"html": "<wbr>", "latex": r"\allowbreak{}"}


def key_node(text: str) -> nodes.inline:
    """An identifier as text in a fixed-width font, breakable after each underscore."""
    key = nodes.inline("", "", classes=["ips-key"])
    parts = text.split("_")
    for i, part in enumerate(parts):
        key += nodes.Text(part + ("_" if i < len(parts) - 1 else ""))
        if i < len(parts) - 1:
            key += [nodes.raw("", markup, format=fmt) for fmt, markup in _BREAK.items()]
    return key


def _row(cells: list[Any], numeric: list[bool], stub: int, cite: Citer | None = None) -> nodes.row:
    row = nodes.row()
    for j, cell in enumerate(cells):
        # every cell has a class, so that what the text makes of it (a long word, below) changes
        # the class's value but never adds an attribute to the page
        classes = ["ips-cell"]
        if numeric[j]:
            classes.append("ips-num")
        if j < stub:
            classes.append("ips-stub")
        if has_long_word(_text(cell)) and not (isinstance(cell, dict) and "key" in cell):
            classes.append("ips-long")  # its long word may break anywhere rather than widen the table
        entry = nodes.entry(classes=classes)
        if cell != "":
            entry += nodes.paragraph("", "", *_text_cell(cell, cite))
        row += entry
    return row


def _text(cell: Any) -> str:
    return cell if isinstance(cell, str) else (cell["text"] or cell.get("ref", ""))


#: A token too long for a narrow column that LaTeX would not break (an identifier, a web address,
#: a list of numbers): the PDF may break it after any of ``_ / . ? = & : ; ,``
#: (:func:`reportbuild.sphinx_latex.breakable`).
LONG_TOKEN = re.compile(r"\S{15,}")
BREAK_AFTER = re.compile(r"(?<=[_/.?=&:;,])(?=\S)")


def _longest_word(texts: list[str]) -> int:
    """The longest run of text a line cannot break (a word, or a piece of a long token)."""
    pieces = (p for t in texts for w in t.split() for p in (BREAK_AFTER.split(w) if LONG_TOKEN.fullmatch(w) else [w]))
    return max((len(p) for p in pieces), default=1)


def column_widths(header: list[str], rows: list[list[Any]]) -> list[int]:
    """Relative widths of a table's columns (:func:`column_layout`)."""
    return column_layout(header, rows)[0]


def column_layout(header: list[str], rows: list[list[Any]]) -> tuple[list[int], bool]:
    """Relative widths of a table's columns, and whether the table is set in smaller type.

    Each column wants its typical cell length (its upper quartile, or half its longest cell when a
    few cells are long), at least its longest word (up to 20 characters, so that words are not
    broken), within 4 to 40, plus room for the cell's padding.

    When the columns together want more than a line (``LINE`` characters, about the PDF's text
    width in the tables' small type), the columns that wrap give up room in proportion to what
    want beyond their longest word (what a column of long texts wants counts up to ``MOST``
    characters here, not 40, so that it gets more than a column of phrases): no column is squeezed below its longest word, so a short
    column ("Range", "n") keeps its header whole. When even the longest words do not fit in a
    line, the table is *wide*: the PDF sets it in smaller type with narrower padding (``WIDE_LINE``
    characters, ``WIDE_PADDING``), and if the longest words still do not fit, only the body's
    words are kept whole (a header word may be hyphenated)."""
    wanted, desire, least, body = [], [], [], []
    for j, title in enumerate(header):
        texts = [_text(r[j]) for r in rows]
        lengths = sorted(len(t) for t in texts)
        typical = max(lengths[(len(lengths) * 3) // 4], lengths[-1] // 2) if lengths else 0
        word = max(4, min(20, _longest_word([title, *texts])))
        wanted.append(max(4, min(40, max(typical, word))))
        desire.append(max(4, min(MOST, max(typical, word))))
        least.append(word)
        body.append(max(4, min(20, _longest_word(texts))))
    if sum(wanted) + PADDING * len(wanted) <= LINE:
        return [w + PADDING for w in wanted], False
    wide = sum(least) + PADDING * len(least) > LINE
    padding, line = (WIDE_PADDING, WIDE_LINE) if wide else (PADDING, LINE)
    if wide and sum(least) + padding * len(least) > line:
        least = body  # a long header word ("Participant" over "P1") may be hyphenated
    room = line - sum(least) - padding * len(least)
    give = sum(w - m for w, m in zip(desire, least))
    if room <= 0 or give == 0:
        return [m + padding for m in least], wide
    return [m + round((w - m) * room / give) + padding for w, m in zip(desire, least)], wide


#: A cell's padding, in characters of width (LaTeX's two \\tabcolsep, about three characters).
#: A character of width is a digit's: 5 pt in the PDF's small type, 4.5 pt in its footnote size.
PADDING = 3
#: The characters of table text a line holds, padding included (the PDF's text width in the
#: tables' small type).
LINE = 90
#: The same for a wide table, in the PDF's footnote-sized type with half the padding.
WIDE_PADDING = 2
WIDE_LINE = 100
#: What a column of long texts wants, in characters, when columns share a line that is too short.
MOST = 120


def made_by_paragraph(source: dict[str, Any]) -> nodes.paragraph:
    """'Made by <function> from <file>, <file>.': the function and the files as literals, all text."""
    para = nodes.paragraph("", "", classes=[MADE_BY])
    para += nodes.Text("Made by ")
    para += nodes.literal(source["function"], source["function"], classes=[FUNCTION])
    for i, name in enumerate(source["data"]):
        para += nodes.Text(" from " if i == 0 else ", ")
        para += _data_file(name)
    para += nodes.Text(".")
    return para


def _data_file(name: str) -> nodes.Node:
    """A data file's name, linked to the file itself (Sphinx copies it into the site) when it is one,
    in the project's data or in another data package the build reads (named relative to the project,
    so that no path of the build machine reaches the page)."""
    from analysis.paths import PROJECT_ROOT, data_dir

    literal = nodes.literal(name, name)
    try:
        path = (data_dir().parent / name).resolve()
        if not path.is_file():
            return literal
    except (OSError, ValueError):  # not a file's name at all
        return literal
    target = "/" + Path(os.path.relpath(path, PROJECT_ROOT)).as_posix()
    return addnodes.download_reference("", "", literal, reftarget=target, refexplicit=True)


def table_nodes(payload: dict[str, Any], cite: Citer | None = None, caption: dict | None = None,
                document: nodes.document | None = None) -> list[nodes.Element]:
    """A docutils table from a table output, in a block with its notes and how it was made below it;
    a table with no rows is a paragraph saying so. With ``cite``, body cells that hold citation keys
    become citations.

    Group headings (``payload["groups"]``) are rows of one cell across the table. ``caption``
    (``{"caption": ..., "name": ...}``, from the code cell's ``table`` metadata) gives the table its
    numbered title, above it, and its label for ``{numref}``, registered in ``document``.
    """
    header, rows, numeric, stub = payload["header"], payload["rows"], payload["numeric"], payload["stub"]
    if not rows and not caption:
        return [nodes.paragraph("", "(none)", classes=["ips-empty-table"])]
    if any(len(r) != len(header) for r in rows) or len(numeric) != len(header):
        raise ValueError("every row of a table output needs one cell per header cell")
    # Column widths from the text they hold, so that LaTeX wraps long cells instead of
    # running off the page and HTML shares the width sensibly.
    widths, wide = column_layout(header, rows)
    table = nodes.table(classes=["ips-table", "colwidths-given"] + (["ips-wide"] if wide else []),
                        support_smartquotes=False)
    group = nodes.tgroup(cols=len(header))
    table += group
    for j, width in enumerate(widths):
        group += nodes.colspec(colwidth=width, **({"stub": 1} if j < stub else {}))
    head = nodes.thead()
    head += _row(header, numeric, 0)
    body = nodes.tbody()
    headings = {int(start): text for start, text in payload.get("groups", [])}
    if headings:
        table["classes"].append("ips-grouped")
    for i, cells in enumerate(rows):
        if i in headings:
            heading = nodes.row(classes=["ips-group"])
            entry = nodes.entry(morecols=len(header) - 1, classes=["ips-group"])
            entry += nodes.paragraph("", headings[i])
            heading += entry
            body += heading
        body += _row(cells, numeric, stub, cite)
    group += head
    group += body
    if caption:
        table.insert(0, nodes.title("", str(caption.get("caption", ""))))
        if caption.get("name") and document is not None:
            table["names"].append(str(caption["name"]))
            document.note_explicit_target(table, table)
    block = nodes.container(classes=["ips-table-block"])
    block += table
    if not rows:  # a captioned table with no rows keeps its number and says so
        block += nodes.paragraph("", "(none)", classes=["ips-empty-table"])
    for note in payload.get("notes", []):
        block += nodes.paragraph("", note, classes=["ips-table-note"])
    if "source" in payload:
        block += made_by_paragraph(payload["source"])
    return [block]


def quotation_nodes(payload: dict[str, Any]) -> list[nodes.Element]:
    """One block quote per quotation, its attribution below it after an em dash (a character: LaTeX
    does not make ``---`` one in the PDF's font), kept on the quotation's page in the PDF."""
    out = []
    for quote in payload["quotes"]:
        block = nodes.block_quote(classes=["ips-quote"], support_smartquotes=False)
        block += nodes.paragraph("", quote["text"])
        block += nodes.raw("", "\\nopagebreak[4]\n", format="latex")
        block += nodes.paragraph("", "", nodes.raw("", "\\hfill{}", format="latex"),
                                 nodes.Text("\u2014\u2009" + quote["attribution"]), classes=["attribution"])
        out.append(block)
    return out


#: The screens that are shown a figure's phone rendition (the theme's narrow layout starts below 640 px).
NARROW_MEDIA = "(max-width: 640px)"


class picture(nodes.General, nodes.Element):
    """An image with a rendition for narrow screens: HTML's ``<picture>`` around a :class:`narrow_source`
    and the image itself; other writers show the image alone."""


class narrow_source(nodes.image):
    """The phone rendition of a :class:`picture`: an image (so Sphinx copies its file), written as
    ``<source>`` in HTML and left out elsewhere."""


def picture_nodes(renderer, data, image: nodes.image) -> picture:
    """The figure's image with its phone rendition (an SVG) beside it, in a :class:`picture`."""
    from myst_nb.core.render import MimeData

    svg = data.output_metadata[FIGURE_NARROW]
    narrow = MimeData("image/svg+xml", "".join(svg) if isinstance(svg, list) else svg, output_metadata={},
                      cell_index=data.cell_index, output_index=data.output_index, line=data.line)
    [narrow_image] = renderer.render_image(narrow)
    node = picture()
    node += narrow_source(uri=narrow_image["uri"])
    node += image
    return node


#: A figure's files a reader can download (HTML only), by media type: the link's text and the extension.
DOWNLOADS = {"image/svg+xml": ("SVG", ".svg"), "application/pdf": ("PDF", ".pdf"), "image/png": ("PNG", ".png")}
#: Class of a figure's download links.
DOWNLOAD = "ips-downloads"


def download_node(renderer, data) -> addnodes.only:
    """One representation of a figure as a file named after the figure (``fig-employment-timeline.svg``),
    linked for download in HTML; :func:`_under_captions` gathers a figure's links into one line."""
    from binascii import a2b_base64

    text, extension = DOWNLOADS[data.mime_type]
    content = "".join(data.content) if isinstance(data.content, list) else data.content
    payload = content.encode("utf-8") if data.mime_type == "image/svg+xml" else a2b_base64(content)
    figure = data.cell_metadata.get("mystnb", {}).get("figure", {})
    name = figure.get("name") or f"{Path(renderer.renderer.document['source']).stem}-{data.cell_index}-{data.output_index}"
    uri = renderer.write_file(["figures", name + extension], payload, overwrite=True)
    link = addnodes.download_reference("", "", nodes.inline("", text), reftarget=uri, refexplicit=True)
    return addnodes.only("", link, expr="html", classes=[DOWNLOAD])


def _visit_picture_html(self, node: picture) -> None:
    self.body.append("<picture>")


def _depart_picture_html(self, node: picture) -> None:
    self.body.append("</picture>")


def _visit_source_html(self, node: narrow_source) -> None:
    uri = node["uri"]
    if uri in self.builder.images:  # where Sphinx copied it, as its visit_image does
        uri = posixpath.join(self.builder.imgpath, urllib.parse.quote(self.builder.images[uri]))
    self.body.append(f'<source media="{NARROW_MEDIA}" srcset="{self.attval(uri)}" type="image/svg+xml">')
    raise nodes.SkipNode


def _pass(self, node) -> None:
    pass


def _skip(self, node) -> None:
    raise nodes.SkipNode


class ReportMimeRenderer:
    """The myst-nb plugin: the report's outputs come before any other representation."""

    mime_priority_overrides = [("*", MIME_TABLE, 1), ("*", MIME_QUOTES, 2), ("*", MIME_TEXT, 3), ("*", MIME_VALUE, 4)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type == MIME_TABLE:
            return table_nodes(data.content, sphinx_citer(renderer.renderer), data.cell_metadata.get("table"),
                               renderer.renderer.document)
        if data.mime_type == MIME_QUOTES:
            return quotation_nodes(data.content)
        if data.mime_type in (MIME_TEXT, MIME_VALUE):  # a paragraph, or a number or word glued into a sentence
            [text] = data.content.values()
            return [nodes.inline("", text, classes=["ips-value"]) if inline else
                    nodes.paragraph("", text, support_smartquotes=False)]
        source = data.output_metadata.get(FIGURE_SOURCE) if not inline else None
        if source and data.mime_type in DOWNLOADS:
            images = renderer.render_image(data)
            if data.mime_type == "image/svg+xml" and data.output_metadata.get(FIGURE_NARROW):
                images = [picture_nodes(renderer, data, image) for image in images]
            return [*images, made_by_paragraph(source), download_node(renderer, data)]
        return None


# --- the Sphinx extension -----------------------------------------------------------

def _module_and_tag(name: str) -> tuple[str, str, str] | None:
    """``analysis.report.Report.audit`` -> (``analysis.report``, ``Report.audit``, the module's file).

    Modules are found, not imported: Sphinx then loads no pandas or matplotlib for a note."""
    from importlib.util import find_spec

    parts = name.split(".")
    found = None
    for cut in range(1, len(parts)):
        try:
            spec = find_spec(".".join(parts[:cut]))
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            break
        found = cut, spec.origin
        if spec.submodule_search_locations is None:  # a module, not a package: the rest is inside it
            break
    if found is None:
        return None
    cut, origin = found
    return ".".join(parts[:cut]), ".".join(parts[cut:]), origin


def _under_captions(doctree: nodes.document) -> None:
    """A figure's 'Made by' note follows its caption, in the figure's legend, and then, in HTML, one
    line of links to download the figure as SVG, PDF and PNG.

    Under Sphinx, myst-nb renders every representation of an output (here SVG,
    PDF and PNG, each with its note and its download link) and picks one per
    builder later; the note is the same for all, so it is moved once and its
    copies are dropped, and the links are gathered from all of them.
    """
    for figure in list(doctree.findall(nodes.figure)):
        notes = [p for p in figure.findall(nodes.paragraph) if MADE_BY in p["classes"]]
        captions = [c for c in figure.children if isinstance(c, nodes.caption)]
        if not notes or not captions:
            continue
        legends = [c for c in figure.children if isinstance(c, nodes.legend)]
        legend = legends[0] if legends else nodes.legend()
        kept = set()
        for note in notes:
            note.parent.remove(note)
            if note.astext() not in kept:
                kept.add(note.astext())
                legend += note
        links = {}
        for only in [o for o in figure.findall(addnodes.only) if DOWNLOAD in o["classes"]]:
            only.parent.remove(only)
            links.setdefault(only.astext(), only.children[0])
        if links:
            line = nodes.paragraph("", "Download the figure as ", classes=[DOWNLOAD])
            shown = [t for t, _ in DOWNLOADS.values() if t in links]
            for i, text in enumerate(shown):
                line += nodes.Text("" if i == 0 else " or " if i == len(shown) - 1 else ", ")
                line += links[text]
                line += nodes.Text(f" ({FIGURE_PNG_DPI} dpi)" if text == "PNG" else "")
            line += nodes.Text(".")
            legend += addnodes.only("", line, expr="html")
        if not legends:
            figure.insert(figure.index(captions[-1]) + 1, legend)


def _register_sources(app, doctree: nodes.document) -> None:
    """Each function named in a 'Made by' note gets a highlighted source page (``sphinx.ext.viewcode``),
    and the note its target there; the first note of a function on a page is the source page's way back."""
    env = app.builder.env
    if not hasattr(env, "_viewcode_modules"):
        env._viewcode_modules = {}
    seen = set()
    checked = set()  # the modules compared with their files in this document
    for literal in list(doctree.findall(nodes.literal)):
        if FUNCTION not in literal["classes"]:
            continue
        name = literal.astext()
        found = _module_and_tag(name)
        if found is None:
            continue
        module, tag, origin = found
        entry = env._viewcode_modules.get(module)
        if module not in checked:
            checked.add(module)
            code = _source(origin)
            if not entry or entry[0] != code:
                # new, or the module changed since a page that is not read again used it: its tags
                # and highlighted page are made from the module as it is now, with the backlinks
                # of the functions it still has
                analyzer = _analyzer(code, origin, module)
                kept = {name: page for name, page in (entry[2] if entry else {}).items() if name in analyzer.tags}
                entry = (analyzer.code, analyzer.tags, kept, module)
                env._viewcode_modules[module] = entry
        if tag not in entry[1]:
            continue
        entry[2][tag] = env.docname
        literal["ips_source"] = (posixpath.join("_modules", module.replace(".", "/")), tag)
        paragraph = literal.parent
        if name not in seen and isinstance(paragraph, nodes.paragraph):
            seen.add(name)
            paragraph["ids"].append(name)


def _source(path: str) -> str:
    import tokenize

    with tokenize.open(path) as handle:
        return handle.read()


def _analyzer(code: str, path: str, modname: str):
    """The tags of a module's source as just read: ModuleAnalyzer.for_file would keep a first reading
    for the life of the process (the live preview's), however the file changes."""
    from sphinx.pycode import ModuleAnalyzer

    analyzer = ModuleAnalyzer(code, modname, path)
    analyzer.find_tags()
    return analyzer


def _find_source(app, modname: str) -> tuple[str, dict] | None:
    """viewcode's source of a module of the report, read from its file: viewcode would import it
    (matplotlib, seaborn and pandas with it) only to find the file."""
    from importlib.util import find_spec

    if modname.split(".")[0] not in ("analysis", "reportbuild"):
        return None
    spec = find_spec(modname)
    if spec is None or not spec.origin:
        return None
    analyzer = _analyzer(_source(spec.origin), spec.origin, modname)
    return analyzer.code, analyzer.tags


def _doctree_read(app, doctree: nodes.document) -> None:
    _under_captions(doctree)
    _register_sources(app, doctree)


def _link_sources(app, doctree: nodes.document, docname: str) -> None:
    """In HTML, a 'Made by' note's function links to its highlighted source; elsewhere it stays text."""
    from sphinx.ext.viewcode import is_supported_builder
    from sphinx.util.nodes import make_refnode

    if not is_supported_builder(app.builder):
        return
    for literal in list(doctree.findall(nodes.literal)):
        target = literal.get("ips_source")
        if not target:
            continue
        page, tag = target
        copy = nodes.literal(literal.astext(), literal.astext(), classes=literal["classes"])
        literal.replace_self(make_refnode(app.builder, docname, page, tag, copy, title=f"source of {literal.astext()}"))


def setup(app):
    app.setup_extension("sphinx.ext.viewcode")
    others = {name: (_pass, _pass) for name in ("latex", "text", "man", "texinfo")}
    app.add_node(picture, html=(_visit_picture_html, _depart_picture_html), **others)
    app.add_node(narrow_source, html=(_visit_source_html, None), **{name: (_skip, None) for name in others})
    app.connect("doctree-read", _doctree_read)
    app.connect("viewcode-find-source", _find_source)
    app.connect("doctree-resolved", _link_sources)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
