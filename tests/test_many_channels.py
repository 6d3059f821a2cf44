"""10,000 channels: tables show the top channels with one line saying how many were left out;
CSV has them all; the two ways of summing by period agree."""

import csv
import io
import json
import re
import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from netlog.present.figures import MAX_TABLE_CHANNELS, hours_text

pytestmark = pytest.mark.slow

CHANNELS = 10_000


def _minutes(index: int) -> int:
    return index % 1000 + 1


@pytest.fixture
def many_channels(ok, db_path: Path) -> int:
    """A file of 10,000 channels with one session each (made in SQL: importing takes longer),
    in September and October 2010. Returns the minutes logged in all."""
    ok("add", "seed", "5m", "--at", "2010-09-14 10:00")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO channels (key, name, created_at) VALUES (?, ?, ?)",
            [
                (f"channel {i:05d}", f"Channel {i:05d}", "2010-09-01T00:00:00+00:00")
                for i in range(CHANNELS)
            ],
        )
        ids = dict(conn.execute("SELECT key, id FROM channels"))
        conn.executemany(
            "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, minutes, count)"
            " VALUES (?, ?, 'activity', ?, ?, ?, 1)",
            [
                (
                    str(uuid.uuid4()),
                    ids[f"channel {i:05d}"],
                    f"2010-{9 + i % 2:02d}-{1 + i % 28:02d}T12:00:00+00:00",
                    "2010-11-01T00:00:00+00:00",
                    _minutes(i),
                )
                for i in range(CHANNELS)
            ],
        )
    conn.close()
    return 5 + sum(_minutes(i) for i in range(CHANNELS))


def _shown_channels(stdout: str) -> list[str]:
    """The table's channel rows (a sentence under it has `Channel 00001:` or `Channel 00001 (`)."""
    return [line for line in stdout.splitlines() if re.search(r"Channel \d{5}  ", line)]


def _note(total: int, order: str) -> str:
    return f"Showing the top {MAX_TABLE_CHANNELS} of {total:,} channels by {order}"


def test_summary_table_shows_the_top_channels_and_totals_them_all(ok, many_channels):
    result = ok("summary")
    shown = _shown_channels(result.stdout)
    assert len(shown) == MAX_TABLE_CHANNELS
    assert any("Channel 00999" in line for line in shown)  # 1000 minutes: among the most
    assert "Channel 01000" not in result.stdout  # 1 minute
    total_line = [line for line in result.stdout.splitlines() if "Total" in line][-1]
    assert hours_text(Decimal(many_channels) / 60) in total_line
    note = [line for line in result.stderr.splitlines() if "Showing the top" in line]
    assert note == [
        _note(CHANNELS + 1, "hours") + " (the Total row counts them all); "
        "see them all with -f csv, or pick some with --channel."
    ]


