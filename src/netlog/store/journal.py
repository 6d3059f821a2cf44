"""Undo and redo: the journal of write commands, reverting the most recent one, and
re-applying what undo reverted.

Triggers (migration m002) copy every row a write command touches into journal_steps, as it
was before the change; reverting a change replays those copies in reverse order. Removed
entries come back with their id and UUID.

Undo runs as a journaled change of its own, so its steps are exactly what redo must replay;
that change is kept on the redo list (journal_redo, m004) until redo reverts it, or until any
other write clears the list (a trigger does that, whoever writes).
"""

import json
import sqlite3
from collections.abc import Callable
from typing import NamedTuple

from netlog.errors import NetlogError
from netlog.store.db import describe_change, write_transaction
from netlog.store.migrations import JOURNALED_TABLES

# The names an undo and a redo record under while they run; m004's trigger knows them.
UNDO, REDO = "undo", "redo"


class Change(NamedTuple):
    id: int
    command: str
    made_at: str
    rows: int


class Step(NamedTuple):
    table: str
    operation: str
    row: dict


class Reverted(NamedTuple):
    """A change that undo or redo reverted, and the journal steps it replayed (oldest first)."""

    change: Change
    steps: list[Step]


_UNDO_STACK = "c.id NOT IN (SELECT change_id FROM journal_redo)"
_REDO_STACK = "c.id IN (SELECT change_id FROM journal_redo)"


def _changes(conn: sqlite3.Connection, stack: str, limit: int) -> list[Change]:
    return [
        Change(*row)
        for row in conn.execute(
            "SELECT c.id, c.command, c.made_at,"
            " (SELECT count(*) FROM journal_steps s WHERE s.change_id = c.id)"
            f" FROM journal_changes c WHERE {stack}"
            " AND c.id NOT IN (SELECT change_id FROM journal_recording)"
            " ORDER BY c.id DESC LIMIT ?",
            (limit,),
        )
    ]


def recent_changes(conn: sqlite3.Connection, limit: int = 10) -> list[Change]:
    """The most recent changes that undo would revert, newest first."""
    return _changes(conn, _UNDO_STACK, limit)


def redo_changes(conn: sqlite3.Connection, limit: int = 10) -> list[Change]:
    """What redo would re-apply, the next one first (named after the change undo reverted)."""
    return _changes(conn, _REDO_STACK, limit)


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


def _revert(conn: sqlite3.Connection, change: Change, verb: str) -> list[Step]:
    """Replay a change's steps backwards, then forget the change; returns its steps."""
    steps = [
        Step(table, operation, json.loads(row))
        for table, operation, row in conn.execute(
            "SELECT table_name, operation, row FROM journal_steps WHERE change_id = ? ORDER BY id",
            (change.id,),
        ).fetchall()
    ]
    try:
        for step in reversed(steps):
            if step.table not in JOURNALED_TABLES:
                raise NetlogError(f"the undo journal names an unknown table {step.table!r}")
            _revert_step(conn, *step)
    except sqlite3.IntegrityError as exc:
        raise NetlogError(
            f"cannot {verb} {change.command!r}: the data has changed since ({exc})"
        ) from None
    conn.execute("DELETE FROM journal_steps WHERE change_id = ?", (change.id,))
    conn.execute("DELETE FROM journal_changes WHERE id = ?", (change.id,))
    return steps


def _latest(conn: sqlite3.Connection, stack: str, expected: int | None, verb: str):
    changes = _changes(conn, stack, 1)
    if not changes:
        return None
    if expected is not None and changes[0].id != expected:
        raise NetlogError(
            f"another change was made meanwhile: nothing done; run netlog {verb} again"
        )
    return changes[0]


def undo_last(conn: sqlite3.Connection, *, expected: int | None = None) -> Reverted | None:
    """Revert the most recent change in one transaction, keeping it for redo; None when
    there is nothing to undo. With `expected`, refuse unless that change is the latest."""
    with write_transaction(conn, change=UNDO):
        change = _latest(conn, _UNDO_STACK, expected, "undo")
        if change is None:
            return None
        steps = _revert(conn, change, "undo")
        describe_change(conn, change.command)
        conn.execute("INSERT INTO journal_redo (change_id) SELECT change_id FROM journal_recording")
    return Reverted(change, steps)


def redo_last(conn: sqlite3.Connection) -> Reverted | None:
    """Re-apply what the most recent undo reverted (it becomes undoable again); None when
    there is nothing to redo."""
    with write_transaction(conn, change=REDO):
        change = _latest(conn, _REDO_STACK, None, "redo")
        if change is None:
            return None
        steps = _revert(conn, change, "redo")
        describe_change(conn, change.command)
    return Reverted(change, steps)


def state_after(
    conn: sqlite3.Connection, reverted: Reverted, describe: Callable[[dict], str], *, most: int = 3
) -> list[str]:
    """What the rows a revert touched look like now, for people: `#82 is gone.`,
    `#12 is back to: …`, `rate is back to 40.`."""
    from netlog.store.db import get_entries

    touched: dict[tuple[str, object], str] = {}
    for step in reverted.steps:
        if step.table in ("entries", "settings") and step.operation != "insert_range":
            pk = JOURNALED_TABLES[step.table][0]
            touched.setdefault((step.table, step.row[pk]), step.operation)
    lines = []
    ranges = [s.row for s in reverted.steps if s.operation == "insert_range"]
    for span in ranges:
        lines.append(f"#{span['from']}–#{span['to']} are gone.")
    entries = [(key, op) for (table, key), op in touched.items() if table == "entries"]
    for key, operation in entries[:most]:
        found = conn.execute("SELECT 1 FROM entries WHERE id = ?", (key,)).fetchone()
        if found is None:
            lines.append(f"#{key} is gone.")
        else:
            [entry] = get_entries(conn, [int(key)])  # type: ignore[call-overload]
            back = "is back to" if operation == "update" else "is back"
            lines.append(f"#{key} {back}: {describe(entry)}.")
    if len(entries) > most:
        lines.append(f"(and {len(entries) - most} more entries)")
    for (table, key), _ in touched.items():
        if table == "settings":
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            lines.append(f"{key} is back to {row[0]}." if row else f"{key} is unset again.")
    return lines
