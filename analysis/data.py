"""Load the study data package: one function per dataset, each validated.

Every loader reads ``datapackage.json`` from the same directory, checks its
shape, checks the file against its schema (``analysis.validation``), including
primary and foreign keys, and returns a typed DataFrame. Nothing is coerced, dropped or filled in: a file that breaks a rule
raises :class:`~analysis.validation.DataValidationError` naming the file, line,
column, value and rule. The directory is a parameter (default
:func:`analysis.paths.data_dir`), so the same code loads any dataset with the
same schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .paths import data_dir, label
from .validation import DataValidationError, Fault, Row, Table, foreign_key_faults, key_fields, read_columns, read_descriptor

_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean", "date": "datetime64[s]"}

#: Tables that may hold a header and no rows: a dataset may have no errata (the
#: synthetic cohort has none). Every other table feeds a number or a chapter.
MAY_BE_EMPTY = {"errata", "readings"}


def _dir(directory: Path | str | None) -> Path:
    return Path(directory).resolve() if directory is not None else data_dir()


def _package(directory: Path) -> dict[str, Any]:
    path = directory / "datapackage.json"
    package, faults = read_descriptor(path, label(path))
    if faults:
        raise DataValidationError(faults)
    return package


def schema(directory: Path | str | None = None) -> dict[str, Any]:
    """The data package descriptor (``datapackage.json``) as a dict, its shape checked."""
    return _package(_dir(directory))


def _resource(package: dict[str, Any], name: str, directory: Path) -> dict[str, Any]:
    for item in package["resources"]:
        if item["name"] == name:
            return item
    path = directory / "datapackage.json"
    raise DataValidationError([Fault(label(path), None, None, None,
                                     f"has no resource '{name}', which the analysis reads")])


def resource(name: str, directory: Path | str | None = None) -> dict[str, Any]:
    """The descriptor of one resource of the data package."""
    directory = _dir(directory)
    return _resource(_package(directory), name, directory)


def _frame(table: Table, res: dict[str, Any]) -> pd.DataFrame:
    """A checked table as a typed frame, column by column."""
    fields = res["schema"]["fields"]
    return pd.DataFrame({f["name"]: pd.Series(table.columns[f["name"]], dtype="object") for f in fields},
                        index=pd.RangeIndex(len(table))).astype({f["name"]: _DTYPES[f["type"]] for f in fields})


class _Load:
    """One load of a data directory: the descriptor read once, each resource validated at most once."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.package = _package(directory)
        self._tables: dict[str, Table] = {}

    def label(self, res: dict[str, Any]) -> str:
        return label(self.directory / res["path"])

    def table(self, name: str, _reading: tuple[str, ...] = ()) -> Table:
        """One resource, checked against its schema, its foreign keys and its own rules.

        ``_reading`` is the chain of resources whose foreign keys led here, so a
        descriptor whose foreign keys form a cycle is refused instead of recursing.
        """
        if name in self._tables:
            return self._tables[name]
        res = _resource(self.package, name, self.directory)
        where = self.label(res)
        table, faults = read_columns(self.directory / res["path"], res, where, may_be_empty=name in MAY_BE_EMPTY)
        if not faults and res["schema"].get("foreignKeys"):
            known = {}
            for key in res["schema"]["foreignKeys"]:
                target = key["reference"]["resource"] or name
                fields = tuple(key_fields(key["reference"]["fields"]))
                if target == name:
                    target_table = table
                elif target in _reading + (name,):
                    cycle = " -> ".join(_reading + (name, target))
                    raise DataValidationError([Fault(label(self.directory / "datapackage.json"), None, None, None,
                                                     f"foreign keys form a cycle: {cycle}")])
                else:
                    target_table = self.table(target, _reading + (name,))
                known[(target, fields)] = set(zip(*(target_table.columns[f] for f in fields)))
            paths = {r["name"]: r["path"] for r in self.package["resources"]}
            faults += foreign_key_faults(table, res, known, where, paths)
        if not faults and name in _RULES:
            faults += _RULES[name](self, table, where)
        if faults:
            raise DataValidationError(faults)
        self._tables[name] = table
        return table

    def rows(self, name: str) -> list[Row]:
        """The rows of one resource, checked (:meth:`table`)."""
        return self.table(name).rows

    def frame(self, name: str) -> pd.DataFrame:
        return _frame(self.table(name), _resource(self.package, name, self.directory))


def load(name: str, directory: Path | str | None = None) -> pd.DataFrame:
    """One resource of the data package by name, validated (with what it refers to)."""
    return _Load(_dir(directory)).frame(name)


_load = load


def _recorded_errata(load: _Load, file: str, column: str) -> set[str]:
    """Participants with an erratum on ``file`` and ``column``."""
    return {p for r in load.rows("errata")
            if r["file"] == file and column in (r["column"] or "").split(";") and r["participant"]
            for p in r["participant"].split(";")}


def _dates_in_order(load: _Load, table: Table, where: str) -> list[Fault]:
    """An IPS end date before its start date is refused unless the errata record it."""
    excused = _recorded_errata(load, "ips_timeline.csv", "ips_end")
    c = table.columns
    return [
        Fault(where, line, "ips_end", end.isoformat(),
              f"is before ips_start {start.isoformat()} and no erratum in errata.csv records it "
              "(rule: IPS ends on or after it starts)")
        for line, who, start, end in zip(table.lines, c["participant"], c["ips_start"], c["ips_end"])
        if end is not None and start is not None and end < start and who not in excused
    ]


