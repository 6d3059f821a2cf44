"""The early warning: after `add`, `spend`, `stop` and `start --stop`, one line on stderr when
the channel just logged is `behind` or `not_paying` (netlog.reports.verdicts) on the 12 weeks up
to the entry, never for a channel that pays; the firm's four months replayed (issue 17)."""

import os
import re
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


def logged_id(result) -> str:
    found = re.search(r"Logged #(\d+)", result.stderr)
    assert found, result.stderr
    return found.group(1)


BEHIND_FACEBOOK = (
    "Warning: Facebook is behind (0 leads in 3 h; Email: 1 lead per 20 min; "
    "98% likely Facebook brings fewer leads per hour)"
)


@pytest.fixture
def email_brings_a_lead(ok):
    ok("add", "Email", "20m", "emails", "--at", "2010-09-13 09:00")
    ok("outcome", "email", "lead", "--at", "2010-09-13 12:00")


@pytest.mark.parametrize(("last_session", "warning"), [("59m", None), ("1h", BEHIND_FACEBOOK)])
def test_behind_from_warn_hours_on(ok, email_brings_a_lead, last_session, warning):
    for day in range(14, 16):
        assert warnings(ok("add", "Facebook", "1h", "--at", f"2010-09-{day} 10:00")) == []
    result = ok("add", "facebook", last_session, "page posts", "--at", "2010-09-17 10:00")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert warnings(result) == ([warning] if warning else [])


def test_no_lead_or_win_anywhere_names_nobody(ok):
    for day in range(13, 20):
        assert warnings(ok("add", "Facebook", "8h", "--at", f"2010-09-{day} 10:00")) == []
        assert warnings(ok("add", "Email", "10m", "--at", f"2010-09-{day} 11:00")) == []


def test_a_channel_that_pays_is_never_warned(ok, email_brings_a_lead):
    ok("config", "rate", "30")
    ok("add", "Blog", "10h", "--at", "2010-09-14 10:00")
    ok("outcome", "blog", "win", "--value", "£300", "--at", "2010-09-14 12:00")
    # 1 lead (the win) in 10 h against 1 in 20 min: behind, were it not for £300 >= 10 h x £30
    assert warnings(ok("add", "blog", "1m", "--at", "2010-09-15 10:00")) == [
        "Warning: Blog is behind (1 lead in 10 h; Email: 1 lead per 20 min; "
        "99% likely Blog brings fewer leads per hour)"
    ]
    ok("outcome", "blog", "win", "--value", "£100", "--at", "2010-09-15 12:00")
    assert warnings(ok("add", "blog", "1h", "--at", "2010-09-16 10:00")) == []


def test_not_paying_is_said_with_its_arithmetic(ok):
    ok("config", "rate", "30")
    ok("add", "Email", "10m", "--at", "2010-09-13 09:00")
    ok("outcome", "email", "win", "--value", "£100", "--at", "2010-09-13 12:00")
    # 0 wins: at most 3.0/H wins per hour; x £100 < £30/h once H > 9.99 h
    assert warnings(ok("add", "Blog", "9h", "--at", "2010-09-14 10:00")) == [
        "Warning: Blog is behind (0 leads in 9 h; Email: 1 lead per 10 min; "
        "99% likely Blog brings fewer leads per hour)"
    ]
    assert warnings(ok("add", "blog", "1h", "--at", "2010-09-15 10:00")) == [
        "Warning: Blog does not pay (0 wins in 10 h: at most 0.3 wins per hour (95%) × £100 "
        "(the median win) is £29.96/h, below its cost of £30/h)"
    ]


def test_the_weeks_judged_end_at_the_entry(ok, email_brings_a_lead):
    ok("add", "Blog", "4h", "--at", "2010-09-21 10:00")  # after the lead: behind
    # a session backdated before Email's lead is judged on what was known then: no lead yet
    assert warnings(ok("add", "blog", "3h", "--at", "2010-09-12 10:00")) == []
    # and the weeks judged are the 12 up to the entry: Email's lead has aged out by December
    assert warnings(ok("add", "blog", "3h", "--at", "2010-12-13 10:00")) == []


def test_logging_an_outcome_never_warns(ok, email_brings_a_lead):
    ok("add", "Blog", "8h", "articles", "--at", "2010-09-13 10:00")
    assert warnings(ok("outcome", "blog", "reach", "3", "--at", "2010-09-14 10:00")) == []


