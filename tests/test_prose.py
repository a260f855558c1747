"""No number is typed into the chapters' prose: digits come from glue, citations or references."""

import re

import pytest

from reportbuild import notebooks

ROLES = re.compile(r"\{(glue|glue:text|glue:any|glue:md|cite|cite:p|cite:t|numref|ref|doc|eq)\}`[^`]*`")
CODE = re.compile(r"```.*?```|`[^`]*`", re.S)
LABEL = re.compile(r"^\([\w-]+\)=$", re.M)
LIST_MARKER = re.compile(r"^\s*\d+\.\s", re.M)
#: Names that contain digits but are not numbers.
ALLOWED = re.compile(r"HSCL-25|EQ-5D|\bP[1-9]\b|\bE\d{2}\b|\bTables? [12]\b|\bTables [12] and [12]\b")


def _prose(path):
    for index, cell in enumerate(notebooks.read(path).cells):
        if cell.cell_type == "markdown":
            yield index, cell.source
        figure = cell.metadata.get("mystnb", {})
        if "figure" in figure:
            yield index, figure["figure"]["caption"]
            yield index, figure["image"]["alt"]


def stray_digits(text: str) -> list[str]:
    """Digits left after removing roles, code, labels and allowed names."""
    for pattern in (ROLES, CODE, LABEL, LIST_MARKER, ALLOWED):
        text = pattern.sub(" ", text)
    return re.findall(r"\S*\d\S*", text)


def test_the_check_catches_a_typed_number():
    assert stray_digits("The rate was 38% ({numref}`fig-x`).") == ["38%"]
    assert stray_digits("The rate was {glue:text}`rate:.0%` {cite:p}`bond2012`; HSCL-25 and P4, erratum E02.") == []


@pytest.mark.parametrize("path", notebooks.chapters(), ids=lambda p: p.name)
def test_no_typed_numbers(path):
    found = [(i, d) for i, text in _prose(path) for d in stray_digits(text)]
    assert found == [], f"{path.name}: typed numbers in cells {found}"


# --- words ---------------------------------------------------------------------------------------
#: Counts in words ("one" is left out: it is as often a pronoun or an article as a count).
NUMBER_WORDS = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
                          r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred|thousand"
                          r"|twice|dozen)\b", re.I)
#: Words that claim a share of the participants or of the data.
QUANTIFIERS = re.compile(r"\b(?:nobody|no one|none|most|mostly|several|(?<!a )few|(?<!how )many|majority|minority"
                         r"|all but)\b", re.I)
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
ARTICLE_LINK = re.compile(r"\{article\}`")
#: Number words the article uses for facts that are not in the data: the study's protocol and
#: the article's own structure. Each is checked against the passage its sentence links to.
ARTICLE_WORDS = {
    "background": ["one of two traditions"],
    "clinical-characteristics": [],
    # the arithmetic of rounded means, whatever the data: each subscale mean allows one or two totals
    "data-audit": ["one or two totals"],
    # the later trial's follow-up, a fact of the literature
    "employment-outcomes": ["within twelve months"],
    # about the build, not the data
    "environment": ["two builds of one commit"],
    "methods": ["one modification", "two other employment specialists", "one or two physicians",
                "at least two professions", "every other week to once a month", "One investigator",
                "and three (LR, SER and TML)", "four steps", "the most salient"],
    "qualitative-themes": ["two kinds", "one the consistent focus", "One participant (P2)", "one participant (P2)",
                           "one participant (P8)", "for another (P2)", "two interventions at once", "reads the two",
                           "those under the first two"],
    # the label of a basis (analysis.verification.NO_BASIS)
    "verification": ["**none**"],
}


def word_problems(name: str, text: str) -> list[str]:
    """Typed number words anywhere, and quantifiers in sentences that are this report's own
    (no link to the article), outside quotation marks, roles and code."""
    problems = []
    for line in text.splitlines():
        plain = line
        for pattern in (ROLES, CODE, QUOTED, LABEL, LIST_MARKER):
            plain = pattern.sub(" ", plain)
        for phrase in ARTICLE_WORDS.get(name, []):
            plain = plain.replace(phrase, " ")
        problems += [f"number word {w!r} in: {line.strip()[:90]}" for w in NUMBER_WORDS.findall(plain)]
        if not ARTICLE_LINK.search(line):
            problems += [f"quantifier {w!r} in this report's own sentence: {line.strip()[:90]}"
                         for w in QUANTIFIERS.findall(plain)]
    return problems


def test_the_check_catches_typed_number_words_and_quantifiers():
    assert word_problems("x", "Nobody had started a job by three months.") == [
        "number word 'three' in: Nobody had started a job by three months.",
        "quantifier 'Nobody' in this report's own sentence: Nobody had started a job by three months."]
    assert word_problems("x", "{glue:text}`employment_timing` by {glue:text}`month_3_words` months.") == []
    assert word_problems("x", 'Most were positive {article}`p069`, "seven of eight".') == []


@pytest.mark.parametrize("path", notebooks.chapters(), ids=lambda p: p.name)
def test_no_typed_number_words_or_unlinked_quantifiers(path):
    found = [p for _, text in _prose(path) for p in word_problems(path.stem, text)]
    assert found == [], f"{path.name}:\n" + "\n".join(found)


def test_every_allowed_phrase_is_still_in_its_chapter():
    sources = {path.stem: "\n".join(text for _, text in _prose(path)) for path in notebooks.chapters()}
    stale = [(name, phrase) for name, phrases in ARTICLE_WORDS.items() for phrase in phrases
             if phrase not in sources[name]]
    assert stale == []
