"""Bounds on numbers a user or a file can give, shared by the CLI and imports."""

# Items or results in one entry: far above any real session, and it keeps every sum far
# from SQLite's 64-bit integer overflow.
MAX_COUNT = 1_000_000
MAX_ID = 2**62
# Money in minor units (pence, cents): a trillion in major units, even for three-decimal
# currencies, and still 9,000 such amounts from SQLite's 64-bit limit.
MAX_VALUE_MINOR = 10**15
# A running total of followers or fans: bounded like a count, so that a change of total is
# always a valid count.
MAX_REACH_TOTAL = MAX_COUNT
