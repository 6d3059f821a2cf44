"""`man`: the manual page, made at run time from the live command tree, so it can never say
something --help does not."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from netlog.commands.common import add_commands, handle_errors

if TYPE_CHECKING:
    from netlog.present.man_page import Section


@handle_errors
def man(ctx: typer.Context) -> None:
    """Print netlog's manual page (roff), made from the help of every command.

    \b
    Examples:
      netlog man | man -l -
      netlog man > ~/.local/share/man/man1/netlog.1
    """
    from netlog import __version__
    from netlog.present import man_page

    root = ctx.find_root()
    top = _section(root)
    commands = [_section(sub) for sub in _commands(root)]
    typer.echo(man_page.render(__version__, top, commands), nl=False)


def _commands(ctx: Any) -> list[Any]:
    """A context for every visible command under ctx's, depth first, in --help's order."""
    from typer._click import Context

    found = []
    for name in ctx.command.list_commands(ctx):
        command = ctx.command.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = Context(command, info_name=name, parent=ctx)
        found.append(sub)
        if hasattr(command, "list_commands"):
            found += _commands(sub)
    return found


def _section(ctx: Any) -> "Section":
    """A command's usage, help and options, as its --help shows them."""
    import inspect

    from netlog.present.man_page import Entry, Section

    command = ctx.command
    usage = command.get_usage(ctx).removeprefix("Usage:").strip()
    text = inspect.cleandoc(command.help or "").split("\f", 1)[0]
    paragraphs = [part for part in text.split("\n\n") if part.strip()]
    if command.epilog:
        paragraphs.append(inspect.cleandoc(command.epilog))
    help_option = command.get_help_option(ctx)
    entries = []
    for param in command.get_params(ctx):
        if param is help_option and ctx.parent is not None:
            continue  # said once, for netlog itself
        record = param.get_help_record(ctx)
        if record is not None:
            entries.append(Entry(*record))
    return Section(usage, paragraphs, entries)


COMMANDS: dict[str, Callable[..., None]] = {"man": man}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
