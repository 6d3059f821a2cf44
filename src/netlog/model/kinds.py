"""The kinds of entry netlog keeps and what each may hold: the one table that the entry
rules (model/entries.py), the CLI's choices, export and import, and `netlog check` read.

Kept free of imports beyond model.limits: `netlog add` loads it on every run.
"""

from typing import NamedTuple

from netlog.model.limits import MAX_COUNT

ACTIVITY = "activity"
REACH = "reach"
REPLY = "reply"
LEAD = "lead"
WIN = "win"
SPEND = "spend"

# The `type` column of an export and of `log -f csv/json`: outcomes share one type and keep
# their kind in the `kind` column; activities and spend are a type of their own, no kind.
OUTCOME = "outcome"


class Kind(NamedTuple):
    name: str
    plural: str  # for sentences: "only activities do"
    export_type: str  # ACTIVITY, OUTCOME or SPEND
    lasts: bool  # has a duration (required), where no other kind may have one
    min_count: int
    max_count: int
    value: str | None  # None: no amount; "optional" (from 0) or "required" (from 1 minor unit)
    what: bool  # may have a description ("what you did", "what for")
    label: bool  # may have a label
    running_total: bool  # may carry a running total (followers now)
    linked: bool  # may come --from another entry
    link_source: bool  # another entry may come from it


TABLE = (
    # name, plural, export type, lasts, counts from, to, value, what, label, running total,
    # linked, link source
    Kind(ACTIVITY, "activities", ACTIVITY, True, 0, MAX_COUNT, None, True, False, False, False,
         True),
    Kind(REACH, "reach", OUTCOME, False, -MAX_COUNT, MAX_COUNT, None, False, True, True, False,
         False),
    Kind(REPLY, "replies", OUTCOME, False, 1, MAX_COUNT, None, False, True, False, True, True),
    Kind(LEAD, "leads", OUTCOME, False, 1, MAX_COUNT, None, False, True, False, True, True),
    Kind(WIN, "wins", OUTCOME, False, 1, MAX_COUNT, "optional", False, True, False, True, False),
    Kind(SPEND, "spend", SPEND, False, 1, 1, "required", True, True, False, False, False),
)  # fmt: skip
KINDS = {kind.name: kind for kind in TABLE}
NAMES = tuple(KINDS)
OUTCOME_KINDS = tuple(kind.name for kind in TABLE if kind.export_type == OUTCOME)
MONEY_KINDS = tuple(kind.name for kind in TABLE if kind.value is not None)
LINKED_KINDS = tuple(kind.name for kind in TABLE if kind.linked)
LINK_SOURCE_KINDS = tuple(kind.name for kind in TABLE if kind.link_source)
# Kinds that are their own export type (no `kind` column).
TYPE_KINDS = tuple(kind.name for kind in TABLE if kind.export_type == kind.name)


def article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def listed(words: tuple[str, ...] | list[str], last: str = "or") -> str:
    """`reach, lead or win`: kinds for a sentence."""
    return ", ".join(words[:-1]) + f" {last} {words[-1]}" if len(words) > 1 else words[0]


def plurals(names: tuple[str, ...], last: str = "and") -> str:
    """`wins and spend`: the kinds named in their plural."""
    return listed([KINDS[name].plural for name in names], last)


def having(rule: str) -> tuple[str, ...]:
    """The kinds for which a yes-or-no rule of the table (`lasts`, `what`…) holds."""
    return tuple(kind.name for kind in TABLE if getattr(kind, rule))


def export_type(kind: str) -> tuple[str, str | None]:
    """The (type, kind) columns an entry of this kind is exported with."""
    found = KINDS[kind]
    return found.export_type, None if found.export_type == kind else kind


def from_export(entry_type: str, kind: str) -> str:
    """The stored kind, from an export's type and kind columns (ValueError if there is none):
    activities have type "activity" and no kind, outcomes type "outcome" and their kind,
    spend type "spend" (and kind "spend" or none)."""
    name = kind or entry_type
    found = KINDS.get(name)
    if found is not None and found.export_type == entry_type:
        return name
    raise ValueError(f"type {entry_type!r} with kind {kind!r} is not an entry netlog knows")


def sql_list(names: tuple[str, ...]) -> str:
    """Kind names as an SQL list: `('activity', 'spend')` (the names are plain words)."""
    return "(" + ", ".join(f"'{name}'" for name in names) + ")"
