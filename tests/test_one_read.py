"""`summary --by` and the report read the entries once: the sums per period, added up, give
the sums per channel, and the verdicts come from them and the links. The verdicts must be
those `summary` judges from the entries themselves."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netlog.cli import app


@pytest.fixture(scope="module")
def history_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The history, logged once for the module (each test reads a copy of it)."""
    path = tmp_path_factory.mktemp("history") / "netlog.db"
    home = path.parent / "home"
    env = {"TZ": "Europe/London", "HOME": str(home), "XDG_DATA_HOME": str(home / "xdg")}
    runner = CliRunner()

    def ok(*args: str) -> None:
        result = runner.invoke(app, ["--db", str(path), *args], env=env, prog_name="netlog")
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)

    ok("config", "warn-hours", "1")
    for day in range(1, 29, 3):
        for month in ("09", "10", "11"):
            ok("add", "email", "2h", "mail", "--at", f"2010-{month}-{day:02d} 09:00")
            ok("add", "LinkedIn", "3h", "posts", "--at", f"2010-{month}-{day:02d} 14:00")
    # Leads and wins: one win linked to a lead logged before --since 2010-10 (so it counts
    # as a lead of its own there), one to a lead within it, and one linked to nothing.
    ok("outcome", "email", "lead", "--at", "2010-09-20 10:00")  # id 61
    ok("outcome", "email", "lead", "--at", "2010-10-05 10:00")  # id 62
    ok("outcome", "email", "lead", "--at", "2010-10-06 10:00")
    ok("outcome", "LinkedIn", "lead", "--at", "2010-10-07 10:00")
    ok("outcome", "email", "win", "--value", "£900", "--from", "61", "--at", "2010-10-10 10:00")
    ok("outcome", "email", "win", "--value", "£300", "--from", "62", "--at", "2010-10-12 10:00")
    ok("outcome", "LinkedIn", "win", "--at", "2010-11-02 10:00")
    return path


@pytest.fixture
def history(history_file: Path, db_path: Path) -> None:
    shutil.copyfile(history_file, db_path)


def verdicts(ok, *args: str) -> dict[str, tuple]:
    found = {}
    for row in json.loads(ok("summary", "-f", "json", *args).stdout):
        values = (row["verdict"], row["p_behind"], row["hours_to_decide"])
        assert found.setdefault(row["channel"], values) == values  # the same in every period
    return found


@pytest.mark.parametrize(
    "since", [(), ("--since", "2010-10"), ("--since", "2010-10", "--until", "2010-10")]
)
@pytest.mark.parametrize("by", ["month", "week"])
def test_the_verdicts_by_period_are_the_summarys(ok, history, since, by) -> None:
    plain = verdicts(ok, *since)
    assert set(plain) == {"email", "LinkedIn"}
    assert any(p_behind is not None for _, p_behind, _ in plain.values())
    assert verdicts(ok, "--by", by, *since) == plain


def test_the_report_says_what_the_summary_says(ok, history) -> None:
    table = ok("summary", "--since", "2010-10").stdout
    page = ok("report", "--since", "2010-10", "-f", "md").stdout
    said = [line for line in table.splitlines() if "likely" in line or "Too early" in line]
    assert said
    for line in said:
        assert line.strip() in page


# --- the report's funnel, from the sums the summary was made from ----------------------------

# Entries an import brings in as written: activities without minutes (as from a LinkedIn
# export), and reach that adds up to nothing.
HOURLESS_CSV = [
    ("activity", "hourless", "posts", "", 4, "", "2010-03-20T10:00:00+00:00"),
    ("activity", "hourless", "posts", "", 0, "", "2010-04-02T10:00:00+00:00"),
    ("outcome", "quiet", "", "", 5, "reach", "2010-03-21T10:00:00+00:00"),
    ("outcome", "quiet", "", "", -5, "reach", "2010-04-21T10:00:00+00:00"),
    ("activity", "quiet", "posts", "", 3, "", "2010-04-22T10:00:00+00:00"),
    ("outcome", "followers", "", "", 40, "reach", "2010-04-23T10:00:00+00:00"),
]


