"""Export, import and merge: entries in and out exactly, all or nothing.

An import is one transaction: every row is checked, a bad one fails the whole import with its
line number, and entries whose UUID is already present are skipped, so importing the same
file twice adds nothing and importing two computers' exports gives their union.
"""

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import IO, NamedTuple

from netlog import db
from netlog.dates import FIRST_YEAR, LAST_YEAR, MAX_DURATION_MINUTES, to_storage, utc_now
from netlog.errors import NetlogError
from netlog.limits import MAX_COUNT, MAX_ID
from netlog.text import clean_channel, clean_tags, clean_text

BATCH_SIZE = 5_000
KINDS = ("reach", "lead", "win")


class ImportResult(NamedTuple):
    added: int
    skipped: int


class Row(NamedTuple):
    """A checked entry ready to insert, with the id it had where it came from."""

    source_id: int | None
    entry: db.NewEntry


# --- reading files ------------------------------------------------------------------------


def read_csv(stream: IO[str]) -> Iterator[tuple[str, dict]]:
    """(where, raw row) for each CSV row; `where` names the line for error messages."""
    import csv

    reader = csv.DictReader(stream)
    missing = {"uuid", "type", "channel", "occurred_at"} - set(reader.fieldnames or ())
    if missing:
        raise NetlogError(
            "this is not a netlog CSV export: no column " + ", ".join(sorted(missing))
        )
    for raw in reader:
        yield f"line {reader.line_num}", {k: _unneutralize(v) for k, v in raw.items() if k}


def _unneutralize(value: str | None) -> str | None:
    # netlog's CSV prefixes text that a spreadsheet would run (and text starting with ')
    # with ': take it off again so that a round trip is exact.
    if value and value.startswith("'"):
        return value[1:]
    return value


def read_json(stream: IO[str]) -> Iterator[tuple[str, dict]]:
    """(where, raw object) for each item of a JSON array, read incrementally so that a large
    file never sits in memory whole."""
    decoder = json.JSONDecoder()
    buffer, position, item = "", 0, 0

    def fill() -> bool:
        nonlocal buffer, position
        chunk = stream.read(1 << 16)
        buffer = buffer[position:] + chunk
        position = 0
        return bool(chunk)

    def next_char() -> str:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position].isspace():
                position += 1
            if position < len(buffer):
                return buffer[position]
            if not fill():
                return ""

    if next_char() != "[":
        raise NetlogError("this is not a netlog JSON export: it does not start with [")
    position += 1
    if next_char() == "]":
        return
    while True:
        item += 1
        next_char()  # raw_decode does not skip the white space before a value
        while True:
            try:
                value, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as exc:
                if not fill():
                    raise NetlogError(f"item {item}: not valid JSON ({exc.msg})") from None
        position = end
        if not isinstance(value, dict):
            raise NetlogError(f"item {item}: not a JSON object")
        yield f"item {item}", value
        separator = next_char()
        position += 1
        if separator == "]":
            return
        if separator != ",":
            raise NetlogError(f"item {item}: expected , or ] after it")


# --- checking rows ------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or value == ""


def _integer(value: object, field: str, limit: int = MAX_COUNT) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{field} must be a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not (text.isascii() and text.lstrip("-").isdigit()):
            raise ValueError(f"{field} must be a whole number, not {value!r}")
        number = int(text)
    if abs(number) > limit:
        raise ValueError(f"{field} {number} is out of range")
    return number


