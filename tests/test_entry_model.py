"""The one entry model: every path refuses what netlog.model.entries refuses, the file refuses it
too, money keeps one currency per file, ids are never reused, and `check` changes nothing."""

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import rows

from netlog.errors import InputError
from netlog.model import entries
from netlog.model.durations import format_duration, parse_duration
from netlog.model.entries import Entry, EntryError, check
from netlog.store import migrations

AT = "2010-09-14T10:00:00+00:00"


def entry(**fields: object) -> Entry:
    base = {"channel": "email", "kind": "activity", "occurred_at": AT, "logged_at": AT}
    if fields.get("kind", "activity") == "activity":
        base["minutes"] = 30
    return Entry(**{**base, **fields})  # type: ignore[arg-type]


# --- the model ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "meeting"}, "kind 'meeting'"),
        ({"minutes": 0}, "from 1 minute"),
        ({"minutes": 1441}, "from 1 minute"),
        ({"kind": "lead", "minutes": 5}, "has no duration"),
        ({"kind": "lead", "count": 0}, "count must be from 1"),
        ({"kind": "reach", "count": -2_000_000}, "count must be from"),
        ({"kind": "lead", "value_minor": 100, "currency": "GBP"}, "has no value"),
        ({"kind": "spend"}, "needs an amount"),
        ({"kind": "spend", "value_minor": 0, "currency": "GBP"}, "out of range"),
        ({"kind": "win", "value_minor": 100, "currency": "POUNDS"}, "not an ISO 4217"),
        ({"kind": "win", "currency": "GBP"}, "needs an amount"),
        ({"kind": "lead", "what": "x"}, "no description"),
        ({"label": "x"}, "has no label"),
        ({"kind": "lead", "reach_total": 5}, "for reach only"),
        ({"occurred_at": "2010-09-14 10:00"}, "stored UTC form"),
        ({"occurred_at": "0001-01-01T00:00:00+00:00"}, "outside the years"),
        ({"channel": "  "}, "channel name is empty"),
        ({"note": "a\x1b[31mred"}, "control characters"),
    ],
)
def test_check_refuses_what_an_entry_may_not_be(fields, message):
    with pytest.raises(InputError, match=message):
        check(entry(**fields))


def test_check_cleans_text_and_tags():
    cleaned = check(entry(what="  bids ", note=" ", tags=(" a", "a", "b ")))
    assert (cleaned.what, cleaned.note, cleaned.tags) == ("bids", None, ("a", "b"))


def test_a_reach_change_may_be_negative_and_a_spend_has_one_payment():
    assert check(entry(kind="reach", count=-3, reach_total=97)).count == -3
    with pytest.raises(EntryError, match="no count"):
        check(entry(kind="spend", value_minor=400, currency="GBP", count=2))


def test_an_edit_from_a_win_to_a_lead_drops_the_value_and_its_currency():
    win = check(entry(kind="win", value_minor=120000, currency="GBP"))
    lead = entries.apply_edit(win, entries.Edit(kind="lead"))
    assert (lead.kind, lead.value_minor, lead.currency) == ("lead", None, None)


def test_the_schema_refuses_a_bad_row_inserted_by_another_program(ok, db_path):
    ok("add", "email", "30m", "--at", "2010-09-14")
    conn = sqlite3.connect(db_path)
    columns = (
        "uuid, channel_id, kind, occurred_at, logged_at, minutes, count, value_minor, currency"
    )
    bad_rows = [
        ("u1", 1, "meeting", AT, AT, 30, 1, None, None),  # unknown kind
        ("u2", 1, "activity", AT, AT, 0, 1, None, None),  # an activity of no time
        ("u3", 1, "activity", AT, AT, 2000, 1, None, None),  # over 24 h
        ("u4", 1, "lead", AT, AT, None, 1, 500, "GBP"),  # money on a lead
        ("u5", 1, "win", AT, AT, None, 1, 500, "pounds"),  # not a currency code
        ("u6", 1, "win", "yesterday", AT, None, 1, None, None),  # not the stored time form
        ("u7", 1, "lead", AT, AT, None, -1, None, None),  # a negative count
        # the reports' sums rely on these two (db._sum_of): only activities have minutes,
        # only wins and spends a value
        ("u8", 1, "reach", AT, AT, 30, 1, None, None),  # minutes on an outcome
        ("u9", 1, "reply", AT, AT, None, 1, 500, "GBP"),  # money on a reply
    ]
    for values in bad_rows:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute(
                f"INSERT INTO entries ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values
            )
    conn.close()


