"""No import cycle between core's packages (core.x -> core.y -> ... -> core.x), read from the source with ast.

Every import counts, including those inside functions and under TYPE_CHECKING, so a late import cannot hide one.
A package is core's first level below core (core.chat, core.market, core.catalog for core/catalog.py).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
# Cycles still to break; each entry must still exist, so the list only shrinks (empty since issue 14).
KNOWN_CYCLES: set[frozenset[str]] = set()


def _module(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def module_imports() -> dict[str, set[str]]:
    """Which core modules each core module imports (`from core.x import y` counts core.x, and core.x.y when y is a
    module)."""
    paths = {_module(path): path for path in CORE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in paths.items():
        base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                prefix = base[: len(base) - node.level + 1] if node.level else []
                source = ".".join([*prefix, *([node.module] if node.module else [])])
                targets = [source, *(f"{source}.{alias.name}" for alias in node.names)]
            else:
                continue
            graph[module] |= {target for target in targets if target in paths and target != module}
    return graph


def package_graph() -> dict[str, set[str]]:
    """Which core packages each core package imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in module_imports().items():
        for target in targets:
            if _package(target) != _package(module):
                graph[_package(module)].add(_package(target))
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The packages of each strongly connected component with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset({"a", "b", "c"})}
    assert cycles({"a": {"b"}, "b": set()}) == set()


def test_the_chat_framework_imports_no_command_family_or_use_case() -> None:
    assert not package_graph()["core.chat"] & {"core.commands", "core.usecases", "core.analysis"}


def test_no_core_package_imports_a_command_family() -> None:
    """The command families are leaves: use cases, AI tools and alerts never import core.commands (the cycle
    core.analysis <-> core.commands came from the AI tools unwrapping a command's Reply)."""
    assert [package for package, targets in package_graph().items() if "core.commands" in targets] == []


def test_core_modules_import_each_other_without_a_cycle() -> None:
    """Not even inside a package (core.chat's registry and dispatch once imported each other)."""
    assert cycles(module_imports()) == set()


def test_core_packages_import_each_other_without_a_cycle() -> None:
    found = cycles(package_graph())
    assert found - KNOWN_CYCLES == set(), "new import cycle between core packages"
    assert KNOWN_CYCLES - found == set(), "a known cycle is gone: remove it from KNOWN_CYCLES"
