"""The Discord chat platform: slash commands from the registry in, embeds, files and buttons out.

The package exports its platform object only (importing it does not load discord.py); the client, rendering and
delivery live in its modules (client, commands, render, deliver, ...)."""

from bot.discord.platform import discord_platform

__all__ = ["discord_platform"]
