"""Hostile timing: another netlog holding the lock, Ctrl-C while waiting for it, many writers
at once, and a reader that closes the pipe after the first line.

Exit statuses: 130 after Ctrl-C (nothing written), 1 when the lock is never released, 141
when the reader went away (and no 'Exception ignored' on stderr, the file closed cleanly).
"""

import contextlib
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.test_hostile_support import (
    ENTRY_COLUMNS,
    EXIT_BROKEN_PIPE,
    EXIT_ENVIRONMENT,
    EXIT_INTERRUPTED,
    NETLOG,
    Snapshot,
    assert_clean_failure,
    assert_one_line,
    csv_row,
    invoke,
    make_database,
    netlog,
)

from netlog.store import db

pytestmark = pytest.mark.slow

WRITES = [
    ["add", "email", "1h"],
    ["outcome", "email", "win", "--value", "5"],
    ["spend", "email", "5"],
    ["config", "rate", "40"],
    ["start", "email"],
    ["channels", "rename", "email", "mail"],
    ["import", "{import}"],
    ["rm", "1", "--yes"],
    ["edit", "1", "--note", "x"],
    ["undo"],
]
READS = [["summary"], ["log"], ["export"]]


@contextlib.contextmanager
def locked(path: Path, how: str) -> Iterator[None]:
    """Another program in the middle of a write: IMMEDIATE keeps other writers out,
    EXCLUSIVE readers too."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"BEGIN {how}")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.fixture
def import_file(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "in.csv"
    path.write_text(f"{ENTRY_COLUMNS}\n{csv_row()}\n", encoding="utf-8")
    return {"import": str(path)}


# --- a lock that is never released ---------------------------------------------------------


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.6)


@pytest.mark.parametrize(
    ("argv", "how"),
    [(argv, "IMMEDIATE") for argv in WRITES] + [(argv, "EXCLUSIVE") for argv in READS],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_a_lock_held_too_long_is_one_line(argv, how, short_wait, import_file, tmp_path, db_path):
    make_database(db_path)
    before = Snapshot.take(tmp_path, db_path)
    with locked(db_path, how):
        started = time.monotonic()
        outcome = invoke(*[arg.format(**import_file) for arg in argv])
        waited = time.monotonic() - started
    assert_clean_failure(outcome, EXIT_ENVIRONMENT, "busy")
    assert "waiting" not in outcome.stderr  # not a terminal: no progress message
    assert 0.5 < waited < 5
    before.assert_unchanged(tmp_path, db_path)


def test_a_lock_released_while_waiting_lets_the_write_through(db_path):
    make_database(db_path)
    release = threading.Event()

    def hold() -> None:
        with locked(db_path, "IMMEDIATE"):
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    threading.Timer(0.8, release.set).start()
    outcome = invoke("add", "email", "1h", "--at", "2010-09-21")
    holder.join()
    assert outcome.code == 0, outcome
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM entries").fetchone()[0] == 4


# --- Ctrl-C while waiting --------------------------------------------------------------------


def _interrupt_while_waiting(argv: list[str], env: dict[str, str]) -> tuple[int, str, float]:
    """Run netlog with stderr on a terminal; once it says it is waiting, press Ctrl-C.
    Returns (exit status, what it said, seconds from Ctrl-C to exit)."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [NETLOG, *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
        # A shell ignores SIGINT in background jobs, and children inherit that: a test run in
        # the background would otherwise press a Ctrl-C that netlog was told to ignore.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    os.close(slave)
    said = b""
    deadline = time.monotonic() + 30
    try:
        while b"waiting for another netlog" not in said and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                said += os.read(master, 4096)
        assert b"waiting for another netlog" in said, said
        pressed = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
        stopped = time.monotonic() - pressed
        with contextlib.suppress(OSError):  # EIO once the terminal's other end is closed
            while select.select([master], [], [], 0.2)[0]:
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                said += chunk
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(master)
    return process.returncode, said.decode("utf-8", "replace").replace("\r\n", "\n"), stopped


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "how"),
    [(argv, "IMMEDIATE") for argv in WRITES] + [(argv, "EXCLUSIVE") for argv in READS],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_ctrl_c_ends_the_wait_at_once_with_nothing_written(
    argv, how, import_file, tmp_path, db_path
):
    make_database(db_path)
    before = Snapshot.take(tmp_path, db_path)
    with locked(db_path, how):
        code, said, stopped = _interrupt_while_waiting(
            [arg.format(**import_file) for arg in argv], os.environ.copy()
        )
    assert code == EXIT_INTERRUPTED, said
    lines = said.strip().split("\n")
    assert lines[0] == "waiting for another netlog… (Ctrl-C to stop)", said
    assert_one_line("\n".join(lines[1:]).strip(), start="Interrupted: nothing was written")
    assert stopped < 2, stopped
    before.assert_unchanged(tmp_path, db_path)


