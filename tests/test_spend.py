"""Cash spend in the summary (spend, total_cost, net, ROI), the one-currency rule, reach from
running totals, and the not-paying verdicts: through the CLI, on real files."""

import csv
import io
import json
import sqlite3
from decimal import Decimal

import pytest

from netlog.reports.summary import ChannelSummary


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {row["channel"]: row for row in csv.DictReader(io.StringIO(text))}


# --- the figures, exactly --------------------------------------------------------------------

D = Decimal
ROI_40_02_ON_59_99 = D("40.02") / D("59.99")


@pytest.mark.parametrize(
    ("rate", "minutes", "spend", "revenue", "cost", "total_cost", "net", "roi"),
    [
        # Nothing priced: no rate, no spend.
        (None, 90, D(0), D(100), None, None, None, None),
        # No rate: the spend alone is the cost (the time is not priced).
        (None, 90, D("40.00"), D(0), None, D("40.00"), D("-40.00"), D(-1)),
        (None, 90, D("40.00"), D("100.00"), None, D("40.00"), D("60.00"), D("1.5")),
        # A rate: time at the rate plus the spend.
        (D(30), 80, D("19.99"), D("100.01"), D(40), D("59.99"), D("40.02"), ROI_40_02_ON_59_99),
        (D(30), 20, D("0.01"), D(0), D(10), D("10.01"), D("-10.01"), D(-1)),
        (D(30), 0, D(0), D(50), D(0), D(0), D(50), None),  # nothing spent: no ROI
    ],
)
def test_spend_counts_in_total_cost_net_and_roi_exactly(
    rate, minutes, spend, revenue, cost, total_cost, net, roi
):
    row = ChannelSummary("X", minutes=minutes, spend=spend, revenue=revenue, rate=rate)
    assert (row.cost, row.total_cost, row.net, row.roi) == (cost, total_cost, net, roi)
    for value in (row.cost, row.total_cost, row.net, row.roi):
        assert value is None or isinstance(value, Decimal)


@pytest.fixture
def spent(ok):
    ok("config", "currency", "GBP")
    ok("add", "linkedin", "1h20m", "messages", "-n", "4", "--at", "2010-09-06 10:00")
    ok("spend", "linkedin", "19.99", "Premium", "--at", "2010-09-01")
    ok("outcome", "linkedin", "win", "--value", "100.01", "--at", "2010-09-20")
    ok("add", "email", "30m", "emails", "-n", "3", "--at", "2010-09-07 08:00")


def test_summary_csv_has_spend_and_total_cost_after_the_old_columns(ok, spent):
    result = ok("summary", "--rate", "30", "-f", "csv")
    header = result.stdout.splitlines()[0].split(",")
    assert header[-9:-5] == ["net", "roi", "spend", "total_cost"]
    assert header[-5:] == [
        "replies",
        "verdict",
        "p_behind",
        "hours_to_decide",
        "credit",
    ]  # appended
    linkedin = csv_rows(result.stdout)["linkedin"]
    assert (linkedin["cost"], linkedin["spend"], linkedin["total_cost"]) == (
        "40.00",
        "19.99",
        "59.99",
    )
    assert (linkedin["net"], linkedin["roi"]) == ("40.02", "0.6671")
    email = csv_rows(result.stdout)["email"]
    assert (email["spend"], email["total_cost"], email["net"]) == ("0.00", "15.00", "-15.00")


def test_without_a_rate_total_cost_is_the_spend_alone(ok, spent):
    rows = csv_rows(ok("summary", "-f", "csv").stdout)
    linkedin, email = rows["linkedin"], rows["email"]
    assert (linkedin["cost"], linkedin["total_cost"], linkedin["net"]) == ("", "19.99", "80.02")
    # No rate and no spend: nothing is priced, so no net and no ROI.
    assert (email["cost"], email["total_cost"], email["net"], email["roi"]) == ("", "", "", "")
    data = {row["channel"]: row for row in json.loads(ok("summary", "-f", "json").stdout)}
    assert data["linkedin"]["spend"] == 19.99
    assert data["email"]["total_cost"] is None


def test_the_table_shows_spend_only_when_there_is_some(ok, spent):
    table = ok("summary").stdout
    assert "Spend" in table
    assert "£20" in table  # £19.99 to the pound
    assert "Net" in table  # spend prices something even without a rate
    plain = ok("summary", "-c", "email").stdout
    assert "Spend" not in plain
    assert "Net" not in plain


def test_amounts_keep_their_currencys_decimal_places(ok):
    ok("config", "currency", "JPY")
    ok("add", "ads", "1h", "posts", "--at", "2010-09-06 10:00")
    ok("spend", "ads", "4000", "ads", "--at", "2010-09-06")
    ok("outcome", "ads", "win", "--value", "12000", "--at", "2010-09-10")
    row = csv_rows(ok("summary", "--rate", "3000", "-f", "csv").stdout)["ads"]
    assert (row["revenue"], row["spend"], row["cost"], row["total_cost"], row["net"]) == (
        "12000",
        "4000",
        "3000",
        "7000",
        "5000",
    )


