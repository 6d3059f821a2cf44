"""Email from an mbox file (Google Takeout's, or any mail program's; CRLF or LF).

Messages from the user that start a thread become items ("emails"); the first answer from
someone else to one of them (its In-Reply-To or References names it) becomes a reply linked
to it. Only headers are read, one message at a time, so a 1 GB mbox reads in bounded memory;
it is read twice (once for the Message-IDs in the file, once for the items).
"""

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import IO, NamedTuple

from netlog.errors import InputError
from netlog.io.capture import ITEM, REPLY, Item

MAX_HEADER_BYTES = 256 * 1024  # a message's headers beyond this are not read
_ID = re.compile(rb"<[^<>\s]+>")
# The address of a usual From (`Name <a@b.c>` or a bare `a@b.c`), read without the email
# package's full parser, which takes most of an import's time; anything else goes through it.
_ANGLED = re.compile(rb"<([^<>\s@]+@[^<>\s]+)>\s*$")
_BARE = re.compile(rb"\s*([^<>\s@\"(),]+@[^<>\s\"(),]+)\s*$")


class Headers(NamedTuple):
    sender: str | None  # the address, lower case
    at: datetime | None
    message_id: bytes | None
    in_reply_to: bytes | None
    references: list[bytes]
    labels: list[str]


def _digest(message_id: bytes) -> bytes:
    """8 bytes per Message-ID in memory, instead of the ID itself."""
    return hashlib.blake2b(message_id, digest_size=8).digest()


def _decoded(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except (ValueError, LookupError, UnicodeError):  # a broken or unknown encoded word
        return text


def _header_values(block: bytes) -> dict[bytes, bytes]:
    """The headers netlog reads, unfolded; the first of each name."""
    values: dict[bytes, bytes] = {}
    name = None
    for line in block.splitlines():
        if line[:1] in (b" ", b"\t") and name is not None:
            if name in values and len(values[name]) < MAX_HEADER_BYTES:
                values[name] += b" " + line.strip()
            continue
        field, colon, value = line.partition(b":")
        name = field.strip().lower() if colon else None
        if name is not None and name not in values:
            values[name] = value.strip()
    return values


def _sender(raw: bytes) -> str | None:
    found = _ANGLED.search(raw) or _BARE.match(raw)
    if found is not None:
        return found.group(1).decode("utf-8", "replace").lower()
    addresses = [address for _, address in getaddresses([_decoded(raw)])]
    return addresses[0].strip().lower() if addresses and "@" in addresses[0] else None


def _labels(values: dict[bytes, bytes]) -> list[str]:
    labels = _decoded(values.get(b"x-gmail-labels", b"")).split(",")
    return [label.strip().casefold() for label in labels if label.strip()]


def parse_headers(block: bytes) -> Headers:
    values = _header_values(block)
    sender = _sender(values[b"from"]) if b"from" in values else None
    at = None
    if b"date" in values:
        try:
            at = parsedate_to_datetime(_decoded(values[b"date"]))
        except (ValueError, TypeError, IndexError):
            at = None
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)  # RFC 5322's -0000: the zone is unknown
    ids = _ID.findall(values.get(b"message-id", b""))
    replied = _ID.findall(values.get(b"in-reply-to", b""))
    return Headers(
        sender=sender,
        at=at,
        message_id=ids[0] if ids else None,
        in_reply_to=replied[0] if replied else None,
        references=_ID.findall(values.get(b"references", b"")),
        labels=_labels(values),
    )


def header_blocks(stream: IO[bytes], progress: Callable[[], None] | None = None) -> Iterator[bytes]:
    """The header block of each message, reading the mbox one line at a time."""
    block: list[bytes] = []
    size = 0
    in_headers = False
    started = False
    previous_blank = True
    count = 0
    for line in stream:
        if line.startswith(b"From ") and previous_blank:
            if started:
                yield b"".join(block)
                count += 1
                if progress is not None and count % 1000 == 0:
                    progress()
            started, in_headers, block, size = True, True, [], 0
            previous_blank = False
            continue
        blank = line in (b"\n", b"\r\n")
        if in_headers:
            if blank:
                in_headers = False
            elif size < MAX_HEADER_BYTES:
                block.append(line)
                size += len(line)
        previous_blank = blank
    if started:
        yield b"".join(block)


