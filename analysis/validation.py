"""Validate a data package: its descriptor and each CSV file against its Table Schema.

The validator implements the part of the Frictionless Table Schema standard the
data package uses: the field types ``string``, ``integer``, ``number``, ``date``
and ``boolean``; the constraints ``required``, ``unique``, ``minimum``,
``maximum``, ``enum`` and ``pattern``; ``missingValues``; ``primaryKey``
(single and composite); and ``foreignKeys`` (single and composite). Every fault
is reported with the file, the line, the column, the offending value and the
rule it breaks, and nothing is coerced: a value either parses exactly as its
declared type or the load fails.

Every file is treated as hostile. The descriptor must be JSON of the shape
described above, and anything in it the validator would otherwise ignore but
another reader would honour (a dialect, a compression, other constraints or
type options) is refused rather than silently skipped. A CSV file must be UTF-8
text (one leading byte-order mark is dropped; CRLF line endings are fine)
without NUL bytes, and valid CSV with the default dialect (comma, double
quotes), read strictly.

Where this deliberately differs from frictionless-py: booleans are only
``true`` and ``false`` (frictionless also takes ``True``, ``1``...), integers
and numbers are plain decimal digits (no exponent, spaces, ``NaN`` or
``inf``), integers must fit in 64 bits, a ``pattern`` must match the whole value
(frictionless lets ``$`` match before a final newline), fields of a primary key
may not be missing, and a blank line is a fault. Each difference refuses more,
never less.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

TRUE_VALUES = {"true"}
FALSE_VALUES = {"false"}
TYPES = ("string", "integer", "number", "date", "boolean")
CONSTRAINTS = ("required", "unique", "minimum", "maximum", "enum", "pattern")
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
INT64 = (-(2**63), 2**63 - 1)  # the range of the Int64 columns the loader returns
#: Descriptor keys another reader would honour but this validator does not.
UNSUPPORTED_RESOURCE_KEYS = ("data", "dialect", "compression", "scheme", "innerpath", "layout")
UNSUPPORTED_FIELD_KEYS = ("trueValues", "falseValues", "bareNumber", "decimalChar", "groupChar", "missingValues")


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


class Row(dict):
    """One parsed record: field name to value (missing values are None), and its line."""

    def __init__(self, values: dict[str, Any], line: int):
        super().__init__(values)
        self.line = line


# --- reading files ------------------------------------------------------------

def read_text(path: Path, label: str, what: str = "") -> tuple[str | None, list[Fault]]:
    """The text of a UTF-8 file, one leading byte-order mark dropped; or the fault that stops it.

    ``what`` says what the file is for, in the "file not found" message.
    """
    try:
        if path.is_dir():
            return None, [Fault(label, None, None, None, "is a directory, not a file")]
        if not path.is_file():
            return None, [Fault(label, None, None, None, f"file not found{what}")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Fault(label, None, None, None, f"cannot be read: {error.strerror or error}")]
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        return None, [Fault(label, line, None, None,
                            "contains a NUL byte: binary data or UTF-16, not UTF-8 text")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        start = error.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line = raw[:start].count(b"\n") + 1
        return None, [Fault(label, line, None, None,
                            f"is not UTF-8 text (byte 0x{raw[start]:02x} cannot be decoded); save the file as UTF-8")]


def read_descriptor(path: Path, label: str) -> tuple[dict[str, Any] | None, list[Fault]]:
    """The data package descriptor, checked for the shape the validator relies on."""
    text, faults = read_text(path, label, " (the data package's schema)")
    if text is None:
        return None, faults
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [Fault(label, error.lineno, None, None, f"is not valid JSON: {error.msg} (column {error.colno})")]
    except RecursionError:
        return None, [Fault(label, None, None, None, "is not valid JSON: nested too deeply")]
    faults = descriptor_faults(package, label)
    return (None if faults else package), faults


# --- the descriptor -------------------------------------------------------------

def _names(value: Any) -> list[str] | None:
    """A field list as Table Schema writes it (one name or a list of names), or None if malformed."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def key_fields(value: Any) -> list[str]:
    """The field names of a ``primaryKey`` or of one side of a foreign key (a descriptor already checked)."""
    return _names(value) or []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _date_format(field: dict[str, Any]) -> str:
    fmt = field.get("format", "default")
    return DEFAULT_DATE_FORMAT if fmt == "default" else fmt


