"""Run the ESI fake standalone: python -m fakes.esi --host 127.0.0.1 --port 8765 [--forge-orders N]."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time

from .catalog import DEFAULT_REGIONS, load_type_ids_from_sde_zip
from .server import EsiFake


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m fakes.esi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--forge-orders", type=int, default=DEFAULT_REGIONS[10000002])
    parser.add_argument("--cache-seconds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--auto-refresh", action="store_true", help="advance a region once it expires")
    parser.add_argument("--error-limit", type=int, default=100)
    parser.add_argument("--sde-zip", help="take the market types from this JSONL SDE zip (types.jsonl)")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Start the fake, print its base URL, serve until SIGINT/SIGTERM."""
    regions = {**DEFAULT_REGIONS, 10000002: args.forge_orders}
    fake = EsiFake(
        regions=regions,
        cache_seconds=args.cache_seconds,
        seed=args.seed,
        auto_refresh=args.auto_refresh,
        error_limit=args.error_limit,
        type_ids=load_type_ids_from_sde_zip(args.sde_zip) if args.sde_zip else None,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    started = time.perf_counter()
    await fake.start(args.host, args.port)
    print(fake.base_url, flush=True)
    took = time.perf_counter() - started
    print(f"{sum(regions.values())} orders generated in {took:.2f}s", file=sys.stderr, flush=True)
    try:
        await stop.wait()
    finally:
        await fake.close()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
