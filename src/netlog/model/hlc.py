"""A hybrid logical clock: the time stamp every synced change carries.

A stamp is wall-clock milliseconds, a counter and the device id, written as text whose order
is the clock's order (`0001733300000000.0003.<device>`). A device never stamps a change lower
than any stamp it has seen, so a clock that is behind never makes a later edit lose to an
earlier one it has already applied; two devices' stamps never tie (the device id decides).
"""

from typing import NamedTuple

_WALL_DIGITS = 16
_COUNTER_DIGITS = 6


class Stamp(NamedTuple):
    wall_ms: int
    counter: int
    device: str

    def text(self) -> str:
        return f"{self.wall_ms:0{_WALL_DIGITS}d}.{self.counter:0{_COUNTER_DIGITS}d}.{self.device}"


def parse(text: str) -> Stamp:
    """A stamp from its text; ValueError if it is not one."""
    wall, counter, device = text.split(".", 2)
    if len(wall) != _WALL_DIGITS or len(counter) != _COUNTER_DIGITS or not device:
        raise ValueError(f"{text!r} is not a clock stamp")
    return Stamp(int(wall), int(counter), device)


def tick(last: Stamp | None, now_ms: int, device: str) -> Stamp:
    """The stamp of a new local change: after `last` (the highest seen) and after now."""
    if last is None or now_ms > last.wall_ms:
        return Stamp(now_ms, 0, device)
    return Stamp(last.wall_ms, last.counter + 1, device)


def later(last: Stamp | None, seen: Stamp) -> Stamp:
    """The highest stamp seen, once `seen` has arrived from another device."""
    if last is None or (seen.wall_ms, seen.counter) > (last.wall_ms, last.counter):
        return seen
    return last
