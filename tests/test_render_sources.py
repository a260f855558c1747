"""A 'Made by' note links its function's source as the module is now, not as an earlier build saw it."""

from types import SimpleNamespace

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from analysis.paths import PROJECT_ROOT
from reportbuild.sphinx_render import FUNCTION, _register_sources


def _note(name: str) -> nodes.document:
    document = new_document("<test>", get_default_settings(Parser))
    paragraph = nodes.paragraph("", "Made by ")
    paragraph += nodes.literal(name, name, classes=[FUNCTION])
    document += paragraph
    return document


def test_a_module_changed_since_the_last_build_is_read_again():
    stale = ("def old():\n    pass\n", {"old": ("def", 1, 2), "coreq": ("def", 1, 2)},
             {"old": "book/other", "coreq": "book/other"}, "analysis.tables")
    env = SimpleNamespace(_viewcode_modules={"analysis.tables": stale}, docname="book/coreq")
    doctree = _note("analysis.tables.coreq")
    _register_sources(SimpleNamespace(builder=SimpleNamespace(env=env)), doctree)
    code, tags, used, _ = env._viewcode_modules["analysis.tables"]
    assert code == (PROJECT_ROOT / "analysis" / "tables.py").read_text(encoding="utf-8")
    # a function the module no longer has loses its backlink (viewcode would look its tag up)
    assert "coreq" in tags and "old" not in tags and used == {"coreq": "book/coreq"}
    [literal] = doctree.findall(nodes.literal)
    assert literal["ips_source"] == ("_modules/analysis/tables", "coreq")


def test_a_current_module_is_not_read_again():
    code = (PROJECT_ROOT / "analysis" / "tables.py").read_text(encoding="utf-8")
    current = (code, {"coreq": ("def", 1, 2)}, {}, "analysis.tables")
    env = SimpleNamespace(_viewcode_modules={"analysis.tables": current}, docname="book/coreq")
    _register_sources(SimpleNamespace(builder=SimpleNamespace(env=env)), _note("analysis.tables.coreq"))
    assert env._viewcode_modules["analysis.tables"][1] == {"coreq": ("def", 1, 2)}  # the entry kept
