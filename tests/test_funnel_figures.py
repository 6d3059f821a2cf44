"""The funnel per channel (netlog.reports.funnel): ratios, rates with intervals, and sentences."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netlog.present.figures import FUNNEL_COLUMNS
from netlog.present.render import funnel_values
from netlog.reports.funnel import FunnelRow, plain_line, verdict_line

PPH = FunnelRow("PeoplePerHour", items=22, leads=1, wins=0, minutes=756, days_to_first_lead=9.25)
EMAIL = FunnelRow(
    "Email",
    items=40,
    leads=6,
    wins=3,
    minutes=300,
    days_to_first_lead=2.0,
    days_to_first_win=17.44,
    median_days_lead_to_win=12.06,
)


def test_columns_start_with_the_agreed_names():
    assert FUNNEL_COLUMNS[:14] == (
        "channel", "items", "leads", "wins", "items_per_lead", "items_per_win", "leads_per_win",
        "win_rate", "win_rate_low", "win_rate_high", "days_to_first_lead", "days_to_first_win",
        "hours_per_lead", "hours_per_win",
    )  # fmt: skip
    assert len(set(FUNNEL_COLUMNS)) == len(FUNNEL_COLUMNS)


def test_people_per_hour_figures():
    assert funnel_values(PPH) == {
        "channel": "PeoplePerHour",
        "items": 22,
        "leads": 1,
        "wins": 0,
        "items_per_lead": Decimal("22.00"),
        "items_per_win": None,
        "leads_per_win": None,
        "win_rate": Decimal("0.0000"),
        "win_rate_low": Decimal("0.0000"),
        "win_rate_high": Decimal("0.1487"),
        "days_to_first_lead": Decimal("9.3"),  # 9.25: ties round half up, as everywhere
        "days_to_first_win": None,
        "hours_per_lead": Decimal("12.60"),
        "hours_per_win": None,
        "hours": Decimal("12.60"),
        "lead_rate": Decimal("0.0455"),
        "lead_rate_low": Decimal("0.0081"),
        "lead_rate_high": Decimal("0.2180"),
        "lead_to_win_rate": Decimal("0.0000"),
        "lead_to_win_low": Decimal("0.0000"),
        "lead_to_win_high": Decimal("0.7935"),
        "days_lead_to_win": None,
        "replies": 0,
        "reply_rate": Decimal("0.0000"),
        "reply_rate_low": Decimal("0.0000"),
        "reply_rate_high": Decimal("0.1487"),
        "hours_per_reply": None,
    }


def test_email_figures():
    values = funnel_values(EMAIL)
    assert list(values) == list(FUNNEL_COLUMNS)
    assert values["items_per_lead"] == Decimal("6.67")
    assert values["items_per_win"] == Decimal("13.33")
    assert values["leads_per_win"] == Decimal("2.00")
    assert values["win_rate"] == Decimal("0.0750")
    assert (values["win_rate_low"], values["win_rate_high"]) == (
        Decimal("0.0258"),
        Decimal("0.1986"),
    )  # by hand: 8.7088 / 43.8415
    assert values["lead_to_win_rate"] == Decimal("0.5000")
    assert (values["hours_per_lead"], values["hours_per_win"]) == (
        Decimal("0.83"),
        Decimal("1.67"),
    )
    assert (values["days_to_first_win"], values["days_lead_to_win"]) == (
        Decimal("17.4"),
        Decimal("12.1"),
    )


def test_nothing_logged_gives_no_figures():
    values = funnel_values(FunnelRow("Meetups"))
    assert values.pop("channel") == "Meetups"
    counts = [values.pop(key) for key in ("items", "replies", "leads", "wins")]
    assert counts == [0, 0, 0, 0]
    assert values.pop("hours") == 0.0
    assert set(values.values()) == {None}


# (items, leads, wins, minutes) → figures that must be None: a ratio needs its denominator
# (with nothing on top it is 0: 0 hours for 2 wins is 0 hours per win).
UNDEFINED_DATA = [
    pytest.param(0, 2, 1, 60, "win_rate lead_rate", id="no items"),
    pytest.param(
        10, 0, 0, 60,
        "items_per_lead items_per_win leads_per_win hours_per_lead hours_per_win lead_to_win_rate",
        id="no leads",
    ),
    pytest.param(
        10, 2, 0, 0, "items_per_win leads_per_win hours_per_win",
        id="no time, no wins",
    ),
    pytest.param(
        10, 0, 2, 60, "items_per_lead hours_per_lead lead_to_win_rate",
        id="wins without leads",
    ),
]  # fmt: skip
FIGURES = [
    "items_per_lead", "items_per_win", "leads_per_win", "hours_per_lead", "hours_per_win",
    "win_rate", "lead_rate", "lead_to_win_rate",
]  # fmt: skip


@pytest.mark.parametrize(("items", "leads", "wins", "minutes", "undefined"), UNDEFINED_DATA)
def test_division_by_zero_gives_none(items, leads, wins, minutes, undefined):
    row = FunnelRow("X", items=items, leads=leads, wins=wins, minutes=minutes)
    assert {name for name in FIGURES if getattr(row, name) is None} == set(undefined.split())


def test_a_ratio_with_nothing_on_top_is_0():
    row = FunnelRow("Referrals", items=0, leads=2, wins=2, minutes=0)
    values = funnel_values(row)
    assert values["hours_per_win"] == values["hours_per_lead"] == Decimal("0.00")
    assert values["items_per_win"] == values["items_per_lead"] == Decimal("0.00")


def test_more_wins_than_items_has_a_rate_but_no_interval():
    row = FunnelRow("Referrals", items=2, leads=5, wins=3, minutes=60)
    assert row.win_rate == 1.5
    assert (row.win_rate_low, row.win_rate_high) == (None, None)
    assert (row.lead_rate_low, row.lead_rate_high) == (None, None)
    assert row.lead_to_win_rate == 0.6
    assert row.lead_to_win_low == pytest.approx(0.2307, abs=1e-4)


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.integers(0, 10_000))
def test_intervals_hold_their_rates(items, leads, wins, minutes):
    row = FunnelRow("X", items=items, leads=leads, wins=wins, minutes=minutes)
    for rate, low, high in [
        (row.win_rate, row.win_rate_low, row.win_rate_high),
        (row.lead_rate, row.lead_rate_low, row.lead_rate_high),
        (row.lead_to_win_rate, row.lead_to_win_low, row.lead_to_win_high),
    ]:
        assert (low is None) == (high is None)
        if low is not None:
            assert 0 <= low <= rate <= high <= 1


PLAIN_DATA = [
    (PPH, "bids", "22 bids → 1 lead → 0 wins"),
    (EMAIL, "emails", "40 emails → 6 leads → 3 wins"),
    (FunnelRow("X", items=1, leads=0, wins=1), "replies", "1 reply → 0 leads → 1 win"),
    (FunnelRow("X", items=1, leads=2, wins=2), "messages", "1 message → 2 leads → 2 wins"),
    (FunnelRow("X", items=1), "items", "1 item → 0 leads → 0 wins"),
    (FunnelRow("X"), "items", "0 items → 0 leads → 0 wins"),
]


@pytest.mark.parametrize(("row", "word", "line"), PLAIN_DATA)
def test_plain_line(row, word, line):
    assert plain_line(row, word) == line


def test_plain_line_default_word():
    assert plain_line(PPH) == "22 items → 1 lead → 0 wins"


GBP = {"rate": Decimal(30), "currency": "GBP", "item_word": "bids"}
VERDICT_DATA = [
    pytest.param(
        PPH, {**GBP, "spend_minor": 4000},
        "PeoplePerHour: 22 bids, 1 lead, 0 wins: at most 1 in 6 bids wins (95% confidence); "
        "12.6 h and £40 spent, £418 in all at £30/h.",
        id="time and spend, priced",
    ),
    pytest.param(
        PPH, GBP,
        "PeoplePerHour: 22 bids, 1 lead, 0 wins: at most 1 in 6 bids wins (95% confidence); "
        "12.6 h spent, £378 at £30/h.",
        id="time only, priced",
    ),
    pytest.param(
        PPH, {**GBP, "rate": None, "spend_minor": 1999},
        "PeoplePerHour: 22 bids, 1 lead, 0 wins: at most 1 in 6 bids wins (95% confidence); "
        "12.6 h and £19.99 spent.",
        id="no rate set",
    ),
    pytest.param(
        PPH, {**GBP, "rate": Decimal("27.50"), "currency": "USD"},
        "PeoplePerHour: 22 bids, 1 lead, 0 wins: at most 1 in 6 bids wins (95% confidence); "
        "12.6 h spent, $346.50 at $27.50/h.",
        id="rate with pence",
    ),
    pytest.param(
        FunnelRow("LinkedIn", items=97, leads=3, minutes=610),
        {**GBP, "item_word": "connections", "confidence": 0.9},
        "LinkedIn: 97 connections, 3 leads, 0 wins: at most 1 in 36 connections wins "
        "(90% confidence); 10.2 h spent, £305 at £30/h.",
        id="90% confidence",
    ),
    pytest.param(
        FunnelRow("Meetups", minutes=330), {**GBP, "item_word": "events"},
        "Meetups: 0 leads, 0 wins; 5.5 h spent, £165 at £30/h.",
        id="hours alone, no items",
    ),
    pytest.param(
        FunnelRow("Meetups", items=2, minutes=330), {**GBP, "item_word": "events"},
        "Meetups: 2 events, 0 leads, 0 wins; 5.5 h spent, £165 at £30/h.",  # upper bound 0.66
        id="no '1 in 1' phrase",
    ),
    pytest.param(
        FunnelRow("Ads", items=16), {**GBP, "item_word": "ads", "spend_minor": 12000},
        "Ads: 16 ads, 0 leads, 0 wins: at most 1 in 5 ads wins (95% confidence); £120 spent.",
        id="spend without time",
    ),
    pytest.param(
        FunnelRow("Ads", items=16), {**GBP, "item_word": "ads"},
        "Ads: 16 ads, 0 leads, 0 wins: at most 1 in 5 ads wins (95% confidence).",
        id="neither time nor spend",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("row", "options", "line"), VERDICT_DATA)
def test_verdict_line(row, options, line):
    assert verdict_line(row, **options) == line


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(EMAIL, id="has wins"),
        pytest.param(FunnelRow("Forum", items=15, leads=1, minutes=200), id="too few items"),
        pytest.param(FunnelRow("Forum", leads=1, minutes=600), id="hours but a lead"),
        pytest.param(FunnelRow("Forum"), id="nothing logged"),
    ],
)
def test_no_verdict_without_evidence(row):
    assert verdict_line(row, rate=Decimal(30), currency="GBP", spend_minor=5000) is None


def test_verdict_uses_the_money_formatter_given():
    def euros(amount: Decimal, currency: str | None) -> str:
        return f"{amount:.2f} {currency}"

    line = verdict_line(PPH, rate=Decimal(30), currency="EUR", item_word="bids", money=euros)
    assert line.endswith("; 12.6 h spent, 378.00 EUR at 30.00 EUR/h.")
