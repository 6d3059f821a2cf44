"""A new file is the migrations' schema, copied from one made once per process, with a device
identity of its own."""

import re
import sqlite3
from pathlib import Path

from netlog.store import db, migrations


def _shape(conn: sqlite3.Connection) -> tuple:
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return (
        sorted(map(tuple, conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))),
        {
            pragma: conn.execute(f"PRAGMA {pragma}").fetchone()[0]
            for pragma in ("user_version", "application_id", "page_size", "encoding")
        },
        {
            table: sorted(map(tuple, conn.execute(f'SELECT * FROM "{table}"').fetchall()))
            for table in tables
            if table != "sync_device"
        },
    )


def test_a_new_file_is_what_the_migrations_make_with_a_device_of_its_own(tmp_path: Path):
    made = [db.open_db(tmp_path / f"{name}.db", create=True) for name in ("a", "b", "c")]
    replayed = sqlite3.connect(tmp_path / "replayed.db", isolation_level=None)
    migrations.upgrade(replayed)
    for conn in made:
        assert _shape(conn) == _shape(replayed)
        migrations.check_and_upgrade(conn, tmp_path / "x.db")  # current: nothing to do
    devices = [conn.execute("SELECT * FROM sync_device").fetchone() for conn in made]
    ids = [row["device"] for row in devices]
    assert len(set(ids)) == len(made)
    assert all(re.fullmatch(r"[0-9a-f]{16}", device) for device in ids)
    columns = replayed.execute("SELECT * FROM sync_device").description
    other = [column[0] for column in columns if column[0] != "device"]
    expected = replayed.execute(f"SELECT {', '.join(other)} FROM sync_device").fetchone()
    for conn in made:
        assert tuple(conn.execute(f"SELECT {', '.join(other)} FROM sync_device").fetchone()) == (
            expected
        )


def test_the_schema_snapshot_is_what_the_migrations_make_now():
    """A new file is made from netlog.store.schema; after a new migration, write it again
    with `python -m netlog.store.migrations`."""
    from netlog.store import schema

    replayed = sqlite3.connect(":memory:", isolation_level=None)
    migrations.upgrade(replayed)
    assert schema.VERSION == migrations.SCHEMA_VERSION
    assert migrations.schema_snapshot(migrations.without_this_device(replayed)) == (
        schema.STATEMENTS,
        schema.ROWS,
    )


def test_without_a_current_snapshot_a_new_file_replays_the_migrations(tmp_path: Path, monkeypatch):
    from netlog.store import schema

    monkeypatch.setattr(schema, "VERSION", schema.VERSION - 1)
    monkeypatch.setattr(migrations, "_NEW_FILE", [])
    made = db.open_db(tmp_path / "made.db", create=True)
    replayed = sqlite3.connect(tmp_path / "replayed.db", isolation_level=None)
    migrations.upgrade(replayed)
    assert _shape(made) == _shape(replayed)
