"""What the export readers share (LinkedIn, X, mbox, ics): opening a zip or folder safely,
reading their CSV files, and bringing the items in.

An export says what was done and when, never for how long: items become activities without
minutes, one per channel and day, or raise the count of the session the user logged that day
(the export's count replaces the typed one; the session's hours stay). Only one-way hashes of
the source's own ids are stored, so importing the same or a newer export again adds only what
is new, and nothing personal (names, addresses, text) ever reaches the file.
"""

import hashlib
import io
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import IO, NamedTuple

from netlog.errors import InputError, NetlogError
from netlog.model import kinds

ITEM = "items"  # something the user did: a message, an invitation, a post, an email
REACH = "reach"  # a new connection
REPLY = "reply"  # the first answer to something the user started
SESSION = "session"  # time spent, with its real duration: a calendar event
# The kind of entry a reply is logged as.
REPLY_KIND = kinds.REPLY

# Zip entries are checked before they are read: a zip bomb is refused, not unpacked.
MAX_ENTRY_BYTES = 2 << 30  # one file, unpacked
MAX_TOTAL_BYTES = 8 << 30  # all the files netlog reads, unpacked
MAX_RATIO = 200  # unpacked size / packed size; text compresses about 10:1


class Item(NamedTuple):
    """One thing an export records. `key` is the source's own id; only its hash is kept.
    A reply names the key of the outreach it answers."""

    what: str  # ITEM, REACH, REPLY or SESSION
    at: datetime  # aware
    key: str
    answers: str | None = None
    minutes: int | None = None  # a session's


def source_hash(source: str, key: str) -> str:
    """A one-way hash of a source's id: the same on every computer, and not the id."""
    return hashlib.sha256(f"netlog:{source}:{key}".encode()).hexdigest()[:32]


# --- the export: a zip or a folder ------------------------------------------------------------


