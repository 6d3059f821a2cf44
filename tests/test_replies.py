"""Replies: `netlog outcome CHANNEL reply`, between the items and the leads, through every
path an outcome takes (log, summary, funnel, edit, rm, undo, export/import, merge, check)
and the upgrade of a file made before replies."""

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from tests.conftest import rows

from netlog.store import migrations


def by_channel(text: str) -> dict[str, dict[str, str]]:
    return {row["channel"]: row for row in csv.DictReader(io.StringIO(text))}


@pytest.fixture
def messages(ok):
    """10 messages in 30 minutes; two replies, one of which became a lead."""
    ok("add", "linkedin", "30m", "messages", "-n", "10", "--at", "2010-09-06 10:00")
    ok("outcome", "linkedin", "reply", "--from", "1", "--at", "2010-09-07 09:00")
    ok("outcome", "linkedin", "reply", "--from", "1", "--at", "2010-09-08 09:00")
    ok("outcome", "linkedin", "lead", "--from", "3", "--at", "2010-09-09 09:00")


def test_a_reply_is_logged_with_its_source(ok, db_path: Path, messages) -> None:
    entries = rows(db_path)
    assert [(e["id"], e["kind"], e["count"]) for e in entries] == [
        (1, "activity", 10), (2, "reply", 1), (3, "reply", 1), (4, "lead", 1),
    ]  # fmt: skip
    links = [tuple(r) for r in rows(db_path, "SELECT entry_id, source_id FROM links ORDER BY 1")]
    assert links == [(2, 1), (3, 1), (4, 3)]
    logged = json.loads(ok("log", "-f", "json").stdout)
    assert [(e["type"], e["kind"]) for e in logged[1:3]] == [("outcome", "reply")] * 2


def test_summary_counts_replies_after_the_existing_columns(ok, messages) -> None:
    result = ok("summary", "-f", "csv")
    header = result.stdout.splitlines()[0].split(",")
    assert header[-5:] == ["replies", "verdict", "p_behind", "hours_to_decide", "credit"]
    assert header.index("replies") > header.index("total_cost")
    line = by_channel(result.stdout)["linkedin"]
    assert (line["activities"], line["replies"], line["leads"]) == ("10", "2", "1")
    assert "Replies" in ok("summary").stdout


def test_the_summary_table_shows_replies_only_when_there_are_some(ok) -> None:
    ok("add", "email", "20m", "emails", "--at", "2010-09-06 10:00")
    assert "Replies" not in ok("summary").stdout
    ok("outcome", "email", "reply", "--at", "2010-09-07 10:00")
    assert "Replies" in ok("summary").stdout


def test_funnel_runs_items_replies_leads_wins(ok, messages) -> None:
    out = ok("funnel").stdout
    assert "10 messages → 2 replies → 1 lead → 0 wins" in out
    assert "10 messages → 2 replies → 1 lead → 0 wins" in ok("report", "-f", "md").stdout
    assert "Reply rate (95%)" in out
    row = by_channel(ok("funnel", "-f", "csv").stdout)["linkedin"]
    # 2 of 10: the 95% Wilson interval is 0.0567–0.5098; 30 minutes for 2 replies.
    assert (row["replies"], row["reply_rate"]) == ("2", "0.2000")
    assert (row["reply_rate_low"], row["reply_rate_high"]) == ("0.0567", "0.5098")
    assert row["hours_per_reply"] == "0.25"
    [data] = json.loads(ok("funnel", "-f", "json").stdout)
    assert list(data)[-6:] == [
        "replies", "reply_rate", "reply_rate_low", "reply_rate_high", "hours_per_reply", "credit",
    ]  # fmt: skip


def test_trend_shows_replies_per_period(ok, messages) -> None:
    ok("outcome", "linkedin", "reply", "--at", "2010-10-04 09:00")
    row = by_channel(ok("trend", "--metric", "replies", "-f", "csv").stdout)["linkedin"]
    assert (row["2010-09"], row["2010-10"], row["total"]) == ("2", "1", "3")


