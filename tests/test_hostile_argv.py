"""Hostile command lines: bytes that are not UTF-8, numbers past every limit, impossible UTC
offsets, digits that are not 0-9, and arbitrary text in every argument of every command.

Each case must fail (or succeed) cleanly: one line on stderr, the right exit status, the
database unchanged and nothing new on disk.
"""

import os
import tempfile
from pathlib import Path

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_hostile_support import (
    EXIT_BAD_INPUT,
    Snapshot,
    assert_clean_failure,
    invoke,
    make_database,
    netlog,
)

from netlog.cli import app

pytestmark = pytest.mark.slow

BAD = "\udcff\udcfe"  # what Python makes of the bytes \xff\xfe in argv
HUGE = "9" * 5001  # past Python's 4,300-digit limit on int()

UNDECODABLE = [
    ["add", BAD, "1h"],
    ["add", "email", "1h", BAD],
    ["add", "email", "1h", "--note", BAD],
    ["add", "email", "1h", "--tag", BAD],
    ["add", "email", BAD],
    ["add", "email", "1h", "--at", BAD],
    ["outcome", "email", "win", "--label", BAD],
    ["outcome", "email", "win", "--value", BAD],
    ["spend", "email", BAD],
    ["start", BAD],
    ["start", "email", BAD],
    ["channels", "alias", BAD, "email"],
    ["channels", "alias", "mail", BAD],
    ["channels", "rename", "email", BAD],
    ["channels", "rename", BAD, "mail"],
    ["config", "currency", BAD],
    ["edit", "1", "--note", BAD],
    ["summary", "--since", BAD],
    ["log", "--channel", BAD],
    ["import", BAD],
    ["--db", BAD, "add", "email", "1h"],
    [BAD],
]


@pytest.fixture
def seeded(db_path: Path) -> Path:
    make_database(db_path)
    return db_path


@pytest.mark.parametrize("with_database", [False, True], ids=["no-db", "db"])
@pytest.mark.parametrize("argv", UNDECODABLE, ids=lambda argv: " ".join(argv).replace(BAD, "BAD"))
def test_undecodable_arguments_are_refused(argv, with_database, db_path, tmp_path):
    if with_database:
        make_database(db_path)
    before = Snapshot.take(tmp_path, db_path)
    outcome = invoke(*argv)
    assert_clean_failure(outcome, EXIT_BAD_INPUT, "is not valid UTF-8")
    before.assert_unchanged(tmp_path, db_path)


@pytest.mark.parametrize(
    "argv",
    [
        [b"add", b"\xff\xfe", b"1h"],
        [b"add", b"email", b"1h", b"--note", b"caf\xe9"],
        [b"channels", b"rename", b"email", b"\xc3"],
    ],
    ids=["channel", "note", "rename"],
)
def test_undecodable_bytes_from_a_real_shell(argv, tmp_path, db_path):
    before = Snapshot.take(tmp_path, db_path)
    outcome = netlog(*argv)
    assert_clean_failure(outcome, EXIT_BAD_INPUT, "is not valid UTF-8")
    before.assert_unchanged(tmp_path, db_path)


NUMBERS = [
    ["add", "email", HUGE + "m"],
    ["add", "email", HUGE],
    ["add", "email", "1." + HUGE + "h"],
    ["add", "email", "1h", "--count", HUGE],
    ["add", "email", "1h", "--at", HUGE],
    ["add", "email", "1h", "--at", HUGE + " days ago"],
    ["outcome", "email", "reach", HUGE],
    ["outcome", "email", "reach", "--total", HUGE],
    ["outcome", "email", "win", "--value", HUGE],
    ["outcome", "email", "win", "--value", "1e999999"],
    ["outcome", "email", "lead", "--from", HUGE],
    ["spend", "email", HUGE],
    ["edit", HUGE, "--note", "x"],
    ["edit", "1", "--duration", HUGE],
    ["rm", HUGE, "--yes"],
    ["config", "rate", HUGE],
    ["config", "threshold", HUGE],
    ["config", "timer-limit", HUGE],
    ["summary", "--since", HUGE],
    ["summary", "--rate", HUGE],
    ["log", "--limit", HUGE],
    ["log", "--limit", "99999999999999999999"],
    ["log", "--limit", "9223372036854775808"],
    ["export", "--until", HUGE],
    ["stop", "--duration", HUGE],
]


