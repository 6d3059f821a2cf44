"""The `netlog` console script: each command starts on a small app of its own.

Typer builds every registered command's options on each run, so a command skips building
the other twenty-odd (and importing their modules): that is a fifth of the start-up of
`netlog add`, which runs after every session, a sixth of a one-month `summary`, a tenth
of a small import. Every command ends without the interpreter's teardown when nothing
needs it (see _leave).
"""

import sys

EXIT_INTERRUPTED = 130  # netlog.commands.common.EXIT_INTERRUPTED: 128 + SIGINT
_ended_by: list[int] = []  # SIGTERM or SIGHUP, once one arrived


def _interrupted_while_loading(kind, value, traceback) -> None:
    """Ctrl-C (or TERM, HUP) that arrives while modules load, before any command runs:
    the same one line as later and 130 (143, 129), not a traceback. Defined before any
    import, as everything it uses, since it may run before the rest of this module."""
    cause, seen = value, set()
    while cause is not None and not isinstance(cause, KeyboardInterrupt) and id(cause) not in seen:
        seen.add(id(cause))  # Python wraps one that lands as a class is made (__set_name__)
        cause = cause.__cause__ or cause.__context__
    if not isinstance(cause, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    import os

    from netlog.errors import INTERRUPTED

    _stop_signals()
    try:
        sys.stderr.write(f"{INTERRUPTED}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(_signal_status(EXIT_INTERRUPTED))


def _stop_signals() -> None:
    """Once the command has finished (or is already ending), a late signal changes nothing."""
    import signal

    for ending in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(ending, signal.SIG_IGN)


def _signal_status(code: int) -> int:
    """128 + the signal's number, as a shell reports it: 143 for TERM, 129 for HUP."""
    if code == EXIT_INTERRUPTED and _ended_by:
        return 128 + _ended_by[0]
    return code


def _interrupted_in_a_callback(unraisable) -> None:
    """A Ctrl-C (or TERM, HUP) that lands in code where Python cannot raise it (a weakref
    callback of the import system's module locks) would be printed as "Exception ignored"
    with a traceback, and lost. Sent again, it lands where it ends netlog as any other."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)
        return
    import _thread

    # From another thread, which runs once this one lets go of the GIL, after this hook
    # has returned: raised in here, it would be lost again. TERM and HUP are remembered
    # in _ended_by.
    _thread.start_new_thread(_thread.interrupt_main, ())


sys.excepthook = _interrupted_while_loading  # first: the rest of this module takes time too
sys.unraisablehook = _interrupted_in_a_callback

import os  # noqa: E402
import signal  # noqa: E402 - loaded anyway, by typer
from typing import NoReturn  # noqa: E402

# The module of netlog.commands that registers each command (its COMMANDS; tests hold this
# to netlog.cli's app). Not `man`, which reads every command, nor shell completion.
GROUP_OF = {
    **dict.fromkeys(("add", "outcome", "spend"), "logging"),
    **dict.fromkeys(("edit", "rm", "undo", "redo"), "corrections"),
    **dict.fromkeys(("start", "stop", "status", "cancel"), "timer"),
    "channels": "channels",
    "budget": "budget",
    **dict.fromkeys(("log", "summary", "demo"), "reports"),
    **dict.fromkeys(("funnel", "trend"), "insight"),
    "report": "report",
    "review": "review",
    **dict.fromkeys(("export", "import", "merge", "backup", "check"), "data"),
    **dict.fromkeys(("where", "config"), "settings"),
    **dict.fromkeys(("sync", "conflicts"), "sync"),
}


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
    for ending in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        # `nohup netlog ...` keeps its way, as does a background job's ignored Ctrl-C
        if signal.getsignal(ending) is not signal.SIG_IGN:
            signal.signal(ending, _end_like_ctrl_c)
    _stand_in_for_missing_streams()
    if not all(_utf8(stream) for stream in (sys.stdout, sys.stderr)):
        from netlog.present.charset import fall_back_on_this_terminal

        fall_back_on_this_terminal()
    completing = any(name.endswith("_COMPLETE") for name in os.environ)
    command = _command_name(sys.argv[1:])
    group = None if completing or command is None else GROUP_OF.get(command)
    if group is None:
        from netlog.cli import app
    else:
        from importlib import import_module

        from netlog.commands.common import new_app

        app = new_app()
        import_module(f"netlog.commands.{group}").register(app, only=command)
    try:
        code = app(prog_name="netlog", standalone_mode=False)
    except SystemExit as done:  # shell completion ends this way
        code = done.code
    _stop_signals()
    _leave(_signal_status(code) if isinstance(code, int) else code)


def _end_like_ctrl_c(signum: int, frame: object) -> None:
    """Ctrl-C, SIGTERM and SIGHUP end netlog the same way: what is half done is rolled back
    and its temporary files removed (the KeyboardInterrupt runs every cleanup on its way out).
    After the command's write has committed, they change nothing: the result stays. During
    the COMMIT itself, the signal waits for its outcome (netlog.store.db._commit)."""
    if signum != signal.SIGINT:
        _stop_signals()
    store = sys.modules.get("netlog.store.db")  # may be half loaded: hence getattr
    if getattr(store, "COMMITTED", None):
        return
    if signum != signal.SIGINT and not _ended_by:
        _ended_by.append(signum)
    if store is not None and getattr(store, "COMMITTING", None):
        store.SIGNALS_WAITING.append(signum)
        return
    raise KeyboardInterrupt


def _utf8(stream: object) -> bool:
    """Whether `stream` writes UTF-8 (the common case: checked without importing codecs)."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8")


def _stand_in_for_missing_streams() -> None:
    """A stream the shell closed (`>&-`, `2>&-`, `<&-`) behaves as a closed one: every
    write (or read) fails with EBADF, as it would on the closed descriptor. Its number is
    taken by /dev/null opened the other way round, so that no file netlog opens lands on it
    (a report written into the database)."""
    for fd, name, flags, mode in (
        (0, "stdin", os.O_WRONLY, "r"),
        (1, "stdout", os.O_RDONLY, "w"),
        (2, "stderr", os.O_RDONLY, "w"),
    ):
        if getattr(sys, name) is not None:
            continue
        try:
            opened = os.open(os.devnull, flags)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
            setattr(sys, name, open(fd, mode, closefd=False))  # noqa: SIM115 - lives as long as netlog
        except OSError:
            pass


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
        if code:  # the command failed already, and said why (often this same write)
            return code
        say(f"Error: cannot write the output: {exc.strerror or exc}")
        return 1
    except ValueError:  # stdout closed by the command itself
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    return code
