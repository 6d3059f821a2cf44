"""`log` and `summary` filters: --tag, --kind, --search (full-text, migration m004), with
--since/--until/--channel."""

import json
import sqlite3
from datetime import UTC, datetime

import pytest
import sqlite_utils

from netlog.store import migrations
from netlog.store.db import _filters, fts_query


@pytest.fixture(autouse=True)
def entries(ok, monkeypatch):
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2010, 12, 1, tzinfo=UTC))
    ok("add", "linkedin", "45m", "contact messages", "--at", "2010-09-01", "-t", "launch")
    ok("add", "email", "30m", "newsletter", "--at", "2010-09-02", "-t", "launch", "-t", "Promo")
    ok("outcome", "email", "lead", "--label", "reply from Acme", "--at", "2010-09-03")
    ok("outcome", "email", "win", "--value", "1200", "--note", "brochure redesign",
       "--at", "2010-10-05", "-t", "promo")  # fmt: skip
    ok("spend", "linkedin", "19.99", "Premium", "--at", "2010-10-06")


def ids(ok, *args: str) -> list[int]:
    return [row["id"] for row in json.loads(ok("log", "-f", "json", *args).stdout)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], [5, 4, 3, 2, 1]),
        (["--tag", "launch"], [2, 1]),
        (["-t", "launch", "-t", "promo"], [2]),  # all must match; case ignored
        (["--tag", "nothing"], []),
        (["--kind", "win"], [4]),
        (["--kind", "lead", "--kind", "win"], [4, 3]),
        (["--kind", "SPEND"], [5]),
        (["--search", "acme"], [3]),  # the label
        (["--search", "brochure"], [4]),  # the note
        (["--search", "newsletter"], [2]),  # what
        (["--search", "redes"], [4]),  # the start of a word
        (["--search", "brochure acme"], []),  # every word must be there
        (["--search", 'acme"s (AND) -*'], []),  # FTS syntax is read as words, never an error
        (["--search", "ACME"], [3]),
        (["--tag", "promo", "--since", "2010-10"], [4]),
        (["--kind", "activity", "--channel", "email"], [2]),
        (["--search", "reply", "--until", "2010-09-02"], []),
    ],
)
def test_log_filters(ok, args, expected):
    assert ids(ok, *args) == expected


def test_summary_filters(ok):
    rows = json.loads(ok("summary", "-f", "json", "--tag", "promo").stdout)
    assert {(r["channel"], r["hours"], r["wins"]) for r in rows} == {("email", 0.5, 1)}
    rows = json.loads(ok("summary", "-f", "json", "--kind", "activity").stdout)
    assert sorted((r["channel"], r["wins"]) for r in rows) == [("email", 0), ("linkedin", 0)]
    rows = json.loads(ok("summary", "-f", "json", "--search", "acme", "--by", "month").stdout)
    assert [(r["period"], r["channel"], r["leads"]) for r in rows] == [("2010-09", "email", 1)]


def test_no_match_says_so(ok):
    result = ok("summary", "--tag", "nothing")
    assert result.stderr == "No entries match.\n"


def test_an_empty_search_is_refused(run):
    result = run("log", "--search", "  ")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --search needs a word")


def test_search_follows_edits_removals_and_undo(ok):
    ok("edit", "3", "--label", "reply from Globex")
    assert ids(ok, "--search", "acme") == []
    assert ids(ok, "--search", "globex") == [3]
    ok("rm", "3", "--yes")
    assert ids(ok, "--search", "globex") == []
    ok("undo")
    assert ids(ok, "--search", "globex") == [3]


def test_filters_keep_the_old_signature():
    assert _filters(None, None, None) == ("", [])
    where, params = _filters("a", "b", [1], tags=["x"], kinds=["win"], search="acme")
    assert where.count(" AND ") == 5
    assert params == ["a", "b", 1, "x", "win", '"acme"*']


def test_fts_query_quotes_every_word():
    assert fts_query('say "hi" now') == '"say"* """hi"""* "now"*'


def test_m004_is_what_sqlite_utils_enable_fts_writes():
    db = sqlite_utils.Database(memory=True)
    db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, what TEXT, note TEXT, label TEXT)")
    db["entries"].enable_fts(["what", "note", "label"], create_triggers=True)
    made = {
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE name IN "
            "('entries_fts', 'entries_ai', 'entries_ad', 'entries_au')"
        )
    }
    assert made == set(migrations.M004_ENTRIES_FTS[:4])


def test_upgrading_a_v3_file_indexes_its_entries(tmp_path):
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for version, migration in enumerate(migrations.MIGRATIONS[:3], start=1):
        migration(db)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO channels (key, name, created_at) VALUES ('x', 'x', 'now')")
    conn.execute(
        "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
        " count) VALUES ('u', 1, 'activity', '2010-09-01T10:00:00+00:00',"
        " '2010-09-01T10:00:00+00:00', 'old words', 5, 1)"
    )
    migrations.upgrade(conn)
    found = conn.execute(
        "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?", (fts_query("old"),)
    ).fetchall()
    conn.close()
    assert found == [(1,)]
