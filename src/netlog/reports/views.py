"""Reports: the queries and sums behind `summary`, `funnel`, `trend` and `log`, for the CLI
to render."""

import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from netlog.errors import InputError, NetlogError
from netlog.model.date_parsing import parse_range
from netlog.model.dates import from_storage, to_storage
from netlog.model.periods import Period, iter_periods
from netlog.present.figures import hours_phrase
from netlog.reports import insight
from netlog.reports.funnel import verdict_line
from netlog.reports.summary import (
    ChannelSummary,
    Metric,
    by_channel,
    channels_by_hours,
    idle_channels,
    metric_attribute,
    summarize,
    total,
    verdict,
)
from netlog.reports.verdicts import ChannelEvidence, ChannelVerdict, Verdict
from netlog.store import db, queries
from netlog.store.credit import LOGGED
from netlog.store.settings import Config

if TYPE_CHECKING:
    from netlog.store.who import Who


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
    credit: str | None = None  # netlog.store.credit.RULES; None: the `credit` setting
    who: str | None = None  # a device's or a person's name (netlog.store.who)


@dataclass(frozen=True)
class Bounds:
    start: str | None
    end: str | None
    channel_ids: list[int] | None
    tags: Sequence[str] = ()
    kinds: Sequence[str] = ()
    search: str | None = None
    credit: str = "logged"
    who: "Who | None" = None

    @property
    def filters(self) -> dict[str, Any]:
        """The filters beyond time and channel, as db's report queries take them."""
        return {"tags": self.tags, "kinds": self.kinds, "search": self.search, "who": self.who}

    @property
    def whole(self) -> bool:
        """Whether every entry of the channels and period shown counts: no kind, tag,
        search or who filter left some out (a channel's verdict needs all of its entries)."""
        return not (self.tags or self.kinds or self.search or self.who)


def resolve(
    conn: sqlite3.Connection, query: Query, config: Config, *, now: datetime, zone: tzinfo
) -> Bounds:
    """The query in stored form; InputError for a bad date or a channel that does not exist
    (with the known channel it is likely a typo of)."""
    from netlog.store.channels import unknown_channel_error

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
    credit = query.credit or config.credit
    who = None
    if query.who is not None:
        from netlog.store.who import matching

        who = matching(conn, query.who)
    return Bounds(start, end, ids, tuple(query.tags), tuple(query.kinds), query.search, credit, who)


def money_currency(conn: sqlite3.Connection, config: Config) -> str | None:
    """The one currency the file's amounts are added up in: the setting, else the currency
    of every amount. NetlogError (one line) when the amounts are in several currencies."""
    from netlog.model.entries import currency_conflict

    codes = db.amount_currency_codes(conn)
    if currency_conflict(dict.fromkeys(codes, 0), config.currency):  # the codes decide it
        # Counted only to say how many amounts are in each currency.
        raise NetlogError(currency_conflict(db.amount_currencies(conn), config.currency) or "")
    return config.currency or next(iter(codes), None)


class Unchecked:
    """The currency is not known yet: money_currency() checks the file for it."""


UNCHECKED = Unchecked()


def _currency(
    conn: sqlite3.Connection, config: Config, known: "str | Unchecked | None"
) -> str | None:
    return money_currency(conn, config) if isinstance(known, Unchecked) else known


# Said instead of the verdicts on channels when --kind, --tag, --search or --who cut the
# entries.
WHOLE_PICTURE_NOTE = (
    "Which channels pay and budgets need the whole picture: "
    "leave out --kind, --tag, --search and --who to see them."
)