def _field_faults(field: Any, where: str) -> list[str]:
    if not isinstance(field, dict):
        return [f"{where}: is not an object"]
    name = field.get("name")
    if not isinstance(name, str) or not name:
        return [f"{where}: has no 'name' (a non-empty string)"]
    where = f"{where} ('{name}')"
    problems = []
    kind = field.get("type")
    if kind is None:
        problems.append(f"{where}: has no 'type' (one of {', '.join(TYPES)})")
    elif kind not in TYPES:
        problems.append(f"{where}: 'type' {kind!r} is not one of {', '.join(TYPES)}")
    if not isinstance(field.get("description"), str):
        problems.append(f"{where}: has no 'description' (a string)")
    for key in ("title", "unit", "source"):
        if key in field and not isinstance(field[key], str):
            problems.append(f"{where}: '{key}' is not a string")
    for key in UNSUPPORTED_FIELD_KEYS:
        if key in field:
            problems.append(f"{where}: '{key}' is not supported by the validator")
    if "format" in field:
        fmt = field["format"]
        if kind == "date":
            try:
                day = dt.date(2001, 2, 3)
                if not isinstance(fmt, str) or dt.datetime.strptime(day.strftime(_date_format(field)),
                                                                    _date_format(field)).date() != day:
                    raise ValueError
            except ValueError:
                problems.append(f"{where}: 'format' {fmt!r} is not a strptime pattern of a whole date")
        elif fmt != "default":
            problems.append(f"{where}: 'format' {fmt!r} is not supported for type {kind!r}")
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        return problems + [f"{where}: 'constraints' is not an object"]
    for key, value in constraints.items():
        if kind not in TYPES:
            break  # which constraints fit depends on the type
        if key not in CONSTRAINTS:
            problems.append(f"{where}: constraint '{key}' is not supported by the validator")
        elif key in ("required", "unique") and not isinstance(value, bool):
            problems.append(f"{where}: constraint '{key}' is not true or false")
        elif key in ("minimum", "maximum") and (kind not in ("integer", "number") or not _is_number(value)):
            problems.append(f"{where}: constraint '{key}' must be a number on an integer or number field")
        elif key == "enum" and (kind != "string" or not isinstance(value, list) or not value
                                or not all(isinstance(v, str) for v in value)):
            problems.append(f"{where}: constraint 'enum' must be a non-empty list of strings on a string field")
        elif key == "pattern":
            try:
                if not isinstance(value, str):
                    raise TypeError
                re.compile(value)
            except (re.error, TypeError, RecursionError, OverflowError):
                problems.append(f"{where}: constraint 'pattern' {value!r} is not a regular expression")
    return problems


def _schema_faults(schema: Any, where: str) -> tuple[list[str], list[str]]:
    """Problems of one resource's schema, and its field names."""
    if not isinstance(schema, dict):
        return [f"{where}: has no 'schema' (an object)"], []
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return [f"{where}: schema has no 'fields' (a non-empty list)"], []
    problems = []
    names: list[str] = []
    for index, field in enumerate(fields):
        found = _field_faults(field, f"{where}, field {index + 1}")
        problems += found
        if isinstance(field, dict) and isinstance(field.get("name"), str):
            if field["name"] in names:
                problems.append(f"{where}: field '{field['name']}' is declared twice")
            names.append(field["name"])
    missing = schema.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(v, str) for v in missing):
        problems.append(f"{where}: 'missingValues' is not a list of strings")
    if "primaryKey" in schema:
        key = _names(schema["primaryKey"])
        if key is None:
            problems.append(f"{where}: 'primaryKey' is not a field name or a list of field names")
        elif len(set(key)) != len(key) or not set(key) <= set(names):
            problems.append(f"{where}: 'primaryKey' {key} names unknown or repeated fields")
    return problems, names


