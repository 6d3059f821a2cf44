"""The first commands on a file that does not exist yet, run at once by the installed
`netlog`: each finds a whole file (made by itself or by the other) and no write is lost."""

import subprocess
from pathlib import Path

import pytest
from tests.test_hostile_support import NETLOG, files_under, netlog

ROUNDS = 20


def _at_once(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command before waiting for any of them."""
    assert NETLOG, "the netlog console script is not installed"
    processes = [
        subprocess.Popen(
            [NETLOG, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    done = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return done


@pytest.mark.slow
def test_two_first_starts_keep_the_timer_that_started(tmp_path: Path):
    for round_ in range(ROUNDS):
        path = tmp_path / f"round{round_}" / "netlog.db"
        alpha, beta = _at_once(
            ["--db", str(path), "start", "alpha", "--new-channel"],
            ["--db", str(path), "start", "beta", "--new-channel"],
        )
        started = [done for done in (alpha, beta) if done.returncode == 0]
        assert len(started) == 1, (round_, alpha, beta)  # one timer at a time
        refused = beta if started[0] is alpha else alpha
        assert refused.returncode == 1, (round_, refused)
        assert refused.stderr.startswith("Error: a timer is already running"), refused.stderr
        channel = "alpha" if started[0] is alpha else "beta"
        status = netlog("--db", str(path), "status")
        assert status.code == 0, status
        assert status.stdout.startswith(f"{channel}, started "), (round_, status)
        assert files_under(path.parent) == {"netlog.db"}, round_  # no temporary file left


@pytest.mark.slow
def test_a_first_start_and_a_first_add_both_land(tmp_path: Path):
    for round_ in range(ROUNDS):
        path = tmp_path / f"round{round_}" / "netlog.db"
        start, add = _at_once(
            ["--db", str(path), "start", "alpha", "--new-channel"],
            ["--db", str(path), "add", "beta", "25m", "bids", "--new-channel"],
        )
        assert start.returncode == 0, (round_, start.stderr)
        assert add.returncode == 0, (round_, add.stderr)
        status = netlog("--db", str(path), "status")
        assert status.stdout.startswith("alpha, started "), (round_, status)
        log = netlog("--db", str(path), "log", "-f", "csv")
        assert [line.split(",")[3:5] for line in log.stdout.splitlines()[1:]] == [
            ["beta", "bids"]
        ], (round_, log)
        assert files_under(path.parent) == {"netlog.db"}, round_


def test_a_symlink_to_a_file_still_to_be_made_gets_it_where_it_points(run, tmp_path: Path):
    target, link = tmp_path / "synced" / "netlog.db", tmp_path / "netlog.db"
    target.parent.mkdir()
    link.symlink_to(target)
    failed = run("--db", str(link), "outcome", "email", "lead", "--from", "99")
    assert failed.exit_code == 1
    assert failed.stderr.startswith("Error: no entry #99"), failed.stderr
    assert link.is_symlink()
    assert not target.exists()  # the failure left nothing, and the link as it was
    assert run("--db", str(link), "add", "email", "5m", "--at", "2010-09-14").exit_code == 0
    assert link.is_symlink()
    assert target.is_file()
    assert files_under(target.parent) == {"netlog.db"}