def _participants_known(load: _Load, table: Table, where: str) -> list[Fault]:
    """Every participant a finding names is in participants.csv."""
    known = set(load.table("participants").columns["participant"])
    return [Fault(where, line, "participants", named,
                  f"names participant {p!r}, who is not in participants.csv (rule: known participants)")
            for line, named in zip(table.lines, table.columns["participants"]) if named
            for p in named.split(";") if p not in known]


def _value_or_date(load: _Load, table: Table, where: str) -> list[Fault]:
    """A printed number has a value or, when the article prints a date, a date: exactly one of them."""
    return [Fault(where, r.line, "value", None if r["value"] is None else str(r["value"]),
                  f"{'has both a value and' if r['value'] is not None else 'has neither a value nor'} a date "
                  f"({r['date']}) (rule: exactly one of value and date)" if r["date"] is not None else
                  "has neither a value nor a date (rule: exactly one of value and date)")
            for r in table.rows if (r["value"] is None) == (r["date"] is None)]


#: Rules within or across files, beyond what Table Schema can say, by resource.
_RULES = {"ips_timeline": _dates_in_order, "findings": _participants_known, "published_numbers": _value_or_date}
#: The other resources each rule reads (a change to one of them can break the rule).
RULE_READS = {"ips_timeline": ("errata",), "findings": ("participants",), "published_numbers": ()}


def load_participants(directory: Path | str | None = None) -> pd.DataFrame:
    """The participants and what the article ties to each (``participants.csv``)."""
    return _load("participants", directory)


def load_clinical(directory: Path | str | None = None) -> pd.DataFrame:
    """Table 1, one row per participant (``clinical.csv``); missing values are NA."""
    return _load("clinical", directory)


def load_errata(directory: Path | str | None = None) -> pd.DataFrame:
    """The errata (``errata.csv``): problems in the article and the readings chosen. It may be empty."""
    return _load("errata", directory)


def load_timeline(directory: Path | str | None = None) -> pd.DataFrame:
    """Table 2 (``ips_timeline.csv``), dates as printed.

    An IPS end date before its start date is refused unless the errata record it
    (file ``ips_timeline.csv``, column ``ips_end``, that participant).
    """
    return _load("ips_timeline", directory)


def load_sample(directory: Path | str | None = None) -> pd.DataFrame:
    """Facts about the sample as a whole (``sample.csv``), indexed by key."""
    return _load("sample", directory).set_index("key")


def load_pain_conditions(directory: Path | str | None = None) -> pd.DataFrame:
    """The eight pain conditions (``pain_conditions.csv``)."""
    return _load("pain_conditions", directory)


def load_followups(directory: Path | str | None = None) -> pd.DataFrame:
    """The follow-up schedule in months after inclusion (``followups.csv``)."""
    return _load("followups", directory)


def load_ips_principles(directory: Path | str | None = None) -> pd.DataFrame:
    """The eight IPS principles and how the pilot applied them (``ips_principles.csv``)."""
    return _load("ips_principles", directory)


def load_literature(directory: Path | str | None = None) -> pd.DataFrame:
    """Numbers cited from other work (``literature.csv``), indexed by key."""
    return _load("literature", directory).set_index("key")


def load_published_numbers(directory: Path | str | None = None) -> pd.DataFrame:
    """Every number the article prints about its own study (``published_numbers.csv``)."""
    return _load("published_numbers", directory)


def load_themes(directory: Path | str | None = None) -> pd.DataFrame:
    """The four themes of the qualitative analysis (``qualitative/themes.csv``)."""
    return _load("themes", directory)


def load_subthemes(directory: Path | str | None = None) -> pd.DataFrame:
    """Subthemes and code groups of the qualitative analysis (``qualitative/subthemes.csv``)."""
    return _load("subthemes", directory)


def load_quotes(directory: Path | str | None = None) -> pd.DataFrame:
    """Every quotation the article prints (``qualitative/quotes.csv``)."""
    return _load("quotes", directory)


def load_findings(directory: Path | str | None = None) -> pd.DataFrame:
    """Experiences, helpful aspects and challenges with attributions and printed counts."""
    return _load("findings", directory)


def load_interview_guide(directory: Path | str | None = None) -> pd.DataFrame:
    """The interview guide's questions by group (``qualitative/interview_guide.csv``)."""
    return _load("interview_guide", directory)


def load_coreq(directory: Path | str | None = None) -> pd.DataFrame:
    """The COREQ checklist and where the article reports each item (``coreq.csv``)."""
    return _load("coreq", directory)


#: What :func:`load_all` returns, in the order it loads them.
DATASETS = ("participants", "clinical", "ips_timeline", "sample", "pain_conditions", "followups", "ips_principles",
            "literature", "published_numbers", "errata", "readings", "themes", "subthemes", "quotes", "findings",
            "interview_guide", "coreq")
_INDEXED = {"sample", "literature"}


def load_all(directory: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Every dataset, validated; fails on the first file with a fault.

    One load: the descriptor is read once and each file once, so a file cannot
    change between the checks of two files that refer to it.
    """
    load = _Load(_dir(directory))
    frames = {}
    for name in DATASETS:
        frame = load.frame(name)
        frames[name] = frame.set_index("key") if name in _INDEXED else frame
    return frames
