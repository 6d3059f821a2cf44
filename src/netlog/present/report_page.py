"""The report to look at and share (`netlog report`): one HTML file, or the same in Markdown.

The page is a list of sections. A section is one data function here (ReportInput in, the
data to show out, or None to leave the section out), listed in SECTIONS, and one template
block of the same name in templates/report.html.j2 and templates/report.md.j2; the blocks
stand in page order. To add one (the funnel is next), write its function, list it, and add
its two blocks: tests/test_report_page.py checks that SECTIONS and the blocks agree.

Every figure comes from netlog.reports.views and netlog.present.render.summary_values, the
same values `netlog summary -f json` prints, formatted for people. This module imports
Jinja2, so only the report command imports it.
"""

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

import jinja2
from markupsafe import Markup

from netlog.errors import NetlogError
from netlog.model.dates import from_storage
from netlog.model.periods import Period
from netlog.present import figures, svg
from netlog.present.figures import Kind, period_label
from netlog.present.render import summary_values
from netlog.reports import views as reports
from netlog.reports.summary import ChannelSummary, total, verdict
from netlog.store import db
from netlog.store.settings import Config

FORMATS = ("html", "md")


@dataclass(frozen=True)
class ReportInput:
    """What every section function gets: the question asked and the summary answering it."""

    conn: sqlite3.Connection
    query: reports.Query
    config: Config
    rate: Decimal | None  # the rate in force: --rate, else the setting
    now: datetime
    zone: tzinfo
    show_money: bool
    summary: reports.SummaryReport
    monthly: reports.SummaryReport  # the summary by month of the channels shown, no verdicts
    month_sums: list[ChannelSummary]  # each month's sums over every channel
    # the sums per channel the summary is made from (views.folded_totals), or None
    channel_sums: list[dict[str, Any]] | None = None

    @property
    def shown(self) -> set[str]:
        """The channels every section shows: those a summary table shows (at most
        figures.MAX_TABLE_CHANNELS, most hours first); the totals count them all."""
        return set(self.summary.shown)

    @property
    def rows(self) -> list[ChannelSummary]:
        """The summary's rows of the channels shown, most hours first."""
        shown = self.shown
        return [row for row in self.summary.rows if row.channel in shown]


_PRICED = {"cost"}  # shown only when a rate prices the time
_NET = {"net", "roi"}  # shown when a rate or spend prices something


def format_value(kind: Kind, value: object, currency: str | None) -> str:
    """A machine value (from summary_values) as people read it; the digits stay the same."""
    return figures.text(kind, value, currency, exact=True)


# --- the sections, in page order -----------------------------------------------------------


def verdict_section(inputs: ReportInput) -> list[str]:
    """The closing lines of `netlog summary`; without money, the verdict names no amounts."""
    report = inputs.summary
    if not inputs.show_money:
        moneyless = [replace(row, revenue=Decimal(0)) for row in report.rows]
        report = replace(report, verdict=verdict(moneyless, None, whole=report.whole))
    return report.closing_lines(show_money=inputs.show_money, channels=inputs.shown)


def summary_section(inputs: ReportInput) -> dict[str, object]:
    """The summary table: one row per channel, most hours first, and the total."""
    currency = inputs.summary.currency
    spent = bool(inputs.summary.totals.spend)
    columns = [
        column
        for column in figures.SUMMARY
        if column.key in figures.SUMMARY_TABLE
        and (inputs.show_money or column.kind is not Kind.MONEY)
        and (inputs.rate is not None or column.key not in _PRICED)
        and (inputs.rate is not None or spent or column.key not in _NET)
        and (spent or column.key != "spend")
        and (inputs.summary.totals.replies or column.key != "replies")
    ]

    def cells(row: ChannelSummary) -> list[str]:
        values = summary_values(row, currency)
        return [format_value(c.kind, values[c.key], currency) for c in columns]

    flagged = {row.channel for row in inputs.summary.flagged} & inputs.shown
    return {
        "columns": [{"label": column.header} for column in columns],
        "rows": [{"cells": cells(row), "flagged": row.channel in flagged} for row in inputs.rows],
        "total": cells(inputs.summary.totals),
        "threshold": f"{inputs.config.threshold_hours.normalize():f}",  # as set
        "any_flagged": bool(flagged),
    }


