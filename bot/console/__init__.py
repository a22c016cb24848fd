"""The console chat platform: terminal lines in, rendered Replies (text or JSON) out."""

from bot.console.json_output import SCHEMA_VERSION, dumps, reply_to_json
from bot.console.render import footer_line, render_text, save_images
from bot.console.repl import ConsoleChat, console_caller

__all__ = [
    "SCHEMA_VERSION",
    "ConsoleChat",
    "console_caller",
    "dumps",
    "footer_line",
    "render_text",
    "reply_to_json",
    "save_images",
]
