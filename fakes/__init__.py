"""Local, protocol-faithful fakes of the external services evetrader talks to."""
