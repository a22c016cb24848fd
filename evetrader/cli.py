"""The `evetrader` command line: migrate, import static data, ingest, run and serve services."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import gc
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from core.gc_pause import cyclic_gc_paused
from evetrader.config import Settings, SettingsError, load_settings, secret_values
from evetrader.logs import configure_logging

if TYPE_CHECKING:
    from core.chat.model import Caller

T = TypeVar("T")
app = typer.Typer(no_args_is_help=True, help="evetrader: EVE Online market assistant.")  # --install-completion
sde_app = typer.Typer(no_args_is_help=True, help="Static data (SDE) commands.")
app.add_typer(sde_app, name="sde")
keys_app = typer.Typer(no_args_is_help=True, help="Encryption keys of the stored EVE SSO tokens.")
app.add_typer(keys_app, name="keys")
admin_app = typer.Typer(no_args_is_help=True, help="Panel admins (see also ADMIN_CHARACTER_IDS).")
app.add_typer(admin_app, name="admin")
AdminId = Annotated[int, typer.Argument(help="a linked EVE character id, or an account id", min=1)]


class Service(enum.StrEnum):
    """Services `evetrader serve` can run, one per process."""

    scheduler = "scheduler"
    worker = "worker"  # ingest jobs, and e-mail and web push alerts when set up
    web = "web"
    bot = "bot"


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one line to stderr and return the Exit to raise."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def _print_version(wanted: bool) -> None:
    """--version: print the installed version and stop."""
    if wanted:
        from importlib.metadata import version

        typer.echo(f"evetrader {version('evetrader')}")
        raise typer.Exit()


@app.callback()
def cli(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """evetrader: EVE Online market assistant."""


def settings_or_exit() -> Settings:
    """Load settings and configure logging, or stop with one clear line."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise fail(str(exc), 2) from None
    configure_logging(settings.log_level, settings.log_format, settings.env == "production", secret_values(settings))
    return settings


@contextlib.contextmanager
def lasting_imports() -> Iterator[None]:
    """Import what the process keeps to its end with the cyclic GC off, then freeze it (left out of every later
    pass): modules, classes and functions live as long as the process, and collecting while they load cost a one-shot
    `chat -c` about a tenth of its CPU."""
    with cyclic_gc_paused():
        try:
            yield
        finally:
            gc.freeze()


