"""readers: every malformed, binary or endless import file is one NetlogError, never a crash,
a hang with growing memory, or a silent import."""

import contextlib
import csv
import io
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import ENTRY_FIELDS

from netlog.errors import NetlogError
from netlog.io.readers import (
    MAX_DEPTH,
    MAX_FIELD_CHARS,
    MAX_RECORD_CHARS,
    READ_CHARS,
    detect_binary,
    read_csv_records,
    read_json_array,
    refuse_binary,
)

pytestmark = pytest.mark.slow

REQUIRED = {"uuid", "type", "channel", "occurred_at"}
KNOWN = set(ENTRY_FIELDS)


class Trickle(io.TextIOBase):
    """Text handed out a few characters per read, so every item crosses read boundaries."""

    def __init__(self, text: str, most: int = 7) -> None:
        self.text, self.at, self.most, self.random = text, 0, most, random.Random(0)

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        size = len(self.text) if size is None or size < 0 else size
        part = self.text[self.at : self.at + min(size, self.random.randint(1, self.most))]
        self.at += len(part)
        return part


class Generated(io.RawIOBase):
    """A byte stream made by a generator as it is read: endless, or far larger than memory."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending:
            chunk = next(self.chunks, None)
            if chunk is None:
                return 0
            self.pending = chunk
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def text_stream(chunks: Iterator[bytes]) -> io.TextIOWrapper:
    # As `netlog import` opens files.
    return io.TextIOWrapper(io.BufferedReader(Generated(chunks)), encoding="utf-8", newline="")


def forever(start: bytes, repeat: bytes) -> Iterator[bytes]:
    yield start
    block = repeat * (8192 // len(repeat) + 1)
    while True:
        yield block


def random_bytes() -> Iterator[bytes]:
    rng = random.Random(7)
    while True:
        yield rng.randbytes(8192)


def json_items(text: str, *, trickle: bool = False) -> list[tuple[int, object]]:
    # Long texts in larger parts: the reader rescans an unfinished item on each read.
    stream = (
        Trickle(text, most=7 if len(text) < 10_000 else 10_000) if trickle else io.StringIO(text)
    )
    return list(read_json_array(stream, what="a netlog JSON export"))


def csv_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    return list(read_csv_records(io.StringIO(text, newline=""), required=REQUIRED, known=KNOWN))


HEADER = "uuid,type,channel,occurred_at\r\n"
ROW = "u,activity,Email,2010-09-14T10:00:00+00:00\r\n"
BIG = "x" * (MAX_FIELD_CHARS + 1)
TALL = '"' + "ab\r\n" * (MAX_FIELD_CHARS // 4) + '"'  # a quoted field of many lines

NOT_CSV = "this is not a netlog CSV export"
NOT_JSON = "this is not a netlog JSON export"
LONG_FIELD = f"a field is longer than {MAX_FIELD_CHARS:,} characters"
LONG_ROW = f"the row is longer than {MAX_RECORD_CHARS:,} characters"
LONG_ITEM = f"it is longer than {MAX_RECORD_CHARS:,} characters"
DEEP = f"it nests arrays or objects more than {MAX_DEPTH} deep"
NO_END = "the file ends before the closing ]"
NOT_UTF8 = "the file is not UTF-8 text: save it as UTF-8 and try again"


def surrogate(code: str) -> str:
    return f"text with a lone surrogate \\u{code} (half of a UTF-16 pair)"


def cells(count: int) -> str:
    return f"{count} cell{'s' * (count != 1)}, but the header has 4 columns"


CSV_FAILURES = [
    ("", f"{NOT_CSV}: the file is empty"),
    ("\r\n\r\n", f"{NOT_CSV}: the file is empty"),
    ("uuid,type\r\n", f"{NOT_CSV}: the header (line 1) has no column channel, occurred_at"),
    ("\r\nuuid\r\n", f"{NOT_CSV}: the header (line 2) has no column channel, occurred_at, type"),
    (
        "date,hours\r\n1,2\r\n",
        f"{NOT_CSV}: the header (line 1) has no column channel, occurred_at, type, uuid",
    ),
    ("uuid,type,channel,occurred_at,type\r\n", "line 1: the header names a column twice: 'type'"),
    (
        "uuid,type,channel,occurred_at,colour\r\n",
        "line 1: unknown column 'colour'; a netlog CSV export has only the columns "
        + ", ".join(sorted(KNOWN)),
    ),
    ("uuid,type,channel,occurred_at,\r\n", "line 1: column 5 of the header has no name"),
    (HEADER + ROW + "u,activity,Email,2010,extra\r\n", f"line 3: {cells(5)}"),
    (HEADER + "u,activity\r\n", f"line 2: {cells(2)}"),
    (HEADER + "\r\n" + ROW + "u\r\n", f"line 4: {cells(1)}"),
    (HEADER + 'u,activity,"Email\r\nstill row 2",x,y\r\n', f"line 2: {cells(5)}"),
    (
        HEADER + ROW + 'u,activity,"Email,2010\r\n',
        'line 3: the file ends inside a quoted field (a " is not closed)',
    ),
    (HEADER + 'u,activity,"Email"x,2010\r\n', "line 2: not valid CSV (',' expected after '\"')"),
    (HEADER + ROW + "u,activity,Em\0ail,2010\r\n", "line 3: this is a binary file, not CSV"),
    ("\0\0\0\0", "line 1: this is a binary file, not CSV"),
    (HEADER + f"u,activity,{BIG},2010\r\n", f"line 2: {LONG_FIELD}"),
    (HEADER + f'u,activity,"{BIG * 2}",2010\r\n', f"line 2: {LONG_FIELD}"),
    (HEADER + ROW + ",".join([BIG[:-2]] * 4) + "\r\n", f"line 3: {LONG_ROW}"),
    (HEADER + ROW + ",".join([TALL] * 4) + "\r\n", f"line 3: {LONG_ROW}"),
]

NESTED = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
OK_NESTED = "[" * MAX_DEPTH + "]" * MAX_DEPTH
JSON_FAILURES = [
    ("", f"{NOT_JSON}: it starts with nothing, not ["),
    ('{"uuid": "u"}', f"{NOT_JSON}: it starts with '{{', not ["),
    ("uuid,type\r\n", f"{NOT_JSON}: it starts with 'u', not ["),
    ("[", f"after the [: {NO_END}"),
    ("[{}, {}", f"after item 2: {NO_END}"),
    ("[{}, {},", f"after item 2: {NO_END}"),
    ('[{}, {"a": [1, 2', "item 2: the file ends in the middle of it"),
    ('[{}, "abc', "item 2: the file ends in the middle of it"),
    ("[{}] {}", "after the closing ]: unexpected text starting '{'"),
    ("[{}]]", "after the closing ]: unexpected text starting ']'"),
    ("[{}]\n\nx", "after the closing ]: unexpected text starting 'x'"),
    ("[{}, {},]", "item 3: expected a value, found ']'"),
    ("[, {}]", "item 1: expected a value, found ','"),
    ("[{} {}]", "after item 1: expected , or ], found '{'"),
    ("[{}; {}]", "after item 1: expected , or ], found ';'"),
    (f"[{{}}, {OK_NESTED}, {NESTED}]", f"item 3: {DEEP}"),
    ("[" + '{"a":' * 10_000, f"item 1: {DEEP}"),
    ('[{}, "\\ud800"]', f"item 2: {surrogate('d800')}"),
    ('[{"note": "a\\udfffb"}]', f"item 1: {surrogate('dfff')}"),
    ('[{"\\uDBFF": 1}]', f"item 1: {surrogate('dbff')}"),
    ('[{"note": "é"}, {"note": "é\ud800"}]', f"item 2: {surrogate('d800')}"),  # as text
    (
        "[" + '{"a": "é"}, ' * 20_000 + '{"minutes": ' + "1" * 101 + "}]",  # many reads in
        "item 20001: a number is longer than 100 characters",
    ),
    (
        "[" + '{"a": 1}, ' * 20_000 + '{"é": 1, "é": 2}]',
        "item 20001: an object has the key 'é' twice",
    ),
    ("[1, NaN]", "item 2: NaN is not a number in JSON"),
    ('[{"value": -Infinity}]', "item 1: -Infinity is not a number in JSON"),
    ("[1e400]", "item 1: the number 1e400 is out of range"),
    ("[" + "9" * 5000 + "]", "item 1: a number is longer than 100 characters"),
    ('[{"minutes": ' + "1" * 101 + "}]", "item 1: a number is longer than 100 characters"),
    ('[{"uuid": "a", "uuid": "b"}]', "item 1: an object has the key 'uuid' twice"),
    ("[tru]", "item 1: not valid JSON (Expecting value, column 1 of the item)"),
    (
        '[{"a": 1,}]',
        "item 1: not valid JSON (Expecting property name enclosed in double quotes,"
        " column 9 of the item)",
    ),
    (
        '[{"a": "tab\tinside"}]',
        "item 1: not valid JSON (Invalid control character, column 11 of the item)",
    ),
    ("[[1}]", "item 1: not valid JSON (Expecting ',' delimiter, column 3 of the item)"),
    ('["' + "a" * MAX_RECORD_CHARS + '"]', f"item 1: {LONG_ITEM}"),
    ('[{"a": "' + "a" * MAX_RECORD_CHARS + '"}]', f"item 1: {LONG_ITEM}"),
    ("[[" + "[1]," * (MAX_RECORD_CHARS // 4) + "1]]", f"item 1: {LONG_ITEM}"),
]


@pytest.mark.parametrize(("text", "message"), CSV_FAILURES)
def test_a_bad_csv_file_is_one_error_naming_its_line(text, message):
    with pytest.raises(NetlogError) as caught:
        csv_rows(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("trickle", [False, True], ids=["whole", "trickled"])
@pytest.mark.parametrize(("text", "message"), JSON_FAILURES)
def test_a_bad_json_file_is_one_error_naming_its_item(text, message, trickle):
    with pytest.raises(NetlogError) as caught:
        json_items(text, trickle=trickle)
    assert str(caught.value) == message


def test_items_before_a_bad_one_are_yielded_then_the_error():
    items = read_json_array(io.StringIO("[1, 2, {]"), what="x")
    assert next(items) == (1, 1)
    assert next(items) == (2, 2)
    with pytest.raises(NetlogError, match=r"^item 3: "):
        next(items)


def test_the_deepest_allowed_nesting_and_escaped_brackets_read():
    text = "[" + OK_NESTED + r', "[[[[\"{{{{", {"a": "]]]]}}"}, "\ud83d\ude00"]'
    assert json_items(text) == [
        (1, json.loads(OK_NESTED)),
        (2, '[[[["{{{{'),
        (3, {"a": "]]]]}}"}),
        (4, "😀"),
    ]


def test_the_largest_allowed_field_and_item_read():
    field = "x" * MAX_FIELD_CHARS
    assert csv_rows(HEADER + f"u,activity,{field},2010\r\n")[0][1]["channel"] == field
    item = "y" * (MAX_RECORD_CHARS - 2)
    assert json_items(f'["{item}"]', trickle=True) == [(1, item)]


# --- binary and endless streams ------------------------------------------------------------

ENDLESS = [
    ("json", lambda: forever(b"", b"\0"), "this is a binary file, not JSON"),
    ("csv", lambda: forever(b"", b"\0"), "line 1: this is a binary file, not CSV"),
    ("json", random_bytes, NOT_UTF8),
    ("csv", random_bytes, NOT_UTF8),
    ("json", lambda: forever(b"", b"["), f"item 1: {DEEP}"),
    ("json", lambda: forever(b'[{"a": 1}, "', b"a"), f"item 2: {LONG_ITEM}"),
    ("json", lambda: forever(b'[{"a": "', b"a"), f"item 1: {LONG_ITEM}"),
    ("json", lambda: forever(b"[{}, 1", b"1"), f"item 2: {LONG_ITEM}"),
    ("json", lambda: forever(b"[{", b'"a": 1, '), f"item 1: {LONG_ITEM}"),
    ("csv", lambda: forever(b"", b"a"), f"line 1: {LONG_ROW}"),
    ("csv", lambda: forever(HEADER.encode() + b'u,"', b"a\r\n"), f"line 2: {LONG_FIELD}"),
    ("csv", lambda: forever((HEADER + ROW * 3).encode(), b"x,"), f"line 5: {LONG_ROW}"),
]


def read_all(kind: str, stream: IO[str]) -> list:
    if kind == "json":
        return list(read_json_array(stream, what="a netlog JSON export"))
    return list(read_csv_records(stream, required=REQUIRED, known=KNOWN))


@pytest.mark.parametrize(("kind", "chunks", "message"), ENDLESS)
def test_an_endless_or_binary_stream_fails_within_a_second(kind, chunks, message):
    stream = text_stream(chunks())
    started = time.monotonic()
    with pytest.raises(NetlogError) as caught:
        read_all(kind, stream)
    assert time.monotonic() - started < 1
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("head", "binary"),
    [
        (b"", False),
        (b"id,uuid,type\r\n", False),
        ('[{"channel": "Caf\u00e9 \u20ac"}]'.encode(), False),
        ("\u20ac".encode()[:2], False),  # a character cut off by the end of the head
        (b"\xef\xbb\xbf[", False),  # UTF-8 byte order mark
        (b"\0" * 4096, True),
        (b"id,uuid\0", True),
        (b"\xff\xfe[\0{\0", True),  # UTF-16
        (b"caf\xe9 au lait", True),  # Latin-1
        (random.Random(1).randbytes(4096), True),
    ],
)
def test_detect_binary(head, binary):
    assert detect_binary(head) is binary
    if binary:
        with pytest.raises(
            NetlogError, match=r"^/dev/zero: this is a binary file, not UTF-8 text$"
        ):
            refuse_binary(head, "/dev/zero")
    else:
        refuse_binary(head, "file.csv")


# Reads `count` items of each format from generated streams, then prints its peak memory.
COUNTING_CHILD = """
import io, sys
from netlog.io.readers import read_csv_records, read_json_array
count = int(sys.argv[1])

