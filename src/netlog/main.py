"""The `netlog` console script: the logging commands start on a small app of their own.

`netlog add`, `outcome` and `spend` run after every session, so they skip building the
other twenty-odd commands (and importing their modules): that is a fifth of their start-up.
They also end without the interpreter's teardown, which takes as long as their own work.
"""

import os
import sys

LOGGING_COMMANDS = {"add", "outcome", "spend"}  # netlog.commands.logging.COMMANDS


def _command_name(args: list[str]) -> str | None:
    """The command in `args`, after the global options (`--db PATH`, `--db=PATH`)."""
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--db":
            position += 2
        elif arg.startswith("--db="):
            position += 1
        elif arg.startswith("-"):
            return None  # --help, --version, completion options: the full app answers
        else:
            return arg
    return None


def main() -> None:
    completing = any(name.endswith("_COMPLETE") for name in os.environ)
    command = _command_name(sys.argv[1:])
    if not completing and command in LOGGING_COMMANDS:
        from netlog.commands import logging
        from netlog.commands.common import new_app

        app = new_app()
        logging.register(app, only=command)
        _leave(app(prog_name="netlog", standalone_mode=False))
    else:
        from netlog.cli import app
    app(prog_name="netlog")


def _leave(code: object) -> None:
    """End at once with `code` as the exit status, skipping Python's teardown (freeing
    every module one by one), which takes a fifth of `add`'s time. The logging commands
    have committed and closed their file by now and register nothing to run at exit
    (tests/test_installed.py checks both); `say` has flushed stderr, stdout is flushed here."""
    import contextlib  # loaded already, by typer

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away
            stream.flush()
    os._exit(code if isinstance(code, int) else 0)
