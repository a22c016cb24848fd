"""`evetrader keys vapid` prints settings that work: the panel derives the printed public key from them; bad VAPID
settings stop start-up with one line that does not show the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from evetrader.cli import app
from evetrader.config import SettingsError, load_settings
from web.config import web_config_from_settings


def test_keys_vapid_prints_a_pair_the_settings_and_the_panel_accept(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["keys", "vapid"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split("=", 1) for line in result.output.splitlines() if not line.startswith("#"))
    public = result.output.rsplit(": ", 1)[1].strip()
    settings = load_settings(
        vapid_private_key=lines["VAPID_PRIVATE_KEY"], vapid_subject=lines["VAPID_SUBJECT"], data_dir=tmp_path
    )
    assert web_config_from_settings(settings).vapid_public_key == public and len(public) == 87
    assert settings.vapid_public_key == public and load_settings(data_dir=tmp_path).vapid_public_key is None


@pytest.mark.parametrize(
    ("key", "subject", "words"),
    [
        ("c2hvcnQ", "mailto:ops@example.org", "must be 32 bytes"),
        ("A" * 43, "ops@example.org", "VAPID_SUBJECT must be a mailto:"),
        ("_" * 43, "mailto:ops@example.org", "not a P-256 private key"),
    ],
)
def test_bad_vapid_settings_are_refused_without_echoing_the_key(key: str, subject: str, words: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(vapid_private_key=key, vapid_subject=subject)
    assert words in str(caught.value) and key not in str(caught.value)
