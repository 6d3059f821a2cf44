"""Hostile files to import: netlog CSV and JSON, Watson frames and `timew export` output that
are broken, huge, endless, deeply nested or not text at all.

Every one is bad input: exit status 2, one line that says where (line, item, frame or
interval) and what is wrong, nothing written, and no new file or folder left behind.
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.test_hostile_support import (
    ENTRY_COLUMNS,
    EXIT_BAD_INPUT,
    Snapshot,
    assert_clean_failure,
    csv_row,
    invoke,
    make_database,
    netlog,
)

pytestmark = pytest.mark.slow

DEEP = "[" * 10_000 + "]" * 10_000
HUGE = "9" * 5000
HEADER = ENTRY_COLUMNS


def _frame(start: object = 1284458400, stop: object = 1284460200) -> list:
    return [start, stop, "upwork", "a1b2", ["bids"], stop]


def _interval(start: str = "20100914T100000Z", end: str = "20100914T103000Z") -> dict:
    return {"id": 1, "start": start, "end": end, "tags": ["upwork"]}


def _json_entry(**fields: object) -> dict:
    entry = {
        "uuid": "0b7c7c52-3d2a-4a8e-9a53-5b1d2f0c6e01", "type": "activity", "channel": "email",
        "minutes": 30, "count": 1, "occurred_at": "2010-09-14T10:00:00+00:00",
    }  # fmt: skip
    entry.update(fields)
    return entry


# (source, file name, content, what the message must say)
BAD_FILES = [
    # netlog CSV
    ("netlog", "big-field.csv", f"{HEADER}\n{csv_row(note='n' * 200_000)}\n", "line 2"),
    ("netlog", "extra-cell.csv", f"{HEADER}\n{csv_row()},extra\n", "line 2"),
    (
        "netlog",
        "short-row.csv",
        f"{HEADER}\n{csv_row()}\n{csv_row().rsplit(',', 3)[0]}\n",
        "line 3",
    ),
    ("netlog", "twice.csv", f"{HEADER},note\n{csv_row()},x\n", "twice"),
    ("netlog", "unknown.csv", f"{HEADER},colour\n{csv_row()},red\n", "unknown column"),
    ("netlog", "nameless.csv", f"{HEADER},\n{csv_row()},\n", "no name"),
    ("netlog", "no-uuid.csv", HEADER.replace("uuid,", "") + "\n", "uuid"),
    ("netlog", "no-channel.csv", HEADER.replace("channel,", "") + "\n", "channel"),
    ("netlog", "no-type.csv", HEADER.replace(",type", "") + "\n", "type"),
    ("netlog", "no-time.csv", HEADER.replace("occurred_at,", "") + "\n", "occurred_at"),
    ("netlog", "open-quote.csv", f"{HEADER}\n{csv_row(note=chr(34) + 'never closed')}\n", "line 2"),
    ("netlog", "empty.csv", "", "empty"),
    ("netlog", "nul.csv", f"{HEADER}\n{csv_row(note='a')}\0\n", "binary"),
    ("netlog", "huge-count.csv", f"{HEADER}\n{csv_row(count=HUGE)}\n", "line 2"),
    ("netlog", "huge-minutes.csv", f"{HEADER}\n{csv_row(minutes=HUGE)}\n", "line 2"),
    ("netlog", "huge-id.csv", f"{HEADER}\n{csv_row(id=HUGE)}\n", "line 2"),
    (
        "netlog",
        "year-1.csv",
        f"{HEADER}\n{csv_row(occurred_at='0001-01-01T00:00:00+00:00')}\n",
        "line 2",
    ),
    (
        "netlog",
        "offset.csv",
        f"{HEADER}\n{csv_row(occurred_at='2010-09-14T10:00:00+99:00')}\n",
        "line 2",
    ),
    ("netlog", "bad-third.csv", f"{HEADER}\n{csv_row()}\n{csv_row(uuid='x')}\n", "line 3"),
    # netlog JSON
    ("netlog", "deep.json", DEEP, "item 1"),
    ("netlog", "deep-field.json", '[{"note": ' + DEEP + "}]", "item 1"),
    ("netlog", "surrogate.json", json.dumps([_json_entry(note="\ud800")]), "surrogate"),
    ("netlog", "after.json", json.dumps([_json_entry()]) + " and more", "after the closing ]"),
    ("netlog", "after-array.json", json.dumps([_json_entry()]) + "[]", "after the closing ]"),
    (
        "netlog",
        "huge-id.json",
        json.dumps([_json_entry()]).replace('"uuid"', f'"id": {HUGE}, "uuid"'),
        "item 1",
    ),
    ("netlog", "nan.json", json.dumps([_json_entry()]).replace("30", "NaN"), "item 1"),
    ("netlog", "key-twice.json", '[{"channel": "a", "channel": "b"}]', "twice"),
    ("netlog", "object.json", json.dumps(_json_entry()), "not a netlog JSON export"),
    ("netlog", "number.json", "[1]", "item 1"),
    ("netlog", "open-string.json", '[{"note": "never closed', "item 1"),
    ("netlog", "trailing-comma.json", json.dumps([_json_entry()])[:-1] + ",]", "item 2"),
    ("netlog", "not-closed.json", "[" + json.dumps(_json_entry()), "closing ]"),
    (
        "netlog",
        "year-1.json",
        json.dumps([_json_entry(occurred_at="0001-01-01T00:00:00+00:00")]),
        "item 1",
    ),
    (
        "netlog",
        "latin-1.csv",
        f"{HEADER}\n{csv_row(channel='caf' + chr(0xE9))}\n".encode("latin-1"),
        "UTF-8",
    ),
    # Watson
    ("watson", "frames", DEEP, "item 1"),
    ("watson", "frames", json.dumps([_frame()]).replace("1284458400", HUGE, 1), "item 1"),
    ("watson", "frames", json.dumps([_frame(-62135596800, -62135590000)]), "years 1900 to 9998"),
    ("watson", "frames", json.dumps([_frame(-(10**14), -(10**14) + 600)]), "years 1900 to 9998"),
    ("watson", "frames", json.dumps([_frame(10**14, 10**14 + 600)]), "years 1900 to 9998"),
    ("watson", "frames", json.dumps([_frame(4102444800, 4102446600)]), "frame 1"),  # 2100
    ("watson", "frames", json.dumps([_frame("today", "tomorrow")]), "frame 1"),
    ("watson", "frames", json.dumps([_frame(True, 1284460200)]), "frame 1"),
    ("watson", "frames", json.dumps([_frame(1e300, 1e301)]), "frame 1"),
    ("watson", "frames", json.dumps([_frame(), "not a frame"]), "frame 2"),
    ("watson", "frames", '{"frames": []}', "not a Watson frames file"),
    ("watson", "frames", json.dumps([_frame()]) + "]", "after the closing ]"),
    # Timewarrior
    ("timewarrior", "timew.json", DEEP, "item 1"),
    (
        "timewarrior",
        "timew.json",
        json.dumps([_interval("00010101T000000Z", "00010101T010000Z")]),
        "years 1900 to 9998",
    ),
    (
        "timewarrior",
        "timew.json",
        json.dumps([_interval("99991231T230000Z", "99991231T235959Z")]),
        "years 1900 to 9998",
    ),
    (
        "timewarrior",
        "timew.json",
        json.dumps([_interval("21000101T000000Z", "21000101T010000Z")]),
        "interval 1",
    ),
    ("timewarrior", "timew.json", json.dumps([_interval("yesterday", "today")]), "interval 1"),
    (
        "timewarrior",
        "timew.json",
        json.dumps([_interval(), {**_interval(), "tags": ["\ud800"]}]),
        "surrogate",
    ),
    ("timewarrior", "timew.json", "[" + "{}," * 3 + "]", "interval 1"),
]


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / "in" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return path


@pytest.mark.parametrize("with_database", [False, True], ids=["no-db", "db"])
@pytest.mark.parametrize(
    ("source", "name", "content", "said"),
    BAD_FILES,
    ids=[f"{source}-{name}-{said[:12]}" for source, name, _, said in BAD_FILES],
)
def test_bad_files_are_refused_whole(source, name, content, said, with_database, tmp_path, db_path):
    path = _write(tmp_path, name, content)
    if with_database:
        make_database(db_path)
    before = Snapshot.take(tmp_path, db_path)
    outcome = invoke("import", "--from", source, str(path))
    assert_clean_failure(outcome, EXIT_BAD_INPUT, said)
    before.assert_unchanged(tmp_path, db_path)


@pytest.mark.parametrize(("source", "name", "content", "said"), BAD_FILES[::6])
def test_bad_files_on_standard_input_too(source, name, content, said, tmp_path, db_path):
    if isinstance(content, bytes):
        pytest.skip("CliRunner's input is text")
    before = Snapshot.take(tmp_path, db_path)
    outcome = invoke("import", "--from", source, "-", input=content)
    assert_clean_failure(outcome, EXIT_BAD_INPUT, said)
    before.assert_unchanged(tmp_path, db_path)


def test_a_failed_first_import_leaves_no_folders(tmp_path):
    path = _write(tmp_path, "bad.csv", f"{HEADER}\n{csv_row(uuid='x')}\n")
    before = Snapshot.take(tmp_path, tmp_path / "a" / "b" / "netlog.db")
    outcome = invoke("--db", str(tmp_path / "a" / "b" / "netlog.db"), "import", str(path))
    assert_clean_failure(outcome, EXIT_BAD_INPUT, "line 2")
    before.assert_unchanged(tmp_path, tmp_path / "a" / "b" / "netlog.db")


def test_a_good_file_still_imports(tmp_path, db_path):
    """The other cases' contrast: the same shapes, well formed, go in."""
    path = _write(tmp_path, "good.csv", f"{HEADER}\n{csv_row()}\n{csv_row(channel='x')}\n")
    outcome = invoke("import", str(path))
    assert outcome.code == 0, outcome
    assert "Added 2 entries" in outcome.stderr


