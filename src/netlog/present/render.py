"""Output: Rich tables for people, CSV and JSON for programs. All of it goes to stdout.

Machine formats carry plain values (numbers without symbols, null or an empty cell where a
figure is undefined); only the tables prettify. Entry times are local wall times in CSV, which
spreadsheets read as dates, and ISO 8601 UTC in JSON; both carry the offset and the UTC instant.
"""

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, TYPE_CHECKING, Any

from netlog.model.dates import Period, format_duration, from_storage, period_display
from netlog.model.money import format_money, from_minor, minor_digits
from netlog.model.text import printable
from netlog.reports.summary import ChannelSummary

if TYPE_CHECKING:
    import sqlite3

    from rich.text import Text

    from netlog.reports.insight import ChannelFunnel
    from netlog.reports.views import TrendReport


SUMMARY_COLUMNS = (
    "channel",
    "hours",
    "sessions",
    "activities",
    "reach",
    "leads",
    "wins",
    "revenue",
    "revenue_per_hour",
    "hours_per_win",
    "cost",
    "net",
    "roi",
    # Added in 0.2, after the others so that programs reading columns by position still work.
    "spend",
    "total_cost",
)
ENTRY_COLUMNS = (
    "id",
    "uuid",
    "type",
    "channel",
    "what",
    "minutes",
    "hours",
    "count",
    "kind",
    "label",
    "value",
    "currency",
    "note",
    "tags",
    "occurred_at",
    "occurred_offset",
    "occurred_utc",
    "logged_at",
    "logged_offset",
    "logged_utc",
    "reach_total",
    "sources",
)
_CENT = Decimal("0.01")
_ROI_PLACES = Decimal("0.0001")
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What netlog puts before such text. LibreOffice Calc and Excel show a leading space and keep
# the cell as text, where a leading ' shows in Calc as it is. Text that already starts with a
# space gets one more, so that `netlog import` can take exactly one off.
SPREADSHEET_GUARD = " "
# Local wall time in CSV: the shape Excel, and Calc with "Detect special numbers", read as dates.
_LOCAL_TIME = "%Y-%m-%d %H:%M:%S"


def _rounded(value: Decimal | None, places: Decimal = _CENT) -> Decimal | None:
    return value.quantize(places, ROUND_HALF_UP) if value is not None else None


def summary_values(row: ChannelSummary, currency: str | None = None) -> dict[str, object]:
    """A summary row's machine values, keyed by SUMMARY_COLUMNS (plus period if grouped).
    Amounts have the currency's decimal places (two when no currency is set)."""
    money = Decimal(1).scaleb(-minor_digits(currency))
    values: dict[str, object] = {"period": row.period} if row.period is not None else {}
    values.update(
        channel=row.channel,
        hours=_rounded(row.hours),
        sessions=row.sessions,
        activities=row.activities,
        reach=row.reach,
        leads=row.leads,
        wins=row.wins,
        revenue=_rounded(row.revenue, money),
        revenue_per_hour=_rounded(row.revenue_per_hour, money),
        hours_per_win=_rounded(row.hours_per_win),
        cost=_rounded(row.cost, money),
        net=_rounded(row.net, money),
        roi=_rounded(row.roi, _ROI_PLACES),
        spend=_rounded(row.spend, money),
        total_cost=_rounded(row.total_cost, money),
    )
    return values


