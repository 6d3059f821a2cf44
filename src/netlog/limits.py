"""Bounds on numbers a user or a file can give, shared by the CLI and imports."""

# Items or results in one entry: far above any real session, and it keeps every sum far
# from SQLite's 64-bit integer overflow.
MAX_COUNT = 1_000_000
MAX_ID = 2**62