# --- one currency per file ---------------------------------------------------------------


def test_the_first_amount_that_names_a_currency_sets_the_file_currency(ok, run, db_path):
    ok("outcome", "email", "win", "--value", "850", "--at", "2010-09-14")  # bare: no currency yet
    ok("outcome", "email", "win", "--value", "£100", "--at", "2010-09-15")
    assert ok("config", "currency").stdout.strip() == "GBP"
    assert [r["currency"] for r in rows(db_path)] == ["GBP", "GBP"]  # the bare one adopted it
    for other in ("100 EUR", "¥100", "$5"):
        result = run("outcome", "email", "win", "--value", other, "--at", "2010-09-16")
        assert result.exit_code == 2, other
        assert "this file's currency is GBP" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    summary = json.loads(ok("summary", "-f", "json").stdout)
    assert summary[0]["revenue"] == 950.0


def test_the_rate_and_the_currency_setting_follow_the_same_rule(ok, run):
    ok("outcome", "email", "win", "--value", "£100", "--at", "2010-09-14")
    result = run("config", "rate", "€40")
    assert result.exit_code == 2
    assert "GBP" in result.stderr
    result = run("config", "currency", "EUR")
    assert result.exit_code == 2
    assert "another currency (1 in GBP)" in result.stderr
    ok("config", "rate", "£40")
    assert ok("config", "rate").stdout.strip() == "40"


def test_a_rate_in_a_currency_sets_the_currency_of_a_new_file(ok):
    ok("config", "rate", "€40")
    assert ok("config", "currency").stdout.strip() == "EUR"


@pytest.mark.parametrize(
    "first",
    [
        ["outcome", "email", "win", "--value", "¥1,200", "--at", "2010-09-15"],
        ["spend", "email", "¥1,200", "--at", "2010-09-15"],
        ["edit", "1", "--value", "¥1,200"],
        ["config", "rate", "¥1,200"],
        ["budget", "email", "¥1,200/month"],
        ["import", "{import}"],
    ],
)
def test_every_path_that_writes_an_amount_adopts_its_currency(ok, db_path, tmp_path, first):
    """A bare amount logged while the file has no currency takes the first one named, and is
    rescaled to its decimals (yen have none), whichever command names it."""
    ok("outcome", "email", "win", "--value", "850", "--at", "2010-09-14")  # bare: 85000 minor
    export = tmp_path / "in.json"
    row = {
        "uuid": "0e7a3f0b-3a2b-4c7e-8f5d-2b8c9d1e4f22", "type": "outcome", "channel": "email",
        "kind": "win", "count": 1, "value": 1200, "currency": "JPY",
        "occurred_at": "2010-09-15T10:00:00+00:00",
    }  # fmt: skip
    export.write_text(json.dumps([row]), encoding="utf-8")
    ok(*(arg.replace("{import}", str(export)) for arg in first))
    assert ok("config", "currency").stdout.strip() == "JPY"
    stored = rows(db_path, "SELECT value_minor, currency FROM entries WHERE id = 1")[0]
    expected = 1200 if first[0] == "edit" else 850
    assert (stored["value_minor"], stored["currency"]) == (expected, "JPY")


def test_yen_have_no_minor_unit(ok, run, db_path):
    ok("config", "currency", "JPY")
    ok("outcome", "email", "win", "--value", "¥1,200", "--at", "2010-09-14")
    assert rows(db_path)[0]["value_minor"] == 1200
    assert "¥1,200" in ok("log").stdout
    assert "¥1,200.00" not in ok("log").stdout
    assert run("outcome", "email", "win", "--value", "1.200", "--at", "2010-09-14").exit_code == 2


def test_an_import_in_another_currency_is_refused(ok, run, tmp_path):
    ok("outcome", "email", "win", "--value", "£100", "--at", "2010-09-14")
    export = json.loads(ok("export", "-f", "json").stdout)
    export[0]["uuid"] = "0e7a3f0b-3a2b-4c7e-8f5d-2b8c9d1e4f22"
    export[0]["currency"] = "POUNDS"
    path = tmp_path / "in.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code != 0
    assert "item 1" in result.stderr


def test_what_netlog_prints_it_reads_back(ok):
    ok("config", "currency", "AUD")
    ok("outcome", "email", "win", "--value", "A$10", "--at", "2010-09-14")
    shown = json.loads(ok("log", "-f", "json").stdout)[0]
    assert (shown["value"], shown["currency"]) == (10.0, "AUD")
    assert "A$10.00" in ok("log").stdout


