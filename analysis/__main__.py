"""Command line: ``python -m analysis numbers [--json] [--data DIR]``."""

from __future__ import annotations

import argparse
import json
import sys

from . import registry
from .validation import DataValidationError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    numbers = commands.add_parser("numbers", help="print the registry of reported numbers")
    numbers.add_argument("--json", action="store_true", help="one JSON object keyed by name")
    numbers.add_argument("--data", help="data directory (default: data/ or $IPS_REPORT_DATA)")
    check = commands.add_parser("check-data", help="validate the data package and exit")
    check.add_argument("--data", help="data directory (default: data/ or $IPS_REPORT_DATA)")
    dictionary = commands.add_parser("dictionary", help="print (or --write into data/README.md) the data dictionary")
    dictionary.add_argument("--write", action="store_true", help="rewrite the generated part of data/README.md")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except DataValidationError as error:
        # One message, no traceback: the message names the file, line and rule.
        print(f"error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "dictionary":
        from .dictionary import markdown, write_readme
        from .paths import PROJECT_ROOT

        if args.write:
            changed = write_readme(PROJECT_ROOT / "data" / "README.md", PROJECT_ROOT / "data")
            print("data/README.md " + ("updated" if changed else "already current"))
        else:
            print(markdown())
        return 0
    entries = registry.build(args.data)
    if args.command == "check-data":
        print(f"data package is valid ({len(entries)} numbers computed)")
    elif args.json:
        json.dump({k: n.as_dict() for k, n in entries.items()}, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        width = max(map(len, entries))
        for key, number in entries.items():
            print(f"{key:<{width}}  {number.text:>10}  {number.unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
