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

# The outcomes that reach an activity, each with the activities it came from.
_SOURCES = """
    WITH RECURSIVE reached (outcome_id, node_id) AS (
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
    )"""

_MOVED = """(
    {sources},
    shares AS (
        SELECT outcome_id, channel_id, occurred_at, place = 1 AS earliest, {divisor} AS parts
        FROM sources WHERE {chosen}
    )
    SELECT o.id, s.channel_id, o.kind, s.occurred_at, o.minutes,
        o.count / s.parts + CASE WHEN s.earliest THEN o.count % s.parts ELSE 0 END AS count,
        o.value_minor / s.parts + CASE WHEN s.earliest THEN o.value_minor % s.parts ELSE 0 END
            AS value_minor,
        o.tags
    FROM shares s JOIN entries o ON o.id = s.outcome_id
)"""


def _sources() -> str:
    return _SOURCES.format(
        credited=sql_list(LINKED_KINDS),
        passed_through=sql_list(tuple(k for k in LINK_SOURCE_KINDS if k in LINKED_KINDS)),
        activity=ACTIVITY,
    )


def moved_ids() -> str:
    """A subquery of the ids of the outcomes a rule other than `logged` moves: those whose
    links reach an activity."""
    return f"({_sources()} SELECT outcome_id FROM sources)"


def moved_outcomes(rule: str) -> str:
    """A subquery of the outcomes `rule` moves, where it moves them: one row per share, with
    the columns of entries_source. ValueError for `logged` or an unknown rule."""
    if rule not in _SHARES:
        raise ValueError(f"no credit rule {rule!r} that moves outcomes")
    chosen, divisor = _SHARES[rule]
    return _MOVED.format(sources=_sources(), chosen=chosen, divisor=divisor)


def entries_source(rule: str) -> str:
    """What a report reads `FROM ... e`: the entries table itself under `logged`, else the
    entries with each linked outcome moved (or split) by the rule: columns id, channel_id,
    kind, occurred_at, minutes, count, value_minor and tags, as the report filters and sums
    want them. ValueError for a rule that is none of RULES."""
    if rule == LOGGED:
        return "entries"
    moved = moved_outcomes(rule)
    return f"""(
        SELECT e.id, e.channel_id, e.kind, e.occurred_at, e.minutes, e.count, e.value_minor,
            e.tags
        FROM entries e WHERE e.id NOT IN {moved_ids()}
        UNION ALL
        SELECT * FROM {moved}
    )"""