def messages(stream: IO[bytes], progress: Callable[[], None] | None = None) -> Iterator[Headers]:
    """The headers of each message."""
    return map(parse_headers, header_blocks(stream, progress))


def check_mbox(path: Path) -> None:
    """Bad input at once for a path that is not an mbox file."""
    if path.is_dir():
        raise InputError(f"{path}: expected an mbox file, found a folder")
    try:
        with path.open("rb") as stream:
            head = stream.read(64).lstrip(b"\r\n")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not head.startswith(b"From "):
        shown = "an empty file" if not head else f"a file starting {head[:12]!r}"
        raise InputError(f"{path}: expected an mbox file (starting 'From '), found {shown}")


def _sent_by(path: Path, me: Collection[str]) -> tuple[set[str], set[bytes]]:
    """The user's addresses (given, or the most frequent sender of messages labelled Sent)
    and the digests of every Message-ID in the file."""
    senders: Counter[str] = Counter()
    ids: set[bytes] = set()
    with path.open("rb") as stream:
        for block in header_blocks(stream):
            values = _header_values(block)  # only what this pass needs: it must be quick
            found = _ID.search(values.get(b"message-id", b""))
            if found is not None:
                ids.add(_digest(found.group()))
            if not me and b"from" in values and "sent" in _labels(values):
                sender = _sender(values[b"from"])
                if sender:
                    senders[sender] += 1
    if me:
        return {address.strip().lower() for address in me}, ids
    if not senders:
        raise InputError(
            f"{path}: no message is labelled Sent, so netlog cannot tell which are yours:"
            " give --me ADDRESS"
        )
    return {senders.most_common(1)[0][0]}, ids


def mbox_items(
    path: Path,
    *,
    me: Collection[str],
    skipped: list[int],
    progress_stream: Callable[[IO[bytes]], Callable[[], None] | None] | None = None,
) -> Iterator[Item]:
    """Items and replies of an mbox; `skipped[0]` counts messages without a date or sender."""
    mine, ids_in_file = _sent_by(path, me)
    outreach: set[bytes] = set()  # digests of the user's messages that start a thread
    users: set[bytes] = set()  # digests of all the user's messages
    answers: list[tuple[datetime, str, list[bytes]]] = []
    with path.open("rb") as stream:
        progress = progress_stream(stream) if progress_stream is not None else None
        for headers in messages(stream, progress):
            if headers.sender is None or headers.at is None:
                skipped[0] += 1
                continue
            key = "email:" + (
                headers.message_id.decode("ascii", "replace")
                if headers.message_id is not None
                else f"{headers.sender}|{headers.at.isoformat()}"
            )
            if headers.sender in mine:
                digest = _digest(headers.message_id) if headers.message_id else None
                if digest is not None:
                    users.add(digest)
                replied = headers.in_reply_to
                if replied is None or _digest(replied) not in ids_in_file:
                    if digest is not None:
                        outreach.add(digest)
                    yield Item(ITEM, headers.at, key)
            else:
                named = [headers.in_reply_to] if headers.in_reply_to else []
                named += [ref for ref in headers.references if ref not in named]
                if named:
                    answers.append((headers.at, key, named))
    yield from _replies(answers, outreach, users)


def _replies(
    answers: list[tuple[datetime, str, list[bytes]]], outreach: set[bytes], users: set[bytes]
) -> Iterator[Item]:
    """The first answer to each of the user's threads, linked to the message that began it."""
    first: dict[bytes, tuple[datetime, str]] = {}
    for at, key, named in sorted(answers, key=lambda answer: answer[0]):
        digests = [_digest(message_id) for message_id in named]
        if not any(digest in users for digest in digests):
            continue
        started = [(d, m) for d, m in zip(digests, named, strict=True) if d in outreach]
        root = started[-1][1] if started else named[0]
        if root not in first:
            first[root] = (at, key)
    for root, (at, key) in first.items():
        yield Item(REPLY, at, key, answers="email:" + root.decode("ascii", "replace"))
