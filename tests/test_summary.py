"""The return per channel (netlog.reports.summary), tested with plain dicts: no CLI, no database."""

from decimal import Decimal

import pytest

from netlog.reports.summary import (
    ChannelSummary,
    by_channel,
    idle_channels,
    summarize,
    total,
    verdict,
)


def row(channel, minutes=0, *, wins=0, revenue_minor=0, period=None, **sums):
    """One row of SQL sums, shaped like db.channel_totals."""
    data = {
        "channel": channel,
        "minutes": minutes,
        "sessions": sums.get("sessions", 1 if minutes else 0),
        "activities": sums.get("activities", 0),
        "reach": sums.get("reach", 0),
        "leads": sums.get("leads", 0),
        "wins": wins,
        "revenue_minor": revenue_minor,
    }
    if period is not None:
        data["period"] = period
    return data


def names(rows):
    return [r.channel for r in rows]


# summarize: sums in, figures out


def test_summarize_copies_sums_and_converts_revenue_exactly():
    [summary] = summarize(
        [
            row(
                "LinkedIn",
                90,
                wins=2,
                revenue_minor=120050,
                sessions=3,
                activities=7,
                reach=40,
                leads=5,
            )
        ]
    )
    assert summary.channel == "LinkedIn"
    assert (summary.minutes, summary.sessions, summary.activities) == (90, 3, 7)
    assert (summary.reach, summary.leads, summary.wins) == (40, 5, 2)
    assert isinstance(summary.revenue, Decimal)
    assert str(summary.revenue) == "1200.50"
    assert summary.period is None
    assert summary.rate is None


def test_summarize_makes_the_same_frozen_summaries_from_sqlite_rows_and_dicts():
    """summarize() fills ChannelSummary's fields directly (reports.summary._made): the
    objects equal those its constructor makes, and stay frozen."""
    import dataclasses
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    sums = {**row("LinkedIn", 90, wins=2, revenue_minor=120050, period="2010-09"),
            "replies": 3, "spend_minor": 2000}  # fmt: skip
    [stored] = conn.execute(
        "SELECT " + ", ".join(f":{name} AS {name}" for name in sums), sums
    ).fetchall()
    expected = ChannelSummary(
        channel="LinkedIn", minutes=90, sessions=1, activities=0, reach=0, replies=3,
        leads=0, wins=2, revenue=Decimal("1200.50"), spend=Decimal("20.00"),
        rate=Decimal("30"), period="2010-09",
    )  # fmt: skip
    for given in (stored, sums):
        [made] = summarize([given], rate=Decimal("30"), currency="GBP")
        assert made == expected
        assert vars(made) == vars(expected)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.minutes = 1  # type: ignore[misc]


def test_summarize_null_sums_are_zero():
    """A LEFT JOIN gives NULL sums for a channel with no entries."""
    nulls = dict.fromkeys(
        ("minutes", "sessions", "activities", "reach", "leads", "wins", "revenue_minor")
    )
    [summary] = summarize([{"channel": "Events", **nulls}])
    assert (summary.minutes, summary.sessions, summary.activities) == (0, 0, 0)
    assert (summary.reach, summary.leads, summary.wins) == (0, 0, 0)
    assert summary.revenue == Decimal("0.00")
    assert summary.hours == 0
    assert summary.revenue_per_hour is None
    assert summary.hours_per_win is None


def test_summarize_derived_figures_with_a_rate():
    [s] = summarize([row("LinkedIn", 90, wins=2, revenue_minor=120000)], rate=Decimal("50"))
    assert s.rate == Decimal("50")
    assert s.hours == Decimal("1.5")
    assert s.revenue_per_hour == Decimal("800")
    assert s.hours_per_win == Decimal("0.75")
    assert s.cost == Decimal("75")
    assert s.net == Decimal("1125")
    assert s.roi == Decimal("15")
    for figure in (s.hours, s.revenue_per_hour, s.hours_per_win, s.cost, s.net, s.roi):
        assert isinstance(figure, Decimal)


def test_summarize_loss_gives_negative_net_and_roi():
    [s] = summarize([row("Events", 240, revenue_minor=5000)], rate=Decimal("25"))
    assert s.cost == Decimal("100")
    assert s.net == Decimal("-50")
    assert s.roi == Decimal("-0.5")


