"""What `netlog sync` keeps in the file: the device's identity and clock, the version of
every synced object it holds, the entries changed since the last sync, the changes written
but not yet copied to the folder, the files applied, and the conflicts.

The tables and triggers are made by the first `sync` (never by other commands, which stay as
they were for files that are not synced). The triggers mark every entry a write touches,
whoever writes (add, edit, rm, undo, redo, import, merge, a channel rename), except while
sync itself applies other devices' changes (sync_applying holds a row then). Channels,
aliases, budgets and settings are small: sync compares them whole instead.
"""

import sqlite3
from collections.abc import Iterable, Iterator
from typing import NamedTuple

_TABLES = [
    """CREATE TABLE IF NOT EXISTS sync_device (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    device TEXT NOT NULL,
    name TEXT NOT NULL,
    clock TEXT,
    last_seq INTEGER NOT NULL DEFAULT 0,
    person TEXT
)""",
    # The version of each synced object this file holds; state is NULL once removed.
    """CREATE TABLE IF NOT EXISTS sync_objects (
    type TEXT NOT NULL, key TEXT NOT NULL, stamp TEXT NOT NULL, base TEXT, state TEXT,
    PRIMARY KEY (type, key)
) WITHOUT ROWID""",
    # Versions that were current here once and were replaced, or that arrived already
    # beaten: the same version arriving again (a compacted file, a device's old folder) is
    # known, never a conflict.
    """CREATE TABLE IF NOT EXISTS sync_versions (
    type TEXT NOT NULL, key TEXT NOT NULL, stamp TEXT NOT NULL,
    PRIMARY KEY (type, key, stamp)
) WITHOUT ROWID""",
    "CREATE TABLE IF NOT EXISTS sync_dirty (uuid TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS sync_applying (flag INTEGER)",
    # This device's change files, kept until they are in the folder.
    """CREATE TABLE IF NOT EXISTS sync_outbox (
    seq INTEGER PRIMARY KEY, body TEXT NOT NULL, changes INTEGER NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS sync_applied (
    device TEXT NOT NULL, seq INTEGER NOT NULL, changes INTEGER NOT NULL,
    PRIMARY KEY (device, seq)
) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS sync_devices (
    device TEXT PRIMARY KEY, name TEXT NOT NULL, last_stamp TEXT
) WITHOUT ROWID""",
    # Files in the folder that were left alone, so that each is named once.
    "CREATE TABLE IF NOT EXISTS sync_noted (name TEXT PRIMARY KEY) WITHOUT ROWID",
    """CREATE TABLE IF NOT EXISTS sync_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL, key TEXT NOT NULL,
    kept_stamp TEXT NOT NULL, kept_state TEXT,
    lost_stamp TEXT NOT NULL, lost_state TEXT,
    UNIQUE (type, key, lost_stamp)
)""",
]

_NOT_APPLYING = "WHEN NOT EXISTS (SELECT 1 FROM sync_applying)"
_TRIGGERS = {
    "sync_entries_insert": f"AFTER INSERT ON entries {_NOT_APPLYING} BEGIN"
    " INSERT OR IGNORE INTO sync_dirty VALUES (new.uuid); END",
    "sync_entries_update": f"AFTER UPDATE ON entries {_NOT_APPLYING} BEGIN"
    " INSERT OR IGNORE INTO sync_dirty VALUES (new.uuid);"
    " INSERT OR IGNORE INTO sync_dirty VALUES (old.uuid); END",
    "sync_entries_delete": f"AFTER DELETE ON entries {_NOT_APPLYING} BEGIN"
    " INSERT OR IGNORE INTO sync_dirty VALUES (old.uuid); END",
    "sync_links_insert": f"AFTER INSERT ON links {_NOT_APPLYING} BEGIN"
    " INSERT OR IGNORE INTO sync_dirty SELECT uuid FROM entries WHERE id = new.entry_id; END",
    "sync_links_delete": f"AFTER DELETE ON links {_NOT_APPLYING} BEGIN"
    " INSERT OR IGNORE INTO sync_dirty SELECT uuid FROM entries WHERE id = old.entry_id; END",
    # An entry carries its channel's name: a rename changes every entry of the channel.
    "sync_channels_rename": f"AFTER UPDATE OF name ON channels {_NOT_APPLYING} BEGIN"
    " INSERT OR IGNORE INTO sync_dirty SELECT uuid FROM entries WHERE channel_id = new.id;"
    " END",
}


