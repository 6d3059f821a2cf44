"""`undo` you can trust: it says what it reverts and what is left, asks on a terminal, and
`redo` re-applies exactly what it reverted until the next write."""

import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from netlog.cli import app

pytestmark = pytest.mark.slow

# The tables that hold the user's data (the journal and sqlite_sequence are bookkeeping).
DATA_TABLES = ("channels", "aliases", "entries", "links", "settings", "timer")


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in DATA_TABLES}
    finally:
        conn.close()


def search_index_agrees(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)")
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def pinned(monkeypatch):
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2010, 9, 14, 12, tzinfo=UTC))


def test_undo_of_add_says_it_is_gone_and_redo_brings_it_back(ok, db_path):
    ok("add", "linkedin", "45m", "contact messages")
    before = dump(db_path)
    result = ok("undo")
    assert result.stderr.splitlines()[0] == (
        "Undone: add #1 (45m on linkedin contact messages, 2010-09-14 12:15). #1 is gone."
    )
    assert dump(db_path)["entries"] == []
    redone = ok("redo")
    assert redone.stderr.startswith("Redone: add #1 (45m on linkedin contact messages")
    assert "#1 is back: 45m on linkedin" in redone.stderr
    assert dump(db_path) == before


def test_undo_of_edit_shows_the_entry_as_it_is_back_to(ok):
    ok("add", "linkedin", "45m", "--at", "2010-09-01 10:00")
    ok("edit", "1", "--count", "5")
    result = ok("undo")
    assert "#1 is back to: 45m on linkedin, 2010-09-01 10:00." in result.stderr
    assert "×5" not in result.stderr.split("is back to")[1]


def test_undo_of_rm_and_of_config(ok):
    ok("add", "linkedin", "45m")
    ok("rm", "1", "--yes")
    assert "#1 is back: 45m on linkedin" in ok("undo").stderr
    ok("config", "rate", "40")
    ok("config", "rate", "50")
    assert "rate is back to 40." in ok("undo").stderr
    assert "rate is unset again." in ok("undo").stderr


@pytest.mark.parametrize(("answer", "code", "left"), [("\n", 0, 0), ("n\n", 1, 1)])
def test_on_a_terminal_undo_shows_the_change_and_asks(run, ok, db_path, monkeypatch, answer,
                                                       code, left):  # fmt: skip
    ok("add", "linkedin", "45m")
    monkeypatch.setattr("netlog.commands.common.interactive", lambda: True)
    result = run("undo", input=answer)
    assert result.exit_code == code
    assert "Last change: add #1 (45m on linkedin" in result.stderr
    assert "Undo it? [Y/n]" in result.stderr
    assert len(dump(db_path)["entries"]) == left


def test_yes_skips_the_question(ok, monkeypatch):
    ok("add", "linkedin", "45m")
    monkeypatch.setattr("netlog.commands.common.interactive", lambda: True)
    assert "Undo it?" not in ok("undo", "-y").stderr


def test_any_new_write_clears_redo(ok):
    ok("add", "linkedin", "45m")
    ok("add", "email", "10m")
    ok("undo")
    ok("add", "twitter", "5m")
    assert ok("redo").stderr == "Nothing to redo.\n"


def test_redo_goes_forward_step_by_step(ok, db_path):
    ok("add", "linkedin", "45m")
    one = dump(db_path)
    ok("config", "rate", "40")
    two = dump(db_path)
    ok("undo")
    ok("undo")
    ok("redo")
    assert dump(db_path) == one
    ok("redo")
    assert dump(db_path) == two
    assert ok("redo").stderr == "Nothing to redo.\n"
    ok("undo")  # a redone change can be undone again
    assert dump(db_path) == one


def test_undo_list_shows_ids_and_what_redo_would_do(ok):
    ok("add", "linkedin", "45m")
    ok("config", "rate", "40")
    listed = ok("undo", "--list").stdout.splitlines()
    assert listed[0].startswith("#2 ")
    assert listed[0].endswith("config rate 40")
    assert listed[1].startswith("#1 ")
    assert "add #1 (45m on linkedin" in listed[1]
    ok("undo")
    result = ok("undo", "--list")
    assert "config rate" not in result.stdout
    assert "netlog redo would re-apply" in result.stderr
    assert "config rate 40" in result.stderr


def test_nothing_to_undo_or_redo(ok):
    assert ok("undo").stderr == "Nothing to undo.\n"
    assert ok("redo").stderr == "Nothing to redo.\n"


# --- the property: undo restores the exact data, redo re-applies it -----------------------

CHANNELS = st.sampled_from(["linkedin", "email", "twitter"])
WRITES = st.one_of(
    st.tuples(st.just("add"), CHANNELS, st.sampled_from(["5m", "45m", "1h30m"])).map(
        lambda t: [*t, "--at", "2010-09-01 10:00", "--tag", "x", "--note", "a note"]
    ),
    st.tuples(CHANNELS, st.sampled_from(["reach", "lead", "win"])).map(
        lambda t: ["outcome", *t, "--label", "acme", "--at", "2010-09-02"]
    ),
    CHANNELS.map(lambda c: ["spend", c, "12.50", "credits", "--at", "2010-09-03"]),
    st.integers(1, 4).map(lambda i: ["edit", str(i), "--count", "7", "--note", "edited"]),
    st.integers(1, 4).map(lambda i: ["rm", str(i), "--yes"]),
    st.sampled_from(["30", "45"]).map(lambda r: ["config", "rate", r]),
    CHANNELS.map(lambda c: ["channels", "rename", c, c.upper() + "x"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WRITES, min_size=1, max_size=6))
def test_undo_restores_and_redo_reapplies_every_write(monkeypatch, commands):
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.db"
        monkeypatch.setenv("NETLOG_DB", str(path))
        runner.invoke(app, ["add", "email", "1m", "--at", "2010-08-01"])
        for args in commands:
            before = dump(path)
            if runner.invoke(app, args).exit_code != 0:
                assert dump(path) == before  # a refused write changes nothing
                continue
            after = dump(path)
            assert runner.invoke(app, ["undo"]).exit_code == 0
            assert dump(path) == before, args
            assert runner.invoke(app, ["redo"]).exit_code == 0
            assert dump(path) == after, args
            assert search_index_agrees(path)