def test_summarize_keeps_pennies_exact():
    """0.10 + 0.20 in floats is 0.30000000000000004; in minor units it is 0.30."""
    rows = summarize([row("A", 60, revenue_minor=10), row("B", 30, revenue_minor=20)])
    assert total(rows, None).revenue == Decimal("0.30")
    assert str(total(rows, None).revenue) == "0.30"


@pytest.mark.parametrize(
    ("minutes", "wins", "revenue_minor", "rate", "expected"),
    [
        (0, 0, 0, None, dict.fromkeys(("revenue_per_hour", "hours_per_win", "cost", "roi"))),
        (60, 0, 0, None, {"revenue_per_hour": Decimal(0), "hours_per_win": None, "cost": None}),
        (60, 1, 0, None, {"hours_per_win": Decimal(1), "net": None, "roi": None}),
        # 0 hours for 1 win: nothing on top, so 0 hours per win (but no revenue per hour).
        (0, 1, 10000, None, {"revenue_per_hour": None, "hours_per_win": Decimal(0)}),
        (0, 1, 10000, Decimal(40), {"cost": Decimal(0), "net": Decimal(100), "roi": None}),
        (120, 0, 0, Decimal(0), {"cost": Decimal(0), "net": Decimal(0), "roi": None}),
        (120, 0, 0, Decimal(40), {"cost": Decimal(80), "net": Decimal(-80), "roi": Decimal(-1)}),
    ],
)
def test_summarize_figures_are_none_where_undefined(minutes, wins, revenue_minor, rate, expected):
    [s] = summarize([row("X", minutes, wins=wins, revenue_minor=revenue_minor)], rate=rate)
    got = {name: getattr(s, name) for name in expected}
    assert got == expected


def test_cost_is_exact_for_whole_hours_and_halves():
    s = ChannelSummary("X", minutes=150, revenue=Decimal("100.00"), rate=Decimal("30"))
    assert s.cost == Decimal("75")
    assert s.net == Decimal("25")
    assert s.roi == Decimal(1) / Decimal(3)


@pytest.mark.parametrize(
    ("minutes", "rate", "revenue", "cost", "net"),
    [
        (20, "30", "10.00", "10", "0"),
        (40, "45", "100.00", "30", "70"),
        (10, "60", "10.00", "10", "0"),
        (50, "12", "10.00", "10", "0"),
    ],
)
def test_cost_is_exact_for_thirds_of_an_hour(minutes, rate, revenue, cost, net):
    """20 minutes at 30/h costs exactly 10, not 9.999999999999999999999999999."""
    s = ChannelSummary("X", minutes=minutes, revenue=Decimal(revenue), rate=Decimal(rate))
    assert s.cost == Decimal(cost)
    assert s.net == Decimal(net)
    if s.net == 0:
        assert s.roi == 0


@pytest.mark.parametrize(
    ("minutes", "revenue", "per_hour"), [(20, "100.00", "300"), (40, "100.00", "150")]
)
def test_revenue_per_hour_is_exact_for_thirds_of_an_hour(minutes, revenue, per_hour):
    s = ChannelSummary("X", minutes=minutes, revenue=Decimal(revenue))
    assert s.revenue_per_hour == Decimal(per_hour)


def test_hours_per_win_for_forty_minutes_and_two_wins():
    s = ChannelSummary("X", minutes=40, wins=2)
    assert s.hours_per_win == Decimal(1) / Decimal(3)


# summarize: order


def test_summarize_sorts_most_hours_first():
    rows = summarize([row("Email", 30), row("Events", 240), row("LinkedIn", 90), row("Idle", 0)])
    assert names(rows) == ["Events", "LinkedIn", "Email", "Idle"]


def test_summarize_breaks_ties_by_name_ignoring_case():
    rows = summarize([row("beta", 60), row("Gamma", 60), row("Alpha", 60), row("alpine", 60)])
    assert names(rows) == ["Alpha", "alpine", "beta", "Gamma"]


