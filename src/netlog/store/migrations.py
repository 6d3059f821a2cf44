"""The schema, as an ordered list of migrations numbered by PRAGMA user_version.

Never edit, rename or reorder a migration once released: append a new one. A file's
user_version is the number of migrations applied to it.
"""

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from netlog.errors import NetlogError

if TYPE_CHECKING:
    from sqlite_utils import Database

# Marks a file as netlog's ("NLOG"), so that other SQLite files are never written to.
APPLICATION_ID = 0x4E4C4F47


def m001_initial(db: "Database") -> None:
    db.table("channels").create(
        {"id": int, "key": str, "name": str, "created_at": str},
        pk="id",
        not_null={"key", "name", "created_at"},
    )
    # `key` is the case- and Unicode-folded name that decides which channel a spelling is.
    db.table("channels").create_index(["key"], unique=True)
    db.table("entries").create(
        {
            "id": int,
            "uuid": str,
            "channel_id": int,
            # 'activity' (time spent) or an outcome: 'reach', 'lead' or 'win'
            "kind": str,
            "occurred_at": str,  # ISO 8601 UTC, e.g. 2010-09-14T09:00:00+00:00
            "logged_at": str,
            "what": str,
            "minutes": int,  # activities only
            "count": int,
            "label": str,
            "value_minor": int,  # wins only: money in minor units (pence, cents)
            "currency": str,
            "note": str,
            "tags": str,  # JSON array of strings, NULL when there are none
        },
        pk="id",
        not_null={"uuid", "channel_id", "kind", "occurred_at", "logged_at", "count"},
        foreign_keys=[("channel_id", "channels", "id")],
    )
    db.table("entries").create_index(["uuid"], unique=True)
    # Covers the summary's sums, so a date range reads only the index, in time order.
    db.table("entries").create_index(
        ["occurred_at", "channel_id", "kind", "minutes", "count", "value_minor"],
        index_name="entries_by_time",
    )
    # Covers the summary's sums per channel over all time: read in channel order, no sort.
    db.table("entries").create_index(
        ["channel_id", "occurred_at", "kind", "minutes", "count", "value_minor"],
        index_name="entries_by_channel",
    )
    db.table("settings").create({"key": str, "value": str}, pk="key", not_null={"value"})
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


# Tables whose every change is journaled so that `netlog undo` can revert it: the primary
# key and all columns as of m002. A migration that adds a column to one of these must drop
# and recreate that table's journal triggers with the new column list.
JOURNALED_TABLES_V2: dict[str, tuple[str, tuple[str, ...]]] = {
    "channels": ("id", ("id", "key", "name", "created_at")),
    "entries": (
        "id",
        (
            "id", "uuid", "channel_id", "kind", "occurred_at", "logged_at", "what", "minutes",
            "count", "label", "value_minor", "currency", "note", "tags",
        ),
    ),
    "settings": ("key", ("key", "value")),
    "aliases": ("key", ("key", "alias", "channel_id", "created_at")),
    "timer": ("id", ("id", "channel", "what", "started_at")),
}  # fmt: skip


# The columns of budgets as m005 makes them: its triggers are frozen with this list.
BUDGET_COLUMNS_V5 = ("id", "channel_id", "kind", "period", "limit_value", "currency", "created_at")

# m007 adds counts_from: the moment a budget starts counting (NULL: from the first entry).
BUDGET_COLUMNS_V7 = (*BUDGET_COLUMNS_V5, "counts_from")

# As of m003: entries gained reach_total, and links are journaled too; m005 adds budgets.
JOURNALED_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    **JOURNALED_TABLES_V2,
    "entries": ("id", (*JOURNALED_TABLES_V2["entries"][1], "reach_total")),  # m011: more
    "links": ("id", ("id", "entry_id", "source_id")),
    "budgets": ("id", BUDGET_COLUMNS_V7),
}


