"""Terminals that are not UTF-8: a Latin-1 locale made with localedef, and the C locale with
Python's UTF-8 mode and locale coercion turned off (as on systems without C.UTF-8).

Tables fall back to characters the terminal has; CSV, JSON, Markdown and HTML stay UTF-8.
Through the installed console script: the locale is read when Python starts.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.test_hostile_support import NETLOG, invoke

pytestmark = pytest.mark.slow

CHANNEL = "Café Ω"
LATIN_1 = "en_GB.ISO-8859-1"


@pytest.fixture(scope="module")
def latin_1_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("localedef is missing, so no Latin-1 locale can be made here")
    folder = tmp_path_factory.mktemp("locales")
    made = subprocess.run(
        [localedef, "-i", "en_GB", "-f", "ISO-8859-1", str(folder / LATIN_1)],
        capture_output=True,
        check=False,
    )
    assert (folder / LATIN_1).exists(), made.stderr
    env = {"LOCPATH": str(folder), "LC_ALL": LATIN_1, "PYTHONUTF8": "0"}
    assert _stdout_encoding(env) == "iso8859-1", "the Latin-1 locale did not take effect"
    return env


@pytest.fixture(scope="module")
def c_env() -> dict[str, str]:
    env = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    assert _stdout_encoding(env) in ("ascii", "utf-8")
    return env


def _stdout_encoding(env: dict[str, str]) -> str:
    python = Path(NETLOG).parent / "python" if NETLOG else "python3"
    return subprocess.run(
        [str(python), "-c", "import sys; print(sys.stdout.encoding)"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    ).stdout.strip()


def run_bytes(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NETLOG, *args],
        capture_output=True,
        env={**os.environ, **env},  # the test's own database, in its own folder
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def foreign_names(db_path: Path) -> Path:
    for argv in (
        ["add", CHANNEL, "1h", "--at", "2010-09-14 10:00", "--note", "naïve — “quoted” …"],
        ["outcome", CHANNEL, "win", "--value", "1200", "--at", "2010-09-20"],
        ["budget", CHANNEL, "2h/week"],
        ["config", "currency", "EUR"],
    ):
        assert invoke(*argv).code == 0, argv
    return db_path


TABLES = [
    ["summary"],
    ["summary", "--by", "month", "--wide"],
    ["funnel"],
    ["trend"],
    ["log"],
    ["budget", "list"],
]


@pytest.mark.parametrize("locale", ["latin_1_env", "c_env"])
@pytest.mark.parametrize("argv", TABLES)
def test_tables_fall_back_to_characters_the_terminal_has(argv, locale, foreign_names, request):
    env = request.getfixturevalue(locale)
    done = run_bytes(env, *argv)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"hit a bug" not in done.stderr
    if locale == "latin_1_env":
        shown = done.stdout.decode("latin-1")
        assert "Café ?" in shown  # Ω is not in Latin-1
        assert "Ω" not in done.stdout.decode("utf-8", "replace")
    else:
        # Click writes UTF-8 where the locale says ASCII (it takes that for a misconfigured
        # terminal); Rich's tables fall back to ASCII.
        shown = done.stdout.decode("utf-8")
        assert "Cafe ?" in shown or CHANNEL in shown


@pytest.mark.parametrize("locale", ["latin_1_env", "c_env"])
def test_the_demo_runs(locale, request, tmp_path):
    env = {**request.getfixturevalue(locale), "TMPDIR": str(tmp_path)}
    done = run_bytes(env, "demo")
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    done.stdout.decode("latin-1" if locale == "latin_1_env" else "ascii")


MACHINE = [
    (["summary", "-f", "csv"], "csv"),
    (["log", "-f", "csv"], "csv"),
    (["export"], "csv"),
    (["export", "-f", "json"], "json"),
    (["log", "-f", "json"], "json"),
    (["funnel", "-f", "json"], "json"),
    (["budget", "list", "-f", "json"], "json"),
    (["report", "-f", "md"], "text"),
    (["report", "-f", "html"], "text"),
]


@pytest.mark.parametrize("locale", ["latin_1_env", "c_env"])
@pytest.mark.parametrize(("argv", "kind"), MACHINE)
def test_machine_formats_are_utf8_whatever_the_locale(argv, kind, locale, foreign_names, request):
    env = request.getfixturevalue(locale)
    done = run_bytes(env, *argv)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")  # strict: UTF-8 through and through
    assert CHANNEL in text
    if kind == "json":
        assert json.loads(text)
    # The same bytes as in a UTF-8 locale.
    utf8 = run_bytes({"LC_ALL": "C.UTF-8", "PYTHONUTF8": "1"}, *argv)
    if argv[0] != "report":  # a report names the time it was made
        assert done.stdout == utf8.stdout


@pytest.mark.parametrize("locale", ["latin_1_env", "c_env"])
def test_export_to_a_file_is_utf8(locale, foreign_names, request, tmp_path):
    target = tmp_path / "out.json"
    done = run_bytes(request.getfixturevalue(locale), "export", "-f", "json", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_bytes().decode("utf-8"))[0]["channel"] == CHANNEL