def is_set_up(conn: sqlite3.Connection) -> bool:
    found = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'sync\\_%' ESCAPE '\\'"
        )
    }
    return {"sync_device", "sync_versions"} <= found and set(_TRIGGERS) <= found


def set_up(conn: sqlite3.Connection, device: str, name: str) -> None:
    """Make the tables and triggers (inside the caller's transaction). Triggers that are
    missing (a file set up by an older netlog, or a table rebuilt) are made again, and every
    entry is compared once, so that no write made meanwhile is missed."""
    for statement in _TABLES:
        conn.execute(statement)
    existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    missing = [trigger for trigger in _TRIGGERS if trigger not in existing]
    for trigger in missing:
        conn.execute(f"CREATE TRIGGER {trigger} {_TRIGGERS[trigger]}")
    conn.execute(
        "INSERT OR IGNORE INTO sync_device (id, device, name) VALUES (1, ?, ?)", (device, name)
    )
    if missing:
        mark_every_entry(conn)


def mark_every_entry(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT OR IGNORE INTO sync_dirty SELECT uuid FROM entries")
    conn.execute(
        "INSERT OR IGNORE INTO sync_dirty SELECT key FROM sync_objects"
        " WHERE type = 'entry' AND state IS NOT NULL"
    )


class Device:
    def __init__(self, row: sqlite3.Row) -> None:
        self.id: str = row["device"]
        self.name: str = row["name"]
        self.clock: str | None = row["clock"]
        self.last_seq: int = row["last_seq"]


def device(conn: sqlite3.Connection) -> Device | None:
    """This file's device once it has synced (every file has an identity from migration
    m011 on, which the first sync adopts)."""
    tables = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_versions'").fetchone()
    if tables is None:
        return None
    row = conn.execute("SELECT * FROM sync_device").fetchone()
    return Device(row) if row is not None else None


def set_device(conn: sqlite3.Connection, **values: object) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)  # names from this package
    conn.execute(f"UPDATE sync_device SET {assignments}", tuple(values.values()))


