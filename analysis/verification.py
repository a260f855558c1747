"""Verify every number the article prints about its own study against the report's value.

Each row of ``published_numbers.csv`` names the quantity it prints: a key of
the registry, or a cell of a data table written ``table:participant:column``.
The printed value is compared with the recomputed one at the precision it was
printed with.
"""

from __future__ import annotations

import re

import pandas as pd

REPRODUCED, DIFFERS, NOT_COMPUTABLE = "reproduced", "differs", "not computable"
_ERRATUM = re.compile(r"\bE\d{2}\b")


def printed_decimals(printed: str, unit: str) -> int:
    """Decimals the article printed: from a decimal number in the text, or a whole percent."""
    decimal = re.search(r"\d[.,](\d+)", printed)
    if decimal:
        return len(decimal.group(1))
    return 2 if unit == "proportion" and "%" in printed else 0


def _cell(reference: str, data: dict[str, pd.DataFrame]):
    table, participant, column = reference.split(":")
    frame = data[table].set_index("participant")
    if participant not in frame.index or column not in frame.columns:
        return None
    value = frame.loc[participant, column]
    return None if pd.isna(value) else float(value)


def recompute(key: str, numbers: dict, data: dict[str, pd.DataFrame]) -> float | None:
    """The report's value for a registry key or a cell reference; None if it has none."""
    if not isinstance(key, str) or not key:
        return None
    if key.count(":") == 2:
        return _cell(key, data)
    return float(numbers[key].value) if key in numbers else None


def verify(published: pd.DataFrame, numbers: dict, data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per printed number: printed, recomputed, status and explanation."""
    rows = []
    for _, row in published.iterrows():
        value = recompute(row["registry_key"], numbers, data)
        note = "" if pd.isna(row["note"]) else row["note"]
        if value is None:
            status = NOT_COMPUTABLE
            why = note or (f"'{row['registry_key']}' is not computed by the report yet"
                           if isinstance(row["registry_key"], str) else "no quantity named")
        else:
            tolerance = 0.5 * 10 ** -printed_decimals(row["printed"], row["unit"]) + 1e-9
            ok = abs(value - row["value"]) <= tolerance
            status = REPRODUCED if ok else DIFFERS
            why = note if not ok or note else ""
            if not ok and not _ERRATUM.search(note):
                why = (note + " " if note else "") + "No erratum explains this difference."
        rows.append({"id": row["id"], "location": row["location"], "printed": row["printed"],
                     "printed_value": row["value"], "recomputed": value, "status": status, "explanation": why})
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame) -> dict[str, int]:
    counts = table["status"].value_counts()
    return {"n_published": len(table), "n_reproduced": int(counts.get(REPRODUCED, 0)),
            "n_differs": int(counts.get(DIFFERS, 0)), "n_not_computable": int(counts.get(NOT_COMPUTABLE, 0))}
