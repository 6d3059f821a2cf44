"""`netlog import --from mbox`: an mbox built here (made-up people; LF and CRLF; encoded
headers; Gmail's labels), as Google Takeout writes one."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import rows
from tests.test_hostile_support import netlog

ME = "ada@quill.example"
SECRETS = [
    "ada@quill.example", "bram@oakes.example", "cleo@fenn.example", "news@kites.example",
    "Bram", "Öakes", "Cleo Fenn", "Kites für harbours", "harbour power", "deck attached",
    "m1.ada", "m2.bram", "m5.ada", "oakes.example", "quill.example",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _pinned_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2026, 3, 1, tzinfo=UTC))


def message(headers: dict[str, str], body: str = "Hello,\n\nsee the deck attached.\n") -> str:
    lines = [f"{name}: {value}" for name, value in headers.items()]
    return (
        "From 1234567890@xxx Mon Feb 09 10:00:00 +0000 2026\n"
        + "\n".join(lines)
        + ("\n\n" + body + "\n")
    )


def sent(number: int, date: str, **more: str) -> dict[str, str]:
    return {
        "X-GM-THRID": "16000000000",
        "X-Gmail-Labels": "Sent,Opened",
        "Message-ID": f"<m{number}.ada@quill.example>",
        "Date": date,
        "From": "Ada Quill <ada@quill.example>",
        "To": "=?utf-8?q?Bram_=C3=96akes?= <bram@oakes.example>",
        "Subject": "=?utf-8?q?Kites_f=C3=BCr_harbours?=",
        **more,
    }


def received(number: int, date: str, **more: str) -> dict[str, str]:
    return {
        "X-Gmail-Labels": "Inbox,Important",
        "Message-ID": f"<m{number}.bram@oakes.example>",
        "Date": date,
        "From": "=?utf-8?q?Bram_=C3=96akes?= <bram@oakes.example>",
        "To": "Ada Quill <ada@quill.example>",
        "Subject": "=?utf-8?q?Re:_Kites_f=C3=BCr_harbours?=",
        **more,
    }


def mailbox(*, crlf: bool = False, extra: str = "") -> str:
    text = "".join(
        [
            # 1. Ada starts a thread with Bram: an email on 9 Feb (09:00 UTC).
            message(sent(1, "Mon, 9 Feb 2026 10:00:00 +0100")),
            # 2. Bram answers it: the reply, linked to 1.
            message(
                received(
                    2,
                    "Tue, 10 Feb 2026 08:15:00 +0000",
                    **{
                        "In-Reply-To": "<m1.ada@quill.example>",
                        "References": "<m1.ada@quill.example>",
                    },
                ),
                body="Sounds good.\n>From the harbour power people, thanks.\n",
            ),
            # 3. Ada answers Bram: not a new thread.
            message(
                sent(
                    3,
                    "Tue, 10 Feb 2026 09:00:00 +0000",
                    **{
                        "In-Reply-To": "<m2.bram@oakes.example>",
                        "References": "<m1.ada@quill.example>\n <m2.bram@oakes.example>",
                    },
                )
            ),
            # 4. Bram again in the same thread: not a second reply.
            message(
                received(
                    4,
                    "Tue, 10 Feb 2026 11:00:00 +0000",
                    **{
                        "In-Reply-To": "<m3.ada@quill.example>",
                        "References": "<m1.ada@quill.example> <m2.bram@oakes.example>"
                        " <m3.ada@quill.example>",
                    },
                )
            ),
            # 5. Ada writes to Cleo late on 10 Feb, New York time: 23:00 UTC, still the 10th.
            message(sent(5, "Tue, 10 Feb 2026 18:00:00 -0500", To="Cleo Fenn <cleo@fenn.example>")),
            # 6. A newsletter: not Ada's, answers nothing.
            message(
                {
                    "From": "Kite News <news@kites.example>",
                    "Date": "Wed, 11 Feb 2026 07:00:00 +0000",
                    "Message-ID": "<n1@kites.example>",
                    "X-Gmail-Labels": "Inbox",
                }
            ),
            # 7 and 8. No date, and a date that is not one: skipped and counted.
            message({"From": "Kite News <news@kites.example>", "Message-ID": "<n2@kites.example>"}),
            message({**sent(8, "someday"), "Message-ID": "<m8.ada@quill.example>"}),
            extra,
        ]
    )
    return text.replace("\n", "\r\n") if crlf else text


def per_day(db_path: Path) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for row in rows(db_path, "SELECT substr(occurred_at, 1, 10) AS day, kind, count FROM entries"):
        found[(row["day"], row["kind"])] = found.get((row["day"], row["kind"]), 0) + row["count"]
    return found


EXPECTED = {
    ("2026-02-09", "activity"): 1,
    ("2026-02-10", "activity"): 1,
    ("2026-02-10", "reply"): 1,
}


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_threads_started_and_their_first_answers(
    ok, db_path: Path, tmp_path: Path, crlf: bool
) -> None:
    box = tmp_path / "All mail.mbox"
    box.write_bytes(mailbox(crlf=crlf).encode())
    result = ok("import", "--from", "mbox", str(box))
    assert per_day(db_path) == EXPECTED
    assert result.stderr.strip().splitlines()[-1] == (
        "Added 2 items, 0 reach and 1 replies; 0 already present;"
        " skipped 2 messages without a date or sender."
    )
    [link] = rows(
        db_path,
        "SELECT s.occurred_at AS source_at, e.occurred_at AS at FROM links l"
        " JOIN entries e ON e.id = l.entry_id JOIN entries s ON s.id = l.source_id",
    )
    assert (link["source_at"], link["at"]) == (
        "2026-02-09T09:00:00+00:00",
        "2026-02-10T08:15:00+00:00",
    )
    assert {row["name"] for row in rows(db_path, "SELECT name FROM channels")} == {"Email"}
    assert rows(db_path, "SELECT count(*) FROM entries WHERE minutes IS NOT NULL")[0][0] == 0


def test_nothing_personal_is_stored(ok, db_path: Path, tmp_path: Path) -> None:
    box = tmp_path / "mail.mbox"
    box.write_text(mailbox(), encoding="utf-8")
    ok("import", "--from", "mbox", str(box))
    stored = b"".join(path.read_bytes() for path in db_path.parent.glob(db_path.name + "*"))
    for secret in SECRETS:
        assert secret.encode() not in stored, secret


def test_again_adds_nothing_and_a_newer_mailbox_only_what_is_new(
    ok, db_path: Path, tmp_path: Path
) -> None:
    box = tmp_path / "mail.mbox"
    box.write_text(mailbox(), encoding="utf-8")
    ok("import", "--from", "mbox", str(box))
    again = ok("import", "--from", "mbox", str(box))
    assert "Added 0 items, 0 reach and 0 replies; 3 already present" in again.stderr
    later = message(sent(9, "Tue, 10 Feb 2026 20:00:00 +0000", To="Dov <dov@marsh.example>"))
    box.write_text(mailbox(extra=later), encoding="utf-8")
    ok("import", "--from", "mbox", str(box))
    assert per_day(db_path) == {**EXPECTED, ("2026-02-10", "activity"): 2}


def test_a_typed_count_is_replaced_and_the_hours_stay(ok, db_path: Path, tmp_path: Path) -> None:
    ok("add", "email", "1h", "cold emails", "--count", "5", "--at", "2026-02-09 14:00")
    box = tmp_path / "mail.mbox"
    box.write_text(mailbox(), encoding="utf-8")
    ok("import", "--from", "mbox", str(box))
    [session] = rows(
        db_path, "SELECT minutes, count FROM entries WHERE occurred_at LIKE '2026-02-09%'"
    )
    assert (session["minutes"], session["count"]) == (60, 1)


def test_me_by_default_is_the_most_frequent_sender_of_sent_mail(
    run, ok, db_path: Path, tmp_path: Path
) -> None:
    box = tmp_path / "mail.mbox"
    box.write_text(mailbox().replace("Sent,Opened", "Opened"), encoding="utf-8")
    result = run("import", "--from", "mbox", str(box))
    assert result.exit_code == 2
    assert "no message is labelled Sent" in result.stderr
    assert "--me ADDRESS" in result.stderr
    assert not db_path.exists()
    ok("import", "--from", "mbox", "--me", "ADA@quill.example", str(box))
    assert per_day(db_path) == EXPECTED


def test_what_is_not_an_mbox_is_refused_in_one_line(run, db_path: Path, tmp_path: Path) -> None:
    photo = tmp_path / "photo.zip"
    photo.write_bytes(b"PK\x03\x04" + bytes(100))
    result = run("import", "--from", "mbox", str(photo))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "expected an mbox file (starting 'From '), found a file starting b'PK" in line
    assert not db_path.exists()


def test_dry_run_per_week(ok, db_path: Path, tmp_path: Path) -> None:
    box = tmp_path / "mail.mbox"
    box.write_text(mailbox(), encoding="utf-8")
    result = ok("import", "--from", "mbox", "--dry-run", "--channel", "Cold email", str(box))
    assert list(csv.DictReader(io.StringIO(result.stdout))) == [
        {"channel": "Cold email", "week": "2026-02-09", "items": "2", "reach": "0",
         "replies": "1", "sessions": "0", "minutes": "0"},
    ]  # fmt: skip
    assert not db_path.exists()


@pytest.mark.slow
def test_the_installed_netlog_imports_an_mbox(tmp_path: Path) -> None:
    box = tmp_path / "mail.mbox"
    box.write_bytes(mailbox(crlf=True).encode())
    outcome = netlog("import", "--from", "mbox", str(box))
    assert outcome.code == 0, outcome.stderr
    assert "Added 2 items" in outcome.stderr
    log = netlog("log", "--since", "2026-02-01", "-f", "csv")
    kinds = [row["type"] for row in csv.DictReader(io.StringIO(log.stdout))]
    assert sorted(kinds) == ["activity", "activity", "outcome"]


def test_encoded_labels_and_a_sender_without_angle_brackets(
    ok, db_path: Path, tmp_path: Path
) -> None:
    box = tmp_path / "mail.mbox"
    text = mailbox().replace(
        "X-Gmail-Labels: Sent,Opened", "X-Gmail-Labels: =?UTF-8?Q?Sent,Opened?="
    )
    text = text.replace("From: Ada Quill <ada@quill.example>", "From: ada@quill.example (Ada)")
    box.write_text(text, encoding="utf-8")
    ok("import", "--from", "mbox", str(box))
    assert per_day(db_path) == EXPECTED
