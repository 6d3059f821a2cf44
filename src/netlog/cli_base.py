"""What every netlog command shares, and the two logging commands, `add` and `outcome`.

Kept light on purpose: `netlog add` runs after every session, so this module imports only
typer, and netlog.main runs `add` and `outcome` on an app built from this module alone.
Rich, sqlite-utils and dateutil's parser are imported only by the commands that need them.
"""

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NamedTuple, ParamSpec, TypeVar

import typer

from netlog import __version__
from netlog.errors import InputError, NetlogError
from netlog.limits import MAX_COUNT
from netlog.paths import resolve_db_path

P = ParamSpec("P")
R = TypeVar("R")


def say(message: str) -> None:
    """A message for the person (confirmations, hints): stderr, so stdout stays data."""
    from netlog.text import printable

    sys.stdout.flush()  # keep the order of report and message in a shared terminal
    sys.stderr.write(printable(message) + "\n")


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Report NetlogError as one line on stderr, exit 1 (2 for bad input)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except NetlogError as exc:
            say(f"Error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            say("Interrupted: nothing was written.")
            raise typer.Exit(130) from None

    return wrapper


class Globals(NamedTuple):  # not a dataclass: importing dataclasses costs `add` a millisecond
    db: Path | None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netlog {__version__}")
        raise typer.Exit()


def global_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="Database file to use (default: $NETLOG_DB, else "
            "$XDG_DATA_HOME/netlog/netlog.db).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = Globals(db=db)


def db_path_for(ctx: typer.Context) -> Path:
    root = ctx.find_root()
    if isinstance(root.obj, Globals):
        return resolve_db_path(root.obj.db)
    # During shell completion the callback has not run: read the parsed option instead.
    option = root.params.get("db")
    return resolve_db_path(Path(option) if option else None)


def complete_channel(ctx: typer.Context, incomplete: str) -> list[str]:
    """Channel names and aliases for shell completion: one indexed query, no migrations."""
    import sqlite3

    path = db_path_for(ctx)
    if not path.exists():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM channels UNION SELECT alias FROM aliases ORDER BY 1"
                )
            ]
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    # Typer keeps only completions that start with what was typed, case and all.
    return [name for name in names if name.startswith(incomplete)]


def interactive() -> bool:
    """Whether a person is at the keyboard to answer a question."""
    return sys.stdin.isatty()


def _ask(ctx: typer.Context, label: str, read: Callable[[str], R], *, offer_channels=False) -> R:
    """Ask for a missing argument on a terminal until the answer is valid; on a pipe,
    fail at once with a usage error instead of waiting for input that never comes."""
    if not interactive():
        name = label.split()[0].upper()
        raise InputError(f"missing {name} (see: netlog {ctx.info_name} --help)")
    if offer_channels:
        known = complete_channel(ctx, "")
        if known:
            say("Known channels: " + ", ".join(known))
    while True:
        answer = typer.prompt(label.capitalize(), err=True)
        try:
            return read(answer)
        except NetlogError as exc:
            say(f"  {exc}")


def now_and_zone():
    from netlog.dates import local_zone, utc_now

    return utc_now(), local_zone()


def say_no_entries(path: Path) -> None:
    say(
        f'No entries yet in {path}. Log one with: netlog add linkedin 45m "contact messages"'
        " (or see what netlog shows with: netlog demo)"
    )


