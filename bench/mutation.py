"""The results of the last mutation run (`make mutation`), read from mutmut's files in mutants/.

Prints the totals per module as a Markdown table (the one in bench/mutation.md), then every
mutant the tests did not kill: its module and line and the line before and after the mutation.
The kill rate counts a timeout as killed (the tests did not pass) and a mutant no test reaches
as not killed.

    python bench/mutation.py             # the table and the mutants not killed
    python bench/mutation.py --totals    # the table only
    python bench/mutation.py --write     # both, into bench/mutation.md between its markers
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections import Counter
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
COLUMNS = ("killed", "timeout", "survived", "no tests")
START, END = "<!-- mutation: begin (bench/mutation.py --write) -->", "<!-- mutation: end -->"


def results() -> dict[str, dict[str, str]]:
    """Module -> mutant name -> status, from mutmut's metadata files."""
    found = {}
    for meta in sorted(MUTANTS.glob("analysis/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        found[meta.name.removesuffix(".py.meta")] = {key: status_by_exit_code[code] for key, code in codes.items()}
    return found


def rate(counts: Counter) -> float:
    total = sum(counts.values())
    return (counts["killed"] + counts["timeout"]) / total if total else float("nan")


def totals_table(found: dict[str, dict[str, str]]) -> str:
    lines = ["| module | mutants | " + " | ".join(COLUMNS) + " | other | kill rate |",
             "|---" * (len(COLUMNS) + 4) + "|"]
    overall = Counter()
    for module, statuses in found.items():
        counts = Counter(statuses.values())
        overall += counts
        lines.append(_row(f"analysis/{module}.py", counts))
    lines.append(_row("**all**", overall))
    return "\n".join(lines)


def _row(name: str, counts: Counter) -> str:
    other = sum(n for status, n in counts.items() if status not in COLUMNS)
    cells = [str(sum(counts.values()))] + [str(counts[c]) for c in COLUMNS] + [str(other), f"{rate(counts):.1%}"]
    return f"| {name} | " + " | ".join(cells) + " |"


def _function_lines(path: Path) -> dict[str, int]:
    """The line of each function's def, by mutmut's mangled name (x_name, xǁClassǁmethod)."""
    lines = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            lines[f"x_{node.name}"] = node.lineno
        elif isinstance(node, ast.ClassDef):
            lines.update({f"xǁ{node.name}ǁ{item.name}": item.lineno for item in node.body
                          if isinstance(item, ast.FunctionDef)})
    return lines


def not_killed(found: dict[str, dict[str, str]]) -> list[str]:
    out = []
    for module, statuses in found.items():
        path = Path("analysis") / f"{module}.py"
        starts = _function_lines(ROOT / path)
        for name, status in statuses.items():
            if status in ("killed", "timeout"):
                continue
            function = name.split(".")[-1].rsplit("__mutmut_", 1)[0]
            diff = get_diff_for_mutant(name, path=path).splitlines()
            hunk = next((int(m.group(1)) for m in map(re.compile(r"^@@ -(\d+)").match, diff) if m), 1)
            body = [d for d in diff if not d.startswith(("---", "+++", "@@"))]
            offset = next((i for i, d in enumerate(body) if d.startswith(("-", "+"))), 0)
            line = starts.get(function, 1) + hunk - 1 + offset
            changed = [d for d in body if d.startswith(("-", "+"))]
            out.append(f"{path}:{line} {name.split('.')[-1]} ({status})\n    " + "\n    ".join(changed))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--totals", action="store_true", help="the table only")
    parser.add_argument("--write", action="store_true", help="write both into bench/mutation.md")
    args = parser.parse_args(argv)
    found = results()
    if not found:
        print("no mutation results in mutants/: run make mutation first", file=sys.stderr)
        return 2
    table = totals_table(found)
    missed = [] if args.totals else not_killed(found)
    heading = f"{len(missed)} mutants not killed:" if missed else "every mutant killed"
    print(table if args.totals else "\n".join([table, "", heading, *missed]))
    if args.write:
        report = ROOT / "bench" / "mutation.md"
        old = report.read_text(encoding="utf-8")
        if START not in old or END not in old:
            print(f"{report}: its markers {START!r} and {END!r} are missing", file=sys.stderr)
            return 2
        block = "\n".join([START, "", table, "", heading, "", "```text", *missed, "```", "", END])
        report.write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, old, flags=re.S),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
