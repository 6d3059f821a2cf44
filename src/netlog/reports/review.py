"""`netlog review`: the last full week (or month), or the one holding a date, against the one
before: per channel the figures and their change, the verdicts on the RECENT_WEEKS weeks up
to the period's end (netlog.reports.verdicts, as the early warnings judge), the budgets used,
and at most three suggestions."""

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from netlog.model.dates import to_storage
from netlog.model.money import from_minor
from netlog.model.periods import Period, period_span, period_start
from netlog.reports.verdicts import RECENT_WEEKS, ChannelVerdict, Verdict
from netlog.reports.views import Judged, judge_channels, money_currency
from netlog.store import db
from netlog.store.settings import Config

CREDIT = "logged"  # outcomes count on their own channel and date
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Figures:
    """One channel's sums over one period."""

    hours: Decimal = Decimal(0)
    replies: int = 0
    leads: int = 0
    wins: int = 0
    revenue: Decimal = Decimal(0)
    spend: Decimal = Decimal(0)


FIGURES = ("hours", "replies", "leads", "wins", "revenue", "spend")


@dataclass(frozen=True)
class ReviewRow:
    channel: str
    now: Figures
    before: Figures
    verdict: ChannelVerdict | None

    def change(self, name: str) -> Any:
        return getattr(self.now, name) - getattr(self.before, name)


@dataclass(frozen=True)
class Budget:
    channel: str
    limit: str  # `5h/week`
    used: str  # `5h 30m`
    over: bool


@dataclass(frozen=True)
class Review:
    by: Period
    first: date  # the period's first and last local days
    last: date
    previous_first: date
    previous_last: date
    rows: list[ReviewRow]
    judged: Judged
    budgets: list[Budget]
    suggestions: list[str]
    currency: str | None
    credit: str = CREDIT
    channel_count: int = 0  # channels logged in either period: more than len(rows) when limited

    def sentences(self) -> list[str]:
        """The evidence behind each verdict, one sentence per channel shown."""
        from netlog.reports.verdicts import sentence

        return [
            sentence(
                row.verdict,
                self.judged.evidence,
                currency=self.currency,
                median_win_minor=self.judged.median_win_minor,
            )
            for row in self.rows
            if row.verdict is not None
        ]


def review_report(
    conn: sqlite3.Connection,
    config: Config,
    *,
    by: Period,
    at: datetime | None,
    now: datetime,
    zone: tzinfo,
    limit: int | None = None,
) -> Review:
    """The review of the period holding `at` (default: the last full period before now).
    With `limit`, rows for the first `limit` channels only (a table's), the most hours
    first; only the channels with a row are judged (each against every channel)."""
    from netlog.reports.budget import budget_use, format_amount, format_limit

    currency = money_currency(conn, config)
    week_start = config.week_start
    if at is not None:
        first = period_start(at.astimezone(zone).date(), by, week_start)
    else:
        this = period_start(now.astimezone(zone).date(), by, week_start)
        first = period_start(this - timedelta(days=1), by, week_start)
    span = period_span(first, by, zone, week_start=week_start)
    previous_first = period_start(first - timedelta(days=1), by, week_start)
    previous = period_span(previous_first, by, zone, week_start=week_start)
    start, end = to_storage(span.start), to_storage(span.end)
    current = _figures(conn, start, end, currency)
    before = _figures(conn, to_storage(previous.start), start, currency)
    names = sorted(
        set(current) | set(before),
        key=lambda name: (
            -current.get(name, Figures()).hours,
            -before.get(name, Figures()).hours,
            name.casefold(),
        ),
    )
    shown = names[:limit]
    judged_from = to_storage(span.end - timedelta(weeks=RECENT_WEEKS))
    judged = judge_channels(
        conn, judged_from, end, None, rate=config.rate, currency=currency,
        min_hours=config.warn_hours, only=shown,
    )  # fmt: skip
    rows = [
        ReviewRow(name, current.get(name, Figures()), before.get(name, Figures()), judged.of(name))
        for name in shown
    ]
    budgets = [
        Budget(
            use.channel,
            format_limit(use.limit),
            format_amount(use.limit.kind, use.used, use.limit.currency),
            use.over,
        )
        for use in budget_use(conn, span.start, zone)
        if use.limit.period == by.value
    ]
    return Review(
        by,
        first,
        span.end.astimezone(zone).date() - timedelta(days=1),
        previous_first,
        first - timedelta(days=1),
        rows,
        judged,
        budgets,
        suggestions(judged, [row.channel for row in rows]),
        currency,
        channel_count=len(names),
    )


def _figures(
    conn: sqlite3.Connection, start: str, end: str, currency: str | None
) -> dict[str, Figures]:
    return {
        row["channel"]: Figures(
            hours=Decimal(row["minutes"] or 0) / 60,
            replies=(row["replies"] or 0) if "replies" in row.keys() else 0,  # noqa: SIM118
            leads=row["leads"] or 0,
            wins=row["wins"] or 0,
            revenue=from_minor(row["revenue_minor"] or 0, currency),
            spend=from_minor(row["spend_minor"] or 0, currency),
        )
        for row in db.channel_totals(conn, start, end)
    }


def suggestions(judged: Judged, channels: list[str]) -> list[str]:
    """At most three plain suggestions from the verdicts on the channels shown: the channel
    to stop (most hours among those behind or not paying), the one to keep (paying, most
    revenue), and the one that needs more time (the fewest hours to decide)."""
    from netlog.present.figures import hours_phrase, money_phrase

    shown = [v for v in judged.verdicts if v.channel in channels]
    evidence = judged.evidence
    said: list[str] = []
    stop = sorted(
        (v for v in shown if v.verdict in (Verdict.BEHIND, Verdict.NOT_PAYING)),
        key=lambda v: (-evidence[v.channel].minutes, v.channel.casefold()),
    )
    if stop:
        v = stop[0]
        why = (
            f"it brings fewer leads per hour than {v.best}"
            if v.verdict is Verdict.BEHIND
            else "its wins cannot cover its cost at this rate"
        )
        said.append(
            f"Stop {v.channel}, or change how you use it: {why} "
            f"({hours_phrase(evidence[v.channel].hours)} in {RECENT_WEEKS} weeks)."
        )
    keep = sorted(
        (v for v in shown if v.verdict is Verdict.PAYS),
        key=lambda v: (-evidence[v.channel].revenue_minor, v.channel.casefold()),
    )
    if keep:
        mine = evidence[keep[0].channel]
        revenue = money_phrase(from_minor(mine.revenue_minor, judged.currency), judged.currency)
        said.append(
            f"Keep {mine.channel}: it pays ({revenue} in {RECENT_WEEKS} weeks covers its cost)."
        )
    wait = sorted(
        (v for v in shown if v.verdict is Verdict.TOO_EARLY and v.hours_to_decide is not None),
        key=lambda v: ((v.hours_to_decide or 0) - evidence[v.channel].hours, v.channel),
    )
    if wait:
        v = wait[0]
        more = max(0.0, (v.hours_to_decide or 0) - evidence[v.channel].hours)
        said.append(
            f"Give {v.channel} about {hours_phrase(more)} more to tell: at its present rate it "
            f"would be behind after {hours_phrase(v.hours_to_decide or 0)}."
        )
    return said[:MAX_SUGGESTIONS]
