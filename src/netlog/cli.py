"""The `netlog` command line: parse, call the core, render, and report errors in one line.

The shared parts and the logging commands live in netlog.cli_base; this module adds every
other command to the app.
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from netlog import cli_base
from netlog.cli_base import (
    AtOption,
    By,
    ChannelFilterOption,
    Format,
    FormatOption,
    NoteOption,
    OutcomeKind,
    SinceOption,
    TagOption,
    UntilOption,
    complete_channel,
    db_path_for,
    handle_errors,
    new_app,
    now_and_zone,
    say,
    say_no_entries,
)
from netlog.errors import InputError, NetlogError
from netlog.limits import MAX_COUNT, MAX_ID

app = new_app()


@app.command()
@handle_errors
def edit(
    ctx: typer.Context,
    entry_id: Annotated[
        int, typer.Argument(metavar="ID", min=1, max=MAX_ID, help="The entry's id (netlog log).")
    ],
    channel: Annotated[
        str | None, typer.Option("--channel", help="Move it to this channel.")
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", help="Activities: new duration.")
    ] = None,
    what: Annotated[str | None, typer.Option("--what", help="Activities: what you did.")] = None,
    count: Annotated[
        int | None, typer.Option("--count", "-n", min=0, max=MAX_COUNT, help="New count.")
    ] = None,
    at: AtOption = None,
    note: Annotated[str | None, typer.Option("--note", help="New note ('' clears it).")] = None,
    tag: TagOption = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", help="Remove a tag (repeatable).")
    ] = None,
    kind: Annotated[
        OutcomeKind | None, typer.Option("--kind", help="Outcomes: reach, lead or win.")
    ] = None,
    value: Annotated[
        str | None, typer.Option("--value", "-v", metavar="AMOUNT", help="Wins: new value.")
    ] = None,
    label: Annotated[str | None, typer.Option("--label", "-l", help="Outcomes: new label.")] = None,
) -> None:
    """Change one entry; shows it before and after.

    \b
    Examples:
      netlog edit 12 --duration 1h --count 3
      netlog edit 14 --channel email --at "2010-10-05 11:00"
      netlog edit 15 --kind win --value 850.50 --untag maybe
    """
    import json

    from netlog import db
    from netlog.dates import DateOrder, parse_at, parse_duration, to_storage
    from netlog.describe import describe_entry
    from netlog.text import clean_channel, clean_tags, clean_text

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise NetlogError(f"no entry #{entry_id}: there are no entries yet in {path}")
        [before] = db.get_entries(conn, [entry_id])
        is_activity = before["kind"] == "activity"
        activity_only = {"--duration": duration, "--what": what}
        outcome_only = {"--kind": kind, "--value": value, "--label": label}
        wrong = [
            name
            for name, v in (outcome_only if is_activity else activity_only).items()
            if v is not None
        ]
        if wrong:
            kind_name = "an activity" if is_activity else "an outcome"
            raise InputError(f"#{entry_id} is {kind_name}: {', '.join(wrong)} does not apply")
        changes: dict[str, object] = {}
        if duration is not None:
            changes["minutes"] = parse_duration(duration)
        if what is not None:
            changes["what"] = clean_text(what, "description")
        if count is not None:
            if not is_activity and count < 1:
                raise InputError("an outcome's count is at least 1")
            changes["count"] = count
        stored = db.read_settings(conn)
        if at is not None:
            order = DateOrder.from_settings(stored)
            changes["occurred_at"] = to_storage(parse_at(at, now=now, zone=zone, date_order=order))
        if note is not None:
            changes["note"] = clean_text(note, "note")
        if label is not None:
            changes["label"] = clean_text(label, "label")
        if tag or untag:
            tags = json.loads(before["tags"]) if before["tags"] else []
            removed = set(clean_tags(untag))
            tags = [t for t in clean_tags([*tags, *(tag or [])]) if t not in removed]
            changes["tags"] = json.dumps(tags, ensure_ascii=False) if tags else None
        new_kind = kind.value if kind is not None else before["kind"]
        if kind is not None:
            changes["kind"] = new_kind
            if new_kind != "win":
                changes["value_minor"] = None
        if value is not None:
            if new_kind != "win":
                raise InputError(f"--value is only for wins, and #{entry_id} is a {new_kind}")
            from netlog.money import parse_value

            changes["value_minor"], changes["currency"] = parse_value(
                value, before["currency"] or stored.get("currency")
            )
        new_channel = clean_channel(channel) if channel is not None else None
        if not changes and new_channel is None:
            raise InputError("nothing to change: give at least one option (see --help)")
        with db.write_transaction(conn, change=f"edit #{entry_id}"):
            if new_channel is not None:
                changes["channel_id"] = db.channel_id(conn, new_channel, created_at=to_storage(now))
            db.update_entry(conn, entry_id, changes)
            [after] = db.get_entries(conn, [entry_id])
            db.describe_change(conn, f"edit #{entry_id}: {describe_entry(after, zone)}")
    say(f"Before #{entry_id}: {describe_entry(before, zone)}")
    say(f"After  #{entry_id}: {describe_entry(after, zone)}")


@app.command()
@handle_errors
def rm(
    ctx: typer.Context,
    entry_ids: Annotated[
        list[int], typer.Argument(metavar="ID...", min=1, max=MAX_ID, help="Entries to remove.")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Remove entries (`netlog undo` brings them back).

    \b
    Examples:
      netlog rm 12
      netlog rm 12 13 14 --yes
    """
    from netlog import db
    from netlog.describe import describe_entry

    path = db_path_for(ctx)
    _, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise NetlogError(f"no entry #{entry_ids[0]}: there are no entries yet in {path}")
        entries = db.get_entries(conn, entry_ids)
        lines = [f"#{e['id']}: {describe_entry(e, zone)}" for e in entries]
        if not yes:
            if not cli_base.interactive():
                raise InputError("not removing without --yes when no one is at the keyboard")
            for line in lines:
                say(line)
            noun = "entry" if len(entries) == 1 else f"{len(entries)} entries"
            if not typer.confirm(f"Remove {noun}?", err=True):
                say("Nothing removed.")
                raise typer.Exit(1)
        ids = [e["id"] for e in entries]
        with db.write_transaction(conn, change="rm " + " ".join(f"#{i}" for i in ids)):
            db.delete_entries(conn, ids)
    for line in lines:
        say(f"Removed {line}")
    say("(netlog undo brings them back)" if len(lines) > 1 else "(netlog undo brings it back)")


