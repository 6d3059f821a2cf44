"""A calendar (an .ics file): events become sessions with their real duration.

Reading iCalendar is icalendar's work and expanding repeats (RRULE, RDATE, EXDATE, moved
instances, zones from TZID/VTIMEZONE across daylight saving) is recurring-ical-events': both
are imported here only, so no other command pays for them.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from netlog.errors import InputError
from netlog.io.capture import SESSION, Item

MAX_ICS_BYTES = 256 << 20


def _text(component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text_value(v) for v in value)
    return _text_value(value)


def _text_value(value) -> str:
    categories = getattr(value, "cats", None)
    return " ".join(map(str, categories)) if categories is not None else str(value)


def _matches(event, match: str | None) -> bool:
    if match is None:
        return True
    wanted = match.casefold()
    return any(
        wanted in _text(event, field).casefold() for field in ("SUMMARY", "CATEGORIES", "LOCATION")
    )


def ics_items(
    path: Path,
    *,
    match: str | None,
    all_day_minutes: int | None,
    zone: tzinfo,
    now: datetime,
    since: datetime | None,
    notes: list[str],
) -> Iterator[Item]:
    import icalendar
    import recurring_ical_events  # type: ignore[import-untyped]

    from netlog.model.durations import MAX_DURATION_MINUTES, round_minutes

    if path.is_dir():
        raise InputError(f"{path}: expected an .ics file, found a folder")
    try:
        size = path.stat().st_size
        if size > MAX_ICS_BYTES:
            raise InputError(f"{path}: {size:,} bytes is more than a calendar netlog reads")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not data.lstrip(b"\xef\xbb\xbf \r\n").startswith(b"BEGIN:VCALENDAR"):
        raise InputError(
            f"{path}: expected an iCalendar file (starting BEGIN:VCALENDAR), found"
            f" {'an empty file' if not data.strip() else repr(data[:15])}"
        )
    try:
        calendar = icalendar.Calendar.from_ical(data)
        start = since or datetime(1970, 1, 1, tzinfo=zone)
        events = recurring_ical_events.of(calendar).between(start, now)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise InputError(f"{path}: not an iCalendar file netlog can read ({exc})") from None
    all_day = 0
    for event in events:
        if not _matches(event, match):
            continue
        begin = event.get("DTSTART").dt
        if not isinstance(begin, datetime):  # a date: an all-day event
            if all_day_minutes is None:
                all_day += 1
                continue
            begin = datetime(begin.year, begin.month, begin.day, 9, tzinfo=zone)
            minutes = all_day_minutes
        else:
            if begin.tzinfo is None:  # floating time: the user's own
                begin = begin.replace(tzinfo=zone)
            if "DTEND" in event:
                end = event["DTEND"].dt
                end = end.replace(tzinfo=begin.tzinfo) if end.tzinfo is None else end
                length = end - begin
            else:
                length = event["DURATION"].dt if "DURATION" in event else timedelta(0)
            minutes = round_minutes(length.total_seconds())
            if minutes < 1:
                continue  # a reminder, not time spent
            if minutes > MAX_DURATION_MINUTES:
                raise InputError(
                    f"{path}: an event on {begin.date()} lasts longer than 24 h;"
                    " netlog logs sessions of up to a day"
                )
        if begin > now:
            continue
        uid = str(event.get("UID", ""))
        recurrence = event.get("RECURRENCE-ID")
        instance = recurrence.dt if recurrence is not None else event.get("DTSTART").dt
        yield Item(SESSION, begin, f"event:{uid}:{_instant(instance)}", minutes=minutes)
    if all_day:
        raise InputError(
            f"{path}: {all_day:,} all-day events match; give --all-day MINUTES to count each"
            " as that long, or --match to leave them out"
        )


def _instant(value: date | datetime) -> str:
    """The occurrence's identity: its original start, in UTC when it has a zone."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        from netlog.model.dates import to_storage

        return to_storage(value)
    return value.isoformat()
