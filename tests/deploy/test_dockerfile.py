"""The Dockerfile's rules, read from the file: pinned base, locked dependencies, non-root runtime, ops healthcheck."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from tests.deploy.manifests import OPS_PORT, ROOT

DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
BUILD_TOOLS = ("build-essential", "gcc", "g++", "make", "libpq-dev", "python3-dev", "git")


@dataclass
class Stage:
    """One FROM ... section: its image (ARGs resolved), optional name and instructions after FROM."""

    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        """Arguments of every instruction with this keyword."""
        return [rest for word, rest in self.instructions if word == keyword]


def instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction: comments dropped, continuation lines joined."""
    kept = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    joined = re.sub(r"\\\n", " ", kept)
    found = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def stages(text: str) -> list[Stage]:
    """The Dockerfile's stages, with `${ARG}` in FROM resolved from the ARG defaults before the first FROM."""
    defaults: dict[str, str] = {}
    result: list[Stage] = []
    for word, rest in instructions(text):
        if word == "ARG" and not result and "=" in rest:
            key, _, value = rest.partition("=")
            defaults[key] = value
        elif word == "FROM":
            parts = rest.split()
            image = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: defaults[m.group(1) or m.group(2)], parts[0])
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            result.append(Stage(image, name))
        elif result:
            result[-1].instructions.append((word, rest))
    return result


def dockerfile() -> list[Stage]:
    """The repository's Dockerfile, parsed."""
    return stages((ROOT / "Dockerfile").read_text())


def test_every_base_image_is_pinned_by_digest():
    parsed = dockerfile()
    names = {stage.name for stage in parsed if stage.name}
    external = [stage.image for stage in parsed if stage.image not in names]
    assert external
    for image in external:
        assert DIGEST.search(image), f"{image} is not pinned by digest"


def test_dependencies_come_from_the_hashed_lock_and_evetrader_without_deps():
    runs = " && ".join(run for stage in dockerfile() for run in stage.args("RUN"))
    assert re.search(r"pip install[^&]*--require-hashes[^&]*-r requirements\.lock", runs)
    assert re.search(r"pip install[^&]*--no-deps[^&]*evetrader", runs)
    assert (ROOT / "Dockerfile").read_text().count("requirements.lock") >= 2, "the lock is copied and installed"


def test_the_final_stage_runs_as_an_unprivileged_user_owning_the_data_dir():
    final = dockerfile()[-1]
    user = final.args("USER")[-1].split(":")[0]
    assert user not in ("root", "0"), user
    env = " ".join(final.args("ENV"))
    data_dir = re.search(r"EVETRADER_DATA_DIR=(\S+)", env)
    assert data_dir, "the image names its data dir"
    runs = " ".join(final.args("RUN"))
    assert re.search(rf"chown\s+(-R\s+)?{user}\S*\s+{re.escape(data_dir.group(1))}", runs)


def test_the_final_stage_has_no_build_tools_and_no_fakes():
    parsed = dockerfile()
    final = parsed[-1]
    installed = " ".join(final.args("RUN"))
    assert "apt-get install" not in installed and "pip install" not in installed
    for tool in BUILD_TOOLS:
        assert tool not in shlex.split(installed), tool
    copies = final.args("COPY")
    assert all(copy.startswith("--from=") for copy in copies), "the final stage takes only built artefacts"
    everything = " ".join(rest for stage in parsed for _, rest in stage.instructions)
    assert "fakes" not in everything
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"fakes", "tests", ".git", ".env", ".venv", "data"} <= set(ignored)


def test_healthcheck_asks_the_operations_port_listening_on_every_interface():
    final = dockerfile()[-1]
    (check,) = final.args("HEALTHCHECK")
    assert "/healthz" in check
    assert "OPS_PORT" in check or str(OPS_PORT) in check
    env = " ".join(final.args("ENV"))
    assert "OPS_HOST=0.0.0.0" in env and f"OPS_PORT={OPS_PORT}" in env
    assert str(OPS_PORT) in " ".join(final.args("EXPOSE"))
