"""`netlog sync DIR`: one history across devices, through a folder a sync service carries.

Every synced object is a register: an entry (by UUID, with its links), a channel (by its
key), an alias, a budget (by channel and kind) and a setting. A change carries the object's
whole new state (null once removed), the clock stamp it was made at (netlog.model.hlc) and
the stamp of the version it was made on (its base). The version with the highest stamp is
current everywhere, whatever order changes arrive in; a version that loses to one that never
saw it is kept as a conflict (`netlog conflicts`).

The folder: `DIR/<device id>/<seq>.jsonl`, one JSON object per line; the first line is the
file's header (format version, device, name, seq), each other line one change. A device only
ever creates files in its own folder, each written under a temporary name and renamed.
"""

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from itertools import islice
from pathlib import Path
from typing import Any

from netlog.errors import InputError, NetlogError
from netlog.model import hlc
from netlog.model.text import channel_key, clean_channel
from netlog.store import changes as store
from netlog.store import db
from netlog.store.migrations import is_device_id, new_device_id
from netlog.store.who import device_names, learn_names

FORMAT = 1
TYPES = ("channel", "alias", "budget", "setting", "entry")  # the order changes are written in
_CHANGE_FILE = re.compile(r"(\d{8})\.jsonl")
# The synced entry fields, under the names `export -f json` uses.
ENTRY_FIELDS = (
    "uuid", "type", "channel", "what", "minutes", "count", "kind", "label", "value", "currency",
    "note", "tags", "occurred_utc", "logged_utc", "reach_total", "sources", "device_id", "person",
)  # fmt: skip
# Entries already passed the entry rules on the device that wrote them, by its own clock:
# "not in the future" is not checked again against this device's clock.
_NO_LATEST = "9999-12-31T23:59:59+00:00"


# json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False), with the
# encoder made once rather than on every call (a first sync encodes every entry).
_ENCODE_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False
).encode


def canonical(state: dict[str, Any] | None) -> str | None:
    if state is None:
        return None
    return _ENCODE_CANONICAL(state)


def entry_state(row: sqlite3.Row) -> dict[str, Any]:
    from netlog.present.render import entry_values

    values = entry_values(row, UTC)  # only the *_utc times are kept: no local zone to work out
    state = {name: values[name] for name in ENTRY_FIELDS}
    if state["value"] is not None:
        state["value"] = str(state["value"])
    state["sources"] = sorted(state["sources"])  # type: ignore[call-overload]
    return state


