"""LinkedIn's "Download your data" export (the zip, or the folder it unpacks to).

Connections.csv → reach per day; messages.csv → the user's messages as items and the first
answer in a conversation the user started as a reply; Invitations.csv → sent invitations as
items; Shares.csv → posts as items. Absent files are skipped and named.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo

from netlog.errors import InputError
from netlog.io.capture import ITEM, REACH, REPLY, Export, Item, csv_rows

WHAT = "a LinkedIn export"
CONNECTIONS = "Connections.csv"
MESSAGES = "messages.csv"
INVITATIONS = "Invitations.csv"
SHARES = "Shares.csv"
FILES = {
    CONNECTIONS: "connections",
    MESSAGES: "messages",
    INVITATIONS: "invitations",
    SHARES: "posts",
}

_MESSAGE_COLUMNS = {"CONVERSATION ID", "FROM", "TO", "DATE"}
_MESSAGE_OPTIONAL = {
    "CONVERSATION TITLE", "SENDER PROFILE URL", "RECIPIENT PROFILE URLS", "SUBJECT", "CONTENT",
    "FOLDER", "ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT",
}  # fmt: skip


def _parse(value: str, shape: str, zone: tzinfo, where: tuple[str, int, str]) -> datetime:
    """A date as LinkedIn writes it in this column, in `zone`; bad input naming the file,
    line and column if it is not."""
    try:
        return datetime.strptime(value.strip(), shape).replace(tzinfo=zone)
    except ValueError:
        name, line, column = where
        raise InputError(
            f"{name}: line {line}: {column} {value!r} is not a date LinkedIn writes"
        ) from None


def _person(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_draft(row: dict[str, str]) -> bool:
    return any(
        row.get(column, "").strip().casefold() in ("yes", "true")
        for column in ("IS MESSAGE DRAFT", "IS CONVERSATION DRAFT")
    )


def linkedin_items(
    export: Export, *, me: str | None, zone: tzinfo, notes: list[str]
) -> Iterator[Item]:
    export.refuse_unless_any(FILES)
    export.check_sizes(FILES)
    for name, what in FILES.items():
        if not export.has(name):
            notes.append(f"no {name} in the export: no {what}")
    if export.has(CONNECTIONS):
        yield from _connections(export, zone)
    if export.has(MESSAGES):
        yield from _messages(export, me)
    if export.has(INVITATIONS):
        yield from _invitations(export, zone)
    if export.has(SHARES):
        yield from _shares(export)


def _connections(export: Export, zone: tzinfo) -> Iterator[Item]:
    with export.text(CONNECTIONS) as stream:
        for line, row in csv_rows(
            stream,
            CONNECTIONS,
            required={"First Name", "Last Name", "Connected On"},
            optional={"URL", "Email Address", "Company", "Position"},
        ):
            day = _parse(row["Connected On"], "%d %b %Y", zone, (CONNECTIONS, line, "Connected On"))
            at = day.replace(hour=12)  # a day without a time: noon, that day in the user's zone
            key = row.get("URL") or "|".join(
                (row["First Name"], row["Last Name"], row.get("Email Address", ""), day.isoformat())
            )
            yield Item(REACH, at, f"connection:{key}")


def _find_me(export: Export) -> str:
    """The one person in every conversation: the user whose export it is."""
    common: set[str] | None = None
    with export.text(MESSAGES) as stream:
        for _, row in csv_rows(
            stream, MESSAGES, required=_MESSAGE_COLUMNS, optional=_MESSAGE_OPTIONAL
        ):
            people = {_person(row["FROM"]), *(_person(to) for to in row["TO"].split(","))}
            people.discard("")
            common = people if common is None else common & people
    if common is None:
        return ""
    if len(common) != 1:
        raise InputError(
            f'{MESSAGES}: cannot tell who you are in every conversation: give --me "Your Name"'
        )
    return common.pop()


def _messages(export: Export, me: str | None) -> Iterator[Item]:
    myself = _person(me) if me else _find_me(export)
    # Per conversation: the user's first message and the first from anyone else.
    first_mine: dict[str, tuple[datetime, str]] = {}
    first_other: dict[str, tuple[datetime, str]] = {}
    with export.text(MESSAGES) as stream:
        for line, row in csv_rows(
            stream, MESSAGES, required=_MESSAGE_COLUMNS, optional=_MESSAGE_OPTIONAL
        ):
            if _is_draft(row):
                continue
            at = _parse(row["DATE"], "%Y-%m-%d %H:%M:%S UTC", UTC, (MESSAGES, line, "DATE"))
            conversation = row["CONVERSATION ID"]
            key = "|".join(
                ("message", conversation, row["DATE"], row["FROM"], row.get("CONTENT", ""))
            )
            firsts = first_mine if _person(row["FROM"]) == myself else first_other
            if conversation not in firsts or at < firsts[conversation][0]:
                firsts[conversation] = (at, key)
            if firsts is first_mine:
                yield Item(ITEM, at, key)
    for conversation, (mine_at, mine_key) in first_mine.items():
        other = first_other.get(conversation)
        if other is not None and other[0] > mine_at:
            yield Item(REPLY, other[0], other[1], answers=mine_key)


def _invitations(export: Export, zone: tzinfo) -> Iterator[Item]:
    with export.text(INVITATIONS) as stream:
        for line, row in csv_rows(
            stream,
            INVITATIONS,
            required={"From", "To", "Sent At", "Direction"},
            optional={"Message", "inviterProfileUrl", "inviteeProfileUrl"},
        ):
            if row["Direction"].strip().upper() != "OUTGOING":
                continue
            # No zone written: the importing user's local time.
            sent = _parse(
                row["Sent At"], "%m/%d/%y, %I:%M %p", zone, (INVITATIONS, line, "Sent At")
            )
            key = "|".join(
                ("invitation", row["To"], row.get("inviteeProfileUrl", ""), row["Sent At"])
            )
            yield Item(ITEM, sent, key)


def _shares(export: Export) -> Iterator[Item]:
    with export.text(SHARES) as stream:
        for line, row in csv_rows(
            stream,
            SHARES,
            required={"Date", "ShareLink"},
            optional={"ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"},
        ):
            at = _parse(row["Date"], "%Y-%m-%d %H:%M:%S", UTC, (SHARES, line, "Date"))
            yield Item(ITEM, at, f"share:{row['ShareLink'] or row['Date']}")
