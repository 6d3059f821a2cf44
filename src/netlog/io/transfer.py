"""Export, import and merge: entries in and out exactly, all or nothing.

An import is one transaction: every row is checked, a bad one fails the whole import with its
line number, and entries whose UUID is already present are skipped, so importing the same
file twice adds nothing and importing two computers' exports gives their union.
"""

import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import IO, NamedTuple

from netlog.errors import NetlogError
from netlog.model import dates, kinds
from netlog.model.dates import FIRST_YEAR, LAST_YEAR, to_storage
from netlog.model.entries import Entry, check, settle_currency
from netlog.model.limits import MAX_COUNT, MAX_ID
from netlog.store import db

BATCH_SIZE = 5_000


class ImportResult(NamedTuple):
    added: int
    skipped: int


class Row(NamedTuple):
    """An entry to bring in, with the id it had where it came from and the UUIDs of the
    entries it came from (its links)."""

    source_id: int | None
    entry: Entry
    sources: tuple[str, ...] = ()


# --- reading files ------------------------------------------------------------------------


def read_csv(stream: IO[str]) -> Iterator[tuple[str, dict]]:
    """(where, raw row) for each CSV row; `where` names the line for error messages. The
    header must name netlog's columns, each once; every row has one cell per column.

    Reads both headers: netlog 0.1.0's (times as ISO 8601 with offset, text guarded with ')
    and today's (local times with *_offset and *_utc columns, text guarded with a space)."""
    from netlog.io.readers import read_csv_records
    from netlog.present.render import ENTRY_COLUMNS, SPREADSHEET_GUARD, spreadsheet_text

    rows = read_csv_records(
        stream,
        required={"uuid", "type", "channel"},
        one_of=({"occurred_at", "occurred_utc"},),
        known=set(ENTRY_COLUMNS),
        what="a netlog CSV export",
    )
    guard = None
    for line, raw in rows:
        if guard is None:
            guard = SPREADSHEET_GUARD if "occurred_utc" in raw else "'"
        yield f"line {line}", {k: spreadsheet_text(v, guard) if v else v for k, v in raw.items()}


def read_json(stream: IO[str]) -> Iterator[tuple[str, dict]]:
    """(where, raw object) for each item of a JSON array, read one item at a time so that
    a large file never sits in memory whole."""
    from netlog.io.readers import read_json_array

    for item, value in read_json_array(stream, what="a netlog JSON export"):
        if not isinstance(value, dict):
            raise NetlogError(f"item {item}: not a JSON object")
        yield f"item {item}", value


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


def _timestamp(value: object, field: str, offset: object = None) -> str:
    """A time as stored: ISO 8601 with its UTC offset, or a local time (`2010-09-14 10:00:00`,
    as netlog's CSV writes it) with `offset`, its minutes east of UTC, from another column."""
    if _blank(value):
        raise ValueError(f"{field} is missing")
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            f"{field} {value!r} is not an ISO 8601 time such as 2010-09-14 10:00:00 or "
            "2010-09-14T09:00:00+00:00"
        ) from None
    offset_field = field.replace("_at", "_offset")
    if moment.tzinfo is None and not _blank(offset):
        minutes = _integer(offset, offset_field, limit=24 * 60 - 1) or 0
        moment = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    if moment.tzinfo is None:
        hint = (
            f" or add a column {offset_field} (minutes east of UTC: 60)"
            if offset_field != field
            else ""
        )
        raise ValueError(
            f"{field} {value!r} has no UTC offset: write one (2010-09-14T10:00:00+01:00){hint}"
        )
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"{field} {value!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return to_storage(moment)


def _moment(raw: dict, name: str) -> str | None:
    """occurred or logged as stored: the exact *_utc column when there is one, else *_at
    (with *_offset when *_at is a local time); None when the row has neither."""
    if not _blank(raw.get(f"{name}_utc")):
        return _timestamp(raw[f"{name}_utc"], f"{name}_utc")
    if not _blank(raw.get(f"{name}_at")):
        return _timestamp(raw[f"{name}_at"], f"{name}_at", raw.get(f"{name}_offset"))
    return None


def _amount(value: object) -> Decimal:
    text = str(value).strip()
    if len(text) > 40:
        raise ValueError(f"value {text[:20]!r}… is too long to be an amount")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"value {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"value {value!r} is not an amount")
    return amount


