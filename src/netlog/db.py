"""The SQLite file: opening it, its transactions, and every query netlog runs.

The hot paths (`add`, `outcome`, `summary`) use plain sqlite3; sqlite-utils is imported only
by migrations and bulk inserts, where its helpers earn their import time.
"""

import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from netlog import migrations
from netlog.errors import NetlogError
from netlog.text import channel_key

BUSY_TIMEOUT_SECONDS = 15


def _open_error(path: Path, exc: sqlite3.Error) -> NetlogError:
    message = str(exc)
    if "not a database" in message or "malformed" in message:
        return NetlogError(f"{path} is not a netlog database (it is not an SQLite file)")
    if "locked" in message or "busy" in message:
        return NetlogError(f"{path} is busy: another program holds a lock on it; try again")
    return NetlogError(f"cannot open {path}: {message}")


def open_db(path: Path, *, create: bool) -> sqlite3.Connection | None:
    """A connection to a current-schema netlog database, or None if it does not exist and
    `create` is False. Old files are upgraded; newer or foreign files are refused untouched."""
    if not path.exists():
        if not create:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NetlogError(f"cannot create {path.parent}: {exc.strerror}") from None
    elif path.is_dir():
        raise NetlogError(f"{path} is a directory, not a netlog database")
    try:
        # isolation_level=None: transactions are opened explicitly (BEGIN IMMEDIATE), so
        # Python's sqlite3 never commits DDL or opens a deferred BEGIN behind our back.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise _open_error(path, exc) from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        migrations.check_and_upgrade(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise _open_error(path, exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def connection(path: Path, *, create: bool) -> Iterator[sqlite3.Connection | None]:
    conn = open_db(path, create=create)
    try:
        yield conn
    finally:
        if conn is not None:
            conn.close()


