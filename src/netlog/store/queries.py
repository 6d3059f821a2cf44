"""Report queries that sum in SQLite and hand plain rows to netlog.reports: the funnel per
channel and the descriptions behind the verdicts' item words.

Everything is summed in SQLite (GROUP BY channel); Python gets one row per channel, never the
entries themselves.
"""

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from netlog.store.db import SUMS, _filters

if TYPE_CHECKING:
    from netlog.store.who import Who

_FUNNEL = """
    WITH sums AS MATERIALIZED ({sums}),  -- each first date, each probe, worked out once
    -- Days from a lead to the win linked to it (`outcome win --from LEAD`), by the win's
    -- channel and range; the median over those pairs only. CROSS: from the links, a
    -- lookup per link, not a pass over every entry looking each up in the links.
    pairs AS (
        SELECT e.channel_id, julianday(e.occurred_at) - julianday(s.occurred_at) AS days
        FROM links l
        CROSS JOIN entries e ON e.id = l.entry_id
        CROSS JOIN entries s ON s.id = l.source_id
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
    SELECT c.name AS channel, s.items, s.replies, s.leads, s.wins, s.minutes, s.spend_minor,
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
    WHERE s.items > 0 OR s.replies > 0 OR s.leads > 0 OR s.wins > 0 OR s.minutes > 0
    ORDER BY s.minutes DESC, s.items DESC, c.name COLLATE NOCASE
"""

# The funnel's sums per channel, from one pass over the entries.
_SUMMED = """
        SELECT e.channel_id,
            -- FILTER, not sum(CASE ...): a third cheaper over 1M entries
            coalesce(sum(e.count) FILTER (WHERE e.kind = 'activity'), 0) AS items,
            coalesce(sum(e.count) FILTER (WHERE e.kind = 'lead'), 0) AS leads,
            coalesce(sum(e.count) FILTER (WHERE e.kind = 'reply'), 0) AS replies,
            coalesce(sum(e.count) FILTER (WHERE e.kind = 'win'), 0) AS wins,
            -- (a CASE here: NULL without minutes, as the ORDER BY below has always had it)
            sum(CASE WHEN e.kind = 'activity' THEN e.minutes ELSE 0 END) AS minutes,
            coalesce(sum(e.value_minor) FILTER (WHERE e.kind = 'spend'), 0) AS spend_minor
            {firsts}
        FROM {source} e {where}
        GROUP BY e.channel_id
"""
# The same from the db.SUMS per channel the caller has summed already (a JSON array of
# objects): no pass over the entries. `minutes` is NULL, as above, when every entry is an
# activity without minutes: any other sum not 0 says otherwise, else a step along the
# channel index to an entry of another kind.
_GIVEN = """
        SELECT e.channel_id, e.items, e.leads, e.replies, e.wins,
            CASE WHEN e.sessions <> 0 OR e.leads <> 0 OR e.wins <> 0 OR e.replies <> 0
                    OR e.spend_minor <> 0 OR e.reach <> 0 THEN e.minutes
                WHEN EXISTS (
                    SELECT 1 FROM entries f WHERE f.channel_id = e.channel_id
                        AND f.kind <> 'activity'{probe}
                ) THEN 0 END AS minutes,
            e.spend_minor
            {firsts}
        FROM (
            SELECT json_extract(value, '$.channel_id') AS channel_id,
                json_extract(value, '$.activities') AS items,
                json_extract(value, '$.leads') AS leads,
                json_extract(value, '$.replies') AS replies,
                json_extract(value, '$.wins') AS wins,
                json_extract(value, '$.minutes') AS minutes,
                json_extract(value, '$.sessions') AS sessions,
                json_extract(value, '$.spend_minor') AS spend_minor,
                json_extract(value, '$.reach') AS reach
            FROM json_each(?)
        ) e
"""


