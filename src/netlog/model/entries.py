"""What an entry may be: the one home of netlog's entry rules.

Every path that writes an entry (add, outcome, spend, edit, the timer, import, merge, the demo)
builds an `Entry` from its own input and passes it through `check()`; the schema (migration
m003) enforces the same rules again, so that no other program can store what netlog would
refuse. Parsing text (durations, dates, amounts) belongs to dates.py and money.py; deciding
what a whole entry may hold belongs here.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from netlog.errors import InputError
from netlog.model.dates import FIRST_YEAR, LAST_YEAR
from netlog.model.durations import MAX_DURATION_MINUTES
from netlog.model.kinds import (
    KINDS,
    LINK_SOURCE_KINDS,
    LINKED_KINDS,
    MONEY_KINDS,
    NAMES,
    REACH,
    WIN,
    Kind,
    article,
    having,
    listed,
    plurals,
)
from netlog.model.limits import MAX_REACH_TOTAL, MAX_VALUE_MINOR
from netlog.model.text import clean_channel, clean_tags, clean_text

# More wins than this in one entry, with no value, looks like the money typed as the count
# (`outcome email win 1200`): asked about, or refused in a pipe without --yes.
MAX_PLAIN_WIN_COUNT = 10

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
    # Who logged it (netlog.store.who): the device's sync id and the person there; with no
    # device, this device and its `config name` when stored.
    device: str | None = None
    person: str | None = None


def _check_time(text: str, field: str) -> None:
    if not STORED_TIME.fullmatch(text):
        raise EntryError(f"{field} {text!r} is not a time in netlog's stored UTC form")
    if not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR:
        raise EntryError(f"{field} {text[:10]} is outside the years {FIRST_YEAR} to {LAST_YEAR}")


def _rules(kind: str) -> Kind:
    rules = KINDS.get(kind)
    if rules is None:
        raise EntryError(f"kind {kind!r} is not one of {', '.join(NAMES)}")
    return rules


def check_values(
    kind: str,
    minutes: int | None,
    count: int,
    reach_total: int | None,
    value_minor: int | None,
    currency: str | None,
    *,
    has_what: bool,
    has_label: bool,
) -> None:
    """check()'s rules on an entry's kind, numbers, currency and which texts it has: the rules
    that look at more than one field. EntryError saying which rule is broken."""
    rules = _rules(kind)
    if rules.lasts:
        # No minutes: items counted from a channel's export, which says what was done, not
        # for how long (netlog import --from linkedin|x|mbox).
        if minutes is not None and not 1 <= minutes <= MAX_DURATION_MINUTES:
            raise EntryError(
                f"{article(kind)} lasts from 1 minute to {MAX_DURATION_MINUTES // 60} h"
            )
    elif minutes is not None:
        raise EntryError(f"{article(kind)} has no duration (only {plurals(having('lasts'))} do)")

    low, high = rules.min_count, rules.max_count
    if low == high and count != low:
        raise EntryError(f"{article(kind)} has no count: log each payment as its own entry")
    if not low <= count <= high:
        raise EntryError(f"{article(kind)}'s count must be from {low} to {high:,}")

    if reach_total is not None and (
        not rules.running_total or not 0 <= reach_total <= MAX_REACH_TOTAL
    ):
        raise EntryError(
            f"a running total is for {plurals(having('running_total'))} only, from 0 to "
            f"{MAX_REACH_TOTAL:,}"
        )

    if rules.value is not None:
        least = 1 if rules.value == "required" else 0
        if value_minor is None and least:
            raise EntryError(f"{article(kind)} needs an amount")
        if value_minor is not None and not least <= value_minor <= MAX_VALUE_MINOR:
            raise EntryError(f"the amount of {article(kind)} is out of range")
    elif value_minor is not None:
        raise EntryError(f"{article(kind)} has no value (only {plurals(MONEY_KINDS)} do)")
    if value_minor is None and currency is not None:
        raise EntryError("a currency needs an amount")
    if currency is not None:
        from netlog.model.money import currency_code

        currency_code(currency)

    if has_what and not rules.what:
        raise EntryError(f"{article(kind)} has no description; use a label")
    if has_label and not rules.label:
        raise EntryError(f"{article(kind)} has no label; describe it with what you did")


def check(entry: Entry, *, latest: str | None = None) -> Entry:
    """The entry with its text cleaned, or EntryError saying which rule it breaks.

    `latest` (stored form) refuses entries that happened after it: logging is for what has
    happened, and an import allows a little grace for another computer's clock.
    """
    kind = entry.kind
    _rules(kind)
    _check_time(entry.occurred_at, "the time")
    _check_time(entry.logged_at, "the logging time")
    if latest is not None and entry.occurred_at > latest:
        raise EntryError(f"{entry.occurred_at} is in the future; log things once they happen")

    check_values(
        kind, entry.minutes, entry.count, entry.reach_total, entry.value_minor, entry.currency,
        has_what=entry.what is not None, has_label=entry.label is not None,
    )  # fmt: skip

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
    after_rules = KINDS.get(kind, KINDS[before.kind])  # an unknown kind: check() says so
    if after_rules.export_type != KINDS[before.kind].export_type:  # only outcomes interchange
        raise EntryError(f"{article(before.kind)} cannot become {article(kind)}")
    if edit.count is not None and before.reach_total is not None and kind == REACH:
        raise EntryError(
            "this reach is a running total: its count is the change from the total before it; "
            "to change it, remove it and log the right total with `netlog outcome CHANNEL reach"
            " --total N --at WHEN`"
        )
    changes: dict[str, object] = {"kind": kind}
    for field in ("channel", "occurred_at", "minutes", "count", "what", "label", "note"):
        value = getattr(edit, field)
        if value is not None:
            changes[field] = None if value == "" else value  # "" clears a text field
    if kind not in MONEY_KINDS:
        if edit.value_minor is not None:
            raise EntryError(
                f"only {plurals(MONEY_KINDS)} have a value, and this is {article(kind)}"
            )
        changes.update(value_minor=None, currency=None)
    elif edit.value_minor is not None:
        changes.update(value_minor=edit.value_minor, currency=edit.currency)
    if not after_rules.running_total:
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

        tags = json.loads(stored)
    else:
        tags = list(stored)
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValueError(f"tags {stored!r} are not a list of text")
    return tuple(tags)


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


def count_looks_like_value(kind: str, count: int, value_text: str | None) -> bool:
    """Whether a win's count was more likely meant as its value: over MAX_PLAIN_WIN_COUNT
    wins at once, and no --value given."""
    return kind == WIN and count > MAX_PLAIN_WIN_COUNT and value_text is None


def check_link(
    entry_kind: str, entry_at: str, source_id: int, source_kind: str, source_at: str
) -> None:
    """An outcome may come from an activity or an earlier lead (`outcome ... --from ID`)."""
    if entry_kind not in LINKED_KINDS:
        raise EntryError(
            f"only {plurals(LINKED_KINDS)} come --from an entry, not {article(entry_kind)}"
        )
    if source_kind not in LINK_SOURCE_KINDS:
        outcome = article(listed(LINKED_KINDS))
        sources = listed([article(name) for name in LINK_SOURCE_KINDS])
        raise EntryError(f"#{source_id} is {article(source_kind)}: {outcome} comes from {sources}")
    if source_at > entry_at:
        raise EntryError(f"#{source_id} happened after this {entry_kind}: it cannot be its source")


def reach_change(total: int, previous_total: int | None, *, baseline: bool) -> int:
    """New reach from a running total (followers now): the difference from the previous total
    on the channel; the first total is all new unless it is a baseline."""
    if previous_total is not None:
        return total - previous_total
    return 0 if baseline else total


class RunningTotal(NamedTuple):
    """A reach entry logged as a running total, as stored: the change is its count."""

    id: int
    total: int
    change: int


def starts_from_baseline(totals: Sequence[RunningTotal]) -> bool:
    """Whether a channel's totals (in time order) start from a baseline: the first one was
    there before netlog, so it added nothing."""
    return bool(totals) and totals[0].change == 0 and totals[0].total != 0


def settled_changes(totals: Sequence[RunningTotal], *, baseline: bool) -> list[tuple[int, int]]:
    """(id, change) for each total, in time order, whose stored change is not the difference
    from the total before it (or, for the first, all new unless `baseline`): so the reach
    they add up to is always the latest total minus the baseline, whatever order they were
    logged, moved or removed in."""
    settled = []
    previous = None
    for entry in totals:
        change = reach_change(entry.total, previous, baseline=baseline)
        if change != entry.change:
            settled.append((entry.id, change))
        previous = entry.total
    return settled