def run_async(main: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine, turning known failures into one-line messages and exit codes."""
    from core.market.errors import IngestFailed
    from core.market.hubs import UnknownLocation
    from evetrader.app import SchemaOutdated

    try:
        return asyncio.run(main())  # type: ignore[arg-type]
    except SchemaOutdated as exc:
        raise fail(str(exc), 1) from None
    except UnknownLocation as exc:
        raise fail(str(exc), 2) from None
    except IngestFailed as exc:
        raise fail(str(exc), 1) from None
    except ValueError as exc:  # bad configuration found while running (e.g. KeyConfigError): one line, no trace
        raise fail(str(exc), 2) from None
    except (OSError, ConnectionError) as exc:
        raise fail(f"cannot reach a server: {exc}", 1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as exc:  # the operator gets one line; the traceback goes to the log at DEBUG level
        logging.getLogger("evetrader").debug("unexpected failure", exc_info=True)
        raise fail(f"unexpected {type(exc).__name__}: {exc}", 1) from None


def stop_event() -> asyncio.Event:
    """An event set on SIGINT/SIGTERM, for services that run until stopped."""
    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, event.set)
    return event


@app.command()
def migrate() -> None:
    """Apply pending database migrations."""
    from evetrader.app import App

    settings = settings_or_exit()

    async def main() -> list[int]:
        async with App(settings) as ctx:
            return await ctx.migrate()

    applied = run_async(main)
    typer.echo(f"applied migrations: {applied}" if applied else "database is up to date")


@sde_app.command("import")
def sde_import(
    source: Annotated[str | None, typer.Argument(help="zip, folder or URL of CCP's JSONL export")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="import the bundled offline fixture")] = False,
) -> None:
    """Import CCP's static data export (default: the official latest JSONL zip)."""
    from evetrader.cli_actions import import_static_data

    settings = settings_or_exit()
    chosen = "bundled" if bundled else (source or settings.sde_source)
    summary = run_async(lambda: import_static_data(settings, chosen))
    typer.echo(summary)


@keys_app.command("new")
def keys_new(key_id: Annotated[str, typer.Argument(help="a short id for the key, e.g. 2026-11")]) -> None:
    """Print a new `keyid:base64` key: put it first in ENCRYPTION_KEYS, then run `evetrader keys rotate`."""
    from adapters.crypto import KeyConfigError, TokenCipher

    try:
        typer.echo(TokenCipher.new_key_entry(key_id))
    except KeyConfigError as exc:
        raise fail(str(exc), 2) from None


@keys_app.command("vapid")
def keys_vapid() -> None:
    """Print a new VAPID key pair for web push: put VAPID_PRIVATE_KEY (a secret) and VAPID_SUBJECT in the environment.

    Browsers subscribe with the public key; a new private key makes every existing browser subscription useless.
    """
    from adapters.webpush import new_vapid_key

    key = new_vapid_key()
    typer.echo(f"VAPID_PRIVATE_KEY={key.private_setting}")
    typer.echo("# how push services reach you: a mailto: address or an https: URL")
    typer.echo("VAPID_SUBJECT=mailto:you@example.org")
    typer.echo(f"# public key (the panel derives it; browsers subscribe with it): {key.public_key}")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every stored token under the newest key of ENCRYPTION_KEYS (older keys can then be dropped).

    Tokens that cannot be decrypted are listed and left alone; the exit code is then 1 (keep the old keys).
    """
    from evetrader.cli_actions import rotate_token_keys

    settings = settings_or_exit()
    summary, skipped = run_async(lambda: rotate_token_keys(settings))
    typer.echo(summary)
    if skipped:
        raise typer.Exit(1)


def _set_admin(number: int, admin: bool) -> None:
    from evetrader.admin_commands import set_admin

    settings = settings_or_exit()
    typer.echo(run_async(lambda: set_admin(settings, number, admin=admin)))  # an unknown id: one line, exit 2


@admin_app.command("grant")
def admin_grant(number: AdminId) -> None:
    """Make the account of a linked EVE character (or an account, by id) a panel admin."""
    _set_admin(number, True)


@admin_app.command("revoke")
def admin_revoke(number: AdminId) -> None:
    """Take the admin role from the account of a linked EVE character (or an account, by id)."""
    _set_admin(number, False)


@app.command()
def ingest(
    region: Annotated[int | None, typer.Option(help="region id, e.g. 10000002")] = None,
    hub: Annotated[str | None, typer.Option(help="hub name: Jita, Amarr, Dodixie, Rens or Hek")] = None,
    once: Annotated[bool, typer.Option("--once", help="refresh once and exit")] = False,
    history: Annotated[bool, typer.Option(help="also refresh watched types' history")] = False,
) -> None:
    """Ingest a region's order book (and optionally history), once or whenever it expires."""
    with lasting_imports():  # the refresh's wiring (App.esi's client with aiohttp, region_refresher's stores)
        import adapters.esi
        import adapters.postgres.orderbook
        import adapters.redis.quotes  # noqa: F401
        import core.market.ingest  # noqa: F401
        from evetrader.cli_actions import ingest_region, resolve_region

    if (region is None) == (hub is None):
        raise fail("give exactly one of --region ID or --hub NAME", 2)
    settings = settings_or_exit()
    try:
        region_id = resolve_region(region, hub)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    run_async(lambda: ingest_region(settings, region_id, once=once, history=history, echo=typer.echo))


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON list of the regions instead")] = False,
) -> None:
    """Show each region's snapshot: status, orders, age, expiry, last error."""
    from evetrader.cli_actions import show_status

    settings = settings_or_exit()
    run_async(lambda: show_status(settings, typer.echo, as_json=as_json))


