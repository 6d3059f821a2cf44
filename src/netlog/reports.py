"""Reports: the queries and sums behind `summary` and `log`, for the CLI to render."""

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal

from netlog import db
from netlog.dates import Period, from_storage, iter_periods, parse_range
from netlog.errors import InputError
from netlog.settings import Config
from netlog.summary import (
    ChannelSummary,
    by_channel,
    idle_channels,
    summarize,
    total,
    verdict,
)


@dataclass(frozen=True)
class Query:
    """What the user asked for: a time range (as typed), channels, a grouping, and filters:
    tags (all must match), kinds, and words to search in what, note and label."""

    since: str | None = None
    until: str | None = None
    channels: Sequence[str] = ()
    by: Period | None = None
    tags: Sequence[str] = ()
    kinds: Sequence[str] = ()
    search: str | None = None


@dataclass(frozen=True)
class Bounds:
    start: str | None
    end: str | None
    channel_ids: list[int] | None
    tags: Sequence[str] = ()
    kinds: Sequence[str] = ()
    search: str | None = None

    @property
    def filters(self) -> dict[str, object]:
        """The filters beyond time and channel, as db's report queries take them."""
        return {"tags": self.tags, "kinds": self.kinds, "search": self.search}


def resolve(
    conn: sqlite3.Connection, query: Query, config: Config, *, now: datetime, zone: tzinfo
) -> Bounds:
    """The query in stored form; InputError for a bad date or a channel that does not exist
    (with the known channel it is likely a typo of)."""
    from netlog.channels import unknown_channel_error

    start, end = parse_range(
        query.since,
        query.until,
        now=now,
        zone=zone,
        date_order=config.date_order,
        week_start=config.week_start,
    )
    ids = None
    if query.channels:
        ids = []
        for name in query.channels:
            channel = db.lookup_channel(conn, name)
            if channel is None:
                raise unknown_channel_error(conn, name)
            ids.append(channel.id)
    if query.search is not None and not query.search.split():
        raise InputError("--search needs a word to look for, e.g. --search acme")
    return Bounds(start, end, ids, tuple(query.tags), tuple(query.kinds), query.search)


@dataclass(frozen=True)
class SummaryReport:
    rows: list[ChannelSummary]
    totals: ChannelSummary
    flagged: list[ChannelSummary]
    verdict: str
    threshold_hours: Decimal
    currency: str | None

    def closing_lines(self) -> list[str]:
        lines = []
        if self.flagged:
            names = ", ".join(f"{r.channel} ({r.hours:.1f} h)" for r in self.flagged)
            lines.append(
                f"No wins from {names}: {self.threshold_hours.normalize():f} h or more each."
            )
        lines.append(self.verdict)
        return lines


def summary_report(
    conn: sqlite3.Connection,
    query: Query,
    config: Config,
    *,
    rate: Decimal | None,
    now: datetime,
    zone: tzinfo,
) -> SummaryReport:
    bounds = resolve(conn, query, config, now=now, zone=zone)
    rate = rate if rate is not None else config.rate
    if query.by is None:
        totals = db.channel_totals(
            conn, bounds.start, bounds.end, bounds.channel_ids, **bounds.filters
        )
    else:
        first, last = db.time_bounds(
            conn, bounds.start, bounds.end, bounds.channel_ids, **bounds.filters
        )
        periods = (
            list(iter_periods(from_storage(first), from_storage(last), query.by, zone))
            if first is not None and last is not None
            else []
        )
        totals = db.period_channel_totals(
            conn, periods, bounds.start, bounds.end, bounds.channel_ids, **bounds.filters
        )
    rows = summarize(totals, rate)
    per_channel = by_channel(rows, rate) if query.by else rows
    return SummaryReport(
        rows=rows,
        totals=total(rows, rate),
        flagged=idle_channels(per_channel, config.threshold_hours),
        verdict=verdict(rows, config.currency),
        threshold_hours=config.threshold_hours,
        currency=config.currency,
    )


def entries(
    conn: sqlite3.Connection,
    query: Query,
    config: Config,
    *,
    limit: int | None,
    now: datetime,
    zone: tzinfo,
) -> tuple[Iterator[sqlite3.Row], int | None]:
    """Matching entries, newest first, and how many match in all when `limit` cut them."""
    bounds = resolve(conn, query, config, now=now, zone=zone)
    rows = db.iter_entries(
        conn, bounds.start, bounds.end, bounds.channel_ids, limit=limit, **bounds.filters
    )
    matching = (
        db.count_entries(conn, bounds.start, bounds.end, bounds.channel_ids, **bounds.filters)
        if limit is not None
        else None
    )
    return rows, matching
