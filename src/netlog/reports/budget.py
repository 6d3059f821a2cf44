"""Budgets per channel (time or money, per week or per month) and the early warnings that
`add`, `spend` and `stop` print after a write.

Two warnings, on one line at most:
  (a) the channel is over its budget for the period that holds the entry just logged;
  (b) the channel is `behind` or `not_paying` (netlog.reports.verdicts) on the entries of
      the RECENT_WEEKS (12) weeks up to the entry just logged, against every channel's entries then.

Imported by `add` only after a successful write, so keep module-level imports light: the
modules `add` has already loaded, nothing else.
"""

import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import NamedTuple

from netlog.errors import InputError, NetlogError
from netlog.model.dates import from_storage
from netlog.model.durations import format_duration
from netlog.model.entries import Entry
from netlog.model.periods import Period, iter_periods

WARN_HOURS_SETTING = "warn-hours"
DEFAULT_WARN_HOURS = 3
# The most a period can hold, in minutes: a week, and the longest month.
MAX_MINUTES = {"week": 7 * 24 * 60, "month": 31 * 24 * 60}
BUDGET_KINDS = ("time", "spend")
# The kind of budget an entry counts towards: sessions' minutes, or money spent.
BUDGET_KIND_FOR_ENTRY = {"activity": "time", "spend": "spend"}

_EXAMPLES = "use e.g. 2h/week, 90m/week, 30h/month or £50/month"
# Patterns as text, compiled on first use (re caches them): `add` never needs them.
_LIMIT = r"(?is)\s*(?P<amount>.+?)\s*(?:/|\s+per\s+)\s*(?P<period>[a-z]+)\s*"
_PERIODS = {"week": "week", "wk": "week", "month": "month", "mo": "month", "mth": "month"}


class Limit(NamedTuple):
    kind: str  # 'time' or 'spend'
    period: str  # 'week' or 'month'
    value: int  # minutes, or minor units of `currency`
    currency: str | None = None  # spend only


class BudgetUse(NamedTuple):
    """A budget and what its channel used in one period, from the day the budget counts."""

    channel: str
    limit: Limit
    period_label: str  # the week's first day (2010-09-13) or the month (2010-09)
    used: int  # minutes or minor units
    counts_from: str | None = None  # stored form; None: from the first entry

    @property
    def over(self) -> bool:
        return self.used > self.limit.value  # exactly at the limit is within it


# --- reading and showing limits ------------------------------------------------------------


def _minutes(text: str) -> int | None:
    """Minutes in a time budget (`2h`, `90m`, `1:30`, `30h`: past the 24 hours a session may
    last), or None if it is no duration."""
    from netlog.model.durations import parse_duration

    try:
        return parse_duration(text, longest=None)
    except InputError:
        return None


def _money(text: str, file_currency: str | None) -> tuple[int, str | None] | None:
    from netlog.model.entries import amount
    from netlog.model.money import parse_money

    try:
        parse_money(text, currency=file_currency)
    except InputError:
        return None  # not an amount at all: maybe a duration
    return amount(text, file_currency)  # an amount: its errors (currency, decimals) are real


