"""Commands that move or guard the data as a whole: export, import, merge, backup, check."""

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, TypeVar

import typer

from netlog.commands.common import (
    SinceOption,
    UntilOption,
    add_commands,
    db_path_for,
    handle_errors,
    now_and_zone,
    say,
)
from netlog.errors import InputError, NetlogError

T = TypeVar("T")


class DataFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class Source(StrEnum):
    NETLOG = "netlog"
    WATSON = "watson"
    TIMEWARRIOR = "timewarrior"
    LINKEDIN = "linkedin"
    X = "x"
    MBOX = "mbox"
    ICS = "ics"


# The channels' own exports, and the channel each goes to unless --channel names another.
_EXPORTS = {Source.LINKEDIN: "LinkedIn", Source.X: "X", Source.MBOX: "Email", Source.ICS: None}


@handle_errors
def export(
    ctx: typer.Context,
    fmt: Annotated[
        DataFormat, typer.Option("--format", "-f", help="csv or json.", case_sensitive=False)
    ] = DataFormat.CSV,
    since: SinceOption = None,
    until: UntilOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
) -> None:
    """Write every field of every entry as CSV or JSON.

    For a spreadsheet, a backup in text, or another computer.

    \b
    Examples:
      netlog export > netlog.csv
      netlog export --format json --output netlog.json
      netlog export --since 2010-09 --until 2010-12 -f csv > autumn.csv
    """
    from netlog.io.export import write_export
    from netlog.io.output import write_output
    from netlog.model.date_parsing import parse_range
    from netlog.model.dates import DateOrder
    from netlog.model.periods import week_start
    from netlog.store import db

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        stored = db.read_settings(conn)
        start, end = parse_range(
            since,
            until,
            now=now,
            zone=zone,
            date_order=DateOrder.from_settings(stored),
            week_start=week_start(stored),
        )

        def write(out: IO[str]) -> None:
            write_export(conn, out, fmt=fmt.value, start=start, end=end)

        if output is None:
            write(sys.stdout)
        else:
            if output.expanduser().resolve() == path.expanduser().resolve():
                raise NetlogError(f"{output} is the database itself; choose another file")
            write_output(output, write)
            say(f"Exported to {output}.")
    if conn is None:
        say(f"No entries yet in {path}.")


def _open_input(file: str):
    """The binary stream to read and its size (None for stdin)."""
    if file == "-":
        stdin = sys.stdin.buffer
        # peek() (to tell CSV from JSON) needs a buffered reader; a plain pipe object gets one.
        buffered = stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin)  # type: ignore[type-var]
        try:
            buffered.peek(1)
        except OSError as exc:  # `<&-`: closed
            raise NetlogError(f"cannot read standard input: {exc.strerror}") from None
        return buffered, None
    path = Path(file).expanduser()
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise NetlogError(f"cannot read {file}: {exc.strerror}") from None
    return stream, path.stat().st_size


def _progress_for(stream, size: int | None):
    """A Rich progress bar on stderr for a large file read from a terminal session, else
    nothing: (context manager, callback)."""
    import contextlib

    if size is None or size < 1 << 20 or not sys.stderr.isatty():
        return contextlib.nullcontext(), None
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    progress = Progress(
        "Importing", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )  # fmt: skip
    task = progress.add_task("import", total=size)
    return progress, lambda: progress.update(task, completed=stream.tell())


