"""Tests of the console chat adapter."""
