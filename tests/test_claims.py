"""analysis.claims: conditions read without eval, over the registry's names."""

import pytest

from analysis import claims
from analysis.number import Number

NUMBERS = {"n_employed_3m": Number("n_employed_3m", 0, "participants", "d", "x"),
           "n_employed_12m": Number("n_employed_12m", 3, "participants", "d", "x"), "low": 0.085, "high": 0.755}


@pytest.mark.parametrize("condition, holds", [
    ("n_employed_3m == 0", True),
    ("n_employed_12m > 3", False),
    ("high - low > 0.3", True),
    ("0 < n_employed_12m <= 3", True),
    ("0 < n_employed_12m < 3", False),
    ("not n_employed_3m", True),
    ("n_employed_3m == 0 and 2 * n_employed_12m > 8", False),
    ("n_employed_3m == 1 or n_employed_12m == 3", True),
    ("(n_employed_12m - 1) / 2 == 1", True),
])
def test_conditions(condition, holds):
    assert claims.check(condition, NUMBERS).holds is holds


def test_it_reports_every_value_it_read():
    checked = claims.check("n_employed_3m == 0 and high - low > 0.9", NUMBERS)
    assert not checked.holds and checked.values == {"n_employed_3m": 0, "high": 0.755, "low": 0.085}
    assert checked.values_text() == "n_employed_3m = 0, high = 0.755, low = 0.085"


@pytest.mark.parametrize("condition, message", [
    ("n_unknown > 1", "names 'n_unknown', which is not a number of the registry"),
    ("__import__('os')", "only numbers, registry keys"),
    ("n_employed_3m.value", "only numbers, registry keys"),
    ("n_employed_3m ==", "cannot read the condition"),
    ("'a' == 'a'", "only numbers, registry keys"),
])
def test_what_it_refuses(condition, message):
    with pytest.raises(claims.ClaimError, match=message.replace("(", r"\(").replace(")", r"\)")):
        claims.check(condition, NUMBERS)


def _paragraph():
    from docutils import nodes

    value = nodes.container("", nodes.container("", nodes.inline("", "3 of 8"), mime_type="x"),
                            nodes.container("", nodes.inline("", "3 of 8"), mime_type="text/plain"),
                            nb_element="mime_bundle")
    tip = nodes.inline("", "the passage's text", classes=["article-tip"])
    return nodes.paragraph("", "", nodes.Text("By the end, "), value, nodes.Text(" had a job"),
                           nodes.superscript("", "", nodes.inline("", "¶64"), tip),
                           nodes.Text(". Nobody had one by three months,\nand one by six. The rest did not."))


def test_a_claims_sentence_is_found_in_the_text_the_page_shows():
    from reportbuild.sphinx_prose import _sentence, _text

    paragraph = _paragraph()
    text = _text(paragraph)
    assert text.startswith("By the end, 3 of 8 had a job¶64. Nobody")  # one representation, no tooltip
    start, stop = _sentence(paragraph, "Nobody had one by three months, and one")
    assert text[start:stop] == "Nobody had one by three months,\nand one by six."
    assert _sentence(paragraph, "nowhere in it") is None


def test_a_false_claim_marks_its_sentence_and_gives_the_values():
    from reportbuild.sphinx_prose import _sentence, _wrap, _text

    paragraph = _paragraph()
    _wrap(paragraph, _sentence(paragraph, "Nobody had one"), claims.check("n_employed_3m == 1", NUMBERS))
    marked = [n for n in paragraph.children if "ips-claim-false" in getattr(n, "get", lambda *_: [])("classes", [])]
    assert len(marked) == 1 and _text(marked[0]) == "Nobody had one by three months,\nand one by six."
    assert _text(paragraph).endswith("and one by six. [not so in these data: n_employed_3m = 0] The rest did not.")
