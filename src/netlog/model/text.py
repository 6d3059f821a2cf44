"""User-typed text: channel names, notes, labels and tags, checked on the way in and made
safe on the way out."""

import unicodedata

from netlog.errors import InputError

MAX_NAME_LENGTH = 64
MAX_TEXT_LENGTH = 2000


def _has_control(text: str) -> bool:
    if text.isascii() and text.isprintable():  # the common case, without a look per character
        return False
    return any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in text)


def clean_channel(name: str) -> str:
    """The channel name as the user wrote it (trimmed, NFC), or InputError."""
    return clean_name(name, "channel name")


def clean_name(name: str, what: str) -> str:
    """A name (a channel's, a person's): trimmed, NFC, one line, at most MAX_NAME_LENGTH
    characters; InputError otherwise."""
    cleaned = unicodedata.normalize("NFC", name.strip())
    if not cleaned:
        raise InputError(f"the {what} is empty")
    if _has_control(cleaned):
        raise InputError(f"the {what} {cleaned!r} contains control characters")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InputError(f"the {what} is longer than {MAX_NAME_LENGTH} characters")
    return cleaned


def channel_key(name: str) -> str:
    """What makes two spellings one channel: `LinkedIn`, ` linkedin` and `LINKEDIN` agree,
    and so do the two ways of typing `Café`."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())


def clean_tag(tag: str) -> str:
    cleaned = unicodedata.normalize("NFC", tag.strip())
    if not cleaned:
        raise InputError("a tag is empty")
    if _has_control(cleaned) or "," in cleaned:
        raise InputError(f"the tag {cleaned!r} may not contain commas or control characters")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InputError(f"the tag {cleaned[:20]!r}… is longer than {MAX_NAME_LENGTH} characters")
    return cleaned


def clean_tags(tags: list[str] | None) -> list[str]:
    """Tags trimmed, without repeats, in the order given."""
    return list(dict.fromkeys(clean_tag(tag) for tag in tags or []))


def clean_text(text: str | None, what: str) -> str | None:
    """A note, label or description: trimmed; None when empty."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFC", text.strip())
    if not cleaned:
        return None
    if not (cleaned.isascii() and cleaned.isprintable()) and any(
        unicodedata.category(char) == "Cc" and char not in "\t\n" for char in cleaned
    ):
        raise InputError(f"the {what} contains control characters")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise InputError(f"the {what} is longer than {MAX_TEXT_LENGTH} characters")
    return cleaned


def printable(text: str) -> str:
    """Text safe to put on a terminal: control characters shown as escapes, not obeyed."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode()
        for char in text
    )


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 entry`, `2 entries`, `1,000 decimal places`: the number and its noun, agreed."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
