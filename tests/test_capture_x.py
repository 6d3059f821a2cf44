"""`netlog import --from x`: an X archive built here (made-up accounts), zipped and not."""

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import rows

ME, BRAM, CLEO = "1111", "2222", "3333"
TEXTS = ["Tidal kites at dawn", "Would you sell us a kite?", "Yes! DM me", "Hi Cleo", "@bram hi"]


@pytest.fixture(autouse=True)
def _pinned_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2026, 3, 1, tzinfo=UTC))


def _js(name: str, items: list) -> str:
    return f"window.YTD.{name}.part0 = " + json.dumps(items, indent=2)


def _dm(message_id: str, sender: str, to: str, at: str, text: str) -> dict:
    return {
        "messageCreate": {
            "id": message_id, "senderId": sender, "recipientId": to, "createdAt": at,
            "text": text, "mediaUrls": [],
        }
    }  # fmt: skip


def x_files(*, more_tweets: int = 0) -> dict[str, str]:
    tweets = [
        {"tweet": {"id_str": "900001", "created_at": "Sun Feb 08 12:33:11 +0000 2026",
                   "full_text": TEXTS[0], "in_reply_to_status_id_str": None}},
        {"tweet": {"id_str": "900002", "created_at": "Sun Feb 08 23:30:00 +0000 2026",
                   "full_text": TEXTS[4], "in_reply_to_status_id_str": "800001"}},
        {"tweet": {"id_str": "900003", "created_at": "Tue Feb 10 09:00:00 +0000 2026",
                   "full_text": "Kites!", "in_reply_to_status_id_str": None}},
    ]  # fmt: skip
    tweets += [
        {"tweet": {"id_str": f"91000{n}", "created_at": "Tue Feb 10 10:00:00 +0000 2026",
                   "full_text": "more", "in_reply_to_status_id_str": None}}
        for n in range(more_tweets)
    ]  # fmt: skip
    conversations = [
        {"dmConversation": {"conversationId": f"{ME}-{BRAM}", "messages": [
            # newest first, as X writes them
            _dm("70003", ME, BRAM, "2026-02-09T10:00:00.000Z", TEXTS[2]),
            _dm("70002", BRAM, ME, "2026-02-09T09:00:00.000Z", TEXTS[1]),
            _dm("70001", ME, BRAM, "2026-02-08T15:00:00.000Z", TEXTS[3]),
        ]}},
        {"dmConversation": {"conversationId": f"{CLEO}-{ME}", "messages": [
            _dm("70005", ME, CLEO, "2026-02-10T12:00:00.000Z", "Thanks Cleo"),
            _dm("70004", CLEO, ME, "2026-02-10T11:00:00.000Z", "Hello from Cleo"),
        ]}},
    ]  # fmt: skip
    account = [{"account": {
        "accountId": ME, "username": "adaquill", "email": "ada@quill.example",
        "accountDisplayName": "Ada Quill", "createdAt": "2019-01-01",
    }}]  # fmt: skip
    followers = [{"follower": {"accountId": "4444", "userLink": "https://x.com/i/user/4444"}}]
    return {
        "data/tweets.js": _js("tweets", tweets),
        "data/direct-messages.js": _js("direct_messages", conversations),
        "data/account.js": _js("account", account),
        "data/follower.js": _js("follower", followers),
    }


def write_archive(where: Path, files: dict[str, str], *, zipped: bool) -> Path:
    if zipped:
        target = where.with_suffix(".zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        return target
    for name, text in files.items():
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_text(text, encoding="utf-8")
    return where


def per_day(db_path: Path) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for row in rows(db_path, "SELECT substr(occurred_at, 1, 10) AS day, kind, count FROM entries"):
        found[(row["day"], row["kind"])] = found.get((row["day"], row["kind"]), 0) + row["count"]
    return found


EXPECTED = {
    ("2026-02-08", "activity"): 3,  # two tweets, the first DM to Bram
    ("2026-02-09", "activity"): 1,
    ("2026-02-10", "activity"): 2,  # a tweet, the answer to Cleo (who started that one)
    ("2026-02-09", "reply"): 1,  # Bram answered
}


@pytest.mark.parametrize("zipped", [True, False], ids=["zip", "folder"])
def test_tweets_and_direct_messages_per_day(
    ok, db_path: Path, tmp_path: Path, zipped: bool
) -> None:
    archive = write_archive(tmp_path / "twitter", x_files(), zipped=zipped)
    result = ok("import", "--from", "x", str(archive))
    assert per_day(db_path) == EXPECTED
    assert "Followers carry no dates in an X archive: none imported." in result.stderr
    [link] = rows(
        db_path,
        "SELECT s.occurred_at AS source_at FROM links l JOIN entries s ON s.id = l.source_id",
    )
    assert link["source_at"] == "2026-02-08T12:33:11+00:00"  # the day's entry holds the DM
    assert {row["name"] for row in rows(db_path, "SELECT name FROM channels")} == {"X"}


def test_again_adds_only_new_tweets_and_keeps_nothing_personal(
    ok, db_path: Path, tmp_path: Path
) -> None:
    ok("import", "--from", "x", str(write_archive(tmp_path / "a", x_files(), zipped=True)))
    newer = write_archive(tmp_path / "b", x_files(more_tweets=2), zipped=True)
    result = ok("import", "--from", "x", str(newer))
    assert "Added 2 items, 0 reach and 0 replies; 7 already present" in result.stderr
    assert per_day(db_path) == {**EXPECTED, ("2026-02-10", "activity"): 4}
    stored = b"".join(path.read_bytes() for path in db_path.parent.glob(db_path.name + "*"))
    for secret in [*TEXTS, "adaquill", "Ada Quill", "ada@quill.example", "Hello from Cleo",
                   "900001", "70002", f"{ME}-{BRAM}"]:  # fmt: skip
        assert secret.encode() not in stored, secret


def test_a_broken_tweet_names_the_file_and_item(run, db_path: Path, tmp_path: Path) -> None:
    files = x_files()
    files["data/tweets.js"] = files["data/tweets.js"].replace("Tue Feb 10 09:00:00", "Tuesday")
    result = run("import", "--from", "x", str(write_archive(tmp_path / "a", files, zipped=True)))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "tweets.js: item 3: 'Tuesday +0000 2026' is not a time X writes" in line
    assert not db_path.exists()


def test_a_linkedin_export_is_not_an_x_archive(run, db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "linkedin"
    folder.mkdir()
    (folder / "Connections.csv").write_text("First Name,Last Name,Connected On\n")
    result = run("import", "--from", "x", str(folder))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "is not an X archive: expected tweets.js or direct-messages.js or account.js" in line
    assert "found Connections.csv" in line
    assert not db_path.exists()