def test_summarize_sorts_periods_in_calendar_order_then_hours():
    rows = summarize(
        [
            row("LinkedIn", 30, period="2010-10"),
            row("Events", 60, period="2010-10"),
            row("LinkedIn", 120, period="2010-09"),
            row("Events", 10, period="2010-09"),
        ]
    )
    assert [(r.period, r.channel) for r in rows] == [
        ("2010-09", "LinkedIn"),
        ("2010-09", "Events"),
        ("2010-10", "Events"),
        ("2010-10", "LinkedIn"),
    ]


def test_summarize_accepts_any_iterable():
    rows = summarize(row(name, minutes) for name, minutes in [("A", 1), ("B", 2)])
    assert names(rows) == ["B", "A"]


def test_summarize_nothing_is_empty():
    assert summarize([]) == []


# total


def test_total_adds_every_sum():
    rows = summarize(
        [
            row("A", 90, wins=1, revenue_minor=120050, sessions=2, activities=3, reach=10, leads=1),
            row("B", 30, wins=2, revenue_minor=9950, sessions=1, activities=4, reach=5, leads=3),
            row("C", 0),
        ],
        rate=Decimal("20"),
    )
    t = total(rows, Decimal("20"))
    assert t.channel == "Total"
    assert (t.minutes, t.sessions, t.activities, t.reach, t.leads, t.wins) == (
        120,
        3,
        7,
        15,
        4,
        3,
    )
    assert t.revenue == Decimal("1300.00")
    assert t.hours == Decimal(2)
    assert t.revenue_per_hour == Decimal(650)
    assert t.cost == Decimal(40)
    assert t.net == Decimal("1260.00")
    assert t.period is None


def test_total_of_nothing_is_zero():
    t = total([], None)
    assert (t.channel, t.minutes, t.wins, t.revenue) == ("Total", 0, 0, Decimal(0))
    assert t.revenue_per_hour is None
    assert t.cost is None


def test_total_uses_the_rate_given():
    rows = summarize([row("A", 60)])
    assert total(rows, None).cost is None
    assert total(rows, Decimal("35")).cost == Decimal(35)


# by_channel


def test_by_channel_folds_periods_into_one_row_per_channel():
    rows = summarize(
        [
            row("LinkedIn", 60, wins=1, revenue_minor=10000, period="2010-09"),
            row("Events", 120, period="2010-09"),
            row("LinkedIn", 90, revenue_minor=5050, period="2010-10"),
            row("Email", 20, period="2010-10"),
        ]
    )
    folded = by_channel(rows, Decimal("10"))
    assert [(r.channel, r.minutes, r.wins, r.revenue) for r in folded] == [
        ("LinkedIn", 150, 1, Decimal("150.50")),
        ("Events", 120, 0, Decimal(0)),
        ("Email", 20, 0, Decimal(0)),
    ]
    assert all(r.period is None for r in folded)
    assert folded[0].rate == Decimal("10")
    assert folded[0].cost == Decimal(25)


def test_by_channel_breaks_ties_by_name_ignoring_case():
    rows = summarize([row("b", 60, period="2010"), row("A", 30, period="2010"), row("A", 30)])
    assert [(r.channel, r.minutes) for r in by_channel(rows, None)] == [("A", 60), ("b", 60)]


# idle_channels


def test_idle_channels_takes_the_threshold_inclusively():
    rows = summarize(
        [
            row("Events", 120),  # exactly 2 h, no wins: idle
            row("Cold email", 600),  # 10 h, no wins: idle
            row("Meetups", 119),  # just under 2 h
            row("LinkedIn", 300, wins=1),  # won something
            row("Referrals", 600, revenue_minor=100, wins=0),  # revenue without a win: idle
        ]
    )
    idle = idle_channels(rows, Decimal("2"))
    assert names(idle) == ["Cold email", "Referrals", "Events"]


def test_idle_channels_never_lists_channels_without_time():
    rows = summarize([row("Empty", 0), row("Busy", 1)])
    assert names(idle_channels(rows, Decimal(0))) == ["Busy"]


def test_idle_channels_fractional_threshold():
    rows = summarize([row("A", 89), row("B", 90)])
    assert names(idle_channels(rows, Decimal("1.5"))) == ["B"]


def test_idle_channels_none_idle():
    rows = summarize([row("A", 600, wins=1), row("B", 30)])
    assert idle_channels(rows, Decimal(1)) == []