def dirty(conn: sqlite3.Connection, size: int) -> Iterator[list[str]]:
    """The entries changed since the last sync, `size` UUIDs at a time (in UUID order), so
    that a first sync of a lifetime of entries never holds every UUID; clear_dirty() after."""
    last = ""
    while True:
        chunk = [
            row[0]
            for row in conn.execute(
                "SELECT uuid FROM sync_dirty WHERE uuid > ? ORDER BY uuid LIMIT ?", (last, size)
            )
        ]
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def clear_dirty(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM sync_dirty")


def count_dirty(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM sync_dirty").fetchone()[0]


def entry_rows(conn: sqlite3.Connection, uuids: list[str]) -> Iterator[sqlite3.Row]:
    """The stored entries with these UUIDs (those that exist), as export reads them."""
    from netlog.store.db import ENTRY_COLUMNS

    for start in range(0, len(uuids), 500):
        chunk = uuids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        yield from conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN channels c ON c.id = e.channel_id"
            f" WHERE e.uuid IN ({marks})",
            chunk,
        ).fetchall()


def objects(conn: sqlite3.Connection, kind: str) -> dict[str, "Held"]:
    return {
        row[0]: Held(*row[1:])
        for row in conn.execute(
            "SELECT key, stamp, base, state FROM sync_objects WHERE type = ?", (kind,)
        )
    }


class Held(NamedTuple):
    stamp: str
    base: str | None
    state: str | None


def held(conn: sqlite3.Connection, kind: str, key: str) -> Held | None:
    row = conn.execute(
        "SELECT stamp, base, state FROM sync_objects WHERE type = ? AND key = ?", (kind, key)
    ).fetchone()
    return Held(*row) if row is not None else None


def held_many(conn: sqlite3.Connection, kind: str, keys: list[str]) -> dict[str, Held]:
    marks = ", ".join("?" * len(keys))
    return {
        row[0]: Held(*row[1:])
        for row in conn.execute(
            f"SELECT key, stamp, base, state FROM sync_objects WHERE type = ? AND key IN ({marks})",
            (kind, *keys),
        )
    }


def hold_many(conn: sqlite3.Connection, versions: list[tuple[str, str, Held]]) -> None:
    conn.executemany(_HOLD, [(kind, key, *version) for kind, key, version in versions])


_HOLD = (
    "INSERT INTO sync_objects (type, key, stamp, base, state) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (type, key) DO UPDATE SET stamp = excluded.stamp, base = excluded.base,"
    " state = excluded.state"
)


def remember(conn: sqlite3.Connection, kind: str, key: str, stamp: str) -> None:
    conn.execute("INSERT OR IGNORE INTO sync_versions VALUES (?, ?, ?)", (kind, key, stamp))


def remember_many(conn: sqlite3.Connection, versions: list[tuple[str, str, str]]) -> None:
    conn.executemany("INSERT OR IGNORE INTO sync_versions VALUES (?, ?, ?)", versions)


def known(conn: sqlite3.Connection, kind: str, key: str, stamp: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sync_versions WHERE type = ? AND key = ? AND stamp = ?",
            (kind, key, stamp),
        ).fetchone()
        is not None
    )


def any_conflicts(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM sync_conflicts)").fetchone()[0] == 1


def hold(conn: sqlite3.Connection, kind: str, key: str, version: Held) -> None:
    conn.execute(_HOLD, (kind, key, *version))


def small_tables(conn: sqlite3.Connection) -> dict[str, list[sqlite3.Row]]:
    """Channels, aliases, budgets and settings, whole."""
    return {
        "channel": conn.execute("SELECT key, name, created_at FROM channels").fetchall(),
        "alias": conn.execute(
            "SELECT a.key, a.alias, c.name AS channel, a.created_at FROM aliases a"
            " JOIN channels c ON c.id = a.channel_id"
        ).fetchall(),
        "budget": conn.execute(
            "SELECT c.key AS channel_key, c.name AS channel, b.kind, b.period, b.limit_value,"
            " b.currency, b.created_at, b.counts_from FROM budgets b"
            " JOIN channels c ON c.id = b.channel_id"
        ).fetchall(),
        "setting": conn.execute("SELECT key, value FROM settings").fetchall(),
    }


class Applying:
    """While sync writes other devices' changes, the triggers do not mark them as local."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("INSERT INTO sync_applying VALUES (1)")

    def __exit__(self, *exc: object) -> None:
        if self.conn.in_transaction:
            self.conn.execute("DELETE FROM sync_applying")


def channel_in_use(conn: sqlite3.Connection, channel_id: int) -> bool:
    return bool(
        conn.execute(
            "SELECT EXISTS (SELECT 1 FROM entries WHERE channel_id = ?1)"
            " OR EXISTS (SELECT 1 FROM aliases WHERE channel_id = ?1)"
            " OR EXISTS (SELECT 1 FROM budgets WHERE channel_id = ?1)",
            (channel_id,),
        ).fetchone()[0]
    )


def add_outbox(conn: sqlite3.Connection, seq: int, body: str, changes: int) -> None:
    conn.execute(
        "INSERT INTO sync_outbox (seq, body, changes) VALUES (?, ?, ?)", (seq, body, changes)
    )


def start_compacting(conn: sqlite3.Connection) -> None:
    """An empty table, of this connection only, for `sync --compact` to keep the latest
    change line of each object in. A temporary table lives in SQLite's temporary file, so a
    device's whole history is never held in memory."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS sync_compacting (type TEXT NOT NULL, key TEXT NOT NULL,"
        " rank INTEGER NOT NULL, stamp TEXT NOT NULL, line TEXT NOT NULL, PRIMARY KEY (type, key))"
    )
    conn.execute("DELETE FROM temp.sync_compacting")


