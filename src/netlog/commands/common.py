"""What every netlog command shares: the app, its global options, error reporting, prompts
and the options several commands take.

Kept light on purpose: `netlog add` runs after every session, so this module imports only
typer, and netlog.main runs `add` and `outcome` on an app built from this module and
netlog.commands.logging alone. Rich, sqlite-utils and dateutil's parser are imported only by
the commands that need them.
"""

import contextlib
import copy
import functools
import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, ParamSpec, TypeVar, overload

import typer
from typer._types import TyperChoice as Choice
from typer.core import TyperGroup

from netlog import __version__
from netlog.errors import INTERRUPTED, InputError, NetlogError
from netlog.model import kinds
from netlog.model.limits import MAX_ID
from netlog.paths import resolve_db_path
from netlog.store.credit import RULES as CREDIT_RULES

P = ParamSpec("P")
R = TypeVar("R")

# Exit statuses: 1 a failing environment, 2 bad input, 70 a bug (EX_SOFTWARE), 130 Ctrl-C,
# 141 a reader that closed the pipe (128 + SIGPIPE, as `git log | head` reports it).
EXIT_BUG, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 70, 130, 141


def say(message: str) -> None:
    """A message for the person (confirmations, hints): stderr, so stdout stays data.
    A message that cannot be shown (stderr closed, its reader gone) is dropped: it must
    not turn a command that did its work into a failure."""
    from netlog.model.text import printable

    with contextlib.suppress(OSError):  # stdout's own failure is reported where it happens
        sys.stdout.flush()  # keep the order of report and message in a shared terminal
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(printable(message) + "\n")
        sys.stderr.flush()


def silence_stdout() -> None:
    """After a reader went away: nothing more may reach the dead pipe, not even the flush
    at exit (which would print 'Exception ignored ... BrokenPipeError')."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Report a NetlogError as one line on stderr (exit 1, or 2 for bad input); turn what
    SQLite and the operating system say into such errors; stop quietly on a closed pipe."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        import sqlite3

        try:
            try:
                return fn(*args, **kwargs)
            except sqlite3.Error as exc:
                from netlog.store.db import error_from_sqlite

                raise error_from_sqlite(exc) from exc
            except BrokenPipeError:
                raise
            except OSError as exc:
                if exc.errno is None:
                    raise
                target = exc.filename or "the output"
                raise NetlogError(f"cannot write {target}: {exc.strerror}") from exc
            except OverflowError as exc:
                # A number that reached SQLite past its 64-bit integers: bad input that no
                # option's range caught.
                if "too large to convert to SQLite" not in str(exc):
                    raise
                raise InputError("a number is too large (over 2^63): use a smaller one") from exc
        except NetlogError as exc:
            say(f"Error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:  # said by NetlogGroup.main, as for one outside a command
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None

    return wrapper


def _from_an_interrupt(exc: BaseException) -> bool:
    """Whether a Ctrl-C (or TERM, HUP: they raise KeyboardInterrupt) is what went wrong,
    wrapped by Python in another error: one that lands while a class is being made during an
    import becomes `RuntimeError: Error calling __set_name__`."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _undecodable_argument(args: Sequence[str]) -> str | None:
    """The first argument that is not valid UTF-8 (Python keeps such bytes as surrogates)."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    return None


def _digits_only(base: type) -> type:
    class DigitsOnly(base):
        """Click reads whole numbers with Python's int(), which also takes '١٢', '１２' and
        '1_000', and fails on numbers past 4,300 digits: netlog takes 0-9 only."""

        def convert(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, str):
                text = value.strip()
                shown = repr(text if len(text) <= 20 else text[:20] + "…")
                if not (text.lstrip("+-").isdigit() and text.isascii()):
                    self.fail(f"{shown} is not a whole number written with 0-9", param, ctx)
                if len(text.lstrip("+-")) > 18:
                    self.fail(f"{shown} is far too large", param, ctx)
            return super().convert(value, param, ctx)

    return DigitsOnly


def _whole_numbers_in_digits(group: Any) -> None:
    """Give every whole-number argument and option of the app the DigitsOnly check."""
    from typer._click import types

    kinds: dict[type, type] = {types.IntRange: _digits_only(types.IntRange)}
    kinds[types.IntParamType] = _digits_only(types.IntParamType)
    pending = [group]
    while pending:
        command = pending.pop()
        pending.extend(getattr(command, "commands", {}).values())
        for param in command.params:
            checked = kinds.get(type(param.type))
            if checked is not None:
                param.type = copy.copy(param.type)
                param.type.__class__ = checked


class NetlogGroup(TyperGroup):
    """The app's command group, with netlog's last line of defence: every usage error is one
    line `Error: ...`, and anything unexpected is a one-line message and a crash report,
    never a traceback."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from typer._click import exceptions as click_errors

        argv = list(sys.argv[1:] if args is None else args)
        _whole_numbers_in_digits(self)
        try:
            bad = _undecodable_argument(argv)
            if bad is not None:
                raise InputError(f"the argument {bad} is not valid UTF-8 text: retype it")
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except click_errors.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "netlog"
            say(f"Error: {_one_line(exc.format_message())} (see: {command} --help)")
            code = 2
        except typer.Abort:  # Ctrl-C or end of input at a prompt
            say("")  # end the prompt's line
            code = EXIT_INTERRUPTED
        except NetlogError as exc:  # raised outside a command: a callback, completion
            say(f"Error: {exc}")
            code = exc.exit_code
        except click_errors.ClickException as exc:
            say(f"Error: {_one_line(exc.format_message())}")
            code = exc.exit_code
        except BrokenPipeError:
            silence_stdout()
            code = EXIT_BROKEN_PIPE
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if isinstance(exc, OSError) and exc.errno is not None:  # --version >&-, --help
                silence_stdout()
                say(f"Error: cannot write the output: {exc.strerror}")
                code = 1
            elif _from_an_interrupt(exc):
                code = EXIT_INTERRUPTED  # said below, as any other Ctrl-C, TERM or HUP
            else:
                from netlog.crash import report_crash

                say(f"Error: {report_crash(exc, argv)}")
                code = EXIT_BUG
        if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C outside a command into Exit(130)
            say(INTERRUPTED)
        if standalone_mode:
            sys.exit(code)
        return code


