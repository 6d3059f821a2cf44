"""The logging commands, run after every session: `add`, `outcome` and `spend`.

netlog.main runs these on an app of their own (with this module and commands.common only),
so keep imports here light: everything heavier is imported inside the command that needs it.
"""

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from netlog.commands import common
from netlog.commands.common import (
    OUTCOME_KIND_CHOICE,
    AtOption,
    NewChannelOption,
    NoteOption,
    SourcesOption,
    TagOption,
    YesOption,
    add_commands,
    ask,
    complete_channel,
    db_path_for,
    handle_errors,
    now_and_zone,
    say,
)
from netlog.errors import InputError
from netlog.model.entries import Entry
from netlog.model.kinds import ACTIVITY, OUTCOME_KINDS, REACH, SPEND, WIN, listed
from netlog.model.limits import MAX_COUNT

if TYPE_CHECKING:
    import sqlite3


class Context(NamedTuple):
    """What building an entry needs from the file and the clock."""

    settings: dict[str, str]
    now: datetime
    zone: tzinfo
    notices: list[str]  # lines to tell the person once logged (a clock time that came twice)

    @property
    def currency(self) -> str | None:
        return self.settings.get("currency")

    def when(self, at: str | None) -> datetime:
        from netlog.model.date_parsing import parse_at
        from netlog.model.dates import DateOrder
        from netlog.model.periods import week_start

        return parse_at(
            at,
            now=self.now,
            zone=self.zone,
            date_order=DateOrder.from_settings(self.settings),
            week_start=week_start(self.settings),
            notices=self.notices,
        )


class Choices(NamedTuple):
    """How to settle the questions logging may raise (--yes, --new-channel, --at given)."""

    yes: bool = False
    new_channel: bool = False
    at_given: bool = False


# A repeat of the same entry within this many minutes looks like a slip (typed twice).
REPEAT_MINUTES = 10


def log_entry(
    ctx: typer.Context,
    build: Callable[[Context], Entry],
    *,
    choices: Choices = Choices(),
    sources: list[int] | None = None,
    reach_total: tuple[int, bool] | None = None,
) -> None:
    """Shared by the logging commands: build and check the entry (InputError before anything
    is created), settle a channel that looks like a typo and a repeat that looks like a
    slip, then write it in one transaction."""
    from netlog.model.entries import check
    from netlog.present.describe import describe_entry
    from netlog.store import db

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    notices: list[str] = []
    repeat = None

    def write(conn: "sqlite3.Connection", entry: Entry) -> tuple[int, Entry, str, str | None]:
        with db.write_transaction(conn, change="log"):
            entry_id, entry, described, known = _store(conn, entry)
            db.describe_change(conn, f"{ctx.info_name} #{entry_id} ({described})")
        from netlog.reports.budget import warning_after  # after the write: the entry is safe

        warning = warning_after(conn, entry, zone)
        done = f"Logged #{entry_id}: {described}"
        return (
            entry_id,
            entry,
            done + ("" if known else f" (new channel {entry.channel!r})"),
            (warning),
        )

    def _store(conn: "sqlite3.Connection", entry: Entry) -> tuple[int, Entry, str, bool]:
        entry_id, entry, known = db.store_entry(
            conn, entry, sources=sources or [], reach_total=reach_total
        )
        described = describe_entry(entry._asdict(), zone)
        if sources:
            described += " (from " + ", ".join(f"#{source}" for source in sources) + ")"
        return entry_id, entry, described, known

    # One connection when the file exists (the common case: `add` runs after every session).
    # Reads wait out another netlog's commit like writes do (db.waiting_out_locks): many
    # terminals may log at once.
    with db.connection(path, create=False) as existing:
        settings = db.waiting_out_locks(lambda: db.read_settings(existing))
        entry = check(build(Context(settings, now, zone, notices)))
        if existing is not None:
            channel = db.waiting_out_locks(lambda: db.lookup_channel(existing, entry.channel))
            if channel is None:
                settled = common.settle_channel(
                    existing, entry.channel, yes=choices.yes, new_channel=choices.new_channel
                )
                entry = entry._replace(channel=settled)
                channel = db.lookup_channel(existing, entry.channel)
            if channel is not None and reach_total is None:
                repeat = db.waiting_out_locks(
                    lambda: _repeat_of(existing, channel.id, entry, choices, now=now, zone=zone)
                )
            entry_id, entry, done, warning = write(existing, entry)
    if existing is None:
        with db.connection(path, create=True) as conn:
            entry_id, entry, done, warning = write(conn, entry)
    say(done)
    for notice in notices:
        say(notice)
    if repeat is not None and not common.interactive():
        say(f"Warning: #{entry_id} looks like #{repeat} again; netlog undo removes it if it is.")
    if warning is not None:
        say(warning)


