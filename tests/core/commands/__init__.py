"""Tests of the platform-neutral command core."""
