"""What the hostile suites (tests/test_hostile_*.py) share: how to run netlog, and how to
check that a failure was clean. No tests here.

A clean failure is: exactly one line on stderr that starts with `Error: ` (or says it was
interrupted), no traceback and no 'Exception ignored', the right exit status, the database
unchanged (its SQL dump before and after), and nothing new on disk (every file under the
test's folder before and after).
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from typer.testing import CliRunner

from netlog.cli import app

NETLOG = shutil.which("netlog", path=str(Path(sys.executable).parent)) or shutil.which("netlog")
EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 2, 1, 130, 141
ENTRY_COLUMNS = (
    "id,uuid,type,channel,what,minutes,count,kind,label,value,currency,note,tags,"
    "occurred_at,logged_at,reach_total,sources"
)


class Outcome(NamedTuple):
    code: int
    stdout: str
    stderr: str


def invoke(*args: str, input: str | None = None) -> Outcome:
    """netlog in-process (fast); stdout and stderr kept apart."""
    result = CliRunner().invoke(app, list(args), input=input, prog_name="netlog")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"escaped the last line of defence: {result.exception!r}")
    return Outcome(result.exit_code, result.stdout, result.stderr)


def netlog(
    *args: str | bytes,
    stdin=None,
    stdout=subprocess.PIPE,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    preexec_fn=None,
    prefix: Sequence[str] = (),
) -> Outcome:
    """The installed console script, as a shell runs it."""
    assert NETLOG, "the netlog console script is not installed"
    result = subprocess.run(
        [*prefix, NETLOG, *args],
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env if env is not None else os.environ.copy(),
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )
    decode = lambda data: (data or b"").decode("utf-8", "backslashreplace")  # noqa: E731
    return Outcome(result.returncode, decode(result.stdout), decode(result.stderr))


def assert_one_line(stderr: str, start: str = "Error: ") -> None:
    """Exactly one line on stderr, starting with `start`, no traceback."""
    assert "Traceback" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr
    lines = stderr.strip("\n").split("\n")
    assert len(lines) == 1, stderr
    assert lines[0].startswith(start), stderr
    assert "hit a bug" not in stderr, stderr


def assert_clean_failure(outcome: Outcome, code: int, *expected: str) -> None:
    assert outcome.code == code, outcome
    assert_one_line(outcome.stderr)
    for text in expected:
        assert text in outcome.stderr, outcome.stderr


def dump(path: Path) -> list[str] | None:
    """The database's content as SQL (None if there is no file)."""
    if not path.exists():
        return None
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


class Snapshot(NamedTuple):
    database: list[str] | None
    files: set[str]

    @classmethod
    def take(cls, folder: Path, database: Path) -> "Snapshot":
        return cls(dump(database), files_under(folder))

    def assert_unchanged(self, folder: Path, database: Path) -> None:
        after = Snapshot.take(folder, database)
        assert after.files == self.files, (
            f"new: {after.files - self.files}, gone: {self.files - after.files}"
        )
        assert after.database == self.database, "the database changed"


def make_database(path: Path, entries: int = 3) -> None:
    """A current-schema netlog file with a channel, some activity and a win."""
    code = invoke("--db", str(path), "outcome", "email", "win", "--value", "1200", "--at",
                  "2010-09-20").code  # fmt: skip
    assert code == 0
    for number in range(1, entries):
        assert invoke("--db", str(path), "add", "email", "45m", f"newsletter {number}",
                      "--at", f"2010-09-{number % 28 + 1:02d} 10:00").code == 0  # fmt: skip


def bulk_insert(path: Path, count: int, *, kind: str = "activity", value: int | None = None):
    """Many entries at once, straight through sqlite3 into a netlog file (channel 1)."""
    conn = sqlite3.connect(path)
    try:
        conn.executemany(
            "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, minutes,"
            " count, value_minor, currency) VALUES (?, 1, ?, ?, ?, ?, 1, ?, ?)",
            (
                (
                    str(uuid.uuid4()), kind, f"2010-{n % 12 + 1:02d}-14T10:00:00+00:00",
                    "2010-09-14T10:00:00+00:00", 30 if kind == "activity" else None,
                    value, "GBP" if value is not None else None,
                )
                for n in range(count)
            ),
        )  # fmt: skip
        conn.commit()
    finally:
        conn.close()


def csv_row(**fields: object) -> str:
    """One row of a netlog CSV export, with sensible defaults for an activity."""
    row = {
        "id": "", "uuid": str(uuid.uuid4()), "type": "activity", "channel": "email",
        "what": "", "minutes": "30", "count": "1", "kind": "", "label": "", "value": "",
        "currency": "", "note": "", "tags": "", "occurred_at": "2010-09-14T10:00:00+00:00",
        "logged_at": "2010-09-14T10:00:00+00:00", "reach_total": "", "sources": "",
    }  # fmt: skip
    row.update({key: str(value) for key, value in fields.items()})
    return ",".join(row[column] for column in ENTRY_COLUMNS.split(","))


def default_sigpipe() -> None:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
