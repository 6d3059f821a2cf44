"""Periods from one function (netlog.model.periods): local days that do not start at midnight,
the week start in every view, one channel × period grid, bounded work; and local time
through zoneinfo (abbreviations, impossible POSIX rules, offsets with seconds).

The clock is pinned (netlog.model.dates.utc_now) and each test sets its zone.
"""

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from conftest import rows
from netlog.model.dates import day_boundary, day_start, to_storage
from netlog.model.periods import MAX_PERIODS, Period, iter_periods


@pytest.fixture(autouse=True)
def pinned_now(monkeypatch):
    monkeypatch.setattr("netlog.model.dates.utc_now", lambda: datetime(2026, 6, 1, tzinfo=UTC))


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# Days that do not start at midnight (#21.1)


def test_st_johns_an_entry_after_midnight_that_the_clocks_took_back_counts_in_october(
    ok, monkeypatch
):
    """00:01 NDT on 1 Nov 2009 became 23:01 NST on 31 Oct: 23:30-03:30 came after midnight
    but netlog shows it on 31 October, so October holds it."""
    monkeypatch.setenv("TZ", "America/St_Johns")
    ok("add", "email", "1h", "--at", "2009-10-31 23:30-03:30")
    ok("add", "email", "2h", "--at", "2009-10-31 12:00")  # the late one is not the newest
    ok("add", "email", "30m", "--at", "2009-11-02 09:00")
    months = table(ok("summary", "--by", "month", "-f", "csv").stdout)
    assert [(r["period"], r["hours"]) for r in months] == [("2009-10", "3.00"), ("2009-11", "0.50")]
    trend = table(ok("trend", "-f", "csv").stdout)
    assert (trend[0]["2009-10"], trend[0]["2009-11"]) == ("3.00", "0.50")
    days = table(ok("summary", "--by", "day", "-f", "csv").stdout)
    assert [(r["period"], r["hours"]) for r in days] == [
        ("2009-10-31", "3.00"),
        ("2009-11-02", "0.50"),
    ]
    since = table(ok("log", "--since", "2009-11-01", "-f", "csv").stdout)
    assert [r["occurred_at"] for r in since] == ["2009-11-02 09:00:00"]
    until = table(ok("log", "--until", "2009-10-31", "-f", "csv").stdout)
    assert sorted(r["occurred_at"] for r in until) == [
        "2009-10-31 12:00:00",
        "2009-10-31 23:30:00",
    ]


def test_phoenix_the_last_half_hour_of_1943_counts_in_1943(ok, monkeypatch):
    """War time ended at 00:01 on 1 Jan 1944, back to 23:01 on 31 Dec 1943."""
    monkeypatch.setenv("TZ", "America/Phoenix")
    ok("add", "email", "1h", "--at", "1943-12-31 23:30-07:00")
    ok("add", "email", "2h", "--at", "1944-01-03 10:00")
    years = table(ok("summary", "--by", "year", "-f", "csv").stdout)
    assert [(r["period"], r["hours"]) for r in years] == [("1943", "1.00"), ("1944", "2.00")]
    shown = table(ok("log", "-f", "csv").stdout)
    assert "1943-12-31 23:30:00" in [r["occurred_at"] for r in shown]


def test_toronto_a_day_whose_midnight_was_skipped_starts_when_the_clocks_jumped(ok, monkeypatch):
    """23:30 EST on 30 March 1919 became 00:30 EDT on 31 March: 00:45 is on the 31st."""
    monkeypatch.setenv("TZ", "America/Toronto")
    ok("add", "email", "1h", "--at", "1919-03-31 00:45")
    ok("add", "email", "2h", "--at", "1919-03-30 22:00")
    days = table(ok("summary", "--by", "day", "-f", "csv").stdout)
    assert [(r["period"], r["hours"]) for r in days] == [
        ("1919-03-30", "2.00"),
        ("1919-03-31", "1.00"),
    ]
    since = table(ok("log", "--since", "1919-03-31", "-f", "csv").stdout)
    assert [r["occurred_at"] for r in since] == ["1919-03-31 00:45:00"]