def _journal_triggers(table: str, columns: tuple[str, ...]) -> list[str]:
    """AFTER INSERT/UPDATE/DELETE triggers that copy the row as it was (the new row for an
    insert) into journal_steps, while a change is being recorded."""
    triggers = []
    for operation, image in (("insert", "new"), ("update", "old"), ("delete", "old")):
        row = ", ".join(f"'{column}', {image}.{column}" for column in columns)
        triggers.append(
            f"CREATE TRIGGER {table}_journal_{operation} AFTER {operation.upper()} ON {table}"
            " WHEN EXISTS (SELECT 1 FROM journal_recording) BEGIN"
            " INSERT INTO journal_steps (change_id, table_name, operation, row)"
            f" SELECT change_id, '{table}', '{operation}', json_object({row})"
            " FROM journal_recording; END"
        )
    return triggers


def m002_undo_journal_timer_aliases(db: "Database") -> None:
    # The running timer lives in the file so that it survives a closed terminal and two
    # terminals see the same one; `id = 1` keeps it to one timer at a time.
    db.execute(
        "CREATE TABLE timer (id INTEGER PRIMARY KEY CHECK (id = 1), channel TEXT NOT NULL,"
        " what TEXT, started_at TEXT NOT NULL)"
    )
    db.table("aliases").create(
        {"key": str, "alias": str, "channel_id": int, "created_at": str},
        pk="key",
        not_null={"alias", "channel_id", "created_at"},
        foreign_keys=[("channel_id", "channels", "id")],
    )
    # The undo journal: one row per write command, and the rows it touched as they were.
    db.table("journal_changes").create(
        {"id": int, "command": str, "made_at": str}, pk="id", not_null={"command", "made_at"}
    )
    db.table("journal_steps").create(
        {"id": int, "change_id": int, "table_name": str, "operation": str, "row": str},
        pk="id",
        not_null={"change_id", "table_name", "operation", "row"},
        foreign_keys=[("change_id", "journal_changes", "id")],
    )
    db.table("journal_steps").create_index(["change_id"])
    # Holds the id of the change being recorded while a write command runs; empty otherwise,
    # so writes by other SQLite tools are not journaled.
    db.table("journal_recording").create({"change_id": int}, not_null={"change_id"})
    for table, (_, columns) in JOURNALED_TABLES_V2.items():
        for trigger in _journal_triggers(table, columns):
            db.execute(trigger)


# Times as netlog stores them: UTC to the second, so that text order is time order.
_UTC_TIME = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+00:00'"

# Frozen text: what m003 makes must never depend on a library's version. Its CHECKs are the
# schema's half of the entry model (netlog.model.entries holds the whole of it, with messages).
M003_ENTRIES = f"""
CREATE TABLE entries_v3 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    channel_id INTEGER NOT NULL REFERENCES channels (id),
    kind TEXT NOT NULL CHECK (kind IN ('activity', 'reach', 'lead', 'win', 'spend')),
    occurred_at TEXT NOT NULL CHECK (occurred_at GLOB {_UTC_TIME}),
    logged_at TEXT NOT NULL CHECK (logged_at GLOB {_UTC_TIME}),
    what TEXT CHECK (what IS NULL OR length(what) BETWEEN 1 AND 2000),
    minutes INTEGER CHECK (
        CASE WHEN kind = 'activity' THEN coalesce(minutes BETWEEN 1 AND 1440, 0)
        ELSE minutes IS NULL END
    ),
    count INTEGER NOT NULL CHECK (
        CASE kind
            WHEN 'activity' THEN count BETWEEN 0 AND 1000000
            WHEN 'reach' THEN count BETWEEN -1000000 AND 1000000
            WHEN 'spend' THEN count = 1
            ELSE count BETWEEN 1 AND 1000000
        END
    ),
    label TEXT CHECK (label IS NULL OR length(label) BETWEEN 1 AND 2000),
    value_minor INTEGER CHECK (
        CASE kind
            WHEN 'win' THEN value_minor IS NULL OR value_minor BETWEEN 0 AND 1000000000000000
            WHEN 'spend' THEN coalesce(value_minor BETWEEN 1 AND 1000000000000000, 0)
            ELSE value_minor IS NULL
        END
    ),
    currency TEXT CHECK (
        (currency IS NULL OR currency GLOB '[A-Z][A-Z][A-Z]')
        AND (value_minor IS NOT NULL OR currency IS NULL)
    ),
    note TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 2000),
    tags TEXT CHECK (tags IS NULL OR json_valid(tags) AND json_type(tags) = 'array'),
    reach_total INTEGER CHECK (
        reach_total IS NULL OR kind = 'reach' AND reach_total BETWEEN 0 AND 1000000
    )
)"""

