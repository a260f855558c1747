"""Sphinx extension: the prose's links to the results, checked claims and quotations.

- ``{claim}`n_employed_3m == 0``` after a sentence states the condition under
  which the sentence is true (:mod:`analysis.claims`), in the registry's names.
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
from sphinx.util.docutils import SphinxDirective, SphinxRole

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


class claim(nodes.Inline, nodes.Element):
    """Where a claim stands in a paragraph; replaced when the document has been read."""


class ClaimRole(SphinxRole):
    def run(self):
        node = claim(self.rawtext, condition=self.text, line=self.lineno, docname=self.env.docname)
        node.line = self.lineno
        return [node], []


_SENTENCE_END = re.compile(r"[.!?:;]\s+(?=\S)")


def _sentence_start(paragraph: nodes.Element, index: int) -> tuple[int, int]:
    """(child, offset): where the sentence that ends at child ``index`` begins in the paragraph."""
    for i in range(index - 1, -1, -1):
        child = paragraph[i]
        if isinstance(child, nodes.Text):
            ends = list(_SENTENCE_END.finditer(str(child)))
            if ends:
                return i, ends[-1].end()
    return 0, 0


def _mark(node: claim, checked: claims.Checked) -> None:
    """Wrap the sentence before the claim in a marked span and say which values contradict it."""
    paragraph = node.parent
    index = paragraph.index(node)
    start, offset = _sentence_start(paragraph, index)
    if offset:
        text = str(paragraph[start])
        paragraph.replace(paragraph[start], [nodes.Text(text[:offset]), nodes.Text(text[offset:])])
        start, index = start + 1, index + 1
    sentence = paragraph.children[start:index]
    del paragraph.children[start:index]
    marked = nodes.inline("", "", *sentence, classes=["ips-claim-false"])
    note = nodes.inline("", f" [not so in these data: {checked.values_text()}]", classes=["ips-claim-note"])
    paragraph.insert(start, [marked, note])
    paragraph.remove(node)


def _source_line(env, docname: str, line: int) -> str:
    try:
        lines = Path(env.doc2path(docname)).read_text(encoding="utf-8").splitlines()
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""
    except OSError:
        return ""


def _check_claims(app, doctree: nodes.document) -> None:
    env = app.env
    found = [n for n in doctree.findall(claim)]
    if not found:
        return
    numbers = report_results().numbers
    false = []
    for node in found:
        try:
            checked = claims.check(node["condition"], numbers)
        except claims.ClaimError as error:
            logger.warning(str(error), location=node)
            node.parent.remove(node)
            continue
        if checked.holds:
            node.parent.remove(node)
            continue
        sentence = _source_line(env, node["docname"], node["line"])
        entry = {"chapter": env.doc2path(node["docname"], base=False), "line": node["line"],
                 "condition": checked.condition, "values": checked.values, "sentence": sentence}
        if study_data():
            logger.warning(f"the claim `{checked.condition}` does not hold for the study's data "
                           f"({checked.values_text()}): {sentence}", location=node)
        false.append(entry)
        _mark(node, checked)
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
    app.add_role("claim", ClaimRole())
    app.add_directive("quotes", Quotes)
    app.connect("doctree-read", _check_claims)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _write_claims)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