def _tags(value: object) -> tuple[str, ...]:
    if _blank(value):
        return ()
    if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
        return tuple(value)
    if isinstance(value, str):
        return tuple(value.split(","))
    raise ValueError("tags must be text or a list of text")


class RowReader:
    """Raw exported rows (CSV strings or JSON values) as entries, in the currency of the file
    they go into: the first row that names a currency sets it when the file has none."""

    def __init__(self, file_currency: str | None) -> None:
        self.currency = file_currency

    def row(self, raw: dict) -> Row:
        from netlog.model.money import to_minor

        try:
            entry_uuid = str(uuid.UUID(str(raw.get("uuid") or "").strip()))
        except ValueError:
            raise ValueError(f"uuid {raw.get('uuid')!r} is not a UUID") from None
        kind = kinds.from_export(
            str(raw.get("type") or "").strip(), str(raw.get("kind") or "").strip()
        )
        count = _integer(raw.get("count"), "count")
        value = raw.get("value")
        value_minor = currency = None
        if not _blank(value):
            written = str(raw.get("currency") or "").strip().upper() or None
            currency = settle_currency(self.currency, written, str(value))
            self.currency = self.currency or currency
            value_minor = to_minor(_amount(value), currency)
        occurred = _moment(raw, "occurred")
        if occurred is None:
            raise ValueError("occurred_at is missing")
        entry = Entry(
            channel=str(raw.get("channel") or ""),
            kind=kind,
            occurred_at=occurred,
            logged_at=_moment(raw, "logged") or occurred,
            count=1 if count is None else count,
            minutes=_integer(raw.get("minutes"), "minutes"),
            what=_text(raw.get("what")),
            label=_text(raw.get("label")),
            value_minor=value_minor,
            currency=currency,
            note=_text(raw.get("note")),
            tags=_tags(raw.get("tags")),
            uuid=entry_uuid,
            reach_total=_integer(raw.get("reach_total"), "reach_total"),
        )
        sources = tuple(str(uuid.UUID(str(text).strip())) for text in _tags(raw.get("sources")))
        return Row(_integer(raw.get("id"), "id", limit=MAX_ID), entry, sources)


def latest_allowed() -> str:
    """The latest time an imported entry may have happened: now, with a few minutes' grace
    for the clock of the computer that wrote the file."""
    from datetime import timedelta

    return to_storage(dates.utc_now() + timedelta(minutes=5))  # the one clock seam


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a spreadsheet may turn a label such as 2010 into a number
    raise ValueError(f"{value!r} is not text")


def checked_rows(raw_rows: Iterable[tuple[str, dict]], file_currency: str | None) -> Iterator[Row]:
    """Rows of a netlog export as checked entries; NetlogError naming the first bad one."""
    reader = RowReader(file_currency)
    latest = latest_allowed()
    for where, raw in raw_rows:
        try:
            yield check_row(reader.row(raw), latest)
        except (ValueError, NetlogError) as exc:
            raise NetlogError(f"{where}: {exc}") from None


def check_row(row: Row, latest: str | None = None) -> Row:
    """The one entry rule (netlog.model.entries.check), applied to an incoming row."""
    return row._replace(entry=check(row.entry, latest=latest or latest_allowed()))


# --- writing ------------------------------------------------------------------------------

_INSERT = (
    "INSERT INTO entries (id, uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
    " count, label, value_minor, currency, note, tags, reach_total)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING"
)
_LINK_BY_UUID = (
    "INSERT INTO links (entry_id, source_id)"
    " SELECT e.id, s.id FROM entries e, entries s WHERE e.uuid = ? AND s.uuid = ?"
    " ON CONFLICT DO NOTHING"
)