M003_LINKS = """
CREATE TABLE links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id INTEGER NOT NULL
        REFERENCES entries (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    source_id INTEGER NOT NULL
        REFERENCES entries (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    CHECK (entry_id != source_id),
    UNIQUE (entry_id, source_id)
)"""

_ZERO_DECIMAL_CURRENCIES = (
    "'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND',"
    " 'VUV', 'XAF', 'XOF', 'XPF'"
)
_THREE_DECIMAL_CURRENCIES = "'BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'"
ENTRY_COLUMNS_V2 = JOURNALED_TABLES_V2["entries"][1]
ENTRY_COLUMNS_V3 = (*ENTRY_COLUMNS_V2, "reach_total")  # m011 adds device and person


def m003_entry_model(db: "Database") -> None:
    """CHECK constraints for the entry model, ids never reused (AUTOINCREMENT), a kind for
    cash spend, running reach totals, and links from an outcome to what it came from."""
    conn = db.conn
    bad = conn.execute(
        "SELECT count(*) FROM entries WHERE NOT ("
        " kind IN ('activity', 'reach', 'lead', 'win')"
        f" AND occurred_at GLOB {_UTC_TIME} AND logged_at GLOB {_UTC_TIME}"
        " AND CASE WHEN kind = 'activity' THEN coalesce(minutes BETWEEN 1 AND 1440, 0)"
        "     ELSE minutes IS NULL END"
        " AND CASE kind WHEN 'activity' THEN count BETWEEN 0 AND 1000000"
        "     WHEN 'reach' THEN count BETWEEN -1000000 AND 1000000"
        "     ELSE count BETWEEN 1 AND 1000000 END"
        " AND (value_minor IS NULL OR kind = 'win' AND value_minor BETWEEN 0 AND 1000000000000000)"
        " AND (currency IS NULL OR currency GLOB '[A-Z][A-Z][A-Z]' AND value_minor IS NOT NULL)"
        " AND (tags IS NULL OR json_valid(tags) AND json_type(tags) = 'array')"
        " AND coalesce(length(what), 1) BETWEEN 1 AND 2000"
        " AND coalesce(length(label), 1) BETWEEN 1 AND 2000"
        " AND coalesce(length(note), 1) BETWEEN 1 AND 2000)"
    ).fetchone()[0]
    if bad:
        raise NetlogError(
            f"cannot upgrade this file: {bad:,} entries break netlog's rules (written by "
            "another program?); `netlog check` with netlog 0.1 lists them"
        )
    for operation in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER entries_journal_{operation}")
    conn.execute(M003_ENTRIES)
    columns = ", ".join(ENTRY_COLUMNS_V2)
    conn.execute(f"INSERT INTO entries_v3 ({columns}) SELECT {columns} FROM entries")
    conn.execute("DROP TABLE entries")
    conn.execute("ALTER TABLE entries_v3 RENAME TO entries")
    # Amounts were stored in hundredths whatever the currency; from now on in the currency's
    # own minor unit (ISO 4217, as of 2026): yen in yen, dinars in fils.
    conn.execute(
        "UPDATE entries SET value_minor = value_minor / 100 WHERE value_minor % 100 = 0"
        f" AND currency IN ({_ZERO_DECIMAL_CURRENCIES})"
    )
    conn.execute(
        "UPDATE entries SET value_minor = value_minor * 10"
        f" WHERE currency IN ({_THREE_DECIMAL_CURRENCIES})"
    )
    conn.execute(
        "UPDATE entries SET value_minor = value_minor * 100 WHERE currency IN ('CLF', 'UYW')"
    )
    conn.execute(
        "UPDATE entries SET currency = (SELECT value FROM settings WHERE key = 'currency')"
        " WHERE value_minor IS NOT NULL AND currency IS NULL"
        " AND (SELECT value FROM settings WHERE key = 'currency') GLOB '[A-Z][A-Z][A-Z]'"
    )
    conn.execute(
        "CREATE INDEX entries_by_time"
        " ON entries (occurred_at, channel_id, kind, minutes, count, value_minor)"
    )
    conn.execute(
        "CREATE INDEX entries_by_channel"
        " ON entries (channel_id, occurred_at, kind, minutes, count, value_minor)"
    )
    conn.execute(M003_LINKS)
    conn.execute("CREATE INDEX links_by_source ON links (source_id)")
    for trigger in _journal_triggers("entries", ENTRY_COLUMNS_V3):
        conn.execute(trigger)
    for trigger in _journal_triggers("links", JOURNALED_TABLES["links"][1]):
        conn.execute(trigger)


