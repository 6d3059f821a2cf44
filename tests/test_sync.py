"""`netlog sync DIR`: devices that share a folder hold one history (issue 19)."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from netlog.cli import app
from netlog.io import sync as syncing


def netlog(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args], prog_name="netlog")


def ok(db: Path, *args: str) -> Result:
    result = netlog(db, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    return result


def entries(db: Path) -> dict[str, dict]:
    """Every entry by UUID, with every exported field but the local id."""
    exported = json.loads(ok(db, "export", "-f", "json").stdout or "[]")
    return {row["uuid"]: {k: v for k, v in row.items() if k != "id"} for row in exported}


def tables(db: Path) -> dict[str, list]:
    """Channels, aliases, budgets and settings, by what they hold (not local ids)."""
    conn = sqlite3.connect(db)
    try:
        return {
            "channels": conn.execute("SELECT key, name FROM channels ORDER BY key").fetchall(),
            "aliases": conn.execute(
                "SELECT a.key, a.alias, c.name FROM aliases a JOIN channels c"
                " ON c.id = a.channel_id ORDER BY a.key"
            ).fetchall(),
            "budgets": conn.execute(
                "SELECT c.name, b.kind, b.period, b.limit_value, b.currency, b.counts_from"
                " FROM budgets b JOIN channels c ON c.id = b.channel_id ORDER BY c.key, b.kind"
            ).fetchall(),
            "settings": conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall(),
        }
    finally:
        conn.close()


def ids(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT id FROM entries ORDER BY id")]
    finally:
        conn.close()


def sync(db: Path, folder: Path, *args: str) -> Result:
    return ok(db, "sync", str(folder), *args)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    shared.mkdir()
    return shared


@pytest.fixture
def a(tmp_path: Path) -> Path:
    path = tmp_path / "a.db"
    ok(path, "config", "device", "laptop")
    return path


@pytest.fixture
def b(tmp_path: Path) -> Path:
    path = tmp_path / "b.db"
    ok(path, "config", "device", "desktop")
    return path


def test_the_issue_reproduction_edits_and_removals_travel(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "posting", "--at", "2026-11-02 10:00")
    ok(a, "outcome", "linkedin", "lead", "--at", "2026-11-02 11:00")
    sync(a, folder)
    sync(b, folder)
    assert entries(a) == entries(b)
    first, second = ids(a)
    ok(a, "edit", str(first), "--duration", "90m")
    ok(a, "rm", str(second), "--yes")
    sync(a, folder)
    sync(b, folder)
    assert [e["minutes"] for e in entries(b).values()] == [90]
    # The other way round, the removed entry does not come back.
    sync(b, folder)
    sync(a, folder)
    assert len(entries(a)) == 1
    assert entries(a) == entries(b)


def test_one_line_and_json_say_what_travelled(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    line = sync(a, folder).stdout
    assert line.startswith("Sent 2 changes, received 0 changes")  # the channel and the entry
    report = json.loads(sync(b, folder, "--format", "json").stdout)
    assert report == {
        "sent": 0,
        "received": 2,
        "devices": [{"name": "laptop", "received": 2}],
        "conflicts": 0,
    }


def test_dry_run_writes_nothing(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    result = sync(b, folder, "--dry-run")
    assert "would receive 2 changes (laptop 2)" in result.stdout
    assert entries(b) == {}
    assert sorted(p.name for p in folder.iterdir()) == [
        json.loads((next(folder.iterdir()) / "00000001.jsonl").read_text().splitlines()[0])[
            "device"
        ]
    ]


def test_concurrent_edits_are_one_conflict_everywhere_and_restore_works(
    a: Path, b: Path, folder: Path
):
    ok(a, "add", "linkedin", "45m", "posting", "--at", "2026-11-02 10:00")
    sync(a, folder)
    sync(b, folder)
    ok(a, "edit", "1", "--what", "from the laptop")
    ok(b, "edit", "1", "--what", "from the desktop")
    sync(a, folder)
    sync(b, folder)
    sync(a, folder)
    assert entries(a) == entries(b)
    listed = [json.loads(ok(db, "conflicts", "-f", "json").stdout) for db in (a, b)]
    assert [len(found) for found in listed] == [1, 1]
    assert listed[0][0]["lost"]["state"] == listed[1][0]["lost"]["state"]
    lost = listed[0][0]["lost"]
    kept_what = next(iter(entries(a).values()))["what"]
    assert {kept_what, lost["state"]["what"]} == {"from the laptop", "from the desktop"}
    assert lost["device"] in ("laptop", "desktop")
    # The lost version becomes current, as a new change that travels and ends the conflict.
    restoring = a if lost["device"] == "laptop" else b
    ok(restoring, "conflicts", "--restore", str(listed[0][0]["id"]))
    for db in (restoring, b if restoring == a else a, restoring):
        sync(db, folder)
    assert [e["what"] for e in entries(a).values()] == [lost["state"]["what"]]
    assert entries(a) == entries(b)
    assert json.loads(ok(a, "conflicts", "-f", "json").stdout) == []
    assert json.loads(ok(b, "conflicts", "-f", "json").stdout) == []


def test_a_removal_beats_an_edit_it_has_seen(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    sync(b, folder)
    ok(a, "edit", "1", "--duration", "1h")
    sync(a, folder)
    sync(b, folder)
    ok(b, "rm", "1", "--yes")
    sync(b, folder)
    sync(a, folder)
    assert entries(a) == entries(b) == {}
    assert json.loads(ok(a, "conflicts", "-f", "json").stdout) == []


def test_an_edit_made_without_seeing_a_removal_is_a_conflict(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    sync(b, folder)
    ok(b, "rm", "1", "--yes")
    ok(a, "edit", "1", "--duration", "1h")
    for db in (b, a, b):
        sync(db, folder)
    assert entries(a) == entries(b)
    found = [json.loads(ok(db, "conflicts", "-f", "json").stdout) for db in (a, b)]
    assert len(found[0]) == len(found[1]) == 1
    assert {found[0][0]["kept"]["state"] is None, found[0][0]["lost"]["state"] is None} == {
        True,
        False,
    }


def test_undo_and_redo_travel_as_changes(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    ok(a, "add", "linkedin", "30m", "--at", "2026-11-03 10:00")
    sync(a, folder)
    sync(b, folder)
    ok(a, "undo")
    sync(a, folder)
    sync(b, folder)
    assert len(entries(b)) == 1
    ok(a, "redo")
    sync(a, folder)
    sync(b, folder)
    assert len(entries(b)) == 2
    assert entries(a) == entries(b)


def test_channels_aliases_budgets_and_settings_travel(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkdin", "45m", "--at", "2026-11-02 10:00")
    ok(a, "add", "twitter", "15m", "--at", "2026-11-02 11:00")
    sync(a, folder)
    sync(b, folder)
    ok(a, "channels", "rename", "linkdin", "LinkedIn")
    ok(a, "channels", "merge", "twitter", "LinkedIn")
    ok(a, "channels", "alias", "li", "LinkedIn")
    ok(a, "budget", "set", "LinkedIn", "2h/week")
    ok(a, "config", "rate", "40")
    ok(a, "config", "week-start", "sunday")
    sync(a, folder)
    sync(b, folder)
    assert tables(b) == tables(a)
    assert [name for _, name in tables(b)["channels"]] == ["LinkedIn"]
    assert entries(a) == entries(b)
    # Links travel with the entry they belong to.
    ok(b, "outcome", "li", "lead", "--at", "2026-11-02 12:00", "--from", "1")
    sync(b, folder)
    sync(a, folder)
    assert entries(a) == entries(b)
    assert [len(e["sources"]) for e in entries(a).values()].count(1) == 1


@pytest.mark.slow
def test_the_same_alias_and_budget_made_on_two_devices_are_no_conflict(
    a: Path, b: Path, folder: Path
):
    for db in (a, b):
        ok(db, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    sync(b, folder)
    for db in (a, b):
        ok(db, "channels", "alias", "li", "linkedin")
        ok(db, "budget", "set", "linkedin", "2h/week")
        time.sleep(1.1)  # created a second apart, as on two machines
    for db in (a, b, a):
        sync(db, folder)
    assert tables(a) == tables(b)
    assert json.loads(ok(a, "conflicts", "-f", "json").stdout) == []
    assert json.loads(ok(b, "conflicts", "-f", "json").stdout) == []


def test_settings_that_stay_local_are_the_device_name_and_timer(a: Path, b: Path, folder: Path):
    ok(a, "start", "linkedin")
    sync(a, folder)
    sync(b, folder)
    assert netlog(b, "status").exit_code == 1  # no timer on the other device
    assert ok(b, "config", "device").stdout.strip() == "desktop"


def _change_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.jsonl"))


def test_incomplete_file_is_left_until_complete_and_named_once(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    [written] = _change_files(folder)
    whole = written.read_bytes()
    written.write_bytes(whole[:-10])  # as a sync service that has carried part of it
    first = sync(b, folder)
    assert f"waiting for {written}" in first.stderr
    assert entries(b) == {}
    assert "waiting" not in sync(b, folder).stderr  # named once
    written.write_bytes(whole)
    sync(b, folder)
    assert entries(b) == entries(a)


def _log_many(db: Path, count: int) -> None:
    for n in range(count):
        ok(db, "add", "linkedin", "10m", f"post {n}", "--at", f"2026-11-{n % 28 + 1:02d} 10:00")


def test_a_big_first_sync_is_written_and_read_a_file_of_changes_at_a_time(
    a: Path, b: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(syncing, "FILE_CHANGES", 7)
    _log_many(a, 24)
    assert sync(a, folder).stdout.startswith("Sent 25 changes")  # the channel and 24 entries
    files = _change_files(folder)
    assert [f.name for f in files] == [f"{seq:08d}.jsonl" for seq in range(1, 5)]
    assert [len(f.read_text().splitlines()) - 1 for f in files] == [7, 7, 7, 4]
    # More changes than one file's worth: b reads each file again when it applies it.
    received = sync(b, folder, "--format", "json").stdout
    assert json.loads(received)["received"] == 25
    assert entries(b) == entries(a)
    # Numbering goes on after the last of them.
    ok(a, "edit", "3", "--duration", "1h")
    sync(a, folder)
    assert _change_files(folder)[-1].name == "00000005.jsonl"
    sync(b, folder)
    assert entries(b) == entries(a)


def test_a_change_file_that_goes_away_while_syncing_is_left_for_the_next_sync(
    a: Path, b: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(syncing, "FILE_CHANGES", 5)
    _log_many(a, 14)
    sync(a, folder)
    files = _change_files(folder)
    last = files[-1]
    whole = last.read_bytes()
    reading = syncing._read
    seen: list[Path] = []

    def compacted_meanwhile(path: Path, device: str, seq: int):
        # Once every file was listed and checked, the device's sync service removes the
        # last one (as `sync --compact` on that device would) before b reads it again.
        if len(seen) == len(files):
            last.unlink(missing_ok=True)
        seen.append(path)
        return reading(path, device, seq)

    monkeypatch.setattr(syncing, "_read", compacted_meanwhile)
    result = sync(b, folder)
    assert f"{last} went away while syncing: left for the next sync" in result.stderr
    assert len(entries(b)) == 14 - (len(whole.splitlines()) - 1)  # all but the last file's
    monkeypatch.setattr(syncing, "_read", reading)
    last.write_bytes(whole)  # the compacted file holding the same changes arrives
    sync(b, folder)
    assert entries(b) == entries(a)


def test_conflict_copies_and_foreign_files_are_left_alone_and_named_once(
    a: Path, b: Path, folder: Path
):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    [written] = _change_files(folder)
    dropbox = written.with_name("00000001 (conflicted copy 2026-11-02).jsonl")
    syncthing = written.with_name("00000001.sync-conflict-20261102-101010-ABCDEFG.jsonl")
    for copy in (dropbox, syncthing):
        shutil.copy(written, copy)
    (folder / "notes.txt").write_text("mine\n")
    (folder / "\x1b[31mred").write_text("a name that would colour a terminal\n")
    first = sync(b, folder).stderr
    for name in (dropbox.name, syncthing.name, "notes.txt"):
        assert name in first
    assert "\x1b" not in first
    assert sync(b, folder).stderr == ""
    assert len(entries(b)) == 1
    assert dropbox.exists()
    assert syncthing.exists()
    assert (folder / "notes.txt").exists()


def test_a_damaged_change_file_is_refused_whole_with_its_line_and_the_rest_applied(
    a: Path, b: Path, tmp_path: Path, folder: Path
):
    c = tmp_path / "c.db"
    ok(c, "config", "device", "phone")
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    ok(a, "add", "linkedin", "30m", "--at", "2026-11-02 11:00")
    sync(a, folder)
    ok(c, "add", "twitter", "10m", "--at", "2026-11-02 10:00")
    sync(c, folder)
    damaged = next(p for p in _change_files(folder) if "linkedin" in p.read_text())
    lines = damaged.read_text().splitlines(keepends=True)
    state = json.loads(lines[3])
    state["state"]["minutes"] = 5000  # over a day: the entry rules refuse it
    lines[3] = json.dumps(state) + "\n"
    damaged.write_text("".join(lines))
    result = sync(b, folder)
    assert f"refused: {damaged}" in result.stderr
    assert f"refused: {damaged}: line 4: an activity lasts" in result.stderr
    assert [e["channel"] for e in entries(b).values()] == ["twitter"]
    assert "refused" not in sync(b, folder).stderr


@pytest.mark.parametrize(
    "change",
    [
        {"type": "alias", "key": "li", "state": {"alias": "li"}},
        {"type": "setting", "key": "rate", "state": {"value": "forty"}},
        {"type": "setting", "key": "no-such", "state": {"value": "1"}},
        {"type": "channel", "key": "linkedin", "state": {"name": "Twitter", "created_at": "x"}},
        {"type": "budget", "key": "linkedin/time", "state": {"channel": "linkedin"}},
        {"type": "entry", "key": "not-a-uuid", "state": {"uuid": "not-a-uuid"}},
        {"type": "timer", "key": "1", "state": None},
    ],
)
def test_a_change_that_breaks_the_rules_is_refused_with_its_line(
    a: Path, b: Path, folder: Path, change: dict
):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    [written] = _change_files(folder)
    lines = written.read_text().splitlines(keepends=True)
    device = json.loads(lines[0])["device"]
    stamp = f"{'9' * 16}.000000.{device}"
    lines.append(json.dumps({**change, "stamp": stamp, "base": None}) + "\n")
    written.write_text("".join(lines))
    result = sync(b, folder)
    assert f"refused: {written}: line {len(lines)}: " in result.stderr
    assert "Traceback" not in result.stderr
    assert entries(b) == {}
    assert tables(b)["settings"] == []


def test_a_newer_format_is_refused_with_a_clear_message(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    [written] = _change_files(folder)
    lines = written.read_text().splitlines(keepends=True)
    header = json.loads(lines[0])
    header["netlog_sync"] = 99
    written.write_text(json.dumps(header) + "\n" + "".join(lines[1:]))
    result = sync(b, folder)
    assert "written by a newer netlog (sync format 99" in result.stderr
    assert entries(b) == {}


def test_a_copied_database_is_refused_until_it_has_an_id_of_its_own(
    a: Path, tmp_path: Path, folder: Path
):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    copy = tmp_path / "copy.db"
    shutil.copy(a, copy)
    ok(copy, "add", "twitter", "15m", "--at", "2026-11-02 11:00")
    sync(copy, folder)
    ok(a, "add", "github", "20m", "--at", "2026-11-02 12:00")
    refused = netlog(a, "sync", str(folder))
    assert refused.exit_code != 0
    assert "config device --new" in refused.stderr
    assert "Traceback" not in refused.stderr
    ok(a, "config", "device", "--new")
    sync(a, folder)
    sync(copy, folder)
    sync(a, folder)
    assert entries(a) == entries(copy)
    assert len(entries(a)) == 3


def test_a_device_only_writes_in_its_own_folder(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    before = {p: p.read_bytes() for p in _change_files(folder)}
    ok(b, "add", "twitter", "15m", "--at", "2026-11-02 10:00")
    sync(b, folder)
    after = {p: p.read_bytes() for p in _change_files(folder)}
    assert {p: after[p] for p in before} == before
    assert len({p.parent for p in after}) == 2
    assert not list(folder.glob("*/.*.tmp"))


def test_compact_rewrites_only_this_devices_files_and_loses_nothing(
    a: Path, b: Path, tmp_path: Path, folder: Path
):
    ok(b, "add", "twitter", "15m", "--at", "2026-11-02 09:00")
    sync(b, folder)
    theirs = {p: p.read_bytes() for p in _change_files(folder)}
    for minutes in (10, 20, 30):
        ok(a, "add", "linkedin", f"{minutes}m", "--at", "2026-11-02 10:00")
        sync(a, folder)
    ok(a, "edit", "1", "--duration", "1h")
    ok(a, "rm", "2", "--yes")
    result = sync(a, folder, "--compact")
    assert "Compacted this device's 4 files into one (5 changes)" in result.stderr
    assert {p: p.read_bytes() for p in _change_files(folder) if p in theirs} == theirs
    assert len(_change_files(folder)) == 2
    # A device that saw none of it, and one that saw it all, end up the same.
    late = tmp_path / "late.db"
    sync(late, folder)
    sync(b, folder)
    assert entries(late) == entries(a) == entries(b)
    assert sorted(e["minutes"] for e in entries(a).values()) == [20, 30, 60]  # #2 was b's
    ok(a, "add", "linkedin", "5m", "--at", "2026-11-02 12:00")
    sync(a, folder)  # numbering goes on after the compacted file
    sync(b, folder)
    assert entries(a) == entries(b)


def test_compact_writes_files_of_at_most_file_changes_each(
    a: Path, b: Path, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
):
    # The compacted history is written as the first sync is, FILE_CHANGES changes a file at
    # most, so that neither this device nor one reading it holds it all.
    monkeypatch.setattr(syncing, "FILE_CHANGES", 3)
    for minutes in (10, 20, 30, 40):
        ok(a, "add", "linkedin", f"{minutes}m", "--at", "2026-11-02 10:00")
        sync(a, folder)
    ok(a, "edit", "1", "--duration", "1h")
    ok(a, "edit", "1", "--duration", "2h")
    sync(a, folder)
    sync(b, folder)
    before = len(_change_files(folder))
    result = sync(a, folder, "--compact")
    # The channel and four entries, the first at its last version: 5 changes.
    assert f"Compacted this device's {before} files into 2 (5 changes)" in result.stderr
    sizes = sorted(len(p.read_text().splitlines()) - 1 for p in _change_files(folder))
    assert sizes == [2, 3]
    late = tmp_path / "late.db"
    sync(late, folder)
    sync(b, folder)
    assert entries(late) == entries(a) == entries(b)
    assert sorted(e["minutes"] for e in entries(late).values()) == [20, 30, 40, 120]
    ok(a, "add", "linkedin", "5m", "--at", "2026-11-02 12:00")
    sync(a, folder)  # numbering goes on after the compacted files
    sync(late, folder)
    assert entries(late) == entries(a)


def test_a_chain_of_edits_read_again_or_late_is_no_conflict(
    a: Path, b: Path, tmp_path: Path, folder: Path
):
    c, late = tmp_path / "c.db", tmp_path / "late.db"
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    for db, what in ((b, "second"), (c, "third")):
        sync(db, folder)
        ok(db, "edit", "1", "--what", what)
        sync(db, folder)
    ok(a, "add", "linkedin", "5m", "--at", "2026-11-02 11:00")
    sync(a, folder, "--compact")  # a's first version of the entry, sent again
    for db in (b, c, a, late):
        sync(db, folder)
    exports = [entries(db) for db in (a, b, c, late)]
    assert all(export == exports[0] for export in exports)
    assert "third" in [e["what"] for e in exports[0].values()]
    for db in (a, b, c, late):
        assert json.loads(ok(db, "conflicts", "-f", "json").stdout) == []


def test_status_lists_devices_unsent_and_conflicts(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    sync(a, folder)
    sync(b, folder)
    ok(b, "add", "linkedin", "10m", "--at", "2026-11-02 11:00")
    found = json.loads(sync(b, folder, "--status", "-f", "json").stdout)
    assert found["device"]["name"] == "desktop"
    assert [(d["name"], d["changes"]) for d in found["devices"]] == [("laptop", 2)]
    assert found["unsent"] == 1
    assert found["conflicts"] == 0


def test_a_missing_folder_is_one_line_and_exit_2(a: Path, tmp_path: Path):
    result = netlog(a, "sync", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr


def test_a_database_inside_the_shared_folder_is_refused(tmp_path: Path, folder: Path):
    inside = folder / "netlog.db"
    result = netlog(inside, "sync", str(folder))
    assert result.exit_code == 2
    assert "keep the database out of the shared folder" in result.stderr
    assert not inside.exists()


@pytest.mark.slow
def test_a_clock_an_hour_behind_never_loses_a_later_edit(a: Path, b: Path, folder: Path):
    ok(a, "add", "linkedin", "45m", "posting", "--at", "2026-11-02 10:00")
    sync(a, folder)
    behind = {**os.environ, "NETLOG_DB": str(b)}

    def late(*args: str) -> None:
        subprocess.run(["faketime", "-f", "-1h", "netlog", *args], env=behind, check=True)

    late("sync", str(folder))
    late("edit", "1", "--what", "after the sync, an hour behind")
    late("sync", str(folder))
    sync(a, folder)
    assert [e["what"] for e in entries(a).values()] == ["after the sync, an hour behind"]
    assert json.loads(ok(a, "conflicts", "-f", "json").stdout) == []


@pytest.mark.slow
def test_kill_9_during_sync_then_sync_again_converges(a: Path, b: Path, folder: Path):
    many = [
        {
            "uuid": f"00000000-0000-4000-8000-{n:012d}",
            "type": "activity",
            "channel": f"channel {n % 7}",
            "minutes": 30,
            "occurred_utc": f"2026-10-{1 + n % 28:02d}T10:00:00+00:00",
        }
        for n in range(12000)
    ]
    exported = folder.parent / "many.json"
    exported.write_text(json.dumps(many))
    ok(a, "import", str(exported))

    def start(db: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "netlog", "--db", str(db), "sync", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    # How long a whole sync takes here, on a copy, so that the kills land inside one.
    trial = folder.parent / "trial.db"
    shutil.copy(a, trial)
    began = time.monotonic()
    start(trial).wait()
    whole = time.monotonic() - began
    shutil.rmtree(next(p for p in folder.iterdir() if p.is_dir()))  # a's id: not a's files
    for fraction in (0.5, 0.8, 0.95):  # the sending side
        killed = start(a)
        time.sleep(whole * fraction)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    sync(a, folder)
    for fraction in (0.3, 0.6, 0.9):  # the receiving side
        killed = start(b)
        time.sleep(whole * fraction)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        if ids(b):
            ok(b, "edit", "1", "--note", f"after a kill at {fraction}")
    sync(b, folder)
    sync(a, folder)
    sync(b, folder)
    assert entries(a) == entries(b)
    assert len(entries(b)) == 12000


# --- three devices, random operations and sync orders -------------------------------------

CHANNELS = ("linkedin", "twitter", "meetup")


def _operation() -> st.SearchStrategy[tuple]:
    channel = st.sampled_from(CHANNELS)
    which = st.integers(0, 50)
    return st.one_of(
        st.tuples(st.just("add"), channel, st.integers(1, 120)),
        st.tuples(st.just("outcome"), channel, st.sampled_from(["lead", "win", "reach"])),
        st.tuples(st.just("spend"), channel, st.integers(1, 99)),
        st.tuples(st.just("edit"), which, st.integers(1, 240)),
        st.tuples(st.just("rm"), which),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
        st.tuples(st.just("rename"), channel, st.sampled_from(["LinkedIn", "X", "meetups"])),
        st.tuples(st.just("merge"), channel, channel),
        st.tuples(st.just("alias"), st.sampled_from(["li", "tw"]), channel),
        st.tuples(st.just("budget"), channel, st.sampled_from(["2h/week", "30m/week"])),
        st.tuples(st.just("config"), st.sampled_from(["rate", "week-start"]), st.integers(0, 6)),
    )


def _apply(db: Path, operation: tuple) -> None:
    name, *args = operation
    existing = ids(db)
    at = ["--at", "2026-11-02 10:00"]
    if name == "add":
        netlog(db, "add", args[0], f"{args[1]}m", *at)
    elif name == "outcome":
        netlog(db, "outcome", args[0], args[1], *at)
    elif name == "spend":
        netlog(db, "spend", args[0], f"{args[1]}", *at)
    elif name in ("edit", "rm") and existing:
        target = str(existing[args[0] % len(existing)])
        if name == "edit":
            netlog(db, "edit", target, "--note", f"note {args[1]}")
        else:
            netlog(db, "rm", target, "--yes")
    elif name in ("undo", "redo"):
        netlog(db, name)
    elif name == "rename":
        netlog(db, "channels", "rename", args[0], args[1])
    elif name == "merge":
        netlog(db, "channels", "merge", args[0], args[1])
    elif name == "alias":
        netlog(db, "channels", "alias", args[0], args[1])
    elif name == "budget":
        netlog(db, "budget", "set", args[0], args[1])
    elif name == "config":
        days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        value = str(10 * args[1]) if args[0] == "rate" else days[args[1]]
        netlog(db, "config", args[0], value)


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.integers(0, 2), _operation()),
            st.tuples(st.integers(0, 2), st.just(("sync",))),
        ),
        min_size=4,
        max_size=18,
    ),
    final_order=st.permutations([0, 1, 2]),
)
def test_three_devices_converge_whatever_the_operations_and_sync_order(
    tmp_path_factory: pytest.TempPathFactory,
    steps: list[tuple[int, tuple]],
    final_order: list[int],
):
    base = tmp_path_factory.mktemp("three")
    folder = base / "shared"
    folder.mkdir()
    devices = [base / f"{name}.db" for name in ("one", "two", "three")]
    for db, name in zip(devices, ("one", "two", "three"), strict=True):
        ok(db, "config", "device", name)
    made: set[str] = set()
    for device, operation in steps:
        if operation == ("sync",):
            sync(devices[device], folder)
        else:
            _apply(devices[device], operation)
            made |= set(entries(devices[device]))
    for _ in range(2):
        for device in final_order:
            sync(devices[device], folder)
    exports = [entries(db) for db in devices]
    assert exports[0] == exports[1] == exports[2]
    assert tables(devices[0]) == tables(devices[1]) == tables(devices[2])
    conflicts = [json.loads(ok(db, "conflicts", "-f", "json").stdout) for db in devices]
    assert len(conflicts[0]) == len(conflicts[1]) == len(conflicts[2])


def _git(where: Path, *args: str, check: bool = True) -> None:
    subprocess.run(
        ["git", "-C", str(where), *args],
        check=check,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        },
    )


def _clones(base: Path) -> list[Path]:
    origin = base / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    clones = [base / "clone-one", base / "clone-two"]
    for clone in clones:
        subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    return clones


def _git_sync(db: Path, clone: Path) -> None:
    """As the README says: pull, sync, commit, push."""
    _git(clone, "pull", "-q", "--rebase", "origin", "HEAD", check=False)  # empty at first
    sync(db, clone)
    _git(clone, "add", "-A")
    _git(clone, "commit", "-q", "-m", "netlog sync", "--allow-empty")
    _git(clone, "push", "-q", "origin", "HEAD")


@pytest.mark.slow
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.integers(0, 2), _operation()),
            st.tuples(st.integers(0, 2), st.just(("sync",))),
        ),
        min_size=4,
        max_size=14,
    ),
)
def test_three_devices_converge_over_two_git_clones(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[int, tuple]]
):
    base = tmp_path_factory.mktemp("git")
    clones = _clones(base)
    devices = [base / f"{name}.db" for name in ("one", "two", "three")]
    folder_of = [clones[0], clones[1], clones[0]]  # two devices share the first clone
    for db, name in zip(devices, ("one", "two", "three"), strict=True):
        ok(db, "config", "device", name)
    for device, operation in steps:
        if operation == ("sync",):
            _git_sync(devices[device], folder_of[device])
        else:
            _apply(devices[device], operation)
    for _ in range(2):
        for device in range(3):
            _git_sync(devices[device], folder_of[device])
    exports = [entries(db) for db in devices]
    assert exports[0] == exports[1] == exports[2]
    assert tables(devices[0]) == tables(devices[1]) == tables(devices[2])


@pytest.mark.slow
def test_a_git_repository_as_the_folder(a: Path, b: Path, tmp_path: Path):
    clones = _clones(tmp_path)
    round_trip = _git_sync

    ok(a, "add", "linkedin", "45m", "--at", "2026-11-02 10:00")
    round_trip(a, clones[0])
    ok(b, "add", "twitter", "15m", "--at", "2026-11-02 11:00")
    round_trip(b, clones[1])
    ok(a, "edit", "1", "--duration", "1h")
    round_trip(a, clones[0])
    round_trip(b, clones[1])
    assert entries(a) == entries(b)
    assert len(entries(a)) == 2
