"""One-line descriptions of entries for people: confirmations, edit and rm, undo --list."""

from collections.abc import Mapping
from datetime import tzinfo

from netlog.model.dates import from_storage
from netlog.model.durations import format_duration


def describe_entry(entry: Mapping, zone: tzinfo) -> str:
    """`45m on linkedin contact messages ×12, 2010-09-14 10:00 [launch] (note: …)`."""
    when = from_storage(entry["occurred_at"]).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if entry["kind"] == "activity" or entry.get("type") == "activity":
        what = f" {entry['what']}" if entry["what"] else ""
        count = f" ×{entry['count']}" if entry["count"] != 1 else ""
        if entry["minutes"] is None:  # items counted from an export
            text = f"{entry['count']} items on {entry['channel']}{what}"
        else:
            text = f"{format_duration(entry['minutes'])} on {entry['channel']}{what}{count}"
    elif entry["kind"] == "spend":
        from netlog.model.money import from_minor
        from netlog.present.figures import money_text

        paid = money_text(from_minor(entry["value_minor"], entry["currency"]), entry["currency"])
        what = f" {entry['what']}" if entry["what"] else ""
        text = f"{paid} spent on {entry['channel']}{what}"
    else:
        text = f"{entry['count']} {entry['kind']} on {entry['channel']}"
        if entry.get("reach_total") is not None:
            text += f" (total now {entry['reach_total']:,})"
        if entry.get("value_minor") is not None:
            from netlog.model.money import from_minor
            from netlog.present.figures import money_text

            worth = from_minor(entry["value_minor"], entry["currency"])
            text += f" worth {money_text(worth, entry['currency'])}"
        if entry["label"]:
            text += f" ({entry['label']})"
    text += f", {when}"
    tags = entry["tags"]
    if isinstance(tags, str):  # as stored: a JSON array (json is imported only when needed)
        import json

        tags = json.loads(tags)
    if tags:
        text += " [" + ", ".join(tags) + "]"
    if entry["note"]:
        text += f" — {entry['note']}"
    return text