@app.command()
@handle_errors
def undo(
    ctx: typer.Context,
    list_: Annotated[
        bool, typer.Option("--list", help="Show what undo would revert, newest first.")
    ] = False,
) -> None:
    """Revert the most recent change; repeat to go further back.

    \b
    Examples:
      netlog undo --list
      netlog undo
    """
    from netlog import db, journal

    path = db_path_for(ctx)
    with db.connection(path, create=False) as conn:
        if conn is None:
            say("Nothing to undo.")
            return
        if list_:
            changes = journal.recent_changes(conn, limit=20)
            _, zone = now_and_zone()
            from netlog.dates import from_storage
            from netlog.text import printable

            for change in changes:
                when = from_storage(change.made_at).astimezone(zone).strftime("%Y-%m-%d %H:%M")
                typer.echo(printable(f"{when}  {change.command}"))
            if not changes:
                say("Nothing to undo.")
            return
        change = journal.undo_last(conn)
    say(f"Undone: {change.command}" if change else "Nothing to undo.")


# --- the timer ------------------------------------------------------------------------


def _describe_timer(timer, now, zone) -> str:
    from netlog.dates import format_duration, from_storage
    from netlog.text import printable

    started_at = from_storage(timer.started_at)
    started = started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    what = f" {timer.what}" if timer.what else ""
    minutes = int((now - started_at).total_seconds() // 60)
    ago = "just now" if minutes < 1 else f"{format_duration(minutes)} ago"
    return printable(f"{timer.channel}{what}, started {started} ({ago})")


def _require_timer(conn):
    """The running timer, or NetlogError; `conn` is None when there is no database yet."""
    from netlog import timer as timers

    running = timers.running(conn) if conn is not None else None
    if running is None:
        raise NetlogError("no timer is running (start one with: netlog start CHANNEL)")
    return running


def _stop_timer(conn, timer, *, end, end_given, minutes, count, note, tags, now, zone):
    """Log the running timer's session and clear it, inside the caller's transaction."""
    from netlog import db
    from netlog import timer as timers
    from netlog.dates import to_storage
    from netlog.describe import describe_entry

    if minutes is None:
        limit = float(db.read_settings(conn).get("timer-limit", timers.DEFAULT_LIMIT_HOURS))
        minutes = timers.measured_minutes(timer, end, limit_hours=limit, end_given=end_given)
    entry = db.NewEntry(
        channel=timer.channel,
        kind="activity",
        occurred_at=timer.started_at,
        logged_at=to_storage(now),
        minutes=minutes,
        what=timer.what,
        count=count,
        note=note,
        tags=tags,
    )
    known = db.find_channel(conn, timer.channel)
    entry_id = db.insert_entry(conn, entry)
    timers.clear(conn)
    done = f"Logged #{entry_id}: {describe_entry(entry._asdict(), zone)}"
    db.describe_change(conn, f"stop: {done}")
    return done + (f" (new channel {timer.channel!r})" if known is None else "")


@app.command()
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
) -> None:
    """Start a timer; `netlog stop` logs the session.

    \b
    Examples:
      netlog start linkedin "contact messages"
      netlog start email --at 09:30
      netlog start twitter --stop
    """
    from netlog import db
    from netlog import timer as timers
    from netlog.dates import DateOrder, parse_at, to_storage
    from netlog.text import clean_channel, clean_text

    name = clean_channel(channel)
    cleaned_what = clean_text(what, "description")
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:  # read the settings, create nothing yet
        order = DateOrder.from_settings(db.read_settings(conn))
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
                stopped = _stop_timer(
                    conn,
                    running,
                    end=started,
                    end_given=at is not None,
                    minutes=None,
                    count=1,
                    note=None,
                    tags=None,
                    now=now,
                    zone=zone,
                )
            name = db.find_channel(conn, name) or name
            timer = timers.Timer(name, cleaned_what, to_storage(started))
            timers.start(conn, timer)
            db.describe_change(conn, f"start {name}")
    if stopped:
        say(stopped)
    say(f"Started: {_describe_timer(timer, now, zone)}")


