"""Every console example in README.md and docs/*.md runs, and shows what netlog prints now.

The convention, for whoever writes an example:

- A ```console block holds `$ command` lines, each followed by exactly what it prints: stdout
  and stderr together, as a terminal 80 columns wide shows them. A line that is only `…`
  stands for any number of lines. ```bash and ```text blocks are not run.
- A page's blocks run in order, in one fresh home folder with no database yet (shown as
  /home/you, and the working directory), with TZ=Europe/London and the clock at
  2026-11-25 10:00 UTC. `<!-- clock: 2010-10-15 12:00 -->` sets the clock (UTC) for the
  blocks after it on that page.
- `<!-- example: output varies -->` just before a block runs its commands without comparing
  what they print.
- A command must exit 0 unless what it is shown printing has a line starting with `Error:` or
  `Problem:`.

A plain `netlog …` line runs in-process through Typer's CliRunner, the clock pinned at the
one seam tests use (netlog.model.dates.utc_now); a line with shell syntax (a pipe,
redirection, `&&`, `VAR=value` in front) runs under bash, where `netlog` is the installed
one, started with the same clock. A tool the line needs that is missing (jq, sqlite3, timew)
skips it, except in CI.

After changing what netlog prints, `python tests/test_doc_examples.py [FILE…]` rewrites the
examples' output with what it prints now (an example with `…` is kept while it still matches);
read the diff before committing it.
"""

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netlog.cli import app

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHOWN_HOME = "/home/you"
START_CLOCK = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
ELLIPSIS = {"…", "..."}
FAILING_OUTPUT = re.compile(r"^(Error|Problem):", re.MULTILINE)
SHELL_SYNTAX = re.compile(r"[|<>&;`$(){}*?]")


@dataclass
class Command:
    line: str  # as written after "$ "
    expected: list[str]
    number: int  # its line in the page


@dataclass
class Block:
    start: int  # the line of its opening fence
    end: int  # the line of its closing fence
    clock: datetime
    compare: bool
    commands: list[Command] = field(default_factory=list)


