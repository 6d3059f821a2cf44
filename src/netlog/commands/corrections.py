"""Corrections: `edit`, `rm`, `undo` and `redo`."""

from collections.abc import Callable
from typing import Annotated

import typer

from netlog.commands import common
from netlog.commands.common import (
    OUTCOME_KIND_CHOICE,
    NewChannelOption,
    SourcesOption,
    TagOption,
    YesOption,
    add_commands,
    complete_channel,
    db_path_for,
    handle_errors,
    now_and_zone,
    say,
)
from netlog.errors import InputError, NetlogError
from netlog.model.kinds import LINKED_KINDS
from netlog.model.limits import MAX_COUNT, MAX_ID


@handle_errors
def edit(
    ctx: typer.Context,
    entry_id: Annotated[
        int, typer.Argument(metavar="ID", min=1, max=MAX_ID, help="The entry's id (netlog log).")
    ],
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel", "-c", help="Move it to this channel.", autocompletion=complete_channel
        ),
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", help="Activities: new duration.")
    ] = None,
    what: Annotated[
        str | None, typer.Option("--what", help="Activities and spend: what it was.")
    ] = None,
    count: Annotated[
        int | None, typer.Option("--count", "-n", min=0, max=MAX_COUNT, help="New count.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="WHEN",
            help="New time it happened: '2010-09-14 10:00', 'yesterday 3pm', 'mon 10:00'.",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="New note ('' clears it).")] = None,
    tag: TagOption = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", help="Remove a tag (repeatable).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", click_type=OUTCOME_KIND_CHOICE, help="Outcomes: the new kind."),
    ] = None,
    value: Annotated[
        str | None,
        typer.Option("--value", "-v", metavar="AMOUNT", help="Wins and spend: new amount."),
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="Outcomes: new label.")] = None,
    sources: SourcesOption = None,
    unlink: Annotated[
        bool, typer.Option("--unlink", help="Remove its links to what it came from.")
    ] = False,
    yes: YesOption = False,
    new_channel: NewChannelOption = False,
) -> None:
    """Change one entry; shows it before and after.

    \b
    Examples:
      netlog edit 12 --duration 1h --count 3
      netlog edit 14 --channel email --at "2010-10-05 11:00"
      netlog edit 15 --kind win --value 850.50 --untag maybe
      netlog edit 15 --from 9
    """
    from netlog.model.date_parsing import parse_at
    from netlog.model.dates import DateOrder, to_storage
    from netlog.model.durations import parse_duration
    from netlog.model.entries import Edit, amount, apply_edit, check_link
    from netlog.model.periods import week_start
    from netlog.model.text import clean_channel
    from netlog.present.describe import describe_entry
    from netlog.store import db

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise InputError(f"no entry #{entry_id}: there are no entries yet in {path}")
        [before] = db.get_entries(conn, [entry_id])
        settings = db.read_settings(conn)
        value_minor = currency = None
        if value is not None:
            value_minor, currency = amount(value, settings.get("currency"))
        occurred_at = None
        notices: list[str] = []
        if at is not None:
            moment = parse_at(
                at,
                now=now,
                zone=zone,
                date_order=DateOrder.from_settings(settings),
                week_start=week_start(settings),
                notices=notices,
            )
            occurred_at = to_storage(moment)
        if channel is not None and db.lookup_channel(conn, channel) is None:
            channel = common.settle_channel(
                conn, clean_channel(channel), yes=yes, new_channel=new_channel
            )
        changes = Edit(
            channel=channel,
            kind=kind,
            occurred_at=occurred_at,
            minutes=parse_duration(duration) if duration is not None else None,
            count=count,
            what=what,
            label=label,
            value_minor=value_minor,
            currency=currency,
            note=note,
            add_tags=tuple(tag or ()),
            remove_tags=tuple(untag or ()),
        )
        if changes.is_empty() and not sources and not unlink:
            raise InputError("nothing to change: give at least one option (see --help)")
        after_entry = apply_edit(db.entry_from_row(before), changes)
        with db.write_transaction(conn, change=f"edit #{entry_id}"):
            db.adopt_currency(conn, after_entry.currency)
            totals = db.reach_channels(conn, [entry_id])
            target = db.lookup_channel(conn, after_entry.channel)
            if after_entry.reach_total is not None and target is not None:
                totals.add(target.id)
            starts: dict[int, bool | None] = dict(db.reach_baselines(conn, totals))
            db.update_entry(conn, entry_id, after_entry)
            for created in db.reach_channels(conn, [entry_id]) - totals:
                starts[created] = None  # a channel this edit made: as its one total says
            db.settle_reach_totals(conn, starts)
            if unlink:
                db.remove_links(conn, entry_id)
            for source in db.get_entries(conn, sources or []):
                check_link(
                    after_entry.kind,
                    after_entry.occurred_at,
                    source["id"],
                    source["kind"],
                    source["occurred_at"],
                )
            db.add_links(conn, entry_id, sources or [])
            if after_entry.kind not in LINKED_KINDS:
                db.remove_links(conn, entry_id)
            [after] = db.get_entries(conn, [entry_id])
            db.describe_change(conn, f"edit #{entry_id}: {describe_entry(after, zone)}")
    say(f"Before #{entry_id}: {describe_entry(before, zone)}")
    say(f"After  #{entry_id}: {describe_entry(after, zone)}")
    for notice in notices:
        say(notice)


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
    from netlog.present.describe import describe_entry
    from netlog.store import db

    path = db_path_for(ctx)
    _, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise NetlogError(f"no entry #{entry_ids[0]}: there are no entries yet in {path}")
        entries = db.get_entries(conn, entry_ids)
        lines = [f"#{e['id']}: {describe_entry(e, zone)}" for e in entries]
        if not yes:
            if not common.interactive():
                raise InputError("not removing without --yes when no one is at the keyboard")
            for line in lines:
                say(line)
            noun = "entry" if len(entries) == 1 else f"{len(entries)} entries"
            if not typer.confirm(f"Remove {noun}?", err=True):
                say("Nothing removed.")
                raise typer.Exit(1)
        ids = [e["id"] for e in entries]
        with db.write_transaction(conn, change="rm " + " ".join(f"#{i}" for i in ids)):
            starts = db.reach_baselines(conn, db.reach_channels(conn, ids))
            db.delete_entries(conn, ids)
            db.settle_reach_totals(conn, starts)
    for line in lines:
        say(f"Removed {line}")
    say("(netlog undo brings them back)" if len(lines) > 1 else "(netlog undo brings it back)")


