"""The published record of every named number, and which numbers a data or code change moved.

``record/numbers.json`` holds the registry as the report last published it
(``make execute`` writes it). Comparing the freshly computed registry with it
names each number that changed, with its published and its new value and the
chapters that show it, which is what a reviewer needs when a re-execution
disagrees. Counts compare exactly; rounded values compare at the precision the
report prints them with (their format).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .paths import BOOK_DIR, RECORD_DIR

RECORD = RECORD_DIR / "numbers.json"


@dataclass(frozen=True)
class Change:
    key: str
    published: str | None  # the text as published; None for a number that is new
    now: str | None  # the text as computed now; None for a number that is gone
    chapters: tuple[str, ...]

    def __str__(self) -> str:
        shown = f" (shown in {', '.join(self.chapters)})" if self.chapters else " (not shown in any chapter)"
        if self.published is None:
            return f"{self.key}: new, now {self.now}{shown}"
        if self.now is None:
            return f"{self.key}: published {self.published}, now gone{shown}"
        return f"{self.key}: published {self.published}, now {self.now}{shown}"


def snapshot(numbers: dict) -> dict[str, dict]:
    """What the record keeps of each number: its value, its text as printed, unit and format."""
    return {key: {"value": n.value, "text": n.text, "unit": n.unit, "fmt": n.fmt} for key, n in sorted(numbers.items())}


def write(numbers: dict, path: Path = RECORD) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(snapshot(numbers), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read(path: Path = RECORD) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def chapters_showing(book: Path = BOOK_DIR) -> dict[str, tuple[str, ...]]:
    """For each number, the chapters (file names without extension) whose prose shows it: through its
    own ``{glue}`` reference, a group of numbers it is part of (:data:`analysis.registry.TEXTS`) or its
    count in words (``n_themes_words``)."""
    from .registry import TEXTS, text_keys

    shown: dict[str, set[str]] = {}
    for path in sorted(book.glob("*.md")):
        for key in set(re.findall(r"\{glue\}`([A-Za-z0-9_]+)`", path.read_text(encoding="utf-8"))):
            for number in text_keys(key) if key in TEXTS else [key.removesuffix("_words")]:
                shown.setdefault(number, set()).add(path.stem)
    return {key: tuple(sorted(names)) for key, names in shown.items()}


def changes(recorded: dict[str, dict], numbers: dict, book: Path = BOOK_DIR) -> list[Change]:
    """Every number whose printed text differs from the record, appeared or disappeared."""
    now = snapshot(numbers)
    where = chapters_showing(book)
    out = []
    for key in sorted(set(recorded) | set(now)):
        before, after = recorded.get(key, {}).get("text"), now.get(key, {}).get("text")
        if before != after:
            out.append(Change(key, before, after, where.get(key, ())))
    return out
