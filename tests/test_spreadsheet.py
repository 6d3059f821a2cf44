"""CSV that spreadsheets read right, `summary --wide`, and summaries that paste well."""

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import unicodedata
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import ENTRY_FIELDS, rows
from typer.testing import CliRunner

from netlog.cli import app
from netlog.present.render import spreadsheet_safe, spreadsheet_text

pytestmark = pytest.mark.slow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- the formula guard -------------------------------------------------------------------


@given(st.text())
def test_the_guard_is_undone_exactly_and_leaves_no_formula_start(text):
    guarded = spreadsheet_safe(text)
    assert spreadsheet_text(guarded) == text
    assert not guarded.startswith(FORMULA_STARTS)
    # Text that needs no guard is left as it is.
    if not text.startswith((*FORMULA_STARTS, " ")):
        assert guarded == text


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", " =1+1"),
        ("+44 20 7946 0000", " +44 20 7946 0000"),
        ("-3 leads", " -3 leads"),
        ("@SUM(A1)", " @SUM(A1)"),
        ("'quoted", "'quoted"),  # no longer touched: a ' starts no formula
        ("plain", "plain"),
    ],
)
def test_formula_like_text_gets_one_leading_space(ok, typed, written):
    ok("add", "email", "30m", "--note", typed, "--at", "2010-09-14 10:00")
    assert csv_rows(ok("log", "-f", "csv").stdout)[0]["note"] == written
    assert json.loads(ok("log", "-f", "json").stdout)[0]["note"] == typed  # JSON is unguarded


def test_negative_numbers_stay_numbers(ok):
    ok("outcome", "twitter", "reach", "--total", "212", "--baseline", "--at", "2010-09-14")
    ok("outcome", "twitter", "reach", "--total", "209", "--at", "2010-09-15")
    newest = csv_rows(ok("log", "-f", "csv").stdout)[0]
    assert (newest["count"], newest["reach_total"]) == ("-3", "209")
    summary = csv_rows(ok("summary", "--rate", "10", "-f", "csv").stdout)
    assert summary[0]["reach"] == "-3"  # the baseline is no reach gained


# --- times, durations and money ------------------------------------------------------------


