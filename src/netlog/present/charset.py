"""Terminals whose encoding is not UTF-8 (`LC_ALL=en_GB.ISO-8859-1`, `LC_ALL=C`).

Tables and messages fall back to characters the encoding has, one for one so that columns
stay aligned: `-` for an en dash, `.` for an ellipsis, `L` for `£` and `E` for `€`, box lines
drawn with `-`, `|` and `+`, `e` for `é`; `?` where nothing fits.
CSV, JSON, Markdown and HTML are UTF-8 whatever the terminal (see render.as_utf8).
"""

import codecs
import sys
import unicodedata
from typing import IO

HANDLER = "netlog-fallback"

# One character for one: a table's columns were measured before the fallback.
_FALLBACKS = {
    "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "…": ".", "·": ".", "•": "*",
    "→": ">", "←": "<", "≥": ">", "≤": "<", "≈": "~", "×": "x", "÷": "/",
    "‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"', "€": "E", "£": "L",
    "\u00a0": " ", "\u202f": " ", "✓": "v", "✗": "x",
}  # fmt: skip
_BOX_LINES = {"─": "-", "━": "-", "═": "-", "│": "|", "┃": "|", "║": "|"}
_BLOCKS = " .:-=+*#"  # U+2581-2588, the bars of a sparkline, lowest to full


def _fallback(char: str) -> str:
    if char in _FALLBACKS:
        return _FALLBACKS[char]
    if char in _BOX_LINES:
        return _BOX_LINES[char]
    point = ord(char)
    if 0x2500 <= point <= 0x257F:  # corners and crossings of box drawing
        return "+"
    if 0x2581 <= point <= 0x2588:
        return _BLOCKS[point - 0x2581]
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return plain[:1] or "?"


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_fallback(char) for char in text), error.end


def fall_back_on_this_terminal() -> None:
    """Switch stdout and stderr, when not UTF-8, to the fallback characters."""
    codecs.register_error(HANDLER, _replace)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not is_utf8(stream):
            reconfigure(errors=HANDLER)


def is_utf8(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def as_utf8(out: IO[str]) -> IO[str]:
    """`out`, writing UTF-8: CSV, JSON, Markdown and HTML are UTF-8 whatever the locale, so
    stdout in another encoding is switched before the first character."""
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None and not is_utf8(out):
        reconfigure(encoding="utf-8", errors="strict")
    return out
