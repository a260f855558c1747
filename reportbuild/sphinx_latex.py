"""Sphinx extension: the PDF as a paper, not a manual.

The LaTeX build (``make pdf``) uses Sphinx's ``howto`` class (``_config.yml``)
and this extension lays it out as an article:

- a title block with the title, the article the report re-tells, the authors,
  and the report's version, commit and build date (:mod:`reportbuild.version`);
- the landing page's text as the summary, then a short table of contents;
- the study's chapters as numbered sections (no chapter title pages), the
  references after them, and the appendices lettered A, B, ...;
- links to the article's passages that land on them (Sphinx labels no paragraph);
- no code: the chapters' code cells stay in the HTML (folded) for reviewers
  and are left out of the PDF, with their outputs kept;
- tables in small type, set ragged-right in columns fitted to the text width
  (:func:`reportbuild.sphinx_render.column_widths`), booktabs rules, and long
  tables breaking across pages with their header repeated;
- the reference list in author-year order without numeric labels, to match
  the author-year citations;
- the PDF's metadata (title, authors, subject, keywords, version, commit) and
  numbered bookmarks.

Every string that goes into the LaTeX source from here is escaped
(:func:`tex`); nothing from the data is written into the preamble.
"""

from __future__ import annotations

import re
import unicodedata
from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape as _escape

from .sphinx_render import BREAK_AFTER, LONG_TOKEN
from .version import citation, is_synthetic, stamp

#: Tables with more body rows than this may break across pages (Sphinx's longtable).
LONG_TABLE_ROWS = 10

PREAMBLE = r"""
% --- reportbuild/sphinx_latex.py: the report as a paper ---
\setcounter{tocdepth}{1}
\hypersetup{bookmarksnumbered=true, bookmarksopen=true, bookmarksopenlevel=1}
\makeatletter
% Tables: small type, cells set ragged-right (narrow justified columns leave holes).
\newcolumntype{\X}[2]{>{\raggedright\arraybackslash}p{\dimexpr
      (\linewidth-\spx@arrayrulewidth)*#1/#2-\tw@\tabcolsep-\spx@arrayrulewidth\relax}}
% Header and stub cells in the text face (the rules set the header off); Sphinx's sans
% face is wider than the widths allow for (reportbuild.sphinx_render.column_layout).
\protected\def\sphinxstyletheadfamily{}
% A wide table (reportbuild.sphinx_render.column_layout): footnote size, half the padding.
\newif\ifipswide
\def\ips@tabletype{\ifipswide\footnotesize\tabcolsep3pt\else\small\fi}
\let\ips@attablestart\sphinxattablestart
\def\sphinxattablestart{\ips@tabletype\ips@attablestart}
\let\ips@atlongtablestart\sphinxatlongtablestart
\def\sphinxatlongtablestart{\ips@tabletype\ips@atlongtablestart}
% The summary: the landing page's text, between the title block and the contents.
\newenvironment{ipssummary}
  {\list{}{\leftmargin2em\rightmargin2em}\item\relax\small
   \noindent{\sffamily\bfseries Summary}\par\nobreak\smallskip}
  {\endlist\medskip}
% The reference list: author-year citations, so no numeric labels; a hanging indent.
\renewenvironment{sphinxthebibliography}[1]
  {\section*{\refname}\addcontentsline{toc}{section}{\refname}%
   \small\sloppy
   \list{}{\leftmargin1.5em\itemindent-1.5em\labelwidth\z@\labelsep\z@
           \itemsep.4ex\parsep\z@}%
   \def\@biblabel##1{}}
  {\endlist}
\makeatother
"""


def tex(text: str) -> str:
    """Text for the LaTeX source (Sphinx's own escaping)."""
    return _escape(str(text), "xelatex")


def _article(citation: dict) -> dict:
    return next(r for r in citation.get("references", []) if r.get("type") == "article")


def article_reference(article: dict) -> str:
    """The article in one line: Rødevand L, Ljosaa TM, ... Title. Journal 2017;18:550. doi:..."""
    authors = ", ".join(f"{a['family-names']} {a.get('given-names', '').replace('.', '').replace(' ', '')}".strip()
                        for a in article["authors"])
    return (f"{authors}. {article['title']}. {article['journal']} {article['year']};"
            f"{article['volume']}:{article['start']}. doi:{article['doi']}")


