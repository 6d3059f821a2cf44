"""`netlog import --from linkedin`: a "Download your data" export built here from the format
(made-up people), zipped and unzipped, with old and new headers."""

import csv
import io
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import rows

ME = "Ada Quill"
# Every name, address, URL and text below must stay out of the database.
PEOPLE = {
    "Bram Oakes": ("https://www.linkedin.com/in/bram-oakes-41x", "bram.oakes@example.org"),
    "Cleo Fenn": ("https://www.linkedin.com/in/cleo-fenn-77q", "cleo@fenn.example"),
    "Dov Marsh": ("https://www.linkedin.com/in/dov-marsh-09z", ""),
}
TEXTS = [
    "Loved your talk on tidal kites",
    "Thanks Ada, coffee next week?",
    "Happy to send the deck over",
    "Are you hiring kite engineers",
    "We are, send your portfolio",
    "Quick question about the regatta",
    "Draft I never sent to Dov",
    "Tidal kites are the future of harbour power",
    "Would love to connect about kites",
    "Conversation with Bram",
]


@pytest.fixture(autouse=True)
def _pinned_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2026, 3, 1, tzinfo=UTC))


def _csv(header: list[str], records: list[list[str]], notes: str = "") -> str:
    out = io.StringIO()
    out.write(notes)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(records)
    return out.getvalue()


