"""Commands that move or guard the data as a whole: export, import, merge, backup, check."""

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, TypeVar

import typer

from netlog.commands.common import (
    SinceOption,
    UntilOption,
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


def _write_atomically(target: Path, write) -> None:
    """Write to a temporary file beside `target`, then rename: never a half-written file."""
    import os
    import tempfile

    target = target.expanduser()
    if target.is_dir():
        raise NetlogError(f"{target} is a directory; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise NetlogError(f"cannot write in {target.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            write(out)
        Path(tmp).replace(target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise NetlogError(f"cannot write {target}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    from netlog.io import transfer
    from netlog.model.dates import DateOrder, parse_range
    from netlog.store import db
    from netlog.store.settings import week_start

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
            transfer.write_export(conn, out, fmt=fmt.value, start=start, end=end)

        if output is None:
            write(sys.stdout)
        else:
            if output.expanduser().resolve() == path.expanduser().resolve():
                raise NetlogError(f"{output} is the database itself; choose another file")
            _write_atomically(output, write)
            say(f"Exported to {output}.")
    if conn is None:
        say(f"No entries yet in {path}.")


def _open_input(file: str):
    """The binary stream to read and its size (None for stdin)."""
    if file == "-":
        stdin = sys.stdin.buffer
        # peek() (to tell CSV from JSON) needs a buffered reader; a plain pipe object gets one.
        buffered = stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin)  # type: ignore[type-var]
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
        typer.Option("--from", help="Whose file it is: netlog (default), watson, timewarrior."),
    ] = Source.NETLOG,
    fmt: Annotated[
        DataFormat | None,
        typer.Option("--format", "-f", help="csv or json (default: from the name or the content)."),
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", help="timewarrior: log every interval to this channel."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, change nothing.")
    ] = False,
) -> None:
    """Bring in entries from netlog, Watson or Timewarrior.

    Reads netlog's own CSV or JSON, Watson's frames file, or `timew export` JSON.

    All or nothing: one bad row fails the whole import with its line number. Entries already
    present (same UUID) are skipped, so importing a file twice adds nothing.

    \b
    Examples:
      netlog import netlog.csv
      netlog import --dry-run other-laptop.json
      netlog import --from watson ~/.config/watson/frames
      timew export | netlog import --from timewarrior -
    """
    from netlog.io import transfer
    from netlog.store import db

    if channel is not None and source is not Source.TIMEWARRIOR:
        raise InputError("--channel is only for --from timewarrior")
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
    verb = "Would add" if dry_run else "Added"
    say(f"{verb} {result.added:,} entries; skipped {result.skipped:,} already present.")


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
    """The rows of the file being imported: whatever is wrong with them is wrong with the
    file, so it is bad input (exit status 2), whichever reader found it."""
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
    existed = path.exists()
    try:
        yield
    except BaseException:
        if not existed:
            path.unlink(missing_ok=True)
        raise
    if not existed and not keep:
        path.unlink(missing_ok=True)


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
      netlog merge ~/laptop-netlog.store.db
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
            transfer.rows_from_database(source, db.file_currency(conn)),
            change=f"merge {other}",
            dry_run=dry_run,
        )
    verb = "Would add" if dry_run else "Added"
    say(
        f"{verb} {result.added:,} entries from {other}; skipped {result.skipped:,} already present."
    )


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


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.command("import")(import_)
    app.command()(merge)
    app.command()(backup)
    app.command()(check)
