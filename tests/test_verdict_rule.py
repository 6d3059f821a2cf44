"""The verdict rule of issue 17 (netlog.reports.verdicts): pays, behind, not_paying, too_early,
at their boundaries; the late bloomer; a file with no lead or win names nobody behind."""

import json
import math
from datetime import date, timedelta
from random import Random

import pytest

from netlog.reports.verdicts import (
    ChannelEvidence,
    Verdict,
    judge,
    p_below,
    poisson_upper,
    regularized_beta,
)

EMAIL = ChannelEvidence("Email", minutes=20, leads=1, wins=0)


def one(channel: ChannelEvidence, *others: ChannelEvidence, median=None, min_hours=3.0):
    return judge([channel, *others], median_win_minor=median, min_hours=min_hours)[0]


# --- the arithmetic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("la", "ha", "lb", "hb"), [(0, 6, 1, 1 / 3), (1, 12.6, 2, 2.8), (5, 10, 9, 10), (0, 3, 0, 3)]
)
def test_p_below_agrees_with_sampling_the_two_posteriors(la, ha, lb, hb):
    rng = Random(17)
    draws = 200_000
    below = sum(
        rng.gammavariate(la + 0.5, 1 / ha) < rng.gammavariate(lb + 0.5, 1 / hb)
        for _ in range(draws)
    )
    assert p_below(la, ha, lb, hb) == pytest.approx(below / draws, abs=0.005)


def test_equal_evidence_is_even_odds():
    assert p_below(3, 5, 3, 5) == pytest.approx(0.5, abs=1e-12)
    assert regularized_beta(2.5, 2.5, 0.5) == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize(
    ("events", "upper"),
    # chi-square 95% quantiles on 2(k + 1) degrees of freedom, halved (Garwood 1936)
    [(0, 2.995732), (1, 4.743865), (2, 6.295794), (10, 16.962219)],
)
def test_poisson_upper_bound_is_the_exact_one_sided_95(events, upper):
    assert poisson_upper(events) == pytest.approx(upper, abs=1e-5)
    assert poisson_upper(0) == pytest.approx(-math.log(0.05))  # the rule of three


# --- the boundaries --------------------------------------------------------------------------


def test_pays_when_revenue_covers_cost_exactly_and_not_a_penny_less():
    covered = ChannelEvidence("Blog", minutes=60, leads=0, wins=1, revenue_minor=3000,
                              rate_minor=3000)  # fmt: skip
    assert one(covered, EMAIL).verdict is Verdict.PAYS
    short = ChannelEvidence("Blog", minutes=60, leads=0, wins=1, revenue_minor=2999,
                            rate_minor=3000)  # fmt: skip
    assert one(short, EMAIL).verdict is not Verdict.PAYS
    with_spend = ChannelEvidence("Blog", minutes=60, leads=0, wins=1, revenue_minor=3500,
                                 spend_minor=501, rate_minor=3000)  # fmt: skip
    assert one(with_spend, EMAIL).verdict is not Verdict.PAYS


def test_no_revenue_never_pays_even_at_no_cost():
    free = ChannelEvidence("Blog", minutes=0, leads=0, wins=0)
    assert one(free, EMAIL).verdict is Verdict.TOO_EARLY


def test_behind_needs_warn_hours_and_95_percent():
    at = one(ChannelEvidence("Blog", minutes=180, leads=0, wins=0), EMAIL)
    assert at.verdict is Verdict.BEHIND
    assert at.best == "Email"
    assert at.p_behind == pytest.approx(regularized_beta(0.5, 1.5, 180 / 200))
    before = one(ChannelEvidence("Blog", minutes=179, leads=0, wins=0), EMAIL)
    assert before.verdict is Verdict.TOO_EARLY
    assert before.p_behind >= 0.95  # credible already, but not yet 3 hours
    assert before.hours_to_decide == pytest.approx(3.0)
    # 1 lead in 2 h against 1 in 20 min is not credibly behind: more hours would tell
    early = one(ChannelEvidence("Blog", minutes=120, leads=1, wins=0), EMAIL)
    assert early.verdict is Verdict.TOO_EARLY
    assert early.p_behind < 0.95
    later = one(
        ChannelEvidence("Blog", minutes=round(early.hours_to_decide * 60) + 1, leads=0, wins=0)
    )
    assert later.p_behind is None  # alone: nothing to compare with


def test_hours_to_decide_is_where_the_present_rate_turns_behind():
    mine = ChannelEvidence("Blog", minutes=120, leads=1, wins=0)
    hours = one(mine, EMAIL).hours_to_decide
    assert hours is not None
    assert hours > 2
    rate = 1 / 2  # leads per hour now
    assert p_below(rate * hours, hours, 1, 1 / 3) >= 0.95
    assert p_below(rate * (hours - 0.01), hours - 0.01, 1, 1 / 3) < 0.95
    faster = ChannelEvidence("Blog", minutes=10, leads=1, wins=0)
    assert one(faster, EMAIL).hours_to_decide is None  # never behind at a better rate


