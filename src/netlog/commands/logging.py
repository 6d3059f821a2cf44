"""The logging commands, run after every session: `add`, `outcome` and `spend`.

netlog.main runs these on an app of their own (with this module and commands.common only),
so keep imports here light: everything heavier is imported inside the command that needs it.
"""

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Annotated, NamedTuple

import typer

from netlog.commands.common import (
    AtOption,
    NoteOption,
    OutcomeKind,
    TagOption,
    ask,
    complete_channel,
    db_path_for,
    handle_errors,
    now_and_zone,
    say,
)
from netlog.entries import Entry
from netlog.errors import InputError
from netlog.limits import MAX_COUNT, MAX_ID


class Context(NamedTuple):
    """What building an entry needs from the file and the clock."""

    settings: dict[str, str]
    now: datetime
    zone: tzinfo

    @property
    def currency(self) -> str | None:
        return self.settings.get("currency")

    def when(self, at: str | None) -> datetime:
        from netlog.dates import DateOrder, parse_at

        order = DateOrder.from_settings(self.settings)
        return parse_at(at, now=self.now, zone=self.zone, date_order=order)


def log_entry(
    ctx: typer.Context,
    build: Callable[[Context], Entry],
    *,
    sources: list[int] | None = None,
    reach_total: tuple[int, bool] | None = None,
) -> None:
    """Shared by the logging commands: build and check the entry (InputError before anything
    is created), then write it in one transaction."""
    from netlog import db
    from netlog.describe import describe_entry
    from netlog.entries import check, check_link, reach_change

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        settings = db.read_settings(conn)
    entry = check(build(Context(settings, now, zone)))
    with db.connection(path, create=True) as conn, db.write_transaction(conn, change="log"):
        known = db.find_channel(conn, entry.channel)
        entry = entry._replace(channel=known or entry.channel)
        if reach_total is not None:
            total, baseline = reach_total
            previous = db.previous_reach_total(conn, entry.channel, entry.occurred_at)
            change = reach_change(total, previous, baseline=baseline)
            entry = check(entry._replace(count=change, reach_total=total))
        if entry.currency is not None and db.file_currency(conn) is None:
            db.set_file_currency(conn, entry.currency)
        entry_id = db.insert_entry(conn, entry)
        for source in db.get_entries(conn, sources or []):
            check_link(
                entry.kind, entry.occurred_at, source["id"], source["kind"], source["occurred_at"]
            )
        db.add_links(conn, entry_id, sources or [])
        done = f"Logged #{entry_id}: {describe_entry(entry._asdict(), zone)}"
        if sources:
            done += " (from " + ", ".join(f"#{source}" for source in sources) + ")"
        db.describe_change(conn, done)
    say(done + ("" if known else f" (new channel {entry.channel!r})"))
    from netlog.budget import warn_after_logging

    warn_after_logging(path, entry, zone, say)


def _channel(ctx: typer.Context, channel: str | None) -> str:
    from netlog.text import clean_channel

    if channel is not None:
        return clean_channel(channel)
    return ask(ctx, "channel", clean_channel, offer_channels=True)


ChannelArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="CHANNEL",
        help="The channel: linkedin, email… (asked for if left out).",
        autocompletion=complete_channel,
        show_default=False,
    ),
]


@handle_errors
def add(
    ctx: typer.Context,
    channel: ChannelArgument = None,
    duration: Annotated[
        str | None,
        typer.Argument(
            metavar="DURATION", help="How long: 45m, 1h30m, 1.5h, 90 or 1:30.", show_default=False
        ),
    ] = None,
    what: Annotated[
        str | None, typer.Argument(metavar="WHAT", help="What you did: bids, tweets…")
    ] = None,
    count: Annotated[
        int,
        typer.Option("--count", "-n", min=0, max=MAX_COUNT, help="How many items (bids, tweets…)."),
    ] = 1,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="WHEN",
            help="When the session started. Without it, the session has just ended: it "
            "started DURATION ago.",
        ),
    ] = None,
    note: NoteOption = None,
    tag: TagOption = None,
) -> None:
    """Log a session of networking activity.

    \b
    Examples:
      netlog add linkedin 45m "contact messages" --count 12
      netlog add peopleperhour 1h30m bid --count 3
      netlog add twitter 20m tweet -n 4 --at "2010-09-14 10:00" --tag launch
    """
    from datetime import timedelta

    from netlog.dates import parse_duration, to_storage

    name = _channel(ctx, channel)
    minutes = (
        parse_duration(duration) if duration is not None else ask(ctx, "duration", parse_duration)
    )

    def build(context: Context) -> Entry:
        started = context.when(at) if at is not None else context.now - timedelta(minutes=minutes)
        return Entry(
            channel=name,
            kind="activity",
            occurred_at=to_storage(started),
            logged_at=to_storage(context.now),
            minutes=minutes,
            what=what,
            count=count,
            note=note,
            tags=tuple(tag or ()),
        )

    log_entry(ctx, build)