def test_spend_stop_and_start_stop_warn_too(ok, email_brings_a_lead):
    ok("add", "PeoplePerHour", "5h", "bids", "--at", "2010-09-14 10:00")
    expected = [
        "Warning: PeoplePerHour is behind (0 leads in 5 h; Email: 1 lead per 20 min; "
        "99% likely PeoplePerHour brings fewer leads per hour)"
    ]
    assert (
        warnings(ok("spend", "peopleperhour", "£10", "credits", "--at", "2010-09-14 18:00"))
        == expected
    )
    ok("start", "peopleperhour", "bids", "--at", "2010-09-15 10:00")
    stopped = ok("stop", "--at", "2010-09-15 11:00")
    assert stopped.stdout == ""
    assert warnings(stopped) == [expected[0].replace("in 5 h", "in 6 h")]
    switched = ok("start", "email", "--stop", "--at", "2010-09-15 12:00")
    assert switched.stdout == ""
    assert warnings(switched) == []  # the session stopped was Email's: Email leads
    ok("start", "peopleperhour", "--stop", "--at", "2010-09-15 13:00")
    again = ok("start", "email", "--stop", "--at", "2010-09-15 14:00")
    assert warnings(again) == [
        "Warning: PeoplePerHour is behind (0 leads in 7 h; Email: 1 lead per 1.3 h; "
        "97% likely PeoplePerHour brings fewer leads per hour)"
    ]


@pytest.mark.parametrize(
    ("setting", "session", "warned"),
    [("2", "1h59m", False), ("2", "2h", True), ("3", "2h59m", False), ("0", "20h", False)],
)
def test_warn_hours_setting(ok, db_path, email_brings_a_lead, setting, session, warned):
    set_warn_hours(db_path, setting)
    result = ok("add", "LinkedIn", session, "--at", "2010-09-14 09:00")
    assert bool(warnings(result)) is warned


def test_one_line_when_over_budget_and_behind(ok, email_brings_a_lead):
    ok("add", "LinkedIn", "4h30m", "--at", "2010-09-13 09:00")
    ok("budget", "linkedin", "5h/week", "--since", "2010")
    result = ok("add", "linkedin", "1h", "--at", "2010-09-14 09:00")
    assert warnings(result) == [
        "Warning: LinkedIn is over its 5h/week budget (5h 30m in the week of 2010-09-13)"
        " and is behind (0 leads in 5.5 h; Email: 1 lead per 20 min; "
        "99% likely LinkedIn brings fewer leads per hour)"
    ]
    assert len(result.stderr.splitlines()) == 2  # the Logged line, then the one warning


def test_the_console_script_warns_on_stderr_and_exits_0(ok, db_path, email_brings_a_lead):
    env = os.environ.copy()
    args = [NETLOG, "add", "Facebook", "3h", "page posts", "--at", "2010-09-14 10:00"]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Logged #3: 3h on Facebook page posts, 2010-09-14 10:00 (new channel 'Facebook')",
        BEHIND_FACEBOOK,
    ]


# --- the firm's four months, replayed (issue 17, "Done when") ------------------------------

FIRST_MONDAY = date(2010, 9, 6)
WEEKS = 17  # 6 September to 2 January: September to December
# (channel, weekday, duration, what) every week
WEEKLY = [
    ("LinkedIn", 0, "1h", "contact messages"),
    ("Facebook", 1, "1h", "page posts"),
    ("PeoplePerHour", 2, "1h", "bids"),
    ("Blog", 3, "1h", "article"),
    ("Twitter", 4, "45m", "tweets"),
]
DEAD = [channel for channel, *_ in WEEKLY]


def test_replaying_the_firms_four_months_names_five_channels_by_week_six_never_email(ok):
    ok("config", "rate", "30")
    named: dict[str, list[int]] = {channel: [] for channel in [*DEAD, "Email"]}
    lead_id = None
    for week in range(1, WEEKS + 1):
        monday = FIRST_MONDAY + timedelta(weeks=week - 1)
        sessions = list(WEEKLY)
        if week % 2:  # ten-minute emails every other week
            sessions.append(("Email", 0, "10m", "short emails"))
        for channel, weekday, duration, what in sessions:
            at = f"{monday + timedelta(days=weekday)} 14:00"
            result = ok("add", channel, duration, what, "--at", at)
            assert result.stdout == ""
            for line in warnings(result):
                assert line.startswith(f"Warning: {channel} is behind (")
                named[channel].append(week)
        wednesday = f"{monday + timedelta(days=2)} 16:00"
        if week == 3:
            lead_id = logged_id(ok("outcome", "Email", "lead", "--at", wednesday))
        if week in (5, 10):
            assert lead_id is not None
            won = ok("outcome", "Email", "win", "--value", "£1,000", "--from", lead_id, "--at",
                     wednesday)  # fmt: skip
            assert warnings(won) == []
        if week == 6:
            ok("outcome", "PeoplePerHour", "lead", "--label", "shortlisted", "--at", wednesday)

    first_named = {channel: weeks[0] for channel, weeks in named.items() if weeks}
    assert set(first_named) == set(DEAD)  # email never
    assert all(week <= 6 for week in first_named.values()), first_named
    # Email's lead comes after week 3's sessions here; with it, 3 h of the others are enough
    assert first_named == dict.fromkeys(DEAD, 4)
    # once named, named after every session: the shortlist leaves PeoplePerHour behind too
    for channel in DEAD:
        assert named[channel] == list(range(4, WEEKS + 1))
