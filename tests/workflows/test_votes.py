from fractions import Fraction

import pytest

from workflows.votes import AT_LEAST_TWO_THIRDS, MORE_THAN_HALF, Tally, Threshold, measure


@pytest.mark.parametrize(
    ("total", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (7, 4), (8, 5), (9, 5), (100, 51)]
)
def test_more_than_half_needs(total, needed):
    assert MORE_THAN_HALF.needed(total) == needed
    assert MORE_THAN_HALF.met(needed - 1, total) is False  # n-1
    assert MORE_THAN_HALF.met(needed, total) is True  # n
    assert MORE_THAN_HALF.met(needed + 1, total) is True  # n+1


@pytest.mark.parametrize(("total", "needed"), [(3, 2), (6, 4), (9, 6), (10, 7), (11, 8), (30, 20)])
def test_at_least_two_thirds_needs(total, needed):
    assert AT_LEAST_TWO_THIRDS.needed(total) == needed
    assert AT_LEAST_TWO_THIRDS.met(needed - 1, total) is False
    assert AT_LEAST_TWO_THIRDS.met(needed, total) is True
    assert AT_LEAST_TWO_THIRDS.met(needed + 1, total) is True


def test_exactly_half_is_not_more_than_half():
    assert MORE_THAN_HALF.met(5, 10) is False
    assert MORE_THAN_HALF.met(6, 10) is True


def test_two_thirds_of_a_large_body_has_no_float_error():
    # 2/3 of 300000003 is exactly 200000002: floats would say 200000002.00000003 or less.
    assert AT_LEAST_TWO_THIRDS.met(200000002, 300000003) is True
    assert AT_LEAST_TWO_THIRDS.met(200000001, 300000003) is False


def test_nobody_to_count_never_meets_a_threshold():
    assert MORE_THAN_HALF.met(0, 0) is False
    assert AT_LEAST_TWO_THIRDS.met(0, 0) is False


def test_measure_reports_the_numbers_for_a_refusal():
    result = measure(MORE_THAN_HALF, 4, 9)
    assert (result.count, result.total, result.needed, result.met) == (4, 9, 5, False)


def test_custom_threshold_uses_fractions():
    three_fifths = Threshold(Fraction(3, 5), strict=False, label="不少于五分之三")
    assert three_fifths.needed(10) == 6
    assert three_fifths.met(6, 10)


def test_tally():
    tally = Tally(yes=5, no=2, abstain=1)
    assert tally.cast == 8
    with pytest.raises(ValueError):
        Tally(yes=-1, no=0, abstain=0)
