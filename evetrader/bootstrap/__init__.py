"""Per-service builders: each hands one service (scheduler, worker, web, ...) exactly the dependencies it uses."""