@app.command()
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
    from netlog import db
    from netlog.dates import DateOrder, parse_at, parse_duration
    from netlog.text import clean_tags, clean_text

    minutes = parse_duration(duration) if duration is not None else None
    cleaned_note, tags = clean_text(note, "note"), tuple(clean_tags(tag))
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        running = _require_timer(conn)
        order = DateOrder.from_settings(db.read_settings(conn))
        end = parse_at(at, now=now, zone=zone, date_order=order)
        with db.write_transaction(conn, change="stop"):
            done = _stop_timer(
                conn,
                running,
                end=end,
                end_given=at is not None,
                minutes=minutes,
                count=count,
                note=cleaned_note,
                tags=tags,
                now=now,
                zone=zone,
            )
    say(done)


@app.command()
@handle_errors
def status(ctx: typer.Context) -> None:
    """Show the running timer; exit status 1 when none runs.

    \b
    Example:
      netlog status && echo "timer running"
    """
    from netlog import db
    from netlog import timer as timers

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        running = timers.running(conn) if conn is not None else None
    if running is None:
        say("No timer running.")
        raise typer.Exit(1)
    typer.echo(_describe_timer(running, now, zone))


@app.command()
@handle_errors
def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging it.

    `netlog undo` brings it back.
    """
    from netlog import db
    from netlog import timer as timers

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        running = _require_timer(conn)
        with db.write_transaction(conn, change=f"cancel timer {running.channel}"):
            timers.clear(conn)
    say(f"Cancelled: {_describe_timer(running, now, zone)}")


# --- channels ---------------------------------------------------------------------------

channels_app = typer.Typer(
    help="List channels, rename or merge them, and manage aliases.",
    rich_markup_mode=None,
    invoke_without_command=True,
)
app.add_typer(channels_app, name="channels")


@channels_app.callback()
@handle_errors
def channels(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """List channels with entry counts, first and last use, and hours.

    \b
    Examples:
      netlog channels
      netlog channels rename linkdin LinkedIn
      netlog channels merge "linked in" linkedin
      netlog channels alias fb facebook
    """
    if ctx.invoked_subcommand is not None:
        return
    from netlog import db, render
    from netlog.channels import list_channels

    path = db_path_for(ctx)
    _, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        found = list_channels(conn) if conn is not None else []
    rows = [
        {
            "channel": c.name, "entries": c.entries, "hours": round(c.minutes / 60, 2),
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


def _channel_write(ctx: typer.Context, change: str, action: Callable) -> object:
    from netlog import db

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
    from netlog.channels import rename
    from netlog.text import clean_channel

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
    from netlog.channels import merge

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
    from netlog import db
    from netlog.channels import add_alias, list_channels
    from netlog.dates import to_storage, utc_now
    from netlog.text import clean_channel

    if alias is None:
        with db.connection(db_path_for(ctx), create=False) as conn:
            found = list_channels(conn) if conn is not None else []
        pairs = [(a, c.name) for c in found for a in c.aliases]
        from netlog.text import printable

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
    from netlog.channels import remove_alias

    target = _channel_write(
        ctx, f"channels unalias {alias}", lambda conn: remove_alias(conn, alias)
    )
    say(f"Removed the alias {alias} (of {target}).")


@app.command("log")
@handle_errors
def log_(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    channel: ChannelFilterOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-l",
            min=0,
            help="Show at most this many (0 = all). Default: 50 in a table, all in CSV/JSON.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List entries, newest first, with their ids and every field.

    \b
    Examples:
      netlog log --since 2010-09 --channel email
      netlog log --format csv > entries.csv
    """
    from netlog import db, render, reports
    from netlog.settings import Config

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    if limit is None:
        limit = 50 if fmt is Format.TABLE else 0
    with db.connection(path, create=False) as conn:
        if conn is None:
            _empty_output(fmt, render.ENTRY_COLUMNS)
            say_no_entries(path)
            return
        config = Config.from_stored(db.read_settings(conn))
        query = reports.Query(since=since, until=until, channels=channel or ())
        rows, matching = reports.entries(
            conn, query, config, limit=limit or None, now=now, zone=zone
        )
        if fmt is Format.TABLE:
            shown = render.entries_table(rows, zone)
            if not shown:
                say("No entries match.")
            elif matching is not None and matching > shown:
                say(f"Showing the newest {shown} of {matching:,} entries; --limit 0 shows all.")
        elif fmt is Format.CSV:
            render.write_csv(map(render.entry_values, rows), render.ENTRY_COLUMNS, sys.stdout)
        else:
            render.write_json(map(render.entry_values, rows), sys.stdout)