@pytest.fixture
def kinds_across_dst(ok, tmp_path) -> None:
    """Channels with every kind over months either side of the clocks going forward (28 Mar
    2010) and back (31 Oct), some entries an hour from a month's end in local time, linked
    leads and wins, and the channels whose funnel minutes are none (only activities without
    minutes) or 0 (those and reach)."""
    import csv
    import uuid

    for month, day in (("02", 27), ("03", 28), ("03", 31), ("04", 1), ("10", 31), ("11", 1)):
        ok("add", "email", "50m", "mails", "-n", "3", "--at", f"2010-{month}-{day:02d} 00:30")
        ok("add", "LinkedIn", "25m", "messages", "--at", f"2010-{month}-{day:02d} 23:30")
    ok("add", "PeoplePerHour", "2h", "bids", "-n", "4", "--at", "2010-03-29 09:00")  # id 13
    ok("outcome", "email", "lead", "--at", "2010-02-28 12:00")  # id 14
    ok("outcome", "email", "lead", "2", "--at", "2010-03-30 12:00")  # id 15
    ok("outcome", "email", "win", "--value", "£900", "--from", "14", "--at", "2010-04-02")
    ok("outcome", "email", "win", "--value", "£300", "--from", "15", "--at", "2010-11-01")
    ok("outcome", "PeoplePerHour", "reply", "--from", "13", "--at", "2010-03-30")
    ok("outcome", "PeoplePerHour", "lead", "--at", "2010-04-01 08:00")
    ok("outcome", "LinkedIn", "win", "--at", "2010-10-31 01:30")
    ok("outcome", "LinkedIn", "reach", "12", "--at", "2010-10-31 01:30")
    ok("spend", "PeoplePerHour", "£20", "credits", "--at", "2010-03-01")
    ok("spend", "adverts", "£50", "--at", "2010-04-01")  # spend alone: no funnel
    header = ok("export").stdout.splitlines()[0].split(",")
    path = tmp_path / "hourless.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        for type_, channel, what, minutes, count, kind, at in HOURLESS_CSV:
            writer.writerow(
                {"uuid": str(uuid.uuid4()), "type": type_, "channel": channel, "what": what,
                 "minutes": minutes, "count": count, "kind": kind, "occurred_at": at,
                 "logged_at": "2010-05-01T10:00:00+00:00"}
            )  # fmt: skip
    ok("import", str(path))


RANGES = [
    {},
    {"since": "2010-03", "until": "2010-04"},
    {"since": "2010-03-28", "until": "2010-03-31"},
    {"since": "2010-10-31"},
    {"until": "2010-03"},
    {"channels": ("email", "quiet", "hourless")},
]


@pytest.mark.parametrize("asked", RANGES, ids=lambda asked: str(asked) or "all")
def test_the_funnel_from_given_sums_is_the_funnel_from_the_entries(
    kinds_across_dst, db_path, asked
) -> None:
    import sqlite3
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from netlog.model.periods import Period
    from netlog.reports import views
    from netlog.store import db, queries
    from netlog.store.settings import Config

    now, zone = datetime(2011, 1, 5, 12, tzinfo=UTC), ZoneInfo("Europe/London")
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        query = views.Query(**asked)
        config = Config.from_stored(db.read_settings(conn))
        *_, sums = views.summary_reports_by(
            conn, query, config, Period.MONTH, rate=None, now=now, zone=zone
        )
        assert sums is not None
        bounds = views.resolve(conn, query, config, now=now, zone=zone)
        scanned = queries.funnel_rows(conn, bounds.start, bounds.end, bounds.channel_ids)
        given = queries.funnel_rows(conn, bounds.start, bounds.end, bounds.channel_ids, sums=sums)
    finally:
        conn.close()
    assert [tuple(row) for row in given] == [tuple(row) for row in scanned]
    assert given  # every range holds a funnel
    if not asked:
        minutes = {row["channel"]: row["minutes"] for row in given}
        assert (minutes["quiet"], minutes["hourless"]) == (0, None)  # none sorts after 0
        assert [row["channel"] for row in given][-2:] == ["quiet", "hourless"]
        assert not {"followers", "adverts"} & minutes.keys()  # reach or spend alone
        assert any(row["median_days_lead_to_win"] for row in given)


def test_the_reports_funnel_is_in_the_funnels_order(ok, kinds_across_dst) -> None:
    listed = ok("funnel", "-f", "csv").stdout.splitlines()[1:]
    order = [line.split(",")[0] for line in listed]
    page = ok("report", "-f", "md").stdout
    funnel = page[page.index("## Items to leads to wins") : page.index("## Month by month")]
    shown = [name for name in order if f"| {name} |" in funnel]
    assert shown == order
    assert [funnel.index(f"| {name} |") for name in shown] == sorted(
        funnel.index(f"| {name} |") for name in shown
    )
