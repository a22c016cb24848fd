"""The numbered SQL migrations (package data, read through importlib.resources by adapters.postgres.migrate)."""
