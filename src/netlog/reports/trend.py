"""Figures over periods: a direction word, a sparkline, and a filled grid of channel × period.
Pure: no I/O, no Rich."""

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

BLOCKS = "▁▂▃▄▅▆▇█"
FLAT_SHARE = 0.2
MIN_PERIODS = 3


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


def direction(values: Sequence[float], flat_share: float = FLAT_SHARE) -> str:
    """`rising`, `falling` or `flat`, from the least-squares line through the periods.

    Flat when there are fewer than 3 periods, when the mean is 0, or when the fitted change
    over the whole span, |slope × (n - 1)|, is under flat_share (20%) of the mean: a channel
    going from 10 to 11 h a month is not "rising", nor is a noisy series with no clear slope.
    """
    n = len(values)
    mean = sum(values) / n if n else 0.0
    if n < MIN_PERIODS or mean == 0:
        return "flat"
    change = slope(values) * (n - 1)
    if abs(change) < flat_share * abs(mean):
        return "flat"
    return "rising" if change > 0 else "falling"


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


def grid(rows: Iterable[tuple[str, str | None, Any]], periods: Sequence[str] | None = None) -> Grid:
    """(channel, period_label, value) rows → a full channel × period grid.

    Periods are the given ones in the given order (pass them to show periods with no rows at
    all), else the labels found, sorted (netlog's labels, 2025-01 or 2025-W03, sort in
    calendar order). Rows repeating a cell are added up; None counts as 0; rows for periods
    outside a given list are left out. Channels come most total first, then by name.
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
    values = {channel: [row.get(period, 0) for period in ordered] for channel, row in cells.items()}
    values = dict(sorted(values.items(), key=lambda item: (-sum(item[1]), item[0].casefold())))
    totals = [sum(column) for column in zip(*values.values(), strict=True)] or [0] * len(ordered)
    return Grid(ordered, values, totals)
