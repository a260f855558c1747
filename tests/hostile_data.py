"""A copy of the data package whose text carries markup, roles, math and LaTeX, for the safe-rendering checks.

``python tests/hostile_data.py OUT SECRET`` writes it to ``OUT``; ``SECRET`` is
a file outside the build that a LaTeX ``\\input`` in the data names, so a
check can tell whether TeX read it.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

#: Strings a hostile or careless data provider might write, each to be shown literally.
HOSTILE = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(2)>",
    "{glue:text}`n_participants`",
    "**bold** and $x^2$ math",
    "`code` | pipe & amp; {braces} # % ~ ^ _ \\textbf{tex}",
    "right\u200fto\u200fleft",
]


def latex_input(secret: Path) -> str:
    return f"$\\input{{{secret}}}$"


def _edit(path: Path, key_column: str, key: str, column: str, text: str) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    hits = [r for r in rows if r[key_column] == key]
    assert len(hits) == 1, f"{path.name}: no single row {key_column}={key}"
    hits[0][column] = text
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def hostile_strings(secret: Path) -> list[str]:
    return HOSTILE + [latex_input(secret)]


def make(source: Path, out: Path, secret: Path) -> dict[str, str]:
    """Copy ``source`` to ``out`` with hostile text in a quotation, an erratum, a theme title,
    a COREQ evidence and a schema description; returns where each string went."""
    shutil.copytree(source, out)
    strings = hostile_strings(secret)
    joined = " ".join(strings)
    placed = {
        "quotation": ("qualitative/quotes.csv", "quote", "Q01", "text", joined + "\nsecond line"),
        "erratum issue": ("errata.csv", "id", "E01", "issue", joined),
        "erratum reading": ("errata.csv", "id", "E03", "reading", strings[2] + " " + strings[-1]),
        "theme title": ("qualitative/themes.csv", "theme", "overall_experience", "title", "Costs in $ and $ " + strings[1]),
        "coreq evidence": ("coreq.csv", "item", "1", "evidence", joined),
    }
    for name, (file, key_column, key, column, text) in placed.items():
        _edit(out / file, key_column, key, column, text)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"][0]["schema"]["fields"][0]["description"] = joined
    (out / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {name: text for name, (*_, text) in placed.items()}


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    make(root / "data", Path(sys.argv[1]), Path(sys.argv[2]))
