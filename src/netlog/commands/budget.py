"""`budget`: time and money budgets per channel, per week or per month.

`netlog budget CHANNEL LIMIT` is short for `netlog budget set CHANNEL LIMIT`; `netlog budget`
alone lists the budgets.
"""

import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from netlog.commands.common import (
    Format,
    FormatOption,
    complete_channel,
    db_path_for,
    empty_output,
    handle_errors,
    now_and_zone,
    say,
)
from netlog.errors import InputError, NetlogError

BUDGET_COLUMNS = [
    "channel",
    "kind",
    "period",
    "limit",
    "currency",
    "current_period",
    "used",
    "over",
    "counts_from",
]


class _SetByDefault(TyperGroup):
    """`netlog budget linkedin 2h/week` runs `set`: a first argument that is no subcommand
    is a channel, and so is `list` followed by an argument (`list` takes none)."""

    def parse_args(self, ctx, args):
        first = args[0] if args else "-"
        listing_with_argument = first == "list" and len(args) > 1 and args[1][:1] != "-"
        if (first not in self.commands and first[:1] != "-") or listing_with_argument:
            args = ["set", *args]
        return super().parse_args(ctx, args)


budget_app = typer.Typer(
    cls=_SetByDefault,
    rich_markup_mode=None,
    invoke_without_command=True,
)

ChannelArgument = Annotated[
    str,
    typer.Argument(
        metavar="CHANNEL", help="The channel: linkedin, email…", autocompletion=complete_channel
    ),
]


def _kind(time: bool, spend: bool) -> str | None:
    if time and spend:
        raise InputError("give --time or --spend, not both")
    return "time" if time else "spend" if spend else None


