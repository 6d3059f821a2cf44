"""Export, import and merge: entries in and out exactly, all or nothing.

An import is one transaction: every row is checked, a bad one fails the whole import with its
line number, and entries whose UUID is already present are skipped, so importing the same
file twice adds nothing and importing two computers' exports gives their union.
"""

import functools
import itertools
import json
import operator
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import IO, NamedTuple, cast

from netlog.errors import NetlogError
from netlog.model import dates, kinds
from netlog.model.dates import FIRST_YEAR, LAST_YEAR, to_storage
from netlog.model.entries import (
    STORED_TIME,
    Entry,
    check,
    check_values,
    settle_currency,
    tags_from,
)
from netlog.model.limits import MAX_COUNT, MAX_ID
from netlog.model.money import to_minor
from netlog.model.text import MAX_TEXT_LENGTH, clean_channel, clean_name, clean_tags, clean_text
from netlog.store import db
from netlog.store.migrations import is_device_id
from netlog.store.who import device_names, has_who, learn_names

BATCH_SIZE = 5_000
# A UUID as str(uuid.UUID(...)) writes it, so the common case needs no parsing.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class ImportResult(NamedTuple):
    added: int
    skipped: int


class Row(NamedTuple):
    """An entry to bring in, with the id it had where it came from and the UUIDs of the
    entries it came from (its links)."""

    source_id: int | None
    entry: Entry
    sources: tuple[str, ...] = ()
    device_name: str | None = None  # the name of entry.device where it came from


# --- reading files ------------------------------------------------------------------------


def read_csv(stream: IO[str]) -> Iterator[tuple[str, dict]]:
    """(where, raw row) for each CSV row; `where` names the line for error messages. The
    header must name netlog's columns, each once; every row has one cell per column.

    Reads both headers: netlog 0.1.0's (times as ISO 8601 with offset, text guarded with ')
    and today's (local times with *_offset and *_utc columns, text guarded with a space)."""
    from netlog.io.readers import read_csv_records
    from netlog.present.cells import ENTRY_COLUMNS, SPREADSHEET_GUARD, spreadsheet_text

    rows = read_csv_records(
        stream,
        required={"uuid", "type", "channel"},
        one_of=({"occurred_at", "occurred_utc"},),
        known=set(ENTRY_COLUMNS),
        what="a netlog CSV export",
    )
    guard = None
    for line, raw in rows:
        if guard is None:
            guard = SPREADSHEET_GUARD if "occurred_utc" in raw else "'"
        # Rare: only guarded text needs spreadsheet_text. The cells joined with NUL, which no
        # cell holds (the reader refuses it), show whether any cell starts with the guard.
        if ("\0" + "\0".join(raw.values())).find("\0" + guard) >= 0:
            for key, value in raw.items():
                if value[:1] == guard:
                    raw[key] = spreadsheet_text(value, guard)
        yield f"line {line}", raw


def read_json(stream: IO[str]) -> Iterator[tuple[str, dict]]:
    """(where, raw object) for each item of a JSON array, read one item at a time so that
    a large file never sits in memory whole."""
    from netlog.io.readers import read_json_array

    for item, value in read_json_array(stream, what="a netlog JSON export"):
        if not isinstance(value, dict):
            raise NetlogError(f"item {item}: not a JSON object")
        yield f"item {item}", value


# --- checking rows ------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or value == ""


def _integer(value: object, field: str, limit: int = MAX_COUNT) -> int | None:
    if (
        type(value) is str
        and 0 < len(value) < 7
        and value.isdigit()
        and value.isascii()
        and (number := int(value)) <= limit
    ):
        return number  # the common case: a few digits
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{field} must be a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not (text.isascii() and text.lstrip("-").isdigit()):
            raise ValueError(f"{field} must be a whole number, not {value!r}")
        number = int(text)
    if abs(number) > limit:
        raise ValueError(f"{field} {number} is out of range")
    return number


@functools.lru_cache(maxsize=4096)
def _day_allowed(day: str) -> bool:
    """Whether `day` (YYYY-MM-DD) is a real date within the years netlog stores."""
    try:
        return FIRST_YEAR <= date.fromisoformat(day).year <= LAST_YEAR
    except ValueError:
        return False


