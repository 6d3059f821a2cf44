"""Local time and the stored form: the user's zone, the one clock, and where local days begin.

Everything is stored in UTC; everything a person types or reads is local time. The local
zone comes from the TZ environment variable, else the system's (/etc/localtime). Reading
dates is netlog.model.date_parsing, calendar periods netlog.model.periods, lengths of time
netlog.model.durations.
"""

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

FIRST_YEAR, LAST_YEAR = 1900, 9998  # beyond these, UTC conversions overflow datetime
_SYSTEM_ZONE_FILE = "/etc/localtime"
_ZONE_FOLDER_MARK = "zoneinfo/"  # /usr/share/zoneinfo/Europe/London → Europe/London


class DateOrder(StrEnum):
    """How to read an ambiguous numeric date such as 03/04/2011."""

    DAY_FIRST = "day-first"  # 3 April 2011
    MONTH_FIRST = "month-first"  # 4 March 2011

    @classmethod
    def from_settings(cls, stored: "Mapping[str, str]") -> "DateOrder":
        """The `date-order` setting of a database (day-first when unset)."""
        return cls(stored.get("date-order", cls.DAY_FIRST))


# The local zone


def local_zone() -> tzinfo:
    """The user's time zone, the one `date` uses: TZ if set (a zone name, a zone file's path
    or a POSIX rule such as `EST5EDT,M3.2.0,M11.1.0`), else the system's. UTC when TZ names
    nothing readable or an impossible offset (24 hours or more, `UTC+99`), as the C library
    does."""
    name = os.environ.get("TZ")
    zone = _system_zone() if name is None else _zone_named(name.removeprefix(":"))
    return zone if _offsets_are_possible(zone) else UTC


def _zone_key(path: str) -> str | None:
    """`Europe/London` from a path in the zone database, else None."""
    _, mark, key = os.path.realpath(path).partition(_ZONE_FOLDER_MARK)
    return key if mark and key else None


def _zone_file(path: str) -> tzinfo | None:
    from zoneinfo import ZoneInfo

    key = _zone_key(path)
    if key is not None:
        try:
            return ZoneInfo(key)  # named, for messages, and cached by zoneinfo
        except (KeyError, ValueError, OSError):
            pass
    try:
        with Path(path).open("rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (ValueError, OSError):
        return None


def _system_zone() -> tzinfo:
    return _zone_file(_SYSTEM_ZONE_FILE) or UTC


def _zone_named(name: str) -> tzinfo:
    if not name:
        return UTC  # an empty TZ is UTC to the C library
    if name.startswith("/"):
        return _zone_file(name) or UTC
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not in the zone database: a POSIX rule?
        pass
    import re

    from dateutil.tz import tzstr

    # dateutil reads names of letters only: `<+0330>-3:30` is read as `AAA-3:30`
    names = iter(("AAA", "BBB"))
    rule = re.sub(r"<[^<>]*>", lambda _: next(names, "CCC"), name)
    try:
        return tzstr(rule, posix_offset=True)
    except (ValueError, TypeError, IndexError, OverflowError):
        return UTC


def _offsets_are_possible(zone: tzinfo) -> bool:
    """False for a rule whose offsets datetime refuses (24 hours or more)."""
    # A POSIX rule keeps its two offsets; its summer may be a single week (`M6.1.0,M6.2.0`),
    # which two dates a year would miss.
    rule_offsets = [getattr(zone, name, None) for name in ("_std_offset", "_dst_offset")]
    if any(isinstance(o, timedelta) and abs(o) >= timedelta(hours=24) for o in rule_offsets):
        return False
    try:
        for month in (1, 7):  # both halves of the year
            datetime(2010, month, 15, tzinfo=zone).utcoffset()
    except (ValueError, OverflowError):
        return False
    return True


def zone_name(zone: tzinfo) -> str:
    """The zone as messages name it: `Europe/London`, else `your time zone`."""
    key = getattr(zone, "key", None)
    return key if key and key != "localtime" else "your time zone"


# The stored form and the clock


def to_storage(moment: datetime) -> str:
    """The one stored shape, UTC to the second, so that text order is time order."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def from_storage(text: str) -> datetime:
    return datetime.fromisoformat(text)


def utc_now() -> datetime:
    """The clock: the one seam tests pin `now` at (monkeypatch netlog.model.dates.utc_now)."""
    return datetime.now(UTC).replace(microsecond=0)


class Span(NamedTuple):
    """A stretch of time [start, end) named by what the user typed: `2010-09` is a month."""

    start: datetime
    end: datetime


# Where local days begin


def clock_change(one: datetime, other: datetime, zone: tzinfo) -> datetime:
    """The first second between two instants with different offsets in `zone` that has the
    offset of the later one: when the clocks changed. In `zone`."""
    low, high = sorted((one.astimezone(UTC), other.astimezone(UTC)))
    after = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) // 2
        if middle.replace(microsecond=0).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0).astimezone(zone)


def _midnight_offsets(day: date, zone: tzinfo) -> tuple[datetime, timedelta, timedelta]:
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    before = midnight.utcoffset() or timedelta(0)
    after = midnight.replace(fold=1).utcoffset() or timedelta(0)
    return midnight, before, after


def day_start(day: date, zone: tzinfo) -> datetime:
    """The first instant of a local day: its midnight, or, when the clocks jumped over
    midnight (Toronto, 31 March 1919), the moment they did."""
    midnight, before, after = _midnight_offsets(day, zone)
    if before < after:  # midnight does not exist
        return clock_change(midnight, midnight.replace(fold=1), zone)
    return midnight  # in a fold, fold=0 is the first of the two midnights


def day_boundary(day: date, zone: tzinfo) -> tuple[datetime, ...]:
    """When local time reaches `day`: (start,) — or (start, back, again) where the clocks
    went back over midnight (St John's, 1 November 2009: 00:01 became 23:01), as the local
    date is `day` from start, the day before from back, and `day` again from again on."""
    midnight, before, after = _midnight_offsets(day, zone)
    if before > after:  # midnight happens twice
        again = midnight.replace(fold=1)
        back = clock_change(midnight, again, zone)
        if back.date() < day:
            return (midnight, back, again.astimezone(UTC).astimezone(zone))
    return (day_start(day, zone),)


def days_span(first: date, last: date, zone: tzinfo) -> Span:
    """The local days first to last, from the first instant of the first to that of the next."""
    return Span(day_start(first, zone), day_start(last + timedelta(days=1), zone))
