"""Redis adapters: key naming, the hub quote cache and the scheduler's leader lock."""
