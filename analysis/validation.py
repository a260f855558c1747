"""Validate a CSV file against its Frictionless Table Schema in ``datapackage.json``.

The validator implements the part of the Table Schema standard the data package
uses: the field types ``string``, ``integer``, ``number``, ``date`` and
``boolean``; the constraints ``required``, ``unique``, ``minimum``, ``maximum``,
``enum`` and ``pattern``; ``missingValues``; ``primaryKey``; and ``foreignKeys``.
Every fault is reported with the file, the line, the column, the offending value
and the rule it breaks, and nothing is coerced: a value either parses exactly as
its declared type or the load fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TRUE_VALUES = {"true"}
FALSE_VALUES = {"false"}


@dataclass(frozen=True)
class Fault:
    """One broken rule in one cell (or one line, or the header) of a file."""

    file: str
    line: int | None  # line of the file, the header being line 1
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        shown = "" if self.value is None else f"value {self.value!r}: "
        return f"{', '.join(where)}: {shown}{self.rule}"


class DataValidationError(ValueError):
    """Raised when a data file breaks its schema; lists every fault found."""

    #: How many further faults the message lists after the first; all are in ``faults``.
    LISTED = 4

    def __init__(self, faults: list[Fault]):
        self.faults = faults
        first, rest = str(faults[0]), faults[1:]
        more = ""
        if rest:
            listed = "; ".join(map(str, rest[: self.LISTED]))
            unlisted = f"; and {len(rest) - self.LISTED} more" if len(rest) > self.LISTED else ""
            more = f" (and {len(rest)} more: {listed}{unlisted})"
        super().__init__(f"invalid data: {first}{more}")


def _parse(value: str, field: dict[str, Any]) -> Any:
    """Parse one non-missing cell as the field's type, or raise ValueError naming the rule."""
    kind = field["type"]
    if kind == "string":
        return value
    if kind == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise ValueError("is not an integer (type 'integer')")
        return int(value)
    if kind == "number":
        if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", value):
            raise ValueError("is not a number with a decimal point (type 'number')")
        return float(value)
    if kind == "date":
        fmt = field.get("format", "%Y-%m-%d")
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            raise ValueError(f"is not a date in the form {fmt} (type 'date')") from None
    if kind == "boolean":
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise ValueError("is not 'true' or 'false' (type 'boolean')")
    raise ValueError(f"has a type the validator does not know: {kind!r}")


def _constraint_faults(parsed: Any, raw: str, field: dict[str, Any]) -> list[str]:
    """Rules a parsed, non-missing value breaks."""
    c = field.get("constraints", {})
    broken = []
    if "minimum" in c and parsed < c["minimum"]:
        broken.append(f"is below the minimum {c['minimum']} (constraint 'minimum')")
    if "maximum" in c and parsed > c["maximum"]:
        broken.append(f"is above the maximum {c['maximum']} (constraint 'maximum')")
    if "enum" in c and parsed not in c["enum"]:
        broken.append(f"is not one of {c['enum']} (constraint 'enum')")
    if "pattern" in c and not re.fullmatch(c["pattern"], raw):
        broken.append(f"does not match the pattern {c['pattern']!r} (constraint 'pattern')")
    return broken


def read_table(path: Path, resource: dict[str, Any], label: str) -> tuple[list[dict[str, Any]], list[Fault]]:
    """Read and check one CSV file against its resource schema.

    Returns the parsed rows (missing values as None) and every fault found.
    ``label`` is how the file is named in messages (for example ``data/clinical.csv``).
    """
    schema = resource["schema"]
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    missing_values = set(schema.get("missingValues", [""]))
    if not path.is_file():
        return [], [Fault(label, None, None, None, "file not found")]

    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return [], [Fault(label, 1, None, None, "file is empty; expected a header row")]

    header, body = rows[0], rows[1:]
    faults: list[Fault] = []
    for name in names:
        if name not in header:
            faults.append(Fault(label, 1, name, None, "column is missing from the header (schema field)"))
    for name in header:
        if name not in names:
            faults.append(Fault(label, 1, name, None, "column is not in the schema (extra column)"))
    if not faults and header != names:
        faults.append(Fault(label, 1, None, ",".join(header), f"columns are not in schema order {names}"))
    if faults:
        return [], faults

    parsed_rows: list[dict[str, Any]] = []
    seen: dict[str, dict[Any, int]] = {f["name"]: {} for f in fields}
    for offset, cells in enumerate(body):
        line = offset + 2
        if len(cells) != len(names):
            faults.append(Fault(label, line, None, ",".join(cells), f"has {len(cells)} cells; the header has {len(names)}"))
            continue
        record: dict[str, Any] = {}
        for field, raw in zip(fields, cells):
            name = field["name"]
            constraints = field.get("constraints", {})
            if raw in missing_values:
                if constraints.get("required"):
                    faults.append(Fault(label, line, name, raw, "is missing but the field is required (constraint 'required')"))
                record[name] = None
                continue
            try:
                value = _parse(raw, field)
            except ValueError as error:
                faults.append(Fault(label, line, name, raw, str(error)))
                record[name] = None
                continue
            for rule in _constraint_faults(value, raw, field):
                faults.append(Fault(label, line, name, raw, rule))
            if constraints.get("unique"):
                if value in seen[name]:
                    faults.append(Fault(label, line, name, raw, f"duplicates line {seen[name][value]} (constraint 'unique')"))
                else:
                    seen[name][value] = line
            record[name] = value
        parsed_rows.append(record | {"_line": line})
    return parsed_rows, faults


def foreign_key_faults(rows: list[dict[str, Any]], resource: dict[str, Any], known: dict[str, set[Any]], label: str) -> list[Fault]:
    """Faults for values that do not exist in the resource they refer to."""
    faults = []
    for key in resource["schema"].get("foreignKeys", []):
        field = key["fields"]
        target = key["reference"]["resource"]
        allowed = known[target]
        for row in rows:
            value = row.get(field)
            if value is not None and value not in allowed:
                faults.append(
                    Fault(label, row["_line"], field, str(value),
                          f"is not a known {field} in {target} (foreign key to {target}.{key['reference']['fields']})")
                )
    return faults
