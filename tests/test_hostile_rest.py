"""Hostile odds and ends: backdated running totals, another file's interrupted write, a file
from a newer netlog, readers during a long import, and the small slips of issue #21."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import rows
from tests.test_hostile_support import (
    ENTRY_COLUMNS,
    EXIT_BAD_INPUT,
    EXIT_ENVIRONMENT,
    NETLOG,
    Snapshot,
    assert_one_line,
    bulk_insert,
    csv_row,
    dump,
    invoke,
    make_database,
)

from netlog.store import db

pytestmark = pytest.mark.slow

# --- the small slips -------------------------------------------------------------------------


def test_one_entry_imported_or_merged_is_one_entry(db_path, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(f"{ENTRY_COLUMNS}\n{csv_row()}\n", encoding="utf-8")
    outcome = invoke("import", str(source))
    assert outcome.code == 0, outcome
    assert outcome.stderr == "Added 1 entry; skipped 0 already present.\n"
    other = tmp_path / "other.db"
    assert invoke("--db", str(other), "add", "email", "1h").code == 0
    merged = invoke("merge", str(other))
    assert merged.stderr == f"Added 1 entry from {other}; skipped 0 already present.\n"


@pytest.mark.parametrize("relative", ["data", "./data", "~/data"])
def test_a_relative_xdg_data_home_is_ignored(relative, monkeypatch, tmp_path):
    monkeypatch.delenv("NETLOG_DB")
    monkeypatch.setenv("XDG_DATA_HOME", relative)
    monkeypatch.chdir(tmp_path)
    outcome = invoke("where")
    assert outcome.code == 0, outcome
    home = Path(os.environ["HOME"])
    assert outcome.stdout.startswith(str(home / ".local" / "share" / "netlog" / "netlog.db"))


def test_an_absolute_xdg_data_home_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("NETLOG_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert invoke("where").stdout.startswith(str(tmp_path / "data" / "netlog" / "netlog.db"))


def test_edit_count_0_sets_an_activity_count_to_0(db_path):
    make_database(db_path)
    outcome = invoke("edit", "2", "--count", "0")
    assert outcome.code == 0, outcome
    assert rows(db_path, "SELECT count FROM entries WHERE id = 2")[0][0] == 0


def test_edit_count_0_of_a_win_is_refused_as_input(db_path, tmp_path):
    make_database(db_path)
    before = Snapshot.take(tmp_path, db_path)
    outcome = invoke("edit", "1", "--count", "0")
    assert outcome.code == EXIT_BAD_INPUT, outcome
    assert_one_line(outcome.stderr)
    before.assert_unchanged(tmp_path, db_path)


@pytest.mark.parametrize("with_database", [False, True])
def test_budget_list_with_no_budgets_is_valid_empty_output(with_database, db_path):
    if with_database:
        make_database(db_path)
    as_json = invoke("budget", "list", "--format", "json")
    assert as_json.code == 0, as_json
    assert json.loads(as_json.stdout) == []
    as_csv = invoke("budget", "list", "--format", "csv")
    assert as_csv.stdout.splitlines() == [
        "channel,kind,period,limit,currency,current_period,used,over,counts_from"
    ]


def test_budget_list_csv_columns_are_the_empty_header(db_path):
    make_database(db_path)
    assert invoke("budget", "email", "2h/week").code == 0
    header = invoke("budget", "list", "--format", "csv").stdout.splitlines()[0]
    empty = invoke("--db", str(db_path.parent / "none.db"), "budget", "list", "-f", "csv")
    assert empty.stdout.splitlines() == [header]


# --- another file's interrupted write; a file from a newer netlog; a leftover journal ---------


def _interrupt_a_write(path: Path) -> None:
    """A program killed (SIGKILL) in the middle of a write that had reached the file: its
    rollback journal is left, hot."""
    script = (
        "import os, signal, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA cache_size = 2')\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute('CREATE TABLE junk (x)')\n"
        "conn.executemany('INSERT INTO junk VALUES (?)', (('x' * 500,) for _ in range(2000)))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=False)
    assert Path(f"{path}-journal").stat().st_size > 0


def test_merge_from_a_file_with_an_interrupted_write_says_how_to_recover(db_path, tmp_path):
    make_database(db_path)
    other = tmp_path / "other.db"
    make_database(other, entries=2)
    _interrupt_a_write(other)
    before = Snapshot.take(tmp_path, db_path)
    outcome = invoke("merge", str(other))
    assert outcome.code == EXIT_ENVIRONMENT, outcome
    assert_one_line(outcome.stderr)
    assert "interrupted" in outcome.stderr
    assert f"netlog --db {other} check" in outcome.stderr
    assert "permission" not in outcome.stderr
    before.assert_unchanged(tmp_path, db_path)
    # The advice works: check rolls the write back, and the merge then goes through.
    checked = invoke("--db", str(other), "check")
    assert checked.code == 0, checked
    assert "rolled back a write that was interrupted" in checked.stdout
    assert invoke("merge", str(other)).code == 0


def test_check_reports_and_removes_an_empty_leftover_journal(db_path, tmp_path):
    make_database(db_path)
    journal = Path(f"{db_path}-journal")
    journal.touch()
    before = dump(db_path)
    outcome = invoke("check")
    assert outcome.code == 0, outcome
    assert f"an empty {journal.name}" in outcome.stdout
    assert not journal.exists()
    assert dump(db_path) == before
    assert "leftover" not in invoke("check").stdout  # said once, when there was one


def test_check_leaves_a_journal_with_content_to_sqlite(db_path, tmp_path):
    make_database(db_path)
    _interrupt_a_write(db_path)
    outcome = invoke("check")
    assert outcome.code == 0, outcome
    assert "rolled back" in outcome.stdout
    assert "leftover" not in outcome.stdout
    assert "junk" not in "".join(dump(db_path) or [])


def test_check_on_a_file_from_a_newer_netlog_says_so_and_fails(db_path, tmp_path):
    make_database(db_path)
    conn = sqlite3.connect(db_path)
    newer = conn.execute("PRAGMA user_version").fetchone()[0] + 1
    conn.execute(f"PRAGMA user_version = {newer}")
    conn.commit()
    conn.close()
    before = Snapshot.take(tmp_path, db_path)
    outcome = invoke("check")
    assert outcome.code == EXIT_ENVIRONMENT, outcome
    assert "OK" not in outcome.stderr
    assert_one_line(outcome.stderr, start="Problem: ")
    assert "newer netlog" in outcome.stderr
    assert "upgrade netlog" in outcome.stderr
    before.assert_unchanged(tmp_path, db_path)


# --- backdated running totals ----------------------------------------------------------------


def reach_on(channel: str = "tw", *db: str) -> int:
    shown = invoke(*db, "summary", "-f", "json")
    assert shown.code == 0, shown
    return sum(row["reach"] for row in json.loads(shown.stdout) if row["channel"] == channel)


def total(value: int, day: int, *extra: str, db: tuple[str, ...] = ()) -> None:
    argv = [*db, "outcome", "tw", "reach", "--total", str(value), "--at", f"2010-09-{day:02d}"]
    outcome = invoke(*argv, "--new-channel", *extra)
    assert outcome.code == 0, outcome


@pytest.mark.parametrize(("baseline", "gained"), [(False, 150), (True, 50)])
def test_a_backdated_total_changes_the_one_after_it(baseline, gained, db_path):
    total(100, 10, *(["--baseline"] if baseline else []))
    total(150, 20)
    total(120, 15)  # logged late: +20 on 100, and the 150 is now +30 on it
    assert reach_on() == gained
    changes = rows(db_path, "SELECT reach_total, count FROM entries ORDER BY occurred_at")
    assert [tuple(row) for row in changes] == [(100, 0 if baseline else 100), (120, 20), (150, 30)]


def test_a_total_earlier_than_all_others_starts_the_series(db_path):
    total(150, 20)
    total(100, 10)
    assert reach_on() == 150
    total(90, 5, "--baseline")
    assert reach_on() == 150 - 90


def test_moving_a_total_past_a_later_one_recomputes_both(db_path):
    total(100, 10)
    total(150, 20)
    total(120, 25)
    assert reach_on() == 120
    assert invoke("edit", "2", "--at", "2010-09-30").code == 0  # 150 is the latest now
    assert reach_on() == 150
    assert invoke("edit", "2", "--at", "2010-09-01").code == 0  # and now the first
    assert reach_on() == 120


def test_removing_a_total_recomputes_the_next_and_undo_redo_restore(db_path):
    total(100, 10)
    total(130, 15)
    total(150, 20)
    assert invoke("rm", "2", "--yes").code == 0
    assert reach_on() == 150
    assert rows(db_path, "SELECT count FROM entries WHERE id = 3")[0][0] == 50
    assert invoke("rm", "3", "--yes").code == 0  # the latest: the one before it is latest
    assert reach_on() == 100
    assert invoke("undo", "--yes").code == 0
    assert invoke("undo", "--yes").code == 0
    assert [tuple(r) for r in rows(db_path, "SELECT id, count FROM entries ORDER BY id")] == [
        (1, 100), (2, 30), (3, 20),
    ]  # fmt: skip
    assert invoke("redo").code == 0
    assert reach_on() == 150
    assert rows(db_path, "SELECT count FROM entries WHERE id = 3")[0][0] == 50


def test_moving_a_total_to_another_channel_settles_both(db_path):
    total(100, 10)
    total(150, 20)
    assert invoke("outcome", "ig", "reach", "--total", "40", "--at", "2010-09-12",
                  "--new-channel").code == 0  # fmt: skip
    assert invoke("edit", "2", "--channel", "ig", "--yes").code == 0
    assert reach_on("tw") == 100
    assert reach_on("ig") == 150


def test_the_count_of_a_running_total_is_not_edited_directly(db_path, tmp_path):
    total(100, 10)
    before = Snapshot.take(tmp_path, db_path)
    outcome = invoke("edit", "1", "--count", "7")
    assert outcome.code == EXIT_BAD_INPUT, outcome
    assert_one_line(outcome.stderr)
    assert "running total" in outcome.stderr
    before.assert_unchanged(tmp_path, db_path)


@pytest.mark.parametrize("how", ["import", "merge"])
def test_totals_brought_in_from_another_file_fit_in_time_order(how, db_path, tmp_path):
    total(100, 10)
    total(150, 20)
    other = tmp_path / "other.db"
    total(120, 15, db=("--db", str(other)))
    if how == "import":
        exported = tmp_path / "other.csv"
        assert invoke("--db", str(other), "export", "-o", str(exported)).code == 0
        assert invoke("import", str(exported)).code == 0
    else:
        assert invoke("merge", str(other)).code == 0
    assert reach_on() == 150
    changes = rows(db_path, "SELECT reach_total, count FROM entries ORDER BY occurred_at")
    assert [tuple(row) for row in changes] == [(100, 100), (120, 20), (150, 30)]
    assert invoke("undo", "--yes").code == 0
    assert [tuple(r) for r in rows(db_path, "SELECT reach_total, count FROM entries")] == [
        (100, 100), (150, 50),
    ]  # fmt: skip


def test_any_order_of_totals_adds_up_to_the_latest(db_path):
    """Every order of logging five totals, backdated or not: reach is the latest total."""
    import itertools

    values = {3: 40, 8: 55, 13: 52, 21: 70, 27: 64}
    for number, order in enumerate(itertools.islice(itertools.permutations(values), 0, 120, 17)):
        database = ("--db", str(db_path.parent / f"order{number}.db"))
        for day in order:
            total(values[day], day, db=database)
        assert reach_on("tw", *database) == 64, order


# --- readers during a long import --------------------------------------------------------------


def _locked_for_readers(path: Path) -> bool:
    """Whether a write holds the file exclusively (an import that has begun writing pages
    to it): a read fails at once."""
    probe = sqlite3.connect(path, timeout=0)
    try:
        probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def test_readers_wait_for_an_import_that_makes_progress(db_path, tmp_path, monkeypatch):
    """A reader meeting a long import waits while the import writes (the file or its journal
    changing) and answers once it has committed, however long past the busy timeout (here
    cut to 2 s; the import takes longer)."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 2)
    source_db = tmp_path / "source.db"
    make_database(source_db)
    bulk_insert(source_db, 60_000)
    exported = tmp_path / "big.csv"
    assert invoke("--db", str(source_db), "export", "-o", str(exported)).code == 0
    make_database(db_path)
    importing = subprocess.Popen(
        [NETLOG, "import", str(exported)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while not _locked_for_readers(db_path):
            assert importing.poll() is None, "the import ended before a reader could try"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        read = invoke("summary", "-f", "json")
        assert read.code == 0, read
        assert importing.poll() is not None  # it waited for the import, and answers with it
        assert json.loads(read.stdout)[0]["sessions"] > 60_000
    finally:
        _, stderr = importing.communicate(timeout=300)
    assert importing.returncode == 0, stderr
    assert "Added 60,003 entries" in stderr.decode()  # make_database gives 3


def test_a_lock_held_without_progress_still_fails_busy(db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.6)
    make_database(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        outcome = invoke("summary")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert outcome.code == EXIT_ENVIRONMENT, outcome
    assert_one_line(outcome.stderr)
    assert "busy" in outcome.stderr
