"""Tests of the e-mail adapter."""
