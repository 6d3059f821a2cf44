"""Time report commands on one database: the median wall time and CPU time (user + sys) of N
runs of a fresh `netlog` process (after one untimed warm-up when N > 1) and its peak RSS,
beside the floor `python -c "import typer, sqlite3"` measured in the same run. Prints
Markdown table rows.

    python bench/reports.py DB RUNS "summary" "trend --by month" ...
    python bench/reports.py --channels 10000 [--runs 3]

`--channels N` makes (once, cached in bench/.cache/) a file of 100,000 entries from
bench/generate.py (seed 2010: 2016-2025, ~15% outcomes, leads and wins among them) spread
over N channels, 100,000 / N entries each, and times the reports held to 2 s there (#21.12).
"""

import argparse
import os
import shlex
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
ENTRIES = 100_000
LIMIT_SECONDS = 2.0
# The reports a file of many channels answers within LIMIT_SECONDS each. The data ends in
# 2025, so `review` looks at a week and a month that have entries.
MANY_CHANNEL_REPORTS = [
    "summary",
    "summary --by month --wide",
    "trend",
    "funnel",
    "review --at 2025-12-15",
    "review --month --at 2025-12",
    "report",
    "report -f md",
]


def once(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + sys) and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {shlex.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def many_channels_db(channels: int) -> Path:
    """The file of ENTRIES entries over `channels` channels, made (once) by a child process:
    this one stays small, since a child's peak RSS starts from its parent's."""
    made = subprocess.run(
        [sys.executable, __file__, "--make-channels", str(channels)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return Path(made.stdout.strip())


def make_many_channels_db(channels: int) -> Path:
    """bench/.cache/netlog-ENTRIES-over-N-channels-….db: ENTRIES generated entries, entry i on
    channel i mod N (each channel created just before its first entry). Made once."""
    sys.path.insert(0, str(BENCH))
    import generate
    from netlog.store.migrations import SCHEMA_VERSION

    path = CACHE / (
        f"netlog-{ENTRIES}-over-{channels}-channels-seed{generate.DEFAULT_SEED}"
        f"-gen{generate.GENERATOR_VERSION}-schema{SCHEMA_VERSION}.db"
    )
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    generate.generate(partial, ENTRIES)
    conn = sqlite3.connect(partial)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO channels (key, name, created_at) VALUES (?, ?, ?)",
                [
                    (f"channel {i:05d}", f"Channel {i:05d}", "2015-12-31T00:00:00+00:00")
                    for i in range(channels)
                ],
            )
            first = conn.execute("SELECT id FROM channels WHERE key = 'channel 00000'").fetchone()[
                0
            ]
            conn.execute("UPDATE entries SET channel_id = ? + (id % ?)", (first, channels))
            conn.execute("DELETE FROM channels WHERE id < ?", (first,))
            conn.execute(
                "UPDATE channels SET created_at = coalesce((SELECT min(e.logged_at) FROM entries e"
                " WHERE e.channel_id = channels.id), created_at)"
            )
    finally:
        conn.close()
    partial.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", nargs="?", help="the database to time the commands on")
    parser.add_argument("runs", nargs="?", type=int, default=3, help="timed runs per command")
    parser.add_argument("commands", nargs="*", help="netlog commands, each one argument")
    parser.add_argument(
        "--channels", type=int, metavar="N", help=f"time {len(MANY_CHANNEL_REPORTS)} reports "
        f"on {ENTRIES:,} entries over N channels (made once)",
    )  # fmt: skip
    parser.add_argument("--runs", dest="runs_option", type=int, help="timed runs per command")
    parser.add_argument("--make-channels", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_channels:
        print(make_many_channels_db(args.make_channels))
        return
    runs = args.runs_option or args.runs
    if args.channels:
        db, commands = str(many_channels_db(args.channels)), MANY_CHANNEL_REPORTS
        print(f"{ENTRIES:,} entries over {args.channels:,} channels: {db}", file=sys.stderr)
    elif args.db and args.commands:
        db, commands = args.db, args.commands
    else:
        parser.error("give DB RUNS COMMAND... or --channels N")
    env = dict(os.environ, TZ="Europe/London", COLUMNS="160")
    print("| command | median wall s | median CPU s | peak MiB |")
    print("|---|---:|---:|---:|")
    slow = []
    for command in ["floor", *commands]:
        if command == "floor":
            argv = [sys.executable, "-c", "import typer, sqlite3"]
        else:
            argv = ["netlog", "--db", db, *shlex.split(command)]
        if runs > 1:
            once(argv, env)
        results = [once(argv, env) for _ in range(runs)]
        wall = statistics.median(r[0] for r in results)
        cpu = statistics.median(r[1] for r in results)
        peak = max(r[2] for r in results)
        print(f"| `{command}` | {wall:.2f} | {cpu:.2f} | {peak:.0f} |", flush=True)
        if args.channels and command != "floor" and wall > LIMIT_SECONDS:
            slow.append(command)
    if args.channels:
        verdict = f"NOT MET: {', '.join(slow)}" if slow else "met"
        print(f"each within {LIMIT_SECONDS:.0f} s wall: {verdict}", file=sys.stderr)


if __name__ == "__main__":
    main()