class Export:
    """The files of an export, by their base name (case ignored), from a zip or a folder."""

    def __init__(self, path: Path, what: str) -> None:
        import zipfile

        self.path = path
        self.what = what
        self._zip: zipfile.ZipFile | None = None
        self._files: dict[str, str] = {}
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file():
                    self._files.setdefault(file.name.casefold(), str(file))
        elif zipfile.is_zipfile(path):
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise InputError(f"{path}: not a readable zip ({exc})") from None
            for info in self._zip.infolist():
                if not info.is_dir():
                    self._files.setdefault(Path(info.filename).name.casefold(), info.filename)
        elif path.exists():
            raise InputError(f"{path}: expected {what} (a zip or its folder), found a file")
        else:
            raise InputError(f"{path} does not exist")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def names(self) -> list[str]:
        return sorted(Path(name).name for name in self._files.values())

    def has(self, name: str) -> bool:
        return name.casefold() in self._files

    def refuse_unless_any(self, expected: Iterable[str]) -> None:
        """Bad input naming what was expected and what was found, when none is there."""
        wanted = list(expected)
        if not any(self.has(name) for name in wanted):
            found = ", ".join(self.names()[:5]) or "nothing"
            more = f" and {len(self.names()) - 5} more" if len(self.names()) > 5 else ""
            raise InputError(
                f"{self.path} is not {self.what}: expected {' or '.join(wanted)}, "
                f"found {found}{more}"
            )

    def check_sizes(self, names: Iterable[str]) -> None:
        """Refuse a zip whose entries would unpack too large or too far (a zip bomb)."""
        if self._zip is None:
            return
        total = 0
        for name in names:
            if not self.has(name):
                continue
            info = self._zip.getinfo(self._files[name.casefold()])
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_ENTRY_BYTES or total > MAX_TOTAL_BYTES:
                raise InputError(
                    f"{self.path}: {name} would unpack to {info.file_size:,} bytes; refused"
                )
            if info.file_size > 1 << 20 and ratio > MAX_RATIO:
                raise InputError(
                    f"{self.path}: {name} is compressed more than {MAX_RATIO} to 1"
                    " (a zip bomb?); refused"
                )

    @contextmanager
    def text(self, name: str) -> Iterator[IO[str]]:
        """The file as text (UTF-8, a BOM dropped, newlines as the csv module wants them)."""
        import zipfile
        import zlib

        where = self._files[name.casefold()]
        if self._zip is not None:
            self.check_sizes([name])
        with (
            self._zip.open(where) if self._zip is not None else Path(where).open("rb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ):
            try:
                yield text
            except UnicodeDecodeError:
                raise InputError(f"{name}: not UTF-8 text") from None
            except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as exc:
                # A damaged entry (bad CRC, cut short) or an encrypted one.
                raise InputError(f"{self.path}: cannot read {name} ({exc})") from None


# --- CSV files of an export ---------------------------------------------------------------


class _Rest:
    """A text stream whose first line has been read already (to find the header)."""

    def __init__(self, first: str, stream: IO[str]) -> None:
        self.first: str | None = first
        self.stream = stream

    def readline(self, limit: int = -1) -> str:
        if self.first is not None:
            line, self.first = self.first, None
            return line
        return self.stream.readline(limit)


def csv_rows(
    stream: IO[str],
    name: str,
    *,
    required: set[str],
    optional: frozenset[str] | set[str] = frozenset(),
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of an export's CSV file; notes before the header are passed over (the
    header is the first line naming the required columns). A row that does not parse fails
    with the file and the line."""
    from netlog.io.readers import MAX_RECORD_CHARS, read_csv_records

    skipped = 0
    first_column = sorted(required)[0]
    while True:
        line = stream.readline(MAX_RECORD_CHARS)
        if not line:
            raise InputError(f"{name}: no header with the columns {', '.join(sorted(required))}")
        if first_column in line and all(column in line for column in required):
            break
        skipped += 1
        if skipped > 100:
            raise InputError(f"{name}: no header with the columns {', '.join(sorted(required))}")
    try:
        for number, row in read_csv_records(
            _Rest(line, stream),  # type: ignore[arg-type]
            required=required,
            known=required | optional,
            what=f"LinkedIn's {name}",
        ):
            yield number + skipped, row
    except InputError:
        raise
    except NetlogError as exc:
        raise InputError(f"{name}: {_shift_line(str(exc), skipped)}") from None


def _shift_line(message: str, skipped: int) -> str:
    import re

    return re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + skipped}", message, count=1)


# --- bringing items in --------------------------------------------------------------------


class Plan(NamedTuple):
    """What an import would add, by local day, hashes already stored left out."""

    items: dict[date, list[tuple[str, datetime]]]
    reach: dict[date, list[tuple[str, datetime]]]
    replies: list[tuple[str, datetime, str | None]]  # hash, when, hash of the outreach
    sessions: list[tuple[str, datetime, int]]  # hash, when, minutes
    present: int  # items an earlier import already brought in


def plan(
    conn: sqlite3.Connection | None,
    items: Iterable[Item],
    *,
    source: str,
    zone: tzinfo,
    since: datetime | None = None,
) -> Plan:
    from netlog.store.capture import known_hashes

    fresh: dict[str, Item] = {}
    for item in items:
        if since is not None and item.at < since:
            continue
        fresh.setdefault(source_hash(source, item.key), item)
    known = known_hashes(conn, fresh) if conn is not None else set()
    days: dict[str, dict[date, list[tuple[str, datetime]]]] = {
        ITEM: defaultdict(list),
        REACH: defaultdict(list),
    }
    replies = []
    sessions = []
    for hashed, item in fresh.items():
        if hashed in known:
            continue
        if item.what == SESSION:
            sessions.append((hashed, item.at, item.minutes or 0))
        elif item.what == REPLY:
            answers = source_hash(source, item.answers) if item.answers else None
            replies.append((hashed, item.at, answers))
        else:
            days[item.what][item.at.astimezone(zone).date()].append((hashed, item.at))
    replies.sort(key=lambda reply: reply[1])
    sessions.sort(key=lambda session: session[1])
    return Plan(dict(days[ITEM]), dict(days[REACH]), replies, sessions, len(known))


class Added(NamedTuple):
    items: int
    reach: int
    replies: int
    sessions: int
    present: int


WEEKLY_COLUMNS = ("channel", "week", "items", "reach", "replies", "sessions", "minutes")


def weekly(the_plan: Plan, channel: str, zone: tzinfo) -> list[tuple]:
    """A dry run's table: WEEKLY_COLUMNS per week (starting Monday) that gains anything."""
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])

    def monday(day: date) -> date:
        return day - timedelta(days=day.weekday())

    for day, found in the_plan.items.items():
        weeks[monday(day)][0] += len(found)
    for day, found in the_plan.reach.items():
        weeks[monday(day)][1] += len(found)
    for _, at, _ in the_plan.replies:
        weeks[monday(at.astimezone(zone).date())][2] += 1
    for _, at, minutes in the_plan.sessions:
        weeks[monday(at.astimezone(zone).date())][3] += 1
        weeks[monday(at.astimezone(zone).date())][4] += minutes
    return [(channel, str(week), *counts) for week, counts in sorted(weeks.items())]


def write(
    conn: sqlite3.Connection,
    the_plan: Plan,
    *,
    source: str,
    channel: str,
    zone: tzinfo,
    now: datetime,
    change: str,
    dry_run: bool = False,
) -> Added:
    """Bring the plan in, in one transaction (one undo step); rolled back for a dry run."""
    from netlog.store import db

    class _Rehearsal(Exception):
        pass

    added = Added(
        sum(map(len, the_plan.items.values())),
        sum(map(len, the_plan.reach.values())),
        len(the_plan.replies),
        len(the_plan.sessions),
        the_plan.present,
    )
    try:
        with db.write_transaction(conn, change=change):
            _write(conn, the_plan, source=source, channel=channel, zone=zone, now=now)
            if dry_run:
                raise _Rehearsal
    except _Rehearsal:
        pass
    return added


