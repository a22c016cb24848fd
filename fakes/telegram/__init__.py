"""A local, protocol-faithful Telegram Bot API server for tests: polling, webhooks, keyboards, inline mode."""

from fakes.telegram.server import SECRET_HEADER, TelegramFake
from fakes.telegram.wire import Call

__all__ = ["SECRET_HEADER", "Call", "TelegramFake"]