@handle_errors
def undo(
    ctx: typer.Context,
    list_: Annotated[
        bool, typer.Option("--list", help="Show what undo would revert, newest first.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Revert the most recent change; repeat to go further back.

    On a terminal it shows the change and asks first. `netlog redo` puts it back.

    \b
    Examples:
      netlog undo --list
      netlog undo
      netlog undo --yes
    """
    from netlog.store import db, journal

    path = db_path_for(ctx)
    _, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        if conn is None:
            say("Nothing to undo.")
            return
        if list_:
            _list_changes(conn, zone)
            return
        latest = journal.recent_changes(conn, limit=1)
        if not latest:
            say("Nothing to undo.")
            return
        expected = None
        if not yes and common.interactive():
            say(f"Last change: {latest[0].command}")
            if not typer.confirm("Undo it?", default=True, err=True):
                say("Nothing undone.")
                raise typer.Exit(1)
            expected = latest[0].id
        reverted = journal.undo_last(conn, expected=expected)
        if reverted is None:
            say("Nothing to undo.")
            return
        _say_reverted(conn, "Undone", reverted, zone)
        say("(netlog redo puts it back)")


@handle_errors
def redo(ctx: typer.Context) -> None:
    """Re-apply what the last undo reverted (until the next change clears it).

    \b
    Examples:
      netlog undo && netlog redo
      netlog undo --list      (shows what redo would re-apply, too)
    """
    from netlog.store import db, journal

    path = db_path_for(ctx)
    _, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        reverted = journal.redo_last(conn) if conn is not None else None
        if reverted is None:
            say("Nothing to redo.")
            return
        _say_reverted(conn, "Redone", reverted, zone)


def _say_reverted(conn, verb: str, reverted, zone) -> None:
    from netlog.present.describe import describe_entry
    from netlog.store import journal

    after = journal.state_after(conn, reverted, lambda entry: describe_entry(entry, zone))
    say(" ".join([f"{verb}: {reverted.change.command}.", *after]))


def _list_changes(conn, zone) -> None:
    from netlog.model.dates import from_storage
    from netlog.model.text import printable
    from netlog.store import journal

    def line(change) -> str:
        when = from_storage(change.made_at).astimezone(zone).strftime("%Y-%m-%d %H:%M")
        return printable(f"#{change.id:<5} {when}  {change.command}")

    changes = journal.recent_changes(conn, limit=20)
    for change in changes:
        typer.echo(line(change))
    if not changes:
        say("Nothing to undo.")
    redoable = journal.redo_changes(conn, limit=20)
    if redoable:
        say("netlog redo would re-apply, next first:")
        for change in redoable:
            say("  " + line(change))


COMMANDS: dict[str, Callable[..., None]] = {"edit": edit, "rm": rm, "undo": undo, "redo": redo}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
