"""Verdicts and budget marks answer for what is shown (issue 16, item 4): the period and the
channels shown bound them, other filters leave them out with a note, and a budget counts from
the day it was set."""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from tests.conftest import rows

from netlog.reports.views import WHOLE_PICTURE_NOTE
from netlog.store import migrations

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def demo(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's four months as the file every command reads."""
    path = demo_copy
    monkeypatch.setenv("NETLOG_DB", str(path))
    return path


@pytest.fixture
def set_on(monkeypatch: pytest.MonkeyPatch):
    """Pin the `budget` commands' clock to a London time: the day a budget is set."""

    def pin(local: str) -> None:
        moment = datetime.fromisoformat(local).replace(tzinfo=LONDON).astimezone(UTC)
        monkeypatch.setattr("netlog.commands.budget.now_and_zone", lambda: (moment, LONDON))

    return pin


def closing(result) -> list[str]:
    """The lines under the summary table (after the total row)."""
    lines = result.stdout.splitlines()
    total = max(i for i, line in enumerate(lines) if line.strip().startswith("Total"))
    return [line for line in lines[total + 1 :] if line.strip()]


def condemns(lines: list[str], channel: str) -> bool:
    """Whether a closing line says the channel does not pay."""
    return any(
        line.startswith(f"{channel}:") or (line.startswith("No wins from") and channel in line)
        for line in lines
    )


# --- filters -------------------------------------------------------------------------------


def test_the_demo_in_full_names_its_verdicts(ok, demo):
    lines = closing(ok("summary"))
    assert lines[-1] == "All 2 wins (£2,050.50) came from Email: 4% of your 78.9 h."
    assert condemns(lines, "Blog")
    assert condemns(lines, "PeoplePerHour")
    assert WHOLE_PICTURE_NOTE not in lines


def test_kind_activity_says_no_wins_yet_of_nothing(ok, demo):
    lines = closing(ok("summary", "--kind", "activity"))
    assert not any("No wins yet" in line for line in lines)
    assert not condemns(lines, "Email")
    assert not condemns(lines, "Blog")  # no verdict on any channel from part of its entries
    assert lines == [WHOLE_PICTURE_NOTE]


def test_the_wins_line_stays_whenever_wins_are_shown(ok, demo):
    lines = closing(ok("summary", "--kind", "win"))
    # no time is shown, so no share of it either
    assert lines == ["All 2 wins (£2,050.50) came from Email.", WHOLE_PICTURE_NOTE]
    lines = closing(ok("summary", "--kind", "activity", "--kind", "win"))
    assert lines == [
        "All 2 wins (£2,050.50) came from Email: 4% of the 78.9 h shown.",
        WHOLE_PICTURE_NOTE,
    ]


def test_search_does_not_say_a_paying_channel_brought_nothing(ok):
    for day in range(1, 11):
        ok("add", "Email", "30m", "cold emails", "-n", "10", "--at", f"2010-09-{day:02d} 09:00")
        ok("add", "LinkedIn", "1h", "messages", "--at", f"2010-09-{day:02d} 11:00")
    ok("outcome", "email", "win", "--value", "£3000", "--label", "retainer", "--at", "2010-09-20")
    whole = closing(ok("summary"))
    assert whole[-1] == "The only win (£3,000.00) came from Email: 33% of your 15 h."
    assert condemns(whole, "LinkedIn")  # the same data, seen whole, does judge
    searched = ok("summary", "--search", "cold emails")
    assert "Email" in searched.stdout
    lines = closing(searched)
    assert not condemns(lines, "Email")
    assert not any("0 wins" in line or "No wins" in line for line in lines)
    assert lines == [WHOLE_PICTURE_NOTE]


def test_tag_filter_leaves_the_verdicts_out_too(ok):
    ok("add", "Email", "6h", "--at", "2010-09-01 09:00", "--tag", "launch")
    ok("outcome", "email", "win", "--value", "£500", "--at", "2010-09-02")
    lines = closing(ok("summary", "--tag", "launch"))
    assert lines == [WHOLE_PICTURE_NOTE]
    assert closing(ok("summary"))[-1] == "The only win (£500.00) came from Email: 100% of your 6 h."


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--kind", "activity"),
        ("--kind", "lead"),
        ("--kind", "activity", "--kind", "lead"),
        ("--search", "email"),
        ("--channel", "email"),
        ("--channel", "email", "--kind", "activity"),
        ("--by", "month"),
        ("--since", "2010-09", "--until", "2010-12"),
    ],
)
def test_a_good_channel_is_never_condemned(ok, demo, args):
    result = ok("summary", *args)
    if "Total" in result.stdout:
        assert not condemns(closing(result), "Email")


