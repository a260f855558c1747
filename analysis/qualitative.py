"""The qualitative analysis as data: quotations, findings, and their links to the numbers."""

from __future__ import annotations

import re

import pandas as pd

from .wording import count_of, in_words, listing  # noqa: F401  (counts in words, used by the chapters)


def normalise(text: str) -> str:
    """Text for verbatim comparison: whitespace folded, curly quotes and ellipses made plain."""
    text = text.replace("…", "...").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def quotes_not_in(article: str, quotes: pd.DataFrame) -> list[str]:
    """Identifiers of quotations that do not occur verbatim in the article text."""
    body = normalise(article)
    return [q for q, text in zip(quotes["quote"], quotes["text"]) if normalise(text) not in body]


def quote_matrix(quotes: pd.DataFrame, participants: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Quotations per participant (rows, every participant) and theme (columns, in article order)."""
    counts = pd.crosstab(quotes["participant"], quotes["theme"])
    order = themes.sort_values("number")["theme"]
    return counts.reindex(index=participants["participant"], columns=order, fill_value=0).astype(int)


def findings_of(findings: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One kind of finding with who the article names and how many it says."""
    rows = findings[findings["kind"] == kind]
    named = rows["participants"].fillna("").str.split(";").map(lambda ps: [p for p in ps if p])
    return pd.DataFrame({
        "finding": rows["finding"].to_numpy(),
        "label": rows["label"].to_numpy(),
        "named_participants": named.map(", ".join).replace("", "–").to_numpy(),
        "n_named": named.map(len).to_numpy(),
        "count_printed": rows["count_printed"].to_numpy(),
        "count": rows["count"].to_numpy(),
    })


def finding_count(findings: pd.DataFrame, finding: str) -> int:
    """The count the article prints for a finding; an error where it gives only a quantifier."""
    value = findings.set_index("finding").loc[finding, "count"]
    if pd.isna(value):
        raise ValueError(f"the article gives no count for finding {finding!r}")
    return int(value)


def participant_links(participants: pd.DataFrame, clinical: pd.DataFrame, status: pd.DataFrame,
                      quotes: pd.DataFrame, themes: pd.DataFrame, cutoff: float) -> pd.DataFrame:
    """Each participant's clinical profile and employment beside what they are quoted on."""
    matrix = quote_matrix(quotes, participants, themes)
    titles = themes.set_index("theme")["number"].astype(str)
    # theme numbers each participant is quoted under, joined column by column (no per-row loop)
    quoted_in = pd.Series("", index=matrix.index)
    for theme in matrix.columns:
        quoted_in = quoted_in.where(matrix[theme] == 0, quoted_in + ", " + titles[theme])
    quoted_in = quoted_in.str.lstrip(", ").replace("", "–")
    table = participants[["participant", "dropped_out"]].merge(
        clinical[["participant", "odi", "pain_intensity", "hscl_total"]], on="participant", how="left")
    table["hscl_case"] = table["hscl_total"] >= cutoff
    table["employed_12m"] = table["participant"].map(status[max(status.columns)])
    table["quotations"] = table["participant"].map(matrix.sum(axis=1))
    table["themes_quoted"] = table["participant"].map(quoted_in)
    return table.set_index("participant")
