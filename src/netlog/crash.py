"""Crash reports: what a bug leaves behind instead of a traceback on the user's terminal."""

import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from netlog import __version__
from netlog.paths import default_db_path


def redact(argv: list[str]) -> list[str]:
    """The command's shape without the user's data: the command (and subcommand) names,
    option names, and `…` for every value (channel names, notes and paths can be private)."""
    shown: list[str] = []
    command: list[str] = []
    for arg in argv:
        if arg.startswith("-"):
            shown.append(arg.split("=", 1)[0] + ("=…" if "=" in arg else ""))
        elif not command or (len(command) == 1 and command[0] in ("channels", "budget")):
            command.append(arg)
            if shown[-1:] == ["--db"]:  # the global option's value, not the command
                command.pop()
                shown.append("…")
            else:
                shown.append(arg.encode("utf-8", "backslashreplace").decode()[:20])
        else:
            shown.append("…")
    return shown


def report_crash(exc: BaseException, argv: list[str]) -> str:
    """Write a crash report to the data folder (else the temp folder); returns the one line
    to show the user."""
    import tempfile

    made = datetime.now(UTC)
    text = "".join(
        [
            f"netlog {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n",
            f"time: {made.isoformat()}\n",
            f"command: netlog {' '.join(redact(argv))}\n\n",
            *traceback.format_exception(exc),
        ]
    )
    name = f"crash-{made:%Y%m%d-%H%M%S}.txt"
    for folder in (default_db_path().parent, Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError:
            continue
        return (
            f"netlog hit a bug ({type(exc).__name__}); nothing more was written. A report is in "
            f"{path}: please send it to the developers"
        )
    return f"netlog hit a bug ({type(exc).__name__}); nothing more was written"
