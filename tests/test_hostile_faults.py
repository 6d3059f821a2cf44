"""A hostile environment: a read-only file or folder, a full disk, a device for a database, a
damaged file, totals past 64 bits, and escape sequences stored in the file.

Every write must fail with one line, exit status 1, the file unchanged and nothing left
behind; every read must either work or say in one line why not.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.test_hostile_support import (
    ENTRY_COLUMNS,
    EXIT_ENVIRONMENT,
    NETLOG,
    Snapshot,
    assert_clean_failure,
    bulk_insert,
    csv_row,
    dump,
    invoke,
    make_database,
    netlog,
)

pytestmark = pytest.mark.slow

NOBODY = 65534

# Every command that writes, with what it needs: (argv, prepare) where prepare may start a
# timer first. {import} and {other} are files made beside the database.
WRITES = [
    ["add", "email", "1h"],
    ["outcome", "email", "win", "--value", "5"],
    ["spend", "email", "5"],
    ["config", "currency", "EUR"],
    ["config", "rate", "40"],
    ["start", "email"],
    ["stop", "--duration", "30m"],
    ["cancel"],
    ["channels", "rename", "email", "mail"],
    ["channels", "alias", "mail", "email"],
    ["import", "{import}"],
    ["merge", "{other}"],
    ["rm", "1", "--yes"],
    ["edit", "1", "--note", "x"],
    ["undo"],
]
TIMER_COMMANDS = {"stop", "cancel"}


def _files_beside(folder: Path) -> dict[str, str]:
    """A small import file and another database, outside the folder under test."""
    source = folder / "in.csv"
    source.write_text(f"{ENTRY_COLUMNS}\n{csv_row()}\n", encoding="utf-8")
    other = folder / "other.db"
    make_database(other, entries=1)
    bulk_insert(other, 5)
    return {"import": str(source), "other": str(other)}


def _argv(argv: list[str], files: dict[str, str]) -> list[str]:
    return [arg.format(**files) for arg in argv]


def _seed(database: Path, *, timer: bool) -> None:
    make_database(database)
    if timer:
        assert invoke("--db", str(database), "start", "email", "--at", "2010-09-20 09:00").code == 0


# --- a read-only file or folder, as a normal user ------------------------------------------


def _as_normal_user() -> dict | None:
    """How to run netlog as a user without root's right to write anything: as `nobody` when
    that user can run this Python, else as root without capabilities (setpriv), which the
    kernel checks like any user against the permission bits. None if neither works."""
    if os.geteuid() != 0:
        return {}

    def nobody() -> None:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)

    def works(argv: list[str], **how) -> bool:
        try:
            return subprocess.run(argv, capture_output=True, check=False, **how).returncode == 0
        except (OSError, subprocess.SubprocessError):  # nobody may not reach this Python
            return False

    if works([NETLOG, "--version"], preexec_fn=nobody):
        return {"preexec_fn": nobody}
    prefix = [shutil.which("setpriv") or "setpriv", "--bounding-set=-all", "--inh-caps=-all"]
    if works([*prefix, NETLOG, "--version"]):
        return {"prefix": prefix}
    return None


@pytest.fixture(scope="module")
def normal_user() -> dict:
    how = _as_normal_user()
    if how is None:
        pytest.skip("cannot run netlog as a normal user here (no nobody, no setpriv)")
    return how


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder that `nobody` can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="netlog-hostile-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("locked", ["file", "folder"])
@pytest.mark.parametrize("argv", WRITES, ids=" ".join)
def test_writes_to_a_read_only_database_fail_cleanly(argv, locked, normal_user, shared_folder):
    files = _files_beside(shared_folder)
    folder = shared_folder / "data"
    folder.mkdir()
    database = folder / "netlog.db"
    _seed(database, timer=argv[0] in TIMER_COMMANDS)
    for path in [shared_folder, *shared_folder.rglob("*")]:  # readable by anyone
        path.chmod(0o755 if path.is_dir() else 0o644)
    if locked == "file":
        folder.chmod(0o777)
        database.chmod(0o444)
    else:
        folder.chmod(0o555)
        database.chmod(0o666)
    before = Snapshot.take(folder, database)
    env = {**os.environ, "NETLOG_DB": str(database), "XDG_DATA_HOME": str(folder / "xdg")}
    outcome = netlog(*_argv(argv, files), env=env, **normal_user)
    assert_clean_failure(outcome, EXIT_ENVIRONMENT, "read-only")
    before.assert_unchanged(folder, database)


@pytest.mark.slow
@pytest.mark.parametrize("argv", [["log"], ["summary"], ["export"], ["check"], ["status"]])
def test_reads_of_a_read_only_database_still_work(argv, normal_user, shared_folder):
    folder = shared_folder / "data"
    folder.mkdir()
    database = folder / "netlog.db"
    _seed(database, timer=True)
    database.chmod(0o444)
    folder.chmod(0o555)
    before = Snapshot.take(folder, database)
    env = {**os.environ, "NETLOG_DB": str(database)}
    outcome = netlog(*argv, env=env, **normal_user)
    assert outcome.code == 0, outcome
    assert "Traceback" not in outcome.stderr
    before.assert_unchanged(folder, database)


# --- a full disk -------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs, mounted for the test (root only): room for a new file with every
    migration, which each test then fills up."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {mounted.stderr.strip() or 'not root'}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path, leave_kib: int) -> None:
    """Fill the disk up to `leave_kib` KiB of free space."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    size = max(0, free - leave_kib * 1024)
    with (disk / "filler").open("wb") as filler:
        filler.write(b"\0" * size)