@handle_errors
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to read, or - for stdin.")],
    source: Annotated[
        Source,
        typer.Option(
            "--from",
            help="Whose file it is: netlog (default), watson, timewarrior; or a channel's "
            "export: linkedin or x (zip or folder), mbox, ics.",
        ),
    ] = Source.NETLOG,
    fmt: Annotated[
        DataFormat | None,
        typer.Option("--format", "-f", help="csv or json (default: from the name or the content)."),
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel",
            help="timewarrior: log every interval to this channel; an export: its channel "
            "(default LinkedIn, X, Email; ics needs one).",
        ),
    ] = None,
    me: Annotated[
        list[str] | None,
        typer.Option(
            "--me",
            metavar="WHO",
            help="linkedin: your name as in messages.csv; mbox: your address (repeatable).",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="An export: only what happened since."),
    ] = None,
    match: Annotated[
        str | None,
        typer.Option(
            "--match",
            metavar="TEXT",
            help="ics: only events with TEXT in their summary, "
            "categories or location (default: all).",
        ),
    ] = None,
    all_day: Annotated[
        int | None,
        typer.Option(
            "--all-day",
            metavar="MINUTES",
            min=1,
            max=1440,
            help="ics: count each all-day event as this long (else they are refused).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, change nothing.")
    ] = False,
) -> None:
    """Bring in entries from netlog, Watson or Timewarrior, or a channel's own export.

    Reads netlog's own CSV or JSON, Watson's frames file, or `timew export` JSON; or what a
    channel recorded: LinkedIn's "Download your data", X's archive, an mbox of email (items
    per day, new connections as reach, first answers as replies; only hashes of ids kept).

    All or nothing: one bad row fails the whole import with its line number. Entries already
    present (same UUID) are skipped, so importing a file twice adds nothing.

    \b
    Examples:
      netlog import netlog.csv
      netlog import --dry-run other-laptop.json
      netlog import --from watson ~/.config/watson/frames
      timew export | netlog import --from timewarrior -
      netlog import --from linkedin ~/Downloads/Basic_LinkedInDataExport.zip
      netlog import --from x ~/Downloads/twitter-2026-02-28.zip
      netlog import --from ics --channel meetups --match meetup ~/calendar.ics
      netlog import --from mbox --me me@example.com ~/Takeout/Mail/Sent.mbox --dry-run
    """
    from netlog.io import transfer
    from netlog.store import db

    if source is not Source.ICS and (match is not None or all_day is not None):
        raise InputError("--match and --all-day are for --from ics")
    if source in _EXPORTS:
        _import_export(
            ctx, source, file, channel=channel, me=me or [], since=since, dry_run=dry_run,
            match=match, all_day=all_day,
        )  # fmt: skip
        return
    if me or since is not None:
        raise InputError("--me and --since are for a channel's export (--from linkedin, x or mbox)")
    if channel is not None and source is not Source.TIMEWARRIOR:
        raise InputError("--channel is only for --from timewarrior or a channel's export")
    path = db_path_for(ctx)
    raw, size = _open_input(file)
    try:
        _refuse_binary(raw, "standard input" if file == "-" else file)
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        progress, tick = _progress_for(raw, size)
        with (
            _new_file_only_if_kept(path, keep=not dry_run),
            progress,
            db.connection(path, create=True) as conn,
        ):
            if source is Source.NETLOG:
                kind = fmt or _guess_format(file, raw)
                read = transfer.read_csv if kind is DataFormat.CSV else transfer.read_json
                rows = transfer.checked_rows(read(text), db.file_currency(conn))
            elif source is Source.WATSON:
                from netlog.io.trackers import watson_rows

                rows = watson_rows(text)
            else:
                from netlog.io.trackers import timewarrior_rows
                from netlog.store.channels import known_names

                rows = timewarrior_rows(text, channel=channel, known_channels=known_names(conn))
            result = transfer.import_rows(
                conn, _as_bad_input(rows), change=f"import {file}", dry_run=dry_run, progress=tick
            )
    except UnicodeDecodeError as exc:
        name = "standard input" if file == "-" else file
        raise InputError(
            f"{name} is not UTF-8 text (byte {exc.start}): save it as UTF-8 and try again"
        ) from None
    finally:
        if file != "-":
            raw.close()
    from netlog.model.text import counted

    verb = "Would add" if dry_run else "Added"
    added = counted(result.added, "entry", "entries")
    say(f"{verb} {added}; skipped {result.skipped:,} already present.")


