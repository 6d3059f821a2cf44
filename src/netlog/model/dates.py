"""Dates, periods and durations, read and shown in the user's local calendar.

Everything is stored in UTC; everything a person types or reads is local time. The local
zone comes from the TZ environment variable, else the system's zone.
"""

import os
import re
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import NamedTuple

from netlog.errors import InputError

MAX_DURATION_MINUTES = 24 * 60
FIRST_YEAR, LAST_YEAR = 1900, 9998  # beyond these, UTC conversions overflow datetime

# Longest date or duration text read at all: far above any real one, and it keeps hostile
# input (thousands of digits) away from int() and dateutil.
_MAX_TEXT_LENGTH = 100
_MAX_COUNT_DIGITS = 7  # "N days ago": 10**7 days is already far outside FIRST_YEAR..LAST_YEAR
_DATE_EXAMPLES = (
    "use e.g. 2010-09-14, '2010-09-14 10:00', 2010-09, 2010, today, 'yesterday 3pm', "
    "'last fri 9am', '3 days ago' or 'last week'"
)


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


_EPOCH_DAY = date(1970, 1, 1).toordinal()


class SystemZone(tzinfo):
    """Local time as the C library keeps it (TZ, else /etc/localtime): what `date` shows.

    Folds and gaps follow PEP 495 as zoneinfo has them: in a fold, fold=0 is the first of
    the two times; in a gap, fold=0 takes the offset from before the change. Built on
    datetime's own local-time conversions, so that `netlog add` need not load zoneinfo (a
    few milliseconds of its start-up).

    Converting many times (an export) asks the C library once per day: the offset of a day
    with no clock change in it, or in the day before (a fold reaches back at most that
    far), is cached. Clock changes are never less than two days apart in the tz database
    from 1900 on, so a day whose two ends have the same offset has no change inside.
    """

    def __init__(self, key: str | None) -> None:
        self.key = key  # the zone's name, for messages; None for a POSIX rule or the system's
        self._by_wall_day: dict[int, timedelta] = {}
        self._by_utc_day: dict[int, timedelta] = {}

    @staticmethod
    def _wall_seconds(moment: datetime) -> int:
        """Seconds since 1970-01-01 00:00 of the time as written (its zone ignored)."""
        days = moment.toordinal() - _EPOCH_DAY
        return days * 86400 + moment.hour * 3600 + moment.minute * 60 + moment.second

    def _stamp(self, moment: datetime) -> int:
        """The POSIX time of a local wall-clock time (whole seconds); `fold` picks one of two."""
        try:
            return round(moment.replace(tzinfo=None, microsecond=0).timestamp())
        except (OverflowError, ValueError, OSError):
            # The last day datetime knows (9999-12-31), where the C library's search for a
            # fold looks a day past it: the offset of two days before.
            wall = self._wall_seconds(moment)
            return wall - time.localtime(wall - 2 * 86400).tm_gmtoff

    def _exact_offset(self, moment: datetime) -> timedelta:
        return timedelta(seconds=self._wall_seconds(moment) - self._stamp(moment))

    def utcoffset(self, moment: datetime | None) -> timedelta | None:
        if moment is None:
            return None
        day = moment.toordinal()
        offset = self._by_wall_day.get(day)
        if offset is None:
            start = datetime.fromordinal(day)
            ends = (start, start.replace(hour=23, minute=59, second=59))
            offsets = {self._exact_offset(end.replace(fold=f)) for end in ends for f in (0, 1)}
            if len(offsets) > 1:  # the clocks change this day (or it is datetime's last)
                return self._exact_offset(moment)
            offset = self._by_wall_day[day] = offsets.pop()
        return offset

    def fromutc(self, moment: datetime) -> datetime:
        day = moment.toordinal()
        offset = self._by_utc_day.get(day)
        if offset is None:
            start = (day - _EPOCH_DAY) * 86400
            steps = (-86400, 0, 86399)  # the day before, and this day's two ends
            offsets = {time.localtime(start + step).tm_gmtoff for step in steps}
            if len(offsets) > 1:
                # naive local time, with its fold set
                local = datetime.fromtimestamp(self._wall_seconds(moment))  # noqa: DTZ006
                return local.replace(microsecond=moment.microsecond, tzinfo=self)
            offset = self._by_utc_day[day] = timedelta(seconds=offsets.pop())
        return moment + offset

    def _local(self, moment: datetime) -> time.struct_time:
        """The C library's local time of the period whose offset utcoffset() gives: in a gap,
        the period before the change (fold=0) or after it (fold=1), as zoneinfo has it."""
        wall = self._wall_seconds(moment)
        stamp = self._stamp(moment)
        local = time.localtime(stamp)
        if local.tm_gmtoff != wall - stamp:  # in a gap: look across the change
            local = time.localtime(wall - local.tm_gmtoff)
        return local

    def dst(self, moment: datetime | None) -> timedelta | None:
        """Daylight saving time in effect: the offset less the standard one of that time."""
        if moment is None:
            return None
        local = self._local(moment)
        if local.tm_isdst <= 0:
            return timedelta(0)
        stamp = self._stamp(moment)
        for months in range(1, 13):  # the nearest standard time, before or after
            for step in (-months, months):
                standard = time.localtime(stamp + step * 30 * 86400)
                saving = local.tm_gmtoff - standard.tm_gmtoff
                # (a zone that moved across the date line changed more than its clocks)
                if standard.tm_isdst == 0 and 0 < abs(saving) <= 3 * 3600:
                    return timedelta(seconds=saving)
        return timedelta(hours=1)  # daylight saving all year round: no standard to compare

    def tzname(self, moment: datetime | None) -> str | None:
        if moment is None:
            return self.key
        return self._local(moment).tm_zone

    def __repr__(self) -> str:
        return f"SystemZone({self.key!r})"


