"""Credit: `--credit logged|first|last|linear` moves replies, leads and wins (count and
revenue) to the activities they came from, following links through replies and leads."""

import csv
import io
import json
from decimal import Decimal

import pytest

# Weeks from Monday 2010-09-06. Email's win #6 came from lead #5, which came from reply #4
# (from the email session #1 and the LinkedIn session #2) and from the PeoplePerHour bids #3.
# Win #7 has no links; win #9 came from lead #8, which came from no activity: both stay.
STORY = [
    ("add", "email", "10m", "emails", "-n", "2", "--at", "2010-09-06 10:00"),
    ("add", "linkedin", "1h", "messages", "-n", "10", "--at", "2010-09-14 10:00"),
    ("add", "peopleperhour", "30m", "bids", "-n", "3", "--at", "2010-09-21 10:00"),
    ("outcome", "email", "reply", "--from", "1", "--from", "2", "--at", "2010-09-22 10:00"),
    ("outcome", "email", "lead", "--from", "4", "--from", "3", "--at", "2010-09-23 10:00"),
    ("outcome", "email", "win", "--value", "100.01", "--from", "5", "--at", "2010-10-05 10:00"),
    ("outcome", "email", "win", "--value", "50", "--at", "2010-10-06 10:00"),
    ("outcome", "linkedin", "lead", "--at", "2010-10-07 10:00"),
    ("outcome", "linkedin", "win", "--value", "30", "--from", "8", "--at", "2010-10-08 10:00"),
]

# (week, channel) → (replies, leads, wins, revenue), worked out by hand; rows with none of
# them left out.
UNMOVED = {
    ("2010-10-04", "linkedin"): (0, 1, 1, "30.00"),
}
EXPECTED = {
    "logged": {
        ("2010-09-20", "email"): (1, 1, 0, "0.00"),
        ("2010-10-04", "email"): (0, 0, 2, "150.01"),
        **UNMOVED,
    },
    "first": {
        ("2010-09-06", "email"): (1, 1, 1, "100.01"),
        ("2010-10-04", "email"): (0, 0, 1, "50.00"),
        **UNMOVED,
    },
    "last": {
        ("2010-09-13", "linkedin"): (1, 0, 0, "0.00"),
        ("2010-09-20", "peopleperhour"): (0, 1, 1, "100.01"),
        ("2010-10-04", "email"): (0, 0, 1, "50.00"),
        **UNMOVED,
    },
    # 10,001 pence in three: 3,333 each and the 2 left over to the earliest (email); the
    # single reply, lead and win stay whole, on the earliest too.
    "linear": {
        ("2010-09-06", "email"): (1, 1, 1, "33.35"),
        ("2010-09-13", "linkedin"): (0, 0, 0, "33.33"),
        ("2010-09-20", "peopleperhour"): (0, 0, 0, "33.33"),
        ("2010-10-04", "email"): (0, 0, 1, "50.00"),
        **UNMOVED,
    },
}


@pytest.fixture
def story(ok):
    for args in STORY:
        ok(*args, "--yes")


def outcomes(text: str) -> dict[tuple[str, str], tuple[int, int, int, str]]:
    found = {}
    for row in csv.DictReader(io.StringIO(text)):
        figures = (int(row["replies"]), int(row["leads"]), int(row["wins"]), row["revenue"])
        if figures != (0, 0, 0, "0.00"):
            found[(row["period"], row["channel"])] = figures
    return found


@pytest.mark.parametrize("rule", list(EXPECTED))
def test_summary_by_week_credits_by_the_rule(ok, story, rule) -> None:
    shown = ok("summary", "--by", "week", "--credit", rule, "-f", "csv").stdout
    assert outcomes(shown) == EXPECTED[rule]
    assert {row["credit"] for row in csv.DictReader(io.StringIO(shown))} == {rule}


@pytest.mark.parametrize("rule", list(EXPECTED))
def test_every_rule_keeps_the_totals(ok, story, rule) -> None:
    rows = json.loads(ok("summary", "--credit", rule, "-f", "json").stdout)
    sums = [sum(Decimal(str(row[key])) for row in rows) for key in ("replies", "leads", "wins")]
    assert sums == [1, 2, 3]
    assert sum(Decimal(str(row["revenue"])) for row in rows) == Decimal("180.01")
    assert {row["credit"] for row in rows} == {rule}