def entry_values(row: "sqlite3.Row", zone: tzinfo | None = None) -> dict[str, object]:
    """A stored entry's machine values, keyed by ENTRY_COLUMNS; times in `zone` (default:
    the user's). occurred_at and logged_at are datetimes, which write_csv writes as local
    wall time and write_json as ISO 8601 UTC; *_utc are always the exact stored instants."""
    if zone is None:
        from netlog.model.dates import local_zone

        zone = local_zone()
    occurred = from_storage(row["occurred_at"]).astimezone(zone)
    logged = from_storage(row["logged_at"]).astimezone(zone)
    minutes = row["minutes"]
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "type": row["type"],
        "channel": row["channel"],
        "what": row["what"],
        "minutes": minutes,
        "hours": entry_hours(minutes) if minutes is not None else None,
        "count": row["count"],
        "kind": row["kind"],
        "label": row["label"],
        "value": (
            from_minor(row["value_minor"], row["currency"])
            if row["value_minor"] is not None
            else None
        ),
        "currency": row["currency"],
        "note": row["note"],
        "tags": json.loads(row["tags"]) if row["tags"] else [],
        "occurred_at": occurred,
        "occurred_offset": _offset_minutes(occurred),
        "occurred_utc": row["occurred_at"],
        "logged_at": logged,
        "logged_offset": _offset_minutes(logged),
        "logged_utc": row["logged_at"],
        "reach_total": row["reach_total"],
        "sources": row["sources"].split(",") if row["sources"] else [],
    }


def entry_hours(minutes: int) -> Decimal | None:
    """An entry's minutes as the hours column shows them."""
    return _rounded(Decimal(minutes) / 60)


def _offset_minutes(moment: datetime) -> int:
    """Minutes east of UTC: 60 for BST, -300 for New York in winter."""
    offset = moment.utcoffset()
    return round(offset.total_seconds() / 60) if offset is not None else 0


# --- CSV and JSON ------------------------------------------------------------------------


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will show rather than run: `=1+1` becomes ` =1+1`, which Calc and
    Excel keep as text. Text that already starts with a space gets one more, so that
    spreadsheet_text() can take exactly one off."""
    if text.startswith((*_FORMULA_STARTS, SPREADSHEET_GUARD)):
        return SPREADSHEET_GUARD + text
    return text


def spreadsheet_text(cell: str, guard: str = SPREADSHEET_GUARD) -> str:
    """The text spreadsheet_safe() was given: one leading guard taken off. netlog 0.1.0
    wrote ' as the guard; `netlog import` passes guard="'" for its files."""
    return cell[len(guard) :] if cell.startswith(guard) else cell


_GUARDED_FIRST = frozenset((*_FORMULA_STARTS, SPREADSHEET_GUARD))