def json_chunks():
    yield b"["
    for n in range(count):
        yield b'%s{"n": %d, "note": "some text", "tags": ["a", "b"]}' % (b"," if n else b"", n)
    yield b"]"

def csv_chunks():
    yield b"uuid,note\\r\\n"
    for n in range(count):
        yield b"u%d,some text\\r\\n" % n

class Generated(io.RawIOBase):
    def __init__(self, chunks):
        self.chunks, self.pending = chunks, b""
    def readable(self):
        return True
    def readinto(self, buffer):
        while not self.pending:
            self.pending = next(self.chunks, None)
            if self.pending is None:
                return 0
        size = min(len(buffer), len(self.pending))
        buffer[:size], self.pending = self.pending[:size], self.pending[size:]
        return size

def stream(chunks):
    return io.TextIOWrapper(io.BufferedReader(Generated(chunks)), encoding="utf-8", newline="")

items = sum(1 for _ in read_json_array(stream(json_chunks()), what="x"))
rows = sum(1 for _ in read_csv_records(stream(csv_chunks()), required={"uuid"}, known={"note"}))
assert items == rows == count, (items, rows)
# VmHWM, not ru_maxrss: on Linux ru_maxrss keeps the parent's peak across fork and exec.
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def peak_kib_reading(count: int) -> int:
    child = subprocess.run(
        [sys.executable, "-c", COUNTING_CHILD, str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_memory_stays_flat_however_long_the_stream():
    """An endless stream of valid items cannot be refused (see the module's docstring), but
    each item is read on its own: 200,000 of each kind need no more memory than 2,000."""
    small, large = peak_kib_reading(2_000), peak_kib_reading(200_000)
    assert large - small < 3 * 1024, (small, large)


# --- properties ----------------------------------------------------------------------------

JSONISH = st.text(alphabet='[]{}",:0123456789.eE-+ntrufalsNI\\ud8\u00e9 \n\t\0', max_size=80)
CSVISH = st.text(alphabet='uuid,type,channel,occurred_at"\r\n \0\u00e9x', max_size=120)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(), JSONISH), trickle=st.booleans())
def test_any_text_is_json_items_or_one_netlog_error(text, trickle):
    with contextlib.suppress(NetlogError):
        json_items(text, trickle=trickle)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(), CSVISH, CSVISH.map(lambda body: HEADER + body)))
