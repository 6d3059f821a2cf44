"""X's (Twitter's) archive (the zip, or the folder it unpacks to).

data/tweets.js → tweets as items; data/direct-messages.js → direct messages the user sent as
items, the first answer in a conversation the user started as a reply. The user's account id
comes from data/account.js. Followers carry no dates, so none are imported.
"""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO

from netlog.errors import InputError, NetlogError
from netlog.io.capture import ITEM, REPLY, Export, Item

WHAT = "an X archive"
TWEETS = "tweets.js"
MESSAGES = "direct-messages.js"
ACCOUNT = "account.js"
FOLLOWERS = "follower.js"
MAX_PREFIX = 200  # `window.YTD.direct_messages.part0 = `


def _after_prefix(stream: IO[str], name: str) -> IO[str]:
    """The stream after `window.YTD.<what>.part0 =`, where the JSON array begins."""
    prefix = ""
    while not prefix.endswith("="):
        char = stream.read(1)
        if not char or len(prefix) > MAX_PREFIX:
            raise InputError(f"{name}: does not start with window.YTD.… = [")
        prefix += char
    if not prefix.strip().startswith("window.YTD."):
        raise InputError(f"{name}: does not start with window.YTD.… = [")
    return stream


def _array(stream: IO[str], name: str) -> Iterator[tuple[int, object]]:
    from netlog.io.readers import read_json_array

    try:
        yield from read_json_array(_after_prefix(stream, name), what=f"X's {name}")
    except InputError:
        raise
    except NetlogError as exc:
        raise InputError(f"{name}: {exc}") from None


def _field(value: object, path: tuple[str, ...], name: str, number: int) -> str:
    for step in path:
        if not isinstance(value, dict) or step not in value:
            raise InputError(f"{name}: item {number}: no {'.'.join(path)}")
        value = value[step]
    if not isinstance(value, str | int):
        raise InputError(f"{name}: item {number}: {'.'.join(path)} is not text")
    return str(value)


def _time(text: str, shape: str, name: str, number: int) -> datetime:
    try:
        moment = datetime.strptime(text, shape)  # noqa: DTZ007 - both shapes hold %z
    except ValueError:
        raise InputError(f"{name}: item {number}: {text!r} is not a time X writes") from None
    if moment.tzinfo is None:
        raise InputError(f"{name}: item {number}: {text!r} has no zone")
    return moment


def x_items(export: Export, *, notes: list[str]) -> Iterator[Item]:
    export.refuse_unless_any([TWEETS, MESSAGES, ACCOUNT])
    export.check_sizes([TWEETS, MESSAGES, ACCOUNT])
    if export.has(FOLLOWERS):
        notes.append("followers carry no dates in an X archive: none imported")
    if export.has(TWEETS):
        with export.text(TWEETS) as stream:
            for number, value in _array(stream, TWEETS):
                tweet_id = _field(value, ("tweet", "id_str"), TWEETS, number)
                created = _field(value, ("tweet", "created_at"), TWEETS, number)
                at = _time(created, "%a %b %d %H:%M:%S %z %Y", TWEETS, number)
                yield Item(ITEM, at, f"tweet:{tweet_id}")
    else:
        notes.append(f"no {TWEETS} in the archive: no tweets")
    if not export.has(MESSAGES):
        notes.append(f"no {MESSAGES} in the archive: no direct messages")
        return
    if not export.has(ACCOUNT):
        notes.append(f"no {ACCOUNT} in the archive, so no telling which messages are yours")
        return
    yield from _direct_messages(export, _account_id(export))


def _account_id(export: Export) -> str:
    with export.text(ACCOUNT) as stream:
        for number, value in _array(stream, ACCOUNT):
            return _field(value, ("account", "accountId"), ACCOUNT, number)
    raise InputError(f"{ACCOUNT}: no account in it")


def _direct_messages(export: Export, me: str) -> Iterator[Item]:
    with export.text(MESSAGES) as stream:
        # A conversation is one item, however long: read whole (the zip's size was checked).
        text = _after_prefix(stream, MESSAGES).read()
    try:
        conversations = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{MESSAGES}: not the JSON X writes ({exc})") from None
    if not isinstance(conversations, list):
        raise InputError(f"{MESSAGES}: not a list of conversations")
    for number, value in enumerate(conversations, start=1):
        conversation = value.get("dmConversation") if isinstance(value, dict) else None
        if not isinstance(conversation, dict) or not isinstance(conversation.get("messages"), list):
            raise InputError(f"{MESSAGES}: item {number}: not a dmConversation with messages")
        mine: list[tuple[datetime, str]] = []
        others: list[tuple[datetime, str]] = []
        for entry in conversation["messages"]:
            if not isinstance(entry, dict) or "messageCreate" not in entry:
                continue  # joins, leaves, reactions: not messages
            message_id = _field(entry, ("messageCreate", "id"), MESSAGES, number)
            sender = _field(entry, ("messageCreate", "senderId"), MESSAGES, number)
            created = _field(entry, ("messageCreate", "createdAt"), MESSAGES, number)
            at = _time(created.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z", MESSAGES, number)
            key = f"dm:{message_id}"
            (mine if sender == me else others).append((at, key))
            if sender == me:
                yield Item(ITEM, at, key)
        if mine and others and min(mine) < min(others):
            at, key = min(others)
            yield Item(REPLY, at, key, answers=min(mine)[1])