# Frozen text, as sqlite-utils' enable_fts(["what", "note", "label"], create_triggers=True)
# writes it (sqlite-utils 4.2): an external-content FTS5 index over entries, kept in step by
# triggers, so `--search` reads the index and never scans the text.
M004_ENTRIES_FTS = [
    'CREATE VIRTUAL TABLE "entries_fts" USING FTS5 (\n    "what", "note", "label",\n'
    '    content="entries"\n)',
    'CREATE TRIGGER "entries_ai" AFTER INSERT ON "entries" BEGIN\n'
    '  INSERT INTO "entries_fts" (rowid, "what", "note", "label")'
    ' VALUES (new.rowid, new."what", new."note", new."label");\nEND',
    'CREATE TRIGGER "entries_ad" AFTER DELETE ON "entries" BEGIN\n'
    '  INSERT INTO "entries_fts" ("entries_fts", rowid, "what", "note", "label")'
    ' VALUES(\'delete\', old.rowid, old."what", old."note", old."label");\nEND',
    'CREATE TRIGGER "entries_au" AFTER UPDATE ON "entries" BEGIN\n'
    '  INSERT INTO "entries_fts" ("entries_fts", rowid, "what", "note", "label")'
    ' VALUES(\'delete\', old.rowid, old."what", old."note", old."label");\n'
    '  INSERT INTO "entries_fts" (rowid, "what", "note", "label")'
    ' VALUES (new.rowid, new."what", new."note", new."label");\nEND',
    'INSERT INTO "entries_fts" (rowid, "what", "note", "label")\n'
    '    SELECT rowid, "what", "note", "label" FROM "entries"',
]

# Redo: undo runs as a journaled change of its own (the undo of the undo), listed here until
# `netlog redo` reverts it. Any other journaled write clears the list: what redo would
# re-apply may no longer fit. The commands 'undo' and 'redo' are the names those two record
# under while they run (netlog.store.journal renames them when done).
M004_REDO = [
    """CREATE TABLE journal_redo (
    change_id INTEGER PRIMARY KEY REFERENCES journal_changes (id) ON DELETE CASCADE
)""",
    """CREATE TRIGGER journal_redo_clear AFTER INSERT ON journal_steps
WHEN EXISTS (SELECT 1 FROM journal_redo)
    AND (SELECT command FROM journal_changes WHERE id = new.change_id) NOT IN ('undo', 'redo')
BEGIN
    DELETE FROM journal_steps WHERE change_id IN (SELECT change_id FROM journal_redo);
    DELETE FROM journal_changes WHERE id IN (SELECT change_id FROM journal_redo);
END""",
]


def m004_search_and_redo(db: "Database") -> None:
    """Full-text search over what, note and label; a redo list for undo."""
    for statement in (*M004_ENTRIES_FTS, *M004_REDO):
        db.conn.execute(statement)


