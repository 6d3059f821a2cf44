"""Hostile surroundings of the process itself: closed standard streams, signals at any
moment (Ctrl-C while modules load, TERM and HUP), and outputs that are not plain files.

All through the installed console script, as a shell runs it: `>&-` is a closed descriptor,
which only a real process has.
"""

import os
import re
import signal
import sqlite3
import stat
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.test_hostile_support import (
    EXIT_ENVIRONMENT,
    EXIT_INTERRUPTED,
    NETLOG,
    Outcome,
    Snapshot,
    assert_one_line,
    bulk_insert,
    invoke,
    make_database,
    netlog,
)

pytestmark = pytest.mark.slow

INTERRUPTED = "Interrupted: nothing was written."


def shell(command: str, **env: str) -> Outcome:
    """`command` in sh, with `netlog` the installed console script."""
    result = subprocess.run(
        ["sh", "-c", command.replace("netlog", f"'{NETLOG}'")],
        capture_output=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )
    decode = lambda data: data.decode("utf-8", "backslashreplace")  # noqa: E731
    return Outcome(result.returncode, decode(result.stdout), decode(result.stderr))


def entry_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def seeded(db_path: Path) -> Path:
    make_database(db_path)
    return db_path


# --- closed streams --------------------------------------------------------------------------


@pytest.mark.parametrize("closed", [">&-", "2>&-", ">&- 2>&-", "<&-"])
def test_a_write_with_a_closed_stream_is_committed_once_and_exits_0(closed, seeded):
    before = entry_count(seeded)
    outcome = shell(f"netlog add email 1h --yes {closed}")
    assert outcome.code == 0, outcome
    assert "Traceback" not in outcome.stderr
    assert entry_count(seeded) == before + 1
    assert not list((seeded.parent / "xdg").rglob("crash-*")), "a crash report was written"


def test_a_report_with_stderr_closed_is_complete_and_exits_0(seeded, tmp_path):
    outcome = shell(f"netlog summary 2>&- > '{tmp_path / 's.txt'}'")
    assert outcome.code == 0, outcome
    shown = (tmp_path / "s.txt").read_text(encoding="utf-8")
    assert shown == netlog("summary").stdout
    assert "email" in shown


@pytest.mark.parametrize("argv", [["--version"], ["summary"], ["export"], ["log"]])
def test_output_to_a_closed_stdout_is_one_line_and_exit_1(argv, seeded):
    outcome = shell(" ".join(["netlog", *argv, ">&-"]))
    assert outcome.code == EXIT_ENVIRONMENT, outcome
    assert_one_line(outcome.stderr)
    assert "cannot write the output" in outcome.stderr


@pytest.mark.parametrize("argv", [["summary"], ["log"], ["--version"], ["where"]])
def test_reads_with_stdin_closed_work(argv, seeded):
    outcome = shell(" ".join(["netlog", *argv, "<&-"]))
    assert outcome.code == 0, outcome
    assert outcome.stdout


def test_import_from_a_closed_stdin_is_one_line_and_writes_nothing(seeded, tmp_path):
    before = Snapshot.take(tmp_path, seeded)
    outcome = shell("netlog import - <&-")
    assert outcome.code == EXIT_ENVIRONMENT, outcome
    assert_one_line(outcome.stderr)
    assert "cannot read standard input" in outcome.stderr
    before.assert_unchanged(tmp_path, seeded)


def test_a_file_opened_with_stdout_closed_never_takes_its_place(seeded, tmp_path):
    """With descriptor 1 closed, the next file opened would get it: a stray write to stdout
    would land in that file. Exported with stdout closed, the CSV is exactly the export."""
    target = tmp_path / "out.csv"
    outcome = shell(f"netlog export -o '{target}' >&-")
    assert outcome.code == 0, outcome
    assert target.read_bytes().decode("utf-8") == netlog("export").stdout


# --- Ctrl-C while modules load ---------------------------------------------------------------


