"""The file itself: `config` and `where`."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from netlog.commands.common import (
    add_commands,
    db_path_for,
    handle_errors,
    say,
)
from netlog.errors import InputError


@handle_errors
def where(ctx: typer.Context) -> None:
    """Print the path of the database file in use.

    \b
    Chosen by --db, else $NETLOG_DB, else $XDG_DATA_HOME/netlog/netlog.db
    (~/.local/share/netlog/netlog.db).

    \b
    Examples:
      netlog where
      netlog --db work.db where
    """
    path = db_path_for(ctx)
    typer.echo(str(path))
    if not path.exists():
        say("(not created yet: the first `netlog add` creates it)")


@handle_errors
def config_(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Setting to show or change.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Go back to the default.")] = False,
    new_device: Annotated[
        bool, typer.Option("--new", help="With `device`: a new device id (a copied file).")
    ] = False,
) -> None:
    """Show or change settings, stored in the database file itself.

    \b
    Settings:
      rate        hourly rate that prices your time (cost, net, roi)
      currency    currency code for amounts, e.g. GBP, USD, EUR
      date-order  how to read 03/04/2011: day-first (default) or month-first
      week-start  the day weeks start on: monday (default) to sunday
      threshold   hours after which a channel with no wins is flagged (default 5)
      timer-limit hours after which `stop` asks for the real end time (default 8)
      warn-hours  hours a channel needs before it is judged behind; 0 = no warning (default 3)
      device      this file's device name for `netlog sync` (default: the host name);
                  `config device --new` gives a copied file an identity of its own
      name        your name, recorded on the entries logged on this device (kept on
                  this device; `log --who NAME` finds them)

    \b
    Examples:
      netlog config                 list all settings
      netlog config rate 40
      netlog config currency GBP
      netlog config week-start sunday
      netlog config rate --unset
    """
    from netlog.model.text import printable
    from netlog.store import db
    from netlog.store.settings import SETTINGS, parse_setting, store

    path = db_path_for(ctx)
    if name is None:
        from netlog.store.who import this_device

        with db.connection(path, create=False) as conn:
            stored = db.read_settings(conn)
            here = this_device(conn) if conn is not None else None
        for setting in SETTINGS.values():
            current = stored.get(setting.name, setting.default)
            shown = current if current is not None else "(not set)"
            typer.echo(printable(f"{setting.name:<11} {shown:<12} {setting.help}"))
        # Kept on this device, not in the file-wide settings that sync carries.
        for key, shown, help_text in (
            ("device", here[1] if here else "(no file yet)", "this device's name for sync"),
            ("name", here[2] if here and here[2] else "(not set)", "your name, on what you log"),
        ):
            typer.echo(printable(f"{key:<11} {shown:<12} {help_text} (this device only)"))
        return
    if name == "device" or new_device:
        _device(path, name, value, new_device)
        return
    if name == "name":
        _person(path, value, unset)
        return
    if name not in SETTINGS:
        raise InputError(f"unknown setting {name!r}: choose from {', '.join(SETTINGS)}")
    if value is None and not unset:
        with db.connection(path, create=False) as conn:
            current = db.read_settings(conn).get(name, SETTINGS[name].default)
        typer.echo(printable(current) if current is not None else "")
        return
    if value is not None and unset:
        raise InputError("give a value or --unset, not both")
    if value is not None:
        parse_setting(name, value)  # bad input is refused before a file is created
    change = f"config {name} " + (value if value is not None else "--unset")
    with (
        db.connection(path, create=True) as conn,
        db.write_transaction(conn, change=change),
    ):
        stored_value = store(conn, name, value)
    say(f"{name} = {stored_value}" if stored_value is not None else f"{name} reset to default")


def _device(path: Path, name: str | None, value: str | None, new_device: bool) -> None:
    """`config device [NAME] [--new]`: this file's identity for sync (kept on this device)."""
    from netlog.io.sync import rename_device
    from netlog.model.text import printable
    from netlog.store import db
    from netlog.store.changes import device

    if name != "device":
        raise InputError("--new goes with `config device`: netlog config device --new")
    if value is not None and not value.strip():
        raise InputError("a device name cannot be empty")
    if value is None and not new_device:
        with db.connection(path, create=False) as conn:
            current = device(conn) if conn is not None else None
        typer.echo(printable(current.name) if current else "(not synced yet)")
        return
    with db.connection(path, create=True) as conn:
        changed = rename_device(conn, value.strip() if value else None, new_device)
    say(f"device = {changed.name} ({changed.id})")


def _person(path: Path, value: str | None, unset: bool) -> None:
    """`config name [NAME | --unset]`: the person stamped on the entries logged here from
    now on (netlog.store.who); kept on this device, never synced."""
    from netlog.model.text import clean_name, printable
    from netlog.store import db, who

    if value is None and not unset:
        with db.connection(path, create=False) as conn:
            current = who.this_device(conn)[2] if conn is not None else None
        typer.echo(printable(current) if current is not None else "(not set)")
        return
    if value is not None and unset:
        raise InputError("give a value or --unset, not both")
    person = clean_name(value, "name") if value is not None else None
    with (
        db.connection(path, create=True) as conn,
        db.write_transaction(conn),  # on this device only: no undo step to travel
    ):
        who.set_person(conn, person)
    say(f"name = {person}" if person is not None else "name unset")


COMMANDS: dict[str, Callable[..., None]] = {"where": where, "config": config_}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
