"""`channels` and its subcommands: list, rename, merge, alias, unalias."""

import sys
from collections.abc import Callable
from typing import Annotated, TypeVar

import typer

from netlog.commands.common import (
    Format,
    FormatOption,
    complete_channel,
    db_path_for,
    handle_errors,
    now_and_zone,
    say,
)
from netlog.errors import InputError, NetlogError

# --- channels ---------------------------------------------------------------------------

channels_app = typer.Typer(
    rich_markup_mode=None,
    invoke_without_command=True,
)


R = TypeVar("R")


@channels_app.callback()
@handle_errors
def channels(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """List channels (entries, hours, first and last use); rename, merge and alias them.

    \b
    Examples:
      netlog channels
      netlog channels rename linkdin LinkedIn
      netlog channels merge "linked in" linkedin
      netlog channels alias fb facebook
    """
    if ctx.invoked_subcommand is not None:
        return
    from decimal import Decimal

    from netlog.present import render
    from netlog.present.figures import Kind, value
    from netlog.store import db
    from netlog.store.channels import list_channels

    path = db_path_for(ctx)
    _, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        found = list_channels(conn) if conn is not None else []
    rows = [
        {
            "channel": c.name, "entries": c.entries,
            "hours": value(Kind.HOURS, Decimal(c.minutes) / 60),
            "first": c.first, "last": c.last, "aliases": c.aliases,
        }
        for c in found
    ]  # fmt: skip
    columns = ("channel", "entries", "hours", "first", "last", "aliases")
    if fmt is Format.CSV:
        render.write_csv(rows, columns, sys.stdout)
    elif fmt is Format.JSON:
        render.write_json(rows, sys.stdout)
    elif rows:
        render.channels_table(rows, zone)
    if not rows:
        say("No channels yet.")


def _channel_write(ctx: typer.Context, change: str, action: Callable[..., R]) -> R:
    from netlog.store import db

    path = db_path_for(ctx)
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise NetlogError(f"no channels yet in {path}")
        with db.write_transaction(conn, change=change):
            return action(conn)


@channels_app.command("rename")
@handle_errors
def channels_rename(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(help="The channel's current name.", autocompletion=complete_channel)
    ],
    new: Annotated[str, typer.Argument(help="Its new name.")],
) -> None:
    """Rename a channel (its entries keep it).

    \b
    Example:
      netlog channels rename linkdin LinkedIn
    """
    from netlog.model.text import clean_channel
    from netlog.store.channels import rename

    new_name = clean_channel(new)
    old_name = _channel_write(
        ctx, f"channels rename {old} {new_name}", lambda conn: rename(conn, old, new_name)
    )
    say(f"Renamed {old_name} to {new_name}.")


@channels_app.command("merge")
@handle_errors
def channels_merge(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            metavar="FROM", help="The channel to fold in.", autocompletion=complete_channel
        ),
    ],
    target: Annotated[
        str,
        typer.Argument(
            metavar="INTO", help="The channel that stays.", autocompletion=complete_channel
        ),
    ],
) -> None:
    """Move every entry of FROM to INTO, then drop FROM.

    `netlog undo` reverts it.

    \b
    Example:
      netlog channels merge "linked in" linkedin
    """
    from netlog.store.channels import merge

    from_name, into_name, moved = _channel_write(
        ctx, f"channels merge {source} {target}", lambda conn: merge(conn, source, target)
    )
    noun = "entry" if moved == 1 else "entries"
    say(f"Merged {from_name} into {into_name}: {moved} {noun} moved.")
    say(f"Tip: netlog channels alias {from_name!r} {into_name!r} keeps the old name working.")


@channels_app.command("alias")
@handle_errors
def channels_alias(
    ctx: typer.Context,
    alias: Annotated[str | None, typer.Argument(help="The short name to type.")] = None,
    channel: Annotated[str | None, typer.Argument(help="The channel it stands for.")] = None,
) -> None:
    """Make a short name log to a channel (no arguments: list).

    \b
    Examples:
      netlog channels alias fb facebook     (then: netlog add fb 20m)
      netlog channels alias                 list aliases
    """
    from netlog.model.dates import to_storage, utc_now
    from netlog.model.text import clean_channel
    from netlog.store import db
    from netlog.store.channels import add_alias, list_channels

    if alias is None:
        with db.connection(db_path_for(ctx), create=False) as conn:
            found = list_channels(conn) if conn is not None else []
        pairs = [(a, c.name) for c in found for a in c.aliases]
        from netlog.model.text import printable

        for name, target in pairs:
            typer.echo(printable(f"{name} -> {target}"))
        if not pairs:
            say("No aliases yet.")
        return
    if channel is None:
        raise InputError("give the channel the alias stands for: netlog channels alias fb facebook")
    name = clean_channel(alias)
    target = _channel_write(
        ctx,
        f"channels alias {name} {channel}",
        lambda conn: add_alias(conn, name, channel, created_at=to_storage(utc_now())),
    )
    say(f"{name} now logs to {target}.")


@channels_app.command("unalias")
@handle_errors
def channels_unalias(
    ctx: typer.Context, alias: Annotated[str, typer.Argument(help="The alias to remove.")]
) -> None:
    """Remove an alias (the channel and its entries stay).

    \b
    Example:
      netlog channels unalias fb
    """
    from netlog.store.channels import remove_alias

    target = _channel_write(
        ctx, f"channels unalias {alias}", lambda conn: remove_alias(conn, alias)
    )
    say(f"Removed the alias {alias} (of {target}).")


def register(app: typer.Typer, only: str | None = None) -> None:
    """Add `channels` and its subcommands to `app` (`only` is `channels` or None)."""
    app.add_typer(channels_app, name="channels")
