"""Reading import files strictly and in bounded memory: CSV records and JSON array items.

Every problem with a file becomes a NetlogError of one line that names the line (CSV) or item
(JSON) and what is wrong; no other exception escapes for any text. A file is read one record
at a time and no record may be longer than MAX_RECORD_CHARS, so neither a huge file nor an
endless stream (/dev/zero, `yes '[[[['`, an unclosed string) can make memory grow: broken
input fails as soon as one record is too long.

What cannot be refused is an endless stream that keeps looking valid, such as
`yes '1,' | ...` after a `[`, or endless blank lines: no record is ever too long, so reading
goes on until the stream ends or the user stops it, but memory stays flat because nothing is
kept from one record to the next (the caller decides what to keep).
"""

import re
from collections.abc import Iterator
from typing import IO

from netlog.errors import NetlogError

# The limits on what one file may contain, in characters (a character is 1 to 4 bytes).
MAX_FIELD_CHARS = 64 * 1024  # one CSV cell
MAX_RECORD_CHARS = 256 * 1024  # one CSV row or one item of a JSON array, as written
MAX_DEPTH = 32  # arrays and objects inside one another in one JSON item
MAX_NUMBER_CHARS = 100  # one JSON number, as written

READ_CHARS = 64 * 1024  # how much of a JSON file is read at a time
# Where in the file is unknown: text streams decode thousands of bytes ahead of the reader.
NOT_UTF8 = "the file is not UTF-8 text: save it as UTF-8 and try again"


# --- the first bytes ------------------------------------------------------------------------


def detect_binary(head: bytes) -> bool:
    """Whether the first bytes of a file show that it is not UTF-8 text: a NUL byte, or bytes
    that are not UTF-8 (a sequence cut off at the end of `head` is allowed)."""
    import codecs

    if b"\0" in head:
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return True
    return False


def refuse_binary(head: bytes, name: str) -> None:
    """NetlogError if `head`, the first bytes of the file called `name`, is not text; call it
    with e.g. the first 4 KiB so that /dev/zero or /dev/urandom fail at once."""
    if detect_binary(head):
        raise NetlogError(f"{name}: this is a binary file, not UTF-8 text")


# --- CSV --------------------------------------------------------------------------------------


def _always(match: "re.Match[str] | None") -> "re.Match[str]":
    """The match of a pattern that matches everywhere (it may match nothing)."""
    assert match is not None
    return match


class _LineFeeder:
    """The lines of a CSV stream for csv.reader, none longer than what is left of the current
    record's allowance, with the line numbers for messages."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.lines_read = 0
        self.record_start = 1
        self.record_chars = 0

    def new_record(self) -> None:
        self.record_start = self.lines_read + 1
        self.record_chars = 0

    def __iter__(self) -> "_LineFeeder":
        return self

    def __next__(self) -> str:
        try:
            # readline's limit keeps a line without an end (such as /dev/zero) bounded.
            line = self.stream.readline(MAX_RECORD_CHARS + 1 - self.record_chars)
        except UnicodeDecodeError:
            raise NetlogError(NOT_UTF8) from None
        if not line:
            raise StopIteration
        self.lines_read += 1
        if self.lines_read == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if "\0" in line:
            raise NetlogError(f"line {self.lines_read}: this is a binary file, not CSV")
        self.record_chars += len(line)
        if self.record_chars > MAX_RECORD_CHARS:
            raise NetlogError(
                f"line {self.record_start}: the row is longer than {MAX_RECORD_CHARS:,} characters"
            )
        return line


def _csv_problem(error: Exception) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters"
    if "unexpected end of data" in message:
        return 'the file ends inside a quoted field (a " is not closed)'
    return f"not valid CSV ({message})"


def _csv_records(feeder: _LineFeeder) -> Iterator[list[str]]:
    """The non-blank records of the stream, with any csv.Error turned into a NetlogError."""
    import csv

    # strict: a quote in the wrong place or a file ending inside quotes is an error, not
    # something to guess about.
    reader = csv.reader(feeder, strict=True)
    while True:
        feeder.new_record()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise NetlogError(f"line {feeder.record_start}: {_csv_problem(exc)}") from None
        if not cells:
            continue  # a blank line
        # Only a record longer than a field may be can hold a field that is too long.
        if feeder.record_chars > MAX_FIELD_CHARS and max(map(len, cells)) > MAX_FIELD_CHARS:
            raise NetlogError(
                f"line {feeder.record_start}: a field is longer than {MAX_FIELD_CHARS:,} characters"
            )
        yield cells


def _check_header(
    header: list[str],
    line: int,
    *,
    required: set[str],
    known: set[str],
    what: str,
    one_of: tuple[set[str], ...] = (),
) -> None:
    for number, name in enumerate(header, start=1):
        if not name.strip():
            raise NetlogError(f"line {line}: column {number} of the header has no name")
    missing = required - set(header)
    missing |= {sorted(choices)[0] for choices in one_of if not choices & set(header)}
    if missing:
        raise NetlogError(
            f"this is not {what}: the header (line {line}) has no column "
            + ", ".join(sorted(missing))
        )
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise NetlogError(
            f"line {line}: the header names a column twice: " + ", ".join(map(_short, twice))
        )
    unknown = [name for name in header if name not in known | required]
    if unknown:
        raise NetlogError(
            f"line {line}: unknown column {', '.join(map(_short, unknown))};"
            f" {what} has only the columns " + ", ".join(sorted(known | required))
        )


def read_csv_records(
    stream: IO[str],
    *,
    required: set[str],
    known: set[str],
    what: str = "a netlog CSV export",
    one_of: tuple[set[str], ...] = (),
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each row of a CSV file with a strict header: every column in
    `required`, none twice, none outside `known` (plus `required`). Each row has exactly one
    cell per column. Open the stream with newline="" as the csv module asks. The line number
    is the row's first line; blank lines are skipped."""
    feeder = _LineFeeder(stream)
    records = _csv_records(feeder)
    header = next(records, None)
    if header is None:
        raise NetlogError(f"this is not {what}: the file is empty")
    _check_header(
        header, feeder.record_start, required=required, known=known, what=what, one_of=one_of
    )
    for cells in records:
        if len(cells) != len(header):
            raise NetlogError(
                f"line {feeder.record_start}: {len(cells)} cell{'s' * (len(cells) != 1)},"
                f" but the header has {len(header)} columns"
            )
        yield feeder.record_start, dict(zip(header, cells, strict=True))


