"""The early warning: a channel that has taken `warn-hours` (default 5) since its last lead or
win is named on stderr after `add`, `spend` and `stop`; the firm's four months replayed."""

import os
import sqlite3
import subprocess
from datetime import date, timedelta

import pytest
from tests.test_installed import NETLOG


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Warning:")]


def set_warn_hours(db_path, value: str) -> None:
    # Written straight into the file: `netlog config warn-hours` belongs to the settings list.
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO settings (key, value) VALUES ('warn-hours', ?)", (value,))
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("last_session", "warning"),
    [
        ("59m", None),
        ("1h", "Warning: Facebook has taken 5h with no lead or win yet"),
        ("1h30m", "Warning: Facebook has taken 5h 30m with no lead or win yet"),
    ],
)
def test_five_hours_without_a_lead_or_win(ok, last_session, warning):
    for day in range(13, 17):
        assert warnings(ok("add", "Facebook", "1h", "--at", f"2010-09-{day} 10:00")) == []
    result = ok("add", "facebook", last_session, "page posts", "--at", "2010-09-17 10:00")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert warnings(result) == ([warning] if warning else [])


@pytest.mark.parametrize("outcome", ["lead", "win"])
def test_a_lead_or_win_starts_the_count_again(ok, outcome):
    ok("add", "Email", "4h", "--at", "2010-09-13 10:00")
    ok("outcome", "email", outcome, "--at", "2010-09-14 10:00")
    assert warnings(ok("add", "email", "4h59m", "--at", "2010-09-15 10:00")) == []
    assert warnings(ok("add", "email", "1m", "--at", "2010-09-16 10:00")) == [
        "Warning: Email has taken 5h since its last lead or win (2010-09-14)"
    ]


def test_reach_is_no_lead(ok):
    ok("add", "Twitter", "4h", "--at", "2010-09-13 10:00")
    assert warnings(ok("outcome", "twitter", "reach", "40", "--at", "2010-09-14 10:00")) == []
    assert warnings(ok("add", "twitter", "1h", "--at", "2010-09-15 10:00")) == [
        "Warning: Twitter has taken 5h with no lead or win yet"
    ]


def test_a_lead_logged_at_the_start_of_a_session_came_from_it(ok):
    ok("add", "Email", "5h", "--at", "2010-09-13 10:00")
    ok("outcome", "email", "lead", "--at", "2010-09-13 10:00")
    assert warnings(ok("add", "email", "10m", "--at", "2010-09-14 10:00")) == []


def test_a_backdated_session_before_the_last_lead_does_not_count(ok):
    ok("outcome", "Email", "lead", "--at", "2010-09-20 10:00")
    ok("add", "email", "4h", "--at", "2010-09-21 10:00")
    assert warnings(ok("add", "email", "3h", "--at", "2010-09-14 10:00")) == []


def test_logging_an_outcome_never_warns(ok):
    ok("add", "Blog", "8h", "articles", "--at", "2010-09-13 10:00")
    assert warnings(ok("outcome", "blog", "reach", "3", "--at", "2010-09-14 10:00")) == []


def test_spend_and_stop_warn_too(ok):
    ok("add", "PeoplePerHour", "5h", "bids", "--at", "2010-09-13 10:00")
    expected = ["Warning: PeoplePerHour has taken 5h with no lead or win yet"]
    assert (
        warnings(ok("spend", "peopleperhour", "£10", "credits", "--at", "2010-09-14")) == expected
    )
    ok("start", "peopleperhour", "bids", "--at", "2010-09-15 10:00")
    stopped = ok("stop", "--at", "2010-09-15 10:30")
    assert stopped.stdout == ""
    assert warnings(stopped) == ["Warning: PeoplePerHour has taken 5h 30m with no lead or win yet"]


