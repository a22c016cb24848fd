"""compose.yaml: the services of a one-machine deployment, their healthchecks and start order; `docker compose
config` validates it where the compose plugin is installed."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
import yaml

from tests.deploy.manifests import OPS_PORT, ROOT

EVETRADER = ("scheduler", "worker", "web", "bot")


def services() -> dict[str, Any]:
    """compose.yaml's services, with YAML merge keys resolved."""
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    return loaded


def test_every_service_of_a_deployment_is_there():
    assert set(services()) == {"postgres", "redis", "migrate", *EVETRADER}


def test_migrate_runs_once_after_postgres_is_healthy():
    migrate = services()["migrate"]
    assert migrate["command"] == ["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_evetrader_services_start_after_migrations_and_healthy_stores():
    for name in EVETRADER:
        assert services()[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name


def test_long_running_services_have_healthchecks_on_the_right_port():
    for name in ("postgres", "redis"):
        assert services()[name]["healthcheck"]["test"], name
    for name in EVETRADER:
        service = services()[name]
        test = " ".join(service["healthcheck"]["test"])
        assert f"127.0.0.1:{OPS_PORT}/healthz" in test, name
        assert service["command"] == ["serve", name]


def test_two_workers_and_nothing_but_the_panel_published():
    assert services()["worker"]["deploy"]["replicas"] == 2
    published = {name: service.get("ports", []) for name, service in services().items() if service.get("ports")}
    assert list(published) == ["web"]
    assert all(str(port).endswith(":8080") for port in published["web"])


def test_evetrader_containers_are_locked_down_with_a_data_volume():
    for name in ("migrate", *EVETRADER):
        service = services()[name]
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert any(volume.endswith(":/app/data") for volume in service["volumes"]), name


def test_config_needs_no_variable_to_be_set():
    text = (ROOT / "compose.yaml").read_text()
    assert ":?" not in text, "`docker compose config` must validate on a machine without .env"


@pytest.mark.skipif(shutil.which("docker") is None, reason="docker is not installed")
def test_docker_compose_config_validates():
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip("the docker compose plugin is not installed")
    result = subprocess.run(
        ["docker", "compose", "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