# --- JSON -------------------------------------------------------------------------------------

# JSON's white space (str.isspace would take more).
_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]++|\\[\s\S])*+"')
# Everything up to the next bracket outside a string, and that bracket; or up to a string
# that is not closed within the text read so far, and its opening "; or up to the end.
_TO_BRACKET = re.compile(
    r'[^"\[\]{}]*+(?:"[^"\\]*+(?:\\[\s\S][^"\\]*+)*+"[^"\[\]{}]*+)*+([\[\]{}"]?)'
)
_SCALAR = re.compile(r'[^ \t\n\r,\[\]{}"]*+')
# From the end of an item to the first character of the next one (which must be there).
_NEXT_ITEM = re.compile(r"[ \t\n\r]*+,[ \t\n\r]*+(?=[^ \t\n\r])")


def _short(text: str, limit: int = 40) -> str:
    """`text` quoted for a message, cut short if long."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class _Refused(ValueError):
    """A value that JSON allows but netlog does not; the message says which."""


_INFINITIES = (float("inf"), float("-inf"))


def _number_text(text: str) -> str:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"a number is longer than {MAX_NUMBER_CHARS} characters")
    return text


def _parse_int(text: str) -> int:
    return int(_number_text(text))


def _parse_float(text: str) -> float:
    number = float(text if len(text) <= MAX_NUMBER_CHARS else _number_text(text))
    if number in _INFINITIES:  # no JSON number text is NaN
        raise _Refused(f"the number {text} is out of range")
    return number


def _parse_constant(text: str) -> float:
    raise _Refused(f"{text} is not a number in JSON")


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        twice = sorted({key for key, _ in pairs if sum(k == key for k, _ in pairs) > 1})
        raise _Refused("an object has the key " + ", ".join(map(_short, twice)) + " twice")
    return result


def _check_strings(value: object) -> None:
    """_Refused if a key or string in `value` holds half of a UTF-16 surrogate pair, which
    no UTF-8 text (or SQLite) can store."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = ord(item[exc.start])
                raise _Refused(
                    f"text with a lone surrogate \\u{code:04x} (half of a UTF-16 pair)"
                ) from None


# Text in which a number may be longer than MAX_NUMBER_CHARS: a run of that many digits (in
# strings too: the item is then only read the slower way). Found in the UTF-8 bytes with every
# digit made a 0, which takes a fraction of a regular expression's search.
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_LONG_RUN = b"0" * MAX_NUMBER_CHARS


def _long_digit_run(text: str) -> bool:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the careful way says so
        return True
    return _LONG_RUN in data.translate(_DIGITS_AS_ZERO)


