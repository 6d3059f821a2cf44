"""The timer, channel management, prompts at the keyboard and shell completion."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.conftest import rows

from netlog.errors import InputError
from netlog.store import timer as timers


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


# --- the timer: pure logic with a pinned clock ------------------------------------------

STARTED = datetime(2010, 9, 14, 9, 0, tzinfo=UTC)
TIMER = timers.Timer("linkedin", "messages", iso(STARTED))


@pytest.mark.parametrize(
    ("elapsed", "minutes"),
    [(timedelta(minutes=45), 45), (timedelta(seconds=20), 1), (timedelta(seconds=90), 2)],
)
def test_timer_measures_whole_minutes(elapsed, minutes):
    assert timers.measured_minutes(TIMER, STARTED + elapsed, limit_hours=8, end_given=False) == (
        minutes
    )


def test_timer_past_the_limit_is_refused_unless_the_end_is_given():
    end = STARTED + timedelta(hours=20)
    with pytest.raises(InputError, match="longer than the 8h limit"):
        timers.measured_minutes(TIMER, end, limit_hours=8, end_given=False)
    assert (
        timers.measured_minutes(TIMER, STARTED + timedelta(hours=9), limit_hours=8, end_given=True)
        == 9 * 60
    )
    with pytest.raises(InputError, match="longer than 24 hours"):
        timers.measured_minutes(TIMER, STARTED + timedelta(hours=25), limit_hours=8, end_given=True)


def test_timer_end_before_start_is_refused():
    with pytest.raises(InputError, match="before the timer started"):
        timers.measured_minutes(
            TIMER, STARTED - timedelta(minutes=1), limit_hours=8, end_given=True
        )


# --- the timer through the CLI ----------------------------------------------------------


def test_start_status_stop_logs_the_measured_session(ok, run, db_path):
    ok("start", "linkedin", "messages", "--at", "2010-09-14 10:00")
    status = ok("status")
    assert status.stdout.startswith("linkedin messages, started 2010-09-14 10:00")
    stopped = ok("stop", "--at", "2010-09-14 10:45", "-n", "12", "--note", "good replies")
    assert stopped.stdout == ""
    assert "Logged #1: 45m on linkedin messages ×12, 2010-09-14 10:00" in stopped.stderr
    [row] = rows(db_path)
    assert (row["minutes"], row["count"], row["note"]) == (45, 12, "good replies")
    assert row["occurred_at"] == "2010-09-14T09:00:00+00:00"
    result = run("status")
    assert result.exit_code == 1
    assert "No timer running" in result.stderr


def test_one_timer_at_a_time(ok, run, db_path):
    ok("start", "linkedin", "--at", "2010-09-14 10:00")
    again = run("start", "twitter")
    assert again.exit_code == 1
    assert "already running" in again.stderr
    switched = ok("start", "twitter", "--stop", "--at", "2010-09-14 10:30")
    assert "Logged #1: 30m on linkedin" in switched.stderr
    assert ok("status").stdout.startswith("twitter, started 2010-09-14 10:30")


def test_a_forgotten_timer_is_not_logged_as_a_twenty_hour_session(ok, run, db_path):
    started = datetime.now(UTC) - timedelta(hours=20)
    ok("start", "linkedin", "--at", iso(started))
    result = run("stop")
    assert result.exit_code == 2
    assert "--at" in result.stderr
    assert "--duration" in result.stderr
    assert rows(db_path) == []
    ok("stop", "--duration", "50m")
    assert rows(db_path)[0]["minutes"] == 50


def test_the_timer_limit_is_a_setting(ok, run):
    ok("config", "timer-limit", "24")
    ok("start", "linkedin", "--at", iso(datetime.now(UTC) - timedelta(hours=20)))
    assert "20h" in ok("stop").stderr


def test_cancel_drops_the_timer_and_undo_brings_it_back(ok, run, db_path):
    ok("start", "linkedin", "--at", "2010-09-14 10:00")
    ok("cancel")
    assert run("status").exit_code == 1
    ok("undo")
    assert ok("status").stdout.startswith("linkedin")
    assert run("stop", "--at", "2010-09-14 10:10").exit_code == 0
    ok("undo")  # undoing the stop removes the entry and restores the timer
    assert rows(db_path) == []
    assert ok("status").stdout.startswith("linkedin")


def test_stop_without_a_timer_is_a_clear_error(run):
    result = run("stop")
    assert result.exit_code == 1
    assert "no timer is running" in result.stderr


def test_two_processes_see_the_same_timer(ok, db_path):
    ok("start", "email", "--at", "2010-09-14 10:00")
    netlog = Path(sys.executable).parent / "netlog"
    other = subprocess.run(
        [str(netlog), "status"], capture_output=True, text=True, env=os.environ.copy(), check=False
    )
    assert other.returncode == 0
    assert other.stdout.startswith("email")


# --- channels ---------------------------------------------------------------------------


@pytest.fixture
def three_channels(ok):
    ok("add", "LinkedIn", "1h", "--at", "2010-09-14")
    ok("add", "linked in", "30m", "--at", "2010-09-20", "--new-channel")
    ok("add", "facebook", "20m", "--at", "2010-10-01")
    ok("outcome", "linked in", "lead", "--at", "2010-10-02")


def test_channels_lists_counts_first_last_and_hours(ok, three_channels):
    import json

    listed = json.loads(ok("channels", "-f", "json").stdout)
    assert [c["channel"] for c in listed] == ["LinkedIn", "linked in", "facebook"]
    linked_in = listed[1]
    assert (linked_in["entries"], linked_in["hours"]) == (2, 0.5)
    assert linked_in["first"].startswith("2010-09-19T23:00")
    table = ok("channels").stdout
    assert "facebook" in table
    assert "2010-10-01" in table


def test_merge_moves_every_entry_and_undo_reverts_it(ok, db_path, three_channels):
    before = [dict(r) for r in rows(db_path)]
    result = ok("channels", "merge", "linked in", "linkedin")
    assert "2 entries moved" in result.stderr
    csv_out = ok("summary", "-f", "csv").stdout
    assert "linked in" not in csv_out
    assert csv_out.splitlines()[1].startswith("LinkedIn,1.50,2,")
    ok("undo")
    assert [dict(r) for r in rows(db_path)] == before


def test_rename_keeps_entries_and_refuses_a_clash(ok, run, db_path, three_channels):
    ok("channels", "rename", "facebook", "Facebook Page")
    assert "Facebook Page" in ok("summary", "-f", "csv").stdout
    clash = run("channels", "rename", "Facebook Page", "LINKEDIN")
    assert clash.exit_code == 1
    assert "channels merge" in clash.stderr
    assert run("channels", "rename", "myspace", "x").exit_code == 1


def test_alias_logs_to_its_channel_and_can_be_removed(ok, run, db_path, three_channels):
    ok("channels", "alias", "fb", "facebook")
    assert "Logged #5: 10m on facebook" in ok("add", "FB", "10m", "--at", "2010-10-03").stderr
    assert ok("channels", "alias").stdout.strip() == "fb -> facebook"
    assert run("channels", "alias", "fb", "linkedin").exit_code == 1
    assert run("channels", "alias", "facebook", "linkedin").exit_code == 1
    ok("channels", "unalias", "fb")
    assert "new channel 'fb'" in ok("add", "fb", "10m", "--at", "2010-10-03").stderr


# --- at the keyboard --------------------------------------------------------------------


def test_add_asks_for_missing_arguments_at_the_keyboard(run, ok, db_path, monkeypatch):
    ok("add", "linkedin", "5m", "--at", "2010-09-14")
    monkeypatch.setattr("netlog.commands.common.interactive", lambda: True)
    result = run("add", "--at", "2010-09-15", input="\n  \nlinkedin\nsoon\n1h\n\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Known channels: linkedin" in result.stderr
    assert "cannot read 'soon' as a duration" in result.stderr
    assert rows(db_path)[-1]["minutes"] == 60


def test_outcome_asks_for_the_kind(run, db_path, monkeypatch):
    monkeypatch.setattr("netlog.commands.common.interactive", lambda: True)
    result = run("outcome", "email", "--at", "2010-09-15", input="maybe\nLead\n\n")
    assert result.exit_code == 0, result.stderr
    assert "'maybe' is not reach, reply, lead or win" in result.stderr
    assert rows(db_path)[0]["kind"] == "lead"


def test_missing_arguments_on_a_pipe_fail_at_once(run, db_path):
    for args in (["add"], ["add", "linkedin"], ["outcome", "email"]):
        result = run(*args)
        assert result.exit_code == 2
        assert "missing" in result.stderr
    assert not db_path.exists()


def test_shell_completion_offers_channels_and_aliases(ok, db_path, three_channels):
    ok("channels", "alias", "fb", "facebook")
    netlog = Path(sys.executable).parent / "netlog"
    env = {
        **os.environ,
        "_NETLOG_COMPLETE": "complete_bash",
        "COMP_WORDS": "netlog add f",
        "COMP_CWORD": "2",
    }
    result = subprocess.run([str(netlog)], capture_output=True, text=True, env=env, check=False)
    assert result.stdout.split() == ["facebook", "fb"]
    env.update(COMP_WORDS="netlog summary -c Li", COMP_CWORD="3")
    result = subprocess.run([str(netlog)], capture_output=True, text=True, env=env, check=False)
    assert result.stdout.splitlines() == ["LinkedIn"]


def test_rename_and_alias_are_undoable(ok, db_path, three_channels):
    def channels():
        return [tuple(r) for r in rows(db_path, "SELECT id, key, name FROM channels ORDER BY id")]

    before = channels()
    ok("channels", "rename", "facebook", "Facebook Page")
    ok("channels", "alias", "fb", "Facebook Page")
    ok("undo")
    assert ok("channels", "alias").stdout == ""
    ok("undo")
    assert channels() == before


def test_a_timer_started_now_says_just_now(ok):
    assert "(just now)" in ok("start", "email").stderr
    assert ok("status").stdout.rstrip().endswith("(just now)")