def local_zone() -> tzinfo:
    """The user's time zone: TZ if set (a zone name or a POSIX rule), else the system's; UTC
    if TZ holds an impossible offset (UTC+99)."""
    if hasattr(time, "tzset"):
        time.tzset()  # TZ may have changed since the C library last read it
    name = os.environ.get("TZ", "").lstrip(":")
    zone = SystemZone(name if "/" in name or name in ("UTC", "GMT") else None)
    try:
        for month in (1, 7):  # both halves of the year, so both of a rule's offsets
            datetime(2010, month, 15, tzinfo=zone).utcoffset()
    except (ValueError, OverflowError):  # an offset of 24 hours or more
        return UTC
    return zone


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


def _shown(text: str) -> str:
    """The user's text quoted for a one-line message, cut short if it is long."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _has_foreign_digits(text: str) -> bool:
    """Digits other than 0-9 (١٢, １２, ²): Python's int() and dateutil read some of them."""
    return any(char.isnumeric() and not char.isascii() for char in text)


def _check_week_start(week_start: int) -> None:
    if not (isinstance(week_start, int) and 0 <= week_start <= 6):
        raise InputError(f"week start {week_start!r} is not a day: use 0 (Monday) to 6 (Sunday)")


# Calendar arithmetic


def _local_midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _day_span(day: date, zone: tzinfo) -> Span:
    # The next local midnight, not start + 24 h: days around a DST change last 23 or 25 h.
    return Span(_local_midnight(day, zone), _local_midnight(day + timedelta(days=1), zone))


def _days_span(first: date, last: date, zone: tzinfo) -> Span:
    return Span(_local_midnight(first, zone), _local_midnight(last + timedelta(days=1), zone))