def _interrupt_after(seconds: float, signum: int, *argv: str) -> tuple[int, str]:
    process = subprocess.Popen(
        [NETLOG, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy()
    )
    time.sleep(seconds)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr.decode("utf-8", "backslashreplace")


def _frames_in_netlog_after_its_first_line(stderr: str) -> list[tuple[str, int]]:
    """Traceback frames in netlog's code after the line that takes over Ctrl-C (before it,
    only Python and the installer's wrapper run: their traceback is theirs)."""
    import netlog.main

    source = Path(netlog.main.__file__).read_text(encoding="utf-8").splitlines()
    takes_over = next(n for n, line in enumerate(source, 1) if line.startswith("sys.excepthook"))
    frames = [(name, int(line)) for name, line in re.findall(r'File "([^"]+)", line (\d+)', stderr)]
    return [
        (name, line)
        for name, line in frames
        if "/netlog/" in name
        and not name.endswith("/netlog/__init__.py")
        and not (name.endswith("/netlog/main.py") and line <= takes_over)
    ]


def test_ctrl_c_at_any_moment_of_start_up_is_one_line_and_130(seeded):
    """Signals sent every 4 ms from the start: before Python installs its Ctrl-C handler the
    process just dies of SIGINT (-2, silent), and Python's own start-up (site, the installer's
    wrapper script) is beyond netlog; from netlog's first module on, it is the one line."""
    seen = []
    for step in range(30):
        code, stderr = _interrupt_after(step * 0.004, signal.SIGINT, "summary")
        assert not _frames_in_netlog_after_its_first_line(stderr), stderr
        if code == EXIT_INTERRUPTED:  # after what the command said before it (a hint), if any
            assert stderr.strip().splitlines()[-1] == INTERRUPTED, stderr
            assert "Traceback" not in stderr, stderr
        seen.append(code)
    assert set(seen) <= {EXIT_INTERRUPTED, -signal.SIGINT, 0, 1}, seen
    assert EXIT_INTERRUPTED in seen, seen
    assert entry_count(seeded) == 3


# --- TERM and HUP end like Ctrl-C ------------------------------------------------------------


def _hangup_as_default() -> None:
    """In the child: SIGHUP as a terminal's process has it. Under `nohup` (as a CI job may run)
    it would be inherited ignored, and netlog rightly leaves an ignored SIGHUP ignored."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_term_and_hup_during_an_export_leave_no_temporary_file(signum, db_path, tmp_path):
    make_database(db_path)
    bulk_insert(db_path, 100_000)
    folder = tmp_path / "out"
    folder.mkdir()
    process = subprocess.Popen(
        [NETLOG, "export", "-o", str(folder / "out.csv")],
        stderr=subprocess.PIPE,
        preexec_fn=_hangup_as_default,
    )
    deadline = time.monotonic() + 30
    while not list(folder.iterdir()):  # the temporary file appears: the export is writing
        assert process.poll() is None, "the export ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stderr
    assert stderr.decode().strip() == INTERRUPTED
    assert list(folder.iterdir()) == []


def _demo_at_work(tmp_path: Path, hangup: Callable[[], None]) -> tuple[subprocess.Popen, Path]:
    """`netlog demo` started with TMPDIR in tmp_path (the child's SIGHUP set by `hangup`),
    once its temporary folder is there; and that TMPDIR."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    process = subprocess.Popen(
        [NETLOG, "demo"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=hangup,
    )
    deadline = time.monotonic() + 30
    while not list(temporary.iterdir()):
        assert process.poll() is None, "the demo ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    return process, temporary


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_term_and_hup_during_the_demo_leave_no_folder(signum, tmp_path):
    process, temporary = _demo_at_work(tmp_path, _hangup_as_default)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stderr
    assert INTERRUPTED in stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert list(temporary.iterdir()) == []


def test_under_nohup_a_hangup_is_left_ignored(tmp_path):
    """`nohup netlog demo`: a SIGHUP the shell set to be ignored stays ignored, and the
    command finishes."""
    process, temporary = _demo_at_work(
        tmp_path, lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)
    )
    process.send_signal(signal.SIGHUP)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert INTERRUPTED not in stderr.decode()
    assert list(temporary.iterdir()) == []


def test_a_first_add_stopped_by_term_leaves_no_empty_database(tmp_path):
    """TERM at every moment of a first `add`: either the entry is there or no file is."""
    for step in range(25):
        database = tmp_path / f"n{step}.db"
        env = {**os.environ, "NETLOG_DB": str(database)}
        process = subprocess.Popen([NETLOG, "add", "email", "1h"], stderr=subprocess.PIPE, env=env)
        time.sleep(0.03 + step * 0.004)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        assert "netlog/" not in stderr.decode(), stderr
        if database.exists():
            assert process.returncode == 0, stderr
            assert entry_count(database) == 1
        else:
            assert process.returncode in (128 + signal.SIGTERM, -signal.SIGTERM), stderr
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f"n{step}.db-")]
        assert leftovers == []


def test_hup_is_still_ignored_under_nohup(seeded):
    outcome = shell("trap '' HUP; netlog add email 1h --yes & pid=$!; kill -HUP $pid; wait $pid")
    assert outcome.code == 0, outcome
    assert entry_count(seeded) == 4


# --- outputs that are not plain files ---------------------------------------------------------


@pytest.mark.parametrize("command", [["export"], ["report", "-f", "md"]])
def test_a_symlink_as_the_output_is_followed(command, seeded, tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    assert invoke(*command, "-o", str(link)).code == 0
    assert link.is_symlink()
    assert real.read_bytes().decode("utf-8") == netlog(*command).stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_fifo_as_the_output_gets_the_data(seeded, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    outcome = netlog("export", "-o", str(fifo))
    reader.join(timeout=30)
    assert outcome.code == 0, outcome
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received == [netlog("export").stdout.encode()]


def test_a_device_node_as_the_output_stays_a_device(seeded, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    for command in (["export"], ["report", "-f", "html"]):
        outcome = netlog(*command, "-o", str(device))
        assert outcome.code == 0, outcome
        assert stat.S_ISCHR(device.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_dev_stdout_as_the_output_writes_to_stdout(seeded, tmp_path):
    outcome = netlog("export", "-o", "/dev/stdout")
    assert outcome.code == 0, outcome
    assert outcome.stdout == netlog("export").stdout
    assert Path("/dev/stdout").is_symlink()
    target = tmp_path / "via-shell.csv"
    assert shell(f"netlog export -o /dev/stdout > '{target}'").code == 0
    assert target.read_bytes().decode("utf-8") == outcome.stdout


@pytest.mark.parametrize("command", [["export"], ["report", "-f", "md"]])
def test_a_folder_as_the_output_is_refused(command, seeded, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    before = Snapshot.take(tmp_path, seeded)
    outcome = invoke(*command, "-o", str(folder))
    assert outcome.code == EXIT_ENVIRONMENT, outcome
    assert_one_line(outcome.stderr)
    assert "is a directory" in outcome.stderr
    before.assert_unchanged(tmp_path, seeded)