@pytest.mark.slow
def test_ctrl_c_while_another_program_sets_up_the_file_changes_nothing(tmp_path, db_path):
    db_path.touch()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        code, said, _ = _interrupt_while_waiting(["add", "email", "1h"], os.environ.copy())
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert code == EXIT_INTERRUPTED, said
    assert db_path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["netlog.db"]


# --- many writers at once ----------------------------------------------------------------------

WRITER = """
import sys
from netlog.cli import app

name, count = sys.argv[1], int(sys.argv[2])
codes = [
    app(["add", name, "5m", str(i), "--at", "2010-09-14"], prog_name="netlog",
        standalone_mode=False)
    for i in range(count)
]
sys.exit(0 if set(codes) == {0} else 1)
"""
READER = """
import sys, time
from netlog.cli import app

until = time.monotonic() + float(sys.argv[1])
while time.monotonic() < until:
    code = app(["log", "-f", "csv", "--limit", "0"], prog_name="netlog", standalone_mode=False)
    if code != 0:
        sys.exit(code)
"""


@pytest.mark.slow
def test_eight_writers_at_once_lose_no_row(db_path):
    """8 processes x 50 adds, with readers holding shared locks in between: every COMMIT
    waits its turn, none fails and no row is lost."""
    make_database(db_path, entries=1)
    env = {**os.environ, "NETLOG_DB": str(db_path)}
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, "20"], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"channel{n}", "50"], env=env, stderr=subprocess.PIPE
        )
        for n in range(8)
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors.decode()[-2000:]
    for reader in readers:
        reader.kill()
        reader.wait()
    conn = sqlite3.connect(db_path)
    counts = dict(
        conn.execute(
            "SELECT c.name, count(*) FROM entries e JOIN channels c ON c.id = e.channel_id"
            " WHERE c.name LIKE 'channel%' GROUP BY c.name"
        ).fetchall()
    )
    assert counts == {f"channel{n}": 50 for n in range(8)}
    assert conn.execute("SELECT count(DISTINCT what) FROM entries WHERE what GLOB '[0-9]*'"
                        ).fetchone()[0] == 50  # fmt: skip
    assert netlog("check", env=env).code == 0


# --- a reader that closes the pipe ------------------------------------------------------------


TEN_AM = "T10:00:00+00:00"


@pytest.fixture(scope="module")
def big_database(tmp_path_factory) -> Path:
    """200 channels and 40,000 entries over a year: megabytes of output for every report."""
    path = tmp_path_factory.mktemp("pipes") / "netlog.db"
    make_database(path, entries=1)
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO channels (key, name, created_at) VALUES (?, ?, '2010-01-01T00:00:00+00:00')",
        [(f"channel {n}", f"Channel {n}") for n in range(200)],
    )
    conn.executemany(
        "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, minutes, count)"
        " VALUES (?, ?, 'activity', ?, '2010-12-31T10:00:00+00:00', 30, 1)",
        [
            (str(uuid.uuid4()), 2 + n % 200, f"2010-{n % 12 + 1:02d}-{n % 28 + 1:02d}{TEN_AM}")
            for n in range(40_000)
        ],
    )  # fmt: skip
    conn.commit()
    conn.close()
    return path


PIPED = [
    ["log", "-f", "csv"],
    ["log", "-f", "json"],
    ["export"],
    ["export", "-f", "json"],
    ["summary", "--by", "day", "-f", "csv"],
    ["summary", "--by", "day", "-f", "json"],
]
# Rich writes a whole table in one call: when the reader goes away part-way, that write ends
# short without an error, so netlog may finish with 0, the status a shell pipeline shows.
TABLES = [
    ["log", "--limit", "3000"],
    ["summary", "--by", "month"],
]


