"""`netlog check`: what state a database file is in, read without changing it.

The file is opened without netlog's migrations, so an old file is reported as old, not
upgraded. One thing may change, as it would on any open: when SQLite finds a hot journal left
by an interrupted write, it rolls that write back, and the report says so.
"""

import sqlite3
import struct
from pathlib import Path
from typing import NamedTuple

from netlog.model.text import MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from netlog.store import migrations
from netlog.store.db import has_hot_journal

_SQLITE_HEADER = b"SQLite format 3\0"
_UTC_TIME = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+00:00'"
# Control characters (Unicode's Cc) but tab and newline, for a GLOB class. Only texts that have
# one, or that are long, are handed to model.text's own rules: few of them, and Python is slow.
_CONTROL = "\x01-\x08\x0b-\x1f\x7f-\x9f"  # ranges: GLOB tests them far faster than a list
# NFC can make a text up to three times longer, so text longer than a third of the limit is
# checked in full.
_MAYBE_TOO_LONG = MAX_TEXT_LENGTH // 3


def oddities(columns: set[str]) -> dict[str, str]:
    """Entries netlog would never have written (another program may have): what, and the SQL
    condition that finds them, for a file whose entries have these columns. Derived from
    the kinds table and the rules entries.check enforces, so that `check` flags what a
    write would refuse; the text rules are model.text's own, called from SQL (see
    _text_rules). Files of schema 3 refuse most of these by their own CHECKs."""
    from netlog.model.dates import FIRST_YEAR, LAST_YEAR
    from netlog.model.durations import MAX_DURATION_MINUTES
    from netlog.model.kinds import MONEY_KINDS, NAMES, TABLE, having, plurals, sql_list
    from netlog.model.limits import MAX_REACH_TOTAL, MAX_VALUE_MINOR
    from netlog.model.money import MINOR_DIGITS

    lasting = having("lasts")
    brief = tuple(name for name in NAMES if name not in lasting)
    counts = " OR ".join(
        f"kind = '{kind.name}' AND count NOT BETWEEN {kind.min_count} AND {kind.max_count}"
        for kind in TABLE
    )
    least = " OR ".join(
        f"kind = '{kind.name}' AND value_minor < {1 if kind.value == 'required' else 0}"
        for kind in TABLE
        if kind.value is not None
    )
    required = tuple(kind.name for kind in TABLE if kind.value == "required")
    years = f"'{FIRST_YEAR:04d}' AND '{LAST_YEAR:04d}'"
    found = {
        "entries of an unknown kind": f"kind NOT IN {sql_list(NAMES)}",
        # No minutes is allowed: items counted from a channel's export carry no hours.
        f"{plurals(lasting)} lasting less than 1 or more than {MAX_DURATION_MINUTES} minutes": (
            f"kind IN {sql_list(lasting)} AND minutes NOT BETWEEN 1 AND {MAX_DURATION_MINUTES}"
        ),
        f"{plurals(brief)} with a duration": (f"kind IN {sql_list(brief)} AND minutes IS NOT NULL"),
        "entries with a count outside their kind's range": counts,
        f"values on entries that are not {plurals(MONEY_KINDS, 'or')}": (
            f"value_minor IS NOT NULL AND kind NOT IN {sql_list(MONEY_KINDS)}"
        ),
        f"{plurals(required)} without an amount": (
            f"kind IN {sql_list(required)} AND value_minor IS NULL"
        ),
        "amounts out of range": f"value_minor > {MAX_VALUE_MINOR} OR {least}",
        "currencies without an amount": "currency IS NOT NULL AND value_minor IS NULL",
        "currencies that are not ISO 4217 codes": (
            f"currency NOT IN {sql_list(tuple(MINOR_DIGITS))}"
        ),
        "times not in netlog's UTC form": (
            f"occurred_at NOT GLOB {_UTC_TIME} OR logged_at NOT GLOB {_UTC_TIME}"
            f" OR substr(occurred_at, 1, 4) NOT BETWEEN {years}"
            f" OR substr(logged_at, 1, 4) NOT BETWEEN {years}"
        ),
        f"descriptions on entries that are not {plurals(having('what'), 'or')}": (
            f"what IS NOT NULL AND kind NOT IN {sql_list(having('what'))}"
        ),
        f"labels on entries that are not {plurals(having('label'), 'or')}": (
            f"label IS NOT NULL AND kind NOT IN {sql_list(having('label'))}"
        ),
        **{
            f"{column} texts netlog would refuse (control characters, over "
            f"{MAX_TEXT_LENGTH} long)": (
                f"({column} GLOB '*[{_CONTROL}]*' OR length({column}) > {_MAYBE_TOO_LONG})"
                f" AND netlog_refused_text({column})"
            )
            for column in ("what", "label", "note")
        },
        "tags netlog would refuse": f"({_UNUSUAL_TAGS}) AND netlog_refused_tags(tags)",
    }
    if "reach_total" in columns:
        running = having("running_total")
        found[f"running totals not on {plurals(running)}, or not from 0 to {MAX_REACH_TOTAL:,}"] = (
            f"reach_total IS NOT NULL AND (kind NOT IN {sql_list(running)}"
            f" OR reach_total NOT BETWEEN 0 AND {MAX_REACH_TOTAL})"
        )
    return found


# Tags other than one plain ASCII word as netlog stores it (`["launch"]`: no comma, quote,
# backslash or edge space, 1 to MAX_NAME_LENGTH long): only these go to model.text's rules.
_UNUSUAL_TAGS = (
    "tags IS NOT NULL AND (tags NOT GLOB '[[]\"*\"]' OR tags GLOB '*[^ -~]*'"
    " OR tags GLOB '*[\\]*' OR instr(tags, ',') OR tags GLOB '[[]\" *' OR tags GLOB '* \"]'"
    f" OR length(tags) NOT BETWEEN 5 AND {MAX_NAME_LENGTH + 4}"
    " OR length(tags) - length(replace(tags, '\"', '')) != 2)"
)


def _text_rules(conn: sqlite3.Connection) -> None:
    """model.text's rules for notes, labels and tags, as SQL functions for `oddities`."""
    import json

    from netlog.errors import InputError
    from netlog.model.text import clean_tags, clean_text

    def refused_text(text: object) -> bool:
        try:
            clean_text(str(text), "text")
        except InputError:
            return True
        return False

    def refused_tags(stored: object) -> bool:
        try:
            tags = json.loads(str(stored))
            if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
                return True
            clean_tags(tags)
        except (ValueError, InputError):
            return True
        return False

    conn.create_function("netlog_refused_text", 1, refused_text, deterministic=True)
    conn.create_function("netlog_refused_tags", 1, refused_tags, deterministic=True)


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

    _text_rules(conn)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(entries)")}
    rules = oddities(columns)
    tallies = ", ".join(f"count(CASE WHEN {condition} THEN 1 END)" for condition in rules.values())
    numbers = conn.execute(f"SELECT {tallies} FROM entries").fetchone()  # one pass over them
    for description, n in zip(rules, numbers, strict=True):
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