# A channel's budgets: at most one for time and one for money, each per week or per month.
# Limits are minutes (at most a month of days) or minor units of `currency`, which is the
# file's currency when the budget is set. A merged-away channel takes its budgets with it.
M005_BUDGETS = f"""
CREATE TABLE budgets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id INTEGER NOT NULL
        REFERENCES channels (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL CHECK (kind IN ('time', 'spend')),
    period TEXT NOT NULL CHECK (period IN ('week', 'month')),
    limit_value INTEGER NOT NULL CHECK (
        CASE kind
            WHEN 'time' THEN limit_value BETWEEN 1 AND 44640
            ELSE limit_value BETWEEN 1 AND 1000000000000000
        END
    ),
    currency TEXT CHECK (
        CASE kind WHEN 'spend' THEN coalesce(currency GLOB '[A-Z][A-Z][A-Z]', 0)
            ELSE currency IS NULL END
    ),
    created_at TEXT NOT NULL CHECK (created_at GLOB {_UTC_TIME}),
    UNIQUE (channel_id, kind)
)"""


def m005_budgets(db: "Database") -> None:
    """Time and money budgets per channel (`netlog budget`), journaled for undo."""
    db.conn.execute(M005_BUDGETS)
    for trigger in _journal_triggers("budgets", BUDGET_COLUMNS_V5):
        db.conn.execute(trigger)


# The rows with money, by currency: summaries, funnel, trend and the report check that a
# file keeps one currency (db.amount_currencies) without reading every entry (22 ms at 100k
# entries, a fifth of a second at 1M, for a few thousand wins and spend).
M006_MONEY_INDEX = (
    "CREATE INDEX entries_by_currency ON entries (currency) WHERE value_minor IS NOT NULL"
)


def m006_money_index(db: "Database") -> None:
    """An index of the entries that hold money, by currency."""
    db.conn.execute(M006_MONEY_INDEX)


def m007_budget_counts_from(db: "Database") -> None:
    """A budget counts from the day it was set (or the day `budget --since` names), not
    over the whole history: budgets gain counts_from, in stored form. A budget set before
    counts from the local start of the day it was last set (its created_at, written by the
    same clock as the journal and restored with it by undo)."""
    from netlog.model.dates import from_storage, local_zone
    from netlog.model.periods import Period, iter_periods

    conn = db.conn
    conn.execute(
        f"ALTER TABLE budgets ADD COLUMN counts_from TEXT CHECK (counts_from GLOB {_UTC_TIME})"
    )
    zone = local_zone()
    for budget_id, created_at in conn.execute("SELECT id, created_at FROM budgets").fetchall():
        moment = from_storage(created_at)
        _, day_start, _ = next(iter_periods(moment, moment, Period.DAY, zone))
        conn.execute("UPDATE budgets SET counts_from = ? WHERE id = ?", (day_start, budget_id))
    for operation in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER budgets_journal_{operation}")
    for trigger in _journal_triggers("budgets", BUDGET_COLUMNS_V7):
        conn.execute(trigger)


# Items counted from a channel's own export (LinkedIn, X, mbox) carry no time: an activity
# may now have no minutes. Loosening a CHECK changes nothing stored, so the table's CREATE text
# is edited in place, as SQLite documents for that case (sqlite.org/lang_altertable.html,
# "Making Other Kinds Of Table Schema Changes"): no rebuild, the same cost at a million rows
# as at none, and ids, links, the search index and the journal triggers untouched.
M008_MINUTES_BEFORE = "coalesce(minutes BETWEEN 1 AND 1440, 0)"
M008_MINUTES_AFTER = "minutes IS NULL OR minutes BETWEEN 1 AND 1440"

# What `netlog import --from linkedin|x|mbox|ics` already brought in: one-way hashes of the
# source's own ids (message, tweet, Message-ID, event UID), never the ids themselves, and the
# entry that counts each. Journaled, so undo and redo keep entries and hashes in step.
M009_CAPTURED = """
CREATE TABLE captured (
    hash TEXT PRIMARY KEY CHECK (length(hash) = 32),
    entry_id INTEGER NOT NULL
        REFERENCES entries (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID"""
CAPTURED_COLUMNS_V9 = ("hash", "entry_id")


def m008_activities_without_minutes(db: "Database") -> None:
    """An activity may have no minutes: items counted from an export."""
    _edit_entries_check(db, M008_MINUTES_BEFORE, M008_MINUTES_AFTER)