def latex_elements(elements: dict) -> dict:
    """The project's latex_elements with the title block, the PDF metadata and the paper's preamble."""
    s = stamp()
    cited = citation()
    article = _article(cited)
    reference = article_reference(article)
    synthetic = is_synthetic()
    keywords = list(cited.get("keywords", []))
    subject = f"An executable report of {reference}"
    version, commit = f"version {s['version']}", f"commit {s['commit']}"
    info = (f"pdftitle={{{'SYNTHETIC DATA: ' if synthetic else ''}\\@title}},"
            " pdfauthor={\\@author},"
            f" pdfsubject={{{tex(subject)}}},"
            f" pdfkeywords={{{tex(', '.join(keywords + [version, commit]))}}},"
            f" pdfcreator={{{tex('Sphinx (jupyter-book), xelatex')}}},"
            f" pdfinfo={{Version={{{tex(s['version'])}}}, Commit={{{tex(s['commit'])}}},"
            f" BuildDate={{{tex(s['build_date'])}}}}}")
    warning = (r"{\large\bfseries SYNTHETIC DATA: nothing in this report describes the study\par}\medskip" + "\n"
               if synthetic else "")
    maketitle = "\n".join([
        # the PDF's metadata, as Sphinx's own title block sets it (after \title and \author)
        r"\begingroup\def\endgraf{ }\def\and{\& }\pdfstringdefDisableCommands{\def\\{, }}",
        r"\hypersetup{" + info + "}",
        r"\endgroup",
        r"\renewcommand{\contentsname}{Contents}",
        r"\begingroup\centering",
        warning,
        r"{\sffamily\bfseries\LARGE\@title\par}\medskip",
        rf"{{\small Computed from the article: \itshape {tex(reference)}\par}}\bigskip",
        r"{\large\@author\par}\medskip",
        rf"{{\small Version {tex(s['version'])}\quad commit \texttt{{{tex(s['commit'])}}}"
        rf"\quad {tex(s['build_date'])}\par}}",
        r"\par\endgroup\bigskip",
    ])
    out = dict(elements)
    out["preamble"] = elements.get("preamble", "") + PREAMBLE
    out["maketitle"] = "\\makeatletter\n" + maketitle + "\n\\makeatother"
    out["tableofcontents"] = ""  # set after the summary (PaperLayout)
    out["fncychap"] = ""
    out["makeindex"] = ""
    out["printindex"] = ""
    return out


def _configure(app, config) -> None:
    config.latex_elements = latex_elements(dict(config.latex_elements))


class DropCodeCells(SphinxPostTransform):
    """Leave the code of code cells out of the PDF (their outputs stay); the HTML keeps it, folded.
    Links to the article's passages keep their mark, not their tooltip."""

    default_priority = 190  # before myst-nb's own post-transforms (199) and the mime-bundle selection
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for tip in [n for n in self.document.findall(nodes.inline) if "article-tip" in n["classes"]]:
            tip.parent.remove(tip)
        for node in list(self.document.findall(nodes.container)):
            if node.get("nb_element") == "cell_code_source" or "cell_input" in node.get("classes", []):
                cell = node.parent
                node.parent.remove(node)
                if isinstance(cell, nodes.container) and cell.get("nb_element") == "cell_code" \
                        and not cell.children:
                    cell.parent.remove(cell)


def _body_rows(table: nodes.table) -> int:
    return sum(len(body) for body in table.findall(nodes.tbody))


class PaperLayout(SphinxPostTransform):
    """The assembled PDF document as a paper: summary and contents, long tables, references, appendices.

    Runs on the whole document the LaTeX builder assembles from the chapters, after Sphinx has
    gathered the citations into its bibliography (priority 750).
    """

    default_priority = 800
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        starts = {n["docname"]: n for n in self.document.findall(addnodes.start_of_file)}
        if not starts:
            return
        summary = self._summary()
        for table in list(self.document.findall(nodes.table)):
            if _body_rows(table) > LONG_TABLE_ROWS and not _inside(table, summary):
                table["classes"].append("longtable")
            for text in list(table.findall(nodes.Text)):
                if LONG_TOKEN.search(text.astext()):
                    text.parent.replace(text, breakable(text.astext()))
            if "ips-wide" in table["classes"]:
                table.parent.insert(table.parent.index(table), _raw(r"\ipswidetrue"))
                table.parent.insert(table.parent.index(table) + 1, _raw(r"\ipswidefalse"))
        for block in list(self.document.findall(_LABELLED_BLOCKS)):
            # Sphinx's LaTeX writer labels sections, figures and tables, not paragraphs: the
            # article's passages (reportbuild.sphinx_article) need a label for their links to land
            block.parent.insert(block.parent.index(block), nodes.target("", "", ids=list(block["ids"])))
        appendix = self._appendix_start(starts)
        self._references(starts, appendix)
        if appendix is not None:
            appendix.parent.insert(appendix.parent.index(appendix), _raw(r"\appendix"))

    def _summary(self) -> nodes.Element | None:
        """Wrap the landing page's text (before its tables of contents) as the summary; the contents follow."""
        root = next(iter(self.document.findall(nodes.section)), None)
        if root is None:
            return None
        start = 1 if root.children and isinstance(root[0], nodes.title) else 0
        flat = _flatten_sections(root.children[start:])
        del root.children[start:]
        root.extend(flat)
        first = next((i for i, child in enumerate(root.children)
                      if any(True for _ in child.findall(addnodes.start_of_file))), len(root.children))
        moved = root.children[start:first]
        del root.children[start:first]
        summary = nodes.container(classes=["ips-summary"])
        summary.extend(moved)
        root.insert(start, [_raw(r"\begin{ipssummary}"), summary, _raw(r"\end{ipssummary}"),
                            _raw(r"\sphinxtableofcontents")])
        return summary

    def _appendix_start(self, starts: dict) -> nodes.Element | None:
        """The first chapter of the first unnumbered part after a numbered one (the appendices)."""
        root = self.env.get_doctree(self.config.root_doc)
        numbered_seen = False
        for toctree in root.findall(addnodes.toctree):
            if toctree.get("numbered"):
                numbered_seen = True
            elif numbered_seen:
                for _, docname in toctree["entries"]:
                    if docname in starts:
                        return starts[docname]
        return None

    def _references(self, starts: dict, appendix: nodes.Element | None) -> None:
        """The reference list, sorted by author and year, in place of the references chapter, which
        would otherwise be an empty section with the list at the very end; before the appendices."""
        bibliography = next(iter(self.document.findall(thebibliography)), None)
        if bibliography is None:
            return
        domain = self.env.get_domain("cite")
        entries = {c.citation_id: c.entry for c in domain.citations}
        bibliography.children.sort(key=lambda c: _sort_key(entries.get((c.get("ids") or [""])[0])))
        bibliography.parent.remove(bibliography)
        pages = [key.docname for key in domain.bibliographies]
        chapter = starts.get(pages[0]) if pages else None
        if chapter is not None:
            # keep the chapter's labels (links to it land on the list), drop its now empty section
            for parent, section in _top_sections(chapter):
                labelled = {c.get("refid") for c in parent.children if isinstance(c, nodes.target)}
                ids = [i for i in section["ids"] if i not in labelled]
                targets = [nodes.target("", "", ids=ids)] if ids else []
                targets += [c for c in section.children if isinstance(c, nodes.target)]
                parent.replace(section, targets)
            chapter.parent.remove(chapter)
            if appendix is not None:
                appendix.parent.insert(appendix.parent.index(appendix), chapter)
            else:
                self.document += chapter
            chapter += bibliography
        elif appendix is not None:
            appendix.parent.insert(appendix.parent.index(appendix), bibliography)
        else:
            self.document += bibliography


