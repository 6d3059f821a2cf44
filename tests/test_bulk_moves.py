"""Moving many entries at once (issue #20, #16.9): a no-op changes nothing, an import keeps
the search index and the undo step, and the bulk export writes what the entry-by-entry
rules write."""

import io
import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from tests.conftest import rows

from netlog.io import export, transfer
from netlog.present import render
from netlog.store.db import open_db


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def demo_db(demo_copy):
    return demo_copy


def test_imports_and_merges_that_add_nothing_leave_the_file_as_it_was(ok, tmp_path, demo_db):
    csv_text = ok("--db", str(demo_db), "export").stdout
    json_text = ok("--db", str(demo_db), "export", "-f", "json").stdout
    inputs = {
        "header.csv": csv_text.splitlines()[0] + "\r\n",
        "again.csv": csv_text,
        "again.json": json_text,
        "empty.json": "[]\n",
    }
    empty = tmp_path / "empty.db"
    ok("--db", str(empty), "config", "rate", "30")  # a netlog file without entries
    before = dump(demo_db)
    assert any("entries_ai" in line for line in before)
    for name, text in inputs.items():
        source = tmp_path / name
        source.write_text(text, encoding="utf-8", newline="")
        result = ok("--db", str(demo_db), "import", str(source))
        assert result.stderr.startswith("Added 0 entries"), (name, result.stderr)
        assert dump(demo_db) == before, name
    for other in (demo_db.with_name("copy.db"), empty):
        if other != empty:
            ok("--db", str(demo_db), "backup", str(other))
        result = ok("--db", str(demo_db), "merge", str(other))
        assert "Added 0 entries" in result.stderr
        assert dump(demo_db) == before, other.name
    assert "import" not in ok("--db", str(demo_db), "undo", "--list").stdout


def test_an_import_keeps_the_schema_the_search_index_and_one_undo_step(ok, tmp_path, db_path):
    ok("add", "email", "30m", "first", "--at", "2010-09-13 10:00")
    schema = set(rows(db_path, "SELECT type, name, sql FROM sqlite_master"))
    source = tmp_path / "in.csv"
    other = tmp_path / "other.db"
    ok("--db", str(other), "add", "linkedin", "45m", "pitched the brochure redesign",
       "--at", "2010-09-14 10:00")  # fmt: skip
    ok("--db", str(other), "outcome", "linkedin", "lead", "--label", "Acme wants a redesign",
       "--at", "2010-09-15 10:00")  # fmt: skip
    source.write_text(ok("--db", str(other), "export").stdout, encoding="utf-8", newline="")

    ok("import", str(source))
    assert set(rows(db_path, "SELECT type, name, sql FROM sqlite_master")) == schema
    assert ok("log", "--search", "redesign", "-f", "csv").stdout.count("\n") == 3
    # The triggers are back: an entry added after the import is indexed and journaled.
    ok("add", "email", "15m", "redesign follow-up", "--at", "2010-09-16 10:00")
    assert ok("log", "--search", "redesign", "-f", "csv").stdout.count("\n") == 4
    ok("undo")
    changes = ok("undo", "--list").stdout.splitlines()
    assert "import" in changes[0]
    ok("undo")
    assert [r["what"] for r in rows(db_path)] == ["first"]
    assert ok("log", "--search", "redesign", "-f", "csv").stdout.count("\n") == 1
    ok("redo")
    assert len(rows(db_path)) == 3
    assert ok("log", "--search", "redesign", "-f", "csv").stdout.count("\n") == 3


def _written_by_the_entry_rules(conn: sqlite3.Connection, fmt: str) -> bytes:
    """What `export -f fmt` is to write: each entry's values made one by one (render's entry
    rules) and written by render's CSV or JSON writer."""
    expected = io.StringIO(newline="")
    values = export.export_rows(conn)
    if fmt == "csv":
        render.write_csv(values, render.ENTRY_COLUMNS, expected)
    else:
        render.write_json(values, expected)
    return expected.getvalue().encode()


