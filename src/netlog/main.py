"""The `netlog` console script: the logging commands start on a small app of their own.

`netlog add`, `outcome` and `spend` run after every session, so they skip building the
other twenty-odd commands (and importing their modules): that is a fifth of their start-up.
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
    else:
        from netlog.cli import app
    app(prog_name="netlog")
