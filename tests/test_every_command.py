"""One tour of every command on one real file, for the inner loop (`pytest -m "not slow"`):
each runs at least once, and a command added to the app fails the tour until it joins."""

import json
import sys
from importlib import import_module

import typer.main
from tests.conftest import rows

from netlog.cli import app
from netlog.commands.common import new_app


def _paths(command, path: tuple[str, ...] = ()):
    if path:
        yield " ".join(path)
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, (*path, name))


def test_every_command_once_on_one_file(ok, run, db_path, tmp_path):
    toured: set[str] = set()

    def tour(name: str, *args: str):
        toured.add(name)
        return ok(*name.split(), *args)

    tour("add", "linkedin", "45m", "messages", "--count", "12", "--at", "2010-09-14 10:00")
    tour("outcome", "email", "win", "--value", "1200", "--at", "2010-09-20 09:00")
    tour("spend", "linkedin", "20", "credits", "--at", "2010-09-21")
    tour("edit", "1", "--note", "first")
    assert rows(db_path)[0]["note"] == "first"
    tour("rm", "3", "--yes")
    tour("undo", "--yes")
    assert [row["id"] for row in rows(db_path)] == [1, 2, 3]
    tour("redo")
    assert [row["id"] for row in rows(db_path)] == [1, 2]

    tour("start", "twitter", "tweets")
    tour("status")
    tour("cancel")
    assert run("status").exit_code == 1
    tour("start", "twitter", "tweets")
    tour("stop", "--duration", "20m")

    assert "linkedin" in tour("log").stdout
    summary = json.loads(tour("summary", "-f", "json").stdout)
    assert {line["channel"] for line in summary} == {"linkedin", "email", "twitter"}
    assert "email" in tour("funnel").stdout
    assert "linkedin" in tour("trend", "--since", "2010-09", "--until", "2010-09").stdout
    assert (
        "linkedin"
        in json.loads(tour("review", "--at", "2010-09-14", "-f", "json").stdout)["channels"][0][
            "channel"
        ]
    )
    page = tmp_path / "report.html"
    tour("report", "--since", "2010-09", "--until", "2010-12", "-o", str(page))
    assert "<html" in page.read_text(encoding="utf-8")
    assert "came from Email" in tour("demo").stdout
    tour("config", "rate", "40")
    assert tour("config", "rate").stdout == "40\n"
    assert tour("where").stdout == f"{db_path}\n"

    tour("channels alias", "li", "linkedin")
    assert "li" in tour("channels alias").stdout
    tour("channels unalias", "li")
    tour("channels rename", "twitter", "Twitter")
    tour("channels merge", "Twitter", "linkedin")
    assert "Twitter" not in tour("channels").stdout
    tour("budget set", "linkedin", "2h/week")
    assert "linkedin" in tour("budget list").stdout
    assert tour("budget").stdout == tour("budget list").stdout
    tour("budget rm", "linkedin")

    exported = tmp_path / "entries.csv"
    exported.write_text(tour("export").stdout, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    toured.add("import")
    ok("--db", str(fresh), "import", str(exported))
    assert len(rows(fresh)) == len(rows(db_path))
    other = tmp_path / "other.db"
    ok("demo", "--save", str(other))
    tour("merge", str(other))
    assert len(rows(db_path)) > len(rows(fresh))
    tour("backup", str(tmp_path / "copy.db"))
    assert len(rows(tmp_path / "copy.db")) == len(rows(db_path))
    tour("check")
    shared = tmp_path / "shared"
    shared.mkdir()
    assert tour("sync", str(shared), "-f", "json").stdout.startswith("{")
    assert tour("conflicts", "-f", "json").stdout.strip() == "[]"
    assert tour("man").stdout.startswith('.\\" Made by `netlog man`')

    assert set(_paths(typer.main.get_command(app))) - toured == set(), "add it to the tour"


def test_each_command_starts_on_an_app_of_its_own_that_has_it_alone(monkeypatch):
    """netlog.main builds an app of the one command it runs, registered by the group that
    GROUP_OF names: every command of netlog.cli's app has its group (but `man`, which reads
    them all), and that group's `only` registers that command and no other."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # netlog.main sets both
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    from netlog.main import GROUP_OF

    assert set(GROUP_OF) == set(typer.main.get_command(app).commands) - {"man"}
    for name, group in GROUP_OF.items():
        small = new_app()
        import_module(f"netlog.commands.{group}").register(small, only=name)
        assert list(typer.main.get_command(small).commands) == [name]
