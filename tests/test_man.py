"""`netlog man`: the manual page made from the commands' own help, rendered by the real
`man` (or groff), and the copy shipped in the wheel kept equal to it."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import typer.main

from netlog.cli import app

SHIPPED = Path(__file__).parent.parent / "man" / "netlog.1"


def _paths(command, path: tuple[str, ...] = ()):
    if path:
        yield " ".join(path)
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, (*path, name))


COMMANDS = list(_paths(typer.main.get_command(app)))


def rendered(roff: str) -> str:
    """The page as a reader sees it: `man -l` where man-db is installed, else groff."""
    if shutil.which("man"):
        argv = ["man", "--warnings", "-l", "-"]
    elif shutil.which("groff"):
        argv = ["groff", "-k", "-man", "-Tutf8", "-ww", "-P", "-c"]
    elif os.environ.get("NETLOG_REQUIRE_MAN"):  # set by .ci/run
        pytest.fail("man is not installed (apt-get install man-db)")
    else:
        pytest.skip("neither man nor groff is installed (apt-get install man-db)")
    done = subprocess.run(
        argv,
        input=roff,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "MANWIDTH": "100",
            "MAN_KEEP_FORMATTING": "0",
            "LANG": "C.UTF-8",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # no roff warnings
    return re.sub(".\b", "", done.stdout)  # overstrikes (bold, underline) to plain text


@pytest.fixture(scope="module")
def page() -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["man"], prog_name="netlog")
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def shown(page) -> str:
    return rendered(page)


def test_the_shipped_page_is_what_netlog_man_makes_now(page):
    assert SHIPPED.read_text(encoding="utf-8") == page, (
        "man/netlog.1 is stale: regenerate it with `netlog man > man/netlog.1`"
    )


def test_the_page_renders_without_warnings_and_names_netlog(shown):
    text = shown
    assert text.startswith("NETLOG(1)")
    assert "netlog - Log the time you spend on networking channels" in " ".join(text.split())


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_its_usage_and_every_option_on_the_page(run, shown, name):
    """What `netlog NAME --help` lists, the page lists under that command's heading."""
    help_text = run(*name.split(), "--help").stdout
    usage = help_text.splitlines()[0].removeprefix("Usage: ")
    text = shown
    assert f"\n   {usage}\n" in text  # a subsection heading
    section = text.split(f"\n   {usage}\n", 1)[1].split("\n   netlog ", 1)[0]
    listed = help_text.split("Options:", 1)[1] if "Options:" in help_text else ""
    for option in re.findall(r"^\s+(-[-\w]+)", listed, re.MULTILINE):
        if option not in ("-h", "--help"):
            assert option in section, f"netlog {name}: {option} is not on the page"


def test_examples_keep_plain_hyphens_and_quotes_to_copy(shown):
    """Options and examples read from the page work when pasted into a shell."""
    text = shown
    assert 'netlog add linkedin 45m "contact messages" --count 12' in text
    assert "--install-completion" in text


def test_man_needs_no_database(run, db_path):
    result = run("man")
    assert result.exit_code == 0
    assert result.stdout.startswith('.\\" Made by `netlog man`')
    assert not db_path.exists()


def test_add_loads_neither_the_man_page_nor_the_completion_fix(db_path):
    """`netlog add` runs after every session: the console script's path for it leaves both
    modules unloaded (a Tab and `netlog man` load them through the full app)."""
    import sys

    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules if m in WATCHED)))\n"
        "WATCHED = {'netlog.commands.man', 'netlog.present.man_page',"
        " 'netlog.commands.completion'}\n"
        f"sys.argv = ['netlog', '--db', {str(db_path)!r}, 'add', 'linkedin', '45m']\n"
        "from netlog.main import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "[]\n", done.stdout + done.stderr
    assert "Logged #1" in done.stderr