@pytest.mark.parametrize(
    "argv", NUMBERS, ids=lambda argv: " ".join(argv)[:40].replace(HUGE[:30], "HUGE")
)
def test_numbers_past_every_limit_are_refused(argv, seeded, tmp_path):
    before = Snapshot.take(tmp_path, seeded)
    outcome = invoke(*argv)
    assert_clean_failure(outcome, EXIT_BAD_INPUT)
    assert len(outcome.stderr) < 400  # the 5,001 digits are not echoed back
    before.assert_unchanged(tmp_path, seeded)


def test_the_largest_limit_sqlite_takes_lists_everything(seeded):
    outcome = invoke("log", "--limit", "999999999999999999", "-f", "csv")
    assert outcome.code == 0, outcome
    assert len(outcome.stdout.splitlines()) == 1 + 3


def test_a_duration_of_5001_digits_from_the_console_script(tmp_path, db_path):
    outcome = netlog("add", "email", HUGE + "m")
    assert_clean_failure(outcome, EXIT_BAD_INPUT, "as a duration")
    assert not db_path.exists()


OFFSETS = [
    ["add", "email", "1h", "--at", "2010-01-01 10:00 +99:00"],
    ["add", "email", "1h", "--at", "2010-01-01 10:00 -24:00"],
    ["add", "email", "1h", "--at", "2010-01-01T10:00+2400"],
    ["outcome", "email", "win", "--at", "2010-01-01 10:00 +99:00"],
    ["spend", "email", "5", "--at", "2010-01-01 10:00 +99:00"],
    ["start", "email", "--at", "2010-01-01 10:00 +99:00"],
    ["edit", "1", "--at", "2010-01-01 10:00 +99:00"],
    ["summary", "--since", "2010-01-01 10:00 +99:00"],
    ["summary", "--until", "2010-01-01 10:00 -99:59"],
    ["log", "--since", "2010-01-01 10:00 +99:00"],
    ["export", "--since", "2010-01-01 10:00 +99:00"],
    ["report", "--since", "2010-01-01 10:00 +99:00"],
]


@pytest.mark.parametrize("argv", OFFSETS, ids=lambda argv: " ".join(argv[:2] + argv[-2:-1]))
def test_utc_offsets_of_a_day_or_more_are_refused(argv, seeded, tmp_path):
    before = Snapshot.take(tmp_path, seeded)
    outcome = invoke(*argv)
    assert_clean_failure(outcome, EXIT_BAD_INPUT, "UTC offset")
    before.assert_unchanged(tmp_path, seeded)


@pytest.mark.parametrize("zone", ["UTC+99", "UTC-99", "XYZ+24:00:01", "<+99>-99"])
@pytest.mark.parametrize("argv", [["add", "email", "1h"], ["summary"], ["log"], ["status"]])
def test_an_impossible_tz_setting_never_crashes(argv, zone, seeded, monkeypatch):
    monkeypatch.setenv("TZ", zone)
    outcome = invoke(*argv)
    assert outcome.code in (0, 1), outcome  # status: 1 when no timer runs
    assert "Traceback" not in outcome.stderr


