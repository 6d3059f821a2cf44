"""Channels as a whole: listing, renaming, merging and aliases."""

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from netlog.errors import InputError, NetlogError
from netlog.model.text import channel_key
from netlog.store.db import reach_baselines, require_channel, settle_reach_totals


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
    """Channel names and aliases in order, for prompts and shell completion."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM channels UNION SELECT alias FROM aliases ORDER BY 1"
        )
    ]


def names_in(path: Path) -> list[str]:
    """known_names of the file at `path`, read-only and without migrations (shell completion
    must be quick and never write); [] when there is no file netlog can read."""
    if not path.exists():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return known_names(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return []


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
    starts = reach_baselines(conn, [into_row.id])
    moved = conn.execute(
        "UPDATE entries SET channel_id = ? WHERE channel_id = ?", (into_row.id, from_row.id)
    ).rowcount
    settle_reach_totals(conn, starts)  # the two channels' totals are one series now
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


# --- did you mean ------------------------------------------------------------------------

_SHORTEST_CLOSE = 4  # below this, every name is one typo away from many others


def _folded(name: str) -> str:
    """A name without case, spaces or punctuation: `Linked-In` and `linkedin` fold alike."""
    return "".join(char for char in channel_key(name) if char.isalnum())


def _typo_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: `linkdein` is one
    swap from `linkedin`, where plain Levenshtein would count two."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _closeness(typed: str, known: str) -> int | None:
    """How far `known` is from `typed` if it is close enough to suggest, else None."""
    a, b = _folded(typed), _folded(known)
    if min(len(a), len(b)) < _SHORTEST_CLOSE:
        return None
    if a == b:
        return 0
    without_digits = (
        "".join(c for c in a if not c.isdigit()),
        "".join(c for c in b if not c.isdigit()),
    )
    if without_digits[0] == without_digits[1]:
        return None  # client1 and client2 are two clients, not a typo
    allowed = 1 if min(len(a), len(b)) <= 7 else 2
    if abs(len(a) - len(b)) > allowed:
        return None
    distance = _typo_distance(a, b)
    return distance if distance <= allowed else None


def close_match(name: str, known: Iterable[str]) -> str | None:
    """The known channel or alias that `name` is most likely a typo of, or None.

    Close means: equal once case, spaces and punctuation are ignored, or one typo apart for
    names of 4 to 7 letters and two for longer ones. Names under 4 letters, and names that
    differ only in their digits (client1, client2), are never close.
    """
    best: tuple[int, str, str] | None = None
    for candidate in known:
        if channel_key(candidate) == channel_key(name):
            continue  # the same channel, not a suggestion
        distance = _closeness(name, candidate)
        if distance is not None:
            ranked = (distance, channel_key(candidate), candidate)
            if best is None or ranked < best:
                best = ranked
    return best[2] if best is not None else None


def unknown_channel_error(conn: sqlite3.Connection, name: str) -> InputError:
    """The one-line error for a channel filter that names no channel (exit 2)."""
    names = known_names(conn)
    suggestion = close_match(name, names)
    if suggestion is not None:
        return InputError(f"no channel named {name!r}: did you mean {suggestion!r}?")
    listed = ", ".join(sorted(names, key=channel_key))
    return InputError(f"no channel named {name!r}" + (f" (known: {listed})" if listed else ""))
