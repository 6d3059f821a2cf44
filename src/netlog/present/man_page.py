"""The manual page, netlog.1, as roff: from plain descriptions of the commands (what their
own --help says), so the page says exactly what --help says."""

from collections.abc import Sequence
from typing import NamedTuple


class Entry(NamedTuple):
    """One option or argument: how it is written (`-f, --format <table|csv|json>`) and its help."""

    term: str
    help: str


class Section(NamedTuple):
    """One command: its usage line, its help (paragraphs as Click keeps them, `\\b` marking
    one not to be rewrapped) and its options and arguments."""

    usage: str
    paragraphs: Sequence[str]
    entries: Sequence[Entry]


def render(version: str, top: Section, commands: Sequence[Section]) -> str:
    """The whole page: NAME, SYNOPSIS and DESCRIPTION from the app, its global options, then
    one subsection per command in the order --help lists them."""
    summary, *description = top.paragraphs
    lines = [
        '.\\" Made by `netlog man` from the help of every command; do not edit.',
        f'.TH NETLOG 1 "" "netlog {_escape(version)}" "netlog manual"',
        ".SH NAME",
        f"netlog \\- {_escape(summary)}",
        ".SH SYNOPSIS",
        _escape(top.usage),
        ".SH DESCRIPTION",
    ]
    lines += _paragraphs(description)
    lines += [".SH OPTIONS", *_entries(top.entries)]
    lines.append(".SH COMMANDS")
    for command in commands:
        lines.append(f'.SS "{_escape(command.usage)}"')
        lines += _paragraphs(command.paragraphs)
        lines += _entries(command.entries)
    return "\n".join(lines) + "\n"


def _paragraphs(paragraphs: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.append(".PP")
        kept = paragraph.splitlines()
        if kept and kept[0].strip() == "\b":  # Click's mark: keep these lines as written
            lines += [".nf", *(_line(text) for text in kept[1:]), ".fi"]
        else:
            lines.append(_line(" ".join(text.strip() for text in kept)))
    return lines


def _entries(entries: Sequence[Entry]) -> list[str]:
    lines: list[str] = []
    for entry in entries:
        lines += [".TP", f"\\fB{_escape(entry.term)}\\fR", _line(entry.help)]
    return lines


def _line(text: str) -> str:
    """Text as a line of roff: a leading dot or quote would be read as a request."""
    escaped = _escape(text)
    return "\\&" + escaped if escaped.startswith((".", "'")) else escaped


def _escape(text: str) -> str:
    """Backslashes kept, and `-` as a minus so that options copied from the page work."""
    return text.replace("\\", "\\e").replace("-", "\\-").replace('"', "\\(dq")