UNICODE_DIGITS = [
    ["outcome", "email", "reach", "١٢"],
    ["outcome", "email", "reach", "１２"],
    ["outcome", "email", "reach", "1_000"],
    ["outcome", "email", "reach", "--total", "١٢"],
    ["outcome", "email", "win", "--value", "１２"],
    ["outcome", "email", "win", "--value", "١٢"],
    ["outcome", "email", "lead", "--from", "١"],
    ["add", "email", "1h", "--count", "١٢"],
    ["add", "email", "١٢m"],
    ["add", "email", "１h"],
    ["edit", "١", "--note", "x"],
    ["edit", "1", "--count", "１２"],
    ["rm", "١", "--yes"],
    ["log", "--limit", "١٢"],
    ["spend", "email", "١٢"],
    ["config", "rate", "１２"],
    ["stop", "--count", "١٢"],
]


@pytest.mark.parametrize("argv", UNICODE_DIGITS, ids=" ".join)
def test_digits_other_than_0_to_9_are_refused(argv, seeded, tmp_path):
    before = Snapshot.take(tmp_path, seeded)
    outcome = invoke(*argv)
    assert_clean_failure(outcome, EXIT_BAD_INPUT)
    before.assert_unchanged(tmp_path, seeded)


def test_a_threshold_in_arabic_digits_is_refused(seeded):
    assert_clean_failure(invoke("config", "threshold", "١٢"), EXIT_BAD_INPUT)


@pytest.mark.parametrize(
    "argv",
    [
        ["summary", "--since", "garbage"],
        ["export", "--since", "garbage"],
        ["report", "--since", "garbage"],
        ["log", "--since", "garbage"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_bad_date_with_no_database_is_bad_input(argv, tmp_path, db_path):
    before = Snapshot.take(tmp_path, db_path)
    outcome = invoke(*argv)
    assert_clean_failure(outcome, EXIT_BAD_INPUT, "garbage")
    before.assert_unchanged(tmp_path, db_path)


# --- arbitrary text in every argument of every command ---------------------------------------


def _command_paths() -> list[tuple[list[str], list[str]]]:
    """Every command of the app (with its group's name) and its option names."""
    found = []
    pending: list[tuple[list[str], object]] = [([], typer.main.get_command(app))]
    while pending:
        path, command = pending.pop()
        for name, sub in getattr(command, "commands", {}).items():
            options = [opt for param in sub.params for opt in param.opts if opt.startswith("-")]
            found.append(([*path, name], options))
            pending.append(([*path, name], sub))
    return sorted(found)


COMMANDS = _command_paths()
# Text a shell can pass: no NUL; surrogates stand for bytes that are not UTF-8. No "/", so
# that every file a command may write lands in the scratch folder; no --open (a browser).
ARG_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\x00/", blacklist_categories=("Cn",)),
    max_size=30,
).filter(lambda text: text != "--open")
SURROGATE_BYTES = (
    st.binary(min_size=1, max_size=6)
    .map(lambda data: data.decode("utf-8", "surrogateescape"))
    .filter(lambda text: "/" not in text and "\x00" not in text)
)


@st.composite
def command_lines(draw) -> list[str]:
    path, options = draw(st.sampled_from(COMMANDS))
    plausible = st.sampled_from(["1", "0", "-1", "1h", "email", "win", "2010-09", "-"])
    pieces = st.one_of(ARG_TEXT, SURROGATE_BYTES, st.sampled_from(options or ["-h"]), plausible)
    return [*path, *draw(st.lists(pieces, max_size=6))]


@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=command_lines())
def test_any_text_in_any_argument_never_crashes(argv, monkeypatch, db_path):
    with tempfile.TemporaryDirectory() as scratch:
        monkeypatch.chdir(scratch)
        monkeypatch.setenv("XDG_DATA_HOME", scratch)  # where a crash report would go
        outcome = invoke(*argv, input="")
        assert outcome.code in (0, 1, 2), (argv, outcome)
        assert "Traceback" not in outcome.stderr + outcome.stdout, argv
        assert "hit a bug" not in outcome.stderr, (argv, outcome.stderr)
        assert not list(Path(scratch).glob("crash-*.txt")), argv
