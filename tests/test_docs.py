"""Every command documents itself: help text, an Examples block, a row in the README's table,
a section in docs/, and one meaning per short option letter across the whole app (after
sqlite-utils' test_docs.py)."""

import re
from pathlib import Path

import pytest
import typer.main

from netlog.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
DOCS_DIR = Path(__file__).parent.parent / "docs"


def _walk(command, path: tuple[str, ...] = ()):
    if path:
        yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _walk(sub, (*path, name))


COMMANDS = dict(_walk(typer.main.get_command(app)))
NAMES = [" ".join(path) for path in COMMANDS]

# Commands whose README section the lead has still to write; strict, so that the mark
# must go once the section is there.


def test_the_walk_finds_every_command():
    assert {"add", "log", "summary", "undo", "redo", "channels", "channels rename"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_help_with_examples(run, name):
    result = run(*name.split(), "--help")
    assert result.exit_code == 0
    text = result.stdout
    summary = COMMANDS[tuple(name.split())].help or ""
    assert summary.strip(), f"netlog {name} has no help"
    assert re.search(r"^\s+Examples?:$", text, re.MULTILINE), f"netlog {name}: no Examples"
    examples = text.split("Example", 1)[1]
    assert f"netlog {name}" in examples


@pytest.mark.parametrize("name", NAMES)
def test_every_command_is_in_the_readme_table(name):
    assert re.search(rf"^\| `netlog {name}` \|", README, re.MULTILINE), f"netlog {name}"


DOCS = {page.name: page.read_text(encoding="utf-8") for page in DOCS_DIR.glob("*.md")}
HEADINGS = [line for text in DOCS.values() for line in text.splitlines() if line.startswith("#")]


@pytest.mark.parametrize("name", [name for name in NAMES if " " not in name])
def test_every_command_has_a_section_in_the_docs(name):
    assert any(f"`netlog {name}" in heading for heading in HEADINGS), f"netlog {name}"
    for sub in (sub for sub in NAMES if sub.startswith(f"{name} ")):
        assert any(f"netlog {sub}" in text for text in DOCS.values()), f"netlog {sub}"


def _options():
    for path, command in COMMANDS.items():
        for param in command.params:
            if param.param_type_name == "option":
                yield " ".join(path), param


# The one meaning of each short letter, wherever it appears.
SHORT_LETTERS = {
    "-c": "--channel",
    "-n": "--count",
    "-f": "--format",
    "-s": "--since",
    "-u": "--until",
    "-t": "--tag",
    "-y": "--yes",
    "-o": "--output",
    "-v": "--value",
    "-l": "--limit",
    "-b": "--by",
    "-r": "--rate",
    "-m": "--metric",
    "-h": "--help",
}


@pytest.mark.parametrize(("name", "option"), list(_options()), ids=lambda x: str(x))
def test_one_meaning_per_short_letter(name, option):
    shorts = [o for o in option.opts if re.fullmatch(r"-[a-zA-Z]", o)]
    longs = [o for o in option.opts if o.startswith("--")]
    for short in shorts:
        assert short in SHORT_LETTERS, f"netlog {name}: {short} has no agreed meaning"
        assert SHORT_LETTERS[short] in longs, f"netlog {name}: {short} is not {longs}"