def _day_bounds(day: date, zone: tzinfo) -> tuple[str, str]:
    from netlog.model.dates import to_storage

    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), start.timetz())
    return to_storage(start), to_storage(end)


def export_tag(source: str) -> str:
    """The tag on every entry that counts items from an export: `log` shows where they came
    from."""
    return f"{source} export"


def _write(
    conn: sqlite3.Connection,
    the_plan: Plan,
    *,
    source: str,
    channel: str,
    zone: tzinfo,
    now: datetime,
) -> None:
    import json

    from netlog.model.dates import to_storage
    from netlog.model.entries import Entry, check
    from netlog.model.kinds import ACTIVITY
    from netlog.store import capture, db

    logged = to_storage(now)
    tag = export_tag(source)
    channel_id = db.channel_id(conn, channel, created_at=logged)

    def tagged(stored: str | None) -> str:
        tags = json.loads(stored) if stored else []
        return json.dumps([*tags, tag] if tag not in tags else tags, ensure_ascii=False)

    def new_entry(kind: str, at: datetime, count: int, minutes: int | None = None) -> int:
        entry = check(
            Entry(
                channel=channel,
                kind=kind,
                occurred_at=to_storage(at),
                logged_at=logged,
                count=count,
                minutes=minutes,
                tags=(tag,),
                uuid=str(uuid.uuid4()),
            )
        )
        return db.insert_entry(conn, entry)

    def add_to_day(kind: str, day: date, found: list[tuple[str, datetime]]) -> None:
        start, end = _day_bounds(day, zone)
        hashes = [hashed for hashed, _ in found]
        holder = capture.day_holder(conn, channel_id, kind, start, end)
        if holder is not None:
            entry_id, count = holder
            capture.set_count(
                conn, entry_id, count + len(found), capture.entry_tags(conn, entry_id)
            )
        elif kind == ACTIVITY and (
            sessions := capture.timed_sessions(conn, channel_id, start, end)
        ):
            # The export's count replaces what was typed for that day; the hours stay.
            entry_id = sessions[0]
            for other in sessions[1:]:
                capture.set_count(conn, other, 0, capture.entry_tags(conn, other))
            capture.set_count(
                conn, entry_id, len(found), tagged(capture.entry_tags(conn, entry_id))
            )
        else:
            entry_id = new_entry(kind, min(at for _, at in found), len(found))
        capture.remember(conn, entry_id, hashes)

    for day, found in sorted(the_plan.items.items()):
        add_to_day(ACTIVITY, day, found)
    for day, found in sorted(the_plan.reach.items()):
        add_to_day("reach", day, found)
    for hashed, at, minutes in the_plan.sessions:
        # A calendar says how long, not how many items: the count is left at 0.
        capture.remember(conn, new_entry(ACTIVITY, at, 0, minutes), [hashed])
    # Replies one entry each, in bulk: an mbox can hold tens of thousands.
    replies = [
        (hashed, answers, check(Entry(channel, REPLY_KIND, to_storage(at), logged, tags=(tag,),
                                      uuid=str(uuid.uuid4()))))
        for hashed, at, answers in the_plan.replies
    ]  # fmt: skip
    db.insert_entries(conn, [entry for _, _, entry in replies])
    capture.remember_by_uuid(conn, ((hashed, entry.uuid or "") for hashed, _, entry in replies))
    capture.link_to_holders(
        conn, ((entry.uuid or "", answers) for _, answers, entry in replies if answers)
    )


def closing_line(added: Added, *, dry_run: bool, skipped: Callable[[], str] | None = None) -> str:
    verb = "Would add" if dry_run else "Added"
    line = (
        f"{verb} {added.items:,} items, {added.reach:,} reach and {added.replies:,} replies;"
        f" {added.present:,} already present"
        if not added.sessions
        else f"{verb} {added.sessions:,} sessions; {added.present:,} already present"
    )
    extra = skipped() if skipped is not None else ""
    return line + (f"; {extra}" if extra else "") + "."


def exports_note(conn: sqlite3.Connection) -> str | None:
    """For `summary` and `funnel`: which channels' items came from exports, or None."""
    from netlog.store.capture import exported_items

    counts = exported_items(conn)
    if not counts:
        return None
    listed = ", ".join(f"{name} {count:,}" for name, count in counts.items())
    return (
        f"Items from channels' exports (no hours; `netlog log` tags them): {listed} in this file."
    )
