"""Channels as a whole: listing, renaming, merging and aliases."""

import sqlite3
from typing import NamedTuple

from netlog.db import require_channel
from netlog.errors import NetlogError
from netlog.text import channel_key


class ChannelInfo(NamedTuple):
    name: str
    entries: int
    minutes: int
    first: str | None
    last: str | None
    aliases: list[str]


def list_channels(conn: sqlite3.Connection) -> list[ChannelInfo]:
    """Every channel with its entry count, hours and first and last use; most hours first."""
    aliases: dict[int, list[str]] = {}
    for channel_id, alias in conn.execute("SELECT channel_id, alias FROM aliases ORDER BY key"):
        aliases.setdefault(channel_id, []).append(alias)
    rows = conn.execute(
        "SELECT c.id, c.name, count(e.id), coalesce(sum(e.minutes), 0),"
        " min(e.occurred_at), max(e.occurred_at)"
        " FROM channels c LEFT JOIN entries e ON e.channel_id = c.id"
        " GROUP BY c.id ORDER BY 4 DESC, c.name"
    )
    return [
        ChannelInfo(name, entries, minutes, first, last, aliases.get(channel_id, []))
        for channel_id, name, entries, minutes, first, last in rows
    ]


def known_names(conn: sqlite3.Connection) -> list[str]:
    """Channel names and aliases, for prompts and shell completion."""
    return [r[0] for r in conn.execute("SELECT name FROM channels UNION SELECT alias FROM aliases")]


def rename(conn: sqlite3.Connection, old: str, new: str) -> str:
    """Give a channel a new name (inside the caller's transaction); returns the old name."""
    channel = require_channel(conn, old)
    new_key = channel_key(new)
    clash = conn.execute(
        "SELECT name FROM channels WHERE key = ? AND id != ?"
        " UNION ALL SELECT alias FROM aliases WHERE key = ?",
        (new_key, channel.id, new_key),
    ).fetchone()
    if clash is not None:
        raise NetlogError(
            f"{new!r} is already the channel or alias {clash[0]!r}: to combine them use "
            f"netlog channels merge {channel.name!r} {clash[0]!r}"
        )
    conn.execute("UPDATE channels SET name = ?, key = ? WHERE id = ?", (new, new_key, channel.id))
    _move_timer(conn, channel.name, new)
    return channel.name


def merge(conn: sqlite3.Connection, source: str, target: str) -> tuple[str, str, int]:
    """Move every entry and alias of `source` to `target` and drop `source`.
    Returns (source name, target name, entries moved)."""
    from_row, into_row = require_channel(conn, source), require_channel(conn, target)
    if from_row.id == into_row.id:
        raise NetlogError(f"{source!r} and {target!r} are already the same channel")
    moved = conn.execute(
        "UPDATE entries SET channel_id = ? WHERE channel_id = ?", (into_row.id, from_row.id)
    ).rowcount
    conn.execute(
        "UPDATE aliases SET channel_id = ? WHERE channel_id = ?", (into_row.id, from_row.id)
    )
    conn.execute("DELETE FROM channels WHERE id = ?", (from_row.id,))
    _move_timer(conn, from_row.name, into_row.name)
    return from_row.name, into_row.name, moved


def _move_timer(conn: sqlite3.Connection, old: str, new: str) -> None:
    """A running timer names its channel: keep it on the channel that was renamed or merged."""
    row = conn.execute("SELECT channel FROM timer WHERE id = 1").fetchone()
    if row is not None and channel_key(row[0]) == channel_key(old):
        conn.execute("UPDATE timer SET channel = ? WHERE id = 1", (new,))


def add_alias(conn: sqlite3.Connection, alias: str, target: str, *, created_at: str) -> str:
    """Make `alias` log to `target`; returns the target's name."""
    channel = require_channel(conn, target)
    key = channel_key(alias)
    clash = conn.execute(
        "SELECT name FROM channels WHERE key = ? UNION ALL SELECT alias FROM aliases WHERE key = ?",
        (key, key),
    ).fetchone()
    if clash is not None:
        raise NetlogError(f"{alias!r} is already the channel or alias {clash[0]!r}")
    conn.execute(
        "INSERT INTO aliases (key, alias, channel_id, created_at) VALUES (?, ?, ?, ?)",
        (key, alias, channel.id, created_at),
    )
    return channel.name


def remove_alias(conn: sqlite3.Connection, alias: str) -> str:
    """Returns the name of the channel the alias pointed to."""
    row = conn.execute(
        "SELECT c.name FROM aliases a JOIN channels c ON c.id = a.channel_id WHERE a.key = ?",
        (channel_key(alias),),
    ).fetchone()
    if row is None:
        raise NetlogError(f"no alias {alias!r} (see netlog channels alias)")
    conn.execute("DELETE FROM aliases WHERE key = ?", (channel_key(alias),))
    return row[0]
