"""Time whole `netlog` processes against synthetic histories of growing size.

    python bench/run.py [--sizes 10000,100000,1000000] [--runs 5] [--out BENCHMARKS.md]
    python bench/run.py --smoke        # CI: 200 entries, 1 run, fails if any command fails

For each size N a database is generated once (bench/generate.py) and cached under
bench/.cache/. Each command then runs `--runs` times as a fresh process of the installed
`netlog` (the one next to sys.executable), after one untimed warm-up run so that every
figure is taken with the file in the OS page cache. Reported: the median wall time and the
peak RSS of the netlog process itself (os.wait4 gives each child's own ru_maxrss; the
processes are spawned by a lean launcher so that this harness's own memory does not leak
into the figures, see LAUNCHER).

`add` and `outcome` write to a per-size working copy of the cached database (made once per
size and deleted afterwards), so the cache stays clean; the copy grows by one row per run,
which is nothing next to N.

Standard library only, plus netlog (through generate.py).
"""

import argparse
import marshal
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
from netlog.store.migrations import SCHEMA_VERSION  # noqa: E402

CACHE = BENCH / ".cache"
# A quick command (the floor, --help, add, outcome) is timed this many times per --runs: a
# tenth of a second each, its median moves by a few ms on a shared machine at 9 rounds.
QUICK_ROUNDS = 7
# Data moves of files up to SMALL_MOVES entries are timed SMALL_MOVE_ROUNDS times per --runs.
SMALL_MOVES, SMALL_MOVE_ROUNDS = 10_000, 3
FLOOR = "floor: python -c 'import typer, sqlite3'"
FLOOR_REPORTS = "floor, timed in the reports' rounds"
FLOOR_EXPORT = "floor: entries table → csv module (bench/floors.py export)"
FLOOR_IMPORT = "floor: that CSV → executemany, same indexes (bench/floors.py import)"
WRITES = ("add", "outcome")


@dataclass(frozen=True)
class Command:
    key: str
    label: str
    argv: tuple[str, ...]  # after the netlog executable; "{db}" is the database, "{csv}" its export
    # "read": the cached file, "write": the working copy, "fresh": a new file, "half": a fresh
    # copy of the first of two cached files of N/2 entries (seeds differ)
    db: str = "read"
    # Quick commands run round-robin with the floor, QUICK_ROUNDS times as often, so that a
    # slow moment of the machine hits them all alike rather than one of them.
    quick: bool = False
    max_runs: int | None = None  # for the slow ones (a whole import of 1M), fewer runs


def commands(month: str) -> list[Command]:
    return [
        Command("floor", FLOOR, (), "none", quick=True),
        # The same floor again, timed in the reports' rounds: what their ratios are to.
        Command("floor_reports", FLOOR_REPORTS, (), "none"),
        Command("help", "netlog --help", ("--help",), "none", quick=True),
        Command(
            "add",
            "add linkedin 45m test --at 2010-09-14T10:00",
            ("--db", "{db}", "add", "linkedin", "45m", "test", "--at", "2010-09-14T10:00"),
            "write",
            quick=True,
        ),
        Command(
            "outcome",
            "outcome email lead --at 2010-09-14T10:00",
            ("--db", "{db}", "outcome", "email", "lead", "--at", "2010-09-14T10:00"),
            "write",
            quick=True,
        ),
        Command("summary", "summary", ("--db", "{db}", "summary")),
        Command(
            "summary_month",
            f"summary --since {month} --until {month}",
            ("--db", "{db}", "summary", "--since", month, "--until", month),
        ),
        Command(
            "summary_by_month",
            "summary --by month -f csv",
            ("--db", "{db}", "summary", "--by", "month", "-f", "csv"),
        ),
        Command(
            "summary_by_month_table",
            "summary --by month (table)",
            ("--db", "{db}", "summary", "--by", "month"),
        ),
        Command(
            "summary_wide",
            "summary --by month --wide",
            ("--db", "{db}", "summary", "--by", "month", "--wide"),
        ),
        Command("funnel", "funnel", ("--db", "{db}", "funnel")),
        Command("trend_month", "trend --by month", ("--db", "{db}", "trend", "--by", "month")),
        Command("review", "review", ("--db", "{db}", "review")),
        Command("report", "report (HTML to stdout)", ("--db", "{db}", "report")),
        Command("log", "log (newest 50)", ("--db", "{db}", "log")),
        Command("log_csv", "log -f csv (all rows)", ("--db", "{db}", "log", "-f", "csv")),
        Command("floor_export", FLOOR_EXPORT, ("floors", "export", "{db}")),
        Command("export", "export (CSV, all rows)", ("--db", "{db}", "export")),
        Command(
            "export_json", "export -f json (all rows)", ("--db", "{db}", "export", "-f", "json")
        ),
        Command(
            "floor_import",
            FLOOR_IMPORT,
            ("floors", "import", "{floor_csv}", "{db}"),
            "fresh",
            max_runs=3,
        ),
        Command(
            "import",
            "import of that CSV into a new database",
            ("--db", "{db}", "import", "{csv}"),
            "fresh",
            max_runs=3,
        ),
        Command(
            "import_json",
            "import of the JSON export into a new database",
            ("--db", "{db}", "import", "{json}"),
            "fresh",
            max_runs=3,
        ),
        Command(
            "floor_import_half",
            FLOOR_IMPORT + ", N/2 rows",
            ("floors", "import", "{floor_csv_b}", "{db}"),
            "fresh",
            max_runs=3,
        ),
        Command(
            "import_full",
            "import of N/2 new entries (CSV) into a file of N/2",
            ("--db", "{db}", "import", "{csv_b}"),
            "half",
            max_runs=3,
        ),
        Command(
            "merge",
            "merge of two files of N/2 entries each",
            ("--db", "{db}", "merge", "{db_b}"),
            "half",
            max_runs=3,
        ),
    ]


