"""The human-readable data dictionary in ``data/README.md``, generated from the schema.

The part of the README between the markers is rewritten by
``python -m analysis dictionary --write`` and a test checks it is current.
"""

from __future__ import annotations

from pathlib import Path

from .data import schema
from .tables import data_dictionary

BEGIN = "<!-- data dictionary: generated from datapackage.json by `python -m analysis dictionary --write` -->"
END = "<!-- end of the generated data dictionary -->"


def markdown(directory: Path | str | None = None) -> str:
    """One section per resource: title, file, description and a table of fields."""
    parts = []
    for res in schema(directory)["resources"]:
        table = data_dictionary(res).reset_index()
        parts.append(f"### {res['title']}\n\n`{res['path']}`: {res['description']}\n\n"
                     + table.to_markdown(index=False, disable_numparse=True) + "\n")
    return "\n".join(parts)


def write_readme(readme: Path, directory: Path | str | None = None) -> bool:
    """Rewrite the generated part of ``readme``; returns whether it changed."""
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n\n{markdown(directory)}\n{END}{tail}"
    readme.write_text(new, encoding="utf-8")
    return new != text