@contextmanager
def _search_index_paused(conn: sqlite3.Connection, before_max: int) -> Iterator[None]:
    """Index the imported entries in one statement at the end, instead of row by row through
    the insert trigger: half the time of a large import. Inside the import's transaction."""
    from netlog.store.migrations import M004_ENTRIES_FTS

    [insert_trigger] = [sql for sql in M004_ENTRIES_FTS if '"entries_ai"' in sql]
    conn.execute('DROP TRIGGER "entries_ai"')
    yield
    conn.execute(
        'INSERT INTO "entries_fts" (rowid, "what", "note", "label")'
        ' SELECT id, "what", "note", "label" FROM entries WHERE id > ?',
        (before_max,),
    )
    conn.execute(insert_trigger)


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
        # Not after SQLite rolled the transaction back by itself (a full disk): the insert
        # would then be a transaction of its own, left behind.
        if row and conn.in_transaction:
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
            last_before = conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0]
            result = _insert_all(conn, rows, progress)
            db.settle_reach_totals(conn, dict.fromkeys(db.channels_given_totals(conn, last_before)))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _insert_all(
    conn: sqlite3.Connection, rows: Iterable[Row], progress: Callable[[], None] | None
) -> ImportResult:
    # Into a database that never held entries, they keep their ids (a restore); otherwise
    # they get new ones.
    keep_ids = conn.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM entries)"
        " AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'entries' AND seq > 0)"
    ).fetchone()[0]
    before_max = conn.execute(
        "SELECT max(coalesce((SELECT max(id) FROM entries), 0),"
        " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'entries'), 0))"
    ).fetchone()[0]
    channel_ids: dict[str, int] = {}
    # The highest id given out so far. An entry keeps its id only if that is higher, so ids
    # never collide, and memory stays flat however large the file (no set of seen ids).
    last_id = 0
    batch: list[tuple] = []
    links: list[tuple[str, str]] = []
    first_currency = None
    added = total = 0

    def flush() -> None:
        nonlocal added
        # rowcount, not total_changes: the search index's triggers change rows too.
        added += conn.executemany(_INSERT, batch).rowcount
        batch.clear()
        if progress is not None:
            progress()

    with _journal_paused(conn) as change_id, _search_index_paused(conn, before_max):

        def channel_for(name: str, created_at: str) -> int:
            if name not in channel_ids:
                # A new channel is journaled row by row, like any other write.
                if change_id is not None:
                    conn.execute("INSERT INTO journal_recording VALUES (?)", (change_id,))
                channel_ids[name] = db.channel_id(conn, name, created_at=created_at)
                conn.execute("DELETE FROM journal_recording")
            return channel_ids[name]

        for source_id, entry, sources in rows:
            total += 1
            if keep_ids and source_id is not None and source_id > last_id:
                entry_id = last_id = source_id
            else:
                entry_id = None  # SQLite gives max(id) + 1, which is at most last_id + 1
                last_id += 1
            first_currency = first_currency or entry.currency
            links.extend((entry.uuid or "", source) for source in sources)
            batch.append((
                entry_id, entry.uuid, channel_for(entry.channel, entry.logged_at), entry.kind,
                entry.occurred_at, entry.logged_at, entry.what, entry.minutes, entry.count,
                entry.label, entry.value_minor, entry.currency, entry.note,
                db.tags_json(entry.tags), entry.reach_total,
            ))  # fmt: skip
            if len(batch) >= BATCH_SIZE:
                flush()
        if batch:
            flush()
        for entry_uuid, source_uuid in links:
            if conn.execute(_LINK_BY_UUID, (entry_uuid, source_uuid)).rowcount == 0 and not (
                conn.execute("SELECT 1 FROM entries WHERE uuid = ?", (source_uuid,)).fetchone()
            ):
                raise NetlogError(
                    f"entry {entry_uuid} comes from {source_uuid}, which is neither in the file "
                    "nor in the database"
                )
    db.adopt_currency(conn, first_currency)
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
    from netlog.model.dates import local_zone
    from netlog.present.render import entry_values

    zone = local_zone()
    return (entry_values(row, zone) for row in db.iter_entries(conn, start, end, order="id"))


def rows_from_database(other: sqlite3.Connection, file_currency: str | None) -> Iterator[Row]:
    """Every entry of another netlog database, read as entries (never through text) and
    checked like an import; amounts must be in the currency of the file they go into."""
    other_currency = db.file_currency(other)
    current = file_currency
    latest = latest_allowed()
    for row in db.iter_stored_entries(other):
        try:
            entry = db.entry_from_row(row)
            if entry.value_minor is not None:
                written = entry.currency or other_currency
                currency = settle_currency(current, written, "its amount")
                current = current or currency
                entry = entry._replace(currency=currency)
            sources = tuple(row["sources"].split(",")) if row["sources"] else ()
            yield check_row(Row(row["id"], entry, sources), latest)
        except (ValueError, NetlogError) as exc:
            raise NetlogError(f"entry #{row['id']} of the other file: {exc}") from None
