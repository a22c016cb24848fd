"""Repository-wide rules of issue 14 read from the source (ast, tokenize): one ESI transport, one Redis key module,
one listing of chat platforms, use cases not commands for the panel and jobs, names that say what a module holds,
comments that point inside the repository, and one place naming every Protocol."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ("core", "adapters", "bot", "web", "scheduler", "evetrader")
CHECKED = (*RUNTIME, "fakes", "migrations", "scripts", "benchmarks", "tests")


@cache
def parsed(rel: str) -> ast.Module:
    """A module's tree, parsed once for all the rules."""
    return ast.parse((ROOT / rel).read_text(encoding="utf-8"), rel)


def modules(*packages: str) -> Iterator[tuple[str, ast.Module]]:
    """(path relative to the repository, parsed tree) of every Python module in `packages`."""
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if ".egg-info" not in str(path):
                rel = str(path.relative_to(ROOT))
                yield rel, parsed(rel)


@cache
def _calls(tree: ast.Module) -> dict[str, list[int]]:
    """Lines of the calls in a module by the called name (a bare name or any object's attribute)."""
    found: dict[str, list[int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            found.setdefault(str(name), []).append(node.lineno)
    return found


def calls_of(tree: ast.Module, name: str) -> list[int]:
    """Lines calling `name` (a bare name or any object's attribute of that name)."""
    return _calls(tree).get(name, [])


def imported(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, module) of every absolute import, late ones included."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


# Who may open an HTTP session, and why it is not a way around the ESI transport.
OTHER_HTTP_CLIENTS = ("httpx", "requests", "urllib.request")
HTTP_SESSIONS = {
    "adapters/esi/settings.py": "open_session: the ESI transport's own session (adapters/esi/transport.py)",
    "adapters/sso/client.py": "EVE SSO's login server (tokens, JWKS), not ESI",
    "adapters/sde/download.py": "CCP's static data archive, not ESI",
    "adapters/webpush/sender.py": "browsers' push services",
}


def test_every_esi_call_goes_through_the_one_transport() -> None:
    """Only the modules above open an aiohttp session (none imports httpx, requests or urllib.request); ESI's session
    is opened by the transport alone, one EsiClient (in the App) builds the transport, and no module outside the
    settings names ESI's host."""
    sessions, other_clients, opened, transports, esi_clients, hosts = [], [], [], [], [], []
    for rel, tree in modules(*RUNTIME):
        if calls_of(tree, "ClientSession") and rel not in HTTP_SESSIONS:
            sessions.append(rel)
        other_clients += [f"{rel}:{line} {m}" for line, m in imported(tree) if m in OTHER_HTTP_CLIENTS]
        opened += [f"{rel}:{line}" for line in calls_of(tree, "open_session") if rel != "adapters/esi/transport.py"]
        transports += [f"{rel}:{line}" for line in calls_of(tree, "EsiTransport") if rel != "adapters/esi/client.py"]
        esi_clients += [f"{rel}:{line}" for line in calls_of(tree, "EsiClient")]
        hosts += [
            f"{rel}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "esi.evetech.net" in node.value
        ]
    assert sessions == [] and other_clients == [] and opened == [] and transports == []
    assert [client.split(":")[0] for client in esi_clients] == ["evetrader/app.py"]
    assert [h.split(":")[0] for h in hosts] == ["evetrader/config.py"]


def test_the_http_session_walk_sees_the_sessions_it_allows() -> None:
    """The walk must not go blind: each allowed module does open a session."""
    found = {rel for rel, tree in modules("adapters") if calls_of(tree, "ClientSession")}
    assert found == set(HTTP_SESSIONS)


def _top_namespaces() -> set[str]:
    """The namespaces adapters/redis/keys.py puts right after the prefix ("quotes", "lock", "stream", ...)."""
    return set(re.findall(r"\{self\.prefix\}([a-z-]+):", (ROOT / "adapters/redis/keys.py").read_text()))


NOT_REDIS_KEYS = {("adapters/esi/limits.py", "route:")}  # ESI's rate-limit group of a route without a group


def test_redis_keys_are_named_in_one_module() -> None:
    """No string outside adapters/redis/keys.py starts with one of its namespaces ("quotes:...", "lock:..."), the
    prefix setting reaches only the one RedisKeys the App builds, and nothing else builds one."""
    namespaces = _top_namespaces()
    assert {"quotes", "lock", "stream", "cache", "ratelimit"} <= namespaces
    starts = re.compile("^({}):".format("|".join(map(re.escape, sorted(namespaces)))))
    literals, built, prefix_reads = [], [], []
    for rel, tree in modules(*RUNTIME):
        if rel == "adapters/redis/keys.py":
            continue
        for node in ast.walk(tree):
            head = node.values[0] if isinstance(node, ast.JoinedStr) and node.values else node
            match = starts.match(head.value) if isinstance(head, ast.Constant) and isinstance(head.value, str) else None
            if match and (rel, match.group(0)) not in NOT_REDIS_KEYS:
                literals.append(f"{rel}:{getattr(node, 'lineno', 0)} {match.string!r}")
            if isinstance(node, ast.Attribute) and node.attr == "redis_prefix":
                prefix_reads.append(rel)
        built += [rel for _ in calls_of(tree, "RedisKeys")]
    assert literals == []
    assert built == ["evetrader/app.py"] and prefix_reads == ["evetrader/app.py"]


def test_postgres_pool_and_redis_client_are_opened_by_the_app_alone() -> None:
    """The resources are opened once, in evetrader/app.py (web/app.py no longer opens its own)."""
    found = [
        f"{rel}:{line}"
        for rel, tree in modules(*RUNTIME)
        for name in ("create_pool", "from_url")
        for line in calls_of(tree, name)
        if rel != "evetrader/app.py" and not (name == "from_url" and rel == "evetrader/bootstrap/alerts.py")
    ]  # bootstrap/alerts.py: MailSettings.from_url, the SMTP URL setting
    assert found == []


def test_a_chat_platform_is_listed_in_one_place() -> None:
    """Outside its own package a platform (bot/discord, bot/telegram, any added) is imported only where PLATFORMS
    lists them (evetrader/config.py); the bot service and the bootstrap loop over that list."""
    platforms = [p.name for p in (ROOT / "bot").iterdir() if (p / "platform.py").exists()]
    assert {"discord", "telegram"} <= set(platforms)
    found = [
        f"{rel}:{line} {module}"
        for rel, tree in modules(*RUNTIME)
        for line, module in imported(tree)
        for name in platforms
        if (module == f"bot.{name}" or module.startswith(f"bot.{name}."))
        and not rel.startswith(f"bot/{name}/")
        and rel != "evetrader/config.py"
    ]
    assert found == []


def test_the_panel_api_and_jobs_call_use_cases_not_commands() -> None:
    """web/, scheduler/ and adapters/ never import a command family (core/commands); they call core/usecases. Only
    the bootstrap (the registry) and the chat front ends in bot/ do."""
    found = [
        f"{rel}:{line} {module}"
        for rel, tree in modules("web", "scheduler", "adapters")
        for line, module in imported(tree)
        if module == "core.commands" or module.startswith("core.commands.")
    ]
    assert found == []


VAGUE = re.compile(r"^(parts|.*_parts|shared|common|misc|utils?|helpers?|services|bulk|stuff)$")


def test_no_module_is_named_for_nothing_in_particular() -> None:
    """No runtime module or package is called parts, shared, common, misc, utils, helpers, services or bulk."""
    found = [
        str(path.relative_to(ROOT))
        for package in RUNTIME
        for path in (ROOT / package).rglob("*")
        if (path.suffix == ".py" or path.is_dir()) and VAGUE.match(path.stem)
    ]
    assert found == []


URL = re.compile(r"https?://[^\s\"'<>`)\]]+")
# Hosts a comment may name: CCP's and the standards' own pages (references), and placeholders.
REFERENCE_HOSTS = re.compile(
    r"^https?://(esi\.evetech\.net|developers\.eveonline\.com|docs\.esi\.evetech\.net|login\.eveonline\.com"
    r"|www\.rfc-editor\.org|datatracker\.ietf\.org|127\.0\.0\.1|localhost|host|HOST|[\w.-]+\.(example|invalid|test))"
    r"(?=[:/]|$)"
)
DOC_FILE = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w-]+\.md)\b")


