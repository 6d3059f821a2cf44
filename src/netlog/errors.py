"""Errors that netlog reports to the user as one line, without a traceback."""

# What Ctrl-C, SIGTERM and SIGHUP leave on stderr, whenever they arrive.
INTERRUPTED = "Interrupted: nothing was written."


class NetlogError(Exception):
    """Something the user can fix: reported as one line on stderr, exit status 1."""

    exit_code = 1


class InputError(NetlogError):
    """A bad value on the command line: reported like a usage error, exit status 2."""

    exit_code = 2
