"""Sphinx extension: the source article as an appendix, and the ``{article}`` role that links a claim to it.

``` {article-text} ``` (a directive without arguments) lays out
``data/source/article.txt`` passage by passage (:mod:`analysis.article`): each
paragraph, heading, table and reference carries its anchor (``p045``, ``r12``)
as its id and as a visible number, and is registered as a label so that links
resolve in HTML and in the PDF. All text is built as document nodes: nothing
in the article is parsed as markup.

``{article}`p045``` in a chapter renders a small link "¶45" to that passage;
``{article}`p045,p046``` links several. A link to a passage that does not exist
is a warning, so the build (``-W``) fails on it.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective, SphinxRole

from analysis import article

from .sphinx_render import table_nodes

LABEL_PREFIX = "article-"


def _numbered(anchor: str, label: str, children: list[nodes.Node], node_class=nodes.paragraph, **attributes):
    node = node_class("", "", nodes.inline(label, label, classes=["article-anchor"]), nodes.Text(" "), *children,
                      ids=[anchor], names=[LABEL_PREFIX + anchor], support_smartquotes=False, **attributes)
    return node


#: What the reprint says where the copy printed the authors' e-mail addresses and a phone number.
CONTACTS_LEFT_OUT = "The authors' contact details, printed here in the source, are left out of this reprint."


class ArticleText(SphinxDirective):
    """The whole article, passage by passage, each with its anchor."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(article.ARTICLE))
        out: list[nodes.Node] = []
        previous = None
        for block in article.blocks():
            mark = f"¶{block.number}"
            if article.left_out(block):  # personal contact details: the anchor stays, with one note for a run
                node = nodes.target("", "", ids=[block.anchor], names=[LABEL_PREFIX + block.anchor]) \
                    if previous is not None and article.left_out(previous) else \
                    _numbered(block.anchor, mark, [nodes.emphasis(text=CONTACTS_LEFT_OUT)])
                previous = block
                self.state.document.note_explicit_target(node)
                out.append(node)
                continue
            previous = block
            text = article.reprinted(block.text)
            if block.kind == "heading":
                node = _numbered(block.anchor, mark, [nodes.Text(text.strip())], nodes.rubric,
                                 classes=["article-heading"])
            elif block.kind == "table":
                header, rows = article.table_rows(block)
                node = nodes.container("", _numbered(block.anchor, mark, [nodes.Text("Table body as printed:")]),
                                       *table_nodes({"header": header, "rows": rows, "numeric": [False] * len(header),
                                                     "stub": 0}), classes=["article-table"])
                self.state.document.note_explicit_target(node[0])
                out.append(node)
                continue
            elif block.kind == "references":
                node = nodes.container("", _numbered(block.anchor, mark, [nodes.Text("References as printed:")]),
                                       classes=["article-references"])
                self.state.document.note_explicit_target(node[0])
                items = nodes.enumerated_list(enumtype="arabic")
                for ref in article.references():
                    item = nodes.list_item("", _numbered(ref.anchor, f"[{ref.number}]",
                                                         [nodes.Text(article.reprinted(ref.text))]))
                    self.state.document.note_explicit_target(item[0])
                    items += item
                node += items
                out.append(node)
                continue
            else:
                node = _numbered(block.anchor, mark, [nodes.Text(text)], classes=[f"article-{block.kind}"])
            self.state.document.note_explicit_target(node)
            out.append(node)
        return out


#: The longest passage text a link's tooltip shows before it is cut (with an ellipsis).
TIP_LENGTH = 320
_PASSAGES = re.compile(r"^\s*p?0*(\d+)\s*(?:[-–]\s*p?0*(\d+))?\s*$")


def passages(text: str) -> list[str] | None:
    """The anchors ``{article}`57``` or ``{article}`113-114``` names (``p057`` is the same as ``57``);
    None when the text is not one passage or one range of passages."""
    found = _PASSAGES.match(text)
    if not found:
        return None
    first, last = int(found.group(1)), int(found.group(2) or found.group(1))
    return [f"p{n:03d}" for n in range(first, last + 1)] if first <= last else None


class ArticleRole(SphinxRole):
    """``{article}`57``` or ``{article}`113-114```: one small link to the article's passage (or the
    first of a range), set as a superscript that does not break from its word, with the passages'
    text as a tooltip shown on hover and on keyboard focus (HTML)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        anchors = passages(self.text)
        known = article.anchors()
        missing = [a for a in anchors or [] if a not in known]
        if anchors is None or missing:
            what = f"article passage {missing[0]!r} does not exist" if missing else \
                f"{self.text!r} is not one passage or one range of passages (57, or 113-114)"
            return [], [self.inliner.reporter.warning(what + " (see analysis.article for the anchors)",
                                                      line=self.lineno)]
        first, last = anchors[0][1:].lstrip("0"), anchors[-1][1:].lstrip("0")
        label = f"¶{first}" + (f"–{last}" if last != first else "")
        link = addnodes.pending_xref("", nodes.inline(label, label), refdomain="std", reftype="ref",
                                     reftarget=LABEL_PREFIX + anchors[0], refexplicit=True, refwarn=True)
        text = " ".join(" ".join(article.reprinted(article.passage(a)).split()) for a in anchors)
        tip = text if len(text) <= TIP_LENGTH else text[:TIP_LENGTH].rsplit(" ", 1)[0] + " …"
        tip_node = nodes.inline("", tip, classes=["article-tip"], support_smartquotes=False)  # the article's characters
        return [nodes.superscript("", "", link, tip_node, classes=["article-link"])], []


def _attach_links(app, doctree: nodes.document) -> None:
    """An article link sits on its word: the space an author types before ``{article}`` is dropped,
    so that the mark never starts a line on its own."""
    for link in doctree.findall(lambda n: isinstance(n, nodes.superscript) and "article-link" in n["classes"]):
        index = link.parent.index(link)
        before = link.parent[index - 1] if index else None
        if isinstance(before, nodes.Text) and before.rstrip() != before:
            link.parent.replace(before, nodes.Text(before.rstrip()))


def setup(app):
    app.connect("doctree-read", _attach_links)
    app.add_directive("article-text", ArticleText)
    app.add_role("article", ArticleRole())
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
