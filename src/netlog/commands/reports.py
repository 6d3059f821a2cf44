"""Reports: `log`, `summary` and `demo`."""

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from netlog.commands.common import (
    By,
    ChannelFilterOption,
    CreditOption,
    Format,
    FormatOption,
    KindFilterOption,
    RateOption,
    SearchOption,
    SinceOption,
    TagFilterOption,
    UntilOption,
    WhoOption,
    add_commands,
    db_path_for,
    empty_output,
    handle_errors,
    now_and_zone,
    say,
    say_no_entries,
)
from netlog.errors import InputError, NetlogError
from netlog.model.limits import MAX_ID
from netlog.reports.summary import Metric

if TYPE_CHECKING:
    import sqlite3
    from datetime import tzinfo
    from decimal import Decimal


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
            max=MAX_ID,
            help="Show at most this many (0 = all). Default: 50 in a table, all in CSV/JSON.",
            show_default=False,
        ),
    ] = None,
    tag: TagFilterOption = None,
    kind: KindFilterOption = None,
    search: SearchOption = None,
    who: WhoOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List entries, newest first, with their ids and every field.

    The table fits the terminal: empty columns are left out and long notes cut to a line;
    CSV and JSON carry every field whole.

    \b
    Examples:
      netlog log --since 2010-09 --channel email
      netlog log --since "last week" --kind lead --kind win
      netlog log --tag launch --search "brochure"
      netlog log --who laptop
      netlog log --format csv > entries.csv
    """
    from netlog.present import render
    from netlog.reports import views as reports
    from netlog.store import db
    from netlog.store.settings import Config

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    if limit is None:
        limit = 50 if fmt is Format.TABLE else 0
    with db.connection(path, create=False) as conn:
        if conn is None:
            from netlog.model.date_parsing import parse_range

            parse_range(since, until, now=now, zone=zone)  # bad dates are errors even here
            empty_output(fmt, render.ENTRY_COLUMNS)
            say_no_entries(path)
            return
        config = Config.from_stored(db.read_settings(conn))
        query = reports.Query(
            since=since,
            until=until,
            channels=channel or (),
            tags=tag or (),
            kinds=kind or (),
            search=search,
            who=who,
        )
        rows, matching = reports.entries(
            conn, query, config, limit=limit or None, now=now, zone=zone
        )
        if fmt is Format.TABLE:
            from netlog.store.who import several

            shown, left_out = render.entries_table(rows, zone, who=several(conn))
            say_left_out(left_out, choosable=False)
            if not shown:
                say("No entries match.")
            elif matching is not None and matching > shown:
                say(f"Showing the newest {shown} of {matching:,} entries; --limit 0 shows all.")
        else:
            values = (render.entry_values(row, zone) for row in rows)
            if fmt is Format.CSV:
                render.write_csv(values, render.ENTRY_COLUMNS, sys.stdout)
            else:
                render.write_json(values, sys.stdout)


ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="A,B,…",
        help="Only these columns, in this order, after the channel: e.g. hours,leads,wins,roi.",
    ),
]


def hourly_rate(rate: str | None, conn) -> "Decimal | None":
    """--rate read in the file's currency (BHD 10.125 has three decimals); None without."""
    from netlog.model.money import parse_amount
    from netlog.store import db
    from netlog.store.settings import Config

    if rate is None:
        return None
    currency = Config.from_stored(db.read_settings(conn)).currency if conn is not None else None
    return parse_amount(rate, "hourly rate", currency=currency)


def say_left_out(headers: list[str], *, choosable: bool = True) -> None:
    """The one line on stderr naming the columns a table left out to fit."""
    if headers:
        from netlog.present import figures, render

        sys.stdout.flush()  # after the table, when both go to one terminal or file
        width = render.terminal_width()
        say(figures.left_out_note(headers, width, choosable=choosable))


def say_channels_left_out(
    shown: int,
    total: int,
    order: str,
    *,
    totalled: bool = True,
    see_all: str = "-f csv",
    choosable: bool = True,
) -> None:
    """The one line on stderr when a table showed only its top channels."""
    if shown < total:
        from netlog.present import figures

        sys.stdout.flush()
        note = figures.channels_left_out_note(
            shown, total, order, totalled=totalled, see_all=see_all, choosable=choosable
        )
        say(note)


