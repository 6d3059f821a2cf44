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
    db.table("entries").create_index(["channel_id", "occurred_at"])
    db.table("settings").create({"key": str, "value": str}, pk="key", not_null={"value"})
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


MIGRATIONS = [m001_initial]
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
