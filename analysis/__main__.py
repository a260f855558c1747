"""Command line for the data and the numbers.

``python -m analysis numbers [--json]``: the registry of every named number;
``verify [--json]``: every printed number beside the report's value, with status and basis;
``audit [--json]``: the consistency checks of the article's numbers;
``record [--write]``: compare every named number with the published record, naming each change;
``sensitivity [--json]``: the headline results and conclusions under every reading of the errata;
``check-data``: validate the data package; ``dictionary [--write]``: the data dictionary; ``diff OLD NEW [--json]``: what
changed between two versions, number by number (exit status 1 when a number
changed).
Each takes ``--data DIR`` (default: ``data/`` or ``$IPS_REPORT_DATA``).
"""

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
    verify = commands.add_parser("verify", help="every printed number beside the report's value")
    verify.add_argument("--json", action="store_true", help="a JSON list, one object per printed number")
    verify.add_argument("--data", help="data directory (default: data/ or $IPS_REPORT_DATA)")
    audit = commands.add_parser("audit", help="the consistency checks of the article's numbers")
    audit.add_argument("--json", action="store_true", help="a JSON list, one object per check")
    audit.add_argument("--data", help="data directory (default: data/ or $IPS_REPORT_DATA)")
    sensitivity = commands.add_parser("sensitivity", help="the headline results and conclusions under every reading "
                                                           "of the errata")
    sensitivity.add_argument("--json", action="store_true", help="one JSON object: readings, results, conclusions")
    sensitivity.add_argument("--data", help="data directory (default: data/ or $IPS_REPORT_DATA)")
    diff = commands.add_parser("diff", help="what changed between two versions (git revisions or release folders): "
                                            "every named number, verdict and erratum")
    diff.add_argument("old", help="the older version: a git revision (commit, tag, HEAD~3) or a release folder")
    diff.add_argument("new", help="the newer version, likewise")
    diff.add_argument("--json", action="store_true", help="one JSON object: the two versions and the changes")
    record = commands.add_parser("record", help="compare every named number with the published record "
                                                "(record/numbers.json), or --write it")
    record.add_argument("--write", action="store_true", help="write the record from the current data")
    record.add_argument("--data", help="data directory (default: data/ or $IPS_REPORT_DATA)")
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
    if args.command in ("verify", "audit"):
        return _tables(args)
    if args.command == "sensitivity":
        return _sensitivity(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "record":
        return _record(args)
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


def _record(args: argparse.Namespace) -> int:
    from . import audit, changes, paths, record
    from .data import load_all

    data = load_all(args.data)
    checks = audit.run_all(data, registry.read_timeline(data), registry.followup_months(data))
    entries, verified = registry.build_with_verification(data, checks)
    found = changes.verdicts(verified, checks, data["errata"])
    if args.write:
        record.write(entries)
        changes.write_verdicts(found)
        print(f"{record.RECORD.relative_to(paths.PROJECT_ROOT)}: {len(entries)} numbers recorded; "
              f"{changes.VERDICTS.relative_to(paths.PROJECT_ROOT)}: the verdicts")
        return 0
    if not record.RECORD.is_file():
        print(f"error: no published record at {record.RECORD}; run make execute", file=sys.stderr)
        return 2
    changed = record.changes(record.read(), entries)
    for change in changed:
        print(change)
    if changed:
        print(f"{len(changed)} named numbers differ from the published record (record/numbers.json): "
              "re-run make execute if the change is intended", file=sys.stderr)
        return 1
    if not changes.VERDICTS.is_file() or json.loads(changes.VERDICTS.read_text(encoding="utf-8")) != found:
        print(f"error: the verdicts differ from the published record ({changes.VERDICTS.name}): re-run make "
              "execute if the change is intended", file=sys.stderr)
        return 1
    print(f"all {len(entries)} named numbers and every verdict match the published record")
    return 0


def _diff(args: argparse.Namespace) -> int:
    """Every change between two versions; exit 1 when a number changed, 0 when none did, 2 on bad input."""
    from . import changes, record

    try:
        old, new = changes.load(args.old), changes.load(args.new)
    except changes.BadInput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    numbers = registry.build()
    found = changes.compare(old, new, record.chapters_showing(),
                            lambda key: registry.inputs_of(numbers[key]) if key in numbers else ["data", "analysis"])
    if args.json:
        json.dump({"old": {"label": old.label, "commit": old.commit}, "new": {"label": new.label, "commit": new.commit},
                   "changes": [vars(c) | {"shown": list(c.shown), "commits": list(c.commits)} for c in found]},
                  sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        for change in found:
            print(change.line())
        changed = sum(c.kind == "number" for c in found)
        print(f"{changed} numbers and {len(found) - changed} verdicts or errata changed between "
              f"{old.label} and {new.label}" if found else f"no number, verdict or erratum changed between "
              f"{old.label} and {new.label}", file=sys.stderr)
    return 1 if any(c.kind == "number" for c in found) else 0


def _sensitivity(args: argparse.Namespace) -> int:
    from . import sensitivity
    from .data import load_all
    from .display import plain_text_table
    from .tables import sensitivity_conclusions, sensitivity_results

    data = load_all(args.data)
    found = sensitivity.analyse(data, registry.followup_months(data))
    if args.json:
        json.dump({"readings": [{"erratum": r.erratum, "reading": r.name, "chosen": r.chosen,
                                 "description": r.description, "sets": [list(s) for s in r.sets]} for r in found.readings],
                   "results": found.results,
                   "conclusions": [{"conclusion": text, "condition": condition, "holds": holds}
                                   for text, condition, holds in found.conclusions]},
                  sys.stdout, indent=2, ensure_ascii=False, default=str)
        print()
        return 0
    for table in (sensitivity_results(found), sensitivity_conclusions(found)):
        print(plain_text_table(table.frozen().payload), end="\n\n")
    return 0


def _tables(args: argparse.Namespace) -> int:
    from . import audit, verification
    from .data import load_all

    data = load_all(args.data)
    if args.command == "verify":
        table = verification.for_reviewers(registry.build_with_verification(data)[1])
        records = verification.as_records(table)
        columns = ("key", "status", "basis", "printed_value", "recomputed", "anchor")
    else:
        checks = audit.run_all(data, registry.read_timeline(data), registry.followup_months(data))
        records = checks.to_dict(orient="records")
        columns = ("check", "subject", "verdict", "erratum")
    if args.json:
        json.dump(records, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        for record in records:
            print("  ".join(str(record[c]) if record[c] not in (None, "") else "-" for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
