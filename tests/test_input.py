"""Logging the way people type: did-you-mean channels, repeats caught, prompts for every
field, week-start, one error style. Pinned clock (netlog.model.dates.utc_now) and zone (London)."""

import os
import select
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import rows

from netlog.store.channels import close_match

NOW = datetime(2010, 9, 14, 12, 0, tzinfo=UTC)  # a Tuesday; 13:00 in London


@pytest.fixture
def pinned(monkeypatch):
    """Pin now; returns a setter to move the clock."""
    clock = {"now": NOW}
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: clock["now"])

    def move(moment: datetime) -> None:
        clock["now"] = moment

    return move


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("netlog.commands.common.interactive", lambda: True)


# --- the closeness rule ------------------------------------------------------------------

KNOWN = ["LinkedIn", "email", "PeoplePerHour", "client1", "fb", "Twitter", "facebook"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("linkedln", "LinkedIn"),  # one replacement, 8 letters
        ("Linked In", "LinkedIn"),  # spaces and case fold away
        ("linked-in", "LinkedIn"),  # punctuation too
        ("linkdein", "LinkedIn"),  # a swap of neighbours is one typo
        ("lnkedn", None),  # two typos in a 6-letter name: too far
        ("emial", "email"),  # 5 letters, one swap
        ("emal", "email"),  # 4 letters, one deletion
        ("peoplperhr", None),  # 13 letters: two typos allowed, but 3 here
        ("peoplperhour", "PeoplePerHour"),  # one deletion
        ("peoplperhou", "PeoplePerHour"),  # two deletions in a long name
        ("client2", None),  # differs only in digits: another client
        ("client", None),  # the same, digits dropped
        ("fbb", None),  # under 4 letters: never close
        ("f.b.", None),  # folds to 2 letters
        ("twiter", "Twitter"),
        ("facebok", "facebook"),
        ("instagram", None),  # truly new
        ("LINKEDIN", None),  # the same channel is not a suggestion
    ],
)
def test_close_match(typed, expected):
    assert close_match(typed, KNOWN) == expected


def test_close_match_prefers_the_closest():
    assert close_match("emaill", ["emails", "email"]) == "email"
    assert close_match("abcdex", ["abcdey", "abcdez"]) == "abcdey"  # ties: first by name


# --- did you mean --------------------------------------------------------------------------


def test_a_close_name_in_a_pipe_is_refused_naming_both_choices(ok, run, db_path):
    ok("add", "LinkedIn", "45m")
    result = run("add", "linkedln", "30m")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "'linkedln'" in result.stderr
    assert "'LinkedIn'" in result.stderr
    assert "--yes" in result.stderr
    assert "--new-channel" in result.stderr
    assert len(rows(db_path)) == 1


def test_yes_logs_to_the_close_match_and_new_channel_forces_a_new_one(ok, db_path):
    ok("add", "LinkedIn", "45m")
    assert "new channel" not in ok("add", "linkedln", "30m", "--yes").stderr
    result = ok("add", "linkedln", "20m", "--new-channel")
    assert "(new channel 'linkedln')" in result.stderr
    names = [r[0] for r in rows(db_path, "SELECT c.name FROM entries e JOIN channels c "
                                          "ON c.id = e.channel_id ORDER BY e.id")]  # fmt: skip
    assert names == ["LinkedIn", "LinkedIn", "linkedln"]


def test_a_truly_new_name_works_in_one_command_and_is_announced(ok):
    ok("add", "LinkedIn", "45m")
    assert "(new channel 'instagram')" in ok("add", "instagram", "10m").stderr


@pytest.mark.parametrize(("answer", "channel"), [("\n", "LinkedIn"), ("n\n", "linkedln")])
def test_on_a_terminal_it_asks(ok, run, db_path, terminal, answer, channel):
    ok("add", "LinkedIn", "45m")
    result = run("add", "linkedln", "30m", input=answer)
    assert result.exit_code == 0, result.stderr
    assert "'linkedln' is new — did you mean LinkedIn? [Y/n]" in result.stderr
    last = rows(db_path, "SELECT c.name FROM entries e JOIN channels c ON c.id = e.channel_id"
                         " ORDER BY e.id DESC LIMIT 1")[0][0]  # fmt: skip
    assert last == channel


