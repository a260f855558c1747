"""Load the study data package: one function per dataset, each validated.

Every loader reads ``datapackage.json`` from the same directory, checks the
file against its schema (``analysis.validation``) and returns a typed
DataFrame. Nothing is coerced, dropped or filled in: a file that breaks a rule
raises :class:`~analysis.validation.DataValidationError` naming the file, line,
column, value and rule. The directory is a parameter (default
:func:`analysis.paths.data_dir`), so the same code loads any dataset with the
same schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import data_dir, label
from .validation import DataValidationError, Fault, foreign_key_faults, read_table

_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean", "date": "datetime64[s]"}


def _dir(directory: Path | str | None) -> Path:
    return Path(directory).resolve() if directory is not None else data_dir()


def _package(directory: Path) -> dict[str, Any]:
    path = directory / "datapackage.json"
    if not path.is_file():
        raise DataValidationError([Fault(label(path), None, None, None, "file not found (the data package's schema)")])
    return json.loads(path.read_text(encoding="utf-8"))


def schema(directory: Path | str | None = None) -> dict[str, Any]:
    """The data package descriptor (``datapackage.json``) as a dict."""
    return _package(_dir(directory))


def resource(name: str, directory: Path | str | None = None) -> dict[str, Any]:
    """The descriptor of one resource of the data package."""
    for item in schema(directory)["resources"]:
        if item["name"] == name:
            return item
    raise KeyError(f"no resource {name!r} in datapackage.json")


def _frame(rows: list[dict[str, Any]], res: dict[str, Any]) -> pd.DataFrame:
    fields = res["schema"]["fields"]
    columns = [f["name"] for f in fields]
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "_line"} for r in rows], columns=columns)
    for f in fields:
        frame[f["name"]] = frame[f["name"]].astype(_DTYPES[f["type"]])
    return frame


def _read(name: str, directory: Path, extra_faults=None) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    res = resource(name, directory)
    path = directory / res["path"]
    rows, faults = read_table(path, res, label(path))
    if not faults and res["schema"].get("foreignKeys"):
        known = {key["reference"]["resource"]: _key_values(directory, key["reference"]["resource"],
                                                          key["reference"]["fields"])
                 for key in res["schema"]["foreignKeys"]}
        faults += foreign_key_faults(rows, res, known, label(path))
    if not faults and extra_faults is not None:
        faults += extra_faults(rows, label(path))
    if faults:
        raise DataValidationError(faults)
    return _frame(rows, res), rows


def _key_values(directory: Path, name: str, field: str) -> set[Any]:
    """The values of a referenced key, from a validated load of that resource."""
    return {row[field] for row in _read(name, directory)[1]}


def load_participants(directory: Path | str | None = None) -> pd.DataFrame:
    """The participants and what the article ties to each (``participants.csv``)."""
    return _read("participants", _dir(directory))[0]


def load_clinical(directory: Path | str | None = None) -> pd.DataFrame:
    """Table 1, one row per participant (``clinical.csv``); missing values are NA."""
    return _read("clinical", _dir(directory))[0]


def load_errata(directory: Path | str | None = None) -> pd.DataFrame:
    """The errata (``errata.csv``): problems in the article and the readings chosen."""
    return _read("errata", _dir(directory))[0]


def _recorded_errata(directory: Path, file: str, column: str) -> set[str]:
    """Participants with an erratum on ``file`` and ``column``."""
    errata = load_errata(directory)
    hits = errata[(errata["file"] == file) & errata["column"].fillna("").str.split(";").apply(lambda c: column in c)]
    return {p for cell in hits["participant"].dropna() for p in cell.split(";")}


def load_timeline(directory: Path | str | None = None) -> pd.DataFrame:
    """Table 2 (``ips_timeline.csv``), dates as printed.

    An IPS end date before its start date is refused unless the errata record it
    (file ``ips_timeline.csv``, column ``ips_end``, that participant).
    """
    directory = _dir(directory)

    def dates_in_order(rows, name):
        excused = _recorded_errata(directory, "ips_timeline.csv", "ips_end")
        return [
            Fault(name, r["_line"], "ips_end", r["ips_end"].isoformat(),
                  f"is before ips_start {r['ips_start'].isoformat()} and no erratum in errata.csv records it "
                  "(rule: IPS ends on or after it starts)")
            for r in rows
            if r["ips_end"] < r["ips_start"] and r["participant"] not in excused
        ]

    return _read("ips_timeline", directory, dates_in_order)[0]


def load_sample(directory: Path | str | None = None) -> pd.DataFrame:
    """Facts about the sample as a whole (``sample.csv``), indexed by key."""
    return _read("sample", _dir(directory))[0].set_index("key")


def load_pain_conditions(directory: Path | str | None = None) -> pd.DataFrame:
    """The eight pain conditions (``pain_conditions.csv``)."""
    return _read("pain_conditions", _dir(directory))[0]


def load_followups(directory: Path | str | None = None) -> pd.DataFrame:
    """The follow-up schedule in months after inclusion (``followups.csv``)."""
    return _read("followups", _dir(directory))[0]


def load_ips_principles(directory: Path | str | None = None) -> pd.DataFrame:
    """The eight IPS principles and how the pilot applied them (``ips_principles.csv``)."""
    return _read("ips_principles", _dir(directory))[0]


def load_literature(directory: Path | str | None = None) -> pd.DataFrame:
    """Numbers cited from other work (``literature.csv``), indexed by key."""
    return _read("literature", _dir(directory))[0].set_index("key")


def load_published_numbers(directory: Path | str | None = None) -> pd.DataFrame:
    """Every number the article prints about its own study (``published_numbers.csv``)."""
    return _read("published_numbers", _dir(directory))[0]


def load_themes(directory: Path | str | None = None) -> pd.DataFrame:
    """The four themes of the qualitative analysis (``qualitative/themes.csv``)."""
    return _read("themes", _dir(directory))[0]


def load_subthemes(directory: Path | str | None = None) -> pd.DataFrame:
    """Subthemes and code groups of the qualitative analysis (``qualitative/subthemes.csv``)."""
    return _read("subthemes", _dir(directory))[0]


def load_quotes(directory: Path | str | None = None) -> pd.DataFrame:
    """Every quotation the article prints (``qualitative/quotes.csv``)."""
    return _read("quotes", _dir(directory))[0]


def load_findings(directory: Path | str | None = None) -> pd.DataFrame:
    """Experiences, helpful aspects and challenges with attributions and printed counts."""
    directory = _dir(directory)
    known = _key_values(directory, "participants", "participant")

    def participants_known(rows, name):
        return [Fault(name, r["_line"], "participants", r["participants"],
                      f"names participant {p!r}, who is not in participants.csv (rule: known participants)")
                for r in rows if r["participants"] for p in r["participants"].split(";") if p not in known]

    return _read("findings", directory, participants_known)[0]


def load_interview_guide(directory: Path | str | None = None) -> pd.DataFrame:
    """The interview guide's questions by group (``qualitative/interview_guide.csv``)."""
    return _read("interview_guide", _dir(directory))[0]


def load_coreq(directory: Path | str | None = None) -> pd.DataFrame:
    """The COREQ checklist and where the article reports each item (``coreq.csv``)."""
    return _read("coreq", _dir(directory))[0]


def load_all(directory: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Every dataset, validated; fails on the first file with a fault."""
    directory = _dir(directory)
    return {
        "participants": load_participants(directory),
        "clinical": load_clinical(directory),
        "ips_timeline": load_timeline(directory),
        "sample": load_sample(directory),
        "pain_conditions": load_pain_conditions(directory),
        "followups": load_followups(directory),
        "ips_principles": load_ips_principles(directory),
        "literature": load_literature(directory),
        "published_numbers": load_published_numbers(directory),
        "errata": load_errata(directory),
        "themes": load_themes(directory),
        "subthemes": load_subthemes(directory),
        "quotes": load_quotes(directory),
        "findings": load_findings(directory),
        "interview_guide": load_interview_guide(directory),
        "coreq": load_coreq(directory),
    }