def _month_span(year: int, month: int, zone: tzinfo) -> Span:
    following = date(year + month // 12, month % 12 + 1, 1)
    return Span(_local_midnight(date(year, month, 1), zone), _local_midnight(following, zone))


def _year_span(year: int, zone: tzinfo) -> Span:
    return Span(
        _local_midnight(date(year, 1, 1), zone), _local_midnight(date(year + 1, 1, 1), zone)
    )


def _iso_week_span(year: int, week: int, zone: tzinfo) -> Span:
    monday = date.fromisocalendar(year, week, 1)
    return _days_span(monday, monday + timedelta(days=6), zone)


def _week_first_day(day: date, week_start: int) -> date:
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def _instant_span(moment: datetime, zone: tzinfo, *, has_seconds: bool, notices: list[str]) -> Span:
    if moment.tzinfo is None:
        moment = _localize(moment, zone, notices)
    _check_offset(moment)
    moment = moment.replace(microsecond=0)
    # The end counted in real time: 01:59 + 1 minute on a fall-back night is 02:00 only once.
    step = timedelta(seconds=1 if has_seconds else 60)
    return Span(moment, (moment.astimezone(UTC) + step).astimezone(moment.tzinfo))


# Clock changes: local times that do not exist, or that happen twice


def _localize(wall: datetime, zone: tzinfo, notices: list[str]) -> datetime:
    """A local wall-clock time as a moment: refused in a DST gap, the first of two in a fold."""
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    before, after = first.utcoffset(), second.utcoffset()
    if before is None or after is None or before == after:
        return first
    shown = _wall_text(wall)
    if before < after:  # the clocks jumped over this time
        last_before, first_after = _gap_edges(wall, zone, before, after)
        raise InputError(
            f"{shown} does not exist in {_zone_name(zone)} (clocks went forward): "
            f"use {_edge_text(last_before, wall)} or {_edge_text(first_after, wall)}"
        )
    notices.append(
        f"{shown} happens twice in {_zone_name(zone)} (clocks went back): took the first "
        f"({first:%H:%M} {first.tzname()}); for the second write "
        f"'{_wall_text(wall)}{_offset_text(after)}'"
    )
    return first


def _gap_edges(
    wall: datetime, zone: tzinfo, before: timedelta, after: timedelta
) -> tuple[datetime, datetime]:
    """The last local minute before a DST gap and the first after it."""
    # In UTC, wall - after is before the change and wall - before is after it; find the
    # change to the second by bisection.
    earliest = (wall - after).replace(tzinfo=UTC)
    low, high = 0, int((after - before).total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        if (earliest + timedelta(seconds=middle)).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    change = earliest + timedelta(seconds=high)
    last_before = (change - timedelta(seconds=1)).astimezone(zone).replace(second=0)
    first_after = (change + timedelta(seconds=59)).astimezone(zone).replace(second=0)
    return last_before, first_after


def _zone_name(zone: tzinfo) -> str:
    key = getattr(zone, "key", None)
    return key if key and key != "localtime" else "your time zone"


def _wall_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")


def _edge_text(moment: datetime, wall: datetime) -> str:
    return moment.strftime("%H:%M" if moment.date() == wall.date() else "%Y-%m-%d %H:%M")


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


# Reading dates

# Patterns are plain strings, compiled on first use by re (which caches them), so that
# `netlog add` without --at compiles none of the date grammar.

_WEEKDAYS = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
_WEEKDAY_NAMES = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
# A local day: today, yesterday, mon, last friday, 3 days ago, a week ago.
_RELATIVE_DAY = (
    r"(?a)(?P<keyword>today|yesterday)"
    rf"|(?P<last>last )?(?P<weekday>{_WEEKDAY_NAMES})"
    r"|(?P<count>\d+|a) (?P<unit>day|week)s? ago"
)
# A time of day: 3pm, 3 pm, 3:30pm, 15:00, 15:00:30, noon, midnight.
_TIME_OF_DAY = (
    r"(?a)(?P<named>noon|midnight)"
    r"|(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)? ?(?P<meridiem>[ap]\.?m\.?)?"
)
# A stretch of days: this week, last month, last 7 days.
_RELATIVE_PERIOD = r"(?a)(?P<which>this|last) (?P<unit>week|month|year)|last (?P<days>\d+) days?"
_YEAR = r"(?a)\d{4}"
_MONTH = r"(?a)(\d{4})-(\d{1,2})"
_WEEK = r"(?ai)(\d{4})-?W(\d{1,2})"
_YEAR_FIRST = r"(?a)\d{4}\D"
_ISO_TIME_SEPARATOR = r"[Tt ]"
_ISO_OFFSET = r"[+\-Zz]"


class _OutOfRange(Exception):
    """A date arithmetically fine but outside FIRST_YEAR..LAST_YEAR."""


class _BadOffset(Exception):
    """A UTC offset of 24 hours or more, which dateutil reads and datetime refuses."""


def _check_offset(moment: datetime) -> None:
    try:
        moment.utcoffset()
    except ValueError:
        raise _BadOffset from None


def parse_span(
    text: str,
    *,
    now: datetime,
    zone: tzinfo,
    date_order: DateOrder = DateOrder.DAY_FIRST,
    week_start: int = 0,
    notices: list[str] | None = None,
) -> Span:
    """Read a date or time the way a person means it, as the span of time it names.

    `2010` is that year, `2010-09` that month, `2010-W37` that ISO week, `last week` the
    week before this one (weeks start on `week_start`, 0 = Monday), `2010-09-14`,
    `yesterday`, `mon` and `3 days ago` that local day, `2010-09-14 10:00` and
    `yesterday 3pm` that minute, `now` this second. A local time that happens twice (clocks
    going back) is the first, with a one-line notice appended to `notices`.
    Raises InputError for anything else.
    """
    _check_week_start(week_start)
    cleaned = " ".join(text.split())
    if _has_foreign_digits(cleaned):
        raise InputError(f"cannot read {_shown(text)} as a date: write numbers with 0-9")
    if len(cleaned) > _MAX_TEXT_LENGTH:
        raise InputError(f"cannot read {_shown(text)} as a date: it is too long; {_DATE_EXAMPLES}")
    found: list[str] = []
    try:
        span = _read_span(cleaned, now, zone, date_order, week_start, found)
    except _BadOffset:
        raise InputError(
            f"cannot read {_shown(text)} as a date: a UTC offset must be under 24 hours, "
            "e.g. '2010-09-14 10:00 +02:00'"
        ) from None
    except (OverflowError, _OutOfRange):
        raise InputError(
            f"{_shown(text)} is outside the years {FIRST_YEAR} to {LAST_YEAR}"
        ) from None
    except ValueError:
        suggestion = _suggest(cleaned, now, zone, date_order, week_start)
        advice = f"try {suggestion!r}" if suggestion else _DATE_EXAMPLES
        raise InputError(f"cannot read {_shown(text)} as a date: {advice}") from None
    last_instant = span.end - timedelta(microseconds=1)  # a span ends where the next begins
    if not (span.start.year >= FIRST_YEAR and last_instant.year <= LAST_YEAR):
        raise InputError(f"{_shown(text)} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    if notices is not None:
        notices.extend(found)
    return span


def _read_span(
    cleaned: str,
    now: datetime,
    zone: tzinfo,
    date_order: DateOrder,
    week_start: int,
    notices: list[str],
) -> Span:
    keyword = cleaned.lower()
    if keyword == "now":
        return _instant_span(now.astimezone(zone), zone, has_seconds=True, notices=notices)
    local_today = now.astimezone(zone).date()
    if cleaned[:4].isascii() and cleaned[:4].isdigit() and cleaned[4:5] == "-":
        # `2010-09-14 10:00`, what scripts write: no relative form starts so, and skipping
        # the relative grammar spares `netlog add --at` compiling its patterns.
        span = _read_absolute(cleaned, zone, date_order, local_today, notices)
        _check_offset(span.start)
        return span
    relative = _read_relative(keyword, local_today, zone, week_start, notices)
    if relative is not None:
        return relative
    span = _read_absolute(cleaned, zone, date_order, local_today, notices)
    _check_offset(span.start)  # a day or month in a fixed offset, e.g. `14 Sep 2010 +99:00`
    return span


def _read_absolute(
    cleaned: str, zone: tzinfo, date_order: DateOrder, local_today: date, notices: list[str]
) -> Span:
    if re.fullmatch(_YEAR, cleaned):
        return _year_span(int(cleaned), zone)
    if match := re.fullmatch(_MONTH, cleaned):
        return _month_span(int(match[1]), int(match[2]), zone)
    if match := re.fullmatch(_WEEK, cleaned):
        return _iso_week_span(int(match[1]), int(match[2]), zone)
    return _parse_general(cleaned, zone, date_order, local_today, notices)


def _read_relative(
    keyword: str, today: date, zone: tzinfo, week_start: int, notices: list[str]
) -> Span | None:
    """The span of a relative form (`yesterday 3pm`, `last week`), or None if it is not one."""
    if match := re.fullmatch(_RELATIVE_PERIOD, keyword):
        return _relative_period(match, today, zone, week_start)
    if match := re.fullmatch(_RELATIVE_DAY, keyword):
        return _day_span(_relative_day(match, today), zone)
    day_text, clock_text = _split_day_and_time(keyword)
    if not clock_text:
        return None
    hour, minute, second, has_seconds = _read_clock(clock_text)
    day = _relative_day(re.fullmatch(_RELATIVE_DAY, day_text), today) if day_text else today
    wall = datetime(day.year, day.month, day.day, hour, minute, second)  # noqa: DTZ001
    return _instant_span(wall, zone, has_seconds=has_seconds, notices=notices)


def _split_day_and_time(keyword: str) -> tuple[str, str]:
    """('yesterday', '3pm') from `yesterday 3pm`, `yesterday at 3 pm` or `3pm yesterday`;
    ('', '15:00') from a time alone; ('', '') if neither."""
    if re.fullmatch(_TIME_OF_DAY, keyword):
        return "", keyword
    words = keyword.split(" ")
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        for day, clock in ((head.removesuffix(" at"), tail), (tail, head)):
            if re.fullmatch(_RELATIVE_DAY, day) and re.fullmatch(_TIME_OF_DAY, clock):
                return day, clock
    return "", ""


def _read_clock(text: str) -> tuple[int, int, int, bool]:
    """(hour, minute, second, has_seconds) of a time of day; ValueError for 13pm or 25:00."""
    match = re.fullmatch(_TIME_OF_DAY, text)
    if match is None:
        raise ValueError("not a time")
    if match["named"]:
        return (12 if match["named"] == "noon" else 0), 0, 0, False
    if match["minute"] is None and match["meridiem"] is None:
        raise ValueError("a bare number such as 14 is not a time")
    hour, minute, second = int(match["hour"]), int(match["minute"] or 0), int(match["second"] or 0)
    if match["meridiem"]:
        if not 1 <= hour <= 12:
            raise ValueError("not a 12-hour time")
        hour = hour % 12 + (12 if match["meridiem"].startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("not a time")
    return hour, minute, second, match["second"] is not None


def _relative_day(match: re.Match[str] | None, today: date) -> date:
    if match is None:
        raise ValueError("not a day")
    if match["keyword"]:
        return today - timedelta(days=1 if match["keyword"] == "yesterday" else 0)
    if match["weekday"]:
        back = (today.weekday() - _WEEKDAYS[match["weekday"]]) % 7
        return today - timedelta(days=back or (7 if match["last"] else 0))
    days = _count(match["count"]) * (7 if match["unit"] == "week" else 1)
    return today - timedelta(days=days)


def _count(digits: str) -> int:
    if digits == "a":
        return 1
    if len(digits) > _MAX_COUNT_DIGITS:
        raise _OutOfRange(digits)
    return int(digits)


def _relative_period(match: re.Match[str], today: date, zone: tzinfo, week_start: int) -> Span:
    if match["days"]:
        days = _count(match["days"])
        if days < 1:
            raise ValueError("no days")
        return _days_span(today - timedelta(days=days - 1), today, zone)
    back = 1 if match["which"] == "last" else 0
    if match["unit"] == "week":
        first = _week_first_day(today, week_start) - timedelta(weeks=back)
        return _days_span(first, first + timedelta(days=6), zone)
    if match["unit"] == "month":
        months = today.year * 12 + today.month - 1 - back
        return _month_span(months // 12, months % 12 + 1, zone)
    return _year_span(today.year - back, zone)


def _parse_general(
    text: str, zone: tzinfo, date_order: DateOrder, today: date, notices: list[str]
) -> Span:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        time_separator = re.search(_ISO_TIME_SEPARATOR, text)
        if time_separator is None:  # a bare ISO date (2010-09-14, 20100914, 2010-W37-2)
            return _day_span(parsed.date(), zone)
        clock = re.split(_ISO_OFFSET, text[time_separator.end() :], maxsplit=1)[0]
        has_seconds = len(clock.split(".")[0].replace(":", "")) >= 6
        return _instant_span(parsed, zone, has_seconds=has_seconds, notices=notices)
    return _parse_with_dateutil(text, zone, date_order, today, notices)


def _parse_with_dateutil(
    text: str, zone: tzinfo, date_order: DateOrder, today: date, notices: list[str]
) -> Span:
    import warnings

    from dateutil import parser

    # A date that starts with its year is year-month-day whatever the date-order setting.
    yearfirst = bool(re.match(_YEAR_FIRST, text))
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
        # A time alone (10:00 +0200) is that time today.
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
        notices=notices,
    )


# Words a typo is matched against. Abbreviations are known but not offered: `est` must not
# become `sat`.
_OFFERED_WORDS = (
    *("today", "yesterday", "now", "noon", "midnight", "ago", "last", "this"),
    *("day", "days", "week", "weeks", "month", "year"),
    *(name for name in _WEEKDAYS if len(name) > 4),
    *("january", "february", "march", "april", "june", "july", "august", "september"),
    *("october", "november", "december"),
)
_KNOWN_WORDS = {*_OFFERED_WORDS, *_WEEKDAYS, "a", "at", "am", "pm", "t", "w", "z"}


def _suggest(
    cleaned: str, now: datetime, zone: tzinfo, date_order: DateOrder, week_start: int
) -> str | None:
    """A working spelling of a mistyped date (`yesterdy 3pm` → `yesterday 3pm`), if one is near."""
    import difflib

    def nearest(word: re.Match[str]) -> str:
        if word[0] in _KNOWN_WORDS:
            return word[0]
        close = difflib.get_close_matches(word[0], _OFFERED_WORDS, n=1, cutoff=0.75)
        return close[0] if close else word[0]

    lowered = cleaned.lower()
    spaced = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z]{3})", " ", lowered)  # yesterday3pm
    suggestion = re.sub(r"[a-z]+", nearest, spaced)
    if suggestion == lowered:
        return None
    try:
        _read_span(suggestion, now, zone, date_order, week_start, [])
    except (ValueError, OverflowError, _OutOfRange, InputError):
        return None
    return suggestion


def parse_at(
    text: str | None,
    *,
    now: datetime,
    zone: tzinfo,
    date_order: DateOrder = DateOrder.DAY_FIRST,
    week_start: int = 0,
    notices: list[str] | None = None,
) -> datetime:
    """When an entry happened: the start of the span named, never in the future.

    A local time that happens twice is the first; a line saying so goes to `notices`.
    """
    if text is None:
        return now
    moment = parse_span(
        text, now=now, zone=zone, date_order=date_order, week_start=week_start, notices=notices
    ).start
    if moment > now:
        shown = moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        hint = ""
        if re.fullmatch(_TIME_OF_DAY, " ".join(text.lower().split())):
            hint = f"; for yesterday write 'yesterday {' '.join(text.split())}'"
        raise InputError(
            f"--at {_shown(text)} is in the future ({shown}); log things once they happen{hint}"
        )
    return moment


def parse_range(
    since: str | None,
    until: str | None,
    *,
    now: datetime,
    zone: tzinfo,
    date_order: DateOrder = DateOrder.DAY_FIRST,
    week_start: int = 0,
    notices: list[str] | None = None,
) -> tuple[str | None, str | None]:
    """Stored-form bounds [start, end) for --since/--until; both ends are inclusive periods.

    `--since "last week"` starts at the start of last week; `--until "last week"` ends at its end.
    """

    def span(text: str) -> Span:
        return parse_span(
            text, now=now, zone=zone, date_order=date_order, week_start=week_start, notices=notices
        )

    start = span(since).start if since is not None else None
    end = span(until).end if until is not None else None
    if start is not None and end is not None and start >= end:
        raise InputError(f"--since {_shown(since or '')} is after --until {_shown(until or '')}")
    return (
        to_storage(start) if start is not None else None,
        to_storage(end) if end is not None else None,
    )


# Periods for `summary --by`

_ISO_DATE = r"(?a)\d{4}-\d{2}-\d{2}"


def period_label(moment: date, period: Period, *, week_start: int = 0) -> str:
    """The name of the calendar period that holds a local date: 2010, 2010-09, 2010-09-14.

    A week is named by its first day (weeks start on `week_start`, 0 = Monday).
    """
    day = _period_start(moment, period, week_start)
    if period is Period.YEAR:
        return f"{day.year:04d}"
    if period is Period.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


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


def _period_start(day: date, period: Period, week_start: int = 0) -> date:
    if period is Period.YEAR:
        return date(day.year, 1, 1)
    if period is Period.MONTH:
        return date(day.year, day.month, 1)
    if period is Period.WEEK:
        _check_week_start(week_start)
        return _week_first_day(day, week_start)
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
    first: datetime, last: datetime, period: Period, zone: tzinfo, *, week_start: int = 0
) -> Iterator[tuple[str, str, str]]:
    """(label, start, end) in stored form for every local period from `first` to `last`."""
    day = _period_start(first.astimezone(zone).date(), period, week_start)
    last_day = last.astimezone(zone).date()
    while day <= last_day:
        following = _next_period_start(day, period)
        yield (
            period_label(day, period, week_start=week_start),
            to_storage(_local_midnight(day, zone)),
            to_storage(_local_midnight(following, zone)),
        )
        day = following


# Durations

_DURATION_CLOCK = r"(?a)(\d+):([0-5]\d)"
_DURATION_UNITS = (
    r"(?ai)(?:(?P<hours>\d+(?:\.\d+)?|\.\d+)\s*(?:h|hr|hrs|hour|hours))?"
    r"\s*(?:(?P<minutes>\d+)\s*(?:m|min|mins|minute|minutes)?)?"
)


def round_minutes(seconds: float | int) -> int:
    """Whole minutes in a length of time: half a minute rounds up, and any positive length
    is at least one minute. Raises ValueError for a negative or non-finite length."""
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"a length of time must be finite and not negative, not {seconds!r}")
    whole, rest = divmod(seconds, 60)  # exact for floats too: no 0.5-ulp surprises
    minutes = int(whole) + (rest >= 30)
    return max(minutes, 1) if seconds > 0 else 0