def linkedin_files(*, new: bool = True, extra_message: bool = False) -> dict[str, str]:
    """The four files; `new` uses the newer headers (URL, drafts, profile URLs)."""
    bram, cleo, dov = PEOPLE["Bram Oakes"], PEOPLE["Cleo Fenn"], PEOPLE["Dov Marsh"]
    connection_header = ["First Name", "Last Name", "URL", "Email Address", "Company",
                         "Position", "Connected On"]  # fmt: skip
    connections = [
        ["Bram", "Oakes", bram[0], bram[1], "Kite Works", "Founder", "08 Feb 2026"],
        ["Cleo", "Fenn", cleo[0], cleo[1], "Harbour Ltd", "CTO", "08 Feb 2026"],
        ["Dov", "Marsh", dov[0], dov[1], "", "Sailor", "10 Feb 2026"],
    ]
    if not new:  # older exports have no URL column
        connection_header.remove("URL")
        connections = [row[:2] + row[3:] for row in connections]
    notes = (
        "Notes:\r\n"
        '"When exporting your connection data, you may notice that some of the email'
        ' addresses are missing."\r\n\r\n'
    )
    message_header = [
        "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
        "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
    ]  # fmt: skip
    me_url = "https://www.linkedin.com/in/ada-quill-00a"

    def message(conv, who, url, to, to_url, date, text, draft="No"):
        row = [conv, TEXTS[9] if conv == "c-1" else "", who, url, to, to_url, date, "", text,
               "INBOX"]  # fmt: skip
        return [*row, "", draft, "No"] if new else row

    messages = [  # newest first, as LinkedIn writes them
        message("c-3", ME, me_url, "Dov Marsh", dov[0], "2026-02-10 11:00:00 UTC", TEXTS[5]),
        message("c-2", ME, me_url, "Cleo Fenn", cleo[0], "2026-02-10 09:00:00 UTC", TEXTS[4]),
        message("c-2", "Cleo Fenn", cleo[0], ME, me_url, "2026-02-10 08:00:00 UTC", TEXTS[3]),
        message("c-1", ME, me_url, "Bram Oakes", bram[0], "2026-02-09 10:00:00 UTC", TEXTS[2]),
        message("c-1", "Bram Oakes", bram[0], ME, me_url, "2026-02-09 09:00:00 UTC", TEXTS[1]),
        message("c-1", ME, me_url, "Bram Oakes", bram[0], "2026-02-08 14:03:11 UTC", TEXTS[0]),
    ]
    if new:
        message_header += ["ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
        messages.insert(
            0,
            message(
                "c-3",
                ME,
                me_url,
                "Dov Marsh",
                dov[0],
                "2026-02-10 12:00:00 UTC",
                TEXTS[6],
                draft="Yes",
            ),
        )
    if extra_message:
        messages.insert(
            0,
            message(
                "c-3",
                ME,
                me_url,
                "Dov Marsh",
                dov[0],
                "2026-02-10 16:30:00 UTC",
                "Following up on the regatta",
            ),
        )
    invitation_header = ["From", "To", "Sent At", "Message", "Direction"]
    invitations = [
        [ME, "Esme Vale", "2/10/26, 2:37 PM", TEXTS[8], "OUTGOING"],
        ["Finn Roe", ME, "2/11/26, 9:05 AM", "Hello there", "INCOMING"],
    ]
    if new:
        invitation_header += ["inviterProfileUrl", "inviteeProfileUrl"]
        invitations = [
            [*invitations[0], me_url, "https://www.linkedin.com/in/esme-vale-5"],
            [*invitations[1], "https://www.linkedin.com/in/finn-roe-8", me_url],
        ]
    shares = [["2026-02-08 18:00:00", "https://www.linkedin.com/feed/update/urn:li:share:7001",
               TEXTS[7], "", ""]]  # fmt: skip
    return {
        "Connections.csv": _csv(connection_header, connections, notes),
        "messages.csv": _csv(message_header, messages),
        "Invitations.csv": _csv(invitation_header, invitations),
        "Shares.csv": _csv(
            ["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl"], shares
        ),
    }


def write_export(where: Path, files: dict[str, str], *, zipped: bool) -> Path:
    if zipped:
        target = where.with_suffix(".zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        return target
    where.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (where / name).write_text(text, encoding="utf-8", newline="")
    return where


def per_day(db_path: Path) -> dict[tuple[str, str], int]:
    """(day, kind) → count, with the hour-less activities as 'items'."""
    found: dict[tuple[str, str], int] = {}
    for row in rows(
        db_path,
        "SELECT substr(occurred_at, 1, 10) AS day, kind, minutes, count FROM entries",
    ):
        kind = "items" if row["kind"] == "activity" and row["minutes"] is None else row["kind"]
        found[(row["day"], kind)] = found.get((row["day"], kind), 0) + row["count"]
    return found


EXPECTED = {
    ("2026-02-08", "items"): 2,  # the first message to Bram, a post
    ("2026-02-09", "items"): 1,
    ("2026-02-10", "items"): 3,  # answers to Cleo and to Dov, an invitation (not the draft)
    ("2026-02-08", "reach"): 2,
    ("2026-02-10", "reach"): 1,
    ("2026-02-09", "reply"): 1,  # Bram answered the conversation Ada started
}


@pytest.mark.parametrize("zipped", [True, False], ids=["zip", "folder"])
@pytest.mark.parametrize("new", [True, False], ids=["new-headers", "old-headers"])
def test_counts_per_day_and_the_reply_linked_to_its_outreach(
    ok, run, db_path: Path, tmp_path: Path, zipped: bool, new: bool
) -> None:
    export = write_export(tmp_path / "export", linkedin_files(new=new), zipped=zipped)
    result = ok("import", "--from", "linkedin", str(export))
    assert per_day(db_path) == EXPECTED
    assert "Added 6 items, 3 reach and 1 replies" in result.stderr
    [link] = rows(
        db_path,
        "SELECT s.occurred_at AS source_at, s.kind AS source_kind, e.kind AS kind"
        " FROM links l JOIN entries e ON e.id = l.entry_id JOIN entries s ON s.id = l.source_id",
    )
    assert (link["kind"], link["source_kind"]) == ("reply", "activity")
    assert link["source_at"].startswith("2026-02-08")
    channels = {row["name"] for row in rows(db_path, "SELECT name FROM channels")}
    assert channels == {"LinkedIn"}
    # The summary counts them on the channel, with no hours and no sessions.
    summary = ok("summary", "--since", "2026-02-01", "-f", "csv").stdout
    [line] = list(csv.DictReader(io.StringIO(summary)))
    assert (line["channel"], line["reach"], line["replies"]) == ("LinkedIn", "3", "1")
    assert line["sessions"] == "0"


def test_nothing_personal_is_stored(ok, db_path: Path, tmp_path: Path) -> None:
    files = linkedin_files(new=True)
    ok("import", "--from", "linkedin", str(write_export(tmp_path / "e", files, zipped=True)))
    stored = db_path.read_bytes()
    for wal in db_path.parent.glob(db_path.name + "-*"):
        stored += wal.read_bytes()
    # Not the conversation ids "c-1" and "c-2": hex digits and dashes, a UUID can hold them.
    secrets = [ME, *TEXTS, "Esme Vale", "Finn Roe", "Hello there", "Kite Works"]
    for name, (url, address) in PEOPLE.items():
        secrets += [name, *name.split(), url, address]
    secrets += ["urn:li:share:7001", "ada-quill"]
    for secret in filter(None, secrets):
        assert secret.encode() not in stored, secret


def test_importing_again_adds_only_what_is_new(ok, db_path: Path, tmp_path: Path) -> None:
    export = write_export(tmp_path / "e", linkedin_files(), zipped=True)
    ok("import", "--from", "linkedin", str(export))
    before = [tuple(row) for row in rows(db_path)]
    again = ok("import", "--from", "linkedin", str(export))
    assert "Added 0 items, 0 reach and 0 replies; 10 already present" in again.stderr
    assert [tuple(row) for row in rows(db_path)] == before
    undo_list = ok("undo", "--list").stdout + ok("undo", "--list").stderr
    assert undo_list.count("import --from linkedin") == 1  # the empty import is no undo step
    newer = write_export(tmp_path / "newer", linkedin_files(extra_message=True), zipped=False)
    ok("import", "--from", "linkedin", str(newer))
    assert per_day(db_path) == {**EXPECTED, ("2026-02-10", "items"): 4}
    assert len(rows(db_path)) == len(before)  # the day's entry counts one more


def test_the_exports_count_replaces_a_typed_count_and_the_hours_stay(
    ok, db_path: Path, tmp_path: Path
) -> None:
    ok("add", "linkedin", "45m", "messages", "--count", "7", "--at", "2026-02-10 09:30")
    ok("add", "linkedin", "15m", "more messages", "--count", "2", "--at", "2026-02-10 17:00")
    export = write_export(tmp_path / "e", linkedin_files(), zipped=True)
    ok("import", "--from", "linkedin", str(export))
    day = rows(
        db_path,
        "SELECT minutes, count, tags FROM entries WHERE kind = 'activity'"
        " AND occurred_at LIKE '2026-02-10%' ORDER BY occurred_at",
    )
    assert [(row["minutes"], row["count"]) for row in day] == [(45, 3), (15, 0)]
    assert "linkedin export" in day[0]["tags"]
    assert per_day(db_path)[("2026-02-10", "activity")] == 3
    ok("import", "--from", "linkedin", str(export))  # again: still 3, not 6
    assert per_day(db_path)[("2026-02-10", "activity")] == 3
    log = ok("log", "--since", "2026-02-10", "--until", "2026-02-10").stdout
    assert "linkedin export" in log


def test_one_undo_step_takes_it_all_back_and_redo_restores_it(
    ok, db_path: Path, tmp_path: Path
) -> None:
    ok("add", "linkedin", "45m", "messages", "--count", "7", "--at", "2026-02-10 09:30")
    export = write_export(tmp_path / "e", linkedin_files(), zipped=True)
    ok("import", "--from", "linkedin", str(export))
    after = per_day(db_path)
    ok("undo")
    assert per_day(db_path) == {("2026-02-10", "activity"): 7}
    assert rows(db_path, "SELECT count(*) AS n FROM captured")[0]["n"] == 0
    ok("redo")
    assert per_day(db_path) == after
    again = ok("import", "--from", "linkedin", str(export))
    assert "Added 0 items" in again.stderr


def test_dry_run_prints_per_channel_and_week_and_writes_nothing(
    ok, db_path: Path, tmp_path: Path
) -> None:
    export = write_export(tmp_path / "e", linkedin_files(), zipped=True)
    result = ok("import", "--from", "linkedin", "--dry-run", str(export))
    weeks = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(w["week"], w["items"], w["reach"], w["replies"], w["sessions"]) for w in weeks] == [
        ("2026-02-02", "2", "2", "0", "0"),
        ("2026-02-09", "4", "1", "1", "0"),
    ]
    assert {w["channel"] for w in weeks} == {"LinkedIn"}
    assert "Would add 6 items" in result.stderr
    assert not db_path.exists()


def test_since_and_channel(ok, db_path: Path, tmp_path: Path) -> None:
    export = write_export(tmp_path / "e", linkedin_files(), zipped=True)
    ok("import", "--from", "linkedin", "--since", "2026-02-10", "--channel", "LI", str(export))
    assert {day for day, _ in per_day(db_path)} == {"2026-02-10"}
    assert {row["name"] for row in rows(db_path, "SELECT name FROM channels")} == {"LI"}


def test_absent_files_are_named(ok, db_path: Path, tmp_path: Path) -> None:
    files = linkedin_files()
    del files["Shares.csv"], files["Invitations.csv"]
    result = ok(
        "import", "--from", "linkedin", str(write_export(tmp_path / "e", files, zipped=True))
    )
    assert "No Shares.csv in the export: no posts." in result.stderr
    assert "No Invitations.csv in the export: no invitations." in result.stderr


def test_me_is_asked_for_when_it_cannot_be_told(run, ok, db_path: Path, tmp_path: Path) -> None:
    files = linkedin_files()
    lines = files["messages.csv"].splitlines(keepends=True)
    files["messages.csv"] = lines[0] + "".join(line for line in lines if line.startswith("c-1,"))
    export = write_export(tmp_path / "e", files, zipped=False)
    result = run("import", "--from", "linkedin", str(export))
    assert result.exit_code == 2
    assert "--me" in result.stderr
    assert not db_path.exists()
    ok("import", "--from", "linkedin", "--me", "ada quill", str(export))
    assert per_day(db_path)[("2026-02-09", "reply")] == 1


def _one_line_refusal(result) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_folder_that_is_no_export_is_refused_naming_what_it_found(
    run, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "holiday"
    folder.mkdir()
    (folder / "beach.jpg").write_bytes(b"\xff\xd8\xff")
    line = _one_line_refusal(run("import", "--from", "linkedin", str(folder)))
    assert "expected Connections.csv or messages.csv" in line
    assert "found beach.jpg" in line
    assert not db_path.exists()


def test_a_row_that_does_not_parse_names_the_file_and_line(
    run, ok, db_path: Path, tmp_path: Path
) -> None:
    ok("add", "linkedin", "45m", "messages", "--at", "2026-02-01 10:00")
    before = db_path.read_bytes()
    files = linkedin_files()
    files["messages.csv"] = files["messages.csv"].replace("2026-02-09 10:00:00 UTC", "yesterday")
    line = _one_line_refusal(
        run("import", "--from", "linkedin", str(write_export(tmp_path / "e", files, zipped=True)))
    )
    assert line == "Error: messages.csv: line 6: DATE 'yesterday' is not a date LinkedIn writes"
    assert db_path.read_bytes() == before
    files = linkedin_files()
    files["Connections.csv"] += "Eve,Ash\r\n"  # too few cells, after 4 lines of notes + header
    line = _one_line_refusal(
        run("import", "--from", "linkedin", str(write_export(tmp_path / "f", files, zipped=True)))
    )
    assert line.startswith("Error: Connections.csv: line 8: 2 cells")


def test_a_zip_bomb_is_refused_before_it_is_read(run, db_path: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("messages.csv", "CONVERSATION ID,FROM,TO,DATE\r\n" + " " * (50 << 20))
    assert bomb.stat().st_size < 200_000
    line = _one_line_refusal(run("import", "--from", "linkedin", str(bomb)))
    assert "messages.csv is compressed" in line
    assert "refused" in line
    assert not db_path.exists()


def test_a_schema_6_file_keeps_everything_and_takes_items_without_minutes(
    ok, db_path: Path, tmp_path: Path
) -> None:
    from sqlite_utils import Database

    from netlog.store import migrations

    conn = sqlite3.connect(db_path, isolation_level=None)
    for migration in migrations.MIGRATIONS[:6]:  # the file as netlog left it before schema 7
        migration(Database(conn, execute_plugins=False, recursive_triggers=False))
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 6")
    conn.close()
    ok("add", "linkedin", "45m", "messages", "--at", "2026-02-01 10:00")
    ok("outcome", "linkedin", "lead", "--from", "1", "--at", "2026-02-02 10:00")
    ok("outcome", "linkedin", "lead", "--at", "2026-02-02 11:00")
    ok("rm", "3", "--yes")
    assert rows(db_path, "PRAGMA user_version")[0][0] == len(migrations.MIGRATIONS)
    [create] = rows(db_path, "SELECT sql FROM sqlite_master WHERE name = 'entries'")
    assert migrations.M008_MINUTES_AFTER in create[0]
    assert [tuple(r) for r in rows(db_path, "SELECT entry_id, source_id FROM links")] == [(2, 1)]
    export = write_export(tmp_path / "e", linkedin_files(), zipped=True)
    ok("import", "--from", "linkedin", str(export))
    assert per_day(db_path)[("2026-02-10", "items")] == 3
    hourless = "SELECT min(id) FROM entries WHERE kind = 'activity' AND minutes IS NULL"
    assert rows(db_path, hourless)[0][0] == 4  # id 3 is never reused
    assert "messages" in ok("log", "--search", "messages").stdout  # the search index works
    assert rows(db_path, "PRAGMA integrity_check")[0][0] == "ok"
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        conn.execute(
            "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, minutes, count)"
            " VALUES ('u', 1, 'activity', '2026-02-01T10:00:00+00:00',"
            " '2026-02-01T10:00:00+00:00', 0, 1)"
        )
    conn.close()


def test_summary_funnel_and_log_say_which_items_came_from_an_export(ok, tmp_path: Path) -> None:
    ok("add", "twitter", "20m", "tweets", "--count", "4", "--at", "2026-02-09 10:00")
    summary = ok("summary", "--since", "2026-02-01")
    assert "Items from channels' exports (no hours; `netlog log` tags them): " not in (
        summary.stdout + summary.stderr
    )
    ok(
        "import",
        "--from",
        "linkedin",
        str(write_export(tmp_path / "e", linkedin_files(), zipped=True)),
    )
    summary = ok("summary", "--since", "2026-02-01")
    assert "exports (no hours; `netlog log` tags them): LinkedIn 6 in this file." in " ".join(
        summary.stderr.split()
    )
    funnel = ok("funnel", "--since", "2026-02-01")
    assert "LinkedIn 6 in this file." in " ".join(funnel.stdout.split())
    log = ok("log", "--since", "2026-02-08", "--until", "2026-02-08", "-f", "csv").stdout
    exported = [row for row in csv.DictReader(io.StringIO(log)) if row["type"] == "activity"]
    assert [(row["minutes"], row["count"], row["tags"]) for row in exported] == [
        ("", "2", "linkedin export")
    ]


def test_a_damaged_zip_entry_is_refused_in_one_line(run, db_path: Path, tmp_path: Path) -> None:
    export = write_export(tmp_path / "e", linkedin_files(), zipped=True)
    data = bytearray(export.read_bytes())
    data[60:68] = bytes(8)  # inside the first entry's compressed data: Connections.csv
    export.write_bytes(bytes(data))
    line = _one_line_refusal(run("import", "--from", "linkedin", str(export)))
    assert line.startswith(f"Error: {export}: cannot read Connections.csv (")
    assert not db_path.exists()