def chart_section(inputs: ReportInput) -> dict[str, object]:
    """Hours against revenue per channel, or against wins when there is no revenue to show."""
    rows = inputs.rows
    currency = inputs.summary.currency
    values = [summary_values(row, currency) for row in rows]
    hours = svg.Series(
        "Hours",
        [float(v["hours"]) for v in values],  # type: ignore[arg-type]
        [format_value(Kind.HOURS, v["hours"], currency) + " h" for v in values],
    )
    if inputs.show_money and inputs.summary.totals.revenue:
        other, measure = "revenue", "Revenue"
        labels = [format_value(Kind.MONEY, v["revenue"], currency) for v in values]
    else:
        other, measure = "wins", "Wins"
        labels = [format_value(Kind.COUNT, v["wins"], currency) for v in values]
    second = svg.Series(measure, [float(v[other]) for v in values], labels)  # type: ignore[arg-type]
    title = f"Hours and {measure.lower()} per channel"
    channels = [row.channel for row in rows]
    return {
        "title": title,
        "svg": Markup(svg.grouped_bars(channels, [hours, second], title=title)),
        "measure": measure,
        "rows": [
            (channel, hour_label, label)
            for channel, hour_label, label in zip(channels, hours.labels, labels, strict=True)
        ],
    }


def trend_section(inputs: ReportInput) -> dict[str, object] | None:
    """Hours and wins per channel and month (the figures of `summary --by month`: its sums
    of the same periods, without the verdicts and notes a table of them closes with)."""
    bounds = reports.resolve(
        inputs.conn, inputs.query, inputs.config, now=inputs.now, zone=inputs.zone
    )
    periods = reports.periods_shown(inputs.conn, bounds, Period.MONTH, inputs.config, inputs.zone)
    months = list(dict.fromkeys(label for label, _, _ in periods))
    if len(months) < 2:
        return None  # one month is the summary table again
    monthly = inputs.monthly.rows
    shown = inputs.shown
    cells = {(row.period, row.channel): row for row in monthly if row.channel in shown}
    channels = [row.channel for row in inputs.rows]
    summed = {row.period: row for row in inputs.month_sums}
    month_totals = {month: summed.get(month) or total([], inputs.rate) for month in months}

    def table(key: str, kind: Kind, noun: str, step: bool) -> dict[str, object]:
        body = []
        for channel in [*channels, None]:
            found = [
                cells.get((month, channel)) if channel else month_totals[month] for month in months
            ]
            # the one figure shown: working out every figure of a cell was most of the time
            raw = [summary_values(row, columns=(key,))[key] if row else None for row in found]
            texts = [format_value(kind, value, None) for value in raw]
            name = channel or "Total"
            body.append(
                {
                    "channel": name,
                    "cells": texts,
                    "line": Markup(
                        svg.sparkline(
                            [float(value or 0) for value in raw],  # type: ignore[arg-type]
                            title=f"{noun} by month, {name}: "
                            + ", ".join(
                                f"{month} {text}" for month, text in zip(months, texts, strict=True)
                            ),
                            step=step,
                        )
                    ),
                }
            )
        return {"noun": noun, "rows": body[:-1], "total": body[-1]}

    partial = reports.partial_periods(inputs.conn, periods, bounds, inputs.now)
    return {
        "months": [period_label(month, month in partial) for month in months],
        "tables": [
            table("hours", Kind.HOURS, "Hours", step=False),
            table("wins", Kind.COUNT, "Wins", step=True),
        ],
    }


def funnel_section(inputs: ReportInput) -> dict[str, object] | None:
    """Items → leads → wins per channel (the figures of `netlog funnel`), each win rate with
    its 95% interval drawn as a dot and whisker on one shared scale."""
    from netlog.reports.funnel import plain_line

    funnel = reports.funnel_report(
        inputs.conn,
        inputs.query,
        inputs.config,
        now=inputs.now,
        zone=inputs.zone,
        currency=inputs.summary.currency,
        only=inputs.shown,
        sums=inputs.channel_sums,
    )
    counted = [channel for channel in funnel.channels if channel.row.items]
    if not counted:
        return None  # no items counted: no rates to show
    # One scale for every channel, so that whiskers compare; from 0 to the widest interval.
    scale = max(channel.row.win_rate_high or 0.0 for channel in counted) or 1.0
    with_replies = any(channel.row.replies for channel in funnel.channels)
    rows = []
    for channel in counted:
        row = channel.row
        win_text = figures.interval_text(row.win_rate, row.win_rate_low, row.win_rate_high)
        whisker = None
        if row.win_rate_low is not None and row.win_rate_high is not None:
            whisker = Markup(
                svg.dot_whisker(
                    row.win_rate or 0.0,
                    row.win_rate_low,
                    row.win_rate_high,
                    scale_max=scale,
                    title=f"Wins per item, {row.channel}: {win_text}, 95% interval",
                )
            )
        rows.append(
            {
                "channel": row.channel,
                "line": plain_line(row, channel.word, with_replies=with_replies),
                "win_rate": win_text,
                "lead_rate": figures.interval_text(
                    row.lead_rate, row.lead_rate_low, row.lead_rate_high
                ),
                "whisker": whisker,
            }
        )
    return {"rows": rows, "scale": figures.rate_text(scale)}


