"""`netlog report`: the summary as one page to look at and share (HTML, or Markdown).

Only typer and netlog.commands.common at import: Jinja2 and the report code load when the command
runs, so registering it costs the other commands nothing.
"""

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated

import typer

from netlog.commands.common import (
    ChannelFilterOption,
    CreditOption,
    RateOption,
    SinceOption,
    UntilOption,
    WhoOption,
    add_commands,
    db_path_for,
    handle_errors,
    now_and_zone,
    say,
)
from netlog.commands.reports import hourly_rate
from netlog.errors import NetlogError


class ReportFormat(StrEnum):
    HTML = "html"
    MD = "md"


@handle_errors
def report(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    channel: ChannelFilterOption = None,
    rate: RateOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write here (default: stdout when piped, else netlog-report-PERIOD.html).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="html (one self-contained page) or md (default: from FILE's suffix, else html).",
            show_default=False,
        ),
    ] = None,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the written file in your browser.")
    ] = False,
    no_money: Annotated[
        bool, typer.Option("--no-money", help="Hide every amount, the hourly rate included.")
    ] = False,
    credit: CreditOption = None,
    who: WhoOption = None,
) -> None:
    """Write a report to look at and share: verdict, table, charts.

    One HTML file with everything inline (no scripts, nothing fetched when opened), or the
    same content as Markdown tables. Its figures are those of `netlog summary`.

    \b
    Examples:
      netlog report --open
      netlog report --since 2010-09 --until 2010-12 -o autumn.html
      netlog report --no-money --format md > report.md
      netlog demo --save demo.db && netlog --db demo.db report --open
    """
    from netlog.present import report_page
    from netlog.reports import views as reports
    from netlog.store import db

    if fmt is None:
        fmt = ReportFormat.MD if output and output.suffix.lower() == ".md" else ReportFormat.HTML
    path = db_path_for(ctx)
    now, zone = now_and_zone()
    query = reports.Query(since=since, until=until, channels=channel or (), credit=credit, who=who)
    with db.connection(path, create=False) as conn:
        hourly = hourly_rate(rate, conn)  # in the file's currency: BHD 10.125
        if conn is None:
            from netlog.model.date_parsing import parse_range

            parse_range(since, until, now=now, zone=zone)  # bad dates are errors even here
            raise NetlogError(
                f"no entries yet in {path}, so there is nothing to report "
                "(try it on the demo: netlog demo --save demo.db && netlog --db demo.db report)"
            )
        text = report_page.render_report(
            conn, query, rate=hourly, now=now, zone=zone, fmt=fmt.value, show_money=not no_money
        )
    if output is None and (open_ or sys.stdout.isatty()):
        output = Path(report_page.default_filename(since, until, fmt.value))
    if output is None:
        from netlog.present.charset import as_utf8

        as_utf8(sys.stdout).write(text)
        return
    from netlog.io.output import write_output

    def write(out: IO[str]) -> None:
        out.write(text)

    write_output(output, write, newline="\n")
    say(f"Wrote {output}")
    if open_:
        import webbrowser

        webbrowser.open(output.expanduser().resolve().as_uri())


COMMANDS: dict[str, Callable[..., None]] = {"report": report}


def register(app: typer.Typer, only: str | None = None) -> None:
    """Add `report` to `app`; a second call on the same app does nothing."""
    if any(command.name == "report" for command in app.registered_commands):
        return
    add_commands(app, COMMANDS, only)
