"""The package is laid out by layer, and each rule lives in its layer: SQL only in store/,
imports one way (commands → reports / io → model / store; present takes plain data)."""

import ast
import re
from pathlib import Path

SOURCE = Path(__file__).parents[1] / "src" / "netlog"
SQL = re.compile(
    r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX|TRIGGER))\b"
)


def modules(folder: str) -> list[Path]:
    return sorted((SOURCE / folder).rglob("*.py")) if folder else sorted(SOURCE.glob("*.py"))


def test_no_sql_outside_the_storage_layer() -> None:
    found = [
        f"{path.relative_to(SOURCE)}:{number}: {line.strip()}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.relative_to(SOURCE).parts[0] != "store"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (SQL.search(line) or ".execute(" in line or "executemany(" in line)
        and not line.lstrip().startswith("#")
    ]
    assert found == []


def imported(path: Path) -> set[str]:
    """The netlog modules a file imports, at the top or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("netlog"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("netlog"))
    return names


def test_the_lower_layers_never_import_the_command_line() -> None:
    for layer in ("model", "store", "reports", "present", "io"):
        for path in modules(layer):
            upward = {name for name in imported(path) if name.startswith("netlog.commands")}
            assert upward == set(), (path.relative_to(SOURCE), upward)


def test_the_model_imports_only_the_model() -> None:
    for path in modules("model"):
        others = {
            name
            for name in imported(path)
            if name.startswith("netlog.") and name.split(".")[1] not in ("model", "errors")
        }
        assert others == set(), (path.relative_to(SOURCE), others)