def _import_export(
    ctx: typer.Context,
    source: Source,
    file: str,
    *,
    channel: str | None,
    me: list[str],
    since: str | None,
    dry_run: bool,
    match: str | None,
    all_day: int | None,
) -> None:
    """`import --from linkedin|x|mbox|ics`: what a channel recorded, as items, reach and
    replies, or a calendar's events as sessions."""
    from contextlib import ExitStack
    from datetime import datetime

    from netlog.io import capture
    from netlog.model.date_parsing import DateOrder, parse_range
    from netlog.model.periods import week_start
    from netlog.model.text import clean_channel
    from netlog.present import render
    from netlog.store import db

    if file == "-":
        raise InputError(f"--from {source.value} reads a file or folder, not standard input")
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    target = Path(file).expanduser()
    default = _EXPORTS[source]
    if channel is None and default is None:
        raise InputError(f"--from {source.value} needs --channel NAME: which channel it was for")
    name = clean_channel(channel or default or "")
    notes: list[str] = []
    skipped = [0]
    with ExitStack() as stack:
        stack.enter_context(_new_file_only_if_kept(path, keep=not dry_run))
        conn = stack.enter_context(db.connection(path, create=True))
        stored = db.read_settings(conn)
        start, _ = parse_range(
            since, None, now=now, zone=zone, date_order=DateOrder.from_settings(stored),
            week_start=week_start(stored),
        )  # fmt: skip
        if source is Source.LINKEDIN:
            from netlog.io.linkedin import WHAT, linkedin_items

            export = capture.Export(target, WHAT)
            stack.callback(export.close)
            if len(me) > 1:
                raise InputError("--from linkedin takes one --me (your name)")
            items = linkedin_items(export, me=me[0] if me else None, zone=zone, notes=notes)
        elif source is Source.X:
            from netlog.io.x_archive import WHAT, x_items

            if me:
                raise InputError("--from x knows you from the archive's account.js: no --me")
            export = capture.Export(target, WHAT)
            stack.callback(export.close)
            items = x_items(export, notes=notes)
        elif source is Source.ICS:
            from netlog.io.ics import ics_items

            if me:
                raise InputError("--me is for --from linkedin or mbox")
            since_at = datetime.fromisoformat(start) if start else None
            items = ics_items(
                target, match=match, all_day_minutes=all_day, zone=zone, now=now,
                since=since_at, notes=notes,
            )  # fmt: skip
        else:
            from netlog.io.mbox import check_mbox, mbox_items

            check_mbox(target)
            size = target.stat().st_size

            def progress_for(stream):
                bar, tick = _progress_for(stream, size)
                stack.enter_context(bar)
                return tick

            items = mbox_items(target, me=me, skipped=skipped, progress_stream=progress_for)
        plan = capture.plan(
            conn,
            items,
            source=source.value,
            zone=zone,
            since=datetime.fromisoformat(start) if start else None,
        )
        if dry_run:
            render.write_csv(
                (
                    dict(zip(capture.WEEKLY_COLUMNS, row, strict=True))
                    for row in capture.weekly(plan, name, zone)
                ),
                capture.WEEKLY_COLUMNS,
                sys.stdout,
            )
        added = capture.write(
            conn, plan, source=source.value, channel=name, zone=zone, now=now,
            change=f"import --from {source.value} {file}", dry_run=dry_run,
        )  # fmt: skip
    for note in notes:
        say(note[:1].upper() + note[1:] + ".")
    without = f"skipped {skipped[0]:,} messages without a date or sender" if skipped[0] else ""
    say(capture.closing_line(added, dry_run=dry_run, skipped=lambda: without))


def _refuse_binary(raw, name: str) -> None:
    """Bad input at once for a file that is not text (/dev/zero, a photo) or not UTF-8,
    before a new database file is made for it."""
    from netlog.io.readers import NOT_UTF8, detect_binary, refuse_binary

    head = raw.peek(4096)[:4096]
    if b"\0" in head:
        try:
            refuse_binary(head, name)
        except NetlogError as exc:
            raise InputError(str(exc)) from None
    if detect_binary(head):
        raise InputError(f"{name}: {NOT_UTF8}")


