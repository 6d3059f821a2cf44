"""`netlog edit`, `netlog rm` and `netlog undo`: mistakes fixed without losing data."""

import json

import pytest
from tests.conftest import rows


@pytest.fixture
def two_entries(ok):
    ok("add", "linkedin", "45m", "messages", "-n", "12", "--at", "2010-09-14 10:00", "-t", "a")
    ok("outcome", "email", "lead", "--label", "reply", "--at", "2010-09-15")


def snapshot(db_path):
    return [dict(r) for r in rows(db_path)], [
        dict(r) for r in rows(db_path, "SELECT * FROM channels ORDER BY id")
    ]


def test_edit_changes_an_activity_and_shows_before_and_after(ok, db_path, two_entries):
    result = ok(
        "edit",
        "1",
        "--duration",
        "1h",
        "--count",
        "3",
        "--tag",
        "b",
        "--untag",
        "a",
        "--note",
        "follow-ups",
    )
    assert result.stdout == ""
    assert "Before #1: 45m on linkedin messages ×12" in result.stderr
    assert "After  #1: 1h on linkedin messages ×3" in result.stderr
    row = rows(db_path)[0]
    assert (row["minutes"], row["count"], row["note"]) == (60, 3, "follow-ups")
    assert json.loads(row["tags"]) == ["b"]


def test_edit_turns_a_lead_into_a_win_with_a_value(ok, db_path, two_entries):
    ok("edit", "2", "--kind", "win", "--value", "850.50", "--channel", "Email ")
    row = rows(db_path)[1]
    assert (row["kind"], row["value_minor"]) == ("win", 85050)
    ok("edit", "2", "--kind", "lead")
    assert rows(db_path)[1]["value_minor"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["edit", "1", "--kind", "win"], "an activity cannot become a win"),
        (["edit", "2", "--duration", "1h"], "has no duration"),
        (["edit", "2", "--value", "10"], "only wins and spend have a value"),
        (["edit", "1", "--label", "x"], "an activity has no label"),
        (["edit", "1", "--duration", "25h"], "longer than 24 hours"),
        (["edit", "1"], "nothing to change"),
        (["edit", "1", "--at", "2999-01-01"], "future"),
    ],
)
def test_edit_validates_like_add_and_writes_nothing(run, db_path, two_entries, args, message):
    before = snapshot(db_path)
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(db_path) == before


def test_edit_unknown_id_is_a_clear_error(run, two_entries):
    result = run("edit", "99", "--count", "2")
    assert result.exit_code == 1
    assert "no entry #99" in result.stderr


def test_rm_on_a_pipe_refuses_without_yes(run, db_path, two_entries):
    result = run("rm", "1")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert len(rows(db_path)) == 2


def test_rm_asks_at_the_keyboard(run, db_path, two_entries, monkeypatch):
    monkeypatch.setattr("netlog.commands.common.interactive", lambda: True)
    declined = run("rm", "1", input="n\n")
    assert declined.exit_code == 1
    assert "45m on linkedin" in declined.stderr
    assert len(rows(db_path)) == 2
    accepted = run("rm", "1", input="y\n")
    assert accepted.exit_code == 0
    assert [r["id"] for r in rows(db_path)] == [2]


def test_rm_unknown_id_removes_nothing(run, db_path, two_entries):
    result = run("rm", "1", "99", "--yes")
    assert result.exit_code == 1
    assert len(rows(db_path)) == 2


def test_undo_brings_removed_entries_back_with_id_and_uuid(ok, db_path, two_entries):
    before = snapshot(db_path)
    ok("rm", "1", "2", "--yes")
    assert rows(db_path) == []
    result = ok("undo")
    assert "Undone: rm #1 #2" in result.stderr
    assert snapshot(db_path) == before


def test_undo_after_every_kind_of_write(ok, db_path):
    states = [snapshot(db_path) if db_path.exists() else None]
    steps = [
        ("add", "linkedin", "45m", "--at", "2010-09-14"),
        ("outcome", "email", "win", "--value", "100", "--at", "2010-09-15"),
        ("add", "linkedin", "10m", "--at", "2010-09-16"),
        ("edit", "1", "--channel", "twitter", "--duration", "1h"),
        ("config", "rate", "40"),
        ("rm", "2", "--yes"),
    ]
    for step in steps:
        ok(*step)
        states.append(snapshot(db_path))
    listed = ok("undo", "--list").stdout.splitlines()
    assert len(listed) == len(steps)
    assert "rm #2" in listed[0]
    for expected in reversed(states[1:-1]):
        ok("undo")
        assert snapshot(db_path) == expected
    ok("undo")
    assert snapshot(db_path) == ([], [])
    assert "Nothing to undo" in ok("undo").stderr


def test_undo_restores_a_setting(ok):
    ok("config", "rate", "40")
    ok("config", "rate", "55")
    ok("undo")
    assert ok("config", "rate").stdout.strip() == "40"


def test_undo_with_no_database_is_friendly(ok, db_path):
    assert "Nothing to undo" in ok("undo").stderr
    assert not db_path.exists()