@pytest.mark.parametrize(
    "zone", ["Europe/London", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
)
def test_the_bulk_export_writes_what_the_entry_rules_write(ok, demo_db, monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    # Text a spreadsheet would run, a leading space, tags, links, and times on the days the
    # clocks change (local midnight included).
    for at in ("2021-03-28 00:30", "2021-03-28 03:30", "2021-10-31 01:30", "2021-04-04 01:45"):
        ok("--db", str(demo_db), "add", "email", "1h15m", "=1+1", "--at", at,
           "--note", " spaced", "--tag", "q4", "--tag", "-minus")  # fmt: skip
    ok("--db", str(demo_db), "outcome", "email", "win", "--value", "1200.50",
       "--label", "+44 call", "--at", "2021-10-31 01:30", "--from", "145")  # fmt: skip
    conn = open_db(demo_db, create=False)
    assert conn is not None
    try:
        for fmt in ("csv", "json"):
            out = demo_db.with_name(f"export.{fmt}")
            ok("--db", str(demo_db), "export", "-f", fmt, "-o", str(out))
            assert out.read_bytes() == _written_by_the_entry_rules(conn, fmt)
    finally:
        conn.close()
    exported = json.loads(ok("--db", str(demo_db), "export", "-f", "json").stdout)
    assert len(exported) == 149
    assert exported[-1]["sources"]


def test_an_export_of_several_chunks_writes_what_the_entry_rules_write(ok, tmp_path, demo_db):
    # More entries than two of the chunks export gathers before each write, of every kind
    # the demo has: the chunks' seams must not show.
    demo = json.loads(ok("--db", str(demo_db), "export", "-f", "json").stdout)
    count = 2 * export._CHUNK_LINES + 7
    items = [
        {**demo[number % len(demo)], "id": number, "uuid": str(uuid.UUID(int=number))}
        | {"sources": []}
        for number in range(1, count + 1)
    ]
    source = tmp_path / "many.json"
    source.write_text(json.dumps(items), encoding="utf-8")
    target = tmp_path / "many.db"
    ok("--db", str(target), "import", str(source))
    conn = open_db(target, create=False)
    assert conn is not None
    try:
        for fmt in ("csv", "json"):
            out = tmp_path / f"many.{fmt}"
            ok("--db", str(target), "export", "-f", fmt, "-o", str(out))
            assert out.read_bytes() == _written_by_the_entry_rules(conn, fmt)
    finally:
        conn.close()
    lines = ok("--db", str(target), "export").stdout.splitlines()
    assert len(lines) == count + 1
    assert lines[-1].startswith(f"{count},{uuid.UUID(int=count)},")


@pytest.mark.parametrize(
    ("zone", "year"),
    # Clocks changed at local midnight (Sao Paulo), a day skipped (Apia, 2011-12-30), two
    # changes a month apart for Ramadan (Casablanca), two hours' change (Troll), none (UTC),
    # 45 minutes ahead (Kathmandu), and 19 min 32 s ahead until mid-1937 (Amsterdam).
    [
        ("Europe/London", 2010),
        ("America/Sao_Paulo", 2010),
        ("Pacific/Apia", 2010),
        ("Africa/Casablanca", 2010),
        ("Antarctica/Troll", 2010),
        ("UTC", 2010),
        ("Asia/Kathmandu", 2010),
        ("Europe/Amsterdam", 1936),
    ],
)
def test_local_times_worked_out_per_day_are_those_of_each_moment(zone, year):
    from datetime import UTC, datetime, timedelta
    from random import Random
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    local = export.LocalTimes(tz)
    start = datetime(year, 1, 1, tzinfo=UTC)
    # Every 4 h 19 min 1 s for 17 years: five or six times a day, each second of the minute
    # in turn (a time keeps its seconds however its hour is moved).
    moments = [start + timedelta(seconds=15_541 * step) for step in range(35_040)]
    Random(zone).shuffle(moments)  # entries in id order are not in time order
    for moment in moments:
        stored = moment.isoformat(timespec="seconds")
        shown = moment.astimezone(tz)
        offset = (shown.utcoffset() or timedelta()) // timedelta(minutes=1)
        assert local(stored) == (shown.strftime("%Y-%m-%d %H:%M:%S"), offset), stored
    if zone == "UTC":  # the last day there is has no next day to start
        assert local("9999-12-31T10:00:00+00:00") == ("9999-12-31 10:00:00", 0)


def test_a_bad_row_is_still_named_by_its_line(run, ok, tmp_path, demo_db, db_path):
    lines = ok("--db", str(demo_db), "export").stdout.splitlines(keepends=True)
    bad = lines[5].split(",")
    utc = render.ENTRY_COLUMNS.index("occurred_utc")
    bad[utc] = bad[utc].replace(bad[utc][5:7], "13", 1)  # month 13, in the stored shape
    source = tmp_path / "bad.csv"
    source.write_text("".join([*lines[:5], ",".join(bad), *lines[6:]]), newline="")
    result = run("import", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: line 6: occurred_utc")
    assert not db_path.exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_rows_checked_as_a_batch_store_what_row_by_row_checking_stores(ok, tmp_path, demo_db, fmt):
    # Guarded text, text to trim, text beyond ASCII, tags, an amount, a link, and a person
    # beside the demo's device (who logged it travels with the entries).
    ok("--db", str(demo_db), "config", "name", "Zoë")
    ok("--db", str(demo_db), "add", "email", "1h15m", "=1+1", "--at", "2021-03-28 00:30",
       "--note", " spaced ", "--tag", "q4", "--tag", "-minus")  # fmt: skip
    ok("--db", str(demo_db), "add", "Café", "20m", "thé avec Zoë", "--at", "2021-03-29 09:00")
    ok("--db", str(demo_db), "outcome", "email", "win", "--value", "1200.50",
       "--label", "+44 call", "--at", "2021-10-31 01:30", "--from", "145")  # fmt: skip
    text = ok("--db", str(demo_db), "export", "-f", fmt).stdout
    entries = json.loads(ok("--db", str(demo_db), "export", "-f", "json").stdout)
    uuid = entries[3]["uuid"]
    # The same rows, one with its UUID in capitals: netlog reads it, but not as it writes it,
    # so that file is checked row by row.
    files = {"plain": text, "row by row": text.replace(uuid, uuid.upper(), 1)}
    assert files["row by row"] != text
    exports = {}
    for name, content in files.items():
        source = tmp_path / f"{name}.{fmt}"
        source.write_text(content, encoding="utf-8", newline="")
        target = tmp_path / f"{name}.db"
        ok("--db", str(target), "config", "currency", "GBP")
        ok("--db", str(target), "add", "phone", "5m", "already here", "--at", "2010-09-14 10:00")
        added = ok("--db", str(target), "import", str(source)).stderr
        assert added.startswith(f"Added {len(entries)} entries"), added
        exports[name] = [  # after the entry that was already there
            {key: value for key, value in entry.items() if key != "id"}
            for entry in json.loads(ok("--db", str(target), "export", "-f", "json").stdout)[1:]
        ]
        assert (
            ok("--db", str(target), "log", "--search", "Zoë", "-f", "csv").stdout.count("\n") == 2
        )
        # Imported again: nothing new, nothing changed.
        assert "Added 0 entries" in ok("--db", str(target), "import", str(source)).stderr
    assert exports["plain"] == exports["row by row"]
    assert {entry["person"] for entry in exports["plain"]} == {None, "Zoë"}
    assert exports["plain"] == [
        {key: value for key, value in entry.items() if key != "id"} for entry in entries
    ]


def test_a_rule_between_fields_still_names_its_item(run, ok, tmp_path, demo_db, db_path):
    items = json.loads(ok("--db", str(demo_db), "export", "-f", "json").stdout)
    lead = next(number for number, item in enumerate(items, 1) if item["kind"] == "lead")
    items[lead - 1]["what"] = "a lead described as an activity is"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(items), encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: item {lead}: a lead has no description")
    assert not db_path.exists()


@pytest.mark.parametrize("column", ["uuid", "count", "occurred_utc"])
def test_a_cell_holding_two_lines_of_plain_values_is_refused(
    run, ok, tmp_path, demo_db, db_path, column
):
    # Checked a column at a time, the values are matched as lines: a cell with a line end of
    # its own must not pass as two good values.
    lines = ok("--db", str(demo_db), "export").stdout.splitlines(keepends=True)
    cells = lines[5].rstrip("\r\n").split(",")
    index = render.ENTRY_COLUMNS.index(column)
    cells[index] = f'"{cells[index]}\n{cells[index]}"'
    source = tmp_path / "two-lines.csv"
    source.write_text("".join([*lines[:5], ",".join(cells) + "\r\n", *lines[6:]]), newline="")
    result = run("import", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: line 6: {column}"), result.stderr
    assert not db_path.exists()


def _stored(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "entries": conn.execute(
                "SELECT e.uuid, c.name, e.kind, e.occurred_at, e.logged_at, e.what, e.minutes,"
                " e.count, e.label, e.value_minor, e.currency, e.note, e.tags, e.reach_total,"
                " e.device, e.person FROM entries e JOIN channels c ON c.id = e.channel_id"
                " ORDER BY e.id"
            ).fetchall(),
            "links": conn.execute(
                "SELECT e.uuid, s.uuid FROM links l JOIN entries e ON e.id = l.entry_id"
                " JOIN entries s ON s.id = l.source_id ORDER BY 1, 2"
            ).fetchall(),
            "names": conn.execute("SELECT * FROM device_names ORDER BY 1").fetchall(),
            "found": conn.execute(
                "SELECT e.uuid FROM entries_fts f JOIN entries e ON e.id = f.rowid"
                " WHERE entries_fts MATCH 'Zoë' ORDER BY 1"
            ).fetchall(),
            "settings": conn.execute("SELECT * FROM settings ORDER BY 1").fetchall(),
        }
    finally:
        conn.close()


def test_a_merge_checked_as_a_batch_stores_what_row_by_row_checking_stores(
    ok, run, tmp_path, demo_db
):
    ok("--db", str(demo_db), "config", "name", "Zoë")
    ok("--db", str(demo_db), "add", "email", "1h15m", "=1+1", "--at", "2021-03-28 00:30",
       "--note", " spaced ", "--tag", "q4", "--tag", "-minus")  # fmt: skip
    ok("--db", str(demo_db), "add", "Café", "20m", "thé avec Zoë", "--at", "2021-03-29 09:00")
    ok("--db", str(demo_db), "outcome", "email", "win", "--value", "1200.50",
       "--label", "+44 call", "--at", "2021-10-31 01:30", "--from", "145")  # fmt: skip
    # The same file with one entry's logging time on a day no calendar has (29 February
    # 2021): the entry rules allow it, the batch does not take it, so that file is merged
    # row by row.
    others = {"plain": demo_db, "row by row": tmp_path / "odd.db"}
    ok("--db", str(demo_db), "backup", str(others["row by row"]))
    conn = sqlite3.connect(others["row by row"])
    with conn:
        conn.execute("UPDATE entries SET logged_at = '2021-02-29T10:00:00+00:00' WHERE id = 4")
    conn.close()
    stored = {}
    for name, other in others.items():
        target = tmp_path / f"{name}.db"
        ok("--db", str(target), "config", "currency", "GBP")
        ok("--db", str(target), "add", "phone", "5m", "already here", "--at", "2010-09-14 10:00")
        added = ok("--db", str(target), "merge", str(other)).stderr
        assert added.startswith("Added "), added
        stored[name] = _stored(target)
        assert "Added 0 entries" in ok("--db", str(target), "merge", str(other)).stderr
        assert _stored(target) == stored[name]
    odd = [row[0] for row in stored["row by row"]["entries"] if row[4].startswith("2021-02-29")]
    assert len(odd) == 1
    for name in stored:  # after the entry that was already there
        stored[name]["entries"] = [row[:4] + row[5:] for row in stored[name]["entries"][1:]]
    assert stored["plain"] == stored["row by row"]
    assert len(stored["plain"]["entries"]) == len(_stored(demo_db)["entries"])
    assert all(stored["plain"][kind] for kind in ("links", "found", "names"))


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        ("what = 'a lead described'", "kind = 'lead'", "a lead has no description"),
        ("occurred_at = '2999-01-01T10:00:00+00:00'", "id > 3", "is in the future"),
        ("currency = 'EUR'", "value_minor IS NOT NULL", "is in EUR"),
    ],
)
def test_a_bad_entry_of_the_other_file_is_named_by_its_id(
    run, ok, tmp_path, demo_db, db_path, change, where, problem
):
    ok("add", "email", "10m", "--at", "2010-09-14 10:00")
    ok("outcome", "email", "win", "--value", "£10", "--at", "2010-09-14 11:00")
    other = tmp_path / "other.db"
    ok("--db", str(demo_db), "backup", str(other))
    conn = sqlite3.connect(other)
    with conn:
        first = conn.execute(f"SELECT min(id) FROM entries WHERE {where}").fetchone()[0]
        conn.execute(f"UPDATE entries SET {change} WHERE {where}")
    conn.close()
    before = dump(db_path)
    result = run("merge", str(other))
    assert result.exit_code == 2, result.stderr  # bad input, as a broken import file is
    assert result.stderr.startswith(f"Error: entry #{first} of the other file: "), result.stderr
    assert problem in result.stderr
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("kind", "field", "value", "reason"),
    [
        ("activity", "minutes", 100_000, "an activity lasts from 1 minute to"),
        ("lead", "minutes", 30, "a lead has no duration"),
        ("activity", "reach_total", 5, "a running total is for"),
        ("lead", "value", "12.00", "a lead has no value"),
    ],
)
def test_a_number_against_its_kind_still_names_its_item(
    run, ok, tmp_path, demo_db, db_path, kind, field, value, reason
):
    # The rules between the kind and the numbers are checked once per combination in a
    # batch (check_values): a combination that breaks one is still refused, and named.
    items = json.loads(ok("--db", str(demo_db), "export", "-f", "json").stdout)
    number = next(
        number for number, item in enumerate(items, 1) if kind in (item["kind"], item["type"])
    )
    items[number - 1][field] = value
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(items), encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: item {number}: {reason}"), result.stderr
    assert not db_path.exists()


@pytest.mark.parametrize("ids", ["rising", "one repeated", "odd"])
def test_a_batch_keeps_the_ids_row_by_row_checking_keeps(ok, tmp_path, demo_db, ids):
    # Into a new file, ids are kept where they rise (a restore): a batch whose ids all rise
    # keeps them in one step, any other batch id by id; both as row by row does.
    items = json.loads(ok("--db", str(demo_db), "export", "-f", "json").stdout)
    for number, item in enumerate(items):
        item["id"] = 10 + 3 * number
    if ids == "one repeated":
        items[1]["id"] = items[0]["id"]
    if ids == "odd":
        for item, source_id in zip(items, (5, 5, 3, 9, 6, None, 2), strict=False):
            item["id"] = source_id
    plain = json.dumps(items)
    uuid = items[-1]["uuid"]
    stored = {}
    for name, text in {"plain": plain, "row by row": plain.replace(uuid, uuid.upper())}.items():
        assert text != plain or name == "plain"
        source = tmp_path / f"{name}.json"
        source.write_text(text, encoding="utf-8")
        target = tmp_path / f"{name}.db"
        ok("--db", str(target), "import", str(source))
        stored[name] = [(row["id"], row["uuid"]) for row in rows(target)]
    assert stored["plain"] == stored["row by row"]
    assert len(stored["plain"]) == len(items)
    if ids == "rising":
        assert [entry_id for entry_id, _ in stored["plain"]] == [item["id"] for item in items]


@pytest.mark.parametrize("who", ["none", "every other", "all"])
def test_a_batch_reads_who_logged_it_as_row_by_row_checking_does(ok, tmp_path, demo_db, who):
    # A file whose rows all lack a device (an export from before who-logged-it), one that
    # mixes the two, and one where every row names its device and person.
    ok("--db", str(demo_db), "config", "name", "Zoë")
    ok("--db", str(demo_db), "add", "email", "10m", "one more", "--at", "2021-03-29 09:00")
    items = json.loads(ok("--db", str(demo_db), "export", "-f", "json").stdout)
    assert len({item["device_id"] for item in items} - {None}) == 2  # the demo's, and this one
    for number, item in enumerate(items):
        if who == "none" or (who == "every other" and number % 2):
            item["device_id"] = None  # its device name and person are then not read
    plain = json.dumps(items)
    uuid = items[-1]["uuid"]
    stored = {}
    for name, text in {"plain": plain, "row by row": plain.replace(uuid, uuid.upper())}.items():
        source = tmp_path / f"{name}.json"
        source.write_text(text, encoding="utf-8")
        target = tmp_path / f"{name}.db"
        ok("--db", str(target), "import", str(source))
        stored[name] = _stored(target)
        [this_device] = rows(target, "SELECT device FROM sync_device")[0]
        stored[name]["entries"] = [
            (row[0].lower(), *row[1:-2], "this" if row[-2] == this_device else row[-2], row[-1])
            for row in stored[name]["entries"]
        ]
        stored[name]["links"] = [tuple(map(str.lower, pair)) for pair in stored[name]["links"]]
        stored[name]["found"] = [tuple(map(str.lower, row)) for row in stored[name]["found"]]
    assert stored["plain"] == stored["row by row"]
    assert [row[-2:] for row in stored["plain"]["entries"]] == [
        ("this", None) if item["device_id"] is None else (item["device_id"], item["person"])
        for item in items
    ]
    assert ("Zoë" in {row[-1] for row in stored["plain"]["entries"]}) == (who != "none")


def test_an_entry_twice_in_a_new_file_a_batch_apart_is_added_once(ok, tmp_path, demo_db):
    # Into a file without entries the first batch looks no UUID up; the next ones do.
    item = json.loads(ok("--db", str(demo_db), "export", "-f", "json").stdout)[0]
    items = [
        {**item, "id": number, "uuid": str(uuid.UUID(int=number))}
        for number in range(1, transfer.BATCH_SIZE + 2)
    ]
    items[-1]["uuid"] = items[0]["uuid"]
    items[-1]["note"] = "the second of the two"
    source = tmp_path / "twice.json"
    source.write_text(json.dumps(items), encoding="utf-8")
    target = tmp_path / "new.db"
    added = ok("--db", str(target), "import", str(source)).stderr
    assert added.startswith(f"Added {transfer.BATCH_SIZE:,} entries; skipped 1"), added
    stored = rows(target)
    assert len(stored) == transfer.BATCH_SIZE
    assert "the second of the two" not in {row["note"] for row in stored}


@pytest.mark.parametrize("plain", [True, False])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_running_totals_brought_in_settle_as_totals_logged_here_do(ok, tmp_path, fmt, plain):
    # An import settles the counts of the running totals it adds (and only looks for them
    # when it read one): the same counts as logging the totals here, whether the file is
    # checked as a batch (plain) or row by row (a UUID in capitals).
    def log_totals(path: Path, totals: list[tuple[int, str]]) -> None:
        for total, when in totals:
            ok("--db", str(path), "outcome", "LinkedIn", "reach", "--total", str(total),
               "--at", when)  # fmt: skip

    earlier, later = (
        [(40, "2021-01-01 09:00")],
        [(100, "2021-01-10 09:00"), (150, "2021-01-20 09:00")],
    )
    source, target, here = tmp_path / "source.db", tmp_path / "target.db", tmp_path / "here.db"
    log_totals(source, later)
    log_totals(target, earlier)
    log_totals(here, earlier + later)
    export = tmp_path / f"totals.{fmt}"
    ok("--db", str(source), "export", "-f", fmt, "-o", str(export))
    if not plain:
        uuid = rows(source)[0]["uuid"]
        export.write_text(export.read_text(encoding="utf-8").replace(uuid, uuid.upper()))
    ok("--db", str(target), "import", str(export))
    sql = "SELECT occurred_at, count, reach_total FROM entries ORDER BY occurred_at"
    settled = [tuple(row) for row in rows(target, sql)]
    assert settled == [tuple(row) for row in rows(here, sql)]
    assert [count for _, count, _ in settled][1:] == [60, 50]