# The reports held to a time at 1M (issue #20), in seconds.
REPORTS = {
    "summary": 1.0,
    "summary_by_month": 1.0,
    "summary_by_month_table": 1.0,
    "summary_wide": 1.0,
    "funnel": 1.0,
    "trend_month": 1.0,
    "review": 1.0,
    "report": 2.0,
}
# Each data move and the floor it is held to (3× at most, issue #20).
FLOOR_OF = {
    "export": "floor_export",
    "export_json": "floor_export",
    "import": "floor_import",
    "import_json": "floor_import",
    "import_full": "floor_import_half",
    "merge": "floor_import_half",
}
# The reports are held to the floor timed in their own rounds (10× at most, issue #20).
REPORTS_FLOOR = "floor_reports"


def _floor_of(key: str) -> str:
    """The floor timed in the same rounds as `key`: its data move's, the quick commands'
    (the floor), or the reports' own (every other command runs in the reports' rounds)."""
    if key in FLOOR_OF:
        return FLOOR_OF[key]
    quick = {cmd.key for cmd in commands(generate.SAMPLE_MONTH) if cmd.quick}
    return "floor" if key in quick else REPORTS_FLOOR


@dataclass
class Result:
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    # user + system CPU seconds of each run: on a machine shared with other work, the figure
    # that other processes disturb least (wall time waits for the CPU they hold).
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024


class CommandFailed(Exception):
    pass


def netlog_executable() -> Path:
    exe = Path(sys.executable).parent / "netlog"
    if not exe.exists():
        raise SystemExit(f"no netlog next to {sys.executable}: install netlog in this venv")
    return exe


def bench_env() -> dict[str, str]:
    """The caller's environment, made reproducible: a fixed zone, no default database."""
    env = dict(os.environ)
    env.pop("NETLOG_DB", None)
    # Measure netlog as installed for a user, with its bytecode cached: a session with
    # PYTHONDONTWRITEBYTECODE set would otherwise recompile every module on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["TZ"] = "Europe/London" if Path("/usr/share/zoneinfo/Europe/London").exists() else "UTC"
    env["COLUMNS"] = "120"
    return env


# The processes are started by a tiny launcher, not by this harness. Linux starts a child's
# peak-RSS mark at its parent's RSS at fork time (vfork/posix_spawn share the parent's memory
# map until exec, and exec keeps the old map's high-water mark), so ru_maxrss of a child of
# this ~30 MiB harness would never read below ~30 MiB. The launcher is `python -S` with only
# built-in modules (~9 MiB, less than any Python program's own peak), so the figures are the
# netlog processes' own. It also does the timing: posix_spawn to wait4, nothing else.
LAUNCHER = r"""
import marshal, os, sys, time
read, write = sys.stdin.buffer.read, sys.stdout.buffer.write
while True:
    head = read(8)
    if len(head) < 8:
        break
    argv, out_path, err_path = marshal.loads(read(int(head)))
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    reply = marshal.dumps((elapsed, os.waitstatus_to_exitcode(status), usage.ru_maxrss, cpu))
    write(b"%08d" % len(reply) + reply)
    sys.stdout.buffer.flush()
"""


