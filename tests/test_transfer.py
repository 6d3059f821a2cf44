"""export, import, merge, backup and check: data in and out without losing a row."""

import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from tests.conftest import ENTRY_FIELDS, rows

from netlog.store import migrations

NETLOG = str(Path(sys.executable).parent / "netlog")


@pytest.fixture
def demo_db(demo_copy):
    return demo_copy


def test_export_import_export_is_identical_in_both_formats(ok, tmp_path, demo_db):
    for fmt in ("csv", "json"):
        first = ok("--db", str(demo_db), "export", "-f", fmt).stdout
        target = tmp_path / f"copy-{fmt}.db"
        source = tmp_path / f"export.{fmt}"
        source.write_text(first, encoding="utf-8", newline="")
        result = ok("--db", str(target), "import", str(source))
        # One line: no progress bar when stderr is not a terminal.
        assert result.stderr == "Added 144 entries; skipped 0 already present.\n"
        assert ok("--db", str(target), "export", "-f", fmt).stdout == first


def test_export_has_every_field_and_reads_back_with_the_csv_module(ok, db_path):
    ok("config", "currency", "GBP")
    ok(
        "add",
        "-n",
        "3",
        "--note",
        "'quoted",
        "--tag",
        "a",
        "--tag",
        "b",
        "--at",
        "2010-09-14 10:00",
        "--",
        "=cmd",
        "45m",
        "-cells",
    )
    ok("outcome", "email", "win", "--value", "1,200.50", "--label", "@x", "--at", "2010-09-15")
    exported = list(csv.DictReader(io.StringIO(ok("export").stdout)))
    assert list(exported[0]) == ENTRY_FIELDS
    activity, win = exported
    assert (activity["channel"], activity["what"], activity["note"]) == (
        " =cmd",
        " -cells",
        "'quoted",
    )
    assert (activity["minutes"], activity["count"], activity["tags"]) == ("45", "3", "a,b")
    assert (win["value"], win["currency"], win["label"]) == ("1200.50", "GBP", " @x")
    assert (activity["occurred_at"], activity["occurred_offset"]) == ("2010-09-14 10:00:00", "60")
    assert activity["occurred_utc"] == "2010-09-14T09:00:00+00:00"


