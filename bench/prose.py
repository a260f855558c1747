"""How much markup the study chapters' prose carries: ``python bench/prose.py`` (``make bench`` runs it).

For each of the five study chapters: its prose paragraphs (Markdown text, not
code cells, headings, labels, directives or tables), the roles in them (every
``{name}`content``` : numbers, article links, citations, cross-references), roles
per paragraph, and markup as a share of the prose's characters (every character
of a role, its content included, over every character of the paragraphs).
Writes a section of bench/results.md between its own markers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportbuild import notebooks  # noqa: E402

CHAPTERS = ["background", "methods", "clinical-characteristics", "employment-outcomes", "qualitative-themes"]
ROLE = re.compile(r"\{([\w:-]+)\}`[^`]*`")
#: Lines that are not prose: headings, labels, directive fences and options, table rows, list markers kept
NOT_PROSE = re.compile(r"^\s*(#|\(|```|:::|:\w+:|\||\+\+\+)")
START, END = "<!-- prose: begin (bench/prose.py) -->", "<!-- prose: end -->"


def paragraphs(chapter: Path) -> list[str]:
    """The chapter's prose paragraphs, directives' bodies left out."""
    found = []
    for cell in notebooks.read(chapter).cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"^(```|:::)\{[^}]+\}.*?^\1\s*$", "", cell.source, flags=re.M | re.S)
        for block in re.split(r"\n\s*\n", text):
            lines = [line for line in block.splitlines() if line.strip() and not NOT_PROSE.match(line)]
            if lines:
                found.append("\n".join(lines))
    return found


def measure(chapter: Path) -> dict:
    paras = paragraphs(chapter)
    roles = [m for p in paras for m in ROLE.finditer(p)]
    kinds: dict[str, int] = {}
    for m in roles:
        kinds[m.group(1)] = kinds.get(m.group(1), 0) + 1
    characters = sum(len(p) for p in paras)
    return {"paragraphs": len(paras), "roles": len(roles), "kinds": kinds,
            "per_paragraph": len(roles) / len(paras) if paras else 0.0,
            "markup": sum(len(m.group()) for m in roles) / characters if characters else 0.0}


def table() -> list[str]:
    lines = [START, "", "Markup of the study chapters' prose (`bench/prose.py`): roles per paragraph (target at most 4)"
             " and every character of a role as a share of the prose's characters (target at most 20%).", "",
             "| chapter | paragraphs | roles | by kind | roles per paragraph | markup |", "|---|---:|---:|---|---:|---:|"]
    for name in CHAPTERS:
        m = measure(ROOT / "book" / f"{name}.md")
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(m["kinds"].items(), key=lambda kv: -kv[1]))
        lines.append(f"| {name} | {m['paragraphs']} | {m['roles']} | {kinds} | {m['per_paragraph']:.1f} | {m['markup']:.0%} |")
    return lines + ["", END]


def main() -> int:
    results = ROOT / "bench" / "results.md"
    text = results.read_text(encoding="utf-8") if results.is_file() else "# Benchmarks\n"
    block = "\n".join(table())
    text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S) if START in text \
        else text.rstrip("\n") + "\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