def keep_latest(
    conn: sqlite3.Connection, changes: Iterable[tuple[str, str, int, str, str]]
) -> None:
    """(type, key, rank of the type, stamp, line): each object's line with the latest stamp."""
    conn.executemany(
        "INSERT INTO temp.sync_compacting (type, key, rank, stamp, line) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (type, key) DO UPDATE SET stamp = excluded.stamp, line = excluded.line"
        " WHERE excluded.stamp > sync_compacting.stamp",
        changes,
    )


def latest_lines(conn: sqlite3.Connection) -> Iterator[str]:
    """The lines kept, by the rank of their type, then oldest first."""
    for (line,) in conn.execute("SELECT line FROM temp.sync_compacting ORDER BY rank, stamp"):
        yield line


def end_compacting(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE IF EXISTS temp.sync_compacting")


def outbox(conn: sqlite3.Connection) -> list[int]:
    """The numbers of the change files not yet in the folder, oldest first."""
    return [row[0] for row in conn.execute("SELECT seq FROM sync_outbox ORDER BY seq")]


def outbox_body(conn: sqlite3.Connection, seq: int) -> str:
    """One waiting change file's text (read one at a time: each may be megabytes)."""
    return conn.execute("SELECT body FROM sync_outbox WHERE seq = ?", (seq,)).fetchone()[0]


def sent(conn: sqlite3.Connection, seq: int) -> None:
    conn.execute("DELETE FROM sync_outbox WHERE seq = ?", (seq,))


def applied(conn: sqlite3.Connection) -> set[tuple[str, int]]:
    return {(row[0], row[1]) for row in conn.execute("SELECT device, seq FROM sync_applied")}


def mark_applied(conn: sqlite3.Connection, device_id: str, seq: int, changes: int) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO sync_applied (device, seq, changes) VALUES (?, ?, ?)",
        (device_id, seq, changes),
    )


def note_device(conn: sqlite3.Connection, device_id: str, name: str, stamp: str | None) -> None:
    conn.execute(
        "INSERT INTO sync_devices (device, name, last_stamp) VALUES (?, ?, ?)"
        " ON CONFLICT (device) DO UPDATE SET name = excluded.name,"
        " last_stamp = max(coalesce(last_stamp, ''), coalesce(excluded.last_stamp, ''))",
        (device_id, name, stamp),
    )
    note_name(conn, device_id, name)


def note_name(conn: sqlite3.Connection, device_id: str, name: str) -> None:
    """The name of a device entries came from (netlog.store.who), as it last said."""
    conn.execute(
        "INSERT INTO device_names (device, name) VALUES (?, ?)"
        " ON CONFLICT (device) DO UPDATE SET name = excluded.name",
        (device_id, name),
    )


def devices(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT d.device, d.name, d.last_stamp,"
        " (SELECT coalesce(sum(changes), 0) FROM sync_applied a WHERE a.device = d.device)"
        " AS changes FROM sync_devices d ORDER BY d.name, d.device"
    ).fetchall()


def newly_noted(conn: sqlite3.Connection, names: Iterable[str]) -> list[str]:
    """Those of `names` not named before (and remembered from now on)."""
    fresh = []
    for name in names:
        if conn.execute("INSERT OR IGNORE INTO sync_noted VALUES (?)", (name,)).rowcount:
            fresh.append(name)
    return fresh


