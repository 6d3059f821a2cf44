"""One home for showing a figure (netlog.present.figures): every view rounds half up, machine
formats agree, money has its currency's places, and tables that do not fit leave out whole
columns and say so. Each reproduction of issue 16 that concerns figures and tables is here."""

import csv
import io
import json
import math
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from netlog.model.stats import z_for
from netlog.present import figures


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _cells(table: str, first: str) -> list[str]:
    """The cells of the table line that starts with `first`, split on runs of spaces."""
    for line in table.splitlines():
        if line.strip().startswith(first):
            return re.split(r"\s{2,}", line.strip())
    raise AssertionError(f"no line starting {first!r} in:\n{table}")


@pytest.fixture
def quarter_hour(ok) -> None:
    """One 1h15m session: 1.25 h, the tie that half-even rounding gets wrong."""
    ok("add", "email", "1h15m", "emails", "--at", "2010-09-14 10:00")


# --- rounding is the same in every view -----------------------------------------------------


def test_a_tie_rounds_half_up_in_every_table(ok, quarter_hour) -> None:
    assert _cells(ok("summary").stdout, "email")[1] == "1.3"
    assert _cells(ok("trend").stdout, "email")[1] == "1.3"
    assert _cells(ok("summary", "--by", "month", "--wide").stdout, "email")[1] == "1.3"


def test_a_tie_is_written_alike_in_every_csv_and_json(ok, quarter_hour) -> None:
    assert _csv(ok("summary", "-f", "csv").stdout)[0]["hours"] == "1.25"
    assert _csv(ok("trend", "-f", "csv").stdout)[0]["2010-09"] == "1.25"
    assert _csv(ok("summary", "--by", "month", "--wide", "-f", "csv").stdout)[0]["total"] == "1.25"
    assert _csv(ok("funnel", "-f", "csv").stdout)[0]["hours"] == "1.25"
    assert json.loads(ok("summary", "-f", "json").stdout)[0]["hours"] == 1.25
    assert json.loads(ok("funnel", "-f", "json").stdout)[0]["hours"] == 1.25


def test_hours_per_lead_of_0_125_is_0_13_in_the_funnel_as_in_the_summary(ok) -> None:
    ok("add", "email", "15m", "emails", "--at", "2010-09-14 10:00")
    ok("outcome", "email", "lead", "2", "--at", "2010-09-14 11:00")
    ok("outcome", "email", "win", "2", "--at", "2010-09-14 12:00")
    funnel = _csv(ok("funnel", "-f", "csv").stdout)[0]
    summary = _csv(ok("summary", "-f", "csv").stdout)[0]
    assert funnel["hours_per_lead"] == funnel["hours_per_win"] == "0.13"
    assert summary["hours_per_win"] == "0.13"


def test_roi_ties_round_half_up_in_csv_and_json(ok) -> None:
    # 1 h at 16/h costs 16; a win of 720.30 makes net 704.30 and ROI 704.30 / 16 = 44.01875.
    ok("add", "email", "1h", "emails", "--at", "2010-09-14 10:00")
    ok("outcome", "email", "win", "--value", "720.30", "--at", "2010-09-14 12:00")
    assert _csv(ok("summary", "--rate", "16", "-f", "csv").stdout)[0]["roi"] == "44.0188"
    assert json.loads(ok("summary", "--rate", "16", "-f", "json").stdout)[0]["roi"] == 44.0188
    assert _cells(ok("summary", "--rate", "16").stdout, "email")[-1] == "4,402%"


def test_funnel_csv_writes_hours_with_two_places(ok) -> None:
    ok("add", "email", "1h30m", "emails", "--at", "2010-09-14 10:00")
    ok("add", "blog", "2h", "post", "--at", "2010-09-14 13:00")
    hours = {row["channel"]: row["hours"] for row in _csv(ok("funnel", "-f", "csv").stdout)}
    assert hours == {"email": "1.50", "blog": "2.00"}
    summary = {row["channel"]: row["hours"] for row in _csv(ok("summary", "-f", "csv").stdout)}
    assert summary == hours


