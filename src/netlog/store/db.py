"""The SQLite file: opening it, its transactions, and every query netlog runs.

The hot paths (`add`, `outcome`, `summary`) use plain sqlite3; sqlite-utils is imported only
by migrations and bulk inserts, where its helpers earn their import time.
"""

import contextlib
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar, overload

from netlog.errors import NetlogError
from netlog.model.entries import (
    Entry,
    RunningTotal,
    settled_changes,
    starts_from_baseline,
    tags_from,
)
from netlog.model.kinds import (
    ACTIVITY,
    LEAD,
    OUTCOME,
    REACH,
    REPLY,
    SPEND,
    TYPE_KINDS,
    WIN,
    sql_list,
)
from netlog.model.text import channel_key
from netlog.store import migrations

if TYPE_CHECKING:
    from netlog.store.who import Who

# How long a command waits for another netlog that holds the write lock. netlog waits in
# its own loop, in short sleeps that Ctrl-C ends at once: SQLite's own busy wait is a C sleep
# that Python cannot interrupt, so it is kept to the blink of another process's COMMIT.
BUSY_TIMEOUT_SECONDS = 15
SQLITE_WAIT_SECONDS = 0.25
RETRY_SLEEP_SECONDS = 0.05
SAY_WAITING_AFTER_SECONDS = 1.0

T = TypeVar("T")

# The changes this process has committed to the user's data: once there is one, a Ctrl-C,
# SIGTERM or SIGHUP that arrives later ends nothing (the work is done; see netlog.main).
COMMITTED: list[str] = []
# Set while a COMMIT runs: a signal that arrives then waits (in SIGNALS_WAITING) until it is
# known whether the COMMIT landed, so "nothing was written" is never said of a written change.
COMMITTING: list[bool] = []
SIGNALS_WAITING: list[int] = []


def error_from_sqlite(exc: sqlite3.Error, path: Path | None = None) -> NetlogError:
    """What SQLite said, as one line that says what to do. Errors that mean a bug (a
    programming error, a constraint netlog should have checked first) are not translated."""
    message = str(exc)
    name = str(path) if path is not None else "the database"
    code = getattr(exc, "sqlite_errorname", "")
    if "readonly" in code.lower() or "readonly database" in message:
        return NetlogError(
            f"{name} is read-only: nothing was written (check the permissions of the file and "
            "its folder)"
        )
    if code == "SQLITE_FULL" or "disk is full" in message:
        return NetlogError("the disk is full: nothing was written (free some space, try again)")
    if _is_busy(exc):
        return NetlogError(
            f"{name} is busy: another program keeps it locked; nothing was written, try again"
        )
    if code == "SQLITE_NOTADB" or "not a database" in message:
        return NetlogError(f"{name} is not a netlog database (it is not an SQLite file)")
    if code == "SQLITE_CORRUPT" or "malformed" in message:
        return NetlogError(
            f"{name} is damaged ({message}): run `netlog check`, and restore a backup"
        )
    if code in ("SQLITE_IOERR", "SQLITE_CANTOPEN") or "disk I/O" in message:
        return NetlogError(f"cannot read or write {name}: {message}")
    if "integer overflow" in message:
        return NetlogError("a total is too large for netlog to add up (over 2^63 minor units)")
    raise exc


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorname", "")
    message = str(exc)
    return code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or (
        "database is locked" in message or "database table is locked" in message
    )


def waiting_out_locks(attempt: Callable[[], T], path: Path | None = None) -> T:
    """attempt() until it does not fail because another netlog holds a lock, for up to
    BUSY_TIMEOUT_SECONDS; after a second, say so on a terminal. Ctrl-C (KeyboardInterrupt)
    ends the wait at once. attempt() must leave nothing half-done when it fails busy.

    Given the file's `path`, the wait lasts as long as the write holding the lock makes
    progress (the file or its journal changing: a long import), and BUSY_TIMEOUT_SECONDS
    counts from its last change: a reader answers once the import has committed, rather than
    failing after 15 s; a lock held by a program that has stopped still fails."""
    import sys
    import time

    started = time.monotonic()
    said = False
    seen = None  # read on the first failure only: opening a free file costs nothing more
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as exc:
            progress = _write_progress(path)
            if seen is not None and progress != seen:
                started = time.monotonic()
            seen = progress
            waited = time.monotonic() - started
            if not _is_busy(exc) or waited >= BUSY_TIMEOUT_SECONDS:
                raise
            if not said and waited >= SAY_WAITING_AFTER_SECONDS and sys.stderr.isatty():
                sys.stderr.write("waiting for another netlog… (Ctrl-C to stop)\n")
                sys.stderr.flush()
                said = True
        time.sleep(RETRY_SLEEP_SECONDS)


def _write_progress(path: Path | None) -> tuple[tuple[int, int] | None, ...]:
    """Size and modification time of the file and its journal: they change while a write
    runs."""
    if path is None:
        return ()
    marks: list[tuple[int, int] | None] = []
    for name in (path, Path(f"{path}-journal")):
        try:
            stat = name.stat()
            marks.append((stat.st_size, stat.st_mtime_ns))
        except OSError:
            marks.append(None)
    return tuple(marks)


