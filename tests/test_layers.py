"""The house rules: the analysis package is layered, and the science never imports build tooling.

Layers, lowest first; a module may import from its own layer and those below,
never from above:

    foundation    paths, number, validation, data, article, wording, synthetic, provenance
    domain        claims, clinical, employment, qualitative, audit, verification, sensitivity
    registry      registry, record
    presentation  display, tables, figures, phrases, dictionary
    facade        results, outputs, report, __main__, __init__

``reportbuild`` (version, Sphinx, execution, release) sits above them all and is
never imported by ``analysis``.
"""

import ast
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT

ANALYSIS = PROJECT_ROOT / "analysis"
LAYERS = [
    ("foundation", {"paths", "number", "validation", "data", "article", "wording", "synthetic", "provenance"}),
    ("domain", {"claims", "clinical", "employment", "qualitative", "audit", "verification", "sensitivity"}),
    ("registry", {"registry", "record", "changes"}),
    ("presentation", {"display", "tables", "figures", "phrases", "dictionary"}),
    ("facade", {"results", "outputs", "report", "__main__", "__init__"}),
]
LEVEL = {module: level for level, (_, modules) in enumerate(LAYERS) for module in modules}
#: Build tooling, notebook machinery and git: never imported by the science.
FORBIDDEN = {"reportbuild", "sphinx", "docutils", "nbclient", "nbformat", "jupyter_cache", "jupyter_book", "subprocess"}
#: The one exception: the record's history (what changed between versions) is read with git.
ALLOWED = {"changes": {"subprocess"}}


def imports(path: Path) -> list[tuple[str, int]]:
    """(module, line) for every import in a file: analysis modules by their short name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x / from .x import y
                names = [node.module] if node.module else [a.name for a in node.names]
                found += [(f"analysis.{name.split('.')[0]}", node.lineno) for name in names]
            elif node.module:
                found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return found


def test_every_module_has_a_layer():
    modules = {p.stem for p in ANALYSIS.glob("*.py")}
    assert modules - set(LEVEL) == set(), "put the new module in a layer (tests/test_layers.py)"
    assert set(LEVEL) - modules == set(), "a layer names a module that is gone"


@pytest.mark.parametrize("path", sorted(ANALYSIS.glob("*.py")), ids=lambda p: p.name)
def test_imports_go_down_the_layers_and_never_to_build_tooling(path):
    level = LEVEL[path.stem]
    problems = []
    for module, line in imports(path):
        top, _, rest = module.partition(".")
        if top in FORBIDDEN and top not in ALLOWED.get(path.stem, set()):
            problems.append(f"line {line}: imports {module} (build tooling)")
        elif top == "analysis" and rest:
            target = rest.split(".")[0]
            if LEVEL.get(target, -1) > level:
                problems.append(f"line {line}: {LAYERS[level][0]} imports {target} ({LAYERS[LEVEL[target]][0]})")
    assert problems == []


def test_the_check_catches_an_upward_import(tmp_path):
    bad = tmp_path / "clinical.py"
    bad.write_text("from .report import Report\nimport subprocess\n")
    found = imports(bad)
    assert ("analysis.report", 1) in found and ("subprocess", 2) in found
    assert LEVEL["report"] > LEVEL["clinical"]


def test_a_chapter_kernel_imports_no_build_tooling():
    # What the study chapters import: the facade, and nothing of Sphinx, git or the build.
    import subprocess
    import sys

    code = ("import sys\nfrom analysis.report import Report\nr = Report.load()\nr.numbers\nr.table_1()\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{sorted(FORBIDDEN - {'subprocess'})!r})\nprint(bad)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def _declared() -> tuple[set[str], set[str]]:
    import re
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = lambda spec: re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0].lower().replace("_", "-")  # noqa: E731
    runtime = {name(d) for d in project["dependencies"]}
    tests = {name(d) for d in project["optional-dependencies"]["test"]}
    return runtime, tests


def test_every_import_is_a_declared_dependency_and_every_dependency_is_pinned():
    import sys
    from importlib.metadata import packages_distributions

    runtime, tests = _declared()
    distributions = packages_distributions()
    used = set()
    for package in ("analysis", "reportbuild"):
        for path in (PROJECT_ROOT / package).glob("*.py"):
            for module, _ in imports(path):
                top = module.split(".")[0]
                if top in ("analysis", "reportbuild") or top in sys.stdlib_module_names:
                    continue
                found = distributions.get(top, [top])
                if len(found) > 1:  # a namespace package (sphinxcontrib.bibtex): the distribution by full name
                    found = ["-".join(module.split(".")[:2])]
                used |= {d.lower().replace("_", "-") for d in found}
    assert used - runtime == set(), "imported but not declared in pyproject.toml's dependencies"
    pins = {line.split("==")[0].lower().replace("_", "-")
            for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines() if "==" in line}
    assert (runtime | tests) - pins == set(), "declared but not pinned in requirements.txt"


#: Facade methods allowed more than two statements, and why.
LONGER_METHODS = {
    "glue": "glues each key and returns what was glued as the cell's output",
    "__getattr__": "reads what the figures are drawn from when first used",
}


def _statements(function: ast.FunctionDef) -> list[ast.stmt]:
    """The body without its docstring and its imports."""
    return [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
            and not isinstance(s, (ast.Import, ast.ImportFrom))]


def _long_methods(source: str, limit: int = 2) -> list[str]:
    tree = ast.parse(source)
    report = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Report")
    return [f.name for f in report.body if isinstance(f, ast.FunctionDef)
            and len(_statements(f)) > limit and f.name not in LONGER_METHODS]


def test_the_report_facade_only_delegates():
    """analysis.report.Report: each method hands its work to tables, figures, phrases or the domain
    modules in a statement or two; display names, notes and grouping live in analysis.tables."""
    assert _long_methods((PROJECT_ROOT / "analysis" / "report.py").read_text(encoding="utf-8")) == []


def test_the_facade_check_catches_a_method_that_computes():
    source = ("class Report:\n    def table(self):\n        rows = []\n        for x in self.data:\n"
              "            rows.append(x)\n        return rows\n")
    assert _long_methods(source) == ["table"]
