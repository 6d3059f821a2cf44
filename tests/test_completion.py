"""`netlog --install-completion` as a user runs it, then a real shell in a terminal (tmux):
typing `netlog add Li` and Tab completes a channel name from the database."""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

NETLOG = shutil.which("netlog", path=str(Path(sys.executable).parent)) or shutil.which("netlog")


@pytest.fixture
def home(isolated_env: Path, ok) -> Path:
    """An empty home, and a database with a channel that only it can complete to."""
    home = Path(os.environ["HOME"])
    home.mkdir()
    ok("add", "LinkedIn", "45m", "--at", "2010-09-14 10:00")
    ok("add", "email", "10m", "--at", "2010-09-14 11:00")
    return home


def shell_env(home: Path) -> dict[str, str]:
    assert NETLOG, "the netlog console script is not installed"
    return {
        "HOME": str(home),
        "PATH": os.pathsep.join([str(Path(NETLOG).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "NETLOG_DB": os.environ["NETLOG_DB"],
        "TZ": os.environ["TZ"],
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }


class Terminal:
    """A shell in a terminal (tmux), started as a terminal starts it, so it reads its own
    start-up files, and typed into as a person types."""

    def __init__(self, shell: str, home: Path) -> None:
        for tool in ("tmux", shell):
            if not shutil.which(tool):
                # .ci/run sets NETLOG_REQUIRE_SHELLS: there a missing shell fails the run
                missing = pytest.fail if os.environ.get("NETLOG_REQUIRE_SHELLS") else pytest.skip
                missing(f"{tool} is not installed (apt-get install {tool})")
        self.shell = shell
        self.tmux = ["tmux", "-S", str(home / "tmux.sock"), "-f", "/dev/null"]
        size = ["-x", "150", "-y", "40"]
        command = [*self.tmux, "new-session", "-d", "-c", str(home), *size, shell, "-i"]
        subprocess.run(command, env=shell_env(home), check=True)
        self.wait_for(lambda screen: screen.strip() != "")  # the first prompt

    def screen(self) -> str:
        capture = [*self.tmux, "capture-pane", "-p"]
        return subprocess.run(capture, capture_output=True, text=True, check=True).stdout

    def wait_for(self, seen: Callable[[str], bool], limit: float = 20.0) -> str:
        """The screen once `seen` holds (polled), or as it is after `limit` seconds."""
        deadline = time.monotonic() + limit
        while not seen(screen := self.screen()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return screen

    def type(self, text: str, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-l", text], check=True)
        if keys:
            subprocess.run([*self.tmux, "send-keys", *keys], check=True)

    def install_completion_and_restart(self) -> str:
        """`netlog --install-completion` typed in the shell (it finds which shell runs it),
        then a new shell, as its message asks; returns what the command said."""
        self.type("netlog --install-completion", "Enter")
        said = self.wait_for(lambda screen: "completion installed" in screen)
        self.type(f"clear; exec {self.shell} -i", "Enter")
        self.wait_for(lambda screen: screen.strip() != "" and "installed" not in screen)
        return said

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False, capture_output=True)


@pytest.fixture
def terminal(home: Path):
    started: list[Terminal] = []

    def start(shell: str) -> Terminal:
        started.append(Terminal(shell, home))
        return started[-1]

    yield start
    for each in started:
        each.close()


def test_bash_completes_a_channel_name_from_the_database(terminal, home):
    bash = terminal("bash")
    said = bash.install_completion_and_restart()
    assert "bash completion installed in" in said, said
    assert ".bash_completions/netlog.sh" in (home / ".bashrc").read_text()
    bash.type("netlog add Li", "Tab")
    screen = bash.wait_for(lambda screen: "netlog add LinkedIn" in screen)
    assert "netlog add LinkedIn" in screen, screen


def test_zsh_completes_a_channel_name_from_the_database(terminal, home):
    (home / ".zshrc").touch()  # a zsh user's; without one zsh -i asks its new-user questions
    zsh = terminal("zsh")
    said = zsh.install_completion_and_restart()
    assert "zsh completion installed in" in said, said
    zsh.type("netlog add Li", "Tab")
    screen = zsh.wait_for(lambda screen: "netlog add LinkedIn" in screen)
    assert "netlog add LinkedIn" in screen, screen


def test_fish_completes_a_channel_name_from_the_database(terminal):
    fish = terminal("fish")
    said = fish.install_completion_and_restart()
    assert "fish completion installed in" in said, said
    fish.type("netlog add Li", "Tab")
    screen = fish.wait_for(lambda screen: "netlog add LinkedIn" in screen)
    assert "netlog add LinkedIn" in screen, screen


def test_a_channel_option_completes_too(terminal):
    """`--channel` on the reports completes from the same names."""
    bash = terminal("bash")
    bash.install_completion_and_restart()
    bash.type("netlog summary --channel em", "Tab")
    screen = bash.wait_for(lambda screen: "--channel email" in screen)
    assert "netlog summary --channel email" in screen, screen
