"""Output: Rich tables for people, CSV and JSON for programs. All of it goes to stdout.

Machine formats carry plain values (numbers without symbols, null or an empty cell where a
figure is undefined); only the tables prettify. Entry times are local wall times in CSV, which
spreadsheets read as dates, and ISO 8601 UTC in JSON; both carry the offset and the UTC instant.
"""

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from functools import cache
from typing import IO, TYPE_CHECKING, Any

from netlog.model.dates import from_storage
from netlog.model.durations import format_duration
from netlog.model.money import from_minor
from netlog.model.periods import Period, period_display
from netlog.model.text import printable
from netlog.present import figures
from netlog.present.cells import (
    ENTRY_COLUMNS,
    FORMULA_STARTS,
    SPREADSHEET_GUARD,
    spreadsheet_safe,
    spreadsheet_text,
)
from netlog.present.charset import as_utf8
from netlog.present.figures import SUMMARY_COLUMNS, Column, Kind

if TYPE_CHECKING:
    import sqlite3

    from rich.text import Text

    from netlog.reports.insight import ChannelFunnel
    from netlog.reports.summary import ChannelSummary  # `export` and `log` need none of it
    from netlog.reports.views import TrendReport


__all__ = ["ENTRY_COLUMNS", "SUMMARY_COLUMNS", "spreadsheet_text"]
# Local wall time in CSV: the shape Excel, and Calc with "Detect special numbers", read as dates.
_LOCAL_TIME = "%Y-%m-%d %H:%M:%S"


def summary_values(
    row: "ChannelSummary", currency: str | None = None, columns: Sequence[str] = SUMMARY_COLUMNS
) -> dict[str, object]:
    """A summary row's machine values, keyed by `columns` (plus period if grouped), each
    rounded by figures.value: amounts have the currency's decimal places."""
    values: dict[str, object] = {"period": row.period} if row.period is not None else {}
    kinds = figures.summary_kinds(columns)
    values.update((key, figures.value(kinds[key], getattr(row, key), currency)) for key in columns)
    return values


def funnel_values(row: object) -> dict[str, object]:
    """A funnel row's machine values in FUNNEL_COLUMNS order: rates to 4 places, ratios and
    hours to 2, days to 1; None stays None."""
    return {
        key: figures.value(figures.funnel_kind(key), getattr(row, key))
        for key in figures.FUNNEL_COLUMNS
    }


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
        "device": row["device"],
        "device_id": row["device_id"],
        "person": row["person"],
    }


def entry_hours(minutes: int) -> Decimal | None:
    """An entry's minutes as the hours column shows them."""
    return figures.value(Kind.HOURS, Decimal(minutes) / 60)  # type: ignore[return-value]


def _offset_minutes(moment: datetime) -> int:
    """Minutes east of UTC: 60 for BST, -300 for New York in winter."""
    offset = moment.utcoffset()
    return offset // timedelta(minutes=1) if offset is not None else 0


# --- CSV and JSON ------------------------------------------------------------------------