def _timestamp(value: object, field: str, offset: object = None) -> str:
    """A time as stored: ISO 8601 with its UTC offset, or a local time (`2010-09-14 10:00:00`,
    as netlog's CSV writes it) with `offset`, its minutes east of UTC, from another column."""
    if (
        type(value) is str
        and STORED_TIME.fullmatch(value)
        and value[11:13] <= "23"
        and value[14:16] <= "59"
        and value[17:19] <= "59"
        and _day_allowed(value[:10])
    ):
        return value  # already in the stored form (the *_utc columns): nothing to convert
    if _blank(value):
        raise ValueError(f"{field} is missing")
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            f"{field} {value!r} is not an ISO 8601 time such as 2010-09-14 10:00:00 or "
            "2010-09-14T09:00:00+00:00"
        ) from None
    offset_field = field.replace("_at", "_offset")
    if moment.tzinfo is None and not _blank(offset):
        minutes = _integer(offset, offset_field, limit=24 * 60 - 1) or 0
        moment = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    if moment.tzinfo is None:
        hint = (
            f" or add a column {offset_field} (minutes east of UTC: 60)"
            if offset_field != field
            else ""
        )
        raise ValueError(
            f"{field} {value!r} has no UTC offset: write one (2010-09-14T10:00:00+01:00){hint}"
        )
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"{field} {value!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return to_storage(moment)


def _moment(raw: dict, name: str) -> str | None:
    """occurred or logged as stored: the exact *_utc column when there is one, else *_at
    (with *_offset when *_at is a local time); None when the row has neither."""
    if not _blank(raw.get(f"{name}_utc")):
        return _timestamp(raw[f"{name}_utc"], f"{name}_utc")
    if not _blank(raw.get(f"{name}_at")):
        return _timestamp(raw[f"{name}_at"], f"{name}_at", raw.get(f"{name}_offset"))
    return None


def _amount(value: object) -> Decimal:
    text = str(value).strip()
    if len(text) > 40:
        raise ValueError(f"value {text[:20]!r}… is too long to be an amount")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"value {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"value {value!r} is not an amount")
    return amount


def _tags(value: object) -> tuple[str, ...]:
    if _blank(value):
        return ()
    if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
        return tuple(value)
    if isinstance(value, str):
        return tuple(value.split(","))
    raise ValueError("tags must be text or a list of text")


class RowReader:
    """Raw exported rows (CSV strings or JSON values) as entries, in the currency of the file
    they go into: the first row that names a currency sets it when the file has none."""

    def __init__(self, file_currency: str | None) -> None:
        self.currency = file_currency
        # Combinations of fields that passed check() (see _checked_batch).
        self.shapes_allowed: set[tuple] = set()

    def row(self, raw: dict) -> Row:
        entry_uuid = str(raw.get("uuid") or "").strip()
        if not _CANONICAL_UUID.fullmatch(entry_uuid):
            try:
                entry_uuid = str(uuid.UUID(entry_uuid))
            except ValueError:
                raise ValueError(f"uuid {raw.get('uuid')!r} is not a UUID") from None
        kind = kinds.from_export(
            str(raw.get("type") or "").strip(), str(raw.get("kind") or "").strip()
        )
        count = _integer(raw.get("count"), "count")
        value = raw.get("value")
        value_minor = currency = None
        if not _blank(value):
            written = str(raw.get("currency") or "").strip().upper() or None
            currency = settle_currency(self.currency, written, str(value))
            self.currency = self.currency or currency
            value_minor = to_minor(_amount(value), currency)
        occurred = _moment(raw, "occurred")
        if occurred is None:
            raise ValueError("occurred_at is missing")
        entry = Entry(
            channel=str(raw.get("channel") or ""),
            kind=kind,
            occurred_at=occurred,
            logged_at=_moment(raw, "logged") or occurred,
            count=1 if count is None else count,
            minutes=_integer(raw.get("minutes"), "minutes"),
            what=_text(raw.get("what")),
            label=_text(raw.get("label")),
            value_minor=value_minor,
            currency=currency,
            note=_text(raw.get("note")),
            tags=_tags(raw.get("tags")),
            uuid=entry_uuid,
            reach_total=_integer(raw.get("reach_total"), "reach_total"),
        )
        sources = tuple(str(uuid.UUID(str(text).strip())) for text in _tags(raw.get("sources")))
        device_name = None
        device = str(raw.get("device_id") or "").strip()
        if device:  # an export without it (older, or written by hand) is this device's
            if not is_device_id(device):
                raise ValueError(f"device_id {device!r} is not a netlog device id")
            person = _text(raw.get("person"))
            entry = entry._replace(
                device=device, person=clean_name(person, "person") if person else None
            )
            name = _text(raw.get("device"))
            device_name = clean_name(name, "device name") if name else None
        return Row(_integer(raw.get("id"), "id", limit=MAX_ID), entry, sources, device_name)


