"""`netlog review`: this week (or month) against the one before, in one screen.

Only typer and netlog.commands.common at import: the review code loads when the command runs.
"""

import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

import typer

from netlog.commands.common import (
    add_commands,
    db_path_for,
    handle_errors,
    now_and_zone,
    say,
    say_no_entries,
)
from netlog.errors import InputError


class ReviewFormat(StrEnum):
    TABLE = "table"
    MD = "md"
    JSON = "json"


@handle_errors
def review(
    ctx: typer.Context,
    week: Annotated[bool, typer.Option("--week", help="Review a week (the default).")] = False,
    month: Annotated[bool, typer.Option("--month", help="Review a month.")] = False,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATE",
            help="Review the period holding DATE (default: the last full one).",
        ),
    ] = None,
    fmt: Annotated[
        ReviewFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table, md (a note to paste for a partner) or json.",
        ),
    ] = ReviewFormat.TABLE,
) -> None:
    """Check the last full week (or month) against the one before: per channel hours,
    replies, leads, wins, revenue and spend with the change; the verdicts with their
    evidence; budgets used; and at most three suggestions.

    \b
    Examples:
      netlog review
      netlog review --month --at 2010-11
      netlog review --format md > week.md
    """
    from netlog.model.date_parsing import parse_span
    from netlog.model.periods import Period
    from netlog.present import review as shown
    from netlog.reports.review import review_report
    from netlog.store import db
    from netlog.store.settings import Config

    if week and month:
        raise InputError("choose one of --week and --month")
    by = Period.MONTH if month else Period.WEEK
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as opened:
        conn = opened if opened is not None else db.empty_in_memory(path)
        config = Config.from_stored(db.read_settings(conn))
        moment = None
        if at is not None:
            span = parse_span(
                at,
                now=now,
                zone=zone,
                date_order=config.date_order,
                week_start=config.week_start,
            )
            moment = span.start
        from netlog.present.figures import MAX_TABLE_CHANNELS

        limit = None if fmt is ReviewFormat.JSON else MAX_TABLE_CHANNELS
        report = review_report(conn, config, by=by, at=moment, now=now, zone=zone, limit=limit)
    if fmt is ReviewFormat.JSON:
        shown.write_json(report, sys.stdout)
    else:
        if fmt is ReviewFormat.MD:
            sys.stdout.write(shown.markdown(report))
        else:
            shown.table(report)
        from netlog.commands.reports import say_channels_left_out

        say_channels_left_out(
            len(report.rows),
            report.channel_count,
            "hours",
            totalled=False,
            see_all="-f json",
            choosable=False,
        )
    if opened is None:
        say_no_entries(path)
    elif not report.rows:
        say(f"Nothing logged in that {by.value} or the one before.")


COMMANDS: dict[str, Callable[..., None]] = {"review": review}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
