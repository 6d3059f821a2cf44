"""Problems a review found, each pinned by the test that shows it fixed."""

import json
import sqlite3
import uuid

import pytest
from tests.conftest import rows


def test_a_long_timewarrior_annotation_is_refused_with_its_interval(run, db_path):
    export = json.dumps([{"start": "20100914T100000Z", "end": "20100914T110000Z",
                          "tags": ["x"], "annotation": "a" * 2100}])  # fmt: skip
    result = run("import", "--from", "timewarrior", "-", input=export)
    assert result.exit_code == 2  # bad input
    assert "interval 1: the annotation is longer than 2000 characters" in result.stderr
    assert not db_path.exists()


def test_check_flags_text_that_an_import_would_refuse(ok, run, db_path):
    ok("add", "x", "5m", "--at", "2010-09-01")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE entries SET note = ?", ("bell\x07",))
    conn.commit()
    conn.close()
    result = run("check")
    assert result.exit_code == 1
    assert "note texts netlog would refuse" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["add", "li", "10m", "-n", "99999999999999999999"],
        ["add", "li", "10m", "-n", "1000001"],
        ["outcome", "li", "reach", "9223372036854775807"],
        ["edit", "99999999999999999999", "--note", "x"],
        ["rm", "99999999999999999999", "--yes"],
    ],
)
def test_absurd_counts_and_ids_are_usage_errors(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit), result.exception  # not an escaped error
    assert result.stderr.startswith("Error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one line


def test_a_running_timer_follows_its_channel_through_rename_and_merge(ok, db_path):
    ok("add", "linkdin", "30m", "--at", "2010-09-14 09:00")
    ok("start", "linkdin", "msgs", "--at", "2010-09-14 10:00")
    ok("channels", "rename", "linkdin", "LinkedIn")
    assert ok("status").stdout.startswith("LinkedIn msgs")
    ok("add", "twitter", "5m", "--at", "2010-09-14 09:00")
    ok("channels", "merge", "LinkedIn", "twitter")
    stopped = ok("stop", "--at", "2010-09-14 10:30")
    assert "30m on twitter msgs" in stopped.stderr
    assert "new channel" not in stopped.stderr
    names = [r["name"] for r in rows(db_path, "SELECT name FROM channels")]
    assert names == ["twitter"]


def test_stop_says_when_it_creates_a_channel(ok):
    ok("start", "newsletter", "--at", "2010-09-14 10:00")
    assert "(new channel 'newsletter')" in ok("stop", "--at", "2010-09-14 10:20").stderr


def test_start_with_a_bad_time_creates_nothing(run, db_path):
    assert run("start", "x", "--at", "tomorrow-ish").exit_code == 2
    assert not db_path.exists()


def test_an_import_that_adds_nothing_is_no_undo_step(ok, tmp_path, db_path):
    ok("add", "email", "5m", "--at", "2010-09-01")
    export = tmp_path / "e.csv"
    export.write_text(ok("export").stdout, encoding="utf-8", newline="")
    ok("import", str(export))
    assert "add #1 (" in ok("undo", "--list").stdout.splitlines()[0]


def test_export_to_a_folder_that_does_not_exist_is_one_clear_line(run, ok, tmp_path):
    ok("add", "email", "5m", "--at", "2010-09-01")
    for target in (tmp_path / "nowhere" / "x.csv", tmp_path):
        result = run("export", "--output", str(target))
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ")
        assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"what": ["q"]}, "is not text"),
        ({"tags": {"a": 1}}, "tags must be text"),
        ({"occurred_at": "2999-01-01T00:00:00+00:00"}, "in the future"),
        ({"occurred_at": "0001-01-01T00:00:00+01:00"}, "outside the years"),
        ({"count": 10**20}, "out of range"),
    ],
)
def test_json_import_checks_types_ranges_and_future_times(run, db_path, change, message):
    item = {"uuid": str(uuid.uuid4()), "type": "activity", "channel": "a", "minutes": 10,
            "occurred_at": "2010-09-14T10:00:00+00:00", **change}  # fmt: skip
    result = run("import", "-f", "json", "-", input=json.dumps([item]))
    assert result.exit_code == 2  # bad input
    assert message in result.stderr


def test_a_watson_tag_error_names_its_frame(run):
    frames = json.dumps([[1284458400, 1284461100, "x", "id1", ["t" * 70], 1284461100]])
    result = run("import", "--from", "watson", "-", input=frames)
    assert result.exit_code == 2  # bad input
    assert result.stderr.startswith("Error: frame 1: the tag")


def test_hours_per_win_is_0_without_logged_time(ok):
    import csv
    import io

    # 0 hours for a win is 0 hours per win (issue 16); revenue per hour has no hours to divide.
    ok("outcome", "email", "win", "--value", "100", "--at", "2010-09-14")
    row = next(csv.DictReader(io.StringIO(ok("summary", "-f", "csv").stdout)))
    assert (row["hours_per_win"], row["revenue_per_hour"]) == ("0.00", "")
