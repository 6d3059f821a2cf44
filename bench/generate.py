"""Write a realistic synthetic netlog history, fast, for benchmarks.

    python bench/generate.py --entries 1000000 --db bench/.cache/big.db [--seed 2010]

The schema comes from netlog itself (`netlog.store.db.open_db(..., create=True)` runs the
migrations); the rows are bulk-inserted with plain sqlite3 `executemany` in ONE transaction,
so a million entries take seconds rather than a million CLI calls. The same seed and size
always give the same rows (uuids included). Existing files are never overwritten.

Standard library only, plus netlog.
"""

import argparse
import json
import os
import sys
import time
import uuid
from bisect import bisect_left
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from netlog.errors import NetlogError
from netlog.model.dates import to_storage
from netlog.model.text import channel_key
from netlog.store.db import open_db

# Bump when the generated data changes, so run.py's cache never serves stale files.
GENERATOR_VERSION = 1
DEFAULT_SEED = 2010

# The history: ten whole years, ending well before today (fixed, so output is reproducible).
FIRST_DAY = datetime(2016, 1, 1, tzinfo=UTC)
LAST_DAY = datetime(2025, 12, 31, tzinfo=UTC)  # inclusive
# A month well inside the data, for `summary --since M --until M`.
SAMPLE_MONTH = "2021-06"

SETTINGS = {"rate": "30.00", "currency": "GBP", "threshold": "5"}

# name as first written, share of activity sessions, what people do there,
# and outcome odds (reach, lead, win) relative to that channel's outcome rows.
CHANNELS = [
    ("LinkedIn", 26, ["contact messages", "posts", "comments", "profile"], (60, 32, 8)),
    ("email", 20, ["follow-ups", "cold emails", "newsletter", "proposals"], (20, 50, 30)),
    ("Twitter", 16, ["tweets", "replies", "DMs"], (80, 17, 3)),
    ("Facebook", 10, ["page posts", "group posts", "ads"], (88, 11, 1)),
    ("PeoplePerHour", 10, ["bids", "profile", "messages"], (30, 50, 20)),
    ("blog", 8, ["articles", "drafts", "comments"], (85, 13, 2)),
    ("Meetup", 6, ["events", "talks", "follow-ups"], (40, 45, 15)),
    ("Upwork", 4, ["proposals", "bids"], (35, 45, 20)),
]
ACTIVITY_SHARE = 0.85
COMMON_MINUTES = [15, 20, 30, 30, 45, 45, 60, 60, 90, 120]
REACH_LABELS = ["fans", "followers", "connections", "subscribers", None, None]
LEAD_LABELS = ["reply from Acme", "enquiry", "meeting booked", "call", "referral", None, None]
WIN_LABELS = ["brochure redesign", "logo", "website", "retainer", "consulting", None]
NOTES = [
    "slow day",
    "good response rate",
    "followed up on last week's thread",
    "tried a new template",
    "mostly admin",
    "asked for a referral",
    "busy group, lots of noise",
    "sent portfolio link",
    "Café owner interested — call back Thursday",
]
TAGS = [["launch"], ["q4"], ["portfolio"], ["launch", "q4"], ["referral"], ["ads", "paid"]]
TAG_TEXTS = [json.dumps(tags, ensure_ascii=False) for tags in TAGS]