def _print_summary(
    conn, query, *, rate, fmt: Format, now, zone, title=None, columns: str | None = None
) -> bool:
    """Render the summary; False when nothing matched."""
    from netlog.present import figures, render
    from netlog.reports import views as reports
    from netlog.store import db
    from netlog.store.settings import Config

    config = Config.from_stored(db.read_settings(conn))
    limit = figures.MAX_TABLE_CHANNELS if fmt is Format.TABLE else None
    report = reports.summary_report(conn, query, config, rate=rate, now=now, zone=zone, limit=limit)
    chosen = _chosen_summary_columns(columns)
    keys = chosen or figures.SUMMARY_COLUMNS
    header = _summary_columns(query, columns)
    if not report.rows:
        empty_output(fmt, header)
        return False
    # The verdict and the rule each row was counted by, after the columns (unless --columns
    # chose them).
    credit = {"credit": report.credit} if chosen is None else {}
    values = (
        {
            **render.summary_values(row, report.currency, keys),
            **(report.verdict_values(row.channel) if chosen is None else {}),
            **credit,
        }
        for row in report.rows
    )
    if fmt is Format.CSV:
        render.write_csv(values, header, sys.stdout)
    elif fmt is Format.JSON:
        render.write_json(values, sys.stdout)
    else:
        top = set(report.shown)
        left_out = render.summary_table(
            [row for row in report.rows if row.channel in top],
            report.totals,
            currency=report.currency,
            flagged={row.channel for row in report.flagged},
            closing_lines=report.closing_lines(channels=top),
            title=figures.with_credit(title, report.credit),
            by=query.by,
            chosen=chosen,
        )
        say_left_out(left_out)
        say_channels_left_out(len(top), report.channel_count, "hours")
    return True


def _chosen_summary_columns(columns: str | None) -> tuple[str, ...] | None:
    from netlog.present import figures

    if columns is None:
        return None
    return tuple(figures.chosen_columns(columns, figures.SUMMARY, fixed=("channel",)))


@handle_errors
def summary(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    channel: ChannelFilterOption = None,
    by: Annotated[
        By | None, typer.Option("--by", "-b", help="One row per period and channel.")
    ] = None,
    rate: RateOption = None,
    tag: TagFilterOption = None,
    kind: KindFilterOption = None,
    search: SearchOption = None,
    who: WhoOption = None,
    fmt: FormatOption = Format.TABLE,
    wide: Annotated[
        bool,
        typer.Option("--wide", help="One row per channel, one column per period (with --by)."),
    ] = False,
    metric: Annotated[
        Metric | None,
        typer.Option("--metric", "-m", help="The figure --wide shows (default: hours)."),
    ] = None,
    columns: ColumnsOption = None,
    credit: CreditOption = None,
) -> None:
    """Show the return per channel: hours, leads, wins, revenue, ROI.

    Piped or written to a file, the table starts with a line naming the dates and the rate.

    \b
    Examples:
      netlog summary --since 2010-09
      netlog summary --since 2010-09 --until 2010-12 --by month --rate 40
      netlog summary --by month --wide --metric revenue
      netlog summary --since "last week" --tag launch
      netlog summary --who alice
      netlog summary --columns hours,leads,wins,roi
      netlog summary --by week --credit first
      netlog summary --format csv > return.csv
    """
    from netlog.model.periods import Period
    from netlog.reports import views as reports
    from netlog.reports import wide as grids
    from netlog.store import db

    if wide and by is None:
        raise InputError("--wide needs --by: netlog summary --by month --wide")
    if metric is not None and not wide:
        raise InputError(
            "--metric goes with --wide: netlog summary --by month --wide --metric wins"
        )
    if columns is not None and wide:
        raise InputError("--columns goes without --wide: --wide has a column per period")
    _chosen_summary_columns(columns)  # a wrong name is an error even without a file
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    query = reports.Query(
        since=since,
        until=until,
        channels=channel or (),
        by=Period(by.value) if by else None,
        tags=tag or (),
        kinds=kind or (),
        search=search,
        credit=credit,
        who=who,
    )
    with db.connection(path, create=False) as conn:
        if conn is None:
            from netlog.model.date_parsing import parse_range

            parse_range(since, until, now=now, zone=zone)  # bad dates are errors even here
            hourly_rate(rate, conn)
            empty_output(fmt, ("channel", "total") if wide else _summary_columns(query, columns))
            say_no_entries(path)
            return
        hourly = hourly_rate(rate, conn)
        figure = (metric or Metric.HOURS).value if wide else None
        title = None
        if fmt is Format.TABLE and not sys.stdout.isatty():
            title = grids.summary_title(conn, query, hourly, now=now, zone=zone, metric=figure)
        with grids.pasteable(title):
            if figure is None:
                shown = _print_summary(
                    conn, query, rate=hourly, fmt=fmt, now=now, zone=zone, columns=columns
                )
            else:
                shown = _print_grid(conn, query, hourly, figure, fmt, now=now, zone=zone)
        if not shown:
            filtered = since or until or channel or tag or kind or search or who
            say("No entries match." if filtered else "No entries yet.")
        elif fmt is Format.TABLE and hourly is None and "rate" not in db.read_settings(conn):
            _say_dim("Add an hourly rate to see cost and ROI: netlog config rate 40")
        if shown and fmt is Format.TABLE:
            from netlog.io.capture import exports_note

            if note := exports_note(conn):
                _say_dim(note)


def _say_dim(message: str) -> None:
    """A hint on stderr, dim on a terminal."""
    from rich.console import Console
    from rich.text import Text

    sys.stdout.flush()
    with contextlib.suppress(OSError, ValueError):  # as say(): a lost hint is no failure
        Console(stderr=True, highlight=False, soft_wrap=True).print(Text(message, style="dim"))


