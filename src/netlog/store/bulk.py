"""The SQL of moving many entries at once: import and merge in, export out.

An import inserts in batches inside the caller's one transaction. While it does, the two
per-row insert triggers on entries (the undo journal's and the search index's) are set
aside: the import is journaled as one id range and indexed for search in one statement at
the end, which is most of the time of a large import saved. They are set aside only once a
batch holds a new entry, so an import that adds nothing leaves the file as it was.
"""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from netlog.store import db

IMPORT_CACHE_KIB = 32 * 1024

# The per-row triggers an import sets aside; recreated from their own stored text.
_PER_ROW_TRIGGERS = ("entries_journal_insert", "entries_ai")

_INSERT = (
    "INSERT INTO entries (id, uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
    " count, label, value_minor, currency, note, tags, reach_total, device, person)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (uuid) DO NOTHING"
)
_LINK_BY_UUID = (
    "INSERT INTO links (entry_id, source_id)"
    " SELECT e.id, s.id FROM entries e, entries s WHERE e.uuid = ? AND s.uuid = ?"
    " ON CONFLICT DO NOTHING"
)


class BulkInsert:
    """Entries inserted in batches by one import, inside the caller's transaction; call
    finish() at the end. After a failure the caller rolls the whole transaction back, the
    triggers set aside included."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # Entries arrive in no order of their UUIDs: with SQLite's default 2 MB of page cache,
        # a file of more than a few thousand entries reads its uuid index from the OS on every
        # insert. 32 MB (held only as the file needs it) saves a fifth of the insert's time.
        conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
        # Into a file that never held entries, they keep their ids (a restore).
        self.keep_ids = bool(
            conn.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM entries) AND NOT EXISTS"
                " (SELECT 1 FROM sqlite_sequence WHERE name = 'entries' AND seq > 0)"
            ).fetchone()[0]
        )
        # Whether the file holds an entry: until it does, no UUID is looked up.
        self.holds_entries = bool(
            conn.execute("SELECT EXISTS (SELECT 1 FROM entries)").fetchone()[0]
        )
        # The highest id ever given out: the imported entries get ids above it.
        self.before_max: int = conn.execute(
            "SELECT max(coalesce((SELECT max(id) FROM entries), 0),"
            " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'entries'), 0))"
        ).fetchone()[0]
        # db.WHO_VALUES worked out once for the import, not by two subqueries per entry.
        self.this_device, self.this_person = conn.execute(
            f"SELECT {db.WHO_VALUES}", (None, None, None)
        ).fetchone()
        self.set_aside: list[str] = []  # the triggers' text, while they are set aside
        # The undo journal's per-row recording stops: the import is journaled as one range.
        row = conn.execute("SELECT change_id FROM journal_recording").fetchone()
        self.recording: int | None = row[0] if row else None
        conn.execute("DELETE FROM journal_recording")

    def new_uuids(self, uuids: Sequence[str]) -> set[str]:
        """Those of `uuids` that no entry in the file has."""
        import json

        if not self.holds_entries:  # nothing to look up yet
            return set(uuids)
        # Each UUID looked up in the index in turn (an IN (SELECT ...) would first build a
        # temporary index of the list, which takes longer than the lookups).
        known = {
            row[0]
            for row in self.conn.execute(
                "SELECT e.uuid FROM json_each(?) j JOIN entries e ON e.uuid = j.value",
                (json.dumps(list(uuids)),),
            )
        }
        return set(uuids) - known

    def channel_id(self, name: str, created_at: str) -> int:
        """The channel's id; a new channel is journaled row by row, like any other write."""
        if self.recording is not None:
            self.conn.execute("INSERT INTO journal_recording VALUES (?)", (self.recording,))
        try:
            return db.channel_id(self.conn, name, created_at=created_at)
        finally:
            self.conn.execute("DELETE FROM journal_recording")

    def who(
        self, devices: list[str | None], persons: list[str | None]
    ) -> tuple[list[str], list[str | None]]:
        """The device and person stored for entries of these devices and persons, as
        db.WHO_VALUES gives them: an entry without a device is this device's, by its person."""
        this_device, this_person = self.this_device, self.this_person
        if devices.count(None) == len(devices):  # all this device's (a file of its own)
            return [this_device] * len(devices), [this_person] * len(devices)
        return (
            [this_device if device is None else device for device in devices],
            [
                person if device is not None else this_person
                for device, person in zip(devices, persons, strict=True)
            ],
        )

    def insert(self, rows: list[tuple]) -> int:
        """Insert (id or None, uuid, channel id, kind, occurred_at, logged_at, what, minutes,
        count, label, value_minor, currency, note, tags, reach_total, device, person) rows,
        device and person as who() gives them; how many were new (a UUID already present,
        or twice in `rows`, is skipped)."""
        if not rows:
            return 0
        if not self.set_aside:
            self._set_triggers_aside()
        added = self.conn.executemany(_INSERT, rows).rowcount
        self.holds_entries = self.holds_entries or added > 0
        return added

    def link(self, entry_uuid: str, source_uuid: str) -> bool:
        """Record that one entry came from another, by UUID; False if the source is in
        neither the file nor the import."""
        if self.conn.execute(_LINK_BY_UUID, (entry_uuid, source_uuid)).rowcount:
            return True
        return bool(
            self.conn.execute("SELECT 1 FROM entries WHERE uuid = ?", (source_uuid,)).fetchone()
        )

    def _set_triggers_aside(self) -> None:
        for name in _PER_ROW_TRIGGERS:
            row = self.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
            ).fetchone()
            if row is not None:
                self.set_aside.append(row[0])
                self.conn.execute(f'DROP TRIGGER "{name}"')

    def finish(self, added: int) -> None:
        """Index the new entries for search, put the triggers back, and journal the import
        as one step (the id range it added), so that undo removes it whole."""
        if self.set_aside:
            self.conn.execute(
                'INSERT INTO "entries_fts" (rowid, "what", "note", "label")'
                ' SELECT id, "what", "note", "label" FROM entries WHERE id > ?',
                (self.before_max,),
            )
            for sql in self.set_aside:
                self.conn.execute(sql)
            self.set_aside = []
        if self.recording is not None:
            self.conn.execute("INSERT INTO journal_recording VALUES (?)", (self.recording,))
            if added:
                after_max = self.conn.execute("SELECT max(id) FROM entries").fetchone()[0]
                self.conn.execute(
                    "INSERT INTO journal_steps (change_id, table_name, operation, row)"
                    " VALUES (?, 'entries', 'insert_range', json_object('from', ?, 'to', ?))",
                    (self.recording, self.before_max + 1, after_max),
                )


