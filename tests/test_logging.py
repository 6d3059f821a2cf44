"""`netlog add` and `netlog outcome`: what is stored, what is said, and what is refused."""

import json
import sqlite3

import pytest
from tests.conftest import rows


def test_add_stores_the_session_and_confirms_on_stderr(ok, db_path):
    result = ok(
        "add",
        "linkedin",
        "45m",
        "contact messages",
        "--count",
        "12",
        "--at",
        "2010-09-14T10:00:00+01:00",
        "--note",
        "launch week",
        "--tag",
        "launch",
    )
    assert result.stdout == ""
    assert result.stderr.startswith("Logged #1: 45m on linkedin contact messages ×12")
    [row] = rows(db_path)
    assert row["kind"] == "activity"
    assert row["minutes"] == 45
    assert row["count"] == 12
    assert row["what"] == "contact messages"
    assert row["note"] == "launch week"
    assert json.loads(row["tags"]) == ["launch"]
    assert row["occurred_at"] == "2010-09-14T09:00:00+00:00"
    assert len(row["uuid"]) == 36
    assert row["logged_at"] > row["occurred_at"]


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [
        ("45m", 45),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1.5h", 90),
        ("0.5h", 30),
        ("90", 90),
        ("1:30", 90),
    ],
)
def test_add_reads_every_documented_duration(ok, db_path, duration, minutes):
    ok("add", "twitter", duration, "--at", "2010-09-14")
    assert rows(db_path)[0]["minutes"] == minutes


