"""Reliability tests: services under Redis and Postgres outages and process kills (pytest mark `reliability`)."""
