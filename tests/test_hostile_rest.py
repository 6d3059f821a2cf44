"""Hostile odds and ends: backdated running totals, another file's interrupted write, a file
from a newer netlog, readers during a long import, and the small slips of issue #21."""

import json
import os
from pathlib import Path

import pytest
from tests.conftest import rows
from tests.test_hostile_support import (
    ENTRY_COLUMNS,
    EXIT_BAD_INPUT,
    Snapshot,
    assert_one_line,
    csv_row,
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