AsName = Annotated[
    str | None,
    typer.Option("--as", help="a named identity of your OS user, with its own account (default: your OS user's)"),
]


def console_identity(name: str | None) -> Caller:
    """The console's caller: the OS user, or their identity `name` (--as); exit 2 for a malformed name."""
    from bot.console.repl import console_caller

    try:
        return console_caller(named=name)
    except ValueError as exc:
        raise fail(str(exc), 2) from None


@app.command()
def chat(
    command: Annotated[
        str | None, typer.Option("-c", "--command", help='run one command, e.g. "/price trit jita"')
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the reply as JSON (schema in the README)")] = False,
    name: AsName = None,
) -> None:
    """Talk to evetrader in the terminal: the same commands as Discord and Telegram, on your own account."""
    with lasting_imports():
        import evetrader.bootstrap.chat  # noqa: F401 (the console's wiring, imported by _console: here under the pause)
        from evetrader.cli_actions import chat as chat_session

    caller = console_identity(name)
    settings = settings_or_exit()
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))  # keep the chat readable
    raise typer.Exit(run_async(lambda: chat_session(settings, command, as_json=as_json, caller=caller)))


@app.command()
def appraise(
    hub: Annotated[str | None, typer.Option(help="hub to price at (default: DEFAULT_HUB)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print items, totals and unparsed lines as JSON")] = False,
    name: AsName = None,
) -> None:
    """Value what you copied from the game: evetrader appraise --hub amarr < cargo.txt"""
    with lasting_imports():
        import evetrader.bootstrap.chat  # noqa: F401
        from evetrader.cli_actions import appraise_stdin

    caller = console_identity(name)
    settings = settings_or_exit()
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    paste = sys.stdin.read()
    if not paste.strip():
        raise fail("nothing to appraise: paste into standard input (evetrader appraise < paste.txt)", 2)
    raise typer.Exit(run_async(lambda: appraise_stdin(settings, paste, hub, as_json=as_json, caller=caller)))


@app.command()
def seed() -> None:
    """Fill the database with demo data from the bundled ESI fake (simulated prices)."""
    from evetrader.cli_actions import seed_demo

    settings = settings_or_exit()
    run_async(lambda: seed_demo(settings, typer.echo))


@app.command()
def run(
    demo: Annotated[bool, typer.Option("--demo", help="serve the bundled ESI fake and ingest from it")] = False,
) -> None:
    """Run every service in one process: migrate, import static data if empty, scheduler and web.

    E-mail and web push alerts are delivered when SMTP_URL and SMTP_FROM, or VAPID_PRIVATE_KEY, are set. The
    Discord and/or Telegram bot runs too when DISCORD_TOKEN and/or TELEGRAM_TOKEN is set.
    """
    from evetrader.cli_actions import run_all

    settings = settings_or_exit()
    run_async(lambda: run_all(settings, demo=demo, stop=stop_event))


@app.command()
def serve(service: Annotated[Service, typer.Argument(help="which service to run")]) -> None:
    """Run one service in this process (for one-service-per-container deployments)."""
    from evetrader.cli_actions import serve_one

    settings = settings_or_exit()
    run_async(lambda: serve_one(settings, service.value, stop=stop_event))


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="evetrader")  # ends with SystemExit, also on success
    finally:
        leave_remains_to_exit()


def leave_remains_to_exit() -> None:
    """Freeze what the command leaves (its modules, their classes and functions; its resources are closed by now):
    the interpreter's teardown then frees it by reference counting without its full collections over every object,
    0.08 s after an ingest. Only garbage in reference cycles is left to the process's end: nothing the command wrote
    waits in it (streams are flushed and log handlers closed at exit as always)."""
    gc.freeze()


if __name__ == "__main__":
    main()