@budget_app.callback()
@handle_errors
def budget(
    ctx: typer.Context,
    list_: Annotated[bool, typer.Option("--list", help="List the budgets (the default).")] = False,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Set, list and remove budgets: time (2h/week) or money (£50/month) per channel.

    After `add`, `spend` and `stop`, netlog warns on stderr when the channel is over its
    budget for the week (from the `week-start` setting, Monday unless set) or calendar month
    of the entry. It also warns when the channel is behind (credibly fewer leads per hour than
    another, after `warn-hours`, default 3) or not paying, over the 12 weeks up to the entry.

    \b
    Examples:
      netlog budget linkedin 2h/week
      netlog budget peopleperhour £50/month
      netlog budget twitter 45m/week
      netlog budget                      list budgets and this period's use
      netlog budget rm linkedin --time
    """
    if ctx.invoked_subcommand is None:
        _list(ctx, fmt)


@budget_app.command("set")
@handle_errors
def budget_set(
    ctx: typer.Context,
    channel: ChannelArgument,
    limit: Annotated[
        str,
        typer.Argument(
            metavar="LIMIT",
            help="Time or money per week or month: 2h/week, 90m/week, 30h/month, £50/month.",
            show_default=False,
        ),
    ],
    time: Annotated[bool, typer.Option("--time", help="LIMIT is time (for a bare 90/week).")] = (
        False
    ),
    spend: Annotated[
        bool, typer.Option("--spend", help="LIMIT is money (for a bare 50/month).")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Count from this day, to judge time already logged (default: today).",
        ),
    ] = None,
) -> None:
    """Set a channel's time or money budget (replacing the one it had).

    A channel has at most one time budget and one money budget. Money is in the file's
    currency; `netlog undo` reverts. A budget counts from the day it is set: earlier
    entries are never over it, unless --since backdates it on purpose.

    \b
    Examples:
      netlog budget set linkedin 2h/week        (or: netlog budget linkedin 2h/week)
      netlog budget set linkedin 8h/month       replaces the weekly one
      netlog budget set peopleperhour £50/month
      netlog budget set ads 40/month --spend
      netlog budget set linkedin 2h/week --since 2010-09-01
    """
    from netlog.model.date_parsing import parse_range
    from netlog.model.dates import from_storage, to_storage
    from netlog.reports.budget import (
        budget_use,
        day_start,
        format_amount,
        format_limit,
        parse_limit,
        set_budget,
    )
    from netlog.store import db
    from netlog.store.settings import Config

    kind = _kind(time, spend)
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise NetlogError(
                f"no channels yet in {path}: log a session first, e.g. netlog add linkedin 45m"
            )
        wanted = parse_limit(limit, db.file_currency(conn), kind=kind)
        config = Config.from_stored(db.read_settings(conn))
        counts_from = day_start(now, zone)
        if since is not None:
            start, _ = parse_range(
                since,
                None,
                now=now,
                zone=zone,
                date_order=config.date_order,
                week_start=config.week_start,
            )
            assert start is not None  # a --since always has a start
            counts_from = day_start(from_storage(start), zone)
            if counts_from > day_start(now, zone):
                raise InputError(
                    f"--since {since!r} is after today: a budget counts from today at the latest"
                )
        with db.write_transaction(conn, change=f"budget {channel} {limit}"):
            name, previous = set_budget(
                conn, channel, wanted, created_at=to_storage(now), counts_from=counts_from
            )
            db.describe_change(conn, f"budget {name} {format_limit(wanted)}")
        found = db.require_channel(conn, name)
        uses = budget_use(conn, now, zone, channel_id=found.id, kind=wanted.kind)
    was = f" (was {format_limit(previous)})" if previous else ""
    first_day = from_storage(counts_from).astimezone(zone).date()
    done = f"Budget for {name}: {format_limit(wanted)}{was}, counting from {first_day}"
    for use in uses:
        used = format_amount(use.limit.kind, use.used, use.limit.currency)
        done += f"; used this {use.limit.period}: {used}" + (", over" if use.over else "")
    say(done + ".")


@budget_app.command("list")
@handle_errors
def budget_list(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """List budgets with what each channel has used this week or month.

    \b
    Examples:
      netlog budget list
      netlog budget list -f csv
    """
    _list(ctx, fmt)


def _list(ctx: typer.Context, fmt: Format) -> None:
    from netlog.model.money import format_plain
    from netlog.model.text import printable
    from netlog.present import render
    from netlog.reports.budget import budget_use, format_amount, format_limit
    from netlog.store import db

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        uses = budget_use(conn, now, zone) if conn is not None else []
    if not uses:
        empty_output(fmt, BUDGET_COLUMNS)
        say("No budgets yet. Set one with: netlog budget linkedin 2h/week")
        return
    if fmt is not Format.TABLE:
        rows = [
            {
                "channel": use.channel,
                "kind": use.limit.kind,
                "period": use.limit.period,
                "limit": use.limit.value
                if use.limit.kind == "time"
                else format_plain(use.limit.value, use.limit.currency),
                "currency": use.limit.currency,
                "current_period": use.period_label,
                "used": use.used
                if use.limit.kind == "time"
                else format_plain(use.used, use.limit.currency),
                "over": use.over,
                "counts_from": _local_day(use.counts_from, zone),
            }
            for use in uses
        ]
        if fmt is Format.CSV:
            render.write_csv(rows, BUDGET_COLUMNS, sys.stdout)
        else:
            render.write_json(rows, sys.stdout)
        return
    table = [("channel", "budget", "period", "used", "")]
    for use in uses:
        kind, currency = use.limit.kind, use.limit.currency
        if use.over:
            state = f"over by {format_amount(kind, use.used - use.limit.value, currency)}"
        else:
            state = f"{format_amount(kind, use.limit.value - use.used, currency)} left"
            state = state if use.used < use.limit.value else "at the limit"
        table.append(
            (
                printable(use.channel),
                format_limit(use.limit),
                _period_shown(use, zone),
                format_amount(kind, use.used, currency),
                state,
            )
        )
    widths = [max(len(row[column]) for row in table) for column in range(len(table[0]))]
    for row in table:
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _period_shown(use, zone) -> str:
    """`week of 2010-09-13`, and `, from 2010-09-15` when the budget was set within it."""
    from netlog.reports.budget import describe_period

    shown = describe_period(use.limit.period, use.period_label).removeprefix("the ")
    first_day = use.period_label if use.limit.period == "week" else f"{use.period_label}-01"
    counts_from = _local_day(use.counts_from, zone)
    return shown + (f", from {counts_from}" if counts_from and counts_from > first_day else "")


def _local_day(stored: str | None, zone) -> str | None:
    """The local day a budget counts from (None: from the first entry)."""
    from netlog.model.dates import from_storage

    return str(from_storage(stored).astimezone(zone).date()) if stored is not None else None


@budget_app.command("rm")
@handle_errors
def budget_rm(
    ctx: typer.Context,
    channel: ChannelArgument,
    time: Annotated[bool, typer.Option("--time", help="Only the time budget.")] = False,
    spend: Annotated[bool, typer.Option("--spend", help="Only the money budget.")] = False,
) -> None:
    """Remove a channel's budgets (both, or the one --time or --spend names).

    `netlog undo` brings them back.

    \b
    Examples:
      netlog budget rm linkedin
      netlog budget rm peopleperhour --spend
    """
    from netlog.reports.budget import BUDGET_KINDS, format_limit, remove_budgets
    from netlog.store import db

    kind = _kind(time, spend)
    path = db_path_for(ctx)
    with db.connection(path, create=False) as conn:
        if conn is None:
            raise NetlogError(f"no budgets yet in {path}")
        with db.write_transaction(conn, change=f"budget rm {channel}"):
            name, removed = remove_budgets(conn, channel, [kind] if kind else BUDGET_KINDS)
            db.describe_change(conn, f"budget rm {name}")
    say(f"Removed {name}'s budget: " + ", ".join(format_limit(limit) for limit in removed) + ".")


def register(app: typer.Typer, only: str | None = None) -> None:
    """Add `budget` and its subcommands to `app` (`only` is `budget` or None)."""
    app.add_typer(budget_app, name="budget")
