"""Where everything lives. The one module that knows the project's layout."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BOOK_DIR = PROJECT_ROOT / "book"
#: The published record: executed chapters and every named number (``make execute``).
RECORD_DIR = PROJECT_ROOT / "record"
STYLE_FILE = Path(__file__).resolve().parent / "report.mplstyle"

#: Environment variable that points the whole report at another data directory
#: with the same schema (``make report DATA=path`` sets it).
DATA_ENV = "IPS_REPORT_DATA"


def data_dir() -> Path:
    """The data directory in force: ``$IPS_REPORT_DATA`` if set, else ``data/``."""
    return Path(os.environ.get(DATA_ENV, PROJECT_ROOT / "data")).resolve()


def label(path: Path) -> str:
    """A file's name for messages: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
