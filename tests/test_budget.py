"""`netlog budget` and the over-budget warning after `add`, `spend` and `stop`."""

import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import rows

from netlog.errors import InputError
from netlog.reports.budget import Limit, format_limit, over_budget, parse_limit
from netlog.store import db

LONDON = ZoneInfo("Europe/London")


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Warning:")]


@pytest.fixture
def now_is(monkeypatch):
    """Pin the `budget` commands' clock: now_is("2010-09-15 12:00") (London time)."""

    def pin(local: str) -> None:
        moment = datetime.fromisoformat(local).replace(tzinfo=LONDON).astimezone(UTC)
        monkeypatch.setattr("netlog.model.dates.utc_now", lambda: moment)  # TZ is London

    pin("2010-09-15 12:00")
    return pin


# --- reading limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "currency", "kind", "expected"),
    [
        ("2h/week", None, None, Limit("time", "week", 120)),
        ("90m / week", None, None, Limit("time", "week", 90)),
        ("1:30/week", None, None, Limit("time", "week", 90)),
        ("1.5h per week", None, None, Limit("time", "week", 90)),
        ("30h/month", None, None, Limit("time", "month", 1800)),
        ("168h/week", None, None, Limit("time", "week", 10080)),
        ("90/week", None, "time", Limit("time", "week", 90)),
        ("£50/month", None, None, Limit("spend", "month", 5000, "GBP")),
        ("£50/month", "GBP", None, Limit("spend", "month", 5000, "GBP")),
        ("50 EUR/Week", None, None, Limit("spend", "week", 5000, "EUR")),
        ("50/month", "GBP", "spend", Limit("spend", "month", 5000, "GBP")),
        ("¥5000/month", "JPY", None, Limit("spend", "month", 5000, "JPY")),
    ],
)
def test_parse_limit(text, currency, kind, expected):
    assert parse_limit(text, currency, kind=kind) == expected


@pytest.mark.parametrize(
    ("text", "currency", "kind", "message"),
    [
        ("2h", None, None, "cannot read '2h' as a budget: use e.g. 2h/week"),
        ("2h/fortnight", None, None, "per week or per month, not per 'fortnight'"),
        ("50/week", "GBP", None, "is '50' minutes or money? Write 50m/week or 50 GBP/week"),
        ("50/month", None, "spend", "which currency is '50' in?"),
        ("169h/week", None, None, "a week has at most 168 hours"),
        ("745h/month", None, None, "a month has at most 744 hours"),
        ("0m/week", None, None, "cannot read '0m' as a budget"),
        ("£0/month", None, None, "a budget must be more than nothing"),
        ("$50/month", "GBP", None, "is in USD, but this file's currency is GBP"),
        ("2h/week", None, "spend", "cannot read '2h' as a budget of money"),
        ("£5/week", None, "time", "cannot read '£5' as a budget of time"),
    ],
)
def test_parse_limit_refuses(text, currency, kind, message):
    with pytest.raises(InputError, match=message.replace("?", r"\?").replace("$", r"\$")):
        parse_limit(text, currency, kind=kind)


@given(st.integers(1, 7 * 24 * 60), st.sampled_from(["week", "month"]))
def test_time_limits_read_back_as_shown(minutes, period):
    limit = Limit("time", period, minutes)
    assert parse_limit(format_limit(limit), None) == limit


@given(
    st.integers(1, 10**12),  # within the largest amount netlog reads, even in yen
    st.sampled_from(["GBP", "USD", "JPY", "BHD", "CHF"]),
    st.sampled_from(["week", "month"]),
)
def test_money_limits_read_back_as_shown(minor, currency, period):
    limit = Limit("spend", period, minor, currency)
    assert parse_limit(format_limit(limit), currency) == limit


# --- the commands --------------------------------------------------------------------------