def funnel_rows(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
    *,
    credit: str = "logged",
    who: "Who | None" = None,
    sums: Sequence[Mapping[str, Any]] | None = None,
) -> list[sqlite3.Row]:
    """One row per channel with activity or outcomes in [start, end), most hours first
    (outcomes credited by the `credit` rule, netlog.store.credit; logged by `who`):
    channel, items, replies, leads, wins, minutes, spend_minor, days_to_first_lead,
    days_to_first_win, median_days_lead_to_win. `sums`: the db.SUMS per channel (with its
    channel_id) of these entries when the caller has them, outcomes where logged and no
    `who`: then the entries are not read again."""
    from netlog.store.credit import LOGGED, entries_source

    if sums is not None and (credit != LOGGED or who is not None):
        raise ValueError("funnel sums are given for outcomes where logged, of every device")
    where, params = _filters(start, end, channel_ids, who=who)
    pair_where = (where + " AND " if where else " WHERE ") + "e.kind = 'win' AND s.kind = 'lead'"
    kinds = (("activity", "first_activity"), ("lead", "first_lead"), ("win", "first_win"))
    if credit == LOGGED:
        # Each first one a step along the channel index, in time order: three fewer sums
        # over every entry (at 1M, 0.37 s of CPU to 0.29 s).
        time_range, range_params = _filters(start, end, None)
        bounded = time_range.replace(" WHERE ", " AND ", 1).replace("e.", "f.")
        firsts = "".join(
            f", (SELECT min(f.occurred_at) FROM entries f WHERE f.channel_id = e.channel_id"
            f" AND f.kind = '{kind}'{bounded}) AS {name}"
            for kind, name in kinds
        )
        firsts_params = range_params * len(kinds)
    else:
        firsts = "".join(
            f", min(e.occurred_at) FILTER (WHERE e.kind = '{kind}') AS {name}"
            for kind, name in kinds
        )
        firsts_params = []
    if sums is None:
        summed = _SUMMED.format(source=entries_source(credit), where=where, firsts=firsts)
        sums_params = [*firsts_params, *params]
    else:
        import json

        summed = _GIVEN.format(probe=bounded, firsts=firsts)
        sums_params = [*range_params, *firsts_params, json.dumps(list(map(dict, sums)))]
    sql = _FUNNEL.format(sums=summed, pair_where=pair_where)
    return conn.execute(sql, [*sums_params, *params]).fetchall()


def activity_descriptions(
    conn: sqlite3.Connection,
    channels: Sequence[str],
    start: str | None,
    end: str | None,
    *,
    latest: int,
) -> dict[str, list[tuple[str | None, int]]]:
    """Channel name → (what, items) of its `latest` sessions in [start, end), most items
    first: a handful of index steps per channel."""
    ids = {row[1]: row[0] for row in conn.execute("SELECT id, name FROM channels")}
    where, params = _filters(start, end, None)
    clauses = (where + " AND " if where else " WHERE ") + "e.channel_id = ? AND e.kind = 'activity'"
    sql = f"""
        SELECT what, sum(count) AS items FROM (
            SELECT e.what, e.count FROM entries e {clauses}
            ORDER BY e.occurred_at DESC LIMIT ?
        ) GROUP BY what ORDER BY items DESC, what
    """
    return {
        name: [(row[0], row[1]) for row in conn.execute(sql, [*params, ids[name], latest])]
        for name in set(channels) & ids.keys()
    }


def channels_over_budget(
    conn: sqlite3.Connection,
    periods: Sequence[tuple[str, str, str, str]],
    currency: str | None,
    channel_ids: Sequence[int],
    start: str | None,
    end: str | None,
) -> set[str]:
    """The channels (names as first written; of `channel_ids` only) whose use of a budget
    went over its limit in one of `periods`: (week or month, label, start, end) in stored
    form, a period perhaps in several pieces with the same label
    (netlog.model.periods.iter_periods). A budget counts from its `counts_from` day, and a
    period is only judged when the channel logged something the budget counts within
    [start, end) (None = open): a monthly budget over in September does not mark a September
    week with nothing spent. Money budgets in another currency than the file's are left out."""
    import json

    rows = conn.execute(
        """
        WITH periods AS (
            SELECT json_extract(value, '$[0]') AS period, json_extract(value, '$[1]') AS label,
                   json_extract(value, '$[2]') AS start, json_extract(value, '$[3]') AS end
            FROM json_each(:periods)
        ),
        labels AS (
            SELECT period, label, min(start) AS start, max(end) AS end, count(*) AS pieces
            FROM periods GROUP BY period, label
        ),
        judged AS (
            SELECT b.channel_id, b.kind, b.limit_value, l.period, l.label, l.pieces,
                   l.end AS period_end, max(l.start, coalesce(b.counts_from, '')) AS counts_from
            FROM budgets b JOIN labels l ON l.period = b.period
            WHERE b.channel_id IN (SELECT value FROM json_each(:ids))
              AND (b.currency IS NULL OR b.currency IS :currency)
              AND l.end > coalesce(b.counts_from, '')
        )
        SELECT DISTINCT c.name FROM judged j
        JOIN channels c ON c.id = j.channel_id
        WHERE EXISTS (
            SELECT 1 FROM entries e
            WHERE e.channel_id = j.channel_id
              AND e.occurred_at >= max(j.counts_from, :start)
              AND e.occurred_at < min(j.period_end, :end)
              AND e.kind = (CASE j.kind WHEN 'time' THEN 'activity' ELSE 'spend' END)
        ) AND (
            -- a range of the (channel_id, occurred_at) index; a period in pieces checks them
            SELECT coalesce(sum(CASE j.kind WHEN 'time' THEN e.minutes ELSE e.value_minor END), 0)
            FROM entries e
            WHERE e.channel_id = j.channel_id AND e.occurred_at >= j.counts_from
              AND e.occurred_at < j.period_end
              AND e.kind = (CASE j.kind WHEN 'time' THEN 'activity' ELSE 'spend' END)
              AND (j.pieces = 1 OR EXISTS (
                  SELECT 1 FROM periods p WHERE p.period = j.period AND p.label = j.label
                    AND e.occurred_at >= p.start AND e.occurred_at < p.end))
        ) > j.limit_value
        """,
        {
            "periods": json.dumps(list(periods)),
            "ids": json.dumps(list(channel_ids)),
            "currency": currency,
            "start": start or "",
            "end": end or "~",  # after every stored time (they start with digits)
        },
    ).fetchall()
    return {row[0] for row in rows}