def _small_states(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """Channels, aliases, budgets and settings as they are now: key → canonical state."""
    tables = store.small_tables(conn)
    states: dict[str, dict[str, str]] = {kind: {} for kind in TYPES if kind != "entry"}
    for row in tables["channel"]:
        states["channel"][row["key"]] = _text(
            {"name": row["name"], "created_at": row["created_at"]}
        )
    for row in tables["alias"]:
        states["alias"][row["key"]] = _text(
            {"alias": row["alias"], "channel": row["channel"], "created_at": row["created_at"]}
        )
    for row in tables["budget"]:
        state = {name: row[name] for name in row.keys() if name != "channel_key"}  # noqa: SIM118
        states["budget"][f"{row['channel_key']}/{row['kind']}"] = _text(state)
    for row in tables["setting"]:
        states["setting"][row["key"]] = _text({"value": row["value"]})
    return states


def _text(state: dict[str, Any]) -> str:
    text = canonical(state)
    assert text is not None
    return text


# --- this device's changes --------------------------------------------------------------


class _Clock:
    def __init__(self, device: store.Device) -> None:
        self.device = device.id
        self.last = hlc.parse(device.clock) if device.clock else None

    def tick(self) -> str:
        self.last = hlc.tick(self.last, time.time_ns() // 1_000_000, self.device)
        return self.last.text()

    def seen(self, stamp: hlc.Stamp) -> None:
        self.last = hlc.later(self.last, stamp)


def _capture(conn: sqlite3.Connection, clock: _Clock) -> Iterator[str]:
    """This device's changes since it last synced, as change lines (JSON text), each now
    held as the current version; made a few hundred entries at a time."""
    conflicts = store.any_conflicts(conn)
    held: list[tuple[str, str, store.Held]] = []
    replaced: list[tuple[str, str, str]] = []

    def changed(kind: str, key: str, state: str | None, before: store.Held | None) -> str | None:
        if (before.state if before else None) == state:
            return None
        version = store.Held(clock.tick(), before.stamp if before else None, state)
        held.append((kind, key, version))
        if before is not None:
            replaced.append((kind, key, before.stamp))
        if conflicts:
            store.settle_conflicts(conn, kind, key, version.base, state)
        # The state is canonical JSON already: written as it is, not parsed again.
        return (
            f'{{"base":{json.dumps(version.base)},"key":{json.dumps(key, ensure_ascii=False)},'
            f'"stamp":"{version.stamp}","state":{state or "null"},"type":"{kind}"}}'
        )

    for kind, states in _small_states(conn).items():
        before = store.objects(conn, kind)
        for key in sorted(states.keys() | before.keys()):
            if line := changed(kind, key, states.get(key), before.get(key)):
                yield line
    for chunk in store.dirty(conn, _CHUNK):
        rows = {row["uuid"]: row for row in store.entry_rows(conn, chunk)}
        before = store.held_many(conn, "entry", chunk)
        lines = []
        for entry_uuid in chunk:
            row = rows.get(entry_uuid)
            state = canonical(entry_state(row)) if row is not None else None
            if line := changed("entry", entry_uuid, state, before.get(entry_uuid)):
                lines.append(line)
        store.hold_many(conn, held)
        store.remember_many(conn, replaced)
        held.clear()
        replaced.clear()
        yield from lines
    store.hold_many(conn, held)
    store.remember_many(conn, replaced)
    store.clear_dirty(conn)


_CHUNK = 500
# Changes in one change file at most: a first sync of years of entries is written, and read
# on the other devices, a file at a time, so that neither holds them all in memory.
FILE_CHANGES = 5_000


def _files_of(lines: Iterator[str]) -> Iterator[list[str]]:
    while chunk := list(islice(lines, FILE_CHANGES)):
        yield chunk


# --- other devices' changes -------------------------------------------------------------


@dataclass
class _Applier:
    conn: sqlite3.Connection
    clock: _Clock
    conflicts: int = 0
    links: dict[str, list[str]] = field(default_factory=dict)
    gone_channels: set[str] = field(default_factory=set)
    new_entries: list[Any] = field(default_factory=list)
    held: dict[tuple[str, str], store.Held | None] = field(default_factory=dict)
    open_conflicts: bool | None = None
    to_hold: list[tuple[str, str, store.Held]] = field(default_factory=list)
    reader: Any = None
    line: int = 0  # of the change being applied, in its file
    # New entries' states by line, checked together by finish() (a batch at a time).
    new_states: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    entry_ids: dict[str, int | None] = field(default_factory=dict)  # read ahead by load()

    def load(self, changes: list[dict[str, Any]]) -> None:
        """Read the versions held of everything these changes touch, in a few queries."""
        by_type: dict[str, list[str]] = {}
        for change in changes:
            by_type.setdefault(change["type"], []).append(change["key"])
        for kind, keys in by_type.items():
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                found = store.held_many(self.conn, kind, chunk)
                self.held.update(((kind, key), found.get(key)) for key in chunk)
                if kind == "entry":
                    ids = store.entry_ids(self.conn, chunk)
                    self.entry_ids.update((key, ids.get(key)) for key in chunk)

    def apply(self, change: dict[str, Any]) -> bool:
        """Apply one change (already checked); False if it was known."""
        kind, key, stamp, base = change["type"], change["key"], change["stamp"], change["base"]
        state = canonical(change["state"])
        self.clock.seen(hlc.parse(stamp))
        current = self.held.get((kind, key))
        if current is None and (kind, key) not in self.held:
            current = store.held(self.conn, kind, key)
        if current is not None and current.stamp == stamp:
            return False
        if (
            current is not None
            and stamp < current.stamp
            and store.known(self.conn, kind, key, stamp)
        ):
            return False
        incoming = store.Held(stamp, base, state)
        concurrent = current is not None and _differ(kind, current.state, state)
        if current is None or stamp > current.stamp:
            if concurrent and current is not None and base != current.stamp:
                self._conflict(kind, key, incoming, current)
            self._write(kind, key, change["state"])
            self.to_hold.append((kind, key, incoming))
            if current is not None:
                store.remember(self.conn, kind, key, current.stamp)
            self.held[kind, key] = incoming
            if self._conflicts_open():
                store.settle_conflicts(self.conn, kind, key, base, state)
        else:
            if self._conflicts_open():
                store.settle_conflicts(self.conn, kind, key, base)
            if concurrent and stamp != current.base:
                self._conflict(kind, key, current, incoming)
            store.remember(self.conn, kind, key, stamp)
        return True

    def _conflict(self, kind: str, key: str, kept: store.Held, lost: store.Held) -> None:
        store.add_conflict(self.conn, kind, key, kept, lost)
        self.conflicts += 1
        self.open_conflicts = True

    def _conflicts_open(self) -> bool:
        if self.open_conflicts is None:
            self.open_conflicts = store.any_conflicts(self.conn)
        return self.open_conflicts

    def _write(self, kind: str, key: str, state: dict[str, Any] | None) -> None:
        conn = self.conn
        if kind == "entry":
            self._write_entry(key, state)
        elif kind == "channel":
            if state is not None and channel_key(clean_channel(state["name"])) != key:
                raise ValueError(f"channel {state['name']!r} does not match its key {key!r}")
            if state is None:
                self.gone_channels.add(key)
            else:
                store.put_channel(conn, key, state["name"], state["created_at"])
        elif kind == "alias":
            if state is None:
                store.remove_alias(conn, key)
            else:
                channel = db.channel_id(conn, state["channel"], created_at=state["created_at"])
                store.put_alias(conn, key, state["alias"], channel, state["created_at"])
        elif kind == "budget":
            owner_key, _, budget_kind = key.rpartition("/")
            if state is None:
                store.remove_budget(conn, owner_key, budget_kind)
            else:
                from netlog.store.budgets import write_budget

                channel = db.channel_id(conn, state["channel"], created_at=state["created_at"])
                write_budget(
                    conn,
                    channel,
                    (state["kind"], state["period"], state["limit_value"], state["currency"]),
                    created_at=state["created_at"],
                    counts_from=state["counts_from"],
                )
        else:
            db.write_setting(conn, key, None if state is None else _setting(key, state["value"]))
            if key == "currency":
                self.reader = None  # entries' amounts are read in the file's currency

    def _write_entry(self, key: str, state: dict[str, Any] | None) -> None:
        conn = self.conn
        # Read ahead by load(), once: after this change it may differ.
        ids = self.entry_ids
        entry_id = ids.pop(key) if key in ids else store.entry_id(conn, key)
        if state is None:
            if entry_id is not None:
                db.delete_entries(conn, [entry_id])
            self.links.pop(key, None)
            return
        sources = list(state.get("sources") or [])
        if entry_id is None:
            # Checked and inserted together, by finish(); an error names this line.
            self.new_states.append((f"line {self.line}", state))
            if sources:
                self.links[key] = sources
        else:
            db.update_entry(conn, entry_id, self._entry(state))
            self.links[key] = sources

    def _entry(self, state: dict[str, Any]) -> Any:
        """The entry a change describes, by the entry rules (ValueError / NetlogError if not)."""
        from netlog.io.transfer import RowReader, check_row

        if self.reader is None:
            self.reader = RowReader(db.file_currency(self.conn))
        return check_row(self.reader.row(state), _NO_LATEST).entry

    def _check_new_entries(self) -> None:
        """The new entries' states, by the entry rules (as _entry), a batch at a time."""
        from netlog.io.transfer import CheckedBatch, RowReader, batch_entries, checked_rows

        if self.reader is None:
            self.reader = RowReader(db.file_currency(self.conn))
        states, self.new_states = self.new_states, []
        for checked in checked_rows(states, None, latest=_NO_LATEST, reader=self.reader):
            if isinstance(checked, CheckedBatch):
                self.new_entries.extend(batch_entries(checked))
            else:
                self.new_entries.append(checked.entry)

    def finish(self) -> None:
        """New entries, then links once every entry is in; channels removed once unused.
        What load() read ahead is let go: the next file reads its own."""
        conn = self.conn
        store.hold_many(conn, self.to_hold)
        self.to_hold.clear()
        if self.new_states:
            self._check_new_entries()
        if len(self.new_entries) >= _CHUNK:
            # Many new entries (a first sync): indexed for search at the end, as import does.
            from netlog.store.bulk import search_index_paused

            with search_index_paused(conn):
                db.insert_entries(conn, self.new_entries)
        else:
            db.insert_entries(conn, self.new_entries)
        self.new_entries.clear()
        for entry_uuid, sources in self.links.items():
            found = store.entry_id(conn, entry_uuid)
            if found is None:
                continue
            db.remove_links(conn, found)
            ids = [source_id for source in sources if (source_id := store.entry_id(conn, source))]
            db.add_links(conn, found, ids)
        self.links.clear()
        for key in self.gone_channels:
            current = store.held(conn, "channel", key)
            channel = store.channel_by_key(conn, key)
            removed = channel is not None and current is not None and current.state is None
            if removed and channel is not None and not store.channel_in_use(conn, channel):
                store.remove_channel(conn, channel)
        self.gone_channels.clear()
        self.held.clear()
        self.entry_ids.clear()

    def forget(self) -> None:
        """After a file was refused (its savepoint rolled back)."""
        self.links.clear()
        self.gone_channels.clear()
        self.new_entries.clear()
        self.new_states.clear()
        self.entry_ids.clear()
        self.held.clear()
        self.to_hold.clear()
        self.reader = None
        self.open_conflicts = None


def _differ(kind: str, one: str | None, other: str | None) -> bool:
    """Whether two versions differ in what a person would choose between: not a channel's
    spelling, nor when two devices happened to make the same alias or budget."""
    if kind == "channel" or one == other:
        return False
    if one is None or other is None:
        return True
    ignored = ("created_at",)
    first, second = json.loads(one), json.loads(other)
    return any(first.get(name) != second.get(name) for name in first.keys() - ignored) or (
        first.keys() != second.keys()
    )


def _setting(name: str, value: object) -> str:
    """A setting's value by the rules `netlog config` applies."""
    from netlog.store.settings import parse_setting

    if not isinstance(value, str):
        raise ValueError(f"setting {name} must be text")
    return parse_setting(name, value)


def _check_change(line: dict[str, Any], device: str) -> dict[str, Any]:
    if not isinstance(line, dict):
        raise ValueError("a change must be a JSON object")
    kind, key, stamp, base = (line.get(name) for name in ("type", "key", "stamp", "base"))
    if kind not in TYPES:
        raise ValueError(f"unknown type {kind!r}")
    if not isinstance(key, str) or not key:
        raise ValueError("key must be text")
    if not isinstance(stamp, str) or hlc.parse(stamp).device != device:
        raise ValueError(f"stamp {stamp!r} is not one of this device's")
    if base is not None and (not isinstance(base, str) or base >= stamp):
        raise ValueError(f"base {base!r} is not an earlier stamp")
    state = line.get("state")
    if state is not None and not isinstance(state, dict):
        raise ValueError("state must be an object or null")
    if kind == "entry" and state is not None and state.get("uuid") != key:
        raise ValueError("the entry's uuid is not its key")
    return line


# --- the folder ---------------------------------------------------------------------------


@dataclass
class _FolderFile:
    device: str
    seq: int
    path: Path


@dataclass
class Outcome:
    sent: int = 0
    received: dict[str, int] = field(default_factory=dict)  # device name → changes
    conflicts: int = 0
    notes: list[str] = field(default_factory=list)  # files left alone or refused, named once
    device_name: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "received": sum(self.received.values()),
            "devices": [{"name": name, "received": n} for name, n in self.received.items()],
            "conflicts": self.conflicts,
        }


def _scan(folder: Path, own: str) -> tuple[list[_FolderFile], list[_FolderFile], list[str]]:
    """Change files of other devices and of this one, and names of everything else."""
    others: list[_FolderFile] = []
    mine: list[_FolderFile] = []
    foreign: list[str] = []
    for device_dir in sorted(folder.iterdir()):
        if device_dir.name.startswith("."):
            continue  # .git, .stfolder, .dropbox…: the sync service's own
        if not device_dir.is_dir() or not is_device_id(device_dir.name):
            foreign.append(device_dir.name)
            continue
        for path in sorted(device_dir.iterdir()):
            matched = _CHANGE_FILE.fullmatch(path.name)
            if matched is None:
                if not (path.name.startswith(".") and path.name.endswith(".tmp")):
                    foreign.append(f"{device_dir.name}/{path.name}")
                continue
            found = _FolderFile(device_dir.name, int(matched.group(1)), path)
            (mine if device_dir.name == own else others).append(found)
    return others, mine, foreign


def _read(path: Path, device: str, seq: int) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A change file's header and changes; None while it is incomplete (its last line not
    ended yet); NetlogError naming the line that is not netlog's."""
    data = path.read_bytes()
    if not data.endswith(b"\n"):
        return None
    lines = data.decode("utf-8", errors="strict").splitlines()
    try:
        header = json.loads(lines[0])
    except (ValueError, IndexError):
        raise NetlogError(f"{path}: line 1 is not a netlog sync header") from None
    if not isinstance(header, dict) or "netlog_sync" not in header:
        raise NetlogError(f"{path}: line 1 is not a netlog sync header")
    version = header["netlog_sync"]
    if not isinstance(version, int) or version > FORMAT:
        raise NetlogError(
            f"{path} was written by a newer netlog (sync format {version}; this one reads "
            f"{FORMAT}): upgrade netlog on this device"
        )
    if header.get("device") != device or header.get("seq") != seq:
        raise NetlogError(f"{path}: its header names another device or number")
    found = []
    for number, text in enumerate(lines[1:], start=2):
        try:
            found.append(_check_change(json.loads(text), device))
        except ValueError as exc:
            raise NetlogError(f"{path}: line {number}: {exc}") from None
    return header, found


