"""Lengths of time as people type them (`45m`, `1h30m`, `1.5h`, `90`, `1:30`) and as netlog
shows them (`1h 30m`), and numbers of hours in settings (`5`, `2.5`)."""

import re
from typing import TYPE_CHECKING

from netlog.errors import InputError

if TYPE_CHECKING:  # loaded only to read fractions of hours: `add 45m` has no use for it
    from decimal import Decimal

MAX_DURATION_MINUTES = 24 * 60  # the longest session

# Longest duration text read at all: it keeps hostile input (thousands of digits) from int().
_MAX_TEXT_LENGTH = 100
_EXAMPLES = "use e.g. 45m, 1h30m, 1.5h, 90 or 1:30"
# Patterns are plain strings, compiled on first use by re (which caches them).
_DURATION_CLOCK = r"(?a)(\d+):([0-5]\d)"
_DURATION_UNITS = (
    r"(?ai)(?:(?P<hours>\d+(?:\.\d+)?|\.\d+)\s*(?:h|hr|hrs|hour|hours))?"
    r"\s*(?:(?P<minutes>\d+)\s*(?:m|min|mins|minute|minutes)?)?"
)
_HOURS = r"(?a)\d{1,5}(\.\d{1,2})?|\.\d{1,2}"


def _shown(text: str) -> str:
    """The user's text quoted for a one-line message, cut short if it is long."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def round_minutes(seconds: "float | int | Decimal") -> int:
    """Whole minutes in a length of time: half a minute rounds up, and any positive length
    is at least one minute. Raises ValueError for a negative or non-finite length."""
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"a length of time must be finite and not negative, not {seconds!r}")
    whole, rest = divmod(seconds, 60)  # exact for floats too: no 0.5-ulp surprises
    minutes = int(whole) + (rest >= 30)
    return max(minutes, 1) if seconds > 0 else 0


def round_typed_minutes(seconds: "float | int | Decimal") -> int:
    """Whole minutes in a length a person typed: half up as round_minutes(), but with no
    floor of one minute, so `0.001h` is 0 minutes (and refused), never 1m."""
    return round_minutes(seconds) if seconds >= 30 else 0


# A bare number of minutes this small (`add linkedin 2`) was more likely meant as hours.
FEW_BARE_MINUTES = 5


def looks_like_hours(text: str) -> bool:
    """Whether a duration is a bare number under FEW_BARE_MINUTES: minutes, by the
    grammar, but likely hours typed without their unit."""
    cleaned = text.strip()
    return cleaned.isascii() and cleaned.isdigit() and 0 < int(cleaned) < FEW_BARE_MINUTES


def _hours_to_seconds(hours: str) -> "Decimal":
    """`1.5` hours → 5400 seconds, exactly."""
    from decimal import Decimal

    return Decimal(hours) * 3600


def parse_duration(text: str, *, longest: int | None = MAX_DURATION_MINUTES) -> int:
    """Whole minutes from `45m`, `1h30m`, `1h 30m`, `1.5h`, `90` or `1:30`.

    A grammar of its own: dateutil would read `1h30` as half past one today. Fractions of
    a minute round as round_minutes() does. At most `longest` minutes (a session: 24 hours;
    None for a budget's `30h`).
    """
    cleaned = text.strip()
    shown = _shown(text)
    too_long = f"duration {shown} is longer than 24 hours: split it into sessions"
    if any(char.isnumeric() and not char.isascii() for char in cleaned):
        raise InputError(f"cannot read {shown} as a duration: write numbers with 0-9, {_EXAMPLES}")
    if len(cleaned) > _MAX_TEXT_LENGTH:  # checked before int(): 5,000 digits would raise
        if cleaned.isascii() and cleaned.isdigit() and longest is not None:
            raise InputError(too_long)
        raise InputError(f"cannot read {shown} as a duration: {_EXAMPLES}")
    minutes: int | None = None
    unit = cleaned[-1:].lower()
    if cleaned.isascii() and cleaned.isdigit():
        minutes = int(cleaned)
    elif unit in ("m", "h") and cleaned[:-1].isascii() and cleaned[:-1].isdigit():
        minutes = int(cleaned[:-1]) * (60 if unit == "h" else 1)  # 45m, 2h: no regex needed
    elif match := re.fullmatch(_DURATION_CLOCK, cleaned):
        minutes = int(match[1]) * 60 + int(match[2])
    elif (match := re.fullmatch(_DURATION_UNITS, cleaned)) and (match["hours"] or match["minutes"]):
        # A bare number after hours is minutes (1h30); a bare number alone was handled above.
        seconds = _hours_to_seconds(match["hours"] or "0") + int(match["minutes"] or 0) * 60
        minutes = round_typed_minutes(seconds)
        if seconds > 0 and not minutes:
            raise InputError(f"duration {shown} rounds to 0 minutes: log at least one minute")
    if minutes is None:
        hint = " (durations are positive)" if cleaned.startswith("-") else ""
        raise InputError(f"cannot read {shown} as a duration{hint}: {_EXAMPLES}")
    if minutes <= 0:
        raise InputError(f"duration {shown} is zero: log at least one minute")
    if longest is not None and minutes > longest:
        raise InputError(too_long)
    return minutes


def format_duration(minutes: int) -> str:
    """`1h 30m`, `45m`, `2h`."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest:02d}m"
    if hours:
        return f"{hours}h"
    return f"{rest}m"


def parse_hours(text: str, *, most: int) -> "Decimal":
    """A number of hours in a setting (`5`, `2.5`, `.25`), from 0 to `most`, to the
    hundredth."""
    from decimal import Decimal

    cleaned = text.strip()
    if not re.fullmatch(_HOURS, cleaned) or Decimal(cleaned) > most:
        from netlog.model.text import printable

        shown = printable(cleaned[:20]) + ("…" if len(cleaned) > 20 else "")
        raise InputError(f"{shown!r} is not a number of hours from 0 to {most}, such as 5 or 2.5")
    return Decimal(cleaned)
