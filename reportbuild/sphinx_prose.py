"""Sphinx extension: the prose's links to the results, checked claims and quotations.

- A ``{claim}`` directive after a paragraph states the condition under which a
  sentence of it is true (:mod:`analysis.claims`), in the registry's names; its
  content is the sentence's words it vouches for::

      ```{claim} n_employed_3m == 0
      nobody had started a job by three months
      ```

  It shows nothing when the condition holds. When it does not, a build of the
  study's data (``data/``) fails, naming the chapter, the line, the sentence and
  the values; a build of any other data directory (the synthetic cohort) marks
  the sentence on the page, says which values contradict it, and lists every such
  claim in the build folder's ``claims.json``.
- ``{quotes}`` with a subtheme's name lays out its quotations, each with its
  attribution, as text (never parsed as markup).

Both read the results of the data directory in force (:mod:`analysis.results`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from analysis import claims, results
from analysis.paths import PROJECT_ROOT, build_paths, data_dir

from .sphinx_render import quotation_nodes

logger = logging.getLogger(__name__)
_LOADED: dict[str, results.Results] = {}


def report_results() -> results.Results:
    """The results of the data directory in force, read once per process and inputs."""
    key = results.input_hash(data_dir())
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = results.load(data_dir())
    return _LOADED[key]


def study_data() -> bool:
    """Whether the build is of the study's own data (a false claim then fails the build)."""
    return data_dir() == (PROJECT_ROOT / "data").resolve()


class claim(nodes.Element):
    """Where a claim stands, after the paragraph it is about; replaced once the document is read."""


class Claim(SphinxDirective):
    """``{claim} condition`` after a paragraph, its content the words of the paragraph it vouches for."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self):
        node = claim("", condition=self.arguments[0], phrase=" ".join(" ".join(self.content).split()),
                     line=self.lineno, docname=self.env.docname)
        node.line = self.lineno
        return [node]


_SENTENCE_END = re.compile(r"[.!?;:](?=\s)")
_STRAIGHT = str.maketrans("‘’“”–—", "''\"\"--")


def _paragraph_before(node: claim) -> nodes.TextElement | None:
    """The paragraph the claim follows: the paragraph before it, or within the block before it (a
    list, a box, a figure's caption) the paragraph that holds its words."""
    parent = node.parent
    for sibling in reversed(parent.children[:parent.index(node)]):
        if isinstance(sibling, (nodes.target, nodes.comment, claim)):
            continue
        if isinstance(sibling, nodes.paragraph):
            return sibling
        if not isinstance(sibling, nodes.Element):
            return None
        inside = [n for n in sibling.findall(lambda n: isinstance(n, (nodes.paragraph, nodes.caption)))]
        holding = [n for n in inside if _sentence(n, node["phrase"]) is not None]
        return holding[0] if holding else None
    return None


def _text(node: nodes.Node) -> str:
    """A node's text as the page shows it: one representation of a glued value (myst-nb keeps them all
    until the builder picks one), no tooltip of an article link."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, nodes.Element) and "article-tip" in node["classes"]:
        return ""
    if isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle":
        return _text(node[0]) if len(node) else ""
    return "".join(_text(child) for child in node.children) if isinstance(node, nodes.Element) else ""


def _sentence(paragraph: nodes.paragraph, phrase: str) -> tuple[int, int] | None:
    """The span, in the paragraph's text, of the sentence that holds ``phrase`` (whitespace folded
    for the search); the whole paragraph when ``phrase`` is empty; None when no sentence holds it."""
    raw = _text(paragraph)
    folded, where = [], []
    for i, char in enumerate(raw):
        if char.isspace() and folded and folded[-1] == " ":
            continue
        folded.append(" " if char.isspace() else char)
        where.append(i)
    text = "".join(folded).translate(_STRAIGHT)  # Sphinx's smart quotes: the author types straight ones
    phrase = phrase.translate(_STRAIGHT)
    at = text.find(phrase) if phrase else 0
    if at < 0:
        return None
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    start = max([e for e in ends if e <= at], default=0)
    while start < at and text[start] == " ":
        start += 1
    stop = min([e for e in ends if e >= at + len(phrase)], default=len(text))
    return where[start] if start < len(where) else len(raw), where[stop - 1] + 1 if stop else 0


def _wrap(paragraph: nodes.paragraph, span: tuple[int, int], checked: claims.Checked) -> None:
    """Mark the span of the paragraph's text and say after it which values contradict it."""
    pieces, position = [], 0
    for child in list(paragraph.children):
        text = _text(child)
        if isinstance(child, nodes.Text):
            cuts = [0] + [c - position for c in span if position < c < position + len(text)] + [len(text)]
            pieces += [(nodes.Text(text[a:b]), position + a) for a, b in zip(cuts, cuts[1:]) if b > a]
        else:
            pieces.append((child, position))
        position += len(text)
    marked = nodes.inline("", "", classes=["ips-claim-false"])
    note = nodes.inline("", f" [not so in these data: {checked.values_text()}]", classes=["ips-claim-note"])
    children = []
    for node, at in pieces:
        if span[0] <= at < span[1]:
            if not len(marked):
                children.append(marked)
            marked += node
        else:
            if len(marked) and note not in children:
                children.append(note)
            children.append(node)
    if note not in children:
        children.append(note)
    paragraph.children = []
    paragraph.extend(children)


