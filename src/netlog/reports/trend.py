"""Figures over periods: a direction word, a sparkline, and a filled grid of channel × period.
Pure: no I/O, no Rich."""

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

BLOCKS = "▁▂▃▄▅▆▇█"
MIN_PERIODS = 4  # full periods a direction needs
Z_90 = 1.6448536269514727  # two-sided 90%: |Z| beyond this is a trend


def slope(values: Sequence[float]) -> float:
    """The least-squares slope of values against their positions 0, 1, …, n-1."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    variance = sum((x - mean_x) ** 2 for x in range(n))
    return covariance / variance


def mann_kendall_z(values: Sequence[float]) -> float:
    """The Mann–Kendall statistic as a standard normal score: S = Σ sign(xj − xi) over i < j,
    Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over groups of t tied values, and
    Z = (S − sign S) / √Var S (continuity corrected); 0 when every value is the same."""
    n = len(values)
    s = sum(
        (values[j] > values[i]) - (values[j] < values[i]) for i in range(n) for j in range(i + 1, n)
    )
    ties: dict[float, int] = {}
    for value in values:
        ties[value] = ties.get(value, 0) + 1
    variance = (
        n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties.values())
    ) / 18
    if variance <= 0 or s == 0:
        return 0.0
    return (s - (1 if s > 0 else -1)) / variance**0.5


def direction(values: Sequence[float]) -> str:
    """`rising`, `falling` or `flat`: a direction only when the Mann–Kendall test finds a
    monotonic trend at the 10% level (two-sided; Mann 1945, Kendall 1975) over at least
    MIN_PERIODS full periods. Noise, a single event and a level series are `flat`."""
    if len(values) < MIN_PERIODS:
        return "flat"
    z = mann_kendall_z(values)
    if abs(z) <= Z_90:
        return "flat"
    return "rising" if z > 0 else "falling"


def sparkline(values: Sequence[float]) -> str:
    """One block per value, scaled from 0 (▁) to the largest value (█).

    The scale starts at 0, not at the smallest value, so 10, 11, 12 looks nearly level as it
    is. Zero and below show ▁; any positive value shows at least ▂ so it is not mistaken for
    zero. All zeros give all ▁.
    """
    top = max(values, default=0)
    if top <= 0:
        return BLOCKS[0] * len(values)
    from netlog.present.figures import half_up

    last = len(BLOCKS) - 1
    return "".join(
        BLOCKS[0] if value <= 0 else BLOCKS[max(1, int(half_up(value / top * last, 0)))]
        for value in values
    )


class Grid(NamedTuple):
    """Periods in order, each channel's values per period (0 where nothing was logged), and
    the total per period across channels."""

    periods: list[str]
    values: dict[str, list[Any]]  # float, or Decimal for money
    totals: list[Any]


def grid(
    rows: Iterable[tuple[str, str | None, Any]],
    periods: Sequence[str] | None = None,
    *,
    limit: int | None = None,
) -> Grid:
    """(channel, period_label, value) rows → a full channel × period grid.

    Periods are the given ones in the given order (pass them to show periods with no rows at
    all), else the labels found, sorted (netlog's labels, 2025-01 or 2025-W03, sort in
    calendar order). Rows repeating a cell are added up; None counts as 0; rows for periods
    outside a given list are left out. Channels come most total first, then by name; with
    `limit`, only the first `limit` of them get a row (a table's), but the totals per period
    still count every channel.
    """
    cells: dict[str, dict[str, Any]] = {}
    for channel, period, value in rows:
        if period is None:
            continue
        row = cells.setdefault(channel, {})
        row[period] = row.get(period, 0) + (value or 0)
    if periods is None:
        ordered = sorted({period for row in cells.values() for period in row})
    else:
        ordered = list(periods)
    # Sparse sums first, so a limited grid is laid out only for the channels it shows.
    shown = set(ordered)
    channel_sums = {
        channel: sum(value for period, value in row.items() if period in shown)
        for channel, row in cells.items()
    }
    channels = sorted(cells, key=lambda channel: (-channel_sums[channel], channel.casefold()))
    values = {
        channel: [cells[channel].get(period, 0) for period in ordered]
        for channel in channels[:limit]
    }
    column_sums: dict[str, Any] = {}
    for row in cells.values():
        for period, value in row.items():
            column_sums[period] = column_sums.get(period, 0) + value
    totals = [column_sums.get(period, 0) for period in ordered]
    return Grid(ordered, values, totals)