def _outcome_kind(text: str) -> OutcomeKind:
    try:
        return OutcomeKind(text.strip().lower())
    except ValueError:
        raise InputError(f"{text!r} is not reach, lead or win") from None


@handle_errors
def outcome(
    ctx: typer.Context,
    channel: ChannelArgument = None,
    kind: Annotated[
        OutcomeKind | None,
        typer.Argument(
            metavar="KIND",
            help="reach (fans, followers, connections), lead (replies, enquiries, meetings) "
            "or win (paid work).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    count: Annotated[
        int | None,
        typer.Argument(
            metavar="COUNT", min=1, max=MAX_COUNT, help="How many (default 1).", show_default=False
        ),
    ] = None,
    value: Annotated[
        str | None,
        typer.Option(
            "--value", "-v", metavar="AMOUNT", help="What a win is worth: 1200, £1,200.50."
        ),
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="A short label.")] = None,
    total: Annotated[
        int | None,
        typer.Option(
            "--total",
            min=0,
            max=MAX_COUNT,
            help="Reach: the running total now (followers, fans); netlog logs the change "
            "since the last total.",
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        bool,
        typer.Option("--baseline", help="Reach: this first --total was there before netlog."),
    ] = False,
    sources: Annotated[
        list[int] | None,
        typer.Option(
            "--from",
            metavar="ID",
            min=1,
            max=MAX_ID,
            help="Leads and wins: the entry it came from (an activity or a lead; repeatable).",
        ),
    ] = None,
    at: AtOption = None,
    note: NoteOption = None,
    tag: TagOption = None,
) -> None:
    """Log a result: reach, a lead, or a win.

    \b
    Examples:
      netlog outcome facebook reach 18 --label fans
      netlog outcome twitter reach --total 212      (followers now)
      netlog outcome linkedin lead --label "reply from Acme" --from 41
      netlog outcome email win --value 1200 --note "brochure redesign"
    """
    from netlog.dates import to_storage

    name = _channel(ctx, channel)
    if kind is None:
        kind = ask(ctx, "kind (reach, lead or win)", _outcome_kind)
    if (total is not None or baseline) and kind is not OutcomeKind.REACH:
        raise InputError("--total and --baseline are for reach only")
    if total is not None and count is not None:
        raise InputError("give COUNT (new reach) or --total (followers now), not both")
    if baseline and total is None:
        raise InputError(
            "--baseline goes with --total: netlog outcome twitter reach --total 200 --baseline"
        )

    def build(context: Context) -> Entry:
        value_minor = currency = None
        if value is not None:
            from netlog.entries import amount

            value_minor, currency = amount(value, context.currency)
        return Entry(
            channel=name,
            kind=kind.value,
            occurred_at=to_storage(context.when(at)),
            logged_at=to_storage(context.now),
            count=count if count is not None else 1,
            label=label,
            value_minor=value_minor,
            currency=currency,
            note=note,
            tags=tuple(tag or ()),
        )

    log_entry(
        ctx,
        build,
        sources=list(dict.fromkeys(sources or ())),
        reach_total=(total, baseline) if total is not None else None,
    )


@handle_errors
def spend(
    ctx: typer.Context,
    channel: ChannelArgument = None,
    amount_text: Annotated[
        str | None,
        typer.Argument(metavar="AMOUNT", help="What you paid: 40, £12.50.", show_default=False),
    ] = None,
    what: Annotated[
        str | None, typer.Argument(metavar="WHAT", help="What for: bid credits, Premium, ads…")
    ] = None,
    at: AtOption = None,
    note: NoteOption = None,
    tag: TagOption = None,
) -> None:
    """Log money paid for a channel: fees, ads, credits, subscriptions.

    The summary adds it to the cost of your time (total_cost), so net and ROI count it.

    \b
    Examples:
      netlog spend peopleperhour 40 "bid credits"
      netlog spend linkedin £19.99 Premium --at 2010-09-01
    """
    from netlog.dates import to_storage
    from netlog.entries import amount

    name = _channel(ctx, channel)
    text = amount_text if amount_text is not None else ask(ctx, "amount", str)

    def build(context: Context) -> Entry:
        value_minor, currency = amount(text, context.currency)
        return Entry(
            channel=name,
            kind="spend",
            occurred_at=to_storage(context.when(at)),
            logged_at=to_storage(context.now),
            what=what,
            value_minor=value_minor,
            currency=currency,
            note=note,
            tags=tuple(tag or ()),
        )

    log_entry(ctx, build)


def register(app: typer.Typer) -> None:
    app.command()(add)
    app.command()(outcome)
    app.command()(spend)
