"""evetrader as deployments install it: a built wheel in a fresh virtualenv, run from an empty directory.

The wheel is built from a copy of the source tree (as the image's `COPY . .` does), installed with the locked
dependencies (requirements.lock, hashes required) into a virtualenv outside the repository, and run against the
test servers and the ESI fake with no source tree in reach: migrations, templates, static files and the bundled
SDE must come from the installed package, and the fakes must not be there.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from tests.conftest import _with_database

REPO = Path(__file__).resolve().parents[2]
RUNTIME_PACKAGES = ("evetrader", "core", "adapters", "bot", "scheduler", "web", "migrations")
MIGRATION_FILES = sorted(p.name for p in (REPO / "migrations").glob("*.sql"))
DEMOS = (["seed"], ["run", "--demo"])
NOT_SHIPPED = (".venv", ".git", "data", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests")
pytestmark = pytest.mark.e2e


def _run(args: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command to completion (at most 3 minutes), capturing its output as text."""
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False)


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{result.args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """evetrader's wheel, built (with pip, as the image does) from a copy of the source tree, fakes included."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    _ok(_run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", work / "dist", source], cwd=work))
    (built,) = (work / "dist").glob("evetrader-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv outside the repository: the locked dependencies (hashes checked), then the wheel alone."""
    home = tmp_path_factory.mktemp("venv") / "v"
    _ok(_run([sys.executable, "-m", "venv", "--without-pip", home], cwd=home.parent))
    uv: list[str | Path] = [
        sys.executable,
        "-m",
        "uv",
        "pip",
        "install",
        "--quiet",
        "--python",
        home / "bin" / "python",
    ]
    _ok(_run([*uv, "--compile-bytecode", "--require-hashes", "-r", REPO / "requirements.lock"], cwd=home.parent))
    _ok(_run([*uv, "--compile-bytecode", "--no-deps", wheel], cwd=home.parent))
    check = _run([sys.executable, "-m", "uv", "pip", "check", "--python", home / "bin" / "python"], cwd=home.parent)
    assert check.returncode == 0, f"requirements.lock misses what pyproject.toml asks for (run `make lock`):\n{check}"
    return home


@pytest.fixture(scope="module")
def esi_fake() -> Iterator[str]:
    """The ESI fake from the dev environment, a separate process on a free port; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "fakes.esi", "--port", "0"], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_dsn(pg_server_dsn: str) -> AsyncIterator[str]:
    """An empty database (nothing migrated) of this test's own."""
    name = f"evt_wheel_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(pg_server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(pg_server_dsn, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def _environment(venv: Path, data_dir: Path, **settings: str) -> dict[str, str]:
    """Our environment without anything pointing at the source tree, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env | {"EVETRADER_DATA_DIR": str(data_dir), "EVETRADER_LOG_FORMAT": "json"} | settings


def test_the_wheel_holds_the_runtime_files_and_no_fakes(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not [n for n in names if n.startswith("fakes/")]
    assert {f"migrations/{name}" for name in MIGRATION_FILES} <= names and "migrations/__init__.py" in names
    assert len(MIGRATION_FILES) >= 13
    for path in (REPO / "web" / "templates").glob("*.html"):
        assert f"web/templates/{path.name}" in names
    assert "web/static/panel.css" in names
    assert "adapters/sde/bundled/sde-fixture.zip" in names


def test_every_module_imports_without_the_source_tree_or_the_fakes(venv: Path, tmp_path: Path) -> None:
    script = f"""
import importlib, importlib.util, pkgutil, sys
names = []
for top in {RUNTIME_PACKAGES!r}:
    names.append(top)
    names += [m.name for m in pkgutil.walk_packages(importlib.import_module(top).__path__, top + ".")]
for name in names:
    importlib.import_module(name)
outside = sorted(n for n in names if not sys.modules[n].__file__.startswith({str(venv)!r}))
fakes = sorted(m for m in sys.modules if m.split(".")[0] == "fakes")
print(len(names), outside, fakes, importlib.util.find_spec("fakes"))
"""
    out = _ok(_run([venv / "bin" / "python", "-c", script], cwd=tmp_path, env=_environment(venv, tmp_path)))
    count, rest = out.split(" ", 1)
    assert int(count) > 100 and rest.strip() == "[] [] None"


async def test_demo_commands_say_how_to_get_the_missing_fakes(venv: Path, tmp_path: Path) -> None:
    env = _environment(venv, tmp_path)
    results = await asyncio.gather(
        *(asyncio.to_thread(_run, [venv / "bin" / "evetrader", *command], cwd=tmp_path, env=env) for command in DEMOS)
    )
    for result in results:
        assert result.returncode == 1 and result.stdout == "", result.args
        assert result.stderr.strip().splitlines() == [
            "error: demo data needs the ESI fake; the fakes are not installed: from evetrader's source tree run "
            "`make install`, or `pip install ./fakes` into this environment"
        ], result.args


async def test_installed_evetrader_migrates_imports_ingests_and_prices(
    venv: Path, esi_fake: str, fresh_dsn: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    empty = tmp_path / "cwd"
    empty.mkdir()
    env = _environment(
        venv,
        tmp_path / "data",
        DATABASE_URL=fresh_dsn,
        REDIS_URL=redis_url,
        EVETRADER_REDIS_PREFIX=redis_prefix,
        ESI_BASE_URL=esi_fake,
    )

    async def evetrader(*args: str) -> str:
        return _ok(await asyncio.to_thread(_run, [venv / "bin" / "evetrader", *args], cwd=empty, env=env))

    versions = [int(name[:4]) for name in MIGRATION_FILES]
    assert (await evetrader("migrate")).strip() == f"applied migrations: {versions}"
    assert (await evetrader("migrate")).strip() == "database is up to date"
    assert "imported" in await evetrader("sde", "import", "--bundled")
    assert "region 10000002: updated" in await evetrader("ingest", "--region", "10000002", "--once")
    reply = json.loads(await evetrader("chat", "-c", "/price tritanium jita", "--json"))
    assert reply["error"] is None, reply
    data = reply["data"]
    assert data["type_id"] == 34 and data["location_id"] == 60003760
    assert isinstance(data["best_sell"], float | int) and data["best_sell"] > 0
    assert isinstance(data["best_buy"], float | int) and 0 < data["best_buy"] < data["best_sell"]
    assert list(empty.iterdir()) == []  # nothing written next to where it ran
    conn = await asyncpg.connect(fresh_dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == len(MIGRATION_FILES)
    finally:
        await conn.close()
