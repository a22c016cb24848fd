"""Import direction: only the bootstrap (evetrader) wires things together; core imports no framework or I/O library.

Every import is read from the source (ast), including those inside functions and under TYPE_CHECKING, so a late
import cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("web", "bot", "scheduler", "adapters")  # they receive their dependencies; they never fetch the root
CORE_MAY_IMPORT = frozenset({"core", "orjson", "rapidfuzz"}) | sys.stdlib_module_names  # pure helpers only
SQL = re.compile(r"\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE FROM\b", re.DOTALL)


def imports(package: str) -> Iterator[tuple[str, int, str]]:
    """(file, line, imported module) of every absolute import in `package`'s modules."""
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield rel, node.lineno, alias.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield rel, node.lineno, node.module


def test_the_services_and_adapters_never_import_the_bootstrap() -> None:
    found = [
        f"{file}:{line} imports {module}"
        for package in SERVICES
        for file, line, module in imports(package)
        if module.split(".")[0] == "evetrader"
    ]
    assert found == []


def test_core_imports_no_framework_io_library_or_outer_layer() -> None:
    found = [
        f"{file}:{line} imports {module}"
        for file, line, module in imports("core")
        if module.split(".")[0] not in CORE_MAY_IMPORT
    ]
    assert found == []


def test_sql_lives_only_in_adapters() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for package in ("core", "web", "bot", "scheduler", "evetrader")
        for path in sorted((ROOT / package).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]
    assert found == []


def test_the_walk_sees_imports_inside_functions() -> None:
    """The walk must not go blind: it finds the bootstrap's own late imports (e.g. in evetrader/cli_actions.py)."""
    late = [module for file, _, module in imports("evetrader") if file == "evetrader/cli_actions.py"]
    assert "scheduler.service" in late and "web.app" in late
