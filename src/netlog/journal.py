"""Undo: the journal of write commands, and reverting the most recent one.

Triggers (migration m002) copy every row a write command touches into journal_steps, as it
was before the change; reverting a change replays those copies in reverse order. Removed
entries come back with their id and UUID.
"""

import json
import sqlite3
from typing import NamedTuple

from netlog.db import write_transaction
from netlog.errors import NetlogError
from netlog.migrations import JOURNALED_TABLES


class Change(NamedTuple):
    id: int
    command: str
    made_at: str
    rows: int


def recent_changes(conn: sqlite3.Connection, limit: int = 10) -> list[Change]:
    """The most recent changes that undo would revert, newest first."""
    return [
        Change(*row)
        for row in conn.execute(
            "SELECT c.id, c.command, c.made_at,"
            " (SELECT count(*) FROM journal_steps s WHERE s.change_id = c.id)"
            " FROM journal_changes c ORDER BY c.id DESC LIMIT ?",
            (limit,),
        )
    ]


def _revert_step(conn: sqlite3.Connection, table: str, operation: str, row: dict) -> None:
    # Table and column names come from JOURNALED_TABLES, never from the file.
    pk, columns = JOURNALED_TABLES[table]
    if operation == "insert":
        conn.execute(f"DELETE FROM {table} WHERE {pk} = ?", (row[pk],))
    elif operation == "insert_range":  # a bulk import, journaled as the ids it added
        conn.execute(f"DELETE FROM {table} WHERE {pk} BETWEEN ? AND ?", (row["from"], row["to"]))
    elif operation == "delete":
        placeholders = ", ".join("?" * len(columns))
        conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
            [row.get(column) for column in columns],
        )
    else:
        assignments = ", ".join(f"{column} = ?" for column in columns if column != pk)
        conn.execute(
            f"UPDATE {table} SET {assignments} WHERE {pk} = ?",
            [row.get(column) for column in columns if column != pk] + [row[pk]],
        )


def undo_last(conn: sqlite3.Connection) -> Change | None:
    """Revert the most recent change in one transaction; None when there is nothing to undo."""
    with write_transaction(conn):
        changes = recent_changes(conn, limit=1)
        if not changes:
            return None
        change = changes[0]
        steps = conn.execute(
            "SELECT table_name, operation, row FROM journal_steps WHERE change_id = ?"
            " ORDER BY id DESC",
            (change.id,),
        ).fetchall()
        try:
            for table, operation, row in steps:
                if table not in JOURNALED_TABLES:
                    raise NetlogError(f"the undo journal names an unknown table {table!r}")
                _revert_step(conn, table, operation, json.loads(row))
        except sqlite3.IntegrityError as exc:
            raise NetlogError(
                f"cannot undo {change.command!r}: the data has changed since ({exc})"
            ) from None
        conn.execute("DELETE FROM journal_steps WHERE change_id = ?", (change.id,))
        conn.execute("DELETE FROM journal_changes WHERE id = ?", (change.id,))
    return change