def _open_error(path: Path, exc: sqlite3.Error) -> NetlogError:
    try:
        return error_from_sqlite(exc, path)
    except sqlite3.Error:
        return NetlogError(f"cannot open {path}: {exc}")


class _Opened(NamedTuple):
    conn: sqlite3.Connection | None
    new_file: bool  # this open created the file
    new_folders: list[Path]  # and these folders for it, outermost first
    path: Path  # the file opened (where a symlink to a new file points)


def _open(path: Path, *, create: bool) -> _Opened:
    new_folders: list[Path] = []
    new_file = False
    if not path.exists():
        if not create:
            return _Opened(None, False, [], path)
        if path.is_symlink():  # to a file still to be made: make it where the link points
            path = path.resolve()
        from netlog import interrupts

        try:
            with interrupts.held():  # made whole and known as this command's, or not at all
                new_folders = _make_folders(path.parent)
                new_file = _create(path)
        except BaseException:
            if new_file:  # a signal held while it was made: what this command made goes
                _remove_new(path, new_folders)
            else:
                _remove_folders(new_folders)
            raise
        if not new_file:
            new_folders = []  # another netlog made the file (and may have made the folders)
    if path.is_dir():
        raise NetlogError(f"{path} is a directory, not a netlog database")
    elif not path.is_file():
        raise NetlogError(f"{path} is not a regular file, so it cannot be a netlog database")
    conn = None
    try:
        # isolation_level=None: transactions are opened explicitly (BEGIN IMMEDIATE), so
        # Python's sqlite3 never commits DDL or opens a deferred BEGIN behind our back.
        conn = sqlite3.connect(path, timeout=SQLITE_WAIT_SECONDS, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")

        def check_and_upgrade(conn: sqlite3.Connection = conn) -> None:
            if conn.in_transaction:  # a migration whose COMMIT found the file busy
                conn.execute("ROLLBACK")
            migrations.check_and_upgrade(conn, path)

        waiting_out_locks(check_and_upgrade, path)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if new_file:
            _remove_new(path, new_folders)
        if isinstance(exc, sqlite3.Error):
            raise _open_error(path, exc) from None
        raise
    return _Opened(conn, new_file, new_folders, path)


def _create(path: Path) -> bool:
    """Make a new netlog file at `path`, whole: its schema is set up under a temporary name
    beside it, then linked into place, so another netlog never finds half a file. False if
    another netlog made one there first (it is then the file to use)."""
    import os

    new = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.new")
    try:
        # As sqlite3 would create it (mode 0666 less the umask), not mkstemp's 0600.
        os.close(os.open(new, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise NetlogError(f"cannot create {path}: {exc.strerror}") from None
    try:
        conn = sqlite3.connect(new, timeout=SQLITE_WAIT_SECONDS, isolation_level=None)
        try:
            # No file is in use under this name: each migration's commit need not reach the
            # disk, the whole file does once, below, before it is linked into place.
            conn.execute("PRAGMA synchronous = OFF")
            migrations.set_up_new_file(conn, path)
        finally:
            conn.close()
        descriptor = os.open(new, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(new, path)  # fails if the name is taken: never replaces another's file
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: the same, less strictly
            if path.exists():
                return False
            new.replace(path)
        return True
    except sqlite3.Error as exc:
        raise _open_error(path, exc) from None
    except OSError as exc:
        raise NetlogError(f"cannot create {path}: {exc.strerror}") from None
    finally:
        for leftover in (new, Path(f"{new}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


@overload
def open_db(path: Path, *, create: Literal[True]) -> sqlite3.Connection: ...
@overload
def open_db(path: Path, *, create: bool) -> sqlite3.Connection | None: ...


def open_db(path: Path, *, create: bool) -> sqlite3.Connection | None:
    """A connection to a current-schema netlog database, or None if it does not exist and
    `create` is False. Old files are upgraded; newer or foreign files are refused untouched.
    A file that `create` made is removed again if it cannot be set up."""
    return _open(path, create=create).conn


def empty_in_memory(path: Path) -> sqlite3.Connection:
    """A current-schema database with nothing in it, in memory: what a report shows for a
    file (`path`, named in messages) that does not exist yet, without creating it."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    migrations.check_and_upgrade(conn, path)
    return conn


def _make_folders(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; returns those created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    made = []
    try:
        for folder in missing:
            try:
                folder.mkdir()
            except FileExistsError:
                if not folder.is_dir():
                    raise
                continue  # another netlog made it a moment ago: its folder, not ours to remove
            made.append(folder)
    except OSError as exc:
        _remove_folders(made)
        raise NetlogError(f"cannot create {exc.filename}: {exc.strerror}") from None
    return made


def _remove_folders(folders: list[Path]) -> None:
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            return


# Rows that are not data: every file's device identity (migration m011), until it syncs or
# a person is named.
_NOT_DATA = {"sync_device": " WHERE clock IS NOT NULL OR last_seq OR person IS NOT NULL"}


def _holds_nothing(path: Path) -> bool:
    """Whether a file holds no data: another netlog may have written to a file this one
    created a moment ago (an entry, a setting, a running timer…), and then it must stay.
    A file another netlog is writing to right now is locked, and so is kept too."""
    try:
        if path.stat().st_size == 0:
            return True
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            tables = [
                row[0]
                for row in probe.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite~_%' ESCAPE '~'"
                    " AND name NOT LIKE 'entries~_fts%' ESCAPE '~'"  # the index's own rows
                )
            ]
            return all(
                probe.execute(
                    f'SELECT NOT EXISTS (SELECT 1 FROM "{table}"{_NOT_DATA.get(table, "")})'
                ).fetchone()[0]
                for table in tables
            )
        finally:
            probe.close()
    except (OSError, sqlite3.Error):
        return False


def remove_if_empty(path: Path) -> None:
    """Remove a file this command created (and its journals) unless it holds anything: another
    netlog may have written to it since."""
    _remove_new(path, [])


def _remove_new(path: Path, new_folders: list[Path]) -> None:
    """Leave nothing behind: a file this command created, its journal, and its folders."""
    if path.exists() and not _holds_nothing(path):
        return
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)
    _remove_folders(new_folders)


@overload
def connection(
    path: Path, *, create: Literal[True]
) -> AbstractContextManager[sqlite3.Connection]: ...
@overload
def connection(
    path: Path, *, create: bool
) -> AbstractContextManager[sqlite3.Connection | None]: ...


def connection(path: Path, *, create: bool) -> AbstractContextManager[sqlite3.Connection | None]:
    """A connection for one command (None when the file does not exist and `create` is
    False). If the command fails, a database file that this command created (with the folders
    made for it) is removed: failure leaves nothing."""
    return _connection(path, create=create)


@contextmanager
def _connection(path: Path, *, create: bool) -> Iterator[sqlite3.Connection | None]:
    opened = _open(path, create=create)
    try:
        yield opened.conn
    except BaseException:
        if opened.conn is not None:
            opened.conn.close()
            if opened.new_file:
                _remove_new(opened.path, opened.new_folders)
        raise
    else:
        if opened.conn is not None:
            opened.conn.close()


@contextmanager
def write_transaction(
    conn: sqlite3.Connection, change: str | None = None, *, at: str | None = None
) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing write. IMMEDIATE takes the write lock up front, so a writer that
    reads before it writes waits its turn instead of failing with 'database is locked'.

    With `change` (what the user did, e.g. "add #12"), every row the write touches is
    journaled so that `netlog undo` can revert the whole command.
    """
    waiting_out_locks(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        if change is not None:
            from netlog.model.dates import to_storage, utc_now

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
        # SQLite has rolled back by itself after some errors (a full disk): roll back only
        # what is still open, so the first error is the one reported.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        # A COMMIT that finds readers still busy leaves the transaction open: try again.
        waiting_out_locks(lambda: _commit(conn, change))
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _commit(conn: sqlite3.Connection, change: str | None) -> None:
    """COMMIT and record that it landed, with no moment between the two where a signal can
    end netlog: one that arrives meanwhile is held, and raised only if the COMMIT failed."""
    COMMITTING.append(True)
    try:
        conn.execute("COMMIT")
        if change is not None:  # the user's data (not the demo's scratch file)
            COMMITTED.append(change)
        landed = True
    except BaseException:
        landed = False
        raise
    finally:
        COMMITTING.clear()
        if SIGNALS_WAITING and not (landed and change is not None):
            SIGNALS_WAITING.clear()
            raise KeyboardInterrupt  # the held signal ends netlog, as it would have


def has_hot_journal(path: Path) -> bool:
    """Whether a write to `path` was interrupted: its rollback journal is left, not empty."""
    try:
        return Path(f"{path}-journal").stat().st_size > 0
    except OSError:
        return False


@contextmanager
def open_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """Another netlog database, opened so that nothing can write to it."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.Error as exc:
        if has_hot_journal(path):  # reading it would mean rolling back, which is a write
            raise NetlogError(
                f"a write to {path} was interrupted and is still to be rolled back: recover it "
                f"with `netlog --db {path} check`, then try again"
            ) from None
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

    from netlog import interrupts

    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with interrupts.held():  # no moment where the file exists and nothing would remove it
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise NetlogError(f"cannot write in {target.parent}: {exc.strerror}") from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
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


# --- settings ----------------------------------------------------------------------------


def read_settings(conn: sqlite3.Connection | None) -> dict[str, str]:
    if conn is None:
        return {}
    return {row["key"]: row["value"] for row in conn.execute("SELECT key, value FROM settings")}


def write_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Inside the caller's transaction."""
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


# --- entries -----------------------------------------------------------------------------


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
    return cursor.lastrowid or 0


def tags_json(tags: tuple[str, ...]) -> str | None:
    if not tags:
        return None
    import json  # not at the top: most entries have no tags, and `add` should start fast

    return json.dumps(list(tags), ensure_ascii=False)


def _entry_values(entry: Entry, channel: int) -> tuple:
    return (
        entry.uuid or str(uuid.uuid4()), channel, entry.kind, entry.occurred_at,
        entry.logged_at, entry.what, entry.minutes, entry.count, entry.label,
        entry.value_minor, entry.currency, entry.note, tags_json(entry.tags), entry.reach_total,
        entry.device, entry.device, entry.person,
    )  # fmt: skip


# Who logged it (netlog.store.who): an entry without a device is this device's, by its
# person; parameters: device, device, person.
WHO_VALUES = (
    "coalesce(?, (SELECT device FROM sync_device)),"
    " CASE WHEN ? IS NULL THEN (SELECT person FROM sync_device) ELSE ? END"
)
INSERT_ENTRY = (
    "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
    " count, label, value_minor, currency, note, tags, reach_total, device, person)"
    f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {WHO_VALUES})"
)


def insert_entry(conn: sqlite3.Connection, entry: Entry) -> int:
    """Insert one checked entry inside the caller's transaction; returns its id."""
    channel = channel_id(conn, entry.channel, created_at=entry.logged_at)
    cursor = conn.execute(INSERT_ENTRY, _entry_values(entry, channel))
    return cursor.lastrowid or 0


def insert_entries(conn: sqlite3.Connection, entries: Sequence[Entry]) -> None:
    """Bulk insert of checked entries inside the caller's transaction."""
    channel_ids: dict[str, int] = {}
    for entry in entries:
        key = channel_key(entry.channel)
        if key not in channel_ids:
            channel_ids[key] = channel_id(conn, entry.channel, created_at=entry.logged_at)
    conn.executemany(
        INSERT_ENTRY,
        (_entry_values(entry, channel_ids[channel_key(entry.channel)]) for entry in entries),
    )


ENTRY_FIELDS = migrations.JOURNALED_TABLES["entries"][1]


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


def entries_by_uuid(conn: sqlite3.Connection) -> dict[str, sqlite3.Row]:
    """Every entry's id, kind and time by its UUID (for linking entries written in bulk)."""
    return {
        row["uuid"]: row for row in conn.execute("SELECT id, uuid, kind, occurred_at FROM entries")
    }


def entry_from_row(row: "Mapping[str, Any] | sqlite3.Row") -> Entry:
    """A stored entry (as from get_entries) as the model's Entry."""
    stored = set(row.keys())  # an older file has no reach_total
    fields = {field: row[field] for field in Entry._fields if field in stored}
    return Entry(**{**fields, "tags": tags_from(row["tags"])})


def update_entry(conn: sqlite3.Connection, entry_id: int, entry: Entry) -> None:
    """Store the checked `entry` as entry `entry_id`, inside the caller's transaction."""
    channel = channel_id(conn, entry.channel, created_at=entry.logged_at)
    values = _entry_values(entry._replace(uuid=entry.uuid or "-"), channel)[1:]
    conn.execute(
        "UPDATE entries SET channel_id = ?, kind = ?, occurred_at = ?, logged_at = ?, what = ?,"
        " minutes = ?, count = ?, label = ?, value_minor = ?, currency = ?, note = ?, tags = ?,"
        " reach_total = ?, device = coalesce(?, device),"
        " person = CASE WHEN ? IS NULL THEN person ELSE ? END WHERE id = ?",
        (*values, entry_id),
    )


def add_links(conn: sqlite3.Connection, entry_id: int, source_ids: Sequence[int]) -> None:
    """Record that entry `entry_id` came from these entries (checked by the caller)."""
    conn.executemany(
        "INSERT INTO links (entry_id, source_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(entry_id, source) for source in source_ids],
    )


def remove_links(conn: sqlite3.Connection, entry_id: int) -> None:
    conn.execute("DELETE FROM links WHERE entry_id = ?", (entry_id,))


def store_entry(
    conn: sqlite3.Connection,
    entry: Entry,
    *,
    sources: Sequence[int] = (),
    reach_total: tuple[int, bool] | None = None,
) -> tuple[int, Entry, bool]:
    """Write one checked entry inside the caller's transaction, as the logging commands do:
    under its channel's first-written name, as the change since the last running total when
    `reach_total` (total, baseline) is given, adopting its currency, linked to `sources`.
    Returns its id, the entry as stored, and whether its channel was known before."""
    from netlog.model.entries import check, check_link, reach_change

    known = find_channel(conn, entry.channel)
    entry = entry._replace(channel=known or entry.channel)
    start = None
    if reach_total is not None:
        total, baseline = reach_total
        previous = previous_reach_total(conn, entry.channel, entry.occurred_at)
        change = reach_change(total, previous, baseline=baseline)
        entry = check(entry._replace(count=change, reach_total=total))
        if previous is None:  # the earliest total now: --baseline says how they start
            start = baseline
        else:
            channel = require_channel(conn, entry.channel).id
            start = reach_baselines(conn, [channel])[channel]
    adopt_currency(conn, entry.currency)
    entry_id = insert_entry(conn, entry)
    if reach_total is not None:  # a total logged late changes the one after it
        settle_reach_totals(conn, {require_channel(conn, entry.channel).id: start})
    for source in get_entries(conn, sources):
        check_link(
            entry.kind, entry.occurred_at, source["id"], source["kind"], source["occurred_at"]
        )
    add_links(conn, entry_id, sources)
    return entry_id, entry, known is not None


def latest_repeat(
    conn: sqlite3.Connection,
    channel_id: int,
    entry: Entry,
    *,
    occurred: tuple[str, str],
    logged_since: str | None = None,
) -> sqlite3.Row | None:
    """The newest entry on the channel with the kind, duration, count, amount, what and label
    of `entry`, that happened in [occurred] (stored form, both ends included) and, with
    `logged_since`, was logged since then. One query along the entries_by_channel index."""
    logged = "" if logged_since is None else " AND e.logged_at >= ?"
    return conn.execute(
        "SELECT e.*, c.name AS channel FROM entries e JOIN channels c ON c.id = e.channel_id"
        f" WHERE e.channel_id = ? AND e.occurred_at BETWEEN ? AND ?{logged}"
        " AND e.kind = ? AND e.minutes IS ? AND e.count = ? AND e.value_minor IS ?"
        " AND e.what IS ? AND e.label IS ? ORDER BY e.id DESC LIMIT 1",
        (channel_id, *occurred, *([] if logged_since is None else [logged_since]), entry.kind,
         entry.minutes, entry.count, entry.value_minor, entry.what, entry.label),
    ).fetchone()  # fmt: skip


def previous_reach_total(conn: sqlite3.Connection, channel: str, before: str) -> int | None:
    """The latest running total of reach logged on the channel at or before `before`."""
    found = lookup_channel(conn, channel)
    if found is None:
        return None
    row = conn.execute(
        f"SELECT reach_total FROM entries WHERE channel_id = ? AND kind = '{REACH}'"
        " AND reach_total IS NOT NULL AND occurred_at <= ?"
        " ORDER BY occurred_at DESC, id DESC LIMIT 1",
        (found.id, before),
    ).fetchone()
    return row[0] if row else None


# --- money: the file's one currency --------------------------------------------------------


def running_totals(conn: sqlite3.Connection, channel_id: int) -> list[RunningTotal]:
    """The channel's reach totals in time order (the order previous_reach_total follows)."""
    return [
        RunningTotal(*row)
        for row in conn.execute(
            "SELECT id, reach_total, count FROM entries WHERE channel_id = ? AND kind = 'reach'"
            " AND reach_total IS NOT NULL ORDER BY occurred_at, id",
            (channel_id,),
        )
    ]


def last_entry_id(conn: sqlite3.Connection) -> int:
    """The highest entry id so far (0 in an empty file): what a bulk write adds is above it."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0]


def reach_baselines(conn: sqlite3.Connection, channel_ids: Iterable[int]) -> dict[int, bool]:
    """For each channel, whether its totals start from a baseline: read before a change, to
    settle them after it with settle_reach_totals."""
    return {channel: starts_from_baseline(running_totals(conn, channel)) for channel in channel_ids}


def settle_reach_totals(conn: sqlite3.Connection, baselines: Mapping[int, bool | None]) -> None:
    """After totals were added, moved, edited or removed: store on each total of these
    channels the change from the one before it (None: the baseline as the first total now
    stored says)."""
    for channel, baseline in baselines.items():
        totals = running_totals(conn, channel)
        start = starts_from_baseline(totals) if baseline is None else baseline
        conn.executemany(
            "UPDATE entries SET count = ? WHERE id = ?",
            [(change, entry_id) for entry_id, change in settled_changes(totals, baseline=start)],
        )


def reach_channels(conn: sqlite3.Connection, entry_ids: Sequence[int]) -> set[int]:
    """The channels of those of these entries that are running totals."""
    marks = ",".join("?" * len(entry_ids))
    return {
        row[0]
        for row in conn.execute(
            f"SELECT DISTINCT channel_id FROM entries WHERE id IN ({marks})"
            " AND reach_total IS NOT NULL",
            list(entry_ids),
        )
    }


def channels_given_totals(conn: sqlite3.Connection, after_id: int) -> list[int]:
    """The channels of the running totals inserted after entry `after_id` (an import)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT channel_id FROM entries WHERE id > ? AND reach_total IS NOT NULL",
            (after_id,),
        )
    ]


def file_currency(conn: sqlite3.Connection | None) -> str | None:
    if conn is None:
        return None
    row = conn.execute("SELECT value FROM settings WHERE key = 'currency'").fetchone()
    return row[0] if row else None


def amount_currencies(conn: sqlite3.Connection) -> dict[str, int]:
    """How many stored amounts each currency has (amounts written before the file had a
    currency have none yet)."""
    return dict(
        conn.execute(
            "SELECT currency, count(*) FROM entries"
            " WHERE value_minor IS NOT NULL AND currency IS NOT NULL GROUP BY currency"
        ).fetchall()
    )


def amount_currency_codes(conn: sqlite3.Connection) -> list[str]:
    """The currencies of the stored amounts, in order: one step along the money index per
    currency, however many amounts the file holds (amount_currencies counts them all)."""
    return [
        row[0]
        for row in conn.execute(
            """WITH RECURSIVE codes(code) AS (
                SELECT min(currency) FROM entries
                WHERE value_minor IS NOT NULL AND currency IS NOT NULL
                UNION ALL
                SELECT (SELECT min(currency) FROM entries
                    WHERE value_minor IS NOT NULL AND currency > codes.code)
                FROM codes WHERE code IS NOT NULL
            ) SELECT code FROM codes WHERE code IS NOT NULL"""
        )
    ]


def adopt_currency(conn: sqlite3.Connection, code: str | None) -> None:
    """A file without a currency takes the one of the first amount written in one (an entry,
    a rate, a budget, an import), inside the caller's transaction; every path that writes an
    amount calls this. Nothing changes when `code` is None or the file has its currency."""
    if code is not None and file_currency(conn) is None:
        set_file_currency(conn, code)


def set_file_currency(conn: sqlite3.Connection, code: str) -> None:
    """Make `code` the file's currency, inside the caller's transaction: the setting, and
    every amount written before a currency was known. NetlogError if the file holds amounts
    in another currency, or bare amounts with more decimals than `code` has."""
    from netlog.model.entries import EntryError
    from netlog.model.money import minor_digits

    others = {c: n for c, n in amount_currencies(conn).items() if c != code}
    if others:
        listed = ", ".join(f"{n:,} in {c}" for c, n in sorted(others.items()))
        raise EntryError(
            f"this file keeps amounts in another currency ({listed}): netlog never converts "
            "them, so its currency stays"
        )
    bare = "value_minor IS NOT NULL AND currency IS NULL"
    digits = minor_digits(code)
    if digits != 2:  # bare amounts were read with two decimals
        if digits < 2:
            scale = 10 ** (2 - digits)
            if conn.execute(f"SELECT 1 FROM entries WHERE {bare} AND value_minor % ?", (scale,)
                            ).fetchone():  # fmt: skip
                raise EntryError(
                    f"{code} has {digits} decimal places, and some amounts have more: edit them "
                    "first"
                )
            conn.execute(f"UPDATE entries SET value_minor = value_minor / ? WHERE {bare}", (scale,))
        else:
            scale = 10 ** (digits - 2)
            conn.execute(f"UPDATE entries SET value_minor = value_minor * ? WHERE {bare}", (scale,))
    conn.execute(f"UPDATE entries SET currency = ? WHERE {bare}", (code,))
    write_setting(conn, "currency", code)


def delete_entries(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
    conn.executemany("DELETE FROM entries WHERE id = ?", [(entry_id,) for entry_id in ids])


def _filters(
    start: str | None,
    end: str | None,
    channel_ids: Sequence[int] | None,
    *,
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
    search: str | None = None,
    who: "Who | None" = None,
) -> tuple[str, list[object]]:
    """The WHERE clause (on `entries e`) and its parameters for the report filters: a time
    range [start, end), channels, tags (all must match, case ignored), kinds, words
    searched in what, note and label through the full-text index, and who logged it."""
    clauses: list[str] = []
    params: list[object] = []
    if start is not None:
        clauses.append("e.occurred_at >= ?")
        params.append(start)
    if end is not None:
        clauses.append("e.occurred_at < ?")
        params.append(end)
    if channel_ids:
        clauses.append(f"e.channel_id IN ({', '.join('?' * len(channel_ids))})")
        params.extend(channel_ids)
    for tag in dict.fromkeys(tags):
        clauses.append(
            "EXISTS (SELECT 1 FROM json_each(e.tags) WHERE json_each.value = ? COLLATE NOCASE)"
        )
        params.append(tag)
    if kinds:
        unique = list(dict.fromkeys(kinds))
        clauses.append(f"e.kind IN ({', '.join('?' * len(unique))})")
        params.extend(unique)
    if search is not None:
        clauses.append("e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
        params.append(fts_query(search))
    if who is not None:
        from netlog.store.who import where

        clause, who_params = where(who)
        clauses.append(clause)
        params.extend(who_params)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def fts_query(text: str) -> str:
    """Words as typed, as an FTS5 query that cannot be a syntax error: every word must be
    there, as a word or the start of one (`redesign` finds `redesigns`)."""
    words = text.split()
    if not words:
        return '""'
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _sum_of(kind: str, column: str, aggregate: str = "sum") -> str:
    # FILTER skips the other kinds' rows before the aggregate sees them: a third cheaper over
    # 1M entries than sum(CASE ... ELSE 0 END); coalesce keeps 0 (not NULL) for none.
    # The entries table's CHECKs give only activities minutes and only wins and spends a
    # value, so the activities' minutes need no test, and elsewhere a NULL test (one step)
    # passes over most rows before the kind's text is compared: over 1M entries, 85% of
    # them activities, the sums take 0.25 s instead of 0.32 s.
    if column == "e.minutes" and kind == ACTIVITY:
        return f"coalesce({aggregate}({column}), 0)"
    if column == "e.value_minor":
        test = f"e.value_minor IS NOT NULL AND e.kind = '{kind}'"
    elif kind != ACTIVITY:
        test = f"e.minutes IS NULL AND e.kind = '{kind}'"
    else:
        test = f"e.kind = '{kind}'"
    return f"coalesce({aggregate}({column}) FILTER (WHERE {test}), 0)"


# The sums per channel every report reads: (SQL, name); TOTALS, the SELECT's columns.
SUMS = (
    (_sum_of(ACTIVITY, "e.minutes"), "minutes"),
    (_sum_of(ACTIVITY, "e.minutes", "count"), "sessions"),
    (_sum_of(ACTIVITY, "e.count"), "activities"),
    (_sum_of(REACH, "e.count"), "reach"),
    (_sum_of(LEAD, "e.count"), "leads"),
    (_sum_of(WIN, "e.count"), "wins"),
    (_sum_of(WIN, "e.value_minor"), "revenue_minor"),
    (_sum_of(SPEND, "e.value_minor"), "spend_minor"),
    (_sum_of(REPLY, "e.count"), "replies"),
)
TOTALS = ", ".join(f"{sql} AS {name}" for sql, name in SUMS)
# The same sums of one cell as a JSON array after the count of its entries, and added up
# again by name over a period's pieces.
_CELL_SUMS = f"json_array(count(*), {', '.join(sql for sql, _ in SUMS)})"
_CELL_TOTALS = ", ".join(
    f"sum(json_extract(sums, '$[{index}]')) AS {name}" for index, (_, name) in enumerate(SUMS, 1)
)


def channel_totals(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
    *,
    credit: str = "logged",
    **filters: Any,
) -> list[sqlite3.Row]:
    """One row of sums per channel over [start, end), outcomes credited by the `credit`
    rule (netlog.store.credit)."""
    from netlog.store.credit import entries_source

    where, params = _filters(start, end, channel_ids, **filters)
    sql = f"""
        SELECT c.name AS channel, t.* FROM (
            SELECT e.channel_id, {TOTALS} FROM {entries_source(credit)} e {where}
            GROUP BY e.channel_id
        ) t JOIN channels c ON c.id = t.channel_id
    """
    return conn.execute(sql, params).fetchall()


def time_bounds(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
    *,
    credit: str = "logged",
    **filters: Any,
) -> tuple[str | None, str | None]:
    """The first and last occurred_at among matching entries, outcomes where the `credit`
    rule puts them (netlog.store.credit)."""
    from netlog.store.credit import LOGGED, MOVED_IDS, moved_ctes

    where, params = _filters(start, end, channel_ids, **filters)
    # Two scalar subqueries, so that each is one step along the time index, where a single
    # SELECT min(), max() would scan the whole index.
    if credit == LOGGED:
        row = conn.execute(
            f"SELECT (SELECT min(e.occurred_at) FROM entries e {where}),"
            f" (SELECT max(e.occurred_at) FROM entries e {where})",
            [*params, *params],
        ).fetchone()
        return row[0], row[1]
    staying = (where + " AND " if where else " WHERE ") + f"e.id NOT IN {MOVED_IDS}"
    row = conn.execute(
        f"WITH RECURSIVE {moved_ctes(credit)}"
        f" SELECT (SELECT min(e.occurred_at) FROM entries e {staying}),"
        f" (SELECT max(e.occurred_at) FROM entries e {staying}),"
        f" (SELECT min(e.occurred_at) FROM moved e {where}),"
        f" (SELECT max(e.occurred_at) FROM moved e {where})",
        [*params, *params, *params, *params],
    ).fetchone()
    firsts = [time for time in (row[0], row[2]) if time is not None]
    lasts = [time for time in (row[1], row[3]) if time is not None]
    return (min(firsts) if firsts else None), (max(lasts) if lasts else None)


# Beyond this many (period piece × channel) cells, period_channel_totals sums in one pass
# over the time index and sorts; below it, one index range per cell, with no sort.
MAX_CELL_RANGES = 20_000


def period_channel_totals(
    conn: sqlite3.Connection,
    periods: Sequence[tuple[str, str, str]],
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
    *,
    credit: str = "logged",
    **filters: Any,
) -> list[sqlite3.Row]:
    """Sums per (period, channel). `periods` are (label, start, end) in stored form, worked
    out in Python from the local calendar, so that SQLite never needs to know the zone; a
    period may come in several pieces with the same label (netlog.model.periods). Outcomes
    are credited by the `credit` rule (netlog.store.credit)."""
    import json

    from netlog.store.credit import LOGGED, MOVED_IDS, moved_ctes

    where, params = _filters(start, end, channel_ids, **filters)
    join_where = where.replace(" WHERE ", " AND ", 1)
    periods_cte = """
        WITH RECURSIVE periods AS (
            SELECT json_extract(value, '$[0]') AS label,
                   json_extract(value, '$[1]') AS start,
                   json_extract(value, '$[2]') AS end
            FROM json_each(?)
        )"""
    if credit == LOGGED:
        channels = len(channel_ids) if channel_ids else _channel_count(conn)
        if len(periods) * channels > MAX_CELL_RANGES:
            # Many channels: one pass in time order; grouping it needs a sort of every entry.
            cells = f"""
                SELECT p.label AS period_label, min(p.start) AS period_start, e.channel_id,
                       {TOTALS}
                FROM periods p JOIN entries e
                  ON e.occurred_at >= p.start AND e.occurred_at < p.end {join_where}
                GROUP BY p.label, e.channel_id
            """
        else:
            # Few: each cell is one range of the (channel_id, occurred_at) covering index, read
            # in order, so no entry is sorted (at 1M entries the sort was two thirds of the time).
            picked = f"WHERE c.id IN ({', '.join('?' * len(channel_ids))})" if channel_ids else ""
            cells = f"""
                SELECT period_label, min(period_start) AS period_start, channel_id,
                       {_CELL_TOTALS}
                FROM (
                    SELECT p.label AS period_label, p.start AS period_start, c.id AS channel_id,
                           (SELECT {_CELL_SUMS} FROM entries e
                            WHERE e.channel_id = c.id AND e.occurred_at >= p.start
                              AND e.occurred_at < p.end {join_where}) AS sums
                    FROM periods p CROSS JOIN channels c {picked}
                    LIMIT -1  -- not flattened: each use of `sums` would run its query again
                )
                WHERE json_extract(sums, '$[0]') > 0
                GROUP BY period_label, channel_id
            """
            params = [*params, *channel_ids] if channel_ids else params
        sql = f"""{periods_cte}
            SELECT t.period_label AS period, c.name AS channel, t.* FROM ({cells}) t
            JOIN channels c ON c.id = t.channel_id
            ORDER BY t.period_start
        """
        return conn.execute(sql, [json.dumps(list(periods)), *params]).fetchall()
    # The entries that stay where logged are joined to the periods along the time index;
    # the few moved outcomes separately (a join to a subquery by range would scan it once
    # per period).
    columns = "e.id, e.channel_id, e.kind, e.occurred_at, e.minutes, e.count, e.value_minor"
    sql = f"""{periods_cte}, {moved_ctes(credit)}
        SELECT t.period_label AS period, c.name AS channel, t.* FROM (
            SELECT e.period_label, min(e.period_start) AS period_start, e.channel_id,
                   {TOTALS}
            FROM (
                SELECT p.label AS period_label, p.start AS period_start, {columns}
                FROM periods p JOIN entries e
                  ON e.occurred_at >= p.start AND e.occurred_at < p.end {join_where}
                  AND e.id NOT IN {MOVED_IDS}
                UNION ALL
                SELECT p.label, p.start, {columns}
                FROM periods p JOIN moved e
                  ON e.occurred_at >= p.start AND e.occurred_at < p.end {join_where}
            ) e
            GROUP BY e.period_label, e.channel_id
        ) t
        JOIN channels c ON c.id = t.channel_id
        ORDER BY t.period_start
    """
    return conn.execute(sql, [json.dumps(list(periods)), *params, *params]).fetchall()


def _channel_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM channels").fetchone()[0]


# The UUIDs of the entries an entry came from, comma-separated.
_SOURCES = (
    "(SELECT group_concat(s.uuid) FROM links l JOIN entries s ON s.id = l.source_id"
    " WHERE l.entry_id = e.id) AS sources"
)
# An entry's export type and kind (kinds.export_type, in SQL): outcomes share a type.
ENTRY_COLUMNS = f"""
    e.id, e.uuid,
    CASE WHEN e.kind IN {sql_list(TYPE_KINDS)} THEN e.kind ELSE '{OUTCOME}' END AS type,
    c.name AS channel, e.what, e.minutes, e.count,
    CASE WHEN e.kind IN {sql_list(TYPE_KINDS)} THEN NULL ELSE e.kind END AS kind,
    e.label, e.value_minor, e.currency, e.note, e.tags, e.occurred_at, e.logged_at,
    e.reach_total, {_SOURCES},
    coalesce((SELECT name FROM sync_device WHERE device = e.device),
        (SELECT name FROM device_names WHERE device = e.device), e.device) AS device,
    e.device AS device_id, e.person
"""


def iter_stored_entries(conn: sqlite3.Connection) -> Iterator[sqlite3.Row]:
    """Every entry of a (possibly older) netlog file as stored, with its channel's name and
    its sources, in id order: what merge reads."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    sources = _SOURCES if "links" in tables else "NULL AS sources"
    for row in conn.execute(  # noqa: UP028 - not `yield from`: see iter_entries
        f"SELECT e.*, c.name AS channel, {sources} FROM entries e"
        " JOIN channels c ON c.id = e.channel_id ORDER BY e.id"
    ):
        yield row


def iter_entries(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
    limit: int | None = None,
    *,
    order: str = "newest",
    **filters: Any,
) -> Iterator[sqlite3.Row]:
    """Entries newest first (or in id order), streamed from the cursor, never all loaded."""
    where, params = _filters(start, end, channel_ids, **filters)
    order_by = "e.occurred_at DESC, e.id DESC" if order == "newest" else "e.id"
    sql = (
        f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN channels c ON c.id = e.channel_id {where}"
        f" ORDER BY {order_by}"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(min(limit, 2**63 - 1))  # more than any file holds: SQLite's largest
    # Not `yield from`: that would close the cursor when the generator is dropped, which
    # fails (and prints 'Exception ignored') once the connection is closed.
    for row in conn.execute(sql, params):  # noqa: UP028
        yield row


def count_entries(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
    **filters: Any,
) -> int:
    where, params = _filters(start, end, channel_ids, **filters)
    return conn.execute(f"SELECT count(*) FROM entries e {where}", params).fetchone()[0]