def test_day_start_and_boundary_follow_the_clock():
    toronto = ZoneInfo("America/Toronto")
    assert to_storage(day_start(date(1919, 3, 31), toronto)) == "1919-03-31T04:30:00+00:00"
    st_johns = ZoneInfo("America/St_Johns")
    assert [to_storage(m) for m in day_boundary(date(2009, 11, 1), st_johns)] == [
        "2009-11-01T02:30:00+00:00",  # 00:00 NDT: 1 November
        "2009-11-01T02:31:00+00:00",  # 00:01 NDT is 23:01 NST: 31 October again
        "2009-11-01T03:30:00+00:00",  # 00:00 NST: 1 November for good
    ]
    london = ZoneInfo("Europe/London")  # clocks change at 01:00/02:00, never over midnight
    assert day_boundary(date(2010, 10, 31), london) == (day_start(date(2010, 10, 31), london),)


def test_iter_periods_pieces_cover_time_without_gaps_or_overlaps():
    st_johns = ZoneInfo("America/St_Johns")
    pieces = list(
        iter_periods(
            datetime(2009, 10, 30, tzinfo=UTC), datetime(2009, 11, 3, tzinfo=UTC), Period.DAY,
            st_johns,
        )
    )  # fmt: skip
    for (_, _, end), (_, start, _) in pairwise(pieces):
        assert end == start
    labels = [label for label, _, _ in pieces]
    assert labels.count("2009-10-31") == 2
    assert labels.count("2009-11-01") == 2


# The week start in every view (#16.2)


def test_week_start_sunday_labels_the_week_alike_in_summary_trend_and_wide(ok):
    ok("config", "week-start", "sunday")
    ok("add", "email", "1h", "--at", "2010-09-14 10:00")  # a Tuesday
    ok("add", "email", "2h", "--at", "2010-09-12 10:00")  # the Sunday that starts its week
    ok("add", "email", "4h", "--at", "2010-09-11 10:00")  # the Saturday before: week before
    summary = table(ok("summary", "--by", "week", "-f", "csv").stdout)
    assert [(r["period"], r["hours"]) for r in summary] == [
        ("2010-09-05", "4.00"),
        ("2010-09-12", "3.00"),
    ]
    trend = ok("trend", "--by", "week", "-f", "csv").stdout
    assert trend.splitlines()[0] == "channel,2010-09-05,2010-09-12,total,credit"
    wide = ok("summary", "--by", "week", "--wide", "-f", "csv").stdout
    assert wide.splitlines()[0] == "channel,2010-09-05,2010-09-12,total"


def test_budget_weeks_follow_week_start(ok):
    ok("add", "email", "2h", "--at", "2010-09-12 10:00")  # Sunday
    ok("add", "email", "2h", "--at", "2010-09-13 10:00")  # Monday
    ok("budget", "email", "3h/week", "--since", "2010")
    # Weeks from Monday: Sunday's 2h are in the week before; Monday's week holds 2h.
    assert "Over budget" not in ok("summary").stdout
    ok("config", "week-start", "sunday")
    # Weeks from Sunday: both sessions are in the week of 12 September: 4h over 3h.
    assert "Over budget: email" in ok("summary").stdout


def test_a_budget_month_in_pieces_counts_all_of_them(ok, monkeypatch):
    """St John's: October ends, November starts, and October comes back for an hour."""
    monkeypatch.setenv("TZ", "America/St_Johns")
    ok("add", "email", "40m", "--at", "2009-10-31 12:00")
    ok("add", "email", "40m", "--at", "2009-10-31 23:30-03:30")  # after midnight, in October
    ok("budget", "email", "1h/month", "--since", "2009")
    assert "Over budget: email" in ok("summary").stdout


# One grid (#16.2)


def test_summary_by_wide_and_trend_show_the_same_cells_and_totals(ok):
    entries = [
        ("email", "1h15m", "2010-08-31 23:30"),  # 31 Aug BST, 22:30 UTC
        ("email", "45m", "2010-09-01 00:30"),  # 1 Sep BST, 23:30 UTC on 31 Aug
        ("blog", "2h", "2010-09-15 10:00"),
        ("blog", "20m", "2010-10-31 01:30"),  # the first 01:30 of a fall-back night
        ("email", "10m", "2010-11-02 09:00"),
    ]
    for channel, duration, at in entries:
        ok("add", channel, duration, "--at", at)
    by = table(ok("summary", "--by", "month", "-f", "csv").stdout)
    wide = table(ok("summary", "--by", "month", "--wide", "-f", "csv").stdout)
    trend = table(ok("trend", "--by", "month", "-f", "csv").stdout)
    from_by = {(r["channel"], r["period"]): r["hours"] for r in by}
    for grid in (wide, trend):
        cells = {
            (r["channel"], p): v
            for r in grid
            if r["channel"] != "total"
            for p, v in r.items()
            if p not in ("channel", "total", "direction", "credit")
        }
        assert {k: v for k, v in cells.items() if float(v or 0)} == from_by
    assert {r["channel"]: r["total"] for r in wide if r["channel"] != "total"} == {
        r["channel"]: r["total"] for r in trend
    }
    assert from_by == {
        ("email", "2010-08"): "1.25",
        ("email", "2010-09"): "0.75",
        ("blog", "2010-09"): "2.00",
        ("blog", "2010-10"): "0.33",
        ("email", "2010-11"): "0.17",
    }