# --- devices and endless streams: fail fast, in bounded memory --------------------------------

MEMORY_LIMIT = 1 << 30  # address space: a reader that kept an endless stream would hit it


def _bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.slow
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("source", ["netlog", "watson", "timewarrior"])
def test_a_device_is_refused_at_once(device, source, tmp_path, db_path):
    before = Snapshot.take(tmp_path, db_path)
    started = time.monotonic()
    outcome = netlog("import", "--from", source, device, timeout=30, preexec_fn=_bounded_memory)
    assert_clean_failure(outcome, EXIT_BAD_INPUT, "binary")
    assert time.monotonic() - started < 10
    before.assert_unchanged(tmp_path, db_path)


ENDLESS = [
    ("netlog", "", "[[[["),
    ("netlog", "", "a,b,c\n"),
    ("netlog", f"{HEADER}\n", "x"),  # one field that never ends
    ("netlog", '[{"note": "', "x"),  # one string that never ends
    ("netlog", "[", "1,"),  # items that are not objects
    ("watson", "[[", "1"),  # one number that never ends
    ("timewarrior", "[", "{},"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("source", "head", "repeated"), ENDLESS)
def test_an_endless_stream_fails_fast_in_bounded_memory(source, head, repeated, tmp_path, db_path):
    script = (
        "import sys\n"
        f"sys.stdout.write({head!r})\n"
        f"chunk = {repeated!r} * (1 << 16)\n"
        "try:\n"
        "    while True:\n"
        "        sys.stdout.write(chunk)\n"
        "except (BrokenPipeError, KeyboardInterrupt):\n"
        "    pass\n"
    )
    producer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        before = Snapshot.take(tmp_path, db_path)
        started = time.monotonic()
        outcome = netlog(
            "import", "--from", source, "-", stdin=producer.stdout, timeout=30,
            preexec_fn=_bounded_memory,
        )  # fmt: skip
        elapsed = time.monotonic() - started
    finally:
        producer.kill()
        producer.wait()
    assert_clean_failure(outcome, EXIT_BAD_INPUT)
    assert elapsed < 10, elapsed
    before.assert_unchanged(tmp_path, db_path)