def test_any_text_is_csv_rows_or_one_netlog_error(text):
    with contextlib.suppress(NetlogError):
        csv_rows(text)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(JSON_VALUES, max_size=6), indent=st.sampled_from([None, 2]))
def test_any_json_array_reads_back_item_by_item(values, indent):
    text = json.dumps(values, indent=indent, ensure_ascii=indent is None)
    assert json_items(text, trickle=True) == list(enumerate(values, start=1))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(st.text().filter(lambda v: "\0" not in v), min_size=4, max_size=4)))
def test_any_csv_written_by_the_csv_module_reads_back(rows):
    out = io.StringIO()
    columns = ["uuid", "type", "channel", "occurred_at"]
    csv.writer(out, lineterminator="\r\n").writerows([columns, *rows])
    expected = [dict(zip(columns, row, strict=True)) for row in rows]
    assert [row for _, row in csv_rows(out.getvalue())] == expected


# --- netlog's own exports ------------------------------------------------------------------

EXPORT_CSV = (
    "id,uuid,type,channel,what,minutes,count,kind,label,value,currency,note,tags,occurred_at,"
    "logged_at\r\n"
    "1,0b7c7c52-3d2a-4a8e-9a53-5b1d2f0c6e01,activity,LinkedIn,comments,45,3,,,,,"
    '"said hi, twice",\'=cmd,2010-09-14T10:00:00+01:00,2010-09-14T10:50:00+01:00\r\n'
    "2,0b7c7c52-3d2a-4a8e-9a53-5b1d2f0c6e02,outcome,Email,,,1,win,Acme,1500.00,GBP,"
    '"two\r\nlines","a,b",2010-09-15T09:00:00+01:00,2010-09-15T09:05:00+01:00\r\n'
)
# netlog 0.1's export columns: a file that netlog still reads (it knows every column).
EXPORT_0_1_FIELDS = EXPORT_CSV.split("\r\n", 1)[0].split(",")
EXPORT_JSON = """[
  {"id": 1, "uuid": "0b7c7c52-3d2a-4a8e-9a53-5b1d2f0c6e01", "type": "activity", "channel": "LinkedIn", "what": "comments", "minutes": 45, "count": 3, "kind": null, "label": null, "value": null, "currency": null, "note": "said hi, twice", "tags": ["=cmd"], "occurred_at": "2010-09-14T10:00:00+01:00", "logged_at": "2010-09-14T10:50:00+01:00"},
  {"id": 2, "uuid": "0b7c7c52-3d2a-4a8e-9a53-5b1d2f0c6e02", "type": "outcome", "channel": "Caf\u00e9 \u20ac", "what": null, "minutes": null, "count": 1, "kind": "win", "label": "Acme", "value": 1500.0, "currency": "GBP", "note": "two\\nlines", "tags": ["a", "b"], "occurred_at": "2010-09-15T09:00:00+01:00", "logged_at": "2010-09-15T09:05:00+01:00"}
]
"""  # noqa: E501


