"""The product's command set: each family declares the top-level names it registers, and registers at first use."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from core.chat.registry import Registry
from core.commands.default import FAMILIES, build_registry

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("module", "function", "names"), FAMILIES, ids=[family[0] for family in FAMILIES])
def test_a_family_registers_exactly_the_top_level_names_it_declares(
    module: str, function: str, names: tuple[str, ...]
) -> None:
    registry = Registry(builtin_help=False)
    getattr(importlib.import_module(f"core.commands.{module}"), function)(registry)
    assert {command.name.split()[0] for command in registry.commands()} | set(registry.groups()) == set(names)


def test_the_lazy_command_set_lists_every_family_eagerly_registered() -> None:
    eager = Registry()
    for module, function, _ in FAMILIES:
        getattr(importlib.import_module(f"core.commands.{module}"), function)(eager)
    lazy = build_registry()
    assert [c.name for c in lazy.commands()] == [c.name for c in eager.commands()]
    assert lazy.groups() == eager.groups()


def test_looking_up_a_command_imports_its_family_only() -> None:
    code = (
        "import sys\nfrom core.commands.default import build_registry\n"
        "assert build_registry().get('price') is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith('core.commands.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    imported = ast.literal_eval(done.stdout.strip())
    assert imported == ["core.commands.default", "core.commands.market_price", "core.commands.no_data"]