def csv_cell(value: object) -> object:
    """A value as a CSV cell: text guarded for spreadsheets, times as local wall time."""
    if value is None:
        return ""
    if type(value) is str:  # the common case first: CSV of a million rows calls this 22M times
        return SPREADSHEET_GUARD + value if value[:1] in _GUARDED_FIRST else value
    if type(value) is int:
        return value
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, list):
        return spreadsheet_safe(",".join(value))
    if isinstance(value, datetime):
        return value.isoformat(" ", "seconds")[:19]  # _LOCAL_TIME, without strftime's cost
    if isinstance(value, Decimal):
        return format(value, "f")  # never 1E+3, which a spreadsheet may read as text
    return value  # numbers stay numbers, negative ones included


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: IO[str]) -> None:
    """RFC 4180 CSV (CRLF line ends, quoting as needed) with a header even when empty."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(csv_cell(row[column]) for column in columns)


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()  # JSON times stay ISO 8601 UTC
    return float(value) if isinstance(value, Decimal) else value


def write_json(rows: Iterable[Mapping[str, object]], out: IO[str]) -> None:
    """A JSON array written one object at a time, so long outputs stream."""
    out.write("[")
    separator = "\n  "
    for row in rows:
        out.write(separator)
        out.write(json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False))
        separator = ",\n  "
    out.write("\n]\n" if separator != "\n  " else "]\n")


# --- tables ------------------------------------------------------------------------------


def _console():
    import os

    from rich.console import Console

    class PipeAwareConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 here; netlog's handler stops quietly with 141, like git log.
            raise BrokenPipeError

    # Piped into a file or a pager, a table need not wrap at Rich's default 80 columns.
    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return PipeAwareConsole(highlight=False, width=160 if wide else None)


def _text(value: str | None, style: str = "") -> "Text":
    from rich.text import Text

    # Text (not markup) shows `[bold]x` literally; printable() stops escape sequences.
    return Text(printable(value) if value else "", style=style)


def _money(value: Decimal | None, currency: str | None) -> str:
    return format_money(value, currency) if value is not None else "–"


def _whole_money(value: Decimal | None, currency: str | None) -> str:
    """Money to the whole unit: enough for a table, and it keeps the table narrow."""
    if value is None:
        return "–"
    return format_money(value.quantize(Decimal(1), ROUND_HALF_UP), currency).rsplit(".", 1)[0]


def _hours(value: Decimal | None) -> str:
    # Half up, like every rounding netlog shows: 15 minutes is 0.3 h here and 0.25 in CSV.
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP):,}" if value is not None else "–"


def _roi(value: Decimal | None) -> str:
    return f"{value * 100:,.0f}%" if value is not None else "–"


def summary_table(
    rows: Sequence[ChannelSummary],
    totals: ChannelSummary,
    *,
    currency: str | None,
    flagged: set[str],
    closing_lines: Sequence[str],
    title: str | None = None,
    by: "Period | None" = None,
) -> None:
    """The summary for people, with a total row; flagged channels in red. On a narrow
    terminal the least telling columns (sessions, items, per hour, hours per win) go."""
    console = _console()
    table = _summary_table(rows, totals, currency, flagged, title, compact=False, by=by)
    if table.__rich_measure__(console, console.options).maximum > console.width:
        table = _summary_table(rows, totals, currency, flagged, title, compact=True, by=by)
    console.print(table)
    for line in closing_lines:
        console.print(_text(line))


def _summary_table(
    rows: Sequence[ChannelSummary],
    totals: ChannelSummary,
    currency: str | None,
    flagged: set[str],
    title: str | None,
    *,
    compact: bool,
    by: "Period | None" = None,
):
    from rich import box
    from rich.table import Table

    grouped = any(row.period is not None for row in rows)
    priced = totals.rate is not None
    spent = bool(totals.spend)
    table = Table(
        title=_text(title) if title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=not compact,
        collapse_padding=compact,
    )
    columns: list[tuple[str, Callable[..., Any]]] = [("Channel", lambda r: _text(r.channel))]
    if grouped:
        columns.insert(
            0,
            (
                "Period",
                lambda r: _text(period_display(r.period, by) if by and r.period else r.period),
            ),
        )
    columns.append(("Hours", lambda r: _hours(r.hours)))
    if not compact:
        columns += [("Sessions", lambda r: str(r.sessions)), ("Items", lambda r: str(r.activities))]
    columns += [
        ("Reach", lambda r: str(r.reach)),
        ("Leads", lambda r: str(r.leads)),
        ("Wins", lambda r: str(r.wins)),
        ("Revenue", lambda r: _whole_money(r.revenue, currency)),
    ]
    if not compact:
        columns += [
            ("Per hour", lambda r: _money(r.revenue_per_hour, currency)),
            ("Hours/win", lambda r: _hours(r.hours_per_win)),
        ]
    if spent:
        columns.append(("Spend", lambda r: _whole_money(r.spend, currency)))
    if priced:
        columns.append(("Cost", lambda r: _whole_money(r.cost, currency)))
    if priced or spent:
        # Net and ROI count the time cost (with a rate) and the spend.
        columns += [
            ("Net", lambda r: _whole_money(r.net, currency)),
            ("ROI", lambda r: _roi(r.roi)),
        ]
    longest_name = max((len(r.channel) for r in rows), default=7)
    for name, _ in columns:
        if name in ("Channel", "Period"):
            table.add_column(name, min_width=min(longest_name, 14), overflow="ellipsis")
        else:
            table.add_column(name, justify="right", no_wrap=True)
    for position, row in enumerate(rows):
        is_flagged = row.channel in flagged
        table.add_row(
            *(cell(row) for _, cell in columns),
            style="red" if is_flagged else None,
            end_section=position == len(rows) - 1,
        )
    total_cells = [cell(totals) for _, cell in columns]
    if grouped:
        total_cells[0] = _text("")
    table.add_row(*total_cells, style="bold")
    return table


def entries_table(rows: Iterable["sqlite3.Row"], zone: tzinfo) -> int:
    """Print entries as a table that fits the terminal; returns how many were shown.

    Columns no row fills are left out. When the table is too wide, the count folds into the
    entry (`bids ×3`), then notes and tags go, before any channel name is cut; what is left
    too long (an entry's text) ends in `…`. A note shows its first line only."""
    cells = [_entry_cells(row, zone) for row in rows]
    if not cells:
        return 0
    console = _console()
    filled = {name for cell in cells for name, value in cell.items() if value}
    for level in range(3):
        table = _entries_table(cells, filled, level)
        if table.__rich_measure__(console, console.options).maximum <= console.width:
            break
    console.print(table)
    return len(cells)


_ENTRY_TABLE_COLUMNS = (  # name, justify, always shown
    ("ID", "right", True),
    ("When", "left", True),
    ("Channel", "left", True),
    ("Entry", "left", True),
    ("Time", "right", False),
    ("Count", "right", False),
    ("Value", "right", False),
    ("Note", "left", False),
    ("Tags", "left", False),
)


def _entry_cells(row: "sqlite3.Row", zone: tzinfo) -> dict[str, str]:
    when = from_storage(row["occurred_at"]).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if row["type"] == "activity":
        entry, duration = row["what"] or "", format_duration(row["minutes"])
    else:
        entry = (row["kind"] or row["type"]) + (f": {row['label']}" if row["label"] else "")
        if row["type"] == "spend" and row["what"]:
            entry = f"spend: {row['what']}"
        duration = ""
    value = (
        format_money(from_minor(row["value_minor"], row["currency"]), row["currency"])
        if row["value_minor"] is not None
        else ""
    )
    note_lines = (row["note"] or "").strip().splitlines()
    note = note_lines[0] + (" …" if len(note_lines) > 1 else "") if note_lines else ""
    return {
        "ID": str(row["id"]),
        "When": when,
        "Channel": row["channel"],
        "Entry": entry,
        "Time": duration,
        "Count": str(row["count"]) if row["count"] != 1 else "",
        "Value": value,
        "Note": note,
        "Tags": ", ".join(json.loads(row["tags"])) if row["tags"] else "",
        "_outcome": "" if row["type"] == "activity" else "yes",
        "_count": str(row["count"]),
    }


def _entries_table(cells: list[dict[str, str]], filled: set[str], level: int):
    """Level 0: every filled column; 1: the count folded into the entry; 2: no notes or tags."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    shown = [
        (name, justify)
        for name, justify, always in _ENTRY_TABLE_COLUMNS
        if (always or name in filled)
        and not (level >= 1 and name == "Count")
        and not (level >= 2 and name in ("Note", "Tags"))
    ]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=level == 0, collapse_padding=level > 0)
    longest_channel = max(len(cell["Channel"]) for cell in cells)
    for name, justify in shown:
        if name == "Channel":
            table.add_column(name, min_width=min(longest_channel, 20), overflow="ellipsis")
        elif name in ("Entry", "Note", "Tags"):
            table.add_column(name, justify=justify, overflow="ellipsis")  # type: ignore[arg-type]
        else:
            table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for cell in cells:
        values = []
        for name, _ in shown:
            text = cell[name]
            if name == "Entry" and level >= 1 and "Count" in filled and cell["Count"]:
                text = f"{text} ×{cell['_count']}".strip()
            style = "cyan" if name == "Entry" and cell["_outcome"] else ""
            values.append(Text(printable(text), style=style, no_wrap=True, overflow="ellipsis"))
        table.add_row(*values)
    return table


def channels_table(rows: Sequence[Mapping[str, Any]], zone: tzinfo) -> None:
    from rich import box
    from rich.table import Table

    def day(stored: object) -> str:
        if not stored:
            return ""
        return from_storage(str(stored)).astimezone(zone).strftime("%Y-%m-%d")

    table = Table(box=box.SIMPLE_HEAD)
    for name, justify in (
        ("Channel", "left"),
        ("Entries", "right"),
        ("Hours", "right"),
        ("First", "left"),
        ("Last", "left"),
        ("Aliases", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(
            _text(str(row["channel"])),
            str(row["entries"]),
            f"{row['hours']:,.1f}",
            day(row["first"]),
            day(row["last"]),
            _text(", ".join(row["aliases"])),
        )
    _console().print(table)


# --- funnel and trend ----------------------------------------------------------------------


def _percent(value: float | None) -> str:
    """`0%`, `4.5%`, `22%`: one decimal below 10%, where it still tells something."""
    if value is None:
        return "–"
    percent = value * 100
    return f"{percent:.1f}%" if 0 < percent < 10 else f"{percent:.0f}%"


def _rate_with_interval(rate: object, low: object, high: object) -> str:
    """`4.5% (0.8–22%)`: the rate and its 95% interval."""
    if rate is None:
        return "–"
    if low is None or high is None:
        return _percent(rate)  # type: ignore[arg-type]
    return f"{_percent(rate)} ({_percent(low).removesuffix('%')}–{_percent(high)})"  # type: ignore[arg-type]


def _figure(value: object, places: int = 1) -> str:
    return "–" if value is None else f"{value:,.{places}f}"


def funnel_table(
    channels: "Sequence[ChannelFunnel]",
    closing_lines: Sequence[str],
    *,
    title: str | None = None,
) -> None:
    """The funnel for people: one line per channel (`22 bids → 1 lead → 0 wins`), its rates
    with their 95% intervals, times, and the verdicts under the table."""
    console = _console()
    for detail in (3, 2, 1, 0):  # drop the less telling columns until the table fits
        table = _funnel_table(channels, title, detail=detail)
        if table.__rich_measure__(console, console.options).maximum <= console.width:
            break
    console.print(table)
    for line in closing_lines:
        console.print(_text(line))


def _funnel_table(channels: "Sequence[ChannelFunnel]", title: str | None, *, detail: int):
    from rich import box
    from rich.table import Table

    from netlog.reports.funnel import funnel_values, plain_line

    table = Table(
        title=_text(title) if title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=detail > 0,
        collapse_padding=detail == 0,
    )
    columns: list[tuple[str, Callable[..., Any]]] = [
        ("Channel", lambda c, v: _text(c.row.channel)),
        ("Funnel", lambda c, v: _text(plain_line(c.row, c.word))),
        ("Win rate (95%)", lambda c, v: _rate_with_interval(*_three(v, "win_rate"))),
    ]
    if detail >= 1:
        columns.append(
            ("Lead rate (95%)", lambda c, v: _rate_with_interval(*_three(v, "lead_rate")))
        )
    if detail >= 3:
        columns += [
            ("Items/lead", lambda c, v: _figure(v["items_per_lead"])),
            ("Items/win", lambda c, v: _figure(v["items_per_win"])),
        ]
    if detail >= 1:
        columns.append(("Hours/lead", lambda c, v: _figure(v["hours_per_lead"])))
    columns.append(("Hours/win", lambda c, v: _figure(v["hours_per_win"])))
    if detail >= 2:
        columns += [
            ("Days to 1st lead", lambda c, v: _figure(v["days_to_first_lead"])),
            ("Days to 1st win", lambda c, v: _figure(v["days_to_first_win"])),
        ]
    if detail >= 3:
        columns.append(("Days lead→win", lambda c, v: _figure(v["days_lead_to_win"])))
    for name, _ in columns:
        table.add_column(name, justify="left" if name in ("Channel", "Funnel") else "right",
                         no_wrap=True)  # fmt: skip
    for channel in channels:
        values = funnel_values(channel.row)
        table.add_row(*(cell(channel, values) for _, cell in columns))
    return table


def _three(values: dict[str, object], rate: str) -> tuple[object, object, object]:
    return values[rate], values[f"{rate}_low"], values[f"{rate}_high"]


def trend_value(metric: str, value: object, currency: str | None) -> object:
    """A trend figure's machine value: hours to 2 places, money to the currency's places,
    counts as they are."""
    if metric in ("items", "leads", "wins"):
        return int(value)  # type: ignore[call-overload]
    places = _CENT if metric == "hours" else Decimal(1).scaleb(-minor_digits(currency))
    return Decimal(value).quantize(places, ROUND_HALF_UP)  # type: ignore[arg-type]


def trend_csv_rows(report: "TrendReport") -> Iterable[dict[str, object]]:
    """One wide row per channel: `channel`, one column per period label, `total`."""
    for row in report.rows:
        values: dict[str, object] = {"channel": row.channel}
        for label, value in zip(report.periods, row.values, strict=True):
            values[label] = trend_value(report.metric, value or 0, report.currency)
        values["total"] = trend_value(report.metric, row.total, report.currency)
        yield values


def trend_json_rows(report: "TrendReport") -> Iterable[dict[str, object]]:
    """{channel, periods: {label: value}, total, direction} per channel."""
    for row in report.rows:
        yield {
            "channel": row.channel,
            "periods": {
                label: _json_value(trend_value(report.metric, value or 0, report.currency))
                for label, value in zip(report.periods, row.values, strict=True)
            },
            "total": trend_value(report.metric, row.total, report.currency),
            "direction": row.direction,
        }


MAX_SPARKLINE = 24  # periods in a table's sparkline: two years of months


def trend_table(report: "TrendReport") -> int:
    """The channel × period grid for people, with a sparkline and a direction per channel
    and a total row. Returns how many periods it shows: the latest that fit the terminal."""
    console = _console()
    texts = [[_trend_cell(report, v) for v in row.values] for row in report.rows]
    texts.append([_trend_cell(report, v) for v in report.totals])
    # Widths worked out from the text (measuring a table of 120 months in Rich takes a
    # second): each column is its widest text plus one space either side.
    widths = [
        max(len(label), *(len(row[index]) for row in texts)) + 2
        for index, label in enumerate(report.periods)
    ]
    channel = max(len("Channel"), *(len(row.channel) for row in report.rows)) + 2
    total = max(len("Total"), len(_trend_cell(report, report.total))) + 2
    spark = min(len(report.periods), MAX_SPARKLINE) + 2
    room = console.width - channel - total - max(spark, len("Trend") + 2) - len("Direction") - 4
    shown = 0
    while shown < len(widths) and room >= widths[-1 - shown]:
        room -= widths[-1 - shown]
        shown += 1
    shown = max(shown, 1)
    table = _trend_table(report, shown)
    while shown > 1 and table.__rich_measure__(console, console.options).maximum > console.width:
        shown -= 1
        table = _trend_table(report, shown)
    console.print(table)
    return shown


def _trend_cell(report: "TrendReport", value: object) -> str:
    if value is None:
        return "–"
    if report.metric in ("items", "leads", "wins"):
        return f"{value:,}"
    if report.metric == "hours":
        return f"{value:,.1f}"
    return _whole_money(Decimal(value), report.currency)  # type: ignore[arg-type]


def _trend_table(report: "TrendReport", shown: int):
    from rich import box
    from rich.table import Table

    from netlog.reports.trend import sparkline

    first = len(report.periods) - shown

    def cell(value: object) -> str:
        return _trend_cell(report, value)

    table = Table(
        title=_text(f"{report.metric.capitalize()} by {report.by.value}"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Channel", overflow="ellipsis", min_width=7)
    for label in report.periods[first:]:
        table.add_column(label, justify="right", no_wrap=True)
    table.add_column("Total", justify="right", no_wrap=True)
    table.add_column("Trend", no_wrap=True)
    table.add_column("Direction", no_wrap=True)
    for position, row in enumerate(report.rows):
        line = sparkline([float(value or 0) for value in row.values][-MAX_SPARKLINE:])
        table.add_row(
            _text(row.channel),
            *(cell(value) for value in row.values[first:]),
            cell(row.total),
            line,
            row.direction,
            end_section=position == len(report.rows) - 1,
        )
    table.add_row(
        "Total",
        *(cell(value) for value in report.totals[first:]),
        cell(report.total),
        "",
        "",
        style="bold",
    )
    return table
