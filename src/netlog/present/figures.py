"""Every figure netlog shows or writes, formatted here and nowhere else.

A figure has a kind (hours, money, a rate, a count…) and is shown in one of two ways: as a
machine value for CSV and JSON (`value`: a Decimal to a fixed number of places, an int, or
None), or as text for people in a table, an HTML page or Markdown (`text`). Both round half
up (`half_up`), so 1h15m is 1.25 h in CSV and 1.3 h in a table, in every view. Money has its
currency's decimal places (JPY 0, GBP 2, BHD 3); a table shows it to the whole unit.

The column specs of the summary and the funnel live here too: each column's machine key, its
header, its kind and its priority. A table too wide for the terminal leaves out whole
columns, highest priority number first (ties: the rightmost first); priority 0 is never left
out. A leaf module: it imports only the money rule, so reports may use it for sentences.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import overload

from netlog.errors import InputError
from netlog.model.money import format_money, from_minor, minor_digits

NONE = "–"  # an undefined figure (null in JSON, an empty cell in CSV)


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # a whole number: 1,200
    HOURS = "hours"  # 2 places in CSV/JSON, 1 in a table, 2 on the report page
    MONEY = "money"  # the currency's places; whole units in a table
    RATIO = "ratio"  # items per lead, hours per win: 2 places, 1 in a table
    RATE = "rate"  # a share in 0–1: 4 places; a table shows a percentage
    INTERVAL = "interval"  # a rate with its 95% interval: `4.5% (1.3–15%)`
    ROI = "roi"  # net ÷ cost: 4 places; a table shows a whole percentage
    DAYS = "days"  # 1 place
    DURATION = "duration"  # `1h 15m`, as typed (the log)


# Decimal places of the machine value (money: the currency's).
_PLACES = {
    Kind.HOURS: 2,
    Kind.RATIO: 2,
    Kind.RATE: 4,
    Kind.INTERVAL: 4,
    Kind.ROI: 4,
    Kind.DAYS: 1,
}
_AS_IS = frozenset((Kind.TEXT, Kind.COUNT))
_MONEY = Kind.MONEY
# Decimal places shown to people (the report page shows the machine places instead).
_SHOWN_PLACES = {Kind.HOURS: 1, Kind.RATIO: 1, Kind.DAYS: 1}


_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(8))  # 1, 0.1, 0.01, …


def half_up(value: Decimal | float | int, places: int) -> Decimal:
    """The one rounding rule: ties away from zero (1.25 → 1.3, 0.125 → 0.13). A float is
    taken at its shortest repr, the digits Python prints for it (0.125, not 0.1249…)."""
    if type(value) is not Decimal:  # export calls this twice an entry: Decimals go straight
        value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return value.quantize(_QUANTA[places], ROUND_HALF_UP)


def value(kind: Kind, figure: object, currency: str | None = None) -> object:
    """The machine value for CSV and JSON: None stays None, counts and text as they are,
    money to the currency's places, other figures to their kind's places."""
    # Module constants: looking a member up on an Enum class costs more than the rounding.
    if figure is None or kind in _AS_IS:
        return figure
    places = minor_digits(currency) if kind is _MONEY else _PLACES[kind]
    return half_up(figure, places)  # type: ignore[arg-type]


def text(kind: Kind, figure: object, currency: str | None = None, *, exact: bool = False) -> str:
    """The figure for people: `1,234.5` hours, `£2,051` (exact: `£2,050.50`), `2,312%` ROI,
    `4.5%` for a rate. `exact` gives the machine value's digits (the report page)."""
    if figure is None:
        return NONE
    if kind is Kind.TEXT:
        return str(figure)
    if kind is Kind.COUNT:
        return f"{figure:,}"
    if kind is Kind.MONEY:
        return money_text(figure, currency, whole=not exact)  # type: ignore[arg-type]
    if kind is Kind.ROI:
        return percent_text(figure, places=2 if exact else 0)  # type: ignore[arg-type]
    if kind in (Kind.RATE, Kind.INTERVAL):
        return rate_text(figure)  # type: ignore[arg-type]
    places = _PLACES[kind] if exact else _SHOWN_PLACES[kind]
    return f"{half_up(figure, places):,}"  # type: ignore[arg-type]


