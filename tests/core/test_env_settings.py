"""Typed settings from the environment: sources in order, coercion, bounds, .env files, secrets and copies."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

from core.env_settings import EnvSettings, InvalidSetting, SecretStr, setting


class Example(EnvSettings):
    """Every kind of field the settings use."""

    env_prefix = "EXAMPLE_"

    name: str = "evetrader"
    port: int = setting(8080, ge=0, le=65535)
    rate: float = setting(1.5, gt=0)
    flag: bool | None = None
    where: Path = setting(Path("data"), env="EXAMPLE_DATA_DIR")
    mode: Literal["inline", "queue"] = "inline"
    ids: list[int] = setting([], description="some ids")
    token: SecretStr | None = None
    fee: float | None = setting(None, ge=0, le=1)


@pytest.fixture(autouse=True)
def no_example_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("NAME", "PORT", "RATE", "FLAG", "DATA_DIR", "MODE", "IDS", "TOKEN", "FEE", "WHERE"):
        monkeypatch.delenv(f"EXAMPLE_{name}", raising=False)


def test_defaults_then_env_file_then_variables_then_arguments(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Example().port == 8080 and Example().ids == [] and Example().model_fields_set == set()
    (tmp_path / ".env").write_text('# comment\nEXAMPLE_PORT=81\nexport EXAMPLE_NAME="quoted"\nEXAMPLE_RATE=2 # rate\n')
    assert (Example().port, Example().name, Example().rate) == (81, "quoted", 2.0)
    assert Example(_env_file=None).port == 8080
    monkeypatch.setenv("example_port", "82")  # names in any case
    assert Example().port == 82 and Example().model_fields_set == {"port", "name", "rate"}
    assert Example(port=83).port == 83 and Example(unknown="ignored").port == 82


def test_values_are_coerced_to_their_annotations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMPLE_FLAG", "yes")
    monkeypatch.setenv("EXAMPLE_DATA_DIR", "/srv/data")
    monkeypatch.setenv("EXAMPLE_IDS", "[1, 2]")
    monkeypatch.setenv("EXAMPLE_TOKEN", "s3cret-value")
    monkeypatch.setenv("EXAMPLE_MODE", "queue")
    loaded = Example()
    assert loaded.flag is True and loaded.where == Path("/srv/data") and loaded.ids == [1, 2] and loaded.mode == "queue"
    assert isinstance(loaded.token, SecretStr) and loaded.token.get_secret_value() == "s3cret-value"
    assert "s3cret" not in repr(loaded) and "s3cret" not in str(loaded.token)
    assert Example(where="x", ids=("3",), fee=None).ids == [3] and Example(where="x").where == Path("x")


@pytest.mark.parametrize(
    ("values", "loc", "message"),
    [
        ({"port": "lots"}, ("port",), "Input should be a valid integer, unable to parse string as an integer"),
        ({"port": 70000}, ("port",), "Input should be less than or equal to 65535"),
        ({"rate": 0}, ("rate",), "Input should be greater than 0"),
        ({"fee": 1.5}, ("fee",), "Input should be less than or equal to 1"),
        ({"mode": "both"}, ("mode",), "Input should be 'inline' or 'queue'"),
        ({"ids": [1, "two"]}, ("ids", 1), "Input should be a valid integer, unable to parse string as an integer"),
        ({"flag": "maybe"}, ("flag",), "Input should be a valid boolean, unable to interpret input"),
        ({"name": 5}, ("name",), "Input should be a valid string"),
    ],
)
def test_a_bad_value_names_its_field_and_says_why(values: dict[str, object], loc: tuple[object, ...], message: str):
    with pytest.raises(InvalidSetting) as caught:
        Example(**values)
    assert (caught.value.loc, caught.value.msg) == (loc, message)


def test_a_list_variable_must_be_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMPLE_IDS", "1,2")
    with pytest.raises(InvalidSetting, match="JSON list"):
        Example()


def test_copies_keep_unchecked_updates_and_compare_by_value() -> None:
    original = Example(port=1)
    copied = original.model_copy(update={"name": "other"})
    assert copied.name == "other" and original.name == "evetrader" and copied.port == 1
    assert copied.model_fields_set == {"port", "name"} and copied != original
    assert copied.model_copy(update={"name": "evetrader"}) == original
    assert Example.model_fields["ids"].description == "some ids" and Example.model_fields["port"].default == 8080
    assert Example().ids is not Example().ids  # a list default is fresh each time


def test_check_sees_the_whole_instance() -> None:
    class Checked(Example):
        def check(self) -> None:
            if self.port == 0 and self.mode == "queue":
                raise InvalidSetting((), "a queue needs a port")

    assert Checked(port=0).port == 0
    with pytest.raises(InvalidSetting, match="a queue needs a port"):
        Checked(port=0, mode="queue")