def _lead_range(start: str | None, end: str | None) -> tuple[str, list[str]]:
    """The leads (`s`) a win's link counts to: a lead before `start` (or at or after `end`)
    is not judged, and its win counts in its place."""
    clauses = "".join(
        f" AND s.occurred_at {op} ?" for op, bound in ((">=", start), ("<", end)) if bound
    )
    return clauses, [bound for bound in (start, end) if bound]


def linked_wins(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
) -> dict[int, int]:
    """Channel id → its wins in [start, end) linked to a lead in that range: verdict_sums'
    wins less its unlinked_wins. Read from the links, a lookup per linked entry, not a pass
    over every entry."""
    where, params = _filters(start, end, channel_ids)
    lead_range, lead_params = _lead_range(start, end)
    rows = conn.execute(
        f"""
        SELECT e.channel_id, sum(e.count) FROM (
            SELECT DISTINCT l.entry_id FROM links l JOIN entries s ON s.id = l.source_id
            WHERE s.kind = 'lead'{lead_range}
        ) w CROSS JOIN entries e ON e.id = w.entry_id  -- CROSS: from the links, always
        {where + " AND " if where else " WHERE "} e.kind = 'win'
        GROUP BY e.channel_id
        """,
        [*lead_params, *params],
    )
    return dict(rows.fetchall())


def verdict_sums(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
) -> list[sqlite3.Row]:
    """What netlog.reports.verdicts judges, per channel over [start, end): minutes, leads,
    wins, wins with no linked lead among the entries judged (they count as leads), revenue,
    spend, and the value per win of each valued win entry (comma-separated, for the median).
    One query along the time index (or the channel index, for one channel)."""
    where, params = _filters(start, end, channel_ids)
    lead_range, lead_params = _lead_range(start, end)
    sums = {name: sql for sql, name in SUMS}
    sql = f"""
        SELECT c.name AS channel, t.* FROM (
            SELECT e.channel_id,
                {sums["minutes"]} AS minutes, {sums["leads"]} AS leads, {sums["wins"]} AS wins,
                coalesce(sum(e.count) FILTER (WHERE e.kind = 'win' AND NOT EXISTS (
                        SELECT 1 FROM links l JOIN entries s ON s.id = l.source_id
                        WHERE l.entry_id = e.id AND s.kind = 'lead'{lead_range}
                    )), 0) AS unlinked_wins,
                -- total(), a float: the verdicts compare money, and a file whose sums pass
                -- 2^63 minor units (which summary --by month still shows) must not fail them
                total(e.value_minor) FILTER (WHERE e.kind = 'win') AS revenue_minor,
                total(e.value_minor) FILTER (WHERE e.kind = 'spend') AS spend_minor,
                group_concat(e.value_minor * 1.0 / e.count)
                    FILTER (WHERE e.kind = 'win' AND e.value_minor IS NOT NULL) AS win_values
            FROM entries e {where}
            GROUP BY e.channel_id
        ) t JOIN channels c ON c.id = t.channel_id
        ORDER BY c.name COLLATE NOCASE
    """
    return conn.execute(sql, [*lead_params, *params]).fetchall()


def win_values(conn: sqlite3.Connection) -> list[float]:
    """The value per win of every valued win entry in the file, in minor units, in no
    particular order."""
    return [
        row[0]
        for row in conn.execute(
            # The index of the entries with an amount (a few percent of them) alone, which
            # holds kind, amount and count (schema 12): at 1M entries 0.04 s to a few ms.
            "SELECT value_minor * 1.0 / count FROM entries INDEXED BY entries_by_currency"
            " WHERE kind = 'win' AND value_minor IS NOT NULL"
        )
    ]
