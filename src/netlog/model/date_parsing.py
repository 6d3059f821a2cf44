"""Reading dates and times the way a person means them (`2010-09`, `last week`, `yesterday
3pm`, `14 Sep 2010 10:00 BST`), as spans of local time; clock changes (gaps and folds) said
plainly."""

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from netlog.errors import InputError
from netlog.model.dates import (
    FIRST_YEAR,
    LAST_YEAR,
    DateOrder,
    Span,
    clock_change,
    day_boundary,
    days_span,
    to_storage,
    zone_name,
)
from netlog.model.periods import Period, check_week_start, period_span, week_first_day

# Longest date text read at all: far above any real one, and it keeps hostile
# input (thousands of digits) away from int() and dateutil.
_MAX_TEXT_LENGTH = 100
_MAX_COUNT_DIGITS = 7  # "N days ago": 10**7 days is already far outside FIRST_YEAR..LAST_YEAR
_DATE_EXAMPLES = (
    "use e.g. 2010-09-14, '2010-09-14 10:00', 2010-09, 2010, today, 'yesterday 3pm', "
    "'last fri 9am', '3 days ago' or 'last week'"
)


def _shown(text: str) -> str:
    """The user's text quoted for a one-line message, cut short if it is long."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _has_foreign_digits(text: str) -> bool:
    """Digits other than 0-9 (١٢, １２, ²): Python's int() and dateutil read some of them."""
    return any(char.isnumeric() and not char.isascii() for char in text)


# Calendar arithmetic


def _day_span(day: date, zone: tzinfo) -> Span:
    # The next local day's start, not start + 24 h: days around a DST change last 23 or 25 h.
    return days_span(day, day, zone)


def _month_span(year: int, month: int, zone: tzinfo) -> Span:
    return period_span(date(year, month, 1), Period.MONTH, zone)


def _year_span(year: int, zone: tzinfo) -> Span:
    return period_span(date(year, 1, 1), Period.YEAR, zone)


def _iso_week_span(year: int, week: int, zone: tzinfo) -> Span:
    monday = date.fromisocalendar(year, week, 1)
    return days_span(monday, monday + timedelta(days=6), zone)


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
            f"{shown} does not exist in {zone_name(zone)} (clocks went forward): "
            f"use {_edge_text(last_before, wall)} or {_edge_text(first_after, wall)}"
        )
    notices.append(
        f"{shown} happens twice in {zone_name(zone)} (clocks went back): took the first "
        f"({first:%H:%M} {first.tzname()}); for the second write "
        f"'{_wall_text(wall)}{_offset_text(after)}'"
    )
    return first


def _gap_edges(
    wall: datetime, zone: tzinfo, before: timedelta, after: timedelta
) -> tuple[datetime, datetime]:
    """The last local minute before a DST gap and the first after it."""
    # In UTC, wall - after is before the change and wall - before is after it.
    change = clock_change(
        (wall - after).replace(tzinfo=UTC), (wall - before).replace(tzinfo=UTC), zone
    )
    change = change.astimezone(UTC)  # arithmetic in real time, not on the wall clock
    last_before = (change - timedelta(seconds=1)).astimezone(zone).replace(second=0)
    first_after = (change + timedelta(seconds=59)).astimezone(zone).replace(second=0)
    return last_before, first_after


def _wall_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")


def _edge_text(moment: datetime, wall: datetime) -> str:
    return moment.strftime("%H:%M" if moment.date() == wall.date() else "%Y-%m-%d %H:%M")


