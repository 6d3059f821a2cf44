"""What `netlog import --from linkedin|x|mbox|ics` reads and writes in the file: the hashes of
what was already brought in, and the entries that count items on a channel's day."""

import sqlite3
from collections.abc import Iterable, Sequence

_BATCH = 500  # SQLite allows 32,766 parameters; small batches keep each statement quick


def known_hashes(conn: sqlite3.Connection, hashes: Iterable[str]) -> set[str]:
    """Those of `hashes` that an earlier import already brought in."""
    wanted = list(hashes)
    known: set[str] = set()
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        marks = ", ".join("?" * len(batch))
        known.update(
            row[0]
            for row in conn.execute(f"SELECT hash FROM captured WHERE hash IN ({marks})", batch)
        )
    return known


def remember(conn: sqlite3.Connection, entry_id: int, hashes: Sequence[str]) -> None:
    conn.executemany(
        "INSERT INTO captured (hash, entry_id) VALUES (?, ?)", ((h, entry_id) for h in hashes)
    )


def day_holder(
    conn: sqlite3.Connection, channel_id: int, kind: str, start: str, end: str
) -> tuple[int, int] | None:
    """(id, count) of the entry of this kind on the channel in [start, end) that already
    counts items from an export, if any: new items of that day are added to it."""
    row = conn.execute(
        "SELECT e.id, e.count FROM entries e WHERE e.channel_id = ? AND e.kind = ?"
        " AND e.occurred_at >= ? AND e.occurred_at < ?"
        " AND EXISTS (SELECT 1 FROM captured c WHERE c.entry_id = e.id)"
        " ORDER BY e.occurred_at, e.id LIMIT 1",
        (channel_id, kind, start, end),
    ).fetchone()
    return (row[0], row[1]) if row else None


def timed_sessions(conn: sqlite3.Connection, channel_id: int, start: str, end: str) -> list[int]:
    """Ids of the sessions (activities with a duration) on the channel in [start, end),
    earliest first."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT id FROM entries WHERE channel_id = ? AND kind = 'activity'"
            " AND minutes IS NOT NULL AND occurred_at >= ? AND occurred_at < ?"
            " ORDER BY occurred_at, id",
            (channel_id, start, end),
        )
    ]


def set_count(conn: sqlite3.Connection, entry_id: int, count: int, tags: str | None) -> None:
    conn.execute("UPDATE entries SET count = ?, tags = ? WHERE id = ?", (count, tags, entry_id))


def entry_tags(conn: sqlite3.Connection, entry_id: int) -> str | None:
    return conn.execute("SELECT tags FROM entries WHERE id = ?", (entry_id,)).fetchone()[0]


def exported_items(conn: sqlite3.Connection) -> dict[str, int]:
    """Channel name → items counted from exports, on the channels that have any."""
    return {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT c.name, sum(e.count) FROM entries e JOIN channels c ON c.id = e.channel_id"
            # From the captured rows to their entries: before every summary and funnel,
            # so never a pass over every entry.
            " WHERE e.id IN (SELECT entry_id FROM captured) AND e.kind = 'activity'"
            " GROUP BY c.name ORDER BY c.name"
        )
    }


def remember_by_uuid(conn: sqlite3.Connection, pairs: Iterable[tuple[str, str]]) -> None:
    """(hash, uuid of the entry that counts it) for entries just inserted in bulk."""
    conn.executemany(
        "INSERT INTO captured (hash, entry_id) SELECT ?, id FROM entries WHERE uuid = ?", pairs
    )


def link_to_holders(conn: sqlite3.Connection, pairs: Iterable[tuple[str, str]]) -> None:
    """(uuid of an entry, hash of an item): link the entry to the one that counts the item,
    where that item was brought in."""
    conn.executemany(
        "INSERT INTO links (entry_id, source_id)"
        " SELECT e.id, c.entry_id FROM entries e, captured c WHERE e.uuid = ? AND c.hash = ?"
        " ON CONFLICT DO NOTHING",
        pairs,
    )