@pytest.mark.parametrize("leave_kib", [0, 12])
@pytest.mark.parametrize("argv", WRITES, ids=" ".join)
def test_writes_on_a_full_disk_fail_cleanly(argv, leave_kib, small_disk, tmp_path):
    files = _files_beside(tmp_path)
    database = small_disk / "netlog.db"
    _seed(database, timer=argv[0] in TIMER_COMMANDS)
    if argv[0] == "import":  # big enough to need more room than is left
        rows = "\n".join(csv_row(note="n" * 200) for _ in range(400))
        Path(files["import"]).write_text(f"{ENTRY_COLUMNS}\n{rows}\n", encoding="utf-8")
    if argv[0] == "merge":
        bulk_insert(Path(files["other"]), 2000)
    _fill(small_disk, leave_kib)
    before = Snapshot.take(small_disk, database)
    outcome = invoke("--db", str(database), *_argv(argv, files))
    if outcome.code == 0:  # a small write may fit in what was left
        assert leave_kib > 0, outcome
        return
    assert_clean_failure(outcome, EXIT_ENVIRONMENT)
    assert "cannot rollback" not in outcome.stderr
    assert "full" in outcome.stderr or "No space" in outcome.stderr, outcome.stderr
    before.assert_unchanged(small_disk, database)


@pytest.mark.parametrize(
    "argv",
    [["add", "email", "1h"], ["import", "{import}"], ["config", "rate", "40"], ["start", "x"]],
    ids=lambda argv: argv[0],
)
def test_the_first_write_on_a_full_disk_leaves_nothing(argv, small_disk, tmp_path):
    files = _files_beside(tmp_path)
    _fill(small_disk, 0)
    for database in (small_disk / "new.db", small_disk / "a" / "b" / "new.db"):
        before = Snapshot.take(small_disk, database)
        outcome = invoke("--db", str(database), *_argv(argv, files))
        assert_clean_failure(outcome, EXIT_ENVIRONMENT)
        before.assert_unchanged(small_disk, database)


@pytest.mark.slow
@pytest.mark.parametrize("command", [["export"], ["log", "-f", "csv"], ["summary", "-f", "json"]])
def test_output_redirected_to_a_full_disk_is_one_line(command, small_disk, tmp_path, db_path):
    make_database(db_path)
    bulk_insert(db_path, 2000)
    _fill(small_disk, 0)
    with (small_disk / "out.txt").open("wb") as out:
        outcome = netlog(*command, stdout=out)
    assert_clean_failure(outcome, EXIT_ENVIRONMENT, "No space left")


def test_export_to_a_file_on_a_full_disk_leaves_no_partial_file(small_disk, db_path):
    make_database(db_path)
    bulk_insert(db_path, 2000)
    _fill(small_disk, 8)
    before = Snapshot.take(small_disk, db_path)
    outcome = invoke("export", "-o", str(small_disk / "out.csv"))
    assert_clean_failure(outcome, EXIT_ENVIRONMENT)
    before.assert_unchanged(small_disk, db_path)


# --- not a database ------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
@pytest.mark.parametrize("argv", [["add", "email", "1h"], ["summary"], ["config", "rate", "4"]])
def test_a_device_for_a_database_is_refused_and_left_alone(argv, device, tmp_path):
    journal = Path(f"{device}-journal")
    existed = journal.exists()
    before = Snapshot.take(tmp_path, tmp_path / "netlog.db")
    outcome = invoke("--db", device, *argv)
    assert_clean_failure(outcome, EXIT_ENVIRONMENT, "not a regular file")
    assert journal.exists() == existed
    before.assert_unchanged(tmp_path, tmp_path / "netlog.db")


@pytest.mark.parametrize("argv", [["add", "email", "1h"], ["summary"], ["check"], ["log"]])
def test_a_folder_for_a_database_is_refused(argv, tmp_path):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    before = Snapshot.take(tmp_path, tmp_path / "none.db")
    assert_clean_failure(invoke("--db", str(folder), *argv), EXIT_ENVIRONMENT, "directory")
    before.assert_unchanged(tmp_path, tmp_path / "none.db")


# --- damaged files: `check` tells damaged from foreign -----------------------------------------


def _overwrite_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2)
        file.write(b"\xde\xad" * 2048)


def _truncate_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _text(path: Path) -> None:
    path.write_text("hello, this is not a database\n")