def test_not_paying_when_the_upper_bound_times_the_median_win_is_below_cost():
    # wins worth £1,000, time at £30/h: 2.9957 / H x 1000 < 30 once H > 99.86 h
    def blog(minutes):
        return ChannelEvidence("Blog", minutes=minutes, leads=0, wins=0, rate_minor=3000)

    assert one(blog(5991), median=100_000).verdict is Verdict.TOO_EARLY  # 99.85 h
    assert one(blog(5992), median=100_000).verdict is Verdict.NOT_PAYING  # 99.87 h
    assert one(blog(5992), median=None).verdict is Verdict.TOO_EARLY  # no win to value
    unpriced = ChannelEvidence("Blog", minutes=10_000, leads=0, wins=0)
    assert one(unpriced, median=100_000).verdict is Verdict.TOO_EARLY  # no cost to beat


def test_no_lead_or_win_anywhere_names_nobody_behind():
    channels = [
        ChannelEvidence("Blog", minutes=6000, leads=0, wins=0),
        ChannelEvidence("Email", minutes=10, leads=0, wins=0),
    ]
    for verdict in judge(channels, median_win_minor=None):
        assert verdict.verdict is Verdict.TOO_EARLY
        assert verdict.p_behind is None
        assert verdict.hours_to_decide is None


# --- through the CLI ---------------------------------------------------------------------------


def verdicts(ok, *args: str) -> dict[str, dict]:
    return {row["channel"]: row for row in json.loads(ok("summary", "-f", "json", *args).stdout)}


def test_a_late_bloomer_is_never_not_paying_and_pays_once_covered(ok):
    ok("config", "rate", "30")
    monday = date(2010, 9, 6)
    for week in range(1, 9):
        day = monday + timedelta(weeks=week - 1)
        ok("add", "LinkedIn", "1h", "messages", "--at", f"{day} 10:00")
        ok("add", "Email", "10m", "emails", "--at", f"{day} 09:00")
        if week == 1:
            ok("outcome", "linkedin", "lead", "--at", f"{day} 12:00")
        if week == 2:
            ok("outcome", "email", "win", "--value", "£1,000", "--at", f"{day} 12:00")
        if week == 5:
            ok("outcome", "linkedin", "win", "--value", "£450", "--at", f"{day} 12:00")
        row = verdicts(ok)["LinkedIn"]
        assert row["verdict"] != "not_paying", week
        if week >= 5:  # £450 against at most 8 h x £30
            assert row["verdict"] == "pays", week


def test_summary_appends_the_verdict_columns(ok):
    ok("add", "Email", "20m", "--at", "2010-09-13 09:00")
    ok("outcome", "email", "lead", "--at", "2010-09-13 12:00")
    ok("add", "LinkedIn", "6h", "--at", "2010-09-14 09:00")
    header = ok("summary", "-f", "csv").stdout.splitlines()[0].split(",")
    assert header[-4:-1] == ["verdict", "p_behind", "hours_to_decide"]
    assert header[:3] == ["channel", "hours", "sessions"]  # existing columns stay first
    rows = verdicts(ok)
    assert rows["LinkedIn"]["verdict"] == "behind"
    assert rows["LinkedIn"]["p_behind"] == pytest.approx(0.9948, abs=1e-4)
    assert rows["Email"]["verdict"] == "too_early"
    assert rows["Email"]["hours_to_decide"] is None  # no rate: never behind at its rate
    table = ok("summary").stdout
    assert (
        "LinkedIn: 0 leads in 6 h; Email: 1 lead per 20 min; 99% likely LinkedIn brings fewer "
        "leads per hour." in table
    )
    assert "does not pay" not in table


def test_no_lead_or_win_in_the_file_names_nobody_behind_in_the_summary(ok):
    ok("add", "Blog", "20h", "--at", "2010-09-13 09:00")
    ok("add", "Email", "10m", "--at", "2010-09-13 11:00")
    for row in verdicts(ok).values():
        assert row["verdict"] == "too_early"
        assert row["p_behind"] is None


@pytest.mark.parametrize("seed", range(30))
def test_judging_against_the_front_gives_every_channel_the_p_behind_of_all_others(seed):
    """p_behind is the largest P(λa < λb) over every other channel b; judge() looks only at
    the channels no other beats on both leads and hours. Ties and equal channels included."""
    rng = Random(seed)
    channels = [
        ChannelEvidence(
            f"c{i}",
            minutes=rng.choice([0, 30, 60, 90, 120, 600, rng.randint(1, 3000)]),
            leads=rng.choice([0, 0, 1, 2, rng.randint(0, 40)]),
            wins=0,
        )
        for i in range(rng.randint(2, 40))
    ]
    verdicts = judge(channels, median_win_minor=None)
    for channel, verdict in zip(channels, verdicts, strict=True):
        others = [c for c in channels if c is not channel and c.minutes > 0]
        if channel.minutes == 0 or not others or not any(c.leads for c in channels):
            continue
        every = max(p_below(channel.leads, channel.hours, o.leads, o.hours) for o in others)
        assert verdict.p_behind == every, (seed, channel)
