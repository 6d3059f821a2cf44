"""The SQL behind `netlog funnel` and `netlog trend`, and the item words of the verdicts.

Everything is summed in SQLite (GROUP BY channel); Python gets one row per channel, or per
channel and period, never the entries themselves.
"""

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from netlog.reports.funnel import FunnelRow
from netlog.store import db

# An item word is one short lowercase plural such as `bids` or `tweets`: it reads well in
# "22 bids → 1 lead → 0 wins". Anything else (`emails to prospects`, `bid`) reads "items".
_ITEM_WORD = re.compile(r"[a-z]{2,14}s", re.ASCII)
ITEMS = "items"


def item_word(what: str | None) -> str:
    """`bids` → `bids`; `Tweets` → `tweets`; `emails to prospects`, `bid`, None → `items`."""
    word = (what or "").strip().lower()
    if _ITEM_WORD.fullmatch(word) and not word.endswith("ss"):
        return word
    return ITEMS


# Item words come from the latest sessions only: a handful of index steps per channel, where
# reading every activity's description would read the whole table.
ITEM_WORD_SESSIONS = 500


def item_words(
    conn: sqlite3.Connection,
    channels: Sequence[str],
    start: str | None = None,
    end: str | None = None,
) -> dict[str, str]:
    """Channel name → the word for its items: the activity description that counts more than
    half of the items of the channel's latest ITEM_WORD_SESSIONS sessions in [start, end),
    if it is a short plural (item_word); else `items`."""
    wanted = set(channels)
    ids = {row[1]: row[0] for row in conn.execute("SELECT id, name FROM channels")}
    where, params = db._filters(start, end, None)
    clauses = (where + " AND " if where else " WHERE ") + "e.channel_id = ? AND e.kind = 'activity'"
    sql = f"""
        SELECT what, sum(count) AS items FROM (
            SELECT e.what, e.count FROM entries e {clauses}
            ORDER BY e.occurred_at DESC LIMIT ?
        ) GROUP BY what ORDER BY items DESC, what
    """
    words = {}
    for name in wanted & ids.keys():
        found = conn.execute(sql, [*params, ids[name], ITEM_WORD_SESSIONS]).fetchall()
        all_items = sum(row[1] for row in found)
        top = found[0] if found else None
        words[name] = item_word(top[0]) if top and top[1] * 2 > all_items else ITEMS
    return words


@dataclass(frozen=True)
class ChannelFunnel:
    """A channel's funnel figures, its cash spend (minor units) and its item word."""

    row: FunnelRow
    spend_minor: int
    word: str


_FUNNEL = """
    WITH sums AS (
        SELECT e.channel_id,
            sum(CASE WHEN e.kind = 'activity' THEN e.count ELSE 0 END) AS items,
            sum(CASE WHEN e.kind = 'lead' THEN e.count ELSE 0 END) AS leads,
            sum(CASE WHEN e.kind = 'win' THEN e.count ELSE 0 END) AS wins,
            sum(CASE WHEN e.kind = 'activity' THEN e.minutes ELSE 0 END) AS minutes,
            sum(CASE WHEN e.kind = 'spend' THEN e.value_minor ELSE 0 END) AS spend_minor,
            min(CASE WHEN e.kind = 'activity' THEN e.occurred_at END) AS first_activity,
            min(CASE WHEN e.kind = 'lead' THEN e.occurred_at END) AS first_lead,
            min(CASE WHEN e.kind = 'win' THEN e.occurred_at END) AS first_win
        FROM entries e {where}
        GROUP BY e.channel_id
    ),
    -- Days from a lead to the win linked to it (`outcome win --from LEAD`), by the win's
    -- channel and range; the median over those pairs only.
    pairs AS (
        SELECT e.channel_id, julianday(e.occurred_at) - julianday(s.occurred_at) AS days
        FROM links l
        JOIN entries e ON e.id = l.entry_id
        JOIN entries s ON s.id = l.source_id
        {pair_where}
    ),
    ranked AS (
        SELECT channel_id, days,
            row_number() OVER (PARTITION BY channel_id ORDER BY days) AS place,
            count(*) OVER (PARTITION BY channel_id) AS pairs
        FROM pairs
    ),
    medians AS (
        SELECT channel_id, avg(days) AS median FROM ranked
        WHERE place IN ((pairs + 1) / 2, (pairs + 2) / 2)
        GROUP BY channel_id
    )
    SELECT c.name AS channel, s.items, s.leads, s.wins, s.minutes, s.spend_minor,
        -- From the channel's first activity in the range to its first lead (win) in it;
        -- none when the first lead came before any activity in the range.
        CASE WHEN s.first_lead >= s.first_activity
            THEN julianday(s.first_lead) - julianday(s.first_activity) END AS days_to_first_lead,
        CASE WHEN s.first_win >= s.first_activity
            THEN julianday(s.first_win) - julianday(s.first_activity) END AS days_to_first_win,
        m.median AS median_days_lead_to_win
    FROM sums s
    JOIN channels c ON c.id = s.channel_id
    LEFT JOIN medians m ON m.channel_id = s.channel_id
    WHERE s.items > 0 OR s.leads > 0 OR s.wins > 0 OR s.minutes > 0
    ORDER BY s.minutes DESC, s.items DESC, c.name COLLATE NOCASE
"""


def funnel(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
) -> list[ChannelFunnel]:
    """One funnel per channel with activity or outcomes in [start, end), most hours first.
    Channels with only reach or spend are left out: they have no funnel."""
    where, params = db._filters(start, end, channel_ids)
    pair_where = (where + " AND " if where else " WHERE ") + "e.kind = 'win' AND s.kind = 'lead'"
    sql = _FUNNEL.format(where=where, pair_where=pair_where)
    rows = conn.execute(sql, [*params, *params]).fetchall()
    words = item_words(conn, [row["channel"] for row in rows], start, end)
    return [
        ChannelFunnel(
            FunnelRow(
                channel=row["channel"],
                items=row["items"] or 0,
                leads=row["leads"] or 0,
                wins=row["wins"] or 0,
                minutes=row["minutes"] or 0,
                days_to_first_lead=row["days_to_first_lead"],
                days_to_first_win=row["days_to_first_win"],
                median_days_lead_to_win=row["median_days_lead_to_win"],
            ),
            row["spend_minor"] or 0,
            words.get(row["channel"], ITEMS),
        )
        for row in rows
    ]