@pytest.mark.parametrize(
    ("setting", "session", "warned"),
    [("2", "1h59m", False), ("2", "2h", True), ("2.5", "2h29m", False), ("0", "20h", False)],
)
def test_warn_hours_setting(ok, db_path, setting, session, warned):
    ok("add", "LinkedIn", "1m", "--at", "2010-09-13 09:00")
    ok("outcome", "linkedin", "lead", "--at", "2010-09-13 09:00")
    set_warn_hours(db_path, setting)
    result = ok("add", "linkedin", session, "--at", "2010-09-14 09:00")
    assert bool(warnings(result)) is warned


def test_one_line_when_over_budget_and_overdue(ok):
    ok("add", "LinkedIn", "4h30m", "--at", "2010-09-13 09:00")
    ok("budget", "linkedin", "5h/week", "--since", "2010")
    result = ok("add", "linkedin", "1h", "--at", "2010-09-14 09:00")
    assert warnings(result) == [
        "Warning: LinkedIn is over its 5h/week budget (5h 30m in the week of 2010-09-13)"
        " and has taken 5h 30m with no lead or win yet"
    ]
    assert len(result.stderr.splitlines()) == 2  # the Logged line, then the one warning


def test_the_console_script_warns_on_stderr_and_exits_0(db_path):
    env = os.environ.copy()
    args = [NETLOG, "add", "Facebook", "5h", "page posts", "--at", "2010-09-14 10:00"]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Logged #1: 5h on Facebook page posts, 2010-09-14 10:00 (new channel 'Facebook')",
        "Warning: Facebook has taken 5h with no lead or win yet",
    ]


# --- the firm's four months, replayed -------------------------------------------------------

FIRST_MONDAY = date(2010, 9, 6)
WEEKS = 17  # 6 September to 2 January: September to December
# (channel, weekday, duration, what) for every week
WEEKLY = [
    ("LinkedIn", 0, "1h", "contact messages"),
    ("Facebook", 1, "1h", "page posts"),
    ("PeoplePerHour", 2, "1h", "bids"),
    ("Blog", 3, "1h", "article"),
    ("Twitter", 4, "45m", "tweets"),
]
DEAD = [channel for channel, *_ in WEEKLY]
# (week, weekday, outcome arguments): email brings a lead and two wins; reach is no lead.
OUTCOMES = [
    (2, 2, ["Facebook", "reach", "18", "--label", "fans"]),
    (3, 2, ["Email", "lead", "--label", "reply from Acme"]),
    (4, 4, ["Twitter", "reach", "12", "--label", "followers"]),
    (7, 3, ["Email", "win", "--value", "£1,200", "--label", "brochure redesign"]),
    (12, 2, ["Email", "win", "--value", "£850", "--label", "logo"]),
]


def test_replaying_the_firms_four_months_names_the_dead_channels_early_and_never_email(ok):
    named: dict[str, list[int]] = {channel: [] for channel in [*DEAD, "Email"]}
    for week in range(1, WEEKS + 1):
        monday = FIRST_MONDAY + timedelta(weeks=week - 1)
        email_minutes = "20m" if week % 2 else "30m"
        sessions = [*WEEKLY, ("Email", 0, email_minutes, "short emails")]
        for channel, weekday, duration, what in sessions:
            at = f"{monday + timedelta(days=weekday)} 14:00"
            result = ok("add", channel, duration, what, "--at", at)
            assert result.stdout == ""
            for line in warnings(result):
                assert line.startswith(f"Warning: {channel} ")
                named[channel].append(week)
        for outcome_week, weekday, args in OUTCOMES:
            if outcome_week == week:
                at = f"{monday + timedelta(days=weekday)} 16:00"
                assert warnings(ok("outcome", *args, "--at", at)) == []

    first_named = {channel: weeks[0] for channel, weeks in named.items() if weeks}
    assert first_named == {
        "LinkedIn": 5, "Facebook": 5, "PeoplePerHour": 5, "Blog": 5, "Twitter": 7
    }  # fmt: skip
    # once named, a dead channel is named after every session until it brings a lead
    for channel in DEAD:
        assert named[channel] == list(range(first_named[channel], WEEKS + 1))
    assert named["Email"] == []
