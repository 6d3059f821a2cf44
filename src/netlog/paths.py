"""Which database file netlog uses."""

import os
from pathlib import Path

DB_ENV_VAR = "NETLOG_DB"


def default_db_path() -> Path:
    """The database in the user's data directory (XDG_DATA_HOME, else ~/.local/share)."""
    data_home = os.environ.get("XDG_DATA_HOME")
    base = Path(data_home) if data_home else Path.home() / ".local" / "share"
    return base / "netlog" / "netlog.db"


def resolve_db_path(option: Path | None) -> Path:
    """--db wins over NETLOG_DB, which wins over the default path."""
    if option is not None:
        return option.expanduser()
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()