# --- budget marks ----------------------------------------------------------------------------


def test_channel_filter_keeps_other_channels_budgets_out(ok, demo):
    for channel in ("linkedin", "peopleperhour", "twitter"):
        ok("budget", channel, "30m/week", "--since", "2010")
    ok("budget", "email", "10h/week", "--since", "2010")
    whole = closing(ok("summary"))
    assert "Over budget: LinkedIn, PeoplePerHour, Twitter (see netlog budget for the limits)." in (
        whole
    )
    email = closing(ok("summary", "--channel", "email"))
    assert not any(line.startswith("Over budget") for line in email)
    assert email == [
        "Email pays: £2,050.50 in, against £85 of cost.",
        "All 2 wins (£2,050.50) came from Email: 100% of your 2.8 h.",
    ]
    both = closing(ok("summary", "--channel", "email", "--channel", "twitter"))
    assert "Over budget: Twitter (see netlog budget for the limits)." in both
    # other filters leave the marks out: the budget judges all of a channel's time
    activity = closing(ok("summary", "--kind", "activity"))
    assert not any("Over budget" in line for line in activity)


def test_a_budget_does_not_judge_weeks_before_it_was_set(ok, set_on):
    ok("add", "linkedin", "3h", "--at", "2010-10-05 10:00")  # week of 4 October
    ok("add", "linkedin", "1h", "--at", "2010-10-11 10:00")  # week of 11 October, before the 15th
    set_on("2010-10-15 12:00")
    done = ok("budget", "linkedin", "2h/week")
    assert done.stderr == (
        "Budget for linkedin: 2h/week, counting from 2010-10-15; used this week: 0m.\n"
    )
    assert not any("Over budget" in line for line in closing(ok("summary")))
    # logged late, the week of 9 October is still not judged; the week of the 15th is, from then
    late = ok("add", "linkedin", "2h", "--at", "2010-10-09 10:00")
    assert "budget" not in late.stderr
    assert "budget" not in ok("add", "linkedin", "2h", "--at", "2010-10-15 13:00").stderr
    over = ok("add", "linkedin", "1m", "--at", "2010-10-16 10:00")
    assert "Warning: linkedin is over its 2h/week budget (2h 01m in the week of 2010-10-11)" in (
        over.stderr
    )
    assert "Over budget: linkedin (" in ok("summary", "--since", "2010-10-11").stdout
    assert "Over budget" not in ok("summary", "--until", "2010-10-10").stdout


def test_since_backdates_a_budget_on_purpose(ok, set_on):
    ok("add", "linkedin", "3h", "--at", "2010-10-05 10:00")
    set_on("2010-10-15 12:00")
    ok("budget", "linkedin", "2h/week", "--since", "2010-10-01")
    assert "Over budget: linkedin (" in ok("summary").stdout
    assert ok("budget", "list", "-f", "csv").stdout.splitlines()[1].endswith(",2010-10-01")
    # set again the same way: the same budget, counting from the same day
    before = ok("budget", "list", "-f", "json").stdout
    ok("budget", "linkedin", "2h/week", "--since", "2010-10-01")
    assert ok("budget", "list", "-f", "json").stdout == before


def test_since_in_the_future_is_refused(run, ok, set_on, db_path):
    ok("add", "linkedin", "1h", "--at", "2010-10-05 10:00")
    set_on("2010-10-15 12:00")
    result = run("budget", "linkedin", "2h/week", "--since", "2010-11-01")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: --since '2010-11-01' is after today: a budget counts from today at the latest\n"
    )
    assert rows(db_path, "SELECT * FROM budgets") == []


def test_a_monthly_budget_does_not_mark_a_week_with_nothing_spent(ok):
    ok("spend", "ppc", "£60", "ads", "--at", "2010-09-02")
    ok("add", "ppc", "1h", "--at", "2010-09-21 10:00")  # time, not money, that week
    ok("add", "email", "1h", "--at", "2010-09-22 10:00")
    ok("budget", "ppc", "£50/month", "--since", "2010")
    assert "Over budget: ppc (" in ok("summary", "--since", "2010-09").stdout
    assert (
        "Over budget: ppc ("
        in ok("summary", "--since", "2010-09-01", "--until", "2010-09-05").stdout
    )
    week = ok("summary", "--since", "2010-09-20", "--until", "2010-09-26")
    assert "ppc" in week.stdout
    assert "Over budget" not in week.stdout