def _empty_output(fmt: Format, columns) -> None:
    """Valid empty output for programs: a header-only CSV or `[]`."""
    from netlog import render

    if fmt is Format.CSV:
        render.write_csv([], columns, sys.stdout)
    elif fmt is Format.JSON:
        render.write_json([], sys.stdout)


def _print_summary(conn, query, *, rate, fmt: Format, now, zone, title=None) -> bool:
    """Render the summary; False when nothing matched."""
    from netlog import db, render, reports
    from netlog.settings import Config

    config = Config.from_stored(db.read_settings(conn))
    report = reports.summary_report(conn, query, config, rate=rate, now=now, zone=zone)
    columns = _summary_columns(query)
    if not report.rows:
        _empty_output(fmt, columns)
        return False
    if fmt is Format.CSV:
        render.write_csv(map(render.summary_values, report.rows), columns, sys.stdout)
    elif fmt is Format.JSON:
        render.write_json(map(render.summary_values, report.rows), sys.stdout)
    else:
        render.summary_table(
            report.rows,
            report.totals,
            currency=config.currency,
            flagged={row.channel for row in report.flagged},
            closing_lines=report.closing_lines(),
            title=title,
        )
    return True


@app.command()
@handle_errors
def summary(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    channel: ChannelFilterOption = None,
    by: Annotated[
        By | None, typer.Option("--by", "-b", help="One row per period and channel.")
    ] = None,
    rate: Annotated[
        str | None,
        typer.Option(
            "--rate",
            "-r",
            metavar="AMOUNT",
            help="Hourly rate to price your time (default: the rate setting).",
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Show the return per channel: hours, leads, wins, revenue, ROI.

    \b
    Examples:
      netlog summary --since 2010-09
      netlog summary --since 2010-09 --until 2010-12 --by month --rate 40
      netlog summary --format csv > return.csv
    """
    from netlog import db, reports
    from netlog.dates import Period
    from netlog.money import parse_amount

    hourly = parse_amount(rate, "hourly rate") if rate is not None else None
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    query = reports.Query(
        since=since, until=until, channels=channel or (), by=Period(by.value) if by else None
    )
    with db.connection(path, create=False) as conn:
        if conn is None:
            from netlog.dates import parse_range

            parse_range(since, until, now=now, zone=zone)  # bad dates are errors even here
            _empty_output(fmt, _summary_columns(query))
            say_no_entries(path)
            return
        if not _print_summary(conn, query, rate=hourly, fmt=fmt, now=now, zone=zone):
            say("No entries match." if since or until or channel else "No entries yet.")


def _summary_columns(query) -> tuple[str, ...]:
    from netlog import render

    return (("period",) if query.by else ()) + render.SUMMARY_COLUMNS


@app.command()
@handle_errors
def demo(
    ctx: typer.Context,
    save: Annotated[
        Path | None,
        typer.Option("--save", metavar="PATH", help="Keep the demo database at PATH (new file)."),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Show netlog on a built-in four-month case study.

    It uses a temporary database: your own data is never touched.

    \b
    Examples:
      netlog demo
      netlog demo --save demo.db && netlog --db demo.db log --channel email
    """
    import tempfile

    from netlog import db, demo, reports

    own = db_path_for(ctx)
    if save is not None:
        if save.exists():
            raise NetlogError(f"{save} already exists; choose a new file for the demo")
        if save.expanduser().resolve() == own.expanduser().resolve():
            raise NetlogError(f"{save} is your own netlog database; choose another file")
    with tempfile.TemporaryDirectory(prefix="netlog-demo-") as tmp:
        path = save.expanduser() if save is not None else Path(tmp) / "demo.db"
        now, zone = now_and_zone()
        with db.connection(path, create=True) as conn:
            with db.write_transaction(conn):
                for key, value in demo.SETTINGS.items():
                    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, value))
                db.insert_entries(conn, demo.case_study())
            _print_summary(
                conn,
                reports.Query(),
                rate=None,
                fmt=fmt,
                now=now,
                zone=zone,
                title="Demo: a small UK firm's networking, September to December 2010",
            )
    if save is not None:
        say(f"Saved the demo database to {save}. Explore it: netlog --db {save} log")
    else:
        say("Keep this data to explore: netlog demo --save demo.db")


@app.command()
@handle_errors
def where(ctx: typer.Context) -> None:
    """Print the path of the database file in use.

    \b
    Chosen by --db, else $NETLOG_DB, else $XDG_DATA_HOME/netlog/netlog.db
    (~/.local/share/netlog/netlog.db).
    """
    path = db_path_for(ctx)
    typer.echo(str(path))
    if not path.exists():
        say("(not created yet: the first `netlog add` creates it)")


@app.command("config")
@handle_errors
def config_(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Setting to show or change.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Go back to the default.")] = False,
) -> None:
    """Show or change settings, stored in the database file itself.

    \b
    Settings:
      rate        hourly rate that prices your time (cost, net, roi)
      currency    currency code for amounts, e.g. GBP, USD, EUR
      date-order  how to read 03/04/2011: day-first (default) or month-first
      threshold   hours after which a channel with no wins is flagged (default 5)
      timer-limit hours after which `stop` asks for the real end time (default 8)

    \b
    Examples:
      netlog config                 list all settings
      netlog config rate 40
      netlog config currency GBP
      netlog config rate --unset
    """
    from netlog import db
    from netlog.settings import SETTINGS, parse_setting

    path = db_path_for(ctx)
    if name is None:
        with db.connection(path, create=False) as conn:
            stored = db.read_settings(conn)
        for setting in SETTINGS.values():
            current = stored.get(setting.name, setting.default)
            shown = current if current is not None else "(not set)"
            typer.echo(f"{setting.name:<11} {shown:<12} {setting.help}")
        return
    if name not in SETTINGS:
        raise InputError(f"unknown setting {name!r}: choose from {', '.join(SETTINGS)}")
    if value is None and not unset:
        with db.connection(path, create=False) as conn:
            current = db.read_settings(conn).get(name, SETTINGS[name].default)
        typer.echo(current if current is not None else "")
        return
    if value is not None and unset:
        raise InputError("give a value or --unset, not both")
    stored_value = parse_setting(name, value) if value is not None else None
    with db.connection(path, create=True) as conn:
        db.write_setting(conn, name, stored_value, change=f"config {name}")
    say(f"{name} = {stored_value}" if stored_value is not None else f"{name} reset to default")


# Registers export, import, merge, backup and check on `app`.
from netlog import cli_data  # noqa: E402, F401


def main() -> None:
    app(prog_name="netlog")  # the console script uses netlog.main, which may skip this module
