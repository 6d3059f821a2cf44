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
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from netlog.errors import InputError
from netlog.model.dates import from_storage
from netlog.model.periods import Period, label_first_day, period_labels
from netlog.reports.summary import ChannelSummary, Metric, total

if TYPE_CHECKING:
    import sqlite3

    from netlog.reports.views import Query


Figure = Decimal | int


@dataclass(frozen=True)
class Grid:
    """One figure per (channel, period), with the total of each row and column."""

    metric: str
    periods: list[str]
    channels: list[str]
    cells: dict[tuple[str, str], Figure]
    channel_totals: dict[str, Figure]
    period_totals: dict[str, Figure]
    total: Figure

    def rows(self) -> Iterator[dict[str, object]]:
        """Machine values, one dict per channel and a last one for the total; keyed by
        columns()."""
        for channel in self.channels:
            values: dict[str, object] = {"channel": channel}
            values.update((p, _rounded(self.cells[channel, p])) for p in self.periods)
            values["total"] = _rounded(self.channel_totals[channel])
            yield values
        values = {"channel": "total"}
        values.update((p, _rounded(self.period_totals[p])) for p in self.periods)
        values["total"] = _rounded(self.total)
        yield values

    def columns(self) -> tuple[str, ...]:
        return ("channel", *self.periods, "total")


def figure(row: ChannelSummary, metric: str) -> Figure:
    return getattr(row, Metric(metric).attribute)


def grid(
    rows: Sequence[ChannelSummary],
    metric: str,
    by: Period,
    rate: Decimal | None,
    *,
    week_start: int = 0,
) -> Grid:
    """Summary rows of several periods (summary_report with by=) as a grid of one figure.
    Periods with no entries between the first and the last get a column of zeros."""
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
    empty = figure(ChannelSummary(channel="", rate=rate), metric)
    for channel in by_channel:
        for period in periods:
            cells.setdefault((channel, period), empty)
    channel_totals = {c: figure(total(rs, rate), metric) for c, rs in by_channel.items()}
    return Grid(
        metric=metric,
        periods=periods,
        channels=sorted(channel_totals, key=lambda c: (-channel_totals[c], c.casefold())),
        cells=cells,
        channel_totals=channel_totals,
        period_totals={p: figure(total(rs, rate), metric) for p, rs in by_period.items()},
        total=figure(total(rows, rate), metric),
    )


def _rounded(value: Figure) -> Figure:
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return value


def print_grid(table: Grid, *, fmt: str, by: Period, currency: str | None) -> None:
    """The grid as fmt ("table", "csv" or "json") on stdout."""
    from netlog.present import render

    if fmt == "csv":
        render.write_csv(table.rows(), table.columns(), sys.stdout)
    elif fmt == "json":
        render.write_json(table.rows(), sys.stdout)
    else:
        _print_table(table, by, currency)


def _print_table(table: Grid, by: Period, currency: str | None) -> None:
    from rich import box
    from rich.table import Table

    from netlog.model.money import format_money
    from netlog.present.render import _console, _text

    def shown(value: Figure) -> str:
        if Metric(table.metric).is_money:
            whole = Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)
            return format_money(whole, currency).rsplit(".", 1)[0]
        if table.metric == "hours":
            return f"{value:,.1f}"
        return f"{value:,}"

    out = Table(
        title=_text(f"{table.metric.capitalize()} by {by.value}"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    out.add_column("Channel", overflow="ellipsis", min_width=7)
    for period in table.periods:
        out.add_column(period, justify="right", no_wrap=True)
    out.add_column("Total", justify="right", no_wrap=True)
    for position, channel in enumerate(table.channels):
        out.add_row(
            _text(channel),
            *(shown(table.cells[channel, p]) for p in table.periods),
            shown(table.channel_totals[channel]),
            end_section=position == len(table.channels) - 1,
        )
    out.add_row(
        "Total",
        *(shown(table.period_totals[p]) for p in table.periods),
        shown(table.total),
        style="bold",
    )
    _console().print(out)


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
    covers. The dates are --since and --until, or else the first and last entry's."""
    from netlog.model.money import format_money
    from netlog.reports import views as reports
    from netlog.store import db
    from netlog.store.settings import Config

    config = Config.from_stored(db.read_settings(conn))
    bounds = reports.resolve(conn, query, config, now=now, zone=zone)
    first, last = db.time_bounds(conn, bounds.start, bounds.end, bounds.channel_ids)

    def day(stored: str | None, exclusive: bool = False) -> str:
        if stored is None:
            return "?"
        moment = from_storage(stored).astimezone(zone)
        return f"{moment - timedelta(seconds=1) if exclusive else moment:%Y-%m-%d}"

    start = day(bounds.start) if bounds.start else day(first)
    end = day(bounds.end, exclusive=True) if bounds.end else day(last)
    rate = rate if rate is not None else config.rate
    priced = (
        f"time at {format_money(rate, config.currency)}/h" if rate is not None else "time unpriced"
    )
    what = "netlog summary"
    if metric is not None:
        what += f" of {metric}"
    if query.by is not None:
        what += f" by {query.by.value}"
    return f"{what}, {start} to {end}, {priced}"