def blocks(page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").split("\n")
    found: list[Block] = []
    clock, compare = START_CLOCK, True
    index = 0
    while index < len(lines):
        text = lines[index].strip()
        if moved := re.fullmatch(r"<!-- clock: (.+?) -->", text):
            clock = datetime.fromisoformat(moved.group(1)).replace(tzinfo=UTC)
        elif text == "<!-- example: output varies -->":
            compare = False
        elif text.startswith("```"):
            fence = lines[index].index("```")  # a block in a list item is indented
            end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
            if text == "```console":
                block = Block(index, end, clock, compare)
                for number in range(index + 1, end):
                    line = lines[number][fence:]
                    if line.startswith("$ "):
                        block.commands.append(Command(line[2:], [], number))
                    elif block.commands:
                        block.commands[-1].expected.append(line)
                found.append(block)
            compare = True
            index = end
        elif text:
            compare = True
        index += 1
    return found


def _matches(expected: list[str], actual: list[str]) -> bool:
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() in ELLIPSIS else re.escape(line.rstrip()) + r"\n"
        for line in expected
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


def _tidy(output: str, home: Path) -> list[str]:
    lines = [line.rstrip() for line in output.replace(str(home), SHOWN_HOME).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


class Session:
    """One page's fresh home, its environment and its clock."""

    def __init__(self, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.home = home
        self.bin = home.parent / "bin"
        self.bin.mkdir()
        self.monkeypatch = monkeypatch
        for name in ("NETLOG_DB", "XDG_DATA_HOME", "PYTHONUNBUFFERED"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.setenv("TZ", "Europe/London")
        monkeypatch.setenv("COLUMNS", "80")
        monkeypatch.chdir(home)
        self.set_clock(START_CLOCK)

    def set_clock(self, moment: datetime) -> None:
        self.monkeypatch.setattr("netlog.model.dates.utc_now", lambda: moment)
        # The installed netlog, started with the same clock, for the lines bash runs.
        launcher = self.bin / "netlog"
        launcher.write_text(
            f"#!{sys.executable}\n"
            "import sys\n"
            "from datetime import datetime\n"
            "import netlog.model.dates\n"
            f"netlog.model.dates.utc_now = lambda: datetime.fromisoformat({moment.isoformat()!r})\n"
            "from netlog.main import main\n"
            "sys.exit(main())\n",
            encoding="utf-8",
        )
        launcher.chmod(0o755)

    def run(self, line: str) -> tuple[int, str]:
        words = shlex.split(line, comments=True)
        in_process = words[0] == "netlog" and not SHELL_SYNTAX.search(" ".join(words))
        if in_process:
            args = [self._home_path(word) for word in words[1:]]
            result = CliRunner().invoke(app, args, prog_name="netlog")
            return result.exit_code, result.output
        environment = dict(os.environ, PATH=f"{self.bin}{os.pathsep}{os.environ['PATH']}")
        environment["PYTHONUNBUFFERED"] = "1"  # stdout and stderr in the order a terminal shows
        done = subprocess.run(
            ["bash", "-c", line],
            env=environment,
            cwd=self.home,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=60,
        )
        if done.returncode == 127 and not os.environ.get("CI"):
            pytest.skip(f"a tool this example needs is missing: {done.stdout.strip()}")
        return done.returncode, done.stdout

    def _home_path(self, word: str) -> str:
        return str(self.home) + word[1:] if word == "~" or word.startswith("~/") else word


def run_page(page: Path, session: Session) -> Iterator[tuple[Block, Command, int, list[str]]]:
    """Each command of the page, run in order: (block, command, exit status, output)."""
    for block in blocks(page):
        session.set_clock(block.clock)
        for command in block.commands:
            status, output = session.run(command.line)
            yield block, command, status, _tidy(output, session.home)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_example_prints_what_it_shows(page: Path, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    session = Session(home, monkeypatch)
    where = page.relative_to(ROOT)
    for block, command, status, actual in run_page(page, session):
        label = f"{where}:{command.number + 1}: $ {command.line}"
        shown = "\n".join(command.expected)
        if FAILING_OUTPUT.search(shown) and block.compare:
            assert status != 0, f"{label}\nexited 0, though it is shown failing"
        else:
            assert status == 0, f"{label}\nexited {status}:\n" + "\n".join(actual)
        if block.compare:
            assert _matches(command.expected, actual), (
                f"{label}\nshows:\n{shown}\nprints:\n" + "\n".join(actual)
            )


def test_the_convention_is_held(tmp_path: Path) -> None:
    # An example that shows the wrong output, or an elided one, is told apart.
    assert _matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert _matches(["a", "…"], ["a"])
    assert not _matches(["a", "…", "d"], ["a", "b", "c"])
    assert not _matches(["a"], ["a", "b"])
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n$ netlog where\nsomewhere\n```\n"
        "<!-- clock: 2010-10-15 12:00 -->\n"
        "<!-- example: output varies -->\n"
        "```console\n$ netlog status\n$ netlog log | head -1\n```\n"
        "```bash\n$ netlog not run\n```\n",
        encoding="utf-8",
    )
    first, second = blocks(page)
    assert (first.clock, first.compare) == (START_CLOCK, True)
    assert [(c.line, c.expected) for c in first.commands] == [("netlog where", ["somewhere"])]
    assert second.clock == datetime(2010, 10, 15, 12, tzinfo=UTC)
    assert not second.compare
    assert [c.line for c in second.commands] == ["netlog status", "netlog log | head -1"]


def test_every_page_has_examples_and_the_readme_is_short() -> None:
    # The pages of commands each show some at work.
    for name in ("README.md", "logging.md", "corrections.md", "reports.md", "data.md"):
        page = next(page for page in PAGES if page.name == name)
        assert any(block.commands for block in blocks(page)), f"{name}: no example"
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 250


def update(pages: list[Path]) -> None:
    """Rewrite each example's shown output with what netlog prints now."""
    import tempfile

    for page in pages:
        lines = page.read_text(encoding="utf-8").split("\n")
        replacements: dict[int, tuple[int, list[str]]] = {}
        with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
            home = Path(folder) / "home"
            home.mkdir()
            session = Session(home, patch)
            for block, command, _status, actual in run_page(page, session):
                if not block.compare or _matches(command.expected, actual):
                    continue
                replacements[command.number] = (len(command.expected), actual)
        for number in sorted(replacements, reverse=True):
            count, actual = replacements[number]
            indent = " " * (len(lines[number]) - len(lines[number].lstrip()))
            lines[number + 1 : number + 1 + count] = [indent + line for line in actual]
        page.write_text("\n".join(lines), encoding="utf-8")
        print(f"{page.relative_to(ROOT)}: {len(replacements)} examples rewritten")


if __name__ == "__main__":
    update([Path(arg).resolve() for arg in sys.argv[1:]] or PAGES)


def _anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    return {_anchor(heading) for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_link_between_pages_leads_somewhere(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target} names no file"
        if anchor:
            assert anchor in _anchors(linked), f"{page.name}: {target} names no heading"


def test_headings_become_the_anchors_github_makes() -> None:
    assert _anchor("`netlog add CHANNEL DURATION [WHAT]` — log a session") == (
        "netlog-add-channel-duration-what--log-a-session"
    )
    assert _anchor('When is a channel "not paying"?') == "when-is-a-channel-not-paying"