def latest_allowed() -> str:
    """The latest time an imported entry may have happened: now, with a few minutes' grace
    for the clock of the computer that wrote the file."""
    from datetime import timedelta

    return to_storage(dates.utc_now() + timedelta(minutes=5))  # the one clock seam


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a spreadsheet may turn a label such as 2010 into a number
    raise ValueError(f"{value!r} is not text")


def checked_rows(
    raw_rows: Iterable[tuple[str, dict]],
    file_currency: str | None,
    *,
    latest: str | None = None,
    reader: "RowReader | None" = None,
) -> Iterator["Row | CheckedBatch"]:
    """Rows of a netlog export as checked entries, a batch at a time where every row of the
    batch is in the plain form netlog writes (see _checked_batch); NetlogError naming the
    first bad row. `latest`: see check(); `reader`: one that has read rows before."""
    reader = reader or RowReader(file_currency)
    latest = latest or latest_allowed()
    raw_rows = iter(raw_rows)
    while items := list(itertools.islice(raw_rows, BATCH_SIZE)):
        yield from _checked(items, reader, latest)


def _checked(
    items: list[tuple[str, dict]], reader: "RowReader", latest: str
) -> Iterator["Row | CheckedBatch"]:
    currency = reader.currency
    try:
        batch = _checked_batch(list(map(_RAW, items)), reader, latest)
    except (_NotPlain, ValueError, TypeError, KeyError, NetlogError):
        reader.currency = currency  # row by row from the start: the first bad row is named
    else:
        yield batch
        return
    for where, raw in items:
        try:
            yield check_row(reader.row(raw), latest)
        except (ValueError, NetlogError) as exc:
            raise NetlogError(f"{where}: {exc}") from None


class CheckedBatch(NamedTuple):
    """Rows checked together, as columns: what check_row(RowReader.row(raw)) gives for each
    row, with the tags already in their stored JSON form."""

    source_ids: list[int | None]
    uuids: list[str]
    channels: list[str]
    kinds: list[str]
    occurred: list[str]
    logged: list[str]
    what: list[str | None]
    minutes: list[int | None]
    counts: list[int]
    labels: list[str | None]
    values: list[int | None]
    currencies: list[str | None]
    notes: list[str | None]
    tags: list[str | None]
    reach_totals: list[int | None]
    sources: list[tuple[str, ...]]
    devices: list[str | None]  # who logged it (Entry.device, .person; Row.device_name)
    persons: list[str | None]
    device_names: list[str | None]


_UUIDS = re.compile(
    r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n)*"
)  # _CANONICAL_UUID, one per line
_STORED_TIMES = re.compile(
    r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\+00:00\n)*"
)  # what _timestamp() takes as it is, one per line
_DIGITS = re.compile(r"(?:[0-9]{0,18}\n)*")  # whole numbers or nothing, one per line
_DAY = operator.itemgetter(slice(None, 10))
_RAW = operator.itemgetter(1)  # of a (where, raw row) pair
_NONE_TYPE = type(None)
_BLANKS = (None, "")  # what _blank() is, compared by == (None, and "" of a CSV cell)
_NO_SOURCES: tuple[object, ...] = (None, "", [])  # a row that came from no other entry


_BATCH_FIELDS = (
    "uuid", "type", "kind", "channel", "occurred_utc", "logged_utc", "what",
    "minutes", "count", "label", "value", "note", "tags", "reach_total", "sources",
)  # fmt: skip
_BATCH_VALUES = operator.itemgetter(*_BATCH_FIELDS)


class _NotPlain(Exception):
    """A batch that is not all in the plain form: it is checked row by row instead."""