def test_a_ratio_with_nothing_on_top_is_0(ok) -> None:
    ok("outcome", "email", "win", "2", "--at", "2010-09-14 12:00")
    assert _csv(ok("summary", "-f", "csv").stdout)[0]["hours_per_win"] == "0.00"
    funnel = _csv(ok("funnel", "-f", "csv").stdout)[0]
    assert funnel["hours_per_win"] == "0.00"
    assert funnel["items_per_win"] == "0.00"
    assert json.loads(ok("funnel", "-f", "json").stdout)[0]["hours_per_win"] == 0


def _wilson_high(successes: int, trials: int, z: float) -> float:
    p = successes / trials
    centre = p + z * z / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return (centre + spread) / (1 + z * z / trials)


def test_the_wilson_z_in_the_docs_is_the_one_used(ok, tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "docs" / "figures.md").read_text(encoding="utf-8")
    found = re.search(r"with z = ([0-9.]+)", readme)
    assert found, "docs/figures.md names z"
    z = float(found.group(1))
    demo = tmp_path / "demo.db"
    ok("demo", "--save", str(demo))
    blog = next(
        row
        for row in _csv(ok("--db", str(demo), "funnel", "-f", "csv").stdout)
        if row["channel"] == "Blog"
    )
    items = int(blog["items"])
    assert blog["win_rate_high"] == f"{_wilson_high(0, items, z):.4f}" == "0.2991"
    # The documented z is the code's to the digits it prints (1.96 would not be).
    digits = len(found.group(1).split(".")[1])
    assert z == round(z_for(0.95), digits)
    assert round(z_for(0.95), digits) != 1.96


# --- money in the file's currency -------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "value", "written", "shown"),
    [("JPY", "1200", "1200", "¥1,200"), ("BHD", "1.25", "1.250", "BHD 1")],
)
def test_money_has_the_currency_places_in_every_view(ok, currency, value, written, shown) -> None:
    ok("config", "currency", currency)
    ok("add", "email", "1h", "emails", "--at", "2010-09-14 10:00")
    ok("outcome", "email", "win", "--value", value, "--at", "2010-09-14 12:00")
    wide = ("summary", "--by", "month", "--wide", "--metric", "revenue")
    assert _csv(ok(*wide, "-f", "csv").stdout)[0]["2010-09"] == written
    assert _csv(ok(*wide, "-f", "csv").stdout)[0]["total"] == written
    assert _csv(ok("summary", "-f", "csv").stdout)[0]["revenue"] == written
    assert _csv(ok("trend", "--metric", "revenue", "-f", "csv").stdout)[0]["total"] == written
    assert json.loads(ok(*wide, "-f", "json").stdout)[0]["total"] == Decimal(written)
    assert _cells(ok(*wide).stdout, "email")[-1] == shown


def test_jpy_json_writes_whole_yen_as_csv_does(ok) -> None:
    ok("config", "currency", "JPY")
    ok("outcome", "email", "win", "--value", "1200", "--at", "2010-09-14 12:00")
    text = ok("summary", "--by", "month", "--wide", "--metric", "revenue", "-f", "json").stdout
    assert '"total": 1200}' in text  # not 1200.0


def test_a_bare_rate_takes_the_file_currency_places(ok) -> None:
    ok("config", "currency", "BHD")
    ok("add", "email", "2h", "emails", "--at", "2010-09-14 10:00")
    for command in (("summary",), ("trend", "--metric", "cost"), ("summary", "--by", "month")):
        result = ok(*command, "--rate", "10.125", "-f", "csv")
        row = _csv(result.stdout)[0]
        assert row.get("cost", row.get("total")) == "20.250"


def test_a_rate_with_too_many_places_is_still_refused(run) -> None:
    run("config", "currency", "GBP")
    run("add", "email", "2h", "emails", "--at", "2010-09-14 10:00")
    result = run("summary", "--rate", "10.125")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