def test_undo_brings_back_when_a_budget_counts_from(ok, db_path):
    ok("add", "linkedin", "1h", "--at", "2010-10-05 10:00")
    ok("budget", "linkedin", "2h/week", "--since", "2010-10-01")
    ok("budget", "rm", "linkedin")
    ok("undo")
    assert [row["counts_from"] for row in rows(db_path, "SELECT * FROM budgets")] == [
        "2010-09-30T23:00:00+00:00"
    ]


def test_budgets_set_before_the_upgrade_count_from_the_day_they_were_set(tmp_path):
    path = tmp_path / "v6.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for version, migration in enumerate(migrations.MIGRATIONS[:6], start=1):
        migration(db)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO channels (key, name, created_at) VALUES ('x', 'x', 'now')")
    conn.execute(
        "INSERT INTO budgets (channel_id, kind, period, limit_value, currency, created_at)"
        " VALUES (1, 'time', 'week', 120, NULL, '2010-10-15T10:00:00+00:00')"
    )
    migrations.upgrade(conn)
    found = conn.execute("SELECT counts_from FROM budgets").fetchall()
    triggers = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'budgets_journal_delete'"
    ).fetchone()[0]
    conn.close()
    assert found == [("2010-10-14T23:00:00+00:00",)]  # midnight in London (BST)
    assert "counts_from" in triggers


# --- start --stop stops as `stop` does -------------------------------------------------------


def hours_ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="seconds")


@pytest.mark.parametrize("new_start", [(), ("--at", "now")])
def test_start_stop_refuses_a_forgotten_timer_as_stop_does(run, ok, db_path, new_start):
    ok("config", "timer-limit", "5")
    ok("start", "linkedin", "--at", hours_ago(6))
    stopping = run("stop")
    switching = run("start", "email", "--stop", *new_start)
    assert stopping.exit_code == switching.exit_code == 2
    assert stopping.stderr.startswith("Error: the timer on linkedin has run 6h")
    assert "longer than the 5h limit: was it left running?" in switching.stderr
    assert "netlog stop --at WHEN, or --duration 45m" in switching.stderr
    assert switching.stdout == ""
    assert rows(db_path) == []  # nothing logged, and the old timer still runs
    assert ok("status").stdout.startswith("linkedin")
    # the fix it names works, and then start does
    ok("stop", "--duration", "50m")
    ok("start", "email")
    assert [r["minutes"] for r in rows(db_path)] == [50]


def test_start_stop_prints_the_warnings_stop_prints(ok, db_path):
    ok("add", "LinkedIn", "1h30m", "--at", "2010-09-14 09:00")
    ok("budget", "linkedin", "2h/week", "--since", "2010")
    ok("start", "linkedin", "messages", "--at", "2010-09-15 10:00")
    stopped = ok("stop", "--at", "2010-09-15 10:45")
    ok("undo")  # the timer runs again, as if never stopped
    switched = ok("start", "email", "--stop", "--at", "2010-09-15 10:45")
    warning = "Warning: LinkedIn is over its 2h/week budget (2h 15m in the week of 2010-09-13)"
    assert stopped.stderr.splitlines()[1] == warning
    assert switched.stdout == ""
    assert switched.stderr.splitlines() == [
        "Logged #3: 45m on LinkedIn messages, 2010-09-15 10:00",
        warning,
        switched.stderr.splitlines()[2],
    ]
    assert switched.stderr.splitlines()[2].startswith("Started: email, started 2010-09-15 10:45")


def test_the_list_says_when_a_budget_started_within_its_period(ok, set_on):
    ok("add", "LinkedIn", "1h", "--at", "2010-10-11 10:00")
    ok("add", "LinkedIn", "30m", "--at", "2010-10-15 10:00")
    set_on("2010-10-15 12:00")
    ok("budget", "linkedin", "2h/week")
    assert ok("budget").stdout.splitlines() == [
        "channel   budget   period                               used",
        "LinkedIn  2h/week  week of 2010-10-11, from 2010-10-15  30m   1h 30m left",
    ]