@contextmanager
def write_transaction(
    conn: sqlite3.Connection, change: str | None = None, *, at: str | None = None
) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing write. IMMEDIATE takes the write lock up front, so a writer that
    reads before it writes waits its turn instead of failing with 'database is locked'.

    With `change` (what the user did, e.g. "add #12"), every row the write touches is
    journaled so that `netlog undo` can revert the whole command.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise NetlogError(f"the database is busy ({exc}); try again") from None
    try:
        if change is not None:
            from netlog.dates import to_storage, utc_now

            made_at = at or to_storage(utc_now())
            change_id = conn.execute(
                "INSERT INTO journal_changes (command, made_at) VALUES (?, ?)", (change, made_at)
            ).lastrowid
            conn.execute("INSERT INTO journal_recording (change_id) VALUES (?)", (change_id,))
        yield conn
        if change is not None:
            conn.execute("DELETE FROM journal_recording")
            # A command that changed nothing (an import of known entries) is no undo step.
            conn.execute(
                "DELETE FROM journal_changes WHERE id = ?"
                " AND NOT EXISTS (SELECT 1 FROM journal_steps WHERE change_id = ?)",
                (change_id, change_id),
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def open_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """Another netlog database, opened so that nothing can write to it."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.Error as exc:
        raise _open_error(path, exc) from None
    try:
        if application_id != migrations.APPLICATION_ID or version < 1:
            raise NetlogError(f"{path} is not a netlog database")
        if version > migrations.SCHEMA_VERSION:
            raise NetlogError(f"{path} was written by a newer netlog: upgrade netlog first")
        yield conn
    finally:
        conn.close()


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy through SQLite's online backup, written beside `target` and renamed
    into place, so a crash never leaves half a backup."""
    import os
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise NetlogError(f"cannot write in {target.parent}: {exc.strerror}") from None
    os.close(fd)
    try:
        copy = sqlite3.connect(tmp)
        try:
            conn.backup(copy)  # one step: the copy is one consistent snapshot
        finally:
            copy.close()
        Path(tmp).replace(target)
    except (OSError, sqlite3.Error) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise NetlogError(f"cannot write {target}: {exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class CheckReport(NamedTuple):
    lines: list[str]
    problems: list[str]


_ODDITIES = {
    "activities without a duration from 1 to 1440 minutes": (
        "kind = 'activity' AND (minutes IS NULL OR minutes < 1 OR minutes > 1440)"
    ),
    "outcomes with a duration": "kind != 'activity' AND minutes IS NOT NULL",
    "entries of an unknown kind": "kind NOT IN ('activity', 'reach', 'lead', 'win')",
    "entries with a negative count": "count < 0",
    "values on entries that are not wins": "value_minor IS NOT NULL AND kind != 'win'",
    "negative values": "value_minor < 0",
    "times not in netlog's UTC form": (
        "occurred_at NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:"
        "[0-9][0-9]:[0-9][0-9]+00:00' OR logged_at NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-"
        "[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+00:00'"
    ),
}


_CONTROL = "".join(chr(c) for c in (*range(1, 9), 11, 12, *range(13, 32), 127))
for _column in ("what", "label", "note"):
    _ODDITIES[f"{_column} texts netlog would refuse (control characters, over 2000 long)"] = (
        f"length({_column}) > 2000 OR {_column} GLOB '*[{_CONTROL}]*'"
    )


def check(path: Path) -> CheckReport:
    """SQLite's integrity and foreign-key checks, the schema version, counts, and entries that
    netlog would never have written."""
    lines: list[str] = []
    problems: list[str] = []
    with connection(path, create=False) as conn:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.extend(f"integrity: {message}" for message in integrity[:20])
        broken_links = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken_links:
            problems.append(f"{len(broken_links)} rows point at missing rows (foreign keys)")
        lines.append(f"database     {path}")
        lines.append(f"schema       {migrations.SCHEMA_VERSION} (current)")
        counts = dict(conn.execute("SELECT kind, count(*) FROM entries GROUP BY kind").fetchall())
        total = sum(counts.values())
        detail = ", ".join(f"{kind} {n:,}" for kind, n in sorted(counts.items()))
        lines.append(f"entries      {total:,}" + (f" ({detail})" if detail else ""))
        for label, table in (
            ("channels", "channels"),
            ("aliases", "aliases"),
            ("undo steps", "journal_changes"),
        ):
            n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            lines.append(f"{label:<12} {n:,}")
        timer = conn.execute("SELECT count(*) FROM timer").fetchone()[0]
        lines.append(f"timer        {'running' if timer else 'none'}")
        for description, condition in _ODDITIES.items():
            n = conn.execute(f"SELECT count(*) FROM entries WHERE {condition}").fetchone()[0]
            if n:
                problems.append(f"{n:,} {description}")
        if conn.execute("SELECT count(*) FROM journal_recording").fetchone()[0]:
            problems.append("the undo journal was left recording")
    return CheckReport(lines, problems)


# --- settings ----------------------------------------------------------------------------


def read_settings(conn: sqlite3.Connection | None) -> dict[str, str]:
    if conn is None:
        return {}
    return {row["key"]: row["value"] for row in conn.execute("SELECT key, value FROM settings")}


def write_setting(
    conn: sqlite3.Connection, key: str, value: str | None, *, change: str | None = None
) -> None:
    with write_transaction(conn, change=change):
        if value is None:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


# --- entries -----------------------------------------------------------------------------


class NewEntry(NamedTuple):
    """An activity (kind 'activity', with minutes) or an outcome (reach, lead or win)."""

    channel: str
    kind: str
    occurred_at: str
    logged_at: str
    count: int = 1
    minutes: int | None = None
    what: str | None = None
    label: str | None = None
    value_minor: int | None = None
    currency: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    uuid: str | None = None


class Channel(NamedTuple):
    id: int
    name: str  # as first written


def lookup_channel(conn: sqlite3.Connection, name: str) -> Channel | None:
    """The channel that `name` spells, directly or as an alias."""
    key = channel_key(name)
    row = conn.execute(
        "SELECT id, name FROM channels WHERE key = ?"
        " UNION ALL SELECT c.id, c.name FROM aliases a JOIN channels c ON c.id = a.channel_id"
        " WHERE a.key = ? LIMIT 1",
        (key, key),
    ).fetchone()
    return Channel(row[0], row[1]) if row is not None else None


def require_channel(conn: sqlite3.Connection, name: str) -> Channel:
    """Like lookup_channel, but NetlogError (listing the known channels) if there is none."""
    channel = lookup_channel(conn, name)
    if channel is None:
        known = ", ".join(r[0] for r in conn.execute("SELECT name FROM channels ORDER BY name"))
        raise NetlogError(f"no channel named {name!r}" + (f" (known: {known})" if known else ""))
    return channel


def find_channel(conn: sqlite3.Connection, name: str) -> str | None:
    """The channel's name as first written, if `name` spells a known channel or an alias."""
    channel = lookup_channel(conn, name)
    return channel.name if channel is not None else None


def describe_change(conn: sqlite3.Connection, description: str) -> None:
    """Name the change being recorded, for `undo --list` (once its ids are known)."""
    conn.execute(
        "UPDATE journal_changes SET command = ?"
        " WHERE id = (SELECT change_id FROM journal_recording)",
        (description,),
    )


def channel_id(conn: sqlite3.Connection, name: str, *, created_at: str) -> int:
    """The id of the channel `name` spells (or is an alias of), created if new."""
    channel = lookup_channel(conn, name)
    if channel is not None:
        return channel.id
    cursor = conn.execute(
        "INSERT INTO channels (key, name, created_at) VALUES (?, ?, ?)",
        (channel_key(name), name, created_at),
    )
    return cursor.lastrowid


def tags_json(tags: tuple[str, ...]) -> str | None:
    if not tags:
        return None
    import json  # not at the top: most entries have no tags, and `add` should start fast

    return json.dumps(list(tags), ensure_ascii=False)


def insert_entry(conn: sqlite3.Connection, entry: NewEntry) -> int:
    """Insert one entry inside the caller's transaction; returns its id."""
    cursor = conn.execute(
        "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
        " count, label, value_minor, currency, note, tags)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.uuid or str(uuid.uuid4()),
            channel_id(conn, entry.channel, created_at=entry.logged_at),
            entry.kind,
            entry.occurred_at,
            entry.logged_at,
            entry.what,
            entry.minutes,
            entry.count,
            entry.label,
            entry.value_minor,
            entry.currency,
            entry.note,
            tags_json(entry.tags),
        ),
    )
    return cursor.lastrowid


def insert_entries(conn: sqlite3.Connection, entries: Sequence[NewEntry]) -> None:
    """Bulk insert inside the caller's transaction (sqlite-utils batches the INSERTs)."""
    from sqlite_utils import Database

    db = Database(conn, execute_plugins=False)
    channel_ids: dict[str, int] = {}
    for entry in entries:
        key = channel_key(entry.channel)
        if key not in channel_ids:
            channel_ids[key] = channel_id(conn, entry.channel, created_at=entry.logged_at)
    db.table("entries").insert_all(
        {
            "uuid": entry.uuid or str(uuid.uuid4()),
            "channel_id": channel_ids[channel_key(entry.channel)],
            "kind": entry.kind,
            "occurred_at": entry.occurred_at,
            "logged_at": entry.logged_at,
            "what": entry.what,
            "minutes": entry.minutes,
            "count": entry.count,
            "label": entry.label,
            "value_minor": entry.value_minor,
            "currency": entry.currency,
            "note": entry.note,
            "tags": tags_json(entry.tags),
        }
        for entry in entries
    )


ENTRY_FIELDS = (
    "id", "uuid", "channel_id", "kind", "occurred_at", "logged_at", "what", "minutes", "count",
    "label", "value_minor", "currency", "note", "tags",
)  # fmt: skip


def get_entries(conn: sqlite3.Connection, ids: Sequence[int]) -> list[dict]:
    """The entries with these ids, in the order given, each with its channel's name;
    NetlogError naming any id that does not exist."""
    found = {}
    for entry_id in dict.fromkeys(ids):
        row = conn.execute(
            "SELECT e.*, c.name AS channel FROM entries e JOIN channels c ON c.id = e.channel_id"
            " WHERE e.id = ?",
            (entry_id,),
        ).fetchone()
        if row is None:
            raise NetlogError(f"no entry #{entry_id} (see `netlog log` for ids)")
        found[entry_id] = dict(row)
    return list(found.values())


def update_entry(conn: sqlite3.Connection, entry_id: int, changes: dict[str, object]) -> None:
    """Set fields of one entry inside the caller's transaction (names from ENTRY_FIELDS)."""
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"not entry fields: {unknown}")
    assignments = ", ".join(f"{name} = ?" for name in changes)
    conn.execute(f"UPDATE entries SET {assignments} WHERE id = ?", [*changes.values(), entry_id])