def parse_limit(text: str, file_currency: str | None, *, kind: str | None = None) -> Limit:
    """A budget as typed: `2h/week`, `90m/week`, `30h/month`, `£50/month` (money in the
    file's currency). A bare number is minutes or money: `kind` ('time' or 'spend') says which.
    """
    match = re.fullmatch(_LIMIT, text) if len(text) <= 100 else None
    if match is None:
        raise InputError(f"cannot read {text!r} as a budget: {_EXAMPLES}")
    period = _PERIODS.get(match["period"].lower())
    if period is None:
        raise InputError(
            f"a budget is per week or per month, not per {match['period']!r}: {_EXAMPLES}"
        )
    amount_text = match["amount"]
    minutes = _minutes(amount_text) if kind in (None, "time") else None
    money = _money(amount_text, file_currency) if kind in (None, "spend") else None
    if minutes is not None and money is not None:
        raise InputError(
            f"is {amount_text!r} minutes or money? Write {amount_text}m/{period} or "
            f"{amount_text} {file_currency or 'GBP'}/{period} (or add --time or --spend)"
        )
    if minutes is not None:
        if minutes > MAX_MINUTES[period]:
            raise InputError(
                f"a {period} has at most {MAX_MINUTES[period] // 60} hours: {text!r} is more"
            )
        return Limit("time", period, minutes)
    if money is not None:
        value, currency = money
        if currency is None:
            raise InputError(
                f"which currency is {amount_text!r} in? Write it with one (£50/{period}), or "
                "set the file's first: netlog config currency GBP"
            )
        if value <= 0:
            raise InputError(f"a budget must be more than nothing: {_EXAMPLES}")
        return Limit("spend", period, value, currency)
    wanted = {"time": " of time", "spend": " of money"}.get(kind or "", "")
    raise InputError(f"cannot read {amount_text!r} as a budget{wanted}: {_EXAMPLES}")


def format_amount(kind: str, value: int, currency: str | None) -> str:
    """Minutes as `1h 30m`, minor units as `£50.00`."""
    if kind == "time":
        return format_duration(value)
    from netlog.model.money import from_minor
    from netlog.present.figures import money_text

    return money_text(from_minor(value, currency), currency)


def format_limit(limit: Limit) -> str:
    """`2h/week`, `£50.00/month`: what parse_limit reads back."""
    return f"{format_amount(limit.kind, limit.value, limit.currency)}/{limit.period}"


def period_span(
    moment: datetime, period: str, zone: tzinfo, *, week_start: int = 0
) -> tuple[str, str, str]:
    """(label, start, end) of the local week (from `week_start`, 0 = Monday) or calendar
    month holding `moment`; start and end in stored form."""
    pieces = list(iter_periods(moment, moment, Period(period), zone, week_start=week_start))
    return pieces[0][0], pieces[0][1], pieces[-1][2]


def _week_start(conn: sqlite3.Connection) -> int:
    """The file's `week-start` setting: budget weeks start where every other week does."""
    from netlog.model.periods import week_start
    from netlog.store import db

    return week_start(db.read_settings(conn))


def describe_period(period: str, label: str) -> str:
    return f"the week of {label}" if period == "week" else label


def day_start(moment: datetime, zone: tzinfo) -> str:
    """The start of the local day holding `moment`, in stored form: where a budget set (or
    backdated to) that day starts counting."""
    return next(iter_periods(moment, moment, Period.DAY, zone))[1]


# --- storing budgets -----------------------------------------------------------------------


def _limit_from_row(row: sqlite3.Row | tuple) -> Limit:
    kind, period, value, currency = row
    return Limit(kind, period, value, currency)


def set_budget(
    conn: sqlite3.Connection, channel: str, limit: Limit, *, created_at: str, counts_from: str
) -> tuple[str, Limit | None]:
    """Set the channel's budget of `limit.kind`, counting entries from `counts_from` (stored
    form), inside the caller's transaction; a spend budget gives a file without a currency
    its own. Returns the channel's name and the budget it replaced."""
    from netlog.store import budgets, db

    found = db.require_channel(conn, channel)
    db.adopt_currency(conn, limit.currency)
    previous = budgets.budget_of(conn, found.id, limit.kind)
    budgets.write_budget(
        conn,
        found.id,
        (limit.kind, limit.period, limit.value, limit.currency),
        created_at=created_at,
        counts_from=counts_from,
    )
    return found.name, _limit_from_row(previous) if previous else None


def remove_budgets(
    conn: sqlite3.Connection, channel: str, kinds: Iterable[str] = BUDGET_KINDS
) -> tuple[str, list[Limit]]:
    """Remove the channel's budgets of these kinds, inside the caller's transaction; returns
    the channel's name and what was removed. NetlogError if it had none of them."""
    from netlog.store import budgets, db

    found = db.require_channel(conn, channel)
    kinds = list(kinds)
    removed = [_limit_from_row(row) for row in budgets.remove_budgets(conn, found.id, kinds)]
    if not removed:
        which = {"time": "time ", "spend": "money "}.get(kinds[0], "") if len(kinds) == 1 else ""
        raise NetlogError(f"{found.name} has no {which}budget (see: netlog budget list)")
    return found.name, removed


