"""Importing from Watson and Timewarrior, checked against histories made by the real tools."""

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netlog.errors import NetlogError
from netlog.io.trackers import timewarrior_rows, watson_rows


def _tool(name: str) -> str:
    """The real tool's path; missing is a failure in CI and a skip on a developer's machine."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found:
        return found
    hint = "pip install -e '.[test]'" if name == "watson" else "apt-get install timewarrior"
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed ({hint})")
    pytest.skip(f"{name} is not installed ({hint})")


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        args,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def _netlog_hours(ok, db: Path) -> dict[str, float]:
    data = json.loads(ok("--db", str(db), "summary", "-f", "json").stdout)
    return {row["channel"]: row["hours"] for row in data}


WATSON_FRAMES = [
    ("2010-09-14 10:00", "2010-09-14 10:45", ["linkedin", "+messages", "+launch"]),
    ("2010-09-15 09:00", "2010-09-15 11:30", ["linkedin", "+research"]),
    ("2010-09-16 08:00", "2010-09-16 08:20", ["email", "+prospects"]),
    ("2010-10-01 14:00", "2010-10-01 15:15", ["peopleperhour", "+bids"]),
    ("2010-11-20 23:30", "2010-11-21 01:00", ["my", "blog"]),  # crosses midnight
    ("2010-12-02 09:05", "2010-12-02 09:52", ["email"]),
]


def test_watson_history_imports_with_matching_hours(ok, tmp_path, monkeypatch):
    watson = _tool("watson")
    env = {**os.environ, "WATSON_DIR": str(tmp_path / "watson"), "TZ": "UTC"}
    for start, stop, words in WATSON_FRAMES:
        _run([watson, "add", "-f", start, "-t", stop, *words], env)
    frames = tmp_path / "watson" / "frames"
    db = tmp_path / "from-watson.db"
    monkeypatch.setenv("TZ", "UTC")

    assert (
        "Added 6 entries" in ok("--db", str(db), "import", "--from", "watson", str(frames)).stderr
    )
    assert (
        "Added 0 entries; skipped 6"
        in ok("--db", str(db), "import", "--from", "watson", str(frames)).stderr
    )

    report = json.loads(
        _run([watson, "report", "--json", "--from", "2010-09-01", "--to", "2010-12-31"], env)
    )
    watson_hours = {p["name"]: round(p["time"] / 3600, 2) for p in report["projects"]}
    assert _netlog_hours(ok, db) == watson_hours
    assert set(watson_hours) == {"linkedin", "email", "peopleperhour", "my blog"}
    entries = json.loads(ok("--db", str(db), "log", "-f", "json").stdout)
    launch = next(e for e in entries if e["minutes"] == 45)
    assert (launch["channel"], launch["tags"]) == ("linkedin", ["messages", "launch"])
    assert launch["occurred_at"] == "2010-09-14T10:00:00+00:00"


TIMEW_INTERVALS = [
    ("2010-09-14T10:00", "2010-09-14T10:45", ["linkedin", "messages"]),
    ("2010-09-15T09:00", "2010-09-15T11:30", ["linkedin", "research"]),
    ("2010-09-16T08:00", "2010-09-16T08:20", ["email", "prospects"]),
    ("2010-10-01T14:00", "2010-10-01T15:15", ["peopleperhour"]),
    ("2010-11-20T23:30", "2010-11-21T01:00", ["twitter"]),
]


def _timew_total(output: str) -> float:
    """Hours from the total on the last line of `timew summary`."""
    last = [line for line in output.splitlines() if line.strip()][-1]
    hours, minutes, seconds = re.findall(r"(\d+):(\d\d):(\d\d)\s*$", last)[0]
    return round(int(hours) + int(minutes) / 60 + int(seconds) / 3600, 2)


def test_timewarrior_history_imports_with_matching_hours(ok, tmp_path, monkeypatch):
    timew = _tool("timew")
    database = tmp_path / "timewarrior"
    database.mkdir()  # else timew asks whether to create it
    env = {**os.environ, "TIMEWARRIORDB": str(database), "TZ": "UTC"}
    for start, end, tags in TIMEW_INTERVALS:
        _run([timew, "track", start, "-", end, *tags, ":quiet"], env)
    export = tmp_path / "timew.json"
    export.write_text(_run([timew, "export"], env), encoding="utf-8")
    db = tmp_path / "from-timew.db"
    monkeypatch.setenv("TZ", "UTC")

    assert (
        "Added 5 entries"
        in ok("--db", str(db), "import", "--from", "timewarrior", str(export)).stderr
    )
    assert (
        "Added 0 entries"
        in ok("--db", str(db), "import", "--from", "timewarrior", str(export)).stderr
    )
    hours = _netlog_hours(ok, db)
    assert set(hours) == {"linkedin", "email", "peopleperhour", "twitter"}
    for channel, netlog_hours in hours.items():
        summary = _run([timew, "summary", "2010-09-01", "-", "2011-01-01", channel], env)
        assert netlog_hours == _timew_total(summary), channel


def test_timewarrior_channel_option_and_stdin(ok, run, tmp_path):
    export = json.dumps([
        {"id": 2, "start": "20100914T100000Z", "end": "20100914T104500Z", "tags": ["a", "b"]},
        {"id": 1, "start": "20100915T100000Z", "tags": ["running"]},
    ])  # fmt: skip
    result = run("import", "--from", "timewarrior", "--channel", "Email", "-", input=export)
    assert result.exit_code == 0, result.stderr
    entries = json.loads(ok("log", "-f", "json").stdout)
    assert [(e["channel"], e["tags"]) for e in entries] == [("Email", ["a", "b"])]


def test_timewarrior_rule_prefers_a_known_channel():
    export = io.StringIO(json.dumps([
        {"id": 1, "start": "20100914T100000Z", "end": "20100914T104500Z",
         "tags": ["bids", "PeoplePerHour", "urgent"], "annotation": "three bids"},
        {"id": 2, "start": "20100915T100000Z", "end": "20100915T101000Z", "tags": ["bids", "x"]},
    ]))  # fmt: skip
    first, second = (
        row.entry for row in timewarrior_rows(export, known_channels=["peopleperhour"])
    )
    assert (first.channel, first.tags, first.note) == (
        "PeoplePerHour",
        ("bids", "urgent"),
        "three bids",
    )
    assert (second.channel, second.tags) == ("bids", ("x",))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"not": "a list"}', "not a Watson frames file: it starts with '{', not \\["),
        ("[[1284458400]]", "not a Watson frame"),
        ('[[1284461100, 1284458400, "x", "id"]]', "ends before it starts"),
        ('[[1284458400, 1284600000, "x", "id"]]', "lasts from 1 minute to 24 h"),
        ("[", "the file ends before the closing \\]"),
    ],
)
def test_bad_watson_files_are_clear_errors(content, message):
    with pytest.raises(NetlogError, match=message):
        list(watson_rows(io.StringIO(content)))


def test_interval_without_tags_needs_a_channel(run):
    export = '[{"id": 1, "start": "20100914T100000Z", "end": "20100914T104500Z"}]'
    result = run("import", "--from", "timewarrior", "-", input=export)
    assert result.exit_code == 2
    assert "give the channel with --channel" in result.stderr
