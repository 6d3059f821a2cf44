"""Dates, periods and durations, read and shown in the user's local calendar.

Everything is stored in UTC; everything a person types or reads is local time. The local
zone comes from the TZ environment variable, else the system's zone.
"""

import os
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from netlog.errors import InputError

MAX_DURATION_MINUTES = 24 * 60


class DateOrder(StrEnum):
    """How to read an ambiguous numeric date such as 03/04/2011."""

    DAY_FIRST = "day-first"  # 3 April 2011
    MONTH_FIRST = "month-first"  # 4 March 2011

    @classmethod
    def from_settings(cls, stored: "Mapping[str, str]") -> "DateOrder":
        """The `date-order` setting of a database (day-first when unset)."""
        return cls(stored.get("date-order", cls.DAY_FIRST))


class Period(StrEnum):
    """The calendar periods that `summary --by` groups by."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


def local_zone() -> tzinfo:
    """The user's time zone: TZ if it names a zone, else the system's."""
    from zoneinfo import ZoneInfo

    name = os.environ.get("TZ", "").lstrip(":")
    try:
        if name:
            return ZoneInfo(name)
        with Path("/etc/localtime").open("rb") as system_zone:
            return ZoneInfo.from_file(system_zone, key="localtime")
    except (KeyError, ValueError, OSError):
        # A POSIX rule such as "EST5EDT,M3.2.0,M11.1.0", or no zone file (Windows):
        # fall back to the C library's idea of local time.
        import time

        from dateutil.tz import tzlocal

        time.tzset()
        return tzlocal()


def to_storage(moment: datetime) -> str:
    """The one stored shape, UTC to the second, so that text order is time order."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def from_storage(text: str) -> datetime:
    return datetime.fromisoformat(text)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Span(NamedTuple):
    """A stretch of time [start, end) named by what the user typed: `2010-09` is a month."""

    start: datetime
    end: datetime


def _local_midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _day_span(day: date, zone: tzinfo) -> Span:
    # The next local midnight, not start + 24 h: days around a DST change last 23 or 25 h.
    return Span(_local_midnight(day, zone), _local_midnight(day + timedelta(days=1), zone))


def _month_span(year: int, month: int, zone: tzinfo) -> Span:
    following = date(year + month // 12, month % 12 + 1, 1)
    return Span(_local_midnight(date(year, month, 1), zone), _local_midnight(following, zone))


def _year_span(year: int, zone: tzinfo) -> Span:
    return Span(
        _local_midnight(date(year, 1, 1), zone), _local_midnight(date(year + 1, 1, 1), zone)
    )


def _week_span(year: int, week: int, zone: tzinfo) -> Span:
    monday = date.fromisocalendar(year, week, 1)
    return Span(_local_midnight(monday, zone), _local_midnight(monday + timedelta(weeks=1), zone))


def _instant_span(moment: datetime, zone: tzinfo, *, has_seconds: bool) -> Span:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.replace(microsecond=0)
    return Span(moment, moment + timedelta(seconds=1 if has_seconds else 60))


_YEAR = re.compile(r"\d{4}", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)
_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.ASCII | re.IGNORECASE)
_YEAR_FIRST = re.compile(r"\d{4}\D", re.ASCII)
_ISO_TIME_SEPARATOR = re.compile(r"[Tt ]")
_ISO_OFFSET = re.compile(r"[+\-Zz]")