def _one_line(message: str) -> str:
    text = " ".join(message.split())
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


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
    """Channel names and aliases for shell completion."""
    from netlog.store.channels import names_in

    names = names_in(db_path_for(ctx))
    # Typer keeps only completions that start with what was typed, case and all.
    return [name for name in names if name.startswith(incomplete)]


def interactive() -> bool:
    """Whether a person is at the keyboard to answer a question."""
    return sys.stdin.isatty()


@overload
def ask(
    ctx: typer.Context,
    label: str,
    read: Callable[[str], R],
    *,
    offer_channels: bool = False,
    default: str | None = None,
    optional: Literal[False] = False,
) -> R: ...
@overload
def ask(
    ctx: typer.Context,
    label: str,
    read: Callable[[str], R],
    *,
    offer_channels: bool = False,
    default: str | None = None,
    optional: bool,
) -> R | None: ...


def ask(
    ctx: typer.Context,
    label: str,
    read: Callable[[str], R],
    *,
    offer_channels: bool = False,
    default: str | None = None,
    optional: bool = False,
) -> R | None:
    """Ask for a missing argument on a terminal until the answer is valid; on a pipe,
    fail at once with a usage error instead of waiting for input that never comes.

    `default` is shown and taken on Enter; an `optional` field is skipped (None) on Enter.
    """
    if not interactive():
        name = label.split()[0].upper()
        raise InputError(f"missing {name} (see: netlog {ctx.info_name} --help)")
    if offer_channels:
        known = complete_channel(ctx, "")
        if known:
            say("Known channels: " + ", ".join(known))
    prompt = label[:1].upper() + label[1:] + (" (Enter skips)" if optional else "")
    while True:
        answer = typer.prompt(
            prompt,
            default="" if optional else default,
            show_default=not optional,
            err=True,
        )
        if optional and not answer.strip():
            return None
        try:
            return read(answer)
        except NetlogError as exc:
            say(f"  {exc}")


def settle_channel(conn, name: str, *, yes: bool = False, new_channel: bool = False) -> str:
    """The channel to write to when `name` is not a known one (call it only then): the known
    channel or alias it is surely a typo of (asked on a terminal, --yes in a pipe), else
    `name` itself, as a new channel. In a pipe without --yes or --new-channel: InputError."""
    from netlog.store.channels import close_match, known_names

    if new_channel:
        return name
    suggestion = close_match(name, known_names(conn))
    if suggestion is None or yes:
        return suggestion or name
    if interactive():
        question = f"{name!r} is new — did you mean {suggestion}?"
        return suggestion if typer.confirm(question, default=True, err=True) else name
    raise InputError(
        f"{name!r} is not a channel yet, and it looks like {suggestion!r}: add --yes to use "
        f"{suggestion}, or --new-channel to start a new channel {name!r}"
    )


