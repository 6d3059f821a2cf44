"""Who logged each entry: the device it was first logged on (entries.device, a sync device
id) and the person set there then (entries.person, `config name`). This device's identity
and person live in sync_device (migration m011); other devices' names in device_names,
learned from sync, imports and merges."""

import sqlite3
from collections.abc import Mapping
from typing import NamedTuple

from netlog.errors import InputError
from netlog.model.text import channel_key


class Who(NamedTuple):
    """The entries a --who name matches: logged on these devices or by these people."""

    devices: tuple[str, ...]
    people: tuple[str, ...]


def has_who(conn: sqlite3.Connection) -> bool:
    """Whether the file records who logged its entries (a file read without upgrading it
    may be older than migration m011)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'device_names'").fetchone()
    return found is not None


def this_device(conn: sqlite3.Connection) -> tuple[str, str, str | None]:
    """This file's device id, name and person (None: not set)."""
    row = conn.execute("SELECT device, name, person FROM sync_device").fetchone()
    return row[0], row[1], row[2]


def set_person(conn: sqlite3.Connection, person: str | None) -> None:
    conn.execute("UPDATE sync_device SET person = ?", (person,))


def device_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Device id → name, this device's included."""
    names = {row[0]: row[1] for row in conn.execute("SELECT device, name FROM device_names")}
    device, name, _ = this_device(conn)
    names[device] = name
    return names


def learn_names(conn: sqlite3.Connection, names: Mapping[str, str]) -> None:
    """Names of devices not known here yet (a name sync has given stays)."""
    device, _, _ = this_device(conn)
    conn.executemany(
        "INSERT OR IGNORE INTO device_names (device, name) VALUES (?, ?)",
        [(key, name) for key, name in names.items() if key != device],
    )


def people(conn: sqlite3.Connection) -> list[str]:
    """Every person named on an entry (along the entries_by_person index)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT person FROM entries WHERE person IS NOT NULL ORDER BY person"
        )
    ]


def matching(conn: sqlite3.Connection, name: str) -> Who:
    """The devices and people `name` spells (case and Unicode forms ignored, as for
    channels); InputError listing the known names when it spells none."""
    key = channel_key(name)
    names = device_names(conn)
    persons = people(conn)
    found = Who(
        tuple(device for device, device_name in names.items() if channel_key(device_name) == key),
        tuple(person for person in persons if channel_key(person) == key),
    )
    if not found.devices and not found.people:
        known = sorted({*names.values(), *persons}, key=str.casefold)
        raise InputError(f"no device or person named {name!r} (known: {', '.join(known)})")
    return found


def several(conn: sqlite3.Connection) -> bool:
    """Whether the file holds entries from more than one device or person: two index
    lookups each, however many entries."""
    row = conn.execute(
        "SELECT (SELECT min(device) FROM entries) IS NOT (SELECT max(device) FROM entries)"
        " OR (SELECT min(person) FROM entries WHERE person IS NOT NULL)"
        " IS NOT (SELECT max(person) FROM entries WHERE person IS NOT NULL)"
    ).fetchone()
    return bool(row[0])


def where(who: Who) -> tuple[str, list[object]]:
    """The report filter's clause (on `e`, the entries or the moved outcomes of a credit
    rule, which keep their ids) and its parameters."""
    devices = ", ".join("?" * len(who.devices)) or "NULL"
    people = ", ".join("?" * len(who.people)) or "NULL"
    return (
        f"e.id IN (SELECT id FROM entries WHERE device IN ({devices}) OR person IN ({people}))",
        [*who.devices, *who.people],
    )