def test_csv_has_local_times_offsets_hours_and_plain_money(ok, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    ok("config", "currency", "JPY")
    ok("add", "email", "45m", "--at", "2010-07-14 10:00")  # EDT, UTC-4
    ok("outcome", "email", "win", "--value", "1200", "--at", "2010-12-14 10:00")  # EST, UTC-5
    activity, win = sorted(csv_rows(ok("export").stdout), key=lambda r: r["id"])
    assert (activity["occurred_at"], activity["occurred_offset"]) == ("2010-07-14 10:00:00", "-240")
    assert activity["occurred_utc"] == "2010-07-14T14:00:00+00:00"
    assert (activity["minutes"], activity["hours"]) == ("45", "0.75")
    assert (win["occurred_at"], win["occurred_offset"]) == ("2010-12-14 10:00:00", "-300")
    assert (win["value"], win["currency"], win["hours"]) == ("1200", "JPY", "")
    logged = rows(Path(os.environ["NETLOG_DB"]))[0]["logged_at"]
    assert activity["logged_utc"] == logged


def test_json_keys_are_the_csv_columns_and_json_times_stay_utc(ok):
    ok("add", "email", "20m", "--at", "2010-09-14 10:00")
    (row,) = csv_rows(ok("log", "-f", "csv").stdout)
    (item,) = json.loads(ok("log", "-f", "json").stdout)
    assert list(row) == list(item) == ENTRY_FIELDS
    assert item["occurred_at"] == item["occurred_utc"] == "2010-09-14T09:00:00+00:00"
    assert (item["occurred_offset"], item["hours"], item["minutes"]) == (60, 0.33, 20)
    assert row["occurred_at"] == "2010-09-14 10:00:00"


# --- import: both headers -------------------------------------------------------------------

OLD_HEADER = (
    "id,uuid,type,channel,what,minutes,count,kind,label,value,currency,note,tags,"
    "occurred_at,logged_at,reach_total,sources"
)


def test_a_netlog_0_1_export_still_imports(ok, tmp_path, db_path):
    first, second = uuid.uuid4(), uuid.uuid4()
    old = tmp_path / "old.csv"
    old.write_text(
        OLD_HEADER + "\r\n"
        f"1,{first},activity,'=cmd,'-cells,45,3,,,,,''quoted,\"a,b\","
        "2010-09-14T09:00:00+00:00,2010-09-14T09:05:00+00:00,,\r\n"
        f"2,{second},outcome,email,,,1,win,'@x,1200.50,GBP, spaced,,"
        "2010-09-15T00:00:00+01:00,2010-09-15T08:00:00+00:00,,\r\n",
        encoding="utf-8",
    )
    ok("import", str(old))
    activity, win = rows(db_path)
    assert (activity["what"], activity["note"], activity["tags"]) == (
        "-cells",
        "'quoted",
        '["a", "b"]',
    )
    assert activity["occurred_at"] == "2010-09-14T09:00:00+00:00"
    assert (win["label"], win["value_minor"], win["note"]) == ("@x", 120050, "spaced")
    assert win["occurred_at"] == "2010-09-14T23:00:00+00:00"
    assert csv_rows(ok("log", "-f", "csv", "--channel", "=cmd").stdout)[0]["channel"] == " =cmd"


NEW_HEADER = "uuid,type,channel,minutes,occurred_at,occurred_offset,occurred_utc"


@pytest.mark.parametrize(
    ("local", "offset", "utc", "stored"),
    [
        # The hour that happens twice in London: the offset tells which.
        ("2010-10-31 01:30:00", "60", "", "2010-10-31T00:30:00+00:00"),
        ("2010-10-31 01:30:00", "0", "", "2010-10-31T01:30:00+00:00"),
        ("2010-09-14 10:00:00", "-300", "", "2010-09-14T15:00:00+00:00"),
        # The exact instant wins over the local columns, which a spreadsheet may have changed.
        ("14/09/2010 10:00", "60", "2010-09-14T12:00:00+00:00", "2010-09-14T12:00:00+00:00"),
        ("", "", "2010-09-14T12:00:00+00:00", "2010-09-14T12:00:00+00:00"),
    ],
)
def test_new_header_reads_utc_or_local_time_and_offset(
    ok, tmp_path, db_path, local, offset, utc, stored
):
    path = tmp_path / "in.csv"
    path.write_text(
        f"{NEW_HEADER}\r\n{uuid.uuid4()},activity,email,30,{local},{offset},{utc}\r\n",
        encoding="utf-8",
    )
    ok("import", str(path))
    (row,) = rows(db_path)
    assert (row["occurred_at"], row["logged_at"]) == (stored, stored)


@pytest.mark.parametrize(
    ("local", "offset", "message"),
    [
        ("2010-09-14 10:00:00", "", "has no UTC offset"),
        ("2010-09-14 10:00:00", "sixty", "occurred_offset must be a whole number"),
        ("2010-09-14 10:00:00", "1440", "occurred_offset 1440 is out of range"),
        ("14/09/2010", "60", "not an ISO 8601 time"),
    ],
)
def test_a_local_time_without_a_usable_offset_is_refused(run, tmp_path, local, offset, message):
    path = tmp_path / "in.csv"
    path.write_text(
        f"{NEW_HEADER}\r\n{uuid.uuid4()},activity,email,30,{local},{offset},\r\n",
        encoding="utf-8",
    )
    result = run("import", str(path))
    assert result.exit_code == 2  # a broken import file is bad input
    assert result.stderr.startswith("Error: line 2: ")
    assert message in result.stderr


# --- round trips ---------------------------------------------------------------------------

# Text as netlog keeps it (trimmed, NFC, no control characters), often starting like a
# formula or with netlog 0.1.0's guard.
_inner = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp"), blacklist_characters=","),
    max_size=12,
)
_starts = st.sampled_from(["=", "+", "-", "@", "'", "''", "=cmd|' /C calc'!A0 ", "-\t", ""])
texts = st.builds(
    lambda start, rest: unicodedata.normalize("NFC", (start + rest).strip()), _starts, _inner
).filter(lambda text: text and text == text.strip())
tags = texts.filter(lambda text: "\t" not in text)  # a tag holds no tab