def _foreign_key_faults(resource: dict[str, Any], where: str, fields_of: dict[str, list[str]]) -> list[str]:
    keys = resource["schema"].get("foreignKeys", [])
    if not isinstance(keys, list):
        return [f"{where}: 'foreignKeys' is not a list"]
    problems = []
    own = fields_of[resource["name"]]
    for index, key in enumerate(keys):
        at = f"{where}, foreign key {index + 1}"
        reference = key.get("reference") if isinstance(key, dict) else None
        if not isinstance(reference, dict):
            problems.append(f"{at}: is not an object with 'fields' and 'reference'")
            continue
        fields, target, target_fields = _names(key.get("fields")), reference.get("resource"), _names(reference.get("fields"))
        if fields is None or target_fields is None or not isinstance(target, str):
            problems.append(f"{at}: needs 'fields' and a 'reference' with 'resource' and 'fields'")
            continue
        target = target or resource["name"]  # "" refers to the resource itself
        if not set(fields) <= set(own):
            problems.append(f"{at}: 'fields' {fields} names unknown fields")
        if target not in fields_of:
            problems.append(f"{at}: refers to resource '{target}', which is not in the package")
        elif not set(target_fields) <= set(fields_of[target]):
            problems.append(f"{at}: refers to fields {target_fields}, not all of which are in '{target}'")
        if len(fields) != len(target_fields):
            problems.append(f"{at}: has {len(fields)} fields but refers to {len(target_fields)}")
    return problems


def _path_fault(path: Any) -> str | None:
    if not isinstance(path, str) or not path:
        return "has no 'path' (a string)"
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or ":" in path or "\0" in path:
        return f"'path' {path!r} is not a relative path inside the data directory"
    return None


def descriptor_faults(package: Any, label: str) -> list[Fault]:
    """Every way the descriptor differs from the shape the validator relies on."""
    if not isinstance(package, dict):
        return [Fault(label, None, None, None, "is not a JSON object (a data package descriptor)")]
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        return [Fault(label, None, None, None, "has no 'resources' (a non-empty list)")]
    problems: list[str] = []
    fields_of: dict[str, list[str]] = {}
    complete = []
    for index, res in enumerate(resources):
        where = f"resource {index + 1}"
        if not isinstance(res, dict) or not isinstance(res.get("name"), str) or not res["name"]:
            problems.append(f"{where}: has no 'name' (a non-empty string)")
            continue
        where = f"resource {index + 1} ('{res['name']}')"
        if res["name"] in fields_of:
            problems.append(f"{where}: the name is used twice")
        found = [p for p in [_path_fault(res.get("path"))] if p]
        for key in ("title", "description"):
            if not isinstance(res.get(key), str):
                found.append(f"has no '{key}' (a string)")
        if str(res.get("encoding", "utf-8")).lower().replace("_", "-") not in ("utf-8", "utf8"):
            found.append(f"'encoding' {res['encoding']!r} is not supported; the files must be UTF-8")
        if res.get("format", "csv") != "csv":
            found.append(f"'format' {res['format']!r} is not supported; the files must be CSV")
        for key in UNSUPPORTED_RESOURCE_KEYS:
            if key in res:
                found.append(f"'{key}' is not supported by the validator")
        problems += [f"{where}: {p}" for p in found]
        schema_problems, names = _schema_faults(res.get("schema"), where)
        problems += schema_problems
        fields_of[res["name"]] = names
        if not found and not schema_problems:
            complete.append((res, where))
    if not problems:
        for res, where in complete:
            problems += _foreign_key_faults(res, where, fields_of)
    return [Fault(label, None, None, None, p) for p in problems]


# --- one table ------------------------------------------------------------------

#: C0 and C1 control characters other than tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _parse(value: str, field: dict[str, Any]) -> Any:
    """Parse one non-missing cell as the field's type, or raise ValueError naming the rule."""
    kind = field["type"]
    if kind == "string":
        control = _CONTROL.search(value)
        if control:
            raise ValueError(f"contains the control character U+{ord(control.group()):04X}, which no page can show "
                             "(rule: text holds no control characters but tab and line breaks)")
        return value
    if kind == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise ValueError("is not an integer (type 'integer')")
        # Too many digits is out of range without asking int() (which refuses over 4300 digits).
        number = int(value) if len(value.lstrip("+-").lstrip("0")) <= 19 else INT64[1] + 1
        if not INT64[0] <= number <= INT64[1]:
            raise ValueError("is outside the range of a 64-bit integer (type 'integer')")
        return number
    if kind == "number":
        if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", value):
            raise ValueError("is not a number with a decimal point (type 'number')")
        return Decimal(value)  # exact, for the constraints; the table holds it as a float
    if kind == "date":
        fmt = _date_format(field)
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


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _constraint_faults(parsed: Any, raw: str, field: dict[str, Any]) -> list[str]:
    """Rules a parsed, non-missing value breaks."""
    c = field.get("constraints", {})
    broken = []
    # Decimal(str(...)) compares exactly: 4.0000000000000001 is above a maximum of 4.
    if "minimum" in c and parsed < Decimal(str(c["minimum"])):
        broken.append(f"is below the minimum {c['minimum']} (constraint 'minimum')")
    if "maximum" in c and parsed > Decimal(str(c["maximum"])):
        broken.append(f"is above the maximum {c['maximum']} (constraint 'maximum')")
    if "enum" in c and parsed not in c["enum"]:
        broken.append(f"is not one of {c['enum']} (constraint 'enum')")
    if "pattern" in c and not _compiled(c["pattern"]).fullmatch(raw):
        broken.append(f"does not match the pattern {c['pattern']!r} (constraint 'pattern')")
    return broken