def test_csv_has_every_channel(ok, many_channels):
    result = ok("summary", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == CHANNELS + 1
    assert "Showing the top" not in result.stderr


def test_summary_by_month_shows_the_top_channels_in_every_month(ok, many_channels):
    result = ok("summary", "--by", "month")
    shown = _shown_channels(result.stdout)
    assert len({line.split("Channel ")[1][:5] for line in shown}) == MAX_TABLE_CHANNELS
    assert _note(CHANNELS + 1, "hours") in result.stderr


def test_channel_picks_one_that_was_left_out(ok, many_channels):
    result = ok("summary", "--channel", "Channel 01000")
    assert _shown_channels(result.stdout)
    assert "Showing the top" not in result.stderr


def test_funnel_table_shows_the_top_channels(ok, many_channels):
    result = ok("funnel")
    assert len(_shown_channels(result.stdout)) == MAX_TABLE_CHANNELS
    assert _note(CHANNELS + 1, "hours") + "; see them all" in result.stderr  # no Total row


@pytest.mark.parametrize(
    ("args", "order"),
    [(("trend",), "hours in all"), (("summary", "--by", "month", "--wide"), "hours in all")],
)
def test_grids_show_the_top_channels(ok, many_channels, args, order):
    result = ok(*args)
    assert len(_shown_channels(result.stdout)) == MAX_TABLE_CHANNELS
    assert _note(CHANNELS + 1, order) in result.stderr
    assert "Channel 01000" not in result.stdout


def test_few_channels_say_nothing_of_rows_left_out(ok):
    for name in ("email", "linkedin", "meetup"):
        ok("add", name, "30m", "--at", "2010-09-14 10:00")
    for args in (("summary",), ("funnel",), ("trend",), ("summary", "--by", "month", "--wide")):
        assert "Showing the top" not in ok(*args).stderr


def test_both_ways_of_summing_by_period_agree(ok, monkeypatch):
    """Few cells: a covering-index range per (period, channel); many: one pass and a sort.
    The same sums, with filters and with periods in pieces: in St John's the clocks went
    back over midnight into 2009-10-31, so October comes in two pieces."""
    from netlog.store import db

    monkeypatch.setenv("TZ", "America/St_Johns")
    for at, args in [
        ("2009-10-31 12:00", ("email", "2h")),
        ("2009-10-31 23:30-03:30", ("email", "1h", "--tag", "x")),
        ("2009-11-01 00:30", ("linkedin", "45m")),
        ("2009-11-08 10:00", ("linkedin", "15m", "--tag", "x")),
    ]:
        ok("add", *args, "--at", at)
    ok("outcome", "email", "win", "--value", "300", "--at", "2009-11-02")
    ok("outcome", "linkedin", "lead", "--at", "2009-11-02")
    for args in (
        ("summary", "--by", "month", "-f", "csv"),
        ("summary", "--by", "day", "-f", "csv", "--tag", "x"),
        ("trend", "--by", "week", "-f", "csv", "--channel", "email"),
    ):
        few = ok(*args).stdout
        if args[2] == "month":  # both pieces of October: 2 h and 1 h
            assert few.splitlines()[1].startswith("2009-10,email,3.00,2,"), few
        with monkeypatch.context() as patched:
            patched.setattr(db, "MAX_CELL_RANGES", 0)
            many = ok(*args).stdout
        assert few == many, args
        assert few.count("\n") > 1, args


def test_the_verdict_names_the_first_winners_and_counts_the_rest(ok):
    from netlog.reports.summary import NAMED_WINNERS

    for index in range(NAMED_WINNERS + 2):
        ok("add", f"channel {index:02d}", "1h", "--at", "2010-09-14 10:00")
        ok(
            "outcome",
            f"channel {index:02d}",
            "win",
            "--value",
            str(100 + index),
            "--at",
            "2010-09-15",
        )
    shown = " ".join(ok("summary").stdout.split())  # the sentence as one line
    verdict = shown[shown.index(f"{NAMED_WINNERS + 2} wins") :]
    assert verdict.startswith("12 wins (1,266.00) came from channel 11 (1, 111.00), ")
    assert "channel 02 (1, 102.00) and 2 more channels: " in verdict
    assert "channel 01 (" not in verdict


@pytest.mark.parametrize("args", [("trend",), ("summary", "--by", "month", "--wide")])
def test_grid_tables_total_every_channel_as_the_csv_does(ok, many_channels, args):
    """The table lays out only the channels it shows, but its Total row is the CSV's."""
    september = 5 + sum(_minutes(i) for i in range(0, CHANNELS, 2))  # the seed and even ones
    october = sum(_minutes(i) for i in range(1, CHANNELS, 2))
    assert september + october == many_channels
    csv_rows = list(
        csv.DictReader(io.StringIO(ok("summary", "--by", "month", "--wide", "-f", "csv").stdout))
    )
    assert len(csv_rows) == CHANNELS + 2  # every channel, then the total row
    csv_total = csv_rows[-1]
    assert csv_total["channel"] == "total"
    for column, minutes in (("2010-09", september), ("2010-10", october)):
        assert Decimal(csv_total[column]) == round(Decimal(minutes) / 60, 2)

    table = ok(*args).stdout
    assert len(_shown_channels(table)) == MAX_TABLE_CHANNELS
    total_line = [line for line in table.splitlines() if line.strip().startswith("Total ")][-1]
    assert total_line.split()[1:4] == [
        hours_text(Decimal(minutes) / 60) for minutes in (september, october, many_channels)
    ]


@pytest.mark.parametrize("seed", range(40))
def test_judging_by_the_first_two_fronts_gives_every_verdict_of_judging_each_by_its_own(seed):
    """judge() finds the front of the others (the channels that can give a channel its
    largest p_behind) among the first two fronts, not among all channels: every verdict,
    p_behind, hours_to_decide and channel compared with is the one the front of the others
    gives, and all but the channel compared with (ties at p = 1) the one judging against
    every channel gives. With `only`, the same verdicts for those channels alone."""
    from random import Random

    from netlog.reports.verdicts import ChannelEvidence, _front, _judge_one, judge

    rng = Random(seed)
    channels = [
        ChannelEvidence(
            f"c{i}",
            minutes=rng.choice([0, 30, 60, 90, 120, 240, 600, rng.randint(1, 3000)]),
            leads=rng.choice([0, 0, 1, 2, 3, rng.randint(0, 40)]),
            wins=rng.choice([0, 0, 1]),
            revenue_minor=rng.choice([0, 0, 50_000]),
            rate_minor=3000,
        )
        for i in range(rng.randint(2, 60))
    ]
    anything = any(c.leads or c.wins for c in channels)

    def by_front_of_the_others(channel: ChannelEvidence):
        others = [c for c in channels if c is not channel and c.minutes > 0]
        front = _front(others)
        rivals = [c for c in others if id(c) in front]
        return _judge_one(channel, rivals, 20_000.0, 3.0, anything)

    expected = [by_front_of_the_others(c) for c in channels]
    verdicts = judge(channels, median_win_minor=20_000.0)
    assert verdicts == expected
    against_all = [_judge_one(c, channels, 20_000.0, 3.0, anything) for c in channels]
    assert [v._replace(best=None) for v in verdicts] == [v._replace(best=None) for v in against_all]
    picked = {c.channel for c in channels if rng.random() < 0.3}
    assert judge(channels, median_win_minor=20_000.0, only=picked) == [
        v for v in expected if v.channel in picked
    ]


def test_a_table_judges_the_channels_it_shows_against_those_it_leaves_out(ok, db_path):
    """Only the channels shown are judged, but each against every channel: the one bringing
    the most leads per hour has the fewest hours and is left out of the table, and the
    channels shown are still behind it, as the CSV says."""
    ok("add", "quick", "1h", "--at", "2010-09-14 10:00")
    ok("outcome", "quick", "lead", "5", "--at", "2010-09-14 11:00")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO channels (key, name, created_at) VALUES (?, ?, ?)",
            [(f"slow {i:02d}", f"Slow {i:02d}", "2010-09-01T00:00:00+00:00") for i in range(60)],
        )
        conn.execute(
            "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, minutes, count)"
            " SELECT 'u-' || id, id, 'activity', '2010-09-13T10:00:00+00:00',"
            " '2010-09-13T20:00:00+00:00', 600 + id, 1 FROM channels WHERE key LIKE 'slow %'"
        )
    conn.close()
    table = ok("summary")
    sentences = " ".join(table.stdout.split())
    assert "quick  " not in table.stdout  # 1 h: not among the 50 shown
    behind = re.findall(r"(Slow \d\d): 0 leads in [\d.]+ h; quick: 1 lead per 12 min", sentences)
    assert len(behind) == MAX_TABLE_CHANNELS
    assert set(behind) == {line.split()[0] + " " + line.split()[1] for line in _slow(table)}
    rows = {
        row["channel"]: row
        for row in csv.DictReader(io.StringIO(ok("summary", "-f", "csv").stdout))
    }
    for name in behind:
        assert rows[name]["verdict"] == "behind"
    assert rows["Slow 00"]["verdict"] == "behind"  # left out of the table, behind all the same
    assert rows["quick"]["verdict"] == "too_early"


