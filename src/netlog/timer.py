"""The running timer, kept in the database so it survives a closed terminal and two
terminals see the same one."""

import sqlite3
from datetime import datetime
from typing import NamedTuple

from netlog.dates import MAX_DURATION_MINUTES, format_duration, from_storage
from netlog.errors import InputError

DEFAULT_LIMIT_HOURS = 8


class Timer(NamedTuple):
    channel: str
    what: str | None
    started_at: str

    def elapsed_minutes(self, end: datetime) -> int:
        """Whole minutes from start to `end`, rounded to the nearest, at least 1."""
        seconds = (end - from_storage(self.started_at)).total_seconds()
        return max(1, round(seconds / 60))


def running(conn: sqlite3.Connection) -> Timer | None:
    row = conn.execute("SELECT channel, what, started_at FROM timer WHERE id = 1").fetchone()
    return Timer(*row) if row is not None else None


def start(conn: sqlite3.Connection, timer: Timer) -> None:
    """Inside the caller's transaction."""
    conn.execute(
        "INSERT INTO timer (id, channel, what, started_at) VALUES (1, ?, ?, ?)",
        (timer.channel, timer.what, timer.started_at),
    )


def clear(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM timer WHERE id = 1")


def measured_minutes(timer: Timer, end: datetime, *, limit_hours: float, end_given: bool) -> int:
    """The session's length, refusing what is surely a forgotten timer."""
    started = from_storage(timer.started_at)
    if end < started:
        raise InputError("the end is before the timer started")
    minutes = timer.elapsed_minutes(end)
    if not end_given and minutes > limit_hours * 60:
        raise InputError(
            f"the timer has run {format_duration(minutes)}, longer than the "
            f"{limit_hours:g}h limit: was it left running? Give the real end with --at or the "
            "time spent with --duration (or netlog cancel)"
        )
    if minutes > MAX_DURATION_MINUTES:
        raise InputError(
            f"the session would be {format_duration(minutes)}, longer than 24 hours: give the "
            "time spent with --duration"
        )
    return minutes