def _repeat_of(conn, channel_id: int, entry: Entry, choices: Choices, *, now, zone) -> int | None:
    """The id of an entry this one repeats (same channel, kind, time or count, what, label and
    amount, at the same --at time or logged in the last REPEAT_MINUTES); on a terminal, ask
    whether to log it anyway."""
    from datetime import timedelta

    from netlog.model.dates import from_storage, to_storage
    from netlog.store import db

    window = timedelta(minutes=REPEAT_MINUTES)
    if choices.at_given:
        row = db.latest_repeat(conn, channel_id, entry, occurred=(entry.occurred_at,) * 2)
    else:
        occurred = from_storage(entry.occurred_at)
        row = db.latest_repeat(
            conn,
            channel_id,
            entry,
            occurred=(to_storage(occurred - window), to_storage(occurred + window)),
            logged_since=to_storage(now - window),
        )
    if row is None:
        return None
    if common.interactive() and not choices.yes:
        from netlog.present.describe import describe_entry

        question = (
            f"Looks like #{row['id']} again ({describe_entry(dict(row), zone)}). Log it anyway?"
        )
        if not typer.confirm(question, default=False, err=True):
            say("Nothing logged.")
            raise typer.Exit(1)
    return row["id"]


def _channel(ctx: typer.Context, channel: str | None) -> str:
    from netlog.model.text import clean_channel

    if channel is not None:
        return clean_channel(channel)
    return ask(ctx, "channel", clean_channel, offer_channels=True)


def _count(text: str) -> int:
    try:
        count = int(text.strip())
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_COUNT:
        raise InputError(f"{text!r} is not a count from 0 to {MAX_COUNT:,}")
    return count


def _positive_count(text: str) -> int:
    count = _count(text)
    if count == 0:
        raise InputError("a count of outcomes is at least 1")
    return count


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
        int | None,
        typer.Option(
            "--count",
            "-n",
            min=0,
            max=MAX_COUNT,
            help="How many items (bids, tweets…). [default: 1]",
            show_default=False,
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="WHEN",
            help="When the session started: '2010-09-14 10:00', 'yesterday 3pm', "
            "'mon 10:00'. Without it, the session has just ended: it started DURATION ago.",
        ),
    ] = None,
    note: NoteOption = None,
    tag: TagOption = None,
    yes: YesOption = False,
    new_channel: NewChannelOption = False,
) -> None:
    """Log a session of networking activity.

    Left out on a terminal, CHANNEL and DURATION are asked for (and WHAT and the count).

    \b
    Examples:
      netlog add linkedin 45m "contact messages" --count 12
      netlog add peopleperhour 1h30m bid --count 3
      netlog add twitter 20m tweet -n 4 --at "yesterday 10:00" --tag launch
      netlog add                      (asks for each field)
    """
    from datetime import timedelta

    from netlog.model.dates import to_storage
    from netlog.model.durations import looks_like_hours, parse_duration
    from netlog.model.text import clean_text

    prompting = common.interactive() and (channel is None or duration is None)
    name = _channel(ctx, channel)
    typed = duration if duration is not None else ask(ctx, "duration", _duration_text)
    minutes = parse_duration(typed)
    if looks_like_hours(typed) and not yes:
        minutes = _bare_minutes(ctx, name, typed, minutes)
    if prompting and what is None:
        what = ask(ctx, "what you did", lambda text: clean_text(text, "description"), optional=True)
    if prompting and count is None:
        count = ask(ctx, "count", _count, default="1")

    def build(context: Context) -> Entry:
        started = context.when(at) if at is not None else context.now - timedelta(minutes=minutes)
        return Entry(
            channel=name,
            kind=ACTIVITY,
            occurred_at=to_storage(started),
            logged_at=to_storage(context.now),
            minutes=minutes,
            what=what,
            count=count if count is not None else 1,
            note=note,
            tags=tuple(tag or ()),
        )

    log_entry(ctx, build, choices=Choices(yes, new_channel, at_given=at is not None))


def _duration_text(text: str) -> str:
    """A duration as typed, once it reads as one."""
    from netlog.model.durations import parse_duration

    parse_duration(text)
    return text


def _bare_minutes(ctx: typer.Context, channel: str, typed: str, minutes: int) -> int:
    """A bare `2` reads as 2 minutes but was likely meant as hours: asked on a terminal;
    in a pipe, refused with the fix (a unit, or --yes for minutes)."""
    if not common.interactive():
        raise InputError(
            f"is {typed.strip()!r} minutes or hours? Write {minutes}m or {minutes}h "
            f"(netlog {ctx.info_name} {channel} {minutes}h), or add --yes to log {minutes} "
            + ("minute" if minutes == 1 else "minutes")
        )
    unit, meant = ("minute", "hour") if minutes == 1 else ("minutes", "hours")
    if typer.confirm(f"{minutes} {unit}: did you mean {minutes} {meant}?", default=True, err=True):
        return minutes * 60
    return minutes