def hours_text(hours: Decimal | float) -> str:
    """Hours as a table shows them: `1.3` for 1h15m, `1,234.5`."""
    return text(Kind.HOURS, hours)


def hours_phrase(hours: Decimal | float) -> str:
    """Hours in a sentence: `18.4 h`, and `3 h` rather than `3.0 h`."""
    return f"{hours_text(hours).removesuffix('.0')} h"


def money_text(amount: Decimal, currency: str | None, *, whole: bool = False) -> str:
    """`£2,050.50`; whole: `£2,051` (half up to the unit, no decimals shown)."""
    if whole:
        rounded = half_up(amount, 0)
        return format_money(rounded, currency).rsplit(".", 1)[0]
    return format_money(amount, currency)


def money_phrase(amount: Decimal, currency: str | None) -> str:
    """Money in a sentence: `£418` for a whole amount, `£27.50` otherwise."""
    exact = half_up(amount, minor_digits(currency))
    return money_text(exact, currency, whole=exact == exact.to_integral_value())


def percent_text(share: Decimal | float, places: int = 0) -> str:
    """A share of 1 as a percentage: `2,312%`, `-100%`, (places=2) `44.02%`."""
    return f"{half_up(_times_100(share), places):,}%"


def _times_100(share: Decimal | float | int) -> Decimal:
    number = Decimal(repr(share)) if isinstance(share, float) else Decimal(share)
    return number.scaleb(2)


def rate_text(rate: Decimal | float | None) -> str:
    """A rate as a percentage: one decimal below 10%, where it still tells something
    (`4.7%`, `0.8%`), whole from 10% (`15%`), `0%` for none."""
    if rate is None:
        return NONE
    percent = _times_100(rate)
    shown = half_up(percent, 1)
    if percent == 0 or shown >= 10:
        return f"{half_up(percent, 0):,}%"
    return f"{shown}%"


def interval_text(rate: object, low: object, high: object) -> str:
    """`4.7% (1.3–15%)`: a rate and its 95% interval; the rate alone without one."""
    if rate is None:
        return NONE
    if low is None or high is None:
        return rate_text(rate)  # type: ignore[arg-type]
    return f"{rate_text(rate)} ({rate_text(low).removesuffix('%')}–{rate_text(high)})"  # type: ignore[arg-type]


def share_phrase(part: Decimal, whole: Decimal) -> str:
    """`4%` of a whole, `under 1%` for a sliver, `0%` of nothing."""
    if not whole:
        return "0%"
    share = part / whole
    if 0 < share < Decimal("0.01"):
        return "under 1%"
    return percent_text(share)


def confidence_text(confidence: float) -> str:
    """`95%` for 0.95."""
    return f"{_times_100(confidence).normalize():f}%"


# --- columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the CSV column and JSON key
    header: str  # the table's heading
    kind: Kind
    priority: int  # 0: always shown; otherwise left out on a narrow terminal, highest first

    @property
    def name(self) -> str:
        """What `--columns` takes besides the key: the header in lower case (`items`)."""
        return self.header.lower()


