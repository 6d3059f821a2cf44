"""Sync between devices: `sync DIR` and `conflicts`."""

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from netlog.commands.common import add_commands, db_path_for, handle_errors, say


class SyncFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[SyncFormat, typer.Option("--format", "-f", help="text (default) or json.")]


def _json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


@handle_errors
def sync(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The shared folder (Dropbox, Syncthing, git…).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would happen.")] = False,
    show_status: Annotated[
        bool, typer.Option("--status", help="Devices seen, what is not sent yet, conflicts.")
    ] = False,
    compact: Annotated[
        bool, typer.Option("--compact", help="Then rewrite this device's own files as one.")
    ] = False,
    fmt: FormatOption = SyncFormat.TEXT,
) -> None:
    """Send this device's changes to a shared folder and apply the other devices'.

    \b
    Each device writes new files in a folder of its own under DIR; a sync service or git
    carries them. Keep the database itself out of the shared folder.

    \b
    Examples:
      netlog sync ~/Dropbox/netlog
      netlog sync ~/Dropbox/netlog --status
      netlog sync ~/Dropbox/netlog --dry-run
      netlog sync ~/Dropbox/netlog --compact
    """
    from netlog.io import sync as syncing
    from netlog.store import db

    path = db_path_for(ctx)
    if path.expanduser().resolve().is_relative_to(folder.expanduser().resolve()):
        from netlog.errors import InputError

        raise InputError(
            f"{path} is inside {folder}: keep the database out of the shared folder (a sync "
            "service copying it mid-write can damage it); move it, then sync again"
        )
    with db.connection(path, create=not show_status) as conn:
        if show_status:
            found = (
                syncing.status(conn, folder)
                if conn is not None
                else {"device": None, "devices": [], "unsent": None, "conflicts": 0}
            )
            _show_status(found, fmt)
            return
        assert conn is not None
        outcome = syncing.sync(conn, folder, dry_run=dry_run)
        if compact and not dry_run:
            replaced, written, kept = syncing.compact(conn, folder)
            if replaced:
                into = "one" if written == 1 else f"{written:,}"
                say(f"Compacted this device's {replaced:,} files into {into} ({_changes(kept)}).")
    from netlog.model.text import printable

    for note in outcome.notes:
        say(printable(note))  # file and device names come from the shared folder
    if fmt is SyncFormat.JSON:
        _json({**outcome.as_json(), "dry_run": dry_run} if dry_run else outcome.as_json())
        return
    received = sum(outcome.received.values())
    by_device = ", ".join(f"{name} {n}" for name, n in outcome.received.items())
    line = (
        f"{'Would send' if dry_run else 'Sent'} {_changes(outcome.sent)}, "
        f"{'would receive' if dry_run else 'received'} {_changes(received)}"
        + (f" ({by_device})" if by_device else "")
        + (
            f", {outcome.conflicts} conflict{'s' * (outcome.conflicts != 1)}"
            " (see `netlog conflicts`)"
            if outcome.conflicts
            else ", no conflicts"
        )
        + (" — nothing written (dry run)." if dry_run else ".")
    )
    typer.echo(printable(line))


def _changes(count: int) -> str:
    return f"{count} change{'s' * (count != 1)}"


def _show_status(found: dict[str, Any], fmt: SyncFormat) -> None:
    if fmt is SyncFormat.JSON:
        _json(found)
        return
    if found["device"] is None:
        typer.echo("This file has not synced yet.")
        return
    from netlog.model.text import printable

    me = found["device"]
    typer.echo(printable(f"This device: {me['name']} ({me['id']})"))
    for device in found["devices"]:
        typer.echo(
            printable(
                f"  {device['name']} ({device['id']}): {device['changes']} changes,"
                f" last {device['last_change'] or '-'}"
            )
        )
    typer.echo(f"Not sent yet: {found['unsent']} (entries changed, or files not yet written)")
    typer.echo(f"Files waiting to be applied: {found['files_waiting']}")
    typer.echo(f"Open conflicts: {found['conflicts']}")


@handle_errors
def conflicts(
    ctx: typer.Context,
    restore: Annotated[
        int | None, typer.Option("--restore", help="Make conflict N's lost version current.")
    ] = None,
    fmt: FormatOption = SyncFormat.TEXT,
) -> None:
    """List the versions that lost when two devices changed the same thing unseen.

    \b
    Examples:
      netlog conflicts
      netlog conflicts --restore 3
    """
    from netlog.io import sync as syncing
    from netlog.store import changes, db

    path = db_path_for(ctx)
    with db.connection(path, create=False) as conn:
        if restore is not None:
            if conn is None:
                raise _no_conflict(restore)
            restored = syncing.restore(conn, restore)
            say(
                f"Conflict {restore}: the lost version of {restored['type']} {restored['key']}"
                " is current again (it travels at the next sync)."
            )
            return
        rows = changes.conflicts(conn) if conn is not None else []
        names: dict[str, str] = {}
        if conn is not None and rows:
            names = {row["device"]: row["name"] for row in changes.devices(conn)}
            device = changes.device(conn)
            if device is not None:
                names[device.id] = device.name
    found = [_conflict(row, names) for row in rows]
    if fmt is SyncFormat.JSON:
        _json(found)
        return
    if not found:
        say("No conflicts.")
        return
    from netlog.model.text import printable

    for conflict in found:
        kept, lost = conflict["kept"]["state"], conflict["lost"]["state"]
        typer.echo(printable(f"{conflict['id']}. {conflict['type']} {conflict['key']}"))
        differing = sorted(
            name
            for name in (kept or {}).keys() | (lost or {}).keys()
            if (kept or {}).get(name) != (lost or {}).get(name)
        )
        for side in ("kept", "lost"):
            version = conflict[side]
            state = version["state"]
            shown = (
                "; ".join(
                    f"{name} {json.dumps(state.get(name), ensure_ascii=False)}"
                    for name in differing
                )
                if state is not None
                else "removed"
            )
            typer.echo(printable(f"   {side}: {version['device']}, {version['time']}: {shown}"))


def _no_conflict(number: int) -> Exception:
    from netlog.errors import InputError

    return InputError(f"no conflict {number} (see `netlog conflicts`)")


def _conflict(row: Any, names: dict[str, str]) -> dict[str, Any]:
    from netlog.io.sync import version_info

    return {
        "id": row["id"],
        "type": row["type"],
        "key": row["key"],
        "kept": version_info(row["kept_stamp"], row["kept_state"], names),
        "lost": version_info(row["lost_stamp"], row["lost_state"], names),
    }


COMMANDS: dict[str, Callable[..., None]] = {"sync": sync, "conflicts": conflicts}


def register(app: typer.Typer, only: str | None = None) -> None:
    add_commands(app, COMMANDS, only)