# --- what budgets have used ----------------------------------------------------------------


def budget_use(
    conn: sqlite3.Connection,
    moment: datetime,
    zone: tzinfo,
    *,
    channel_id: int | None = None,
    kind: str | None = None,
) -> list[BudgetUse]:
    """Every budget (or the channel's, of one kind) with what it used in its period that
    holds `moment`, in channel order, time before spend."""
    first_day = _week_start(conn)
    week_label, week_start, week_end = period_span(moment, "week", zone, week_start=first_day)
    month_label, month_start, month_end = period_span(moment, "month", zone)
    from netlog.store.budgets import budgets_used

    spans = {
        "week_start": week_start, "week_end": week_end,
        "month_start": month_start, "month_end": month_end,
    }  # fmt: skip
    rows = budgets_used(conn, spans, channel_id=channel_id, kind=kind)
    labels = {"week": week_label, "month": month_label}
    return [
        BudgetUse(name, Limit(kind_, period, value, currency), labels[period], used, counts_from)
        for name, kind_, period, value, currency, counts_from, used in rows
    ]


def over_budget(
    conn: sqlite3.Connection,
    start: str | None,
    end: str | None,
    zone: tzinfo | None = None,
    *,
    channel_ids: Sequence[int] | None = None,
) -> set[str]:
    """The channels (names as first written; of `channel_ids` only, when given) over a
    budget in one of its periods that overlaps [start, end) (stored form; None = open).

    Whole periods count, from the day the budget counts (a week that starts before `start`
    is judged on all of its days), but a period is only judged when the channel logged
    something the budget counts within [start, end): a monthly budget over in September
    does not mark a September week with nothing spent."""
    from netlog.store.budgets import budgeted_channels
    from netlog.store.db import file_currency, time_bounds
    from netlog.store.queries import channels_over_budget

    budgets = budgeted_channels(conn)
    ids = sorted({row[0] for row in budgets})
    if channel_ids is not None:
        ids = sorted(set(ids) & set(channel_ids))
    if not ids:
        return set()
    if zone is None:
        from netlog.model.dates import local_zone

        zone = local_zone()
    first, last = time_bounds(conn, start, end, ids)
    first_day = _week_start(conn)
    if first is None or last is None:
        return set()
    periods = [
        (period, label, period_start, period_end)
        for period in sorted({row[1] for row in budgets})
        for label, period_start, period_end in iter_periods(
            from_storage(first),
            from_storage(last),
            Period(period),
            zone,
            week_start=first_day,
            limit=None,  # every period with an entry is judged, however long the file's span
        )
    ]
    return channels_over_budget(conn, periods, file_currency(conn), ids, start, end)


# --- the early warning ---------------------------------------------------------------------


def warn_minutes(settings: dict[str, str]) -> int:
    """The `warn-hours` setting in whole minutes; 0 turns the warning off. (A float, not a
    Decimal: `add` has not loaded decimal, and minutes are whole anyway.)"""
    try:
        hours = float(settings.get(WARN_HOURS_SETTING, DEFAULT_WARN_HOURS))
    except ValueError:
        hours = DEFAULT_WARN_HOURS
    if not 0 <= hours <= 10_000:  # also NaN
        hours = DEFAULT_WARN_HOURS
    return round(hours * 60)


