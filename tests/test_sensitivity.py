"""analysis.sensitivity: the headline results under every reading of the errata, worked out by hand
from Table 1, Table 2 and the errata."""

import pytest

from analysis import audit, load_all, registry, sensitivity


@pytest.fixture(scope="module")
def found():
    data = load_all()
    return sensitivity.analyse(data, registry.followup_months(data))


def test_this_reports_readings(found):
    chosen = found.results["chosen"]
    # Table 2, follow-ups from each inclusion: P2 (job 09.09.2015, included 24.04.2015) by 6 months;
    # P3 (11.01.2016) and P4 (25.04.2016, included 11.05.2015) by 12 months
    assert (chosen["employed_3m"], chosen["employed_6m"], chosen["employed_12m"]) == (0, 1, 3)
    # Clopper-Pearson for 3 of 8: 8.5% to 75.5%
    assert (chosen["rate_12m_ci_low"], chosen["rate_12m_ci_high"]) == (8.5, 75.5)
    # days in IPS / 30.4375: 0.69, 0.99, 1.45, 2.76, 10.25, 10.28, 11.24, 11.70 -> median (2.76 + 10.25) / 2
    assert chosen["ips_months_median"] == 6.5
    # Table 1: ODI 14, 14, 34, 40, 48, 52, 70 (P4 missing, E01) -> 40; HSCL totals at or above 1.75: six
    assert chosen["odi_median"] == 40 and chosen["hscl_cases"] == 6 and chosen["hscl_total_mean"] == 2.2


def test_the_study_calendar_of_erratum_e18(found):
    calendar = found.results["E18 study-calendar"]
    # follow-ups on 17.07.2015, 17.10.2015 and 17.04.2016: P2 by the second, P3 by the third, P4 (25.04.2016) not
    assert (calendar["employed_3m"], calendar["employed_6m"], calendar["employed_12m"]) == (0, 1, 2)
    # Clopper-Pearson for 2 of 8: 3.2% to 65.1%
    assert (calendar["rate_12m_ci_low"], calendar["rate_12m_ci_high"]) == (3.2, 65.1)
    assert calendar["extended_employed_12m"] == 1  # P3 only


def test_the_other_alternatives(found):
    # E02 as printed: P6 ends before inclusion and is not counted: median of the other seven is P2's 2.76
    assert (found.results["E02 as-printed"]["ips_months_median"], found.results["E02 as-printed"]["ips_months_counted"]) \
        == (2.8, 7)
    assert found.results["E05 three"]["extended"] == 3
    # E01 the other way round: ODI 4 joins the seven values, median (34 + 40) / 2; one pain score fewer
    odi = found.results["E01 odi-and-thermometer"]
    assert (odi["odi_median"], odi["pain_counted"], odi["severe_pain"]) == (37, 7, 5)
    # E07 nearest attainable totals 1.7, 2.4, 2.6, 1.8, 1.2, 2.6, 3.3, 1.6: five at or above 1.75, mean 17.2 / 8
    hscl = found.results["E07 nearest-attainable"]
    assert (hscl["hscl_cases"], hscl["hscl_total_mean"]) == (5, 2.15)


def test_which_results_and_conclusions_depend_on_a_reading(found):
    depending = found.depending()
    assert depending["employed_12m"] == ["E18"] and "employed_3m" not in depending and "employed_6m" not in depending
    assert depending["odi_median"] == ["E01"] and depending["hscl_cases"] == ["E07"] and depending["extended"] == ["E05"]
    overturned = found.failing()
    assert {label for _, label in overturned} == {"E18 study-calendar"}
    assert len(overturned) == 2  # the count of three by 12 months, and two of the extended group


def test_readings_gather_their_values():
    data = load_all()
    found = {r.label: r for r in sensitivity.readings(data["readings"])}
    odi = found["E01 odi-and-thermometer"]
    assert not odi.chosen and dict(odi.sets) == {"clinical:P4:odi": "4", "clinical:P4:health_thermometer": "4",
                                                 "clinical:P4:pain_intensity": None,
                                                 "clinical:P4:pain_bothersomeness": None}
    assert found["E18 each-inclusion"].chosen and odi.description.startswith("P4's two integers")


def test_the_nearest_attainable_totals_are_the_audits():
    data = load_all()
    clinical = data["clinical"].set_index("participant")
    reading = next(r for r in sensitivity.readings(data["readings"]) if r.label == "E07 nearest-attainable")
    for target, value in reading.sets:
        participant = target.split(":")[1]
        row = clinical.loc[participant]
        attainable = audit.hscl_attainable_totals(row["hscl_anxiety"], row["hscl_depression"])
        assert float(value) == min(attainable, key=lambda t: abs(t - row["hscl_total"]))


def test_an_unknown_participant_is_named():
    data = load_all()
    bad = sensitivity.Reading("E01", "x", False, "", (("clinical:P99:odi", "4"),))
    with pytest.raises(KeyError, match="no participant P99"):
        sensitivity.apply(data, bad)
