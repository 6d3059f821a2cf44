"""What Python itself needs to move the same rows: the floors for `export` and `import`.

    python bench/floors.py export DB            # the entries table as CSV on stdout
    python bench/floors.py import CSV NEW.db    # that CSV into a new table, same indexes

`export`: read every row of the entries table and write it with the csv module.
`import`: read the CSV that `export` wrote and `executemany` it, in one transaction, into a
table with the entries table's columns and indexes (uuid unique, by time, by channel, the
partial currency index). No checks, no journal, no search index: the cost of the bytes alone.

Standard library only, started as a process of its own like netlog (bench/run.py times it).
"""

import csv
import sqlite3
import sys
from pathlib import Path

COLUMNS = (
    "id, uuid, channel_id, kind, occurred_at, logged_at, what, minutes, count, label,"
    " value_minor, currency, note, tags, reach_total"
)
SCHEMA = (
    "CREATE TABLE entries (id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE,"
    " channel_id INTEGER NOT NULL, kind TEXT NOT NULL, occurred_at TEXT NOT NULL,"
    " logged_at TEXT NOT NULL, what TEXT, minutes INTEGER, count INTEGER NOT NULL, label TEXT,"
    " value_minor INTEGER, currency TEXT, note TEXT, tags TEXT, reach_total INTEGER)",
    "CREATE INDEX entries_by_time"
    " ON entries (occurred_at, channel_id, kind, minutes, count, value_minor)",
    "CREATE INDEX entries_by_channel"
    " ON entries (channel_id, occurred_at, kind, minutes, count, value_minor)",
    "CREATE INDEX entries_by_currency ON entries (currency) WHERE value_minor IS NOT NULL",
)


def export(db: str) -> None:
    conn = sqlite3.connect(db)
    writer = csv.writer(sys.stdout)
    cursor = conn.execute(f"SELECT {COLUMNS} FROM entries ORDER BY id")
    writer.writerow(name for name, *_ in cursor.description)
    writer.writerows(cursor)


def import_(path: str, db: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    with Path(path).open(newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        conn.execute("BEGIN")
        for statement in SCHEMA:
            conn.execute(statement)
        conn.executemany(
            f"INSERT INTO entries ({', '.join(header)}) VALUES ({', '.join('?' * len(header))})",
            ([cell or None for cell in row] for row in rows),
        )
        conn.execute("COMMIT")


if __name__ == "__main__":
    if sys.argv[1:2] == ["export"] and len(sys.argv) == 3:
        export(sys.argv[2])
    elif sys.argv[1:2] == ["import"] and len(sys.argv) == 4:
        import_(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__.split("\n\n")[1])
