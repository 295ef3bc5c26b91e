"""The SKM index against examples computed by hand (PermenPANRB 14/2017)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from shared import skm

# Four respondents; the fourth left element 8 blank. Sums by hand:
# u1 15, u2 14, u3 13, u4 16, u5 15, u6 15, u7 16, u8 10 (3 answers), u9 13.
ANSWERS = [
    dict(u1=4, u2=3, u3=3, u4=4, u5=4, u6=4, u7=4, u8=3, u9=3),
    dict(u1=4, u2=4, u3=3, u4=4, u5=3, u6=4, u7=4, u8=3, u9=4),
    dict(u1=3, u2=3, u3=3, u4=4, u5=4, u6=4, u7=4, u8=4, u9=3),
    dict(u1=4, u2=4, u3=4, u4=4, u5=4, u6=3, u7=4, u8=None, u9=3),
]


def test_worked_example_with_the_exact_weight():
    result = skm.skm_of_responses(ANSWERS, skm.EXACT)
    # NRR: 3.75, 3.5, 3.25, 4, 3.75, 3.75, 4, 10/3, 3.25 -> sum 391/12
    assert result.nrr["u1"] == Fraction(15, 4)
    assert result.nrr["u8"] == Fraction(10, 3)
    assert result.answered["u8"] == 3
    assert sum(result.nrr.values()) == Fraction(391, 12)
    # IKM = 391/12 / 9 = 3.6204; SKM = x 25 = 90.509... -> 90.51, band A
    assert skm.to_decimal(result.ikm, 4) == Decimal("3.6204")
    assert result.skm_rounded() == Decimal("90.51")
    assert (result.band.grade, result.band.name_id) == ("A", "Sangat baik")
    assert result.respondents == 4


def test_worked_example_with_the_printed_weight():
    result = skm.skm_of_responses(ANSWERS, skm.PRINTED)
    # IKM = 391/12 x 0.11 = 3.58417; SKM = 89.604... -> 89.60
    assert skm.to_decimal(result.ikm, 5) == Decimal("3.58417")
    assert result.skm_rounded() == Decimal("89.60")
    assert result.weighting == "0.11"


def test_the_two_weights_can_fall_in_different_bands():
    # 20 respondents, every element summing to 71: NRR 3.55 each.
    totals = dict.fromkeys(skm.ELEMENT_KEYS, 71)
    answered = dict.fromkeys(skm.ELEMENT_KEYS, 20)
    exact = skm.compute_skm(totals, answered, 20, skm.EXACT)
    printed = skm.compute_skm(totals, answered, 20, skm.PRINTED)
    assert exact.skm_rounded() == Decimal("88.75") and exact.band.grade == "A"
    assert printed.skm_rounded() == Decimal("87.86") and printed.band.grade == "B"


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25", "D"),
    ],
)
def test_band_boundaries(value, grade):
    assert skm.band_for(Decimal(value)).grade == grade


def test_no_answers_give_no_index():
    result = skm.skm_of_responses([])
    assert result.ikm is None and result.skm is None and result.band is None


def test_unknown_weighting_is_refused():
    with pytest.raises(ValueError):
        skm.compute_skm({}, {}, 0, "0.1")


@pytest.mark.parametrize("bad", [0, 5, "x", 2.5])
def test_scores_outside_the_scale_are_refused(bad):
    with pytest.raises(ValueError):
        skm.validate_scores({"u3": bad})