def export_rows(
    conn: sqlite3.Connection, start: str | None = None, end: str | None = None
) -> Iterator[sqlite3.Row]:
    """Every entry in [start, end) in id order, with its channel's name and sources."""
    return db.iter_entries(conn, start, end, order="id")


# The columns of export_tuples(), in order (those of db.ENTRY_COLUMNS).
EXPORT_FIELDS = (
    "id", "uuid", "type", "channel", "what", "minutes", "count", "kind", "label", "value_minor",
    "currency", "note", "tags", "occurred_at", "logged_at", "reach_total", "sources",
    "device", "device_id", "person",
)  # fmt: skip


def export_tuples(
    conn: sqlite3.Connection, start: str | None = None, end: str | None = None
) -> Iterator[tuple]:
    """export_rows() as plain tuples of EXPORT_FIELDS, the cheapest rows to read in bulk."""
    cursor = conn.cursor()
    cursor.row_factory = None
    where, params = db._filters(start, end, None)
    sql = (
        f"SELECT {db.ENTRY_COLUMNS} FROM entries e JOIN channels c ON c.id = e.channel_id"
        f" {where} ORDER BY e.id"
    )
    for row in cursor.execute(sql, params):  # noqa: UP028 - not `yield from`: see db.iter_entries
        yield row


@contextmanager
def search_index_paused(conn: sqlite3.Connection) -> Iterator[None]:
    """Index the entries inserted inside this block in one statement at the end, instead of
    row by row through the insert trigger (as BulkInsert does). The other per-row insert
    triggers that would do nothing in this block (no undo step is being recorded; sync is
    applying other devices' changes) are set aside too: each costs as much as an index.
    Inside the caller's transaction."""
    before_max = conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0]
    idle = {
        "entries_ai": True,
        "entries_journal_insert": conn.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM journal_recording)"
        ).fetchone()[0],
        "sync_entries_insert": conn.execute(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sync_applying')"
        ).fetchone()[0]
        and conn.execute("SELECT EXISTS (SELECT 1 FROM sync_applying)").fetchone()[0],
    }
    set_aside = []
    for name in (name for name, unused in idle.items() if unused):
        row = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        ).fetchone()
        if row is not None:
            set_aside.append(row[0])
            conn.execute(f'DROP TRIGGER "{name}"')
    yield
    conn.execute(
        'INSERT INTO "entries_fts" (rowid, "what", "note", "label")'
        ' SELECT id, "what", "note", "label" FROM entries WHERE id > ?',
        (before_max,),
    )
    for sql in set_aside:
        conn.execute(sql)