def _strings_fine(value: object) -> bool:
    try:
        _check_strings(value)
    except _Refused:
        return False
    return True


class _JsonArrayReader:
    """The items of one JSON array, read incrementally: `buffer[pos:]` is all that is held,
    and it never grows past the current item plus one read."""

    def __init__(self, stream: IO[str], what: str) -> None:
        import json

        self.stream = stream
        self.what = what
        self.buffer = ""
        self.pos = 0
        # No item in the buffer can hold a lone surrogate or a number over MAX_NUMBER_CHARS.
        self.plain_buffer = True
        self.item = 0
        self.decoder = json.JSONDecoder(
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
            object_pairs_hook=_object,
        )
        # The C scanners themselves (what raw_decode calls), one Python frame less per item,
        # without the check on each integer, which _long_digit_run makes for the whole item.
        # One gives each object as its list of (key, value) pairs, with no Python call per
        # object; the other hands each object's pairs to _object.
        self.pairs_scan = json.JSONDecoder(
            parse_float=_parse_float, parse_constant=_parse_constant, object_pairs_hook=list
        ).scan_once  # type: ignore[attr-defined]  # set by JSONDecoder.__init__, untyped
        self.objects_scan = json.JSONDecoder(
            parse_float=_parse_float, parse_constant=_parse_constant, object_pairs_hook=_object
        ).scan_once  # type: ignore[attr-defined]

    def fail(self, problem: str) -> NetlogError:
        return NetlogError(f"item {self.item}: {problem}")

    def fill(self) -> bool:
        """Drop what is before pos, add the next part of the stream; False at its end."""
        try:
            chunk = self.stream.read(READ_CHARS)
        except UnicodeDecodeError:
            raise NetlogError(NOT_UTF8) from None
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        # Checked once for all the items in the buffer, not item by item (see quick()): text
        # that encodes as UTF-8 (which _long_digit_run tries) and has no \u escape holds no
        # lone surrogate.
        self.plain_buffer = "\\u" not in self.buffer and not _long_digit_run(self.buffer)
        return bool(chunk)

    def skip_space(self) -> str:
        """The next character that is not white space ("" at the end of the stream)."""
        while True:
            if self.pos < len(self.buffer) and self.buffer[self.pos] not in " \t\n\r":
                return self.buffer[self.pos]
            self.pos = _always(_SPACE.match(self.buffer, self.pos)).end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.fill():
                return ""

    def more(self, scanned_to: int) -> int:
        """Read more of the current item, which starts at pos, does not end within the
        buffer and has been scanned up to `scanned_to`; the same place in the new buffer."""
        if len(self.buffer) - self.pos > MAX_RECORD_CHARS:
            raise self.fail(f"it is longer than {MAX_RECORD_CHARS:,} characters")
        offset = scanned_to - self.pos
        if not self.fill():
            raise self.fail("the file ends in the middle of it")
        return offset

    def item_end(self) -> int:
        """Where the item that starts at pos ends, reading as much as it needs but no more
        than MAX_RECORD_CHARS, and refusing deep nesting before it is parsed."""
        first = self.buffer[self.pos]
        if first in "[{":
            return self.container_end()
        if first == '"':
            while not (match := _STRING.match(self.buffer, self.pos)):
                self.more(len(self.buffer))
            return match.end()
        while (end := _always(_SCALAR.match(self.buffer, self.pos)).end()) == len(self.buffer):
            # The number or word may go on in the next part; at the end of the file it ends.
            if end - self.pos > MAX_RECORD_CHARS:
                raise self.fail(f"it is longer than {MAX_RECORD_CHARS:,} characters")
            if not self.fill():
                return len(self.buffer)
        if end == self.pos:
            raise self.fail(f"expected a value, found {first!r}")
        return end

    def container_end(self) -> int:
        depth = 0
        scan = self.pos
        while True:
            match = _always(_TO_BRACKET.match(self.buffer, scan))
            bracket = match.group(1)
            if bracket in ("[", "{"):
                depth += 1
                if depth > MAX_DEPTH:
                    raise self.fail(f"it nests arrays or objects more than {MAX_DEPTH} deep")
            elif bracket in ("]", "}"):
                depth -= 1
                if depth == 0:
                    return match.end()
            else:  # the end of what has been read, or a string that goes on past it
                offset = self.more(match.start(1))  # this moves pos
                scan = self.pos + offset
                continue
            scan = match.end()
            if scan - self.pos > MAX_RECORD_CHARS:
                raise self.fail(f"it is longer than {MAX_RECORD_CHARS:,} characters")

    def decode(self, end: int) -> object:
        import json

        if end - self.pos > MAX_RECORD_CHARS:
            raise self.fail(f"it is longer than {MAX_RECORD_CHARS:,} characters")
        text = self.buffer[self.pos : end]
        try:
            value = self.decoder.decode(text)
            if "\\u" in text or not text.isascii():  # else it cannot hold a surrogate
                _check_strings(value)
        except json.JSONDecodeError as exc:
            problem = exc.msg.removesuffix(" at")  # "Invalid control character at"
            raise self.fail(f"not valid JSON ({problem}, column {exc.colno} of the item)") from None
        except _Refused as exc:
            raise self.fail(str(exc)) from None
        self.pos = end
        return value

    def value(self) -> object:
        """The item that starts at pos, parsed and checked."""
        if self.buffer[self.pos] in "[{":
            # The common case first: an item that is all in the buffer, parsed in one call of
            # the C decoder; one that the buffer's end cuts, once more after the next read.
            value = self.quick()
            if value is _SLOW and len(self.buffer) - self.pos <= MAX_RECORD_CHARS and self.fill():
                value = self.quick()
            if value is not _SLOW:
                return value
        return self.decode(self.item_end())

    def quick(self) -> object:
        """The item that starts at pos if the C decoder reads it whole from the buffer and
        it plainly keeps every rule; else _SLOW, and decode() is to say what is wrong."""
        buffer, start = self.buffer, self.pos
        try:
            value, end = self.pairs_scan(buffer, start)
            objects = buffer.count("{", start, end)
            if (
                end - start > MAX_RECORD_CHARS
                or objects + buffer.count("[", start, end) > MAX_DEPTH
            ):
                return _SLOW
            if objects == 1 and buffer[start] == "{":  # one object, the item: its pairs
                pairs, value = value, dict(value)
                if len(value) < len(pairs):  # a key twice: the careful way names it
                    return _SLOW
            elif objects:  # objects inside the item: each made a dict by _object
                value, end = self.objects_scan(buffer, start)
            if not (self.plain_buffer or self.plain_item(value, buffer[start:end])):
                return _SLOW
        except (StopIteration, ValueError, RecursionError):  # _Refused is a ValueError
            return _SLOW
        self.pos = end
        return value

    @staticmethod
    def plain_item(value: object, text: str) -> bool:
        """Whether the item `value`, read from `text`, holds no lone surrogate and no number
        over MAX_NUMBER_CHARS (else the careful way says which)."""
        return not _long_digit_run(text) and (
            (text.isascii() and "\\u" not in text) or _strings_fine(value)
        )

    def items(self) -> Iterator[tuple[int, object]]:
        if self.fill() and self.buffer.startswith("\ufeff"):
            self.pos = 1
        first = self.skip_space()
        if first == "\0":
            raise NetlogError("this is a binary file, not JSON")
        if first != "[":
            found = "nothing" if not first else repr(first)
            raise NetlogError(f"this is not {self.what}: it starts with {found}, not [")
        self.pos += 1
        if self.skip_space() == "]":
            self.pos += 1
        else:
            while True:
                self.item += 1
                if not self.skip_space():
                    where = f"after item {self.item - 1}" if self.item > 1 else "after the ["
                    raise NetlogError(f"{where}: the file ends before the closing ]")
                yield self.item, self.value()
                # The common case: a comma and the next item's first character, in the buffer.
                while (step := _NEXT_ITEM.match(self.buffer, self.pos)) is not None:
                    self.pos = step.end()
                    self.item += 1
                    yield self.item, self.value()
                after = self.skip_space()
                self.pos += 1
                if after == "]":
                    break
                if after != ",":
                    if not after:
                        raise NetlogError(
                            f"after item {self.item}: the file ends before the closing ]"
                        )
                    raise NetlogError(f"after item {self.item}: expected , or ], found {after!r}")
        if trailing := self.skip_space():
            raise NetlogError(f"after the closing ]: unexpected text starting {trailing!r}")


_SLOW = object()  # an item for _JsonArrayReader.decode(), the careful way


def read_json_array(stream: IO[str], *, what: str) -> Iterator[tuple[int, object]]:
    """(item number from 1, value) for each item of the JSON array that is the whole of
    `stream`; `what` names the kind of file for messages ("a Watson frames file").

    Strict: nothing but white space after the closing ], no NaN or Infinity, no number over
    MAX_NUMBER_CHARS characters, no object with a key twice, no lone surrogate (\\ud800) in
    text, no nesting deeper than MAX_DEPTH, no item over MAX_RECORD_CHARS characters."""
    return _JsonArrayReader(stream, what).items()
