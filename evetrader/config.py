"""Typed settings: the only module that reads the environment (and an optional .env file), with the chat platforms'
settings models (bot/*/platform.py), listed in PLATFORMS. core/env_settings.py reads and checks them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from bot.discord import discord_platform
from bot.platform import ChatPlatform
from bot.telegram import telegram_platform
from core.env_settings import EnvSettings, InvalidSetting, SecretStr, setting
from evetrader import __version__

if TYPE_CHECKING:
    from core.market.fees import FeeSchedule

DEFAULT_USER_AGENT = (
    f"evetrader/{__version__} (set ESI_USER_AGENT to your contact e-mail; +https://github.com/evetrader/evetrader)"
)
OFFICIAL_SDE_URL = "https://developers.eveonline.com/static-data/eve-online-static-data-latest-jsonl.zip"
# The chat platforms the bot service runs (bot/platform.py): adding one is its package under bot/ plus its entry here.
PLATFORMS: tuple[ChatPlatform[Any], ...] = (discord_platform, telegram_platform)
PLATFORM_NAMES = tuple(platform.name for platform in PLATFORMS)  # e.g. the chats trade notices fall back to


class Settings(EnvSettings):
    """Everything evetrader can be configured with; validated once at start-up."""

    database_url: str | None = setting(None, description="PostgreSQL DSN; unset = embedded server")
    redis_url: str | None = setting(None, description="Redis URL; unset = embedded server")
    data_dir: Path = setting(Path("data"), env="EVETRADER_DATA_DIR")
    env: Literal["development", "production"] = setting("development", env="EVETRADER_ENV")
    log_format: Literal["auto", "json", "console"] = setting("auto", env="EVETRADER_LOG_FORMAT")
    log_level: str = setting("INFO", env="EVETRADER_LOG_LEVEL")
    redis_prefix: str = setting("evetrader:", env="EVETRADER_REDIS_PREFIX")
    postgres_command_timeout_s: float = setting(30.0, gt=0, description="longest wait for one SQL statement")
    postgres_acquire_timeout_s: float = setting(
        5.0, gt=0, description="longest wait for a pooled Postgres connection (connecting included)"
    )

    esi_base_url: str = "https://esi.evetech.net"
    esi_user_agent: str = DEFAULT_USER_AGENT
    esi_compatibility_date: str = "2020-01-01"
    esi_max_concurrency: int = setting(20, ge=1, le=100)
    esi_timeout_s: float = setting(30.0, gt=0)
    esi_max_attempts: int = setting(5, ge=1, le=20)
    esi_error_limit_floor: int = setting(10, ge=0, le=100)
    esi_snapshot_retries: int = setting(3, ge=1, le=10)

    sde_source: str = OFFICIAL_SDE_URL
    ingest_regions: list[int] = setting(
        [10000002, 10000043, 10000032, 10000030, 10000042, 19000001],
        description="regions the scheduler keeps fresh (five hubs + global PLEX)",
    )
    default_hub: str = setting("Jita", description="hub used when a command names no place")
    ingest_jitter_s: float = setting(5.0, ge=0)
    ingest_mode: Literal["inline", "queue"] = setting(
        "inline", description="inline: the scheduler refreshes regions itself; queue: workers do"
    )
    scheduler_leader_ttl_s: float = setting(
        30.0, ge=3, le=600, description="a dead scheduler leader is replaced within this (renewed at 1/3)"
    )
    history_watch_limit: int = setting(200, ge=0, le=20000)
    appraisal_max_bytes: int = setting(1_048_576, gt=0, description="largest paste /appraise reads (UTF-8)")
    appraisal_ttl_days: float = setting(90.0, gt=0, description="shared appraisals (/a/{id}) expire after this")
    appraisal_rate_per_minute: float = setting(10.0, gt=0, description="panel/API appraisals per address a minute")
    appraisal_rate_burst: int = setting(5, ge=1, description="panel/API appraisals an address may make at once")
    # CCP's fee schedule (core/market/fee_schedule.py, docs/fees.md); unset = CCP's published value
    fee_sales_tax_base: float | None = setting(None, ge=0, le=1, description="sales tax at Accounting 0")
    fee_accounting_reduction: float | None = setting(None, ge=0, le=0.2, description="cut per Accounting level")
    fee_broker_base: float | None = setting(None, ge=0, le=1, description="NPC broker rate before skills")
    fee_broker_relations_reduction: float | None = setting(None, ge=0, le=0.2, description="per BR level")
    fee_faction_standing_reduction: float | None = setting(None, ge=0, le=0.1, description="per standing")
    fee_corp_standing_reduction: float | None = setting(None, ge=0, le=0.1, description="per standing")
    fee_broker_floor: float | None = setting(None, ge=0, le=1, description="lowest NPC broker rate")
    fee_broker_min_isk: float | None = setting(None, ge=0, description="least ISK an order costs")
    fee_relist_discount_base: float | None = setting(None, ge=0, le=1, description="relist discount, ABR 0")
    fee_relist_discount_per_level: float | None = setting(None, ge=0, le=0.2, description="per ABR level")
    fee_scc_surcharge: float | None = setting(None, ge=0, le=1, description="SCC rate in Upwell structures")
    # each chat platform's own settings (DISCORD_*, TELEGRAM_*) are its package's model: platform_settings(name)
    command_rate_per_minute: float = setting(20.0, gt=0, description="chat commands per user per minute")
    command_rate_burst: int = setting(5, ge=1, description="chat commands a user may send at once")
    web_host: str = "127.0.0.1"
    web_port: int = setting(8080, ge=0, le=65535)
    ops_host: str = setting("127.0.0.1", description="operations listener: /healthz, /readyz, /metrics")
    ops_port: int = setting(9100, ge=0, le=65535, description="operations port (0: any free port)")
    public_url: str = setting("http://127.0.0.1:8080", description="the panel's address as users reach it")
    session_signing_key: SecretStr | None = setting(
        None, description=">= 32 bytes; unset in development: generated once into the data dir"
    )
    cookie_secure: bool | None = setting(None, description="unset: Secure cookies when PUBLIC_URL is https")
    admin_character_ids: list[int] = setting(
        [], description="EVE characters whose account is a panel admin once the character signs in"
    )
    admin_account_ids: str | None = setting(None, description="replaced by ADMIN_CHARACTER_IDS: an error")
    trusted_proxies: list[str] = setting([], description="proxies whose X-Forwarded-For is believed")
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    web_rate_per_minute: float = setting(300.0, gt=0, description="panel requests per IP per minute")
    web_rate_burst: int = setting(60, ge=1)
    web_user_rate_per_minute: float = setting(120.0, gt=0, description="panel requests per account per minute")
    web_user_rate_burst: int = setting(30, ge=1)

    anthropic_api_key: SecretStr | None = setting(None, description="Claude (primary analyst)")
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-5-5"
    openai_api_key: SecretStr | None = setting(None, description="GPT (failover analyst)")
    openai_base_url: str | None = None
    openai_model: str = "gpt-5.4-mini"
    ai_timeout_s: float = setting(20.0, gt=0, description="one provider call")
    ai_budget_s: float = setting(25.0, gt=0, description="a whole /analyze or /ask, tools included")
    ai_max_tool_calls: int = setting(6, ge=0, le=20)
    ai_max_tokens: int = setting(900, ge=64, le=8192)
    ai_cache_ttl_s: float = setting(3600.0, ge=0)
    ai_max_question_chars: int = setting(1000, ge=10, le=20000)
    ai_account_daily_quota: int = setting(30, ge=0, description="AI answers per account per UTC day (0: off)")
    ai_guild_daily_quota: int = setting(300, ge=0, description="AI answers per server per UTC day (0: off)")
    ai_breaker_failures: int = setting(3, ge=1, description="consecutive failures that open a breaker")
    ai_breaker_cooldown_s: float = setting(60.0, gt=0)

    smtp_url: SecretStr | None = setting(
        None, description="smtp://user:pass@host:port?starttls=true|false or smtps://...; unset: no e-mail"
    )
    smtp_from: str | None = setting(None, description="From of alert mails, e.g. 'evetrader <alerts@example.org>'")
    vapid_private_key: SecretStr | None = setting(
        None, description="web push: base64url P-256 private key; `evetrader keys vapid` makes one; unset: off"
    )
    vapid_subject: str | None = setting(
        None, description="web push contact push services see: mailto:ops@example.org or an https: URL"
    )
    order_refresh_s: float = setting(120.0, ge=10, description="how often linked characters' orders are checked")

    eve_client_id: str | None = setting(None, description="EVE SSO application client id")
    eve_client_secret: SecretStr | None = setting(None, description="EVE SSO secret (unset: PKCE only)")
    eve_callback_url: str | None = setting(None, description="default: PUBLIC_URL + /auth/callback")
    sso_base_url: str = "https://login.eveonline.com"
    encryption_keys: SecretStr | None = setting(
        None, description="keyid:base64(32 bytes) pairs, newest first; `evetrader keys new` makes one"
    )

    _platforms: dict[str, EnvSettings]

    def check(self) -> None:
        """Read every chat platform's own settings from the environment too (load_settings may override them), and
        refuse what no single field shows wrong."""
        self._platforms = platform_settings_of({})
        self.esi_base_url = _field(_http_url, self.esi_base_url, "esi_base_url")
        self.default_hub = _field(_known_hub, self.default_hub, "default_hub")
        self.esi_compatibility_date = _field(_iso_date, self.esi_compatibility_date, "esi_compatibility_date")
        if self.admin_account_ids is not None:
            raise InvalidSetting(
                ("admin_account_ids",),
                "ADMIN_ACCOUNT_IDS was replaced by ADMIN_CHARACTER_IDS (EVE character ids: an account becomes admin"
                " when one of them signs in) and `evetrader admin grant ID`; unset ADMIN_ACCOUNT_IDS",
            )
        try:
            self.fee_schedule()  # a floor above the base, or discounts past 100%, are refused at start-up
        except ValueError as exc:
            raise InvalidSetting((), str(exc)) from None
        _field(lambda _: self.vapid_public_key, None, "vapid_private_key")  # a key browsers cannot subscribe with

    def platform_settings(self, name: str) -> EnvSettings:
        """The settings of the chat platform `name` (an instance of its package's settings model)."""
        return self._platforms[name]

    def enabled_platforms(self) -> list[ChatPlatform[Any]]:
        """The chat platforms configured to run (e.g. their token is set), in PLATFORMS' order."""
        return [platform for platform in PLATFORMS if platform.enabled(self._platforms[platform.name])]

    def fee_schedule(self) -> FeeSchedule:
        """CCP's fee schedule with every FEE_* setting that is set in place of its published value."""
        from core.market.fees import FeeSchedule

        prefix = "fee_"
        overrides = {
            name.removeprefix(prefix): getattr(self, name)
            for name in self.model_fields
            if name.startswith(prefix) and getattr(self, name) is not None
        }
        return FeeSchedule(**overrides)

    @property
    def vapid_public_key(self) -> str | None:
        """The VAPID public key browsers subscribe with (None: web push off); the private key was checked at load."""
        if self.vapid_private_key is None:
            return None
        from adapters.webpush import VapidKey

        return VapidKey.from_setting(self.vapid_private_key.get_secret_value(), self.vapid_subject or "").public_key


def _field(check: Callable[[Any], Any], value: Any, name: str) -> Any:
    """`check(value)`, its ValueError (e.g. VapidError, UnknownLocation) raised as the field `name`'s InvalidSetting."""
    try:
        return check(value)
    except ValueError as exc:
        raise InvalidSetting((name,), str(exc)) from None


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value.rstrip("/")


def _known_hub(value: str) -> str:
    from core.market.hubs import find_hub

    return find_hub(value).name


def _iso_date(value: str) -> str:
    from datetime import date

    date.fromisoformat(value)
    return value


def secret_values(settings: Settings) -> list[str]:
    """Every configured secret's value, the chat platforms' included (the log redactor masks them wherever they
    appear)."""
    models: list[EnvSettings] = [settings, *(settings.platform_settings(p.name) for p in PLATFORMS)]
    values = (getattr(model, name) for model in models for name in model.model_fields)
    return [value.get_secret_value() for value in values if isinstance(value, SecretStr) and value.get_secret_value()]


class SettingsError(Exception):
    """Invalid configuration, carrying one human-readable line."""


def _error_line(exc: InvalidSetting, prefix: str = "") -> str:
    """The error as one line naming its variable."""
    if not exc.loc:
        return f"invalid settings: {exc.msg}"
    return f"invalid setting {(prefix + '.'.join(map(str, exc.loc))).upper()}: {exc.msg}"


def platform_settings_of(overrides: dict[str, object]) -> dict[str, EnvSettings]:
    """Each chat platform's settings from the environment, with `overrides` named like its variables
    (telegram_token=... sets TELEGRAM_TOKEN); raises SettingsError naming the variable when one is invalid."""
    loaded: dict[str, EnvSettings] = {}
    for platform in PLATFORMS:
        prefix = f"{platform.name}_"
        own: dict[str, Any] = {k.removeprefix(prefix): v for k, v in overrides.items() if k.startswith(prefix)}
        try:
            loaded[platform.name] = platform.settings_model(**own)
        except InvalidSetting as exc:
            raise SettingsError(_error_line(exc, prefix)) from None
    return loaded


def load_settings(**overrides: Any) -> Settings:
    """Read and validate settings, the chat platforms' included; raise SettingsError with one clear line when
    invalid."""
    try:
        settings = Settings(**overrides)
    except InvalidSetting as exc:
        raise SettingsError(_error_line(exc)) from None
    if any(key.startswith(tuple(f"{p.name}_" for p in PLATFORMS)) for key in overrides):
        settings._platforms = platform_settings_of(dict(overrides))
    return settings
