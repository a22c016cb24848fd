"""evetrader: EVE Online market assistant (composition root, settings and CLI live here)."""

__version__ = "0.1.0"
