"""Guards on slips that make wrong numbers (issue 16, item 5): the money typed as a win count,
hours typed without their unit, a duration that rounds to nothing."""

import pytest
from tests.conftest import rows

from netlog.errors import InputError
from netlog.model.durations import looks_like_hours, parse_duration


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netlog.commands.common.interactive", lambda: True)


# --- a win count that was the value ----------------------------------------------------------


def test_a_large_win_count_without_a_value_is_refused_in_a_pipe(run, ok, db_path):
    ok("add", "email", "1h")
    result = run("outcome", "email", "win", "1200")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: 1,200 wins at once, with no value: if 1200 is what the win was worth, write "
        "netlog outcome email win --value 1200; to log 1,200 wins, add --yes\n"
    )
    assert len(rows(db_path)) == 1  # nothing written


def test_the_fix_the_refusal_names_logs_one_win_worth_the_amount(ok, db_path):
    ok("outcome", "email", "win", "--value", "£1200")
    assert [(r["kind"], r["count"], r["value_minor"]) for r in rows(db_path)] == [
        ("win", 1, 120000)
    ]


@pytest.mark.parametrize(
    ("args", "count", "value_minor"),
    [
        (("10",), 10, None),  # ten wins at once is plausible
        (("11", "--yes"), 11, None),  # more, when the person says so
        (("1200", "--value", "£50"), 1200, 5000),  # with a value, the count is a count
        (("1200", "-y"), 1200, None),
    ],
)
def test_win_counts_that_are_logged_as_typed(ok, db_path, args, count, value_minor):
    ok("outcome", "email", "win", *args)
    (row,) = rows(db_path)
    assert (row["count"], row["value_minor"]) == (count, value_minor)


def test_other_outcomes_take_large_counts(ok, db_path):
    ok("outcome", "facebook", "reach", "1200")
    ok("outcome", "email", "lead", "12")
    assert [r["count"] for r in rows(db_path)] == [1200, 12]


@pytest.mark.parametrize(
    ("answer", "count", "value_minor"), [("y\n", 1, 120000), ("\n", 1, 120000), ("n\n", 1200, None)]
)
def test_a_terminal_asks_whether_the_count_was_the_value(
    run, ok, db_path, at_a_terminal, answer, count, value_minor
):
    ok("config", "currency", "GBP")
    result = run("outcome", "email", "win", "1200", input=answer)
    assert result.exit_code == 0, result.stderr
    assert "1,200 wins at once: was 1200 what the win was worth (1 win, --value 1200)?" in (
        result.stderr
    )
    (row,) = rows(db_path)
    assert (row["count"], row["value_minor"]) == (count, value_minor)


# --- a bare duration that was hours ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "looks"),
    [("2", True), (" 4 ", True), ("1", True), ("5", False), ("45", False), ("0", False),
     ("2m", False), ("2h", False), ("2.5", False), ("1:30", False)],
)  # fmt: skip
def test_which_durations_look_like_hours(text, looks):
    assert looks_like_hours(text) is looks


def test_a_bare_small_duration_is_refused_in_a_pipe(run, db_path):
    result = run("add", "linkedin", "2", "messages")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: is '2' minutes or hours? Write 2m or 2h (netlog add linkedin 2h), or add "
        "--yes to log 2 minutes\n"
    )
    assert not db_path.exists()  # nothing written, not even a new file


@pytest.mark.parametrize(
    ("args", "minutes"),
    [(("2m",), 2), (("2h",), 120), (("2", "--yes"), 2), (("5",), 5), (("90",), 90)],
)
def test_bare_durations_logged_as_typed(ok, db_path, args, minutes):
    ok("add", "linkedin", *args)
    assert [r["minutes"] for r in rows(db_path)] == [minutes]


@pytest.mark.parametrize(("answer", "minutes"), [("y\n", 120), ("\n", 120), ("n\n", 2)])
def test_a_terminal_asks_whether_hours_were_meant(run, db_path, at_a_terminal, answer, minutes):
    result = run("add", "linkedin", "2", "messages", input=answer)
    assert result.exit_code == 0, result.stderr
    assert "2 minutes: did you mean 2 hours?" in result.stderr
    assert [r["minutes"] for r in rows(db_path)] == [minutes]


def test_a_duration_asked_for_is_guarded_too(run, db_path, at_a_terminal):
    # channel given, duration asked, then what and count: the `3` is questioned, then taken as 3h
    result = run("add", "linkedin", input="3\ny\n\n1\n")
    assert result.exit_code == 0, result.stderr
    assert "3 minutes: did you mean 3 hours?" in result.stderr
    assert [r["minutes"] for r in rows(db_path)] == [180]


# --- a duration that rounds to nothing -------------------------------------------------------


@pytest.mark.parametrize("text", ["0.001h", "0.008h", "0.0001 hours"])
def test_a_duration_under_half_a_minute_is_refused(text):
    with pytest.raises(InputError, match="rounds to 0 minutes: log at least one minute"):
        parse_duration(text)


@pytest.mark.parametrize(("text", "minutes"), [("0.0084h", 1), ("0.01h", 1), ("0.025h", 2)])
def test_half_a_minute_rounds_up(text, minutes):
    assert parse_duration(text) == minutes


def test_add_refuses_a_duration_of_no_minutes(run, db_path):
    result = run("add", "linkedin", "0.001h")
    assert result.exit_code == 2
    assert (
        result.stderr == "Error: duration '0.001h' rounds to 0 minutes: log at least one minute\n"
    )
    assert not db_path.exists()


def test_a_budget_of_no_minutes_is_refused(ok, run):
    ok("add", "linkedin", "1h")
    result = run("budget", "linkedin", "0.001h/week")
    assert result.exit_code == 2
    assert "cannot read '0.001h' as a budget" in result.stderr


def test_one_minute_is_said_as_one(run):
    assert run("add", "linkedin", "1").stderr == (
        "Error: is '1' minutes or hours? Write 1m or 1h (netlog add linkedin 1h), or add --yes "
        "to log 1 minute\n"
    )
