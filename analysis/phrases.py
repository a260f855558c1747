"""The words of the prose that depend on the data: counts in words, pronouns and lists of participants.

Only words, never sentences: every sentence a reader sees is written in a
chapter, where an author edits it, and a sentence that holds only for some data
carries a claim beside it (:mod:`reportbuild.sphinx_prose`). :func:`words`
takes the results being computed (:mod:`analysis.outputs`: an object with
``numbers``, ``data`` and ``links``) and returns ``{key: word}``, glued by every
chapter with the numbers (``{glue}`n_themes_words```).
"""

from __future__ import annotations

from .wording import COUNTS_OF_SAMPLE, count_of, in_words, listing, pronouns

#: Counts the prose writes in words ("four main themes"): key -> the registry number.
IN_WORDS = ("n_participants", "n_ips_principles", "n_themes", "n_helpful_aspects", "n_challenges",
            "n_coreq_domains", "lit_hscl25_anxiety_items", "lit_hscl25_depression_items", "hscl_scale_points",
            "n_single_word_quotes")


def _value(numbers: dict, key: str):
    return numbers[key].value


def words(c) -> dict[str, str]:
    """Every word of the prose that depends on the data, by key."""
    numbers, data = c.numbers, c.data
    n = _value(numbers, "n_participants")
    found = {f"{key}_words": in_words(_value(numbers, key)) for key in IN_WORDS if key in numbers}
    found |= {f"{key}_words": count_of(_value(numbers, key), n) for key in COUNTS_OF_SAMPLE}

    participants = data["participants"]
    dropouts = participants[participants["dropped_out"]]
    subject, possessive, object_ = pronouns(dropouts["sex"].where(dropouts["sex"].notna(), None))
    found |= {"dropout_subject": subject, "dropout_possessive": possessive, "dropout_object": object_}

    links = c.links
    found["employed_participants"] = listing(links.index[links["employed_12m"]])
    found["unquoted_participants"] = listing(links.index[links["quotations"] == 0])
    found["dropout_participants"] = listing(links.index[links["dropped_out"]])
    quotes = data["quotes"]
    found["single_word_quotes"] = listing('"' + text + '"' for text in quotes[~quotes["text"].str.contains(r"\s")]["text"])
    coreq = data["coreq"]
    found["coreq_not_reported"] = listing(coreq[coreq["status"] == "not reported"]["name"].str.lower())
    found["coreq_partly_reported"] = listing(coreq[coreq["status"] == "partly reported"]["name"].str.lower())
    return found