def _records(text: str, label: str) -> tuple[list[tuple[int, list[str]]], list[Fault]]:
    """The CSV records of a text with the line each starts on, or the fault that stops reading."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1  # the next record starts on the line after this one ends
    except csv.Error as error:
        return records, [Fault(label, reader.line_num or 1, None, None, f"is not valid CSV: {error}")]
    return records, []


class Table:
    """One checked table, column by column: each field's values (missing as None) and each row's line."""

    def __init__(self, names: list[str], columns: dict[str, list[Any]], lines: list[int]):
        self.names, self.columns, self.lines = names, columns, lines
        self._rows: list[Row] | None = None

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def rows(self) -> list[Row]:
        """The same, row by row (made when first asked for)."""
        if self._rows is None:
            self._rows = [Row(dict(zip(self.names, values)), line)
                          for values, line in zip(zip(*(self.columns[n] for n in self.names)), self.lines)]
        return self._rows


def _checked_values(raws, field: dict[str, Any]) -> dict[str, tuple[Any, list[str]]]:
    """Each distinct non-missing cell of a column, parsed once: raw -> (value or None, the rules it breaks).

    A column of many rows holds far fewer distinct values (a date, a score), so each is parsed and
    checked once, exactly as a single cell is (:func:`_parse`, :func:`_constraint_faults`)."""
    checked = {}
    for raw in raws:
        try:
            value = _parse(raw, field)
        except ValueError as error:
            checked[raw] = (None, [str(error)])
            continue
        checked[raw] = (value, _constraint_faults(value, raw, field))
    return checked


def read_columns(path: Path, resource: dict[str, Any], label: str,
                 may_be_empty: bool = False) -> tuple[Table | None, list[Fault]]:
    """Read and check one CSV file against its resource schema (from a checked descriptor).

    Returns the checked table (missing values as None) and every fault found, in the order of
    the file: by line, then by field. ``label`` is how the file is named in messages (for example
    ``data/clinical.csv``). A table with a header and no rows is a fault unless ``may_be_empty``.
    """
    schema = resource["schema"]
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    missing_values = set(schema.get("missingValues", [""]))
    text, faults = read_text(path, label)
    if text is None:
        return None, faults
    records, faults = _records(text, label)
    if faults:
        return None, faults
    if not records:
        return None, [Fault(label, 1, None, None, "file is empty; expected a header row")]

    (_, header), body = records[0], records[1:]
    for name in names:
        if name not in header:
            faults.append(Fault(label, 1, name, None, "column is missing from the header (schema field)"))
    for name in header:
        if name not in names:
            faults.append(Fault(label, 1, name, None, "column is not in the schema (extra column)"))
    if not faults and header != names:
        faults.append(Fault(label, 1, None, ",".join(header), f"columns are not in schema order {names}"))
    if faults:
        return None, faults
    if not body and not may_be_empty:
        return None, [Fault(label, 1, None, None, "has a header but no rows; the table needs at least one")]

    found: list[tuple[int, int, Fault]] = []  # (line, field, fault): sorted into the file's order at the end
    shaped = [(line, cells) for line, cells in body if len(cells) == len(names)]
    for line, cells in body:
        if len(cells) != len(names):
            found.append((line, -1, Fault(label, line, None, ",".join(cells),
                                          f"has {len(cells)} cells; the header has {len(names)}")))
    lines = [line for line, _ in shaped]
    primary_key = key_fields(schema.get("primaryKey"))
    broken_keys: set[int] = set()  # rows whose primary key has a missing or unparsable field
    columns: dict[str, list[Any]] = {}
    for j, field in enumerate(fields):
        name, constraints = field["name"], field.get("constraints", {})
        raws = [cells[j] for _, cells in shaped]
        checked = _checked_values([r for r in set(raws) if r not in missing_values], field)
        value_of = {raw: float(value) if isinstance(value, Decimal) else value for raw, (value, _) in checked.items()}
        value_of.update(dict.fromkeys(missing_values))
        columns[name] = [value_of[raw] for raw in raws]
        # the rows that break a rule: a missing value that may not be missing, a value that breaks one
        in_key = name in primary_key
        special = {raw for raw, (_, rules) in checked.items() if rules}
        if constraints.get("required") or in_key:
            special |= missing_values
        for row in ([i for i, raw in enumerate(raws) if raw in special] if special else []):
            line, raw = lines[row], raws[row]
            if raw in missing_values:
                rule = ("is missing but the field is required (constraint 'required')" if constraints.get("required")
                        else f"is missing but the field is in the primary key {primary_key}")
                found.append((line, j, Fault(label, line, name, raw, rule)))
                broken_keys.add(row) if in_key else None
                continue
            value, rules = checked[raw]
            found += [(line, j, Fault(label, line, name, raw, rule)) for rule in rules]
            if value is None and in_key:  # it did not parse
                broken_keys.add(row)
        if constraints.get("unique"):
            first_of: dict[Any, int] = {}
            for line, raw in zip(lines, raws):
                value = checked[raw][0] if raw in checked else None
                if value is None:
                    continue
                if value in first_of:
                    found.append((line, j, Fault(label, line, name, raw,
                                                 f"duplicates line {first_of[value]} (constraint 'unique')")))
                else:
                    first_of[value] = line
    pk_already_unique = len(primary_key) == 1 and next(
        f for f in fields if f["name"] == primary_key[0]).get("constraints", {}).get("unique", False)
    if primary_key and not pk_already_unique:
        keys_seen: dict[tuple[Any, ...], int] = {}
        for row, key in enumerate(zip(*(columns[name] for name in primary_key))):
            if row in broken_keys:
                continue
            if key in keys_seen:
                cells = shaped[row][1]
                shown = ",".join(cells[names.index(name)] for name in primary_key)
                found.append((lines[row], len(fields), Fault(label, lines[row], ",".join(primary_key), shown,
                                                             f"duplicates line {keys_seen[key]} (primary key {primary_key})")))
            keys_seen.setdefault(key, lines[row])
    found.sort(key=lambda item: (item[0], item[1]))  # stable: a cell's rules keep their order
    return Table(names, columns, lines), [fault for _, _, fault in found]


def read_table(path: Path, resource: dict[str, Any], label: str,
               may_be_empty: bool = False) -> tuple[list[Row], list[Fault]]:
    """:func:`read_columns`, row by row: the parsed rows (missing values as None) and every fault."""
    table, faults = read_columns(path, resource, label, may_be_empty)
    return ([] if table is None else table.rows), faults


# --- across tables ----------------------------------------------------------------

def foreign_key_faults(table: Table, resource: dict[str, Any],
                       known: dict[tuple[str, tuple[str, ...]], set[tuple[Any, ...]]], label: str,
                       paths: dict[str, str] | None = None) -> list[Fault]:
    """Faults for values that do not exist in the resource they refer to.

    ``known`` maps (resource, referenced fields) to the tuples of values those
    fields hold. A row whose key fields are all missing refers to nothing and
    passes, as in Table Schema. ``paths`` maps resource names to their files, to
    name the file referred to in messages.
    """
    paths = paths or {}
    faults = []
    for key in resource["schema"].get("foreignKeys", []):
        fields = key_fields(key["fields"])
        target = key["reference"]["resource"] or resource["name"]
        target_fields = key_fields(key["reference"]["fields"])
        allowed = known[(target, tuple(target_fields))]
        column = ",".join(fields)
        what = fields[0] if len(fields) == 1 else f"({column})"
        referred = target_fields[0] if len(target_fields) == 1 else f"({','.join(target_fields)})"
        for line, values in zip(table.lines, zip(*(table.columns[f] for f in fields))):
            if values in allowed or all(v is None for v in values):
                continue
            shown = ",".join("" if v is None else str(v) for v in values)
            faults.append(Fault(label, line, column, shown,
                                f"is not a known {what} in {paths.get(target, target)} "
                                f"(foreign key to {target}.{referred})"))
    return faults