def test_set_list_and_remove(ok, now_is):
    ok("add", "LinkedIn", "1h30m", "messages", "--at", "2010-09-14 10:00")
    ok("add", "LinkedIn", "45m", "messages", "--at", "2010-09-10 10:00")  # the week before
    ok("spend", "PeoplePerHour", "£62", "credits", "--at", "2010-09-02")
    done = ok("budget", "linkedin", "2h/week", "--since", "2010-09-13")
    assert done.stdout == ""
    assert done.stderr == (
        "Budget for LinkedIn: 2h/week, counting from 2010-09-13; used this week: 1h 30m.\n"
    )
    assert ok("budget", "set", "peopleperhour", "£50/month", "--since", "2010-09").stderr == (
        "Budget for PeoplePerHour: £50.00/month, counting from 2010-09-01; used this month:"
        " £62.00, over.\n"
    )
    listed = ok("budget").stdout
    assert listed.splitlines() == [
        "channel        budget        period              used",
        "LinkedIn       2h/week       week of 2010-09-13  1h 30m  30m left",
        "PeoplePerHour  £50.00/month  2010-09             £62.00  over by £12.00",
    ]
    assert ok("budget", "list").stdout == listed == ok("budget", "--list").stdout
    assert ok("budget", "list", "-f", "csv").stdout.splitlines() == [
        "channel,kind,period,limit,currency,current_period,used,over,counts_from",
        "LinkedIn,time,week,120,,2010-09-13,90,False,2010-09-13",
        "PeoplePerHour,spend,month,50.00,GBP,2010-09,62.00,True,2010-09-01",
    ]

    # Set today (15 September) without --since: it counts from today, so nothing yet.
    assert ok("budget", "linkedin", "8h/month").stderr.startswith(
        "Budget for LinkedIn: 8h/month (was 2h/week), counting from 2010-09-15; used this"
        " month: 0m."
    )
    assert ok("budget", "rm", "linkedin").stderr == "Removed LinkedIn's budget: 8h/month.\n"
    assert ok("budget", "rm", "peopleperhour", "--spend").stdout == ""
    empty = ok("budget")
    assert empty.stdout == ""
    assert empty.stderr == "No budgets yet. Set one with: netlog budget linkedin 2h/week\n"


def test_one_budget_of_each_kind_per_channel(ok, db_path):
    ok("add", "linkedin", "1h", "--at", "2010-09-14 10:00")
    ok("budget", "linkedin", "2h/week")
    ok("budget", "linkedin", "£20/month")
    ok("budget", "linkedin", "3h/week")
    kept = rows(db_path, "SELECT kind, period, limit_value, currency FROM budgets ORDER BY kind")
    assert [tuple(row) for row in kept] == [
        ("spend", "month", 2000, "GBP"),
        ("time", "week", 180, None),
    ]
    assert rows(db_path, "SELECT value FROM settings WHERE key = 'currency'")[0][0] == "GBP"
    ok("budget", "rm", "linkedin", "--time")
    assert [row[0] for row in rows(db_path, "SELECT kind FROM budgets")] == ["spend"]


def test_a_channel_named_like_a_subcommand_is_reached_through_set(ok, db_path):
    ok("add", "list", "1h", "--at", "2010-09-14 10:00")
    ok("budget", "set", "list", "2h/week")
    ok("budget", "list", "3h/week")  # a LIMIT after `list` cannot be a listing
    assert rows(db_path, "SELECT limit_value FROM budgets")[0][0] == 180
    ok("add", "rm", "1h", "--at", "2010-09-14 10:00")
    ok("budget", "set", "rm", "4h/week")
    ok("budget", "rm", "rm")
    assert rows(db_path, "SELECT count(*) FROM budgets")[0][0] == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["linkedin", "2h"], 2, "cannot read '2h' as a budget"),
        (["linkedin", "50/week"], 2, "is '50' minutes or money?"),
        (["linkedin", "50/week", "--time", "--spend"], 2, "give --time or --spend, not both"),
        (["nope", "2h/week"], 1, "no channel named 'nope' (known: linkedin)"),
        (["rm", "linkedin"], 1, "linkedin has no budget (see: netlog budget list)"),
        (["rm", "linkedin", "--spend"], 1, "linkedin has no money budget"),
        (["linkedin"], 2, "missing argument 'LIMIT'"),
    ],
)
def test_bad_budget_commands_are_one_line(ok, run, db_path, args, code, message):
    ok("add", "linkedin", "1h", "--at", "2010-09-14 10:00")
    result = run("budget", *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert message.lower() in result.stderr.lower()
    assert result.stderr.count("\n") == 1
    assert not rows(db_path, "SELECT * FROM budgets")


def test_budget_on_a_missing_file_creates_nothing(run, db_path):
    result = run("budget", "linkedin", "2h/week")
    assert result.exit_code == 1
    assert "no channels yet" in result.stderr
    assert not db_path.exists()


def test_undo_reverts_set_replace_and_remove(ok, db_path):
    ok("add", "linkedin", "1h", "--at", "2010-09-14 10:00")
    ok("budget", "linkedin", "2h/week")
    ok("budget", "linkedin", "5h/month")
    ok("budget", "rm", "linkedin")
    budgets = "SELECT period, limit_value FROM budgets"
    assert rows(db_path, budgets) == []
    assert "budget rm linkedin" in ok("undo").stderr
    assert [tuple(row) for row in rows(db_path, budgets)] == [("month", 300)]
    ok("undo")
    assert [tuple(row) for row in rows(db_path, budgets)] == [("week", 120)]
    ok("undo")
    assert rows(db_path, budgets) == []


def test_merging_a_channel_away_takes_its_budgets_and_undo_restores_them(ok, db_path):
    ok("add", "linked in", "1h", "--at", "2010-09-14 10:00")
    ok("add", "linkedin", "1h", "--at", "2010-09-14 12:00", "--new-channel")
    ok("budget", "linked in", "2h/week")
    ok("channels", "merge", "linked in", "linkedin")
    assert rows(db_path, "SELECT * FROM budgets") == []
    ok("undo")
    restored = rows(db_path, "SELECT c.name FROM budgets b JOIN channels c ON c.id = b.channel_id")
    assert [row[0] for row in restored] == ["linked in"]


# --- the over-budget warning ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("second_session", "warning"),
    [
        ("59m", None),
        ("1h", None),  # exactly at the limit is within it
        (
            "1h01m",
            "Warning: LinkedIn is over its 2h/week budget (2h 01m in the week of 2010-09-13)",
        ),
    ],
)
def test_time_budget_boundary(ok, second_session, warning):
    ok("add", "LinkedIn", "1h", "--at", "2010-09-13 09:00")
    ok("budget", "linkedin", "2h/week", "--since", "2010")
    result = ok("add", "linkedin", second_session, "--at", "2010-09-19 22:00")
    assert result.stdout == ""
    assert warnings(result) == ([warning] if warning else [])


