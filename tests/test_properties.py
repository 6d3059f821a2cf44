"""Property: for any set of entries, the summary's figures are the sums of what was logged."""

import csv
import io
import json
import tempfile
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from netlog.cli import app

pytestmark = pytest.mark.slow

CHANNELS = ["LinkedIn", "linkedin ", "Twitter", "email", "Café", "=sum", "[bold]x"]

activity = st.fixed_dictionaries(
    {
        "type": st.just("activity"),
        "channel": st.sampled_from(CHANNELS),
        "minutes": st.integers(1, 24 * 60),
        "count": st.integers(0, 50),
        "day": st.integers(1, 28),
    }
)
outcome = st.fixed_dictionaries(
    {
        "type": st.just("outcome"),
        "channel": st.sampled_from(CHANNELS),
        "kind": st.sampled_from(["reach", "lead", "win"]),
        "count": st.integers(1, 20),
        "pence": st.integers(0, 10_000_000),
        "day": st.integers(1, 28),
    }
)


def _key(channel: str) -> str:
    return channel.strip().casefold()


def _expected(entries: list[dict]) -> dict[str, dict[str, Decimal]]:
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for entry in entries:
        row = sums[_key(entry["channel"])]
        if entry["type"] == "activity":
            row["minutes"] += entry["minutes"]
            row["sessions"] += 1
            row["activities"] += entry["count"]
        else:
            row[{"reach": "reach", "lead": "leads", "win": "wins"}[entry["kind"]]] += entry["count"]
            if entry["kind"] == "win":
                row["revenue"] += Decimal(entry["pence"]) / 100
    return sums


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.one_of(activity, outcome), min_size=1, max_size=12))
def test_summary_figures_are_the_sums_of_what_was_logged(entries):
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "p.db")

        def ok(*args: str):
            result = runner.invoke(app, ["--db", db, *args])
            assert result.exit_code == 0, (args, result.stderr)
            return result.stdout

        ok("config", "rate", "37.5")
        for e in entries:
            at = ["--at", f"2010-09-{e['day']:02d} 10:00"]
            if e["type"] == "activity":
                ok("add", e["channel"], f"{e['minutes']}m", "-n", str(e["count"]), *at)
            else:
                value = (
                    ["--value", f"{Decimal(e['pence']) / 100:.2f}"] if e["kind"] == "win" else []
                )
                ok("outcome", e["channel"], e["kind"], str(e["count"]), *value, *at)

        expected = _expected(entries)
        csv_rows = list(csv.DictReader(io.StringIO(ok("summary", "-f", "csv"))))
        json_rows = json.loads(ok("summary", "-f", "json"))
        by_month = list(csv.DictReader(io.StringIO(ok("summary", "--by", "month", "-f", "csv"))))
        table = ok("summary")

        assert len(csv_rows) == len(json_rows) == len(by_month) == len(expected)
        for csv_row, json_row, month_row in zip(csv_rows, json_rows, by_month, strict=True):
            channel = csv_row["channel"].removeprefix(" ")  # the formula guard
            want = expected[_key(channel)]
            hours = want["minutes"] / 60
            assert month_row["period"] == "2010-09"
            for row in (csv_row, month_row):
                assert Decimal(row["hours"]) == hours.quantize(Decimal("0.01"), ROUND_HALF_UP)
                assert int(row["sessions"]) == want["sessions"]
                assert int(row["activities"]) == want["activities"]
                assert int(row["reach"]) == want["reach"]
                assert int(row["leads"]) == want["leads"]
                assert int(row["wins"]) == want["wins"]
                assert Decimal(row["revenue"]) == want["revenue"]
                cost = (want["minutes"] * Decimal("37.5") / 60).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
                assert Decimal(row["cost"]) == cost
            assert json_row["channel"] == channel
            assert Decimal(str(json_row["revenue"])) == want["revenue"]
            assert json_row["wins"] == want["wins"]
            assert json_row["sessions"] == want["sessions"]
        total_minutes = sum(row["minutes"] for row in expected.values())
        # Hours in the table are rounded half up, like every figure netlog shows.
        shown = (Decimal(total_minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert f"{shown:,}" in table
        # Most hours first.
        assert [Decimal(r["hours"]) for r in csv_rows] == sorted(
            (Decimal(r["hours"]) for r in csv_rows), reverse=True
        )