class Launcher:
    """Runs commands one at a time in the lean launcher process; see LAUNCHER."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.tmp = tempfile.TemporaryDirectory(prefix="netlog-bench-")
        self.err_path = str(Path(self.tmp.name) / "stderr")
        self.last_cpu = 0.0  # user + system CPU seconds of the last run

    def run(self, argv: list[str], stdout_path: Path | None) -> tuple[float, int]:
        """Wall seconds and peak RSS (KiB) of one process; CommandFailed on a non-zero exit."""
        request = marshal.dumps((argv, str(stdout_path or os.devnull), self.err_path))
        self.proc.stdin.write(b"%08d" % len(request) + request)
        self.proc.stdin.flush()
        head = self.proc.stdout.read(8)
        if len(head) < 8:
            raise RuntimeError("the benchmark launcher died")
        elapsed, code, maxrss, self.last_cpu = marshal.loads(self.proc.stdout.read(int(head)))
        if code != 0:
            message = Path(self.err_path).read_text(errors="replace").strip()
            raise CommandFailed(f"exit {code}: {' '.join(argv)}\n{message}")
        return elapsed, maxrss  # KiB on Linux

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()
        self.tmp.cleanup()

    def __enter__(self) -> "Launcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def cached_db(n: int, seed: int, directory: Path) -> Path:
    # Keyed by netlog's schema version too: a cached file from an older schema would be
    # upgraded in place by the first netlog command, mid-benchmark.
    name = f"netlog-{n}-seed{seed}-gen{generate.GENERATOR_VERSION}-schema{SCHEMA_VERSION}.db"
    path = directory / name
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate.generate(path, n, seed)
        print(
            f"  generated {n:,} entries in {time.perf_counter() - started:.1f} s -> {path}",
            file=sys.stderr,
        )
    return path


def cached_output(path: Path, argv: list[str], launcher: "Launcher") -> Path:
    """What `argv` prints, made once and kept at `path` (exports of the cached databases)."""
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        launcher.run(argv, partial)
        partial.replace(path)
    return path


def bench_size(
    n: int,
    seed: int,
    runs: int,
    warmup: bool,
    directory: Path,
    smoke: bool,
    only: set[str] | None = None,
) -> tuple[dict[str, Result], int]:
    exe = str(netlog_executable())
    floors = [sys.executable, str(BENCH / "floors.py")]
    db = cached_db(n, seed, directory)
    # Two files of N/2 entries (different seeds, so different entries) for merge and for an
    # import into a file that is not empty.
    db_a = cached_db(max(n // 2, 1), seed, directory)
    db_b = cached_db(max(n // 2, 1), seed + 1, directory)
    size = db.stat().st_size
    results: dict[str, Result] = {}
    with (
        tempfile.TemporaryDirectory(prefix="work-", dir=directory) as tmp,
        Launcher(bench_env()) as launcher,
    ):
        work = Path(tmp) / "work.db"
        shutil.copyfile(db, work)
        files = {
            "{csv}": cached_output(
                db.with_suffix(".csv"), [exe, "--db", str(db), "export"], launcher
            ),
            "{json}": cached_output(
                db.with_suffix(".json"), [exe, "--db", str(db), "export", "-f", "json"], launcher
            ),
            "{floor_csv}": cached_output(
                db.with_suffix(".floor.csv"), [*floors, "export", str(db)], launcher
            ),
            "{csv_b}": cached_output(
                db_b.with_suffix(".csv"), [exe, "--db", str(db_b), "export"], launcher
            ),
            "{floor_csv_b}": cached_output(
                db_b.with_suffix(".floor.csv"), [*floors, "export", str(db_b)], launcher
            ),
            "{db_b}": str(db_b),
        }
        # Write the fresh copies out now, so that the kernel's writeback of hundreds of MB does
        # not land inside the timed runs' fsyncs.
        os.sync()

        def argv_for(cmd: Command) -> list[str]:
            if cmd.key in ("floor", REPORTS_FLOOR):
                return [sys.executable, "-c", "import typer, sqlite3"]
            target = {
                "write": work,
                "fresh": Path(tmp) / "fresh.db",
                "half": Path(tmp) / "half.db",
            }.get(cmd.db, db)
            values = {"{db}": str(target), **{k: str(v) for k, v in files.items()}}
            if cmd.argv[0] == "floors":
                return [*floors, *(values.get(a, a) for a in cmd.argv[1:])]
            return [exe, *(values.get(a, a) for a in cmd.argv)]

        def run_once(cmd: Command, timed: bool) -> None:
            if cmd.db == "fresh":
                (Path(tmp) / "fresh.db").unlink(missing_ok=True)
            if cmd.db == "half":
                shutil.copyfile(db_a, Path(tmp) / "half.db")
                os.sync()
            stdout_path = Path(tmp) / f"{cmd.key}.out" if smoke else None
            seconds, rss = launcher.run(argv_for(cmd), stdout_path)
            if timed:
                result = results.setdefault(cmd.key, Result())
                result.seconds.append(seconds)
                result.rss_kib.append(rss)
                result.cpu.append(launcher.last_cpu)

        if only is not None:  # the floors the commands' ratios are to
            only = only | {_floor_of(key) for key in only}
        every = [c for c in commands(generate.SAMPLE_MONTH) if only is None or c.key in only]
        quick = [cmd for cmd in every if cmd.quick]
        rounds = runs * QUICK_ROUNDS if not smoke else 1
        for round_number in range(rounds + (1 if warmup else 0)):
            for cmd in quick:
                run_once(cmd, timed=not (warmup and round_number == 0))
        moves = {*FLOOR_OF, *FLOOR_OF.values()}
        # The reports round-robin with their floor, as the quick commands do with theirs: a
        # slow moment of the machine (minutes, on a shared one) then hits them and the floor
        # they are held to alike, rather than one report.
        reading = [cmd for cmd in every if not cmd.quick and cmd.key not in moves]
        for round_number in range(runs + (1 if warmup else 0)):
            for cmd in reading:
                run_once(cmd, timed=not (warmup and round_number == 0))
        if smoke and any(cmd.key == "log_csv" for cmd in reading):
            check_csv(Path(tmp) / "log_csv.out", n)
        # Data moves round-robin with their floors, so that a slow moment hits them alike.
        # A warm-up round reads the files into the page cache (its imports are not timed).
        data = [cmd for cmd in every if cmd.key in moves]
        # A small file's move takes a fraction of a second, where the machine's noise weighs
        # most: more rounds there, as for the quick commands. At 1M an import takes half a
        # minute: fewer there.
        if n <= SMALL_MOVES:
            count = runs * SMALL_MOVE_ROUNDS
        elif n < 1_000_000:
            count = runs
        else:
            count = min([runs, *(cmd.max_runs or runs for cmd in data)])
        for round_number in range(count + (1 if warmup else 0)):
            for cmd in data:
                warming = warmup and round_number == 0
                if not (warming and cmd.db != "read"):
                    run_once(cmd, timed=not warming)
        if only is None or any(key in only for key in SYNC_LABELS):
            results.update(bench_sync(exe, db, Path(tmp), launcher, 1 if n >= 1_000_000 else runs))
        labels = {cmd.key: cmd.label for cmd in every} | SYNC_LABELS
        for key, label in labels.items():
            if key not in results:
                continue
            result = results[key]
            print(
                f"  {n:>9,}  {label:<44} {result.median:7.3f} s  {result.peak_mib:6.1f} MiB",
                file=sys.stderr,
            )
    return results, size


# `netlog sync` (issue 19), timed on copies of the cached file; not in commands() because
# each run needs a folder and a file in a given state first.
SYNC_LABELS = {
    "sync_first": "sync: first sync out (all entries) + read back into a new file",
    "sync_ten": "sync: 10 new changes, on a file synced before",
}


def bench_sync(exe: str, db: Path, tmp: Path, launcher: "Launcher", runs: int) -> dict[str, Result]:
    results = {key: Result() for key in SYNC_LABELS}
    for run in range(runs):
        work = tmp / f"sync-{run}"
        folder = work / "shared"
        folder.mkdir(parents=True)
        first, second = work / "first.db", work / "second.db"
        shutil.copyfile(db, first)
        out, out_rss = launcher.run([exe, "--db", str(first), "sync", str(folder)], None)
        out_cpu = launcher.last_cpu
        back, back_rss = launcher.run([exe, "--db", str(second), "sync", str(folder)], None)
        results["sync_first"].seconds.append(out + back)
        results["sync_first"].cpu.append(out_cpu + launcher.last_cpu)
        results["sync_first"].rss_kib.append(max(out_rss, back_rss))
        for number in range(10):
            launcher.run(
                [exe, "--db", str(first), "add", "linkedin", "10m", f"n{number}", "--at",
                 "2010-09-14T10:00"],
                None,
            )  # fmt: skip
        out, out_rss = launcher.run([exe, "--db", str(first), "sync", str(folder)], None)
        out_cpu = launcher.last_cpu
        back, back_rss = launcher.run([exe, "--db", str(second), "sync", str(folder)], None)
        results["sync_ten"].cpu += [out_cpu, launcher.last_cpu]
        results["sync_ten"].seconds += [out, back]
        results["sync_ten"].rss_kib += [out_rss, back_rss]
        shutil.rmtree(work)
    return results


def check_csv(path: Path, n: int) -> None:
    """`log -f csv` printed every entry of the cached database (plus a header)."""
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        rows = sum(1 for _ in csv.reader(f))
    if rows != n + 1:
        raise CommandFailed(f"log -f csv printed {rows - 1} rows, expected {n}")


# --- reporting -----------------------------------------------------------------------------


def human(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def table(all_results: dict[int, dict[str, Result]], sizes: dict[int, int]) -> str:
    ns = list(all_results)
    head = "| command | " + " | ".join(f"{human(n)}: median s | {human(n)}: peak MiB" for n in ns)
    lines = [head + " |", "|---|" + "---:|---:|" * len(ns)]
    labels = {cmd.key: cmd.label for cmd in commands(generate.SAMPLE_MONTH)} | SYNC_LABELS
    for key, label in labels.items():
        if not any(key in all_results[n] for n in ns):
            continue
        cells = []
        for n in ns:
            result = all_results[n].get(key)
            if result is None:
                cells += ["–", "–"]
                continue
            seconds = f"{result.median:.3f}"
            floor = all_results[n].get(_floor_of(key))
            if floor is not None and (key in WRITES or key in FLOOR_OF or key in REPORTS):
                seconds += f" ({result.median / floor.median:.2f}× floor)"
            if result.cpu and (key in FLOOR_OF or key in FLOOR_OF.values()):
                seconds += f"; cpu {result.median_cpu:.2f}"
                if floor is not None and floor.cpu and key in FLOOR_OF:
                    seconds += f" ({result.median_cpu / floor.median_cpu:.2f}×)"
            cells += [seconds, f"{result.peak_mib:.1f}"]
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| entries | DB file size | bytes per entry | per 1M entries |")
    lines.append("|---:|---:|---:|---:|")
    for n in ns:
        size = sizes[n]
        per = size / n if n else 0
        lines.append(f"| {n:,} | {size / 1e6:.1f} MB | {per:.0f} | {per:.0f} MB |")
    return "\n".join(lines)


FLAT_TIME = 1.15  # "flat": the largest size within 15% of the smallest
FLAT_MEMORY = 1.25


def targets(all_results: dict[int, dict[str, Result]], sizes: dict[int, int]) -> list[tuple]:
    """(target, measured, met) rows; met is None when the sizes needed were not run."""
    ns = sorted(all_results)
    out = []

    def get(n: int, key: str) -> Result | None:
        return all_results.get(n, {}).get(key)

    def flat(key: str, label: str, small_n: int, big_n: int) -> None:
        """`key` no slower at big_n than at small_n, each size's time taken as a multiple
        of the floor timed in the same rounds: the machine's speed drifts by a third from
        one spell to the next, minutes apart, and that is not the file's growth."""
        small, big = get(small_n, key), get(big_n, key)
        floors = get(small_n, _floor_of(key)), get(big_n, _floor_of(key))
        if small is None or big is None or floors[0] is None or floors[1] is None:
            out.append((label, "not measured", None))
            return
        before, after = small.median / floors[0].median, big.median / floors[1].median
        out.append(
            (
                label,
                f"{small.median:.3f} s → {big.median:.3f} s; ×floor {before:.2f} → {after:.2f}"
                f" ({after / before:.2f}×)",
                after <= before * FLAT_TIME,
            )
        )

    for key in WRITES:
        if not all(key in all_results[n] and "floor" in all_results[n] for n in ns):
            out.append((f"`{key}` ≤ 1.3× floor at every size", "not measured", None))
            continue
        ratios = {n: all_results[n][key].median / all_results[n]["floor"].median for n in ns}
        worst = max(ratios.values())
        out.append(
            (
                f"`{key}` ≤ 1.3× floor at every size",
                ", ".join(f"{human(n)}: {r:.2f}×" for n, r in ratios.items()),
                worst <= 1.3,
            )
        )
        flat(
            key,
            f"`{key}` flat from 10k to 1M (1M within {FLAT_TIME - 1:.0%} of 10k, to its floor)",
            10_000,
            1_000_000,
        )

    def check(label: str, n: int, key: str, seconds: float | None, mib: float | None = None):
        result = get(n, key)
        if result is None:
            out.append((label, "not measured", None))
            return
        parts, ok = [], True
        if seconds is not None:
            parts.append(f"{result.median:.3f} s")
            ok &= result.median <= seconds
        if mib is not None:
            parts.append(f"{result.peak_mib:.1f} MiB")
            ok &= result.peak_mib <= mib
        out.append((label, ", ".join(parts), ok))

    check("`summary` ≤ 0.3 s @100k", 100_000, "summary", 0.3)
    check("`summary --since/--until` one month ≤ 0.2 s @1M", 1_000_000, "summary_month", 0.2)
    check("`log` newest 50 ≤ 0.3 s @1M", 1_000_000, "log", 0.3)
    check("`funnel` ≤ 0.3 s @100k", 100_000, "funnel", 0.3)
    check("`trend --by month` ≤ 0.3 s @100k", 100_000, "trend_month", 0.3)
    # Issue #20: every report within its target at 1M, within 10× of the floor, ≤ 150 MB.
    for key, seconds in REPORTS.items():
        label = next(c.label for c in commands(generate.SAMPLE_MONTH) if c.key == key)
        result, floor = get(1_000_000, key), get(1_000_000, REPORTS_FLOOR)
        if result is None or floor is None:
            out.append(
                (f"`{label}` ≤ {seconds} s, ≤ 10× floor, ≤ 150 MB @1M", "not measured", None)
            )
            continue
        ratio = result.median / floor.median
        out.append(
            (
                f"`{label}` ≤ {seconds} s, ≤ 10× floor, ≤ 150 MB @1M",
                f"{result.median:.3f} s, {ratio:.1f}× floor, {result.peak_mib:.1f} MiB",
                result.median <= seconds and ratio <= 10 and result.peak_mib <= 150,
            )
        )
    month = [n for n in ns if get(n, "summary_month")]
    if len(month) >= 2:
        flat(
            "summary_month",
            f"`summary` of one month flat from {human(month[0])} to {human(month[-1])}"
            f" (within {FLAT_TIME - 1:.0%}, to its floor)",
            month[0],
            month[-1],
        )
    big = get(1_000_000, "log_csv")
    if big is None:
        out.append(("`log -f csv` of 1M rows: flat memory ≤ 120 MB", "not measured", None))
    else:
        small = get(ns[0], "log_csv")
        out.append(
            (
                f"`log -f csv` of 1M rows: flat memory ≤ 120 MB "
                f"(1M within {FLAT_MEMORY - 1:.0%} of {human(ns[0])})",
                f"{small.peak_mib:.1f} MiB @{human(ns[0])} → {big.peak_mib:.1f} MiB @1M; "
                f"{big.median:.2f} s",
                big.peak_mib <= 120 and big.peak_mib <= small.peak_mib * FLAT_MEMORY,
            )
        )
    # Issue #20: moving data within 3× of what Python itself needs (bench/floors.py), at
    # every size, memory ≤ 150 MB.
    for key, floor_key in FLOOR_OF.items():
        label = next(c.label for c in commands(generate.SAMPLE_MONTH) if c.key == key)
        measured = [
            (n, get(n, key), get(n, floor_key)) for n in ns if get(n, key) and get(n, floor_key)
        ]
        if not measured:
            out.append((f"`{label}` ≤ 3× its floor", "not measured", None))
            continue
        out.append(
            (
                f"`{label}` ≤ 3× its floor, ≤ 150 MB",
                ", ".join(
                    f"{human(n)}: {r.median:.2f} s = {r.median / f.median:.2f}×"
                    f" (cpu {r.median_cpu / f.median_cpu:.2f}×), {r.peak_mib:.0f} MiB"
                    for n, r, f in measured
                ),
                all(r.median <= 3 * f.median and r.peak_mib <= 150 for _, r, f in measured),
            )
        )
    check("`sync`: first sync of 100k out and back ≤ 20 s", 100_000, "sync_first", 20)
    check("`sync`: 10 new changes ≤ 1 s @1M", 1_000_000, "sync_ten", 1.0)
    n = max(ns)
    out.append(
        (
            "DB size per 1M entries reported",
            f"{sizes[n] / n:.0f} MB per 1M (bytes per entry × 1M; measured at {human(n)}: "
            f"{sizes[n] / 1e6:.1f} MB)",
            True,
        )
    )
    return out


