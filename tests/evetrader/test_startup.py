"""Start-up stays light: the CLI and the composition root load no AI SDK, chart or chat-platform library until used;
shut-down leaves the interpreter's teardown no full collection over what the command loaded."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("anthropic", "openai", "matplotlib", "numpy", "msgspec", "discord", "telegram")
# Log rendering and terminal libraries: every command imports the CLI, so they load only when used.
START_UP_HEAVY = ("structlog", "rich")
ROOT = Path(__file__).resolve().parents[2]


def report(heavy: tuple[str, ...]) -> str:
    """Code printing the `heavy` top-level packages in sys.modules when the process ends (also after typer's
    SystemExit)."""
    return (
        "import atexit, sys\n"
        f"heavy = {heavy!r}\n"
        "atexit.register(lambda: print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))\n"
    )


def loaded_after(code: str, env: dict[str, str] | None = None, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The `heavy` packages a fresh interpreter has imported once `code` ran (it must exit 0)."""
    done = subprocess.run(
        [sys.executable, "-c", report(heavy) + code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ | (env or {}),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    return list(ast.literal_eval(line.removeprefix("LOADED ")))


@pytest.mark.parametrize("module", ["evetrader.cli", "evetrader.app", "evetrader.cli_actions"])
def test_importing_the_cli_or_the_composition_root_loads_no_heavy_library(module: str) -> None:
    assert loaded_after(f"import {module}", heavy=HEAVY + START_UP_HEAVY) == []


# What a command's imports leave to the commands that use it: `evetrader status` imports evetrader.cli_actions, whose
# refreshers and progress bars are ingest's, seed's and sde import's, and the App makes its ESI client at first use;
# `chat` builds the console's wiring, not the bot service's (aiohttp's web server, the platforms).
LEFT_TO_THEIR_COMMANDS = {
    "evetrader.cli_actions": ["evetrader.bootstrap.market", "evetrader.progress", "core.market.ingest", "adapters.esi"],
    "evetrader.bootstrap.chat": ["evetrader.bot_service", "aiohttp.web"],
}


@pytest.mark.parametrize("module", sorted(LEFT_TO_THEIR_COMMANDS))
def test_a_module_leaves_the_wiring_of_other_commands_unloaded(module: str) -> None:
    lazy = LEFT_TO_THEIR_COMMANDS[module]
    code = f"import sys, {module}\nprint('LOADED', sorted(set({lazy!r}) & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.split("LOADED ")[-1].strip() == "[]", done.stderr


@pytest.mark.e2e
def test_a_chat_command_loads_no_heavy_library(pg_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": pg_dsn,
        "REDIS_URL": redis_url,
        "EVETRADER_REDIS_PREFIX": redis_prefix,
        "EVETRADER_DATA_DIR": str(tmp_path),
        "ANTHROPIC_API_KEY": "sk-ant-not-used-by-price",  # configured AI still loads its SDK on the first question
    }
    code = "from evetrader.cli import main\nsys.argv = ['evetrader', 'chat', '-c', '/price tritanium jita']\nmain()"
    assert loaded_after(code, env, (*HEAVY, "rich")) == []  # output to a pipe is plain text: rich colours a terminal


@pytest.mark.e2e
def test_a_chat_command_imports_its_wiring_with_the_gc_paused_then_frozen(
    pg_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": pg_dsn,
        "REDIS_URL": redis_url,
        "EVETRADER_REDIS_PREFIX": redis_prefix,
        "EVETRADER_DATA_DIR": str(tmp_path),
    }
    report = "import atexit, gc\natexit.register(lambda: print('GC', gc.isenabled(), gc.get_freeze_count()))\n"
    code = report + "from evetrader.cli import main\nsys.argv = ['evetrader', 'chat', '-c', '/price trit jita']\nmain()"
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True, cwd=ROOT, env=os.environ | env
    )
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("GC ")]
    _, enabled, frozen = line.split()
    assert enabled == "True"  # the collector runs again for what the command itself allocates
    assert int(frozen) > 50_000  # the modules the console loaded are left out of its passes


def test_a_finished_command_leaves_what_it_loaded_frozen_for_the_teardown() -> None:
    # What the collector still tracks when the interpreter tears down: each of its final full collections goes over it.
    probe = "import atexit, gc, sys\natexit.register(lambda: print('TRACKED', len(gc.get_objects())))\n"
    code = probe + "from evetrader.cli import main\nsys.argv = ['evetrader', '--version']\nmain()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("TRACKED ")]
    assert int(line.split()[1]) < 1_000  # the CLI alone loads some 30,000 tracked objects (typer, pydantic)


def test_the_ingest_loads_its_wiring_with_the_gc_paused() -> None:
    # Whether the collector ran while each module of the refresh's wiring was imported (an unknown hub stops the
    # command after its imports, before any server is needed).
    wiring = ["aiohttp", "adapters.postgres.orderbook", "adapters.redis.quotes", "core.market.ingest"]
    probe = (
        "import gc, sys, atexit\n"
        "seen = {}\n"
        f"sys.addaudithook(lambda event, args: event == 'import' and args[0] in {wiring!r}"
        " and seen.setdefault(args[0], gc.isenabled()))\n"
        "atexit.register(lambda: print('GC', sorted(seen.items())))\n"
    )
    code = (
        probe
        + "from evetrader.cli import main\nsys.argv = ['evetrader', 'ingest', '--hub', 'Perimeter', '--once']\nmain()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2, done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("GC ")]
    assert ast.literal_eval(line.removeprefix("GC ")) == [(module, False) for module in sorted(wiring)]
