"""`netlog funnel` and `netlog trend` through the CLI, on real files, read back as a program
would; and the demo's links."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest

from netlog.reports.insight import item_word

# The funnel's columns as the README promises them, written out rather than imported.
FUNNEL_HEADER = [
    "channel", "items", "leads", "wins", "items_per_lead", "items_per_win", "leads_per_win",
    "win_rate", "win_rate_low", "win_rate_high", "days_to_first_lead", "days_to_first_win",
    "hours_per_lead", "hours_per_win", "hours", "lead_rate", "lead_rate_low", "lead_rate_high",
    "lead_to_win_rate", "lead_to_win_low", "lead_to_win_high", "days_lead_to_win",
    "replies", "reply_rate", "reply_rate_low", "reply_rate_high", "hours_per_reply", "credit",
]  # fmt: skip


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def by_channel(text: str) -> dict[str, dict[str, str]]:
    return {row["channel"]: row for row in csv_rows(text)}


def logged_id(result) -> int:
    return int(re.search(r"Logged #(\d+)", result.stderr)[1])


# --- funnel ----------------------------------------------------------------------------------


@pytest.fixture
def bids(ok):
    """PeoplePerHour: 22 bids, 1 lead 10 days after the first bid, no win."""
    ok("config", "currency", "GBP")
    ok("add", "peopleperhour", "6h", "bids", "-n", "12", "--at", "2010-09-02 10:00")
    ok("add", "peopleperhour", "6h36m", "bids", "-n", "10", "--at", "2010-09-09 10:00")
    ok("outcome", "peopleperhour", "lead", "--at", "2010-09-12 10:00")


def test_funnel_csv_has_the_promised_columns_and_figures(ok, bids):
    result = ok("funnel", "-f", "csv")
    assert result.stdout.splitlines()[0].split(",") == FUNNEL_HEADER
    row = by_channel(result.stdout)["peopleperhour"]
    assert (row["items"], row["leads"], row["wins"]) == ("22", "1", "0")
    assert (row["items_per_lead"], row["items_per_win"], row["leads_per_win"]) == ("22.00", "", "")
    # 0 of 22: the Wilson upper bound is z²/(22 + z²) = 0.1487 at 95%.
    rates = (row["win_rate"], row["win_rate_low"], row["win_rate_high"])
    assert rates == ("0.0000", "0.0000", "0.1487")
    assert row["days_to_first_lead"] == "10.0"
    assert row["days_to_first_win"] == ""
    assert (row["hours"], row["hours_per_lead"], row["hours_per_win"]) == ("12.60", "12.60", "")
    assert row["lead_rate"] == "0.0455"


def test_funnel_table_shows_the_plain_line_the_interval_and_the_verdict(ok, bids):
    out = ok("funnel").stdout
    assert "22 bids → 1 lead → 0 wins" in out
    assert "0% (0–15%)" in out  # the win rate and its 95% interval
    assert "4.5% (0.8–22%)" in out  # the lead rate
    assert (
        "peopleperhour: 22 bids, 1 lead, 0 wins: at most 1 in 6 bids wins (95% confidence)" in out
    )
    assert "95% Wilson interval" in out


def test_funnel_channel_and_range_filters(ok, bids):
    ok("add", "email", "30m", "emails to prospects", "-n", "8", "--at", "2010-10-04 08:00")
    assert list(by_channel(ok("funnel", "-f", "csv").stdout)) == ["peopleperhour", "email"]
    assert list(by_channel(ok("funnel", "-c", "email", "-f", "csv").stdout)) == ["email"]
    row = by_channel(ok("funnel", "--since", "2010-09-05", "-f", "csv").stdout)["peopleperhour"]
    assert (row["items"], row["days_to_first_lead"]) == ("10", "3.0")


@pytest.mark.parametrize(
    ("args", "stdout"),
    [(["-f", "csv"], [",".join(FUNNEL_HEADER)]), (["-f", "json"], ["[]"]), ([], [])],
)
def test_funnel_with_nothing_to_show_is_valid_empty_output(ok, args, stdout):
    assert ok("funnel", *args).stdout.splitlines() == stdout  # no file at all
    ok("add", "email", "30m", "emails", "--at", "2010-09-06 08:00")
    assert ok("funnel", "--since", "2011", *args).stdout.splitlines() == stdout
    ok("outcome", "twitter", "reach", "40", "--at", "2010-09-06")  # reach alone: no funnel
    assert ok("funnel", "-c", "twitter", *args).stdout.splitlines() == stdout


def test_a_lead_before_any_activity_has_no_days_to_first_lead(ok):
    ok("outcome", "email", "lead", "--at", "2010-09-01")
    ok("add", "email", "30m", "emails", "-n", "5", "--at", "2010-09-06 08:00")
    ok("outcome", "email", "win", "--at", "2010-09-09 20:00")
    row = by_channel(ok("funnel", "-f", "csv").stdout)["email"]
    assert (row["days_to_first_lead"], row["days_to_first_win"]) == ("", "3.5")


def test_days_from_lead_to_win_is_the_median_over_linked_pairs_only(ok):
    ok("add", "email", "1h", "emails", "-n", "40", "--at", "2010-09-01 08:00")

    def pair(lead_day: str, win_day: str) -> None:
        lead = logged_id(ok("outcome", "email", "lead", "--at", lead_day))
        ok("outcome", "email", "win", "--from", str(lead), "--at", win_day)

    def days() -> str:
        return by_channel(ok("funnel", "-f", "csv").stdout)["email"]["days_lead_to_win"]

    assert days() == ""
    pair("2010-09-02", "2010-09-04")  # 2 days
    pair("2010-09-03", "2010-09-12")  # 9 days
    pair("2010-09-05", "2010-09-09")  # 4 days
    assert days() == "4.0"
    pair("2010-09-06", "2010-09-16")  # 10 days: the median of 2, 4, 9, 10 is 6.5
    assert days() == "6.5"
    # Wins not linked to a lead do not count: unlinked, or linked to an activity only.
    ok("outcome", "email", "win", "--at", "2010-12-01")
    ok("outcome", "email", "win", "--from", "1", "--at", "2010-12-02")
    assert days() == "6.5"
    # The pairs are those whose win falls in the range.
    assert (
        by_channel(ok("funnel", "--since", "2010-09-10", "-f", "csv").stdout)["email"][
            "days_lead_to_win"
        ]
        == "9.5"
    )


def test_funnel_json_has_the_same_figures(ok, bids):
    [row] = json.loads(ok("funnel", "-f", "json").stdout)
    assert list(row) == FUNNEL_HEADER
    assert (row["items"], row["win_rate_high"], row["days_to_first_win"]) == (22, 0.1487, None)


@pytest.mark.parametrize(
    ("what", "word"),
    [
        ("bids", "bids"),
        ("Tweets", "tweets"),
        ("  messages ", "messages"),
        ("bid", "items"),  # not a plural
        ("emails to prospects", "items"),  # not one word
        ("address", "items"),
        ("DMs", "dms"),
        ("a" * 20 + "s", "items"),  # too long to read as a word
        (None, "items"),
    ],
)
def test_item_word(what, word):
    assert item_word(what) == word


def test_item_word_needs_most_of_the_channels_items(ok):
    ok("add", "upwork", "1h", "bids", "-n", "6", "--at", "2010-09-01 08:00")
    ok("add", "upwork", "1h", "proposals", "-n", "6", "--at", "2010-09-02 08:00")
    assert "12 items → 0 leads → 0 wins" in ok("funnel").stdout
    ok("add", "upwork", "1h", "bids", "-n", "1", "--at", "2010-09-03 08:00")
    assert "13 bids → 0 leads → 0 wins" in ok("funnel").stdout


# --- the demo --------------------------------------------------------------------------------


@pytest.fixture
def demo_db(demo_copy):
    return demo_copy


def test_demo_funnel_shows_the_rates_intervals_and_verdict(ok, demo_db):
    out = ok("--db", str(demo_db), "funnel").stdout
    assert "22 bids → 1 lead → 0 wins" in out
    assert "0% (0–15%)" in out
    assert (
        "PeoplePerHour: 22 bids, 1 lead, 0 wins: at most 1 in 6 bids wins (95% confidence); "
        "12.6 h spent" in out
    )
    email = by_channel(ok("--db", str(demo_db), "funnel", "-f", "csv").stdout)["Email"]
    # print shop: reply 14 Sep, win 5 Oct (21 days); architect: 19 Oct to 30 Nov (42 days)
    assert email["days_lead_to_win"] == "31.5"


def test_demo_outcomes_are_linked_to_what_they_came_from(ok, demo_db):
    entries = json.loads(ok("--db", str(demo_db), "log", "-f", "json").stdout)
    by_uuid = {entry["uuid"]: entry for entry in entries}

    def sources(label: str) -> list[tuple[str, str]]:
        [entry] = [e for e in entries if e["label"] == label]
        return sorted((by_uuid[s]["kind"] or "activity", by_uuid[s]["what"] or by_uuid[s]["label"])
                      for s in entry["sources"])  # fmt: skip

    assert sources("shortlisted") == [("activity", "bids")]
    assert sources("reply from a print shop") == [("activity", "emails to prospects")]
    assert sources("print shop") == [
        ("activity", "emails to prospects"),
        ("lead", "reply from a print shop"),
    ]
    assert sources("architect") == [
        ("activity", "emails to prospects"),
        ("lead", "reply from an architect"),
    ]
    [shortlisted] = [e for e in entries if e["label"] == "shortlisted"]
    [bid] = shortlisted["sources"]
    assert by_uuid[bid]["occurred_at"][:10] == "2010-10-21"  # the last bid before it
    assert not any(entry["type"] == "spend" for entry in entries)  # the story names no spend


def test_demo_is_the_same_every_time(ok, tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    ok("demo", "--save", str(first))
    ok("demo", "--save", str(second))
    assert (
        ok("--db", str(first), "log", "-f", "csv").stdout
        == ok("--db", str(second), "log", "-f", "csv").stdout
    )


# --- trend -----------------------------------------------------------------------------------


@pytest.fixture
def months(ok):
    """September and November 2010 (nothing in October), two channels, money both ways."""
    ok("config", "currency", "GBP")
    ok("add", "linkedin", "1h", "messages", "-n", "5", "--at", "2010-09-06 10:00")
    ok("add", "linkedin", "2h", "messages", "-n", "7", "--at", "2010-11-08 10:00")
    ok("add", "linkedin", "20m", "messages", "-n", "1", "--at", "2010-11-30 23:30")  # UTC+0
    ok("add", "email", "45m", "emails", "-n", "8", "--at", "2010-09-14 08:00")
    ok("outcome", "email", "lead", "--at", "2010-09-20")
    ok("outcome", "email", "win", "--value", "850.50", "--at", "2010-11-02")
    ok("spend", "linkedin", "19.99", "Premium", "--at", "2010-09-01")
    ok("spend", "linkedin", "19.99", "Premium", "--at", "2010-11-01")


def test_trend_csv_is_wide_with_one_column_per_month(ok, months):
    result = ok("trend", "-f", "csv")
    assert result.stdout.splitlines()[0] == "channel,2010-09,2010-10,2010-11,total,credit"
    rows = by_channel(result.stdout)
    assert rows["linkedin"] == {
        "channel": "linkedin",
        "2010-09": "1.00",
        "2010-10": "0.00",
        "2010-11": "2.33",
        "total": "3.33",
        "credit": "logged",
    }
    assert rows["email"]["total"] == "0.75"


@pytest.mark.parametrize(
    ("by", "header"),
    [
        ("week", "channel,2010-09-06,2010-09-13,2010-09-20,total,credit"),
        ("year", "channel,2010,total,credit"),
    ],
)
def test_trend_labels_weeks_by_their_first_day_and_years_by_number(ok, by, header):
    ok("add", "email", "1h", "emails", "--at", "2010-09-06 10:00")  # a Monday
    ok("add", "email", "1h", "emails", "--at", "2010-09-26 10:00")  # a Sunday
    assert ok("trend", "--by", by, "-f", "csv").stdout.splitlines()[0] == header


def test_trend_range_from_since_to_until(ok, months):
    header = ok("trend", "--since", "2010-08", "--until", "2010-12", "-f", "csv").stdout
    assert header.splitlines()[0] == "channel,2010-08,2010-09,2010-10,2010-11,2010-12,total,credit"


# Each trend metric and the summary column that holds the same figure.
METRICS = {
    "hours": "hours",
    "items": "activities",
    "leads": "leads",
    "wins": "wins",
    "revenue": "revenue",
    "spend": "spend",
    "cost": "cost",
    "net": "net",
}


@pytest.mark.parametrize("metric", list(METRICS))
def test_trend_sums_are_the_summary_sums(ok, months, metric):
    summary = by_channel(ok("summary", "--rate", "33.33", "-f", "csv").stdout)
    result = ok("trend", "--metric", metric, "--rate", "33.33", "-f", "csv")
    rows = by_channel(result.stdout)
    assert set(rows) == set(summary)
    for channel, row in rows.items():
        assert Decimal(row["total"]) == Decimal(summary[channel][METRICS[metric]] or 0)
        cells = [Decimal(value) for key, value in row.items() if key[:2] == "20"]
        # Each cell is rounded on its own; they add up to the total within that rounding.
        assert abs(sum(cells) - Decimal(row["total"])) <= Decimal("0.01") * len(cells)
    by_month = csv_rows(ok("summary", "--by", "month", "--rate", "33.33", "-f", "csv").stdout)
    for month_row in by_month:
        cell = rows[month_row["channel"]][month_row["period"]]
        assert Decimal(cell) == Decimal(month_row[METRICS[metric]] or 0)


def test_trend_json_lists_each_channel_with_its_periods_total_and_direction(ok):
    ok("add", "email", "1m", "kick-off", "--at", "2010-09-01 00:00")  # September is whole
    for month, hours in (
        ("2010-09", "1h"),
        ("2010-10", "2h"),
        ("2010-11", "3h"),
        ("2010-12", "4h"),
    ):
        ok("add", "linkedin", hours, "messages", "--at", f"{month}-06 10:00")
        ok("add", "email", "1h", "emails", "--at", f"{month}-07 10:00")
    ok("add", "blog", "3h", "post", "--at", "2010-09-08 10:00")
    data = json.loads(ok("trend", "-f", "json").stdout)
    assert data[0] == {
        "channel": "linkedin",
        "periods": {"2010-09": 1.0, "2010-10": 2.0, "2010-11": 3.0, "2010-12": 4.0},
        "total": 10.0,
        "direction": "rising",
        "partial": [],
        "credit": "logged",
    }
    directions = {row["channel"]: row["direction"] for row in data}
    # one post in September and nothing since is a single event, not a fall (issue 17)
    assert directions == {"linkedin": "rising", "email": "flat", "blog": "flat"}


def test_trend_table_has_a_sparkline_a_direction_and_a_total_row(ok):
    for month, hours in (("2010-09", "1h"), ("2010-10", "2h"), ("2010-11", "4h")):
        ok("add", "linkedin", hours, "messages", "--at", f"{month}-06 10:00")
    out = ok("trend").stdout
    assert "Hours by month" in out
    assert "▃▅█" in out  # from 0 (▁) to the largest value (█): 1/4 of the way is ▃
    assert "flat" in out  # September began before the first entry: two full months are few
    assert "2010-09*" in out
    assert re.search(r"Total\s+1\.0\s+2\.0\s+4\.0\s+7\.0", out)


def test_trend_cost_needs_a_rate(ok, run, months):
    result = run("trend", "--metric", "cost")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "--rate 40" in result.stderr
    ok("config", "rate", "30")
    assert by_channel(ok("trend", "--metric", "cost", "-f", "csv").stdout)["email"]["total"] == (
        "22.50"
    )


@pytest.mark.parametrize(
    ("args", "stdout"), [(["-f", "csv"], ["channel,total,credit"]), (["-f", "json"], ["[]"])]
)
def test_trend_with_nothing_to_show_is_valid_empty_output(ok, args, stdout):
    assert ok("trend", *args).stdout.splitlines() == stdout
    ok("add", "email", "1h", "emails", "--at", "2010-09-06 10:00")
    assert ok("trend", "--since", "2011", *args).stdout.splitlines() == stdout


# --- the report's funnel section -------------------------------------------------------------


def test_report_has_the_funnel_with_a_whisker_per_win_rate(ok, demo_db):
    page = ok("--db", str(demo_db), "report", "--format", "md").stdout
    assert "## Items to leads to wins" in page
    assert "| PeoplePerHour | 22 bids → 1 lead → 0 wins | 4.5% (0.8–22%) | 0% (0–15%) |" in page
    html = ok("--db", str(demo_db), "report").stdout
    funnel = html[
        html.index('<section class="funnel"') : html.index(
            "</section>", html.index('<section class="funnel"')
        )
    ]
    assert funnel.count('class="chart whisker"') == 7  # one per channel with items
    assert 'aria-label="Wins per item, PeoplePerHour: 0% (0–15%), 95% interval"' in funnel


def test_report_leaves_the_funnel_out_when_no_items_are_counted(ok):
    ok("outcome", "email", "lead", "--at", "2010-09-06")
    ok("outcome", "email", "win", "--at", "2010-09-09")
    assert "Items to leads to wins" not in ok("report", "--format", "md").stdout
