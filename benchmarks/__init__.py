"""Benchmarks: scripts that print performance figures as JSON."""