def now_and_zone():
    from netlog.model.dates import local_zone, utc_now

    return utc_now(), local_zone()


def say_no_entries(path: Path) -> None:
    say(
        f'No entries yet in {path}. Log one with: netlog add linkedin 45m "contact messages"'
        " (or see what netlog shows with: netlog demo)"
    )


# The kinds the CLI offers, from the one table of kinds (given back as written there).
OUTCOME_KIND_CHOICE = Choice(kinds.OUTCOME_KINDS, case_sensitive=False)
KIND_CHOICE = Choice(kinds.NAMES, case_sensitive=False)


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
        help="When it happened (default: now): 2010-09-14, '2010-09-14 10:00', "
        "'yesterday 3pm', 'mon 10:00', '2 days ago'.",
    ),
]
NoteOption = Annotated[str | None, typer.Option("--note", help="A free-text note.")]
TagOption = Annotated[
    list[str] | None, typer.Option("--tag", "-t", help="A tag (repeat for several).")
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        "-s",
        metavar="WHEN",
        help="From this on: 2010-09 (from 1 Sep 2010), 'last week', yesterday, "
        "'mon 10:00', '3 days ago'.",
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until",
        "-u",
        metavar="WHEN",
        help="Up to and including this: 2010-12 (to 31 Dec), 'last week' (to its end), yesterday.",
    ),
]
YesOption = Annotated[
    bool,
    typer.Option(
        "--yes",
        "-y",
        help="Do not ask: take the suggested channel, log a repeat, a bare 2 (minutes) or "
        "a count of 11+ wins as typed.",
    ),
]
NewChannelOption = Annotated[
    bool,
    typer.Option(
        "--new-channel", help="CHANNEL is new even if it looks like a typo of a known one."
    ),
]
TagFilterOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Only entries with this tag (repeat: all must match)."),
]
KindFilterOption = Annotated[
    list[str] | None,
    typer.Option("--kind", click_type=KIND_CHOICE, help="Only entries of this kind (repeatable)."),
]
CreditOption = Annotated[
    str | None,
    typer.Option(
        "--credit",
        click_type=Choice(CREDIT_RULES, case_sensitive=False),
        help="Where replies, leads and wins count: logged (their own channel and date), or "
        "the first, last or every (linear) activity they came --from. Default: netlog config "
        "credit, else logged.",
        show_default=False,
    ),
]
SearchOption = Annotated[
    str | None,
    typer.Option(
        "--search",
        metavar="TEXT",
        help="Only entries whose what, note or label has these words (or words starting so).",
    ),
]
WhoOption = Annotated[
    str | None,
    typer.Option(
        "--who",
        metavar="NAME",
        help="Only entries logged on this device or by this person (netlog config device/name).",
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
SourcesOption = Annotated[
    list[int] | None,
    typer.Option(
        "--from",
        metavar="ID",
        min=1,
        max=MAX_ID,
        help=f"{kinds.plurals(kinds.LINKED_KINDS).capitalize()}: the entry it came from "
        f"({kinds.listed([kinds.article(k) for k in kinds.LINK_SOURCE_KINDS])}; repeatable).",
    ),
]
RateOption = Annotated[
    str | None,
    typer.Option(
        "--rate",
        "-r",
        metavar="AMOUNT",
        help="Hourly rate to price your time (default: the rate setting).",
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def empty_output(fmt: Format, columns: Sequence[str]) -> None:
    """Valid empty output for programs: a header-only CSV or `[]` (nothing for a table)."""
    from netlog.present import render

    if fmt is Format.CSV:
        render.write_csv([], columns, sys.stdout)
    elif fmt is Format.JSON:
        render.write_json([], sys.stdout)


def add_commands(
    app: typer.Typer, commands: dict[str, Callable[..., Any]], only: str | None
) -> None:
    """Add `commands` (name: function) to `app`; with `only`, just that one: netlog.main
    builds an app of the command it runs, since Typer builds every registered command's
    options on each run."""
    for name, command in commands.items():
        if only is None or name == only:
            app.command(name)(command)


def new_app() -> typer.Typer:
    """The app with its global options and no commands: netlog.cli and netlog.main register
    the commands on it."""
    app = typer.Typer(
        cls=NetlogGroup,
        pretty_exceptions_enable=False,
        name="netlog",
        help="Log the time you spend on networking channels and see which ones bring paid work.",
        epilog="Start with `netlog demo`. Data lives in one SQLite file: see `netlog where`.",
        no_args_is_help=True,
        # Plain Click help and errors: Rich would add ~0.1 s to every --help and Tab.
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(global_options)
    return app
