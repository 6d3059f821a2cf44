"""Wilson intervals, "at most 1 in k", and the "not paying" rule
(netlog.model.stats)."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netlog.errors import InputError
from netlog.model.stats import (
    enough_evidence,
    one_in,
    rate_with_interval,
    wilson_interval,
    z_for,
)

# Published Wilson score intervals (95%), 4 decimals: Newcombe (1998), Statistics in Medicine
# 17:857-872, Table II, method 3 ("score method without continuity correction").
NEWCOMBE_DATA = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
]

# The firm's channels, worked by hand from the closed forms: with 0 successes the upper end is
# z²/(n + z²) (3.8415/25.8415 = 0.14865 for n = 22); 1/22 from the general formula.
FIRM_DATA = [
    (0, 22, 0.0, 0.1487),
    (1, 22, 0.0081, 0.2180),
    (0, 97, 0.0, 0.0381),
    (0, 58, 0.0, 0.0621),
    (0, 10, 0.0, 0.2775),
]


@pytest.mark.parametrize(("successes", "trials", "low", "high"), NEWCOMBE_DATA + FIRM_DATA)
def test_wilson_matches_reference_values(successes, trials, low, high):
    interval = wilson_interval(successes, trials)
    assert interval == pytest.approx((low, high), abs=5e-5)


def test_wilson_zero_of_22_to_more_places():
    z2 = 1.959963984540054**2
    assert wilson_interval(0, 22) == (0.0, pytest.approx(z2 / (22 + z2), rel=1e-12))
    assert wilson_interval(0, 22)[1] == pytest.approx(0.148654874608, abs=1e-12)


@pytest.mark.parametrize(
    ("confidence", "z"),
    [(0.90, 1.6448536269514727), (0.95, 1.959963984540054), (0.99, 2.5758293035489004)],
)
def test_z_table_matches_inverse_normal(confidence, z):
    from statistics import NormalDist

    assert z_for(confidence) == z
    assert z == pytest.approx(NormalDist().inv_cdf((1 + confidence) / 2), rel=1e-15)


def test_other_confidence_levels_use_the_inverse_normal():
    assert z_for(0.8) == pytest.approx(1.2815515655446004, rel=1e-12)
    narrow, wide = wilson_interval(81, 263, 0.8), wilson_interval(81, 263, 0.99)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.95, 95])
def test_confidence_outside_zero_one_is_an_input_error(confidence):
    with pytest.raises(InputError, match=r"between 0 and 1, e\.g\. 0\.95"):
        wilson_interval(1, 10, confidence)


def test_no_trials_gives_no_interval():
    assert wilson_interval(0, 0) is None
    assert rate_with_interval(0, 0) is None


@pytest.mark.parametrize(("successes", "trials"), [(3, 2), (-1, 5), (0, -1), (1, 0)])
def test_impossible_counts_are_refused(successes, trials):
    with pytest.raises(ValueError, match="successes <= trials"):
        wilson_interval(successes, trials)


def test_ends_are_exact_at_zero_and_all():
    assert wilson_interval(0, 5)[0] == 0.0
    assert wilson_interval(5, 5)[1] == 1.0
    assert rate_with_interval(5, 5) == (1.0, pytest.approx(0.5655, abs=5e-5), 1.0)


def test_rate_with_interval_names_its_fields():
    result = rate_with_interval(1, 22)
    assert (result.rate, result.low, result.high) == (1 / 22, *wilson_interval(1, 22))


counts = st.integers(min_value=1, max_value=100_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(counts, st.sampled_from([0.9, 0.95, 0.99]))
def test_interval_holds_the_rate_and_stays_in_zero_one(pair, confidence):
    rate, low, high = rate_with_interval(*pair, confidence)
    assert 0.0 <= low <= rate <= high <= 1.0
    assert low < high


@given(counts)
def test_ends_solve_the_score_equation(pair):
    """Wilson's ends are the p where |x - np| = z·sqrt(np(1-p)): a check by another route."""
    x, n = pair
    z = z_for(0.95)
    for p in wilson_interval(x, n):
        if 0 < p < 1:
            assert abs(x - n * p) == pytest.approx(z * math.sqrt(n * p * (1 - p)), rel=1e-6)


