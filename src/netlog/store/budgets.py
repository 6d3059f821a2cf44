"""The SQL of budgets: setting, removing and reading them, and what each has used."""

import sqlite3
from collections.abc import Sequence

BUDGET_ROW = "kind, period, limit_value, currency"


def budget_of(conn: sqlite3.Connection, channel_id: int, kind: str) -> tuple | None:
    """(kind, period, limit_value, currency) of the channel's budget of `kind`, if any."""
    return conn.execute(
        f"SELECT {BUDGET_ROW} FROM budgets WHERE channel_id = ? AND kind = ?", (channel_id, kind)
    ).fetchone()


def write_budget(
    conn: sqlite3.Connection,
    channel_id: int,
    row: tuple[str, str, int, str | None],
    *,
    created_at: str,
    counts_from: str,
) -> None:
    """Insert or replace the channel's budget of row's kind: (kind, period, limit, currency)."""
    conn.execute(
        "INSERT INTO budgets"
        " (channel_id, kind, period, limit_value, currency, created_at, counts_from)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id, kind) DO UPDATE SET"
        " period = excluded.period, limit_value = excluded.limit_value,"
        " currency = excluded.currency, created_at = excluded.created_at,"
        " counts_from = excluded.counts_from",
        (channel_id, *row, created_at, counts_from),
    )


def remove_budgets(conn: sqlite3.Connection, channel_id: int, kinds: Sequence[str]) -> list[tuple]:
    """Remove the channel's budgets of these kinds; returns their rows (spend before time)."""
    where = f"channel_id = ? AND kind IN ({', '.join('?' * len(kinds))})"
    removed = conn.execute(
        f"SELECT {BUDGET_ROW} FROM budgets WHERE {where} ORDER BY kind DESC", (channel_id, *kinds)
    ).fetchall()
    conn.execute(f"DELETE FROM budgets WHERE {where}", (channel_id, *kinds))
    return removed


# One indexed query: each budget's sum over its period is a range of entries_by_channel
# (channel_id, occurred_at), covered by the index (kind, minutes, value_minor are in it).
# A budget counts from its counts_from (NULL: from the first entry).
_USE_SQL = """
SELECT c.name, b.kind, b.period, b.limit_value, b.currency, b.counts_from, (
    SELECT coalesce(sum(CASE b.kind WHEN 'time' THEN e.minutes ELSE e.value_minor END), 0)
    FROM entries e
    WHERE e.channel_id = b.channel_id
      AND e.occurred_at >= (CASE b.period WHEN 'week' THEN :week_start ELSE :month_start END)
      AND e.occurred_at >= coalesce(b.counts_from, '')
      AND e.occurred_at < (CASE b.period WHEN 'week' THEN :week_end ELSE :month_end END)
      AND e.kind = (CASE b.kind WHEN 'time' THEN 'activity' ELSE 'spend' END)
) AS used
FROM budgets b JOIN channels c ON c.id = b.channel_id
WHERE {where}
ORDER BY c.name COLLATE NOCASE, b.kind DESC
"""


def budgets_used(
    conn: sqlite3.Connection,
    spans: dict[str, str],
    *,
    channel_id: int | None = None,
    kind: str | None = None,
) -> list[tuple]:
    """(name, kind, period, limit, currency, counts_from, used) of every budget (or the
    channel's, of one kind), used within its period: `spans` has week_start, week_end,
    month_start and month_end in stored form."""
    clauses = ["1"]
    if channel_id is not None:
        clauses.append("b.channel_id = :channel_id")
    if kind is not None:
        clauses.append("b.kind = :kind")
    return conn.execute(
        _USE_SQL.format(where=" AND ".join(clauses)),
        {**spans, "channel_id": channel_id, "kind": kind},
    ).fetchall()


def budgeted_channels(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(channel_id, period) of every budget."""
    return conn.execute("SELECT DISTINCT channel_id, period FROM budgets").fetchall()