def _slow(table) -> list[str]:
    return [line.strip() for line in table.stdout.splitlines() if re.match(r"\s*Slow \d\d  ", line)]


REPORT_NOTE = (
    "Showing the top 50 of 10,001 channels by hours (the Total row counts them all); "
    "see them all with netlog summary -f csv, or pick some with --channel."
)


def _sections(page: str) -> dict[str, str]:
    """The HTML report's sections by class: summary, chart, funnel, trend."""
    return {part.split('"', 1)[0]: part for part in page.split('<section class="')[1:]}


def test_report_shows_the_channels_a_table_shows_and_says_so(ok, many_channels):
    """The page holds what a summary table holds, whatever the number of channels: the top 50
    channels in every section (the same 50), the totals over all of them, and one note."""
    table = ok("summary").stdout
    top = {re.search(r"Channel \d{5}", line).group() for line in _shown_channels(table)}
    assert len(top) == MAX_TABLE_CHANNELS
    page = ok("report").stdout
    assert page.count(REPORT_NOTE) == 1
    sections = _sections(page)
    assert REPORT_NOTE not in "".join(sections.values())  # under the header, once
    for name in ("summary", "funnel"):
        assert set(re.findall(r'<th scope="row">(Channel \d{5})</th>', sections[name])) == top
    assert len(re.findall(r'<th scope="row">Channel \d{5}</th>', sections["trend"])) == 2 * 50
    assert set(re.findall(r"Channel \d{5}", sections["chart"])) == top
    assert set(re.findall(r"Channel \d{5}", sections["verdict"])) <= top
    total = re.search(
        r"<tfoot>\s*<tr>\s*<th[^>]*>Total</th>\s*<td>([\d,.]+)</td>", sections["summary"]
    )
    assert total is not None
    assert total.group(1) == f"{Decimal(many_channels) / 60:,.2f}"  # exact, as the page shows


