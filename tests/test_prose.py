"""No number is typed into the chapters' prose, and every word that depends on the data is checked.

Digits come from glue, citations or references. A number word or a quantifier
("nobody", "most") that depends on the data stands in a sentence a claim
vouches for (a ``{claim}`` directive after the paragraph, whose words are part
of the sentence), in a sentence that links to the article (the article's own
quantifier), in quotation marks, or in the protocol's fixed words ("three
months") listed below.
"""

import re

import pytest

from reportbuild import notebooks

ROLES = re.compile(r"\{(glue|glue:text|glue:any|glue:md|cite|cite:p|cite:t|numref|ref|doc|eq|article)\}`[^`]*`")
CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
CLAIM = re.compile(r"^```\{claim\}[^\n]*\n(.*?)^```", re.S | re.M)
LABEL = re.compile(r"^\([\w-]+\)=$", re.M)
LIST_MARKER = re.compile(r"^\s*\d+\.\s", re.M)
#: Names that contain digits but are not numbers.
ALLOWED = re.compile(r"HSCL-25|EQ-5D|\bP[1-9]\b|\bE\d{2}\b|\bTables [12] and [12]\b|\bTables? [12]\b")
#: The article's own words, in quotation marks: its printed numbers, not the data's.
QUOTED_DIGITS = re.compile(r"\"[^\"]*\"")


def _prose(path):
    for index, cell in enumerate(notebooks.read(path).cells):
        if cell.cell_type == "markdown":
            yield index, cell.source
        figure = cell.metadata.get("mystnb", {})
        if "figure" in figure:
            yield index, figure["figure"]["caption"]
            yield index, figure["image"]["alt"]
        if "table" in cell.metadata:
            yield index, cell.metadata["table"]["caption"]


def stray_digits(text: str) -> list[str]:
    """Digits left after removing roles, code, labels and allowed names."""
    for pattern in (ROLES, CODE, LABEL, LIST_MARKER, QUOTED_DIGITS, ALLOWED):
        text = pattern.sub(" ", text)
    return re.findall(r"\S*\d\S*", text)


def test_the_check_catches_a_typed_number():
    assert stray_digits("The rate was 38% ({numref}`fig-x`).") == ["38%"]
    assert stray_digits("The rate was {glue}`rate` {cite:p}`bond2012` {article}`57`; HSCL-25 and P4, erratum E02.") == []


@pytest.mark.parametrize("path", notebooks.chapters(), ids=lambda p: p.name)
def test_no_typed_numbers(path):
    found = [(i, d) for i, text in _prose(path) for d in stray_digits(text)]
    assert found == [], f"{path.name}: typed numbers in cells {found}"


# --- words ---------------------------------------------------------------------------------------
#: Counts in words ("one" is left out: it is as often a pronoun or an article as a count).
NUMBER_WORDS = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
                          r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred|thousand"
                          r"|twice|dozen|half)\b", re.I)
#: Words that claim a share of the participants or of the data.
QUANTIFIERS = re.compile(r"\b(?:nobody|no one|none|most|mostly|several|(?<!a )few|(?<!how )many|majority|minority"
                         r"|all but)\b", re.I)
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
ARTICLE_LINK = re.compile(r"\{article\}`")
#: The protocol's schedule and the study's design, fixed whatever the data: written as words.
PROTOCOL = re.compile(r"\b(?:(?:three|six|nine|twelve)(?:,| and| or)? )+(?:more )?months?\b"
                      r"|\bbetween six and twelve months\b|\bbaseline and at three, six and twelve months\b"
                      r"|\bby (?:three|six|twelve)\b|\b(?:three|six|twelve)-month\b|\bhalf up\b", re.I)
#: Number words the article uses for facts that are not in the data: the study's protocol and
#: the article's own structure. Each is checked against the passage its sentence links to.
ARTICLE_WORDS = {
    "background": ["one of two traditions"],
    # the arithmetic of rounded means, whatever the data: each subscale mean allows one or two totals
    "data-audit": ["one or two totals"],
    # about the build, not the data
    "environment": ["two builds of one commit"],
    "methods": ["one modification", "two other employment specialists", "one or two physicians",
                "at least two professions", "every other week to once a month", "One investigator",
                "and three (LR, SER and TML)", "four steps", "the most salient", "two went abroad",
                "the low number"],
    "qualitative-themes": ["one the consistent focus", "One participant (P2)",
                           "one participant (P8)", "for another (P2)",
                           "two interventions at once", "those under the first two", "one of whom (P2)",
                           "One participant (P8)",
                           # the Limitations' account (E38), which no row of the data holds (E26)
                           "two participants were abroad"],
    # the article's three reasons, a fact of the article's Discussion, not of the data
    # ... and the later trial's design, from its abstract
    "employment-outcomes": ["three reasons", "its two-year follow-up"],
    # the label of a basis (analysis.verification.NO_BASIS)
    "verification": ["**none**"],
}


