"""Trends that are trends (issue 17, item 5): a direction only from four or more full periods
with a significant Mann–Kendall test; periods not over, cut by --since/--until, or begun
before the first entry are marked `2010-11*` in tables, listed in JSON's "partial", and left
out of the direction. CSV headers and JSON keys stay plain."""

import csv
import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch):
    def pin(local: str) -> None:
        moment = datetime.fromisoformat(local).replace(tzinfo=LONDON).astimezone(UTC)
        monkeypatch.setattr("netlog.commands.insight.now_and_zone", lambda: (moment, LONDON))

    return pin


@pytest.fixture
def rising(ok):
    """1, 2, 3, 4 h in four whole months from 1 September, and a little in January."""
    ok("add", "LinkedIn", "1h", "--at", "2010-09-01 00:00")
    for month, hours in (("10", "2h"), ("11", "3h"), ("12", "4h")):
        ok("add", "linkedin", hours, "--at", f"2010-{month}-06 10:00")
    ok("add", "linkedin", "10m", "--at", "2011-01-04 10:00")


def test_the_month_holding_today_is_partial_and_left_out(ok, rising, today_is):
    today_is("2011-01-05 12:00")
    data = json.loads(ok("trend", "-f", "json").stdout)
    assert data[0]["partial"] == ["2011-01"]
    assert data[0]["direction"] == "rising"  # 1, 2, 3, 4: January's 10 minutes left out
    assert list(data[0]["periods"]) == ["2010-09", "2010-10", "2010-11", "2010-12", "2011-01"]
    table = ok("trend").stdout
    assert "2011-01*" in table
    assert "2010-12*" not in table
    header = next(csv.reader(io.StringIO(ok("trend", "-f", "csv").stdout)))
    assert header == [
        "channel",
        "2010-09",
        "2010-10",
        "2010-11",
        "2010-12",
        "2011-01",
        "total",
        "credit",
    ]


def test_a_month_over_is_whole(ok, rising, today_is):
    today_is("2011-02-01 00:00")
    assert json.loads(ok("trend", "-f", "json").stdout)[0]["partial"] == []


def test_an_until_cut_inside_a_month_makes_it_partial(ok, rising, today_is):
    today_is("2011-03-01 12:00")
    data = json.loads(ok("trend", "-f", "json", "--until", "2010-11-15").stdout)
    assert data[0]["partial"] == ["2010-11"]
    assert data[0]["direction"] == "flat"  # two full months: too few for a direction


def test_a_month_begun_before_the_first_entry_is_partial(ok, today_is):
    today_is("2011-03-01 12:00")
    for month, hours in (("09", "1h"), ("10", "2h"), ("11", "3h"), ("12", "4h")):
        ok("add", "linkedin", hours, "--at", f"2010-{month}-06 10:00")
    data = json.loads(ok("trend", "-f", "json").stdout)
    assert data[0]["partial"] == ["2010-09"]
    assert data[0]["direction"] == "flat"  # 2, 3, 4: three full months are too few
    assert "2010-09*" in ok("trend").stdout


def test_noise_is_flat_and_a_single_win_no_rise(ok, today_is):
    today_is("2011-03-01 12:00")
    ok("add", "Blog", "1h30m", "--at", "2010-09-01 00:00")
    for month, duration in (("10", "2h"), ("11", "1h"), ("12", "1h30m")):
        ok("add", "blog", duration, "--at", f"2010-{month}-06 10:00")
    ok("add", "blog", "1h", "--at", "2011-01-06 10:00")
    ok("outcome", "blog", "win", "--value", "£450", "--at", "2010-12-07 10:00")
    hours = json.loads(ok("trend", "-f", "json").stdout)[0]
    wins = json.loads(ok("trend", "-f", "json", "--metric", "wins").stdout)[0]
    assert hours["direction"] == "flat"
    assert wins["direction"] == "flat"
