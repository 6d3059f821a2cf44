"""The return per channel: sums in, figures and a verdict out. Pure: no I/O, no Rich."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from netlog.model.money import from_minor
from netlog.present.figures import hours_phrase, money_text, share_phrase

SIXTY = Decimal(60)
# The verdict names this many channels that won, the most revenue first.
NAMED_WINNERS = 10


@dataclass(frozen=True)
class ChannelSummary:
    """One channel's sums over a period, and the figures worked out from them."""

    channel: str
    minutes: int = 0
    sessions: int = 0
    activities: int = 0
    reach: int = 0
    replies: int = 0
    leads: int = 0
    wins: int = 0
    revenue: Decimal = Decimal(0)
    spend: Decimal = Decimal(0)  # cash paid for the channel (fees, ads, credits)
    rate: Decimal | None = None
    period: str | None = None

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / SIXTY

    # Each figure divides once, last, so that 20 minutes at 30/h costs exactly 10.

    @property
    def revenue_per_hour(self) -> Decimal | None:
        return self.revenue * SIXTY / self.minutes if self.minutes else None

    @property
    def hours_per_win(self) -> Decimal | None:
        # Undefined without wins; 0 with wins and no logged time (0 h ÷ 2 wins is 0).
        return Decimal(self.minutes) / (SIXTY * self.wins) if self.wins else None

    @property
    def cost(self) -> Decimal | None:
        """The time, priced at the hourly rate; None without a rate."""
        return self.rate * self.minutes / SIXTY if self.rate is not None else None

    @property
    def total_cost(self) -> Decimal | None:
        """Time cost plus cash spent. Without a rate it is the spend alone (time unpriced),
        and None when there is neither a rate nor any spend: nothing is priced."""
        cost = self.cost
        if cost is None:
            return self.spend if self.spend else None
        return cost + self.spend

    @property
    def net(self) -> Decimal | None:
        total_cost = self.total_cost
        return self.revenue - total_cost if total_cost is not None else None

    @property
    def roi(self) -> Decimal | None:
        total_cost, net = self.total_cost, self.net
        return net / total_cost if total_cost and net is not None else None


_FIELDS = tuple(field.name for field in fields(ChannelSummary))


def _made(values: tuple[Any, ...]) -> ChannelSummary:
    """The ChannelSummary of a value for every field, in order. A frozen dataclass's
    __init__ sets each field through object.__setattr__: for the 100,000 rows of a grid of
    10,000 channels that was 0.15 s, so the values go into the new object's __dict__ at
    once (the same object: tests/test_summary.py compares the two)."""
    summary = object.__new__(ChannelSummary)
    summary.__dict__.update(zip(_FIELDS, values, strict=True))
    return summary


def summarize(
    totals: Iterable[Any], rate: Decimal | None = None, currency: str | None = None
) -> list[ChannelSummary]:
    """Rows of SQL sums (as from db.channel_totals) → summaries, most hours first. Amounts
    are minor units of `currency` (the file's one currency)."""
    amounts: dict[int, Decimal] = {}  # a grid of 10,000 channels repeats a few (0 above all)

    def amount(minor: int) -> Decimal:
        found = amounts.get(minor)
        if found is None:
            found = amounts[minor] = from_minor(minor, currency)
        return found

    rows = []
    place: dict[str, int | str] = {}
    for row in totals:
        by_name = isinstance(row, dict)  # sums added up in Python: each has its own keys
        if by_name or not place:
            # A sqlite3.Row's values are read by place, found once: it finds a name by
            # comparing it with every column's, case ignored (a grid of 10,000 channels has
            # 100,000 rows).
            place = {name: name if by_name else index for index, name in enumerate(row.keys())}
            channel, minutes, sessions, activities, reach, leads, wins, revenue = (
                place[name]
                for name in (
                    "channel", "minutes", "sessions", "activities", "reach", "leads", "wins",
                    "revenue_minor",
                )
            )  # fmt: skip
            replies, spend, period = (place.get(n) for n in ("replies", "spend_minor", "period"))
        # Every field, in ChannelSummary's order (_made)
        rows.append(
            _made((
                row[channel], row[minutes] or 0, row[sessions] or 0, row[activities] or 0,
                row[reach] or 0, (row[replies] or 0) if replies is not None else 0,
                row[leads] or 0, row[wins] or 0, amount(row[revenue] or 0),
                amount(row[spend] or 0) if spend is not None else amount(0), rate,
                row[period] if period is not None else None,
            ))
        )  # fmt: skip
    # Periods in calendar order (the labels sort that way), then most hours first.
    return sorted(rows, key=lambda r: (r.period or "", -r.minutes, r.channel.casefold()))