def _as_written(text: str) -> str:
    return " " + text if text[0] in "=+-@" else text


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(texts, texts, tags), min_size=1, max_size=4))
def test_export_import_export_is_identical_for_formula_like_text(entries):
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:

        def ok(db: str, *args: str) -> str:
            result = runner.invoke(app, ["--db", str(Path(tmp) / db), *args])
            assert result.exit_code == 0, (args, result.stderr)
            return result.stdout

        for day, (what, note, tag) in enumerate(entries, start=1):
            at = f"--at=2010-10-{day:02d} 10:00"
            ok("a.db", "add", f"--note={note}", f"--tag={tag}", at, "--", "=sum", "1h", what)
        for fmt in ("csv", "json"):
            first = ok("a.db", "export", "-f", fmt)
            source = Path(tmp) / f"export.{fmt}"
            source.write_text(first, encoding="utf-8", newline="")
            ok(f"b-{fmt}.db", "import", str(source))
            assert ok(f"b-{fmt}.db", "export", "-f", fmt) == first
        exported = csv_rows(ok("a.db", "export"))
        for (what, note, tag), row in zip(entries, exported, strict=True):
            assert (row["channel"], row["what"]) == (" =sum", _as_written(what))
            assert (row["note"], row["tags"]) == (_as_written(note), _as_written(tag))


# --- LibreOffice -----------------------------------------------------------------------------

_ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
# Comma, ", UTF-8 (76), from line 1, default columns, English (US), quoted fields not forced
# to text, "Detect special numbers" on (needed for `2010-09-14 10:00:00` to be a date), ...,
# "Evaluate formulas" on: the setting under which a formula in a CSV would run.
_CALC_CSV = "CSV:44,34,76,1,,1033,false,true,false,false,false,-1,true"


def _shown(element: ElementTree.Element) -> str:
    """A text:p as Calc shows it (<text:s c="2"/> is two spaces)."""
    shown = element.text or ""
    for child in element:
        if child.tag == f"{{{_ODF['text']}}}s":
            shown += " " * int(child.get(f"{{{_ODF['text']}}}c", "1"))
        elif child.tag == f"{{{_ODF['text']}}}tab":
            shown += "\t"
        else:
            shown += _shown(child)
        shown += child.tail or ""
    return shown


