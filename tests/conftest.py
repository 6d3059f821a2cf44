"""Every test gets its own database file and a pinned time zone."""

import functools
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner, Result

from netlog.cli import app

# Typer's CliRunner builds the click command tree from the app on every invoke (two thirds of
# a quick command's time, and so of this suite's): the tree is the same each time, so it is
# built once per app. The installed `netlog` builds it once per process, as before.
typer.testing._get_command = functools.cache(typer.testing._get_command)

# Every field of an entry, as `log -f csv/json` and `export` promise them (the README's list),
# written out here rather than taken from the code under test.
ENTRY_FIELDS = [
    "id", "uuid", "type", "channel", "what", "minutes", "hours", "count", "kind", "label",
    "value", "currency", "note", "tags", "occurred_at", "occurred_offset", "occurred_utc",
    "logged_at", "logged_offset", "logged_utc", "reach_total", "sources", "device", "device_id",
    "person",
]  # fmt: skip


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """NETLOG_DB in tmp_path, a home and data dir that are not the user's, TZ London."""
    db_path = tmp_path / "netlog.db"
    monkeypatch.setenv("NETLOG_DB", str(db_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "Europe/London")
    monkeypatch.setenv("COLUMNS", "200")
    # Subprocesses buffer stdout as on a user's machine, even where this suite runs with
    # PYTHONUNBUFFERED set: otherwise a failing last flush could never be seen.
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    return db_path


@pytest.fixture
def db_path(isolated_env: Path) -> Path:
    return isolated_env


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`netlog demo --save`, run once per test run in the tests' usual zone: the demo is the
    same every time (test_insight holds that), so a test may start from a copy of it."""
    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.db"
    env = {"TZ": "Europe/London", "HOME": str(folder), "XDG_DATA_HOME": str(folder / "xdg")}
    env["NETLOG_DB"] = str(folder / "unused.db")
    result = CliRunner().invoke(app, ["demo", "--save", str(path)], env=env, prog_name="netlog")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return path


@pytest.fixture
def demo_copy(tmp_path: Path, demo_template: Path) -> Path:
    """A fresh copy of the demo's file, as `netlog demo --save demo.db` makes it."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run netlog in-process as a user would type it; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, prog_name="netlog")

    return invoke


@pytest.fixture
def ok(run: Callable[..., Result]) -> Callable[..., Result]:
    """Like `run`, but the command must succeed."""

    def invoke(*args: str) -> Result:
        result = run(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        return result

    return invoke


def rows(db_path: Path, sql: str = "SELECT * FROM entries ORDER BY id") -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