@dataclass(frozen=True)
class SummaryReport:
    rows: list[ChannelSummary]
    totals: ChannelSummary
    flagged: list[ChannelSummary]
    verdict: str | None
    threshold_hours: Decimal
    currency: str | None
    rate: Decimal | None = None
    judged: "Judged | None" = None  # the verdicts (None: filters cut the entries)
    over_budget: tuple[str, ...] = ()  # channels shown, over a budget in the period shown
    whole: bool = True  # False: kind, tag or search filters left entries out
    credit: str = "logged"  # the rule outcomes were credited by (netlog.store.credit)
    # The channels a table shows, most hours first (all of them without a limit), and how
    # many there are in all; `judged` holds the verdicts on those shown only.
    shown: tuple[str, ...] = ()
    channel_count: int = 0

    def verdict_lines(
        self, *, show_money: bool = True, channels: Collection[str] | None = None
    ) -> list[str]:
        """A sentence for each channel `behind` or `not_paying` (netlog.reports.verdicts),
        then one line naming those too early to judge and when they would be; of `channels`
        only, when a table shows only those."""
        if self.judged is None:
            return []
        judged = self.judged
        if channels is not None:
            judged = replace(judged, verdicts=[v for v in judged.verdicts if v.channel in channels])
        return judged.lines(self.currency, show_money=show_money)

    def verdict_values(self, channel: str) -> dict[str, object]:
        """The channel's verdict, p_behind and hours_to_decide, as CSV and JSON show them."""
        from netlog.present.figures import verdict_values

        found = self.judged.of(channel) if self.judged is not None else None
        if found is None:
            return verdict_values(None, None, None)
        return verdict_values(found.verdict.value, found.p_behind, found.hours_to_decide)

    def closing_lines(
        self, *, show_money: bool = True, channels: Collection[str] | None = None
    ) -> list[str]:
        """The verdicts, the idle channels they leave out (no wins from the threshold's
        hours or more), budgets, and where the wins came from; of `channels` only, when a
        table shows only those."""
        lines = self.verdict_lines(show_money=show_money, channels=channels)
        named = self.judged.named() if self.judged is not None else set()
        idle = [
            r
            for r in self.flagged
            if r.channel not in named and (channels is None or r.channel in channels)
        ]
        if idle:
            names = ", ".join(f"{r.channel} ({hours_phrase(r.hours)})" for r in idle)
            lines.append(
                f"No wins from {names}: {self.threshold_hours.normalize():f} h or more each."
            )
        if self.over_budget:
            lines.append(
                f"Over budget: {', '.join(self.over_budget)} (see netlog budget for the limits)."
            )
        if self.verdict is not None:
            lines.append(self.verdict)
        if not self.whole:
            lines.append(WHOLE_PICTURE_NOTE)
        return lines


@dataclass(frozen=True)
class Judged:
    """The verdicts on the channels shown, with the evidence behind them."""

    verdicts: list[ChannelVerdict]
    evidence: dict[str, ChannelEvidence]
    median_win_minor: float | None
    currency: str | None = None

    def of(self, channel: str) -> ChannelVerdict | None:
        return self._by_channel.get(channel)

    @cached_property
    def _by_channel(self) -> dict[str, ChannelVerdict]:  # CSV asks for each of 10,000
        return {v.channel: v for v in self.verdicts}

    def named(self) -> set[str]:
        return {
            v.channel for v in self.verdicts if v.verdict in (Verdict.BEHIND, Verdict.NOT_PAYING)
        }

    def lines(self, currency: str | None, *, show_money: bool = True) -> list[str]:
        from netlog.reports.verdicts import sentence

        lines = [
            sentence(
                v,
                self.evidence,
                currency=currency,
                median_win_minor=self.median_win_minor,
                show_money=show_money,
            )
            for v in self.verdicts
            if v.verdict in (Verdict.BEHIND, Verdict.NOT_PAYING)
        ]
        if show_money:
            lines += [
                sentence(v, self.evidence, currency=currency, median_win_minor=None)
                for v in self.verdicts
                if v.verdict is Verdict.PAYS
            ]
        early = [
            f"{v.channel} (behind after {hours_phrase(v.hours_to_decide)} at its rate)"
            if v.hours_to_decide is not None
            else v.channel
            for v in self.verdicts
            if v.verdict is Verdict.TOO_EARLY and self.evidence[v.channel].minutes
        ]
        if early:
            lines.append(f"Too early to say: {', '.join(early)}.")
        return lines


def rate_in_minor(rate: Decimal | None, currency: str | None) -> int | None:
    """The hourly rate in whole minor units of the currency (half up), or None."""
    if rate is None:
        return None
    from netlog.model.money import rate_to_minor

    return rate_to_minor(rate, currency)