_GUARDED_FIRST = frozenset((*FORMULA_STARTS, SPREADSHEET_GUARD))


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
    writer = csv.writer(as_utf8(out), lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(csv_cell(row[column]) for column in columns)


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()  # JSON times stay ISO 8601 UTC
    if isinstance(value, Decimal):
        # The figure CSV writes: 1200 yen stays 1200, not 1200.0 (str() is the cheap test).
        text = str(value)
        return float(value) if "." in text or "E" in text else int(text)
    return value


def write_json(rows: Iterable[Mapping[str, object]], out: IO[str]) -> None:
    """A JSON array written one object at a time, so long outputs stream."""
    out = as_utf8(out)
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


def terminal_width() -> int:
    """The width tables fit: the terminal's, COLUMNS, or 160 when piped."""
    return int(_console().width)


def _show(console, *renderables: object) -> None:
    """Print to stdout; piped, without the spaces Rich pads lines with."""
    if console.is_terminal:
        for renderable in renderables:
            console.print(renderable)
        return
    with console.capture() as captured:
        for renderable in renderables:
            console.print(renderable)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def _text(value: str | None, style: str = "") -> "Text":
    from rich.text import Text

    # Text (not markup) shows `[bold]x` literally; printable() stops escape sequences.
    return Text(printable(value) if value else "", style=style)


def _width(table: Any, console: Any) -> int:
    return int(table.__rich_measure__(console, console.options).maximum)


_NAME_WIDTH = 24  # a longer channel name wraps in its column rather than being cut


def _fitted(console: Any, columns: Sequence[Column], build: Callable[..., Any]):
    """build(columns) (a _table) as a table that fits the console: compact padding first,
    then whole columns left out by priority (highest first, the rightmost of a tie first;
    never priority 0). Returns the table and the headers left out, in table order."""
    shown = list(columns)
    table = build(shown)
    if _width(table, console) <= console.width:
        return table, []
    while True:
        _compact(table)  # the same table: its cells are measured once
        droppable = [c for c in shown if c.priority > 0]
        if _width(table, console) <= console.width or not droppable:
            break
        dropped = max(droppable, key=lambda c: (c.priority, shown.index(c)))
        table = table.without(shown.index(dropped))  # not built again: its cells are made
        shown.remove(dropped)
    return table, [c.header for c in columns if c not in shown]


@cache
def _widest_cells_table() -> type:
    """rich.table.Table, measuring each column by its widest cells only.

    Rich measures every cell of a column each time it measures it: twice per measure of the
    table, once more to print it, and _fitted may measure five tables. At a thousand rows
    (`summary --by month` over ten years) that was seconds. A column's measurement is the
    largest minimum and the largest maximum of its cells', and those of plain text are its
    longest word and its longest line (rich.text.Text.__rich_measure__), so the cells with
    the longest word and the longest line measure the same as all of them.

    It renders the common table (every cell one line of plain text that fits) without Rich
    rendering each cell: netlog.present.table_lines, the same Segments."""
    from rich.table import Table

    class WidestCellsTable(Table):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # column index → (its number of cells when chosen, a copy with the widest only)
            self._widest: dict[int, tuple[int, Any]] = {}

        def _measure_column(self, console, options, column):
            cells = column._cells
            widest = self._widest.get(column._index)
            if widest is None or widest[0] != len(cells):
                widest = (len(cells), replace(column, _cells=_widest_cells(cells)))
                self._widest[column._index] = widest
            return super()._measure_column(console, options, widest[1])

        def without(self, index: int) -> "WidestCellsTable":
            """The table without its column `index`: the same settings, rows and cells, and
            the other columns' widest cells, without adding the rows again."""
            import copy

            smaller = copy.copy(self)
            kept = self.columns[:index] + self.columns[index + 1 :]
            smaller.columns = [replace(column, _index=i) for i, column in enumerate(kept)]
            smaller._widest = {
                i: (
                    self._widest[column._index][0],
                    replace(self._widest[column._index][1], _index=i),
                )
                for i, column in enumerate(kept)
                if column._index in self._widest
            }
            return smaller

        def _render(self, console, options, widths):
            from netlog.present.table_lines import table_segments

            segments = table_segments(self, console, options, widths)
            if segments is None:
                yield from super()._render(console, options, widths)
            else:
                yield from segments

    return WidestCellsTable


def _widest_cells(cells: Sequence[Any]) -> list[Any]:
    """The cells with the longest word and the longest line, and every cell that is not plain
    text (a str with markup or an :emoji: code, another renderable): those Rich must measure."""
    from rich.text import Text

    kept: list[Any] = []
    measure = _line_and_word
    longest_word = longest_line = -1
    word_cell = line_cell = None
    for cell in cells:
        kind = type(cell)
        if kind is str:  # most cells: a figure
            if "[" in cell or ":" in cell:
                kept.append(cell)
                continue
            line, word = measure(cell)
        elif kind is Text or isinstance(cell, Text):
            line, word = measure(cell.plain)
        else:
            kept.append(cell)
            continue
        if line > longest_line:
            longest_line, line_cell = line, cell
        if word > longest_word:
            longest_word, word_cell = word, cell
    chosen = {id(c): c for c in (line_cell, word_cell) if c is not None}
    return kept + list(chosen.values())


def _table(title: str | None, compact: bool):
    from rich import box

    table = _widest_cells_table()(
        title=_text(title) if title else None, title_justify="left", box=box.SIMPLE_HEAD
    )
    if compact:
        _compact(table)
    return table


def _compact(table: Any) -> None:
    """Compact padding: no space at the table's edges, one between columns."""
    table.pad_edge = False
    table.collapse_padding = True


def _add_column(table: Any, column: Column, names: Sequence[str] = ()) -> None:
    if column.key == "channel" or (column.kind is Kind.TEXT and column.key != "period"):
        longest = max((len(word) for name in names for word in name.split()), default=7)
        table.add_column(
            column.header,
            min_width=min(max(longest, len(column.header)), _NAME_WIDTH),
            max_width=_NAME_WIDTH if column.key == "channel" else None,
            overflow="fold",
        )
    elif column.kind is Kind.TEXT:
        table.add_column(column.header, no_wrap=True)
    else:
        table.add_column(column.header, justify="right", no_wrap=True)


def summary_columns(
    totals: "ChannelSummary", by: "Period | None", chosen: Sequence[str] | None = None
) -> list[Column]:
    """The summary table's columns: `chosen` (--columns), else those the figures fill
    (Replies with replies, Spend with spend, Cost with a rate, Net and ROI with either)."""
    spec = figures.by_key(figures.SUMMARY)
    priced, spent = totals.rate is not None, bool(totals.spend)
    if chosen is None:
        chosen = [
            key
            for key in figures.SUMMARY_TABLE
            if (key != "spend" or spent)
            and (key != "replies" or totals.replies)
            and (key != "cost" or priced)
            and (key not in ("net", "roi") or priced or spent)
        ]
    return ([figures.PERIOD] if by is not None else []) + [spec[key] for key in chosen]


@cache
def _line_and_word(plain: str) -> tuple[int, int]:
    """The widths of the longest line and the longest word, as Rich measures text (a table's
    cells repeat: `£0`, `–`)."""
    cell_len = _cell_len()
    if " " not in plain and plain.isprintable():  # one line, one word (most cells)
        width = cell_len(plain)
        return width, width
    line = max((cell_len(part) for part in plain.splitlines()), default=0)
    return line, max((cell_len(part) for part in plain.split()), default=line)


@cache
def _cell_len() -> Callable[[str], int]:
    """rich.cells.cell_len, imported once: an import statement in a function that runs for
    every cell of a thousand rows costs more than the cell_len."""
    from rich.cells import cell_len

    return cell_len


def summary_table(
    rows: Sequence["ChannelSummary"],
    totals: "ChannelSummary",
    *,
    currency: str | None,
    flagged: set[str],
    closing_lines: Sequence[str],
    title: str | None = None,
    by: "Period | None" = None,
    chosen: Sequence[str] | None = None,
) -> list[str]:
    """The summary for people, with a total row; flagged channels in red. Returns the
    headers of the columns left out to fit the terminal."""
    console = _console()
    columns = summary_columns(totals, by, chosen)

    names = [row.channel for row in rows]

    def cells(column: Column) -> list[Any]:
        """The column's cells: one per row, then the total row's."""
        if column.key == "period":
            return [
                _text(period_display(row.period, by) if by and row.period else row.period)
                for row in rows
            ] + [_text("")]
        if column.key == "channel":
            return [_text(row.channel) for row in (*rows, totals)]
        kind, key = column.kind, column.key
        return [figures.text(kind, getattr(row, key), currency) for row in (*rows, totals)]

    def build(shown: Sequence[Column]):
        table = _table(title, compact=False)
        for column in shown:
            _add_column(table, column, names)
        columns_cells = [cells(column) for column in shown]
        last = len(rows) - 1
        for position, row in enumerate(rows):
            table.add_row(
                *(column_cells[position] for column_cells in columns_cells),
                style="red" if row.channel in flagged else None,
                end_section=position == last,
            )
        table.add_row(*(column_cells[-1] for column_cells in columns_cells), style="bold")
        return table

    table, left_out = _fitted(console, columns, build)
    _show(console, table, *(_text(line) for line in closing_lines))
    return left_out


def entries_table(
    rows: Iterable["sqlite3.Row"], zone: tzinfo, *, who: bool = False
) -> tuple[int, list[str]]:
    """Print entries as a table that fits the terminal (columns: figures.LOG); `who`: with
    the device and person that logged each.

    Columns no row fills are left out. When the table is too wide, the count folds into the
    entry (`bids ×3`), then notes and tags go; a channel name is never cut (it wraps), what
    is left too long (an entry's text) ends in `…`. A note shows its first line only.
    Returns how many entries it shows and the headers of the filled columns it left out."""
    cells = [_entry_cells(row, zone, who) for row in rows]
    if not cells:
        return 0, []
    console = _console()
    filled = {name for cell in cells for name, value in cell.items() if value}
    for level in range(3):
        table = _entries_table(cells, filled, level)
        if table.__rich_measure__(console, console.options).maximum <= console.width:
            break
    _show(console, table)
    left_out = [c.header for c in figures.LOG if c.priority > 2 - level and c.header in filled]
    return len(cells), [header for header in left_out if header != "Count"]  # Count folds in


def _entry_cells(row: "sqlite3.Row", zone: tzinfo, who: bool = False) -> dict[str, str]:
    when = from_storage(row["occurred_at"]).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if row["type"] == "activity":
        entry = row["what"] or ""
        # No minutes: items counted from an export (the tags say which).
        duration = format_duration(row["minutes"]) if row["minutes"] is not None else "—"
        entry = entry or ("items" if row["minutes"] is None else "")
    else:
        entry = (row["kind"] or row["type"]) + (f": {row['label']}" if row["label"] else "")
        if row["type"] == "spend" and row["what"]:
            entry = f"spend: {row['what']}"
        duration = ""
    value = (
        figures.money_text(from_minor(row["value_minor"], row["currency"]), row["currency"])
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
        "Device": (row["device"] or "") if who else "",
        "Person": (row["person"] or "") if who else "",
        "_outcome": "" if row["type"] == "activity" else "yes",
        "_count": str(row["count"]),
    }


def _entries_table(cells: list[dict[str, str]], filled: set[str], level: int):
    """Level 0: every filled column; 1: the count folded into the entry; 2: no notes or tags."""
    from rich import box
    from rich.text import Text

    shown = [
        (column.header, "left" if column.kind is Kind.TEXT else "right")
        for column in figures.LOG
        if (column.key in figures.LOG_ALWAYS or column.header in filled)
        and column.priority <= 2 - level
    ]
    table = _widest_cells_table()(
        box=box.SIMPLE_HEAD, pad_edge=level == 0, collapse_padding=level > 0
    )
    longest_channel = max(len(cell["Channel"]) for cell in cells)
    for name, justify in shown:
        if name == "Channel":
            table.add_column(name, min_width=min(longest_channel, 20), overflow="fold")
        elif name in ("Entry", "Note", "Tags"):
            table.add_column(name, justify=justify, overflow="ellipsis")
        else:
            table.add_column(name, justify=justify, no_wrap=True)
    for cell in cells:
        values = []
        for name, _ in shown:
            text = cell[name]
            if name == "Entry" and level >= 1 and "Count" in filled and cell["Count"]:
                text = f"{text} ×{cell['_count']}".strip()
            style = "cyan" if name == "Entry" and cell["_outcome"] else ""
            if name == "Channel":  # a channel name is never cut: it wraps
                values.append(Text(printable(text), overflow="fold"))
            else:
                values.append(Text(printable(text), style=style, no_wrap=True, overflow="ellipsis"))
        table.add_row(*values)
    return table


def channels_table(rows: Sequence[Mapping[str, Any]], zone: tzinfo) -> None:
    from rich import box

    def day(stored: object) -> str:
        if not stored:
            return ""
        return from_storage(str(stored)).astimezone(zone).strftime("%Y-%m-%d")

    table = _widest_cells_table()(box=box.SIMPLE_HEAD)
    for name, justify in (
        ("Channel", "left"),
        ("Entries", "right"),
        ("Hours", "right"),
        ("First", "left"),
        ("Last", "left"),
        ("Aliases", "left"),
    ):
        table.add_column(name, justify=justify)
    for row in rows:
        table.add_row(
            _text(str(row["channel"])),
            str(row["entries"]),
            figures.hours_text(row["hours"]),
            day(row["first"]),
            day(row["last"]),
            _text(", ".join(row["aliases"])),
        )
    console = _console()
    _show(console, table)


# --- funnel and trend ----------------------------------------------------------------------


def funnel_columns(
    chosen: Sequence[str] | None = None, *, with_replies: bool = False
) -> list[Column]:
    spec = figures.by_key(figures.FUNNEL)
    return [spec[key] for key in (chosen or figures.funnel_table_keys(with_replies))]


def funnel_table(
    channels: "Sequence[ChannelFunnel]",
    closing_lines: Sequence[str],
    *,
    title: str | None = None,
    chosen: Sequence[str] | None = None,
) -> list[str]:
    """The funnel for people: one line per channel (`22 bids → 1 lead → 0 wins`), its rates
    with their 95% intervals, times, and the verdicts under the table. Returns the headers
    of the columns left out to fit the terminal."""
    from netlog.reports.funnel import plain_line

    console = _console()
    with_replies = any(channel.row.replies for channel in channels)

    def cell(column: Column, channel: "ChannelFunnel") -> Any:
        # From the figures themselves, not the CSV's: 1/22 is 4.5%, though 0.0455 is 4.6%.
        row = channel.row
        if column.key == "channel":
            return _text(row.channel)
        if column.key == "funnel":
            return _text(plain_line(row, channel.word, with_replies=with_replies))
        if column.kind is Kind.INTERVAL:
            low, high = figures.interval_keys(column.key)
            ends = getattr(row, low), getattr(row, high)
            return figures.interval_text(getattr(row, column.key), *ends)
        return figures.text(column.kind, getattr(row, column.key))

    def build(shown: Sequence[Column]):
        table = _table(title, compact=False)
        for column in shown:
            _add_column(table, column, [channel.row.channel for channel in channels])
        for channel in channels:
            table.add_row(*(cell(column, channel) for column in shown))
        return table

    columns = funnel_columns(chosen, with_replies=with_replies)
    table, left_out = _fitted(console, columns, build)
    _show(console, table, *(_text(line) for line in closing_lines))
    return left_out


def trend_csv_rows(report: "TrendReport") -> Iterable[dict[str, object]]:
    """One wide row per channel: `channel`, one column per period label, `total`, and the
    credit rule."""
    kind = figures.metric_kind(report.metric)
    zero = figures.value(kind, 0, report.currency)  # most cells of many channels: once
    for row in report.rows:
        values: dict[str, object] = {"channel": row.channel}
        for label, value in zip(report.periods, row.values, strict=True):
            values[label] = figures.value(kind, value, report.currency) if value else zero
        values["total"] = figures.value(kind, row.total, report.currency)
        values["credit"] = report.credit
        yield values


def trend_json_rows(report: "TrendReport") -> Iterable[dict[str, object]]:
    """{channel, periods: {label: value}, total, direction} per channel."""
    kind = figures.metric_kind(report.metric)
    for row in report.rows:
        yield {
            "channel": row.channel,
            "periods": {
                label: _json_value(figures.value(kind, value or 0, report.currency))
                for label, value in zip(report.periods, row.values, strict=True)
            },
            "total": figures.value(kind, row.total, report.currency),
            "direction": row.direction,
            "partial": list(report.partial),
            "credit": report.credit,
        }


def grid_rows(
    metric: str,
    periods: Sequence[str],
    rows: Iterable[tuple[str, Sequence[object], object]],
    currency: str | None,
) -> Iterable[dict[str, object]]:
    """Machine rows of a channel × period grid: {channel, <period>…, total} per row."""
    kind = figures.metric_kind(metric)
    for channel, cells, row_total in rows:
        values: dict[str, object] = {"channel": channel}
        values.update(
            (period, figures.value(kind, cell, currency))
            for period, cell in zip(periods, cells, strict=True)
        )
        values["total"] = figures.value(kind, row_total, currency)
        yield values


MAX_SPARKLINE = 24  # periods in a table's sparkline: two years of months


def trend_table(report: "TrendReport") -> int:
    """The channel × period grid for people, with a sparkline and a direction per channel
    and a total row. Returns how many periods it shows: the latest that fit the terminal."""
    from netlog.reports.trend import sparkline

    rows = [
        (
            row.channel,
            row.values,
            row.total,
            [
                sparkline([float(value or 0) for value in row.values][-MAX_SPARKLINE:]),
                row.direction,
            ],
        )
        for row in report.rows
    ]
    return grid_table(
        figures.with_credit(f"{report.metric.capitalize()} by {report.by.value}", report.credit),
        report.metric,
        [figures.period_label(label, label in report.partial) for label in report.periods],
        rows,
        (report.totals, report.total),
        report.currency,
        extra=("Trend", "Direction"),
    )


def grid_table(
    title: str,
    metric: str,
    periods: Sequence[str],
    rows: Sequence[tuple[str, Sequence[object], object, Sequence[str]]],
    totals: tuple[Sequence[object], object],
    currency: str | None,
    *,
    extra: Sequence[str] = (),
) -> int:
    """A channel × period table of one metric (trend, `summary --wide`): a row per channel
    (name, cells, total, texts for the `extra` columns) and a total row. Returns how many
    periods it shows: the latest that fit the terminal (at least one)."""
    kind = figures.metric_kind(metric)

    def shown(value: object) -> str:
        return figures.text(kind, value, currency)

    console = _console()
    texts = [[shown(v) for v in cells] for _, cells, _, _ in rows] + [[shown(v) for v in totals[0]]]
    # Widths worked out from the text (measuring a table of 120 months in Rich takes a
    # second): each column is its widest text plus one space either side.
    widths = [
        max(len(label), *(len(row[index]) for row in texts)) + 2
        for index, label in enumerate(periods)
    ]
    names = [channel for channel, _, _, _ in rows]
    longest = max(len("Channel"), *(len(name) for name in names))
    fixed = min(longest, _NAME_WIDTH) + 2
    fixed += max(len("Total"), *(len(shown(r[2])) for r in rows), len(shown(totals[1]))) + 2
    for index, header in enumerate(extra):
        fixed += max(len(header), *(len(r[3][index]) for r in rows)) + 2
    room = console.width - fixed - 2
    count = 0
    while count < len(widths) and room >= widths[-1 - count]:
        room -= widths[-1 - count]
        count += 1
    count = max(count, 1)

    def build(count: int):
        first = len(periods) - count
        table = _table(title, compact=False)
        _add_column(table, Column("channel", "Channel", Kind.TEXT, 0), names)
        for label in periods[first:]:
            table.add_column(label, justify="right", no_wrap=True)
        table.add_column("Total", justify="right", no_wrap=True)
        for header in extra:
            table.add_column(header, no_wrap=True)
        for position, (channel, cells, row_total, more) in enumerate(rows):
            table.add_row(
                _text(channel),
                *(shown(value) for value in cells[first:]),
                shown(row_total),
                *more,
                end_section=position == len(rows) - 1,
            )
        table.add_row(
            "Total",
            *(shown(value) for value in totals[0][first:]),
            shown(totals[1]),
            *("" for _ in extra),
            style="bold",
        )
        return table

    table = build(count)
    while count > 1 and _width(table, console) > console.width:
        count -= 1
        table = build(count)
    _show(console, table)
    return count
