"""Import direction: only the bootstrap (evetrader) wires things together; core imports no framework or I/O library.

Every import is read from the source (ast), including those inside functions and under TYPE_CHECKING, so a late
import cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("web", "bot", "scheduler", "adapters")  # they receive their dependencies; they never fetch the root
CORE_MAY_IMPORT = frozenset({"core", "msgspec", "numpy", "orjson", "rapidfuzz"})  # pure helpers only
CORE_MAY_IMPORT |= sys.stdlib_module_names
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


BUNDLED = ("evetrader/bot_service.py", "evetrader/console.py")  # they get BotDeps, ChatDeps from the bootstrap


def test_the_bot_service_and_console_take_bundles_not_the_app() -> None:
    """Neither imports the resources' App nor names it (an annotation, a call): the bootstrap hands them a bundle."""
    found = []
    for rel in BUNDLED:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"), rel)
        for node in ast.walk(tree):
            imported = node.module if isinstance(node, ast.ImportFrom) else None
            named = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            if imported == "evetrader.app" or named == "App":
                found.append(f"{rel}:{getattr(node, 'lineno', '?')}")
    assert found == []


OUTER = ("web", "bot", "scheduler")  # handed their adapters by the bootstrap (WebDeps, SchedulerDeps, the bot's)
SHARED_ADAPTER_MODULES = frozenset({"adapters.metrics"})  # Prometheus metrics: process-wide objects, not dependencies


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """Ids of every node under an `if TYPE_CHECKING:` block (imports there are for annotations only)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return found


def _adapter_object(module: str, name: str) -> object:
    """What `from module import name` binds (the adapters are imported to tell classes and exceptions apart)."""
    return getattr(importlib.import_module(module), name, None)


def _is_exception(obj: object) -> bool:
    """An exception class, or a tuple of them (such as adapters.redis.unreachable.UNREACHABLE) to catch."""
    if isinstance(obj, tuple):
        return bool(obj) and all(_is_exception(item) for item in obj)
    return isinstance(obj, type) and issubclass(obj, BaseException)


def _adapter_class(obj: object) -> bool:
    """A class defined in adapters/ that is not an exception."""
    return isinstance(obj, type) and obj.__module__.startswith("adapters.") and not _is_exception(obj)


def adapter_constructions(package: str) -> list[str]:
    """file:line and class of every call of a class defined in adapters/ (exceptions aside) in `package`."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        bound: dict[str, tuple[str, str | None]] = {}  # local name -> (adapters module, name in it; None: the module)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("adapters"):
                bound.update({alias.asname or alias.name: (node.module or "", alias.name) for alias in node.names})
            elif isinstance(node, ast.Import):
                bound.update(
                    {a.asname: (a.name, None) for a in node.names if a.name.startswith("adapters") and a.asname}
                )
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func, target = node.func, None
            if isinstance(func, ast.Name) and func.id in bound and bound[func.id][1] is not None:
                target = bound[func.id]
            elif isinstance(func, ast.Attribute):
                owner = ast.unparse(func.value)
                if owner in bound and bound[owner][1] is not None:  # Class.method(...): an alternative constructor
                    cls = _adapter_object(bound[owner][0], str(bound[owner][1]))
                    if _adapter_class(cls) and isinstance(inspect.getattr_static(cls, func.attr, None), classmethod):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} builds {owner} ({func.attr})")
                    continue
                module = bound[owner][0] if owner in bound else owner
                target = (module, func.attr) if module.startswith("adapters.") else None
            if target is not None and _adapter_class(_adapter_object(target[0], str(target[1]))):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} builds {target[1]}")
    return found


BUILDERS = ("evetrader/bootstrap/", "evetrader/app.py:")  # the bootstrap; App opens the process's resources
# The settings check the VAPID key when they load (a clear start-up error) and derive its public key from it.
CHECKED_BY_SETTINGS = ("evetrader/config.py:", "builds VapidKey (from_setting)")


def test_nothing_outside_the_bootstrap_constructs_an_adapter() -> None:
    """web/, bot/, scheduler/, core/ and evetrader/ never call a class defined in adapters/, except in
    evetrader/bootstrap/ and evetrader/app.py. The bootstrap builds adapters and hands them over (a factory where a
    service needs new ones, such as SchedulerDeps.lease; the operator commands' stores come from
    bootstrap/operator.py); App opens the resources (the Postgres pool, Redis and its keys, the ESI and SSO
    clients, embedded servers, the catalog it caches). Raising an adapter's exception is allowed: it builds no
    dependency."""
    built = [found for package in (*OUTER, "core", "evetrader") for found in adapter_constructions(package)]
    allowed = [found for found in built if found.startswith(CHECKED_BY_SETTINGS[0]) and CHECKED_BY_SETTINGS[1] in found]
    assert [found for found in built if not found.startswith(BUILDERS) and found not in allowed] == []


def test_the_construction_walk_sees_the_bootstraps_own_constructions() -> None:
    """The walk must not go blind: it finds what the bootstrap builds (e.g. the panel's stores), also through an
    alternative constructor (a classmethod such as TokenCipher.from_setting)."""
    built = adapter_constructions("evetrader")
    assert any(line.startswith("evetrader/bootstrap/web.py") and "PgAlertRules" in line for line in built)
    assert any("builds TokenCipher (from_setting)" in line for line in built)


def test_the_outer_layers_import_adapters_only_for_annotations_and_exceptions() -> None:
    """web/, bot/ and scheduler/ import adapters only under TYPE_CHECKING (annotations), for an adapter's exceptions
    (to catch them), or adapters.metrics: whatever else they use the bootstrap hands them."""
    found = set()
    for package in OUTER:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            annotations_only = _type_checking_nodes(tree)
            for node in ast.walk(tree):
                if id(node) in annotations_only:
                    continue
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names if alias.name.startswith("adapters")]
                elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("adapters"):
                    only_errors = all(_is_exception(_adapter_object(node.module or "", a.name)) for a in node.names)
                    modules = [] if only_errors or node.module in SHARED_ADAPTER_MODULES else [node.module or ""]
                else:
                    continue
                found |= {(str(path.relative_to(ROOT)), module) for module in modules}
    assert sorted(found) == []
