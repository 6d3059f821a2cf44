"""The funnel per channel: items (bids, messages, posts) → replies → leads → wins, as ratios,
rates with Wilson intervals, and plain sentences. Pure: sums in (the SQL gives them), figures
out."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from netlog.model.money import from_minor
from netlog.model.stats import (
    MAX_WIN_RATE_BOUND,
    MIN_IDLE_HOURS,
    enough_evidence,
    one_in,
    rate_with_interval,
)
from netlog.present.figures import confidence_text, hours_phrase, money_phrase


def _ratio(numerator: int, denominator: int, per: int = 1) -> Decimal | None:
    """numerator per denominator (divided by `per`), exactly as a Decimal so that a tie
    rounds as written; None without a denominator, 0 with nothing on top (0 h for 2 wins)."""
    return Decimal(numerator) / (denominator * per) if denominator > 0 else None


@dataclass(frozen=True)
class FunnelRow:
    """One channel's funnel sums over a period. Rates are per item (wins per bid, say), with
    95% Wilson intervals; every figure is None where its denominator is zero, and an interval
    is None where the numerator exceeds it (wins logged without the bids behind them)."""

    channel: str
    items: int = 0
    replies: int = 0
    leads: int = 0
    wins: int = 0
    minutes: int = 0
    days_to_first_lead: float | None = None
    days_to_first_win: float | None = None
    median_days_lead_to_win: float | None = None

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60

    @property
    def items_per_lead(self) -> Decimal | None:
        return _ratio(self.items, self.leads)

    @property
    def items_per_win(self) -> Decimal | None:
        return _ratio(self.items, self.wins)

    @property
    def leads_per_win(self) -> Decimal | None:
        return _ratio(self.leads, self.wins)

    @property
    def hours_per_lead(self) -> Decimal | None:
        return _ratio(self.minutes, self.leads, per=60)

    @property
    def hours_per_win(self) -> Decimal | None:
        return _ratio(self.minutes, self.wins, per=60)

    @property
    def hours_per_reply(self) -> Decimal | None:
        return _ratio(self.minutes, self.replies, per=60)

    @property
    def reply_rate(self) -> float | None:
        return self.replies / self.items if self.items else None

    @property
    def reply_rate_low(self) -> float | None:
        return _end(_interval(self.replies, self.items), 0)

    @property
    def reply_rate_high(self) -> float | None:
        return _end(_interval(self.replies, self.items), 1)

    @property
    def win_rate(self) -> float | None:
        return self.wins / self.items if self.items else None

    @property
    def win_interval(self) -> tuple[float, float] | None:
        return _interval(self.wins, self.items)

    @property
    def win_rate_low(self) -> float | None:
        return _end(self.win_interval, 0)

    @property
    def win_rate_high(self) -> float | None:
        return _end(self.win_interval, 1)

    @property
    def lead_rate(self) -> float | None:
        return self.leads / self.items if self.items else None

    @property
    def lead_rate_low(self) -> float | None:
        return _end(_interval(self.leads, self.items), 0)

    @property
    def lead_rate_high(self) -> float | None:
        return _end(_interval(self.leads, self.items), 1)

    @property
    def lead_to_win_rate(self) -> float | None:
        return self.wins / self.leads if self.leads else None

    @property
    def lead_to_win_low(self) -> float | None:
        return _end(_interval(self.wins, self.leads), 0)

    @property
    def lead_to_win_high(self) -> float | None:
        return _end(_interval(self.wins, self.leads), 1)

    @property
    def days_lead_to_win(self) -> float | None:
        return self.median_days_lead_to_win


def _interval(successes: int, trials: int) -> tuple[float, float] | None:
    if trials == 0 or successes > trials:
        return None
    result = rate_with_interval(successes, trials)
    return (result.low, result.high) if result else None


def _end(interval: tuple[float, float] | None, index: int) -> float | None:
    return interval[index] if interval else None


def singular(word: str) -> str:
    """`bids` → `bid`, `replies` → `reply`, `messages` → `message`: enough for item words."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _count(number: int, plural: str, one: str | None = None) -> str:
    return f"{number} {(one or singular(plural)) if number == 1 else plural}"


def plain_line(row: FunnelRow, item_word: str = "items", *, with_replies: bool = False) -> str:
    """`22 bids → 1 lead → 0 wins` (item_word is the plural); `22 bids → 3 replies → 1 lead
    → 0 wins` with_replies (a file that has replies shows the stage on every line)."""
    stages = [_count(row.items, item_word)]
    if with_replies:
        stages.append(_count(row.replies, "replies"))
    return " → ".join([*stages, _count(row.leads, "leads"), _count(row.wins, "wins")])


def verdict_line(
    row: FunnelRow,
    *,
    rate: Decimal | None,
    currency: str | None,
    spend_minor: int = 0,
    item_word: str = "items",
    confidence: float = 0.95,
    max_upper: float = MAX_WIN_RATE_BOUND,
    min_hours: Decimal | float = MIN_IDLE_HOURS,
    money: Callable[[Decimal, str | None], str] = money_phrase,
) -> str | None:
    """One sentence naming a channel that has not paid, or None when it has wins or there is
    not yet enough evidence (netlog.model.stats.enough_evidence):

    `PeoplePerHour: 22 bids, 1 lead, 0 wins: at most 1 in 6 bids wins (95% confidence);
    12.6 h and £40 spent, £418 in all at £30/h.`

    "At most 1 in k" rounds k down (netlog.model.stats.one_in), so the claim is never stronger than
    the interval; it is left out when it would say "1 in 1". Time is priced at `rate` per hour
    when a rate is set; `spend_minor` is cash spent, in minor units.
    """
    if not enough_evidence(
        items=row.items,
        leads=row.leads,
        wins=row.wins,
        minutes=row.minutes,
        max_upper=max_upper,
        min_hours=min_hours,
        confidence=confidence,
    ):
        return None
    counts = [_count(row.leads, "leads"), _count(row.wins, "wins")]
    if row.items:
        counts.insert(0, _count(row.items, item_word))
    sentence = f"{row.channel}: {', '.join(counts)}"
    if row.items:
        upper = rate_with_interval(0, row.items, confidence).high  # type: ignore[union-attr]
        k = one_in(upper)
        if k > 1:
            sure = confidence_text(confidence)
            sentence += f": at most 1 in {k} {item_word} wins ({sure} confidence)"
    return sentence + _effort_text(row.minutes, rate, currency, spend_minor, money) + "."


def _effort_text(
    minutes: int, rate: Decimal | None, currency: str | None, spend_minor: int, money: Callable
) -> str:
    """`; 12.6 h and £40 spent, £418 in all at £30/h`, or as much of it as is known."""
    spend = from_minor(spend_minor, currency)
    spent = [hours_phrase(Decimal(minutes) / 60)] if minutes else []
    if spend:
        spent.append(money(spend, currency))
    if not spent:
        return ""
    text = f"; {' and '.join(spent)} spent"
    if rate is not None and minutes:
        cost = rate * minutes / 60 + spend
        in_all = " in all" if spend else ""
        text += f", {money(cost, currency)}{in_all} at {money(rate, currency)}/h"
    return text