# The summary's columns in table order. A table adds Period first with --by.
SUMMARY = (
    Column("channel", "Channel", Kind.TEXT, 0),
    Column("hours", "Hours", Kind.HOURS, 1),
    Column("sessions", "Sessions", Kind.COUNT, 9),
    Column("activities", "Items", Kind.COUNT, 8),
    Column("reach", "Reach", Kind.COUNT, 5),
    Column("replies", "Replies", Kind.COUNT, 4),
    Column("leads", "Leads", Kind.COUNT, 3),
    Column("wins", "Wins", Kind.COUNT, 1),
    Column("revenue", "Revenue", Kind.MONEY, 2),
    Column("revenue_per_hour", "Per hour", Kind.MONEY, 6),
    Column("hours_per_win", "Hours/win", Kind.RATIO, 7),
    Column("spend", "Spend", Kind.MONEY, 4),
    Column("cost", "Cost", Kind.MONEY, 4),
    Column("total_cost", "Total cost", Kind.MONEY, 4),
    Column("net", "Net", Kind.MONEY, 2),
    Column("roi", "ROI", Kind.ROI, 1),
)
PERIOD = Column("period", "Period", Kind.TEXT, 0)
# The CSV and JSON order: spend and total_cost came in 0.2, then replies, after the
# others, so that programs reading columns by position still work.
SUMMARY_COLUMNS = (
    "channel", "hours", "sessions", "activities", "reach", "leads", "wins", "revenue",
    "revenue_per_hour", "hours_per_win", "cost", "net", "roi", "spend", "total_cost",
    "replies",
)  # fmt: skip
# Shown in a table by default (total_cost is for CSV and JSON; --columns can ask for it);
# a table leaves out those its figures do not fill (Replies without replies, Cost without
# a rate…).
SUMMARY_TABLE = tuple(c.key for c in SUMMARY if c.key != "total_cost")

# The log's table. ID, When, Channel and Entry always show, the others when a row fills
# them; too wide, the count folds into the entry (`bids ×3`, priority 1), then notes and tags
# are left out (2).
LOG = (
    Column("id", "ID", Kind.COUNT, 0),
    Column("when", "When", Kind.TEXT, 0),
    Column("channel", "Channel", Kind.TEXT, 0),
    Column("entry", "Entry", Kind.TEXT, 0),
    Column("time", "Time", Kind.DURATION, 0),
    Column("count", "Count", Kind.COUNT, 1),
    Column("value", "Value", Kind.MONEY, 0),
    Column("note", "Note", Kind.TEXT, 2),
    Column("tags", "Tags", Kind.TEXT, 2),
    # Only when the file holds entries from several devices or people (netlog.store.who).
    Column("device", "Device", Kind.TEXT, 1),
    Column("person", "Person", Kind.TEXT, 1),
)
LOG_ALWAYS = ("id", "when", "channel", "entry")

# The funnel's columns in table order; `funnel` is the `9 items → 0 leads → 0 wins` line, and
# an interval column takes its ends from KEY_low and KEY_high.
FUNNEL = (
    Column("channel", "Channel", Kind.TEXT, 0),
    Column("funnel", "Funnel", Kind.TEXT, 1),
    Column("items", "Items", Kind.COUNT, 5),
    Column("replies", "Replies", Kind.COUNT, 5),
    Column("leads", "Leads", Kind.COUNT, 5),
    Column("wins", "Wins", Kind.COUNT, 5),
    Column("win_rate", "Win rate (95%)", Kind.INTERVAL, 1),
    Column("reply_rate", "Reply rate (95%)", Kind.INTERVAL, 2),
    Column("lead_rate", "Lead rate (95%)", Kind.INTERVAL, 2),
    Column("lead_to_win_rate", "Lead→win (95%)", Kind.INTERVAL, 5),
    Column("items_per_lead", "Items/lead", Kind.RATIO, 4),
    Column("items_per_win", "Items/win", Kind.RATIO, 4),
    Column("leads_per_win", "Leads/win", Kind.RATIO, 5),
    Column("hours", "Hours", Kind.HOURS, 5),
    Column("hours_per_reply", "Hours/reply", Kind.RATIO, 3),
    Column("hours_per_lead", "Hours/lead", Kind.RATIO, 2),
    Column("hours_per_win", "Hours/win", Kind.RATIO, 1),
    Column("days_to_first_lead", "Days to 1st lead", Kind.DAYS, 3),
    Column("days_to_first_win", "Days to 1st win", Kind.DAYS, 3),
    Column("days_lead_to_win", "Days lead→win", Kind.DAYS, 4),
)
FUNNEL_TABLE = (
    "channel", "funnel", "win_rate", "lead_rate", "items_per_lead", "items_per_win",
    "hours_per_lead", "hours_per_win", "days_to_first_lead", "days_to_first_win",
    "days_lead_to_win",
)  # fmt: skip
FUNNEL_COLUMNS = (
    "channel", "items", "leads", "wins", "items_per_lead", "items_per_win", "leads_per_win",
    "win_rate", "win_rate_low", "win_rate_high", "days_to_first_lead", "days_to_first_win",
    "hours_per_lead", "hours_per_win",
    # Extras after the fixed columns.
    "hours", "lead_rate", "lead_rate_low", "lead_rate_high", "lead_to_win_rate",
    "lead_to_win_low", "lead_to_win_high", "days_lead_to_win",
    "replies", "reply_rate", "reply_rate_low", "reply_rate_high", "hours_per_reply",
)  # fmt: skip
# The table's reply columns, shown by default in a file that has replies (funnel_table_keys).
FUNNEL_REPLY_TABLE = ("reply_rate", "hours_per_reply")
_FUNNEL_KINDS = {c.key: c.kind for c in FUNNEL}