def _print_grid(conn, query, rate, metric: str, fmt: Format, *, now, zone) -> bool:
    """`summary --wide`; False when nothing matched."""
    from netlog.reports import views as reports
    from netlog.reports import wide
    from netlog.store import db
    from netlog.store.settings import Config

    config = Config.from_stored(db.read_settings(conn))
    report = reports.summary_report(conn, query, config, rate=rate, now=now, zone=zone, judge=False)
    if not report.rows:
        empty_output(fmt, ("channel", "total"))
        return False
    from netlog.present.figures import MAX_TABLE_CHANNELS

    grid = wide.grid(
        report.rows,
        metric,
        query.by,
        report.totals.rate,
        week_start=config.week_start,
        limit=MAX_TABLE_CHANNELS if fmt is Format.TABLE else None,
    )
    shown = wide.print_grid(grid, fmt=fmt.value, by=query.by, currency=report.currency)
    if fmt is Format.TABLE:
        say_channels_left_out(len(grid.channels), len(grid.channel_totals), f"{metric} in all")
    if shown < len(grid.periods):
        say(
            f"Showing the latest {shown} of {len(grid.periods)} {query.by.value}s (a wider "
            "terminal or --format csv shows them all)."
        )
    return True


def _summary_columns(query, columns: str | None = None) -> tuple[str, ...]:
    from netlog.present import figures

    chosen = _chosen_summary_columns(columns)
    keys = chosen or figures.SUMMARY_COLUMNS
    # Machine outputs append the verdict and the credit rule unless --columns chose the columns.
    appended = (*figures.VERDICT_COLUMNS, "credit") if chosen is None else ()
    return (("period",) if query.by else ()) + tuple(keys) + appended


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
    from netlog import interrupts
    from netlog.io import demo
    from netlog.model.entries import check, check_link
    from netlog.reports import views as reports
    from netlog.store import db
    from netlog.store.who import learn_names

    own = db_path_for(ctx)
    if save is not None:
        if save.exists():
            raise NetlogError(f"{save} already exists; choose a new file for the demo")
        if save.expanduser().resolve() == own.expanduser().resolve():
            raise NetlogError(f"{save} is your own netlog database; choose another file")
    with interrupts.temporary_folder(prefix="netlog-demo-") as tmp:
        path = save.expanduser() if save is not None else Path(tmp) / "demo.db"
        now, zone = now_and_zone()
        say(f"The demo prices time at {_demo_rate()}/h.")
        with db.connection(path, create=True) as conn:
            with db.write_transaction(conn):
                for key, value in demo.SETTINGS.items():
                    db.write_setting(conn, key, value)
                story = demo.story()
                db.insert_entries(conn, [check(entry) for entry in story.entries])
                learn_names(conn, {demo.DEVICE_ID: demo.DEVICE_NAME})
                stored = db.entries_by_uuid(conn)
                for outcome_uuid, source_uuid in story.links:
                    entry, source = stored[outcome_uuid], stored[source_uuid]
                    check_link(
                        entry["kind"], entry["occurred_at"], source["id"], source["kind"],
                        source["occurred_at"],
                    )  # fmt: skip
                    db.add_links(conn, entry["id"], [source["id"]])
            _print_summary(
                conn,
                reports.Query(),
                rate=None,
                fmt=fmt,
                now=now,
                zone=zone,
                title="Demo: a small UK firm's networking, September to December 2010",
            )
            if fmt is Format.TABLE:
                _print_first_behind(conn, zone)
    if save is not None:
        say(f"Saved the demo database to {save}. Explore it: netlog --db {save} log")
    else:
        say("Keep this data to explore: netlog demo --save demo.db")


def _print_first_behind(conn: "sqlite3.Connection", zone: "tzinfo") -> None:
    """The week each channel was first found behind, replaying the file week by week."""
    from netlog.reports import views as reports
    from netlog.store import db
    from netlog.store.settings import Config

    config = Config.from_stored(db.read_settings(conn))
    found = reports.first_found_behind(
        conn, config, zone, currency=reports.money_currency(conn, config)
    )
    behind = sorted(((week, name) for name, week in found.items() if week), key=lambda p: p)
    never = sorted((name for name, week in found.items() if week is None), key=str.casefold)
    parts = [f"{name} in the week of {week}" for week, name in behind]
    if never:
        parts.append(f"never {', '.join(never)}")
    if parts:
        print("First found behind, replaying week by week: " + "; ".join(parts) + ".")


def _demo_rate() -> str:
    from decimal import Decimal

    from netlog.io import demo
    from netlog.present.figures import money_phrase

    return money_phrase(Decimal(demo.SETTINGS["rate"]), demo.SETTINGS.get("currency"))


COMMANDS: dict[str, Callable[..., None]] = {"log": log_, "summary": summary, "demo": demo}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