def _readable(
    change_file: _FolderFile, outcome: Outcome
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The file's header and changes; None, with a note saying why, if it cannot be applied
    now (refused, not complete yet, or gone: compacted by its device since it was listed)."""
    try:
        read = _read(change_file.path, change_file.device, change_file.seq)
    except NetlogError as exc:
        outcome.notes.append(f"refused: {exc}")
        return None
    except FileNotFoundError:
        outcome.notes.append(f"{change_file.path} went away while syncing: left for the next sync")
        return None
    if read is None:
        outcome.notes.append(f"waiting for {change_file.path} to be complete")
    return read


def _write_file(folder: Path, device: str, seq: int, body: str) -> None:
    """Under a temporary name, flushed to disk, then renamed: never half a file."""
    own = folder / device
    own.mkdir(exist_ok=True)
    temporary = own / f".{seq:08d}.jsonl.tmp"
    with temporary.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write(body)
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(own / f"{seq:08d}.jsonl")


def _body(
    device: store.Device, seq: int, found: list[str], names: dict[str, str] | None = None
) -> str:
    """A change file: its header, then one change a line. `names`: the names of the other
    devices this one has entries from (imported or merged from them), so that a device that
    never syncs with them still shows who logged those entries."""
    header: dict[str, object] = {
        "netlog_sync": FORMAT,
        "device": device.id,
        "name": device.name,
        "seq": seq,
    }
    others = {key: name for key, name in (names or {}).items() if key != device.id}
    if others:
        header["names"] = dict(sorted(others.items()))
    return "".join(line + "\n" for line in [json.dumps(header, ensure_ascii=False), *found])


def _names_in(header: dict) -> dict[str, str]:
    """The other devices' names a header passes on, those that are well formed: a name is a
    label, so a bad one is left out rather than refusing the file's changes."""
    from netlog.model.text import clean_name

    names = header.get("names")
    if not isinstance(names, dict):
        return {}
    good = {}
    for key, name in names.items():
        if isinstance(name, str) and isinstance(key, str) and is_device_id(key):
            try:
                good[key] = clean_name(name, "device name")
            except (ValueError, NetlogError):
                continue
    return good


def default_device_name() -> str:
    import socket

    return socket.gethostname() or "this device"


class _DryRun(Exception):
    pass


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder (make it, or give the shared folder's path)")


def sync(conn: sqlite3.Connection, folder: Path, *, dry_run: bool = False) -> Outcome:
    """Write this device's changes to the folder and apply every other device's that this
    file has not seen, in one transaction; the files are written once it has committed."""
    _check_folder(folder)
    outcome = Outcome()
    try:
        with db.write_transaction(conn):
            _sync_in_transaction(conn, folder, outcome)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return outcome
    except UnicodeDecodeError as exc:
        raise NetlogError(f"a change file in {folder} is not UTF-8 text: {exc}") from None
    _flush_outbox(conn, folder)
    return outcome


def _flush_outbox(conn: sqlite3.Connection, folder: Path) -> None:
    device = store.device(conn)
    assert device is not None
    for seq in store.outbox(conn):
        _write_file(folder, device.id, seq, store.outbox_body(conn, seq))
        with db.write_transaction(conn):
            store.sent(conn, seq)


def set_up(conn: sqlite3.Connection) -> store.Device:
    """This file's device (made on first use), with the triggers in place."""
    device = store.device(conn)
    if device is None or not store.is_set_up(conn):
        store.set_up(conn, new_device_id(), default_device_name())
        device = store.device(conn)
    assert device is not None
    return device


def _pending(
    conn: sqlite3.Connection, others: list[_FolderFile], outcome: Outcome
) -> list[tuple[_FolderFile, dict[str, Any], list[dict[str, Any]] | None]]:
    """Other devices' files not yet applied here, newest first by the clock (so that applied
    from the end, a version mostly arrives after the one it was made on). Each is read once to
    check it; its changes are kept only while those kept are fewer than a file's worth, the
    others read again when applied: a first sync of years of entries never holds them all."""
    done = store.applied(conn)
    found: list[tuple[str, _FolderFile, dict[str, Any], list[dict[str, Any]] | None]] = []
    kept = 0
    for change_file in others:
        if (change_file.device, change_file.seq) in done:
            continue
        read = _readable(change_file, outcome)
        if read is None:
            continue
        header, changes = read
        oldest = min((change["stamp"] for change in changes), default="")
        kept += len(changes)
        found.append((oldest, change_file, header, changes if kept <= FILE_CHANGES else None))
    found.sort(key=lambda item: item[0])
    return [(change_file, header, changes) for _, change_file, header, changes in found[::-1]]


def _sync_in_transaction(conn: sqlite3.Connection, folder: Path, outcome: Outcome) -> None:
    device = set_up(conn)
    outcome.device_name = device.name
    others, mine, foreign = _scan(folder, device.id)
    unsent = set(store.outbox(conn))
    strangers = [f for f in mine if f.seq > device.last_seq and f.seq not in unsent]
    if strangers:
        raise NetlogError(
            f"{strangers[0].path} was written by another database with this file's device id "
            "(a copy of this file?): nothing done; run `netlog config device --new` on this "
            "copy, then sync again"
        )
    clock = _Clock(device)
    seq, names = device.last_seq, None
    for lines in _files_of(_capture(conn, clock)):
        seq += 1
        names = device_names(conn) if names is None else names
        store.add_outbox(conn, seq, _body(device, seq, lines, names), len(lines))
        outcome.sent += len(lines)
    if seq != device.last_seq:
        store.set_device(conn, last_seq=seq)
    outcome.notes.extend(f"left alone: {name} (not a netlog change file)" for name in foreign)
    applier = _Applier(conn, clock)
    pending = _pending(conn, others, outcome)
    while pending:
        change_file, header, changes = pending.pop()  # let go of each file's changes once applied
        if changes is None:  # read again; held in no other name, so let go with the next
            changes = (_readable(change_file, outcome) or ({}, None))[1]
            if changes is None:
                continue
        name = str(header.get("name") or change_file.device)
        store.savepoint(conn)
        try:
            with store.Applying(conn):
                applier.load(changes)
                received = 0
                for line, change in enumerate(changes, start=2):  # line 1 is the header
                    try:
                        applier.line = line
                        received += applier.apply(change)
                    except (ValueError, NetlogError, sqlite3.IntegrityError) as exc:
                        raise NetlogError(f"line {line}: {exc}") from None
                    except (KeyError, TypeError, AttributeError) as exc:
                        raise NetlogError(
                            f"line {line}: the state lacks or mistypes {exc}"
                        ) from None
                applier.finish()
        except (NetlogError, sqlite3.IntegrityError, KeyError, TypeError) as exc:
            store.roll_back_to_savepoint(conn)
            applier.forget()
            outcome.notes.append(f"refused: {change_file.path}: {exc}")
            continue
        store.release_savepoint(conn)
        store.mark_applied(conn, change_file.device, change_file.seq, len(changes))
        last = max((change["stamp"] for change in changes), default=None)
        store.note_device(conn, change_file.device, name, last)
        learn_names(conn, _names_in(header))
        if received:
            outcome.received[name] = outcome.received.get(name, 0) + received
    outcome.conflicts = applier.conflicts
    if clock.last is not None:
        store.set_device(conn, clock=clock.last.text())
    outcome.notes = store.newly_noted(conn, outcome.notes)


def compact(conn: sqlite3.Connection, folder: Path) -> tuple[int, int, int]:
    """Rewrite this device's own change files with the latest version of each object (what
    a device that has seen none of them needs), as few files as FILE_CHANGES allows; the old
    files are removed once the new ones are in place. One old file is held in memory at a
    time, the latest versions in a temporary table. Returns (files replaced, files written,
    changes kept)."""
    _flush_outbox(conn, folder)
    device = store.device(conn)
    if device is None:
        return 0, 0, 0
    _, mine, _ = _scan(folder, device.id)
    if len(mine) < 2:
        return 0, 0, 0
    store.start_compacting(conn)
    try:
        for change_file in mine:
            read = _read(change_file.path, device.id, change_file.seq)
            if read is None:
                raise NetlogError(f"{change_file.path} is incomplete: nothing compacted")
            lines = change_file.path.read_text(encoding="utf-8").splitlines()[1:]
            store.keep_latest(
                conn,
                (
                    (
                        change["type"],
                        change["key"],
                        TYPES.index(change["type"]),
                        change["stamp"],
                        line,
                    )
                    for change, line in zip(read[1], lines, strict=True)
                ),
            )
        kept = written = 0
        with db.write_transaction(conn):
            names = device_names(conn)
            for lines in _files_of(store.latest_lines(conn)):
                written += 1
                seq = device.last_seq + written
                store.add_outbox(conn, seq, _body(device, seq, lines, names), len(lines))
                kept += len(lines)
            store.set_device(conn, last_seq=device.last_seq + written)
    finally:
        store.end_compacting(conn)
    _flush_outbox(conn, folder)
    for change_file in mine:
        change_file.path.unlink(missing_ok=True)
    return len(mine), written, kept


# --- status, conflicts, device ----------------------------------------------------------


def status(conn: sqlite3.Connection, folder: Path) -> dict[str, Any]:
    _check_folder(folder)
    device = store.device(conn)
    if device is None:
        return {"device": None, "devices": [], "unsent": None, "conflicts": 0}
    others, _, _ = _scan(folder, device.id)
    done = store.applied(conn)
    waiting = sum(1 for f in others if (f.device, f.seq) not in done)
    return {
        "device": {"id": device.id, "name": device.name},
        "devices": [
            {
                "id": row["device"],
                "name": row["name"],
                "last_change": _stamp_time(row["last_stamp"]),
                "changes": row["changes"],
            }
            for row in store.devices(conn)
        ],
        "unsent": store.count_dirty(conn) + len(store.outbox(conn)),
        "files_waiting": waiting,
        "conflicts": len(store.conflicts(conn)),
    }


def _stamp_time(stamp: str | None) -> str | None:
    if not stamp:
        return None
    from datetime import datetime

    moment = datetime.fromtimestamp(hlc.parse(stamp).wall_ms / 1000, UTC)
    return moment.replace(microsecond=0).isoformat()


def restore(conn: sqlite3.Connection, conflict_id: int) -> dict[str, Any]:
    """Make a conflict's lost version current, as a change of this device's (it travels at
    the next sync and is newer than everything this device has seen)."""
    rows = {row["id"]: row for row in store.conflicts(conn)}
    conflict = rows.get(conflict_id)
    if conflict is None:
        raise InputError(f"no conflict {conflict_id} (see `netlog conflicts`)")
    with db.write_transaction(conn, change=f"conflicts --restore {conflict_id}"):
        state = json.loads(conflict["lost_state"]) if conflict["lost_state"] else None
        applier = _Applier(conn, _Clock(set_up(conn)))
        applier._write(conflict["type"], conflict["key"], state)
        applier.finish()
        store.drop_conflict(conn, conflict_id)
    return dict(conflict)


def rename_device(conn: sqlite3.Connection, name: str | None, new_id: bool) -> store.Device:
    with db.write_transaction(conn):
        set_up(conn)
        values: dict[str, object] = {}
        if name is not None:
            values["name"] = name
        if new_id:
            # A copy becomes a device of its own: it keeps the versions it holds, and reads the
            # old id's folder as another device's from now on.
            values.update(device=new_device_id(), last_seq=0)
            old = store.device(conn)
            assert old is not None
            store.note_name(conn, old.id, old.name)  # the entries logged there keep it
        store.set_device(conn, **values)
        device = store.device(conn)
    assert device is not None
    return device


def version_info(stamp: str, state: str | None, names: dict[str, str]) -> dict[str, Any]:
    """A conflict's version, for people and programs: device, time, state (null: removed)."""
    device = hlc.parse(stamp).device
    return {
        "device": names.get(device, device),
        "time": _stamp_time(stamp),
        "state": json.loads(state) if state is not None else None,
    }
