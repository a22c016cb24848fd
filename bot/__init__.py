"""Chat platforms (Discord, Telegram, console): thin translators onto core commands."""
