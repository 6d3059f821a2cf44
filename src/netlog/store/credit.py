"""Credit: which channel and date a reply, lead or win counts on in the reports.

`logged` keeps each outcome where it was logged. `first` and `last` move it (count and value)
to the earliest or latest activity it came from, following `--from` links through replies
and leads to activities; `linear` splits it across all of those activities. An outcome that
reaches no activity stays where it was logged.

Counts and amounts stay whole: `linear` splits both exactly in whole units (a count in
ones, money in minor units), each activity taking its even share and the earliest the
remainder, so that the credited totals are always the logged ones.
"""

from netlog.model.kinds import ACTIVITY, LINK_SOURCE_KINDS, LINKED_KINDS, sql_list

LOGGED = "logged"
FIRST = "first"
LAST = "last"
LINEAR = "linear"
RULES = (LOGGED, FIRST, LAST, LINEAR)

# Which of an outcome's activities take a share (`place` counts them from the earliest, of
# `activities`), and what the share is divided by.
_SHARES = {
    FIRST: ("place = 1", "1"),
    LAST: ("place = activities", "1"),
    LINEAR: ("1", "activities"),
}

# After `WITH RECURSIVE`: `moved`, the outcomes a rule moves, where it moves them (one row
# per share), with the columns of entries_source. An outcome is moved when its links reach an
# activity; `place` counts its activities from the earliest, of `activities`. Materialized:
# a query reads it twice (what stays, what moves) and it is worked out once.
_MOVED = """
    reached (outcome_id, node_id) AS (
        SELECT l.entry_id, l.source_id FROM links l
        JOIN entries o ON o.id = l.entry_id AND o.kind IN {credited}
        UNION
        SELECT r.outcome_id, l.source_id FROM reached r
        JOIN entries n ON n.id = r.node_id AND n.kind IN {passed_through}
        JOIN links l ON l.entry_id = r.node_id
    ),
    sources AS (
        SELECT r.outcome_id, a.channel_id, a.occurred_at,
            row_number() OVER (PARTITION BY r.outcome_id ORDER BY a.occurred_at, a.id)
                AS place,
            count(*) OVER (PARTITION BY r.outcome_id) AS activities
        FROM (SELECT DISTINCT outcome_id, node_id FROM reached) r
        JOIN entries a ON a.id = r.node_id AND a.kind = '{activity}'
    ),
    moved AS MATERIALIZED (
        SELECT o.id, s.channel_id, o.kind, s.occurred_at, o.minutes,
            o.count / s.parts + CASE WHEN s.earliest THEN o.count % s.parts ELSE 0 END
                AS count,
            o.value_minor / s.parts
                + CASE WHEN s.earliest THEN o.value_minor % s.parts ELSE 0 END AS value_minor,
            o.tags
        FROM (
            SELECT outcome_id, channel_id, occurred_at, place = 1 AS earliest,
                {divisor} AS parts
            FROM sources WHERE {chosen}
        ) s
        JOIN entries o ON o.id = s.outcome_id
    )"""

# The ids of the moved outcomes, for `e.id NOT IN MOVED_IDS` beside the `moved` CTE.
MOVED_IDS = "(SELECT id FROM moved)"


def moved_ctes(rule: str) -> str:
    """The common table expressions that define `moved` for `rule` (to follow `WITH
    RECURSIVE`, before or after others). ValueError for `logged` or an unknown rule."""
    if rule not in _SHARES:
        raise ValueError(f"no credit rule {rule!r} that moves outcomes")
    chosen, divisor = _SHARES[rule]
    return _MOVED.format(
        credited=sql_list(LINKED_KINDS),
        passed_through=sql_list(tuple(k for k in LINK_SOURCE_KINDS if k in LINKED_KINDS)),
        activity=ACTIVITY,
        chosen=chosen,
        divisor=divisor,
    )


def entries_source(rule: str) -> str:
    """What a report reads `FROM ... e`: the entries table itself under `logged`, else the
    entries with each linked outcome moved (or split) by the rule: columns id, channel_id,
    kind, occurred_at, minutes, count, value_minor and tags, as the report filters and sums
    want them. ValueError for a rule that is none of RULES."""
    if rule == LOGGED:
        return "entries"
    return f"""(
        WITH RECURSIVE {moved_ctes(rule)}
        SELECT e.id, e.channel_id, e.kind, e.occurred_at, e.minutes, e.count, e.value_minor,
            e.tags
        FROM entries e WHERE e.id NOT IN {MOVED_IDS}
        UNION ALL
        SELECT * FROM moved
    )"""