def targets_table(rows: list[tuple]) -> str:
    lines = ["| target | measured | status |", "|---|---|---|"]
    for label, measured, met in rows:
        status = "not measured" if met is None else "**met**" if met else "**NOT MET**"
        lines.append(f"| {label} | {measured} | {status} |")
    return "\n".join(lines)


def machine() -> list[str]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return [
        f"- CPU: {model}, nproc = {os.cpu_count()}",
        f"- OS: {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({sys.executable}), SQLite {sqlite3.sqlite_version}",
        f"- netlog {version('netlog')}, typer {version('typer')}, click {version('click')}, "
        f"rich {version('rich')}, sqlite-utils {version('sqlite-utils')}",
    ]


def method(args) -> list[str]:
    first, last = f"{generate.FIRST_DAY:%Y-%m-%d}", f"{generate.LAST_DAY:%Y-%m-%d}"
    return [
        f"- Databases from `bench/generate.py` (seed {args.seed}): entries spread over {first} "
        f"to {last}, 8 channels, ~85% activities, ~15% outcomes (reach, leads, wins), notes "
        "and tags on some rows; cached in `bench/.cache/`.",
        "- Each figure is one fresh process of the installed `netlog`: the **median** wall "
        f"time of {args.runs} runs after one untimed warm-up run (the file is in the OS page "
        "cache), and the **peak RSS** of that process (max over the runs, `ru_maxrss` from "
        "`os.wait4`, in MiB; spawned by a `python -S` launcher of ~9 MiB so that the "
        "harness's own memory does not count).",
        "- stdout goes to /dev/null; TZ=Europe/London.",
        "- The floor is `python -c 'import typer, sqlite3'`, measured in the same run for "
        "each size; add/outcome show their ratio to it.",
        "- The floor, `--help`, `add` and `outcome` run round-robin, "
        f"{args.runs * QUICK_ROUNDS} timed rounds after one warm-up round, so that a slow "
        "moment of the machine hits them alike; the ratio to the floor is the ratio of the "
        "medians. The reports (and `log`) run round-robin too, each round with the floor "
        "again, and their ratios are to that floor (*floor, timed in the reports' rounds*).",
        "- *Flat* compares each size's time as a multiple of the floor timed in the same "
        "rounds (the seconds are shown too): this machine's speed drifts by a third between "
        "spells minutes apart, which is not the file's growth. The one month of `summary` "
        "holds ~N/120 entries (the files span ten years), so at 1M it sums ~8,300 entries "
        "where at 10k it sums ~80: that is the growth left in it.",
        "- `add` and `outcome` write to a per-size copy of the cached database, so the cache "
        "stays clean (the copy grows by "
        f"{args.runs * QUICK_ROUNDS + 1} rows per command, nothing next to N).",
        "- `export` writes the whole database as CSV to /dev/null; `import` reads netlog's own "
        "CSV export of that database into a new, empty file. The data moves run round-robin "
        f"with their floors: {args.runs * SMALL_MOVE_ROUNDS} timed rounds at "
        f"{human(SMALL_MOVES)} (a fraction of a second each, where noise weighs most), "
        f"{args.runs} at 100k, at most 3 at 1M.",
        "- Python's bytecode cache is on for the measured processes (PYTHONDONTWRITEBYTECODE "
        "is removed from their environment), as it is for an installed netlog.",
        "- On a shared machine other work may run alongside: treat differences under ~10% "
        "as noise. Data moves and their floors also show the median "
        "CPU time (user + system, from the same `wait4`) of the same runs, which other work "
        "on the machine disturbs far less than wall time.",
    ]