@pytest.mark.parametrize(
    "args",
    [
        ["outcome", "linkedln", "lead"],
        ["spend", "linkedln", "10"],
        ["start", "linkedln"],
        ["edit", "1", "--channel", "linkedln"],
    ],
)
def test_every_writer_of_a_channel_name_asks(ok, run, db_path, args):
    ok("add", "LinkedIn", "45m", "--at", "2010-09-01")
    before = rows(db_path, "SELECT count(*) FROM channels")[0][0]
    refused = run(*args)
    assert refused.exit_code == 2, refused.stderr
    assert "did you mean" not in refused.stderr  # the pipe form names the choices
    assert "'LinkedIn'" in refused.stderr
    assert "--new-channel" in refused.stderr
    ok(*args, "--yes")
    assert rows(db_path, "SELECT count(*) FROM channels")[0][0] == before


def test_an_alias_is_a_known_name(ok, run):
    ok("add", "facebook", "45m")
    ok("channels", "alias", "fbook", "facebook")
    assert "'fbook'" in run("add", "fbok", "5m").stderr  # closest to the alias itself
    result = ok("add", "fbok", "5m", "--yes")
    assert "on facebook" in result.stderr


def test_summary_with_an_unknown_channel_suggests_the_close_one(ok, run):
    ok("add", "LinkedIn", "45m")
    result = run("summary", "-c", "linkedn")
    assert result.exit_code == 2
    assert result.stderr == "Error: no channel named 'linkedn': did you mean 'LinkedIn'?\n"


def test_adding_to_a_known_channel_reads_no_channel_list(ok, db_path, monkeypatch):
    """The fast path: settings, one indexed channel lookup, one indexed repeat check."""
    ok("add", "linkedin", "45m", "--at", "2010-09-01")
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr("netlog.store.db.sqlite3.connect", traced)
    ok("add", "LinkedIn", "30m")
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert not any("SELECT name FROM channels UNION" in s for s in reads)
    repeat = [s for s in reads if " AND e.what IS " in s]
    assert len(repeat) == 1
    conn = sqlite3.connect(db_path)
    plan = " ".join(
        str(r[3])
        for r in conn.execute(
            "EXPLAIN QUERY PLAN " + repeat[0].split(" ORDER BY")[0].replace("?", "'x'")
        )
    )
    assert "INDEX entries_by_channel" in plan


# --- repeats -------------------------------------------------------------------------------


def test_a_repeat_in_a_pipe_warns_naming_the_earlier_id_and_logs(ok, db_path, pinned):
    ok("add", "linkedin", "45m", "bids")
    result = ok("add", "linkedin", "45m", "bids")
    assert "Warning: #2 looks like #1 again" in result.stderr
    assert len(rows(db_path)) == 2


@pytest.mark.parametrize(
    "second",
    [
        ["add", "linkedin", "45m", "bids", "-n", "2"],  # another count
        ["add", "linkedin", "30m", "bids"],  # another duration
        ["add", "linkedin", "45m", "tweets"],  # another what
        ["add", "email", "45m", "bids"],  # another channel
    ],
)
def test_a_different_entry_is_no_repeat(ok, pinned, second):
    ok("add", "linkedin", "45m", "bids")
    ok("add", "email", "1m", "--at", "2010-09-01")
    assert "Warning" not in ok(*second).stderr


def test_a_repeat_is_a_slip_only_within_ten_minutes(ok, pinned):
    from datetime import timedelta

    ok("add", "linkedin", "45m", "bids")
    pinned(NOW + timedelta(minutes=11))
    assert "Warning" not in ok("add", "linkedin", "45m", "bids").stderr


def test_with_at_the_same_time_is_a_repeat_whenever_logged(ok, pinned):
    from datetime import timedelta

    ok("outcome", "email", "win", "--value", "1200", "--at", "2010-09-01 10:00")
    pinned(NOW + timedelta(days=3))
    repeat = ok("outcome", "email", "win", "--value", "1200", "--at", "2010-09-01 10:00")
    assert "looks like #1 again" in repeat.stderr
    other = ok("outcome", "email", "win", "--value", "900", "--at", "2010-09-01 10:00")
    assert "Warning" not in other.stderr


@pytest.mark.parametrize(("answer", "logged", "code"), [("\n", 1, 1), ("y\n", 2, 0)])
def test_on_a_terminal_a_repeat_is_asked(ok, run, db_path, pinned, terminal, answer, logged, code):
    ok("spend", "linkedin", "19.99", "Premium")
    result = run("spend", "linkedin", "19.99", "Premium", input=answer)
    assert result.exit_code == code
    assert "Looks like #1 again (" in result.stderr
    assert "Log it anyway? [y/N]" in result.stderr
    assert len(rows(db_path)) == logged


