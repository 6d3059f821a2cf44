"""Calendar periods — day, week, month, year — in the user's local calendar: the one place
that cuts time into periods, for `summary --by`, `--wide`, `trend`, budgets, the report and
relative phrases (`last week`).

A week starts on the `week-start` setting (0 = Monday … 6 = Sunday) and is named by its first
day. An entry belongs to the local day netlog shows for it, and so to that day's week, month
and year; a period starts at the first instant of its first local day, whatever the clocks
did (netlog.model.dates.day_boundary).
"""

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from itertools import pairwise

from netlog.errors import InputError
from netlog.model.dates import Span, day_boundary, days_span, to_storage

# The most periods one report cuts: 27 years of weeks, 190 years of months. Beyond it a
# report would be a wall of empty columns (and slow to build): netlog asks for a longer
# period or a shorter range.
MAX_PERIODS = 10_000


class Period(StrEnum):
    """The calendar periods that `summary --by` groups by."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


_ISO_DATE = r"(?a)\d{4}-\d{2}-\d{2}"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def week_start(stored: Mapping[str, str]) -> int:
    """The file's `week-start` setting (netlog.store.settings checks it when set) as the
    day weeks start on: 0 = Monday … 6 = Sunday."""
    return WEEKDAYS.index(stored.get("week-start", WEEKDAYS[0]))


def check_week_start(week_start: int) -> None:
    if not (isinstance(week_start, int) and 0 <= week_start <= 6):
        raise InputError(f"week start {week_start!r} is not a day: use 0 (Monday) to 6 (Sunday)")


def week_first_day(day: date, week_start: int) -> date:
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def period_start(day: date, period: Period, week_start: int = 0) -> date:
    """The first local day of the period that holds `day`."""
    if period is Period.YEAR:
        return date(day.year, 1, 1)
    if period is Period.MONTH:
        return date(day.year, day.month, 1)
    if period is Period.WEEK:
        check_week_start(week_start)
        return week_first_day(day, week_start)
    return day


def next_period_start(start: date, period: Period) -> date:
    if period is Period.YEAR:
        return date(start.year + 1, 1, 1)
    if period is Period.MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if period is Period.WEEK:
        return start + timedelta(weeks=1)
    return start + timedelta(days=1)


def period_label(day: date, period: Period, *, week_start: int = 0) -> str:
    """The name of the calendar period that holds a local date: 2010, 2010-09, 2010-09-14.

    A week is named by its first day (weeks start on `week_start`, 0 = Monday).
    """
    first = period_start(day, period, week_start)
    if period is Period.YEAR:
        return f"{first.year:04d}"
    if period is Period.MONTH:
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.year:04d}-{first.month:02d}-{first.day:02d}"


def label_first_day(label: str) -> date:
    """The first local day of a period named by period_label()."""
    if len(label) == 4:  # a year
        return date(int(label), 1, 1)
    if len(label) == 7:  # a month
        return date.fromisoformat(label + "-01")
    return date.fromisoformat(label)  # a day, or a week by its first day


def period_display(label: str, period: Period) -> str:
    """A period label as a table shows it: a week `2010-09-13` is `2010-09-13 – 09-19`."""
    if period is not Period.WEEK or not re.fullmatch(_ISO_DATE, label):
        return label
    try:
        first = date.fromisoformat(label)
        last = first + timedelta(days=6)
    except (ValueError, OverflowError):
        return label
    return f"{label} – {last:%m-%d}" if last.year == first.year else f"{label} – {last}"


def period_span(day: date, period: Period, zone: tzinfo, *, week_start: int = 0) -> Span:
    """The local period holding `day`, from the first instant of its first day to that of
    the next period's (relative phrases: `last week`, `this month`)."""
    first = period_start(day, period, week_start)
    return days_span(first, next_period_start(first, period) - timedelta(days=1), zone)


def period_starts(
    first: date, last: date, period: Period, *, week_start: int = 0, limit: int | None = MAX_PERIODS
) -> list[date]:
    """The first days of every period from the one holding `first` to the one holding
    `last`. InputError beyond `limit` periods (None: no limit)."""
    day = period_start(first, period, week_start)
    starts: list[date] = []
    while day <= last:
        if len(starts) == limit:
            longer = list(Period)[list(Period).index(period) + 1 :]
            instead = f"--by {' or '.join(p.value for p in longer)} or " if longer else ""
            raise InputError(
                f"{first} to {last} is more than {MAX_PERIODS:,} {period.value}s: "
                f"use {instead}a shorter --since/--until"
            )
        starts.append(day)
        day = next_period_start(day, period)
    return starts


def period_labels(first: date, last: date, period: Period, *, week_start: int = 0) -> list[str]:
    """The labels of every period from the one holding `first` to the one holding `last`."""
    return [
        period_label(day, period, week_start=week_start)
        for day in period_starts(first, last, period, week_start=week_start)
    ]


def iter_periods(
    first: datetime,
    last: datetime,
    period: Period,
    zone: tzinfo,
    *,
    week_start: int = 0,
    limit: int | None = MAX_PERIODS,
) -> Iterator[tuple[str, str, str]]:
    """(label, start, end) in stored form for every local period from the one holding
    `first` to the one holding `last` (aware instants). A period whose days do not join up
    in time — the clocks went back over midnight at one of its ends — comes in two or three
    pieces, each with the period's label. InputError beyond `limit` periods."""
    starts = period_starts(
        first.astimezone(zone).date(),
        last.astimezone(zone).date(),
        period,
        week_start=week_start,
        limit=limit,
    )
    if not starts:
        return
    starts.append(next_period_start(starts[-1], period))
    # When each period begins, in time order: (instant, index of the period from then on).
    changes: list[tuple[datetime, int]] = []
    for index, day in enumerate(starts):
        boundary = day_boundary(day, zone)
        changes.append((boundary[0], index))
        if len(boundary) == 3:  # back to the day before for a while, then this day again
            changes += [(boundary[1], index - 1), (boundary[2], index)]
    labels = [period_label(day, period, week_start=week_start) for day in starts]
    for (start, index), (end, _) in pairwise(changes):
        if 0 <= index < len(starts) - 1:
            yield labels[index], to_storage(start), to_storage(end)
