"""The case study's four months (netlog.io.demo), written as the channels would have kept
them: a LinkedIn export, an X archive and an mbox. Imported into an empty file, `summary`
shows the story's items, reach and replies on those channels."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tests.test_capture_linkedin import _csv, write_export
from tests.test_capture_x import _js, write_archive

from netlog.io.demo import story
from netlog.model.dates import from_storage

ME = "Sam Firm"


@pytest.fixture(autouse=True)
def _pinned_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2011, 1, 5, tzinfo=UTC))


def _story_totals(channel: str) -> dict[str, int]:
    entries = [entry for entry in story().entries if entry.channel == channel]
    return {
        "items": sum(e.count for e in entries if e.kind == "activity"),
        "reach": sum(e.count for e in entries if e.kind == "reach"),
        "leads": sum(e.count for e in entries if e.kind == "lead"),
    }


def _entries(channel: str, kind: str, what: str | None = None):
    return [
        e
        for e in story().entries
        if e.channel == channel and e.kind == kind and (what is None or e.what == what)
    ]


def _linkedin(where: Path) -> Path:
    connections, invitations = [], []
    number = 0
    for reach in _entries("LinkedIn", "reach"):
        day = from_storage(reach.occurred_at).strftime("%d %b %Y")
        for _ in range(reach.count):
            number += 1
            connections.append([f"First{number}", f"Last{number}", f"https://x.invalid/{number}",
                                "", "", "", day])  # fmt: skip
    [reply] = _entries("LinkedIn", "lead")
    replied_at = from_storage(reply.occurred_at)
    # The conversation that drew the reply began with one of that week's requests.
    requests = _entries("LinkedIn", "activity")
    opener = max(r for r in requests if r.occurred_at < reply.occurred_at)
    opened_at = from_storage(opener.occurred_at)
    for session in requests:
        at = from_storage(session.occurred_at)
        count = session.count - (1 if session is opener else 0)
        for n in range(count):
            sent = (at + timedelta(minutes=n)).strftime("%m/%d/%y, %I:%M %p")
            invitations.append([ME, f"Person {session.occurred_at} {n}", sent, "", "OUTGOING"])
    messages = [
        ["c-1", "", "Pat Prospect", "", ME, "", f"{replied_at:%Y-%m-%d %H:%M:%S} UTC", "",
         "Not hiring now, sorry", "INBOX"],
        ["c-1", "", ME, "", "Pat Prospect", "", f"{opened_at:%Y-%m-%d %H:%M:%S} UTC", "",
         "Hello Pat", "INBOX"],
        ["c-2", "", "Lee Other", "", ME, "", f"{replied_at:%Y-%m-%d %H:%M:%S} UTC", "",
         "Hi Sam", "INBOX"],
    ]  # fmt: skip
    connection_header = ["First Name", "Last Name", "URL", "Email Address", "Company",
                         "Position", "Connected On"]  # fmt: skip
    message_header = [
        "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
        "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
    ]  # fmt: skip
    files = {
        "Connections.csv": _csv(connection_header, connections, "Notes:\r\n\r\n"),
        "Invitations.csv": _csv(["From", "To", "Sent At", "Message", "Direction"], invitations),
        "messages.csv": _csv(message_header, messages),
    }
    return write_export(where, files, zipped=True)


def _x_archive(where: Path) -> Path:
    tweets = []
    for session in _entries("Twitter", "activity"):
        at = from_storage(session.occurred_at)
        for n in range(session.count):
            moment = at + timedelta(minutes=n)
            tweet = {
                "id_str": f"{len(tweets) + 1}",
                "created_at": moment.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                "full_text": "tweet",
                "in_reply_to_status_id_str": None,
            }
            tweets.append({"tweet": tweet})
    files = {
        "data/tweets.js": _js("tweets", tweets),
        "data/account.js": _js("account", [{"account": {"accountId": "1", "username": "firm"}}]),
    }
    return write_archive(where, files, zipped=True)


def _mbox(where: Path) -> Path:
    out = []

    def mail(number: int, at: datetime, sender: str, replies_to: int | None = None) -> None:
        headers = [
            f"Message-ID: <{number}@firm.example>" if sender == "sam@firm.example"
            else f"Message-ID: <{number}@client.example>",
            f"Date: {at:%a, %d %b %Y %H:%M:%S} +0000",
            f"From: {sender}",
            f"X-Gmail-Labels: {'Sent' if sender == 'sam@firm.example' else 'Inbox'}",
        ]  # fmt: skip
        if replies_to is not None:
            headers.append(f"In-Reply-To: <{replies_to}@firm.example>")
        out.append("From x@x Mon Jan 1 00:00:00 2010\n" + "\n".join(headers) + "\n\nHi\n\n")

    first_of_session = {}
    number = 0
    for session in _entries("Email", "activity"):
        at = from_storage(session.occurred_at)
        first_of_session[session.uuid] = number + 1
        for n in range(session.count):
            number += 1
            mail(number, at + timedelta(minutes=n), "sam@firm.example")
    links = dict(story().links)
    for lead in _entries("Email", "lead"):
        answered = first_of_session[links[lead.uuid]]
        number += 1
        mail(number, from_storage(lead.occurred_at), "client@client.example", answered)
    path = where.with_suffix(".mbox")
    path.write_text("".join(out), encoding="utf-8")
    return path


def test_the_case_study_from_the_channels_own_records(ok, tmp_path: Path) -> None:
    ok("import", "--from", "linkedin", "--channel", "LinkedIn", str(_linkedin(tmp_path / "li")))
    ok("import", "--from", "x", "--channel", "Twitter", str(_x_archive(tmp_path / "x")))
    ok("import", "--from", "mbox", "--channel", "Email", str(_mbox(tmp_path / "mail")))
    summary = ok("summary", "--since", "2010-09-01", "--until", "2010-12-31", "-f", "csv")
    shown = {row["channel"]: row for row in csv.DictReader(io.StringIO(summary.stdout))}
    assert set(shown) == {"LinkedIn", "Twitter", "Email"}
    for channel in shown:
        figures = {key: int(shown[channel][key]) for key in ("activities", "reach", "replies")}
        expected = _story_totals(channel)
        # The answers the story logs as leads come in from the exports as replies.
        assert figures == {
            "activities": expected["items"], "reach": expected["reach"],
            "replies": expected["leads"],
        }, channel  # fmt: skip
        assert shown[channel]["leads"] == "0"
        assert shown[channel]["hours"] in ("0", "0.0", "0.00")
    assert _story_totals("LinkedIn") == {"items": 97, "reach": 97, "leads": 1}
    assert _story_totals("Twitter")["items"] == 58
    assert _story_totals("Email")["leads"] == 2
    # The replies are linked to the emails that drew them, as in the story.
    links = ok("log", "--channel", "Email", "-f", "json").stdout
    sources = [entry["sources"] for entry in json.loads(links) if entry["type"] == "outcome"]
    assert len(sources) == 2
    assert all(sources)
    assert date(2010, 9, 14).isoformat() in links
