"""Verify every number the article prints about its own study against the report's value.

Each row of ``published_numbers.csv`` names the quantity it prints: a key of
the registry, or a cell of a data table written ``table:participant:column``.
The printed value is compared with the recomputed one at the precision it was
printed with (a printed date must be the same date).

Each comparison has a basis, so that a reader can tell what was really checked:

``recomputed``
    the report derived the value from participant-level data or dates
    (Table 1, Table 2, the participants) and it matches the printed one;
``transcribed``
    the value is another transcription of the article (a table cell, a fact
    of the sample, a count of a printed list), so only the transcription is
    checked;
``inferred``
    the comparison rests on a reading recorded in the errata (the row's
    ``reading``);
``none``
    the report cannot compute the value.

A transcribed value that the data audit finds inconsistent with the article's
other numbers (an HSCL-25 total its subscales cannot give, a duration longer
than its dates) matches its transcription but is not reproduced: its status is
``inconsistent``.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

REPRODUCED, DIFFERS, INCONSISTENT, NOT_COMPUTABLE = "reproduced", "differs", "inconsistent", "not computable"
STATUSES = (DIFFERS, INCONSISTENT, NOT_COMPUTABLE, REPRODUCED)  # the order a reviewer reads them in
RECOMPUTED, TRANSCRIBED, INFERRED, NO_BASIS = "recomputed", "transcribed", "inferred", "none"
BASES = (RECOMPUTED, INFERRED, TRANSCRIBED, NO_BASIS)
_ERRATUM = re.compile(r"\bE\d{2}\b")


def printed_decimals(printed: str, unit: str) -> int:
    """Decimals the article printed: from a decimal number in the text, or a whole percent."""
    decimal = re.search(r"\d[.,](\d+)", printed)
    if decimal:
        return len(decimal.group(1))
    return 2 if unit == "proportion" and "%" in printed else 0


def _cell(reference: str, data: dict[str, pd.DataFrame], indexed: dict[str, pd.DataFrame]):
    table, participant, column = reference.split(":")
    if table not in indexed:
        indexed[table] = data[table].set_index("participant")
    frame = indexed[table]
    if participant not in frame.index or column not in frame.columns:
        return None
    value = frame.loc[participant, column]
    if pd.isna(value):
        return None
    return pd.Timestamp(value).date() if isinstance(value, (pd.Timestamp, dt.date)) else float(value)


def recompute(key: str, numbers: dict, data: dict[str, pd.DataFrame], indexed: dict | None = None):
    """The report's value for a registry key or a cell reference (a number or a date); None if it has none.

    ``indexed`` keeps the tables indexed by participant between calls on the same ``data``."""
    if not isinstance(key, str) or not key:
        return None
    if key.count(":") == 2:
        return _cell(key, data, {} if indexed is None else indexed)
    return float(numbers[key].value) if key in numbers else None


def _basis(row, numbers: dict, value) -> str:
    if value is None:
        return NO_BASIS
    if isinstance(row["reading"], str) and row["reading"]:
        return INFERRED
    if row["registry_key"].count(":") == 2:
        return TRANSCRIBED
    return getattr(numbers[row["registry_key"]], "basis", TRANSCRIBED)


def _printed_value(row):
    return row["date"].date() if isinstance(row["date"], pd.Timestamp) else float(row["value"])


def verify(published: pd.DataFrame, numbers: dict, data: dict[str, pd.DataFrame],
           inconsistent: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per printed number: printed, recomputed, status, basis and explanation.

    ``inconsistent``: the cells the data audit finds inconsistent, with their erratum
    (:func:`analysis.audit.inconsistent_cells`)."""
    inconsistent = inconsistent or {}
    rows = []
    indexed: dict[str, pd.DataFrame] = {}
    for _, row in published.iterrows():
        value = recompute(row["registry_key"], numbers, data, indexed)
        printed = _printed_value(row)
        note = "" if pd.isna(row["note"]) else row["note"]
        reading = row["reading"] if isinstance(row["reading"], str) else ""
        tolerance = None
        if value is None:
            status = NOT_COMPUTABLE
            why = note or (f"'{row['registry_key']}' is not computed by the report yet"
                           if isinstance(row["registry_key"], str) else "no quantity named")
        else:
            if isinstance(printed, dt.date):
                ok = value == printed
            else:
                tolerance = 0.5 * 10 ** -printed_decimals(row["printed"], row["unit"])
                ok = abs(value - printed) <= tolerance + 1e-9
            status = REPRODUCED if ok else DIFFERS
            why = note
            erratum = inconsistent.get(row["registry_key"])
            if ok and erratum and _basis(row, numbers, value) == TRANSCRIBED:
                status = INCONSISTENT
                why = (why + " " if why else "") + ("The transcription matches, but the data audit finds the printed "
                                                    f"value inconsistent with the article's other numbers (erratum "
                                                    f"{erratum}).")
            if reading and reading not in why:
                why = (why + " " if why else "") + f"Rests on the reading of erratum {reading}."
            if not ok and not _ERRATUM.search(why):
                why = (why + " " if why else "") + "No erratum explains this difference."
        rows.append({"id": row["id"], "location": row["location"], "anchor": row["anchor"], "printed": row["printed"],
                     "printed_value": printed, "recomputed": value, "tolerance": tolerance, "status": status,
                     "basis": _basis(row, numbers, value), "explanation": why.strip()})
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame) -> dict[str, int]:
    """Counts per status and per basis, named as the registry names them."""
    status = table["status"].value_counts()
    basis = table["basis"].value_counts()
    differing = table[table["status"] == DIFFERS]
    return {"n_published": len(table), "n_reproduced": int(status.get(REPRODUCED, 0)),
            "n_inconsistent": int(status.get(INCONSISTENT, 0)),
            "n_differs_explained": int(differing["explanation"].str.contains(_ERRATUM).sum()) if len(differing) else 0,
            "n_differs": int(status.get(DIFFERS, 0)), "n_not_computable": int(status.get(NOT_COMPUTABLE, 0)),
            "n_basis_recomputed": int(basis.get(RECOMPUTED, 0)), "n_basis_transcribed": int(basis.get(TRANSCRIBED, 0)),
            "n_basis_inferred": int(basis.get(INFERRED, 0))}


