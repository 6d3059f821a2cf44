"""`netlog import --from ics`: a calendar built here, with a weekly RRULE, an EXDATE and a
moved instance across the change to summer time (London, 29 March 2026)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import rows

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//netlog tests//EN
BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:kite-meetup-1@example.org
DTSTAMP:20260301T000000Z
DTSTART;TZID=Europe/London:20260316T180000
DTEND;TZID=Europe/London:20260316T193000
RRULE:FREQ=WEEKLY;COUNT=5
EXDATE;TZID=Europe/London:20260323T180000
SUMMARY:Kite founders meetup
LOCATION:The Anchor, Bristol
END:VEVENT
BEGIN:VEVENT
UID:kite-meetup-1@example.org
DTSTAMP:20260301T000000Z
RECURRENCE-ID;TZID=Europe/London:20260406T180000
DTSTART;TZID=Europe/London:20260407T170000
DTEND;TZID=Europe/London:20260407T190000
SUMMARY:Kite founders meetup (moved)
END:VEVENT
END:VCALENDAR
"""

EXTRA = """BEGIN:VEVENT
UID:hack-day@example.org
DTSTAMP:20260301T000000Z
DTSTART;VALUE=DATE:20260320
DTEND;VALUE=DATE:20260321
SUMMARY:Kite hack day
END:VEVENT
BEGIN:VEVENT
UID:call-1@example.org
DTSTAMP:20260301T000000Z
DTSTART:20260318T140000Z
DURATION:PT45M
SUMMARY:Call with a dentist
CATEGORIES:Personal
END:VEVENT
BEGIN:VEVENT
UID:future@example.org
DTSTAMP:20260301T000000Z
DTSTART:20260601T140000Z
DURATION:PT1H
SUMMARY:Kite founders meetup (summer)
END:VEVENT
"""


@pytest.fixture(autouse=True)
def _pinned_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2026, 5, 1, tzinfo=UTC))


def calendar(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "calendar.ics"
    text = CALENDAR.replace("END:VCALENDAR", extra + "END:VCALENDAR")
    path.write_bytes(text.replace("\n", "\r\n").encode())
    return path


def sessions(db_path: Path) -> list[tuple[str, int, int]]:
    return [
        (row["occurred_at"], row["minutes"], row["count"])
        for row in rows(db_path, "SELECT occurred_at, minutes, count FROM entries ORDER BY 1")
    ]


MEETUPS = [
    ("2026-03-16T18:00:00+00:00", 90, 0),  # GMT
    # 23 March: EXDATE; 30 March: summer time, still 18:00 in London
    ("2026-03-30T17:00:00+00:00", 90, 0),
    ("2026-04-07T16:00:00+00:00", 120, 0),  # 6 April's, moved to the 7th, 17:00-19:00
    ("2026-04-13T17:00:00+00:00", 90, 0),
]


def test_a_weekly_meetup_across_summer_time(ok, db_path: Path, tmp_path: Path) -> None:
    result = ok("import", "--from", "ics", "--channel", "meetups", str(calendar(tmp_path)))
    assert sessions(db_path) == MEETUPS
    assert "Added 4 sessions" in result.stderr
    again = ok("import", "--from", "ics", "--channel", "meetups", str(calendar(tmp_path)))
    assert "; 4 already present." in again.stderr
    assert sessions(db_path) == MEETUPS


def test_match_and_all_day(run, ok, db_path: Path, tmp_path: Path) -> None:
    path = calendar(tmp_path, EXTRA)
    refused = run("import", "--from", "ics", "--channel", "meetups", str(path))
    assert refused.exit_code == 2
    [line] = refused.stderr.strip().splitlines()
    assert "1 all-day events match; give --all-day MINUTES" in line
    assert not db_path.exists()
    ok("import", "--from", "ics", "--channel", "meetups", "--match", "kite", "--all-day", "240",
       str(path))  # fmt: skip
    found = sessions(db_path)
    assert ("2026-03-20T09:00:00+00:00", 240, 0) in found  # the hack day, from 9:00
    assert len(found) == 5  # the meetups and the hack day; not the dentist, not June's
    ok("import", "--from", "ics", "--channel", "calls", "--match", "personal", str(path))
    assert ("2026-03-18T14:00:00+00:00", 45, 0) in sessions(db_path)  # by its CATEGORIES


def test_the_channel_is_required_and_a_non_calendar_refused(
    run, db_path: Path, tmp_path: Path
) -> None:
    result = run("import", "--from", "ics", str(calendar(tmp_path)))
    assert result.exit_code == 2
    assert "needs --channel NAME" in result.stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("Buy kite string\n")
    result = run("import", "--from", "ics", "--channel", "meetups", str(notes))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "expected an iCalendar file (starting BEGIN:VCALENDAR), found b'Buy kite string" in line
    assert not db_path.exists()
