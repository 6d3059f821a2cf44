"""Insight: `funnel` (items → replies → leads → wins per channel, with honest rates) and
`trend` (one figure per channel and period)."""

import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

import typer

from netlog.commands.common import (
    ChannelFilterOption,
    CreditOption,
    Format,
    FormatOption,
    RateOption,
    SinceOption,
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
from netlog.commands.reports import (
    ColumnsOption,
    hourly_rate,
    say_channels_left_out,
    say_left_out,
)
from netlog.reports.summary import Metric

FUNNEL_NOTE = (
    "Rates are per item, with a 95% Wilson interval in brackets: with this few items the "
    "true rate can lie anywhere in it."
)


def _no_database(path, since, until, now, zone) -> None:
    from netlog.model.date_parsing import parse_range

    parse_range(since, until, now=now, zone=zone)  # bad dates are errors even here
    say_no_entries(path)


@handle_errors
def funnel(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    channel: ChannelFilterOption = None,
    fmt: FormatOption = Format.TABLE,
    columns: ColumnsOption = None,
    credit: CreditOption = None,
    who: WhoOption = None,
) -> None:
    """Show each channel's funnel: items (bids, messages…) → replies → leads → wins.

    Win and lead rates come with their 95% intervals, so a handful of bids is not taken for
    proof; channels with no wins and enough evidence are named under the table.

    \b
    Examples:
      netlog funnel
      netlog funnel --since 2010-09 --channel peopleperhour
      netlog funnel --columns win_rate,hours_per_win
      netlog funnel --who alice
      netlog funnel --format csv > funnel.csv
    """
    from netlog.present import figures, render
    from netlog.reports import views as reports
    from netlog.store import db
    from netlog.store.settings import Config

    chosen = None
    if columns is not None:
        chosen = figures.chosen_columns(columns, figures.FUNNEL, fixed=("channel",))
    # The rule each row was counted by, after the columns (unless --columns chose them).
    csv_columns = _funnel_csv_columns(chosen) + (("credit",) if chosen is None else ())
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    with db.connection(path, create=False) as conn:
        if conn is None:
            empty_output(fmt, csv_columns)
            _no_database(path, since, until, now, zone)
            return
        config = Config.from_stored(db.read_settings(conn))
        query = reports.Query(
            since=since, until=until, channels=channel or (), credit=credit, who=who
        )
        report = reports.funnel_report(conn, query, config, now=now, zone=zone)
        from netlog.io.capture import exports_note

        exported = exports_note(conn)
    if not report.channels:
        empty_output(fmt, csv_columns)
        filtered = since or until or channel or who
        say("No activity or outcomes match." if filtered else "No entries yet.")
        return
    if fmt is Format.TABLE:
        top = report.channels[: figures.MAX_TABLE_CHANNELS]  # most hours first
        verdicts = report.verdict_lines({channel.row.channel for channel in top})
        lines = [*verdicts, FUNNEL_NOTE, *([exported] if exported else [])]
        title = figures.with_credit(None, report.credit)
        say_left_out(render.funnel_table(top, lines, chosen=chosen, title=title))
        say_channels_left_out(len(top), len(report.channels), "hours", totalled=False)
        return
    values = (
        {key: row[key] for key in csv_columns}
        for row in (
            {**render.funnel_values(channel.row), "credit": report.credit}
            for channel in report.channels
        )
    )
    if fmt is Format.CSV:
        render.write_csv(values, csv_columns, sys.stdout)
    else:
        render.write_json(values, sys.stdout)


def _funnel_csv_columns(chosen: list[str] | None) -> tuple[str, ...]:
    """FUNNEL_COLUMNS, or those --columns chose (an interval column brings its ends; the
    funnel line, its counts)."""
    from netlog.present import figures

    if chosen is None:
        return figures.FUNNEL_COLUMNS
    keys: list[str] = []
    for key in chosen:
        if key == "funnel":
            keys += ["items", "replies", "leads", "wins"]
        elif key.endswith("_rate"):
            keys += [key, *figures.interval_keys(key)]
        else:
            keys.append(key)
    return tuple(dict.fromkeys(keys))


class TrendBy(StrEnum):
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@handle_errors
def trend(
    ctx: typer.Context,
    by: Annotated[
        TrendBy, typer.Option("--by", "-b", help="One column per period.", case_sensitive=False)
    ] = TrendBy.MONTH,
    since: SinceOption = None,
    until: UntilOption = None,
    channel: ChannelFilterOption = None,
    metric: Annotated[
        Metric,
        typer.Option(
            "--metric",
            "-m",
            help="What to show: hours, items, replies, leads, wins, revenue, spend, cost (time "
            "at the rate) or net (revenue less time cost and spend).",
            case_sensitive=False,
        ),
    ] = Metric.HOURS,
    rate: RateOption = None,
    fmt: FormatOption = Format.TABLE,
    credit: CreditOption = None,
) -> None:
    """Show one figure per channel and period, with its direction (rising, falling, flat).

    Periods run from the one holding the first entry in the range (--since/--until, else
    all) to the one holding the last, weeks from the `week-start` setting.
    Each channel's total is the figure `netlog summary` shows for the same range.

    \b
    Examples:
      netlog trend
      netlog trend --by week --since 2010-09 --metric items
      netlog trend --metric net --rate 40 --format csv > net-by-month.csv
    """
    from netlog.model.periods import Period
    from netlog.reports import views as reports
    from netlog.store import db
    from netlog.store.settings import Config

    path = db_path_for(ctx)
    now, zone = now_and_zone()
    query = reports.Query(
        since=since, until=until, channels=channel or (), by=Period(by.value), credit=credit
    )
    with db.connection(path, create=False) as conn:
        if conn is None:
            hourly_rate(rate, conn)
            empty_output(fmt, ("channel", "total", "credit"))
            _no_database(path, since, until, now, zone)
            return
        hourly = hourly_rate(rate, conn)
        config = Config.from_stored(db.read_settings(conn))
        from netlog.present.figures import MAX_TABLE_CHANNELS

        report = reports.trend_report(
            conn,
            query,
            config,
            metric=metric.value,
            rate=hourly,
            now=now,
            zone=zone,
            limit=MAX_TABLE_CHANNELS if fmt is Format.TABLE else None,
        )
    from netlog.present import render

    if not report.rows:
        empty_output(fmt, ("channel", *report.periods, "total", "credit"))
        say("No entries match." if since or until or channel else "No entries yet.")
        return
    if fmt is Format.CSV:
        render.write_csv(
            render.trend_csv_rows(report),
            ("channel", *report.periods, "total", "credit"),
            sys.stdout,
        )
    elif fmt is Format.JSON:
        render.write_json(render.trend_json_rows(report), sys.stdout)
    else:
        # The most first (the report made rows for those only); the total row counts them all.
        shown = render.trend_table(report)
        say_channels_left_out(len(report.rows), report.channel_count, f"{metric.value} in all")
        periods = len(report.periods)
        if shown < periods:
            say(
                f"Showing the latest {shown} of {periods} {by.value}s (a wider terminal or "
                "--format csv shows them all); Direction covers all of them."
            )
        if periods > render.MAX_SPARKLINE:
            say(f"Trend shows the latest {render.MAX_SPARKLINE} {by.value}s.")


COMMANDS: dict[str, Callable[..., None]] = {"funnel": funnel, "trend": trend}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