def add_conflict(conn: sqlite3.Connection, kind: str, key: str, kept: Held, lost: Held) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO sync_conflicts"
        " (type, key, kept_stamp, kept_state, lost_stamp, lost_state) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, key, kept.stamp, kept.state, lost.stamp, lost.state),
    )


_NO_STATE = object()


def settle_conflicts(
    conn: sqlite3.Connection, kind: str, key: str, base: str | None, state: object = _NO_STATE
) -> None:
    """A version built on a lost one ends that conflict; so does the current version
    becoming the lost one (`state`, when given: a restore, or the same edit made again)."""
    conn.execute(
        "DELETE FROM sync_conflicts WHERE type = ? AND key = ? AND lost_stamp IS ?",
        (kind, key, base),
    )
    if state is not _NO_STATE:
        conn.execute(
            "DELETE FROM sync_conflicts WHERE type = ? AND key = ? AND lost_state IS ?",
            (kind, key, state),
        )


def conflicts(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    if device(conn) is None:
        return []
    return conn.execute("SELECT * FROM sync_conflicts ORDER BY id").fetchall()


def drop_conflict(conn: sqlite3.Connection, conflict_id: int) -> None:
    conn.execute("DELETE FROM sync_conflicts WHERE id = ?", (conflict_id,))


# --- what applying another device's changes writes -------------------------------------------


def put_channel(conn: sqlite3.Connection, key: str, name: str, created_at: str) -> None:
    """The channel with this key gets this name (created if it is not there)."""
    if conn.execute("UPDATE channels SET name = ? WHERE key = ?", (name, key)).rowcount == 0:
        conn.execute(
            "INSERT INTO channels (key, name, created_at) VALUES (?, ?, ?)",
            (key, name, created_at),
        )


def channel_by_key(conn: sqlite3.Connection, key: str) -> int | None:
    row = conn.execute("SELECT id FROM channels WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def remove_channel(conn: sqlite3.Connection, channel_id: int) -> None:
    conn.execute("DELETE FROM channels WHERE id = ?", (channel_id,))


def put_alias(
    conn: sqlite3.Connection, key: str, alias: str, channel_id: int, created_at: str
) -> None:
    conn.execute(
        "INSERT INTO aliases (key, alias, channel_id, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET alias = excluded.alias,"
        " channel_id = excluded.channel_id, created_at = excluded.created_at",
        (key, alias, channel_id, created_at),
    )


def remove_alias(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM aliases WHERE key = ?", (key,))


def remove_budget(conn: sqlite3.Connection, channel_key: str, kind: str) -> None:
    conn.execute(
        "DELETE FROM budgets WHERE kind = ?"
        " AND channel_id IN (SELECT id FROM channels WHERE key = ?)",
        (kind, channel_key),
    )


def entry_ids(conn: sqlite3.Connection, uuids: list[str]) -> dict[str, int]:
    """The ids of the entries with these UUIDs (those that exist)."""
    marks = ", ".join("?" * len(uuids))
    return dict(
        conn.execute(f"SELECT uuid, id FROM entries WHERE uuid IN ({marks})", uuids).fetchall()
    )


def entry_id(conn: sqlite3.Connection, entry_uuid: str) -> int | None:
    row = conn.execute("SELECT id FROM entries WHERE uuid = ?", (entry_uuid,)).fetchone()
    return row[0] if row else None


# One change file is applied inside a savepoint, so a file that is refused leaves no trace.


def savepoint(conn: sqlite3.Connection) -> None:
    conn.execute("SAVEPOINT change_file")


def roll_back_to_savepoint(conn: sqlite3.Connection) -> None:
    conn.execute("ROLLBACK TO change_file")
    conn.execute("RELEASE change_file")


def release_savepoint(conn: sqlite3.Connection) -> None:
    conn.execute("RELEASE change_file")
