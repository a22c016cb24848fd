"""Tests of core/alerts."""
