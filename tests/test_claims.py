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
