"""The chat-platform port: each platform's settings come from its own variables, stay secret, and load cheaply."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.discord.platform import DiscordSettings
from bot.telegram.platform import TelegramSettings
from evetrader.config import PLATFORMS, SettingsError, load_settings, secret_values


def test_platform_settings_are_read_from_their_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "dc-env-token")
    monkeypatch.setenv("DISCORD_GUILD_IDS", "[9001, 9002]")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram/webhook")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "hook-secret-1")
    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    settings = load_settings()
    discord, telegram = settings.platform_settings("discord"), settings.platform_settings("telegram")
    assert isinstance(discord, DiscordSettings) and isinstance(telegram, TelegramSettings)
    assert discord.guild_ids == [9001, 9002] and telegram.webhook_url == "https://bot.example.org/telegram/webhook"
    assert [platform.name for platform in settings.enabled_platforms()] == ["discord"]  # no TELEGRAM_TOKEN
    assert {"dc-env-token", "hook-secret-1"} <= set(secret_values(settings))
    assert "dc-env-token" not in repr(discord)
    copied = settings.model_copy(update={"esi_base_url": "http://127.0.0.1:1"})  # `run --demo` copies settings
    assert copied.platform_settings("discord") == discord


def test_overrides_by_variable_name_and_one_line_errors() -> None:
    settings = load_settings(telegram_token="tg-123", telegram_api_base="http://127.0.0.1:1")
    telegram = settings.platform_settings("telegram")
    assert isinstance(telegram, TelegramSettings) and telegram.api_base == "http://127.0.0.1:1"
    with pytest.raises(SettingsError, match=r"^invalid setting DISCORD_GUILD_IDS\.0: "):
        load_settings(discord_guild_ids=["not a guild"])


def test_every_platform_names_its_enabling_variable() -> None:
    names = [platform.name for platform in PLATFORMS]
    assert len(set(names)) == len(names) and all(name.isidentifier() and name.islower() for name in names)
    for platform in PLATFORMS:
        assert platform.enabling_setting.startswith(platform.name.upper() + "_")


def test_listing_the_platforms_does_not_load_their_client_libraries() -> None:
    code = "import sys, evetrader.config; print(sorted({'discord', 'telegram'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"  # every CLI command reads the settings: discord.py and PTB load only in `serve bot`


def test_telegram_pace_is_a_setting_that_reaches_the_rate_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.platform import PlatformDeps
    from bot.telegram.platform import TelegramConnection

    monkeypatch.setenv("TELEGRAM_MESSAGES_PER_SECOND", "200")
    telegram = load_settings(telegram_token="123:abc").platform_settings("telegram")
    assert isinstance(telegram, TelegramSettings) and telegram.messages_per_second == 200
    assert TelegramSettings.model_fields["messages_per_second"].default == 30  # Telegram's free limit by default
    with pytest.raises(SettingsError, match=r"TELEGRAM_MESSAGES_PER_SECOND"):
        monkeypatch.setenv("TELEGRAM_MESSAGES_PER_SECOND", "0")
        load_settings()
    monkeypatch.delenv("TELEGRAM_MESSAGES_PER_SECOND")
    built: dict[str, object] = {}
    monkeypatch.setattr("bot.telegram.adapter.build_application", lambda *args, **kwargs: built.update(kwargs))
    TelegramConnection(telegram, PlatformDeps(gateway=None, state=None, paste_limit=1000))  # type: ignore[arg-type]
    assert built["messages_per_second"] == 200


def test_the_pace_sets_the_overall_limit_of_pacing() -> None:
    from bot.telegram.pacing import Pacing

    assert Pacing(overall_max_rate=200)._base_limiter.max_rate == 200  # type: ignore[union-attr]
