"""What a cell of netlog's CSV holds: the columns of `log -f csv|json` and `export`, and the
guard that keeps a spreadsheet from running text as a formula. A leaf module, so that reading
a CSV (`netlog import`) needs nothing of the rest of present/."""

# The columns of `log -f csv|json` and `export`.
ENTRY_COLUMNS = (
    "id",
    "uuid",
    "type",
    "channel",
    "what",
    "minutes",
    "hours",
    "count",
    "kind",
    "label",
    "value",
    "currency",
    "note",
    "tags",
    "occurred_at",
    "occurred_offset",
    "occurred_utc",
    "logged_at",
    "logged_offset",
    "logged_utc",
    "reach_total",
    "sources",
    "device",  # who logged it (netlog.store.who): the device's name, its sync id, the person
    "device_id",
    "person",
)

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What netlog puts before such text. LibreOffice Calc and Excel show a leading space and keep
# the cell as text, where a leading ' shows in Calc as it is. Text that already starts with a
# space gets one more, so that `netlog import` can take exactly one off.
SPREADSHEET_GUARD = " "


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will show rather than run: `=1+1` becomes ` =1+1`, which Calc and
    Excel keep as text. Text that already starts with a space gets one more, so that
    spreadsheet_text() can take exactly one off."""
    if text.startswith((*FORMULA_STARTS, SPREADSHEET_GUARD)):
        return SPREADSHEET_GUARD + text
    return text


def spreadsheet_text(cell: str, guard: str = SPREADSHEET_GUARD) -> str:
    """The text spreadsheet_safe() was given: one leading guard taken off. netlog 0.1.0
    wrote ' as the guard; `netlog import` passes guard="'" for its files."""
    return cell[len(guard) :] if cell.startswith(guard) else cell
