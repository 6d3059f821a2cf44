"""`netlog review` (issue 17, item 6): a week or month against the one before, the verdicts
with their evidence, budgets used and at most three suggestions, as a table, a Markdown note
and JSON, against figures worked out by hand."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from netlog.reports.verdicts import p_below

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch):
    def pin(local: str) -> None:
        moment = datetime.fromisoformat(local).replace(tzinfo=LONDON).astimezone(UTC)
        monkeypatch.setattr("netlog.commands.review.now_and_zone", lambda: (moment, LONDON))

    return pin


@pytest.fixture
def fortnight(ok):
    """Two weeks: 6-12 and 13-19 September 2010, at £30/h."""
    ok("config", "rate", "30")
    ok("add", "Email", "30m", "emails", "--at", "2010-09-07 09:00")
    lead = ok("outcome", "email", "lead", "--at", "2010-09-08 10:00")
    lead_id = lead.stderr.split("#", 1)[1].split(":", 1)[0]
    ok("add", "LinkedIn", "2h", "messages", "--at", "2010-09-06 10:00")
    ok("add", "linkedin", "3h30m", "messages", "--at", "2010-09-13 10:00")
    ok("add", "email", "20m", "emails", "--at", "2010-09-14 09:00")
    ok("outcome", "email", "win", "--value", "£500", "--from", lead_id, "--at", "2010-09-15")
    ok("spend", "linkedin", "£10", "premium", "--at", "2010-09-14 12:00")
    ok("budget", "linkedin", "3h/week", "--since", "2010")


def test_review_json_against_hand_figures(ok, fortnight, today_is):
    today_is("2010-09-22 12:00")  # a Wednesday: the last full week is 13-19 September
    data = json.loads(ok("review", "-f", "json").stdout)
    assert data["period"] == {"start": "2010-09-13", "end": "2010-09-19"}
    assert data["previous"] == {"start": "2010-09-06", "end": "2010-09-12"}
    assert data["credit"] == "logged"
    assert data["channels"] == [
        {
            "channel": "LinkedIn",
            "hours": 3.5, "previous_hours": 2.0,
            "replies": 0, "previous_replies": 0,
            "leads": 0, "previous_leads": 0,
            "wins": 0, "previous_wins": 0,
            "revenue": 0.0, "previous_revenue": 0.0,
            "spend": 10.0, "previous_spend": 0.0,
            "verdict": "behind",
        },
        {
            "channel": "Email",
            "hours": 0.33, "previous_hours": 0.5,
            "replies": 0, "previous_replies": 0,
            "leads": 0, "previous_leads": 1,
            "wins": 1, "previous_wins": 0,
            "revenue": 500.0, "previous_revenue": 0.0,
            "spend": 0.0, "previous_spend": 0.0,
            "verdict": "pays",
        },
    ]  # fmt: skip
    # LinkedIn 0 leads in 5.5 h against Email's 1 in 50 min: credibly behind
    assert p_below(0, 5.5, 1, 50 / 60) >= 0.95
    assert data["suggestions"] == [
        "Stop LinkedIn, or change how you use it: it brings fewer leads per hour than Email "
        "(5.5 h in 12 weeks).",
        "Keep Email: it pays (£500 in 12 weeks covers its cost).",
    ]
    assert (
        ok("review", "-f", "json", "--at", "2010-09-15").stdout == ok("review", "-f", "json").stdout
    )


def test_review_table_shows_changes_evidence_and_budgets(ok, fortnight, today_is):
    today_is("2010-09-22 12:00")
    out = ok("review").stdout
    assert "Review of the week 2010-09-13 to 2010-09-19 against 2010-09-06 to 2010-09-12" in out
    assert "3.5 (2.0, +1.5)" in out
    assert "£500 (£0, +£500)" in out
    p = int(p_below(0, 5.5, 1, 50 / 60) * 100)
    assert (
        f"LinkedIn: 0 leads in 5.5 h; Email: 1 lead per 50 min; {p}% likely LinkedIn brings "
        "fewer leads per hour." in out
    )
    assert "Budgets: LinkedIn: 3h 30m of 3h/week (over)." in out
    assert "does not pay" not in out


def test_review_md_is_a_note_with_a_markdown_table(ok, fortnight, today_is):
    today_is("2010-09-22 12:00")
    note = ok("review", "-f", "md").stdout
    lines = note.splitlines()
    assert lines[0] == (
        "# Review of the week 2010-09-13 to 2010-09-19 against 2010-09-06 to 2010-09-12"
    )
    assert "| Channel | Hours | Replies | Leads | Wins | Revenue | Spend | Verdict |" in lines
    assert (
        "| LinkedIn | 3.5 (2.0, +1.5) | 0 (0, =) | 0 (0, =) | 0 (0, =) | £0 (£0, =) "
        "| £10 (£0, +£10) | behind |" in lines
    )
    assert "## Suggestions" in lines
    assert "1. Stop LinkedIn, or change how you use it: it brings fewer leads per hour than " \
        "Email (5.5 h in 12 weeks)." in lines  # fmt: skip


def test_review_month_holding_a_date(ok, fortnight):
    data = json.loads(ok("review", "--month", "--at", "2010-10-02", "-f", "json").stdout)
    assert data["period"] == {"start": "2010-10-01", "end": "2010-10-31"}
    assert data["previous"] == {"start": "2010-09-01", "end": "2010-09-30"}
    linkedin = data["channels"][0]
    assert (linkedin["channel"], linkedin["hours"], linkedin["previous_hours"]) == (
        "LinkedIn", 0.0, 5.5
    )  # fmt: skip


def test_review_bad_input_is_one_line_and_exit_2(run, fortnight):
    both = run("review", "--week", "--month")
    assert both.exit_code == 2
    assert both.stderr.strip().count("\n") == 0
    bad = run("review", "--at", "someday")
    assert bad.exit_code == 2
    assert "Traceback" not in bad.stderr


def test_review_before_the_first_entry_is_an_empty_review_not_a_failure(ok, db_path, today_is):
    """As `summary` does: exit 0, the formats' empty shape on stdout, the hint on stderr,
    and no file made."""
    today_is("2010-09-22 12:00")
    data = json.loads(ok("review", "-f", "json").stdout)
    assert data["period"] == {"start": "2010-09-13", "end": "2010-09-19"}
    assert data["channels"] == []
    table = ok("review")
    assert "No entries yet" in table.stderr
    assert "Log one with" not in table.stdout
    assert not db_path.exists()
