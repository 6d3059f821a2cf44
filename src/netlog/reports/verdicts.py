"""Which channels pay: one verdict per channel, used by the summary, the report, `review` and
the early warnings after `add`, `spend` and `stop`. Plain data in, verdicts out: no I/O, and
nothing heavier than `math` at import, since `add` may reach it.

Per channel, over the entries judged, the first that holds of:

- `pays`: it has revenue, and the revenue covers its total cost (time at the rate plus
  spend). Money in hand: no statistics.
- `not_paying`: the one-sided 95% upper bound of its wins per hour (exact Poisson: the λ with
  P(X <= wins | λ·hours) = 0.05; 3/H with no wins, the rule of three) times the median win
  value is below its cost per hour. Needs a rate or spend, and at least one valued win to
  take the median of.
- `behind`: at least `min_hours` hours, and at least 95% probability that it brings fewer
  leads per hour than another channel. Leads are leads plus wins without a linked lead.
  Each channel's rate has a Gamma(leads + ½, hours) posterior (Poisson counts, Jeffreys
  prior), and for two channels P(λa < λb) = I_x(la + ½, lb + ½) with x = ha / (ha + hb), the
  regularised incomplete beta function (λa·ha / (λa·ha + λb·hb) is Beta-distributed).
  p_behind is the largest of these over the other channels: each is a lower bound on the
  probability that the channel is below the best one, P(λa < max λ), whichever channel is
  picked after the fact, so looking at the data to choose the comparison cannot inflate it.
- `too_early`: none of these. hours_to_decide is the hours after which it would be `behind`
  if it went on at its present rate and the others stood still (None: never).

With no lead or win in any channel there is nothing to compare: nobody is `behind`.

References: H. Jeffreys (1946), Proc. R. Soc. A 186:453-461; the Gamma-Poisson comparison as
in A. Gelman et al., Bayesian Data Analysis (3rd ed., 2013), ch. 2; the incomplete beta by
continued fraction as in Press et al., Numerical Recipes (3rd ed., 2007), §6.4; the exact
Poisson bound, F. Garwood (1936), Biometrika 28:437-442.
"""

import math
from collections.abc import Collection, Sequence
from enum import StrEnum
from typing import Any, NamedTuple

SURE = 0.95  # the probability `behind` needs, and the confidence of the `not_paying` bound
DEFAULT_MIN_HOURS = 3.0  # the `warn-hours` setting's default
MAX_HOURS_TO_DECIDE = 100_000.0
# The early warning and `review` judge the weeks up to the entry or period: one range along
# the time index, whatever the size of the file.
RECENT_WEEKS = 12


class Verdict(StrEnum):
    PAYS = "pays"
    BEHIND = "behind"
    NOT_PAYING = "not_paying"
    TOO_EARLY = "too_early"


# NamedTuples, not dataclasses: `add` imports this module for its early warning, and a
# dataclass's methods are generated (compiled) when the module loads.
class ChannelEvidence(NamedTuple):
    """A channel's sums over the entries judged. Money in minor units of the file's currency;
    `rate_minor` is the hourly rate (None: time is not priced)."""

    channel: str
    minutes: int
    leads: int  # leads, plus wins with no linked lead
    wins: int
    revenue_minor: int = 0
    spend_minor: int = 0
    rate_minor: int | None = None

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def cost_minor(self) -> float | None:
        """Time at the rate plus spend; None when neither is priced."""
        if self.rate_minor is None:
            return float(self.spend_minor) if self.spend_minor else None
        return self.rate_minor * self.minutes / 60 + self.spend_minor

    def covers_cost(self) -> bool:
        """Revenue >= total cost, exactly (whole minor units, times 60)."""
        if self.rate_minor is None:
            return self.revenue_minor >= self.spend_minor
        return self.revenue_minor * 60 >= self.rate_minor * self.minutes + self.spend_minor * 60


class ChannelVerdict(NamedTuple):
    channel: str
    verdict: Verdict
    p_behind: float | None  # None: nothing to compare with
    hours_to_decide: float | None  # too_early only: hours at which it would be behind
    best: str | None = None  # the channel it was compared with (the largest p_behind)
    wins_per_hour_high: float | None = None  # the not_paying bound


def judge(
    channels: Sequence[ChannelEvidence],
    *,
    median_win_minor: float | None,
    min_hours: float = DEFAULT_MIN_HOURS,
    with_hours_to_decide: bool = True,
    only: Collection[str] | None = None,
) -> list[ChannelVerdict]:
    """A verdict for each channel, in the order given (`with_hours_to_decide` False leaves
    hours_to_decide None: the early warning has no use for it). With `only`, a verdict for
    those channels alone, each still judged against all of `channels`."""
    anything = any(c.leads or c.wins for c in channels)
    rivals = _Rivals([c for c in channels if c.minutes > 0])
    return [
        _judge_one(
            channel,
            rivals.of(channel),
            median_win_minor,
            min_hours,
            anything,
            with_hours_to_decide,
        )
        for channel in channels
        if only is None or channel.channel in only
    ]


