"""The installed `netlog` command, run as separate processes, as a user's shell runs it."""

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tests.conftest import rows

pytestmark = pytest.mark.slow

NETLOG = shutil.which("netlog", path=str(Path(sys.executable).parent)) or shutil.which("netlog")


def netlog(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    assert NETLOG, "the netlog console script is not installed"
    result = subprocess.run(
        [NETLOG, *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_console_script_logs_and_reports(db_path):
    added = netlog("add", "linkedin", "45m", "messages", "--at", "2010-09-14 10:00")
    assert added.stdout == ""
    assert "Logged #1" in added.stderr
    data = json.loads(netlog("summary", "-f", "json").stdout)
    assert data[0]["channel"] == "linkedin"
    assert data[0]["hours"] == 0.75


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "netlog", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("netlog ")


def test_demo_from_the_console_script(db_path):
    result = netlog("demo")
    assert "came from Email" in result.stdout
    assert not db_path.exists()


def test_bad_input_from_the_console_script_is_one_line_without_traceback():
    result = netlog("add", "twitter", "1h30x", check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_help_lists_every_command():
    """Every command of the app, in the Commands section of --help itself (not the epilog,
    which names a few of them anyway)."""
    from typer.main import get_command

    from netlog.cli import app

    out = netlog("--help").stdout
    listed = out.split("Commands:", 1)[1].split("\n\n", 1)[0]
    names = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert names == set(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_concurrent_adds_all_land(db_path):
    """Several processes writing at once: BEGIN IMMEDIATE and the busy timeout keep every row."""
    netlog("add", "warmup", "1m", "--at", "2010-09-01")  # create the file once

    def writer(n: int) -> int:
        for i in range(8):
            netlog("add", f"channel{n}", "5m", str(i), "--at", "2010-09-14")
        return n

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert sorted(pool.map(writer, range(6))) == list(range(6))
    assert len(rows(db_path)) == 1 + 6 * 8


# The logging commands end with os._exit (netlog.main._leave), skipping Python's teardown.
# These pin what that must not cost: output fully written, exit statuses kept, the file
# committed, and nothing registered to run at exit that would be skipped.


def test_logging_commands_write_all_their_output_to_files_and_keep_their_status(db_path, tmp_path):
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    commands = [
        (["add", "linkedin", "45m", "messages", "--at", "2010-09-14 10:00"], 0, "Logged #1: "),
        (["outcome", "email", "win", "--value", "£1,200", "--at", "2010-09-20"], 0, "Logged #2: "),
        (["spend", "linkedin", "£20", "--at", "2010-09-21"], 0, "Logged #3: "),
        (["add", "twitter", "1h30x"], 2, "Error: cannot read '1h30x'"),
        (["outcome", "email", "lead", "0"], 2, "Error: "),
    ]
    for args, status, said in commands:
        with out.open("w") as stdout, err.open("w") as stderr:
            done = subprocess.run([NETLOG, *args], stdout=stdout, stderr=stderr, timeout=60)
        assert done.returncode == status, (args, err.read_text())
        assert err.read_text().startswith(said), args
        assert err.read_text().endswith("\n")
        assert out.read_text() == ""
    assert [row["kind"] for row in rows(db_path)] == ["activity", "win", "spend"]


def test_logging_commands_register_nothing_to_run_at_exit(db_path, monkeypatch):
    """What the skipped teardown would have run: atexit handlers (weakref.finalize and
    tempfile use them too). The fast app, as netlog.main builds it, registers none."""
    import atexit

    from typer.testing import CliRunner

    from netlog.commands import logging
    from netlog.commands.common import new_app

    registered: list[object] = []
    monkeypatch.setattr(atexit, "register", lambda fn, *a, **k: registered.append(fn) or fn)
    for command, args in [
        ("add", ["linkedin", "45m", "--at", "2010-09-14 10:00"]),
        ("outcome", ["email", "win", "--value", "1200", "--at", "2010-09-20"]),
        ("spend", ["linkedin", "20", "--at", "2010-09-21"]),
    ]:
        app = new_app()
        logging.register(app, only=command)
        result = CliRunner().invoke(app, [command, *args])
        assert result.exit_code == 0, result.output
    assert registered == []


def run_with_the_reader_gone(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """netlog with stdout a pipe whose reader is gone before netlog writes a byte."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [NETLOG, *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**os.environ, **env},
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("argv", [["summary", "-f", "csv"], ["log", "-f", "json"], ["log"]])
def test_a_reader_gone_before_netlog_writes_ends_quietly_with_141(db_path, argv):
    """Small output may wait in Python's buffer until a flush, at the latest the one in
    netlog.main._leave: whichever flush finds the reader gone ends as a mid-output one does."""
    netlog("add", "linkedin", "45m", "--at", "2010-09-14 10:00")
    done = run_with_the_reader_gone(argv)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("argv", [["export"], ["log", "-f", "csv"], ["summary", "-f", "json"]])
def test_output_to_a_full_disk_is_one_error_line_and_exit_1(db_path, argv):
    """Small outputs reach the file only with the last flush: when that write fails (here
    /dev/full, as a full disk), netlog says so and exits 1, never a silent 0."""
    full_device = Path("/dev/full")
    if not full_device.exists():
        pytest.skip("no /dev/full on this system")
    netlog("add", "linkedin", "45m", "--at", "2010-09-14 10:00")
    with full_device.open("w") as full:
        done = subprocess.run(
            [NETLOG, *argv], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert done.returncode == 1, done.stderr
    assert done.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_reader_gone_before_the_demo_writes_ends_with_141(tmp_path):
    """`demo` works in a temporary folder, whose clean-up runs at exit: netlog then exits
    as Python does, after the same last flush."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = run_with_the_reader_gone(["demo", "-f", "csv"], TMPDIR=str(temporary))
    assert done.returncode == 141, done.stderr
    assert "Exception ignored" not in done.stderr
    assert "Error" not in done.stderr
    assert list(temporary.iterdir()) == []  # the demo's folder was cleaned up at exit


def test_each_command_starts_on_a_small_app_that_answers_as_the_full_one(
    db_path, tmp_path, monkeypatch
):
    """Each command skips building the others (netlog.main): its help, usage errors and work
    are the full app's."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # netlog.main sets both
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    from netlog.main import GROUP_OF

    full = [sys.executable, "-c", "import sys; from netlog.cli import app; app(prog_name='netlog')"]
    netlog("add", "linkedin", "45m", "messages", "--at", "2010-09-14 10:00")
    exported = tmp_path / "out.csv"
    cases = [[name, "--help"] for name in GROUP_OF] + [[name, "--bogus"] for name in GROUP_OF]
    cases += [["import"], ["export", "--format", "xml"], ["merge", "--bogus", "x.db"]]
    cases += [["summary", "-f", "csv"], ["log", "-f", "json"], ["export", "-o", str(exported)]]

    def both(args: list[str]) -> tuple[object, object]:
        fast = netlog(*args, check=False)
        whole = subprocess.run(
            [*full, *args], capture_output=True, text=True, env=os.environ.copy(), timeout=60
        )
        return (fast.returncode, fast.stdout, fast.stderr), (
            whole.returncode,
            whole.stdout,
            whole.stderr,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:  # read-only: the file does not change
        for args, (fast, whole) in zip(cases, pool.map(both, cases), strict=True):
            assert fast == whole, args
    assert exported.read_text(encoding="utf-8").count("\n") == 2
    assert netlog("export").stdout.count("\n") == 2
