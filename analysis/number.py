"""A named number of the report: its value, unit, format and where it comes from.

Light on purpose (no pandas): a chapter's kernel reads the registry's numbers from
the results file (:mod:`analysis.results`) without importing the analysis.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Number:
    key: str
    value: int | float
    unit: str
    fmt: str
    source: str
    printed: str | None = None
    #: "recomputed" when derived from participant-level data or dates, else "transcribed" (see analysis.verification)
    basis: str = "transcribed"

    @property
    def text(self) -> str:
        return format(self.value, self.fmt)

    def as_dict(self) -> dict:
        return asdict(self) | {"text": self.text}