@pytest.mark.parametrize(
    ("amount", "warning"),
    [
        ("£20", None),
        ("£20.01", "Warning: PeoplePerHour is over its £50.00/month budget (£50.01 in 2010-09)"),
    ],
)
def test_spend_budget_boundary(ok, amount, warning):
    ok("spend", "PeoplePerHour", "£30", "credits", "--at", "2010-09-01")
    ok("budget", "peopleperhour", "£50/month", "--since", "2010")
    result = ok("spend", "peopleperhour", amount, "credits", "--at", "2010-09-30 23:00")
    assert result.stdout == ""
    assert warnings(result) == ([warning] if warning else [])


def test_a_backdated_entry_is_judged_in_its_own_week(ok):
    ok("add", "LinkedIn", "1h30m", "--at", "2010-09-14 10:00")
    ok("add", "LinkedIn", "1h45m", "--at", "2010-09-21 10:00")
    ok("budget", "linkedin", "2h/week", "--since", "2010")
    late = ok("add", "linkedin", "45m", "--at", "2010-09-15 10:00")  # last week's, logged now
    assert warnings(late) == [
        "Warning: LinkedIn is over its 2h/week budget (2h 15m in the week of 2010-09-13)"
    ]
    assert warnings(ok("add", "linkedin", "10m", "--at", "2010-09-22 10:00")) == []


def test_weeks_run_monday_to_sunday_in_local_time(ok):
    # Monday 00:30 in London's summer time is still Sunday in UTC: a UTC week would be over.
    ok("add", "LinkedIn", "45m", "--at", "2010-09-19 22:00")
    ok("budget", "linkedin", "1h/week", "--since", "2010")
    assert warnings(ok("add", "linkedin", "45m", "--at", "2010-09-20 00:30")) == []
    assert warnings(ok("add", "linkedin", "16m", "--at", "2010-09-26 23:30")) == [
        "Warning: LinkedIn is over its 1h/week budget (1h 01m in the week of 2010-09-20)"
    ]


@pytest.mark.parametrize(
    ("first", "second", "month"),
    [
        # 00:30 on 1 September (BST) is 23:30 on 31 August in UTC
        ("2010-08-31 23:30", "2010-09-01 00:30", None),
        ("2010-09-01 00:30", "2010-09-30 23:30", "2010-09"),
        # the clocks went back on 31 October: 23:30 that night is GMT
        ("2010-10-31 23:30", "2010-11-01 00:10", None),
        ("2010-10-01 00:00", "2010-10-31 23:59", "2010-10"),
        ("2010-12-31 23:30", "2011-01-01 00:30", None),
    ],
)
def test_month_boundaries_in_london(ok, first, second, month):
    ok("add", "Blog", "40m", "article", "--at", first)
    ok("budget", "blog", "1h/month", "--since", "2010")
    result = ok("add", "blog", "30m", "article", "--at", second)
    expected = f"Warning: Blog is over its 1h/month budget (1h 10m in {month})"
    assert warnings(result) == ([expected] if month else [])