def batch_entries(batch: CheckedBatch) -> list[Entry]:
    """The entries of a batch checked as columns, as check_row() would give them."""
    tags = {text: tuple(json.loads(text)) if text else () for text in set(batch.tags)}
    return [
        Entry(
            channel=channel, kind=kind, occurred_at=occurred, logged_at=logged, count=count,
            minutes=minutes, what=what, label=label, value_minor=value, currency=currency,
            note=note, tags=tags[entry_tags], uuid=entry_uuid, reach_total=reach_total,
            device=device, person=person,
        )
        for (
            entry_uuid, channel, kind, occurred, logged, what, minutes, count, label, value,
            currency, note, entry_tags, reach_total, device, person,
        ) in zip(
            batch.uuids, batch.channels, batch.kinds, batch.occurred, batch.logged, batch.what,
            batch.minutes, batch.counts, batch.labels, batch.values, batch.currencies,
            batch.notes, batch.tags, batch.reach_totals, batch.devices, batch.persons,
            strict=True,
        )
    ]  # fmt: skip


def _field(raws: list[dict], name: str) -> list:
    """Each row's value of `name`, None where it has none (dict.get, with no Python step per
    row)."""
    return list(map(dict.get, raws, itertools.repeat(name, len(raws))))


def _every_line(pattern: "re.Pattern[str]", column: list) -> bool:
    """Whether every value is text that `pattern` (for one value and its line end, repeated)
    takes whole: all are checked in one match, on one line each (a value that holds a line
    end of its own is not taken)."""
    text = "\n".join(column) + "\n"
    return text.count("\n") == len(column) and pattern.fullmatch(text) is not None


def _hashable(column: list) -> list:
    """The values with each list (a JSON array) made a tuple, so that _memo can key them."""
    if set(map(type, column)) == {list}:
        return list(map(tuple, column))
    return [tuple(value) if type(value) is list else value for value in column]


def _memo(column: list, convert: Callable[[object], object]) -> list:
    """convert(value) for each value, worked out once per distinct value (by type too, so
    that 1, 1.0 and True stay apart)."""
    if len(set(map(type, column))) == 1:  # the common case: no two types to keep apart
        done = {value: convert(value) for value in dict.fromkeys(column)}
        return list(map(done.__getitem__, column))
    keys = list(zip(map(type, column), column, strict=True))
    done = {key: convert(key[1]) for key in dict.fromkeys(keys)}
    return list(map(done.__getitem__, keys))


def _whole_numbers(column: list, field: str, limit: int) -> list[int | None]:
    """_integer() of each value, without a call per value when they are plain."""
    types = set(map(type, column))
    if types <= {int, _NONE_TYPE}:
        numbers: list = column
    elif types == {str} and _every_line(_DIGITS, column):
        numbers = (
            [int(text) if text else None for text in column]
            if "" in column
            else [*map(int, column)]
        )
    else:
        return _memo(column, lambda value: _integer(value, field, limit))
    present = [number for number in numbers if number is not None] if None in numbers else numbers
    if present and not (-limit <= min(present) and max(present) <= limit):
        raise _NotPlain
    return numbers


def _times(column: list) -> list[str]:
    """The stored times of a *_utc column, all in the stored form already."""
    if not _every_line(_STORED_TIMES, column):
        raise _NotPlain
    if not all(map(_day_allowed, map(_DAY, column))):
        raise _NotPlain
    return column


def _plain_texts(column: list) -> list[str | None]:
    """_text() of each value."""
    if set(map(type, column)) <= {str, _NONE_TYPE}:
        return [value or None for value in column]
    return [_text(value) for value in column]


def _texts(column: list, what: str) -> list[str | None]:
    """check()'s clean_text() of _text() of each value."""
    texts = (
        [value or None for value in column] if set(map(type, column)) <= {str, _NONE_TYPE} else None
    )
    if texts is not None:
        present = [text for text in texts if text is not None]
        joined = "\n".join(present)
        # Printable ASCII, nothing to trim: clean_text() would give each back as it is.
        if (
            "".join(present).isprintable()
            and joined.isascii()
            and not joined.startswith(" ")
            and not joined.endswith(" ")
            and " \n" not in joined
            and "\n " not in joined
            and max(map(len, present), default=0) <= MAX_TEXT_LENGTH
        ):
            return texts
    return _memo(column, lambda value: clean_text(_text(value), what))


