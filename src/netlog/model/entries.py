"""What an entry may be: the one home of netlog's entry rules.

Every path that writes an entry (add, outcome, spend, edit, the timer, import, merge, the demo)
builds an `Entry` from its own input and passes it through `check()`; the schema (migration
m003) enforces the same rules again, so that no other program can store what netlog would
refuse. Parsing text (durations, dates, amounts) belongs to dates.py and money.py; deciding
what a whole entry may hold belongs here.
"""

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from netlog.errors import InputError
from netlog.model.dates import FIRST_YEAR, LAST_YEAR, MAX_DURATION_MINUTES
from netlog.model.limits import MAX_COUNT, MAX_REACH_TOTAL, MAX_VALUE_MINOR
from netlog.model.text import clean_channel, clean_tags, clean_text

ACTIVITY = "activity"
SPEND = "spend"
OUTCOME_KINDS = ("reach", "lead", "win")
KINDS = (ACTIVITY, *OUTCOME_KINDS, SPEND)
# Kinds that carry an amount of money: what a win earned, what a spend cost.
MONEY_KINDS = ("win", SPEND)
# Kinds whose entries can come from another entry (`outcome --from ID`), and what they can
# come from: an activity, or an earlier lead.
LINKABLE_KINDS = ("lead", "win")
LINK_SOURCE_KINDS = (ACTIVITY, "lead")

# The stored form of a time (what to_storage writes).
STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", re.ASCII)


class EntryError(InputError):
    """An entry that breaks the rules: bad input, exit status 2."""


class Entry(NamedTuple):
    """One entry as netlog stores it: an activity (time spent), an outcome (reach, lead or
    win) or cash spent on a channel. Times are in stored form (UTC, to the second)."""

    channel: str
    kind: str
    occurred_at: str
    logged_at: str
    count: int = 1  # type: ignore[assignment]  # a field, shadowing tuple.count on purpose
    minutes: int | None = None
    what: str | None = None
    label: str | None = None
    value_minor: int | None = None
    currency: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    uuid: str | None = None
    reach_total: int | None = None


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _check_time(text: str, field: str) -> None:
    if not STORED_TIME.fullmatch(text):
        raise EntryError(f"{field} {text!r} is not a time in netlog's stored UTC form")
    if not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR:
        raise EntryError(f"{field} {text[:10]} is outside the years {FIRST_YEAR} to {LAST_YEAR}")


def check(entry: Entry, *, latest: str | None = None) -> Entry:
    """The entry with its text cleaned, or EntryError saying which rule it breaks.

    `latest` (stored form) refuses entries that happened after it: logging is for what has
    happened, and an import allows a little grace for another computer's clock.
    """
    kind = entry.kind
    if kind not in KINDS:
        raise EntryError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    _check_time(entry.occurred_at, "the time")
    _check_time(entry.logged_at, "the logging time")
    if latest is not None and entry.occurred_at > latest:
        raise EntryError(f"{entry.occurred_at} is in the future; log things once they happen")

    if kind == ACTIVITY:
        if entry.minutes is None or not 1 <= entry.minutes <= MAX_DURATION_MINUTES:
            raise EntryError(f"an activity lasts from 1 minute to {MAX_DURATION_MINUTES // 60} h")
    elif entry.minutes is not None:
        raise EntryError(f"{_article(kind)} has no duration (only activities do)")

    low = -MAX_COUNT if kind == "reach" else 0 if kind == ACTIVITY else 1
    if kind == SPEND and entry.count != 1:
        raise EntryError("a spend has no count: log each payment as its own entry")
    if not low <= entry.count <= MAX_COUNT:
        raise EntryError(f"{_article(kind)}'s count must be from {low} to {MAX_COUNT:,}")

    if entry.reach_total is not None and (
        kind != "reach" or not 0 <= entry.reach_total <= MAX_REACH_TOTAL
    ):
        raise EntryError(f"a running total is for reach only, from 0 to {MAX_REACH_TOTAL:,}")

    if kind in MONEY_KINDS:
        if entry.value_minor is None and kind == SPEND:
            raise EntryError("a spend needs an amount")
        if entry.value_minor is not None and not (
            (1 if kind == SPEND else 0) <= entry.value_minor <= MAX_VALUE_MINOR
        ):
            raise EntryError(f"the amount of {_article(kind)} is out of range")
    elif entry.value_minor is not None:
        raise EntryError(f"{_article(kind)} has no value (only wins and spend do)")
    if entry.value_minor is None and entry.currency is not None:
        raise EntryError("a currency needs an amount")
    if entry.currency is not None:
        from netlog.model.money import currency_code

        currency_code(entry.currency)

    if entry.what is not None and kind not in (ACTIVITY, SPEND):
        raise EntryError(f"{_article(kind)} has no description; use a label")
    if entry.label is not None and kind == ACTIVITY:
        raise EntryError("an activity has no label; describe it with what you did")

    return entry._replace(
        channel=clean_channel(entry.channel),
        what=clean_text(entry.what, "description"),
        label=clean_text(entry.label, "label"),
        note=clean_text(entry.note, "note"),
        tags=tuple(clean_tags(list(entry.tags))),
    )