def total(rows: Sequence[ChannelSummary], rate: Decimal | None) -> ChannelSummary:
    """All channels added together (in one pass: a grid folds 10,000 channels with it)."""
    minutes = sessions = activities = reach = replies = leads = wins = 0
    revenue = spend = Decimal(0)
    for r in rows:
        minutes += r.minutes
        sessions += r.sessions
        activities += r.activities
        reach += r.reach
        replies += r.replies
        leads += r.leads
        wins += r.wins
        revenue += r.revenue
        spend += r.spend
    return ChannelSummary(
        channel="Total",
        minutes=minutes,
        sessions=sessions,
        activities=activities,
        reach=reach,
        replies=replies,
        leads=leads,
        wins=wins,
        revenue=revenue,
        spend=spend,
        rate=rate,
    )


def by_channel(rows: Sequence[ChannelSummary], rate: Decimal | None) -> list[ChannelSummary]:
    """Rows of several periods folded into one row per channel."""
    groups: dict[str, list[ChannelSummary]] = {}
    for row in rows:
        groups.setdefault(row.channel, []).append(row)
    folded = [
        replace(group[0], rate=rate, period=None)  # the same sums: nothing to add up
        if len(group) == 1
        else replace(total(group, rate), channel=channel)
        for channel, group in groups.items()
    ]
    return sorted(folded, key=lambda r: (-r.minutes, r.channel.casefold()))


def channels_by_hours(rows: Sequence[ChannelSummary]) -> list[str]:
    """Every channel in `rows`, most hours first over all their periods, then by name: the
    order of by_channel, in which tables show channels (and choose the ones they show)."""
    minutes: dict[str, int] = {}
    for row in rows:
        minutes[row.channel] = minutes.get(row.channel, 0) + row.minutes
    return sorted(minutes, key=lambda channel: (-minutes[channel], channel.casefold()))


def idle_channels(rows: Sequence[ChannelSummary], threshold_hours: Decimal) -> list[ChannelSummary]:
    """Channels that took at least the threshold of hours and won nothing."""
    return [r for r in rows if r.wins == 0 and r.minutes and r.hours >= threshold_hours]


def verdict(
    rows: Sequence[ChannelSummary], currency: str | None, *, whole: bool = True
) -> str | None:
    """One sentence: where the won work came from against where the time went.

    `whole` is False when filters beyond channel and period (kind, tag, search) cut the
    entries: the wins shown still came from somewhere, but the absence of wins says
    nothing, so there is no sentence then (None), and hours are "shown", not "yours"."""
    channels = by_channel(rows, None)
    all_hours = sum((r.hours for r in channels), Decimal(0))
    winners = sorted(
        (r for r in channels if r.wins), key=lambda r: (-r.revenue, -r.wins, r.channel.casefold())
    )
    wins = sum(r.wins for r in winners)
    if not wins:
        return f"No wins yet from {hours_phrase(all_hours)} of networking." if whole else None
    revenue = sum((r.revenue for r in winners), Decimal(0))
    winner_hours = sum((r.hours for r in winners), Decimal(0))
    money = f" ({money_text(revenue, currency)})" if revenue else ""
    noun = "win" if wins == 1 else "wins"
    if len(winners) == 1:
        lead = "The only win" if wins == 1 else f"All {wins} {noun}"
        source = winners[0].channel
    else:
        lead = f"{wins} {noun}"
        source = ", ".join(
            f"{r.channel} ({r.wins}"
            + (f", {money_text(r.revenue, currency)})" if r.revenue else ")")
            for r in winners[:NAMED_WINNERS]
        )
        if len(winners) > NAMED_WINNERS:
            source += f" and {len(winners) - NAMED_WINNERS:,} more channels"
    if whole:
        share = f": {share_phrase(winner_hours, all_hours)} of your {hours_phrase(all_hours)}"
    elif all_hours:
        share = f": {share_phrase(winner_hours, all_hours)} of the {hours_phrase(all_hours)} shown"
    else:
        share = ""  # the filters left the time out: a share of it would be of nothing
    return f"{lead}{money} came from {source}{share}."


class Metric(StrEnum):
    """A figure per channel and period that `trend` and `summary --wide` show: each one adds
    up over periods and channels, so a grid's totals are the sums of its cells."""

    HOURS = "hours"
    ITEMS = "items"
    REPLIES = "replies"
    LEADS = "leads"
    WINS = "wins"
    REVENUE = "revenue"
    SPEND = "spend"
    COST = "cost"
    NET = "net"

    @property
    def attribute(self) -> str:
        """The ChannelSummary attribute behind it."""
        return "activities" if self is Metric.ITEMS else self.value

    @property
    def is_money(self) -> bool:
        return self in (Metric.REVENUE, Metric.SPEND, Metric.COST, Metric.NET)

    @property
    def needs_rate(self) -> bool:
        """Undefined without an hourly rate."""
        return self in (Metric.COST, Metric.NET)


@cache
def metric_attribute(metric: str) -> str:
    """Metric(metric).attribute, looked up once: a grid reads it for each of its cells."""
    return Metric(metric).attribute
