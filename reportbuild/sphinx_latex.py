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
from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape as _escape

from analysis.paths import LATEX_TARGETS

from .sphinx_render import BREAK_AFTER, LONG_TOKEN
from .version import LICENCE, article_reference, citation, is_synthetic, stamp, suggested_citation

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
% Floats stay near their text: a page may hold more of them and less text beside them.
\renewcommand{\topfraction}{0.85}\renewcommand{\bottomfraction}{0.7}
\renewcommand{\textfraction}{0.1}\renewcommand{\floatpagefraction}{0.75}
\setcounter{topnumber}{3}\setcounter{bottomnumber}{2}\setcounter{totalnumber}{4}
% A heading never ends a page: it needs room for a few lines of what it heads.
\RequirePackage{needspace}
\let\ips@section\section\renewcommand{\section}{\needspace{8\baselineskip}\ips@section}
\let\ips@subsection\subsection\renewcommand{\subsection}{\needspace{6\baselineskip}\ips@subsection}
% Notes under tables and figures (how each was made): small, ragged right, file names whole.
\newenvironment{sphinxclassips-note}{\par\footnotesize\raggedright}{\par}
% How to cite, the licence and where the rest is: small print under the title.
\newenvironment{ipsabout}
  {\list{}{\leftmargin2em\rightmargin2em}\item\relax\footnotesize\raggedright\parskip.3ex}
  {\endlist}
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