# --- corrections -----------------------------------------------------------------------


class Edit(NamedTuple):
    """What `netlog edit` was asked to change; None leaves a field as it is. Text fields
    given as "" are cleared."""

    channel: str | None = None
    kind: str | None = None
    occurred_at: str | None = None
    minutes: int | None = None
    count: int | None = None  # type: ignore[assignment]  # shadows tuple.count on purpose
    what: str | None = None
    label: str | None = None
    value_minor: int | None = None
    currency: str | None = None
    note: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return all(value in (None, ()) for value in self)


def apply_edit(before: Entry, edit: Edit) -> Entry:
    """The entry after the edit, checked; EntryError if the edit does not apply to it."""
    kind = edit.kind if edit.kind is not None else before.kind
    if (kind == before.kind) is False and ACTIVITY in (kind, before.kind):
        raise EntryError(f"{_article(before.kind)} cannot become {_article(kind)}")
    if SPEND in (kind, before.kind) and kind != before.kind:
        raise EntryError(f"{_article(before.kind)} cannot become {_article(kind)}")
    changes: dict[str, object] = {"kind": kind}
    for field in ("channel", "occurred_at", "minutes", "count", "what", "label", "note"):
        value = getattr(edit, field)
        if value is not None:
            changes[field] = value or None  # "" clears a text field
    if kind not in MONEY_KINDS:
        if edit.value_minor is not None:
            raise EntryError(f"only wins and spend have a value, and this is {_article(kind)}")
        changes.update(value_minor=None, currency=None)
    elif edit.value_minor is not None:
        changes.update(value_minor=edit.value_minor, currency=edit.currency)
    if kind != "reach":
        changes["reach_total"] = None
    if edit.add_tags or edit.remove_tags:
        removed = set(clean_tags(list(edit.remove_tags)))
        kept = clean_tags([*before.tags, *edit.add_tags])
        changes["tags"] = tuple(tag for tag in kept if tag not in removed)
    return check(before._replace(**changes))  # type: ignore[arg-type]


# --- money: one currency per file --------------------------------------------------------


def settle_currency(file_currency: str | None, written: str | None, amount_text: str) -> str | None:
    """The currency an amount is in: the one written with it, which must be the file's, or
    else the file's own (None while the file has none yet). Everything netlog adds up is in
    one currency, so an amount in another is refused."""
    if written is None or file_currency is None or written == file_currency:
        return written or file_currency
    raise EntryError(
        f"{amount_text!r} is in {written}, but this file's currency is {file_currency}: write "
        f"amounts in {file_currency} (netlog never converts; `netlog config currency` changes "
        "it only while no amount is logged)"
    )


def currency_conflict(counts: Mapping[str, int], currency: str | None) -> str | None:
    """Why amounts stored in these currencies (code → number of entries) cannot be added up
    in `currency`, or None when they can."""
    others = {code: n for code, n in counts.items() if code != currency}
    if not others or (currency is None and len(counts) == 1):
        return None
    listed = ", ".join(f"{n:,} in {code}" for code, n in sorted(counts.items()))
    return (
        f"this file holds amounts in more than one currency ({listed}); netlog will not add "
        "them up: correct them with `netlog edit ID --value AMOUNT` (see `netlog check`)"
    )


def tags_from(stored: str | Iterable[str] | None) -> tuple[str, ...]:
    """Tags as a tuple, from their stored JSON text or a sequence."""
    if not stored:
        return ()
    if isinstance(stored, str):
        import json

        return tuple(json.loads(stored))
    return tuple(stored)


def amount(text: str, file_currency: str | None) -> tuple[int, str | None]:
    """An amount typed by the user (`850`, `£850`, `850 EUR`) in minor units, and its
    currency: one currency per file, with the decimals ISO 4217 gives it."""
    from netlog.model.money import parse_money, symbol_for, to_minor

    value, written = parse_money(text, currency=file_currency)
    bare_dollar = written == "USD" and "USD" not in text.upper()
    if bare_dollar and file_currency != "USD" and symbol_for(file_currency).endswith("$"):
        written = file_currency  # a bare `$` is the file's own dollar: A$, C$…
    currency = settle_currency(file_currency, written, text)
    return to_minor(value, currency), currency


def check_link(
    entry_kind: str, entry_at: str, source_id: int, source_kind: str, source_at: str
) -> None:
    """An outcome may come from an activity or an earlier lead (`outcome ... --from ID`)."""
    if entry_kind not in LINKABLE_KINDS:
        raise EntryError(f"only leads and wins come --from an entry, not {_article(entry_kind)}")
    if source_kind not in LINK_SOURCE_KINDS:
        raise EntryError(
            f"#{source_id} is {_article(source_kind)}: a lead or win comes from an activity or "
            "a lead"
        )
    if source_at > entry_at:
        raise EntryError(f"#{source_id} happened after this {entry_kind}: it cannot be its source")


def reach_change(total: int, previous_total: int | None, *, baseline: bool) -> int:
    """New reach from a running total (followers now): the difference from the previous total
    on the channel; the first total is all new unless it is a baseline."""
    if previous_total is not None:
        return total - previous_total
    return 0 if baseline else total