def warning_for(conn: sqlite3.Connection, entry: Entry, zone: tzinfo) -> str | None:
    """The one warning line about the channel of an entry just logged, or None."""
    from netlog.store import db

    budget_kind = BUDGET_KIND_FOR_ENTRY.get(entry.kind)
    if budget_kind is None:  # outcomes: a lead or a win never makes things worse
        return None
    channel = db.lookup_channel(conn, entry.channel)
    if channel is None:
        return None
    settings = db.read_settings(conn)
    parts = []
    for use in budget_use(
        conn, from_storage(entry.occurred_at), zone, channel_id=channel.id, kind=budget_kind
    ):
        if use.over and use.limit.currency in (None, settings.get("currency")):
            used = format_amount(use.limit.kind, use.used, use.limit.currency)
            period = describe_period(use.limit.period, use.period_label)
            parts.append(f"is over its {format_limit(use.limit)} budget ({used} in {period})")
    threshold = warn_minutes(settings)
    if threshold:
        judged = verdict_warning(conn, entry, channel.name, settings, threshold)
        if judged:
            parts.append(judged)
    if not parts:
        return None
    return f"Warning: {channel.name} " + " and ".join(parts)


def verdict_warning(
    conn: sqlite3.Connection,
    entry: Entry,
    channel: str,
    settings: dict[str, str],
    threshold_minutes: int,
) -> str | None:
    """`is behind: …` or `does not pay: …` for the channel just logged, judged on the
    RECENT_WEEKS weeks up to the entry (one indexed query); None otherwise."""
    from datetime import timedelta

    from netlog.model.dates import to_storage
    from netlog.reports.verdicts import (
        RECENT_WEEKS,
        Verdict,
        evidence_from_sums,
        judge,
        median,
        sentence,
        sums_win_values,
    )
    from netlog.store.queries import verdict_sums

    moment = from_storage(entry.occurred_at)
    start = to_storage(moment - timedelta(weeks=RECENT_WEEKS))
    end = to_storage(moment + timedelta(seconds=1))
    rows = verdict_sums(conn, start, end)
    if not any(row["channel"] == channel for row in rows):
        return None
    currency = settings.get("currency")
    rate_minor = _rate_minor(settings.get("rate"), currency)
    evidence = evidence_from_sums(rows, rate_minor)
    median_win = median(sums_win_values(rows))
    verdicts = judge(
        evidence,
        median_win_minor=median_win,
        min_hours=threshold_minutes / 60,
        with_hours_to_decide=False,
    )
    mine = next(v for v in verdicts if v.channel == channel)
    if mine.verdict not in (Verdict.BEHIND, Verdict.NOT_PAYING):
        return None
    said = sentence(
        mine, {e.channel: e for e in evidence}, currency=currency, median_win_minor=median_win
    )
    what = "is behind" if mine.verdict is Verdict.BEHIND else "does not pay"
    said = said.removeprefix(channel + ": ").removesuffix(": it does not pay.").rstrip(".")
    return f"{what} ({said})"


def _rate_minor(text: str | None, currency: str | None) -> int | None:
    if text is None:
        return None
    from decimal import Decimal, InvalidOperation

    from netlog.model.money import rate_to_minor

    try:
        rate = Decimal(text)
    except InvalidOperation:
        return None
    if not rate.is_finite() or rate < 0:
        return None
    return rate_to_minor(rate, currency)


def warn_after_logging(path: Path, entry: Entry, zone: tzinfo, say: Callable[[str], None]) -> None:
    """After a successful write of `entry`: `say` the warning about its channel, if any."""
    from netlog.store import db

    if entry.kind not in BUDGET_KIND_FOR_ENTRY:
        return
    try:
        with db.connection(path, create=False) as conn:
            warning = warning_after(conn, entry, zone) if conn is not None else None
    except (NetlogError, OSError):
        return  # the entry is written: a file that cannot be read now only costs the warning
    if warning is not None:
        say(warning)


def warning_after(conn: sqlite3.Connection, entry: Entry, zone: tzinfo) -> str | None:
    """The warning about the channel of an entry just written, on the connection that wrote
    it; None when there is none, or when it cannot be worked out (the entry is safe)."""
    if entry.kind not in BUDGET_KIND_FOR_ENTRY:
        return None
    try:
        return warning_for(conn, entry, zone)
    except (NetlogError, sqlite3.Error):
        return None
