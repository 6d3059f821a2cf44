"""One table of entry kinds: the entry rules, `netlog check`, the CLI's choices and the
export types all read it, so they agree."""

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from netlog.errors import InputError
from netlog.model import kinds
from netlog.model.entries import check
from netlog.store import checkup, migrations
from netlog.store.db import entry_from_row

AT = "2010-09-14T10:00:00+00:00"
VALID = {
    "activity": {"minutes": 30, "what": "bids"},
    "reach": {"count": 5, "label": "fans", "reach_total": 100},
    "lead": {"label": "reply"},
    "win": {"value_minor": 1000, "currency": "GBP", "label": "brochure"},
    "spend": {"value_minor": 500, "currency": "GBP", "what": "credits"},
}
# One field at a time, each value tried on a valid entry of every kind.
CHANGES = {
    "kind": [*kinds.NAMES, "meeting"],
    "minutes": [None, 0, 1, 1440, 1441],
    "count": [-1_000_001, -1, 0, 1, 2, 1_000_000, 1_000_001],
    "value_minor": [None, -1, 0, 1, 10**15, 10**15 + 1],
    "currency": [None, "GBP", "XYZ"],
    "what": [None, "fine", "bell\x07", "tab\tok", "x" * 2001],
    "label": [None, "fine", "esc\x1b", "\x85next line"],
    "note": [None, "fine", "x" * 2001, "cr\r", "é" * 1999, "del\x7f", "\ufb2c" * 700],
    "tags": [
        None,
        '["a"]',
        '["a,b"]',
        "not json",
        '[""]',
        '["\u3000"]',
        '["café"]',
        '[" a"]',
        '{"a": 1}',
        "[1]",
        '["' + "t" * 65 + '"]',
        '["' + "t" * 64 + '"]',
        '["a"b"]',
        '[" "]',
        '["a" ]',
        '["\\u0007"]',
        '["x\\""]',
        '["launch", "q4"]',
    ],
    "reach_total": [None, 0, -1, 1_000_001],
    "occurred_at": [AT, "2010-09-14 10:00", "1899-12-31T10:00:00+00:00"],
}


def _old_file(path: Path) -> sqlite3.Connection:
    """A schema-2 file (no CHECK constraints, as another program may have filled one), with
    the later reach_total column."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    db = Database(conn, execute_plugins=False)
    migrations.m001_initial(db)
    migrations.m002_undo_journal_timer_aliases(db)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("ALTER TABLE entries ADD COLUMN reach_total INTEGER")
    conn.execute("INSERT INTO channels VALUES (1, 'email', 'email', ?)", (AT,))
    return conn


def _rows():
    for kind, valid in VALID.items():
        yield {"kind": kind, **valid}
        for field, values in CHANGES.items():
            for value in values:
                yield {"kind": kind, **valid, field: value}


def test_check_flags_exactly_the_entries_the_rules_refuse(tmp_path):
    conn = _old_file(tmp_path / "old.db")
    for n, row in enumerate(_rows()):
        fields = {"count": 1, "occurred_at": AT, **row}
        columns = ", ".join(["uuid", "channel_id", "logged_at", *fields])
        marks = ", ".join("?" * (3 + len(fields)))
        conn.execute(
            f"INSERT INTO entries ({columns}) VALUES ({marks})", [f"u{n}", 1, AT, *fields.values()]
        )
    stored = conn.execute("SELECT e.*, 'email' AS channel FROM entries e").fetchall()
    refused = set()
    for row in stored:
        try:
            check(entry_from_row(row))
        except (InputError, ValueError):
            refused.add(row["id"])

    checkup._text_rules(conn)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(entries)")}
    flagged = set()
    for condition in checkup.oddities(columns).values():
        flagged |= {r[0] for r in conn.execute(f"SELECT id FROM entries WHERE {condition}")}
    conn.close()

    assert len(refused) > 100  # the changes above break every rule, most of them many times
    wrong = {
        row["id"]: dict(row) for row in stored if (row["id"] in flagged) != (row["id"] in refused)
    }
    assert not wrong, wrong


def test_netlog_check_names_a_rule_the_old_list_missed(run, tmp_path):
    path = tmp_path / "old.db"
    conn = _old_file(path)
    conn.execute(
        "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, count, what, label)"
        " VALUES ('a', 1, 'spend', ?, ?, 1, 'credits', NULL), ('b', 1, 'lead', ?, ?, 1, 'x', NULL)",
        (AT, AT, AT, AT),
    )
    conn.close()
    result = run("--db", str(path), "check")
    assert result.exit_code == 1
    assert "1 spend without an amount" in result.stderr
    assert "1 descriptions on entries that are not activities or spend" in result.stderr


def test_the_cli_offers_the_kinds_of_the_table(run):
    for args in (["log", "--kind", "meeting"], ["summary", "--kind", "meeting"]):
        result = run(*args)
        assert result.exit_code == 2
        assert all(f"'{name}'" in result.stderr for name in kinds.NAMES), result.stderr
    result = run("outcome", "email", "meeting")
    assert result.exit_code == 2
    assert all(f"'{name}'" in result.stderr for name in kinds.OUTCOME_KINDS), result.stderr
    assert "'activity'" not in result.stderr


@pytest.mark.parametrize("name", kinds.NAMES)
def test_every_kind_reads_back_from_its_export_type(name):
    entry_type, kind = kinds.export_type(name)
    assert kinds.from_export(entry_type, kind or "") == name


@pytest.mark.parametrize(
    ("entry_type", "kind"),
    [("outcome", ""), ("outcome", "activity"), ("activity", "lead"), ("spend", "win"), ("x", "")],
)
def test_an_export_type_and_kind_that_do_not_go_together_are_refused(entry_type, kind):
    with pytest.raises(ValueError, match="is not an entry netlog knows"):
        kinds.from_export(entry_type, kind)


def test_no_two_kinds_export_alike():
    pairs = [kinds.export_type(name) for name in kinds.NAMES]
    assert len(set(pairs)) == len(pairs)