def _calc_cells(csv_path: Path, profile: Path) -> list[list[tuple[str | None, str, str | None]]]:
    """(value type, text shown, formula) of each cell, as LibreOffice Calc opens the CSV."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is missing in CI: apt-get install -y libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         f"--infilter={_CALC_CSV}", "--convert-to", "ods", "--outdir", str(csv_path.parent),
         str(csv_path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with zipfile.ZipFile(csv_path.with_suffix(".ods")) as ods:
        content = ElementTree.fromstring(ods.read("content.xml"))
    office, table, text = (f"{{{_ODF[name]}}}" for name in ("office", "table", "text"))
    grid = []
    for row in content.iter(f"{table}table-row"):
        cells = []
        for cell in row.iter(f"{table}table-cell"):
            repeat = int(cell.get(f"{table}number-columns-repeated", "1"))
            shown = "\n".join(_shown(p) for p in cell.findall(f"{text}p"))
            value = (cell.get(f"{office}value-type"), shown, cell.get(f"{table}formula"))
            cells.extend([value] * min(repeat, 50))
        grid.append(cells)
    return grid


def test_libreoffice_reads_dates_as_dates_numbers_as_numbers_and_keeps_text(ok, tmp_path):
    typed = ["=1+1", '=HYPERLINK("http://example.com")', "+44 20 7946 0000", "-3 leads", "@SUM(A1)"]
    ok("config", "currency", "GBP")
    for day, note in enumerate(typed, start=1):
        ok("add", f"--note={note}", f"--at=2010-10-{day:02d} 10:00", "email", "45m", "calls")
    ok("outcome", "email", "win", "--value", "1200.50", "--at", "2010-11-14 09:30")
    ok("outcome", "twitter", "reach", "--total", "212", "--baseline", "--at", "2010-11-15")
    ok("outcome", "twitter", "reach", "--total", "209", "--at", "2010-11-16")
    exported = tmp_path / "netlog.csv"
    exported.write_text(ok("export").stdout, encoding="utf-8", newline="")

    header, *cells = _calc_cells(exported, tmp_path / "lo-profile")
    columns = [shown for _, shown, _ in header]
    assert columns[: len(ENTRY_FIELDS)] == ENTRY_FIELDS
    by_name = [dict(zip(columns, row, strict=False)) for row in cells if row and row[0][1]]
    assert len(by_name) == len(typed) + 3
    assert not [
        row for row in by_name for cell in row.values() if cell[2] is not None
    ]  # no formula

    for row in by_name:
        for column in ("occurred_at", "logged_at"):
            assert row[column][0] == "date", (column, row[column])
        for column in ("id", "count", "occurred_offset", "logged_offset"):
            assert row[column][0] == "float", (column, row[column])
    for row, note in zip(by_name, typed, strict=False):
        assert row["note"] == ("string", " " + note, None)  # the text typed, after one space
        assert row["minutes"][:2] == ("float", "45")
        assert row["hours"][:2] == ("float", "0.75")
    win, _baseline, change = by_name[len(typed) :]
    assert win["value"][:2] == ("float", "1200.5")
    assert win["currency"][:2] == ("string", "GBP")
    assert change["count"][:2] == ("float", "-3")  # a negative number stays a number
    assert change["occurred_utc"][:2] == ("string", "2010-11-16T00:00:00+00:00")


# --- summary --wide --------------------------------------------------------------------------


@pytest.fixture
def autumn(ok):
    ok("config", "rate", "30")
    ok("config", "currency", "GBP")
    for channel, minutes, at in [
        ("email", "45m", "2010-09-14 10:00"),
        ("email", "1h", "2010-11-02 10:00"),  # no entry at all in October
        ("linkedin", "30m", "2010-09-20 10:00"),
        ("linkedin", "2h15m", "2010-11-20 10:00"),
        ("linkedin", "15m", "2010-12-31 23:30"),
    ]:
        ok("add", channel, minutes, "--at", at)
    ok("outcome", "email", "win", "--value", "1200", "--at", "2010-11-03")
    ok("outcome", "email", "win", "--value", "850.50", "--at", "2010-12-03")
    ok("outcome", "linkedin", "lead", "2", "--at", "2010-09-21")


@pytest.mark.parametrize("metric", ["hours", "items", "leads", "wins", "revenue", "cost", "net"])
@pytest.mark.parametrize("by", ["week", "month", "year"])
def test_wide_totals_are_the_summary_sums(ok, autumn, metric, by):
    grid = json.loads(ok("summary", "--by", by, "--wide", "--metric", metric, "-f", "json").stdout)
    *channels, total = grid
    per_channel = {row["channel"]: row for row in json.loads(ok("summary", "-f", "json").stdout)}
    by_period = json.loads(ok("summary", "--by", by, "-f", "json").stdout)
    key = "activities" if metric == "items" else metric

    def money(value: object) -> Decimal:
        return Decimal(str(value)).quantize(Decimal("0.01"))

    assert [row["channel"] for row in channels] == sorted(
        per_channel, key=lambda c: (-per_channel[c][key], c)
    )
    assert total["channel"] == "total"
    for row in channels:
        assert money(row["total"]) == money(per_channel[row["channel"]][key])
    periods = [k for k in total if k not in ("channel", "total")]
    assert periods == sorted(periods)
    for period in periods:
        assert money(total[period]) == money(
            sum(Decimal(str(r[key])) for r in by_period if r["period"] == period)
        )
        for row in channels:
            cell = [
                r[key] for r in by_period if (r["period"], r["channel"]) == (period, row["channel"])
            ]
            assert money(row[period]) == money(cell[0] if cell else 0)
    assert money(total["total"]) == money(sum(Decimal(str(r[key])) for r in per_channel.values()))


def test_wide_fills_empty_periods_and_writes_csv_and_a_table(ok, autumn):
    csv_grid = ok("summary", "--by", "month", "--wide", "-m", "revenue", "-f", "csv").stdout
    assert csv_grid.splitlines() == [
        "channel,2010-09,2010-10,2010-11,2010-12,total",
        "email,0.00,0.00,1200.00,850.50,2050.50",
        "linkedin,0.00,0.00,0.00,0.00,0.00",
        "total,0.00,0.00,1200.00,850.50,2050.50",
    ]
    weeks = json.loads(ok("summary", "--by", "week", "--wide", "-f", "json").stdout)[0]
    assert list(weeks)[1:3] == ["2010-09-13", "2010-09-20"]  # weeks by their first day
    table = ok("summary", "--by", "year", "--wide", "-m", "hours").stdout
    assert "Hours by year" in table
    assert "2010" in table
    assert "Total" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--wide"], "--wide needs --by"),
        (["--metric", "wins"], "--metric goes with --wide"),
        (["--by", "month", "--wide", "--metric", "profit"], "--metric"),
    ],
)
def test_wide_options_are_checked(run, autumn, args, message):
    result = run("summary", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cost_without_a_rate_says_how_to_give_one(run, ok):
    ok("add", "email", "1h", "--at", "2010-09-14")
    result = run("summary", "--by", "month", "--wide", "--metric", "cost")
    assert result.exit_code == 2
    assert "needs an hourly rate" in result.stderr
    assert "--rate" in result.stderr


# --- summary to a file or pipe ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["--since", "2010-09", "--until", "2010-12"],
         "netlog summary, 2010-09-01 to 2010-12-31, time at £30.00/h"),
        ([], "netlog summary, 2010-09-14 to 2010-12-31, time at £30.00/h"),
        (["--rate", "40", "--by", "month"],
         "netlog summary by month, 2010-09-14 to 2010-12-31, time at £40.00/h"),
        (["--by", "month", "--wide", "-m", "wins"],
         "netlog summary of wins by month, 2010-09-14 to 2010-12-31, time at £30.00/h"),
    ],
)  # fmt: skip
def test_a_piped_summary_starts_with_a_title_and_has_no_trailing_spaces(ok, autumn, args, title):
    out = ok("summary", *args).stdout  # CliRunner's stdout is not a terminal
    lines = out.splitlines()
    assert lines[0] == title
    assert lines[1] == ""
    assert all(line == line.rstrip() for line in lines)
    assert any("linkedin" in line for line in lines)


def test_a_piped_summary_without_a_rate_says_so_and_csv_json_are_unchanged(ok):
    ok("add", "email", "1h", "--at", "2010-09-14")
    assert ok("summary").stdout.splitlines()[0] == (
        "netlog summary, 2010-09-14 to 2010-09-14, time unpriced"
    )
    assert ok("summary", "-f", "csv").stdout.startswith("channel,hours,")
    assert ok("summary", "-f", "json").stdout.startswith("[")
