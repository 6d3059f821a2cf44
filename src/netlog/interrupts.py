"""Moments a signal must not split: making a temporary file or folder and taking charge of
removing it. A Ctrl-C, TERM or HUP raises KeyboardInterrupt at Python's next step, and a step
between `mkstemp` returning and the `try` that removes its file leaves that file behind."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_ENDING = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextmanager
def held() -> Iterator[None]:
    """Ctrl-C, TERM and HUP wait until the block ends, then end netlog as ever. Make the
    thing to clean up, and record it where the cleanup finds it, inside the block; the
    cleanup's `try` must already be open around it."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _ENDING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


@contextmanager
def temporary_folder(prefix: str) -> Iterator[str]:
    """A new temporary folder, removed with what it holds however the block ends, even if
    a signal lands the moment it is made."""
    import tempfile

    folder = None
    try:
        with held():
            folder = tempfile.TemporaryDirectory(prefix=prefix)
        yield folder.name
    finally:
        if folder is not None:
            folder.cleanup()