def test_markdown_report_shows_the_top_channels_and_says_so(ok, many_channels):
    page = ok("report", "-f", "md").stdout
    assert page.count(REPORT_NOTE) == 1
    summary = page.split("## Return per channel")[1].split("\n## ")[0]
    assert len(re.findall(r"^\| Channel \d{5} \|", summary, re.MULTILINE)) == MAX_TABLE_CHANNELS
    assert re.search(r"^\| \*\*Total\*\* \|", summary, re.MULTILINE)


def test_a_report_of_few_channels_says_nothing_of_channels_left_out(ok):
    for name in ("email", "linkedin", "meetup"):
        ok("add", name, "30m", "--at", "2010-09-14 10:00")
    for fmt in ("html", "md"):
        assert "Showing the top" not in ok("report", "-f", fmt).stdout


def test_review_table_shows_the_top_channels_and_json_has_them_all(ok, db_path):
    ok("add", "seed", "5m", "--at", "2010-09-14 10:00")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO channels (key, name, created_at) VALUES (?, ?, ?)",
            [(f"slow {i:02d}", f"Slow {i:02d}", "2010-09-01T00:00:00+00:00") for i in range(60)],
        )
        conn.execute(
            "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, minutes, count)"
            " SELECT 'u-' || id, id, 'activity', '2010-09-14T10:00:00+00:00',"
            " '2010-09-14T20:00:00+00:00', 10 + id, 1 FROM channels WHERE key LIKE 'slow %'"
        )
    conn.close()
    for fmt in ("table", "md"):
        result = ok("review", "--at", "2010-09-14", "-f", fmt)
        shown = set(re.findall(r"Slow \d\d", result.stdout))
        assert shown == {f"Slow {i:02d}" for i in range(10, 60)}  # the most hours
        assert result.stderr.strip().endswith(
            "Showing the top 50 of 61 channels by hours; see them all with -f json."
        )
    data = json.loads(ok("review", "--at", "2010-09-14", "-f", "json").stdout)
    assert len(data["channels"]) == 61
    assert all(channel["verdict"] == "too_early" for channel in data["channels"])