class _Rivals:
    """The other channels that can give a channel its largest p_behind (see _front): the
    front, or, for a channel on it, the front of the others. That front is found among the
    front and the front of the rest (any other channel is beaten by one of the two), so
    each is a look at a few channels, not at all of them."""

    def __init__(self, timed: Sequence[ChannelEvidence]) -> None:
        first = _front(timed)
        self.front_ids = first
        self.front = [c for c in timed if id(c) in first]
        second = _front([c for c in timed if id(c) not in first])
        self.candidates = [c for c in timed if id(c) in first or id(c) in second]

    def of(self, channel: ChannelEvidence) -> list[ChannelEvidence]:
        if id(channel) not in self.front_ids:
            return self.front
        others = [c for c in self.candidates if c is not channel]
        theirs = _front(others)
        return [c for c in others if id(c) in theirs]


def _front(channels: Sequence[ChannelEvidence]) -> set[int]:
    """The channels no other one beats outright — as many leads or more in as few hours or
    fewer, better on one count — in the order given. P(λa < λb) grows with b's leads and
    shrinks with b's hours (its Gamma posterior moves up), so the largest of them over all
    other channels is always found on this front: judging against it alone gives the same
    p_behind, and keeps a file of 10,000 channels from 10,000² comparisons. Returns the
    ids of its members."""
    ordered = sorted(channels, key=lambda c: (c.hours, -c.leads))
    members: set[int] = set()
    most_leads = -1.0
    start = 0
    while start < len(ordered):
        end = start
        while end < len(ordered) and ordered[end].hours == ordered[start].hours:
            end += 1
        top = max(c.leads for c in ordered[start:end])
        if top > most_leads:  # more leads than every channel with fewer hours
            members.update(id(c) for c in ordered[start:end] if c.leads == top)
            most_leads = top
        start = end
    return members


def _judge_one(
    channel: ChannelEvidence,
    channels: Sequence[ChannelEvidence],
    median_win_minor: float | None,
    min_hours: float,
    anything: bool,
    with_hours_to_decide: bool = True,
) -> ChannelVerdict:
    others = [c for c in channels if c is not channel and c.minutes > 0]
    p_behind, best = (None, None)
    if anything and channel.minutes > 0 and others:
        p_behind, best = _behind(channel.leads, channel.hours, others)
    if channel.revenue_minor > 0 and channel.covers_cost():
        return ChannelVerdict(channel.channel, Verdict.PAYS, p_behind, None, best)
    cost = channel.cost_minor
    if median_win_minor and cost and channel.minutes > 0:
        high = poisson_upper(channel.wins, SURE) / channel.hours
        if high * median_win_minor < cost / channel.hours:
            return ChannelVerdict(channel.channel, Verdict.NOT_PAYING, p_behind, None, best, high)
    if p_behind is not None and p_behind >= SURE and channel.hours >= min_hours:
        return ChannelVerdict(channel.channel, Verdict.BEHIND, p_behind, None, best)
    hours = None
    if p_behind is not None and with_hours_to_decide:
        hours = _hours_to_behind(channel, others, min_hours)
    return ChannelVerdict(channel.channel, Verdict.TOO_EARLY, p_behind, hours, best)


def _behind(
    leads: float, hours: float, others: Sequence[ChannelEvidence]
) -> tuple[float, str | None]:
    found = [(p_below(leads, hours, o.leads, o.hours), o.channel) for o in others]
    p, best = max(found, key=lambda pair: pair[0])
    return p, best


def _hours_to_behind(
    channel: ChannelEvidence, others: Sequence[ChannelEvidence], min_hours: float
) -> float | None:
    """The least hours H (at least min_hours) at which the channel, bringing leads at its
    present rate, would be behind; None when it never would be."""
    per_hour = channel.leads / channel.hours

    def behind_at(hours: float) -> bool:  # any() stops at the first: the largest is not needed
        leads = per_hour * hours
        return any(p_below(leads, hours, o.leads, o.hours) >= SURE for o in others)

    low = max(channel.hours, min_hours)
    if behind_at(low):
        return low
    high = low * 2
    while not behind_at(high):
        if high > MAX_HOURS_TO_DECIDE:
            return None
        high *= 2
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (low, middle) if behind_at(middle) else (middle, high)
    return high


def p_below(leads_a: float, hours_a: float, leads_b: float, hours_b: float) -> float:
    """P(λa < λb) for Gamma(leads + ½, hours) posteriors: I_x(la + ½, lb + ½), x = ha/(ha+hb)."""
    return regularized_beta(leads_a + 0.5, leads_b + 0.5, hours_a / (hours_a + hours_b))