@pytest.mark.slow
@pytest.mark.parametrize("argv", PIPED + TABLES, ids=" ".join)
def test_a_reader_that_closes_the_pipe_ends_netlog_quietly(argv, big_database, tmp_path):
    path = tmp_path / "netlog.db"
    path.write_bytes(big_database.read_bytes())
    before = Snapshot.take(tmp_path, path)
    env = {**os.environ, "NETLOG_DB": str(path)}
    process = subprocess.Popen(
        [NETLOG, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read().decode()
    process.wait(timeout=60)
    allowed = {EXIT_BROKEN_PIPE} if argv in PIPED else {EXIT_BROKEN_PIPE, 0}
    assert process.returncode in allowed, errors
    assert "Error" not in errors
    assert "Exception ignored" not in errors
    assert "Traceback" not in errors
    assert netlog("check", env=env).code == 0
    before.assert_unchanged(tmp_path, path)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["log -f csv", "export", "summary --by day -f csv"])
def test_head_in_a_shell_pipeline_sees_no_error(command, big_database, tmp_path):
    path = tmp_path / "netlog.db"
    path.write_bytes(big_database.read_bytes())
    shell = subprocess.run(
        ["bash", "-c", f"'{NETLOG}' {command} | head -1"],
        capture_output=True,
        text=True,
        env={**os.environ, "NETLOG_DB": str(path)},
        timeout=60,
    )
    assert shell.returncode == 0
    assert shell.stderr == ""
    assert len(shell.stdout.splitlines()) == 1


def test_an_interrupt_wrapped_by_python_is_an_interrupt_not_a_bug():
    """A signal that lands while an import makes a class comes back as RuntimeError (Error
    calling __set_name__) with the KeyboardInterrupt as its cause: still an interruption."""
    from netlog.commands.common import _from_an_interrupt

    wrapped = RuntimeError("Error calling __set_name__")
    wrapped.__cause__ = KeyboardInterrupt()
    assert _from_an_interrupt(wrapped)
    assert not _from_an_interrupt(RuntimeError("a real bug"))


_SIGNAL_DURING_THE_COMMIT = """
import os, signal, sys
from pathlib import Path
import netlog.main
from netlog.store import db

signal.signal(signal.SIGTERM, netlog.main._end_like_ctrl_c)
conn = db.open_db(Path(sys.argv[1]), create=True)
conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
conn.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))")
conn.execute("PRAGMA foreign_keys = ON")
# SQLite calls this as the statement starts; the handler runs as Python's next step
conn.set_trace_callback(
    lambda statement: os.kill(os.getpid(), signal.SIGTERM) if statement == "COMMIT" else None
)
try:
    with db.write_transaction(conn, change="test"):
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("INSERT INTO settings (key, value) VALUES ('rate', '40')")
        if sys.argv[2] == "fails":
            conn.execute("INSERT INTO child (parent_id) VALUES (7)")  # fails at COMMIT
except KeyboardInterrupt:
    print("interrupted")
else:
    print("landed")
"""


@pytest.mark.parametrize(
    ("commit", "said", "rows"), [("lands", "landed", 1), ("fails", "interrupted", 0)]
)
def test_a_signal_during_the_commit_waits_for_its_outcome(commit, said, rows, db_path):
    """TERM that arrives while SQLite commits must not end netlog with "nothing was written"
    when the row is there: it waits, and ends netlog only if the COMMIT failed."""
    ran = subprocess.run(
        [sys.executable, "-c", _SIGNAL_DURING_THE_COMMIT, str(db_path), commit],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.stdout.strip() == said, ran.stderr
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM settings").fetchone()[0] == rows


def test_an_interrupt_wrapped_by_python_while_modules_load_is_one_line():
    """The same wrapping before any command runs (as netlog's modules load) ends as Ctrl-C."""
    script = (
        "import netlog.main\n"
        "try:\n    raise KeyboardInterrupt\n"
        "except KeyboardInterrupt as exc:\n"
        "    raise RuntimeError('Error calling __set_name__') from exc\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (ran.returncode, ran.stderr) == (EXIT_INTERRUPTED, "Interrupted: nothing was written.\n")
    bug = subprocess.run(
        [sys.executable, "-c", "import netlog.main\nraise RuntimeError('a real bug')"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bug.returncode == 1
    assert "RuntimeError: a real bug" in bug.stderr


_SIGNAL_AS_THE_TEMPORARY_IS_MADE = """
import os, signal, sys, tempfile
from pathlib import Path
import netlog.main

signal.signal(signal.SIGTERM, netlog.main._end_like_ctrl_c)
where = Path(sys.argv[1])
tempfile.tempdir = str(where)
for name in ("mkdtemp", "mkstemp"):  # TERM arrives the moment the file or folder exists
    made = getattr(tempfile, name)
    def making(*args, made=made, **kwargs):
        result = made(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)
        return result
    setattr(tempfile, name, making)
try:
    if sys.argv[2] == "folder":
        from netlog import interrupts
        with interrupts.temporary_folder(prefix="netlog-demo-"):
            pass
    else:
        from netlog.io.output import write_output
        write_output(where / "out.csv", lambda out: out.write("a,b\\n"))
except KeyboardInterrupt:
    print("interrupted")
"""


@pytest.mark.parametrize("made", ["folder", "file"])
def test_a_signal_as_a_temporary_is_made_leaves_nothing(made, tmp_path):
    """TERM the instant mkdtemp/mkstemp returns (the demo's folder, an export's temporary
    file): it still ends netlog, and what was made is removed."""
    ran = subprocess.run(
        [sys.executable, "-c", _SIGNAL_AS_THE_TEMPORARY_IS_MADE, str(tmp_path), made],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.stdout.strip() == "interrupted", ran.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_signal_in_a_callback_python_cannot_raise_from_still_ends_netlog():
    """Python prints an error in a weakref callback (the import system's module locks) as
    "Exception ignored" and goes on: a Ctrl-C landing there is sent again, and ends netlog."""
    script = (
        "import weakref, netlog.main\n"
        "class Held: pass\n"
        "held = Held()\n"
        "def callback(ref): raise KeyboardInterrupt\n"
        "ref = weakref.ref(held, callback)\n"
        "try:\n"
        "    del held\n"
        "    import time; time.sleep(5)\n"  # netlog goes on working: the interrupt lands
        "    print('not interrupted')\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert ran.stdout.strip() == "interrupted"
    assert ran.stderr == ""