def _flatten_sections(children: list[nodes.Node]) -> list[nodes.Node]:
    """The landing page's own sections (Abstract, About this report) as unnumbered headings, so that
    the chapters, which its table of contents brings in, stay chapters numbered 1, 2, ... (only
    sections are walked: the chapters sit inside the table of contents' compound node)."""
    out: list[nodes.Node] = []
    for child in children:
        if isinstance(child, nodes.section):
            title = child[0] if child.children and isinstance(child[0], nodes.title) else None
            if title is not None:
                out.append(nodes.rubric("", "", *title.children, ids=list(child["ids"])))
            out += _flatten_sections([c for c in child.children if c is not title])
        else:
            out.append(child)
    return out


def _LABELLED_BLOCKS(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.paragraph, nodes.rubric, nodes.container)) and bool(node["ids"]) \
        and node.parent is not None


#: Letters that do not decompose, sorted as the English alphabet would (Rødevand under R).
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "å": "a", "Å": "A", "ß": "ss"})


def _sort_key(entry) -> tuple:
    if entry is None:
        return ("~",)
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    name = " ".join(persons[0].last_names) if persons else entry.fields.get("organization", entry.fields.get(
        "title", ""))
    name = name.replace("{", "").replace("}", "").translate(_LETTERS)
    name = "".join(c for c in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(c)).casefold()
    return (name, entry.fields.get("year", ""), entry.fields.get("title", "").casefold())


def breakable(text: str) -> list[nodes.Node]:
    """Text with a break opportunity after each ``_ / . ? = & : ; ,`` inside its long tokens
    (:data:`reportbuild.sphinx_render.LONG_TOKEN`), which the column widths count on."""
    out: list[nodes.Node] = []
    for piece in re.split(r"(\s+)", text):
        parts = BREAK_AFTER.split(piece) if LONG_TOKEN.fullmatch(piece) else [piece]
        for i, part in enumerate(parts):
            if i:
                out.append(nodes.raw("", r"\allowbreak{}", format="latex"))
            if part:
                out.append(nodes.Text(part))
    return out


def _top_sections(node: nodes.Element) -> list[tuple[nodes.Element, nodes.section]]:
    """The outermost sections below a node, each with its parent. (Walked down from the node: the
    page documents Sphinx inlines into the book do not know their parents.)"""
    found = []
    for child in node.children:
        if isinstance(child, nodes.section):
            found.append((node, child))
        elif isinstance(child, nodes.Element):
            found += _top_sections(child)
    return found


def _inside(node: nodes.Node, ancestor: nodes.Node | None) -> bool:
    while ancestor is not None and node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _raw(latex: str) -> nodes.raw:
    return nodes.raw("", latex + "\n", format="latex")


def setup(app):
    app.connect("config-inited", _configure, priority=910)  # after reportbuild.sphinx_stamp (900)
    app.add_post_transform(DropCodeCells)
    app.add_post_transform(PaperLayout)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