class OutcomeKind(StrEnum):
    REACH = "reach"
    LEAD = "lead"
    WIN = "win"


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class By(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


def _outcome_kind(text: str) -> OutcomeKind:
    try:
        return OutcomeKind(text.strip().lower())
    except ValueError:
        raise InputError(f"{text!r} is not reach, lead or win") from None


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="WHEN",
        help="When it happened (default: now): 2010-09-14, '2010-09-14 10:00', yesterday…",
    ),
]
NoteOption = Annotated[str | None, typer.Option("--note", help="A free-text note.")]
TagOption = Annotated[
    list[str] | None, typer.Option("--tag", "-t", help="A tag (repeat for several).")
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", "-s", metavar="WHEN", help="From this date on (2010-09 = from 1 Sep 2010)."
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until", "-u", metavar="WHEN", help="Up to and including this (2010-12 = to 31 Dec)."
    ),
]
ChannelFilterOption = Annotated[
    list[str] | None,
    typer.Option(
        "--channel",
        "-c",
        help="Only this channel (repeatable).",
        autocompletion=complete_channel,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def _log_entry(ctx: typer.Context, make_entry: Callable) -> None:
    """Shared by `add` and `outcome`: validate everything, then write one transaction."""
    from netlog import db
    from netlog.dates import DateOrder

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    conn = db.open_db(path, create=False)
    try:
        # Only what logging needs from the settings: the full Config costs `add` time.
        stored = db.read_settings(conn)
        date_order = DateOrder.from_settings(stored)
        # make_entry raises InputError before anything is created or written.
        entry = make_entry(date_order, stored.get("currency"), now, zone)
        if conn is None:
            conn = db.open_db(path, create=True)
        with db.write_transaction(conn, change="log an entry"):
            known = db.find_channel(conn, entry.channel)
            entry = entry._replace(channel=known or entry.channel)
            entry_id = db.insert_entry(conn, entry)
            from netlog.describe import describe_entry

            done = f"Logged #{entry_id}: {describe_entry(entry._asdict(), zone)}"
            db.describe_change(conn, done)
    finally:
        if conn is not None:
            conn.close()
    new = f" (new channel {entry.channel!r})" if known is None else ""
    say(done + new)


@handle_errors
def add(
    ctx: typer.Context,
    channel: Annotated[
        str | None,
        typer.Argument(
            metavar="CHANNEL",
            help="Where you spent the time: linkedin, email… (asked for if left out).",
            autocompletion=complete_channel,
            show_default=False,
        ),
    ] = None,
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
    at: AtOption = None,
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
    from netlog.dates import parse_at, parse_duration, to_storage
    from netlog.db import NewEntry
    from netlog.text import clean_channel, clean_tags, clean_text

    name = (
        clean_channel(channel)
        if channel is not None
        else _ask(ctx, "channel", clean_channel, offer_channels=True)
    )
    minutes = (
        parse_duration(duration) if duration is not None else _ask(ctx, "duration", parse_duration)
    )
    cleaned_what, cleaned_note = clean_text(what, "description"), clean_text(note, "note")
    tags = tuple(clean_tags(tag))

    def make_entry(date_order, currency, now, zone):
        occurred = parse_at(at, now=now, zone=zone, date_order=date_order)
        return NewEntry(
            channel=name,
            kind="activity",
            occurred_at=to_storage(occurred),
            logged_at=to_storage(now),
            minutes=minutes,
            what=cleaned_what,
            count=count,
            note=cleaned_note,
            tags=tags,
        )

    _log_entry(ctx, make_entry)


@handle_errors
def outcome(
    ctx: typer.Context,
    channel: Annotated[
        str | None,
        typer.Argument(
            metavar="CHANNEL",
            help="The channel it came from (asked for if left out).",
            autocompletion=complete_channel,
            show_default=False,
        ),
    ] = None,
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
        int, typer.Argument(metavar="COUNT", min=1, max=MAX_COUNT, help="How many.")
    ] = 1,
    value: Annotated[
        str | None,
        typer.Option(
            "--value", "-v", metavar="AMOUNT", help="What a win is worth: 1200, £1,200.50."
        ),
    ] = None,
    label: Annotated[str | None, typer.Option("--label", "-l", help="A short label.")] = None,
    at: AtOption = None,
    note: NoteOption = None,
    tag: TagOption = None,
) -> None:
    """Log a result: reach, a lead, or a win.

    \b
    Examples:
      netlog outcome facebook reach 18 --label fans
      netlog outcome linkedin lead --label "reply from Acme"
      netlog outcome email win --value 1200 --note "brochure redesign"
    """
    from netlog.dates import parse_at, to_storage
    from netlog.db import NewEntry
    from netlog.text import clean_channel, clean_tags, clean_text

    name = (
        clean_channel(channel)
        if channel is not None
        else _ask(ctx, "channel", clean_channel, offer_channels=True)
    )
    if kind is None:
        kind = _ask(ctx, "kind (reach, lead or win)", _outcome_kind)
    if value is not None and kind is not OutcomeKind.WIN:
        raise InputError(f"--value is only for wins, not for {kind.value}")
    cleaned_label, cleaned_note = clean_text(label, "label"), clean_text(note, "note")
    tags = tuple(clean_tags(tag))

    def make_entry(date_order, currency, now, zone):
        value_minor = None
        if value is not None:
            from netlog.money import parse_value

            value_minor, currency = parse_value(value, currency)
        occurred = parse_at(at, now=now, zone=zone, date_order=date_order)
        return NewEntry(
            channel=name,
            kind=kind.value,
            occurred_at=to_storage(occurred),
            logged_at=to_storage(now),
            count=count,
            label=cleaned_label,
            value_minor=value_minor,
            currency=currency if value_minor is not None else None,
            note=cleaned_note,
            tags=tags,
        )

    _log_entry(ctx, make_entry)


def new_app() -> typer.Typer:
    """The app with the global options and the logging commands; netlog.cli adds the rest."""
    app = typer.Typer(
        name="netlog",
        help="Log the time you spend on networking channels and see which ones bring paid work.",
        epilog="Start with `netlog demo`. Data lives in one SQLite file: see `netlog where`.",
        no_args_is_help=True,
        # Plain Click help and errors: Rich would add ~0.1 s to every --help and Tab.
        rich_markup_mode=None,
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(global_options)
    app.command()(add)
    app.command()(outcome)
    return app