# --- when: add without --at, week-start, notices ---------------------------------------------


def test_add_without_at_means_the_session_just_ended(ok, db_path, pinned):
    ok("add", "linkedin", "45m")
    [row] = rows(db_path)
    assert row["occurred_at"] == "2010-09-14T11:15:00+00:00"
    assert row["logged_at"] == "2010-09-14T12:00:00+00:00"


@pytest.mark.parametrize(
    ("at", "stored"),
    [
        ("yesterday 3pm", "2010-09-13T14:00:00+00:00"),
        ("mon 10:00", "2010-09-13T09:00:00+00:00"),
        ("2 days ago", "2010-09-11T23:00:00+00:00"),
    ],
)
def test_at_reads_the_new_forms(ok, db_path, pinned, at, stored):
    ok("add", "linkedin", "45m", "--at", at)
    assert rows(db_path)[0]["occurred_at"] == stored


@pytest.mark.parametrize(
    ("week_start", "first_id"),
    [(None, 2), ("monday", 2), ("sunday", 1), ("sun", 1)],
)
def test_week_start_decides_last_week(ok, pinned, week_start, first_id):
    # Sunday 5 Sep and Monday 6 Sep 2010; now is Tuesday 14 Sep.
    ok("add", "email", "5m", "--at", "2010-09-05 10:00")
    ok("add", "email", "6m", "--at", "2010-09-06 10:00")
    ok("add", "email", "7m", "--at", "2010-09-12 10:00")  # a Sunday: in last week from Monday
    if week_start:
        ok("config", "week-start", week_start)
    shown = ok("log", "--since", "last week", "--until", "last week", "-f", "csv").stdout
    ids = [line.split(",")[0] for line in shown.splitlines()[1:]]
    expected = {2: ["3", "2"], 1: ["2", "1"]}[first_id]
    assert ids == expected


def test_week_start_refuses_what_is_not_a_day(ok, run):
    result = run("config", "week-start", "someday")
    assert result.exit_code == 2
    assert "monday to sunday" in result.stderr
    assert ok("config", "week-start").stdout == "monday\n"


def test_a_clock_time_that_happens_twice_is_said_after_logging(ok, monkeypatch):
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2010, 11, 1, tzinfo=UTC))
    result = ok("add", "linkedin", "30m", "--at", "2010-10-31 01:30")
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Logged #1")
    assert "happens twice" in lines[1]


# --- prompts ---------------------------------------------------------------------------------


def test_add_asks_for_every_field_with_defaults(run, db_path, pinned, terminal):
    result = run("add", input="linkedin\n45x\n45m\n\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Duration:" in result.stderr
    assert "cannot read '45x' as a duration" in result.stderr  # asked again
    assert "What you did (Enter skips):" in result.stderr
    assert "Count [1]:" in result.stderr
    [row] = rows(db_path)
    assert (row["minutes"], row["what"], row["count"]) == (45, None, 1)


def test_add_prompts_take_what_and_count(run, db_path, pinned, terminal):
    assert run("add", "email", input="20m\nnewsletter\nabc\n3\n").exit_code == 0
    [row] = rows(db_path)
    assert (row["minutes"], row["what"], row["count"]) == (20, "newsletter", 3)


def test_a_complete_add_on_a_terminal_asks_nothing(run, db_path, pinned, terminal):
    result = run("add", "email", "20m", input="")
    assert result.exit_code == 0
    assert "Count" not in result.stderr


def test_outcome_asks_kind_count_and_a_wins_value(run, db_path, pinned, terminal):
    result = run("outcome", "email", input="sale\nwin\n0\n2\n£abc\n1200\n")
    assert result.exit_code == 0, result.stderr
    assert "'sale' is not reach, reply, lead or win" in result.stderr
    [row] = rows(db_path)
    assert (row["kind"], row["count"], row["value_minor"]) == ("win", 2, 120000)


def test_outcome_value_is_optional(run, db_path, pinned, terminal):
    assert run("outcome", "email", "win", input="\n\n").exit_code == 0
    assert rows(db_path)[0]["value_minor"] is None


def test_spend_asks_the_amount(run, db_path, pinned, terminal):
    result = run("spend", "linkedin", input="nothing\n19.99\nPremium\n")
    assert result.exit_code == 0, result.stderr
    [row] = rows(db_path)
    assert (row["value_minor"], row["what"]) == (1999, "Premium")


def test_in_a_pipe_a_missing_argument_fails_at_once(run):
    result = run("add", "linkedin", input="45m\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: missing DURATION")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_prompts_through_a_real_terminal(tmp_path):
    """The installed `netlog` on a pseudo-terminal: prompts, a default, a logged entry."""
    netlog = shutil.which("netlog", path=str(Path(sys.executable).parent))
    assert netlog is not None
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "NETLOG_DB": str(tmp_path / "tty.db"), "TZ": "Europe/London"}
    process = subprocess.Popen(
        [netlog, "add"], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    seen = b""

    def wait_for(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 20
        while text not in seen:
            assert time.monotonic() < deadline, seen
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                seen += os.read(leader, 1024)

    for prompt, answer in [
        (b"Channel:", b"linkedin"),
        (b"Duration:", b"45m"),
        (b"(Enter skips):", b"contact messages"),
        (b"Count [1]:", b""),
    ]:
        wait_for(prompt)
        os.write(leader, answer + b"\r")
    wait_for(b"Logged #1")
    assert process.wait(timeout=20) == 0
    os.close(leader)
    [row] = rows(tmp_path / "tty.db")
    assert (row["what"], row["count"], row["minutes"]) == ("contact messages", 1, 45)


# --- one error style ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["add", "linkedin", "45m", "--count", "many"], "'many' is not a whole number"),
        (["summary", "--by", "fortnight"], "'fortnight' is not one of"),
        (["edit"], "missing argument 'ID'"),
        (["log", "--colour"], "no such option: --colour"),
        (["log", "--kind", "meeting"], "'meeting' is not one of"),
    ],
)
def test_usage_errors_are_one_line(run, args, fragment):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert fragment.lower() in result.stderr.lower()