# --- tables that fit --------------------------------------------------------------------------


@pytest.fixture
def demo(demo_copy: Path) -> Path:
    return demo_copy


def _figures_in_csv(ok, demo: Path) -> dict[str, dict[str, str]]:
    text = ok("--db", str(demo), "summary", "-f", "csv").stdout
    return {row["channel"]: row for row in _csv(text)}


@pytest.mark.parametrize("width", [60, 70, 80, 120])
def test_summary_leaves_out_whole_columns_and_says_which(
    ok, demo: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = ok("--db", str(demo), "summary")
    lines = result.stdout.splitlines()
    assert all(len(line) <= width for line in lines), result.stdout
    header = next(line for line in lines if line.strip().startswith("Channel"))
    shown = re.split(r"\s{2,}", header.strip())
    expected = {"Channel", "Hours", "Leads", "Wins", "Revenue", "Net", "ROI"}
    assert expected <= set(shown) if width >= 80 else {"Channel", "Hours", "ROI"} <= set(shown)
    # Every channel whole, and every figure shown is whole: no digit or % cut.
    rows = _figures_in_csv(ok, demo)
    for channel, row in rows.items():
        cells = _cells(result.stdout, channel)
        assert cells[0] == channel
        if "ROI" in shown:
            percent = Decimal(row["roi"]) * 100
            assert cells[shown.index("ROI")] == f"{figures.half_up(percent, 0):,}%"
        assert cells[shown.index("Hours")] == f"{figures.half_up(Decimal(row['hours']), 1):,}"
    assert "…" not in result.stdout
    all_headers = ["Sessions", "Items", "Reach", "Per hour", "Hours/win", "Cost"]
    left_out = [name for name in all_headers if name not in shown]
    note = [line for line in result.stderr.splitlines() if line.startswith("Left out")]
    if left_out:
        assert note == [
            f"Left out to fit {width} columns: {', '.join(left_out)}; see them with "
            "--columns, a wider terminal or -f csv."
        ]
    else:
        assert note == []


def test_columns_chooses_the_summary_columns(ok, demo: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    result = ok("--db", str(demo), "summary", "--columns", "hours,leads,wins,roi")
    header = next(line for line in result.stdout.splitlines() if "Channel" in line)
    assert re.split(r"\s{2,}", header.strip()) == ["Channel", "Hours", "Leads", "Wins", "ROI"]
    assert "Left out" not in result.stderr
    csv_text = ok("--db", str(demo), "summary", "--columns", "hours,roi", "-f", "csv").stdout
    assert csv_text.splitlines()[0] == "channel,hours,roi"
    by = ok("--db", str(demo), "summary", "--by", "month", "--columns", "items", "-f", "csv")
    assert by.stdout.splitlines()[0] == "period,channel,activities"


def test_columns_refuses_an_unknown_name_in_one_line(run, demo: Path) -> None:
    result = run("--db", str(demo), "summary", "--columns", "hours,profit")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "'profit'" in result.stderr


def test_columns_chooses_the_funnel_columns(ok, demo: Path) -> None:
    result = ok("--db", str(demo), "funnel", "--columns", "win_rate,hours_per_win")
    header = next(line for line in result.stdout.splitlines() if "Channel" in line)
    assert re.split(r"\s{2,}", header.strip()) == ["Channel", "Win rate (95%)", "Hours/win"]
    text = ok("--db", str(demo), "funnel", "--columns", "win_rate", "-f", "csv").stdout
    assert text.splitlines()[0] == "channel,win_rate,win_rate_low,win_rate_high"


def test_funnel_at_80_columns_names_what_it_left_out(ok, demo: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = ok("--db", str(demo), "funnel")
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    note = [line for line in result.stderr.splitlines() if line.startswith("Left out")]
    assert len(note) == 1
    assert "Lead rate (95%)" in note[0]


def test_summary_by_week_keeps_each_period_on_one_line(ok, demo: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = ok("--db", str(demo), "summary", "--by", "week").stdout
    rows = [line for line in out.splitlines() if re.match(r"\s*\d{4}-\d\d-\d\d", line)]
    assert rows
    assert all(re.match(r"\s*\d{4}-\d\d-\d\d – \d\d-\d\d\s", line) for line in rows), out


def test_wide_keeps_channel_names_and_totals_whole(ok, monkeypatch) -> None:
    for day in range(1, 28, 3):  # 9 hours
        ok("add", "LinkedIn Sales Navigator", "1h", "messages", "--at", f"2010-09-{day:02} 10:00",
           "--new-channel", "--yes")  # fmt: skip
    ok("add", "LinkedIn Sales Navigator", "12m", "messages", "--at", "2010-09-30 10:00")
    for width in (60, 70, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        out = ok("summary", "--by", "week", "--wide").stdout
        assert "…" not in out
        assert "Navigator" in out
        assert "LinkedIn" in out
        assert _cells(out, "Total")[-1] == "9.2"
        table = out.splitlines()[1:]  # under the line naming the dates, which may run on
        assert all(len(line) <= width for line in table), out


@pytest.mark.parametrize(
    "command",
    [("funnel",), ("trend",), ("log",), ("summary",), ("summary", "--by", "month", "--wide"),
     ("channels",)],
)  # fmt: skip
def test_piped_tables_end_no_line_with_a_space(ok, demo: Path, command) -> None:
    out = ok("--db", str(demo), *command).stdout
    assert out.strip()
    assert [line for line in out.splitlines() if line != line.rstrip()] == []


def test_piped_through_the_installed_netlog_no_line_ends_with_a_space(demo: Path) -> None:
    for command in ("funnel", "trend", "log", "summary"):
        done = subprocess.run(
            [sys.executable, "-m", "netlog", "--db", str(demo), command],
            capture_output=True, text=True, check=True, env={"TZ": "Europe/London", "PATH": ""},
        )  # fmt: skip
        assert done.stdout.strip()
        assert [line for line in done.stdout.splitlines() if line.endswith(" ")] == [], command


# --- the module itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "figure", "machine", "shown"),
    [
        (figures.Kind.HOURS, Decimal("1.25"), Decimal("1.25"), "1.3"),
        (figures.Kind.HOURS, Decimal("1234.45"), Decimal("1234.45"), "1,234.5"),
        (figures.Kind.RATIO, 0.125, Decimal("0.13"), "0.1"),
        (figures.Kind.ROI, Decimal("44.01875"), Decimal("44.0188"), "4,402%"),
        (figures.Kind.RATE, 0.04651, Decimal("0.0465"), "4.7%"),
        (figures.Kind.RATE, 0.0996, Decimal("0.0996"), "10%"),
        (figures.Kind.DAYS, 9.25, Decimal("9.3"), "9.3"),
        (figures.Kind.COUNT, 1200, 1200, "1,200"),
        (figures.Kind.HOURS, None, None, "–"),
    ],
)
def test_value_and_text_round_half_up(kind, figure, machine, shown) -> None:
    assert figures.value(kind, figure) == machine
    assert figures.text(kind, figure) == shown


def test_money_whole_and_exact() -> None:
    assert figures.text(figures.Kind.MONEY, Decimal("2050.50"), "GBP") == "£2,051"
    assert figures.text(figures.Kind.MONEY, Decimal("2050.50"), "GBP", exact=True) == "£2,050.50"
    assert figures.value(figures.Kind.MONEY, Decimal("1.25"), "BHD") == Decimal("1.250")
    assert figures.money_phrase(Decimal("418.00"), "GBP") == "£418"
    assert figures.money_phrase(Decimal("27.5"), "GBP") == "£27.50"


def test_no_rounding_or_figure_formatting_outside_the_presentation_layer() -> None:
    source = Path(__file__).parents[1] / "src" / "netlog"
    pattern = re.compile(r"ROUND_HALF|\.quantize\(|\bround\(|:[,]?\.\d+f\}|:,\.\d+f|format_money\(")
    allowed = {"present/figures.py", "model/money.py"}  # the figures, and the money rule
    not_figures = {  # whole numbers worked out, never shown as figures
        ("model/dates.py", "round(moment.replace(tzinfo=None, microsecond=0).timestamp())"),
        ("reports/budget.py", "return round(hours * 60)"),  # a setting, in minutes
    }
    found = [
        f"{path.relative_to(source)}:{number}: {line.strip()}"
        for path in sorted(source.rglob("*.py"))
        if str(path.relative_to(source)) not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
        and not any(
            str(path.relative_to(source)) == where and snippet in line
            for where, snippet in not_figures
        )
    ]
    assert found == []


def test_log_keeps_channel_names_whole_and_names_what_it_left_out(ok, monkeypatch) -> None:
    ok("add", "LinkedIn Sales Navigator", "45m", "messages", "--count", "12", "--note",
       "a long note about the messages sent that day", "--tag", "launch", "--at",
       "2010-09-14 10:00", "--new-channel", "--yes")  # fmt: skip
    monkeypatch.setenv("COLUMNS", "60")
    result = ok("log")
    assert "…" not in "".join(line[:40] for line in result.stdout.splitlines())  # no channel cut
    assert "Navigator" in result.stdout
    assert all(len(line) <= 60 for line in result.stdout.splitlines())
    assert [line for line in result.stderr.splitlines() if line.startswith("Left out")] == [
        "Left out to fit 60 columns: Note, Tags; see them with a wider terminal or -f csv."
    ]
    monkeypatch.setenv("COLUMNS", "200")
    assert "Left out" not in ok("log").stderr


def _same(csv_cell: str, json_value: object) -> bool:
    if json_value is None:
        return csv_cell == ""
    if isinstance(json_value, (int, float)) and not isinstance(json_value, bool):
        return Decimal(csv_cell) == Decimal(repr(json_value))
    return csv_cell == str(json_value)


@pytest.mark.parametrize(
    "command",
    [("summary",), ("summary", "--by", "week"), ("summary", "--by", "month", "--wide"),
     ("summary", "--by", "month", "--wide", "--metric", "net"), ("funnel",),
     ("trend", "--metric", "revenue")],
)  # fmt: skip
def test_json_carries_the_figures_csv_writes(ok, demo: Path, command) -> None:
    rows = _csv(ok("--db", str(demo), *command, "-f", "csv").stdout)
    objects = json.loads(ok("--db", str(demo), *command, "-f", "json").stdout)
    assert len(rows) == len(objects) > 0
    for row, obj in zip(rows, objects, strict=True):
        flat = {**obj, **obj.pop("periods", {})} if "periods" in obj else obj
        for key, cell in row.items():
            assert _same(cell, flat[key]), (key, cell, flat[key])


@pytest.mark.parametrize("width", [60, 70, 80, 120])
@pytest.mark.parametrize(
    "command", [("funnel",), ("trend",), ("summary", "--by", "month", "--wide"), ("log",)]
)
def test_every_table_fits_with_channel_names_whole(
    ok, demo: Path, monkeypatch: pytest.MonkeyPatch, width: int, command
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = ok("--db", str(demo), *command).stdout
    lines = out.splitlines()[1:] if command[0] == "summary" else out.splitlines()  # the title
    assert all(len(line) <= width for line in lines), out
    for channel in ("PeoplePerHour", "OfficeCavalry", "LinkedIn"):
        if command[0] != "log" or channel == "LinkedIn":
            assert re.search(rf"^\s*(\d+\s+\S+ \S+\s+)?{channel}\b", out, re.MULTILINE), channel


def test_the_report_reads_a_bare_rate_in_the_file_currency(ok) -> None:
    ok("config", "currency", "BHD")
    ok("add", "email", "2h", "emails", "--at", "2010-09-14 10:00")
    page = ok("report", "--rate", "10.125", "-f", "md").stdout
    assert "BHD 10.125 an hour" in page
    assert "BHD 20.250" in page  # the cost of 2 h