def test_a_netlog_csv_export_reads_back_exactly():
    first, second = csv_rows("\ufeff" + EXPORT_CSV)
    assert first == (
        2,
        {
            "id": "1", "uuid": "0b7c7c52-3d2a-4a8e-9a53-5b1d2f0c6e01", "type": "activity",
            "channel": "LinkedIn", "what": "comments", "minutes": "45", "count": "3", "kind": "",
            "label": "", "value": "", "currency": "", "note": "said hi, twice", "tags": "'=cmd",
            "occurred_at": "2010-09-14T10:00:00+01:00", "logged_at": "2010-09-14T10:50:00+01:00",
        },
    )  # fmt: skip
    assert second[0] == 3
    assert list(second[1]) == EXPORT_0_1_FIELDS
    assert (second[1]["value"], second[1]["note"], second[1]["tags"]) == (
        "1500.00",
        "two\r\nlines",
        "a,b",
    )


def test_a_netlog_json_export_reads_back_exactly():
    items = json_items(EXPORT_JSON, trickle=True)
    assert items == list(enumerate(json.loads(EXPORT_JSON), start=1))
    assert items[1][1]["channel"] == "Café €"
    assert items[1][1]["value"] == 1500.0
    assert list(items[0][1]) == EXPORT_0_1_FIELDS