def _timestamp(value: object, field: str) -> str:
    if _blank(value):
        raise ValueError(f"{field} is missing")
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{field} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{field} {value!r} has no UTC offset")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"{field} {value!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return to_storage(moment)


def _money_minor(value: object) -> int:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"value {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise ValueError(f"value {value!r} is out of range")
    minor = amount * 100
    if minor != minor.to_integral_value():
        raise ValueError(f"value {value!r} has more than 2 decimal places")
    return int(minor)


def _tags(value: object) -> tuple[str, ...]:
    if _blank(value):
        return ()
    if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
        return tuple(clean_tags(value))
    if isinstance(value, str):
        return tuple(clean_tags(value.split(",")))
    raise ValueError("tags must be text or a list of text")


def check_row(raw: dict, latest: str | None = None) -> Row:
    """A raw exported row (CSV strings or JSON values) as a checked entry; ValueError or
    NetlogError saying what is wrong."""
    try:
        entry_uuid = str(uuid.UUID(str(raw.get("uuid") or "").strip()))
    except ValueError:
        raise ValueError(f"uuid {raw.get('uuid')!r} is not a UUID") from None
    entry_type = str(raw.get("type") or "").strip()
    minutes = _integer(raw.get("minutes"), "minutes")
    count = _integer(raw.get("count"), "count")
    kind = str(raw.get("kind") or "").strip()
    value = raw.get("value")
    if entry_type == "activity":
        if minutes is None or not 0 < minutes <= MAX_DURATION_MINUTES:
            raise ValueError(f"an activity needs minutes from 1 to {MAX_DURATION_MINUTES}")
        if kind or not _blank(value):
            raise ValueError("an activity has no kind or value")
        kind = "activity"
        count = 1 if count is None else count
        if count < 0:
            raise ValueError("count may not be negative")
    elif entry_type == "outcome":
        if kind not in KINDS:
            raise ValueError(f"kind {kind!r} is not reach, lead or win")
        if minutes is not None:
            raise ValueError("an outcome has no minutes")
        count = 1 if count is None else count
        if count < 1:
            raise ValueError("an outcome's count is at least 1")
        if not _blank(value) and kind != "win":
            raise ValueError("only a win has a value")
    else:
        raise ValueError(f"type {entry_type!r} is not activity or outcome")
    currency = str(raw.get("currency") or "").strip().upper() or None
    if currency is not None and not (currency.isascii() and currency.isalpha()):
        raise ValueError(f"currency {currency!r} is not a code such as GBP")
    entry = db.NewEntry(
        channel=clean_channel(str(raw.get("channel") or "")),
        kind=kind,
        occurred_at=_timestamp(raw.get("occurred_at"), "occurred_at"),
        logged_at=_timestamp(raw.get("logged_at") or raw.get("occurred_at"), "logged_at"),
        count=count,
        minutes=minutes,
        what=clean_text(_text(raw.get("what")), "what"),
        label=clean_text(_text(raw.get("label")), "label"),
        value_minor=_money_minor(value) if not _blank(value) else None,
        currency=currency,
        note=clean_text(_text(raw.get("note")), "note"),
        tags=_tags(raw.get("tags")),
        uuid=entry_uuid,
    )
    if entry.occurred_at > (latest or latest_allowed()):
        raise ValueError(f"occurred_at {entry.occurred_at} is in the future")
    return Row(_integer(raw.get("id"), "id", limit=MAX_ID), entry)


def latest_allowed() -> str:
    """The latest time an imported entry may have happened: now, with a few minutes' grace
    for the clock of the computer that wrote the file."""
    from datetime import timedelta

    return to_storage(utc_now() + timedelta(minutes=5))


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a spreadsheet may turn a label such as 2010 into a number
    raise ValueError(f"{value!r} is not text")


def checked_rows(raw_rows: Iterable[tuple[str, dict]]) -> Iterator[Row]:
    latest = latest_allowed()
    for where, raw in raw_rows:
        try:
            yield check_row(raw, latest)
        except (ValueError, NetlogError) as exc:
            raise NetlogError(f"{where}: {exc}") from None


# --- writing ------------------------------------------------------------------------------

_INSERT = (
    "INSERT INTO entries (id, uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
    " count, label, value_minor, currency, note, tags)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING"
)


class _DryRun(Exception):
    pass


@contextmanager
def _journal_paused(conn: sqlite3.Connection) -> Iterator[int | None]:
    """Stop the journal's per-row triggers while entries are bulk inserted: the import is
    journaled as one id range instead, which keeps a million-row import fast."""
    row = conn.execute("SELECT change_id FROM journal_recording").fetchone()
    conn.execute("DELETE FROM journal_recording")
    try:
        yield row[0] if row else None
    finally:
        if row:
            conn.execute("INSERT INTO journal_recording (change_id) VALUES (?)", (row[0],))


def import_rows(
    conn: sqlite3.Connection,
    rows: Iterable[Row],
    *,
    change: str,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
) -> ImportResult:
    """Insert every new entry in one transaction (rolled back for a dry run)."""
    result = ImportResult(0, 0)
    try:
        with db.write_transaction(conn, change=change):
            result = _insert_all(conn, rows, progress)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _insert_all(
    conn: sqlite3.Connection, rows: Iterable[Row], progress: Callable[[], None] | None
) -> ImportResult:
    # Into an empty database, entries keep their ids (a restore); otherwise they get new ones.
    keep_ids = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM entries)").fetchone()[0]
    before_max = conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0]
    channel_ids: dict[str, int] = {}
    # The highest id given out so far. An entry keeps its id only if that is higher, so ids
    # never collide, and memory stays flat however large the file (no set of seen ids).
    last_id = 0
    batch: list[tuple] = []
    added = total = 0

    def flush() -> None:
        nonlocal added
        changes_before = conn.total_changes
        conn.executemany(_INSERT, batch)
        added += conn.total_changes - changes_before
        batch.clear()
        if progress is not None:
            progress()

    with _journal_paused(conn) as change_id:

        def channel_for(name: str, created_at: str) -> int:
            if name not in channel_ids:
                # A new channel is journaled row by row, like any other write.
                if change_id is not None:
                    conn.execute("INSERT INTO journal_recording VALUES (?)", (change_id,))
                channel_ids[name] = db.channel_id(conn, name, created_at=created_at)
                conn.execute("DELETE FROM journal_recording")
            return channel_ids[name]

        for source_id, entry in rows:
            total += 1
            if keep_ids and source_id is not None and source_id > last_id:
                entry_id = last_id = source_id
            else:
                entry_id = None  # SQLite gives max(id) + 1, which is at most last_id + 1
                last_id += 1
            batch.append((
                entry_id, entry.uuid, channel_for(entry.channel, entry.logged_at), entry.kind,
                entry.occurred_at, entry.logged_at, entry.what, entry.minutes, entry.count,
                entry.label, entry.value_minor, entry.currency, entry.note,
                db.tags_json(entry.tags),
            ))  # fmt: skip
            if len(batch) >= BATCH_SIZE:
                flush()
        if batch:
            flush()
    after_max = conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0]
    if added:
        conn.execute(
            "INSERT INTO journal_steps (change_id, table_name, operation, row)"
            " SELECT change_id, 'entries', 'insert_range', json_object('from', ?, 'to', ?)"
            " FROM journal_recording",
            (before_max + 1, after_max),
        )
    return ImportResult(added, total - added)


def export_rows(
    conn: sqlite3.Connection, start: str | None = None, end: str | None = None
) -> Iterator[dict[str, object]]:
    """Every field of every entry in id order, as `log` shows them to programs."""
    from netlog.render import entry_values

    return map(entry_values, db.iter_entries(conn, start, end, order="id"))


def rows_from_database(other: sqlite3.Connection) -> Iterator[Row]:
    """Every entry of another netlog database, checked like an import."""
    from netlog.render import entry_values

    latest = latest_allowed()
    for values in map(entry_values, db.iter_entries(other, order="id")):
        try:
            yield check_row(values, latest)
        except (ValueError, NetlogError) as exc:
            raise NetlogError(f"entry #{values['id']}: {exc}") from None