# Section name → data function, in page order; each name is a block in both templates.
SECTIONS: dict[str, Callable[[ReportInput], object]] = {
    "verdict": verdict_section,
    "summary": summary_section,
    "chart": chart_section,
    "funnel": funnel_section,
    "trend": trend_section,
}


# --- the page around the sections ----------------------------------------------------------


def _first_and_last(inputs: ReportInput) -> tuple[datetime, datetime] | None:
    bounds = reports.resolve(
        inputs.conn, inputs.query, inputs.config, now=inputs.now, zone=inputs.zone
    )
    first, last = db.time_bounds(
        inputs.conn,
        bounds.start,
        bounds.end,
        bounds.channel_ids,
        credit=bounds.credit,
        **bounds.filters,
    )
    if first is None or last is None:
        return None
    return from_storage(first), from_storage(last)


def period_text(since: str | None, until: str | None) -> str:
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"Since {since}"
    if until:
        return f"Until {until}"
    return "All time"


def period_slug(since: str | None, until: str | None) -> str:
    """The period for a file name: `2010-09-to-2010-12`, `since-2010-09`, `all-time`."""

    def slug(text: str) -> str:
        return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-") or "date"

    if since and until:
        return f"{slug(since)}-to-{slug(until)}"
    if since:
        return f"since-{slug(since)}"
    if until:
        return f"until-{slug(until)}"
    return "all-time"


def default_filename(since: str | None, until: str | None, fmt: str) -> str:
    return f"netlog-report-{period_slug(since, until)}.{fmt}"


def _day(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y}"


def header(inputs: ReportInput) -> dict[str, object]:
    """The title block: the period asked for and covered, the rate, when it was made."""
    query, zone = inputs.query, inputs.zone
    span = _first_and_last(inputs)
    made = inputs.now.astimezone(zone)
    if not inputs.show_money:
        rate = "hidden (--no-money)"
    elif inputs.rate is None:
        rate = "not set (netlog config rate 40 sets one)"
    else:
        rate = figures.money_text(inputs.rate, inputs.summary.currency) + " an hour"
    shown, count = len(inputs.summary.shown), inputs.summary.channel_count
    return {
        "period": period_text(query.since, query.until),
        "covered": f"{_day(span[0], zone)} – {_day(span[1], zone)}" if span else None,
        "channels": ", ".join(query.channels),
        "who": query.who,
        "rate": rate,
        "credit": f"{inputs.summary.credit}: {figures.CREDIT_TEXT[inputs.summary.credit]}",
        "made": made.strftime("%Y-%m-%d %H:%M %Z").strip(),
        "made_iso": made.isoformat(timespec="minutes"),
        "left_out": figures.channels_left_out_note(
            shown, count, "hours", totalled=True, see_all="netlog summary -f csv"
        )
        if shown < count
        else None,
    }


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~!])")


def markdown_escape(value: object) -> object:
    """Text shown literally in Markdown, also inside a table cell; numbers pass as they are."""
    if not isinstance(value, str):
        return value
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def environment(fmt: str) -> jinja2.Environment:
    """HTML autoescapes everything; Markdown escapes every value through `finalize`."""
    loader = jinja2.PackageLoader("netlog.present", "templates")
    if fmt == "html":
        return jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    return jinja2.Environment(
        loader=loader,
        autoescape=False,
        finalize=markdown_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_report(
    conn: sqlite3.Connection,
    query: reports.Query,
    *,
    rate: Decimal | None,
    now: datetime,
    zone: tzinfo,
    fmt: str = "html",
    show_money: bool = True,
) -> str:
    """The whole report as text; NetlogError when no entries match."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    config = Config.from_stored(db.read_settings(conn))
    summary, monthly, month_sums, channel_sums = reports.summary_reports_by(
        conn,
        query,
        config,
        Period.MONTH,
        rate=rate,
        now=now,
        zone=zone,
        limit=figures.MAX_TABLE_CHANNELS,
    )
    if not summary.rows:
        raise NetlogError("no entries match, so there is nothing to report (netlog log lists them)")
    inputs = ReportInput(
        conn=conn,
        query=query,
        config=config,
        rate=rate if rate is not None else config.rate,
        now=now,
        zone=zone,
        show_money=show_money,
        summary=summary,
        monthly=monthly,
        month_sums=month_sums,
        channel_sums=channel_sums,
    )
    sections = {name: build(inputs) for name, build in SECTIONS.items()}
    template = environment(fmt).get_template(f"report.{fmt}.j2")
    return template.render(header=header(inputs), **sections)