def delete_entries(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
    conn.executemany("DELETE FROM entries WHERE id = ?", [(entry_id,) for entry_id in ids])


def channel_ids_for(conn: sqlite3.Connection, names: Sequence[str]) -> list[int]:
    """Ids of the named channels; NetlogError naming any that do not exist."""
    return [require_channel(conn, name).id for name in names]


def _filters(
    start: str | None, end: str | None, channel_ids: Sequence[int] | None
) -> tuple[str, list[object]]:
    clauses, params = [], []
    if start is not None:
        clauses.append("e.occurred_at >= ?")
        params.append(start)
    if end is not None:
        clauses.append("e.occurred_at < ?")
        params.append(end)
    if channel_ids:
        clauses.append(f"e.channel_id IN ({', '.join('?' * len(channel_ids))})")
        params.extend(channel_ids)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


_TOTALS = """
    sum(CASE WHEN e.kind = 'activity' THEN e.minutes ELSE 0 END) AS minutes,
    sum(e.kind = 'activity') AS sessions,
    sum(CASE WHEN e.kind = 'activity' THEN e.count ELSE 0 END) AS activities,
    sum(CASE WHEN e.kind = 'reach' THEN e.count ELSE 0 END) AS reach,
    sum(CASE WHEN e.kind = 'lead' THEN e.count ELSE 0 END) AS leads,
    sum(CASE WHEN e.kind = 'win' THEN e.count ELSE 0 END) AS wins,
    sum(CASE WHEN e.kind = 'win' THEN coalesce(e.value_minor, 0) ELSE 0 END) AS revenue_minor
"""


def channel_totals(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
) -> list[sqlite3.Row]:
    """One row of sums per channel over [start, end)."""
    where, params = _filters(start, end, channel_ids)
    sql = f"""
        SELECT c.name AS channel, t.* FROM (
            SELECT e.channel_id, {_TOTALS} FROM entries e {where} GROUP BY e.channel_id
        ) t JOIN channels c ON c.id = t.channel_id
    """
    return conn.execute(sql, params).fetchall()


def time_bounds(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
) -> tuple[str | None, str | None]:
    """The first and last occurred_at among matching entries."""
    where, params = _filters(start, end, channel_ids)
    # Two scalar subqueries, so that each is one step along the time index, where a single
    # SELECT min(), max() would scan the whole index.
    row = conn.execute(
        f"SELECT (SELECT min(e.occurred_at) FROM entries e {where}),"
        f" (SELECT max(e.occurred_at) FROM entries e {where})",
        [*params, *params],
    ).fetchone()
    return row[0], row[1]


def period_channel_totals(
    conn: sqlite3.Connection,
    periods: Sequence[tuple[str, str, str]],
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
) -> list[sqlite3.Row]:
    """Sums per (period, channel). `periods` are (label, start, end) in stored form, worked
    out in Python from the local calendar, so that SQLite never needs to know the zone."""
    where, params = _filters(start, end, channel_ids)
    join_where = where.replace(" WHERE ", " AND ", 1)
    sql = f"""
        WITH periods AS (
            SELECT json_extract(value, '$[0]') AS label,
                   json_extract(value, '$[1]') AS start,
                   json_extract(value, '$[2]') AS end
            FROM json_each(?)
        )
        SELECT p.label AS period, c.name AS channel, t.* FROM (
            SELECT p.label AS period_label, e.channel_id, {_TOTALS}
            FROM periods p JOIN entries e
              ON e.occurred_at >= p.start AND e.occurred_at < p.end {join_where}
            GROUP BY p.label, e.channel_id
        ) t
        JOIN periods p ON p.label = t.period_label
        JOIN channels c ON c.id = t.channel_id
        ORDER BY p.start
    """
    import json

    return conn.execute(sql, [json.dumps(list(periods)), *params]).fetchall()


ENTRY_COLUMNS = """
    e.id, e.uuid, CASE WHEN e.kind = 'activity' THEN 'activity' ELSE 'outcome' END AS type,
    c.name AS channel, e.what, e.minutes, e.count,
    CASE WHEN e.kind = 'activity' THEN NULL ELSE e.kind END AS kind,
    e.label, e.value_minor, e.currency, e.note, e.tags, e.occurred_at, e.logged_at
"""


def iter_entries(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
    limit: int | None = None,
    *,
    order: str = "newest",
) -> Iterator[sqlite3.Row]:
    """Entries newest first (or in id order), streamed from the cursor, never all loaded."""
    where, params = _filters(start, end, channel_ids)
    order_by = "e.occurred_at DESC, e.id DESC" if order == "newest" else "e.id"
    sql = (
        f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN channels c ON c.id = e.channel_id {where}"
        f" ORDER BY {order_by}"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    yield from conn.execute(sql, params)


def count_entries(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
) -> int:
    where, params = _filters(start, end, channel_ids)
    return conn.execute(f"SELECT count(*) FROM entries e {where}", params).fetchone()[0]