INSERT_ENTRY = (
    "INSERT INTO entries (uuid, channel_id, kind, occurred_at, logged_at, what, minutes,"
    " count, label, value_minor, currency, note, tags)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _cumulative(weights: list[int]) -> list[int]:
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _moments(rng: Random, n: int) -> list[int]:
    """n sorted POSIX times in the history, mostly weekday working hours."""
    first = int(FIRST_DAY.timestamp())
    days = (LAST_DAY - FIRST_DAY).days + 1
    hours = [7, 8, 9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 18, 20, 21]
    out = []
    for _ in range(n):
        day = rng.randrange(days)
        if (day + FIRST_DAY.weekday()) % 7 >= 5 and rng.random() < 0.7:
            day = max(0, day - rng.randint(1, 2))  # most weekend work moves to Friday
        hour = rng.choice(hours)
        out.append(first + day * 86400 + hour * 3600 + rng.choice((0, 15, 30, 45)) * 60)
    out.sort()
    return out


def _rows(rng: Random, n: int, channel_ids: list[int]):
    """The entries, oldest first, as tuples for INSERT_ENTRY (a generator: low memory)."""
    cum = _cumulative([weight for _, weight, _, _ in CHANNELS])
    total_weight = cum[-1]
    outcome_cums = [_cumulative(list(odds)) for *_, odds in CHANNELS]
    random, randint, choice, getrandbits = rng.random, rng.randint, rng.choice, rng.getrandbits
    storage_cache: dict[int, str] = {}

    def stored(ts: int) -> str:
        text = storage_cache.get(ts)
        if text is None:
            text = storage_cache[ts] = to_storage(datetime.fromtimestamp(ts, UTC))
        return text

    for ts in _moments(rng, n):
        pick = randint(1, total_weight)
        index = bisect_left(cum, pick)
        _, _, whats, _ = CHANNELS[index]
        note = choice(NOTES) if random() < 0.12 else None
        tags = choice(TAG_TEXTS) if random() < 0.15 else None
        uid = str(uuid.UUID(int=getrandbits(128), version=4))
        if random() < ACTIVITY_SHARE:
            minutes = choice(COMMON_MINUTES) if random() < 0.7 else randint(5, 180)
            count = randint(1, 20) if random() < 0.6 else 1
            # logged when the session ends, or (one time in ten) back-filled days later
            logged = ts + minutes * 60 + (randint(1, 5) * 86400 if random() < 0.1 else 0)
            yield (
                uid,
                channel_ids[index],
                "activity",
                stored(ts),
                stored(logged),
                choice(whats),
                minutes,
                count,
                None,
                None,
                None,
                note,
                tags,
            )
        else:
            pick = randint(1, 100)
            oc = outcome_cums[index]
            kind = "reach" if pick <= oc[0] else "lead" if pick <= oc[1] else "win"
            value_minor = currency = None
            if kind == "reach":
                count, label = randint(1, 40), choice(REACH_LABELS)
            elif kind == "lead":
                count, label = 1 if random() < 0.8 else randint(2, 4), choice(LEAD_LABELS)
            else:
                count, label = 1, choice(WIN_LABELS)
                if random() < 0.75:
                    value_minor, currency = randint(50, 5000) * 100 + choice((0, 0, 50, 99)), "GBP"
            logged = ts + (randint(1, 3) * 86400 if random() < 0.2 else randint(0, 3600))
            yield (
                uid,
                channel_ids[index],
                kind,
                stored(ts),
                stored(logged),
                None,
                None,
                count,
                label,
                value_minor,
                currency,
                note,
                tags,
            )
        if len(storage_cache) > 100_000:
            storage_cache.clear()


def generate(path: Path, entries: int, seed: int = DEFAULT_SEED) -> None:
    """Write `entries` entries to a new netlog database at `path` (never overwritten).

    Written to a temporary file next to it first, then renamed, so an interrupted run never
    leaves a half-written database behind under the final name."""
    if path.exists():
        raise FileExistsError(f"{path} already exists; refusing to overwrite it")
    if entries < 0:
        raise ValueError("--entries must be 0 or more")
    rng = Random(seed)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for leftover in (tmp, Path(f"{tmp}-journal")):
        leftover.unlink(missing_ok=True)
    conn = open_db(tmp, create=True)
    try:
        # Bulk-load settings for this one connection only: nothing else sees the temp file.
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB: the random uuid index fits
        conn.execute("BEGIN IMMEDIATE")
        try:
            created = to_storage(FIRST_DAY - timedelta(days=1))
            conn.executemany(
                "INSERT INTO channels (key, name, created_at) VALUES (?, ?, ?)",
                [(channel_key(name), name, created) for name, *_ in CHANNELS],
            )
            ids = [
                conn.execute(
                    "SELECT id FROM channels WHERE key = ?", (channel_key(name),)
                ).fetchone()[0]
                for name, *_ in CHANNELS
            ]
            conn.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?)", list(SETTINGS.items())
            )
            conn.executemany(INSERT_ENTRY, _rows(rng, entries, ids))
            # Each channel was created just before its first entry.
            conn.execute(
                "UPDATE channels SET created_at = coalesce((SELECT min(e.logged_at) FROM entries e"
                " WHERE e.channel_id = channels.id), created_at)"
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()
    if path.exists():  # someone else made it meanwhile: still never overwrite
        tmp.unlink()
        raise FileExistsError(f"{path} already exists; refusing to overwrite it")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, required=True, help="how many entries")
    parser.add_argument("--db", type=Path, required=True, help="new database file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate(args.db, args.entries, args.seed)
    except (FileExistsError, ValueError, NetlogError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    size = args.db.stat().st_size
    print(
        f"wrote {args.entries:,} entries to {args.db} in {elapsed:.1f} s ({size / 1e6:.1f} MB)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
