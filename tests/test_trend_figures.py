"""Figures over periods (netlog.reports.trend): direction words, sparklines and the channel × period
grid."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netlog.reports.trend import direction, grid, mann_kendall_z, slope, sparkline

# values → direction: Mann–Kendall at the 10% level over at least 4 full periods (issue 17).
DIRECTION_DATA = [
    pytest.param([1, 2, 3, 4], "rising", id="steady rise, four periods"),
    pytest.param([4, 3, 2, 1], "falling", id="falling"),
    pytest.param([10, 12, 14, 16], "rising", id="a steady rise"),
    pytest.param([5, 5, 5, 5], "flat", id="level"),
    pytest.param([-18, -18, -18, -18, -18, -18], "flat", id="a flat loss is no rise"),
    pytest.param([0, 0, 0], "flat", id="all zero"),
    pytest.param([1, 2, 3], "flat", id="three periods are too few"),
    pytest.param([1, 9], "flat", id="two periods are too few"),
    pytest.param([7], "flat", id="one period"),
    pytest.param([], "flat", id="no periods"),
    pytest.param([1.5, 2.0, 1.0, 1.5, 1.0], "flat", id="blog hours: noise, not falling"),
    pytest.param([0, 0, 0, 1, 0], "flat", id="a single win is no rise"),
    pytest.param([0, 0, 0, 6], "flat", id="a single event from nothing"),
    pytest.param([5, 1, 6, 2, 5, 1, 6], "flat", id="noisy, no trend"),
    pytest.param([2, 6, 3, 8, 5, 9, 7], "flat", id="noisy, rising, not yet significant"),
    pytest.param([2, 6, 3, 8, 5, 9, 7, 10], "rising", id="noisy, rising, one more period"),
    pytest.param([9, 3, 8, 2, 6, 0, 1], "falling", id="noisy, falling"),
    pytest.param([2.5, 1.5, 0.5, 0.25], "falling", id="hours as floats"),
]


@pytest.mark.parametrize(("values", "word"), DIRECTION_DATA)
def test_direction(values, word):
    assert direction(values) == word


def test_mann_kendall_z_by_hand():
    # [1, 3, 2, 4]: of the 6 pairs, 5 rise and 3 > 2 falls: S = 4
    # Var S = 4·3·13 / 18 = 8.667; Z = (4 - 1) / √8.667 = 1.019
    assert mann_kendall_z([1, 3, 2, 4]) == pytest.approx(3 / (4 * 3 * 13 / 18) ** 0.5)
    # ties: [1, 1, 2, 2] has S = 4, Var S = (156 - 2·(2·1·9)) / 18 = 6.667
    assert mann_kendall_z([1, 1, 2, 2]) == pytest.approx(3 / (120 / 18) ** 0.5)


@pytest.mark.parametrize(
    ("values", "expected"), [([1, 2, 3], 1.0), ([3, 1, 2], -0.5), ([4], 0.0), ([2, 2, 8], 3.0)]
)
def test_slope(values, expected):
    assert slope(values) == pytest.approx(expected)


series = st.lists(st.integers(min_value=0, max_value=1000), max_size=24)
opposite = {"rising": "falling", "falling": "rising", "flat": "flat"}


@given(series)
def test_reversed_series_has_the_opposite_direction(values):
    assert direction(values[::-1]) == opposite[direction(values)]


@given(series, st.integers(min_value=1, max_value=50))
def test_direction_ignores_the_unit(values, factor):
    assert direction([v * factor for v in values]) == direction(values)


@given(st.integers(min_value=4, max_value=24), st.integers(min_value=1, max_value=100))
def test_strictly_linear_series_have_a_direction(n, step):
    up = [step * i for i in range(n)]
    assert direction(up) == "rising"
    assert direction(up[::-1]) == "falling"


SPARK_DATA = [
    pytest.param([], "", id="empty"),
    pytest.param([0, 0, 0], "▁▁▁", id="all zero"),
    pytest.param([0, 0, 5, 0], "▁▁█▁", id="single maximum"),
    pytest.param([0, 1, 2, 3, 4, 5, 6, 7], "▁▂▃▄▅▆▇█", id="every block"),
    pytest.param([1, 100], "▂█", id="small but not zero"),
    pytest.param([10, 11, 12], "▇▇█", id="scaled from zero, not from the least"),
    pytest.param([3, 3], "██", id="level"),
    pytest.param([0.5, 0.25], "█▅", id="floats"),
]


@pytest.mark.parametrize(("values", "line"), SPARK_DATA)
def test_sparkline(values, line):
    assert sparkline(values) == line


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), max_size=30))
def test_sparkline_properties(values):
    line = sparkline(values)
    assert len(line) == len(values)
    for value, block in zip(values, line, strict=True):
        assert (block == "▁") == (value == 0)
    if any(values):
        assert line[values.index(max(values))] == "█"


def test_grid_fills_missing_cells_and_orders_periods():
    rows = [
        ("LinkedIn", "2025-03", 2),
        ("Email", "2025-01", 1),
        ("LinkedIn", "2025-01", 4),
        ("Email", "2025-03", 2),
        ("Twitter", "2025-02", 1),
    ]
    periods, values, totals = grid(rows)
    assert periods == ["2025-01", "2025-02", "2025-03"]
    assert values == {"LinkedIn": [4, 0, 2], "Email": [1, 0, 2], "Twitter": [0, 1, 0]}
    assert list(values) == ["LinkedIn", "Email", "Twitter"]  # most total first
    assert totals == [5, 1, 4]


def test_grid_adds_repeated_cells_and_reads_none_as_zero():
    result = grid([("a", "W1", 1.5), ("a", "W1", 2), ("b", "W1", None), ("B", "W2", 0)])
    assert result.values == {"a": [3.5, 0], "b": [0, 0], "B": [0, 0]}
    assert result.totals == [3.5, 0]


def test_grid_ties_go_by_name_ignoring_case():
    assert list(grid([("beta", "p", 1), ("Alpha", "p", 1), ("gamma", "p", 1)]).values) == [
        "Alpha",
        "beta",
        "gamma",
    ]


def test_grid_with_given_periods_keeps_empty_ones_and_their_order():
    rows = [("Email", "2025-02", 3), ("Email", "2024-12", 9)]
    result = grid(rows, periods=["2025-01", "2025-02", "2025-03"])
    assert result.periods == ["2025-01", "2025-02", "2025-03"]
    assert result.values == {"Email": [0, 3, 0]}
    assert result.totals == [0, 3, 0]


def test_empty_grid():
    assert grid([]) == ([], {}, [])
    assert grid([], periods=["2025-01", "2025-02"]) == (["2025-01", "2025-02"], {}, [0, 0])


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["LinkedIn", "Email", "PeoplePerHour"]),
            st.sampled_from(["2025-01", "2025-02", "2025-03", "2025-04"]),
            st.integers(min_value=0, max_value=100),
        ),
        max_size=40,
    )
)
def test_grid_keeps_every_value(rows):
    periods, values, totals = grid(rows)
    assert periods == sorted(periods)
    assert all(len(row) == len(periods) for row in values.values())
    assert sum(totals) == sum(sum(row) for row in values.values()) == sum(v for *_, v in rows)
