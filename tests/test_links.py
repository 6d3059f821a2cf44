"""Linked outcomes: `outcome --from`, `edit --from/--unlink`, and links that survive export,
import, merge and undo (by UUID)."""

import json
import sqlite3
from pathlib import Path

import pytest

LINKS = "SELECT e.uuid, s.uuid FROM links l JOIN entries e ON e.id = l.entry_id" \
    " JOIN entries s ON s.id = l.source_id ORDER BY 1, 2"  # fmt: skip


def links(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(LINKS).fetchall()
    finally:
        conn.close()


@pytest.fixture
def linked(ok, db_path: Path) -> Path:
    """#1 emails, #2 a lead from them, #3 a win from the lead and the emails."""
    ok("add", "email", "30m", "prospects", "--count", "6", "--at", "2010-09-07 08:00")
    ok("outcome", "email", "lead", "--from", "1", "--at", "2010-09-14 11:00")
    ok("outcome", "email", "win", "--value", "£1200", "--from", "2", "--from", "1",
       "--at", "2010-10-05 11:00")  # fmt: skip
    return db_path


def test_outcome_from_records_each_source(linked):
    assert len(links(linked)) == 3
    exported = json.loads(_export(linked))
    win = next(e for e in exported if e["kind"] == "win")
    assert sorted(win["sources"]) == sorted(e["uuid"] for e in exported if e["id"] in (1, 2))


def _export(path: Path) -> str:
    from typer.testing import CliRunner

    from netlog.cli import app

    result = CliRunner().invoke(app, ["--db", str(path), "export", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["outcome", "email", "reach", "5", "--from", "1"], "only replies, leads and wins"),
        (["outcome", "email", "lead", "--from", "99"], "no entry #99"),
        (["outcome", "email", "lead", "--from", "3", "--at", "2010-10-06"], "is a win"),
        (["outcome", "email", "lead", "--from", "2", "--at", "2010-09-01"], "happened after"),
    ],
)
def test_a_link_that_cannot_be_is_refused_and_nothing_is_written(run, linked, args, message):
    before = links(linked)
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert links(linked) == before
    assert len(json.loads(_export(linked))) == 3


def test_edit_links_and_unlinks(ok, linked):
    ok("edit", "3", "--unlink")
    assert len(links(linked)) == 1
    ok("edit", "3", "--from", "2")
    assert len(links(linked)) == 2
    ok("undo", "--yes")
    assert len(links(linked)) == 1


def test_undo_of_rm_brings_the_links_back(ok, linked):
    before = links(linked)
    ok("rm", "2", "--yes")
    assert len(links(linked)) == 1  # the lead's own link and the win's link to it went
    ok("undo", "--yes")
    assert links(linked) == before


def test_links_survive_export_and_import_by_uuid(ok, linked, tmp_path):
    before = links(linked)
    for fmt in ("csv", "json"):
        exported = tmp_path / f"all.{fmt}"
        ok("export", "-f", fmt, "--output", str(exported))
        fresh = tmp_path / f"fresh-{fmt}.db"
        ok("--db", str(fresh), "import", str(exported))
        assert links(fresh) == before


def test_links_survive_merge(ok, linked, tmp_path):
    other = tmp_path / "other.db"
    ok("--db", str(other), "merge", str(linked))
    assert links(other) == links(linked)
    ok("--db", str(other), "merge", str(linked))  # again: nothing doubles
    assert links(other) == links(linked)