def round_typed_minutes(seconds: float | int) -> int:
    """Whole minutes in a length a person typed: half up as round_minutes(), but with no
    floor of one minute, so `0.001h` is 0 minutes (and refused), never 1m."""
    return round_minutes(seconds) if seconds >= 30 else 0


# A bare number of minutes this small (`add linkedin 2`) was more likely meant as hours.
FEW_BARE_MINUTES = 5


def looks_like_hours(text: str) -> bool:
    """Whether a duration is a bare number under FEW_BARE_MINUTES: minutes, by the
    grammar, but likely hours typed without their unit."""
    cleaned = text.strip()
    return cleaned.isascii() and cleaned.isdigit() and 0 < int(cleaned) < FEW_BARE_MINUTES


def _hours_to_seconds(hours: str) -> float:
    """`1.5` hours → 5400 seconds."""
    whole, _, fraction = hours.partition(".")
    seconds = int(whole or 0) * 3600
    if fraction:
        return seconds + int(fraction) * 3600 / 10 ** len(fraction)
    return seconds


def parse_duration(text: str) -> int:
    """Whole minutes from `45m`, `1h30m`, `1h 30m`, `1.5h`, `90` or `1:30`.

    A grammar of its own: dateutil would read `1h30` as half past one today. Fractions of
    a minute round as round_minutes() does.
    """
    cleaned = text.strip()
    shown = _shown(text)
    examples = "use e.g. 45m, 1h30m, 1.5h, 90 or 1:30"
    if _has_foreign_digits(cleaned):
        raise InputError(f"cannot read {shown} as a duration: write numbers with 0-9, {examples}")
    if len(cleaned) > _MAX_TEXT_LENGTH:  # checked before int(): 5,000 digits would raise
        if cleaned.isascii() and cleaned.isdigit():
            raise InputError(f"duration {shown} is longer than 24 hours: split it into sessions")
        raise InputError(f"cannot read {shown} as a duration: {examples}")
    minutes: int | None = None
    unit = cleaned[-1:].lower()
    if cleaned.isascii() and cleaned.isdigit():
        minutes = int(cleaned)
    elif unit in ("m", "h") and cleaned[:-1].isascii() and cleaned[:-1].isdigit():
        minutes = int(cleaned[:-1]) * (60 if unit == "h" else 1)  # 45m, 2h: no regex needed
    elif match := re.fullmatch(_DURATION_CLOCK, cleaned):
        minutes = int(match[1]) * 60 + int(match[2])
    elif (match := re.fullmatch(_DURATION_UNITS, cleaned)) and (match["hours"] or match["minutes"]):
        # A bare number after hours is minutes (1h30); a bare number alone was handled above.
        seconds = _hours_to_seconds(match["hours"] or "0") + int(match["minutes"] or 0) * 60
        minutes = round_typed_minutes(seconds)
        if seconds > 0 and not minutes:
            raise InputError(f"duration {shown} rounds to 0 minutes: log at least one minute")
    if minutes is None:
        hint = " (durations are positive)" if cleaned.startswith("-") else ""
        raise InputError(f"cannot read {shown} as a duration{hint}: {examples}")
    if minutes <= 0:
        raise InputError(f"duration {shown} is zero: log at least one minute")
    if minutes > MAX_DURATION_MINUTES:
        raise InputError(f"duration {shown} is longer than 24 hours: split it into sessions")
    return minutes


def format_duration(minutes: int) -> str:
    """`1h 30m`, `45m`, `2h`."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest:02d}m"
    if hours:
        return f"{hours}h"
    return f"{rest}m"
