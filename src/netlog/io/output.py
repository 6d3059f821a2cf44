"""Writing a command's output to the file named by `-o` (`export`, `report`).

A regular file (or one that does not exist yet) is written whole or not at all: a temporary
file beside the real file, then a rename. A symlink is followed, so the link stays a link
and the file it points to gets the output. Anything else (a FIFO, a terminal, /dev/null,
/dev/stdout) cannot be replaced by a rename and is written directly. A directory is refused.
"""

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO

from netlog.errors import NetlogError

# Names that stand for a stream netlog already holds open, whatever they point to.
_STREAM_FOLDERS = ("/dev/", "/proc/")


def write_output(path: Path, write: Callable[[IO[str]], None], *, newline: str = "") -> None:
    """Call `write` with a UTF-8 text stream that ends up in `path`."""
    target = path.expanduser()
    try:
        mode = target.stat().st_mode  # follows symlinks
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise NetlogError(f"cannot write {path}: {exc.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise NetlogError(f"cannot write {path}: it is a directory; give a file name")
    if str(target.absolute()).startswith(_STREAM_FOLDERS) or (
        mode is not None and not stat.S_ISREG(mode)
    ):
        _write_directly(path, target, write, newline)
    else:
        _write_atomically(path, target.resolve(), mode, write, newline)


def _write_directly(
    path: Path, target: Path, write: Callable[[IO[str]], None], newline: str
) -> None:
    try:
        # Append: /dev/stdout may be a file the shell opened with >>; a FIFO or device
        # has no end to append to.
        with target.open("a", encoding="utf-8", newline=newline) as out:
            write(out)
    except OSError as exc:
        raise NetlogError(f"cannot write {path}: {exc.strerror}") from None


def _write_atomically(
    path: Path,
    real: Path,
    mode: int | None,
    write: Callable[[IO[str]], None],
    newline: str,
) -> None:
    import tempfile  # here, not at the top: `export` to stdout has no use for it

    from netlog import interrupts

    temporary: Path | None = None
    try:
        with interrupts.held():  # no moment where the file exists and nothing would remove it
            fd, name = tempfile.mkstemp(prefix=f".{real.name}.", dir=real.parent)
            temporary = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as out:
            write(out)
        if mode is None:  # mkstemp makes 0600; a new export or report is to share
            umask = os.umask(0)
            os.umask(umask)
            temporary.chmod(0o666 & ~umask)
        else:  # the file replaced keeps its permissions
            temporary.chmod(stat.S_IMODE(mode))
        temporary.replace(real)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise NetlogError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:  # Ctrl-C, TERM, HUP: no temporary file left behind
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
