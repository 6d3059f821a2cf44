"""Hostile odds and ends: backdated running totals, another file's interrupted write, a file
from a newer netlog, readers during a long import, and the small slips of issue #21."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import rows
from tests.test_hostile_support import (
    ENTRY_COLUMNS,
    EXIT_BAD_INPUT,
    EXIT_ENVIRONMENT,
    Snapshot,
    assert_one_line,
    csv_row,
    dump,
    invoke,
    make_database,
)

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
    assert outcome.stdout.startswith(str(home / ".local" / "share" / "netlog" / "netlog.store.db"))


def test_an_absolute_xdg_data_home_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("NETLOG_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert invoke("where").stdout.startswith(str(tmp_path / "data" / "netlog" / "netlog.store.db"))


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
        "channel,kind,period,limit,currency,current_period,used,over"
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