def _as_bad_input(rows: Iterator[T]) -> Iterator[T]:
    """The rows of the file being imported or merged: whatever is wrong with them is wrong
    with the file, so it is bad input (exit status 2), whichever reader found it."""
    try:
        yield from rows
    except InputError:
        raise
    except NetlogError as exc:
        raise InputError(str(exc)) from None


@contextmanager
def _new_file_only_if_kept(path: Path, *, keep: bool) -> Iterator[None]:
    """A database file that this command creates is removed again if the command fails or
    is a dry run, so that bad input or a rehearsal leaves nothing behind."""
    from netlog.store import db

    existed = path.exists()
    try:
        yield
    except BaseException:
        if not existed:
            db.remove_if_empty(path)
        raise
    if not existed and not keep:
        db.remove_if_empty(path)


def _guess_format(file: str, raw) -> DataFormat:
    suffix = Path(file).suffix.lower()
    if suffix in (".csv", ".json"):
        return DataFormat(suffix[1:])
    head = raw.peek(64)[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return DataFormat.JSON if head.startswith(b"[") else DataFormat.CSV


@handle_errors
def merge(
    ctx: typer.Context,
    other: Annotated[Path, typer.Argument(metavar="OTHER.db", help="Another netlog database.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, change nothing.")
    ] = False,
) -> None:
    """Bring in the entries of another netlog database.

    The other file is only read.

    \b
    Example:
      netlog merge ~/laptop-netlog.db
    """
    from netlog.io import transfer
    from netlog.store import db

    path = db_path_for(ctx)
    other = other.expanduser()
    if not other.exists():
        raise NetlogError(f"{other} does not exist")
    if other.resolve() == path.expanduser().resolve():
        raise NetlogError(f"{other} is the database in use; nothing to merge")
    with (
        db.open_read_only(other) as source,
        _new_file_only_if_kept(path, keep=not dry_run),
        db.connection(path, create=True) as conn,
    ):
        result = transfer.import_rows(
            conn,
            _as_bad_input(transfer.rows_from_database(source, db.file_currency(conn))),
            change=f"merge {other}",
            dry_run=dry_run,
        )
    from netlog.model.text import counted

    verb = "Would add" if dry_run else "Added"
    added = counted(result.added, "entry", "entries")
    say(f"{verb} {added} from {other}; skipped {result.skipped:,} already present.")


@handle_errors
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (new).")],
) -> None:
    """Make a consistent copy of the database.

    SQLite's online backup: consistent even while another netlog writes.

    \b
    Example:
      netlog backup ~/backups/netlog-$(date +%F).db
    """
    from netlog.store import db

    path = db_path_for(ctx)
    target = file.expanduser()
    if target.exists():
        raise NetlogError(f"{file} already exists; choose a new file")
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise NetlogError(f"nothing to back up: {path} does not exist")
        db.backup(conn, target)
    say(f"Backed up {path} to {file}.")


@handle_errors
def check(ctx: typer.Context) -> None:
    """Check the database's integrity and contents.

    SQLite's integrity check, the schema version, counts, and odd entries.

    Exit status 1 when something is wrong.

    \b
    Example:
      netlog check
    """
    from netlog.store.checkup import check

    path = db_path_for(ctx)
    if not path.exists():
        say(f"No database yet at {path}: nothing to check.")
        return
    if path.is_dir():
        raise NetlogError(f"{path} is a directory, not a netlog database")
    report = check(path)
    for line in report.lines:
        typer.echo(line)
    if report.problems:
        for problem in report.problems:
            say(f"Problem: {problem}")
        raise typer.Exit(1)
    say("OK")


COMMANDS: dict[str, Callable[..., None]] = {
    "export": export, "import": import_, "merge": merge, "backup": backup, "check": check,
}  # fmt: skip


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