# Bounded work (#21.12)


def test_trend_beyond_the_period_limit_is_refused_with_a_hint(ok, run, db_path):
    ok("add", "email", "1h", "--at", "2010-09-14 10:00")
    result = run("trend", "--by", "week", "--since", "1900", "--until", "9998")
    assert result.exit_code == 2
    assert f"more than {MAX_PERIODS:,} weeks" in result.stderr
    assert "--by" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    years = ok("trend", "--by", "year", "--since", "1900", "--until", "9998", "-f", "csv")
    assert years.stdout.splitlines()[0].startswith("channel,1900,1901,")


# Local time through zoneinfo (#21.3, #21.4, #21.14)


@pytest.mark.parametrize(
    ("zone", "at", "stored"),
    [
        ("Europe/Moscow", "2012-07-14 10:00 MSK", "2012-07-14T06:00:00+00:00"),  # MSK was +4
        ("America/New_York", "2010-07-14 10:00 EST", "2010-07-14T15:00:00+00:00"),  # EST in July
        ("America/New_York", "2010-07-14 10:00 EDT", "2010-07-14T14:00:00+00:00"),
        ("Europe/London", "14 Sep 2010 10:00 BST", "2010-09-14T09:00:00+00:00"),
    ],
)
def test_an_abbreviation_of_the_local_zone_is_the_offset_it_names(
    ok, monkeypatch, db_path, zone, at, stored
):
    monkeypatch.setenv("TZ", zone)
    ok("add", "x", "1m", "--at", at)
    assert rows(db_path)[0]["occurred_at"] == stored


def test_an_abbreviation_the_local_zone_does_not_use_is_refused(run, db_path):
    result = run("add", "x", "1m", "--at", "2010-07-14 10:00 EST")  # in London
    assert result.exit_code == 2
    assert "EST is not an abbreviation Europe/London uses" in result.stderr
    assert "give an offset" in result.stderr
    assert not db_path.exists() or rows(db_path) == []


def test_a_posix_zone_with_a_daylight_offset_of_a_day_counts_as_utc(tmp_path, db_path):
    """Through the installed command: export never exits 70, log shows the UTC date."""
    env = dict(os.environ, TZ="AAA0BBB-24:30,M6.1.0,M6.2.0", NETLOG_DB=str(db_path))
    netlog = [sys.executable, "-m", "netlog"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*netlog, *args], env=env, capture_output=True, text=True)

    assert run("add", "x", "1h", "--at", "2010-06-10 10:00").returncode == 0
    exported = run("export", "-f", "csv")
    assert exported.returncode == 0, exported.stderr
    assert table(exported.stdout)[0]["occurred_utc"] == "2010-06-10T10:00:00+00:00"
    logged = run("log", "-f", "csv")
    assert table(logged.stdout)[0]["occurred_at"] == "2010-06-10 10:00:00"


def test_a_time_before_1900_in_utc_is_refused_naming_the_time_typed(run, monkeypatch, db_path):
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    result = run("add", "x", "1m", "--at", "1900-01-01 00:00")
    assert result.exit_code == 2
    assert "'1900-01-01 00:00'" in result.stderr
    assert "1899-12-31 18:38 UTC" in result.stderr
    assert not db_path.exists() or rows(db_path) == []


def test_the_second_of_two_repeated_times_reads_back_with_seconds_in_its_offset(
    ok, monkeypatch, db_path
):
    """Amsterdam kept local mean time (+00:19:32) until 1937: 23:30 on 30 Sep 1916 twice."""
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    first = ok("add", "x", "1m", "--at", "1916-09-30 23:30")
    suggestion = first.stderr.split("for the second write '")[1].split("'")[0]
    assert suggestion == "1916-09-30 23:30+00:19:32"
    ok("add", "x", "1m", "--at", suggestion)
    stored = [row["occurred_at"] for row in rows(db_path)]
    assert stored == ["1916-09-30T22:10:28+00:00", "1916-09-30T23:10:28+00:00"]
