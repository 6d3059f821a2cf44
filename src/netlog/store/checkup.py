"""`netlog check`: what state a database file is in, read without changing it.

The file is opened without netlog's migrations, so an old file is reported as old, not
upgraded. One thing may change, as it would on any open: when SQLite finds a hot journal left
by an interrupted write, it rolls that write back, and the report says so.
"""

import sqlite3
import struct
from pathlib import Path
from typing import NamedTuple

from netlog.store import migrations
from netlog.store.db import has_hot_journal

_SQLITE_HEADER = b"SQLite format 3\0"
_UTC_TIME = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+00:00'"
_CONTROL = "".join(chr(c) for c in (*range(1, 9), 11, 12, *range(13, 32), 127))

# Entries netlog would never have written (another program may have): what, and the SQL
# condition that finds them. Files of schema 3 refuse most of these by their own CHECKs.
ODDITIES = {
    "activities without a duration from 1 to 1440 minutes": (
        "kind = 'activity' AND (minutes IS NULL OR minutes < 1 OR minutes > 1440)"
    ),
    "outcomes or spend with a duration": "kind != 'activity' AND minutes IS NOT NULL",
    "entries of an unknown kind": "kind NOT IN ('activity', 'reach', 'lead', 'win', 'spend')",
    "entries with a negative count": "count < 0 AND kind != 'reach'",
    "values on entries that are not wins or spend": (
        "value_minor IS NOT NULL AND kind NOT IN ('win', 'spend')"
    ),
    "negative values": "value_minor < 0",
    "times not in netlog's UTC form": (
        f"occurred_at NOT GLOB {_UTC_TIME} OR logged_at NOT GLOB {_UTC_TIME}"
    ),
    **{
        f"{column} texts netlog would refuse (control characters, over 2000 long)": (
            f"length({column}) > 2000 OR {column} GLOB '*[{_CONTROL}]*'"
        )
        for column in ("what", "label", "note")
    },
}


class CheckReport(NamedTuple):
    lines: list[str]
    problems: list[str]


def _header_problem(path: Path) -> str | None:
    """Why the file is not a whole SQLite database, judged from its first 100 bytes."""
    size = path.stat().st_size
    with path.open("rb") as file:
        header = file.read(100)
    if not header.startswith(_SQLITE_HEADER[:15]) or len(header) < 100:
        if header.startswith(_SQLITE_HEADER[: min(len(header), 15)]) and header:
            return f"damaged: the file is cut short ({size:,} bytes, not even its header)"
        return "not an SQLite database (so not a netlog one): nothing to check"
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", header[28:32])[0]
    expected = page_size * pages
    if pages and size < expected:
        return (
            f"damaged: the file is cut short ({size:,} of {expected:,} bytes; "
            f"{size // page_size:,} of {pages:,} pages)"
        )
    return None


def _recovery_hint(path: Path) -> str:
    return (
        f"restore your latest backup (`cp BACKUP.db {path}`), or copy what SQLite can still "
        f"read: `sqlite3 {path} .recover | sqlite3 recovered.db`, then `netlog --db "
        "recovered.db check`"
    )


def check(path: Path) -> CheckReport:
    """Integrity and foreign-key checks, the file's own schema version, counts, and entries
    that netlog would never have written. Never raises for a damaged file: says so."""
    lines = [f"database     {path}"]
    problems: list[str] = []
    journal = Path(f"{path}-journal")
    had_hot_journal = has_hot_journal(path)
    header = _header_problem(path)
    if header is not None:
        problems.append(header)
        if header.startswith("damaged"):
            problems.append(_recovery_hint(path))
        return CheckReport(lines, problems)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    except sqlite3.Error as exc:
        return CheckReport(lines, [f"cannot open it: {exc}"])
    try:
        _check_contents(conn, lines, problems)
    except sqlite3.DatabaseError as exc:
        problems.append(f"damaged: SQLite says {exc}")
        problems.append(_recovery_hint(path))
    finally:
        conn.close()
    if had_hot_journal and not has_hot_journal(path):
        lines.append("recovered    SQLite rolled back a write that was interrupted")
    if _remove_empty_journal(path):
        lines.append(f"leftover     an empty {journal.name} (a write killed at its start): removed")
    return CheckReport(lines, problems)


def _remove_empty_journal(path: Path) -> bool:
    """Remove an empty rollback journal, a leftover that SQLite ignores. Only while holding
    the write lock: another netlog just starting its write may have created it a moment ago."""
    journal = Path(f"{path}-journal")
    try:
        if not journal.exists() or journal.stat().st_size:
            return False
        conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    except (OSError, sqlite3.Error):
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if journal.exists() and not journal.stat().st_size:
                journal.unlink()
                return True
            return False
        finally:
            conn.execute("ROLLBACK")
    except (OSError, sqlite3.Error):
        return False
    finally:
        conn.close()


def _check_contents(conn: sqlite3.Connection, lines: list[str], problems: list[str]) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if application_id != migrations.APPLICATION_ID or "entries" not in tables:
        problems.append("an SQLite database, but not a netlog one: nothing to check")
        return
    current = migrations.SCHEMA_VERSION
    if version > current:
        lines.append(f"schema       {version} (newer than this netlog knows: {current})")
        problems.append(
            f"this file is from a newer netlog (schema {version}; this one knows up to "
            f"{current}): upgrade netlog to check or use it"
        )
        return
    if version < current:
        state = f"behind: netlog upgrades it to {current} when another command opens it"
    else:
        state = "current"
    lines.append(f"schema       {version} ({state})")

    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    if integrity != ["ok"]:
        problems.extend(f"damaged: {message}" for message in integrity)
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        where = sorted({row[0] for row in broken})
        problems.append(f"{len(broken):,} rows point at missing rows (in {', '.join(where)})")

    counts = dict(conn.execute("SELECT kind, count(*) FROM entries GROUP BY kind").fetchall())
    total = sum(counts.values())
    detail = ", ".join(f"{kind} {n:,}" for kind, n in sorted(counts.items()))
    lines.append(f"entries      {total:,}" + (f" ({detail})" if detail else ""))
    for label, table in (
        ("channels", "channels"),
        ("aliases", "aliases"),
        ("links", "links"),
        ("undo steps", "journal_changes"),
    ):
        if table in tables:
            n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            lines.append(f"{label:<12} {n:,}")
    if "timer" in tables:
        timer = conn.execute("SELECT count(*) FROM timer").fetchone()[0]
        lines.append(f"timer        {'running' if timer else 'none'}")

    for description, condition in ODDITIES.items():
        n = conn.execute(f"SELECT count(*) FROM entries WHERE {condition}").fetchone()[0]
        if n:
            problems.append(f"{n:,} {description}")
    currencies = dict(
        conn.execute(
            "SELECT currency, count(*) FROM entries"
            " WHERE value_minor IS NOT NULL AND currency IS NOT NULL GROUP BY currency"
        ).fetchall()
    )
    setting = conn.execute("SELECT value FROM settings WHERE key = 'currency'").fetchone()
    from netlog.model.entries import currency_conflict

    conflict = currency_conflict(currencies, setting[0] if setting else None)
    if conflict:
        problems.append(conflict)
    if (
        "journal_recording" in tables
        and conn.execute("SELECT count(*) FROM journal_recording").fetchone()[0]
    ):
        problems.append("the undo journal was left recording")