def _count_as_value(ctx: typer.Context, channel: str, count: int) -> bool:
    """Whether a win's large count (`outcome email win 1200`) was its value: asked on a
    terminal; in a pipe, refused with the fix (--value, or --yes to log that many wins)."""
    if not common.interactive():
        raise InputError(
            f"{count:,} wins at once, with no value: if {count} is what the win was worth, "
            f"write netlog {ctx.info_name} {channel} win --value {count}; to log {count:,} "
            "wins, add --yes"
        )
    return typer.confirm(
        f"{count:,} wins at once: was {count} what the win was worth (1 win, --value {count})?",
        default=True,
        err=True,
    )


def _amount_text(text: str) -> str:
    """An amount as typed, once it reads as one (the file's currency is settled later)."""
    from netlog.model.entries import amount

    amount(text, None)
    return text


def _outcome_kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in OUTCOME_KINDS:
        raise InputError(f"{text!r} is not {listed(OUTCOME_KINDS)}")
    return kind


@handle_errors
def outcome(
    ctx: typer.Context,
    channel: ChannelArgument = None,
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="KIND",
            click_type=OUTCOME_KIND_CHOICE,
            help="reach (fans, followers, connections), reply (someone answered a message or "
            "a bid), lead (enquiries, meetings) or win (paid work).",
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
    sources: SourcesOption = None,
    at: AtOption = None,
    note: NoteOption = None,
    tag: TagOption = None,
    yes: YesOption = False,
    new_channel: NewChannelOption = False,
) -> None:
    """Log a result: reach, a reply, a lead, or a win.

    Left out on a terminal, CHANNEL and KIND are asked for (and the count, and a win's value).

    \b
    Examples:
      netlog outcome facebook reach 18 --label fans
      netlog outcome twitter reach --total 212      (followers now)
      netlog outcome linkedin reply --from 41
      netlog outcome linkedin lead --label "call with Acme" --from 42
      netlog outcome email win --value 1200 --note "brochure redesign"
      netlog outcome                  (asks for each field)
    """
    from netlog.model.dates import to_storage
    from netlog.model.entries import count_looks_like_value

    prompting = common.interactive() and (channel is None or kind is None)
    name = _channel(ctx, channel)
    if kind is None:
        kind = ask(ctx, f"kind ({listed(OUTCOME_KINDS)})", _outcome_kind)
    if prompting and count is None and total is None:
        count = ask(ctx, "count", _positive_count, default="1")
    if prompting and kind == WIN and value is None:
        value = ask(ctx, "value, e.g. 1200", _amount_text, optional=True)
    if (total is not None or baseline) and kind != REACH:
        raise InputError("--total and --baseline are for reach only")
    if total is not None and count is not None:
        raise InputError("give COUNT (new reach) or --total (followers now), not both")
    if baseline and total is None:
        raise InputError(
            "--baseline goes with --total: netlog outcome twitter reach --total 200 --baseline"
        )
    if (
        count is not None
        and not yes
        and count_looks_like_value(kind, count, value)
        and _count_as_value(ctx, name, count)
    ):
        count, value = 1, str(count)

    def build(context: Context) -> Entry:
        value_minor = currency = None
        if value is not None:
            from netlog.model.entries import amount

            value_minor, currency = amount(value, context.currency)
        return Entry(
            channel=name,
            kind=kind,
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
        choices=Choices(yes, new_channel, at_given=at is not None),
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
    yes: YesOption = False,
    new_channel: NewChannelOption = False,
) -> None:
    """Log money paid for a channel: fees, ads, credits, subscriptions.

    The summary adds it to the cost of your time (total_cost), so net and ROI count it.
    Left out on a terminal, CHANNEL and AMOUNT are asked for (and WHAT).

    \b
    Examples:
      netlog spend peopleperhour 40 "bid credits"
      netlog spend linkedin £19.99 Premium --at 2010-09-01
      netlog spend                    (asks for each field)
    """
    from netlog.model.dates import to_storage
    from netlog.model.entries import amount
    from netlog.model.text import clean_text

    prompting = common.interactive() and (channel is None or amount_text is None)
    name = _channel(ctx, channel)
    text = amount_text if amount_text is not None else ask(ctx, "amount", _amount_text)
    if prompting and what is None:
        what = ask(ctx, "what for", lambda typed: clean_text(typed, "description"), optional=True)

    def build(context: Context) -> Entry:
        value_minor, currency = amount(text, context.currency)
        return Entry(
            channel=name,
            kind=SPEND,
            occurred_at=to_storage(context.when(at)),
            logged_at=to_storage(context.now),
            what=what,
            value_minor=value_minor,
            currency=currency,
            note=note,
            tags=tuple(tag or ()),
        )

    log_entry(ctx, build, choices=Choices(yes, new_channel, at_given=at is not None))


COMMANDS: dict[str, Callable[..., None]] = {"add": add, "outcome": outcome, "spend": spend}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
