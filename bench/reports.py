"""Time report commands on one database: the median wall time of N runs of a fresh `netlog`
process (after one untimed warm-up when N > 1) and its peak RSS, beside the floor
`python -c "import typer, sqlite3"` measured in the same run. Prints Markdown table rows.

    python bench/reports.py DB RUNS "summary" "trend --by month" ...
"""

import os
import shlex
import statistics
import subprocess
import sys
import time


def once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    db, runs, *commands = sys.argv[1:]
    env = dict(os.environ, TZ="Europe/London", COLUMNS="160")
    for command in ["floor", *commands]:
        if command == "floor":
            argv = [sys.executable, "-c", "import typer, sqlite3"]
        else:
            argv = ["netlog", "--db", db, *shlex.split(command)]
        if int(runs) > 1:
            once(argv, env)
        results = [once(argv, env) for _ in range(int(runs))]
        seconds = statistics.median(r[0] for r in results)
        print(f"| `{command}` | {seconds:.2f} | {max(r[1] for r in results):.0f} |", flush=True)


if __name__ == "__main__":
    main()