def _foreign_sqlite(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()


DAMAGE = [
    (_overwrite_middle, "damaged"),
    (_truncate_half, "cut short"),
    (_random_bytes, "not an SQLite database"),
    (_text, "not an SQLite database"),
    (_foreign_sqlite, "not a netlog one"),
]


@pytest.fixture(scope="module")
def big_database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "netlog.db"
    make_database(path)
    bulk_insert(path, 20_000)
    return path


@pytest.mark.parametrize(("damage", "said"), DAMAGE, ids=lambda v: getattr(v, "__name__", v))
def test_check_tells_damaged_from_foreign_and_changes_nothing(damage, said, big_database, tmp_path):
    path = tmp_path / "netlog.db"
    shutil.copy(big_database, path)
    damage(path)
    content = path.read_bytes()
    files = {p.name for p in tmp_path.iterdir()}
    outcome = invoke("--db", str(path), "check")
    assert outcome.code == EXIT_ENVIRONMENT, outcome
    assert said in outcome.stderr, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert path.read_bytes() == content
    assert {p.name for p in tmp_path.iterdir()} == files


@pytest.mark.parametrize(
    "damage", [_truncate_half, _random_bytes, _text, _foreign_sqlite], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("argv", [["add", "email", "1h"], ["summary"], ["export"]])
def test_other_commands_on_a_damaged_file_are_one_line(argv, damage, big_database, tmp_path):
    path = tmp_path / "netlog.db"
    shutil.copy(big_database, path)
    damage(path)
    content = path.read_bytes()
    outcome = invoke("--db", str(path), *argv)
    assert_clean_failure(outcome, EXIT_ENVIRONMENT)
    assert path.read_bytes() == content
    assert not Path(f"{path}-journal").exists()


# --- totals past 64 bits ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def rich_database(tmp_path_factory) -> Path:
    """10,000 wins at the largest amount netlog accepts: their sum is past 2^63."""
    path = tmp_path_factory.mktemp("rich") / "netlog.db"
    make_database(path)
    bulk_insert(path, 10_000, kind="win", value=10**15)
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["summary"],
        ["summary", "-f", "csv"],
        ["summary", "-f", "json"],
        ["summary", "--channel", "email"],
        ["summary", "--since", "2010-01"],
        ["report", "-o", "{folder}/report.html"],
    ],
    ids=" ".join,
)
def test_revenue_past_64_bits_is_one_clear_line(argv, rich_database, tmp_path):
    path = tmp_path / "netlog.db"
    shutil.copy(rich_database, path)
    before = Snapshot.take(tmp_path, path)
    outcome = invoke("--db", str(path), *[arg.format(folder=tmp_path) for arg in argv])
    assert_clean_failure(outcome, EXIT_ENVIRONMENT, "too large")
    before.assert_unchanged(tmp_path, path)


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "--limit", "3"],
        ["export"],
        ["check"],
        ["channels"],
        ["summary", "--by", "month"],  # no one month's sum is past 2^63
        ["summary", "--by", "week", "-f", "csv"],
    ],
)
def test_reads_that_need_no_grand_total_still_work_past_64_bits(argv, rich_database, tmp_path):
    path = tmp_path / "netlog.db"
    shutil.copy(rich_database, path)
    outcome = invoke("--db", str(path), *argv)
    assert outcome.code == 0, outcome
    assert dump(path) == dump(rich_database)


# --- escape sequences stored in the file ------------------------------------------------------

CONTROL = "\x1b[31mRED\x07\x1b]0;pwned\x07"


def _raw_controls(text: str) -> set[str]:
    return {char for char in text if (ord(char) < 32 and char not in "\n\t") or char == "\x7f"}


@pytest.fixture
def tainted(db_path: Path) -> Path:
    make_database(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('currency', ?)", (CONTROL,))
    conn.commit()
    conn.close()
    return db_path


SHOWN = [
    ["summary"],
    ["summary", "-f", "csv"],
    ["summary", "-f", "json"],
    ["summary", "--by", "month"],
    ["log"],
    ["log", "-f", "json"],
    ["status"],
    ["outcome", "email", "win", "--value", "5"],
    ["spend", "email", "5"],
    ["report", "-f", "md", "-o", "-"],
    ["check"],
    ["channels"],
    ["config"],
    ["config", "currency"],
]


@pytest.mark.parametrize("argv", SHOWN, ids=lambda argv: " ".join(argv))
def test_control_characters_in_the_currency_setting_never_reach_the_terminal(argv, tainted):
    outcome = invoke(*argv)
    assert outcome.code in (0, 1, 2), outcome
    assert "Traceback" not in outcome.stderr
    assert not _raw_controls(outcome.stdout + outcome.stderr), outcome


@pytest.mark.parametrize("argv", [["summary"], ["log"]])
def test_a_garbled_rate_setting_is_one_line(argv, db_path):
    make_database(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('rate', ?)", (CONTROL,))
    conn.commit()
    conn.close()
    outcome = invoke(*argv)
    assert outcome.code in (1, 2), outcome
    assert not _raw_controls(outcome.stderr)
    assert "hit a bug" not in outcome.stderr