def funnel_kind(key: str) -> Kind:
    """The kind of a funnel CSV column: `win_rate_low` is a rate like `win_rate`."""
    if key.endswith(("_low", "_high")) or key == "lead_to_win_rate":
        return Kind.RATE
    kind = _FUNNEL_KINDS[key]
    return Kind.RATE if kind is Kind.INTERVAL else kind


def interval_keys(key: str) -> tuple[str, str]:
    """The CSV columns of a rate's interval: win_rate → win_rate_low, win_rate_high;
    lead_to_win_rate → lead_to_win_low, lead_to_win_high."""
    stem = key if f"{key}_low" in FUNNEL_COLUMNS else key.removesuffix("_rate")
    return f"{stem}_low", f"{stem}_high"


def funnel_table_keys(with_replies: bool) -> tuple[str, ...]:
    """The funnel table's default columns: the reply rate and hours per reply (each before
    its lead column) once there are replies."""
    if not with_replies:
        return FUNNEL_TABLE
    keys = list(FUNNEL_TABLE)
    keys.insert(keys.index("lead_rate"), "reply_rate")
    keys.insert(keys.index("hours_per_lead"), "hours_per_reply")
    return tuple(keys)


# The credit rules (netlog.store.credit.RULES) in words.
CREDIT_TEXT = {
    "logged": "replies, leads and wins counted where they were logged",
    "first": "replies, leads and wins credited to the first activity they came from",
    "last": "replies, leads and wins credited to the last activity they came from",
    "linear": "replies, leads and wins split across the activities they came from",
}


def credit_title(rule: str) -> str | None:
    """What a table's title says of the credit rule; None for `logged`, today's rule, which
    leaves the title as it was."""
    return None if rule == "logged" else CREDIT_TEXT[rule]


@overload
def with_credit(title: str, rule: str) -> str: ...
@overload
def with_credit(title: None, rule: str) -> str | None: ...
def with_credit(title: str | None, rule: str) -> str | None:
    """A table's title, with the credit rule when it is not `logged`."""
    credit = credit_title(rule)
    if credit is None:
        return title
    return f"{title}; {credit}" if title else credit[0].upper() + credit[1:]


def by_key(columns: Sequence[Column]) -> dict[str, Column]:
    return {c.key: c for c in columns}


