"""Adapter tests of the ESI client against local aiohttp servers and the ESI fake."""
