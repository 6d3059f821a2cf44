"""History from other time trackers: Watson's frames file and Timewarrior's `timew export`.

Each frame or interval becomes an activity with a UUID derived from what identifies it there,
so importing the same history twice adds nothing.
"""

import json
import uuid
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from typing import IO

from netlog.errors import InputError, NetlogError
from netlog.io.readers import read_json_array
from netlog.io.transfer import Row, check_row
from netlog.model.dates import FIRST_YEAR, LAST_YEAR, to_storage
from netlog.model.durations import round_minutes
from netlog.model.entries import Entry
from netlog.model.kinds import ACTIVITY
from netlog.model.text import channel_key, clean_channel, clean_tags, clean_text

# Fixed namespaces: the same frame always gets the same UUID, on every computer.
WATSON_NAMESPACE = uuid.UUID("6a1c0f2e-1b7d-4c55-9a57-8d1c3a0e5b01")
TIMEWARRIOR_NAMESPACE = uuid.UUID("0f5e9d1a-7c3b-4b8e-a2d4-6e9f1c7b3a02")


def _checked(where: str, entry: Entry) -> Row:
    """The entry through netlog's one entry rule, with its place in the file on errors."""
    try:
        return check_row(Row(None, entry))
    except NetlogError as exc:
        raise NetlogError(f"{where}: {exc}") from None


def _minutes(start: datetime, end: datetime, where: str) -> int:
    seconds = (end - start).total_seconds()
    if seconds <= 0:
        raise NetlogError(f"{where}: it ends before it starts")
    return round_minutes(seconds)  # how long an activity may last is the entry model's rule


def _tags(values: object) -> tuple[str, ...]:
    # netlog keeps tags comma-free (they are comma-joined in CSV): a comma becomes a space.
    if not isinstance(values, list):
        return ()
    return tuple(clean_tags([str(v).replace(",", " ") for v in values if str(v).strip()]))


def _unix_time(value: object, field: str, where: str) -> datetime:
    """A Watson time (UTC Unix seconds) inside netlog's years, else one line saying why."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}: {field} {_shown(value)} is not a Unix time")
    first = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC).timestamp()
    after_last = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp()
    if not first <= value < after_last:  # also refuses NaN
        raise InputError(
            f"{where}: {field} {_shown(value)} is outside the years {FIRST_YEAR} to {LAST_YEAR}"
        )
    return datetime.fromtimestamp(int(value), UTC)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:29] + "…"


def watson_rows(stream: IO[str]) -> Iterator[Row]:
    """Watson's `frames` file: [start, stop, project, id, tags, updated_at] per frame, times
    in UTC Unix seconds. The project becomes the channel; tags stay tags."""
    for number, frame in read_json_array(stream, what="a Watson frames file"):
        where = f"frame {number}"
        if not isinstance(frame, list) or len(frame) < 4:
            raise NetlogError(f"{where}: not a Watson frame [start, stop, project, id, …]")
        start = _unix_time(frame[0], "start", where)
        stop = _unix_time(frame[1], "stop", where)
        updated = _unix_time(frame[5], "updated_at", where) if len(frame) > 5 else stop
        try:
            channel = clean_channel(str(frame[2]))
            tags = _tags(frame[4] if len(frame) > 4 else [])
        except NetlogError as exc:
            raise NetlogError(f"{where}: {exc}") from None
        yield _checked(
            where,
            Entry(
                channel=channel,
                kind=ACTIVITY,
                occurred_at=to_storage(start),
                logged_at=to_storage(updated),
                minutes=_minutes(start, stop, where),
                tags=tags,
                uuid=str(uuid.uuid5(WATSON_NAMESPACE, str(frame[3]))),
            ),
        )


def _timew_time(value: object, where: str) -> datetime:
    try:
        return datetime.strptime(str(value), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise NetlogError(f"{where}: {value!r} is not a Timewarrior time") from None


def timewarrior_rows(
    stream: IO[str], *, channel: str | None = None, known_channels: Collection[str] = ()
) -> Iterator[Row]:
    """`timew export` JSON. The channel is --channel if given; else the first of the
    interval's tags that is already a netlog channel or alias; else its first tag. The other
    tags stay tags; an annotation becomes the note. Open intervals (still running) are left
    out."""
    fixed = clean_channel(channel) if channel is not None else None
    known = {channel_key(name) for name in known_channels}
    for number, interval in read_json_array(stream, what="`timew export` output"):
        where = f"interval {number}"
        if not isinstance(interval, dict) or "start" not in interval:
            raise NetlogError(f"{where}: not a Timewarrior interval")
        if "end" not in interval:
            continue
        start = _timew_time(interval["start"], where)
        end = _timew_time(interval["end"], where)
        try:
            tags = list(_tags(interval.get("tags", [])))
            if fixed is not None:
                name = fixed
            else:
                named = [tag for tag in tags if channel_key(tag) in known] or tags
                if not named:
                    raise NetlogError("it has no tags: give the channel with --channel")
                name = clean_channel(named[0])
                tags.remove(named[0])
            annotation = interval.get("annotation")
            note = clean_text(str(annotation), "annotation") if annotation else None
        except NetlogError as exc:
            raise NetlogError(f"{where}: {exc}") from None
        identity = json.dumps(
            [interval["start"], interval["end"], sorted(interval.get("tags", []))]
        )
        yield _checked(
            where,
            Entry(
                channel=name,
                kind=ACTIVITY,
                occurred_at=to_storage(start),
                logged_at=to_storage(end),
                minutes=_minutes(start, end, where),
                note=note,
                tags=tuple(tags),
                uuid=str(uuid.uuid5(TIMEWARRIOR_NAMESPACE, identity)),
            ),
        )