def judge_channels(
    conn: sqlite3.Connection,
    start: str | None,
    end: str | None,
    channel_ids: Sequence[int] | None,
    *,
    rate: Decimal | None,
    currency: str | None,
    min_hours: float,
    only: Collection[str] | None = None,
    sums: Sequence[Any] | None = None,
) -> Judged:
    """The verdict on every channel with entries in [start, end) (of `only`, when given:
    each still judged against all the others), as netlog.reports.verdicts rules, with the
    median win value of the whole file; `sums`: the verdict_sums of those entries when the
    caller has them already."""
    from netlog.reports.verdicts import evidence_from_sums, judge, median
    from netlog.store.queries import verdict_sums, win_values

    if sums is None:
        sums = verdict_sums(conn, start, end, channel_ids)
    evidence = evidence_from_sums(sums, rate_in_minor(rate, currency))
    median_win = median(win_values(conn))
    verdicts = judge(
        evidence,
        median_win_minor=median_win,
        min_hours=min_hours,
        only=set(only) if only is not None else None,
    )
    return Judged(verdicts, {e.channel: e for e in evidence}, median_win, currency)


def first_found_behind(
    conn: sqlite3.Connection, config: Config, zone: tzinfo, *, currency: str | None
) -> dict[str, str | None]:
    """Replaying the file week by week (weeks from `week-start`): the first week at whose end
    each channel was `behind` on everything logged up to then; None if never."""
    first, last = db.time_bounds(conn)
    if first is None or last is None:
        return {}
    weeks = iter_periods(
        from_storage(first), from_storage(last), Period.WEEK, zone, week_start=config.week_start
    )
    found: dict[str, str | None] = {}
    for label, _, end in weeks:
        judged = judge_channels(
            conn, None, end, None, rate=config.rate, currency=currency, min_hours=config.warn_hours
        )
        for judged_one in judged.verdicts:
            found.setdefault(judged_one.channel, None)
            if judged_one.verdict is Verdict.BEHIND and found[judged_one.channel] is None:
                found[judged_one.channel] = label
    return found


def periods_shown(
    conn: sqlite3.Connection,
    bounds: Bounds,
    by: Period,
    config: Config,
    zone: tzinfo,
    *,
    whole_range: bool = False,
) -> list[tuple[str, str, str]]:
    """The periods every view by period shows — `summary --by`, `--wide`, `trend`, the
    report — as (label, start, end) pieces (netlog.model.periods.iter_periods), weeks from
    `week-start`: from the one holding the first matching entry to the one holding the last;
    with `whole_range`, from --since to --until where they are given (trend shows empty
    periods at either end). InputError beyond netlog.model.periods.MAX_PERIODS."""
    from datetime import timedelta

    first, last = db.time_bounds(
        conn,
        bounds.start,
        bounds.end,
        bounds.channel_ids,
        credit=bounds.credit,
        **bounds.filters,
    )
    if first is None or last is None:
        return []
    if whole_range:
        first = bounds.start or first
        last = to_storage(from_storage(bounds.end) - timedelta(seconds=1)) if bounds.end else last
    return list(
        iter_periods(
            from_storage(first), from_storage(last), by, zone, week_start=config.week_start
        )
    )


def period_totals(
    conn: sqlite3.Connection,
    bounds: Bounds,
    by: Period,
    config: Config,
    zone: tzinfo,
    *,
    periods: list[tuple[str, str, str]] | None = None,
) -> list[sqlite3.Row]:
    """The channel × period grid of sums that every view by period reads (`summary --by`,
    `--wide` and the report through summary_report, and `trend`), over `periods` (default:
    periods_shown)."""
    if periods is None:
        periods = periods_shown(conn, bounds, by, config, zone)
    return db.period_channel_totals(
        conn,
        periods,
        bounds.start,
        bounds.end,
        bounds.channel_ids,
        credit=bounds.credit,
        **bounds.filters,
    )