def test_logged_is_the_default_and_the_output_of_before(ok, story) -> None:
    plain = ok("summary", "--by", "week", "-f", "csv").stdout
    assert plain == ok("summary", "--by", "week", "--credit", "logged", "-f", "csv").stdout
    assert outcomes(plain) == EXPECTED["logged"]
    assert "credited" not in ok("summary").stdout + ok("summary").stderr


def test_the_setting_is_the_default_and_the_option_overrides_it(ok, run, story) -> None:
    ok("config", "credit", "last")
    assert outcomes(ok("summary", "--by", "week", "-f", "csv").stdout) == EXPECTED["last"]
    shown = ok("summary", "--by", "week", "--credit", "first", "-f", "csv").stdout
    assert outcomes(shown) == EXPECTED["first"]
    result = run("config", "credit", "everything")
    assert result.exit_code == 2
    assert "credit must be logged, first, last or linear" in result.stderr
    ok("config", "credit", "--unset")
    assert outcomes(ok("summary", "--by", "week", "-f", "csv").stdout) == EXPECTED["logged"]


def test_a_range_holds_what_its_activities_earned(ok, story) -> None:
    september = ("--since", "2010-09-01", "--until", "2010-09-30")
    rows = json.loads(ok("summary", *september, "--credit", "first", "-f", "json").stdout)
    email = next(row for row in rows if row["channel"] == "email")
    assert (email["wins"], email["revenue"]) == (1, 100.01)
    rows = json.loads(ok("summary", *september, "-f", "json").stdout)
    email = next(row for row in rows if row["channel"] == "email")
    assert (email["wins"], email["revenue"]) == (0, 0.0)


def test_trend_and_funnel_credit_too(ok, story) -> None:
    trend = ok("trend", "--by", "week", "--metric", "revenue", "--credit", "linear", "-f", "csv")
    rows = {row["channel"]: row for row in csv.DictReader(io.StringIO(trend.stdout))}
    assert (rows["linkedin"]["2010-09-13"], rows["linkedin"]["total"]) == ("33.33", "63.33")
    assert rows["peopleperhour"]["2010-09-20"] == "33.33"
    assert {row["credit"] for row in rows.values()} == {"linear"}
    data = json.loads(ok("trend", "--by", "week", "--credit", "last", "-f", "json").stdout)
    assert {row["credit"] for row in data} == {"last"}
    funnel = ok("funnel", "--credit", "last", "-f", "csv").stdout
    rows = {row["channel"]: row for row in csv.DictReader(io.StringIO(funnel))}
    assert (rows["peopleperhour"]["leads"], rows["peopleperhour"]["wins"]) == ("1", "1")
    assert (rows["linkedin"]["replies"], rows["email"]["replies"]) == ("1", "0")
    assert {row["credit"] for row in rows.values()} == {"last"}


def test_tables_and_the_report_say_which_rule(ok, story) -> None:
    def shown(*args: str) -> str:
        return " ".join(ok(*args).stdout.split())  # a long title wraps

    assert "credited to the first activity" in shown("summary", "--credit", "first")
    assert "split across the activities" in shown("funnel", "--credit", "linear")
    assert "credited to the last activity" in shown("trend", "--credit", "last")
    page = ok("report", "--credit", "first", "-f", "md").stdout
    assert "- Credit: first: replies, leads and wins credited to the first activity" in page
    assert "- Credit: logged" in ok("report", "-f", "md").stdout


def test_a_bad_rule_is_a_usage_error(run, story) -> None:
    result = run("summary", "--credit", "middle")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("by", [(), ("--by", "week")])
def test_filters_apply_to_the_credited_outcomes(ok, story, by) -> None:
    ok("edit", "6", "--tag", "brochure")
    args = ("summary", *by, "--credit", "last", "-f", "json")
    wins = json.loads(ok(*args, "--kind", "win").stdout)
    shown = {(row["channel"], row["wins"], row["revenue"]) for row in wins if row["wins"]}
    assert shown == {("peopleperhour", 1, 100.01), ("email", 1, 50.0), ("linkedin", 1, 30.0)}
    tagged = json.loads(ok(*args, "--tag", "brochure").stdout)
    assert [(row["channel"], row["wins"], row["revenue"]) for row in tagged] == [
        ("peopleperhour", 1, 100.01)
    ]
    only = json.loads(ok(*args, "--channel", "peopleperhour").stdout)
    assert sum(row["revenue"] for row in only) == 100.01