def _check_claims(app, doctree: nodes.document) -> None:
    env = app.env
    found = list(doctree.findall(claim))
    if not found:
        return
    numbers = report_results().numbers
    false = []
    for node in found:
        paragraph = _paragraph_before(node)
        try:
            checked = claims.check(node["condition"], numbers)
        except claims.ClaimError as error:
            logger.warning(str(error), location=node)
            node.parent.remove(node)
            continue
        span = _sentence(paragraph, node["phrase"]) if paragraph is not None else None
        if span is None:
            logger.warning(f"a claim must follow the paragraph that holds its words ({node['phrase']!r})",
                           location=node)
            node.parent.remove(node)
            continue
        if not checked.holds:
            sentence = " ".join(_text(paragraph)[span[0]:span[1]].split())
            if study_data():
                logger.warning(f"the claim `{checked.condition}` does not hold for the study's data "
                               f"({checked.values_text()}): {sentence}", location=node)
            false.append({"chapter": env.doc2path(node["docname"], base=False), "line": node["line"],
                          "condition": checked.condition, "values": checked.values, "sentence": sentence})
            _wrap(paragraph, span, checked)
        node.parent.remove(node)
    env.ips_false_claims = getattr(env, "ips_false_claims", {})
    env.ips_false_claims[env.docname] = false


def _purge(app, env, docname) -> None:
    getattr(env, "ips_false_claims", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    env.ips_false_claims = getattr(env, "ips_false_claims", {}) | {
        d: c for d, c in getattr(other, "ips_false_claims", {}).items() if d in docnames}


def _write_claims(app, exception) -> None:
    """The build folder's claims.json: every claim the data contradict (an empty list when none)."""
    if exception is not None:
        return
    found = [c for docname in sorted(getattr(app.env, "ips_false_claims", {}))
             for c in app.env.ips_false_claims[docname]]
    target = build_paths(data_dir()).build / "claims.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


class Quotes(SphinxDirective):
    """``{quotes} subtheme``: the subtheme's quotations, attributed, in the article's order."""

    required_arguments = 1

    def run(self):
        quotations = report_results().quotes.get(self.arguments[0])
        if quotations is None:
            return [self.state.document.reporter.warning(f"no quotations under the subtheme {self.arguments[0]!r}",
                                                         line=self.lineno)]
        return quotation_nodes({"quotes": quotations.items})


def setup(app):
    app.add_node(claim)
    app.add_directive("claim", Claim)
    app.add_directive("quotes", Quotes)
    app.connect("doctree-read", _check_claims)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _write_claims)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