def _check_shapes(shapes: set[tuple], allowed: set[tuple]) -> None:
    """check()'s rules on more than one field (check_values) for each shape (kind, minutes,
    count, reach_total, value_minor, currency, has a description, has a label) not in
    `allowed`, which it then joins."""
    if len(allowed) > 20_000:  # bounded memory, however varied the file
        allowed.clear()
    for shape in shapes - allowed:
        kind, entry_minutes, count, reach_total, value, currency, has_what, has_label = shape
        check_values(
            kind, entry_minutes, count, reach_total, value, currency,
            has_what=has_what, has_label=has_label,
        )  # fmt: skip
        allowed.add(shape)


def _checked_batch(raws: list[dict], reader: "RowReader", latest: str) -> CheckedBatch:
    """Rows whose every value is in the form netlog's own export writes, checked a column
    at a time: the same entries and the same rules as check_row(reader.row(raw)) row by row
    (a test holds the two to the same file). Anything else (_NotPlain, a missing column, a
    rule broken) and the caller checks the rows one by one, to name the first bad one."""
    # Each row's values in one pass over the rows (a dict visited once, not once per field).
    column = dict(
        zip(_BATCH_FIELDS, map(list, zip(*map(_BATCH_VALUES, raws), strict=True)), strict=True)
    )
    column["id"] = _field(raws, "id")  # sync's changes have none
    uuids = column["uuid"]
    if not _every_line(_UUIDS, uuids):
        raise _NotPlain
    kinds_of = {
        pair: kinds.from_export(str(pair[0] or "").strip(), str(pair[1] or "").strip())
        for pair in set(zip(column["type"], column["kind"], strict=True))
    }
    entry_kinds = list(map(kinds_of.__getitem__, zip(column["type"], column["kind"], strict=True)))
    occurred = _times(column["occurred_utc"])
    logged = _times(column["logged_utc"])
    if max(occurred) > latest:
        raise _NotPlain
    given = _whole_numbers(column["count"], "count", MAX_COUNT)
    counts = (
        [1 if count is None else count for count in given]
        if None in given
        else cast("list[int]", given)
    )
    minutes = _whole_numbers(column["minutes"], "minutes", MAX_COUNT)
    reach_totals = _whole_numbers(column["reach_total"], "reach_total", MAX_COUNT)
    source_ids = _whole_numbers(column["id"], "id", MAX_ID)
    values: list[int | None] = [None] * len(raws)
    currencies: list[str | None] = [None] * len(raws)
    for index in [index for index, value in enumerate(column["value"]) if value not in _BLANKS]:
        value = column["value"][index]
        if not _blank(value):
            written = str(raws[index].get("currency") or "").strip().upper() or None
            currency = settle_currency(reader.currency, written, str(value))
            reader.currency = reader.currency or currency
            values[index], currencies[index] = to_minor(_amount(value), currency), currency
    what = _plain_texts(column["what"])
    labels = _plain_texts(column["label"])
    # The rules of check() that look at more than one field, once per combination: an entry
    # with these fields and a plain channel, time and text passes or fails as this one does.
    shapes = set(
        zip(entry_kinds, minutes, counts, reach_totals, values, currencies,
            map(operator.is_not, what, itertools.repeat(None)),
            map(operator.is_not, labels, itertools.repeat(None)),
            strict=True)
    )  # fmt: skip
    _check_shapes(shapes, reader.shapes_allowed)
    sources: list[tuple[str, ...]] = [()] * len(raws)
    for index in [
        index for index, value in enumerate(column["sources"]) if value not in _NO_SOURCES
    ]:
        sources[index] = tuple(
            str(uuid.UUID(str(text).strip())) for text in _tags(column["sources"][index])
        )
    devices, persons, device_names = _who(raws)
    return CheckedBatch(
        source_ids=source_ids,
        uuids=uuids,
        channels=_memo(column["channel"], lambda name: clean_channel(str(name or ""))),
        kinds=entry_kinds,
        occurred=occurred,
        logged=logged,
        what=_texts(what, "description"),
        minutes=minutes,
        counts=counts,
        labels=_texts(labels, "label"),
        values=values,
        currencies=currencies,
        notes=_texts(column["note"], "note"),
        tags=_memo(
            _hashable(column["tags"]),
            lambda value: db.tags_json(
                tuple(clean_tags(list(_tags(list(value) if type(value) is tuple else value))))
            ),
        ),
        reach_totals=reach_totals,
        sources=sources,
        devices=devices,
        persons=persons,
        device_names=device_names,
    )


