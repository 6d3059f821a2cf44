"""The running timer, kept in the database so it survives a closed terminal and two
terminals see the same one: its states (none or running) and the moves between them."""

import sqlite3
from datetime import datetime
from typing import NamedTuple

from netlog.errors import InputError, NetlogError
from netlog.model.dates import from_storage, to_storage
from netlog.model.durations import MAX_DURATION_MINUTES, format_duration, round_minutes
from netlog.model.entries import Entry, check
from netlog.model.kinds import ACTIVITY

DEFAULT_LIMIT_HOURS = 8


class Timer(NamedTuple):
    channel: str
    what: str | None
    started_at: str

    def elapsed_minutes(self, end: datetime) -> int:
        """Whole minutes from start to `end`, rounded half up, at least 1."""
        seconds = (end - from_storage(self.started_at)).total_seconds()
        return round_minutes(max(seconds, 1))


class Stopped(NamedTuple):
    """What stopping a timer logged."""

    entry_id: int
    entry: Entry
    new_channel: bool


def running(conn: sqlite3.Connection | None) -> Timer | None:
    if conn is None:
        return None
    row = conn.execute("SELECT channel, what, started_at FROM timer WHERE id = 1").fetchone()
    return Timer(*row) if row is not None else None


def require_running(conn: sqlite3.Connection | None) -> Timer:
    timer = running(conn)
    if timer is None:
        raise NetlogError("no timer is running (start one with: netlog start CHANNEL)")
    return timer


# How to give a forgotten timer its real length: from `stop` itself, or before `start --stop`.
STOP_FIX = "Give the real end with --at or the time spent with --duration (or netlog cancel)"
START_FIX = (
    "Stop it with its real end first (netlog stop --at WHEN, or --duration 45m), or drop it "
    "(netlog cancel), then start again"
)


def measured_minutes(
    timer: Timer, end: datetime, *, limit_hours: float, end_given: bool, fix: str = STOP_FIX
) -> int:
    """The session's length, refusing what is surely a forgotten timer (with `fix`)."""
    started = from_storage(timer.started_at)
    if end < started:
        raise InputError("the end is before the timer started")
    minutes = timer.elapsed_minutes(end)
    if not end_given and minutes > limit_hours * 60:
        raise InputError(
            f"the timer on {timer.channel} has run {format_duration(minutes)}, longer than the "
            f"{limit_hours:g}h limit: was it left running? {fix}"
        )
    if minutes > MAX_DURATION_MINUTES:
        raise InputError(
            f"the session would be {format_duration(minutes)}, longer than 24 hours: give the "
            "time spent with --duration"
        )
    return minutes


def start(conn: sqlite3.Connection, timer: Timer) -> Timer:
    """Start `timer` inside the caller's transaction; NetlogError if one is running. The
    channel is named as the file knows it, if it knows it."""
    from netlog.store import db

    current = running(conn)
    if current is not None:
        raise NetlogError(f"a timer is already running on {current.channel}")
    timer = timer._replace(channel=db.find_channel(conn, timer.channel) or timer.channel)
    conn.execute(
        "INSERT INTO timer (id, channel, what, started_at) VALUES (1, ?, ?, ?)",
        (timer.channel, timer.what, timer.started_at),
    )
    return timer


def stop(
    conn: sqlite3.Connection,
    *,
    end: datetime,
    end_given: bool,
    now: datetime,
    minutes: int | None = None,
    count: int = 1,
    note: str | None = None,
    tags: tuple[str, ...] = (),
    fix: str = STOP_FIX,
) -> Stopped:
    """Log the running timer's session and clear the timer, inside the caller's transaction.
    Over the `timer-limit` setting without `end_given`, InputError naming `fix`."""
    from netlog.store import db

    timer = require_running(conn)
    if minutes is None:
        limit = float(db.read_settings(conn).get("timer-limit", DEFAULT_LIMIT_HOURS))
        minutes = measured_minutes(timer, end, limit_hours=limit, end_given=end_given, fix=fix)
    entry = check(
        Entry(
            channel=timer.channel,
            kind=ACTIVITY,
            occurred_at=timer.started_at,
            logged_at=to_storage(now),
            minutes=minutes,
            what=timer.what,
            count=count,
            note=note,
            tags=tags,
        )
    )
    known = db.find_channel(conn, timer.channel)
    entry_id = db.insert_entry(conn, entry)
    clear(conn)
    return Stopped(entry_id, entry, new_channel=known is None)


def clear(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM timer WHERE id = 1")