@pytest.mark.parametrize("command", ["add", "outcome", "spend", "edit"])
def test_at_help_shows_the_new_forms(run, command):
    text = " ".join(run(command, "--help").stdout.split())
    assert "'yesterday 3pm'" in text
    assert "'mon 10:00'" in text


def test_edit_at_has_no_default(run):
    text = " ".join(run("edit", "--help").stdout.split())
    at_help = text.split("--at WHEN", 1)[1].split(" --", 1)[0]
    assert "default" not in at_help


@pytest.mark.parametrize("command", ["log", "summary"])
def test_range_help_shows_the_new_forms(run, command):
    text = " ".join(run(command, "--help").stdout.split())
    assert "'last week'" in text
    assert "yesterday" in text


# --- hints -----------------------------------------------------------------------------------


def test_a_summary_without_a_rate_ends_with_a_hint(ok):
    ok("add", "linkedin", "45m")
    hint = "Add an hourly rate to see cost and ROI: netlog config rate 40"
    assert ok("summary").stderr.splitlines()[-1] == hint
    assert hint not in ok("summary", "--rate", "30").stderr
    assert hint not in ok("summary", "-f", "csv").stderr
    ok("config", "rate", "40")
    assert hint not in ok("summary").stderr


def test_the_demo_says_its_rate(ok):
    assert "The demo prices time at £30/h." in ok("demo").stderr


# --- log at 80 columns -----------------------------------------------------------------------


def test_log_fits_80_columns_without_cutting_channel_names(ok, monkeypatch, pinned):
    ok("add", "peopleperhour", "30m", "bids on three long project posts for the print shop",
       "-n", "3", "--note", "one of them for the print shop\nand a second line",
       "--tag", "bids", "--at", "2010-09-01")  # fmt: skip
    ok("outcome", "facebook", "win", "--value", "1200", "--label", "brochure redesign")
    monkeypatch.setenv("COLUMNS", "80")
    shown = ok("log").stdout
    lines = shown.splitlines()
    assert all(len(line) <= 80 for line in lines), shown
    assert "peopleperhour" in shown
    assert "facebook" in shown
    assert "bids on" in shown
    assert "…" in shown
    assert "second line" not in shown


def test_log_drops_empty_columns_and_cuts_notes_to_a_line(ok, pinned):
    ok("add", "email", "30m", "newsletter", "--at", "2010-09-01")
    header = ok("log").stdout.splitlines()[1].split()
    assert header == ["ID", "When", "Channel", "Entry", "Time"]
    ok("edit", "1", "--note", "first line\nsecond line")
    shown = ok("log").stdout
    assert "first line …" in shown
    assert "second line" not in shown
    assert "first line\nsecond line" in ok("log", "-f", "json").stdout.replace("\\n", "\n")
