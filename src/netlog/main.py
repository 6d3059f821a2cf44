"""The `netlog` console script: the logging commands start on a small app of their own.

`netlog add`, `outcome` and `spend` run after every session, so they skip building the
other twenty-odd commands (and importing their modules): that is a fifth of their start-up.
Every command ends without the interpreter's teardown when nothing needs it (see _leave).
"""

import os
import sys
from typing import NoReturn

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
    try:
        code = app(prog_name="netlog", standalone_mode=False)
    except SystemExit as done:  # shell completion ends this way
        code = done.code
    _leave(code)


def _leave(code: object) -> NoReturn:
    """Exit with `code` once the output is written, skipping Python's teardown (freeing
    every module one by one: a fifth of `netlog add`'s time, 30-50 ms of a report's) when
    nothing needs it: every command has committed and closed its file by now. Python exits
    as usual when something registered work for the exit (atexit, which tempfile and
    logging use) or a thread still runs."""
    import atexit
    import threading  # both loaded already, by Python and typer

    if not isinstance(code, int):
        if code is not None:  # sys.exit("message"), as Python itself would show it
            sys.stderr.write(f"{code}\n")
        code = 0 if code is None else 1
    code = _flush_output(code)
    registered = getattr(atexit, "_ncallbacks", lambda: 1)()  # CPython's count; else assume some
    if registered or threading.active_count() > 1:
        sys.exit(code)
    os._exit(code)


def _flush_output(code: int) -> int:
    """Write what is left in stdout's buffer (all of a short output, the end of a long one)
    and return the exit status: a reader gone is 141, as mid-output; a write that fails
    (a full disk) is one line on stderr and 1, never a silent 0 with a file cut short."""
    import contextlib  # loaded already, by typer

    from netlog.commands.common import EXIT_BROKEN_PIPE, say, silence_stdout

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        return code or EXIT_BROKEN_PIPE
    except OSError as exc:
        silence_stdout()
        say(f"Error: cannot write the output: {exc.strerror or exc}")
        return code or 1
    except ValueError:  # stdout closed by the command itself
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    return code