def report(all_results, sizes, args, started: datetime, elapsed: float) -> str:
    met = targets(all_results, sizes)
    return "\n".join(
        [
            "# netlog benchmarks",
            "",
            f"Measured {started:%Y-%m-%d %H:%M} UTC by `python bench/run.py "
            f"--sizes {','.join(map(str, all_results))} --runs {args.runs}"
            f"{' --seed ' + str(args.seed) if args.seed != generate.DEFAULT_SEED else ''}` "
            f"({elapsed / 60:.1f} min in all).",
            "",
            "## Machine",
            "",
            *machine(),
            "",
            "## Method",
            "",
            *method(args),
            "",
            "## Results",
            "",
            table(all_results, sizes),
            "",
            "## Targets",
            "",
            targets_table(met),
            "",
            f"{sum(1 for *_, m in met if m)} of {len(met)} targets met.",
            "",
        ]
    )


# --- channel exports (netlog import --from mbox|linkedin) -----------------------------------

CAPTURE_TARGETS = {"import": (30.0, 200 * 1024), "again": (10.0, 200 * 1024)}  # s, KiB


def write_capture_exports(n: int, directory: Path) -> tuple[Path, Path]:
    """An mbox of `n` messages (a third the user's outreach, a third answers to it, a third
    newsletters; LF, a short body each) and a LinkedIn folder whose messages.csv has `n` rows
    (conversations of five), both over two years before 2026."""
    import csv
    from datetime import timedelta

    start = datetime(2024, 1, 1, tzinfo=UTC)
    mbox = directory / f"capture-{n}.mbox"
    body = "Hello,\n\n" + "A line of an ordinary email body, nothing more. " * 8 + "\n\n"
    with mbox.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(n):
            at = start + timedelta(minutes=10 * i)
            date = at.strftime("%a, %d %b %Y %H:%M:%S +0000")
            kind = i % 3
            sender = "me@bench.example" if kind == 0 else f"p{i % 997}@people.example"
            labels = "Sent" if kind == 0 else "Inbox"
            reply = f"In-Reply-To: <{i - 1}@bench.example>\n" if kind == 1 else ""
            out.write(
                f"From x@x Mon Jan  1 00:00:00 2024\nMessage-ID: <{i}@bench.example>\n"
                f"Date: {date}\nFrom: Some One <{sender}>\nTo: someone@else.example\n"
                f"Subject: =?utf-8?q?Hello_n=C2=B0{i}?=\nX-Gmail-Labels: {labels}\n{reply}\n" + body
            )
    linkedin = directory / f"capture-{n}-linkedin"
    linkedin.mkdir(exist_ok=True)
    with (linkedin / "messages.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL",
                         "TO", "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
                         "ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"])  # fmt: skip
        for i in range(n):
            conversation, turn = divmod(i, 5)
            mine = turn % 2 == 0
            other = f"Person {conversation}"
            at = start + timedelta(minutes=10 * i)
            writer.writerow([
                f"conv-{conversation}", "", "Bench User" if mine else other, "",
                other if mine else "Bench User", "", at.strftime("%Y-%m-%d %H:%M:%S UTC"), "",
                f"message {i}: " + "words " * 20, "INBOX", "", "No", "No",
            ])  # fmt: skip
    return mbox, linkedin