def parse_span(
    text: str,
    *,
    now: datetime,
    zone: tzinfo,
    date_order: DateOrder = DateOrder.DAY_FIRST,
) -> Span:
    """Read a date or time the way a person means it, as the span of time it names.

    `2010` is that year, `2010-09` that month, `2010-W37` that ISO week, `2010-09-14` and
    `yesterday` that local day, `2010-09-14 10:00` that minute, `now` this second.
    Raises InputError for anything else.
    """
    try:
        span = _read_span(" ".join(text.split()), now, zone, date_order)
    except (ValueError, OverflowError):
        raise InputError(
            f"cannot read {text!r} as a date: use e.g. 2010-09-14, '2010-09-14 10:00', "
            "2010-09, 2010, today, yesterday or 09:30"
        ) from None
    if not (span.start.year >= FIRST_YEAR and span.end.year <= LAST_YEAR):
        raise InputError(f"{text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return span


FIRST_YEAR, LAST_YEAR = 1900, 9998  # beyond these, UTC conversions overflow datetime


def _read_span(cleaned: str, now: datetime, zone: tzinfo, date_order: DateOrder) -> Span:
    keyword = cleaned.lower()
    local_today = now.astimezone(zone).date()
    if keyword == "now":
        return _instant_span(now.astimezone(zone), zone, has_seconds=True)
    if keyword == "today":
        return _day_span(local_today, zone)
    if keyword == "yesterday":
        return _day_span(local_today - timedelta(days=1), zone)
    if _YEAR.fullmatch(cleaned):
        return _year_span(int(cleaned), zone)
    if match := _MONTH.fullmatch(cleaned):
        return _month_span(int(match[1]), int(match[2]), zone)
    if match := _WEEK.fullmatch(cleaned):
        return _week_span(int(match[1]), int(match[2]), zone)
    return _parse_general(cleaned, zone, date_order, local_today)


def _parse_general(text: str, zone: tzinfo, date_order: DateOrder, today: date) -> Span:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        time_separator = _ISO_TIME_SEPARATOR.search(text)
        if time_separator is None:  # a bare ISO date (2010-09-14, 20100914, 2010-W37-2)
            return _day_span(parsed.date(), zone)
        clock = _ISO_OFFSET.split(text[time_separator.end() :], maxsplit=1)[0]
        has_seconds = len(clock.split(".")[0].replace(":", "")) >= 6
        return _instant_span(parsed, zone, has_seconds=has_seconds)
    return _parse_with_dateutil(text, zone, date_order, today)


def _parse_with_dateutil(text: str, zone: tzinfo, date_order: DateOrder, today: date) -> Span:
    import warnings

    from dateutil import parser

    # A date that starts with its year is year-month-day whatever the date-order setting.
    yearfirst = bool(_YEAR_FIRST.match(text))
    dayfirst = date_order is DateOrder.DAY_FIRST and not yearfirst
    # dateutil fills what the text leaves out from `default`. Parsing against two defaults
    # that differ in every field shows which fields the user actually gave, so that a
    # missing day or month never silently comes from today. Both are leap years with
    # 31-day months, so that 29 February or 31 May parse against either.
    first_default = datetime(2000, 1, 1, 0, 0, 0)  # noqa: DTZ001 - naive: only a field filler
    second_default = datetime(2004, 3, 3, 1, 1, 1)  # noqa: DTZ001
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = parser.parse(text, default=first_default, dayfirst=dayfirst, yearfirst=yearfirst)
        second = parser.parse(text, default=second_default, dayfirst=dayfirst, yearfirst=yearfirst)
    if caught:  # e.g. a zone name dateutil does not know ("10:00 EST"): refuse, never guess
        raise ValueError(str(caught[0].message))
    given = {
        field: getattr(first, field) == getattr(second, field)
        for field in ("year", "month", "day", "hour", "minute", "second")
    }
    if given["hour"] and not (given["year"] or given["month"] or given["day"]):
        # A time alone (09:30, 10am) is that time today.
        first = first.replace(year=today.year, month=today.month, day=today.day)
        given.update(year=True, month=True, day=True)
    year = first.year if given["year"] else today.year
    if not given["month"]:
        raise ValueError("no month")
    if not given["day"]:
        return _month_span(year, first.month, first.tzinfo or zone)
    if not given["hour"]:
        return _day_span(date(year, first.month, first.day), first.tzinfo or zone)
    return _instant_span(
        first.replace(
            year=year,
            minute=first.minute if given["minute"] else 0,
            second=first.second if given["second"] else 0,
        ),
        zone,
        has_seconds=given["second"],
    )


def parse_at(
    text: str | None,
    *,
    now: datetime,
    zone: tzinfo,
    date_order: DateOrder = DateOrder.DAY_FIRST,
) -> datetime:
    """When an entry happened: the start of the span named, never in the future."""
    if text is None:
        return now
    moment = parse_span(text, now=now, zone=zone, date_order=date_order).start
    if moment > now:
        shown = moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        raise InputError(f"--at {text!r} is in the future ({shown}); log things once they happen")
    return moment


def parse_range(
    since: str | None,
    until: str | None,
    *,
    now: datetime,
    zone: tzinfo,
    date_order: DateOrder = DateOrder.DAY_FIRST,
) -> tuple[str | None, str | None]:
    """Stored-form bounds [start, end) for --since/--until; both ends are inclusive periods."""
    start = end = None
    if since is not None:
        start = parse_span(since, now=now, zone=zone, date_order=date_order).start
    if until is not None:
        end = parse_span(until, now=now, zone=zone, date_order=date_order).end
    if start is not None and end is not None and start >= end:
        raise InputError(f"--since {since!r} is after --until {until!r}")
    return (
        to_storage(start) if start is not None else None,
        to_storage(end) if end is not None else None,
    )


def period_label(moment: date, period: Period) -> str:
    """The name of the calendar period that holds a local date: 2010, 2010-09, 2010-W37…"""
    if period is Period.YEAR:
        return f"{moment.year:04d}"
    if period is Period.MONTH:
        return f"{moment.year:04d}-{moment.month:02d}"
    if period is Period.WEEK:
        iso = moment.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def _period_start(day: date, period: Period) -> date:
    if period is Period.YEAR:
        return date(day.year, 1, 1)
    if period is Period.MONTH:
        return date(day.year, day.month, 1)
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day


def _next_period_start(start: date, period: Period) -> date:
    if period is Period.YEAR:
        return date(start.year + 1, 1, 1)
    if period is Period.MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if period is Period.WEEK:
        return start + timedelta(weeks=1)
    return start + timedelta(days=1)


def iter_periods(
    first: datetime, last: datetime, period: Period, zone: tzinfo
) -> Iterator[tuple[str, str, str]]:
    """(label, start, end) in stored form for every local period from `first` to `last`."""
    day = _period_start(first.astimezone(zone).date(), period)
    last_day = last.astimezone(zone).date()
    while day <= last_day:
        following = _next_period_start(day, period)
        yield (
            period_label(day, period),
            to_storage(_local_midnight(day, zone)),
            to_storage(_local_midnight(following, zone)),
        )
        day = following


_DURATION_CLOCK = re.compile(r"(\d+):([0-5]\d)", re.ASCII)
_DURATION_UNITS = re.compile(
    r"(?:(?P<hours>\d+(?:\.\d+)?|\.\d+)\s*(?:h|hr|hrs|hour|hours))?"
    r"\s*(?:(?P<minutes>\d+)\s*(?:m|min|mins|minute|minutes)?)?",
    re.ASCII | re.IGNORECASE,
)


def _hours_to_minutes(hours: str) -> int:
    """`1.5` hours → 90 minutes, rounded half up, in integers (no float error, no Decimal)."""
    whole, _, fraction = hours.partition(".")
    scale = 10 ** len(fraction)
    sixtieths = int(whole or 0) * scale * 60 + int(fraction or 0) * 60
    return (2 * sixtieths + scale) // (2 * scale)


def parse_duration(text: str) -> int:
    """Whole minutes from `45m`, `1h30m`, `1h 30m`, `1.5h`, `90` or `1:30`.

    A grammar of its own: dateutil would read `1h30` as half past one today.
    """
    cleaned = text.strip()
    minutes: int | None = None
    if cleaned.isascii() and cleaned.isdigit():
        minutes = int(cleaned)
    elif match := _DURATION_CLOCK.fullmatch(cleaned):
        minutes = int(match[1]) * 60 + int(match[2])
    elif (match := _DURATION_UNITS.fullmatch(cleaned)) and (match["hours"] or match["minutes"]):
        # A bare number after hours is minutes (1h30); a bare number alone was handled above.
        minutes = _hours_to_minutes(match["hours"] or "0") + int(match["minutes"] or 0)
    if minutes is None:
        hint = " (durations are positive)" if cleaned.startswith("-") else ""
        raise InputError(
            f"cannot read {text!r} as a duration{hint}: use e.g. 45m, 1h30m, 1.5h, 90 or 1:30"
        )
    if minutes <= 0:
        raise InputError(f"duration {text!r} is zero: log at least one minute")
    if minutes > MAX_DURATION_MINUTES:
        raise InputError(f"duration {text!r} is longer than 24 hours: split it into sessions")
    return minutes


def format_duration(minutes: int) -> str:
    """`1h 30m`, `45m`, `2h`."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest:02d}m"
    if hours:
        return f"{hours}h"
    return f"{rest}m"