def test_budgets_count_only_their_own_kind(ok):
    ok("add", "PPC", "1h", "--at", "2010-09-14 10:00")
    ok("budget", "ppc", "1h/week", "--since", "2010")
    ok("budget", "ppc", "£10/month", "--since", "2010")
    # a spend does not push the time budget over, nor a session the money budget
    assert warnings(ok("spend", "ppc", "£5", "--at", "2010-09-14")) == []
    assert warnings(ok("add", "ppc", "5m", "--at", "2010-09-15 10:00"))[0].startswith(
        "Warning: PPC is over its 1h/week budget"
    )
    assert warnings(ok("spend", "ppc", "£6", "--at", "2010-09-15")) == [
        "Warning: PPC is over its £10.00/month budget (£11.00 in 2010-09)"
    ]


def test_stop_warns_on_stderr_only(ok):
    ok("add", "LinkedIn", "1h30m", "--at", "2010-09-14 09:00")
    ok("budget", "linkedin", "2h/week", "--since", "2010")
    ok("start", "linkedin", "messages", "--at", "2010-09-15 10:00")
    stopped = ok("stop", "--at", "2010-09-15 10:45")
    assert stopped.exit_code == 0
    assert stopped.stdout == ""
    assert stopped.stderr.splitlines() == [
        "Logged #2: 45m on LinkedIn messages, 2010-09-15 10:00",
        "Warning: LinkedIn is over its 2h/week budget (2h 15m in the week of 2010-09-13)",
    ]


def test_a_budget_in_another_currency_than_the_files_is_not_judged(ok, db_path):
    ok("add", "ads", "1h", "--at", "2010-09-14 10:00")
    ok("budget", "ads", "£10/month", "--since", "2010")
    # the file's currency changed after the budget was set (allowed while no amount exists)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE settings SET value = 'USD' WHERE key = 'currency'")
    conn.commit()
    conn.close()
    assert warnings(ok("spend", "ads", "$50", "--at", "2010-09-15")) == []


# --- over_budget(), for the summary ---------------------------------------------------------


def stored(local: str) -> str:
    return datetime.fromisoformat(local).replace(tzinfo=LONDON).astimezone(UTC).isoformat()


def test_over_budget_names_channels_over_in_any_period_of_a_range(ok, db_path):
    ok("add", "LinkedIn", "1h30m", "--at", "2010-09-13 10:00")  # Monday
    ok("add", "LinkedIn", "1h", "--at", "2010-09-19 10:00")  # Sunday: over 2h/week
    ok("add", "LinkedIn", "1h", "--at", "2010-10-05 10:00")
    ok("add", "Twitter", "5h", "--at", "2010-09-14 10:00")  # no budget: never over
    ok("spend", "PeoplePerHour", "£60", "--at", "2010-10-02")
    ok("budget", "linkedin", "2h/week", "--since", "2010")
    ok("budget", "peopleperhour", "£50/month", "--since", "2010")
    conn = db.open_db(db_path, create=False)
    try:
        assert over_budget(conn, None, None, LONDON) == {"LinkedIn", "PeoplePerHour"}
        assert over_budget(conn, stored("2010-09-01"), stored("2010-10-01"), LONDON) == {"LinkedIn"}
        # whole weeks count: from Wednesday on, that week still holds 2h 30m
        assert over_budget(conn, stored("2010-09-15"), stored("2010-09-20"), LONDON) == {"LinkedIn"}
        assert over_budget(conn, stored("2010-10-01"), None, LONDON) == {"PeoplePerHour"}
        assert over_budget(conn, stored("2011-01-01"), None, LONDON) == set()
    finally:
        conn.close()


def test_summary_marks_channels_over_budget_in_the_period_shown(ok):
    ok("add", "linkedin", "3h", "--at", "2010-09-14 10:00")
    ok("add", "email", "1h", "--at", "2010-09-14 12:00")
    ok("budget", "linkedin", "2h/week", "--since", "2010")
    ok("budget", "email", "2h/week", "--since", "2010")
    assert "Over budget: linkedin (" in ok("summary", "--since", "2010-09").stdout
    assert "Over budget" not in ok("summary", "--since", "2010-10").stdout
