"""The funnel per channel behind `netlog funnel`, and the item words of the verdicts, from
the rows netlog.store.queries sums."""

import re
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netlog.reports.funnel import FunnelRow
from netlog.store import queries

if TYPE_CHECKING:
    from netlog.store.who import Who

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
    words = {}
    found = queries.activity_descriptions(conn, channels, start, end, latest=ITEM_WORD_SESSIONS)
    for name, counts in found.items():
        all_items = sum(items for _, items in counts)
        top = counts[0] if counts else None
        words[name] = item_word(top[0]) if top and top[1] * 2 > all_items else ITEMS
    return words


@dataclass(frozen=True)
class ChannelFunnel:
    """A channel's funnel figures, its cash spend (minor units) and its item word."""

    row: FunnelRow
    spend_minor: int
    word: str


def funnel(
    conn: sqlite3.Connection,
    start: str | None = None,
    end: str | None = None,
    channel_ids: Sequence[int] | None = None,
    *,
    credit: str = "logged",
    who: "Who | None" = None,
    only: Collection[str] | None = None,
    sums: Sequence[Mapping[str, Any]] | None = None,
) -> list[ChannelFunnel]:
    """One funnel per channel with activity or outcomes in [start, end), most hours first
    (of the entries `who` logged, when given; of the channels named in `only`, when given:
    their item words alone are looked up). Channels with only reach or spend are left out:
    they have no funnel. `sums`: the channels' sums when the caller has them
    (queries.funnel_rows)."""
    if sums is not None and only is not None:
        sums = [channel for channel in sums if channel["channel"] in only]
    rows = queries.funnel_rows(conn, start, end, channel_ids, credit=credit, who=who, sums=sums)
    if only is not None:
        rows = [row for row in rows if row["channel"] in only]
    words = item_words(conn, [row["channel"] for row in rows], start, end)
    return [
        ChannelFunnel(
            FunnelRow(
                channel=row["channel"],
                items=row["items"] or 0,
                replies=row["replies"] or 0,
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
