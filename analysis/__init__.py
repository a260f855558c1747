"""Analysis package of the executable report on the IPS pilot for chronic pain.

Chapters import from here; every number, table and figure of the report is
computed by a function of this package from the data package in ``data/``.
"""

from .data import (
    load_all,
    load_clinical,
    load_errata,
    load_followups,
    load_ips_principles,
    load_literature,
    load_pain_conditions,
    load_participants,
    load_published_numbers,
    load_sample,
    load_timeline,
)
from .validation import DataValidationError

__all__ = [
    "DataValidationError",
    "load_all",
    "load_clinical",
    "load_errata",
    "load_followups",
    "load_ips_principles",
    "load_literature",
    "load_pain_conditions",
    "load_participants",
    "load_published_numbers",
    "load_sample",
    "load_timeline",
]
