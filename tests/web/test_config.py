"""Web configuration: the signing key (generated once in development, required in production) and settings."""

from __future__ import annotations

import stat

import pytest

from evetrader.config import Settings, SettingsError, load_settings
from web.config import (
    KEY_FILE_NAME,
    WebConfig,
    WebConfigError,
    load_signing_key,
    parse_networks,
    web_config_from_settings,
)


def test_development_generates_a_private_key_once(tmp_path):
    first = load_signing_key(None, production=False, data_dir=tmp_path)
    assert len(first) >= 32
    assert stat.S_IMODE((tmp_path / KEY_FILE_NAME).stat().st_mode) == 0o600
    assert load_signing_key(None, production=False, data_dir=tmp_path) == first


def test_production_refuses_to_start_without_a_key_or_with_insecure_cookies(tmp_path):
    with pytest.raises(WebConfigError, match="required in production"):
        load_signing_key(None, production=True, data_dir=tmp_path)
    assert not (tmp_path / KEY_FILE_NAME).exists()
    with pytest.raises(WebConfigError, match="at least 32 bytes"):
        load_signing_key("short", production=True, data_dir=tmp_path)
    with pytest.raises(WebConfigError, match="COOKIE_SECURE"):
        WebConfig(signing_key=b"k" * 32, production=True, cookie_secure=False)


def test_key_never_shows_in_repr_and_bad_proxies_are_named():
    assert "kkkk" not in repr(WebConfig(signing_key=b"k" * 32))
    with pytest.raises(WebConfigError, match="'nope'"):
        parse_networks(["10.0.0.0/8", "nope"])


def test_built_from_evetrader_settings(tmp_path):
    settings = Settings(data_dir=tmp_path, public_url="https://panel.example/", eve_client_id="app")
    config = web_config_from_settings(settings)
    assert config.public_url == "https://panel.example" and config.public_https and config.sso_enabled
    assert config.cookie_secure and not config.production and config.admin_character_ids == ()
    assert (tmp_path / KEY_FILE_NAME).exists()
    admins = Settings(data_dir=tmp_path, admin_character_ids=[95000001, 2112000001])
    assert web_config_from_settings(admins).admin_character_ids == (95000001, 2112000001)


def test_the_replaced_admin_account_setting_stops_start_up_naming_its_replacement(tmp_path):
    with pytest.raises(SettingsError, match="ADMIN_ACCOUNT_IDS was replaced by ADMIN_CHARACTER_IDS"):
        load_settings(data_dir=tmp_path, admin_account_ids="[1]")
