"""Which database file netlog uses."""

import os
from pathlib import Path

DB_ENV_VAR = "NETLOG_DB"


def default_db_path() -> Path:
    """The database in the user's data directory (XDG_DATA_HOME, else ~/.local/share).
    A relative XDG_DATA_HOME is ignored, as the XDG spec says: it would move with the
    current folder."""
    data_home = Path(os.environ.get("XDG_DATA_HOME", ""))
    base = data_home if data_home.is_absolute() else Path.home() / ".local" / "share"
    return base / "netlog" / "netlog.db"


def resolve_db_path(option: Path | None) -> Path:
    """--db wins over NETLOG_DB, which wins over the default path."""
    if option is not None:
        return option.expanduser()
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()