@given(counts)
def test_interval_mirrors_for_failures(pair):
    x, n = pair
    low, high = wilson_interval(x, n)
    mirror_low, mirror_high = wilson_interval(n - x, n)
    assert (low, high) == (
        pytest.approx(1 - mirror_high, abs=1e-12),
        pytest.approx(1 - mirror_low, abs=1e-12),
    )


@given(counts, st.integers(min_value=2, max_value=10))
def test_width_shrinks_as_trials_grow_at_the_same_rate(pair, factor):
    x, n = pair
    low, high = wilson_interval(x, n)
    more_low, more_high = wilson_interval(x * factor, n * factor)
    assert more_high - more_low < high - low


@given(counts)
def test_higher_confidence_gives_a_wider_interval(pair):
    low90, high90 = wilson_interval(*pair, 0.90)
    low99, high99 = wilson_interval(*pair, 0.99)
    assert low99 <= low90 <= high90 <= high99
    assert high99 - low99 > high90 - low90


@pytest.mark.parametrize(
    ("upper", "k"),
    [
        (0.1487, 6),  # 1 in 6.72: "at most 1 in 7" would claim more than the data show
        (0.2180, 4),  # 1 in 4.59
        (0.0381, 26),  # 1 in 26.2
        (0.2, 5),  # exactly 1 in 5
        (1 / 3, 3),  # not floored to 2 by rounding error
        (0.5, 2),
        (0.79, 1),
        (1.0, 1),
    ],
)
def test_one_in_rounds_down(upper, k):
    assert one_in(upper) == k


@given(st.floats(min_value=1e-6, max_value=1.0))
def test_one_in_is_true_and_tightest(upper):
    k = one_in(upper)
    assert 1 / k >= upper * (1 - 1e-8)  # "at most 1 in k" covers the bound...
    assert 1 / (k + 1) < upper  # ...and 1 in k + 1 would not


@pytest.mark.parametrize("upper", [0, -0.1, 1.01])
def test_one_in_refuses_bounds_outside_zero_one(upper):
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        one_in(upper)


# (items, leads, wins, minutes, named as not paying)
EVIDENCE_DATA = [
    pytest.param(22, 1, 0, 756, True, id="PeoplePerHour: 22 bids, upper 0.149"),
    pytest.param(97, 3, 0, 600, True, id="LinkedIn: 97 connections"),
    pytest.param(58, 0, 0, 240, True, id="Twitter: 58 tweets"),
    pytest.param(16, 2, 0, 0, True, id="16 items suffice (upper 0.194)"),
    pytest.param(15, 2, 0, 0, False, id="15 items do not (upper 0.204)"),
    pytest.param(40, 5, 1, 900, False, id="a win: never named"),
    pytest.param(0, 0, 0, 300, True, id="5 h with no lead"),
    pytest.param(0, 0, 0, 299, False, id="just under 5 h"),
    pytest.param(3, 1, 0, 600, False, id="10 h but a lead, few items"),
    pytest.param(0, 0, 0, 0, False, id="nothing logged"),
]


@pytest.mark.parametrize(("items", "leads", "wins", "minutes", "named"), EVIDENCE_DATA)
def test_enough_evidence(items, leads, wins, minutes, named):
    assert enough_evidence(items=items, leads=leads, wins=wins, minutes=minutes) is named


def test_enough_evidence_thresholds_can_be_set():
    assert enough_evidence(items=10, leads=1, wins=0, minutes=0, max_upper=0.3)
    assert not enough_evidence(items=0, leads=0, wins=0, minutes=300, min_hours=Decimal(6))
    assert enough_evidence(items=0, leads=0, wins=0, minutes=90, min_hours=1.5)
    assert not enough_evidence(items=16, leads=0, wins=0, minutes=0, confidence=0.99)