def _who(raws: list[dict]) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """RowReader.row()'s device, person and device name of each row: a row without a
    device id is this device's, and its person and device name are not read."""
    written = _field(raws, "device_id")
    if set(written) <= {None, ""}:  # all this device's: a file that never left it
        return [None] * len(raws), [None] * len(raws), [None] * len(raws)
    devices = _memo(written, lambda value: str(value or "").strip() or None)
    if not all(map(is_device_id, filter(None, set(devices)))):
        raise _NotPlain

    def named(field: str, what: str) -> list[str | None]:
        column = (
            [raw.get(field) if device else None for raw, device in zip(raws, devices, strict=True)]
            if None in devices
            else _field(raws, field)
        )
        return _memo(
            column, lambda value: clean_name(text, what) if (text := _text(value)) else None
        )

    return devices, named("person", "person"), named("device", "device name")


def check_row(row: Row, latest: str | None = None) -> Row:
    """The one entry rule (netlog.model.entries.check), applied to an incoming row."""
    return row._replace(entry=check(row.entry, latest=latest or latest_allowed()))


# --- writing ------------------------------------------------------------------------------


class _DryRun(Exception):
    pass


@contextmanager
def _few_collections() -> Iterator[None]:
    """Python's cycle collector less often while rows stream in: each JSON item is a dict
    holding lists, and the collector would walk the batch of them hundreds of times (a tenth
    of a JSON import's time). Nothing read makes a cycle; memory is freed as before."""
    import gc

    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 100_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def import_rows(
    conn: sqlite3.Connection,
    rows: Iterable["Row | CheckedBatch"],
    *,
    change: str,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
) -> ImportResult:
    """Insert every new entry in one transaction (rolled back for a dry run)."""
    result = ImportResult(0, 0)
    try:
        with db.write_transaction(conn, change=change), _few_collections():
            last_before = db.last_entry_id(conn)
            result, any_totals = _insert_all(conn, rows, progress)
            if any_totals:  # else no entry it added is a running total
                baselines = dict.fromkeys(db.channels_given_totals(conn, last_before))
                db.settle_reach_totals(conn, baselines)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _insert_all(
    conn: sqlite3.Connection,
    rows: Iterable["Row | CheckedBatch"],
    progress: Callable[[], None] | None,
) -> tuple[ImportResult, bool]:
    """The result, and whether any entry read is a running total (reach_total)."""
    from netlog.store.bulk import BulkInsert

    bulk = BulkInsert(conn)
    channel_ids: dict[str, int] = {}
    # The highest id given out so far. An entry keeps its id only if that is higher, so ids
    # never collide, and memory stays flat however large the file (no set of seen ids).
    last_id = 0
    batch: list[Row] = []
    links: list[tuple[str, str]] = []
    names: dict[str, str] = {}  # device id → name, of the entries brought in
    first_currency = None
    added = total = 0
    any_totals = False

    def flush() -> None:
        nonlocal added, last_id, first_currency, any_totals
        # Entries already in the file are left out before anything is written, so that an
        # import that adds nothing changes nothing.
        new = bulk.new_uuids([entry.uuid or "" for _, entry, _, _ in batch])
        values = []
        devices: list[str | None] = []
        persons: list[str | None] = []
        for source_id, entry, sources, device_name in batch:
            if entry.uuid not in new:
                continue
            if entry.device and device_name:
                names.setdefault(entry.device, device_name)
            new.discard(entry.uuid)  # the same UUID twice in the file: the first one counts
            if bulk.keep_ids and source_id is not None and source_id > last_id:
                entry_id = last_id = source_id
            else:
                entry_id = None  # SQLite gives max(id) + 1, which is at most last_id + 1
                last_id += 1
            first_currency = first_currency or entry.currency
            any_totals = any_totals or entry.reach_total is not None
            links.extend((entry.uuid or "", source) for source in sources)
            if entry.channel not in channel_ids:
                channel_ids[entry.channel] = bulk.channel_id(entry.channel, entry.logged_at)
            values.append((
                entry_id, entry.uuid, channel_ids[entry.channel], entry.kind,
                entry.occurred_at, entry.logged_at, entry.what, entry.minutes, entry.count,
                entry.label, entry.value_minor, entry.currency, entry.note,
                db.tags_json(entry.tags), entry.reach_total,
            ))  # fmt: skip
            devices.append(entry.device)
            persons.append(entry.person)
        who = zip(*bulk.who(devices, persons), strict=True)
        added += bulk.insert([(*row, *stamp) for row, stamp in zip(values, who, strict=True)])
        batch.clear()
        if progress is not None:
            progress()

    def flush_checked(checked: CheckedBatch) -> None:
        """flush() for a batch checked as columns: the same ids, channels and links."""
        nonlocal added, last_id, first_currency, any_totals
        any_totals = any_totals or checked.reach_totals.count(None) < len(checked.reach_totals)
        new = bulk.new_uuids(checked.uuids)
        if len(new) < len(checked.uuids):  # some already present, or twice in the batch
            keep = []
            for entry_uuid in checked.uuids:
                keep.append(entry_uuid in new)
                new.discard(entry_uuid)  # the same UUID twice in the file: the first one counts
            columns: list = [list(itertools.compress(column, keep)) for column in checked]
            checked = CheckedBatch(*columns)
        entry_ids: list[int | None] = []
        ids = cast("list[int]", checked.source_ids)  # none is None where they are compared
        if (
            bulk.keep_ids
            and ids
            and None not in checked.source_ids
            and all(map(operator.lt, [last_id, *ids[:-1]], ids))
        ):  # ids rising from above last_id (an export in id order): each keeps its own
            entry_ids = [*ids]
            last_id = ids[-1]
        else:
            for source_id in checked.source_ids:
                if bulk.keep_ids and source_id is not None and source_id > last_id:
                    entry_ids.append(source_id)
                    last_id = source_id
                else:
                    entry_ids.append(None)
                    last_id += 1
        first_currency = first_currency or next(filter(None, checked.currencies), None)
        for entry_uuid, sources in itertools.compress(
            zip(checked.uuids, checked.sources, strict=True), checked.sources
        ):
            links.extend((entry_uuid, source) for source in sources)
        for device, device_name in dict.fromkeys(
            zip(checked.devices, checked.device_names, strict=True)
        ):
            if device and device_name:
                names.setdefault(device, device_name)
        new_names = [name for name in dict.fromkeys(checked.channels) if name not in channel_ids]
        if new_names:  # each made when first met, as of the first of its entries
            first_logged = dict(
                zip(reversed(checked.channels), reversed(checked.logged), strict=True)
            )
            for name in new_names:
                channel_ids[name] = bulk.channel_id(name, first_logged[name])
        added += bulk.insert(
            list(
                zip(
                    entry_ids, checked.uuids, map(channel_ids.__getitem__, checked.channels),
                    checked.kinds, checked.occurred, checked.logged, checked.what,
                    checked.minutes, checked.counts, checked.labels, checked.values,
                    checked.currencies, checked.notes, checked.tags, checked.reach_totals,
                    *bulk.who(checked.devices, checked.persons),
                    strict=True,
                )
            )
        )  # fmt: skip
        if progress is not None:
            progress()

    for row in rows:
        if isinstance(row, CheckedBatch):
            if batch:
                flush()
            total += len(row.uuids)
            flush_checked(row)
            continue
        total += 1
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            flush()
    if batch:
        flush()
    for entry_uuid, source_uuid in links:
        if not bulk.link(entry_uuid, source_uuid):
            raise NetlogError(
                f"entry {entry_uuid} comes from {source_uuid}, which is neither in the file "
                "nor in the database"
            )
    bulk.finish(added)
    learn_names(conn, names)
    db.adopt_currency(conn, first_currency)
    return ImportResult(added, total - added), any_totals