def chosen_columns(text: str, columns: Sequence[Column], fixed: Sequence[str]) -> list[str]:
    """`--columns hours,leads,wins,roi` → the keys chosen, after the `fixed` ones (the
    channel), in the order written; a key or a header (`items`, `per hour`) names a column.
    InputError for a name that is none of them."""
    names = {c.key: c.key for c in columns} | {c.name: c.key for c in columns}
    chosen: list[str] = list(fixed)
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in names:
            known = ", ".join(c.key for c in columns if c.key not in fixed)
            raise InputError(f"--columns: no column {part.strip()!r}; choose from {known}")
        if names[name] not in chosen:
            chosen.append(names[name])
    if len(chosen) == len(fixed):
        raise InputError("--columns needs at least one column, e.g. --columns hours,wins")
    return chosen


def left_out_note(headers: Sequence[str], width: int, *, choosable: bool = True) -> str:
    """The one line a table prints on stderr when it leaves columns out to fit; `choosable`
    when the command has --columns."""
    ways = "--columns, a wider terminal or -f csv" if choosable else "a wider terminal or -f csv"
    return f"Left out to fit {width} columns: {', '.join(headers)}; see them with {ways}."


# The channels a table shows (laying out 10,000 rows takes Rich half a minute); CSV and JSON
# have every one.
MAX_TABLE_CHANNELS = 50


def channels_left_out_note(
    shown: int,
    total: int,
    order: str,
    *,
    totalled: bool,
    see_all: str = "-f csv",
    choosable: bool = True,
) -> str:
    """The one line a table prints on stderr when it shows only its first channels (and the
    report under its header): `see_all` lists them all, and `choosable` when the command
    has --channel."""
    counted = " (the Total row counts them all)" if totalled else ""
    pick = ", or pick some with --channel" if choosable else ""
    return (
        f"Showing the top {shown} of {total:,} channels by {order}{counted}; "
        f"see them all with {see_all}{pick}."
    )


def metric_kind(metric: str) -> Kind:
    """The kind of a `--metric` of trend and `summary --wide`."""
    if metric == "hours":
        return Kind.HOURS
    return Kind.COUNT if metric in ("items", "replies", "leads", "wins") else Kind.MONEY


def summary_kinds(keys: Iterable[str]) -> dict[str, Kind]:
    columns = by_key((PERIOD, *SUMMARY))
    return {key: columns[key].kind for key in keys}


# Appended to `summary -f csv/json` rows: a channel's verdict (netlog.reports.verdicts).
VERDICT_COLUMNS = ("verdict", "p_behind", "hours_to_decide")


def verdict_values(
    verdict: str | None, p_behind: float | None, hours_to_decide: float | None
) -> dict[str, object]:
    """The verdict's machine values: p_behind to 4 places, hours to 1; None stays None."""
    return {
        "verdict": verdict,
        "p_behind": half_up(p_behind, 4) if p_behind is not None else None,
        "hours_to_decide": half_up(hours_to_decide, 1) if hours_to_decide is not None else None,
    }


def period_label(label: str, partial: bool) -> str:
    """A period's label in tables and pages: `2010-11*` when the period is not whole (it
    holds today, a --since/--until cut falls inside it, or it began before the first
    entry). CSV headers and JSON keys keep the plain label."""
    return f"{label}*" if partial else label


def per_phrase(minutes: float) -> str:
    """Time in a rate's phrase: `20 min` under an hour, else `1.4 h`."""
    return f"{half_up(minutes, 0)} min" if minutes < 60 else hours_phrase(minutes / 60)


def minor_money_phrase(minor: float, currency: str | None) -> str:
    """money_phrase of an amount in minor units (a float from arithmetic on them)."""
    return money_phrase(from_minor(int(half_up(minor, 0)), currency), currency)


def likely_text(probability: float) -> str:
    """A probability as a whole percentage rounded down, so `99%` never claims more than the
    figure: 0.9948 is 99%, 0.9999 is 99%."""
    return f"{math.floor(probability * 100 + 1e-9)}%"


def significant_text(value: float) -> str:
    """A small rate to two significant figures: `0.3`, `0.025`, `1.2`."""
    return f"{value:.2g}"
