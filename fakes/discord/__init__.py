"""A local Discord fake (REST v10 + gateway websocket) for running the real discord.py client in tests."""

from fakes.discord.interactions import MANAGE_GUILD, MEMBER_PERMISSIONS, PushedInteraction
from fakes.discord.records import Fault, Part, RecordedRequest
from fakes.discord.server import DiscordFake

__all__ = ["MANAGE_GUILD", "MEMBER_PERMISSIONS", "DiscordFake", "Fault", "Part", "PushedInteraction", "RecordedRequest"]
