"""Output: Rich tables for people, CSV and JSON for programs. All of it goes to stdout.

Machine formats carry plain values (numbers without symbols, ISO times in UTC, null or an
empty cell where a figure is undefined); only the tables prettify.
"""

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, TYPE_CHECKING

from netlog.dates import format_duration, from_storage
from netlog.money import format_money, from_minor
from netlog.summary import ChannelSummary
from netlog.text import printable

if TYPE_CHECKING:
    import sqlite3

    from rich.text import Text


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
)
ENTRY_COLUMNS = (
    "id",
    "uuid",
    "type",
    "channel",
    "what",
    "minutes",
    "count",
    "kind",
    "label",
    "value",
    "currency",
    "note",
    "tags",
    "occurred_at",
    "logged_at",
    "reach_total",
    "sources",
)
_CENT = Decimal("0.01")
_ROI_PLACES = Decimal("0.0001")
# A spreadsheet runs a cell that starts with one of the first six as a formula; a leading
# quote is escaped too, so that `netlog import` can undo exactly one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _rounded(value: Decimal | None, places: Decimal = _CENT) -> Decimal | None:
    return value.quantize(places, ROUND_HALF_UP) if value is not None else None


def summary_values(row: ChannelSummary) -> dict[str, object]:
    """A summary row's machine values, keyed by SUMMARY_COLUMNS (plus period if grouped)."""
    values: dict[str, object] = {"period": row.period} if row.period is not None else {}
    values.update(
        channel=row.channel,
        hours=_rounded(row.hours),
        sessions=row.sessions,
        activities=row.activities,
        reach=row.reach,
        leads=row.leads,
        wins=row.wins,
        revenue=_rounded(row.revenue),
        revenue_per_hour=_rounded(row.revenue_per_hour),
        hours_per_win=_rounded(row.hours_per_win),
        cost=_rounded(row.cost),
        net=_rounded(row.net),
        roi=_rounded(row.roi, _ROI_PLACES),
    )
    return values


def entry_values(row: "sqlite3.Row") -> dict[str, object]:
    """A stored entry's machine values, keyed by ENTRY_COLUMNS."""
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "type": row["type"],
        "channel": row["channel"],
        "what": row["what"],
        "minutes": row["minutes"],
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
        "occurred_at": row["occurred_at"],
        "logged_at": row["logged_at"],
        "reach_total": row["reach_total"],
        "sources": row["sources"].split(",") if row["sources"] else [],
    }


# --- CSV and JSON ------------------------------------------------------------------------


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will show rather than run: `=1+1` becomes `'=1+1`. Text that
    already starts with ' gets one more, so that `netlog import` can take exactly one off."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, list):
        return spreadsheet_safe(",".join(value))
    return value  # numbers stay numbers, negative ones included


def write_csv(rows: Iterable[dict[str, object]], columns: Sequence[str], out: IO[str]) -> None:
    """RFC 4180 CSV (CRLF line ends, quoting as needed) with a header even when empty."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_csv_cell(row[column]) for column in columns)


def _json_value(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def write_json(rows: Iterable[dict[str, object]], out: IO[str]) -> None:
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

    # Piped into a file or a pager, a table need not wrap at Rich's default 80 columns.
    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(highlight=False, width=160 if wide else None)


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
    return f"{value:,.1f}" if value is not None else "–"


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
) -> None:
    """The summary for people, with a total row; flagged channels in red. On a narrow
    terminal the least telling columns (sessions, items, per hour, hours per win) go."""
    console = _console()
    table = _summary_table(rows, totals, currency, flagged, title, compact=False)
    if table.__rich_measure__(console, console.options).maximum > console.width:
        table = _summary_table(rows, totals, currency, flagged, title, compact=True)
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
):
    from rich import box
    from rich.table import Table

    grouped = any(row.period is not None for row in rows)
    priced = totals.rate is not None
    table = Table(
        title=_text(title) if title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=not compact,
        collapse_padding=compact,
    )
    columns: list[tuple[str, object]] = [("Channel", lambda r: _text(r.channel))]
    if grouped:
        columns.insert(0, ("Period", lambda r: _text(r.period)))
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
    if priced:
        columns += [
            ("Cost", lambda r: _whole_money(r.cost, currency)),
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
            table.add_column(name, justify=justify, overflow="ellipsis", ratio=None)
        else:
            table.add_column(name, justify=justify, no_wrap=True)
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


def channels_table(rows: Sequence[dict[str, object]], zone: tzinfo) -> None:
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
        table.add_column(name, justify=justify)
    for row in rows:
        table.add_row(
            _text(str(row["channel"])),
            str(row["entries"]),
            f"{row['hours']:,.1f}",
            day(row["first"]),
            day(row["last"]),
            _text(", ".join(row["aliases"])),  # type: ignore[arg-type]
        )
    _console().print(table)
