"""The timer commands: `start`, `stop`, `status` and `cancel`."""

from collections.abc import Callable
from typing import Annotated

import typer

from netlog.commands.common import (
    NewChannelOption,
    NoteOption,
    TagOption,
    YesOption,
    add_commands,
    complete_channel,
    db_path_for,
    handle_errors,
    now_and_zone,
    say,
    settle_channel,
)
from netlog.errors import NetlogError
from netlog.model.limits import MAX_COUNT


def _describe_timer(timer, now, zone) -> str:
    from netlog.model.dates import from_storage
    from netlog.model.durations import format_duration
    from netlog.model.text import printable

    started_at = from_storage(timer.started_at)
    started = started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    what = f" {timer.what}" if timer.what else ""
    minutes = int((now - started_at).total_seconds() // 60)
    ago = "just now" if minutes < 1 else f"{format_duration(minutes)} ago"
    return printable(f"{timer.channel}{what}, started {started} ({ago})")


def _logged(stopped, zone) -> str:
    from netlog.present.describe import describe_entry

    done = f"Logged #{stopped.entry_id}: {describe_entry(stopped.entry._asdict(), zone)}"
    return done + (f" (new channel {stopped.entry.channel!r})" if stopped.new_channel else "")


@handle_errors
def start(
    ctx: typer.Context,
    channel: Annotated[
        str,
        typer.Argument(help="Where you are spending the time.", autocompletion=complete_channel),
    ],
    what: Annotated[str | None, typer.Argument(help="What you are doing.")] = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="WHEN", help="When you started (default: now).")
    ] = None,
    stop_running: Annotated[
        bool, typer.Option("--stop", help="Stop (and log) a running timer first.")
    ] = False,
    yes: YesOption = False,
    new_channel: NewChannelOption = False,
) -> None:
    """Start a timer; `netlog stop` logs the session.

    \b
    Examples:
      netlog start linkedin "contact messages"
      netlog start email --at 09:30
      netlog start twitter --stop
    """
    from netlog.model.date_parsing import parse_at
    from netlog.model.dates import DateOrder, to_storage
    from netlog.model.text import clean_channel, clean_text
    from netlog.store import db
    from netlog.store import timer as timers

    name = clean_channel(channel)
    cleaned_what = clean_text(what, "description")
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:  # read the settings, create nothing yet
        order = DateOrder.from_settings(db.read_settings(conn))
        if conn is not None and db.lookup_channel(conn, name) is None:
            name = settle_channel(conn, name, yes=yes, new_channel=new_channel)
    started = parse_at(at, now=now, zone=zone, date_order=order)
    with db.connection(path, create=True) as conn:
        stopped = None
        with db.write_transaction(conn, change="start"):
            running = timers.running(conn)
            if running is not None:
                if not stop_running:
                    raise NetlogError(
                        f"a timer is already running: {_describe_timer(running, now, zone)}; "
                        "netlog stop it first, or start with --stop"
                    )
                # --at says when the new session started, not that the old one really
                # ended then: a forgotten timer is refused as `stop` refuses it.
                stopped = timers.stop(
                    conn, end=started, end_given=False, now=now, fix=timers.START_FIX
                )
            timer = timers.start(conn, timers.Timer(name, cleaned_what, to_storage(started)))
            db.describe_change(conn, f"start {timer.channel}")
    if stopped:
        from netlog.reports.budget import warn_after_logging

        say(_logged(stopped, zone))
        warn_after_logging(path, stopped.entry, zone, say)
    say(f"Started: {_describe_timer(timer, now, zone)}")


@handle_errors
def stop(
    ctx: typer.Context,
    count: Annotated[
        int, typer.Option("--count", "-n", min=0, max=MAX_COUNT, help="How many items.")
    ] = 1,
    note: NoteOption = None,
    tag: TagOption = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="WHEN", help="When you stopped (default: now).")
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", help="Log this duration instead of the measured.")
    ] = None,
) -> None:
    """Stop the timer and log the session.

    \b
    Examples:
      netlog stop --count 12
      netlog stop --at 11:15 --note "forgot to stop"
      netlog stop --duration 45m
    """
    from netlog.model.date_parsing import parse_at
    from netlog.model.dates import DateOrder
    from netlog.model.durations import parse_duration
    from netlog.store import db
    from netlog.store import timer as timers

    minutes = parse_duration(duration) if duration is not None else None
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        timers.require_running(conn)
        assert conn is not None  # require_running refused a missing file
        order = DateOrder.from_settings(db.read_settings(conn))
        end = parse_at(at, now=now, zone=zone, date_order=order)
        with db.write_transaction(conn, change="stop"):
            stopped = timers.stop(
                conn,
                end=end,
                end_given=at is not None,
                now=now,
                minutes=minutes,
                count=count,
                note=note,
                tags=tuple(tag or ()),
            )
            done = _logged(stopped, zone)
            db.describe_change(conn, f"stop: {done}")
    say(done)
    from netlog.reports.budget import warn_after_logging

    warn_after_logging(path, stopped.entry, zone, say)


@handle_errors
def status(ctx: typer.Context) -> None:
    """Show the running timer; exit status 1 when none runs.

    \b
    Example:
      netlog status && echo "timer running"
    """
    from netlog.store import db
    from netlog.store import timer as timers

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        running = timers.running(conn)
    if running is None:
        say("No timer running.")
        raise typer.Exit(1)
    typer.echo(_describe_timer(running, now, zone))


@handle_errors
def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging it.

    `netlog undo` brings it back.

    \b
    Example:
      netlog cancel
    """
    from netlog.store import db
    from netlog.store import timer as timers

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        running = timers.require_running(conn)
        assert conn is not None  # require_running refused a missing file
        with db.write_transaction(conn, change=f"cancel timer {running.channel}"):
            timers.clear(conn)
    say(f"Cancelled: {_describe_timer(running, now, zone)}")


COMMANDS: dict[str, Callable[..., None]] = {
    "start": start,
    "stop": stop,
    "status": status,
    "cancel": cancel,
}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
