"""Honest rates on small counts: the Wilson score interval and the rule that names a channel as
not paying. Pure Python (no numpy, no I/O), cheap to import.

The Wilson score interval (Wilson 1927) for x successes in n trials, with p = x/n and z the
two-sided normal quantile for the confidence (1.96 for 95%), is

    (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)

Unlike the textbook p ± z·sqrt(p(1-p)/n), it never leaves [0, 1] and stays informative at
x = 0: 0 wins from 22 bids gives 0 to 0.149 at 95%. Brown, Cai & DasGupta (2001, "Interval
estimation for a binomial proportion", Statistical Science 16:101-133) recommend it for small n.

References: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
inference", JASA 22:209-212; R. G. Newcombe (1998), "Two-sided confidence intervals for the
single proportion", Statistics in Medicine 17:857-872.
"""

import math
from decimal import Decimal
from typing import NamedTuple

from netlog.errors import InputError

# Two-sided normal quantiles z = Φ⁻¹((1 + confidence) / 2), to double precision.
_Z_FOR_CONFIDENCE = {
    0.90: 1.6448536269514727,
    0.95: 1.959963984540054,
    0.99: 2.5758293035489004,
}

# The "not paying" rule (see enough_evidence).
MAX_WIN_RATE_BOUND = 0.2
MIN_IDLE_HOURS = Decimal(5)


class RateInterval(NamedTuple):
    """An observed rate and its confidence interval, each in [0, 1]."""

    rate: float
    low: float
    high: float


def z_for(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level: 1.959963984540054 for 0.95."""
    if confidence in _Z_FOR_CONFIDENCE:
        return _Z_FOR_CONFIDENCE[confidence]
    if not 0 < confidence < 1:
        raise InputError(f"the confidence {confidence!r} must lie between 0 and 1, e.g. 0.95")
    from statistics import NormalDist  # ~20 ms to import: only for unusual levels

    return NormalDist().inv_cdf((1 + confidence) / 2)


def _check_counts(successes: int, trials: int) -> None:
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError(f"need 0 <= successes <= trials, got {successes} of {trials}")


def wilson_interval(
    successes: int, trials: int, confidence: float = 0.95
) -> tuple[float, float] | None:
    """The Wilson score interval (low, high) for successes/trials; None when trials == 0.

    The ends are exactly 0 when successes == 0 and exactly 1 when successes == trials.
    Raises ValueError unless 0 <= successes <= trials (callers guard data where, say, wins
    were logged without the bids that brought them).
    """
    _check_counts(successes, trials)
    if trials == 0:
        return None
    z = z_for(confidence)
    n, x = trials, successes
    # The same formula as in the module docstring, multiplied through by n to keep p = x/n exact.
    centre = x + z * z / 2
    spread = z * math.sqrt(x * (n - x) / n + z * z / 4)
    denominator = n + z * z
    low = 0.0 if x == 0 else max(0.0, (centre - spread) / denominator)
    high = 1.0 if x == n else min(1.0, (centre + spread) / denominator)
    # The interval always holds x/n; keep rounding error from saying otherwise.
    return min(low, x / n), max(high, x / n)


def rate_with_interval(
    successes: int, trials: int, confidence: float = 0.95
) -> RateInterval | None:
    """successes/trials with its Wilson interval; None when trials == 0."""
    interval = wilson_interval(successes, trials, confidence)
    if interval is None:
        return None
    return RateInterval(successes / trials, *interval)


def one_in(upper: float) -> int:
    """The k in "at most 1 in k", for a rate known to be at most `upper`: floor(1 / upper).

    Rounds DOWN so the sentence stays true: an upper bound of 0.1487 is 1 in 6.72, and
    "at most 1 in 6" (16.7%) still covers it where "at most 1 in 7" (14.3%) would claim
    more than the data show. A tolerance of 1e-9 keeps 1/(1/3) from flooring to 2.
    Returns 1 for upper >= 0.5, where the phrase says nothing: callers should drop it.
    """
    if not 0 < upper <= 1:
        raise ValueError(f"an upper bound on a rate must lie in (0, 1], got {upper!r}")
    return max(1, math.floor(1 / upper + 1e-9))


def enough_evidence(
    *,
    items: int,
    leads: int,
    wins: int,
    minutes: int,
    max_upper: float = MAX_WIN_RATE_BOUND,
    min_hours: Decimal | float = MIN_IDLE_HOURS,
    confidence: float = 0.95,
) -> bool:
    """Whether to name a channel as not paying (so far).

    A channel is named when it has no wins and either
      (a) the Wilson upper bound on wins per item is below max_upper (0.2: fewer than 1 in 5
          items wins, at 95% confidence), which with no wins takes 16 items; or
      (b) at least min_hours (5 h) are logged with neither a lead nor a win.
    (a) judges channels counted in items (bids, messages, posts); (b) covers time logged without
    item counts, and channels that do not even bring leads.
    """
    if wins > 0:
        return False
    if items > 0 and wilson_interval(0, items, confidence)[1] < max_upper:  # type: ignore[index]
        return True
    return leads == 0 and minutes > 0 and minutes >= Decimal(str(min_hours)) * 60