def test_a_file_that_mixes_currencies_is_never_summed(ok, run, db_path):
    ok("outcome", "email", "win", "--value", "£100", "--at", "2010-09-14")
    ok("outcome", "email", "win", "--value", "£5", "--at", "2010-09-15")
    conn = sqlite3.connect(db_path)  # as an older netlog could have left it
    conn.execute("UPDATE entries SET currency = 'EUR' WHERE id = 2")
    conn.commit()
    conn.close()
    result = run("summary")
    assert result.exit_code != 0
    assert "1 in EUR, 1 in GBP" in result.stderr
    assert "1 in EUR, 1 in GBP" in run("check").stderr


# --- ids, rounding, times ------------------------------------------------------------------


def test_ids_are_never_reused(ok, db_path):
    ok("add", "email", "10m", "--at", "2010-09-14")
    ok("add", "email", "20m", "--at", "2010-09-14")
    ok("rm", "2", "--yes")
    ok("add", "email", "30m", "--at", "2010-09-14")
    assert [r["id"] for r in rows(db_path)] == [1, 3]
    ok("undo")  # the add of #3 goes; the next add is #4, not #3 again
    ok("add", "email", "40m", "--at", "2010-09-14")
    assert [r["id"] for r in rows(db_path)] == [1, 4]


def test_fifteen_minutes_is_a_quarter_hour_rounded_half_up_everywhere(ok):
    ok("add", "email", "15m", "--at", "2010-09-14")
    assert json.loads(ok("summary", "-f", "json").stdout)[0]["hours"] == 0.25
    table = ok("summary").stdout
    assert " 0.3 " in table
    assert " 0.2 " not in table


def test_a_local_time_that_does_not_exist_is_refused(run, db_path):
    result = run("add", "email", "10m", "--at", "2010-03-28 01:30")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "00:59" in result.stderr
    assert "02:00" in result.stderr
    assert not db_path.exists()


@given(st.integers(min_value=1, max_value=24 * 60))
def test_a_duration_reads_back_as_it_is_shown(minutes):
    assert parse_duration(format_duration(minutes)) == minutes


# --- check and the migration ------------------------------------------------------------


def _schema_2_file(path: Path) -> None:
    from sqlite_utils import Database

    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    migrations.m001_initial(db)
    migrations.m002_undo_journal_timer_aliases(db)
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO channels VALUES (1, 'email', 'Email', '2010-09-01T00:00:00+00:00')")
    conn.execute("INSERT INTO settings VALUES ('currency', 'JPY')")
    conn.execute(
        "INSERT INTO entries (id, uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
        " count, label, value_minor, currency, note, tags) VALUES"
        " (3, 'a3', 1, 'activity', '2010-09-14T09:00:00+00:00', '2010-09-14T10:00:00+00:00',"
        " 'prospects', 45, 8, NULL, NULL, NULL, 'n', '[\"a\"]'),"
        " (9, 'a9', 1, 'win', '2010-10-05T10:00:00+00:00', '2010-10-05T10:00:00+00:00', NULL,"
        " NULL, 1, 'print shop', 120000, 'JPY', NULL, NULL)"
    )
    conn.close()


def test_check_reads_an_old_file_without_upgrading_it(ok, tmp_path):
    path = tmp_path / "v2.db"
    _schema_2_file(path)
    before = path.read_bytes()
    report = ok("--db", str(path), "check")
    assert "schema       2 (behind" in report.stdout
    assert path.read_bytes() == before


def test_a_schema_2_file_upgrades_with_every_row_intact(ok, tmp_path):
    path = tmp_path / "v2.db"
    _schema_2_file(path)
    logged = json.loads(ok("--db", str(path), "log", "-f", "json").stdout)
    assert [(e["id"], e["what"], e["minutes"], e["tags"]) for e in logged] == [
        (9, None, None, []),
        (3, "prospects", 45, ["a"]),
    ]
    assert logged[0]["value"] == 1200.0  # stored as hundredths of a yen before; yen now
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert conn.execute("SELECT value_minor FROM entries WHERE id = 9").fetchone()[0] == 1200
    conn.close()
    ok("--db", str(path), "add", "email", "5m", "--at", "2010-10-06")
    assert max(e["id"] for e in json.loads(ok("--db", str(path), "log", "-f", "json").stdout)) == 10