# --- a key given twice, found without a Python step per object -----------------------------

KEYS = st.sampled_from(["a", "b", "uuid", 'q":', 'x\\"', "é", ""])
WHITE = st.sampled_from(["", "", "", " ", "\n", "\t ", "\r\n"])
SCALARS = st.one_of(
    st.none(), st.integers(-5, 5), st.sampled_from(['":', '" :', 'a":b', "{", "[x]", "é"])
)


@st.composite
def json_object_texts(draw, depth=0):
    """An object as text with white space drawn around each colon, its keys drawn from a
    few (so that some repeat), its values scalars, lists or (once) other objects."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        key, before, after = draw(KEYS), draw(WHITE), draw(WHITE)
        choice = draw(st.integers(0, 5 if depth == 0 else 3))
        if choice == 4:
            value = (
                "[" + ", ".join(json.dumps(v) for v in draw(st.lists(SCALARS, max_size=2))) + "]"
            )
        elif choice == 5:
            value = draw(json_object_texts(depth=1))
        else:
            value = json.dumps(draw(SCALARS), ensure_ascii=draw(st.booleans()))
        parts.append(json.dumps(key, ensure_ascii=False) + before + ":" + after + value)
    return "{" + ", ".join(parts) + "}"


def _refusing_twice(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise ValueError(", ".join(map(repr, twice)))
    return dict(pairs)


@settings(max_examples=300, deadline=None)
@given(
    objects=st.lists(json_object_texts(), min_size=1, max_size=8),
    lead=st.integers(0, 300),
    wrapped=st.booleans(),
)
def test_a_key_given_twice_is_refused_wherever_the_object_falls(objects, lead, wrapped):
    """What json.loads with a hook refusing a repeated key makes of each item, the reader
    makes of it too: the same values, or an error at the first object with a key twice.
    A long string first puts the objects on either side of the reader's first read, so some
    are cut by the end of the buffer; `wrapped` puts each object inside a list."""
    items = [f"[{text}]" if wrapped else text for text in objects]
    filler = "f" * (READ_CHARS - 40 - lead)
    text = "[" + json.dumps(filler) + ", " + ", ".join(items) + "]"
    expected: list[tuple[int, object]] = [(1, filler)]
    problem = None
    for number, item in enumerate(items, start=2):
        try:
            expected.append((number, json.loads(item, object_pairs_hook=_refusing_twice)))
        except ValueError as exc:
            problem = f"item {number}: an object has the key {exc} twice"
            break
    read: list[tuple[int, object]] = []
    refused = None
    try:
        for pair in read_json_array(io.StringIO(text), what="x"):
            read.append(pair)
    except NetlogError as exc:
        refused = str(exc)
    assert (read, refused) == (expected, problem)
