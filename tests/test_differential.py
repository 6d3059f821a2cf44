"""Every view tells the same story: a seeded random history, checked against an independent
recomputation from `export -f json`.

The history has entries at clock changes, local midnights and week and month starts in four
zones, logged from those zones, then edited, removed, undone, redone, renamed and merged. For
several windows and each zone, `summary` (-f json, --by, --wide), `funnel`, `trend` and the
report must show what this file works out from the exported entries alone: sums in Python,
money exactly as Decimal, rounding half up, periods cut at local midnight of the viewer's zone.
Nothing here calls netlog's own arithmetic: it only runs the installed `netlog` command.
"""

import json
import math
import os
import random
import re
import subprocess
import sys
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.slow

ZONES = ["Europe/London", "America/St_Johns", "Asia/Kolkata", "Australia/Lord_Howe"]
CHANNELS = ["LinkedIn", "Twitter", "Email", "Blog", "PeoplePerHour", "Facebook", "Bidding"]
RATE = Decimal("30")
Z = 1.959964  # the Wilson interval's z as docs/figures.md documents it
SEED = 20101

HUNDREDTH, TEN_THOUSANDTH = Decimal("0.01"), Decimal("0.0001")


def half_up(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, ROUND_HALF_UP)


def netlog(db: Path, *args: str, zone: str = "Europe/London") -> str:
    env = {**os.environ, "NETLOG_DB": str(db), "TZ": zone, "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "netlog", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, (args, zone, done.stderr)
    return done.stdout


# --- the history ---------------------------------------------------------------------------


def clock_changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants at which the zone's offset changes, to the hour."""
    changes, moment = [], start
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        moment += timedelta(hours=1)
        offset = moment.astimezone(zone).utcoffset()
        if offset != before:
            changes.append(moment)
            before = offset
    return changes


def tricky_instants(rng: random.Random) -> list[tuple[datetime, str]]:
    """Instants near clock changes, local midnights and week/month starts, with the zone each
    is logged from."""
    start, end = datetime(2010, 3, 1, tzinfo=UTC), datetime(2011, 6, 1, tzinfo=UTC)
    found: list[tuple[datetime, str]] = []
    for name in ZONES:
        zone = ZoneInfo(name)
        for change in clock_changes(zone, start, end):
            for _ in range(6):
                found.append((change + timedelta(minutes=rng.randint(-150, 150)), name))
        day = date(2010, 3, 1)
        while day < date(2011, 6, 1):
            if day.day == 1 or day.weekday() in (0, 6) or rng.random() < 0.05:
                midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
                found.append((midnight + timedelta(minutes=rng.randint(-30, 30)), name))
            day += timedelta(days=1)
    return found


def random_entry(rng: random.Random, when: datetime, zone: str) -> dict[str, object]:
    local = when.astimezone(ZoneInfo(zone))
    entry: dict[str, object] = {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "channel": rng.choice(CHANNELS),
        "occurred_at": local.isoformat(timespec="seconds"),
        "logged_at": (local + timedelta(minutes=rng.randint(0, 90))).isoformat(timespec="seconds"),
        "tags": [],
    }
    roll = rng.random()
    if roll < 0.6:
        entry |= {
            "type": "activity",
            "what": rng.choice(["messages", "posts", "bids", "emails"]),
            "minutes": rng.choice([1, 5, 15, 20, 45, 60, 75, 90, 125, 240, 1439]),
            "count": rng.randint(0, 12),
        }
    elif roll < 0.75:
        entry |= {"type": "outcome", "kind": "reach", "count": rng.randint(1, 40)}
    elif roll < 0.87:
        entry |= {"type": "outcome", "kind": "lead", "count": rng.randint(1, 2)}
    elif roll < 0.94:
        pence = rng.choice([1, 5, 50, 99, 12_345, 120_000, 305_050, 1_000_001])
        entry |= {"type": "outcome", "kind": "win", "count": 1, "value": pence / 100}
        entry["currency"] = "GBP"
    else:
        entry |= {"type": "spend", "what": "fees", "count": 1, "value": rng.randint(1, 9999) / 100}
        entry["currency"] = "GBP"
    return entry


def random_history(rng: random.Random, size: int) -> list[dict[str, object]]:
    tricky = tricky_instants(rng)
    start = datetime(2010, 3, 1, tzinfo=UTC)
    entries = []
    for _ in range(size):
        if rng.random() < 0.5:
            when, zone = rng.choice(tricky)
        else:
            when = start + timedelta(minutes=rng.randint(0, 450 * 24 * 60))
            zone = rng.choice(ZONES)
        entries.append(random_entry(rng, when, zone))
    return entries


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """A file of about 1,300 entries after edits, removals, undo/redo, renames and a merge,
    with its export."""
    rng = random.Random(SEED)
    folder = tmp_path_factory.mktemp("differential")
    db, other = folder / "main.db", folder / "other.db"
    for path, size in ((db, 1100), (other, 250)):
        source = path.with_suffix(".json")
        source.write_text(json.dumps(random_history(rng, size)), encoding="utf-8")
        netlog(path, "config", "currency", "GBP")
        netlog(path, "config", "rate", "30")
        netlog(path, "import", str(source))

    ids = [e["id"] for e in json.loads(netlog(db, "export", "-f", "json"))]
    activities = [
        e["id"] for e in json.loads(netlog(db, "export", "-f", "json")) if e["type"] == "activity"
    ]
    for entry_id in rng.sample(activities, 12):
        change = rng.choice(
            [
                ["--duration", rng.choice(["75m", "2h", "1m", "3h30m"])],
                ["--at", "2010-10-31 01:30"],
                ["--at", "2011-03-27 00:59"],
                ["--channel", rng.choice(CHANNELS), "--yes"],
                ["--count", str(rng.randint(0, 9))],
            ]
        )
        netlog(db, "edit", str(entry_id), *change)
    for entry_id in rng.sample(ids, 10):
        netlog(db, "rm", str(entry_id), "--yes")
    for _ in range(4):
        netlog(db, "undo", "--yes")
    for _ in range(2):
        netlog(db, "redo")
    netlog(db, "channels", "rename", "Facebook", "Facebook page")
    netlog(db, "channels", "merge", "Bidding", "PeoplePerHour")
    netlog(db, "merge", str(other))
    exported = json.loads(netlog(db, "export", "-f", "json"), parse_float=Decimal)
    assert len(exported) >= 1000
    return db, exported


# --- the independent recomputation ---------------------------------------------------------


def local_day(entry: dict, zone: str) -> date:
    return datetime.fromisoformat(entry["occurred_utc"]).astimezone(ZoneInfo(zone)).date()


def week_label(day: date, week_start: int) -> str:
    return (day - timedelta(days=(day.weekday() - week_start) % 7)).isoformat()


def period_of(day: date, by: str, week_start: int = 0) -> str:
    return {"month": day.strftime("%Y-%m"), "week": week_label(day, week_start)}[by]


class Sums:
    """One channel's sums over some entries, worked out from the export alone."""

    def __init__(self) -> None:
        self.minutes = self.sessions = self.items = self.reach = self.leads = self.wins = 0
        self.revenue = self.spend = Decimal(0)

    def add(self, entry: dict) -> None:
        kind = entry["kind"] if entry["type"] == "outcome" else entry["type"]
        count = entry["count"] or 0
        if kind == "activity":
            self.minutes += entry["minutes"]
            self.sessions += 1
            self.items += count
        elif kind == "reach":
            self.reach += count
        elif kind == "lead":
            self.leads += count
        elif kind == "win":
            self.wins += count
            self.revenue += Decimal(entry["value"] or 0)
        elif kind == "spend":
            self.spend += Decimal(entry["value"])

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60

    def expected(self) -> dict[str, Decimal | int | None]:
        cost = RATE * self.minutes / 60
        total_cost = cost + self.spend
        net = self.revenue - total_cost
        return {
            "hours": half_up(self.hours, HUNDREDTH),
            "sessions": self.sessions,
            "activities": self.items,
            "reach": self.reach,
            "leads": self.leads,
            "wins": self.wins,
            "revenue": self.revenue,
            "spend": self.spend,
            "cost": half_up(cost, HUNDREDTH),
            "total_cost": half_up(total_cost, HUNDREDTH),
            "net": half_up(net, HUNDREDTH),
            "roi": half_up(net / total_cost, TEN_THOUSANDTH) if total_cost else None,
        }


def sums(entries: list[dict], zone: str, since: date, until: date, by: str | None = None):
    table: dict[tuple[str, str], Sums] = defaultdict(Sums)
    for entry in entries:
        day = local_day(entry, zone)
        if since <= day <= until:
            key = (period_of(day, by) if by else "", entry["channel"])
            table[key].add(entry)
    return table


def windows(rng: random.Random) -> list[tuple[date, date]]:
    chosen = [(date(2010, 1, 1), date(2011, 12, 31)), (date(2010, 10, 31), date(2010, 11, 30))]
    for _ in range(3):
        first = date(2010, 3, 1) + timedelta(days=rng.randint(0, 400))
        chosen.append((first, first + timedelta(days=rng.randint(0, 120))))
    return chosen


CASES = [(zone, window) for zone in ZONES for window in windows(random.Random(SEED + 1))]


def window_args(window: tuple[date, date]) -> list[str]:
    return ["--since", window[0].isoformat(), "--until", window[1].isoformat()]


def assert_figures(shown: dict, expected: dict, where: object) -> None:
    for key, value in expected.items():
        got = shown[key]
        if value is None:
            assert got is None, (where, key, got)
        else:
            assert Decimal(str(got)) == value, (where, key, got, value)


# --- the views -----------------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "window"), CASES)
def test_summary_json_matches_the_export(history, zone, window):
    db, exported = history
    shown = json.loads(
        netlog(db, "summary", "-f", "json", *window_args(window), zone=zone), parse_float=Decimal
    )
    expected = sums(exported, zone, *window)
    assert {row["channel"] for row in shown} == {channel for _, channel in expected}
    for row in shown:
        assert_figures(row, expected["", row["channel"]].expected(), (zone, window))


@pytest.mark.parametrize(("zone", "window"), CASES)
def test_summary_csv_says_what_json_says(history, zone, window):
    db, _ = history
    as_json = json.loads(
        netlog(db, "summary", "-f", "json", *window_args(window), zone=zone), parse_float=Decimal
    )
    lines = netlog(db, "summary", "-f", "csv", *window_args(window), zone=zone).splitlines()
    header = lines[0].split(",")
    for line, row in zip(lines[1:], as_json, strict=True):
        cells = dict(zip(header, line.split(","), strict=True))
        for key, value in row.items():
            if key in ("channel", "verdict", "credit"):  # text, not figures
                assert cells[key].strip() == value
            elif value is None:
                assert cells[key] == ""
            else:
                assert Decimal(cells[key]) == Decimal(str(value)), (key, cells[key], value)


@pytest.mark.parametrize("by", ["month", "week"])
@pytest.mark.parametrize(("zone", "window"), CASES[::3])
def test_summary_by_period_matches_the_export(history, zone, window, by):
    db, exported = history
    shown = json.loads(
        netlog(db, "summary", "-f", "json", "--by", by, *window_args(window), zone=zone),
        parse_float=Decimal,
    )
    expected = sums(exported, zone, *window, by=by)
    assert {(row["period"], row["channel"]) for row in shown} == set(expected)
    for row in shown:
        key = (row["period"], row["channel"])
        assert_figures(row, expected[key].expected(), (zone, window, key))


@pytest.mark.parametrize("metric", ["hours", "revenue", "leads"])
@pytest.mark.parametrize(("zone", "window"), CASES[1::3])
def test_wide_and_trend_match_the_export(history, zone, window, metric):
    db, exported = history
    expected = sums(exported, zone, *window, by="month")
    figure = {
        "hours": lambda s: half_up(s.hours, HUNDREDTH),
        "revenue": lambda s: s.revenue,
        "leads": lambda s: s.leads,
    }[metric]
    wide = json.loads(
        netlog(db, "summary", "--by", "month", "--wide", "--metric", metric, "-f", "json",
               *window_args(window), zone=zone),
        parse_float=Decimal,
    )  # fmt: skip
    trend = json.loads(
        netlog(db, "trend", "--by", "month", "--metric", metric, "-f", "json",
               *window_args(window), zone=zone),
        parse_float=Decimal,
    )  # fmt: skip
    trend_rows = {row["channel"]: row for row in trend}
    for row in wide:
        channel = row["channel"]
        total = Sums()
        for (period, name), cell in expected.items():
            if channel.casefold() == "total":
                continue
            if name == channel:
                assert Decimal(str(row[period])) == figure(cell), (zone, channel, period)
                assert Decimal(str(trend_rows[channel]["periods"][period])) == figure(cell)
                for field in vars(cell):
                    setattr(total, field, getattr(total, field) + getattr(cell, field))
        if channel.casefold() == "total":
            everything = Sums()
            for cell in expected.values():
                for field in vars(cell):
                    setattr(everything, field, getattr(everything, field) + getattr(cell, field))
            assert Decimal(str(row["total"])) == figure(everything), zone
            continue
        assert Decimal(str(row["total"])) == figure(total), (zone, channel)
        assert Decimal(str(trend_rows[channel]["total"])) == figure(total), (zone, channel)


def wilson(successes: int, trials: int) -> tuple[Decimal, Decimal]:
    if not trials:
        return Decimal(0), Decimal(0)
    p = successes / trials
    centre = p + Z * Z / (2 * trials)
    spread = Z * math.sqrt(p * (1 - p) / trials + Z * Z / (4 * trials * trials))
    scale = 1 + Z * Z / trials
    return (
        half_up(Decimal(max(0.0, (centre - spread) / scale)), TEN_THOUSANDTH),
        half_up(Decimal(min(1.0, (centre + spread) / scale)), TEN_THOUSANDTH),
    )


@pytest.mark.parametrize(("zone", "window"), CASES[::2])
def test_funnel_matches_the_export(history, zone, window):
    db, exported = history
    shown = json.loads(
        netlog(db, "funnel", "-f", "json", *window_args(window), zone=zone), parse_float=Decimal
    )
    expected = sums(exported, zone, *window)
    for row in shown:
        channel = expected["", row["channel"]]
        assert row["items"] == channel.items
        assert row["leads"] == channel.leads
        assert row["wins"] == channel.wins
        assert Decimal(str(row["hours"])) == half_up(channel.hours, HUNDREDTH)
        if channel.leads:
            assert Decimal(str(row["hours_per_lead"])) == half_up(
                channel.hours / channel.leads, HUNDREDTH
            )
        if channel.items and channel.wins <= channel.items:
            assert Decimal(str(row["win_rate"])) == half_up(
                Decimal(channel.wins) / channel.items, TEN_THOUSANDTH
            )
            low, high = wilson(channel.wins, channel.items)
            assert (Decimal(str(row["win_rate_low"])), Decimal(str(row["win_rate_high"]))) == (
                low,
                high,
            ), (zone, row["channel"])


def number(cell: str) -> Decimal:
    """A figure as a page shows it (`£2,050.50`, `-£25.00`, `**78.92**`) read back."""
    text = re.sub(r"[^0-9.\-]", "", cell)
    return Decimal(text)


@pytest.mark.parametrize(("zone", "window"), CASES[2::4])
def test_report_page_matches_the_export(history, zone, window):
    db, exported = history
    page = netlog(db, "report", "-f", "md", *window_args(window), zone=zone)
    section = page.split("## Return per channel", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    expected = sums(exported, zone, *window)
    seen = set()
    for line in table[2:]:
        cells = dict(zip(header, (c.strip() for c in line.strip("|").split("|")), strict=True))
        channel = cells["Channel"].strip("*")
        if channel.casefold() == "total":
            continue
        seen.add(channel)
        figures = expected["", channel]
        assert number(cells["Hours"]) == half_up(figures.hours, HUNDREDTH), (zone, channel)
        assert int(number(cells["Leads"])) == figures.leads
        assert int(number(cells["Wins"])) == figures.wins
        assert number(cells["Revenue"]) == figures.revenue, (zone, channel)
    assert seen == {channel for _, channel in expected}


@pytest.mark.parametrize("zone", ZONES)
def test_weeks_from_sunday_read_the_same_in_every_view(history, zone, tmp_path):
    """`config week-start sunday`: summary --by week, --wide and trend cut the same weeks,
    each starting on the Sunday of the viewer's zone."""
    db, exported = history
    copy = tmp_path / "sunday.db"
    copy.write_bytes(db.read_bytes())
    netlog(copy, "config", "week-start", "sunday")
    window = (date(2010, 10, 1), date(2010, 11, 30))
    expected: dict[tuple[str, str], Sums] = defaultdict(Sums)
    for entry in exported:
        day = local_day(entry, zone)
        if window[0] <= day <= window[1]:
            expected[period_of(day, "week", week_start=6), entry["channel"]].add(entry)
    by_week = json.loads(
        netlog(copy, "summary", "-f", "json", "--by", "week", *window_args(window), zone=zone),
        parse_float=Decimal,
    )
    assert {(row["period"], row["channel"]) for row in by_week} == set(expected)
    for row in by_week:
        assert date.fromisoformat(row["period"]).weekday() == 6
        assert_figures(row, expected[row["period"], row["channel"]].expected(), (zone, row))
    trend = json.loads(
        netlog(copy, "trend", "--by", "week", "-f", "json", *window_args(window), zone=zone),
        parse_float=Decimal,
    )
    for row in trend:
        for period, hours in row["periods"].items():
            cell = expected.get((period, row["channel"]))
            assert Decimal(str(hours)) == (half_up(cell.hours, HUNDREDTH) if cell else 0)
