"""What every core package shares about the outside world: the error adapters raise when a store cannot be reached.

Each core package keeps the ports it needs next to it (core/market/ports.py, core/analysis/ports.py, ...);
docs/architecture.md lists where they live.
"""

from __future__ import annotations


class StoreUnavailable(ConnectionError):
    """The database could not be reached or did not answer in time; worth trying again in a minute.

    Adapters raise it in place of their driver's connection errors, so core can answer without knowing the driver.
    """
