"""Analysis package of the executable report on the IPS pilot for chronic pain.

Chapters import from here; every number, table and figure of the report is
computed by a function of this package from the data package in ``data/``.

The loaders below are imported on first use, so that ``import analysis.paths``
(which the build scripts run) does not import pandas.
"""

from __future__ import annotations

import importlib

_FROM_DATA = ["load_all", "load_clinical", "load_errata", "load_followups", "load_ips_principles",
              "load_literature", "load_pain_conditions", "load_participants", "load_published_numbers",
              "load_sample", "load_timeline"]

__all__ = ["DataValidationError", *_FROM_DATA]


def __getattr__(name: str):
    if name in _FROM_DATA:
        return getattr(importlib.import_module(".data", __name__), name)
    if name == "DataValidationError":
        return importlib.import_module(".validation", __name__).DataValidationError
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