@pytest.mark.parametrize("command", [["summary"], ["funnel"], ["trend"], ["summary", "-f", "csv"]])
def test_amounts_in_two_currencies_are_refused_in_one_line(ok, run, db_path, command):
    ok("outcome", "email", "win", "--value", "£100", "--at", "2010-09-10")
    ok("spend", "email", "40", "list", "--at", "2010-09-11")
    # Another program wrote a second currency (netlog itself refuses to).
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE entries SET currency = 'EUR' WHERE kind = 'spend'")
    conn.close()
    result = run(*command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "more than one currency (1 in EUR, 1 in GBP)" in result.stderr
    assert "netlog edit" in result.stderr


# --- reach from running totals ---------------------------------------------------------------


def reach(ok, *args: str) -> int:
    return int(csv_rows(ok("summary", "-f", "csv", *args).stdout)["twitter"]["reach"])


def test_running_totals_become_changes(ok):
    ok("outcome", "twitter", "reach", "--total", "200", "--at", "2010-09-01")
    assert reach(ok) == 200  # the first total counts from zero
    ok("outcome", "twitter", "reach", "--total", "212", "--at", "2010-10-01")
    assert reach(ok) == 212
    assert reach(ok, "--since", "2010-10") == 12
    ok("outcome", "twitter", "reach", "--total", "190", "--at", "2010-11-01")
    assert reach(ok, "--since", "2010-11") == -22  # a drop is negative reach
    assert reach(ok) == 190


def test_a_baseline_total_counts_as_no_reach(ok):
    ok("outcome", "twitter", "reach", "--total", "200", "--baseline", "--at", "2010-09-01")
    assert reach(ok) == 0
    ok("outcome", "twitter", "reach", "--total", "205", "--at", "2010-09-08")
    ok("outcome", "twitter", "reach", "12", "--at", "2010-09-09")  # counts add as they are
    assert reach(ok) == 17
    by_month = csv.DictReader(io.StringIO(ok("summary", "--by", "month", "-f", "csv").stdout))
    assert [(r["period"], r["reach"]) for r in by_month] == [("2010-09", "17")]


# --- the not-paying verdict ------------------------------------------------------------------


@pytest.fixture
def bids(ok):
    ok("config", "currency", "GBP")
    ok("config", "rate", "30")
    ok("add", "peopleperhour", "12h36m", "bids", "-n", "22", "--at", "2010-09-06 09:00")
    ok("spend", "peopleperhour", "40", "bid credits", "--at", "2010-09-06")


PPH_LINE = (
    "peopleperhour: 0 wins in 12.6 h: at most 0.24 wins per hour (95%) × £50 (the median win) "
    "is £11.89/h, below its cost of £33.17/h: it does not pay."
)


def small_win_on_email(ok):
    ok("add", "email", "30m", "--at", "2010-09-07 09:00")
    ok("outcome", "email", "win", "--value", "50", "--at", "2010-09-08")


def test_summary_names_a_channel_not_paying_with_its_evidence(ok, bids):
    # Alone and with no win anywhere: nothing to compare with and no win to value (issue 17)
    alone = ok("summary").stdout
    assert "does not pay" not in alone
    assert "Too early to say: peopleperhour." in alone
    small_win_on_email(ok)
    # 3.0/12.6 h wins per hour at most, x £50 = £11.89/h, below £30/h + £40 / 12.6 h = £33.17/h
    out = ok("summary").stdout
    assert PPH_LINE in out
    assert "No wins from" not in out  # the channel is named once, with its evidence
    assert out.rstrip().endswith("The only win (£50.00) came from email: 4% of your 13.1 h.")


def test_report_without_money_names_the_channel_without_amounts(ok, bids):
    small_win_on_email(ok)
    page = ok("report", "--format", "md", "--no-money").stdout
    assert (
        "peopleperhour: 0 wins in 12.6 h: at most 0.24 wins per hour (95%), too few at the "
        "median win to cover its cost: it does not pay." in page
    )
    assert "£" not in page


def test_too_little_evidence_names_nothing(ok):
    ok("add", "upwork", "1h", "bids", "-n", "10", "--at", "2010-09-06 09:00")
    out = ok("summary").stdout
    assert "upwork:" not in out
    assert "No wins from" not in out


def test_idle_hours_with_a_lead_keep_the_threshold_line(ok):
    """6 h and a lead but only 2 items: not enough evidence for a verdict, but past the
    threshold of hours with no wins, so still flagged as before."""
    ok("add", "events", "6h", "meetups", "-n", "2", "--at", "2010-09-06 09:00")
    ok("outcome", "events", "lead", "--at", "2010-09-07")
    out = ok("summary").stdout
    assert "No wins from events (6 h): 5 h or more each." in out
    assert "events:" not in out


def test_the_currency_codes_walked_along_the_index_are_those_counted(ok, db_path):
    from netlog.store import db

    ok("outcome", "email", "win", "--value", "£100", "--at", "2010-09-10")
    for value in ("40", "12", "7"):
        ok("spend", "email", value, "list", "--at", "2010-09-11")
    ok("add", "email", "1h", "mails", "--at", "2010-09-12")  # no amount at all
    conn = sqlite3.connect(db_path)
    with conn:  # as other programs might leave them: several currencies, and one with none
        conn.execute("UPDATE entries SET currency = 'EUR' WHERE value_minor = 4000")
        conn.execute("UPDATE entries SET currency = 'AUD' WHERE value_minor = 1200")
        conn.execute("UPDATE entries SET currency = NULL WHERE value_minor = 700")
    try:
        counts = db.amount_currencies(conn)
        assert counts == {"AUD": 1, "EUR": 1, "GBP": 1}
        assert db.amount_currency_codes(conn) == list(counts)
        conn.execute("DELETE FROM entries WHERE value_minor IS NOT NULL")
        assert db.amount_currency_codes(conn) == []
    finally:
        conn.close()
