"""Who logged it (issue 19 item 6): each entry records the device it was first logged on and
the person (`config name`) set there; `log` shows them when there are several; `--who` on
log, summary, funnel and report; export, import, merge and sync keep them."""

import csv
import io
import json
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils
from tests.test_installed import NETLOG
from typer.testing import CliRunner, Result

from netlog.cli import app
from netlog.store import migrations


def netlog(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args], prog_name="netlog")


def ok(db: Path, *args: str) -> Result:
    result = netlog(db, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    return result


def exported(db: Path) -> dict[str, dict]:
    return {row["uuid"]: row for row in json.loads(ok(db, "export", "-f", "json").stdout)}


def device_id(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT device FROM sync_device").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def pinned_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2010, 12, 1, tzinfo=UTC))


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    """A laptop (Alice's) and a desktop (no name set), each logging on its own channel,
    synced through a folder both ways."""
    a, b, folder = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "shared"
    folder.mkdir()
    ok(a, "config", "device", "laptop")
    ok(a, "config", "name", "Alice")
    ok(b, "config", "device", "desktop")
    ok(a, "add", "linkedin", "45m", "posting", "--at", "2010-09-01 10:00")
    ok(a, "add", "linkedin", "30m", "comments", "--at", "2010-09-08 10:00")
    ok(a, "outcome", "linkedin", "lead", "--at", "2010-09-09 10:00")
    ok(b, "add", "email", "90m", "newsletter", "--at", "2010-09-02 10:00")
    ok(b, "outcome", "email", "win", "--value", "1200", "--at", "2010-09-20 10:00")
    for db in (a, b, a):
        ok(db, "sync", str(folder))
    return a, b


def test_each_entry_keeps_the_device_and_person_it_was_logged_by_after_a_sync(two):
    a, b = two
    on_a, on_b = exported(a), exported(b)
    assert on_a.keys() == on_b.keys()
    assert len(on_a) == 5
    for entries in (on_a, on_b):
        laptop = [e for e in entries.values() if e["channel"] == "linkedin"]
        desktop = [e for e in entries.values() if e["channel"] == "email"]
        assert {(e["device"], e["device_id"], e["person"]) for e in laptop} == {
            ("laptop", device_id(a), "Alice")
        }
        assert {(e["device"], e["device_id"], e["person"]) for e in desktop} == {
            ("desktop", device_id(b), None)
        }
    assert device_id(a) != device_id(b)


def test_log_shows_the_device_and_person_when_there_are_several(two):
    a, b = two
    for db in (a, b):
        table = ok(db, "log").stdout
        header = next(line for line in table.splitlines() if "Channel" in line)
        assert "Device" in header
        assert "Person" in header
        for line in table.splitlines():
            if "linkedin" in line:
                assert "laptop" in line
                assert "Alice" in line
            if "email" in line:
                assert "desktop" in line
                assert "Alice" not in line


def test_log_has_no_device_column_with_one_device(tmp_path):
    db = tmp_path / "one.db"
    ok(db, "config", "device", "laptop")
    ok(db, "config", "name", "Alice")
    ok(db, "add", "linkedin", "45m", "--at", "2010-09-01 10:00")
    ok(db, "add", "email", "30m", "--at", "2010-09-02 10:00")
    table = ok(db, "log").stdout
    assert "Device" not in table
    assert "laptop" not in table
    assert "Person" not in table
    assert [e["person"] for e in exported(db).values()] == ["Alice", "Alice"]


def _summary(db: Path, *args: str) -> dict[str, dict]:
    rows = json.loads(ok(db, "summary", "-f", "json", *args).stdout)
    return {row["channel"]: row for row in rows}


@pytest.mark.parametrize(("who", "channel"), [("laptop", "linkedin"), ("ALICE", "linkedin"),
                                               ("Desktop", "email")])  # fmt: skip
def test_who_narrows_summary_funnel_log_and_report_to_that_device(two, who, channel):
    a, b = two
    everything = exported(a).values()
    device = "laptop" if channel == "linkedin" else "desktop"
    mine = [e for e in everything if e["device"] == device]
    other = "email" if channel == "linkedin" else "linkedin"
    for db in (a, b):
        summary = _summary(db, "--who", who)
        assert list(summary) == [channel]  # the other device's channel is not counted
        row = summary[channel]
        minutes = sum(e["minutes"] or 0 for e in mine if e["type"] == "activity")
        assert float(row["hours"]) == minutes / 60
        assert row["leads"] == sum(e["count"] for e in mine if e["kind"] == "lead")
        assert row["wins"] == sum(e["count"] for e in mine if e["kind"] == "win")
        logged = json.loads(ok(db, "log", "-f", "json", "--who", who).stdout)
        assert sorted(e["uuid"] for e in logged) == sorted(e["uuid"] for e in mine)
        funnel = json.loads(ok(db, "funnel", "-f", "json", "--who", who).stdout)
        assert [row["channel"] for row in funnel] == [channel]
        report = ok(db, "report", "-f", "md", "--who", who).stdout
        assert channel in report
        assert other not in report
    # Without --who both count, and the verdict note says a filter cut the picture.
    assert set(_summary(a)) == {"linkedin", "email"}
    assert "leave out --kind, --tag, --search and --who" in ok(a, "summary", "--who", who).stdout


def test_an_unknown_who_is_one_line_naming_the_known_ones_and_writes_nothing(two, tmp_path):
    a, _ = two
    before = a.read_bytes()
    for command in ("log", "summary", "funnel", "report"):
        extra = ["-o", str(tmp_path / "r.html")] if command == "report" else []
        result = netlog(a, command, "--who", "bob", *extra)
        assert result.exit_code == 2, (command, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
        assert "'bob'" in result.stderr
        for name in ("laptop", "desktop", "Alice"):
            assert name in result.stderr
        assert result.stdout == ""
    assert a.read_bytes() == before
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_and_import_keep_device_and_person(two, tmp_path, fmt):
    a, _ = two
    out = tmp_path / f"all.{fmt}"
    ok(a, "export", "-f", fmt, "-o", str(out))
    c = tmp_path / "c.db"
    ok(c, "config", "device", "office")
    ok(c, "import", str(out))
    before, after = exported(a), exported(c)
    assert after.keys() == before.keys()
    for uuid, entry in before.items():
        assert (after[uuid]["device"], after[uuid]["device_id"], after[uuid]["person"]) == (
            entry["device"], entry["device_id"], entry["person"]
        )  # fmt: skip
    assert "laptop" in ok(c, "log").stdout
    assert "desktop" in ok(c, "log").stdout
    assert list(_summary(c, "--who", "desktop")) == ["email"]


def test_an_older_export_without_the_columns_is_the_importing_devices(two, tmp_path):
    a, _ = two
    text = ok(a, "export", "-f", "csv").stdout
    table = list(csv.DictReader(io.StringIO(text)))
    old_columns = [c for c in table[0] if c not in ("device", "device_id", "person")]
    assert list(table[0])[-3:] == ["device", "device_id", "person"]  # appended at the end
    out = io.StringIO()
    writer = csv.DictWriter(out, old_columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    old = tmp_path / "old.csv"
    old.write_text(out.getvalue(), encoding="utf-8")
    d = tmp_path / "d.db"
    ok(d, "config", "device", "office")
    ok(d, "config", "name", "Dana")
    ok(d, "import", str(old))
    entries = exported(d).values()
    assert len(entries) == 5
    assert {(e["device"], e["device_id"], e["person"]) for e in entries} == {
        ("office", device_id(d), "Dana")
    }


def test_an_import_with_a_bad_device_id_is_refused_whole(two, tmp_path):
    a, _ = two
    rows = json.loads(ok(a, "export", "-f", "json").stdout)
    rows[1]["device_id"] = "not-an-id"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(rows), encoding="utf-8")
    c = tmp_path / "c.db"
    ok(c, "add", "email", "5m", "--at", "2010-09-01 09:00")
    before = c.read_bytes()
    result = netlog(c, "import", str(bad))
    assert result.exit_code == 2
    assert "device_id" in result.stderr
    assert "Traceback" not in result.stderr
    assert c.read_bytes() == before


def test_merge_keeps_who_logged_it(two, tmp_path):
    a, _ = two
    e = tmp_path / "e.db"
    ok(e, "add", "email", "5m", "--at", "2010-09-01 09:00")
    ok(e, "merge", str(a))
    merged = exported(e)
    for uuid, entry in exported(a).items():
        assert (merged[uuid]["device"], merged[uuid]["person"]) == (
            entry["device"], entry["person"]
        )  # fmt: skip
    assert len(_summary(e, "--who", "laptop")) == 1


def test_config_name_is_one_short_line_kept_on_this_device(tmp_path, two):
    _a, b = two
    db = tmp_path / "n.db"
    for bad in ("two\nlines", "x" * 65, "   "):
        result = netlog(db, "config", "name", bad)
        assert result.exit_code == 2, bad
        assert "Traceback" not in result.stderr
    assert not db.exists()
    ok(db, "config", "name", "  Zoë ")
    assert ok(db, "config", "name").stdout == "Zoë\n"
    ok(db, "config", "name", "--unset")
    assert ok(db, "config", "name").stdout == "(not set)\n"
    # Not a file-wide setting: the desktop never got Alice's name as its own.
    assert ok(b, "config", "name").stdout == "(not set)\n"
    ok(b, "add", "email", "10m", "--at", "2010-09-03 10:00")
    newest = json.loads(ok(b, "log", "-f", "json", "--limit", "1").stdout)[0]
    assert (newest["device"], newest["person"]) == ("desktop", None)


def test_upgrading_an_older_file_gives_its_entries_this_device(tmp_path):
    path = tmp_path / "v10.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for version, migration in enumerate(migrations.MIGRATIONS[:10], start=1):
        migration(db)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO channels (key, name, created_at) VALUES ('x', 'x', 'now')")
    conn.execute(
        "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
        " count) VALUES ('00000000-0000-4000-8000-000000000001', 1, 'activity',"
        " '2010-09-01T10:00:00+00:00', '2010-09-01T10:00:00+00:00', 'old words', 5, 1)"
    )
    conn.close()
    ok(path, "config", "device", "old-laptop")
    [entry] = exported(path).values()
    assert (entry["device"], entry["device_id"]) == ("old-laptop", device_id(path))
    assert [e["what"] for e in json.loads(ok(path, "log", "-f", "json", "--search", "old").stdout)]
    ok(path, "edit", "1", "--duration", "10m")
    ok(path, "undo")
    assert exported(path)[entry["uuid"]]["minutes"] == 5
    assert exported(path)[entry["uuid"]]["device_id"] == device_id(path)


def test_installed_netlog_filters_by_who(two, tmp_path):
    a, _ = two
    assert NETLOG is not None
    done = subprocess.run(
        [NETLOG, "--db", str(a), "log", "-f", "csv", "--who", "desktop"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {row["channel"] for row in rows} == {"email"}
    assert len(rows) == 2


def test_a_copy_given_a_new_device_keeps_the_old_entries_device(two, tmp_path):
    a, _ = two
    copy = tmp_path / "copy.db"
    copy.write_bytes(a.read_bytes())
    ok(copy, "config", "device", "--new")
    ok(copy, "config", "device", "spare")
    ok(copy, "add", "twitter", "15m", "--at", "2010-09-10 10:00")
    by_channel = {e["channel"]: e for e in exported(copy).values()}
    assert (by_channel["linkedin"]["device"], by_channel["linkedin"]["device_id"]) == (
        "laptop", device_id(a)
    )  # fmt: skip
    assert (by_channel["twitter"]["device"], by_channel["twitter"]["device_id"]) == (
        "spare", device_id(copy)
    )  # fmt: skip
    assert device_id(copy) != device_id(a)
    assert list(_summary(copy, "--who", "spare")) == ["twitter"]


def test_a_device_never_synced_with_is_still_named_through_the_one_that_imported_it(tmp_path):
    """C's entries reach A by an export (C never syncs); A syncs with B: B shows C's name,
    passed on in A's change files, and a bad name there is left out, not fatal."""
    a, b, c, folder = (tmp_path / f"{n}.db" for n in ("a", "b", "c", "shared"))
    folder.mkdir()
    ok(c, "config", "device", "old-pc")
    ok(c, "config", "name", "Carol")
    ok(c, "add", "email", "1h", "mails", "--at", "2010-09-02 10:00")
    ok(a, "config", "device", "laptop")
    ok(a, "add", "linkedin", "30m", "posting", "--at", "2010-09-03 10:00")
    export = tmp_path / "c.json"
    ok(c, "export", "-f", "json", "-o", str(export))
    ok(a, "import", str(export))
    ok(b, "config", "device", "desktop")
    ok(a, "sync", str(folder))
    ok(b, "sync", str(folder))
    log = ok(b, "log", "-f", "csv").stdout
    rows = {row["what"]: row for row in csv.DictReader(io.StringIO(log))}
    assert (rows["mails"]["device"], rows["mails"]["person"]) == ("old-pc", "Carol")
    assert rows["posting"]["device"] == "laptop"
    assert "old-pc" in ok(b, "log").stdout
    assert "1.0" in ok(b, "summary", "--who", "old-pc", "-f", "csv").stdout
    # A hand-edited header with a name that is not one: the changes still apply.
    (own,) = [p for p in folder.iterdir() if p.is_dir()]
    change_file = sorted(own.glob("*.jsonl"))[0]
    lines = change_file.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["names"] = {device_id(c): "bad\nname", "nonsense": "x"}
    change_file.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    d = tmp_path / "d.db"
    ok(d, "sync", str(folder))
    assert len(exported(d)) == 2


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_says_whose_entries_it_shows_and_dates_only_those(two, fmt):
    """The desktop's entries run from 2 to 20 September, the file's from 1 to 20: a report
    of the desktop's says so, not the file's span."""
    a, _ = two
    page = ok(a, "report", "-f", fmt, "--who", "desktop").stdout
    assert "02 Sep 2010 – 20 Sep 2010" in page or "2 Sep 2010 – 20 Sep 2010" in page
    assert "01 Sep 2010" not in page
    assert ("- Logged by: desktop" if fmt == "md" else "<dt>Logged by</dt><dd>desktop</dd>") in page
    whole = ok(a, "report", "-f", fmt).stdout
    assert "Logged by" not in whole
    assert "Sep 2010 – 20 Sep 2010" in whole


def test_config_lists_this_devices_name_and_person_too(tmp_path):
    db = tmp_path / "n.db"
    listing = ok(db, "config").stdout.splitlines()
    assert listing[-2].split()[:2] == ["device", "(no"]
    assert listing[-1].split()[:3] == ["name", "(not", "set)"]
    assert not db.exists()
    ok(db, "config", "device", "office pc")
    ok(db, "config", "name", "Zoë")
    listing = ok(db, "config").stdout.splitlines()
    assert listing[-2].startswith("device      office pc ")
    assert listing[-1].startswith("name        Zoë ")