def _edit_entries_check(db: "Database", before: str, after: str) -> None:
    """Edit the entries table's CREATE text in place (as M008 explains): `before`, found
    once, becomes `after`, a CHECK that every stored row already meets (a looser rule or the
    same one written another way)."""
    conn = db.conn
    [create] = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entries'"
    ).fetchone()
    if create.count(before) != 1:
        raise NetlogError("cannot upgrade this file: its entries table is not as netlog made it")
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'entries'",
            (create.replace(before, after),),
        )
        conn.execute(f"PRAGMA schema_version = {version + 1}")  # other connections re-read it
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def m009_captured(db: "Database") -> None:
    """The hashes of what each export import brought in (a migration of its own: each runs
    in its own transaction, so a nearly full disk needs room for the smaller of the two)."""
    conn = db.conn
    conn.execute(M009_CAPTURED)
    conn.execute("CREATE INDEX captured_by_entry ON captured (entry_id)")
    for trigger in _journal_triggers("captured", CAPTURED_COLUMNS_V9):
        conn.execute(trigger)


JOURNALED_TABLES["captured"] = ("hash", CAPTURED_COLUMNS_V9)

# A reply (someone answered a message or a bid) is an outcome of its own, between the item
# and the lead; its count and value rules are a lead's, so only the list of kinds changes.
M010_KINDS_BEFORE = "kind IN ('activity', 'reach', 'lead', 'win', 'spend')"
M010_KINDS_AFTER = "kind IN ('activity', 'reach', 'reply', 'lead', 'win', 'spend')"


def m010_replies(db: "Database") -> None:
    """Entries may be replies."""
    _edit_entries_check(db, M010_KINDS_BEFORE, M010_KINDS_AFTER)


# Who logged each entry: the device it was first logged on (its sync id) and the person
# (`config name`) set there then. Every file gets its device identity here, so that an entry
# is stamped whether or not the file ever syncs; sync adopts it (netlog.store.changes).
M011_DEVICE = """
CREATE TABLE IF NOT EXISTS sync_device (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    device TEXT NOT NULL,
    name TEXT NOT NULL,
    clock TEXT,
    last_seq INTEGER NOT NULL DEFAULT 0,
    person TEXT
)"""
# The names of the other devices entries came from (by import, merge or sync).
M011_DEVICE_NAMES = """
CREATE TABLE device_names (device TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID"""
M011_ENTRY_COLUMNS = ("device", "person")


def m011_who_logged_it(db: "Database") -> None:
    """Entries gain the device and person that logged them; existing ones are this
    device's. ADD COLUMN and one UPDATE: no table rebuild."""
    conn = db.conn
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if "sync_device" in tables:
        conn.execute("ALTER TABLE sync_device ADD COLUMN person TEXT")
    else:
        conn.execute(M011_DEVICE)
    conn.execute(
        "INSERT OR IGNORE INTO sync_device (id, device, name) VALUES (1, ?, ?)",
        (new_device_id(), this_device_name()),
    )
    conn.execute(M011_DEVICE_NAMES)
    conn.execute("ALTER TABLE entries ADD COLUMN device TEXT")
    conn.execute("ALTER TABLE entries ADD COLUMN person TEXT")
    # Not a change of any entry's text (the search index) nor one to send (sync's triggers).
    [search_trigger] = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'entries_au'"
    ).fetchone()
    conn.execute('DROP TRIGGER "entries_au"')
    if "sync_applying" in tables:
        conn.execute("INSERT INTO sync_applying VALUES (1)")
    conn.execute("UPDATE entries SET device = (SELECT device FROM sync_device)")
    if "sync_applying" in tables:
        conn.execute("DELETE FROM sync_applying")
    conn.execute(search_trigger)
    conn.execute("CREATE INDEX entries_by_device ON entries (device)")
    conn.execute("CREATE INDEX entries_by_person ON entries (person) WHERE person IS NOT NULL")
    for operation in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER entries_journal_{operation}")
    for trigger in _journal_triggers("entries", JOURNALED_TABLES["entries"][1]):
        conn.execute(trigger)