def summary_report(
    conn: sqlite3.Connection,
    query: Query,
    config: Config,
    *,
    rate: Decimal | None,
    now: datetime,
    zone: tzinfo,
    currency: str | Unchecked | None = UNCHECKED,
    judge: bool = True,
    limit: int | None = None,
    totals: Sequence[Any] | None = None,
) -> SummaryReport:
    """The summary; pass `currency` when money_currency() has already checked the file.
    `judge` False leaves out what only a table of channels closes with: the verdicts per
    channel (`judged` None), the idle channels and the sentence on where the wins came from
    (`flagged` empty, `verdict` None). A grid shows none of them, and at 10,000 channels they
    cost seconds. With `limit`, a table shows the first `limit` channels (`shown`), and only
    they are judged; the rows and totals keep every channel. `totals`: the query's sums when
    the caller has read them already: per period and channel with `by`
    (db.period_channel_totals), else per channel (db.channel_totals)."""
    from netlog.reports.budget import over_budget

    bounds = resolve(conn, query, config, now=now, zone=zone)
    rate = rate if rate is not None else config.rate
    currency = _currency(conn, config, currency)
    # The period and the channels shown bound every verdict; other filters leave them out.
    whole = bounds.whole
    judging = whole and judge
    # Outcomes where logged and every entry of the range: what the verdicts read.
    judged_alike = judging and bounds.credit == LOGGED
    if totals is None and query.by is not None:
        totals = period_totals(conn, bounds, query.by, config, zone)
    elif totals is None:
        totals = db.channel_totals(
            conn,
            bounds.start,
            bounds.end,
            bounds.channel_ids,
            credit=bounds.credit,
            **bounds.filters,
        )
    # The verdicts read the same entries: their sums come from these, not a second pass.
    per_channel_sums = folded_totals(totals) if judged_alike else None
    verdict_sums = (
        _verdict_sums_from(conn, per_channel_sums, bounds) if per_channel_sums is not None else None
    )
    rows = summarize(totals, rate, currency)
    per_channel = by_channel(rows, rate) if query.by and judge else rows
    channels = channels_by_hours(rows)
    shown = channels[:limit] if limit is not None else channels
    return SummaryReport(
        rows=rows,
        totals=total(rows, rate),
        flagged=idle_channels(per_channel, config.threshold_hours) if whole and judge else [],
        # the same sentence as from `rows`, folded once
        verdict=verdict(per_channel, currency, whole=whole) if judge else None,
        threshold_hours=config.threshold_hours,
        currency=currency,
        rate=rate,
        judged=judge_channels(
            conn,
            bounds.start,
            bounds.end,
            bounds.channel_ids,
            rate=rate,
            currency=currency,
            min_hours=config.warn_hours,
            only=shown if limit is not None else None,
            sums=verdict_sums,
        )
        if judging
        else None,
        over_budget=tuple(
            sorted(
                over_budget(conn, bounds.start, bounds.end, zone, channel_ids=bounds.channel_ids),
                key=str.casefold,
            )
        )
        if whole
        else (),
        whole=whole,
        credit=bounds.credit,
        shown=tuple(shown),
        channel_count=len(channels),
    )


def summary_reports_by(
    conn: sqlite3.Connection,
    query: Query,
    config: Config,
    by: Period,
    *,
    rate: Decimal | None,
    now: datetime,
    zone: tzinfo,
    limit: int | None = None,
) -> tuple[SummaryReport, SummaryReport, list[ChannelSummary], list[dict[str, Any]] | None]:
    """summary_report(query) (showing `limit` channels, when given); summary_report of it
    `by` periods without verdicts, of the channels the first one shows only; each period's
    sums over every channel (one "Total" row a period); and the sums per channel
    (folded_totals) that the first one is made from, or None. From one read of the entries:
    when outcomes stay where logged and no kind, tag, search or who filter applies, the sums
    per period, added up, are the sums per channel (the report shows both, and its funnel
    reads them too)."""
    bounds = resolve(conn, query, config, now=now, zone=zone)  # its errors first, as ever
    currency = money_currency(conn, config)
    per_period = period_totals(conn, bounds, by, config, zone)
    alike = bounds.credit == LOGGED and bounds.whole
    per_channel = folded_totals(per_period) if alike else None
    summary = summary_report(
        conn,
        query,
        config,
        rate=rate,
        now=now,
        zone=zone,
        currency=currency,
        totals=per_channel,
        limit=limit,
    )
    shown = set(summary.shown)
    periods = summary_report(
        conn,
        replace(query, by=by),
        config,
        rate=rate,
        now=now,
        zone=zone,
        currency=currency,
        judge=False,
        totals=[row for row in per_period if row["channel"] in shown],
    )
    period_sums = summarize(
        _folded_by_period(per_period), rate if rate is not None else config.rate, currency
    )
    return summary, periods, period_sums, per_channel