def bench_capture(n: int) -> int:
    """Import a generated `n`-message mbox and `n`-row messages.csv into new files, then again
    (nothing new): wall time and peak RSS of each netlog process, against CAPTURE_TARGETS."""
    exe = str(netlog_executable())
    failed = False
    with (
        tempfile.TemporaryDirectory(prefix="netlog-capture-") as tmp,
        Launcher(bench_env()) as launcher,
    ):
        directory = Path(tmp)
        mbox, linkedin = write_capture_exports(n, directory)
        csv_size = (linkedin / "messages.csv").stat().st_size
        sizes = f"mbox {mbox.stat().st_size / 2**20:.0f} MiB, csv {csv_size / 2**20:.0f} MiB"
        print(sizes, file=sys.stderr)
        runs = (
            ("mbox", ["--from", "mbox", str(mbox)]),
            ("linkedin", ["--from", "linkedin", "--me", "Bench User", str(linkedin)]),
        )
        print(f"| export ({n:,} messages) | import s | peak MiB | again s | peak MiB |")
        print("|---|---:|---:|---:|---:|")
        for name, argv in runs:
            db = directory / f"{name}.db"
            figures = []
            for step in ("import", "again"):
                seconds, peak = launcher.run([exe, "--db", str(db), "import", *argv], None)
                limit_s, limit_kib = CAPTURE_TARGETS[step]
                failed |= seconds > limit_s or peak > limit_kib
                figures += [f"{seconds:.1f}", f"{peak / 1024:.0f}"]
            print(f"| {name} | " + " | ".join(figures) + " |")
    print("targets: import <= 30 s, again <= 10 s, peak <= 200 MiB:",
          "NOT MET" if failed else "met", file=sys.stderr)  # fmt: skip
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated N")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="write the report (Markdown) to this file")
    parser.add_argument(
        "--only", help="comma-separated command keys to run (e.g. export,floor_export)"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI check: 200 entries, 1 run, no files kept; fails if any command fails",
    )
    parser.add_argument(
        "--capture",
        type=int,
        metavar="N",
        help="only time `import --from mbox|linkedin` of generated N-message exports",
    )
    args = parser.parse_args(argv)
    if args.capture:
        return bench_capture(args.capture)
    if args.smoke:
        args.sizes, args.runs, args.out = "200", 1, None
    try:
        sizes_n = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes must be comma-separated whole numbers")
    if not sizes_n or min(sizes_n) < 1 or args.runs < 1:
        parser.error("--sizes and --runs must be 1 or more")

    only = {key.strip() for key in args.only.split(",")} if args.only else None
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    all_results: dict[int, dict[str, Result]] = {}
    sizes: dict[int, int] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="netlog-smoke-") as smoke_dir:
            directory = Path(smoke_dir) if args.smoke else CACHE
            for n in sizes_n:
                print(f"N = {n:,}", file=sys.stderr)
                all_results[n], sizes[n] = bench_size(
                    n, args.seed, args.runs, not args.smoke, directory, args.smoke, only
                )
    except CommandFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started

    print(table(all_results, sizes))
    if args.smoke:
        print("\nsmoke: every command exited 0", file=sys.stderr)
        return 0
    print()
    print(targets_table(targets(all_results, sizes)))
    if args.out:
        args.out.write_text(report(all_results, sizes, args, started_at, elapsed), encoding="utf-8")
        print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
