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