def summary_text(summary: dict[str, int]) -> str:
    """What the numbers' summary says (:func:`summary`): shown in the status appendix and a release's certificate."""
    from .wording import verb

    compared = summary["n_published"] - summary["n_not_computable"]
    return (f"{summary['n_reproduced']} of {summary['n_published']} numbers the article prints about its "
            f"own study are reproduced, {summary['n_differs']} {verb(summary['n_differs'], 'differs', 'differ')}, "
            f"{summary['n_inconsistent']} match their transcription but not the article's other numbers, and "
            f"{summary['n_not_computable']} cannot be computed from the published data. Of the {compared} compared, "
            f"{summary['n_basis_recomputed']} were recomputed from participant-level data or dates, "
            f"{summary['n_basis_transcribed']} checked against another transcription only, and "
            f"{summary['n_basis_inferred']} rest on an erratum's reading.")


def for_reviewers(table: pd.DataFrame) -> pd.DataFrame:
    """The table in the order a reviewer reads it: differing, then not computable, then reproduced."""
    order = {s: i for i, s in enumerate(STATUSES)}
    return table.sort_values("status", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def as_records(table: pd.DataFrame) -> list[dict]:
    """JSON-ready records: key, printed, recomputed, status, basis, anchor and the rest."""
    def plain(v):
        if isinstance(v, dt.date):
            return v.isoformat()
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return None
        return v
    return [{"key": r["id"], "printed": r["printed"], "printed_value": plain(r["printed_value"]),
             "recomputed": plain(r["recomputed"]), "tolerance": plain(r["tolerance"]), "status": r["status"],
             "basis": r["basis"], "anchor": r["anchor"], "location": r["location"], "explanation": r["explanation"]}
            for _, r in table.iterrows()]