JOURNALED_TABLES["entries"] = ("id", (*JOURNALED_TABLES["entries"][1], *M011_ENTRY_COLUMNS))


# The money index (schema 6) also holds each row's kind, amount and count: the median win
# value behind the verdicts, over the whole file, is read from the index alone instead of a
# table lookup per valued row (at 1M entries 0.04 s to a few ms, which made a one-month
# summary grow with the file).
M012_MONEY_INDEX = (
    "CREATE INDEX entries_by_currency ON entries (currency, kind, value_minor, count)"
    " WHERE value_minor IS NOT NULL"
)


def m012_money_index_covers_wins(db: "Database") -> None:
    """The index of the entries that hold money covers their kind, amount and count."""
    db.conn.execute("DROP INDEX entries_by_currency")
    db.conn.execute(M012_MONEY_INDEX)


# The same rule on kinds, written without IN: SQLite builds a temporary index of an IN list
# each time it checks a row (executemany runs the INSERT once per row), which was a fifth of
# an import's insert time. A chain of = accepts exactly the same rows, so the CREATE text is
# edited in place, as M008 explains.
M013_KINDS_BEFORE = M010_KINDS_AFTER
M013_KINDS_AFTER = (
    "kind = 'activity' OR kind = 'reach' OR kind = 'reply' OR kind = 'lead' OR kind = 'win'"
    " OR kind = 'spend'"
)


def m013_kinds_checked_without_in(db: "Database") -> None:
    """The entries table checks its kinds as a chain of =, the same rule, faster."""
    _edit_entries_check(db, M013_KINDS_BEFORE, M013_KINDS_AFTER)


MIGRATIONS = [
    m001_initial,
    m002_undo_journal_timer_aliases,
    m003_entry_model,
    m004_search_and_redo,
    m005_budgets,
    m006_money_index,
    m007_budget_counts_from,
    m008_activities_without_minutes,
    m009_captured,
    m010_replies,
    m011_who_logged_it,
    m012_money_index_covers_wins,
    m013_kinds_checked_without_in,
]


SCHEMA_VERSION = len(MIGRATIONS)


def _version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check_and_upgrade(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse files that are not netlog's or are newer than this netlog; upgrade older ones."""
    version = _version(conn)  # reading the header fails here if the file is not SQLite
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise NetlogError(
            f"{path} was written by a newer netlog (schema {version}; this one knows up to "
            f"{SCHEMA_VERSION}): upgrade netlog to use it"
        )
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if version == 0 and has_tables and _version(conn) == SCHEMA_VERSION:
        return  # another netlog process created it a moment ago
    if application_id not in (0, APPLICATION_ID) or (version == 0 and has_tables):
        raise NetlogError(f"{path} is an SQLite database, but not a netlog one; left untouched")
    upgrade(conn)


def new_device_id() -> str:
    """A file's device identity for sync (netlog.io.sync), random: 16 hex digits."""
    import os

    return os.urandom(8).hex()  # secrets.token_hex(8), without importing hashlib for it


def this_device_name() -> str:
    """The name a new file gives the device it is made on (its host name)."""
    import os

    if hasattr(os, "uname"):  # what socket.gethostname() reads, without importing socket
        return os.uname().nodename or "this device"
    import socket

    return socket.gethostname() or "this device"


def is_device_id(text: str) -> bool:
    """Whether `text` is a device id as new_device_id() makes them."""
    return len(text) == 16 and all(character in "0123456789abcdef" for character in text)


# The current schema, made by the migrations once per process and copied into each new file
# (a process that makes many files, as a test suite does, replays them once).
_NEW_FILE: list[sqlite3.Connection] = []


def set_up_new_file(conn: sqlite3.Connection, path: Path) -> None:
    """A new, empty file (`conn`) made a current netlog file, with a device id of its own."""
    if not _NEW_FILE:
        from netlog.store import schema

        template = sqlite3.connect(":memory:", isolation_level=None)
        if schema.VERSION == SCHEMA_VERSION:
            apply_schema(template, schema.STATEMENTS, schema.ROWS)
        else:  # a migration newer than the snapshot (a test says to write it again)
            check_and_upgrade(template, path)
        _NEW_FILE.append(template)
    _NEW_FILE[0].backup(conn)
    conn.execute(
        "UPDATE sync_device SET device = ?, name = ?", (new_device_id(), this_device_name())
    )


# --- the schema snapshot (netlog.store.schema) ------------------------------------------------

Rows = tuple[tuple[str, tuple[str, ...], tuple[tuple[object, ...], ...]], ...]


def apply_schema(conn: sqlite3.Connection, statements: tuple[str, ...], rows: Rows) -> None:
    """Make the empty database `conn` what the migrations make, from a snapshot of it:
    `statements` (schema and pragmas) then `rows` (table, columns, values)."""
    conn.execute("BEGIN")
    for statement in statements:
        conn.execute(statement)
    for table, columns, values in rows:
        marks = ", ".join("?" * len(columns))
        conn.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})', values)
    conn.execute("COMMIT")


