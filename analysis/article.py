"""The source article as numbered passages: the anchors that the report's claims link to.

``data/source/article.txt`` is a plain-text extraction of the article, kept
unchanged. Its blank-line-separated blocks are numbered in order, ``p001`` to
``p166``; the numbers are stable because the file is raw data and never
edited. Each reference of the reference list also gets its own anchor, ``r01``
to ``r47``. Nothing here changes a character of the text: a block's ``text``
is the file's, and its ``kind`` only says how to lay it out.

The copy the file was taken from is a web page: it carries the page's navigation,
link labels after each reference ("[DOI] [PubMed] [Google Scholar]") and the
authors' personal contact details. The report's reprint leaves these out
(:func:`left_out`, :func:`reprinted`); their anchors stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import PROJECT_ROOT

ARTICLE = PROJECT_ROOT / "data" / "source" / "article.txt"

_REFERENCE = re.compile(r"^\s*•\s*(\d+)\.(.*)$")
_BULLET = re.compile(r"^\s*•\s*")
#: First line of a table's body as the extraction prints it.
_TABLE_HEADER = re.compile(r"^Participant ")


#: The web page's link labels after a reference, which are not part of the article.
_SITE_LINKS = re.compile(r"(?:\s*\[(?:DOI|PubMed|PMC free article|Google Scholar)\])+")
#: Lines of the copy that are the web page's navigation.
_NAVIGATION = re.compile(r"^(Skip to main content|.* logoLink to .*)\n", re.M)
#: A block that is an author's personal contact details.
_CONTACT = re.compile(r"^[^,\n]+, (Phone: [^,\n]+, )?Email: \S+@\S+$")


@dataclass(frozen=True)
class Block:
    """One passage of the article."""

    anchor: str  # p001, p002, ... in the order of the file
    kind: str  # heading, paragraph, bullet, table, references, term or definition (the abbreviations)
    text: str  # exactly as in the file

    @property
    def number(self) -> int:
        return int(self.anchor[1:])


@dataclass(frozen=True)
class Reference:
    anchor: str  # r01, r02, ...
    number: int
    text: str  # the reference as printed, without its number


def _kind(text: str) -> str:
    if _REFERENCE.match(text.splitlines()[0]) and len(text.splitlines()) > 1:
        return "references"
    if _TABLE_HEADER.match(text) and "\n" in text:
        return "table"
    if _BULLET.match(text):
        return "bullet"
    single_line = "\n" not in text
    if single_line and len(text) <= 60 and not text.rstrip().endswith((".", ":", ",", ";")):
        return "heading"
    return "paragraph"


def _kinds(chunks: list[str]) -> list[str]:
    """Each block's layout; the list of abbreviations (term, then definition) is a list, not headings."""
    kinds = [_kind(text) for text in chunks]
    in_abbreviations = False
    for i, text in enumerate(chunks):
        if text.strip() == "Abbreviations":
            in_abbreviations, position = True, 0
            continue
        # a term is followed by its (short) definition; a heading followed by a paragraph ends the list
        followed_by_short = i + 1 < len(kinds) and kinds[i + 1] == "heading"
        if in_abbreviations and kinds[i] == "heading" and (position % 2 == 1 or followed_by_short):
            kinds[i] = "term" if position % 2 == 0 else "definition"
            position += 1
        elif in_abbreviations:
            in_abbreviations = False
        if kinds[i] == "heading" and ("Email:" in text or text.strip().isdigit()):
            kinds[i] = "paragraph"  # contributors' addresses and a footnote's number are not headings
    return kinds


@lru_cache(maxsize=4)
def _read(path: Path) -> tuple[Block, ...]:
    chunks = [c.strip("\n") for c in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8"))]
    chunks = [c for c in chunks if c.strip()]
    return tuple(Block(f"p{i:03d}", kind, text) for i, (kind, text) in enumerate(zip(_kinds(chunks), chunks), start=1))


def blocks(path: Path = ARTICLE) -> tuple[Block, ...]:
    """Every passage of the article, in order."""
    return _read(Path(path))


def references(path: Path = ARTICLE) -> tuple[Reference, ...]:
    """The numbered reference list, one anchor per reference."""
    out = []
    for block in blocks(path):
        if block.kind != "references":
            continue
        for line in block.text.splitlines():
            match = _REFERENCE.match(line)
            if match:
                out.append(Reference(f"r{int(match.group(1)):02d}", int(match.group(1)), match.group(2).strip()))
    return tuple(out)


def anchors(path: Path = ARTICLE) -> set[str]:
    """Every anchor a claim can link to."""
    return {b.anchor for b in blocks(path)} | {r.anchor for r in references(path)}


def passage(anchor: str, path: Path = ARTICLE) -> str:
    """The text behind an anchor; a KeyError names an anchor that does not exist."""
    for block in blocks(path):
        if block.anchor == anchor:
            return block.text
    for ref in references(path):
        if ref.anchor == anchor:
            return ref.text
    raise KeyError(f"no passage {anchor!r} in {path.name} (anchors p001–p{len(blocks(path)):03d}, r01–r{len(references(path)):02d})")


def left_out(block: Block) -> bool:
    """Whether the reprint leaves a block out: an author's personal contact details."""
    return bool(_CONTACT.match(block.text.strip()))


def reprinted(text: str) -> str:
    """A passage or reference as the reprint shows it: without the web page's navigation lines
    and link labels."""
    return _SITE_LINKS.sub("", _NAVIGATION.sub("", text))


def table_rows(block: Block) -> tuple[list[str], list[list[str]]]:
    """A table as printed: the header lines joined, then one row per printed line (its first
    token, the participant, and the rest of the line exactly as printed; empty cells collapsed)."""
    lines = block.text.splitlines()
    body_start = next(i for i, line in enumerate(lines) if i > 0 and re.match(r"^\d+\s", line))
    header = " ".join(lines[:body_start])
    first, _, rest = header.partition(" ")
    rows = [line.split(" ", 1) for line in lines[body_start:]]
    return [first, rest], [[r[0], r[1] if len(r) > 1 else ""] for r in rows]