def vouched(text: str) -> list[str]:
    """The words each claim of a cell vouches for (the content of its ``{claim}`` directives)."""
    return [" ".join(m.group(1).split()) for m in CLAIM.finditer(text)]


def word_problems(name: str, text: str, phrases: list[str] | None = None) -> list[str]:
    """Typed number words and quantifiers outside a vouched sentence (``phrases``: the words the
    chapter's claims vouch for), a link to the article (for a quantifier), quotation marks, roles,
    code, headings or the protocol's words."""
    phrases = vouched(text) if phrases is None else phrases
    problems = []
    for line in CLAIM.sub("", text).splitlines():
        if line.lstrip().startswith("#"):  # a heading (a resource's title, from the data's descriptor)
            continue
        folded = " ".join(line.split()).replace("’", "'")
        if any(phrase and phrase in folded for phrase in phrases):
            continue
        plain = line
        for pattern in (ROLES, CODE, QUOTED, LABEL, LIST_MARKER, PROTOCOL):
            plain = pattern.sub(" ", plain)
        for phrase in ARTICLE_WORDS.get(name, []):
            plain = plain.replace(phrase, " ")
        problems += [f"number word {w!r} in: {line.strip()[:90]}" for w in NUMBER_WORDS.findall(plain)]
        if not ARTICLE_LINK.search(line):
            problems += [f"quantifier {w!r} in this report's own sentence: {line.strip()[:90]}"
                         for w in QUANTIFIERS.findall(plain)]
    return problems


def test_the_check_catches_typed_number_words_and_quantifiers():
    assert word_problems("x", "Nobody had started a job by then, and two had by the end.") == [
        "number word 'two' in: Nobody had started a job by then, and two had by the end.",
        "quantifier 'Nobody' in this report's own sentence: Nobody had started a job by then, and two had by "
        "the end."]
    assert word_problems("x", "Nobody had a job by three months.\n\n```{claim} n_employed_3m == 0\n"
                              "Nobody had a job\n```\n") == []
    assert word_problems("x", 'Most were positive {article}`69`, "seven of eight".') == []
    assert word_problems("x", "IPS was planned for three months, and nine more months for some.") == []


@pytest.mark.parametrize("path", notebooks.chapters(), ids=lambda p: p.name)
def test_no_unchecked_number_words_or_quantifiers(path):
    phrases = [phrase for _, text in _prose(path) for phrase in vouched(text)]  # a claim may follow a figure
    found = [p for _, text in _prose(path) for p in word_problems(path.stem, text, phrases)]
    assert found == [], f"{path.name}:\n" + "\n".join(found)


def test_every_allowed_phrase_is_still_in_its_chapter():
    sources = {path.stem: "\n".join(text for _, text in _prose(path)) for path in notebooks.chapters()}
    stale = [(name, phrase) for name, phrases in ARTICLE_WORDS.items() for phrase in phrases
             if phrase not in sources[name]]
    assert stale == []


# --- the article's links, and the sentences around them ----------------------------------------------------------
@pytest.mark.parametrize("path", notebooks.chapters(), ids=lambda p: p.name)
def test_at_most_one_article_link_per_sentence(path):
    """One sentence per line: a line links to the article at most once (the reader sees one mark)."""
    crowded = [line.strip()[:90] for _, text in _prose(path) for line in text.splitlines()
               if len(ARTICLE_LINK.findall(line)) > 1]
    assert crowded == []


@pytest.mark.parametrize("path", notebooks.chapters(), ids=lambda p: p.name)
def test_no_sentence_is_generated(path):
    """A chapter glues numbers and words, never a clause: no glued key names a clause or a sentence."""
    keys = re.findall(r"\{glue\}`([A-Za-z0-9_]+)`", path.read_text(encoding="utf-8"))
    assert [k for k in keys if k.endswith(("_clause", "_sentence", "_timing", "_certainty"))] == []