def test_export_to_a_file_and_a_time_range(ok, tmp_path, demo_db):
    target = tmp_path / "oct.json"
    ok(
        "--db",
        str(demo_db),
        "export",
        "-f",
        "json",
        "--since",
        "2010-10",
        "--until",
        "2010-10",
        "--output",
        str(target),
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data
    assert all(item["occurred_at"].startswith("2010-10") for item in data)


def test_importing_twice_adds_nothing_and_two_exports_give_their_union(ok, tmp_path):
    laptop, desktop = tmp_path / "laptop.db", tmp_path / "desktop.db"
    ok("--db", str(laptop), "add", "email", "30m", "--at", "2010-09-14")
    ok("--db", str(desktop), "add", "linkedin", "1h", "--at", "2010-09-15")
    for name in ("laptop", "desktop"):
        path = tmp_path / f"{name}.csv"
        path.write_text(
            ok("--db", str(tmp_path / f"{name}.db"), "export").stdout, encoding="utf-8", newline=""
        )
    ok("import", str(tmp_path / "laptop.csv"))
    ok("import", str(tmp_path / "desktop.csv"))
    again = ok("import", str(tmp_path / "laptop.csv"))
    assert "Added 0 entries; skipped 1" in again.stderr
    channels = {row["channel"] for row in json.loads(ok("log", "-f", "json").stdout)}
    assert channels == {"email", "linkedin"}


def _csv_with(tmp_path: Path, bad_line: str | None = None, rows_before: int = 3) -> Path:
    header = "uuid,type,channel,minutes,count,kind,value,occurred_at,logged_at"
    lines = [header]
    for i in range(rows_before):
        lines.append(
            f"{uuid.uuid4()},activity,email,{10 + i},1,,,2010-09-1{i}T10:00:00+00:00,"
            f"2010-09-1{i}T10:00:00+00:00"
        )
    if bad_line is not None:
        lines.append(bad_line)
    path = tmp_path / "in.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        pytest.param(bad, reason, id=reason)  # named by the reason: the UUIDs are new each run
        for bad, reason in [
            ("not-a-uuid,activity,email,10,1,,,2010-09-20T10:00:00+00:00,", "not a UUID"),
            (
                f"{uuid.uuid4()},activity,email,0,1,,,2010-09-20T10:00:00+00:00,",
                "an activity lasts",
            ),
            (f"{uuid.uuid4()},outcome,email,,1,maybe,,2010-09-20T10:00:00+00:00,", "kind"),
            (
                f"{uuid.uuid4()},outcome,email,,1,lead,100,2010-09-20T10:00:00+00:00,",
                "has no value",
            ),
            (f"{uuid.uuid4()},activity,email,10,1,,,yesterday,", "ISO 8601"),
            (f"{uuid.uuid4()},activity,email,10,1,,,2010-09-20T10:00:00,", "no UTC offset"),
            (f"{uuid.uuid4()},activity,,10,1,,,2010-09-20T10:00:00+00:00,", "channel"),
        ]
    ],
)
def test_a_bad_row_fails_the_whole_import_with_its_line(run, tmp_path, db_path, bad, reason):
    result = run("import", str(_csv_with(tmp_path, bad)))
    assert result.exit_code == 2  # bad input
    assert result.stderr.startswith("Error: line 5: ")
    assert reason in result.stderr
    assert isinstance(result.exception, SystemExit), result.exception  # not an escaped error
    assert result.stderr.startswith("Error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one line
    assert not db_path.exists()


def test_dry_run_counts_and_changes_nothing(ok, tmp_path, db_path):
    result = ok("import", "--dry-run", str(_csv_with(tmp_path)))
    assert "Would add 3 entries" in result.stderr
    assert not db_path.exists()  # a rehearsal leaves nothing behind
    ok("add", "email", "5m", "--at", "2010-09-01")
    ok("import", "--dry-run", str(_csv_with(tmp_path)))
    assert len(rows(db_path)) == 1


def test_bom_windows_line_endings_and_stdin(ok, run, tmp_path, db_path):
    source = _csv_with(tmp_path)
    data = b"\xef\xbb\xbf" + source.read_bytes()
    assert b"\r\n" in data
    result = run("import", "-", input=data.decode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert len(rows(db_path)) == 3


def test_non_utf8_input_is_refused_clearly(run, tmp_path, db_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(_csv_with(tmp_path).read_bytes().replace(b"email", b"caf\xe9"))
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "not UTF-8 text" in result.stderr
    assert not db_path.exists() or rows(db_path) == []


def test_import_is_one_step_for_undo(ok, tmp_path, db_path):
    ok("add", "linkedin", "5m", "--at", "2010-09-01")
    ok("import", str(_csv_with(tmp_path)))
    assert len(rows(db_path)) == 4
    assert "import" in ok("undo", "--list").stdout.splitlines()[0]
    ok("undo")
    assert [r["minutes"] for r in rows(db_path)] == [5]
    assert [r["name"] for r in rows(db_path, "SELECT name FROM channels")] == ["linkedin"]


def test_merge_reads_another_database_without_changing_it(ok, run, tmp_path, demo_db, db_path):
    before = demo_db.read_bytes()
    assert "Added 144 entries" in ok("merge", str(demo_db)).stderr
    assert "Added 0 entries" in ok("merge", str(demo_db)).stderr
    assert demo_db.read_bytes() == before
    assert run("merge", str(db_path)).exit_code == 1
    (tmp_path / "junk.db").write_bytes(b"junk" * 100)
    assert "not a netlog database" in run("merge", str(tmp_path / "junk.db")).stderr


def test_backup_is_a_working_copy_and_never_overwrites(ok, run, tmp_path, demo_db):
    copy = tmp_path / "backups" / "copy.db"
    ok("--db", str(demo_db), "backup", str(copy))
    assert ok("--db", str(copy), "export").stdout == ok("--db", str(demo_db), "export").stdout
    assert run("--db", str(demo_db), "backup", str(copy)).exit_code == 1


def test_backup_while_another_process_writes(ok, tmp_path, db_path):
    ok("add", "x", "5m", "--at", "2010-09-01")
    writer = subprocess.Popen(
        [sys.executable, "-c", (
            "import sqlite3, sys, uuid\n"
            "conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)\n"
            "for i in range(300):\n"
            "    conn.execute('BEGIN IMMEDIATE')\n"
            "    conn.execute(\"INSERT INTO entries (uuid, channel_id, kind, occurred_at,"
            " logged_at, minutes, count) VALUES (?, 1, 'activity',"
            " '2010-09-01T10:00:00+00:00', '2010-09-01T10:00:00+00:00', 5, 1)\","
            " (str(uuid.uuid4()),))\n"
            "    conn.execute('COMMIT')\n"
        ), str(db_path)],
    )  # fmt: skip
    try:
        for i in range(5):
            ok("backup", str(tmp_path / f"b{i}.db"))
    finally:
        writer.wait(timeout=60)
    for i in range(5):
        assert "OK" in ok("--db", str(tmp_path / f"b{i}.db"), "check").stderr


def test_check_reports_counts_and_finds_oddities_without_upgrading(ok, run, tmp_path):
    """A schema-2 file that another program filled with rows netlog would refuse: check
    reports them and the file's own schema, and changes nothing."""
    from sqlite_utils import Database

    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    migrations.m001_initial(db)
    migrations.m002_undo_journal_timer_aliases(db)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO channels VALUES (1, 'x', 'x', '2010-09-01T00:00:00+00:00')")
    conn.execute(
        "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, minutes, count)"
        " VALUES ('a', 1, 'activity', '2010-09-01T10:00:00+00:00',"
        " '2010-09-01T10:00:00+00:00', -3, 1),"
        " ('b', 1, 'win', 'last tuesday', '2010-09-01T10:00:00+00:00', NULL, 1)"
    )
    conn.close()
    before = path.read_bytes()
    result = run("--db", str(path), "check")
    assert result.exit_code == 1
    assert "entries      2 (activity 1, win 1)" in result.stdout
    assert f"schema       2 (behind: netlog upgrades it to {migrations.SCHEMA_VERSION}" in (
        result.stdout
    )
    assert "1 activities lasting less than 1 or more than 1440 minutes" in result.stderr
    assert "1 times not in netlog's UTC form" in result.stderr
    assert path.read_bytes() == before


def test_check_reports_the_current_schema(ok, db_path):
    ok("add", "x", "5m", "--at", "2010-09-01")
    ok("outcome", "x", "win", "--value", "10", "--at", "2010-09-01")
    report = ok("check")
    assert "entries      2 (activity 1, win 1)" in report.stdout
    assert f"schema       {migrations.SCHEMA_VERSION} (current)" in report.stdout


def test_a_first_release_database_is_upgraded_with_every_row_kept(ok, tmp_path):
    """Build a file exactly as schema 1 (the first release) made it, then open it now."""
    from sqlite_utils import Database

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    migrations.m001_initial(Database(conn, execute_plugins=False))
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO channels VALUES (1, 'email', 'Email', '2010-09-01T00:00:00+00:00')")
    conn.execute(
        "INSERT INTO entries (id, uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
        " count, label, value_minor, currency, note, tags) VALUES"
        " (7, '6f1c1ac4-5d3e-4a57-9a43-0b6f1a3f4c11', 1, 'activity', '2010-09-14T09:00:00+00:00',"
        " '2010-09-14T10:00:00+00:00', 'prospects', 45, 8, NULL, NULL, NULL, 'n', '[\"a\"]'),"
        " (9, '0e7a3f0b-3a2b-4c7e-8f5d-2b8c9d1e4f22', 1, 'win', '2010-10-05T10:00:00+00:00',"
        " '2010-10-05T10:00:00+00:00', NULL, NULL, 1, 'print shop', 120050, 'GBP', NULL, NULL)"
    )
    conn.execute("INSERT INTO settings VALUES ('rate', '30.00')")
    conn.execute("COMMIT")
    before = conn.execute("SELECT * FROM entries ORDER BY id").fetchall()
    conn.close()

    data = json.loads(ok("--db", str(path), "log", "-f", "json").stdout)
    assert [d["id"] for d in data] == [9, 7]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    # Every row kept as it was, with the column m003 added (empty) at the end, then m011's:
    # this device, and no person.
    [device] = conn.execute("SELECT device FROM sync_device").fetchone()
    assert conn.execute("SELECT * FROM entries ORDER BY id").fetchall() == [
        (*row, None, device, None) for row in before
    ]
    conn.close()
    assert ok("--db", str(path), "config", "rate").stdout.strip() == "30.00"
    ok("--db", str(path), "rm", "7", "--yes")
    ok("--db", str(path), "undo")
    assert len(json.loads(ok("--db", str(path), "log", "-f", "json").stdout)) == 2


@pytest.mark.slow
def test_killing_a_large_import_leaves_all_or_nothing(tmp_path):
    """kill -9 an import at random moments, 20 times: the file stays sound and holds either
    the whole import or none of it."""
    rng = random.Random(2010)
    size = 40_000
    source = tmp_path / "big.csv"
    lines = ["uuid,type,channel,minutes,count,occurred_at,logged_at"]
    for i in range(size):
        stamp = f"2010-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+00:00"
        lines.append(
            f"{uuid.UUID(int=rng.getrandbits(128), version=4)},activity,"
            f"channel{i % 8},{1 + i % 90},1,{stamp},{stamp}"
        )
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "NETLOG_DB": str(tmp_path / "crash.db")}
    subprocess.run(
        [NETLOG, "add", "seed", "5m", "--at", "2010-01-01"],
        env=env,
        check=True,
        capture_output=True,
    )
    outcomes = set()
    for _ in range(20):
        process = subprocess.Popen(
            [NETLOG, "import", str(source)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        check = subprocess.run(
            [NETLOG, "check"], env=env, capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stderr
        count = int(check.stdout.split("entries")[1].split()[0].replace(",", ""))
        assert count in (1, 1 + size)
        outcomes.add(count)
        if count > 1:
            subprocess.run([NETLOG, "undo"], env=env, check=True, capture_output=True)
    assert 1 in outcomes  # at least one kill landed mid-import


def test_restore_keeps_ids_and_never_collides_on_odd_ids(ok, tmp_path, db_path):
    """Into an empty database ids are kept where they rise; repeats and drops get new ones."""
    header = "id,uuid,type,channel,minutes,occurred_at"
    lines = [header]
    for source_id in (5, 5, 3, 9, 6):
        lines.append(f"{source_id},{uuid.uuid4()},activity,email,10,2010-09-14T10:00:00+00:00")
    path = tmp_path / "ids.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok("import", str(path))
    assert [r["id"] for r in rows(db_path)] == [5, 6, 7, 9, 10]
