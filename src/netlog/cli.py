"""The `netlog` command line: parse, call the core, render, and report errors in one line.

Kept light on purpose: `netlog add` runs after every session, so Rich, sqlite-utils and
dateutil's parser are imported only by the commands that need them.
"""

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from netlog import __version__
from netlog.errors import InputError, NetlogError
from netlog.paths import resolve_db_path

P = ParamSpec("P")
R = TypeVar("R")

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


@dataclass(frozen=True)
class Globals:
    db: Path | None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netlog {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
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


def _db_path(ctx: typer.Context) -> Path:
    obj = ctx.find_root().obj
    return resolve_db_path(obj.db if isinstance(obj, Globals) else None)


def _now_and_zone():
    from netlog.dates import local_zone, utc_now

    return utc_now(), local_zone()


def _no_entries(path: Path) -> None:
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
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def _log_entry(ctx: typer.Context, make_entry: Callable) -> None:
    """Shared by `add` and `outcome`: validate everything, then write one transaction."""
    from netlog import db
    from netlog.dates import DateOrder

    path = _db_path(ctx)
    now, zone = _now_and_zone()
    conn = db.open_db(path, create=False)
    try:
        # Only what logging needs from the settings: the full Config costs `add` time.
        stored = db.read_settings(conn)
        date_order = DateOrder(stored.get("date-order", DateOrder.DAY_FIRST))
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


@app.command()
@handle_errors
def add(
    ctx: typer.Context,
    channel: Annotated[str, typer.Argument(help="Where you spent the time: linkedin, email…")],
    duration: Annotated[str, typer.Argument(help="How long: 45m, 1h30m, 1.5h, 90 or 1:30.")],
    what: Annotated[str | None, typer.Argument(help="What you did: bids, tweets…")] = None,
    count: Annotated[
        int, typer.Option("--count", "-n", min=0, help="How many items (bids, tweets…).")
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

    minutes = parse_duration(duration)
    name = clean_channel(channel)
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


@app.command()
@handle_errors
def outcome(
    ctx: typer.Context,
    channel: Annotated[str, typer.Argument(help="The channel it came from.")],
    kind: Annotated[
        OutcomeKind,
        typer.Argument(
            help="reach (fans, followers, connections), lead (replies, enquiries, meetings) "
            "or win (paid work).",
            case_sensitive=False,
        ),
    ],
    count: Annotated[int, typer.Argument(min=1, help="How many.")] = 1,
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

    name = clean_channel(channel)
    if value is not None and kind is not OutcomeKind.WIN:
        raise InputError(f"--value is only for wins, not for {kind.value}")
    value_minor = None
    if value is not None:
        from netlog.money import parse_amount, to_minor

        value_minor = to_minor(parse_amount(value, "amount"))
    cleaned_label, cleaned_note = clean_text(label, "label"), clean_text(note, "note")
    tags = tuple(clean_tags(tag))

    def make_entry(date_order, currency, now, zone):
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


@app.command()
@handle_errors
def edit(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's id (netlog log).")],
    channel: Annotated[
        str | None, typer.Option("--channel", help="Move it to this channel.")
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", help="Activities: new duration.")
    ] = None,
    what: Annotated[str | None, typer.Option("--what", help="Activities: what you did.")] = None,
    count: Annotated[int | None, typer.Option("--count", "-n", min=0, help="New count.")] = None,
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

    path = _db_path(ctx)
    now, zone = _now_and_zone()
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
        if at is not None:
            stored = db.read_settings(conn)
            order = DateOrder(stored.get("date-order", DateOrder.DAY_FIRST))
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
            from netlog.money import parse_amount, to_minor

            changes["value_minor"] = to_minor(parse_amount(value, "amount"))
            changes["currency"] = before["currency"] or db.read_settings(conn).get("currency")
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


def _interactive() -> bool:
    """Whether a person is at the keyboard to answer a question."""
    return sys.stdin.isatty()


@app.command()
@handle_errors
def rm(
    ctx: typer.Context,
    entry_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Entries to remove.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Remove entries (netlog undo brings them back).

    \b
    Examples:
      netlog rm 12
      netlog rm 12 13 14 --yes
    """
    from netlog import db
    from netlog.describe import describe_entry

    path = _db_path(ctx)
    _, zone = _now_and_zone()
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise NetlogError(f"no entry #{entry_ids[0]}: there are no entries yet in {path}")
        entries = db.get_entries(conn, entry_ids)
        lines = [f"#{e['id']}: {describe_entry(e, zone)}" for e in entries]
        if not yes:
            if not _interactive():
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

    path = _db_path(ctx)
    with db.connection(path, create=False) as conn:
        if conn is None:
            say("Nothing to undo.")
            return
        if list_:
            changes = journal.recent_changes(conn, limit=20)
            _, zone = _now_and_zone()
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


@app.command("log")
@handle_errors
def log_(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    channel: Annotated[
        list[str] | None, typer.Option("--channel", "-c", help="Only this channel (repeatable).")
    ] = None,
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

    path = _db_path(ctx)
    now, zone = _now_and_zone()
    if limit is None:
        limit = 50 if fmt is Format.TABLE else 0
    with db.connection(path, create=False) as conn:
        if conn is None:
            _empty_output(fmt, render.ENTRY_COLUMNS)
            _no_entries(path)
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
    channel: Annotated[
        list[str] | None, typer.Option("--channel", "-c", help="Only this channel (repeatable).")
    ] = None,
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
    """Show the return per channel: hours, cost, leads, wins, revenue, ROI.

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
    path = _db_path(ctx)
    now, zone = _now_and_zone()
    query = reports.Query(
        since=since, until=until, channels=channel or (), by=Period(by.value) if by else None
    )
    with db.connection(path, create=False) as conn:
        if conn is None:
            from netlog.dates import parse_range

            parse_range(since, until, now=now, zone=zone)  # bad dates are errors even here
            _empty_output(fmt, _summary_columns(query))
            _no_entries(path)
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
    """Show netlog on a built-in four-month case study (never touches your own data).

    \b
    Examples:
      netlog demo
      netlog demo --save demo.db && netlog --db demo.db log --channel email
    """
    import tempfile

    from netlog import db, demo, reports

    own = _db_path(ctx)
    if save is not None:
        if save.exists():
            raise NetlogError(f"{save} already exists; choose a new file for the demo")
        if save.expanduser().resolve() == own.expanduser().resolve():
            raise NetlogError(f"{save} is your own netlog database; choose another file")
    with tempfile.TemporaryDirectory(prefix="netlog-demo-") as tmp:
        path = save.expanduser() if save is not None else Path(tmp) / "demo.db"
        now, zone = _now_and_zone()
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
    path = _db_path(ctx)
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

    \b
    Examples:
      netlog config                 list all settings
      netlog config rate 40
      netlog config currency GBP
      netlog config rate --unset
    """
    from netlog import db
    from netlog.settings import SETTINGS, parse_setting

    path = _db_path(ctx)
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


def main() -> None:
    app(prog_name="netlog")
