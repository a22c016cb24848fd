"""Typed settings: the only module that reads the environment (and an optional .env file), with the chat platforms'
settings models (bot/*/platform.py), listed in PLATFORMS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, PrivateAttr, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as EnvParsingError

from bot.discord import discord_platform
from bot.platform import ChatPlatform
from bot.telegram import telegram_platform
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


class Settings(BaseSettings):
    """Everything evetrader can be configured with; validated once at start-up."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(default=None, description="PostgreSQL DSN; unset = embedded server")
    redis_url: str | None = Field(default=None, description="Redis URL; unset = embedded server")
    data_dir: Path = Field(default=Path("data"), validation_alias="EVETRADER_DATA_DIR")
    env: Literal["development", "production"] = Field(default="development", validation_alias="EVETRADER_ENV")
    log_format: Literal["auto", "json", "console"] = Field(default="auto", validation_alias="EVETRADER_LOG_FORMAT")
    log_level: str = Field(default="INFO", validation_alias="EVETRADER_LOG_LEVEL")
    redis_prefix: str = Field(default="evetrader:", validation_alias="EVETRADER_REDIS_PREFIX")
    postgres_command_timeout_s: float = Field(default=30.0, gt=0, description="longest wait for one SQL statement")
    postgres_acquire_timeout_s: float = Field(
        default=5.0, gt=0, description="longest wait for a pooled Postgres connection (connecting included)"
    )

    esi_base_url: str = "https://esi.evetech.net"
    esi_user_agent: str = DEFAULT_USER_AGENT
    esi_compatibility_date: str = "2020-01-01"
    esi_max_concurrency: int = Field(default=20, ge=1, le=100)
    esi_timeout_s: float = Field(default=30.0, gt=0)
    esi_max_attempts: int = Field(default=5, ge=1, le=20)
    esi_error_limit_floor: int = Field(default=10, ge=0, le=100)
    esi_snapshot_retries: int = Field(default=3, ge=1, le=10)

    sde_source: str = OFFICIAL_SDE_URL
    ingest_regions: list[int] = Field(
        default=[10000002, 10000043, 10000032, 10000030, 10000042, 19000001],
        description="regions the scheduler keeps fresh (five hubs + global PLEX)",
    )
    default_hub: str = Field(default="Jita", description="hub used when a command names no place")
    ingest_jitter_s: float = Field(default=5.0, ge=0)
    ingest_mode: Literal["inline", "queue"] = Field(
        default="inline", description="inline: the scheduler refreshes regions itself; queue: workers do"
    )
    scheduler_leader_ttl_s: float = Field(
        default=30.0, ge=3, le=600, description="a dead scheduler leader is replaced within this (renewed at 1/3)"
    )
    history_watch_limit: int = Field(default=200, ge=0, le=20000)
    appraisal_max_bytes: int = Field(default=1_048_576, gt=0, description="largest paste /appraise reads (UTF-8)")
    appraisal_ttl_days: float = Field(default=90.0, gt=0, description="shared appraisals (/a/{id}) expire after this")
    appraisal_rate_per_minute: float = Field(
        default=10.0, gt=0, description="panel/API appraisals per address a minute"
    )
    appraisal_rate_burst: int = Field(default=5, ge=1, description="panel/API appraisals an address may make at once")
    # CCP's fee schedule (core/market/fee_schedule.py, docs/fees.md); unset = CCP's published value
    fee_sales_tax_base: float | None = Field(default=None, ge=0, le=1, description="sales tax at Accounting 0")
    fee_accounting_reduction: float | None = Field(default=None, ge=0, le=0.2, description="cut per Accounting level")
    fee_broker_base: float | None = Field(default=None, ge=0, le=1, description="NPC broker rate before skills")
    fee_broker_relations_reduction: float | None = Field(default=None, ge=0, le=0.2, description="per BR level")
    fee_faction_standing_reduction: float | None = Field(default=None, ge=0, le=0.1, description="per standing")
    fee_corp_standing_reduction: float | None = Field(default=None, ge=0, le=0.1, description="per standing")
    fee_broker_floor: float | None = Field(default=None, ge=0, le=1, description="lowest NPC broker rate")
    fee_broker_min_isk: float | None = Field(default=None, ge=0, description="least ISK an order costs")
    fee_relist_discount_base: float | None = Field(default=None, ge=0, le=1, description="relist discount, ABR 0")
    fee_relist_discount_per_level: float | None = Field(default=None, ge=0, le=0.2, description="per ABR level")
    fee_scc_surcharge: float | None = Field(default=None, ge=0, le=1, description="SCC rate in Upwell structures")
    # each chat platform's own settings (DISCORD_*, TELEGRAM_*) are its package's model: platform_settings(name)
    command_rate_per_minute: float = Field(default=20.0, gt=0, description="chat commands per user per minute")
    command_rate_burst: int = Field(default=5, ge=1, description="chat commands a user may send at once")
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=0, le=65535)
    ops_host: str = Field(default="127.0.0.1", description="operations listener: /healthz, /readyz, /metrics")
    ops_port: int = Field(default=9100, ge=0, le=65535, description="operations port (0: any free port)")
    public_url: str = Field(default="http://127.0.0.1:8080", description="the panel's address as users reach it")
    session_signing_key: SecretStr | None = Field(
        default=None, description=">= 32 bytes; unset in development: generated once into the data dir"
    )
    cookie_secure: bool | None = Field(default=None, description="unset: Secure cookies when PUBLIC_URL is https")
    admin_character_ids: list[int] = Field(
        default=[], description="EVE characters whose account is a panel admin once the character signs in"
    )
    admin_account_ids: str | None = Field(default=None, description="replaced by ADMIN_CHARACTER_IDS: an error")
    trusted_proxies: list[str] = Field(default=[], description="proxies whose X-Forwarded-For is believed")
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    web_rate_per_minute: float = Field(default=300.0, gt=0, description="panel requests per IP per minute")
    web_rate_burst: int = Field(default=60, ge=1)
    web_user_rate_per_minute: float = Field(default=120.0, gt=0, description="panel requests per account per minute")
    web_user_rate_burst: int = Field(default=30, ge=1)

    anthropic_api_key: SecretStr | None = Field(default=None, description="Claude (primary analyst)")
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-5-5"
    openai_api_key: SecretStr | None = Field(default=None, description="GPT (failover analyst)")
    openai_base_url: str | None = None
    openai_model: str = "gpt-5.4-mini"
    ai_timeout_s: float = Field(default=20.0, gt=0, description="one provider call")
    ai_budget_s: float = Field(default=25.0, gt=0, description="a whole /analyze or /ask, tools included")
    ai_max_tool_calls: int = Field(default=6, ge=0, le=20)
    ai_max_tokens: int = Field(default=900, ge=64, le=8192)
    ai_cache_ttl_s: float = Field(default=3600.0, ge=0)
    ai_max_question_chars: int = Field(default=1000, ge=10, le=20000)
    ai_account_daily_quota: int = Field(default=30, ge=0, description="AI answers per account per UTC day (0: off)")
    ai_guild_daily_quota: int = Field(default=300, ge=0, description="AI answers per server per UTC day (0: off)")
    ai_breaker_failures: int = Field(default=3, ge=1, description="consecutive failures that open a breaker")
    ai_breaker_cooldown_s: float = Field(default=60.0, gt=0)

    smtp_url: SecretStr | None = Field(
        default=None, description="smtp://user:pass@host:port?starttls=true|false or smtps://...; unset: no e-mail"
    )
    smtp_from: str | None = Field(
        default=None, description="From of alert mails, e.g. 'evetrader <alerts@example.org>'"
    )
    vapid_private_key: SecretStr | None = Field(
        default=None, description="web push: base64url P-256 private key; `evetrader keys vapid` makes one; unset: off"
    )
    vapid_subject: str | None = Field(
        default=None, description="web push contact push services see: mailto:ops@example.org or an https: URL"
    )
    order_refresh_s: float = Field(default=120.0, ge=10, description="how often linked characters' orders are checked")

    eve_client_id: str | None = Field(default=None, description="EVE SSO application client id")
    eve_client_secret: SecretStr | None = Field(default=None, description="EVE SSO secret (unset: PKCE only)")
    eve_callback_url: str | None = Field(default=None, description="default: PUBLIC_URL + /auth/callback")
    sso_base_url: str = "https://login.eveonline.com"
    encryption_keys: SecretStr | None = Field(
        default=None, description="keyid:base64(32 bytes) pairs, newest first; `evetrader keys new` makes one"
    )

    _platforms: dict[str, BaseSettings] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object) -> None:
        """Read every chat platform's own settings from the environment too (load_settings may override them)."""
        self._platforms = platform_settings_of({})

    def platform_settings(self, name: str) -> BaseSettings:
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
            for name in type(self).model_fields
            if name.startswith(prefix) and getattr(self, name) is not None
        }
        return FeeSchedule(**overrides)

    @model_validator(mode="after")
    def _consistent_fees(self) -> Settings:
        self.fee_schedule()  # a floor above the base, or discounts past 100%, are refused at start-up
        return self

    @field_validator("admin_account_ids")
    @classmethod
    def _replaced_admin_setting(cls, value: str | None) -> str | None:
        if value is not None:
            raise ValueError(
                "ADMIN_ACCOUNT_IDS was replaced by ADMIN_CHARACTER_IDS (EVE character ids: an account becomes admin"
                " when one of them signs in) and `evetrader admin grant ID`; unset ADMIN_ACCOUNT_IDS"
            )
        return value

    @property
    def vapid_public_key(self) -> str | None:
        """The VAPID public key browsers subscribe with (None: web push off); the private key was checked at load."""
        if self.vapid_private_key is None:
            return None
        from adapters.webpush import VapidKey

        return VapidKey.from_setting(self.vapid_private_key.get_secret_value(), self.vapid_subject or "").public_key

    @model_validator(mode="after")
    def _usable_vapid(self) -> Settings:
        if self.vapid_private_key is not None:
            from adapters.webpush import VapidError, VapidKey

            try:
                VapidKey.from_setting(self.vapid_private_key.get_secret_value(), self.vapid_subject or "")
            except VapidError as exc:
                raise ValueError(str(exc)) from None
        return self

    @field_validator("esi_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("default_hub")
    @classmethod
    def _known_hub(cls, value: str) -> str:
        from core.market.hubs import find_hub

        return find_hub(value).name

    @field_validator("esi_compatibility_date")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        from datetime import date

        date.fromisoformat(value)
        return value


def secret_values(settings: Settings) -> list[str]:
    """Every configured secret's value, the chat platforms' included (the log redactor masks them wherever they
    appear)."""
    models: list[BaseSettings] = [settings, *(settings.platform_settings(p.name) for p in PLATFORMS)]
    values = (getattr(model, name) for model in models for name in type(model).model_fields)
    return [value.get_secret_value() for value in values if isinstance(value, SecretStr) and value.get_secret_value()]


class SettingsError(Exception):
    """Invalid configuration, carrying one human-readable line."""


def _error_line(exc: ValidationError, prefix: str = "") -> str:
    """The first validation error as one line naming its variable."""
    first = exc.errors()[0]
    loc = ".".join(str(part) for part in first.get("loc", ())) or "settings"
    return f"invalid setting {(prefix + loc).upper()}: {first.get('msg')}"


def platform_settings_of(overrides: dict[str, object]) -> dict[str, BaseSettings]:
    """Each chat platform's settings from the environment, with `overrides` named like its variables
    (telegram_token=... sets TELEGRAM_TOKEN); raises SettingsError naming the variable when one is invalid."""
    loaded: dict[str, BaseSettings] = {}
    for platform in PLATFORMS:
        prefix = f"{platform.name}_"
        own: dict[str, Any] = {k.removeprefix(prefix): v for k, v in overrides.items() if k.startswith(prefix)}
        try:
            loaded[platform.name] = platform.settings_model(**own)
        except ValidationError as exc:
            raise SettingsError(_error_line(exc, prefix)) from None
        except EnvParsingError as exc:  # a variable that is not JSON where a list is wanted
            raise SettingsError(f"invalid {prefix.upper()}* setting: {exc}") from None
    return loaded


def load_settings(**overrides: object) -> Settings:
    """Read and validate settings, the chat platforms' included; raise SettingsError with one clear line when
    invalid."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_error_line(exc)) from None
    if any(key.startswith(tuple(f"{p.name}_" for p in PLATFORMS)) for key in overrides):
        settings._platforms = platform_settings_of(dict(overrides))
    return settings