def rows_from_database(
    other: sqlite3.Connection, file_currency: str | None
) -> Iterator["Row | CheckedBatch"]:
    """Every entry of another netlog database, read as entries (never through text) and
    checked like an import, a batch at a time where the batch is plain (see
    _checked_stored_batch); amounts must be in the currency of the file they go into."""
    other_currency = db.file_currency(other)
    names = device_names(other) if has_who(other) else {}
    state = _StoredReader(file_currency, other_currency, names, latest_allowed())
    rows = db.iter_stored_entries(other)
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        currency = state.current
        try:
            yield _checked_stored_batch(batch, state)
        except (_NotPlain, ValueError, TypeError, KeyError, NetlogError):
            state.current = currency  # row by row from the start: the first bad row is named
            yield from map(state.row, batch)


class _StoredReader:
    """What reading another file's entries carries from one to the next: the currency
    amounts are settled in, and the combinations of fields that passed check()."""

    def __init__(
        self,
        current: str | None,
        other_currency: str | None,
        names: dict[str, str],
        latest: str,
    ) -> None:
        self.current = current
        self.other_currency = other_currency
        self.names = names
        self.latest = latest
        self.shapes_allowed: set[tuple] = set()

    def settle(self, currency: str | None) -> str | None:
        """The currency of an amount stored in `currency` (None: the other file's)."""
        settled = settle_currency(self.current, currency or self.other_currency, "its amount")
        self.current = self.current or settled
        return settled

    def row(self, row: sqlite3.Row) -> Row:
        """One stored entry, checked; NetlogError naming it."""
        try:
            entry = db.entry_from_row(row)
            if entry.value_minor is not None:
                entry = entry._replace(currency=self.settle(entry.currency))
            sources = tuple(row["sources"].split(",")) if row["sources"] else ()
            name = self.names.get(entry.device or "")
            return check_row(Row(row["id"], entry, sources, name), self.latest)
        except (ValueError, NetlogError) as exc:
            raise NetlogError(f"entry #{row['id']} of the other file: {exc}") from None