def poisson_upper(events: int, confidence: float = SURE) -> float:
    """The one-sided upper bound on a Poisson mean from `events` seen: the λ with
    P(X <= events | λ) = 1 - confidence (-ln 0.05 = 2.996 for none)."""
    if events == 0:
        return -math.log(1 - confidence)
    tail = 1 - confidence
    # ln 1 … ln events, taken once for every step of the bisection: half its time
    logs = [math.log(i) for i in range(1, events + 1)]
    low, high = float(events), float(events) + 10 * math.sqrt(events) + 10
    for _ in range(100):
        middle = (low + high) / 2
        bounds = (middle, high) if _poisson_cdf(logs, middle) > tail else (low, middle)
        if bounds == (low, high):  # as close as floats go: every later step is this one
            break
        low, high = bounds
    return high


def _poisson_cdf(logs: Sequence[float], mean: float) -> float:
    """P(X <= k | mean) for k = len(logs), `logs` being ln 1 … ln k."""
    # The terms summed in log space: exact enough for the counts a channel has.
    log_term = -mean
    log_mean = math.log(mean)
    exp = math.exp
    total = exp(log_term)
    for log_i in logs:
        log_term += log_mean - log_i
        total += exp(log_term)
    return total


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), by Lentz's continued fraction (Numerical Recipes §6.4)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1 - math.exp(log_front) * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return result


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def evidence_from_sums(rows: Sequence[Any], rate_minor: int | None) -> list[ChannelEvidence]:
    """Rows of netlog.store.queries.verdict_sums → the evidence per channel."""
    return [
        ChannelEvidence(
            channel=row["channel"],
            minutes=row["minutes"] or 0,
            leads=(row["leads"] or 0) + (row["unlinked_wins"] or 0),
            wins=row["wins"] or 0,
            revenue_minor=int(row["revenue_minor"] or 0),
            spend_minor=int(row["spend_minor"] or 0),
            rate_minor=rate_minor,
        )
        for row in rows
    ]


def sums_win_values(rows: Sequence[Any]) -> list[float]:
    """The per-win values listed in verdict_sums rows."""
    return [float(v) for row in rows if row["win_values"] for v in row["win_values"].split(",")]


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def sentence(
    verdict: ChannelVerdict,
    evidence: dict[str, ChannelEvidence],
    *,
    currency: str | None,
    median_win_minor: float | None,
    show_money: bool = True,
) -> str:
    """What the numbers say about one channel, in one sentence (`show_money` False: no
    amounts, for `report --no-money`)."""
    from netlog.present.figures import (
        hours_phrase,
        likely_text,
        minor_money_phrase,
        per_phrase,
        significant_text,
    )

    mine = evidence[verdict.channel]

    def money(minor: float) -> str:
        return minor_money_phrase(minor, currency)

    if verdict.verdict is Verdict.PAYS:
        cost = mine.cost_minor or 0
        return (
            f"{mine.channel} pays: {money(mine.revenue_minor)} in, against {money(cost)} of cost."
        )
    if verdict.verdict is Verdict.NOT_PAYING:
        high = verdict.wins_per_hour_high or 0.0
        cost_per_hour = (mine.cost_minor or 0) / mine.hours
        if not show_money:
            return (
                f"{mine.channel}: {_count(mine.wins, 'win')} in {hours_phrase(mine.hours)}: at "
                f"most {significant_text(high)} wins per hour (95%), too few at the median win "
                "to cover its cost: it does not pay."
            )
        return (
            f"{mine.channel}: {_count(mine.wins, 'win')} in {hours_phrase(mine.hours)}: at most "
            f"{significant_text(high)} wins per hour (95%) × {money(median_win_minor or 0)} "
            "(the median win) "
            f"is {money(high * (median_win_minor or 0))}/h, below its cost of "
            f"{money(cost_per_hour)}/h: it does not pay."
        )
    p = likely_text(verdict.p_behind or 0.0)
    mine_leads = f"{_count(mine.leads, 'lead')} in {hours_phrase(mine.hours)}"
    if verdict.verdict is Verdict.BEHIND and verdict.best is not None:
        best = evidence[verdict.best]
        theirs = (
            f"1 lead per {per_phrase(best.minutes / best.leads)}"
            if best.leads
            else f"0 leads in {hours_phrase(best.hours)}"
        )
        return (
            f"{mine.channel}: {mine_leads}; {best.channel}: {theirs}; "
            f"{p} likely {mine.channel} brings fewer leads per hour."
        )
    if verdict.p_behind is None:
        return f"{mine.channel}: too early to say ({mine_leads}; nothing to compare with yet)."
    if verdict.hours_to_decide is None:
        return f"{mine.channel}: too early to say ({mine_leads}); not behind at this rate."
    return (
        f"{mine.channel}: too early to say ({mine_leads}); behind after "
        f"{hours_phrase(verdict.hours_to_decide)} at this rate."
    )