def _folded_by_period(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Sums per period and channel (db.period_channel_totals) added up per period, as the
    sums of one channel named "Total"."""
    return list(
        _added_up(rows, "period", lambda row: {"channel": "Total", "period": row["period"]})
    )


def _added_up(
    rows: Sequence[Any], by: str, first: Callable[[Any], dict[str, Any]]
) -> list[dict[str, Any]]:
    """The db.SUMS of `rows` added up per value of column `by`, after first(row) of the
    first row with that value."""
    names = [name for _, name in db.SUMS]
    folded: dict[Any, dict[str, Any]] = {}
    for row in rows:
        into = folded.get(row[by])
        if into is None:
            into = folded[row[by]] = {**first(row), **dict.fromkeys(names, 0)}
        for name in names:
            into[name] += row[name] or 0
    return list(folded.values())


# Sums from SQLite stay exact below this: SQLite's float total() of money (verdict_sums), and
# its integer sum() (which fails past 2^63), agree with Python's then.
_EXACT = 2**53
_NOCASE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def folded_totals(rows: Sequence[Any]) -> list[dict[str, Any]] | None:
    """Sums per period and channel (db.period_channel_totals), or per channel, added up per
    channel as db.channel_totals has them, in channel name order (SQLite's NOCASE: ASCII
    letters only); None when a sum reaches 2^53, where SQLite's own sums of the entries
    (verdict_sums' float totals) might differ."""
    names = [name for _, name in db.SUMS]
    folded = _added_up(
        rows, "channel", lambda row: {"channel": row["channel"], "channel_id": row["channel_id"]}
    )
    if any(abs(sums[name]) >= _EXACT for sums in folded for name in names):
        return None
    return sorted(folded, key=lambda sums: sums["channel"].translate(_NOCASE))


def _verdict_sums_from(
    conn: sqlite3.Connection, totals: Sequence[Any], bounds: Bounds
) -> list[dict[str, Any]]:
    """queries.verdict_sums, from the sums per channel of the same entries (in channel name
    order) and the wins linked to a lead: no second pass over the entries."""
    linked = queries.linked_wins(conn, bounds.start, bounds.end, bounds.channel_ids)
    return [
        {
            "channel": sums["channel"],
            "minutes": sums["minutes"] or 0,
            "leads": sums["leads"] or 0,
            "wins": sums["wins"] or 0,
            "unlinked_wins": (sums["wins"] or 0) - linked.get(sums["channel_id"], 0),
            "revenue_minor": float(sums["revenue_minor"] or 0),
            "spend_minor": float(sums["spend_minor"] or 0),
        }
        for sums in totals
    ]


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


# --- funnel ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelReport:
    channels: list[insight.ChannelFunnel]
    rate: Decimal | None
    currency: str | None
    threshold_hours: Decimal
    credit: str = "logged"  # the rule outcomes were credited by (netlog.store.credit)

    def verdict_lines(self, channels: Collection[str] | None = None) -> list[str]:
        """netlog.reports.funnel.verdict_line for every channel with no wins and enough
        evidence (of `channels` only, when given)."""
        lines = []
        for channel in self.channels:
            if channels is not None and channel.row.channel not in channels:
                continue
            line = verdict_line(
                channel.row,
                rate=self.rate,
                currency=self.currency,
                spend_minor=channel.spend_minor,
                item_word=channel.word,
                min_hours=self.threshold_hours,
            )
            if line:
                lines.append(line)
        return lines


def funnel_report(
    conn: sqlite3.Connection,
    query: Query,
    config: Config,
    *,
    now: datetime,
    zone: tzinfo,
    currency: str | Unchecked | None = UNCHECKED,
    only: Collection[str] | None = None,
    sums: Sequence[Any] | None = None,
) -> FunnelReport:
    """The funnels (of the channels in `only`, when given: those a page shows); `sums`: the
    sums per channel of the query's entries when the caller has them (summary_reports_by)."""
    bounds = resolve(conn, query, config, now=now, zone=zone)
    currency = _currency(conn, config, currency)
    return FunnelReport(
        channels=insight.funnel(
            conn,
            bounds.start,
            bounds.end,
            bounds.channel_ids,
            credit=bounds.credit,
            who=bounds.who,
            only=only,
            sums=sums,
        ),
        credit=bounds.credit,
        rate=config.rate,
        currency=currency,
        threshold_hours=config.threshold_hours,
    )


# --- trend -----------------------------------------------------------------------------------

# `trend --metric` → the ChannelSummary figure it shows.


@dataclass(frozen=True)
class TrendRow:
    channel: str
    values: list[Decimal | int | None]  # None: nothing logged on the channel in that period
    total: Decimal | int
    direction: str


@dataclass(frozen=True)
class TrendReport:
    metric: str
    by: Period
    periods: list[str]
    rows: list[TrendRow]
    totals: list[Decimal | int]  # per period, all channels
    total: Decimal | int
    currency: str | None
    partial: tuple[str, ...] = ()  # labels of periods not whole: left out of the direction
    credit: str = "logged"  # the rule outcomes were credited by (netlog.store.credit)
    channel_count: int = 0  # channels with a figure: more than len(rows) when limited


def partial_periods(
    conn: sqlite3.Connection, periods: Sequence[tuple[str, str, str]], bounds: Bounds, now: datetime
) -> set[str]:
    """The labels of the periods that are not whole: one that holds `now`, or that the
    --since or --until cut falls inside, or that began before the file's first entry."""
    first, _ = db.time_bounds(conn)
    today = to_storage(now)
    return {
        label
        for label, start, end in periods
        if end > today
        or (first is not None and start < first)
        or (bounds.start is not None and start < bounds.start)
        or (bounds.end is not None and end > bounds.end)
    }


def _figure(row: ChannelSummary, metric: str) -> Decimal | int:
    value = getattr(row, metric_attribute(metric))
    return value if value is not None else Decimal(0)


def trend_report(
    conn: sqlite3.Connection,
    query: Query,
    config: Config,
    *,
    metric: str,
    rate: Decimal | None,
    now: datetime,
    zone: tzinfo,
    limit: int | None = None,
) -> TrendReport:
    """One metric per channel and period (the sums of `summary --by`), with each channel's
    total over the range (the sums of `summary`) and its direction (netlog.reports.trend).
    With `limit`, rows for the first `limit` channels only (a table's); the totals per period
    and in all still count every channel."""
    from netlog.errors import InputError
    from netlog.reports.trend import direction, grid

    by = query.by or Period.MONTH
    rate = rate if rate is not None else config.rate
    if Metric(metric).needs_rate and rate is None:
        raise InputError(
            f"--metric {metric} prices your time: give a rate (netlog trend --metric {metric} "
            "--rate 40) or set one (netlog config rate 40)"
        )
    bounds = resolve(conn, query, config, now=now, zone=zone)
    currency = money_currency(conn, config)
    periods = periods_shown(conn, bounds, by, config, zone, whole_range=True)
    if not periods:
        return TrendReport(metric, by, [], [], [], Decimal(0), currency, (), bounds.credit)
    labels = list(dict.fromkeys(label for label, _, _ in periods))  # a label per period
    partial = partial_periods(conn, periods, bounds, now)
    sums = summarize(period_totals(conn, bounds, by, config, zone, periods=periods), rate, currency)
    laid_out = grid(
        ((row.channel, row.period, _figure(row, metric)) for row in sums), labels, limit=limit
    )
    present: dict[str, set[str | None]] = {}  # channel → the periods it logged something in
    for row in sums:
        present.setdefault(row.channel, set()).add(row.period)
    channel_rows: dict[str, list[ChannelSummary]] = {}
    period_rows: dict[str | None, list[ChannelSummary]] = {}
    for row in sums:
        channel_rows.setdefault(row.channel, []).append(row)
        period_rows.setdefault(row.period, []).append(row)
    rows = [
        TrendRow(
            channel=channel,
            values=[
                value if label in present[channel] else None
                for label, value in zip(labels, values, strict=True)
            ],
            # Folded first, then worked out: exactly the summary's figure for the range.
            total=_figure(total(channel_rows[channel], rate), metric),
            direction=direction(
                [
                    float(value)
                    for label, value in zip(labels, values, strict=True)
                    if label not in partial
                ]
            ),
        )
        for channel, values in laid_out.values.items()
    ]
    per_period = [_figure(total(period_rows.get(label, []), rate), metric) for label in labels]
    return TrendReport(
        metric,
        by,
        labels,
        rows,
        per_period,
        _figure(total(sums, rate), metric),
        currency,
        tuple(label for label in labels if label in partial),
        bounds.credit,
        channel_count=len(channel_rows),
    )