def latex_elements(elements: dict) -> dict:
    """The project's latex_elements with the title block, the PDF metadata and the paper's preamble."""
    s = stamp()
    cited = citation()
    reference = article_reference()
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
    where = (f"HTML edition, data and code: \\url{{{cited['url']}}}" if cited.get("url") else
             "The HTML edition, the data and the code are in the release folder, "
             f"\\texttt{{dist/{tex(s['version'])}/}}")
    maketitle = "\n".join([
        # the PDF's metadata, as Sphinx's own title block sets it (after \title and \author)
        r"\begingroup\def\endgraf{ }\def\and{\& }\pdfstringdefDisableCommands{\def\\{, }}",
        r"\hypersetup{" + info + "}",
        r"\endgroup",
        r"\renewcommand{\contentsname}{Contents}",
        r"\begingroup\centering",
        warning,
        r"{\sffamily\bfseries\LARGE\@title\par}\medskip",
        r"{\large Prepared by \@author\ from the article\par}\smallskip",
        rf"{{\small\itshape {tex(reference)}\par}}\medskip",
        rf"{{\small Version {tex(s['version'])}\quad commit \texttt{{{tex(s['commit'])}}}"
        rf"\quad {tex(s['build_date'])}\par}}\medskip",
        r"\par\endgroup",
        r"\begin{ipsabout}",
        rf"\textbf{{How to cite.}} {tex(suggested_citation())}\par",
        rf"\textbf{{Licence.}} {tex(LICENCE)}\par",
        rf"{where}.\par",
        r"\end{ipsabout}\bigskip",
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


def _two_documents(app, env, docnames) -> None:
    """Two PDFs from the one book: the report, and the supplement built from the landing page's
    tables of contents only (latex_documents' sixth field), which PaperLayout tells apart. (Set
    once the build starts: Jupyter Book rewrites a single latex_documents entry after Sphinx's
    configuration and stops on a list of two.)"""
    config = app.config
    start, _, title, author, theme = config.latex_documents[0][:5]
    config.latex_documents = [(start, f"{LATEX_TARGETS['report']}.tex", title, author, theme, False),
                              (start, f"{LATEX_TARGETS['supplement']}.tex", f"Supplement to {title}", author, theme,
                               True)]


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


#: Sphinx's placeholder title of a document built from its start document's tables of contents only
#: (``latex_documents``' sixth field): the supplement.
_TOCTREE_ONLY_TITLE = "<Set title in conf.py>"


class PaperLayout(SphinxPostTransform):
    """The assembled PDF documents as papers: the report (summary and contents, the study's
    sections, references) and its supplement (the appendices, lettered, and the references).

    Runs on each document the LaTeX builder assembles from the chapters (both start from the
    landing page, the supplement from its tables of contents only), after Sphinx has gathered the
    citations into its bibliography (priority 750). A cross-reference into the other document
    names its section there ("Appendix C of the supplement", "Section 4 of the report"); one to an
    appendix in the same document says "Appendix C.1".
    """

    default_priority = 800
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        starts = {n["docname"]: n for n in self.document.findall(addnodes.start_of_file)}
        if not starts:
            return
        root = next(iter(self.document.findall(nodes.section)), None)
        supplement = root is not None and root.children and root[0].astext() == _TOCTREE_ONLY_TITLE
        study, appendices = self._parts()
        references = self._reference_pages()
        lettered = [d for d in appendices if d not in references]
        names = _section_names(starts, study, [str(i) for i in range(1, len(study) + 1)], "Section") | \
            _section_names(starts, lettered, [chr(ord("A") + i) for i in range(len(lettered))], "Appendix")
        summary = None if supplement else self._summary()
        for table in list(self.document.findall(nodes.table)):
            if _body_rows(table) > LONG_TABLE_ROWS and not _inside(table, summary):
                table["classes"].append("longtable")
            for text in list(table.findall(nodes.Text)):
                if LONG_TOKEN.search(text.astext()):
                    text.parent.replace(text, breakable(text.astext()))
            if "ips-wide" in table["classes"]:
                table.parent.insert(table.parent.index(table), _raw(r"\ipswidetrue"))
                table.parent.insert(table.parent.index(table) + 1, _raw(r"\ipswidefalse"))
        for note in list(self.document.findall(_NOTES)):
            note.replace_self(nodes.container("", note.deepcopy(), classes=["ips-note"]))
        for block in list(self.document.findall(_LABELLED_BLOCKS)):
            # Sphinx's LaTeX writer labels sections, figures and tables, not paragraphs: the
            # article's passages (reportbuild.sphinx_article) need a label for their links to land
            block.parent.insert(block.parent.index(block), nodes.target("", "", ids=list(block["ids"])))
        left_out = set(study if supplement else lettered)
        _name_references(self.document, names, left_out, "the report" if supplement else "the supplement")
        for docname in left_out & set(starts):
            starts[docname].parent.remove(starts[docname])
        self._references(starts, references)
        first = next((starts[d] for d in lettered if d in starts), None) if supplement else None
        if first is not None:
            first.parent.insert(first.parent.index(first), _raw(r"\appendix" + self._counters(lettered)))

    def _counters(self, pages: list[str]) -> str:
        """The supplement's tables and figures keep the numbers the HTML gives them (Sphinx numbers
        them through the whole book; LaTeX would start again at 1)."""
        out = ""
        for kind, counter in (("table", "table"), ("figure", "figure")):
            numbers = [number[0] for page in pages
                       for number in self.env.toc_fignumbers.get(page, {}).get(kind, {}).values()]
            if numbers:
                out += rf"\setcounter{{{counter}}}{{{min(numbers) - 1}}}"
        return out

    def _parts(self) -> tuple[list[str], list[str]]:
        """The study's pages (the numbered part of the table of contents) and the appendices (after it)."""
        study: list[str] = []
        appendices: list[str] = []
        for toctree in self.env.get_doctree(self.config.root_doc).findall(addnodes.toctree):
            pages = [docname for _, docname in toctree["entries"]]
            if toctree.get("numbered"):
                study += pages
            elif study:
                appendices += pages
        return study, appendices

    def _reference_pages(self) -> list[str]:
        return [key.docname for key in self.env.get_domain("cite").bibliographies]

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

    def _references(self, starts: dict, pages: list[str]) -> None:
        """The reference list, sorted by author and year, in place of the references page, which
        would otherwise be an empty section with the list at the very end; last in the document."""
        bibliography = next(iter(self.document.findall(thebibliography)), None)
        if bibliography is None:
            return
        bibliography.parent.remove(bibliography)
        chapter = starts.get(pages[0]) if pages else None
        if chapter is not None:
            # keep the page's labels (links to it land on the list), drop its now empty section
            for parent, section in _top_sections(chapter):
                labelled = {c.get("refid") for c in parent.children if isinstance(c, nodes.target)}
                ids = [i for i in section["ids"] if i not in labelled]
                targets = [nodes.target("", "", ids=ids)] if ids else []
                targets += [c for c in section.children if isinstance(c, nodes.target)]
                parent.replace(section, targets)
            chapter.parent.remove(chapter)
            self.document += chapter
            chapter += bibliography
        else:
            self.document += bibliography


def _section_names(starts: dict, pages: list[str], marks: list[str], word: str) -> dict[tuple[str, str], str]:
    """(page, id) -> "Section 4" / "Appendix C.1" for each page's section and its sections, as
    LaTeX numbers them."""
    names = {}
    for page, mark in zip(pages, marks):
        start = starts.get(page)
        tops = [section for _, section in _top_sections(start)] if start is not None else []
        if not tops:
            continue
        names[(page, "")] = f"{word}\u00a0{mark}"
        for i in tops[0]["ids"]:
            names[(page, i)] = f"{word}\u00a0{mark}"
        subsections = [c for c in tops[0].children if isinstance(c, nodes.section)]
        for n, section in enumerate(subsections, start=1):
            for i in section["ids"]:
                names[(page, i)] = f"{word}\u00a0{mark}.{n}"
    return names


def _name_references(document, names: dict, left_out: set[str], other: str) -> None:
    """A cross-reference to a section says which ("Appendix C"); into a page left out of this
    document, it names that section in the other one and is no longer a link; a link to one of the
    article's passages there keeps its mark."""
    for reference in list(document.findall(nodes.reference)):
        uri = reference.get("refuri", "")
        if not uri.startswith("%"):
            continue
        page, _, fragment = uri[1:].partition("#")
        name = names.get((page, fragment)) if fragment else names.get((page, ""))
        if page in left_out:
            mark = "article-link" in reference.parent.get("classes", [])
            text = reference.astext() if mark or name is None else f"{name} of {other}"
            reference.replace_self(nodes.inline("", text))
        elif name is not None and name.startswith("Appendix"):
            reference.children = [nodes.Text(name)]


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


def _NOTES(node: nodes.Node) -> bool:
    return isinstance(node, nodes.paragraph) and bool({"ips-made-by", "ips-table-note"} & set(node["classes"]))


def _LABELLED_BLOCKS(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.paragraph, nodes.rubric, nodes.container)) and bool(node["ids"]) \
        and node.parent is not None


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
    app.connect("env-before-read-docs", _two_documents)
    app.add_post_transform(DropCodeCells)
    app.add_post_transform(PaperLayout)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
