"""The summary laid out for sharing: `summary --by month --wide` (one row per channel, one
column per period, for one figure) and the plain-text summary that pastes well.

The grid is made from the rows of reports.summary_report, so its cells, and the totals of its
rows and columns, are the same sums that `summary --by` shows.
"""

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from netlog.errors import InputError
from netlog.model.dates import from_storage
from netlog.model.periods import Period, label_first_day, period_labels
from netlog.reports.summary import ChannelSummary, Metric, metric_attribute, total

if TYPE_CHECKING:
    import sqlite3

    from netlog.reports.views import Query


Figure = Decimal | int


@dataclass(frozen=True)
class Grid:
    """One figure per (channel, period), with the total of each row and column. `channels`
    are the rows shown (all, or a table's top ones); `channel_totals` has every channel."""

    metric: str
    periods: list[str]
    channels: list[str]
    cells: dict[tuple[str, str], Figure]
    channel_totals: dict[str, Figure]
    period_totals: dict[str, Figure]
    total: Figure

    def rows(self) -> Iterator[tuple[str, list[Figure], Figure]]:
        """(channel, a figure per period, its total) per channel, then the total's row."""
        for channel in self.channels:
            cells = [self.cells[channel, p] for p in self.periods]
            yield channel, cells, self.channel_totals[channel]
        yield "total", [self.period_totals[p] for p in self.periods], self.total

    def columns(self) -> tuple[str, ...]:
        return ("channel", *self.periods, "total")


def figure(row: ChannelSummary, metric: str) -> Figure:
    return getattr(row, metric_attribute(metric))


def grid(
    rows: Sequence[ChannelSummary],
    metric: str,
    by: Period,
    rate: Decimal | None,
    *,
    week_start: int = 0,
    limit: int | None = None,
) -> Grid:
    """Summary rows of several periods (summary_report with by=) as a grid of one figure.
    Periods with no entries between the first and the last get a column of zeros. With
    `limit`, cells for the first `limit` channels only (a table's); the totals of every row
    and column still count every channel."""
    if Metric(metric).needs_rate and rate is None:
        raise InputError(
            f"--metric {metric} needs an hourly rate: add --rate 30, or keep one with: "
            "netlog config rate 30"
        )
    labels = sorted({row.period for row in rows if row.period is not None})
    periods = (
        period_labels(
            label_first_day(labels[0]), label_first_day(labels[-1]), by, week_start=week_start
        )
        if labels
        else []
    )
    by_channel: dict[str, list[ChannelSummary]] = {}
    by_period: dict[str, list[ChannelSummary]] = {p: [] for p in periods}
    cells: dict[tuple[str, str], Figure] = {}
    for row in rows:
        by_channel.setdefault(row.channel, []).append(row)
        by_period[row.period or ""].append(row)
        cells[row.channel, row.period or ""] = figure(row, metric)
    channel_totals = {c: figure(total(rs, rate), metric) for c, rs in by_channel.items()}
    channels = sorted(channel_totals, key=lambda c: (-channel_totals[c], c.casefold()))[:limit]
    empty = figure(ChannelSummary(channel="", rate=rate), metric)
    for channel in channels:
        for period in periods:
            cells.setdefault((channel, period), empty)
    return Grid(
        metric=metric,
        periods=periods,
        channels=channels,
        cells=cells,
        channel_totals=channel_totals,
        period_totals={p: figure(total(rs, rate), metric) for p, rs in by_period.items()},
        total=figure(total(rows, rate), metric),
    )


def print_grid(table: Grid, *, fmt: str, by: Period, currency: str | None) -> int:
    """The grid as fmt ("table", "csv" or "json") on stdout. Returns how many periods a
    table shows (the latest that fit the terminal); all of them in CSV and JSON."""
    from netlog.present import figures, render

    if fmt != "table":
        rows = render.grid_rows(table.metric, table.periods, table.rows(), currency)
        if fmt == "csv":
            render.write_csv(rows, table.columns(), sys.stdout)
        else:
            render.write_json(rows, sys.stdout)
        return len(table.periods)
    *channels, (_, period_totals, grand_total) = table.rows()
    channels = channels[: figures.MAX_TABLE_CHANNELS]  # the most first; totals count them all
    return render.grid_table(
        f"{table.metric.capitalize()} by {by.value}",
        table.metric,
        table.periods,
        [(channel, cells, row_total, ()) for channel, cells, row_total in channels],
        (period_totals, grand_total),
        currency,
    )


# --- plain text that pastes well ------------------------------------------------------------


@contextmanager
def pasteable(title: str | None) -> Iterator[None]:
    """With a title: what the block prints to stdout, after that title line and without
    trailing spaces, ready to paste into an email. Without one (stdout is a terminal, or the
    output is CSV or JSON): the output as it is."""
    if title is None:
        yield
        return
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        yield
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    while lines and not lines[0]:
        del lines[0]
    if lines:
        sys.stdout.write("\n".join([title, "", *lines]) + "\n")


def summary_title(
    conn: "sqlite3.Connection",
    query: "Query",
    rate: Decimal | None,
    *,
    now: datetime,
    zone: tzinfo,
    metric: str | None = None,
) -> str:
    """`netlog summary, 2010-09-01 to 2010-12-31, time at £30.00/h`: what a pasted summary
    covers. The dates are --since and --until, or else the first and last counted entry's
    (the filters' and the credit rule's); other filters are named after the command."""
    from netlog.present.figures import money_text
    from netlog.reports import views as reports
    from netlog.store import db
    from netlog.store.settings import Config

    config = Config.from_stored(db.read_settings(conn))
    bounds = reports.resolve(conn, query, config, now=now, zone=zone)
    first, last = db.time_bounds(
        conn,
        bounds.start,
        bounds.end,
        bounds.channel_ids,
        credit=bounds.credit,
        **bounds.filters,
    )

    def day(stored: str | None, exclusive: bool = False) -> str:
        if stored is None:
            return "?"
        moment = from_storage(stored).astimezone(zone)
        return f"{moment - timedelta(seconds=1) if exclusive else moment:%Y-%m-%d}"

    start = day(bounds.start) if bounds.start else day(first)
    end = day(bounds.end, exclusive=True) if bounds.end else day(last)
    rate = rate if rate is not None else config.rate
    priced = (
        f"time at {money_text(rate, config.currency)}/h" if rate is not None else "time unpriced"
    )
    what = "netlog summary"
    if metric is not None:
        what += f" of {metric}"
    if query.by is not None:
        what += f" by {query.by.value}"
    narrowed = _narrowed_to(query)
    if narrowed:
        what += f" ({narrowed})"
    return f"{what}, {start} to {end}, {priced}"


def _narrowed_to(query: "Query") -> str:
    """The filters beyond time and channel, for a title: a pasted summary of some of the
    entries must not read as one of them all."""
    parts = []
    if query.kinds:
        parts.append("kind " + ", ".join(query.kinds))
    if query.tags:
        parts.append("tagged " + ", ".join(query.tags))
    if query.search:
        parts.append(f'matching "{query.search}"')
    if query.who:
        parts.append(f"logged by {query.who}")
    return "; ".join(parts)