def _offset_text(offset: timedelta) -> str:
    """`+05:30`, `-03:30`, or `+00:19:32` for an offset with seconds, as --at reads back."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


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


class _UnknownAbbreviation(Exception):
    """A zone abbreviation (`EST`) that the local zone does not use."""


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
    check_week_start(week_start)
    cleaned = " ".join(text.split())
    if _has_foreign_digits(cleaned):
        raise InputError(f"cannot read {_shown(text)} as a date: write numbers with 0-9")
    if len(cleaned) > _MAX_TEXT_LENGTH:
        raise InputError(f"cannot read {_shown(text)} as a date: it is too long; {_DATE_EXAMPLES}")
    found: list[str] = []
    try:
        span = _read_span(cleaned, now, zone, date_order, week_start, found)
    except _UnknownAbbreviation as unknown:
        raise InputError(
            f"cannot read {_shown(text)} as a date: {unknown} is not an abbreviation "
            f"{zone_name(zone)} uses, and others are not guessed; give an offset, e.g. "
            "'2010-09-14 10:00 -05:00'"
        ) from None
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
        return days_span(today - timedelta(days=days - 1), today, zone)
    back = 1 if match["which"] == "last" else 0
    if match["unit"] == "week":
        first = week_first_day(today, week_start) - timedelta(weeks=back)
        return days_span(first, first + timedelta(days=6), zone)
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


class _Abbreviation(tzinfo):
    """A zone abbreviation as dateutil found it (`EST`), until the date it goes with is known."""

    def __init__(self, name: str) -> None:
        self.name = name

    def utcoffset(self, moment: datetime | None) -> None:
        return None

    def dst(self, moment: datetime | None) -> None:
        return None

    def tzname(self, moment: datetime | None) -> str:
        return self.name


def _zone_for_text(name: str | None, offset: int | None) -> tzinfo | None:
    """What dateutil's parser makes of a zone in the text: an offset as it is, an
    abbreviation (`MSK`) held until _abbreviation_zone() reads it."""
    if offset is not None:
        from dateutil.tz import tzoffset

        # (an offset of a day or more is refused later, by _check_offset)
        return UTC if offset == 0 else tzoffset(name, offset)
    return _Abbreviation(name) if name else None


# How far from a date an abbreviation is looked for: `EST` in July is New York's winter time.
_ABBREVIATION_REACH_DAYS = 366


def _abbreviation_zone(wall: datetime, name: str, zone: tzinfo) -> timezone:
    """The offset an abbreviation of the local zone names at a wall time: its own reading
    (`MSK` on 14 July 2012 is +04:00; `EST` on a fall-back night picks the second 01:30),
    else the nearest time within a year that the zone used the name (`EST` in July is
    −05:00). _UnknownAbbreviation for a name the local zone does not use: never guessed."""
    wall = wall.replace(tzinfo=None)
    for fold in (0, 1):
        moment = wall.replace(tzinfo=zone, fold=fold)
        if moment.tzname() == name:
            return timezone(moment.utcoffset() or timedelta(0))
    for days in range(1, _ABBREVIATION_REACH_DAYS + 1):
        for step in (-days, days):
            try:
                moment = (wall + timedelta(days=step)).replace(tzinfo=zone)
            except OverflowError:
                continue
            if moment.tzname() == name:
                return timezone(moment.utcoffset() or timedelta(0))
    raise _UnknownAbbreviation(name)


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
        first, second = (
            parser.parse(
                text,
                default=default,
                dayfirst=dayfirst,
                yearfirst=yearfirst,
                tzinfos=_zone_for_text,
            )
            for default in (first_default, second_default)
        )
    if caught:
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
    if isinstance(first.tzinfo, _Abbreviation):
        first = first.replace(year=year, tzinfo=_abbreviation_zone(first, first.tzinfo.name, zone))
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
    except (ValueError, OverflowError, _OutOfRange, _UnknownAbbreviation, InputError):
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
    in_utc = moment.astimezone(UTC)
    if in_utc.year < FIRST_YEAR:  # 1900-01-01 00:00 in Kolkata is 1899 in UTC
        raise InputError(
            f"--at {_shown(text)} is {in_utc:%Y-%m-%d %H:%M} UTC: netlog keeps times from "
            f"{FIRST_YEAR}-01-01 00:00 UTC to {LAST_YEAR}-12-31"
        )
    if moment > now:
        shown = moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        hint = ""
        if re.fullmatch(_TIME_OF_DAY, " ".join(text.lower().split())):
            hint = f"; for yesterday write 'yesterday {' '.join(text.split())}'"
        raise InputError(
            f"--at {_shown(text)} is in the future ({shown}); log things once they happen{hint}"
        )
    return moment


def _range_edge(moment: datetime, zone: tzinfo) -> datetime:
    """Where a range that starts (or ends) on a local day's first instant is cut: there, or,
    where the clocks went back over midnight (St John's, 1 November 2009), where the local
    date reached that day for good, so that `--since 2009-11-01` leaves out the 23:30 that
    came after midnight. (The repeated minute 00:00-00:01 then counts with the day before.)"""
    local = moment.astimezone(zone)
    if (local.hour, local.minute, local.second) != (0, 0, 0):
        return moment
    boundary = day_boundary(local.date(), zone)
    return boundary[-1] if boundary[0] == moment else moment


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

    start = _range_edge(span(since).start, zone) if since is not None else None
    end = _range_edge(span(until).end, zone) if until is not None else None
    if start is not None and end is not None and start >= end:
        raise InputError(f"--since {_shown(since or '')} is after --until {_shown(until or '')}")
    return (
        to_storage(start) if start is not None else None,
        to_storage(end) if end is not None else None,
    )