def comments_and_docstrings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every comment and docstring in a module."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        documented = isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        if documented and (docstring := ast.get_docstring(node, clean=False)) is not None:  # type: ignore[arg-type]
            yield getattr(node, "lineno", 1), docstring


def test_comments_point_inside_the_repository() -> None:
    """A comment or docstring names no web page but CCP's and the standards' (references, not design), and every
    Markdown file it names (docs/domain.md, ...) is in the repository."""
    found = []
    for package in CHECKED:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel, source = str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
            if "://" not in source and ".md" not in source:
                continue  # nothing to check: skip tokenizing it
            for line, text in comments_and_docstrings(source):
                found += [f"{rel}:{line} {url}" for url in URL.findall(text) if not REFERENCE_HOSTS.match(url)]
                found += [
                    f"{rel}:{line} {doc}"
                    for doc in DOC_FILE.findall(text)
                    if not (ROOT / doc).exists()
                    and not (ROOT / "docs" / doc).exists()
                    and not (path.parent / doc).exists()
                ]
    assert found == []


def test_the_comment_walk_sees_links_to_the_docs() -> None:
    """The walk must not go blind: it reads core/ports.py's pointer to docs/architecture.md."""
    texts = [text for _, text in comments_and_docstrings((ROOT / "core/ports.py").read_text(encoding="utf-8"))]
    assert any("docs/architecture.md" in DOC_FILE.findall(text) for text in texts)


def _ports_items() -> list[str]:
    """The list items (sub-items apart) of docs/architecture.md's "Ports" section, each with its wrapped lines."""
    text = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    section = text.split("### Ports", 1)[1].split("\n## ", 1)[0]
    items: list[str] = []
    for line in section.splitlines():
        if line.lstrip().startswith("- "):
            items.append(line)
        elif items and line.startswith(" "):
            items[-1] += " " + line.strip()
    return items


def test_every_module_defining_a_protocol_is_named_in_the_ports_section() -> None:
    """docs/architecture.md's "Ports" section is the one place saying where the Protocols are: it names every
    module that defines one, by path or by its package's directory and its file name in one list item."""
    items = _ports_items()
    missing = []
    for rel, tree in modules(*RUNTIME):
        protocols = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and any("Protocol" in ast.unparse(base) for base in node.bases)
        ]
        folder, name = rel.rsplit("/", 1)
        if protocols and not any(rel in item or (f"`{folder}/`" in item and f"`{name}`" in item) for item in items):
            missing.append(f"{rel} ({', '.join(protocols)})")
    assert missing == []
