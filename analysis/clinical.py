"""Clinical characteristics (Table 1): descriptive statistics and clinical bands."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Table 1 measures in the article's order, with the labels the report uses.
MEASURES = {
    "odi": "ODI disability (%)",
    "pain_intensity": "Pain intensity (NRS 0-10)",
    "pain_bothersomeness": "Pain bothersomeness (NRS 0-10)",
    "health_thermometer": "Health thermometer (0-100)",
    "hscl_total": "HSCL-25 total (1-4)",
    "hscl_anxiety": "HSCL-25 anxiety (1-4)",
    "hscl_depression": "HSCL-25 depression (1-4)",
}

#: The range of each Table 1 measure's scale (the x-axis of the figures, the top of the last band).
SCALES = {"odi": (0, 100), "pain_intensity": (0, 10), "pain_bothersomeness": (0, 10),
          "health_thermometer": (0, 100), "hscl_total": (1, 4), "hscl_anxiety": (1, 4), "hscl_depression": (1, 4)}

#: Which set of bands in ``literature.csv`` applies to which measure.
BANDS_FOR = {
    "odi": "odi_bands",
    "pain_intensity": "nrs_bands_serlin",
    "pain_bothersomeness": "nrs_bands_serlin",
}


def describe(clinical: pd.DataFrame) -> pd.DataFrame:
    """n, missing, mean, SD (n - 1), median, min and max of each Table 1 measure.

    Missing values are left out of every statistic and counted in ``missing``.
    """
    values = clinical[list(MEASURES)].astype("float64")
    table = pd.DataFrame({
        "n": values.count(),
        "missing": values.isna().sum(),
        "mean": values.mean(),
        "sd": values.std(ddof=1),
        "median": values.median(),
        "min": values.min(),
        "max": values.max(),
    })
    table.index.name = "measure"
    return table


def bands(literature: pd.DataFrame, group: str, scale_max: float) -> pd.DataFrame:
    """The bands of one group in ``literature.csv`` as label, lower and upper bounds.

    Each band runs from its lower bound to the next band's lower bound
    (exclusive); the last runs to ``scale_max`` (inclusive).
    """
    rows = literature[literature["group"] == group].sort_values("value")
    if rows.empty:
        raise KeyError(f"no bands of group {group!r} in literature.csv")
    lower = rows["value"].to_numpy(dtype=float)
    upper = np.append(lower[1:], float(scale_max))
    return pd.DataFrame({"label": rows["label"].to_numpy(), "lower": lower, "upper": upper,
                         "citation": rows["citation"].to_numpy()})


def classify(values: pd.Series, band_table: pd.DataFrame) -> pd.Series:
    """The band of each value (NA where the value is missing)."""
    edges = list(band_table["lower"]) + [band_table["upper"].iloc[-1]]
    labels = pd.cut(values.astype("float64"), bins=edges, labels=list(band_table["label"]),
                    right=False, include_lowest=True)
    # The top of the scale belongs to the last band.
    at_top = values.astype("float64") == edges[-1]
    labels = labels.astype("object").where(~at_top, band_table["label"].iloc[-1])
    return labels.astype("string")


def band_counts(values: pd.Series, band_table: pd.DataFrame) -> pd.Series:
    """How many values fall in each band, every band listed, in band order."""
    return classify(values, band_table).value_counts().reindex(band_table["label"], fill_value=0).astype(int)


def n_at_or_above(values: pd.Series, cutoff: float) -> int:
    """How many non-missing values are at or above ``cutoff``."""
    return int((values.dropna().astype("float64") >= cutoff).sum())