@pytest.mark.parametrize(
    ("args", "message", "status"),
    [
        (["outcome", "linkedin", "reply", "0"], "0", 2),
        (["outcome", "linkedin", "reply", "--value", "50"], "value", 2),
        (["outcome", "linkedin", "reply", "--total", "5"], "--total", 2),
        (["outcome", "linkedin", "reply", "--from", "99"], "99", 1),  # as a lead's: no entry
        (["outcome", "linkedin", "reach", "--from", "2"], "only replies, leads and wins", 2),
    ],
)
def test_a_bad_reply_is_one_line_and_writes_nothing(
    run, db_path: Path, messages, args, message, status
) -> None:
    before = [tuple(r) for r in rows(db_path)]
    result = run(*args, "--yes")
    assert result.exit_code == status
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert [tuple(r) for r in rows(db_path)] == before


def test_edit_rm_undo_and_redo_know_replies(ok, db_path: Path, messages) -> None:
    ok("edit", "4", "--kind", "reply", "--yes")
    assert rows(db_path)[3]["kind"] == "reply"
    ok("edit", "2", "--kind", "lead", "--yes")
    assert rows(db_path)[1]["kind"] == "lead"
    ok("undo")
    ok("undo")
    assert [e["kind"] for e in rows(db_path)] == ["activity", "reply", "reply", "lead"]
    ok("rm", "3", "--yes")
    assert [e["id"] for e in rows(db_path)] == [1, 2, 4]
    ok("undo")
    assert [e["kind"] for e in rows(db_path)] == ["activity", "reply", "reply", "lead"]
    assert (4, 3) in [tuple(r) for r in rows(db_path, "SELECT entry_id, source_id FROM links")]
    ok("redo")
    assert [e["id"] for e in rows(db_path)] == [1, 2, 4]


def test_export_import_and_merge_keep_replies_and_their_links(
    ok, db_path: Path, tmp_path: Path, messages, monkeypatch
) -> None:
    exported = tmp_path / "all.csv"
    exported.write_text(ok("export", "-f", "csv").stdout, encoding="utf-8")
    copy = tmp_path / "copy.db"
    monkeypatch.setenv("NETLOG_DB", str(copy))
    ok("import", str(exported))
    kinds = [(e["kind"], e["count"]) for e in rows(copy)]
    assert kinds == [("activity", 10), ("reply", 1), ("reply", 1), ("lead", 1)]
    assert len(rows(copy, "SELECT * FROM links")) == 3
    merged = tmp_path / "merged.db"
    monkeypatch.setenv("NETLOG_DB", str(merged))
    ok("merge", str(db_path))
    assert [e["kind"] for e in rows(merged)] == ["activity", "reply", "reply", "lead"]
    row = by_channel(ok("summary", "-f", "csv").stdout)["linkedin"]
    assert (row["replies"], row["leads"]) == ("2", "1")


def test_check_counts_replies(ok, messages) -> None:
    result = ok("check")
    assert "reply 2" in result.stdout


def test_a_file_made_before_replies_is_upgraded_in_place(ok, db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    for migration in migrations.MIGRATIONS[:9]:  # as netlog left it before schema 10
        migration(Database(conn, execute_plugins=False, recursive_triggers=False))
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    ok("add", "email", "10m", "emails", "--at", "2010-09-06 10:00")
    ok("outcome", "email", "reply", "--from", "1", "--at", "2010-09-07 10:00")
    assert rows(db_path, "PRAGMA user_version")[0][0] == len(migrations.MIGRATIONS)
    [create] = rows(db_path, "SELECT sql FROM sqlite_master WHERE name = 'entries'")
    assert migrations.M013_KINDS_AFTER in create[0]  # the same kinds, written without IN
    assert [e["kind"] for e in rows(db_path)] == ["activity", "reply"]
    # The schema still refuses a kind netlog does not know.
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, count)"
            " VALUES ('x', 1, 'rumour', '2010-09-08T10:00:00+00:00',"
            " '2010-09-08T10:00:00+00:00', 1)"
        )
    conn.close()
    assert "OK" in ok("check").stdout + ok("check").stderr
