"""English for counts: number words, quantifiers, plurals and pronouns.

The rules the report's prose follows when a word depends on the data, so that
a sentence stays true when the data change ("nobody" only when the count is
zero, "most" only for more than half, "is" for one and "are" for more).
"""

from __future__ import annotations

from collections.abc import Iterable

WORDS = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen", "twenty"]


def in_words(n: int) -> str:
    """A count in words up to twenty ('seven'), as the article writes counts; digits beyond."""
    n = int(n)
    return WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"


def count_of(k: int, n: int) -> str:
    """'seven of eight', the article's way of giving a count out of the sample."""
    return f"{in_words(k)} of {in_words(n)}"


def listing(items: Iterable[str]) -> str:
    """'P2, P3 and P4'; 'none' for an empty list."""
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """The noun for a count: 'duration' for one, 'durations' otherwise."""
    return singular if int(n) == 1 else (plural_form or singular + "s")


def verb(n: int, singular: str, plural_form: str) -> str:
    """The verb agreeing with a count: verb(1, 'is', 'are') == 'is'; zero takes the plural."""
    return singular if int(n) == 1 else plural_form


def quantifier(k: int, n: int) -> str:
    """How many of n, in a word: 'none', 'one', 'all', 'all but one', 'most', 'half', 'a minority'.

    'most' means more than half; 'all but one' only when there are more than two.
    """
    k, n = int(k), int(n)
    if not 0 <= k <= n or n == 0:
        raise ValueError(f"a count of {k} out of {n} is impossible")
    if k == 0:
        return "none"
    if k == n:
        return "all"
    if k == n - 1 and n > 2:
        return "all but one"
    if 2 * k > n:
        return "most"
    if 2 * k == n:
        return "half"
    return "one" if k == 1 else "a minority"


def pronouns(sexes: Iterable[str | None]) -> tuple[str, str, str]:
    """Subject, possessive and object pronoun for the people named: ('she', 'her', 'her') for one
    woman, ('he', 'his', 'him') for one man, ('they', 'their', 'them') for several or an unknown sex."""
    sexes = list(sexes)
    if len(sexes) == 1 and sexes[0] == "female":
        return "she", "her", "her"
    if len(sexes) == 1 and sexes[0] == "male":
        return "he", "his", "him"
    return "they", "their", "them"


#: Counts the article writes in words out of the sample ("seven of eight").
COUNTS_OF_SAMPLE = ("n_positive_experience", "n_no_interference", "n_job_search_positive",
                    "n_education_challenge", "n_short_duration_challenge", "n_quoted_participants")