@pytest.mark.parametrize(
    "args",
    [
        ["add", "twitter", "0m"],
        ["add", "twitter", "-5m"],
        ["add", "twitter", "1h30x"],
        ["add", "twitter", "25h"],
        ["add", "twitter", "20m", "--at", "2999-01-01"],
        ["add", "twitter", "20m", "--at", "not a date"],
        ["add", "twitter", "20m", "--count", "-1"],
        ["add", "", "20m"],
        ["add", "bad\x1bname", "20m"],
        ["add", "x" * 65, "20m"],
        ["outcome", "email", "lead", "--value", "100"],
        ["outcome", "email", "win", "--value", "12.345"],
        ["outcome", "email", "maybe"],
        ["outcome", "email", "lead", "0"],
        ["add", "twitter", "20m", "--tag", "a,b"],
    ],
)
def test_bad_input_is_one_line_exit_2_and_creates_nothing(run, db_path, args):
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit), result.exception  # not an escaped error
    assert result.stderr.startswith("Error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one line
    assert not db_path.exists()


def test_bad_input_leaves_an_existing_database_unchanged(ok, run, db_path):
    ok("add", "twitter", "20m", "--at", "2010-09-14")
    before = db_path.read_bytes()
    result = run("add", "twitter", "20m", "--at", "tomorrow-ish")
    assert result.exit_code == 2
    assert db_path.read_bytes() == before


def test_error_message_is_a_single_line(run):
    result = run("add", "twitter", "1h30x")
    assert result.stderr.strip().count("\n") == 0
    assert "1h30x" in result.stderr


def test_outcome_win_stores_exact_money_and_currency(ok, db_path):
    ok("config", "currency", "GBP")
    result = ok(
        "outcome",
        "email",
        "win",
        "--value",
        "£1,200.50",
        "--note",
        "brochure redesign",
        "--at",
        "2010-10-05",
    )
    assert result.stdout == ""
    assert "Logged #1: 1 win on email" in result.stderr
    [row] = rows(db_path)
    assert (row["kind"], row["value_minor"], row["currency"]) == ("win", 120050, "GBP")


def test_outcome_count_and_label(ok, db_path):
    ok("outcome", "facebook", "reach", "18", "--label", "fans", "--at", "2010-12-01")
    [row] = rows(db_path)
    assert (row["kind"], row["count"], row["label"], row["minutes"]) == ("reach", 18, "fans", None)


def test_channel_spellings_are_one_channel_shown_as_first_written(ok, db_path):
    ok("add", "LinkedIn", "10m", "--at", "2010-09-14")
    result = ok("add", " linkedin ", "10m", "--at", "2010-09-15")
    assert "on LinkedIn" in result.stderr
    assert "new channel" not in result.stderr
    ok("add", "Caf\u00e9", "10m", "--at", "2010-09-14")
    ok("add", "CAFE\u0301", "10m", "--at", "2010-09-14")
    channels = rows(db_path, "SELECT name FROM channels ORDER BY id")
    assert [c["name"] for c in channels] == ["LinkedIn", "Caf\u00e9"]


def test_first_use_of_a_channel_is_pointed_out(ok):
    result = ok("add", "linkdin", "10m", "--at", "2010-09-14")
    assert "new channel 'linkdin'" in result.stderr


def test_dates_follow_the_date_order_setting(ok, db_path):
    ok("add", "email", "10m", "--at", "03/04/2011")
    ok("config", "date-order", "month-first")
    ok("add", "email", "10m", "--at", "03/04/2011")
    first, second = rows(db_path)
    assert first["occurred_at"] == "2011-04-02T23:00:00+00:00"  # 3 April, BST
    assert second["occurred_at"] == "2011-03-04T00:00:00+00:00"  # 4 March, GMT


def test_a_date_without_a_time_is_that_local_day(ok, db_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    ok("add", "email", "10m", "--at", "2010-09-14")
    assert rows(db_path)[0]["occurred_at"] == "2010-09-14T04:00:00+00:00"


def test_not_a_database_is_refused_and_left_untouched(run, db_path):
    db_path.write_bytes(b"this is my shopping list\n" * 100)
    before = db_path.read_bytes()
    for args in (["add", "x", "5m"], ["summary"], ["log"]):
        result = run(*args)
        assert result.exit_code == 1
        assert "not a netlog database" in result.stderr
        assert isinstance(result.exception, SystemExit), result.exception  # not an escaped error
        assert result.stderr.startswith("Error: "), result.stderr
        assert result.stderr.count("\n") == 1, result.stderr  # one line
    assert db_path.read_bytes() == before


def test_database_from_a_newer_netlog_is_refused_untouched(ok, run, db_path):
    ok("add", "x", "5m", "--at", "2010-09-14")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db_path.read_bytes()
    result = run("add", "x", "5m")
    assert result.exit_code == 1
    assert "newer netlog" in result.stderr
    assert db_path.read_bytes() == before


def test_another_programs_sqlite_file_is_refused(run, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    result = run("add", "x", "5m")
    assert result.exit_code == 1
    assert "not a netlog one" in result.stderr
    assert [tuple(r) for r in rows(db_path, "SELECT name FROM sqlite_master")] == [("recipes",)]


def test_db_option_beats_environment(ok, tmp_path, db_path):
    other = tmp_path / "sub" / "other.db"
    ok("--db", str(other), "add", "x", "5m", "--at", "2010-09-14")
    assert other.exists()
    assert not db_path.exists()


def test_where_prints_the_path_in_use(ok, tmp_path, db_path, monkeypatch):
    assert ok("where").stdout.strip() == str(db_path)
    monkeypatch.delenv("NETLOG_DB")
    assert ok("where").stdout.strip() == str(tmp_path / "xdg" / "netlog" / "netlog.db")
    assert ok("--db", "x.db", "where").stdout.strip() == "x.db"


def test_config_lists_sets_shows_and_unsets(ok, run):
    assert "rate" in ok("config").stdout
    ok("config", "rate", "40")
    assert ok("config", "rate").stdout.strip() == "40"
    ok("config", "rate", "--unset")
    assert ok("config", "rate").stdout.strip() == ""
    assert run("config", "rate", "forty").exit_code == 2
    assert run("config", "colour", "red").exit_code == 2
    assert run("config", "date-order", "sideways").exit_code == 2


@pytest.mark.parametrize(
    ("setting", "value", "stored"),
    [
        (None, "£50", (5000, "GBP")),
        (None, "50 eur", (5000, "EUR")),
        (None, "50", (5000, None)),
        ("USD", "$50", (5000, "USD")),
        ("AUD", "$50", (5000, "AUD")),  # A$: a plain $ is taken as the setting's dollar
        ("USD", "50", (5000, "USD")),
    ],
)
def test_a_win_keeps_the_currency_it_was_written_in(ok, db_path, setting, value, stored):
    if setting:
        ok("config", "currency", setting)
    ok("outcome", "email", "win", "--value", value, "--at", "2010-09-14")
    row = rows(db_path)[0]
    assert (row["value_minor"], row["currency"]) == stored


@pytest.mark.parametrize("value", ["£50", "50 EUR", "xyz50"])
def test_a_win_in_another_currency_than_the_setting_is_refused(run, ok, db_path, value):
    ok("config", "currency", "USD")
    result = run("outcome", "email", "win", "--value", value, "--at", "2010-09-14")
    assert result.exit_code == 2
    assert "currency" in result.stderr
    assert rows(db_path) == []
