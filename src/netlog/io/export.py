"""Export: every entry out as CSV or JSON, exactly as `log -f csv/json` shows it.

Kept apart from import and merge (netlog.io.transfer), which need the entry rules and their
checks, so that `export` loads only what writing needs.
"""

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import IO

_NO_TIME = timedelta(0)
_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)
_ONE_DAY = timedelta(days=1)
_CHUNK_LINES = 2_000  # pieces of text gathered before each write to the stream
_HOURS = tuple(f"{hour:02d}" for hour in range(24))  # a local hour as shown


def export_rows(
    conn: sqlite3.Connection, start: str | None = None, end: str | None = None
) -> Iterator[dict[str, object]]:
    """Every field of every entry in id order, as `log` shows them to programs."""
    from netlog.model.dates import local_zone
    from netlog.present.render import entry_values
    from netlog.store import bulk

    zone = local_zone()
    return (entry_values(row, zone) for row in bulk.export_rows(conn, start, end))


class LocalTimes:
    """Stored times as local wall time and offset in minutes, as entry_values gives them, but
    worked out once per UTC day rather than once per entry (exactly: a day whose offset differs
    at its two ends, a day with a clock change, is worked out entry by entry)."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        # Each UTC day's offset in minutes, as a timedelta, and in whole hours when it is
        # (else None); None for a day the clocks change.
        self.days: dict[str, tuple[int, timedelta, int | None] | None] = {}
        self.midnights: dict[str, tuple[int, timedelta]] = {}  # the offset as each day starts

    def offset(self, moment: datetime) -> tuple[int, timedelta]:
        delta = moment.astimezone(self.zone).utcoffset() or _NO_TIME
        return delta // _MINUTE, delta  # as render gives a single entry's

    def minutes(self, stored: str) -> int:
        """The offset alone, in minutes east of UTC."""
        try:
            found = self.days[stored[:10]]
        except KeyError:
            found = self._day(stored[:10])
        return found[0] if found is not None else self.offset(datetime.fromisoformat(stored))[0]

    def _day(self, day: str) -> tuple[int, timedelta, int | None] | None:
        if len(self.days) > 100_000:  # bounded memory, whatever the span of the file
            self.days.clear()
            self.midnights.clear()
        midnights = self.midnights
        start = datetime.fromisoformat(day + "T00:00:00+00:00")  # not .replace(): 9 times dearer
        first = midnights.get(day)
        if first is None:
            first = midnights[day] = self.offset(start)
        # A day ends where the next one starts, so days in a row share their midnights:
        # about one zone lookup per day rather than two.
        if day < "9999-12-31":
            end = start + _ONE_DAY
            next_day = end.date().isoformat()
            last = midnights.get(next_day)
            if last is None:
                last = midnights[next_day] = self.offset(end)
        else:  # the last day a date can have: no next day to start
            last = self.offset(start.replace(hour=23, minute=59, second=59))
        if first != last:
            self.days[day] = None
            return None
        minutes, delta = first
        whole_hours = minutes // 60 if delta == _HOUR * (minutes // 60) else None
        found = self.days[day] = minutes, delta, whole_hours
        return found

    def __call__(self, stored: str) -> tuple[str, int]:
        try:
            found = self.days[stored[:10]]
        except KeyError:
            found = self._day(stored[:10])
        if found is None:  # the clocks change that day
            minutes, delta = self.offset(datetime.fromisoformat(stored))
            whole_hours = None
        else:
            minutes, delta, whole_hours = found
        if not delta:
            return f"{stored[:10]} {stored[11:19]}", minutes
        if whole_hours is not None:  # most zones, most times: the same day, another hour
            hour = int(stored[11:13]) + whole_hours
            if 0 <= hour < 24:
                return f"{stored[:10]} {_HOURS[hour]}{stored[13:19]}", minutes
        return (datetime.fromisoformat(stored[:19]) + delta).isoformat(" ", "seconds"), minutes


def write_export(
    conn: sqlite3.Connection | None,
    out: IO[str],
    *,
    fmt: str,
    start: str | None = None,
    end: str | None = None,
) -> None:
    """Every entry in [start, end) as `fmt` ("csv" or "json"): the same bytes as
    render.write_csv / write_json of export_rows(), written without building each entry's
    values one by one (a test holds the two to the same output)."""
    from netlog.model.dates import local_zone
    from netlog.model.money import from_minor
    from netlog.present import render
    from netlog.present.charset import as_utf8
    from netlog.store import bulk

    out = as_utf8(out)  # CSV and JSON are UTF-8 whatever the terminal
    rows = bulk.export_tuples(conn, start, end) if conn is not None else iter(())
    local = LocalTimes(local_zone())
    hours_of: dict[int, Decimal | None] = {}

    def hours(minutes: int | None) -> Decimal | None:
        if minutes is None:
            return None
        if minutes not in hours_of:
            hours_of[minutes] = render.entry_hours(minutes)
        return hours_of[minutes]

    if fmt == "json":
        _write_json_export(out, rows, local, hours)
        return

    import csv

    cell = render.csv_cell
    hours_cells: dict[int | None, object] = {}  # a few dozen lengths of session, each made once
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    writer.writerow(render.ENTRY_COLUMNS)
    for (
        entry_id, entry_uuid, entry_type, channel, what, minutes, count, kind, label,
        value_minor, currency, note, tags, occurred_utc, logged_utc, reach_total, sources,
        device, device_id, person,
    ) in rows:  # fmt: skip
        occurred, occurred_offset = local(occurred_utc)
        logged, logged_offset = local(logged_utc)
        hours_cell = hours_cells.get(minutes)
        if hours_cell is None:
            hours_cell = hours_cells[minutes] = cell(hours(minutes))
        # None is an empty cell to the csv module, as csv_cell() makes it; type, kind,
        # currency and the stored times are words and digits the schema allows, never guarded.
        writer.writerow((
            entry_id, cell(entry_uuid), entry_type, cell(channel), what and cell(what),
            minutes, hours_cell, count, kind, label and cell(label),
            cell(from_minor(value_minor, currency)) if value_minor is not None else None,
            currency, note and cell(note), cell(json.loads(tags)) if tags else None,
            occurred, occurred_offset, occurred_utc, logged, logged_offset, logged_utc,
            reach_total, cell(sources.split(",")) if sources else None,
            device and cell(device), device_id, person and cell(person),
        ))  # fmt: skip
        if len(lines) >= _CHUNK_LINES:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))


class _Lines(list[str]):
    """Where the csv writer puts each line, to be written a chunk at a time: one call to the
    stream (and one encoding) per chunk rather than per line."""

    write = list.append


# One exported entry as json.dumps writes it (ensure_ascii=False, ", " and ": "), filled in
# from text already encoded: the type and the stored times are plain words and digits (the
# schema's checks) that JSON writes as they are, so they go in between quotes untouched.
_JSON_ENTRY = (
    '{{"id": {}, "uuid": {}, "type": "{}", "channel": {}, "what": {}, "minutes": {},'
    ' "hours": {}, "count": {}, "kind": {}, "label": {}, "value": {}, "currency": {},'
    ' "note": {}, "tags": {}, "occurred_at": "{}", "occurred_offset": {}, "occurred_utc": "{}",'
    ' "logged_at": "{}", "logged_offset": {}, "logged_utc": "{}", "reach_total": {},'
    ' "sources": {}, "device": {}, "device_id": {}, "person": {}}}'
)


def _write_json_export(
    out: IO[str],
    rows: Iterable[tuple],
    local: "LocalTimes",
    hours: Callable[[int | None], Decimal | None],
) -> None:
    """write_export() as JSON: each entry's object formatted from its fields, with the text
    encoded by the json module's own string encoder and repeated values encoded once."""
    from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) uses

    from netlog.model.money import from_minor

    encode = json.JSONEncoder(ensure_ascii=False).encode
    hours_text: dict[int | None, str] = {}
    tags_text: dict[str | None, str] = {None: "[]", "": "[]"}

    def text(value: str | None) -> str:
        return "null" if value is None else encode_basestring(value)

    def number(value: int | None) -> str:
        return "null" if value is None else str(value)

    out.write("[")
    separator = "\n  "
    chunk: list[str] = []
    for (
        entry_id, entry_uuid, entry_type, channel, what, minutes, count, kind, label,
        value_minor, currency, note, tags, occurred_utc, logged_utc, reach_total, sources,
        device, device_id, person,
    ) in rows:  # fmt: skip
        if minutes not in hours_text:
            entry_hours = hours(minutes)
            hours_text[minutes] = "null" if entry_hours is None else repr(float(entry_hours))
        if tags not in tags_text:
            if len(tags_text) > 10_000:  # bounded memory, however many different tags
                del tags_text[next(iter(tags_text.keys() - {None, ""}))]
            tags_text[tags] = encode(json.loads(tags))
        chunk.append(separator)
        chunk.append(
            _JSON_ENTRY.format(
                entry_id, encode_basestring(entry_uuid), entry_type, text(channel), text(what),
                number(minutes), hours_text[minutes], count, text(kind), text(label),
                "null" if value_minor is None else repr(float(from_minor(value_minor, currency))),
                text(currency), text(note), tags_text[tags],
                occurred_utc, local.minutes(occurred_utc), occurred_utc,
                logged_utc, local.minutes(logged_utc), logged_utc, number(reach_total),
                encode(sources.split(",")) if sources else "[]",
                text(device), text(device_id), text(person),
            )
        )  # fmt: skip
        separator = ",\n  "
        if len(chunk) >= _CHUNK_LINES:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    out.write("\n]\n" if separator != "\n  " else "]\n")
