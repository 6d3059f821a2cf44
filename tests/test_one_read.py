"""`summary --by` and the report read the entries once: the sums per period, added up, give
the sums per channel, and the verdicts come from them and the links. The verdicts must be
those `summary` judges from the entries themselves."""

import json

import pytest


@pytest.fixture
def history(ok) -> None:
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
