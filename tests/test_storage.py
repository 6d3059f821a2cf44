"""The database file: schema, migrations and where it lives."""

import sqlite3

import pytest
from typer.main import get_command

from netlog.cli import app
from netlog.store import migrations
from netlog.store.db import open_db

EXPECTED_ENTRY_COLUMNS = {
    "id": int,
    "uuid": str,
    "channel_id": int,
    "kind": str,
    "occurred_at": str,
    "logged_at": str,
    "what": str,
    "minutes": int,
    "count": int,
    "label": str,
    "value_minor": int,
    "currency": str,
    "note": str,
    "tags": str,
    "reach_total": int,
    "device": str,
    "person": str,
}


def test_blank_database_gets_the_current_schema_and_reopening_changes_nothing(db_path):
    from sqlite_utils import Database

    open_db(db_path, create=True).close()
    db = Database(db_path)
    assert db.table("entries").columns_dict == EXPECTED_ENTRY_COLUMNS
    assert set(db.table_names()) == {
        "channels", "entries", "settings", "timer", "aliases",
        "journal_changes", "journal_steps", "journal_recording", "links", "sqlite_sequence",
        "budgets", "journal_redo", "captured", "entries_fts", "entries_fts_data", "entries_fts_idx",
        "entries_fts_docsize", "entries_fts_config", "sync_device", "device_names",
    }  # fmt: skip
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    schema = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    db.close()
    open_db(db_path, create=True).close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema


def test_read_commands_on_a_missing_file_do_not_create_it(db_path):
    assert open_db(db_path, create=False) is None
    assert not db_path.exists()


def test_first_write_creates_parent_folders(ok, tmp_path):
    target = tmp_path / "a" / "b" / "netlog.db"
    ok("--db", str(target), "add", "x", "5m", "--at", "2010-09-14")
    assert target.exists()


def test_summary_queries_use_the_covering_index(db_path):
    """The plan of the query that db.channel_totals really runs, caught as SQLite sees it."""
    from netlog.store import db

    conn = open_db(db_path, create=True)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    db.channel_totals(conn, "2010-09-01T00:00:00+00:00", "2010-10-01T00:00:00+00:00")
    conn.set_trace_callback(None)
    [query] = [sql for sql in statements if "sum(" in sql]
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query))
    conn.close()
    assert "COVERING INDEX entries_by_time" in plan


def test_the_one_currency_check_reads_only_the_money_rows(db_path):
    """db.amount_currencies runs before every summary: on the partial index of rows with
    money (schema 6), never a scan of every entry."""
    from netlog.store import db

    conn = open_db(db_path, create=True)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    db.amount_currencies(conn)
    conn.set_trace_callback(None)
    [query] = statements
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query))
    conn.close()
    assert "INDEX entries_by_currency" in plan  # covering since schema 12
    assert "SCAN entries" not in plan


def test_the_median_win_reads_the_money_index_alone(db_path):
    """The whole file's median win value, behind every verdict, comes from the index of the
    rows with money (schema 12), without a table lookup per row: a one-month summary stays
    flat as the file grows."""
    from netlog.store import queries

    conn = open_db(db_path, create=True)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    queries.win_values(conn)
    conn.set_trace_callback(None)
    [query] = statements
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query))
    conn.close()
    assert "USING COVERING INDEX entries_by_currency" in plan


def test_an_import_looks_each_uuid_up_in_the_index(ok, db_path):
    """BulkInsert.new_uuids runs once per batch of an import or merge into a file that holds
    entries: one index search per UUID, with no temporary index of the batch's list."""
    from netlog.store.bulk import BulkInsert

    ok("add", "email", "10m", "emails", "--at", "2010-09-14 10:00")
    conn = open_db(db_path, create=False)
    [present] = conn.execute("SELECT uuid FROM entries").fetchone()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    assert BulkInsert(conn).new_uuids([present, "not there"]) == {"not there"}
    conn.set_trace_callback(None)
    [query] = [sql for sql in statements if "json_each" in sql]
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query))
    conn.close()
    assert "SEARCH e USING COVERING INDEX sqlite_autoindex_entries_1 (uuid=?)" in plan
    assert "TEMP B-TREE" not in plan
    assert "LIST SUBQUERY" not in plan


def test_inserting_an_entry_builds_no_temporary_index(db_path):
    """An import runs the INSERT once per row: a CHECK written with IN (...) would build a
    temporary index of its list on every row (schema 13 writes the kinds as a chain of =)."""
    conn = open_db(db_path, create=True)
    program = conn.execute(
        "EXPLAIN INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, count)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        ("x", 1, "lead", "2010-09-08T10:00:00+00:00", "2010-09-08T10:00:00+00:00", 1),
    ).fetchall()
    conn.close()
    # The INSERT's own program; its triggers' programs follow, each counting from 0 again.
    main = [row[1] for address, row in enumerate(program) if row[0] == address]
    assert "Insert" in main
    assert "Halt" in main
    assert "OpenEphemeral" not in main


def test_a_schema_12_file_checks_the_same_kinds_after_its_upgrade(db_path):
    """Migration 13 rewrites the kinds CHECK in place: every kind netlog knows is still
    taken and any other refused, and the stored entries are untouched."""
    from sqlite_utils import Database

    from netlog.model.kinds import KINDS

    conn = sqlite3.connect(db_path, isolation_level=None)
    for migration in migrations.MIGRATIONS[:12]:
        migration(Database(conn, execute_plugins=False, recursive_triggers=False))
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 12")
    conn.execute("INSERT INTO channels (key, name, created_at) VALUES ('email', 'email', 'x')")
    insert = (
        "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, count, value_minor,"
        " currency) VALUES (?, 1, ?, '2010-09-08T10:00:00+00:00', '2010-09-08T10:00:00+00:00',"
        " 1, ?, ?)"
    )
    conn.execute(insert, ("before", "lead", None, None))
    conn.close()

    open_db(db_path, create=False).close()  # upgrades it

    conn = sqlite3.connect(db_path, isolation_level=None)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    [create] = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'entries'").fetchone()
    assert migrations.M013_KINDS_AFTER in create
    assert " IN (" not in create
    assert conn.execute("SELECT uuid, kind FROM entries").fetchall() == [("before", "lead")]
    for kind in KINDS:
        value = (100, "GBP") if kind == "spend" else (None, None)
        conn.execute(insert, (f"new {kind}", kind, *value))
    for unknown in ("rumour", "Lead", "lead ", ""):
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute(insert, (f"bad {unknown}", unknown, None, None))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_the_exports_note_reads_only_the_captured_rows(db_path):
    """store.capture.exported_items runs before every summary and funnel table: from the
    captured rows to their entries, never a scan of every entry (0.3 s at 1M entries)."""
    from netlog.store import capture

    conn = open_db(db_path, create=True)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    capture.exported_items(conn)
    conn.set_trace_callback(None)
    [query] = statements
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query))
    conn.close()
    assert "SCAN captured" in plan
    assert "SCAN e " not in plan + " "


def test_every_command_has_help_and_a_readme_section():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name, command in get_command(app).commands.items():
        assert command.help, name
        assert f"`netlog {name}" in readme, f"README does not document netlog {name}"