def schema_snapshot(conn: sqlite3.Connection) -> tuple[tuple[str, ...], Rows]:
    """(statements, rows) for apply_schema() that make a new database what `conn`, a database
    the migrations have just made, is: its objects in the order they were made, the tables a
    virtual table makes for itself left to it, and the rows the migrations wrote."""
    statements = [
        f"PRAGMA application_id = {conn.execute('PRAGMA application_id').fetchone()[0]}",
        f"PRAGMA user_version = {_version(conn)}",
    ]
    scratch = sqlite3.connect(":memory:")
    made_by_virtual_tables: set[str] = set()
    for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ):
        if scratch.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone():
            continue  # made already, by the statement before it
        before = {row[0] for row in scratch.execute("SELECT name FROM sqlite_master")}
        scratch.execute(sql)
        statements.append(sql)
        if sql.upper().startswith("CREATE VIRTUAL TABLE"):
            after = {row[0] for row in scratch.execute("SELECT name FROM sqlite_master")}
            made_by_virtual_tables |= after - before - {name}
    scratch.close()
    rows = []
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
    ):
        if table in made_by_virtual_tables or table.startswith("sqlite_stat"):
            continue
        cursor = conn.execute(f'SELECT * FROM "{table}"')
        values = tuple(cursor)
        if values:
            columns = tuple(column for column, *_ in cursor.description)
            rows.append((table, columns, values))
    return tuple(statements), tuple(rows)


def without_this_device(conn: sqlite3.Connection) -> sqlite3.Connection:
    """`conn` with its device's id and name blanked: set_up_new_file() gives each new file
    its own, so the snapshot holds neither."""
    conn.execute("UPDATE sync_device SET device = '', name = ''")
    return conn


def write_schema_module(target: Path) -> None:
    """Write netlog.store.schema from the migrations (after adding one: `python -m
    netlog.store.migrations`, then `ruff format`)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    upgrade(conn)
    statements, rows = schema_snapshot(without_this_device(conn))
    target.write_text(
        "# ruff: noqa: E501 - statements as SQLite stores them\n"
        '"""The schema the migrations make, as statements and rows: a new file is made from it\n'
        "in one go (netlog.store.migrations.set_up_new_file) rather than by replaying them.\n"
        'Written by `python -m netlog.store.migrations`; a test holds it to the migrations."""\n\n'
        f"VERSION = {SCHEMA_VERSION}\n"
        f"STATEMENTS = {statements!r}\n"
        f"ROWS = {rows!r}\n",
        encoding="utf-8",
    )


def upgrade(conn: sqlite3.Connection) -> None:
    """Apply the missing migrations, each in one transaction with its new user_version."""
    from sqlite_utils import Database

    db = Database(conn, execute_plugins=False, recursive_triggers=False)
    for version, migration in enumerate(MIGRATIONS, start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Checked again under the write lock: another process may have just done it.
            if _version(conn) < version:
                migration(db)
                conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


if __name__ == "__main__":
    write_schema_module(Path(__file__).with_name("schema.py"))
