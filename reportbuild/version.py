"""The report's version stamp: version, commit and build date, from one source each.

- version: ``pyproject.toml`` (the only place it is written);
- commit: ``git rev-parse`` of the checkout, with ``+changes`` when the work
  tree differs from it (``+preview`` in the live preview, whatever the work tree's
  state, so that an author's first edit after a commit changes one page, not all);
- build date: ``SOURCE_DATE_EPOCH`` if set, else the commit's time; never the
  wall clock, so two builds of one commit carry the same date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import tomllib
from functools import lru_cache

from analysis.paths import PROJECT_ROOT, data_dir

PDF_BASENAME = "ips-chronic-pain-report"
#: Set by the live preview (reportbuild/preview.py): the pages are a preview of the work tree, never published.
PREVIEW_ENV = "IPS_REPORT_PREVIEW"


def citation() -> dict:
    """``CITATION.cff``: how to cite the report and the article (read here, for every part of the build)."""
    import yaml

    return yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


#: The report's licences (README.md, "Licence"), as every edition states them.
LICENCE = ("Text, figures and the data transcribed from the article: CC BY 4.0 (creativecommons.org/licenses/by/4.0);"
           " code: MIT. The article: © 2017 the authors, CC BY 4.0.")


def article_reference() -> str:
    """The article in one line: Rødevand L, Ljosaa TM, ... Title. Journal 2017;18:550. doi:..."""
    article = next(r for r in citation().get("references", []) if r.get("type") == "article")
    authors = ", ".join(f"{a['family-names']} {a.get('given-names', '').replace('.', '').replace(' ', '')}".strip()
                        for a in article["authors"])
    return (f"{authors}. {article['title']}. {article['journal']} {article['year']};"
            f"{article['volume']}:{article['start']}. doi:{article['doi']}")


def suggested_citation() -> str:
    """How to cite this version of the report."""
    cff = citation()
    authors = ", ".join(a.get("name") or f"{a['family-names']} {a.get('given-names', '')}".strip()
                        for a in cff["authors"])
    where = f" {cff['url']}." if cff.get("url") else ""
    return f"{authors}. {cff['title']}. Version {cited_version()}, {build_date().isoformat()}.{where}"


def cited_version() -> str:
    """The version a reader cites: a release's number on its own; on any other commit, the number
    with the commit and what it is, so that two different texts never cite alike."""
    from analysis.changes import head_is_release, releases

    if head_is_release() and not commit().endswith("+changes"):
        return version()
    state = "with changes after that release" if any(r[1] == version() for r in releases()) else "not yet released"
    return f"{version()} {state}, commit {commit()}"


def version() -> str:
    """The version in ``pyproject.toml``."""
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def _git(*args: str) -> str | None:
    try:
        run = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return run.stdout.strip()


@lru_cache(maxsize=1)
def commit() -> str:
    """Short hash of HEAD, marked ``+changes`` if tracked files differ from it (``+preview`` in
    the live preview); 'unknown' outside git."""
    head = _git("rev-parse", "--short=12", "HEAD")
    if head is None:
        return "unknown"
    if os.environ.get(PREVIEW_ENV):
        return head + "+preview"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return head + ("+changes" if dirty else "")


def build_epoch() -> int:
    """Seconds since the epoch of the build: SOURCE_DATE_EPOCH, else the commit time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    committed = _git("log", "-1", "--format=%ct")
    if committed:
        return int(committed)
    raise RuntimeError("no build date: set SOURCE_DATE_EPOCH (seconds since 1970) outside a git checkout")


def build_date() -> dt.date:
    return dt.datetime.fromtimestamp(build_epoch(), tz=dt.timezone.utc).date()


def is_synthetic() -> bool:
    """Whether the data package in force is a synthetic cohort.

    Its descriptor is read as JSON, not through analysis.data (pandas): every build
    has validated the data package before it asks (python -m analysis check-data)."""
    package = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8-sig"))  # as the validator reads it
    return isinstance(package, dict) and bool(package.get("synthetic"))


#: The two PDFs: the report (the study's sections and references) and its supplement (the appendices).
PDF_PARTS = ("report", "supplement")


def pdf_name(part: str = "report") -> str:
    """A PDF's file name; a synthetic cohort's PDF says so, so the two are never confused."""
    kind = "" if part == "report" else f"-{part}"
    return f"{PDF_BASENAME}-{version()}{kind}{'-SYNTHETIC' if is_synthetic() else ''}.pdf"


def stamp() -> dict[str, str]:
    """Everything a page, the PDF or build-info.json shows about the build."""
    return {"version": version(), "commit": commit(), "build_date": build_date().isoformat(),
            "year": str(build_date().year), "pdf": pdf_name(), "supplement_pdf": pdf_name("supplement")}