# The columns of a stored entry that _checked_stored_batch reads (the current schema's).
_STORED_FIELDS = (
    "id", "uuid", "channel", "kind", "occurred_at", "logged_at", "what", "minutes", "count",
    "label", "value_minor", "currency", "note", "tags", "reach_total", "sources", "device",
    "person",
)  # fmt: skip


def _checked_stored_batch(rows: list[sqlite3.Row], state: _StoredReader) -> CheckedBatch:
    """_StoredReader.row() of each row, checked a column at a time as _checked_batch does
    for an export: the same entries and the same rules (a test holds the two to the same
    file). Anything not plain, or a rule broken, and the caller reads the rows one by one."""
    keys = rows[0].keys()
    if not set(_STORED_FIELDS) <= set(keys):
        raise _NotPlain  # an older file: row by row
    by_index = dict(zip(keys, zip(*rows, strict=True), strict=True))
    column = {name: list(by_index[name]) for name in _STORED_FIELDS}
    uuids = column["uuid"]
    if set(map(type, uuids)) != {str} or "" in uuids:
        raise _NotPlain
    occurred = _times(column["occurred_at"])
    logged = _times(column["logged_at"])
    if max(occurred) > state.latest:
        raise _NotPlain
    if set(map(type, column["channel"])) != {str}:
        raise _NotPlain
    for name in ("what", "label", "note", "tags", "sources", "device", "person"):
        if not set(map(type, column[name])) <= {str, _NONE_TYPE}:
            raise _NotPlain
    currencies = column["currency"]
    values = column["value_minor"]
    if any(value is not None for value in values):
        currencies = [
            state.settle(currency) if value is not None else currency
            for value, currency in zip(values, currencies, strict=True)
        ]
    entry_kinds, minutes, counts = column["kind"], column["minutes"], column["count"]
    reach_totals, what, labels = column["reach_total"], column["what"], column["label"]
    shapes = set(
        zip(entry_kinds, minutes, counts, reach_totals, values, currencies,
            map(operator.is_not, what, itertools.repeat(None)),
            map(operator.is_not, labels, itertools.repeat(None)),
            strict=True)
    )  # fmt: skip
    _check_shapes(shapes, state.shapes_allowed)
    devices = column["device"]
    return CheckedBatch(
        source_ids=column["id"],
        uuids=uuids,
        channels=_memo(column["channel"], lambda name: clean_channel(str(name))),
        kinds=entry_kinds,
        occurred=occurred,
        logged=logged,
        what=_texts(what, "description"),
        minutes=minutes,
        counts=counts,
        labels=_texts(labels, "label"),
        values=values,
        currencies=currencies,
        notes=_texts(column["note"], "note"),
        tags=_memo(
            column["tags"],
            lambda text: db.tags_json(
                tuple(clean_tags(list(tags_from(text if isinstance(text, str) else None))))
            ),
        ),
        reach_totals=reach_totals,
        sources=[tuple(text.split(",")) if text else () for text in column["sources"]],
        devices=devices,
        persons=column["person"],
        device_names=[state.names.get(device or "") for device in devices],
    )