# verdict


@pytest.mark.parametrize(
    ("rows", "sentence"),
    [
        ([], "No wins yet from 0 h of networking."),
        ([row("LinkedIn", 120), row("Events", 60)], "No wins yet from 3 h of networking."),
        ([row("LinkedIn", 90)], "No wins yet from 1.5 h of networking."),
        ([row("LinkedIn", 100)], "No wins yet from 1.7 h of networking."),
        ([row("LinkedIn", 60, revenue_minor=5000)], "No wins yet from 1 h of networking."),
    ],
)
def test_verdict_no_wins(rows, sentence):
    assert verdict(summarize(rows), "GBP") == sentence


def test_verdict_the_only_win():
    rows = summarize([row("LinkedIn", 60, wins=1, revenue_minor=120000), row("Events", 180)])
    assert verdict(rows, "GBP") == ("The only win (£1,200.00) came from LinkedIn: 25% of your 4 h.")


def test_verdict_the_only_win_without_revenue():
    rows = summarize([row("Events", 60, wins=1)])
    assert verdict(rows, "GBP") == "The only win came from Events: 100% of your 1 h."


def test_verdict_all_wins_from_one_channel():
    rows = summarize([row("Referrals", 60, wins=3, revenue_minor=150000), row("Events", 180)])
    assert verdict(rows, "GBP") == ("All 3 wins (£1,500.00) came from Referrals: 25% of your 4 h.")


def test_verdict_all_wins_from_one_channel_across_periods():
    """Two periods of one channel are still one channel."""
    rows = summarize(
        [
            row("Referrals", 30, wins=1, revenue_minor=50000, period="2010-09"),
            row("Referrals", 30, wins=1, revenue_minor=70000, period="2010-10"),
            row("Events", 120, period="2010-09"),
        ]
    )
    assert verdict(rows, "GBP") == ("All 2 wins (£1,200.00) came from Referrals: 33% of your 3 h.")


def test_verdict_wins_from_several_channels_most_revenue_first():
    rows = summarize(
        [
            row("LinkedIn", 60, wins=2, revenue_minor=100000),
            row("Referrals", 60, wins=1, revenue_minor=500000),
            row("Events", 120),
        ]
    )
    assert verdict(rows, "GBP") == (
        "3 wins (£6,000.00) came from Referrals (1, £5,000.00), LinkedIn (2, £1,000.00): "
        "50% of your 4 h."
    )


def test_verdict_several_channels_without_revenue_ordered_by_wins():
    rows = summarize(
        [
            row("Alpha", 30, wins=1),
            row("Zulu", 30, wins=2),
            row("Events", 60),
        ]
    )
    assert verdict(rows, None) == ("3 wins came from Zulu (2), Alpha (1): 50% of your 2 h.")


def test_verdict_several_channels_some_without_revenue():
    rows = summarize(
        [
            row("Events", 45, wins=1),
            row("LinkedIn", 75, wins=1, revenue_minor=25000),
        ]
    )
    assert verdict(rows, "USD") == (
        "2 wins ($250.00) came from LinkedIn (1, $250.00), Events (1): 100% of your 2 h."
    )


def test_verdict_without_currency_shows_plain_amounts():
    rows = summarize([row("LinkedIn", 60, wins=1, revenue_minor=120000)])
    assert verdict(rows, None) == "The only win (1,200.00) came from LinkedIn: 100% of your 1 h."


def test_verdict_tiny_share_is_under_one_percent():
    rows = summarize([row("Referrals", 1, wins=1), row("Events", 299)])
    assert verdict(rows, "GBP") == ("The only win came from Referrals: under 1% of your 5 h.")


def test_verdict_win_with_no_time_logged():
    rows = summarize([row("Referrals", 0, wins=1, revenue_minor=10000)])
    assert verdict(rows, "GBP") == "The only win (£100.00) came from Referrals: 0% of your 0 h."


def test_verdict_win_with_no_time_among_others_is_zero_percent():
    rows = summarize([row("Referrals", 0, wins=1), row("Events", 60)])
    assert verdict(rows, "GBP") == "The only win came from Referrals: 0% of your 1 h."
